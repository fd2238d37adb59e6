"""Core modules the Qt shell imports on first use, not at start-up.

`editor.core.operations` (and `playhead`, which uses it) cost ~30-40 ms to import; the
first window is shown without them (tests/test_gui_startup.py checks it) and the first
edit imports them.
"""

from __future__ import annotations

from types import ModuleType


def operations() -> ModuleType:
    """Return editor.core.operations (every user intent: retime, type translation, …)."""
    from editor.core import operations as module

    return module


def playhead() -> ModuleType:
    """Return editor.core.playhead (timing by ear: boundaries at the playhead, nudges)."""
    from editor.core import playhead as module

    return module
