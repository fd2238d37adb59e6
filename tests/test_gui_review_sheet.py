"""Review → Export Review Sheet writes every cue's times, texts, review state and note (CSV and HTML)."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import make_window
from PySide6.QtWidgets import QFileDialog

from editor.core import edits
from editor.core.model import Review


@pytest.mark.parametrize("ext", ["csv", "html"])
def test_export_review_sheet_from_the_review_menu(qtbot, tmp_path, monkeypatch, ext):
    win = make_window(qtbot, tmp_path, monkeypatch)
    qtbot.waitUntil(lambda: win._features_installed, timeout=5000)
    win.open_sample(wait=True)
    doc = win.controller.document
    first = doc.cues[0]
    win.controller.apply(edits.set_field(first.id, "note", "Check <the> name & spelling"), "note")
    target = tmp_path / f"sheet.{ext}"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    action = next(a for a in win.menus["Review"].actions() if a.objectName() == "action_export_review_sheet")
    action.trigger()
    text = target.read_text(encoding="utf-8")
    if ext == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["Cue", "Start", "End", "Speaker", "Source", "Translation", "Review", "Note"]
        assert len(rows) == len(doc) + 1
        assert rows[1][4] == first.text and rows[1][5] == first.translation
        assert rows[1][7] == "Check <the> name & spelling"
        states = {r[6] for r in rows[1:]}
        assert states <= {"untranslated", "needs review", "reviewed"}
        assert any(c.review == Review.NEEDS_REVIEW for c in doc.cues) == ("needs review" in states)
    else:
        assert "Check &lt;the&gt; name &amp; spelling" in text
        assert text.count("<tr") == len(doc) + 1
    win.controller.undo_stack.setClean()
