"""QUndoCommand around a core edit: the only way the GUI changes a document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from editor.core import edits

if TYPE_CHECKING:
    from editor.qt.controller import Controller


class EditCommand(QUndoCommand):
    """Applies a core edit on redo and its inverse on undo.

    `merge_key` lets a burst of typing into one cell collapse into a single undo
    step: consecutive commands with the same key merge (QUndoCommand.mergeWith).
    """

    _MERGE_ID = 1

    def __init__(
        self,
        controller: Controller,
        edit: edits.Edit,
        text: str,
        merge_key: object = None,
        applied: tuple[edits.Edit, edits.ChangeSet] | None = None,
    ):
        super().__init__(text)
        self._controller = controller
        self._edit = edit
        self._merge_key = merge_key
        # The controller applies the edit before pushing (so a refused edit never
        # reaches the stack); QUndoStack.push then calls redo once more, which we skip.
        self._pending = applied
        self._inverse: edits.Edit | None = applied[0] if applied else None

    @property
    def edit(self) -> edits.Edit:
        """The forward edit (what redo applies)."""
        return self._edit

    @property
    def merge_key(self) -> object:
        """The key consecutive commands merge on (None: never merges)."""
        return self._merge_key

    def id(self) -> int:
        return self._MERGE_ID if self._merge_key is not None else -1

    def redo(self) -> None:
        if self._pending is not None:
            changes = self._pending[1]
            self._pending = None
            self._controller.emit_changed(changes)
            return
        self._controller.revision += 1
        self._inverse, changes = edits.apply(self._controller.document, self._edit)
        self._controller.emit_changed(changes)

    def undo(self) -> None:
        assert self._inverse is not None
        self._controller.revision += 1
        self._edit, changes = edits.apply(self._controller.document, self._inverse)
        self._controller.emit_changed(changes)

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCommand) or other.merge_key != self._merge_key:
            return False
        # Keep our inverse (the state before the burst); take the other's forward edit.
        self._edit = edits.Batch([self._edit, other.edit])
        return True
