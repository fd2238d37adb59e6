"""Every document the shared corpus holds (seeds, real-world files, bilingual pairs), opened as the
editor opens them: the inputs the fast-path tests compare with their plain versions."""

from __future__ import annotations

import pathlib

from editor.core import documents
from editor.core.errors import EditorError
from editor.core.model import Document

SHARED = pathlib.Path(__file__).resolve().parents[3] / "shared"


def shared_docs() -> list[Document]:
    """Return the corpus's documents that open (files our readers refuse are left out), and the
    first three bilingual pairs opened with their translation attached."""
    docs = []
    for folder in ("seeds", "realworld/files", "bilingual"):
        for path in sorted((SHARED / folder).rglob("*")):
            if path.is_file():
                try:
                    docs.append(documents.open_document(path))
                except (EditorError, OSError, ValueError):
                    continue
    for i in (1, 2, 3):
        en, zh = SHARED / "bilingual" / f"en_{i}.srt", SHARED / "bilingual" / f"zh_{i}.txt"
        if en.exists() and zh.exists():
            docs.append(documents.open_document(en, zh))
    return docs
