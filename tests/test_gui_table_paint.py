"""The cue table's delegates paint exactly what Qt's own delegate paints from data().

CellDelegate fills a cell's style option from one CueTableModel.paint_data call instead
of seven data() calls; these tests grab the table with it and with QStyledItemDelegate
(reading every role through data()) and compare the pixels, on the seeds with a
translation (QC tints, estimated-time colours, speakers), with a selection and behind a
filter.
"""

from __future__ import annotations

import pytest
from conftest import make_window, seed_path
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from editor.qt.cue_model import ROW_NUMBER_ROLE, Column


class _ReferenceNumberDelegate(QStyledItemDelegate):
    """Qt's delegate plus the row number, as the # column showed it before CellDelegate."""

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:
        super().initStyleOption(option, index)
        number = index.data(ROW_NUMBER_ROLE)
        option.text = "" if number is None else str(number)
        option.displayAlignment = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay


def _grab_both(qtbot, view):
    """Return (image with the app's delegates, image with Qt's delegate reading data())."""
    qtbot.wait(50)
    ours = view.viewport().grab().toImage()
    reference = QStyledItemDelegate(view)
    number = _ReferenceNumberDelegate(view)
    saved = {c: view.itemDelegateForColumn(c) for c in Column}
    saved_default = view.itemDelegate()
    view.setItemDelegate(reference)
    for column in Column:
        view.setItemDelegateForColumn(column, number if column == Column.NUMBER else reference)
    qtbot.wait(50)
    theirs = view.viewport().grab().toImage()
    view.setItemDelegate(saved_default)
    for column, delegate in saved.items():
        view.setItemDelegateForColumn(column, delegate)
    return ours, theirs


@pytest.fixture
def seeded(qtbot, tmp_path, monkeypatch):
    win = make_window(qtbot, tmp_path, monkeypatch, size=(1600, 1000))
    assert win.open_path(str(seed_path("000")), translation=str(seed_path("001")), wait=True)
    qtbot.waitUntil(lambda: win.table_pane.model.rowCount() > 20)
    return win


def test_cells_paint_as_qt_paints_them_from_data(qtbot, seeded):
    view = seeded.table_pane.view
    model = seeded.table_pane.model
    seeded.controller.select([model.cue_id_at(3)], model.cue_id_at(3))
    ours, theirs = _grab_both(qtbot, view)
    assert not ours.isNull() and ours.size() == theirs.size()
    assert ours == theirs


def test_cells_paint_as_qt_paints_them_behind_a_filter(qtbot, seeded):
    pane = seeded.table_pane
    pane.filter_bar.text.setText("reasoning")  # rows 1.. of the view are rows n.. of the model
    qtbot.waitUntil(lambda: 0 < pane.view.model().rowCount() < pane.model.rowCount())
    ours, theirs = _grab_both(qtbot, pane.view)
    assert ours == theirs


def test_solid_brushes_equal_plain_colour_brushes(qtbot):
    """cue_model._solid against QBrush(colour), the plain way, for every colour the table paints."""
    from PySide6.QtGui import QBrush, QColor

    from editor.qt import theme
    from editor.qt.cue_model import _solid

    colors = [theme.tint(name) for name in ("invalid", "error", "warning", "info")]
    colors += [theme.text_color("estimated"), QColor(10, 20, 30, 40), QColor()]
    for color in colors:
        assert _solid(color) == QBrush(color)
