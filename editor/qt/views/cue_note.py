"""Per-cue notes: a reviewer's comment tied to a line (Cue.note, kept in .cueline and as a WebVTT
NOTE block before the cue).

A note field sits in the edit panel and in the review panel, both on the current cue. Typing in
it changes nothing yet; Enter, leaving the field or moving to another cue (Alt+↓ from the field)
applies it as one undo step built by the core (operations.set_note). Esc puts the stored note
back. A note of several lines shows its breaks as "⏎" and keeps them. The table marks a cue
with a note with ✎ in its # cell (the note is that cell's tooltip), and its filter bar shows
only cues with notes ("With notes").
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from editor.core.edits import ChangeSet
from editor.core.errors import EditorError
from editor.core.records import record
from editor.qt.controller import Controller
from editor.qt.core_modules import operations as _operations
from editor.qt.host import Feature, Host
from editor.qt.views.clear_button import clear_button_when_text
from editor.qt.views.review_panel import ReviewMode

BREAK = " ⏎ "  # how a line break of a note shows in the one-line field


def shown(note: str) -> str:
    """Return a note as the one-line field shows it."""
    return note.replace("\n", BREAK)


def stored(text: str) -> str:
    """Return the note a field's text stands for (its ⏎ marks are line breaks)."""
    return text.replace(BREAK, "\n").replace("⏎", "\n")


class NoteField(QWidget):
    """ "Note:" and a line edit for the controller's current cue. `message(str)`: a refused edit."""

    message = Signal(str)

    def __init__(self, controller: Controller, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.cue_id: int | None = None
        self.setObjectName(name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self.tr("N&ote:"), self)
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"{name}Edit")
        self.edit.setAccessibleName(self.tr("Cue note"))
        self.edit.setPlaceholderText(self.tr("A note for this cue (a reviewer's comment, a question)…"))
        clear_button_when_text(self.edit)
        self.edit.setToolTip(self.tr("Enter or leaving the field keeps it; Esc puts the note back"))
        self.label.setBuddy(self.edit)
        layout.addWidget(self.label)
        layout.addWidget(self.edit, 1)
        self.edit.editingFinished.connect(self.commit)
        self.edit.installEventFilter(self)
        controller.selection_changed.connect(self._on_selection)
        controller.changed.connect(self._on_changed)
        controller.document_replaced.connect(self._on_replaced)
        self.show_cue(controller.current_id)

    def show_cue(self, cue_id: int | None) -> None:
        doc = self.controller.document
        if cue_id is not None and not doc.has_cue(cue_id):
            cue_id = None
        self.cue_id = cue_id
        note = doc.cue(cue_id).note if cue_id is not None else ""
        self.edit.setEnabled(cue_id is not None)
        if self.edit.text() != shown(note) or self.edit.isModified():
            self.edit.setText(shown(note))
        self.edit.setModified(False)

    def commit(self) -> bool:
        """Apply the typed note to its cue (one undo step); False when nothing changed or refused."""
        if not self.edit.isModified() or self.cue_id is None:
            return False
        self.edit.setModified(False)
        doc = self.controller.document
        if not doc.has_cue(self.cue_id):
            return False
        note = stored(self.edit.text())
        try:
            edit = _operations().set_note(doc, self.cue_id, note)
            if _operations().tidy_note(note) == doc.cue(self.cue_id).note:
                return False
            label = self.tr("Set note") if note.strip() else self.tr("Remove note")
            self.controller.apply(edit, label)
        except (EditorError, KeyError) as exc:
            self.message.emit(str(exc))
            return False
        return True

    def _on_selection(self, _ids: list, current: int | None) -> None:
        if current != self.cue_id:
            self.commit()  # typed, then moved on (Alt+↓): the note goes to the cue it was typed for
        self.show_cue(current)

    def _on_changed(self, changes: ChangeSet) -> None:
        if self.cue_id is None or changes.structure or self.cue_id in changes.cue_ids:
            if not self.edit.isModified():
                self.show_cue(self.controller.current_id)

    def _on_replaced(self) -> None:
        self.edit.setModified(False)
        self.show_cue(None)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.edit and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            if self.edit.isModified():
                self.edit.setModified(False)
                self.show_cue(self.cue_id)
                return True
        return super().eventFilter(obj, event)


def install(window: Host) -> None:
    """Add the note field under the edit panel's texts and the review panel's."""
    panel = window.edit_panel
    edit_note = NoteField(window.controller, "editNote", panel)
    edit_note.message.connect(window.show_message)
    panel.layout().addWidget(edit_note)
    review = window.parts.get(ReviewMode)
    review_note = None
    if review is not None:
        review_note = NoteField(window.controller, "reviewNote", review.panel)
        review_note.message.connect(window.show_message)
        layout = review.panel.layout()
        # Under the texts, above the problems and the buttons.
        layout.insertWidget(min(2, layout.count()), review_note)
    window.parts.add(CueNotes(edit_note, review_note))


@record(frozen=True)
class CueNotes:
    """The note fields: under the edit panel's texts, and under the review panel's (when review
    mode is installed)."""

    edit: NoteField
    review: NoteField | None


FEATURE = Feature("cue_note", install, after=("review",))
