"""Every route to one intent gives the core's answer: a time set by hand in the table, the
edit panel, with F9/F10, a nudge or a timeline drag confirms the cue; a translation typed in
the table, the edit panel or the review panel gets the same review state; a speaker typed in
the table or the edit panel is the same speaker."""

from __future__ import annotations

import pytest
from conftest import seed_path
from PySide6.QtCore import QPoint, Qt

from editor.core import operations
from editor.core.model import Review, Timing
from editor.qt.actions import ActionId
from editor.qt.cue_model import Column
from editor.qt.views.review_panel import ReviewMode


@pytest.fixture
def opened(window):
    """Seed 000 (a transcript: every cue's timing estimated) with seed 001 as its translation."""
    window.open_path(str(seed_path("000")), str(seed_path("001")), wait=True)
    doc = window.controller.document
    assert all(c.timing == Timing.ESTIMATED for c in doc.cues[:10])
    return window


def _select(win, row: int) -> int:
    cue_id = win.controller.document.cues[row].id
    win.controller.select([cue_id], cue_id)
    return cue_id


def test_table_time_confirms(opened):
    win = opened
    doc, model = win.controller.document, win.table_pane.model
    cue = doc.cues[2]
    assert model.setData(model.index(2, Column.START), "0:00:00.500")
    assert (cue.start_ms, cue.timing) == (500, Timing.EXACT)


def test_edit_panel_time_confirms(qtbot, opened):
    win = opened
    cue_id = _select(win, 3)
    panel = win.edit_panel
    panel.end.setText("0:10:00.000")
    panel.end.editingFinished.emit()
    cue = win.controller.document.cue(cue_id)
    assert (cue.end_ms, cue.timing) == (600_000, Timing.EXACT)


@pytest.mark.parametrize(
    "action_id",
    [
        ActionId.SET_START_AT_PLAYHEAD,
        ActionId.SET_END_AT_PLAYHEAD,
        ActionId.NUDGE_START_LATER_FRAME,
        ActionId.NUDGE_END_EARLIER_FRAME,
        ActionId.NUDGE_START_EARLIER,
        ActionId.NUDGE_END_LATER,
    ],
)
def test_timing_by_ear_keys_confirm(opened, action_id):
    win = opened
    doc = win.controller.document
    cue_id = _select(win, 4)
    cue = doc.cue(cue_id)
    # The timeline's playhead (no media here) inside the cue.
    win.ensure_timeline().set_playhead_ms((cue.start_ms + cue.end_ms) // 2)
    before = (cue.start_ms, cue.end_ms)
    win.actions[action_id].trigger()
    assert (cue.start_ms, cue.end_ms) != before
    assert cue.timing == Timing.EXACT
    win.controller.undo_stack.undo()
    assert (cue.start_ms, cue.end_ms, cue.timing) == (*before, Timing.ESTIMATED)


@pytest.mark.parametrize("part", ["edge", "body"])
def test_timeline_drag_confirms(qtbot, opened, part):
    win = opened
    view = win.ensure_timeline()
    doc = win.controller.document
    cue = doc.cues[1]
    if part == "body":  # transcript cues are chained: make room before it to move into
        prev = doc.cues[0]
        room = operations.retime(doc, {prev.id: (prev.start_ms, prev.end_ms - 1000)}, by_user=False)
        win.controller.apply(room, "room")
    view.set_scale(max(0, cue.start_ms - 2000), 10.0)
    qtbot.wait(50)
    rect = view.cue_rect(cue.id)
    y = int(rect.center().y())
    x = int(rect.right()) - 1 if part == "edge" else int(rect.center().x())
    before = (cue.start_ms, cue.end_ms)
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    qtbot.mouseMove(vp, QPoint(x - 10, y))
    qtbot.mouseMove(vp, QPoint(x - 20, y))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=QPoint(x - 20, y))
    assert (cue.start_ms, cue.end_ms) != before
    assert cue.timing == Timing.EXACT
    if part == "body":
        assert cue.end_ms - cue.start_ms == before[1] - before[0]


def test_table_translation_review_state(opened):
    win = opened
    doc, model = win.controller.document, win.table_pane.model
    assert doc.cues[5].review == Review.NEEDS_REVIEW
    assert model.setData(model.index(5, Column.TRANSLATION), "")
    assert doc.cues[5].review == Review.UNTRANSLATED
    assert model.setData(model.index(5, Column.TRANSLATION), "新的翻译")
    assert doc.cues[5].review == Review.NEEDS_REVIEW


def test_edit_panel_translation_review_state(qtbot, opened):
    win = opened
    doc = win.controller.document
    cue_id = _select(win, 6)
    win.edit_panel.translation.setPlainText("")
    assert doc.cue(cue_id).review == Review.UNTRANSLATED
    win.edit_panel.translation.setPlainText("新的翻译")
    assert doc.cue(cue_id).review == Review.NEEDS_REVIEW


def test_review_panel_translation_of_a_reviewed_cue_needs_review_again(qtbot, opened):
    win = opened
    doc = win.controller.document
    cue = next(c for c in doc.cues if c.translation.strip())
    cue.review = Review.REVIEWED
    win.controller.select([cue.id], cue.id)
    win.actions[ActionId.REVIEW_MODE].trigger()
    panel = win.parts[ReviewMode].panel
    assert panel.cue_id == cue.id
    panel.translation.setPlainText(cue.translation + "！")
    assert doc.cue(cue.id).review == Review.NEEDS_REVIEW


def test_speaker_by_name_from_table_and_edit_panel(qtbot, opened):
    win = opened
    doc, model = win.controller.document, win.table_pane.model
    assert model.setData(model.index(0, Column.SPEAKER), "Narrator")
    narrator = doc.speaker_by_name("Narrator")
    assert narrator is not None and doc.cues[0].speaker_id == narrator.id
    _select(win, 1)
    win.edit_panel.speaker.setCurrentText("Narrator")
    win.edit_panel.speaker.lineEdit().editingFinished.emit()
    assert doc.cues[1].speaker_id == narrator.id
    assert sum(1 for s in doc.speakers.values() if s.name == "Narrator") == 1
