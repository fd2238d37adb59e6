"""The interpreter knobs the editor turns for speed, with why, in one place.

- The GIL switch interval while background work runs: the GUI thread needs the GIL back
  for every call Qt makes into Python (each delegate call while painting). The default
  (5 ms) turns a repaint of a few hundred cells into a stall of a second; 20 µs keeps it
  short (a table repaint during a 100k-cue load: 180-200 ms at 0.5 ms, 80-125 ms at 0.2 ms,
  56-70 ms at 20 µs on a 2-core machine; the load itself takes no measurably longer).
  `set_busy(True/False)` switches it; the Qt worker pool calls it around its tasks.
  `long_gui_step()` puts the usual interval back while the GUI thread runs a long stretch of
  its own Python (no event handled meanwhile: the short one would only add thread switches).
- The cyclic garbage collector during work that builds large acyclic object graphs:
  - `pause_gc()` / `resume_gc()` (counted, for background tasks that build a whole
    document): each full collection the collector would start walks every object while
    holding the GIL, and the window froze for 100-200 ms at a time, five times per open.
    When the last pauser resumes, what was built is frozen (gc.freeze), so no later
    collection on the GUI thread walks it either; reference counting still frees it.
    The application's start-up is a pauser too (editor.qt.app.main): Qt's types, the modules
    and the window are made without collections and frozen once the window is up.
  - `gc_paused()` (a context manager, for a reader building one document): a read creates
    a few tracked objects per cue and no cycles; the collector's passes over the growing
    document cost a third of a 100k-cue read. Afterwards freeze + unfreeze moves what was
    built to the oldest generation without a walk (the first collection after enable()
    would otherwise walk it all: ~50 ms after a 1 MB read).
- NumPy's BLAS library with one thread (`single_thread_blas()`, before NumPy is imported):
  OpenBLAS starts a thread per core when it loads and they spin a while looking for work,
  ~40-60 ms of CPU per process on a 2-core machine (NumPy's import: 0.06 s of CPU against
  0.11 s). Nothing here calls BLAS: the timing lines multiply integer arrays, the waveform's
  einsum, the FFT and the convolution have loops of their own.
- Not turned, measured: glibc's malloc settings (mallopt at start-up). One arena with fixed
  32 MB mmap / 128 MB trim thresholds and a 16 MB top pad cut a 100k-cue launch's minor faults
  from ~39k to ~32k but not its CPU (alternated, 12 rounds: median 1.12 s against 0.97 s without);
  the thresholds alone: ~35k faults, the same CPU, peak RSS 186 MB against 178 MB; the top pad
  alone: 64k faults, more CPU. Most of the faults are first touches of memory that stays in use.

Pure Python (no Qt): the core's readers and the Qt workers share it.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
from collections.abc import Iterator

BUSY_SWITCH_INTERVAL_S = 0.00002
# Fewer new objects than this since the pause: a normal young collection is cheap enough.
GC_FREEZE_MIN_OBJECTS = 50_000

_lock = threading.Lock()
_idle_switch_interval: float | None = None
_gc_pausers = 0
_gc_was_enabled = True
_gc_freeze_asked = False


def single_thread_blas() -> None:
    """Start NumPy's BLAS library with one thread (unless the user chose a number): call before
    NumPy is imported; nothing in the editor uses BLAS, and its thread pool costs CPU to start."""
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def set_busy(busy: bool) -> None:
    """Shorten the GIL switch interval while background work runs (`busy`), restore it after."""
    global _idle_switch_interval
    with _lock:
        if busy and _idle_switch_interval is None:
            _idle_switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(_idle_switch_interval, BUSY_SWITCH_INTERVAL_S))
        elif not busy and _idle_switch_interval is not None:
            sys.setswitchinterval(_idle_switch_interval)
            _idle_switch_interval = None


@contextlib.contextmanager
def long_gui_step() -> Iterator[None]:
    """Run a long stretch of the GUI thread's own Python (the features' install at launch) at the
    usual switch interval, even while background work runs.

    set_busy's short interval is for the calls Qt makes into Python between events; inside one
    long step, where no event is handled, it only makes the GUI thread and a worker trade the GIL
    every 20 µs: thousands of thread switches, each with CPU of its own, and neither done sooner.
    """
    with _lock:
        if _idle_switch_interval is not None:
            sys.setswitchinterval(_idle_switch_interval)
    try:
        yield
    finally:
        with _lock:
            if _idle_switch_interval is not None:  # (still, or again) busy: the short interval back
                sys.setswitchinterval(min(_idle_switch_interval, BUSY_SWITCH_INTERVAL_S))


def pause_gc() -> None:
    """Turn the cyclic collector off until every pauser has called `resume_gc`."""
    global _gc_pausers, _gc_was_enabled
    with _lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1


def resume_gc(freeze: bool = False) -> None:
    """End one `pause_gc`; the last one freezes what was built (when it is a lot, or when any
    pauser said `freeze`) and turns the collector back on if it was on.

    `freeze`: what this pauser built lives as long as the process (the start-up's modules, Qt's
    types and the window: ~40k objects, whose first young collection would walk them all, ~8 ms).
    """
    global _gc_pausers, _gc_freeze_asked
    with _lock:
        _gc_pausers -= 1
        _gc_freeze_asked = _gc_freeze_asked or freeze
        if _gc_pausers == 0:
            if _gc_was_enabled:
                if _gc_freeze_asked or gc.get_count()[0] >= GC_FREEZE_MIN_OBJECTS:
                    gc.freeze()
                gc.enable()
            _gc_freeze_asked = False


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Suspend the cyclic collector while a reader builds many acyclic objects; the previous
    collector state is restored and what was built leaves the young generation."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def empty_gradually(container: object, step: int = 512) -> None:
    """Empty a dict, set or list a slice at a time (anything else is left alone).

    Freeing a large table at once is one C call that holds the GIL throughout (~30 ms for a
    100k-cue QC index); emptied this way on a worker thread, the GUI thread gets the GIL
    between slices.
    """
    if isinstance(container, dict):
        while container:
            for _ in range(min(step, len(container))):
                container.popitem()
    elif isinstance(container, set):
        while container:
            for _ in range(min(step, len(container))):
                container.pop()
    elif isinstance(container, list):
        while container:
            del container[-step:]
