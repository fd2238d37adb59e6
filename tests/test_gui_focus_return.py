"""Focus after a dialog: the user is typing in a box, opens a dialog with its key, closes it with
the keyboard, and types on in the same box. Driven with key events on the real dialogs (modal
ones run their own event loop: a timer answers them once they are up)."""

from __future__ import annotations

import pytest
from conftest import make_window, seed_copy
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from editor.core import edits


@pytest.fixture
def win(qtbot, tmp_path, monkeypatch):
    window = make_window(qtbot, tmp_path, monkeypatch)
    window.open_path(str(seed_copy("000", tmp_path)), wait=True)
    qtbot.waitUntil(lambda: window._features_installed, timeout=5000)
    doc = window.controller.document
    for cue in doc.cues[:8]:  # seed 000 has no translation: give the first cues one
        window.controller.apply(edits.set_field(cue.id, "translation", "译文"), "t")
    first = doc.cues[0].id
    window.controller.select([first], first)
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    return window


def _dialog_up(win) -> QWidget | None:
    for widget in (QApplication.activeModalWidget(), QApplication.activeWindow()):
        if isinstance(widget, QDialog) and widget is not win and widget.isVisible():
            return widget
    return None


def _answer(win, keys: list[tuple[Qt.Key, Qt.KeyboardModifier] | str], seen: list[str]) -> None:
    """Once a dialog is up, type `keys` into it (a string: typed text) where its focus is."""
    tries = [0]

    def poll() -> None:
        dialog = _dialog_up(win)
        tries[0] += 1
        if dialog is None or not dialog.isActiveWindow():
            if tries[0] < 250:
                QTimer.singleShot(20, poll)
            elif dialog is not None:
                dialog.reject()  # never hang the run: the assertions below then fail
            return
        seen.append(dialog.windowTitle())
        for key in keys:
            focus = QApplication.focusWidget()
            target = focus if focus is not None and focus.window() is dialog else dialog
            if isinstance(key, str):
                QTest.keyClicks(target, key)
            else:
                QTest.keyClick(target, *key)

    QTimer.singleShot(20, poll)


ESC = (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
ENTER = (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)


@pytest.mark.parametrize(
    ("keys", "answer", "title"),
    [
        ("Ctrl+G", ["5", ENTER], "Go to Cue"),  # modal (exec), and it moves to another cue
        ("Ctrl+Shift+T", [ESC], "Shift Times"),  # modal (exec), cancelled
        ("Ctrl+,", [ESC], "Preferences"),  # window-modal (open)
        ("F1", [ESC], "Keyboard Shortcuts"),
    ],
)
@pytest.mark.parametrize("box", ["text", "translation"])
def test_focus_returns_to_the_box_after_a_dialog(win, qtbot, keys, answer, title, box):
    editor = getattr(win.edit_panel, box)
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)  # typing at the end of the box
    QTest.qWait(10)
    assert QApplication.focusWidget() is editor
    seen: list[str] = []
    _answer(win, answer, seen)
    QTest.keySequence(editor, QKeySequence(keys))
    qtbot.waitUntil(lambda: bool(seen) and _dialog_up(win) is None, timeout=5000)
    assert title in seen[0]
    if QApplication.activeWindow() is not win:
        win.activateWindow()  # what the window manager does when a dialog closes (offscreen: no one)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor, timeout=2000)
    if keys == "Ctrl+G":
        assert win.controller.current_id == win.controller.document.cues[4].id
    # And typing goes on where it was: at the end of the box's text (the next cue's, after Go to).
    QTest.keyClicks(editor, "Z")
    cue = win.controller.document.cue(win.controller.current_id)
    assert getattr(cue, box).endswith("Z")
