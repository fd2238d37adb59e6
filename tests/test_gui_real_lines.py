"""Real-line editors: the edit panel, the review panel and the table's in-place editor show a
cue's real lines (no soft wrap), are wide enough for the profile's characters per line, draw
a ruler at the limit and give each line's length as the profile counts it."""

from __future__ import annotations

import pytest
from conftest import make_window
from PySide6.QtGui import QColor, QFontMetricsF
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from editor.core.model import Document
from editor.core.style import SOURCE, TRANSLATION
from editor.qt.cue_model import Column
from editor.qt.views.line_editor import LineEditor, limit_px
from editor.qt.views.review_panel import ReviewMode

LONG = "We have been trying to make the models better"  # 45 characters: over the 42 of English
TEXT = f"{LONG}\nat maths."
TRANSLATION_TEXT = "我们一直在努力让模型更好地解决数学问题OK\n好的。"  # 19 wide + 2 half-width


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    return make_window(qtbot, tmp_path, monkeypatch, size=(1400, 900), show=True)


def _doc() -> Document:
    doc = Document()
    doc.source_language, doc.translation_language = "en", "zh"
    doc.append(doc.new_cue(0, 4000, TEXT, translation=TRANSLATION_TEXT))
    doc.append(doc.new_cue(4100, 8000, "Short.", translation="短。"))
    return doc


def _visual_lines(editor: QPlainTextEdit) -> list[int]:
    """Return how many screen lines each real line of `editor` takes."""
    block, counts = editor.document().firstBlock(), []
    while block.isValid():
        counts.append(block.layout().lineCount())
        block = block.next()
    return counts


def _check_real_lines(editor, profile, text: str) -> None:
    assert isinstance(editor, LineEditor)
    assert editor.lineWrapMode() == QPlainTextEdit.LineWrapMode.NoWrap
    assert editor.toPlainText() == text
    assert _visual_lines(editor) == [1] * (text.count("\n") + 1)  # a long line is not wrapped
    assert editor.profile == profile
    # Wide enough that a line at the limit is seen whole, in the box's own font.
    limit = limit_px(profile, QFontMetricsF(editor.font()))
    assert editor.viewport().width() >= limit
    assert editor.width() >= editor.minimumWidth() >= limit + editor.gutter_width()


def test_edit_panel_shows_real_lines_with_lengths(window, qtbot):
    doc = _doc()
    window.controller.set_document(doc)
    window.controller.select([doc.cues[0].id], doc.cues[0].id)
    panel = window.edit_panel
    source_style = window.controller.style(SOURCE, TEXT)
    translation_style = window.controller.style(TRANSLATION, TRANSLATION_TEXT)
    assert translation_style.cjk and not source_style.cjk
    _check_real_lines(panel.text, source_style, TEXT)
    _check_real_lines(panel.translation, translation_style, TRANSLATION_TEXT)
    assert panel.text.lengths() == [45, 9]
    # CJK: full-width characters count 1, "OK" 0.5 each (core.style's counting, not a copy).
    assert panel.translation.lengths() == [20, 3]
    # Typing a line break shows a new real line and its length at once.
    panel.text.moveCursor(panel.text.textCursor().MoveOperation.End)
    panel.text.insertPlainText("\nmore")
    assert panel.text.lengths() == [45, 9, 4]
    assert doc.cues[0].text == TEXT + "\nmore"


def test_ruler_is_drawn_at_the_limit(window, qtbot):
    doc = _doc()
    window.controller.set_document(doc)
    window.controller.select([doc.cues[1].id], doc.cues[1].id)
    editor = window.edit_panel.text
    editor.resize(max(editor.width(), editor.minimumWidth() + 40), 160)
    QApplication.processEvents()
    image = editor.viewport().grab().toImage()
    x = round(editor.document().documentMargin() + editor.limit_px())
    base = editor.palette().base().color()

    def marked(col: int) -> int:
        # Rows well under the text ("Short."): only the ruler can be there.
        return sum(QColor(image.pixel(col, y)) != base for y in range(image.height() // 2, image.height()))

    assert marked(x) > 10  # the dashed ruler
    assert marked(x - 6) == 0 and marked(x + 6) == 0  # nothing else beside it


def test_review_panel_boxes_show_real_lines(window, qtbot):
    doc = _doc()
    window.controller.set_document(doc)
    window.controller.select([doc.cues[0].id], doc.cues[0].id)
    window.parts[ReviewMode].set_active(True)
    panel = window.parts[ReviewMode].panel
    QApplication.processEvents()
    _check_real_lines(panel.source, window.controller.style(SOURCE, TEXT), TEXT)
    _check_real_lines(
        panel.translation, window.controller.style(TRANSLATION, TRANSLATION_TEXT), TRANSLATION_TEXT
    )
    assert panel.translation.lengths() == [20, 3]


def test_table_editor_shows_real_lines_and_is_wide_enough(window, qtbot):
    doc = _doc()
    window.controller.set_document(doc)
    view = window.table_pane.view
    view.setColumnWidth(Column.TEXT, 120)  # narrower than a line: the editor is not
    for column, text, track in (
        (Column.TEXT, TEXT, SOURCE),
        (Column.TRANSLATION, TRANSLATION_TEXT, TRANSLATION),
    ):
        index = view.model().index(0, column)
        view.setCurrentIndex(index)
        view.edit(index)
        QApplication.processEvents()
        editor = view.indexWidget(index) or view.findChild(LineEditor, "cueTextEditor")
        assert editor is not None and editor.isVisible()
        _check_real_lines(editor, window.controller.style(track, text), text)
        assert editor.geometry().right() <= view.viewport().width()  # kept inside the table
        view.closeEditor(editor, view.itemDelegate().EndEditHint.RevertModelCache)
        QApplication.processEvents()
