"""A text box that shows a cue's real lines: what the edit panel, the review panel and the
table's in-place editor use.

A subtitler edits line breaks more than anything else, so the box never soft-wraps (a wrapped
line would look like a break that is not in the text). It is at least wide enough for the
style profile's characters per line in its own font, draws a faint ruler where that limit
falls, and prints each line's length (counted as the profile counts it: half-width characters
weigh 0.5 in Chinese, Japanese and Korean profiles) in a gutter beside the line, marked when
the line is over the limit.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from editor.core.script import plain_text
from editor.core.style import StyleProfile
from editor.qt import theme

# What an average line of Latin-script text is made of: its mean advance is the width of one
# "character" of the limit (a proportional font has no single character width).
_LATIN_SAMPLE = "The quick brown fox jumps over the lazy dog, then sits down."
_WIDE_SAMPLE = "漢"  # one full-width cell: the unit of CJK profiles
_TALL_SAMPLE = "漢字あ한Ág"
_GUTTER_PAD = 6
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def limit_px(profile: StyleProfile, metrics: QFontMetricsF) -> float:
    """Return how wide `profile.max_chars` characters are in the font of `metrics`."""
    if profile.cjk:
        # Profiles of CJK count a full-width character as 1: the limit is that many cells.
        return profile.max_chars * metrics.horizontalAdvance(_WIDE_SAMPLE)
    return profile.max_chars * metrics.horizontalAdvance(_LATIN_SAMPLE) / len(_LATIN_SAMPLE)


def line_lengths(text: str, profile: StyleProfile) -> list[float]:
    """Return the length of each real line of `text` (markup not counted), as `profile` counts."""
    return [profile.line_width(line) for line in plain_text(text).split("\n")]


class _Gutter(QWidget):
    """The strip beside the text that shows each line's length."""

    def __init__(self, editor: LineEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.editor.paint_gutter(self, event)


class LineEditor(QPlainTextEdit):
    """A plain-text box showing real lines, a ruler at the profile's limit and line lengths.

    `set_profile(profile)` sets the limit (call it when the track or its language changes);
    `lengths()` returns what the gutter shows.
    """

    def __init__(self, parent: QWidget | None = None, profile: StyleProfile | None = None) -> None:
        super().__init__(parent)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self._profile = profile or StyleProfile()
        self._lengths: list[float] = []
        self._gutter = _Gutter(self)
        self.textChanged.connect(self._on_text)
        self.updateRequest.connect(self._on_update_request)
        self._relayout()

    # -- the profile and its width -------------------------------------------------------
    @property
    def profile(self) -> StyleProfile:
        return self._profile

    def set_profile(self, profile: StyleProfile) -> None:
        """Measure lines against `profile` (its characters per line and character weights)."""
        if profile == self._profile:
            return
        self._profile = profile
        self._on_text()
        self._relayout()

    def limit_px(self) -> float:
        """Return the x of the limit ruler from the left edge of the text (in pixels)."""
        return limit_px(self._profile, QFontMetricsF(self.font()))

    def gutter_width(self) -> int:
        metrics = QFontMetricsF(self._gutter.font())
        return int(metrics.horizontalAdvance("00.5!") + 2 * _GUTTER_PAD)

    def set_minimum_lines(self, lines: int) -> None:
        """Never get shorter than `lines` lines of text (a box squeezed below two lines hides
        the break a subtitler edits)."""
        margins = 2 * (self.document().documentMargin() + self.frameWidth())
        metrics = QFontMetricsF(self.font())
        # Measured with CJK glyphs too: their fallback fonts are taller than the Latin one.
        line = max(metrics.lineSpacing(), metrics.boundingRect(_TALL_SAMPLE).height() * 1.15)
        self.setMinimumHeight(int(line * lines + margins + 6))

    def lengths(self) -> list[float]:
        """Return the length of each line now in the box (markup not counted)."""
        return list(self._lengths)

    def _text_margin(self) -> float:
        return self.document().documentMargin() + self.frameWidth()

    def _relayout(self) -> None:
        gutter = self.gutter_width()
        self.setViewportMargins(0, 0, gutter, 0)
        scrollbar = self.verticalScrollBar().sizeHint().width()
        # The limit, the margins either side of the text, a cursor's width, the gutter and a
        # scroll bar: a line at the limit is seen whole.
        width = self.limit_px() + 2 * self._text_margin() + 4 + gutter + scrollbar
        self.setMinimumWidth(int(width + 0.999))
        self._place_gutter()
        self.updateGeometry()
        self.viewport().update()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self.minimumWidth()), hint.height())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        # A few lines more than the minimum (a cue has two or three), not Qt's 192 px: panels
        # in a short column keep room for what is under the box.
        height = self.minimumHeight() * 3 // 2 if self.minimumHeight() else hint.height()
        return QSize(max(hint.width(), self.minimumWidth()), height)

    def _place_gutter(self) -> None:
        rect = self.contentsRect()
        gutter = self.gutter_width()
        self._gutter.setGeometry(QRect(rect.right() + 1 - gutter, rect.top(), gutter, rect.height()))

    # -- events --------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._relayout()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_gutter()

    def _on_text(self) -> None:
        self._lengths = line_lengths(self.toPlainText(), self._profile)
        self._gutter.update()

    def _on_update_request(self, _rect, dy: int) -> None:
        self._gutter.update()  # scrolled or edited: the lengths follow their lines

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        try:
            x = round(self.document().documentMargin() + self.contentOffset().x() + self.limit_px())
            color = QColor(theme.muted_text())
            color.setAlpha(90)
            painter.setPen(QPen(color, 1, Qt.PenStyle.DashLine))
            painter.drawLine(x, 0, x, self.viewport().height())
        finally:
            painter.end()

    def paint_gutter(self, gutter: QWidget, event: QPaintEvent) -> None:
        painter = QPainter(gutter)
        try:
            muted = theme.muted_text()
            over = theme.text_color("error")
            limit = self._profile.max_chars
            block = self.firstVisibleBlock()
            offset = self.contentOffset()
            top_shift = self.viewport().geometry().top() - gutter.geometry().top()
            height = gutter.height()
            while block.isValid():
                geometry = self.blockBoundingGeometry(block).translated(offset)
                top = geometry.top() + top_shift
                if top > height:
                    break
                number = block.blockNumber()
                if block.isVisible() and number < len(self._lengths):
                    length = self._lengths[number]
                    too_long = length > limit
                    painter.setPen(over if too_long else muted)
                    label = f"{length:g}" + ("!" if too_long else "")
                    rect = QRect(0, round(top), gutter.width() - _GUTTER_PAD, round(geometry.height()))
                    painter.drawText(rect, _RIGHT, label)
                block = block.next()
        finally:
            painter.end()
