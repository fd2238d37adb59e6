"""What a reader could not read as cues, kept on the document so every front end reports it.

A reader that skips a block (or joins its text to a neighbour) records one `Skipped` per
block; `check` and `inspect` list them, `convert` warns on stderr and the window shows a
status-bar notice that opens the list. The full text of skipped blocks stays in `doc.notes`.
"""

from __future__ import annotations

import json

from editor.core.model import Document
from editor.core.records import record

KEY = "read.skipped"
# How many entries are kept (the notes say how many more there were).
MAX_ENTRIES = 200


@record(frozen=True, slots=True)
class Skipped:
    line: int | None  # 1-based line in the file read
    message: str

    def describe(self, path: str) -> str:
        """Return `path:line: message` (the line left out when unknown)."""
        where = f"{path}:{self.line}" if self.line is not None else path
        return f"{where}: {self.message}"


def record(doc: Document, items: list[Skipped]) -> None:
    """Store `items` on `doc` (replacing earlier ones; nothing is stored for none)."""
    if items:
        data = [[s.line, s.message] for s in items[:MAX_ENTRIES]]
        doc.metadata.extra[KEY] = json.dumps(data, ensure_ascii=False)
    else:
        doc.metadata.extra.pop(KEY, None)


def skipped(doc: Document) -> list[Skipped]:
    """Return what the reader of `doc` skipped or joined, in file order (empty when nothing)."""
    value = doc.metadata.extra.get(KEY)
    if not value:
        return []
    try:
        return [Skipped(line, str(message)) for line, message in json.loads(value)]
    except (ValueError, TypeError):
        return []
