"""The video panel's widgets: the picture with the cue text over it, and the controls.

Kept apart from player_panel so that the window's start does not pay for these Qt classes
(PySide6 builds each class's enums on first use): they are imported with the player, on
the first media.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.core import timecode
from editor.core.placement import BOTTOM_CENTRE, placement, shown_text
from editor.core.script import split_markup
from editor.qt.actions import ActionId
from editor.qt.playback import RATES, Playback
from editor.qt.views.player_panel import Overlay, overlay_text, tr

# The cue's text height as a player sizes it: a fixed fraction of the picture's height (mpv and
# VLC draw about 5-6 % of it), so a small dock shows a small picture with small text, laid out
# the same way, never re-wrapped.
SUBTITLE_HEIGHT = 0.055
SUBTITLE_MARGIN = 0.05  # of the picture's height, between the picture's edge and the text
SUBTITLE_MIN_PX = 6

Run = tuple[str, bool, bool, bool]  # text, italic, bold, underline


def markup_lines(text: str) -> list[list[Run]]:
    """Return the lines of cue `text` as styled runs: <i>, <b>, <u> style the text (as a player
    shows them); nothing else is markup, so any other "<…>" or "&" stays as written."""
    lines: list[list[Run]] = [[]]
    state = {"i": False, "b": False, "u": False}
    for k, piece in enumerate(split_markup(text)):
        if k % 2:  # a tag
            state[piece[-2]] = not piece.startswith("</")
            continue
        for n, part in enumerate(piece.split("\n")):
            if n:
                lines.append([])
            if part:
                lines[-1].append((part, state["i"], state["b"], state["u"]))
    return lines


class VideoCanvas(QWidget):
    """Paints the latest video frame, letterboxed, with the cue drawn over it as a player draws it:
    its own lines, sized to the picture, where its settings place it (bottom centre by default)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("videoCanvas")
        self.setMinimumSize(160, 90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._image: QImage | None = None
        self._placeholder = ""
        self._subtitle = ""
        self._lines: list[list[Run]] = []
        self._placement = BOTTOM_CENTRE

    def sizeHint(self) -> QSize:
        return QSize(480, 270)

    def set_frame(self, image: QImage | None) -> None:
        self._image = image if image is not None and not image.isNull() else None
        self.update()

    def has_picture(self) -> bool:
        return self._image is not None

    def set_placeholder(self, text: str) -> None:
        """Text drawn when there is no picture (audio only, no media, or why it failed)."""
        self._placeholder = text
        self.update()

    def placeholder(self) -> str:
        return self._placeholder

    def set_subtitle(self, text: str, settings: str = "") -> None:
        """Show cue `text` (its raw text, lines as they are) placed by its WebVTT `settings`."""
        self._subtitle = text if text.strip() else ""
        self._placement = placement(settings, text)
        self._lines = markup_lines(shown_text(self._subtitle)) if self._subtitle else []
        self.update()

    def subtitle(self) -> str:
        """Return the raw cue text on the picture ("" when none)."""
        return self._subtitle

    def shown_lines(self) -> list[str]:
        """Return the lines drawn on the picture (their text, without markup)."""
        return ["".join(run[0] for run in line) for line in self._lines]

    def picture_rect(self) -> QRect:
        """Return where the picture is drawn (letterboxed; the whole canvas without one)."""
        if self._image is None:
            return self.rect()
        size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = (self.width() - size.width()) // 2
        y = (self.height() - size.height()) // 2
        return QRect(x, y, size.width(), size.height())

    def _font(self, run: Run, pixel_size: int) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(pixel_size)
        font.setItalic(run[1])
        font.setBold(run[2])
        font.setUnderline(run[3])
        return font

    def _line_width(self, line: list[Run], pixel_size: int) -> float:
        return sum(QFontMetricsF(self._font(run, pixel_size)).horizontalAdvance(run[0]) for run in line)

    def subtitle_layout(self) -> tuple[int, list[QRectF]]:
        """Return (font pixel size, one text rectangle per line) of the cue on the picture."""
        if not self._lines:
            return 0, []
        area = QRectF(self.picture_rect())
        size = max(SUBTITLE_MIN_PX, round(area.height() * SUBTITLE_HEIGHT))
        pad = size * 0.3
        room = area.width() * 0.96 - 2 * pad
        widest = max(self._line_width(line, size) for line in self._lines)
        if widest > room > 0:
            # Wider than the picture: smaller text, the same lines (a re-wrap would change them).
            size = max(SUBTITLE_MIN_PX, int(size * room / widest))
        widths = [self._line_width(line, size) for line in self._lines]
        line_h = QFontMetricsF(self._font(("", False, False, False), size)).height()
        total = line_h * len(self._lines)
        margin = area.height() * SUBTITLE_MARGIN
        where = self._placement
        if where.line is None:
            top = area.bottom() - margin - total
        elif where.snap:
            n = where.line  # 0 the top line, -1 the bottom one
            if n >= 0:
                top = area.top() + margin + n * line_h
            else:
                top = area.bottom() - margin + (n + 1) * line_h - total
        else:
            at = area.top() + area.height() * where.line / 100
            top = at - {"start": 0.0, "center": total / 2, "end": total}.get(where.line_align, 0.0)
        top = min(max(top, area.top()), area.bottom() - total)
        rects: list[QRectF] = []
        for k, width in enumerate(widths):
            if where.position is not None:
                anchor = area.left() + area.width() * where.position / 100
            elif where.align == "left":
                anchor = area.left() + margin
            elif where.align == "right":
                anchor = area.right() - margin
            else:
                anchor = area.center().x()
            if where.align == "left":
                left = anchor
            elif where.align == "right":
                left = anchor - width
            else:
                left = anchor - width / 2
            left = min(max(left, area.left() + pad), max(area.left() + pad, area.right() - pad - width))
            rects.append(QRectF(left, top + k * line_h, width, line_h))
        return size, rects

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0))
        if self._image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(self.picture_rect(), self._image)
        elif self._placeholder and not self._lines:
            painter.setPen(QColor(200, 200, 200))
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(self.rect().adjusted(8, 8, -8, -8), int(flags), self._placeholder)
        self._paint_subtitle(painter)
        painter.end()

    def _paint_subtitle(self, painter: QPainter) -> None:
        size, rects = self.subtitle_layout()
        if not rects:
            return
        pad = size * 0.3
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 160))
        for line, rect in zip(self._lines, rects, strict=True):
            if line:
                painter.drawRoundedRect(rect.adjusted(-pad, 0, pad, 0), 3, 3)
        painter.setPen(QColor(255, 255, 255))
        for line, rect in zip(self._lines, rects, strict=True):
            x = rect.left()
            for run in line:
                font = self._font(run, size)
                metrics = QFontMetricsF(font)
                painter.setFont(font)
                painter.drawText(QPointF(x, rect.top() + metrics.ascent()), run[0])
                x += metrics.horizontalAdvance(run[0])


class PlayerPanel(QWidget):
    """The video, the current cue on it, and the transport controls for `playback`."""

    def __init__(self, window, playback: Playback) -> None:
        super().__init__(window)
        self.setObjectName("playerPanel")
        self.window_ = window
        self.playback = playback
        self.controller = window.controller
        self.overlay_mode = Overlay.SOURCE
        self._shown_cue: int | None = None
        self._duration_ms = 0

        self.canvas = VideoCanvas(self)
        self.canvas.set_placeholder(tr("No media. File → Open Media… or drop a file here."))
        self.play_button = QToolButton(self)
        self.time_label = QLabel(self)
        self.time_label.setTextFormat(Qt.TextFormat.PlainText)
        # The time gives way first when the dock is narrow (the controls keep their size).
        self.time_label.setMinimumWidth(40)
        self.time_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.seek_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.seek_slider.setAccessibleName(tr("Position"))
        self.seek_slider.setRange(0, 0)
        self.speed = QComboBox(self)
        self.speed.setAccessibleName(tr("Speed"))
        self.speed.setToolTip(tr("Playback speed (the pitch is kept)"))
        for rate in RATES:
            self.speed.addItem(f"{rate:g}×", rate)
        self.speed.setCurrentIndex(RATES.index(1.0))
        self.volume = QSlider(Qt.Orientation.Horizontal, self)
        self.volume.setAccessibleName(tr("Volume"))
        self.volume.setToolTip(tr("Volume"))
        self.volume.setRange(0, 100)
        self.volume.setValue(round(playback.volume() * 100))
        self.volume.setMinimumWidth(60)
        self.volume.setMaximumWidth(90)
        self.overlay = QComboBox(self)
        self.overlay.setAccessibleName(tr("Text on the picture"))
        self.overlay.setToolTip(tr("Which text is shown on the picture"))
        for label, mode in (
            (tr("Source"), Overlay.SOURCE),
            (tr("Translation"), Overlay.TRANSLATION),
            (tr("Both"), Overlay.BOTH),
            (tr("No text"), Overlay.OFF),
        ):
            self.overlay.addItem(label, int(mode))

        actions = window.actions
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        style = self.style()
        SP = style.StandardPixmap
        for button, action_id, icon in (
            (self.play_button, ActionId.PLAY_PAUSE, SP.SP_MediaPlay),
            (None, ActionId.PLAY_CUE, SP.SP_MediaSeekForward),
            (None, ActionId.LOOP_SELECTION, SP.SP_BrowserReload),
            (None, ActionId.PLAY_AROUND_START, SP.SP_MediaSkipBackward),
            (None, ActionId.PLAY_AROUND_END, SP.SP_MediaSkipForward),
        ):
            button = button or QToolButton(self)
            action = actions[action_id]
            if action.icon().isNull():
                action.setIcon(style.standardIcon(icon))
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            button.setAutoRaise(True)
            buttons.addWidget(button)
        buttons.addWidget(self.time_label, 1)
        buttons.addWidget(self.overlay)
        buttons.addWidget(self.speed)
        buttons.addWidget(self.volume)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.seek_slider)
        layout.addLayout(buttons)

        self.seek_slider.sliderMoved.connect(playback.seek)
        self.speed.activated.connect(lambda i: playback.set_rate(float(self.speed.itemData(i))))
        self.volume.valueChanged.connect(lambda v: playback.set_volume(v / 100))
        self.overlay.activated.connect(lambda i: self.set_overlay_mode(Overlay(self.overlay.itemData(i))))
        playback.sink.videoFrameChanged.connect(self._on_frame)
        playback.position_changed.connect(self.show_position)
        playback.player.durationChanged.connect(self._on_duration)
        playback.player.playbackRateChanged.connect(self._on_rate)
        playback.media_ready.connect(self._on_ready)
        playback.message.connect(self.canvas.set_placeholder)
        self.controller.changed.connect(self._on_doc_changed)
        self.controller.document_replaced.connect(self._refresh_overlay)
        self.show_position(playback.position_ms())

    # -- showing --------------------------------------------------------------------------
    def set_overlay_mode(self, mode: Overlay) -> None:
        self.overlay_mode = mode
        self.overlay.setCurrentIndex(self.overlay.findData(int(mode)))
        self._refresh_overlay()

    def subtitle_text(self) -> str:
        """Return the text on the picture now ("" when none)."""
        return self.canvas.subtitle()

    def show_position(self, ms: int) -> None:
        """Show the time and the cue under the playhead at `ms`."""
        total = f" / {timecode.format_short(self._duration_ms)}" if self._duration_ms else ""
        self.time_label.setText(timecode.format_short(ms) + total)
        if not self.seek_slider.isSliderDown():
            self.seek_slider.blockSignals(True)
            self.seek_slider.setValue(ms)
            self.seek_slider.blockSignals(False)
        self._refresh_overlay(ms)

    def _refresh_overlay(self, ms: int | None = None) -> None:
        from editor.core import playhead  # with core.operations: ~40 ms not spent at start

        doc = self.controller.document
        at = self.playback.position_ms() if ms is None else ms
        cue_id = playhead.cue_at(doc, at) if len(doc) else None
        self._shown_cue = cue_id
        if cue_id is None:
            self.canvas.set_subtitle("")
            return
        cue = doc.cue(cue_id)
        self.canvas.set_subtitle(overlay_text(cue.text, cue.translation, self.overlay_mode), cue.vtt_settings)

    def _on_doc_changed(self, changes) -> None:
        if changes.structure or self._shown_cue in changes.cue_ids or changes.fields & {"start_ms", "end_ms"}:
            self._refresh_overlay()

    def _on_frame(self, frame) -> None:
        if not self.isVisible():
            return  # a hidden panel converts no frames (audio-only work)
        self.canvas.set_frame(frame.toImage() if frame.isValid() else None)

    def _on_duration(self, ms: int) -> None:
        self._duration_ms = max(0, ms)
        self.seek_slider.setRange(0, self._duration_ms)
        self.show_position(self.playback.position_ms())

    def _on_rate(self, rate: float) -> None:
        index = self.speed.findData(rate)
        if index >= 0:
            self.speed.setCurrentIndex(index)

    def _on_ready(self, has_video: bool) -> None:
        self.canvas.set_frame(None)
        name = self.playback.path.replace("\\", "/").rsplit("/", 1)[-1]
        self.canvas.set_placeholder(name if has_video else tr("Audio: {name}").format(name=name))

    def media_cleared(self) -> None:
        self.canvas.set_frame(None)
        self._duration_ms = 0
        self.seek_slider.setRange(0, 0)


__all__ = ["PlayerPanel", "VideoCanvas"]
