"""TMPlayer (.txt): `H:MM:SS:text` lines (also `HH:MM:SS=text`), read only.

Each line is a cue that starts at its time; `|` is a line break. The format has no end
times: a cue ends where the next one starts, at most after the time its text takes to read
(editor.core.transcripts.estimate_duration_ms, with a one-second floor), so its timing is
marked estimated. Lines with a negative time (gaupol writes `-00:00:07:`) cannot be shown
by any player: they are skipped, listed in `doc.notes` and reported. Consecutive lines with
one time (TMPlayer's multi-line form) make one cue.
"""

from __future__ import annotations

import re

from editor.core import textio
from editor.core.errors import ParseError
from editor.core.formats import ModuleFormat, ReadOptions, readlog
from editor.core.model import Cue, Document, Timing
from editor.core.transcripts import estimate_duration_ms

_LINE_RE = re.compile(r"[ \t]*(-?)(\d{1,3}):(\d{1,2}):(\d{1,2})(?:[:=]|,\d=)(.*)")
_GUESS_CHARS = 65_536
_MIN_MS = 1000
_MAX_MS = 7000


def guess(text: str) -> int:
    """Return 75 when most non-blank lines are TMPlayer lines (and at least two), else 0."""
    sample = text[:_GUESS_CHARS].lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line for line in sample.split("\n")[:200] if line.strip()]
    if "-->" in sample or len(lines) < 2:
        return 0
    hits = sum(1 for line in lines if _LINE_RE.fullmatch(line))
    return 75 if hits >= 2 and hits * 10 >= len(lines) * 9 else 0


def read(text: str, options: ReadOptions | None = None) -> Document:
    """Return a Document of TMPlayer `text`. Raises ParseError when no line is a TMPlayer line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").replace("\x00", "\ufffd")
    entries: list[tuple[int, int, str]] = []  # (line, start ms, text)
    skipped: list[readlog.Skipped] = []
    noted: list[str] = []
    for number, line in enumerate(textio.split_lines(text), start=1):
        if not line.strip():
            continue
        m = _LINE_RE.fullmatch(line)
        if m is None:
            skipped.append(readlog.Skipped(number, "line skipped: not 'H:MM:SS:text'"))
            noted.append(f"- line {number}: {line.strip()[:300]}")
            continue
        sign, h, mi, s, body = m.groups()
        body = "\n".join(part.strip() for part in body.split("|")).strip("\n")
        start = ((int(h) * 60 + int(mi)) * 60 + int(s)) * 1000
        if sign:
            skipped.append(readlog.Skipped(number, "line skipped: negative time (no player shows it)"))
            noted.append(f"- line {number}: {line.strip()[:300]}")
            continue
        if entries and entries[-1][1] == start:
            entries[-1] = (entries[-1][0], start, f"{entries[-1][2]}\n{body}".strip("\n"))
        else:
            entries.append((number, start, body))
        if len(entries) > textio.MAX_CUES:
            raise textio.too_many_cues(number)
    if not entries:
        first = skipped[0].line if skipped else None
        raise ParseError("no TMPlayer line found ('H:MM:SS:text')", first)
    doc = Document()
    for k, (_, start, body) in enumerate(entries):
        end = start + min(_MAX_MS, max(_MIN_MS, estimate_duration_ms(body)))
        if k + 1 < len(entries):
            end = min(end, entries[k + 1][1]) if entries[k + 1][1] > start else end
        doc.append(Cue(k + 1, start, end, body, timing=Timing.ESTIMATED))
    if noted:
        doc.notes = "TMPlayer: skipped line(s):\n" + "\n".join(noted)
    readlog.record(doc, skipped)
    return doc


FORMAT = ModuleFormat("tmplayer", "TMPlayer", __name__, can_write=False)
