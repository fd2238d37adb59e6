"""The Speakers panel on a big document: how long an edit takes until the panel shows it.

Run: `python benchmarks/bench_speakers.py [--cues 100000] [--speakers 20] [--repeat 3]`.
Each figure is the best of `--repeat`, in milliseconds, from the action to the event
loop being idle again (the edit, the table, the timeline and the panel's redraw):
assigning a speaker to one cue (the counts update), typing an existing or a new speaker's name
into one cue's cell (target: <= 16 ms each), undoing a new speaker, renaming a speaker,
merging two speakers, undoing that merge, the core's merge suggestions on their own, and the
first speaker typed into a document without any.
Beside each wall-clock figure, the GUI thread's CPU time (what the load of other processes
does not add to).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from editor.core import speakers
from editor.core.model import SPEAKER_COLORS, Document, Speaker
from editor.qt.views.speakers_panel import SpeakersPanel


def make_doc(n: int, n_speakers: int) -> Document:
    """Return n cues spread over n_speakers, two of whom differ only in a space."""
    table = [
        Speaker(f"s{k + 1}", f"Speaker {k + 1}", SPEAKER_COLORS[k % len(SPEAKER_COLORS)])
        for k in range(n_speakers)
    ]
    table[-1] = Speaker(table[-1].id, "Speaker1", table[-1].color)  # suggested merge with "Speaker 1"
    doc = Document(speakers=table)
    for i in range(n):
        doc.append(doc.new_cue(i * 2000, i * 2000 + 1500, f"Line {i}", speaker_id=table[i % n_speakers].id))
    return doc


def timed(
    app, action: Callable[[], object], repeat: int, undo: Callable[[], object] | None = None
) -> tuple[float, float]:
    """Return the best wall-clock and the best CPU time (the GUI thread's) of `action`, in ms."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.thread_time()
        action()
        app.processEvents()
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.thread_time() - c0)
        if undo is not None:
            undo()
            app.processEvents()
    return best * 1000, best_cpu * 1000


def show(name: str, figures: tuple[float, float]) -> None:
    wall, cpu = figures
    print(f"{name:34s} {wall:8.1f} {cpu:8.1f}")


def undo_new_speaker(app, model, cell, stack, repeat: int) -> tuple[float, float]:
    """Return the best (wall, CPU) ms of undoing a new speaker typed into `cell` (its redo is
    the typing itself)."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        model.setData(cell, "Someone New")
        app.processEvents()
        t0, c0 = time.perf_counter(), time.thread_time()
        stack.undo()
        app.processEvents()
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.thread_time() - c0)
    return best * 1000, best_cpu * 1000


def first_speaker(app, window, n: int, repeat: int) -> tuple[float, float]:
    """Return the best (wall, CPU) ms of typing the first speaker into one cell of an n-cue
    document without speakers (every other cue then lacks one: QC's warning on all of them)."""
    from editor.qt.cue_model import Column

    doc = Document()
    for i in range(n):
        doc.append(doc.new_cue(i * 2000, i * 2000 + 1500, f"Line {i}"))
    window.controller.set_document(doc)
    app.processEvents()
    qc = window.table_pane.model.qc
    while qc.index is None or qc.rebuilding:  # the checks of a new document may run on a worker
        app.processEvents()
        time.sleep(0.01)
    window.controller.select([doc.cues[0].id], doc.cues[0].id)
    app.processEvents()
    model = window.table_pane.model
    cell = model.index(0, Column.SPEAKER)
    return timed(app, lambda: model.setData(cell, "First Speaker"), repeat, window.controller.undo_stack.undo)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cues", type=int, default=100_000)
    parser.add_argument("--speakers", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    os.environ.setdefault("CUELINE_HOME", tempfile.mkdtemp(prefix="cueline-bench-"))
    from editor.qt.views.main_window import MainWindow

    window = MainWindow(
        autosave_folder=tempfile.mkdtemp(prefix="cueline-autosave-"), autosave_delay_ms=600_000
    )
    window.resize(1400, 900)
    window.show()
    doc = make_doc(args.cues, args.speakers)
    window.controller.set_document(doc)
    window.ensure_timeline()
    app.processEvents()
    panel = window.parts[SpeakersPanel]
    stack = window.controller.undo_stack
    first = doc.cues[0].id
    window.controller.select([first], first)
    app.processEvents()
    print(f"{args.cues} cues, {args.speakers} speakers; ms, best of {args.repeat} (wall, GUI thread's CPU)")

    t0 = time.perf_counter()
    suggestions = speakers.merge_suggestions(doc)
    found = f"({len(suggestions)} found)"
    print(f"{'merge_suggestions (core)':34s} {(time.perf_counter() - t0) * 1000:8.1f}  {found}")
    merge = lambda: panel.apply_suggestion(speakers.merge_suggestions(doc)[0])  # noqa: E731
    from editor.qt.cue_model import Column

    model = window.table_pane.model
    cell = model.index(0, Column.SPEAKER)
    for name, action, undo in (
        ("panel refresh (list + counts)", panel.refresh, None),
        ("assign speaker to 1 cue", lambda: panel.assign("s2"), stack.undo),
        ("type speaker in 1 cue's cell", lambda: model.setData(cell, "Speaker 3"), stack.undo),
        ("type a new speaker in 1 cell", lambda: model.setData(cell, "Someone New"), stack.undo),
        ("rename speaker", lambda: panel.rename("s1", "Renamed"), stack.undo),
        ("merge suggestion (one click)", merge, stack.undo),
    ):
        show(name, timed(app, action, args.repeat, undo))
    show("undo a new speaker", undo_new_speaker(app, model, cell, stack, args.repeat))
    merge()
    app.processEvents()
    show("undo the merge", timed(app, stack.undo, 1))
    show("first speaker, doc without any", first_speaker(app, window, args.cues, args.repeat))
    window.controller.undo_stack.setClean()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
