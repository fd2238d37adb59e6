"""The interpreter knobs of editor.core.runtime: a pause of the collector that asks to freeze what
it built (the application's start-up) freezes it however little it is, also when another pauser
ends last; a long step of the GUI thread's own Python runs at the usual switch interval."""

from __future__ import annotations

import gc
import sys

import pytest

from editor.core import runtime


@pytest.fixture
def unfreeze():
    """Give objects a test froze back to the collector afterwards."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_small_pause_leaves_what_it_built_to_the_collector(unfreeze):
    runtime.pause_gc()
    kept = [[i] for i in range(100)]
    runtime.resume_gc()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert gc.is_tracked(kept[0])


def test_a_pause_that_asks_freezes_what_it_built_however_little(unfreeze):
    runtime.pause_gc()
    kept = [[i] for i in range(100)]
    assert not gc.isenabled()
    runtime.resume_gc(freeze=True)
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(kept)


def test_the_freeze_asked_for_waits_for_the_last_pauser_and_is_then_forgotten(unfreeze):
    runtime.pause_gc()  # the start-up
    runtime.pause_gc()  # a load it started
    runtime.resume_gc(freeze=True)  # the start-up ends first
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0
    kept = [[i] for i in range(100)]
    runtime.resume_gc()  # the load ends: everything built meanwhile is frozen
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(kept)
    gc.unfreeze()
    runtime.pause_gc()  # a later small pause freezes nothing
    runtime.resume_gc()
    assert gc.get_freeze_count() == 0


def test_a_long_gui_step_runs_at_the_usual_interval_and_gives_the_short_one_back():
    usual = sys.getswitchinterval()
    with runtime.long_gui_step():  # not busy: nothing changes
        assert sys.getswitchinterval() == usual
    runtime.set_busy(True)
    try:
        assert sys.getswitchinterval() == pytest.approx(runtime.BUSY_SWITCH_INTERVAL_S)
        with runtime.long_gui_step():
            assert sys.getswitchinterval() == usual
        assert sys.getswitchinterval() == pytest.approx(runtime.BUSY_SWITCH_INTERVAL_S)
    finally:
        runtime.set_busy(False)
    assert sys.getswitchinterval() == usual


def test_work_that_ends_inside_a_long_gui_step_leaves_the_usual_interval():
    usual = sys.getswitchinterval()
    runtime.set_busy(True)
    with runtime.long_gui_step():
        runtime.set_busy(False)  # the last task reported back meanwhile
    assert sys.getswitchinterval() == usual


def _is_glibc() -> bool:
    import platform

    return sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"


@pytest.mark.skipif(not _is_glibc(), reason="malloc is tuned on glibc only")
def test_tuned_malloc_reuses_a_freed_big_buffer_instead_of_faulting_fresh_pages(monkeypatch):
    import resource

    monkeypatch.delenv("GLIBC_TUNABLES", raising=False)
    for name in [k for k in __import__("os").environ if k.startswith("MALLOC_")]:
        monkeypatch.delenv(name)
    assert runtime.tune_malloc()
    size = 8 * 1024 * 1024  # the size of a 100k-cue file's bytes: its own mmap by default

    def faults_for_a_buffer() -> int:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        buffer = b"x" * size  # written throughout: every page is touched
        after = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        del buffer
        return after - before

    faults_for_a_buffer()
    # Freed memory stayed in the heap: the next buffer of that size reuses its pages.
    assert faults_for_a_buffer() < size // 4096 // 4


def test_malloc_is_left_alone_off_glibc_or_when_the_user_tuned_it(monkeypatch):
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=2")
    assert not runtime.tune_malloc()
    monkeypatch.delenv("GLIBC_TUNABLES")
    monkeypatch.setattr(sys, "platform", "win32")
    assert not runtime.tune_malloc()
