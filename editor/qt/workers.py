"""Background tasks: run a function on the thread pool, get its result back on the GUI thread."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    """Lives on the GUI thread, so signals emitted from the worker are queued to it."""

    done = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    """Runs `fn()` on a pool thread; `relay.done(result)` or `relay.failed(exc)` fires on the GUI thread."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # we keep our own reference until the result arrives
        self._fn = fn
        self.relay = _Relay()

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # a worker must hand every failure back, never die silently
            self._emit(self.relay.failed, exc)
        else:
            self._emit(self.relay.done, result)

    @staticmethod
    def _emit(signal, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:
            pass  # the application is shutting down and the relay is gone: nobody is waiting


_running: set[Task] = set()
# While a worker runs Python code, the GUI thread needs the GIL back for every callback Qt
# makes into Python (each delegate call while painting). The default switch interval (5 ms)
# turns a repaint of a few hundred cells into a stall of a second; 20 µs keeps it short (a
# table repaint during a 100k-cue load: 180-200 ms at 0.5 ms, 80-125 ms at 0.2 ms, 56-70 ms
# at 20 µs on a 2-core machine; the load itself takes no measurably longer).
BUSY_SWITCH_INTERVAL_S = 0.00002
_idle_switch_interval: float | None = None


def _set_busy(busy: bool) -> None:
    global _idle_switch_interval
    if busy and _idle_switch_interval is None:
        _idle_switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(_idle_switch_interval, BUSY_SWITCH_INTERVAL_S))
    elif not busy and _idle_switch_interval is not None:
        sys.setswitchinterval(_idle_switch_interval)
        _idle_switch_interval = None


# Tasks that build large object graphs (a 100k-cue document: millions of objects) pause the
# cyclic garbage collector: each full collection it would start on the worker walks every
# object while holding the GIL, and the window froze for 100-200 ms at a time, five times
# per open. When the last such task is done, what it built is frozen (gc.freeze) so no
# later collection on the GUI thread walks it either; plain reference counting still frees
# it when the document is closed.
_gc_pausers = 0
_gc_was_enabled = True
# Fewer new objects than this since the pause: a normal young collection is cheap enough.
GC_FREEZE_MIN_OBJECTS = 50_000


def _pause_gc() -> None:
    global _gc_pausers, _gc_was_enabled
    if _gc_pausers == 0:
        _gc_was_enabled = gc.isenabled()
        gc.disable()
    _gc_pausers += 1


def _resume_gc() -> None:
    global _gc_pausers
    _gc_pausers -= 1
    if _gc_pausers == 0 and _gc_was_enabled:
        if gc.get_count()[0] >= GC_FREEZE_MIN_OBJECTS:
            gc.freeze()
        gc.enable()


def run_task(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    pool: QThreadPool | None = None,
    owner: QObject | None = None,
    *,
    pause_gc: bool = False,
) -> Task:
    """Start `fn` on `pool` (the global pool by default); returns the task.

    Exactly one of `on_done(result)` / `on_failed(exc)` is called later, on the GUI thread,
    unless `owner` has been deleted by then (a window closed while its task ran). With
    `pause_gc`, the cyclic garbage collector stays off until the callback has run (for
    tasks that allocate a whole document; see _pause_gc).
    """
    task = Task(fn)
    _running.add(task)
    _set_busy(True)
    if pause_gc:
        _pause_gc()

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        _running.discard(task)
        if not _running:
            _set_busy(False)
        try:
            if owner is not None and not shiboken6.isValid(owner):
                return
            callback(value)
        finally:
            if pause_gc:
                _resume_gc()

    task.relay.done.connect(lambda result: finish(on_done, result))
    task.relay.failed.connect(lambda exc: finish(on_failed, exc))
    (pool or QThreadPool.globalInstance()).start(task)
    return task


def running_count() -> int:
    """Return how many tasks have not reported back yet (tests wait for 0)."""
    return len(_running)
