"""The default arrangement of the docks, and the room the table always keeps.

The table is the window's centre and never gets narrower than TABLE_MIN_WIDTH: docks give
way instead (a video dock stacked beside the others once squeezed its Text column to 30 px).
The right side is one column: the video on top (when there is one) and the cue editor under
it (as Subtitle Composer places them); the side panels — Speakers, Document, History,
Glossary — and review mode's panel are tabs beside the editor rather than stacked, so showing
one more panel never takes width from the table nor height from the video.

This runs after every feature has added its dock and before layout_state records this
arrangement as the default (View → Reset Layout) and restores the user's saved one.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget, QFrame, QScrollArea, QWidget

from editor.qt.host import Feature, Host
from editor.qt.views.player_panel import PlayerFeature
from editor.qt.views.review_panel import ReviewMode

TABLE_MIN_WIDTH = 560
RIGHT_SHARE = 0.36  # of the window's width, for the right column (at least the editor's minimum)
VIDEO_CONTROLS_PX = 64  # the seek bar and buttons under the picture
SIDE_MIN_HEIGHT = 240  # a side panel that needs more height scrolls instead
_VERTICAL = Qt.Orientation.Vertical
_HORIZONTAL = Qt.Orientation.Horizontal


class DockLayout(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        window.table_pane.setMinimumWidth(TABLE_MIN_WIDTH)
        holder = window.edit_panel.parentWidget()
        self.cue = holder if isinstance(holder, QDockWidget) else None
        player = window.parts.get(PlayerFeature)
        self.video = player.dock if player is not None else None
        review_mode = window.parts.get(ReviewMode)
        review = review_mode.dock if review_mode is not None else None
        right = Qt.DockWidgetArea.RightDockWidgetArea
        # The side panels: every other dock on the right (Speakers, Document, History, Glossary…).
        # A window's docks are its own children (tabbed or floating too): asked for those alone,
        # findChildren does not wrap every widget of every panel for Python (~2 ms at launch).
        self.side = [
            dock
            for dock in window.findChildren(QDockWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if dock not in (self.cue, self.video, review) and window.dockWidgetArea(dock) == right
        ]
        self._video_sized = False
        self.tabs: list[QDockWidget] = []
        if self.cue is None:
            return  # the editor is not a dock in this window: nothing to arrange
        self.arrange(review)
        window.dock_built.connect(self._on_dock_built)
        if self.video is not None:
            self.video.visibilityChanged.connect(self._on_video_visible)

    def arrange(self, review: QDockWidget | None = None) -> None:
        """Put the docks in their default places (the user's saved layout is applied later)."""
        window, cue = self.window, self.cue
        if self.video is not None:
            window.splitDockWidget(self.video, cue, _VERTICAL)  # the picture above the editor
        # The side panels and review mode's panel are tabs beside the editor: a video, the
        # editor and a stack of panels do not fit one column of a 800-pixel-high window.
        self.tabs = [dock for dock in (*self.side, review) if dock is not None]
        for dock in self.tabs:
            if dock is not None:
                if dock.widget() is not None and dock.widget().minimumSizeHint().height() > SIDE_MIN_HEIGHT:
                    _scrolled(dock)
                window.tabifyDockWidget(cue, dock)
        cue.raise_()
        self.size_column()

    def size_column(self) -> None:
        """Give the right column its share of the window (never less than the editor needs)."""
        window = self.window
        # As wide as the widest of its tabs needs (review mode's panel, in a scroll area, does
        # not say so itself).
        need = max(
            (dock.widget().minimumSizeHint().width() for dock in (self.cue, *self.tabs) if dock.widget()),
            default=0,
        )
        for dock in self.tabs:
            inner = dock.widget()
            if isinstance(inner, QScrollArea) and inner.widget() is not None:
                scrollbar = inner.verticalScrollBar().sizeHint().width()
                need = max(need, inner.widget().minimumSizeHint().width() + scrollbar + 2)
        wanted = max(need, round(window.width() * RIGHT_SHARE))
        wanted = min(wanted, max(need, window.width() - TABLE_MIN_WIDTH - 24))
        window.resizeDocks([self.cue], [wanted], _HORIZONTAL)

    def _on_dock_built(self, dock: QDockWidget, panel: QWidget) -> None:
        # A panel made when its dock was first opened gets the scroll area it would have had,
        # before it goes into the dock (there, its height would first make the window grow).
        if dock in self.tabs and panel.minimumSizeHint().height() > SIDE_MIN_HEIGHT:
            _scrolled(dock, panel)

    def _on_video_visible(self, visible: bool) -> None:
        if not visible or self._video_sized or self.video.isFloating():
            return
        self._video_sized = True  # once: afterwards the user's heights stay
        width = self.video.width() or self.cue.width()
        picture = round(width * 9 / 16) + VIDEO_CONTROLS_PX
        self.window.resizeDocks([self.video], [picture], _VERTICAL)


def _scrolled(dock: QDockWidget, panel: QWidget | None = None) -> None:
    """Put the dock's panel (or `panel`) in a scroll area, the dock's widget: it no longer sets
    the column's minimum height."""
    panel = panel if panel is not None else dock.widget()
    area = QScrollArea(dock)
    area.setObjectName(f"{dock.objectName()}Scroll")
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # it scrolls down only
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(panel)
    dock.setWidget(area)


def install(window: Host) -> None:
    """Arrange the docks and keep the table's minimum width."""
    window.parts.add(DockLayout(window))


FEATURE = Feature(
    "dock_layout",
    install,
    after=("review", "player", "speakers", "document_panel", "glossary", "spelling", "cue_note"),
)
