"""Timeline repaint time on a 100k-cue document, at several zooms.

Run: python benchmarks/bench_timeline.py [--cues N] [--repeat R]
Prints milliseconds per repaint (median and worst of R) of the TimelineView rendered
offscreen at 1600x200 into a QImage through QWidget.render(), for zooms from deep in to the
whole document (the worst case, where cues are aggregated per pixel column), in one lane and
in one-lane-per-speaker mode, and with a synthetic waveform provider. Target: <= 4 ms
(<= 6 ms with a waveform).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

import numpy as np
from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from editor.core.edits import SetTimes
from editor.core.model import Document, Timing
from editor.qt.controller import Controller
from editor.qt.views.timeline import TimelineView
from editor.qt.views.timeline_geometry import CueIndex

WIDTH, HEIGHT = 1600, 200


def build_document(n: int) -> Document:
    """Return an n-cue document: 4 speakers and some without one, 1-6 s cues, small gaps,
    an overlap every 50 cues, a run of estimated timing every 1000 cues."""
    doc = Document()
    speakers = [doc.ensure_speaker(f"Speaker {i + 1}").id for i in range(4)]
    t = 0
    for i in range(n):
        dur = 1000 + (i * 7919) % 5000
        sid = None if i % 17 == 0 else speakers[(i // 3) % 4]
        timing = Timing.ESTIMATED if (i // 100) % 10 == 0 else Timing.EXACT
        doc.append(
            doc.new_cue(t, t + dur, f"Cue number {i} with <i>some</i> text", speaker_id=sid, timing=timing)
        )
        t += dur + (-400 if i % 50 == 0 else 120 + (i * 31) % 700)
    return doc


class SineWaveform:
    """A synthetic peak provider returning a NumPy array, as issue 6's peak pyramid will."""

    def peaks(self, start_ms: int, end_ms: int, n_columns: int) -> np.ndarray:
        t = np.linspace(start_ms, end_ms, n_columns, endpoint=False)
        a = 0.3 + 0.6 * np.abs(np.sin(t / 3000))
        return np.stack((-a, a), axis=1)


def time_repaints(widget: QWidget, repeat: int) -> tuple[float, float, float]:
    """Return (median, min, median CPU) ms of `repeat` renders of `widget` into a QImage
    (QWidget.render); CPU is this thread's time (time.thread_time), which other processes on
    a shared machine do not inflate."""
    img = QImage(widget.width(), widget.height(), QImage.Format.Format_ARGB32_Premultiplied)
    times = []
    cpu = []
    for _ in range(repeat + 2):
        painter = QPainter(img)
        t0, c0 = time.perf_counter(), time.thread_time()
        widget.render(painter, QPoint(0, 0))
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
        painter.end()
    times, cpu = times[2:], cpu[2:]  # the first renders warm caches (fonts, text)
    return statistics.median(times), min(times), statistics.median(cpu)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cues", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    t0 = time.perf_counter()
    doc = build_document(args.cues)
    t_build = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    CueIndex.build(doc)
    t_index = (time.perf_counter() - t0) * 1000
    controller = Controller(doc)
    view = TimelineView(controller)
    view.resize(WIDTH, HEIGHT)
    view.show()
    app.processEvents()
    total = doc.duration_ms
    hours = total / 3_600_000
    print(f"document: {len(doc)} cues, {hours:.1f} h; built in {t_build:.0f} ms; index {t_index:.0f} ms")
    print("load average: {:.2f} {:.2f} {:.2f} on {} cores".format(*os.getloadavg(), os.cpu_count()))
    print(f"widget {WIDTH}x{HEIGHT}, {args.repeat} renders each; ms per repaint as median / min / CPU")
    print("(min: least disturbed by other load; CPU: median thread time), of the canvas (the")
    print("viewport, which is what a repaint redraws) and of the whole widget (canvas + the")
    print("style's scroll bar)")
    mid = total / 2
    zooms = [("1 ms/px (1.6 s visible)", 1.0), ("10 ms/px (16 s)", 10.0), ("100 ms/px (2.7 min)", 100.0)]
    zooms += [("1 s/px (27 min)", 1000.0), ("10 s/px (4.4 h)", 10_000.0), ("whole document", None)]
    worst = worst_wave = worst_widget = worst_cpu = 0.0
    for lanes in (False, True):
        for waveform in (False, True):
            view.set_lanes_by_speaker(lanes)
            view.set_waveform(SineWaveform() if waveform else None)
            mode = ("lanes by speaker" if lanes else "one lane") + (" + waveform" if waveform else "")
            print(f"-- {mode}")
            controller.select([doc.cues[len(doc) // 2].id])
            for label, mpp in zooms:
                if mpp is None:
                    view.zoom_to_fit()
                else:
                    view.set_scale(mid - WIDTH * mpp / 2, mpp)
                med, mn, cpu = time_repaints(view.viewport(), args.repeat)
                wmed, wmn, wcpu = time_repaints(view, args.repeat)
                if waveform:
                    worst_wave = max(worst_wave, med)
                else:
                    worst = max(worst, med)
                    worst_widget = max(worst_widget, wmed)
                    worst_cpu = max(worst_cpu, wcpu)
                print(
                    f"   {label:26s} canvas {med:6.2f} / {mn:6.2f} / {cpu:5.2f}   "
                    f"widget {wmed:6.2f} / {wmn:6.2f} / {wcpu:5.2f}"
                )
    # One edit stretches a cue over 10k others: every cue since its start becomes a candidate
    # for the view, and the first repaint after the edit must not summarise the whole document.
    view.set_waveform(None)
    long, mid_cue = doc.cues[len(doc) // 2 - 10_000], doc.cues[len(doc) // 2]
    for lanes in (False, True):
        view.set_lanes_by_speaker(lanes)
        for mpp in (10.0, 100.0):
            view.set_scale(mid - WIDTH * mpp / 2, mpp)
            controller.apply(SetTimes({long.id: (long.start_ms, mid_cue.end_ms)}), "stretch")
            t0, c0 = time.perf_counter(), time.thread_time()
            view.render_to_image(WIDTH, HEIGHT)
            first, first_cpu = (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000
            controller.undo_stack.undo()
            print(
                f"a cue over 10k others, {'lanes' if lanes else 'one lane'} at {mpp:g} ms/px: first "
                f"repaint after the edit {first:.1f} ms (CPU {first_cpu:.1f})"
            )
    print(f"worst canvas median: {worst:.2f} ms (target <= 4 ms)")
    print(f"worst whole-widget median: {worst_widget:.2f} ms wall, {worst_cpu:.2f} ms CPU (no waveform)")
    print(f"worst canvas median with waveform: {worst_wave:.2f} ms (target <= 6 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
