"""The undo stack's commands and the controller they edit through, when Python collects them."""

from __future__ import annotations

import gc

from conftest import seed_path

from editor.core import documents
from editor.core.formats import ReadOptions
from editor.qt.bindings import Commands
from editor.qt.controller import Controller
from editor.qt.cue_model import QcTracker
from editor.qt.settings import Settings


class _UI:
    def show_message(self, text: str, timeout_ms: int = 8000) -> None:
        pass

    def text_cursor_position(self) -> int | None:
        return None

    def translation_cursor_position(self) -> int | None:
        return None

    def focus_text(self) -> None:
        pass


def _edit_and_drop() -> None:
    doc = documents.load(seed_path("001"), options=ReadOptions(merge_speaker_spellings=False))
    controller = Controller(doc)
    commands = Commands(controller, Settings(), QcTracker(controller), _UI())
    first = doc.cues[0].id
    controller.select([first], first)
    commands.assign_speaker_number(2)
    commands.shift(None, 1500)
    controller.undo_stack.undo()


def test_a_controller_with_undo_history_is_collected_without_a_crash(qtbot):
    # The controller, its command bindings and QC tracker end in reference cycles (signals to bound
    # methods) that only the cyclic collector frees; it then deletes the controller's stack and the
    # stack's commands. While commands held the controller strongly, the collector freed their
    # Python halves first and QUndoStack::clear crashed the process on them.
    for _ in range(3):
        _edit_and_drop()
        gc.collect()
