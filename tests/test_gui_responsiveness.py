"""The paths that keep the window responsive on long documents (issue 4): background open with
the garbage collector paused, the timeline index handed over from the loader, no QC on the
read-only preview, one repaint signal for document-wide time changes, cached QC answers."""

from __future__ import annotations

import gc

import pytest
from conftest import make_window
from PySide6.QtCore import QEvent, QObject, Qt

from editor.core import edits, operations
from editor.core.model import Document
from editor.core.timecode import format_short, format_srt
from editor.qt import session, workers
from editor.qt.controller import Controller
from editor.qt.cue_model import PROBLEMS_ROLE, WIDE_CHANGE_CUES, Column, CueTableModel, QcTracker
from editor.qt.views.timeline_geometry import CueIndex


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    return make_window(qtbot, tmp_path, monkeypatch, size=(1200, 800))


@pytest.fixture
def unfreeze():
    """Give objects a test froze back to the collector afterwards."""
    yield
    gc.unfreeze()


def _long_srt(path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            start = i * 2000
            fh.write(
                f"{i + 1}\n{format_srt(start)} --> {format_srt(start + 1500)}\nLine {i} of a long file\n\n"
            )


def test_gc_paused_while_a_task_builds_and_big_results_are_frozen(qtbot, unfreeze):
    seen: list[bool] = []
    done: list[object] = []

    def build() -> list[list[int]]:
        seen.append(gc.isenabled())
        return [[i] for i in range(workers.GC_FREEZE_MIN_OBJECTS * 2)]  # tracked containers

    frozen_before = gc.get_freeze_count()
    workers.run_task(build, done.append, pytest.fail, pause_gc=True)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert seen == [False]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen_before + workers.GC_FREEZE_MIN_OBJECTS


def test_gc_pause_ends_after_a_failing_task_and_small_results_stay_collectable(qtbot, unfreeze):
    failed: list[BaseException] = []

    def boom() -> None:
        raise ValueError("bad input")

    workers.run_task(boom, pytest.fail, failed.append, pause_gc=True)
    qtbot.waitUntil(lambda: bool(failed), timeout=20_000)
    assert gc.isenabled()
    done: list[object] = []
    frozen_before = gc.get_freeze_count()
    workers.run_task(lambda: [[1], [2]], done.append, pytest.fail, pause_gc=True)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen_before


def test_background_open_previews_without_qc_and_hands_over_the_timeline_index(
    qtbot, window, tmp_path, monkeypatch, unfreeze
):
    path = tmp_path / "long.srt"
    _long_srt(path, 20_000)
    assert path.stat().st_size > session.PREVIEW_MIN_BYTES
    window.ensure_timeline()
    built_for: list[int] = []
    real_build = QcTracker.build
    monkeypatch.setattr(
        QcTracker,
        "build",
        staticmethod(
            lambda doc, *args, **kw: built_for.append(len(doc)) or real_build(doc, *args, **kw)
        ),
    )
    shown: list[int] = []
    window.controller.document_replaced.connect(lambda: shown.append(len(window.controller.document)))
    taken: list[object] = []
    real_take = CueIndex.take_prebuilt
    monkeypatch.setattr(
        CueIndex, "take_prebuilt", classmethod(lambda cls, doc: taken.append(real_take(doc)) or taken[-1])
    )

    with qtbot.waitSignal(window.loaded, timeout=60_000):
        window.open_path(str(path))
    # The checks run on a worker once the file is shown (the window names the file first).
    qtbot.waitUntil(lambda: window.table_pane.model.qc.index is not None, timeout=60_000)
    qtbot.wait(50)  # a second QC build would be scheduled on the next turn

    assert shown[-1] == 20_000
    if len(shown) > 1:  # the head of the file was shown first, read-only
        assert shown[0] < 20_000
    assert built_for == [20_000]  # once, on a worker; never for the preview
    assert any(index is not None and len(index) == 20_000 for index in taken)
    assert window.timeline.cues_end_ms() == window.controller.document.duration_ms
    assert window.status_duration.text().startswith("11:06:")  # 20 000 cues 2 s apart
    assert gc.isenabled()


class _PaintLog(QObject):
    def __init__(self, events: list[str], model) -> None:
        super().__init__()
        self.events, self.model = events, model

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.model.rowCount():
            self.events.append("paint")
        return False


@pytest.mark.parametrize("shown", [True, False])
def test_long_open_paints_its_preview_before_the_whole_file_loads(
    qtbot, tmp_path, monkeypatch, unfreeze, shown
):
    # While the loader runs, every call Qt makes into Python waits for the GIL: the preview's
    # rows are painted first. A window that never paints (hidden) still loads the file.
    window = make_window(qtbot, tmp_path, monkeypatch, show=shown)
    path = tmp_path / "long.srt"
    _long_srt(path, 20_000)
    events: list[str] = []
    real_load = session.load_job
    monkeypatch.setattr(session, "load_job", lambda *a, **k: events.append("load") or real_load(*a, **k))
    window.controller.document_replaced.connect(
        lambda: events.append(f"shown {len(window.controller.document)}")
    )
    log = _PaintLog(events, window.table_pane.model)
    window.table_pane.view.viewport().installEventFilter(log)
    with qtbot.waitSignal(window.loaded, timeout=60_000):
        window.open_path(str(path))
    assert events[-1] == "shown 20000" or events[-1] == "paint"
    assert events[0].startswith("shown ") and events[0] != "shown 20000"  # the preview
    loaded_at = events.index("load")
    if shown:
        assert "paint" in events[1:loaded_at]  # its rows were painted before the load began
    else:
        assert "paint" not in events
    assert "shown 20000" in events[loaded_at:]


def _problem_doc(n: int) -> Document:
    doc = Document()
    for i in range(n):
        doc.append(doc.new_cue(i * 3000, i * 3000 + 2000, "fine"))
    return doc


def test_time_change_to_many_cues_repaints_all_rows_with_one_signal(qtbot):
    n = WIDE_CHANGE_CUES + 100
    controller = Controller(_problem_doc(n))
    model = CueTableModel(controller)
    signals: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(lambda a, b, _roles: signals.append((a.row(), b.row(), a.column(), b.column())))
    controller.apply(operations.shift_cues(controller.document, None, 500), "shift all")
    assert (0, n - 1, Column.START, Column.CPS) in signals
    assert len([s for s in signals if s[2] == Column.START]) == 1
    assert model.index(n - 1, Column.START).data() == format_short((n - 1) * 3000 + 500)


def test_few_cues_changed_repaint_only_their_rows(qtbot):
    controller = Controller(_problem_doc(50))
    model = CueTableModel(controller)
    signals: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, _roles: signals.append((a.row(), b.row())))
    doc = controller.document
    controller.apply(edits.set_field(doc.cues[10].id, "text", "changed"), "edit")
    assert signals and all(9 <= top <= bottom <= 11 for top, bottom in signals)


def test_cached_qc_answers_follow_edits(qtbot):
    controller = Controller(_problem_doc(3))
    model = CueTableModel(controller)
    model.adopt_qc_index(model.qc.build(controller.document))
    doc = controller.document
    cell = model.index(1, Column.DURATION)
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is None
    assert cell.data(PROBLEMS_ROLE) == []
    # 50 ms on screen: too short; the tint and the list must follow at once.
    controller.apply(edits.SetTimes({doc.cues[1].id: (3000, 3050)}), "squeeze")
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    problems = cell.data(PROBLEMS_ROLE)
    assert problems and "⚠" in model.index(1, Column.STATUS).data()
    problems.clear()  # the caller's copy: the model's answer stays
    assert model.index(1, Column.DURATION).data(PROBLEMS_ROLE)
    controller.undo_stack.undo()
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is None
    assert cell.data(PROBLEMS_ROLE) == []


def test_a_checks_job_failing_with_no_edit_to_blame_reaches_the_excepthook(
    qtbot, window, tmp_path, monkeypatch, unfreeze
):
    # An error of the load's checks job that no edit raced is a bug: it must reach the
    # application's excepthook, not leave the window without its QC index and say nothing.
    path = tmp_path / "long.srt"
    _long_srt(path, 20_000)

    def broken_job(doc, styles=None):
        raise ValueError("a bug in the checks")

    monkeypatch.setattr(session, "checks_job", broken_job)
    with qtbot.captureExceptions() as caught:
        with qtbot.waitSignal(window.loaded, timeout=60_000):
            window.open_path(str(path))
        qtbot.waitUntil(lambda: bool(caught), timeout=60_000)
    assert [str(exc) for _type, exc, _tb in caught] == ["a bug in the checks"]
    assert window.table_pane.model.qc.index is None


def test_an_edit_before_the_load_checks_arrive_rebuilds_them_on_a_worker(
    qtbot, window, tmp_path, monkeypatch, unfreeze
):
    # The user edits while the load's checks job (languages + QC index) runs: its index is
    # stale, and the fresh one must be built on a worker (on the GUI thread it froze the
    # window ~0.3 s at 100k cues), ending equal to a fresh index of the edited document.
    import threading

    from editor.core.qc import QcIndex, QcProfile

    path = tmp_path / "long.srt"
    _long_srt(path, 20_000)
    release = threading.Event()
    real_job = session.checks_job

    def held_job(doc, styles=None):
        release.wait(30)  # the edit below lands before the checks come back
        return real_job(doc, styles)

    monkeypatch.setattr(session, "checks_job", held_job)
    main = threading.get_ident()
    built_on: list[bool] = []
    real_build = QcTracker.build
    monkeypatch.setattr(
        QcTracker,
        "build",
        staticmethod(
            lambda doc, *args, **kw: built_on.append(threading.get_ident() == main)
            or real_build(doc, *args, **kw)
        ),
    )
    with qtbot.waitSignal(window.loaded, timeout=60_000):
        window.open_path(str(path))
    controller, model = window.controller, window.table_pane.model
    doc = controller.document
    assert len(doc) == 20_000 and model.qc.index is None
    squeezed = doc.cues[7]
    controller.apply(edits.SetTimes({squeezed.id: (squeezed.start_ms, squeezed.start_ms + 50)}), "squeeze")
    controller.apply(edits.SetCueValues("text", {doc.cues[9].id: "x" * 300}), "long line")
    release.set()
    qtbot.waitUntil(lambda: model.qc.index is not None and not model.qc.rebuilding, timeout=60_000)

    assert built_on and not any(built_on)  # every build ran on a worker
    fresh = QcIndex(doc, QcProfile(styles=controller.styles))
    assert model.qc.count() == fresh.count > 0
    for cue in doc.cues:
        assert model.qc.problems_for(cue.id) == fresh.problems_for(cue.id)
    assert model.qc.problems_for(squeezed.id)
