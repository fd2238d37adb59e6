"""Status messages: gone once what they were about has moved on, kept when the action that showed
them made the change, and drawn elided with a gap before the permanent fields (a long message
used to be cut off against "370 cues" and read as one with it)."""

from __future__ import annotations

import pytest
from conftest import make_window, seed_path
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog

from editor.qt.views.speakers_panel import SpeakersPanel
from editor.qt.views.status_messages import SETTLE_MS, StatusMessages


@pytest.fixture
def win(qtbot, tmp_path, monkeypatch):
    window = make_window(qtbot, tmp_path, monkeypatch)
    window.open_path(str(seed_path("001")), wait=True)
    qtbot.waitUntil(lambda: window._features_installed, timeout=5000)
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    return window


def test_a_message_goes_when_the_user_moves_on(win, monkeypatch):
    bar = win.statusBar()
    # Go to Cue 9999 (Ctrl+G): there is no such cue, and the status bar says so.
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("9999", True))
    view = win.table_pane.view
    first = win.controller.document.cues[0].id
    win.controller.select([first], first)
    view.setFocus()
    QTest.keySequence(view, QKeySequence("Ctrl+G"))
    assert "no cue 9999" in bar.currentMessage()
    QTest.qWait(SETTLE_MS + 50)
    win.edit_panel.text.setFocus()
    QTest.keyClick(win.edit_panel.text, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # next cue
    assert bar.currentMessage() == ""


def test_a_message_about_the_change_just_made_stays(win, qtbot):
    panel, bar = win.parts[SpeakersPanel], win.statusBar()
    row = panel.suggestion_rows[0]
    qtbot.mouseClick(row.button, Qt.MouseButton.LeftButton)
    assert bar.currentMessage().startswith("Merged")
    QTest.qWait(SETTLE_MS + 50)
    win.controller.undo_stack.undo()  # an edit after it: the merge it reported is undone
    assert bar.currentMessage() == ""


def test_a_long_message_is_elided_before_the_permanent_fields(win):
    bar = win.statusBar()
    win.resize(900, 700)
    QApplication.processEvents()
    text = "A very long message about the file you opened a moment ago, " * 4
    win.show_message(text.strip())
    bar.repaint()
    status = win.parts[StatusMessages]
    rect = status.message_rect()
    fields = status.fields()
    first_x = min(w.x() for w in fields)
    assert rect.right() < first_x - 6
    shown = status.shown_text()
    assert shown.endswith("…") and shown != text
    assert bar.fontMetrics().horizontalAdvance(shown) <= rect.width()
    assert bar.toolTip() == text.strip()  # the whole message, while it is cut
    image = bar.grab().toImage()
    # Nothing drawn in the gap between the message and the first field: every column alike.
    for x in range(rect.right() + 2, first_x - 2):
        for y in range(image.height()):
            assert image.pixel(x, y) == image.pixel(rect.right() + 2, y)
    # Text was drawn left of it (the message is there, just shorter).
    assert any(image.pixel(x, image.height() // 2) != image.pixel(2, 1) for x in range(6, rect.right()))
    bar.clearMessage()
    assert bar.toolTip() == ""
