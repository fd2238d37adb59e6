"""The main toolbar: the window's most used actions, one click away.

The buttons are the window's own QActions (from actions.SPECS), so their tooltips ("what it
does (keys)"), enabled state and shortcuts are the ones the menus show; nothing is declared
twice. Icons come from the desktop's icon theme when it has one, else from the Qt style.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QIcon, QKeySequence
from PySide6.QtWidgets import QStyle, QToolBar

from editor.qt.actions import ActionId
from editor.qt.host import Feature, Host

TOOLBAR_NAME = "mainToolBar"

# None is a separator. Each action: (freedesktop icon name, Qt style fallback).
TOOLBAR_ACTIONS: tuple[tuple[ActionId, str, QStyle.StandardPixmap] | None, ...] = (
    (ActionId.OPEN, "document-open", QStyle.StandardPixmap.SP_DialogOpenButton),
    (ActionId.SAVE, "document-save", QStyle.StandardPixmap.SP_DialogSaveButton),
    (ActionId.EXPORT, "document-export", QStyle.StandardPixmap.SP_FileDialogToParent),
    None,
    (ActionId.UNDO, "edit-undo", QStyle.StandardPixmap.SP_ArrowBack),
    (ActionId.REDO, "edit-redo", QStyle.StandardPixmap.SP_ArrowForward),
    (ActionId.FIND, "edit-find", QStyle.StandardPixmap.SP_FileDialogContentsView),
    (ActionId.REBALANCE_LINES, "format-justify-center", QStyle.StandardPixmap.SP_FileDialogListView),
    None,
    (ActionId.NEXT_PROBLEM, "dialog-warning", QStyle.StandardPixmap.SP_MessageBoxWarning),
    (ActionId.REVIEW_MODE, "view-dual", QStyle.StandardPixmap.SP_FileDialogDetailedView),
    (ActionId.MARK_REVIEWED, "dialog-ok-apply", QStyle.StandardPixmap.SP_DialogApplyButton),
    (ActionId.NEXT_NEEDS_REVIEW, "go-down", QStyle.StandardPixmap.SP_ArrowDown),
)


def build_toolbar(window) -> QToolBar:
    """Return the main toolbar holding the window's actions (added to the window's top area)."""
    bar = QToolBar(window.tr("Main Toolbar"), window)
    bar.setObjectName(TOOLBAR_NAME)
    bar.setAccessibleName(window.tr("Main toolbar"))
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    bar.setMovable(True)
    style = window.style()
    for entry in TOOLBAR_ACTIONS:
        if entry is None:
            bar.addSeparator()
            continue
        action_id, theme_name, fallback = entry
        action = window.actions.get(action_id)
        if action is None:
            continue
        if action.icon().isNull():
            action.setIcon(QIcon.fromTheme(theme_name, style.standardIcon(fallback)))
        bar.addAction(action)
        button = bar.widgetForAction(action)
        if button is not None:
            # Screen readers read the button, not the action: give it the action's words.
            button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
            button.setAccessibleDescription(action.statusTip())
            if action_id in (ActionId.UNDO, ActionId.REDO):
                _fixed_label(button, action)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    if window.isVisible():
        # Added to a shown window, Qt shows the bar only on a later turn of the event loop: the
        # window would lay out and the table repaint once more for it. Show it with the rest.
        bar.show()
    return bar


class _StepTip(QObject):
    """Keeps an Undo/Redo button's tooltip naming the step (a child of the button: the connection
    goes with it)."""

    def __init__(self, button, action) -> None:
        super().__init__(button)
        self.button, self.action = button, action
        self.plain = action.text()  # "&Undo" while there is nothing to name
        self.keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.changed.connect(self.update)
        self.update()

    def update(self) -> None:
        action = self.action
        if not shiboken6.isValid(self.button):  # (the toolbar is being torn down)
            return
        if action.text() == self.plain:
            self.button.setToolTip(action.toolTip())
            return
        text = action.text().replace("&", "")
        self.button.setToolTip(f"{text} ({self.keys})" if self.keys else text)


def _fixed_label(button, action) -> None:
    """Undo and Redo name the step they undo ("Undo Attach translation"): on a button that text
    would change its width and shift every button after it. The button shows the icon only; the
    tooltip says what the step is."""
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    _StepTip(button, action)


def install(window: Host) -> None:
    """Add the main toolbar and its View → Toolbar toggle."""
    toolbar = window.parts.add(build_toolbar(window))
    # The window restored its saved layout before the feature modules ran; a toolbar the user had
    # hidden or moved gets that state from layout_state, which applies it again after every
    # feature (applied here as well, it laid the window out once more: ~9 ms at launch).
    toggle = toolbar.toggleViewAction()
    toggle.setText(window.tr("&Toolbar"))
    view = window.menus.get("View")
    if view is not None:
        view.addAction(toggle)


# Shows their actions (layout_state applies the saved layout to the bar and the docks after it).
FEATURE = Feature(
    "toolbar",
    install,
    after=("review", "waveform", "align_audio", "disk_watch", "player", "timing_by_ear", "line_layout"),
)
