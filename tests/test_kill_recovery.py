"""SIGKILL the real editor process at random moments; nothing older than the autosave delay is lost.

Drives `python -m editor` through the test-only control channel with the same driver as
benchmarks/soak_kill.py (which runs it 50 times and reports the figures): edits typed into
the edit panel, saves, autosaves, then a kill while idle, right after an edit, in the
middle of a save or of an autosave, and a restart with `--restore yes`.
"""

from __future__ import annotations

import importlib.util
import pathlib
import random
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent


def _driver():
    spec = importlib.util.spec_from_file_location("soak_kill", REPO / "benchmarks" / "soak_kill.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("soak_kill", module)
    spec.loader.exec_module(module)
    return module


soak = _driver()


@pytest.fixture(scope="module")
def base_srt(tmp_path_factory) -> pathlib.Path:
    path = tmp_path_factory.mktemp("kill") / "base.srt"
    soak.make_srt(path, 2500)
    return path


@pytest.mark.parametrize(
    ("run", "phase"),
    [
        (0, "idle"),
        (1, "edit"),
        (2, "save"),
        (3, "save-write"),
        (4, "autosave"),
        (5, "autosave-write"),
        (6, None),
    ],
)
def test_kill_at_random_moments_loses_nothing_older_than_the_autosave_delay(tmp_path, base_srt, run, phase):
    rng = random.Random(7919 * (run + 1))
    result = soak.run_once(run, tmp_path / "run", base_srt, rng, phase)
    assert result.problems == [], result.line()
    assert result.survived and result.bytes_lost == 0
    assert result.recovered >= result.required
    if result.phase == "idle":  # killed long after the last edit: every edit came back
        assert result.recovered == result.edits


def test_the_soak_notices_lost_work_when_autosave_cannot_write(tmp_path, base_srt):
    """Negative control: with autosave broken, edits older than the delay are reported lost."""
    rng = random.Random(11)
    result = soak.run_once(99, tmp_path / "run", base_srt, rng, "idle", break_autosave=True)
    assert result.required > 0
    assert not result.survived
    assert result.bytes_lost > 0
    assert any("older than the delay but lost" in p for p in result.problems)
