"""Every editing action of the window: applied, undone and redone gives back identical documents."""

from __future__ import annotations

import pytest
from conftest import make_window, seed_path
from PySide6.QtWidgets import QMessageBox

from editor.qt.actions import ActionId
from editor.qt.views.main_window import MainWindow


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    win = make_window(qtbot, tmp_path, monkeypatch, size=None, show=False)
    win.open_sample(wait=True)
    return win


def _select_rows(window, *rows: int) -> None:
    doc = window.controller.document
    ids = [doc.cues[r].id for r in rows]
    window.controller.select(ids, ids[0])


ACTIONS = [
    # The sample's gaps are tight: insert before the first cue and after the last one.
    ("insert before", ActionId.INSERT_BEFORE, (0,)),
    ("insert after", ActionId.INSERT_AFTER, (13,)),
    ("delete", ActionId.DELETE, (2, 3)),
    ("split", ActionId.SPLIT, (4,)),
    ("merge selected", ActionId.MERGE, (5, 6)),
    ("merge with next", ActionId.MERGE, (1,)),
    ("reading speed", ActionId.READING_SPEED, (6,)),
    ("fix overlaps (all)", ActionId.FIX_OVERLAPS, ()),
    ("close gaps (all)", ActionId.CLOSE_GAPS, ()),
    ("confirm timing (all)", ActionId.CONFIRM_TIMING, ()),
    ("clear speaker", ActionId.CLEAR_SPEAKER, (0, 1)),
]


@pytest.mark.parametrize(("name", "action_id", "rows"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_action_undo_redo_round_trip(window, name, action_id, rows):
    if rows:
        _select_rows(window, *rows)
    else:
        window.controller.select([], None)
    doc = window.controller.document
    before = doc.snapshot()
    window.actions[action_id].trigger()
    after = doc.snapshot()
    assert after != before, f"{name} changed nothing: {window.statusBar().currentMessage()}"
    assert window.controller.undo_stack.count() == 1
    window.controller.undo_stack.undo()
    assert doc.snapshot() == before
    window.controller.undo_stack.redo()
    assert doc.snapshot() == after
    assert window.table_pane.model.rowCount() == len(doc)


def test_shift_assign_and_resegment_round_trip(window):
    doc = window.controller.document
    steps = []

    def step(do) -> None:
        before = doc.snapshot()
        do()
        steps.append((before, doc.snapshot()))
        assert steps[-1][0] != steps[-1][1]

    step(lambda: window.commands.shift(None, 1500))
    _select_rows(window, 0, 1)
    step(lambda: window.commands.assign_speaker_number(2))
    # Re-segmenting needs cues without a translation: cue 9 has none.
    _select_rows(window, 8)
    step(window.commands.resegment)
    for before, after in reversed(steps):
        assert doc.snapshot() == after
        window.controller.undo_stack.undo()
        assert doc.snapshot() == before
    for _before, after in steps:
        window.controller.undo_stack.redo()
        assert doc.snapshot() == after


def test_refused_operation_changes_nothing_and_says_why(window):
    doc = window.controller.document
    before = doc.snapshot()
    window.commands.shift(None, -60_000)  # would move the first cue before 0:00
    assert doc.snapshot() == before
    assert window.controller.undo_stack.count() == 0
    assert window.statusBar().currentMessage()


def test_next_problem_walks_the_qc_problems(window):
    qc = window.table_pane.model.qc
    assert qc.count() > 0
    window.controller.select([], None)
    seen = []
    for _ in range(qc.count() + 2):
        window.actions[ActionId.NEXT_PROBLEM].trigger()
        seen.append(window.controller.current_id)
    with_problems = [c.id for c in window.controller.document.cues if qc.problems_for(c.id)]
    assert seen[: len(with_problems)] == with_problems
    assert "⚠" in window.status_qc.text()


def test_find_and_replace_all_is_one_undo_step(window):
    from editor.qt.views.dialogs import FindReplaceDialog

    dialog = FindReplaceDialog(window.controller, window)
    dialog.find_text.setText("clock")
    dialog.replace_text.setText("watch")
    assert dialog.find_next()
    assert "clock" in window.controller.document.cue(window.controller.current_id).text
    before = window.controller.document.snapshot()
    count = dialog.replace_all()
    assert count >= 3
    assert window.controller.undo_stack.count() == 1
    assert not any("clock" in c.text for c in window.controller.document.cues)
    window.controller.undo_stack.undo()
    assert window.controller.document.snapshot() == before


def test_seed_opens_with_translation_and_languages(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    win = MainWindow(autosave_folder=str(tmp_path / "autosave"))
    qtbot.addWidget(win)
    win.open_path(str(seed_path("000")), str(seed_path("001")), wait=True)
    doc = win.controller.document
    assert doc.source_language == "en" and (doc.translation_language or "").startswith("zh")
    assert sum(1 for c in doc.cues if c.translation) > len(doc) // 2
    qtbot.waitUntil(lambda: "en → zh" in win.status_languages.text())
    assert not win.isWindowModified()  # attaching on open is part of the opened state


def test_help_and_dialogs_build(window):
    from editor.qt.actions import markdown_table
    from editor.qt.views.dialogs import ExportDialog, MergeSpeakersDialog, ShiftDialog, SyncDialog, about_text

    window.actions[ActionId.SHORTCUTS].trigger()
    window.actions[ActionId.ABOUT].trigger()
    assert "PySide6" in about_text() and "Qt" in about_text()
    table = markdown_table()
    assert "| Edit | Merge with Next | Ctrl+M |" in table and "F8" in table
    doc = window.controller.document
    export = ExportDialog(doc, "/tmp/talk.srt", {"format": "vtt", "track": "translation"}, window)
    assert export.choice().path.endswith("talk.zh.vtt")
    export.track.setCurrentIndex(export.track.findData("bilingual"))
    assert export.choice().path.endswith("talk.en-zh.vtt")
    shift = ShiftDialog(-1500, True, window)
    assert shift.offset.text() == "-0:01.500"
    sync = SyncDialog(doc, 0, len(doc) - 1, window)
    sync.times[1].setText("1:00.000")
    sync._accept()
    assert sync.points == ((doc.cues[0].id, 1000), (doc.cues[-1].id, 60_000))
    merge = MergeSpeakersDialog(doc, window)
    assert merge.list.count() == 2
