"""The filter box's and the note fields' clear button is turned on when they first hold text;
it looks exactly as a button turned on from the start."""

from __future__ import annotations

from conftest import make_window, seed_path
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from editor.core import edits
from editor.qt.views.clear_button import clear_button_when_text


def _shots(edit: QLineEdit, lazy: bool) -> list:
    edit.setPlaceholderText("Filter cues (text or translation)…")
    edit.resize(300, 26)
    if lazy:
        clear_button_when_text(edit)
    else:
        edit.setClearButtonEnabled(True)
    edit.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no blinking cursor in one shot and not the other
    edit.show()
    out = []
    for text in ("", "Mark Chen", ""):
        edit.setText(text)
        QApplication.processEvents()
        QTest.qWait(300)  # the button fades in and out
        out.append(edit.grab().toImage())
    edit.close()
    return out


def test_a_clear_button_made_on_first_text_looks_like_one_made_at_once(qtbot):
    eager, lazy = QLineEdit(), QLineEdit()
    qtbot.addWidget(eager)
    qtbot.addWidget(lazy)
    before = _shots(eager, lazy=False)
    assert before == _shots(lazy, lazy=True)
    assert before[0] != before[1]  # (the shots do show the text and the button)
    assert lazy.isClearButtonEnabled()
    held = QLineEdit("already there")
    qtbot.addWidget(held)
    clear_button_when_text(held)
    assert held.isClearButtonEnabled()


def test_the_filter_box_and_the_note_field_get_their_clear_button_with_text(qtbot, tmp_path, monkeypatch):
    win = make_window(qtbot, tmp_path, monkeypatch)
    qtbot.waitUntil(lambda: win._features_installed, timeout=5000)
    win.open_path(str(seed_path("000")), wait=True)
    box = win.table_pane.filter_bar.text
    assert not box.isClearButtonEnabled()
    QTest.keyClicks(box, "model")
    assert box.isClearButtonEnabled()
    note = win.findChild(QLineEdit, "editNoteEdit")
    assert note is not None and not note.isClearButtonEnabled()
    cue_id = win.controller.current_id
    win.controller.apply(edits.set_field(cue_id, "note", "check the name"), "note")
    assert note.text() == "check the name" and note.isClearButtonEnabled()
