"""Memory while one long file is opened again and again in one window (issue 24).

Run: `python benchmarks/bench_reopen.py [--cues 100000] [--opens 10]`.
Opens the shared generator's `cues_N.srt` (../shared/bench/gen.py; else bench_srt's) `--opens` times
in one window (offscreen, isolated settings), waiting each time until the languages and QC are in,
and prints the process's RSS after each open and its peak (VmHWM). Flat means: from the third open
on, RSS stays within a few MB (tests/test_gui_reopen_memory.py guards the same at 20k cues).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _status(field: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cues", type=int, default=100_000)
    parser.add_argument("--opens", type=int, default=10)
    args = parser.parse_args(argv)
    home = tempfile.mkdtemp(prefix="cueline-bench-reopen-")
    os.environ["CUELINE_HOME"] = home
    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench_convert import make_input

    path = make_input(args.cues, pathlib.Path(home))
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from editor.qt import workers
    from editor.qt.views.main_window import MainWindow

    window = MainWindow(autosave_folder=os.path.join(home, "autosave"), autosave_delay_ms=600_000)
    window.resize(1400, 900)
    window.show()
    print(f"{path.name}: {args.opens} opens in one window; RSS after each (MB), seconds to idle")
    sizes: list[float] = []
    for k in range(args.opens):
        done: list[str] = []
        window.loaded.connect(done.append)
        t0 = time.perf_counter()
        window.open_path(str(path))
        while not done or workers.running_count():
            app.processEvents()
            time.sleep(0.005)
        window.loaded.disconnect(done.append)
        sizes.append(_status("VmRSS"))
        print(f"  open {k + 1:2d}: {sizes[-1]:6.0f} MB  {time.perf_counter() - t0:5.2f} s")
    print(f"peak (VmHWM) {_status('VmHWM'):.0f} MB; growth from open 3 to {args.opens}: "
          f"{sizes[-1] - sizes[min(2, len(sizes) - 1)]:+.0f} MB")
    window.controller.undo_stack.setClean()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
