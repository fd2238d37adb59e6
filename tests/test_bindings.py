"""The window's editing commands alone (editor.qt.bindings): each action asks the core for one
operation, applies it as one undo step and moves the selection, with no window around."""

from __future__ import annotations

import pytest
from conftest import seed_path

from editor.core import documents
from editor.core.formats import ReadOptions
from editor.qt.actions import ActionId
from editor.qt.bindings import Commands
from editor.qt.controller import Controller
from editor.qt.cue_model import QcTracker
from editor.qt.settings import Settings

SRT = (
    "1\n00:00:01,000 --> 00:00:03,000\nHello there, my friend.\n\n"
    "2\n00:00:02,500 --> 00:00:05,000\nThe second cue overlaps.\n\n"
    "3\n00:00:06,000 --> 00:00:08,000\nThird.\n\n"
)


class FakeUI:
    def __init__(self) -> None:
        self.messages: list[str] = []
        self.text_pos: int | None = None
        self.translation_pos: int | None = None
        self.focused = 0

    def show_message(self, text: str, timeout_ms: int = 8000) -> None:
        self.messages.append(text)

    def text_cursor_position(self) -> int | None:
        return self.text_pos

    def translation_cursor_position(self) -> int | None:
        return self.translation_pos

    def focus_text(self) -> None:
        self.focused += 1


@pytest.fixture
def commands(qtbot, tmp_path):
    path = tmp_path / "a.srt"
    path.write_text(SRT, encoding="utf-8")
    controller = Controller(documents.load(path))
    qc = QcTracker(controller)
    return Commands(controller, Settings(), qc, FakeUI())


def _texts(commands: Commands) -> list[str]:
    return [c.text for c in commands.controller.document.cues]


def test_every_handler_is_an_editing_action():
    handlers = Commands.handlers(Commands.__new__(Commands))
    assert ActionId.SPLIT in handlers and ActionId.OPEN not in handlers and ActionId.SHIFT not in handlers


def test_insert_after_selects_the_new_cue_and_puts_the_keyboard_in_its_text(commands):
    c = commands.controller
    first = c.document.cues[0].id
    c.select([first], first)
    commands.handlers()[ActionId.INSERT_AFTER]()
    assert len(c.document) == 4
    new = c.document.cues[1].id
    assert c.current_id == new and commands.ui.focused == 1
    c.undo_stack.undo()
    assert len(c.document) == 3


def test_split_cuts_at_the_text_cursor_or_in_the_middle(commands):
    c = commands.controller
    first = c.document.cues[0].id
    c.select([first], first)
    commands.ui.text_pos = len("Hello there,")
    commands.split_cue()
    assert _texts(commands)[:2] == ["Hello there,", "my friend."]
    assert c.current_id == c.document.cues[1].id
    c.undo_stack.undo()
    c.select([first], first)
    commands.ui.text_pos = None  # the cursor is elsewhere: the core picks a cut near the middle
    commands.split_cue()
    assert len(c.document) == 4 and "".join(_texts(commands)[:2]).replace(" ", "") == "Hellothere,myfriend."


def test_merge_with_the_next_and_nothing_after_the_last(commands):
    c = commands.controller
    last = c.document.cues[-1].id
    c.select([last], last)
    commands.merge_cues()
    assert commands.ui.messages[-1] == "No next cue to merge with." and len(c.document) == 3
    first = c.document.cues[0].id
    c.select([first], first)
    commands.merge_cues()
    assert len(c.document) == 2 and c.current_id == first
    assert c.undo_stack.count() == 1


def test_delete_selects_the_cue_that_took_the_place(commands):
    c = commands.controller
    second, third = c.document.cues[1].id, c.document.cues[2].id
    c.select([second], second)
    commands.delete_cues()
    assert c.current_id == third


def test_fix_overlaps_uses_the_source_style_gap(commands):
    c = commands.controller
    commands.fix_overlaps()
    cues = c.document.cues
    assert cues[0].end_ms + commands.source_style().min_gap_ms <= cues[1].start_ms
    commands.fix_overlaps()  # nothing left to fix: no empty undo step
    assert c.undo_stack.count() == 1 and commands.ui.messages[-1] == "Nothing to change."


def test_next_problem_names_the_problem(commands):
    c = commands.controller
    commands.next_problem()
    assert c.current_id in (c.document.cues[0].id, c.document.cues[1].id)  # the overlapping pair
    assert "overlap" in commands.ui.messages[-1].lower()


def test_speaker_by_number_and_shift_of_all(qtbot):
    doc = documents.load(seed_path("001"), options=ReadOptions(merge_speaker_spellings=False))
    controller = Controller(doc)
    commands = Commands(controller, Settings(), QcTracker(controller), FakeUI())
    first = doc.cues[0].id
    controller.select([first], first)
    speakers = list(doc.speakers.values())
    commands.assign_speaker_number(2)
    assert doc.cue(first).speaker_id == speakers[1].id
    commands.assign_speaker_number(len(speakers) + 1)
    assert commands.ui.messages[-1] == f"There is no speaker {len(speakers) + 1}."
    starts = [c.start_ms for c in doc.cues]
    commands.shift(None, 1500)
    assert [c.start_ms for c in doc.cues] == [s + 1500 for s in starts]


def test_previous_problem_walks_back_and_wraps(commands):
    c = commands.controller
    last = c.document.cues[-1].id
    c.select([last], last)
    commands.handlers()[ActionId.PREV_PROBLEM]()
    assert c.current_id == c.document.cues[0].id  # the cue that overlaps the next
    assert "overlap" in commands.ui.messages[-1].lower()
    first = c.document.cues[0].id
    c.select([first], first)
    found = commands.go_to_problem(-1, lambda p: p.check == "no such check", "none here")
    assert not found and commands.ui.messages[-1] == "none here" and c.current_id == first
