"""Per-cue notes typed as a reviewer does: in the edit panel and the review panel, each note one
undo step, marked in the table (✎ and the note as the # cell's tooltip), filtered ("With notes"),
and written out as a WebVTT NOTE."""

from __future__ import annotations

import pytest
from conftest import make_window, seed_path
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from editor.core import documents, edits
from editor.qt.actions import ActionId
from editor.qt.cue_model import NOTE_MARK, Column
from editor.qt.views.cue_note import CueNotes


@pytest.fixture
def win(qtbot, tmp_path, monkeypatch):
    window = make_window(qtbot, tmp_path, monkeypatch)
    window.open_path(str(seed_path("000")), wait=True)
    qtbot.waitUntil(lambda: window._features_installed, timeout=5000)
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    return window


def _number_cell(win, row: int):
    model = win.table_pane.model
    return model.paint_data(row, Column.NUMBER)[0], model.index(row, Column.NUMBER).data(
        Qt.ItemDataRole.ToolTipRole
    )


def test_a_note_typed_in_the_edit_panel_is_one_undo_step_and_shows_in_the_table(win):
    doc, stack = win.controller.document, win.controller.undo_stack
    third = doc.cues[2]
    win.controller.select([third.id], third.id)
    field = win.parts[CueNotes].edit.edit
    assert field.isVisibleTo(win) and field.text() == ""
    field.setFocus()
    QTest.keyClicks(field, "Is it McGrew or MacGrew?")
    assert doc.cue(third.id).note == ""  # nothing applied while typing
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert doc.cue(third.id).note == "Is it McGrew or MacGrew?"
    assert stack.count() == 1 and stack.undoText() == "Set note"
    text, tip = _number_cell(win, 2)
    assert text == f"{NOTE_MARK}3" and "Is it McGrew or MacGrew?" in tip
    assert _number_cell(win, 1)[0] == "2"
    # The review panel's field too.
    assert win.parts[CueNotes].review.edit.text() == "Is it McGrew or MacGrew?"
    rendered = documents.render(doc, "vtt")
    assert "NOTE Is it McGrew or MacGrew?" in rendered
    stack.undo()
    assert doc.cue(third.id).note == "" and field.text() == ""
    assert _number_cell(win, 2)[0] == "3"
    stack.redo()
    assert field.text() == "Is it McGrew or MacGrew?"


def test_a_note_typed_then_alt_down_goes_to_the_cue_it_was_typed_for(win):
    doc = win.controller.document
    first, second = doc.cues[0].id, doc.cues[1].id
    win.controller.select([first], first)
    field = win.parts[CueNotes].edit.edit
    field.setFocus()
    QTest.keyClicks(field, "timing feels late")
    QTest.keyClick(field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert win.controller.current_id == second
    assert doc.cue(first).note == "timing feels late"
    assert doc.cue(second).note == "" and field.text() == ""
    # Esc puts the stored note back instead of applying the typed one.
    QTest.keyClicks(field, "never mind")
    QTest.keyClick(field, Qt.Key.Key_Escape)
    assert field.text() == ""
    field.clearFocus()
    assert doc.cue(second).note == ""
    assert win.controller.undo_stack.count() == 1


def test_the_review_panel_note_and_the_with_notes_filter(win):
    doc, stack = win.controller.document, win.controller.undo_stack
    target = doc.cues[5]
    win.controller.select([target.id], target.id)
    win.actions[ActionId.REVIEW_MODE].trigger()
    field = win.parts[CueNotes].review.edit
    assert field.isVisible()
    field.setFocus()
    QTest.keyClicks(field, "ask the client")
    QTest.keyClick(field, Qt.Key.Key_Tab)  # leaving the field keeps the note
    assert doc.cue(target.id).note == "ask the client"
    assert stack.count() == 1
    assert win.parts[CueNotes].edit.edit.text() == "ask the client"
    # A multi-line note (a WebVTT NOTE block) shows its breaks and keeps them when edited.
    other = doc.cues[9]
    win.controller.apply(edits.set_field(other.id, "note", "a\nb"), "n")
    win.controller.select([other.id], other.id)
    assert field.text() == "a ⏎ b"
    field.setFocus()
    field.end(False)
    QTest.keyClicks(field, "c")
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert doc.cue(other.id).note == "a\nbc"

    bar, view = win.table_pane.filter_bar, win.table_pane.view
    QTest.mouseClick(bar.notes, Qt.MouseButton.LeftButton)
    assert bar.notes.isChecked()
    assert view.model().rowCount() == 2
    QTest.mouseClick(bar.notes, Qt.MouseButton.LeftButton)
    assert view.model().rowCount() == len(doc)
