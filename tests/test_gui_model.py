"""The cue table model: Qt's model tester, exact refresh signals, refused edits, plain-text tooltips."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from editor.core import edits
from editor.core.model import Cue, Document
from editor.qt.controller import Controller
from editor.qt.cue_model import Column, CueTableModel


def _doc(n: int = 5) -> Document:
    doc = Document()
    for i in range(n):
        doc.append(doc.new_cue(i * 2000, i * 2000 + 1500, f"line {i}", translation=f"ligne {i}"))
    return doc


@pytest.fixture
def model(qtbot):
    controller = Controller(_doc())
    return CueTableModel(controller)


def test_model_passes_qt_model_tester_through_edits(model):
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    controller = model.controller
    doc = controller.document
    first, last = doc.cues[0].id, doc.cues[-1].id
    controller.apply(edits.set_field(first, "text", "changed"), "edit")
    new = Cue(doc.new_id(), 500, 900, "inserted")
    controller.apply(edits.InsertCues([(1, new)]), "insert")
    controller.apply(edits.RemoveCues([first, last]), "remove")
    assert model.rowCount() == 4
    assert [model.cue_id_at(r) for r in range(model.rowCount())] == [c.id for c in doc.cues]
    controller.undo_stack.undo()
    controller.undo_stack.undo()
    controller.undo_stack.undo()
    assert model.rowCount() == 5
    assert model.index(0, Column.TEXT).data() == "line 0"
    controller.set_document(_doc(3))
    assert model.rowCount() == 3
    del tester


def test_data_changed_names_exactly_the_edited_rows_and_columns(model):
    controller = model.controller
    cue_id = controller.document.cues[2].id
    seen: list[tuple[int, int, int, int]] = []

    def record(tl, br, roles):
        # QC repaints (tint and tooltip of the cue and its neighbours) name their roles.
        if Qt.ItemDataRole.BackgroundRole not in roles:
            seen.append((tl.row(), br.row(), tl.column(), br.column()))

    model.dataChanged.connect(record)
    controller.apply(edits.set_field(cue_id, "translation", "neu"), "edit")
    # The translation, and the review mark and Status text shown only for translated cues.
    assert seen == [(2, 2, Column.TRANSLATION, Column.REVIEW)]
    seen.clear()
    controller.apply(edits.SetTimes({cue_id: (4100, 5000)}), "retime")
    assert seen == [(2, 2, Column.START, Column.CPS)]


def test_set_text_goes_through_controller_and_undoes(model):
    controller = model.controller
    before = controller.document.snapshot()
    index = model.index(1, Column.TEXT)
    assert model.setData(index, "hello\nworld")
    assert controller.document.cues[1].text == "hello\nworld"
    assert controller.undo_stack.count() == 1
    controller.undo_stack.undo()
    assert controller.document.snapshot() == before


@pytest.mark.parametrize("value", ["garbage", "1:99.000", "-0:01.000", "0:05.000"])
def test_refused_time_edit_changes_nothing_and_says_why(model, value):
    controller = model.controller
    before = controller.document.snapshot()
    # Row 0 ends at 1.5 s: every value above is either not a time, negative, or after the end.
    index = model.index(0, Column.START)
    failures: list[str] = []
    model.edit_failed.connect(lambda _i, reason: failures.append(reason))
    assert model.setData(index, value) is False
    assert controller.document.snapshot() == before
    assert controller.undo_stack.count() == 0
    assert failures and failures[0]
    assert model.cell_error(index) == failures[0]
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    assert failures[0] in model.data(index, Qt.ItemDataRole.ToolTipRole)
    # A good edit afterwards clears the red mark.
    assert model.setData(index, "0:00.200")
    assert controller.document.cues[0].start_ms == 200
    assert model.cell_error(index) is None


def test_tooltip_shows_markup_literally(qtbot):
    doc = Document()
    doc.append(doc.new_cue(0, 1000, '<img src=x onerror="alert(1)"> & <b>bold</b>'))
    model = CueTableModel(Controller(doc))
    tip = model.index(0, Column.TEXT).data(Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip and "&lt;img src=x" in tip
    assert "&lt;b&gt;bold&lt;/b&gt;" in tip
    assert model.index(0, Column.TEXT).data() == doc.cues[0].text


def test_many_qt_calls_do_not_abort(model):
    """Guard against the PySide6 6.12 None-refcount abort: ~50,000 calls returning None or void."""
    root = QModelIndex()
    total = 0
    for i in range(10_000):
        index = model.index(i % 5, i % len(Column))
        total += model.rowCount(root)
        model.data(index, Qt.ItemDataRole.DecorationRole)  # returns None
        model.headerData(i % 9, Qt.Orientation.Vertical)  # returns None
        model.dataChanged.emit(index, index, [])  # a void call
    assert total == 50_000


def test_large_edits_rerun_qc_in_the_background(qtbot):
    from editor.qt.cue_model import BACKGROUND_QC_MIN_CUES

    n = BACKGROUND_QC_MIN_CUES + 10
    doc = Document()
    for i in range(n):
        doc.append(doc.new_cue(i * 3000, i * 3000 + 2000, "ok"))
    controller = Controller(doc)
    model = CueTableModel(controller)
    model.adopt_qc_index(model.qc.build(doc))
    assert model.qc.count() == 0
    # Every cue shown for 100 ms: far too briefly, a problem on each of them.
    with qtbot.waitSignal(model.qc.rebuilt, timeout=20_000):
        controller.apply(edits.SetTimes({c.id: (c.start_ms, c.start_ms + 100) for c in doc.cues}), "squeeze")
        assert model.qc.rebuilding
    assert model.qc.count() >= n
    assert model.index(0, Column.DURATION).data(Qt.ItemDataRole.BackgroundRole) is not None
    # Undo: the problems go away again once the background pass is done.
    with qtbot.waitSignal(model.qc.rebuilt, timeout=20_000):
        controller.undo_stack.undo()
    assert model.qc.count() == 0


def test_first_translation_repaints_every_row_with_its_new_tint(qtbot):
    doc = Document()
    for i in range(30):
        doc.append(doc.new_cue(i * 2000, i * 2000 + 1500, f"line number {i}"))
    model = CueTableModel(Controller(doc))
    row = 20
    assert "translation" not in (model.index(row, Column.STATUS).data(Qt.ItemDataRole.ToolTipRole) or "")
    spans: list[tuple[int, int]] = []

    def record(tl, br, roles):
        if Qt.ItemDataRole.BackgroundRole in roles:
            spans.append((tl.row(), br.row()))

    model.dataChanged.connect(record)
    model.controller.apply(edits.set_field(doc.cues[10].id, "translation", "ligne dix"), "edit")
    assert (0, 29) in spans  # far rows too: they now lack a translation "although others have one"
    tip = model.index(row, Column.STATUS).data(Qt.ItemDataRole.ToolTipRole) or ""
    assert "no translation" in tip


def test_problems_only_filter_shows_the_cues_with_problems_of_a_coded_index(qtbot):
    """A long document's index keeps most problems as codes: the "problems only" filter asks
    has_problems and shows exactly the cues problems_for names, building no Problems for rows
    it only filters."""
    from editor.core.qc import QcIndex, QcProfile
    from editor.qt.views.cue_table import CueFilterProxy

    doc = Document(source_language="en")
    for i in range(600):
        text = "A line far longer than forty-two characters, which the limit flags." if i % 3 else f"ok {i}"
        doc.append(doc.new_cue(i * 2000, i * 2000 + (1500 if i % 5 else 1990), text))
    controller = Controller(doc)
    model = CueTableModel(controller)
    model.adopt_qc_index(QcIndex(doc, QcProfile(disabled=frozenset({"spelling"}))))
    index = model.qc.index
    assert len(index._lazy._arr) and not index._local  # all coded, none built yet
    proxy = CueFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter(problems_only=True)
    shown = [model.cue_id_at(proxy.mapToSource(proxy.index(r, 0)).row()) for r in range(proxy.rowCount())]
    assert not index._local  # filtering built no Problems
    expected = [c.id for c in doc.cues if index.problems_for(c.id)]
    assert shown == expected and 300 < len(expected) < 600
