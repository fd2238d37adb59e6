"""GUI figures for issue 4, on a 100k-cue document (offscreen Qt).

Run: `python benchmarks/bench_gui.py [N]`. Prints:
- cold start to first window (a fresh interpreter, median of 3);
- open of an N-cue SRT to the first painted table rows, and the longest event-loop
  stall during that open (the file is read, parsed and QC-indexed on a worker thread);
- a single cell edit end to end (model, QC, views repainted);
- undo of "shift all".
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)


def cold_start_ms() -> float:
    code = (
        "import time; t=time.perf_counter(); import os; os.environ.setdefault('QT_QPA_PLATFORM','offscreen');"
        "from PySide6.QtWidgets import QApplication; app=QApplication([]);"
        "from editor.qt.views.main_window import MainWindow; w=MainWindow(); w.show(); app.processEvents();"
        "print((time.perf_counter()-t)*1000)"
    )
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
        )
        total = (time.perf_counter() - start) * 1000
        runs.append((total, float(out.stdout.strip().splitlines()[-1])))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def write_srt(path: str, n: int) -> None:
    from editor.core.timecode import format_srt

    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            start = i * 2000
            s, e = format_srt(start), format_srt(start + 1500)
            fh.write(f"{i + 1}\n{s} --> {e}\nLine number {i} of the benchmark\nsecond line {i}\n\n")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    total, in_process = cold_start_ms()
    print(f"cold start to first window: {total:.0f} ms process total, {in_process:.0f} ms inside Python")

    from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from editor.core import operations
    from editor.qt.cue_model import Column
    from editor.qt.views.main_window import MainWindow

    folder = tempfile.mkdtemp(prefix="cueline-bench-")
    path = os.path.join(folder, "big.srt")
    write_srt(path, n)
    window = MainWindow(autosave_folder=os.path.join(folder, "autosave"), autosave_delay_ms=5000)
    window.resize(1600, 1000)
    window.show()
    app.processEvents()

    class PaintWatch(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.painted_at: float | None = None

        def eventFilter(self, obj, event) -> bool:
            if (
                event.type() == QEvent.Type.Paint
                and self.painted_at is None
                and window.table_pane.model.rowCount()
            ):
                self.painted_at = time.perf_counter()
            return False

    watch = PaintWatch()
    window.table_pane.view.viewport().installEventFilter(watch)
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    ticker = QTimer(interval=5)
    ticker.timeout.connect(tick)
    ticker.start()
    loaded: list[float] = []
    window.loaded.connect(lambda _p: loaded.append(time.perf_counter()))
    start = time.perf_counter()
    window.open_path(path)
    while (watch.painted_at is None or not loaded) and time.perf_counter() - start < 120:
        app.processEvents()
        time.sleep(0.001)
    ticker.stop()
    first_rows = (watch.painted_at - start) * 1000
    whole = (loaded[0] - start) * 1000
    print(f"open {n} cues → first painted rows: {first_rows:.0f} ms (whole document shown at {whole:.0f} ms)")
    print(f"longest event-loop stall during the open: {max(gaps):.0f} ms")

    model = window.table_pane.model
    samples = []
    for i in range(20):
        t = time.perf_counter()
        model.setData(model.index(500 + i, Column.TEXT), f"edited {i}")
        window.table_pane.view.viewport().repaint()
        window.edit_panel.repaint()
        app.processEvents()
        samples.append((time.perf_counter() - t) * 1000)
    print(
        f"single cell edit end to end: median {statistics.median(samples):.1f} ms, max {max(samples):.1f} ms"
    )

    doc = window.controller.document
    window.controller.apply(operations.shift_cues(doc, None, 1000), "shift all")
    app.processEvents()
    t = time.perf_counter()
    window.controller.undo_stack.undo()
    app.processEvents()
    print(f"undo of shift all ({n} cues): {(time.perf_counter() - t) * 1000:.0f} ms")
    window.controller.undo_stack.setClean()
    window.close()


if __name__ == "__main__":
    main()
