"""The whole window layout comes back on restart, and View → Reset Layout puts it back to the default.

The window restores its saved state before the feature modules have added their docks
(Speakers, Video, Review…); a dock that did not exist then keeps its default place. This
module runs after the features: it records the default layout (for Reset Layout), applies
the saved state again now that every dock exists, and restores the table's column widths,
which it saves when the window closes.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QTabBar

from editor.qt.host import Feature, Host
from editor.qt.settings import Key


def _hide_stray_tab_bars(window) -> None:
    """Hide the dock tab bars a restore left behind with one tab or none.

    The window state is restored twice (before the features' docks exist, then with them);
    Qt can leave a tab bar of the first pass shown at the window's top-left corner over the
    menu. A tab bar of fewer than two docks is never part of the layout.
    """
    for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if bar.count() < 2:
            bar.hide()


class LayoutState(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        header = window.table_pane.view.horizontalHeader()
        self.default_state = window.saveState()
        self.default_header = header.saveState()
        saved = bytes(window.settings.get(Key.WINDOW_STATE) or b"")
        if saved:
            window.restoreState(QByteArray(saved))
            _hide_stray_tab_bars(window)
        columns = bytes(window.settings.get(Key.TABLE_HEADER_STATE) or b"")
        if columns:
            header.restoreState(QByteArray(columns))
            if header.visualIndex(header.count() - 1) == header.count() - 1:
                # Saved before the review column existed (it was added last): put it beside #.
                window.table_pane.view.place_review_column()
        self.reset_action = QAction(window.tr("&Reset Layout"), window)
        self.reset_action.setObjectName("action_reset_layout")
        self.reset_action.setStatusTip(window.tr("Put the panels and columns back where they started"))
        self.reset_action.triggered.connect(self.reset)
        view = window.menus.get("View")
        if view is not None:
            view.addSeparator()
            view.addAction(self.reset_action)
        window.installEventFilter(self)

    def reset(self) -> None:
        """Restore the default dock layout and column widths."""
        self.window.restoreState(self.default_state)
        _hide_stray_tab_bars(self.window)
        self.window.table_pane.view.horizontalHeader().restoreState(self.default_header)

    def save(self) -> None:
        header = self.window.table_pane.view.horizontalHeader()
        self.window.settings.set(Key.TABLE_HEADER_STATE, bytes(header.saveState()))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.window and event.type() == QEvent.Type.Close:
            self.save()  # (the window saves its own state in closeEvent, just after)
        return False


def install(window: Host) -> None:
    """Re-apply the saved layout to every dock, restore column widths, add View → Reset Layout."""
    window.parts.add(LayoutState(window))


# Restores the saved layout: after every feature that adds a dock.
FEATURE = Feature("layout_state", install, after=("*",))
