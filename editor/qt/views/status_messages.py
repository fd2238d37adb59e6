"""Status-bar messages that say what applies now, in the room they have.

- A message goes when what it was about has moved on: the next edit, undo or redo, another
  cue selected, another document. (A message shown by the very action that made such a change
  stays: changes within `SETTLE_MS` of the message belong to it.)
- A message never runs under the permanent fields on the right (cue count, QC, languages,
  encoding…): QStatusBar cuts a long message off at the first field with no gap, so that it read
  as one with it ("…a mon370 cues"). The bar's paint draws the message elided ("…") with a gap
  before the fields instead, and the whole message is the bar's tooltip while it is cut.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStatusBar, QStyle, QStyleOption, QWidget

from editor.qt.host import Feature, Host

SETTLE_MS = 300  # changes this soon after a message are the ones it reports
GAP_PX = 12  # between the message and the first permanent field


class StatusMessages(QObject):
    """Clears a window's status message when it no longer applies; paints it elided."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.bar: QStatusBar = window.statusBar()
        self._shown_at = 0.0
        self._tooltip_before = self.bar.toolTip()
        self.bar.messageChanged.connect(self._on_message)
        self.bar.installEventFilter(self)
        c = window.controller
        c.changed.connect(self._moved_on)
        c.selection_changed.connect(self._moved_on)
        c.document_replaced.connect(self._moved_on)

    # -- clearing --------------------------------------------------------------------------
    def _on_message(self, text: str) -> None:
        self._shown_at = time.monotonic()
        self._update_tooltip(text)

    def _moved_on(self, *_args) -> None:
        if self.bar.currentMessage() and (time.monotonic() - self._shown_at) * 1000 >= SETTLE_MS:
            self.bar.clearMessage()

    # -- room ------------------------------------------------------------------------------
    def message_rect(self) -> QRect:
        """Return where the message may be drawn: left of the first permanent field, with a gap."""
        bar = self.bar
        rtl = bar.layoutDirection() == Qt.LayoutDirection.RightToLeft
        left, right = 6, bar.width() - 12
        for widget in self.fields():
            if rtl:
                left = max(left, widget.geometry().right() + GAP_PX)
            else:
                right = min(right, widget.x() - GAP_PX)
        return QRect(left, 0, max(0, right - left), bar.height())

    def shown_text(self, text: str | None = None) -> str:
        """Return the message as drawn: elided to the room it has."""
        text = self.bar.currentMessage() if text is None else text
        width = self.message_rect().width()
        return self.bar.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width)

    def fields(self) -> list[QWidget]:
        # While a message shows, QStatusBar hides its normal widgets: the visible ones are the
        # permanent fields (and the size grip, in the corner the rect leaves out anyway).
        return [
            child
            for child in self.bar.children()
            if isinstance(child, QWidget)
            and child.isVisible()
            and not child.isWindow()
            and child.metaObject().className() != "QSizeGrip"
        ]

    def _update_tooltip(self, text: str) -> None:
        cut = bool(text) and self.shown_text(text) != text
        self.bar.setToolTip(text if cut else self._tooltip_before)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.bar and event.type() == QEvent.Type.Paint and self.bar.currentMessage():
            self._paint()
            return True
        if obj is self.bar and event.type() == QEvent.Type.Resize:
            self._update_tooltip(self.bar.currentMessage())
        return False

    def _paint(self) -> None:
        # What QStatusBar.paintEvent draws while a message shows, with the message elided.
        bar = self.bar
        painter = QPainter(bar)
        option = QStyleOption()
        option.initFrom(bar)
        style = bar.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelStatusBar, option, painter, bar)
        for widget in self.fields():
            frame = QStyleOption()
            frame.initFrom(bar)
            frame.rect = widget.geometry().adjusted(-1, -1, 1, 1)
            style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameStatusBarItem, frame, painter, widget)
        painter.setPen(bar.palette().windowText().color())
        rect = self.message_rect()
        flags = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine
        painter.drawText(rect, flags, self.shown_text())
        painter.end()


def install(window: Host) -> None:
    """Keep the window's status messages current and clear of the permanent fields."""
    window.parts.add(StatusMessages(window))


FEATURE = Feature("status_messages", install)
