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
