"""Background tasks: run a function on the thread pool, get its result back on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from editor.core import runtime


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

    def release(self) -> None:
        """Drop the function (and what it holds) once its result has been handed back."""
        self._fn = _done

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


def _done() -> None:
    return None


_running: set[Task] = set()
# The interpreter knobs (switch interval, collector pause) and why: editor.core.runtime.
GC_FREEZE_MIN_OBJECTS = runtime.GC_FREEZE_MIN_OBJECTS


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
    tasks that allocate a whole document; see editor.core.runtime).
    """
    task = Task(fn)
    _running.add(task)
    runtime.set_busy(True)
    if pause_gc:
        runtime.pause_gc()

    # The relay's connections hold `finish` in C++, where the collector cannot see the cycle
    # task -> relay -> finish -> task: whatever the function and the callbacks name (a whole
    # document) is let go of once the result is handed over, or it would stay alive for good.
    callbacks: dict[str, Callable[[Any], None]] = {"done": on_done, "failed": on_failed}

    def finish(kind: str, value: Any) -> None:
        callback = callbacks.get(kind)
        callbacks.clear()
        task.release()
        if callback is None:
            return
        _running.discard(task)
        if not _running:
            runtime.set_busy(False)
        try:
            if owner is not None and not shiboken6.isValid(owner):
                return
            callback(value)
        finally:
            if pause_gc:
                runtime.resume_gc()

    task.relay.done.connect(lambda result: finish("done", result))
    task.relay.failed.connect(lambda exc: finish("failed", exc))
    (pool or QThreadPool.globalInstance()).start(task)
    return task


def running_count() -> int:
    """Return how many tasks have not reported back yet (tests wait for 0)."""
    return len(_running)
