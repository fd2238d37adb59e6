"""Accessible names for the main window's widgets that have no words of their own.

Screen readers announce a widget by its accessible name. Labels in the status bar, the edit
panel's figures and the docks show values ("42 cues", "UTF-8 LF") that say nothing out of
context, so each gets a name saying what it is. Docks added by feature modules are named after
their title; that pass runs again once every installer has run, so docks added after this
module are named too.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QWidget

from editor.qt.host import Feature, Host


def _name(widget: QWidget | None, name: str) -> None:
    if widget is not None and not widget.accessibleName():
        widget.setAccessibleName(name)


def name_docks(window) -> None:
    """Give every dock without an accessible name its (mnemonic-free) title."""
    # Docks are the main window's direct children: no walk through every widget (~7 ms).
    for dock in window.findChildren(QDockWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
        _name(dock, dock.windowTitle().replace("&", ""))


def name_widgets(window) -> None:
    """Name the table, edit panel, status bar fields and docks of `window`."""
    tr = window.tr
    pane = window.table_pane
    _name(pane, tr("Cue list"))
    _name(pane.view, tr("Cues"))
    panel = window.edit_panel
    _name(panel, tr("Edit cue"))
    for widget, name in (
        (panel.position, tr("Cue position")),
        (panel.text_stats, tr("Text line lengths and reading speed")),
        (panel.translation_stats, tr("Translation line lengths and reading speed")),
        (panel.prev_button, tr("Previous cue")),
        (panel.next_button, tr("Next cue")),
    ):
        _name(widget, name)
    _name(window.statusBar(), tr("Status bar"))
    _name(window.menuBar(), tr("Menu bar"))
    name_docks(window)


def install(window: Host) -> None:
    """Name the window's widgets now, and the docks again after the other installers ran."""
    name_widgets(window)
    QTimer.singleShot(0, window, lambda: name_docks(window))


# Names the docks and widgets the others added.
FEATURE = Feature("accessible_names", install, after=("*",))
