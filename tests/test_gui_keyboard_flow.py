"""Keyboard routes driven with real key events: the caret after Alt+↓/↑, every listed shortcut
reaching its action, Go to Cue, Ctrl+Home/End, estimated-timing navigation, focus after dialogs."""

from __future__ import annotations

import pytest
from conftest import make_window, seed_copy
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QMessageBox

from editor.core.model import Timing
from editor.qt.actions import SPECS, ActionId, key_sequences, shortcut_table


@pytest.fixture
def win(qtbot, tmp_path, monkeypatch):
    window = make_window(qtbot, tmp_path, monkeypatch)
    # A copy: the shortcut test presses Ctrl+S, which saves over the file that is open.
    window.open_path(str(seed_copy("000", tmp_path)), wait=True)
    qtbot.waitUntil(lambda: window._features_installed, timeout=5000)
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    return window


@pytest.mark.parametrize("editor_name", ["text", "translation"])
def test_after_alt_down_and_up_the_caret_is_at_the_end_of_the_text(win, editor_name):
    doc = win.controller.document
    first = doc.cues[0].id
    win.controller.select([first], first)
    editor = getattr(win.edit_panel, editor_name)
    if editor_name == "translation":
        for cue in doc.cues[:3]:  # seed 000 has no translation: give the first cues one
            win.controller.apply(
                __import__("editor.core.edits", fromlist=["set_field"]).set_field(
                    cue.id, "translation", "abc def"
                ),
                "t",
            )
    editor.setFocus()
    cursor = editor.textCursor()
    cursor.setPosition(2)
    editor.setTextCursor(cursor)
    QTest.keyClick(editor, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    second = doc.cues[1]
    assert win.edit_panel.cue_id == second.id
    assert editor.textCursor().position() == len(editor.toPlainText())
    QTest.keyClicks(editor, "Z")
    assert getattr(doc.cue(second.id), editor_name).endswith("Z")
    QTest.keyClick(editor, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert win.edit_panel.cue_id == first
    assert editor.textCursor().position() == len(editor.toPlainText())


def test_f1_and_the_readme_list_keys_that_exist_on_this_platform():
    table = shortcut_table()
    keys = {action: k for _menu, action, k in table}
    text = " ".join(k for _m, _a, k in table)
    assert "F14" not in text and "Exit" not in text
    assert keys["Replace"] == "Ctrl+H"
    assert keys["Redo"].split(", ")[0] == "Ctrl+Y"
    assert keys["Find Next"] == "F3"
    assert keys["Go to Cue"] == "Ctrl+G"
    assert keys["Previous Problem"] == "Shift+F8"


def test_every_listed_shortcut_triggers_its_action(win, monkeypatch):
    # Dialogs return at once: the test is about which action a key reaches.
    monkeypatch.setattr(QDialog, "exec", lambda self: 0)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    monkeypatch.setattr(QDialog, "open", lambda self: None)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", False))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("", False))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(win, "find_dialog", lambda _replace: None)  # a window of its own
    # No two enabled actions share a key (Qt would then trigger neither).
    owners: dict[str, list[str]] = {}
    for action in win.findChildren(QAction):
        if action.isEnabled():
            for seq in action.shortcuts():
                owners.setdefault(seq.toString(), []).append(action.objectName() or action.text())
    clashes = {k: v for k, v in owners.items() if len(v) > 1}
    assert clashes == {}
    fired: list[str] = []
    for spec in SPECS:
        action = win.actions[spec.id]
        action.triggered.connect(lambda _c=False, i=spec.id: fired.append(i))
    checked = 0
    for spec in SPECS:
        action = win.actions[spec.id]
        sequences = key_sequences(spec.keys())
        bound = [s.toString() for s in action.shortcuts()]
        assert bound[: len(sequences)] == [s.toString() for s in sequences]  # (+ media keys)
        if not sequences or not action.isEnabled() or spec.id == ActionId.QUIT:
            continue
        for seq in sequences:
            fired.clear()
            win.table_pane.view.setFocus()
            QTest.keySequence(win.table_pane.view, seq)
            QApplication.processEvents()
            assert spec.id in fired, f"{seq.toString()} did not reach {spec.id}"
            checked += 1
        for widget in QApplication.topLevelWidgets():  # a non-modal dialog (Find) stays out of the way
            if widget is not win and widget.isVisible():
                widget.hide()
        win.activateWindow()
        QTest.qWaitForWindowActive(win)
    assert checked > 40
    win.controller.undo_stack.setClean()


def test_ctrl_g_goes_to_a_cue_number_or_a_time(win, monkeypatch):
    answers = iter([("5", True), ("0:10", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    doc = win.controller.document
    win.table_pane.view.setFocus()
    QTest.keyClick(win.table_pane.view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert win.controller.current_id == doc.cues[4].id
    assert win.edit_panel.cue_id == doc.cues[4].id
    QTest.keyClick(win.table_pane.view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    target = doc.cue(win.controller.current_id)
    assert target.start_ms <= 10_000 < target.end_ms or target.start_ms >= 10_000


def test_ctrl_home_and_end_move_the_selection_and_the_edit_panel(win):
    doc = win.controller.document
    view = win.table_pane.view
    third = doc.cues[2].id
    win.controller.select([third], third)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    last = doc.cues[-1].id
    assert win.controller.selected_ids == [last] and win.edit_panel.cue_id == last
    QTest.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    first = doc.cues[0].id
    assert win.controller.selected_ids == [first] and win.edit_panel.cue_id == first


def test_ctrl_f8_walks_the_cues_with_estimated_timing(win):
    doc = win.controller.document
    estimated = [c.id for c in doc.cues if c.timing == Timing.ESTIMATED]
    assert estimated, "seed 000 is an untimed transcript: its cues are estimated"
    first = doc.cues[0].id
    win.controller.select([first], first)
    view = win.table_pane.view
    view.setFocus()
    QTest.keySequence(view, QKeySequence("Ctrl+F8"))
    after = [i for i in estimated if doc.row_of(i) > 0]
    assert win.controller.current_id == (after[0] if after else estimated[0])
    QTest.keySequence(view, QKeySequence("Ctrl+Shift+F8"))
    assert win.controller.current_id in estimated


def test_focus_returns_to_the_translation_box_after_a_dialog(win):
    editor = win.edit_panel.translation
    editor.setFocus()
    assert QApplication.focusWidget() is editor
    QTest.keyClick(editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    dialog = win._find_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.activateWindow()
    QTest.qWaitForWindowActive(dialog)
    QTest.keyClick(dialog.find_text, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    win.activateWindow()
    QTest.qWaitForWindowActive(win)
    assert QApplication.focusWidget() is editor


def test_estimated_timing_is_counted_apart_and_f8_skips_it(win):
    qc = win.table_pane.model.qc
    qc_counts = qc.index.counts()
    estimated = qc_counts.get("estimated", 0)
    assert estimated > 0
    win._update_status()
    text = win.status_qc.text()
    assert f"{estimated} estimated" in text
    assert f"{qc.count() - estimated} problem" in text
    assert f"{len(win.controller.document)} cues" == win.status_cues.text()
    view = win.table_pane.view
    view.setFocus()
    first = win.controller.document.cues[0].id
    win.controller.select([first], first)
    for _ in range(5):
        QTest.keyClick(view, Qt.Key.Key_F8)
        problems = qc.problems_for(win.controller.current_id)
        assert any(p.check != "estimated" for p in problems)
        QTest.keyClick(view, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
        problems = qc.problems_for(win.controller.current_id)
        assert any(p.check != "estimated" for p in problems)
        QTest.keyClick(view, Qt.Key.Key_F8)
