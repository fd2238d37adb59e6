"""Quit time: from the window's close to the end of the process, on a large document.

Usage: python benchmarks/bench_quit.py [--cues N] [--runs R] [--edit] [--media FILE]

Starts the editor the way `cueline FILE` does (editor.qt.app.main, offscreen, isolated
settings), waits until the file is loaded and the window idle, closes the window (Ctrl+Q's
handler) and measures, in the parent, the time between the close and the process's exit.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

_CHILD = r"""
import os, sys, time
sys.argv = ["cueline", sys.argv[1]] + (["--media", sys.argv[2]] if len(sys.argv) > 2 else [])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from editor.qt import app as app_module
from editor.qt.views import main_window

edit = os.environ.get("BENCH_QUIT_EDIT") == "1"
original_init = main_window.MainWindow.__init__

def init(self, *a, **k):
    original_init(self, *a, **k)
    def loaded(_path):
        def close():
            if edit:
                model = self.table_pane.model
                model.setData(model.index(0, 2), "edited")
                self.controller.undo_stack.setClean()
            QApplication.processEvents()
            print(f"closing {time.time():.6f}", flush=True)
            self.close()
        QTimer.singleShot(int(os.environ.get("BENCH_QUIT_AFTER_MS", "1500")), close)
    self.loaded.connect(loaded)

main_window.MainWindow.__init__ = init
code = app_module.main()
print(f"exec-returned {time.time():.6f}", flush=True)
app_module.end_process(code)  # as editor.entry.main ends the application
"""


def run_once(path: pathlib.Path, edit: bool, media: str | None = None) -> tuple[float, float]:
    """Return (seconds from close to exec() returning, seconds from close to process exit)."""
    home = tempfile.mkdtemp(prefix="cueline-quit-")
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        CUELINE_HOME=home,
        XDG_CONFIG_HOME=f"{home}/config",
        XDG_DATA_HOME=f"{home}/data",
        XDG_CACHE_HOME=f"{home}/cache",
        PYTHONPATH=str(REPO),
        BENCH_QUIT_EDIT="1" if edit else "0",
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(path), *([media] if media else [])],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    closing = returned = None
    for line in proc.stdout:
        word, _, stamp = line.strip().partition(" ")
        if word == "closing":
            closing = float(stamp)
        elif word == "exec-returned":
            returned = float(stamp)
    proc.wait()
    end = time.time()
    if closing is None or returned is None:
        raise RuntimeError(f"the editor did not close (exit {proc.returncode})")
    return returned - closing, end - closing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cues", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edit", action="store_true", help="make an edit (undo history) before closing")
    parser.add_argument("--media", help="a media file to open with it (the player and waveform run)")
    args = parser.parse_args(argv)
    from benchmarks.soak_kill import make_srt

    folder = pathlib.Path(tempfile.mkdtemp(prefix="cueline-quit-doc-"))
    path = folder / "big.srt"
    make_srt(path, args.cues)
    for run in range(args.runs):
        to_return, to_exit = run_once(path, args.edit, args.media)
        print(
            f"run {run + 1}: close -> exec() returned {to_return:.3f} s, "
            f"close -> process exit {to_exit:.3f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
