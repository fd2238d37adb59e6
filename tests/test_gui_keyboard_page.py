"""Preferences → Keyboard driven with key events: a rebound action answers its new key (and not
the old one), menus, tooltips, the F1 list and the tips follow, a taken key is refused with its
owner's name and can be moved over, reset restores, and the keys come back in a new window."""

from __future__ import annotations

import pytest
from conftest import make_window, seed_path
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from editor.qt.actions import SPECS, ActionId, shortcut_table
from editor.qt.settings import Key, Settings
from editor.qt.views.review_panel import ReviewMode

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _window(qtbot, tmp_path, monkeypatch):
    win = make_window(qtbot, tmp_path, monkeypatch)
    win.open_path(str(seed_path("000")), wait=True)
    qtbot.waitUntil(lambda: win._features_installed, timeout=5000)
    win.activateWindow()
    QTest.qWaitForWindowActive(win)
    return win


@pytest.fixture
def win(qtbot, tmp_path, monkeypatch):
    return _window(qtbot, tmp_path, monkeypatch)


def _page(win):
    """Open Edit → Preferences with its shortcut, as the user does, and return the Keyboard page."""
    QTest.keySequence(win.table_pane.view, QKeySequence("Ctrl+,"))
    dialog = win.preferences_dialog
    assert dialog.isVisible()
    page = dialog.pages["Keyboard"]
    dialog.tabs.setCurrentWidget(page)
    return dialog, page


def _press(page, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    page.editor.setFocus()
    QTest.keyClick(page.editor, key, modifiers)


def _select_first(win) -> int:
    first = win.controller.document.cues[0].id
    win.controller.select([first], first)
    win.table_pane.view.setFocus()
    return first


def test_a_rebound_action_answers_its_new_key_everywhere(win):
    dialog, page = _page(win)
    rows = {page.items[i].text(1) for i in page.items}
    assert {"Next Cue", "Play / Pause", "Spelling"} <= rows  # SPECS, playback, a feature's own
    assert len(page.items) >= len(SPECS)
    page.select("next_cue")
    assert page.editor.keySequence() == QKeySequence("Alt+Down")
    _press(page, Qt.Key.Key_J, CTRL_SHIFT)
    assert page.items["next_cue"].text(2) == QKeySequence("Ctrl+Shift+J").toString(
        QKeySequence.SequenceFormat.NativeText
    )
    assert page.items["next_cue"].font(2).bold()
    assert not page.conflict.isVisible()
    dialog.close()

    doc, view = win.controller.document, win.table_pane.view
    first = _select_first(win)
    QTest.keyClick(view, Qt.Key.Key_J, CTRL_SHIFT)
    assert win.controller.current_id == doc.cues[1].id
    win.controller.select([first], first)
    editor = win.edit_panel.text
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert win.controller.current_id == first  # the old key does nothing now
    QTest.keyClick(editor, Qt.Key.Key_J, CTRL_SHIFT)
    assert win.controller.current_id == doc.cues[1].id
    action = win.actions[ActionId.NEXT_CUE]
    assert action.shortcuts() == [QKeySequence("Ctrl+Shift+J")]  # what the menu shows
    assert action.toolTip().endswith("(Ctrl+Shift+J)")
    assert "Ctrl+Shift+J" in win.edit_panel.next_button.toolTip()
    assert ("Go", "Next Cue", "Ctrl+Shift+J") in shortcut_table()  # the F1 list
    assert Settings().get(Key.CUSTOM_KEYS) == {"next_cue": "Ctrl+Shift+J"}


def test_a_feature_action_rebound_shows_in_the_f1_list(win):
    dialog, page = _page(win)
    page.select("spelling")
    _press(page, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    dialog.close()
    assert ("Review", "Spelling…", "Shift+F6") in shortcut_table()
    assert not [row for row in shortcut_table() if row[2] == "Ctrl+F7"]


def test_searching_typing_and_escape_in_the_page(win):
    dialog, page = _page(win)
    assert page.current_id() == "open"
    page.search.setFocus()
    QTest.keyClicks(page.search, "next cue")
    # The action being edited is one the list shows, not Open hidden behind the search.
    assert page.current_id() == "next_cue"
    _press(page, Qt.Key.Key_T)  # a letter alone would be taken from every text box
    assert page.conflict.isVisible() and "types a character" in page.conflict.text()
    assert win.actions[ActionId.NEXT_CUE].shortcuts() == [QKeySequence("Alt+Down")]
    _press(page, Qt.Key.Key_T, Qt.KeyboardModifier.ShiftModifier)
    assert win.actions[ActionId.NEXT_CUE].shortcuts() == [QKeySequence("Alt+Down")]
    assert win.actions[ActionId.OPEN].shortcuts() == [QKeySequence("Ctrl+O")]
    _press(page, Qt.Key.Key_Escape)  # closes the dialog, records nothing
    assert not dialog.isVisible()
    assert win.actions[ActionId.NEXT_CUE].shortcuts() == [QKeySequence("Alt+Down")]


def test_playback_keys_are_rebindable_and_keep_the_media_keys(win):
    dialog, page = _page(win)
    page.select("play_pause")
    _press(page, Qt.Key.Key_F5)
    play = win.actions[ActionId.PLAY_PAUSE]
    assert QKeySequence("F5") in play.shortcuts()
    assert QKeySequence("Ctrl+Space") not in play.shortcuts()
    assert QKeySequence(Qt.Key.Key_MediaTogglePlayPause) in play.shortcuts()
    fired = []
    play.triggered.connect(lambda *_: fired.append(True))
    dialog.close()
    win.table_pane.view.setFocus()
    QTest.keyClick(win.table_pane.view, Qt.Key.Key_F5)
    assert fired


def test_a_taken_key_is_refused_with_its_owner_and_can_be_moved_over(win):
    dialog, page = _page(win)
    page.select("next_cue")
    _press(page, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # Play Current Cue's key
    assert page.conflict.isVisible()
    assert "Play Current Cue" in page.conflict.text()
    assert win.actions[ActionId.NEXT_CUE].shortcuts() == [QKeySequence("Alt+Down")]
    assert page.editor.keySequence() == QKeySequence("Alt+Down")
    assert page.use_here.isVisible()
    QTest.mouseClick(page.use_here, Qt.MouseButton.LeftButton)
    assert win.actions[ActionId.NEXT_CUE].shortcuts() == [QKeySequence("Ctrl+P")]
    assert win.actions[ActionId.PLAY_CUE].shortcuts() == []
    assert not page.conflict.isVisible()
    # A key that belongs to no listed action (Alt+1 assigns speaker 1) cannot be moved, nor one
    # the widgets answer themselves (Ctrl+Home: the table's first cue; Ctrl+C: copy).
    for key, modifiers in (
        (Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
    ):
        _press(page, key, modifiers)
        assert page.conflict.isVisible() and not page.use_here.isVisible()
        assert win.actions[ActionId.NEXT_CUE].shortcuts() == [QKeySequence("Ctrl+P")]
    dialog.close()


def test_reset_restores_and_the_keys_come_back_in_a_new_window(qtbot, tmp_path, monkeypatch, win):
    dialog, page = _page(win)
    page.select("find_next")
    _press(page, Qt.Key.Key_F4)
    page.select("redo")
    _press(page, Qt.Key.Key_F12)
    assert win.actions[ActionId.REDO].shortcuts() == [QKeySequence("F12")]
    QTest.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    assert win.actions[ActionId.REDO].shortcuts() == [QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")]
    assert not page.reset_button.isEnabled()
    assert Settings().get(Key.CUSTOM_KEYS) == {"find_next": "F4"}
    page.select("export")
    page.editor.clear()  # its clear button: no key at all
    QTest.qWait(10)
    assert win.actions[ActionId.EXPORT].shortcuts() == []
    assert page.items["export"].text(2) == ""
    dialog.close()

    second = _window(qtbot, tmp_path, monkeypatch)
    assert second.actions[ActionId.FIND_NEXT].shortcuts() == [QKeySequence("F4")]
    assert second.actions[ActionId.EXPORT].shortcuts() == []
    dialog2, page2 = _page(second)
    assert page2.items["find_next"].font(2).bold()
    QTest.mouseClick(page2.reset_all_button, Qt.MouseButton.LeftButton)
    assert second.actions[ActionId.FIND_NEXT].shortcuts() == [QKeySequence("F3")]
    assert Settings().get(Key.CUSTOM_KEYS) == {}
    assert ("Edit", "Find Next", "F3") in shortcut_table()
    dialog2.close()


def test_review_keys_follow_a_rebinding_in_the_review_editors(win):
    from editor.core import edits
    from editor.core.model import Review

    doc = win.controller.document
    for cue in doc.cues[:4]:
        win.controller.apply(edits.set_field(cue.id, "translation", "译文"), "t")
        win.controller.apply(edits.set_field(cue.id, "review", Review.NEEDS_REVIEW), "r")
    dialog, page = _page(win)
    page.select("mark_reviewed")
    _press(page, Qt.Key.Key_F4)
    dialog.close()
    first = doc.cues[0].id
    win.controller.select([first], first)
    win.actions[ActionId.REVIEW_MODE].trigger()
    panel = win.parts[ReviewMode].panel
    assert "F4" in panel.reviewed_button.toolTip()
    assert "F4 marks reviewed" in win.statusBar().currentMessage()
    editor = panel.translation
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert doc.cue(first).review == Review.NEEDS_REVIEW  # the old key marks nothing
    QTest.keyClick(editor, Qt.Key.Key_F4)
    assert doc.cue(first).review == Review.REVIEWED
    assert doc.cue(doc.cues[1].id).review == Review.NEEDS_REVIEW  # once, not twice
    assert win.controller.current_id == doc.cues[1].id


def test_the_problem_count_button_names_the_key_next_problem_has(win):
    assert win.status_qc.toolTip().endswith("(F8)")
    dialog, page = _page(win)
    page.select("next_problem")
    _press(page, Qt.Key.Key_P, CTRL_SHIFT)
    dialog.close()
    assert win.status_qc.toolTip().endswith("(Ctrl+Shift+P)")


def test_without_keys_of_the_users_the_bindings_are_read_when_first_needed(win):
    from editor.qt.views.keyboard_page import Keymap

    keymap = win.parts[Keymap]
    assert keymap._bindings is None  # the default keys: nothing was read at launch
    assert win.actions[ActionId.FIND_NEXT].shortcuts() == [QKeySequence("F3")]
    bindings = keymap.bindings  # read now, as the Keyboard page does
    assert keymap.bindings is bindings
    assert (
        bindings["find_next"].default == "F3"
        and bindings["find_next"].action is win.actions[ActionId.FIND_NEXT]
    )
    assert "glossary_panel" in bindings and "spelling" in bindings  # the features' own actions too
    again = keymap._read_bindings()
    assert [(b.id, b.menu, b.label, b.default, b.extra) for b in again.values()] == [
        (b.id, b.menu, b.label, b.default, b.extra) for b in bindings.values()
    ]
    dialog, page = _page(win)
    assert page.items["find_next"].text(2) == "F3"
    dialog.close()
