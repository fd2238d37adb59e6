"""Feature modules that add docks, menus and actions to the main window.

Each name is a module with `install(window) -> None`, called once at the end of
MainWindow.__init__ in this order. Keeping features out of main_window.py keeps that
module about opening, saving and layout, and lets each feature be tested on its own.
An install that raises ImportError (an optional Qt module that cannot load, such as
QtMultimedia without libpulse) is skipped with a one-line message on stderr.
"""

from __future__ import annotations

import importlib
import sys

INSTALLERS: list[str] = [
    # one line per feature module, e.g. "editor.qt.views.speakers_panel",
    "editor.qt.views.review_panel",
    "editor.qt.views.waveform_feature",
    "editor.qt.views.align_audio",  # after waveform_feature: aligns to the waveform it reads
    "editor.qt.disk_watch",
    "editor.qt.views.player_panel",
    "editor.qt.views.timing_by_ear",  # after player_panel: uses its playhead when there is one
    "editor.qt.views.line_layout",
    "editor.qt.views.toolbar",  # after the features whose actions it shows
    "editor.qt.views.first_run",
    "editor.qt.views.speakers_panel",
    "editor.qt.views.spelling_feature",  # after review_panel: hooks its editors
    "editor.qt.views.glossary_panel",
    "editor.qt.views.read_report",
    "editor.qt.views.keyboard_flow",
    "editor.qt.views.accessible_names",  # keep last: names the docks the others added
]


def install_all(window) -> None:
    """Install every feature module into the window; returns nothing."""
    for name in INSTALLERS:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            print(f"cueline: {name.rsplit('.', 1)[-1]} unavailable: {exc}", file=sys.stderr)
            continue
        module.install(window)
