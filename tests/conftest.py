"""Shared test set-up: offscreen Qt, isolated settings, paths to the shared corpora."""

from __future__ import annotations

import faulthandler
import os
import pathlib
import sys
import types

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = pathlib.Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
CONFORMANCE = SHARED / "conformance"

# spylls (a dependency) installs a top-level package named "tests", which would hide ours
# (tests/ has no __init__.py, and a regular package wins over a folder): `tests.support`
# must name this folder's support package.
if getattr(sys.modules.get("tests"), "__path__", None) != [str(REPO / "tests")]:
    _ours = types.ModuleType("tests")
    _ours.__path__ = [str(REPO / "tests")]
    sys.modules["tests"] = _ours


def seed_path(prefix: str) -> pathlib.Path:
    """Return the seed file starting with `prefix` ("000" or "001"), skipping when absent."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not matches:
        pytest.skip(f"seed {prefix} not available (../shared/seeds missing)")
    return matches[0]


def seed_copy(prefix: str, folder: pathlib.Path) -> pathlib.Path:
    """Return a copy of the seed in `folder`: for a test that may save over the open file
    (../shared is never written)."""
    copy = folder / seed_path(prefix).name
    copy.write_bytes(seed_path(prefix).read_bytes())
    return copy


@pytest.fixture(autouse=True)
def _default_keys():
    """Leave the default shortcuts to the next test (a window applies the user's keys process-wide,
    for the F1 list and the tips; the README's table is generated from the defaults)."""
    yield
    actions = sys.modules.get("editor.qt.actions")
    if actions is not None:
        actions.set_custom_keys({})


# A test that deadlocks inside Qt holds the interpreter lock, so no Python-level timeout can
# end it; faulthandler's watchdog is a C thread: it prints every thread's stack and exits, and
# the run fails in minutes instead of hanging until CI's limit.
TEST_WATCHDOG_S = float(os.environ.get("CUELINE_TEST_WATCHDOG_S", "900"))


@pytest.fixture(autouse=True)
def _watchdog():
    faulthandler.dump_traceback_later(TEST_WATCHDOG_S, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Keep settings, autosave and caches of every test in a private folder."""
    base = tmp_path_factory.mktemp("cueline-home")
    monkeypatch.setenv("CUELINE_HOME", str(base))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(base / "state"))


def make_window(
    qtbot, tmp_path, monkeypatch, *, size: tuple[int, int] | None = (1400, 900), show: bool = True
):
    """Return a MainWindow for a GUI test: private autosave folder, no autosave during the test,
    and a "save changes?" box that answers Discard (pytest-qt closes widgets before fixtures
    finish; a real box would block the run)."""
    from PySide6.QtWidgets import QMessageBox

    from editor.qt.views.main_window import MainWindow

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    win = MainWindow(autosave_folder=str(tmp_path / "autosave"), autosave_delay_ms=60_000)
    qtbot.addWidget(win)
    if size is not None:
        win.resize(*size)
    if show:
        win.show()
    return win


@pytest.fixture
def en_copy(tmp_path) -> str:
    """A copy of spylls' bundled en_US dictionary in the test's own folder (the path without an
    extension): its caches are written beside it, never beside the installed one."""
    import shutil

    import spylls.hunspell

    bundled = pathlib.Path(spylls.hunspell.data.__file__).parent / "en" / "en_US"
    base = tmp_path / "dicts" / "en_US"
    base.parent.mkdir()
    for ext in (".aff", ".dic"):
        shutil.copy(str(bundled) + ext, str(base) + ext)
    return str(base)


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    """A shown 1400×900 main window with no document (see make_window)."""
    return make_window(qtbot, tmp_path, monkeypatch)
