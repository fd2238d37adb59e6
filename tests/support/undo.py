"""Apply an edit, undo it and redo it, checking each step restores the document exactly."""

from __future__ import annotations

from editor.core import edits
from editor.core.model import Document


def apply_undo_redo(doc: Document, edit: edits.Edit) -> None:
    """Apply `edit`; its inverse must give back the document as it was, and the inverse's
    inverse the edited one (the document is left edited)."""
    before = doc.snapshot()
    inverse, _ = edits.apply(doc, edit)
    after = doc.snapshot()
    redo, _ = edits.apply(doc, inverse)
    assert doc.snapshot() == before
    edits.apply(doc, redo)
    assert doc.snapshot() == after
