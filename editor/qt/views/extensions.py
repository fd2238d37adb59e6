"""The feature modules of the main window.

Each module declares `FEATURE = Feature(name, install, after=…)` (editor.qt.host): what it
needs installed first, not a place in a list. The window installs them all at the end of
its construction (or just after its first paint) through its typed host interface. A
module that cannot be imported (an optional Qt module that cannot load, such as
QtMultimedia without libpulse) is skipped with a one-line message on stderr.
"""

from __future__ import annotations

import importlib
import sys

from editor.qt.host import Feature, Host, install_features

FEATURE_MODULES: tuple[str, ...] = (
    "editor.qt.views.review_panel",
    "editor.qt.views.waveform_feature",
    "editor.qt.views.align_audio",  # after waveform_feature: aligns to the waveform it reads
    "editor.qt.disk_watch",
    "editor.qt.views.player_panel",
    "editor.qt.views.timing_by_ear",
    "editor.qt.views.line_layout",
    "editor.qt.views.toolbar",
    "editor.qt.views.first_run",
    "editor.qt.views.speakers_panel",
    "editor.qt.views.spelling_feature",
    "editor.qt.views.glossary_panel",
    "editor.qt.views.read_report",
    "editor.qt.views.keyboard_flow",
    "editor.qt.views.review_sheet_export",
    "editor.qt.views.cue_note",
    "editor.qt.views.status_messages",
    "editor.qt.views.document_panel",
    "editor.qt.views.speaker_picker",
    "editor.qt.views.legend",
    "editor.qt.views.dock_layout",  # after every dock, before layout_state records the default
    "editor.qt.views.layout_state",
    "editor.qt.views.keyboard_page",
    "editor.qt.views.accessible_names",
)


def features(modules: tuple[str, ...] = FEATURE_MODULES) -> list[Feature]:
    """Return the features the modules declare (modules that cannot load are left out)."""
    found: list[Feature] = []
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            print(f"cueline: {name.rsplit('.', 1)[-1]} unavailable: {exc}", file=sys.stderr)
            continue
        found.append(module.FEATURE)
    return found


def install_all(host: Host) -> list[str]:
    """Install every feature into the window; returns the names installed, in order."""
    return install_features(host, features())
