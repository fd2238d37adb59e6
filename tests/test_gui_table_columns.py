"""The table with a translation attached: both tracks readable in the two-line rows, columns
sized to their content at open (speaker names whole), the review state as an icon column."""

from __future__ import annotations

import shutil

import pytest
from conftest import make_window, seed_path
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from editor.core.model import Document, Review
from editor.qt.actions import ActionId
from editor.qt.cue_model import Column
from editor.qt.views.cue_table import SHARED_MIN_WIDTH, TEXT_COLUMN_MAX


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    return make_window(qtbot, tmp_path, monkeypatch, size=(1600, 1000), show=True)


def _open_seeds(window, tmp_path) -> None:
    source = shutil.copy(seed_path("000"), tmp_path)
    translation = shutil.copy(seed_path("001"), tmp_path)
    window.open_path(str(source), str(translation), wait=True)
    QApplication.processEvents()


def test_columns_fit_their_content_at_open(window, tmp_path):
    _open_seeds(window, tmp_path)
    doc = window.controller.document
    view = window.table_pane.view
    metrics = view.fontMetrics()
    names = {doc.speaker_name(cue.speaker_id) for cue in doc.cues if cue.speaker_id}
    assert len(names) >= 3  # the seed's translation names its speakers
    for name in names:  # "主合手东说念主" was cut to "主合手东说…" in an 84 px column
        assert view.columnWidth(Column.SPEAKER) >= metrics.horizontalAdvance(name) + 8, name
    widest = {
        column: max(
            metrics.horizontalAdvance(line) for cue in doc.cues for line in getattr(cue, track).split("\n")
        )
        for column, track in ((Column.TEXT, "text"), (Column.TRANSLATION, "translation"))
    }
    # Narrow table: text and translation share the room the other columns leave, and the
    # translation is on screen (not pushed off the right edge).
    view.resize(820, view.height())
    view.setFixedWidth(820)
    QApplication.processEvents()
    right = view.columnViewportPosition(Column.TRANSLATION) + view.columnWidth(Column.TRANSLATION)
    assert right <= view.viewport().width()
    assert view.columnWidth(Column.TEXT) >= SHARED_MIN_WIDTH
    assert view.columnWidth(Column.TRANSLATION) >= SHARED_MIN_WIDTH
    # Room enough: each gets its longest line.
    view.setFixedWidth(1500)
    QApplication.processEvents()
    for column, width in widest.items():
        assert view.columnWidth(column) >= min(width + 8, TEXT_COLUMN_MAX), column
    # Once the user sets a width, it stays.
    view.setColumnWidth(Column.TEXT, 333)
    view.setFixedWidth(1400)
    QApplication.processEvents()
    assert view.columnWidth(Column.TEXT) == 333
    start = metrics.horizontalAdvance(view.model().index(0, Column.END).data())
    assert start + 8 <= view.columnWidth(Column.END) <= start + 60  # times whole, not padded out


def test_translation_lines_use_the_two_line_rows(window, qtbot):
    doc = Document()
    doc.source_language, doc.translation_language = "en", "zh"
    one_line = "这是一个很长的翻译句子没有换行所以在表格里面必须折到第二行才能读完整个句子的内容"
    doc.append(doc.new_cue(0, 3000, "First line\nsecond line", translation=one_line))
    doc.append(doc.new_cue(3100, 6000, "Short", translation="第一行\n第二行"))
    window.controller.set_document(doc)
    view = window.table_pane.view
    view.setColumnWidth(Column.TRANSLATION, 220)
    QApplication.processEvents()
    delegate = view.itemDelegateForColumn(Column.TRANSLATION)

    def features(row: int, column: int):
        option = QStyleOptionViewItem()
        delegate.initStyleOption(option, view.model().index(row, column))
        return option.features

    wrap = QStyleOptionViewItem.ViewItemFeature.WrapText
    assert features(0, Column.TRANSLATION) & wrap  # one long line: wrapped into the row
    assert not features(1, Column.TRANSLATION) & wrap  # real lines: shown as they are
    assert not features(0, Column.TEXT) & wrap
    # Painted: the long translation has text in the row's second half too.
    rect = view.visualRect(view.model().index(0, Column.TRANSLATION))
    image = view.viewport().grab().toImage()
    text_color = view.palette().text().color()

    def inked(top: int, bottom: int) -> int:
        return sum(
            1
            for y in range(top, bottom)
            for x in range(rect.left() + 2, rect.right() - 2)
            if QColor(image.pixel(x, y)).lightness() < text_color.lightness() + 80
        )

    middle = rect.center().y()
    assert inked(rect.top() + 2, middle) > 20 and inked(middle, rect.bottom() - 2) > 20


def test_review_state_is_an_icon_column_beside_the_number(window, qtbot):
    doc = Document()
    doc.append(doc.new_cue(0, 1000, "a", translation="x", review=Review.NEEDS_REVIEW))
    doc.append(doc.new_cue(1100, 2000, "b", translation="y", review=Review.REVIEWED))
    doc.append(doc.new_cue(2100, 3000, "c"))
    window.controller.set_document(doc)
    view = window.table_pane.view
    assert view.horizontalHeader().visualIndex(Column.REVIEW) == 1  # right after #
    model = view.model()

    def mark(row: int) -> str:
        return model.index(row, Column.REVIEW).data()

    assert [mark(0), mark(1), mark(2)] == ["●", "✓", ""]
    assert "needs review" in model.index(0, Column.REVIEW).data(3)  # tooltip in words
    assert model.headerData(Column.REVIEW, view.horizontalHeader().orientation(), 3)  # header tip
    window.controller.select([doc.cues[0].id], doc.cues[0].id)
    window.actions[ActionId.MARK_REVIEWED].trigger()
    assert mark(0) == "✓"
    # A filter (a proxy model: a new header order) keeps the column in its place.
    window.table_pane.filter_bar.text.setText("a")
    qtbot.waitUntil(lambda: window.table_pane.proxy.active)
    assert view.horizontalHeader().visualIndex(Column.REVIEW) == 1


def test_a_resize_that_reshares_the_text_columns_repaints_the_table_once(window, tmp_path, qtbot):
    from PySide6.QtCore import QEvent, QObject

    _open_seeds(window, tmp_path)
    view = window.table_pane.view
    view.setFixedWidth(1200)
    qtbot.wait(50)

    class Paints(QObject):
        count = 0

        def eventFilter(self, _obj, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    paints = Paints()
    view.viewport().installEventFilter(paints)
    before = view.columnWidth(Column.TEXT), view.columnWidth(Column.TRANSLATION)
    view.setFixedWidth(900)  # the text columns share the narrower room
    qtbot.wait(100)
    assert (view.columnWidth(Column.TEXT), view.columnWidth(Column.TRANSLATION)) != before
    right = view.columnViewportPosition(Column.TRANSLATION) + view.columnWidth(Column.TRANSLATION)
    assert right <= view.viewport().width()
    # The resized viewport paints whole once; the new column widths add no paint of their own.
    assert paints.count == 1
    view.viewport().removeEventFilter(paints)


def test_the_same_first_cues_are_measured_once_and_fit_as_if_measured_again(window, tmp_path):
    # A long file's preview, then the whole file: the same first cues, so the text columns'
    # lines are not measured again, and the widths equal a fresh measurement's.
    view = window.table_pane.view
    _open_seeds(window, tmp_path)
    first_lines = set(window.controller.document.cues[0].text.split("\n"))
    fitted = {c: view.columnWidth(c) for c in (Column.TEXT, Column.TRANSLATION)}
    measured: list[str] = []
    metrics_class = type(view.fontMetrics())
    real = metrics_class.horizontalAdvance
    try:
        metrics_class.horizontalAdvance = lambda self, text, *a: measured.append(text) or real(self, text, *a)
        _open_seeds(window, tmp_path)  # a new document with the same cues
        assert not first_lines & set(measured)  # remembered
        assert {c: view.columnWidth(c) for c in fitted} == fitted
        view._measured.clear()
        view.fit_columns()
        QApplication.processEvents()
        assert first_lines & set(measured)
        assert {c: view.columnWidth(c) for c in fitted} == fitted
    finally:
        metrics_class.horizontalAdvance = real
