"""Ctrl+K assigns any speaker by typing part of its name (beyond Alt+1…9)."""

from __future__ import annotations

from conftest import make_window, seed_path
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox

from editor.qt.views.speaker_picker import match


def test_ctrl_k_assigns_a_speaker_beyond_the_ninth_by_typing(qtbot, tmp_path, monkeypatch):
    win = make_window(qtbot, tmp_path, monkeypatch)
    qtbot.waitUntil(lambda: win._features_installed, timeout=5000)
    win.open_path(str(seed_path("001")), wait=True)
    doc = win.controller.document
    speakers = list(doc.speakers.values())
    assert len(speakers) > 9, "seed 001 has more speakers than Alt+1…9 reach"
    target = speakers[-1]
    cue = next(c for c in doc.cues if c.speaker_id != target.id)
    win.controller.select([cue.id], cue.id)
    win.activateWindow()
    QTest.qWaitForWindowActive(win)

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, answer)
            return
        combo = dialog.findChild(QComboBox)
        combo.lineEdit().clear()
        QTest.keyClicks(combo.lineEdit(), str(len(speakers)))  # its number, past nine
        QTest.keyClick(combo.lineEdit(), Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    win.table_pane.view.setFocus()
    QTest.keyClick(win.table_pane.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert doc.cue(cue.id).speaker_id == target.id
    win.controller.undo_stack.setClean()


def test_match_by_part_of_a_name_number_or_label():
    from editor.core.model import Document

    doc = Document()
    for name in ("Host", "Guest Anna", "Guest Bob"):
        doc.ensure_speaker(name)
    ids = [s.id for s in doc.speakers.values()]
    assert match(doc, "anna") == ids[1]
    assert match(doc, "Guest") is None  # two match: not a guess
    assert match(doc, "3") == ids[2]
    assert match(doc, "1  Host") == ids[0]
    assert match(doc, "nobody") is None
