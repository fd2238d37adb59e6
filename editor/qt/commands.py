"""QUndoCommand around a core edit: the only way the GUI changes a document."""

from __future__ import annotations

import weakref
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
        # Weak: the stack holding this command is the controller's child. A strong reference made
        # a cycle through C++ that the collector broke in any order, and deleting the controller
        # then deleted the stack's commands after their Python halves were gone (a segfault).
        self._controller_ref = weakref.ref(controller)
        self._edit = edit
        self._merge_key = merge_key
        # The controller applies the edit before pushing (so a refused edit never
        # reaches the stack); QUndoStack.push then calls redo once more, which we skip.
        self._pending = applied
        self._inverse: edits.Edit | None = applied[0] if applied else None

    @property
    def _controller(self) -> Controller:
        controller = self._controller_ref()
        assert controller is not None, "the undo stack outlived its controller"
        return controller

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
