"""Owns the Document and the QUndoStack; the only object that changes the document."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from editor.core import edits, runtime
from editor.core.edits import ChangeSet
from editor.core.model import Document
from editor.core.style import SOURCE, TRANSLATION, StyleProfile, StyleSettings, profile_for_text
from editor.qt.commands import EditCommand


class Controller(QObject):
    """Signals:
    - changed(ChangeSet): after every edit, undo and redo; views refresh what it names.
    - document_replaced(): a new document was opened; views reset completely.
    - selection_changed(list[int], int|None): selected cue ids and the current cue id.
    - styles_changed(): the user's style settings changed (limits apply anew everywhere).
    """

    changed = Signal(object)
    document_replaced = Signal()
    selection_changed = Signal(list, object)
    styles_changed = Signal()

    def __init__(self, document: Document | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document or Document()
        self.undo_stack = QUndoStack(self)
        self.selected_ids: list[int] = []
        self.current_id: int | None = None
        # Bumped before every change to the document, so background readers (autosave)
        # can tell whether the document changed while they were reading it.
        self.revision = 0
        self.styles = StyleSettings()

    # -- style limits -------------------------------------------------------------
    def set_styles(self, styles: StyleSettings) -> None:
        """Use the user's style settings from now on (emits styles_changed when they differ)."""
        if styles != self.styles:
            self.styles = styles
            self.styles_changed.emit()

    def style(self, track: str = SOURCE, text: str = "") -> StyleProfile:
        """Return the style profile of a track of the document (by its language; when that
        is unknown, by the script of `text`)."""
        doc = self.document
        language = doc.translation_language if track == TRANSLATION else doc.source_language
        return profile_for_text(language, text, self.styles, track)

    # -- documents ------------------------------------------------------------
    def set_document(self, document: Document) -> None:
        """Replace the document (open/new); clears undo history and selection."""
        self.revision += 1
        self.document = document
        # What the views do for a new document (the table's reset and column fit, the timeline's
        # index, the edit panel) is one long step of Python: runtime.long_gui_step.
        with runtime.long_gui_step():
            self.undo_stack.clear()
            self.undo_stack.setClean()
            self.selected_ids = []
            self.current_id = None
            self.document_replaced.emit()
            self.selection_changed.emit([], None)

    # -- editing -----------------------------------------------------------------
    def apply(self, edit: edits.Edit, text: str, merge_key: object = None) -> None:
        """Apply a core edit as one undo step named `text`.

        Raises ValidationError/KeyError from the core before anything changes; the
        caller shows it. `merge_key` merges consecutive steps (typing bursts).
        """
        self.revision += 1
        applied = edits.apply(self.document, edit)
        self.undo_stack.push(EditCommand(self, edit, text, merge_key, applied))

    def emit_changed(self, changes: ChangeSet) -> None:
        """Tell the views what an edit, its undo or its redo changed (the undo commands call it)."""
        if changes.removed:
            self.selected_ids = [i for i in self.selected_ids if i not in changes.removed]
            if self.current_id in changes.removed:
                self.current_id = self.selected_ids[0] if self.selected_ids else None
        self.changed.emit(changes)

    # -- selection ---------------------------------------------------------------
    def select(self, cue_ids: list[int], current: int | None = None) -> None:
        """Set the selection (shared by table, timeline and edit panel)."""
        current = current if current is not None else (cue_ids[0] if cue_ids else None)
        if cue_ids == self.selected_ids and current == self.current_id:
            return
        self.selected_ids = list(cue_ids)
        self.current_id = current
        self.selection_changed.emit(self.selected_ids, self.current_id)
