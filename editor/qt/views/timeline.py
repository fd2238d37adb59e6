"""The timeline: a custom-painted view of the cues on a time axis.

One widget paints everything (no item per cue): a ruler, cue blocks coloured by speaker
with their plain text inside, hatching for estimated timing, a strip at a block's foot for
where Align to Audio took its times from (speech model, pauses only, nothing found),
selection, gaps and overlaps, a playhead and, when a provider is set, a waveform under the blocks. Painting is
O(visible): the cues in view come from a sorted NumPy index (CueIndex) by binary search,
and when blocks would be thinner than ~2 px they are aggregated per pixel column and drawn
as one image per lane, so even a whole 100k-cue document repaints in a few milliseconds.

Dragging a block's edge retimes it, dragging its body moves it; the drag previews live and
its release applies one SetTimes edit through the controller (one undo step).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

import numpy as np
from PySide6.QtCore import QEvent, QLine, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
    QStaticText,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from editor.core.edits import ChangeSet
from editor.core.model import TimeSource, Timing, plain_text
from editor.core.records import record
from editor.core.timecode import format_short
from editor.qt import theme
from editor.qt.controller import Controller
from editor.qt.core_modules import operations as _operations
from editor.qt.views.timeline_geometry import (
    CODE_BAND,
    CODE_BG,
    CODE_SEL_BORDER,
    FIRST_SPEAKER_CODE,
    MAX_COLOR_SLOTS,
    MIN_GAP_MS,
    MIN_MS_PER_PX,
    OVERLAP_BIT,
    SNAP_PX,
    WASH_SELECTED,
    WAVE_BIT,
    ZOOM_STEP,
    Columns,
    CueIndex,
    LaneLayout,
    Neighbours,
    Part,
    TimeScale,
    block_fill_rgb,
    border_code,
    build_lut,
    clear_lut_slots,
    column_spans,
    columns_direct,
    coverage,
    display_lines,
    drag_times,
    fill_code,
    format_tick,
    hatch_pattern,
    hex_rgb,
    luminance,
    pick,
    selected_code,
    slot_fill_rgb,
    snap_targets,
    tick_steps,
    ticks,
    update_lut_slots,
)

NO_SPEAKER_COLOR = "#9e9e9e"
DRAG_SCROLL_PX = 12  # a drag this close to the view's edge scrolls it
TEXT_MIN_PX = 18  # narrower blocks get no text
AGGREGATE_PX_PER_CUE = 4.0  # below ~4 px per cue on average, draw columns instead of blocks
DIRECT_COLUMNS_MAX = 10_000  # more cues in view: summarise them from a precomputed bin level
# Up to this many candidate positions (cues that may reach into the view) are checked per
# paint (<1 ms): a cue overlapping thousands of others makes the candidates many while the
# cues really in view stay few, and those decide between blocks and columns.
VISIBLE_SCAN_MAX = 200_000
# A bin level (built once per edit, linear in its bins) is used only up to this size: a fine
# zoom over a long document would need tens of millions (seconds), so the cues in view are
# summarised directly instead.
LEVEL_MAX_BINS = 500_000
_TIME_FIELDS = {"start_ms", "end_ms"}
_INDEX_FIELDS = {"start_ms", "end_ms", "speaker_id", "timing"}
_INCREMENTAL_MAX = 2000  # more changed cues than this: rebuild the index instead
_PREMULTIPLIED = QImage.Format.Format_ARGB32_Premultiplied
_STATIC_TEXT_MAX = 4000  # laid-out texts kept between repaints (block lines, ruler labels)

# Where Align to Audio took a block's times from, in its tooltip.
_TIME_SOURCE_NOTES = {
    TimeSource.SPEECH: "aligned by the speech model",
    TimeSource.PAUSES: "timed by pauses only",
    TimeSource.ESTIMATED: "estimated (alignment found nothing)",
}
# ... and the theme colour of the strip along the foot of its block.
TIME_SOURCE_MARKS = {
    TimeSource.SPEECH: "speech",
    TimeSource.PAUSES: "pauses",
    TimeSource.ESTIMATED: "unaligned",
}
SOURCE_STRIP_PX = 3


def _fill(p: QPainter, x: int, y: int, w: int, h: int, brush: QBrush | QColor) -> None:
    """Fill a rectangle as p.fillRect(x, y, w, h, brush) does (the same pixels, a test compares
    them), without fillRect's overloads: telling them apart makes PySide build QGradient's enum
    types (~2-3 ms of the timeline's first paint) when all it paints here is a colour."""
    p.save()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(brush)
    p.drawRect(x, y, w, h)
    p.restore()


class WaveformProvider(Protocol):
    """Anything that can give min/max peaks (-1..1) for `n_columns` columns of a time range."""

    def peaks(self, start_ms: int, end_ms: int, n_columns: int) -> Sequence[tuple[float, float]] | np.ndarray:
        """Return n_columns (min, max) pairs in -1..1 (a list, or a NumPy (n, 2) array: faster)."""
        ...


@record(slots=True)
class _Drag:
    """A drag in progress (or a press that may become one)."""

    cue_id: int
    part: Part
    press_x: float
    press_ms: float
    orig: tuple[int, int]
    active: bool = False
    preview: tuple[int, int] | None = None
    neighbours: Neighbours | None = None
    targets: list[float] | None = None
    reselect: bool = False
    min_gap_ms: int = MIN_GAP_MS


@record(frozen=True, slots=True)
class BlockStyle:
    """How one cue block is painted (the decision, separate from the drawing)."""

    color: QColor
    hatched: bool
    selected: bool
    current: bool
    dimmed: bool


class TimelineView(QAbstractScrollArea):
    """The timeline widget. Signals:
    - edit_requested(int cue_id): a block was double-clicked.
    - seek_requested(int ms): the ruler was clicked (or scrubbed); the playhead moves there.
    """

    edit_requested = Signal(int)
    seek_requested = Signal(int)

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._index: CueIndex | None = None
        self._retime = False  # the index's times are stale (a change to many cues' times)
        self._lane_of: np.ndarray | None = None
        self._sel_pos: np.ndarray | None = None
        self._scale = TimeScale(0.0, 20.0)
        self._playhead_ms = 0
        self._lanes_by_speaker = False
        self._filter_speaker: str | None = None
        self._waveform: WaveformProvider | None = None
        self._selected: set[int] = set(controller.selected_ids)
        self._current: int | None = controller.current_id
        self._drag: _Drag | None = None
        self._scrubbing = False
        self._own_selection = False
        self._syncing_bar = False
        self._lut = np.zeros(1, np.uint32)
        self._lut_key: tuple | None = None  # the colours self._lut was built from
        self._text_on_fill: list[QColor] = []
        self._text_on_selected: list[QColor] = []
        self._fill_colors: tuple[list[QColor], list[QColor]] = ([], [])  # veils behind text
        self._hatch_cache: tuple[int, int, np.ndarray] | None = None
        self._lines_cache: dict[int, list[str]] = {}
        # drawStaticText skips the layout drawText redoes on every call: ~5x cheaper per text.
        self._static_texts: dict[tuple[str, int], QStaticText] = {}
        self._n_lanes_of: tuple[CueIndex, int] | None = None

        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.setMinimumHeight(90)
        self._label_font = QFont(self.font())
        self._label_font.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.85))
        self._metrics = QFontMetrics(self.font())
        self._line_height = self._metrics.height()
        self._label_ascent = QFontMetrics(self._label_font).ascent()
        self.horizontalScrollBar().valueChanged.connect(self._on_scroll)
        controller.changed.connect(self._on_changed)
        controller.document_replaced.connect(self._on_document_replaced)
        controller.selection_changed.connect(self._on_selection_changed)
        self._rebuild_palette()

    # -- public API ------------------------------------------------------------------
    @property
    def controller(self) -> Controller:
        return self._controller

    def scale(self) -> TimeScale:
        """Return the current time scale (origin and ms per pixel)."""
        return self._scale

    def ms_per_px(self) -> float:
        return self._scale.ms_per_px

    def set_scale(self, origin_ms: float, ms_per_px: float) -> None:
        """Show the timeline from `origin_ms` at `ms_per_px` (both clamped to sensible bounds)."""
        mpp = min(max(ms_per_px, MIN_MS_PER_PX), self._max_ms_per_px())
        self._scale = TimeScale(self._clamp_origin(origin_ms, mpp), mpp)
        self._sync_scrollbar()
        self.viewport().update()

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom in by `factor` (<1 zooms out) keeping the time at `anchor_x` (default: the
        playhead when visible, else the centre) in place."""
        if anchor_x is None:
            anchor_x = self._default_anchor_x()
        new = self._scale.zoomed(factor, anchor_x, MIN_MS_PER_PX, self._max_ms_per_px())
        self.set_scale(new.origin_ms, new.ms_per_px)

    def zoom_in(self) -> None:
        self.zoom(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom(1 / ZOOM_STEP)

    def zoom_to_fit(self) -> None:
        """Show the whole document."""
        self.set_scale(0, self._max_ms_per_px())

    def ensure_visible(self, ms: float) -> None:
        """Scroll (without zooming) so that time `ms` is in view, centred if it was outside."""
        w = self._canvas_width()
        t0, t1 = self._scale.visible_ms(w)
        margin = (t1 - t0) * 0.05
        if t0 + margin <= ms <= t1 - margin:
            return
        self.set_scale(ms - (t1 - t0) / 2, self._scale.ms_per_px)

    def playhead_ms(self) -> int:
        return self._playhead_ms

    def set_playhead_ms(self, ms: int) -> None:
        """Move the playhead line (does not emit seek_requested)."""
        ms = max(0, int(ms))
        if ms != self._playhead_ms:
            self._playhead_ms = ms
            self.viewport().update()

    def lanes_by_speaker(self) -> bool:
        return self._lanes_by_speaker

    def set_lanes_by_speaker(self, on: bool) -> None:
        """One lane per speaker (overlapping speech side by side) or all cues in one lane."""
        if on != self._lanes_by_speaker:
            self._lanes_by_speaker = on
            self._lane_of = None
            self.viewport().update()

    def filter_speaker(self) -> str | None:
        return self._filter_speaker

    def set_filter_speaker(self, speaker_id: str | None) -> None:
        """Dim the cues of every speaker but `speaker_id` (None: no filter)."""
        if speaker_id != self._filter_speaker:
            self._filter_speaker = speaker_id
            self._rebuild_palette()
            self.viewport().update()

    def set_waveform(self, provider: WaveformProvider | None) -> None:
        """Paint `provider`'s peaks under the blocks (None: no waveform)."""
        self._waveform = provider
        self._rebuild_palette()
        self.viewport().update()

    def x_of(self, ms: float) -> float:
        """Return the viewport x of time `ms`."""
        return self._scale.ms_to_x(ms)

    def ms_at(self, x: float) -> float:
        """Return the time at viewport x."""
        return self._scale.x_to_ms(x)

    def cue_rect(self, cue_id: int) -> QRectF:
        """Return the block rectangle of `cue_id` in viewport coordinates (live during a drag).

        Raises KeyError for an unknown cue.
        """
        cue = self._controller.document.cue(cue_id)
        s, e = cue.start_ms, cue.end_ms
        if (
            self._drag is not None
            and self._drag.active
            and self._drag.cue_id == cue_id
            and self._drag.preview
        ):
            s, e = self._drag.preview
        layout = self._layout()
        index = self._ensure_index()
        lane = int(self._lanes()[index.position(cue_id)]) if self._lanes_by_speaker else 0
        y0, y1 = layout.lane_span(lane)
        x0, x1 = self._scale.ms_to_x(s), self._scale.ms_to_x(e)
        return QRectF(x0, y0, max(1.0, x1 - x0), y1 - y0)

    def block_style(self, cue_id: int) -> BlockStyle:
        """Return how `cue_id`'s block is painted. Raises KeyError for an unknown cue."""
        cue = self._controller.document.cue(cue_id)
        dimmed = self._filter_speaker is not None and cue.speaker_id != self._filter_speaker
        sp = self._controller.document.speakers.get(cue.speaker_id or "")
        color = QColor(sp.color if sp else NO_SPEAKER_COLOR)
        return BlockStyle(
            color, cue.timing is Timing.ESTIMATED, cue_id in self._selected, cue_id == self._current, dimmed
        )

    def is_dragging(self) -> bool:
        return self._drag is not None and self._drag.active

    def render_to_image(self, width: int, height: int) -> QImage:
        """Return the timeline canvas painted at `width` x `height` (screenshots, tests)."""
        img = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(Qt.GlobalColor.transparent)
        painter = QPainter(img)
        try:
            self._paint(painter, width, height)
        finally:
            painter.end()
        return img

    # -- controller signals -------------------------------------------------------------
    def _on_document_replaced(self) -> None:
        self._index = None
        self._lane_of = None
        self._sel_pos = None
        self._lines_cache.clear()
        self._drag = None
        self._selected = set(self._controller.selected_ids)
        self._current = self._controller.current_id
        self._rebuild_palette()
        self.set_scale(0, self._scale.ms_per_px)

    def _on_changed(self, changes: ChangeSet) -> None:
        doc = self._controller.document
        if "text" in changes.fields or changes.structure:
            if len(changes.cue_ids) > _INCREMENTAL_MAX:
                self._lines_cache.clear()
            else:
                for cue_id in changes.cue_ids:
                    self._lines_cache.pop(cue_id, None)
        index = self._index
        touched = changes.fields & _INDEX_FIELDS
        if index is not None:
            try:
                if changes.speakers:
                    # Speakers added, removed or reordered: renumber the slots (colours and
                    # lanes follow them) in place, then take the cues' own changes below.
                    index.set_speakers(doc)
                if len(changes.cue_ids) > _INCREMENTAL_MAX:
                    if changes.structure or (touched & _TIME_FIELDS and not changes.fields <= _TIME_FIELDS):
                        self._index = None
                    elif touched & _TIME_FIELDS:
                        self._retime = True  # shift all, sync, their undo: times re-read on paint
                    elif touched:  # a merge of speakers, its undo: the order stays
                        index.refresh_marks(doc, changes.cue_ids)
                    # (else text only, a replace all: the index holds none of it)
                elif changes.structure:
                    index.apply_structure(doc, changes.inserted, changes.removed)
                    if touched:
                        index.refresh(doc, changes.cue_ids - changes.removed)
                elif touched and changes.cue_ids:
                    index.refresh(doc, changes.cue_ids)
            except KeyError:
                self._index = None  # out of step with the document: rebuild on the next paint
            if changes.structure or touched or changes.speakers:
                self._lane_of = None
                self._n_lanes_of = None  # the index is changed in place: its lane count too
                self._sel_pos = None
        if changes.speakers:
            self._rebuild_palette()
        if changes.removed:
            self._selected -= changes.removed
        if changes.fields & _TIME_FIELDS or changes.structure or changes.document:
            self._sync_scrollbar()
        self.viewport().update()

    def _on_selection_changed(self, ids: list, current: object) -> None:
        previous = self._current
        self._selected = set(ids)
        self._current = current if isinstance(current, int) else None
        self._sel_pos = None
        if not self._own_selection and self._current is not None and self._current != previous:
            try:
                self.ensure_visible(self._controller.document.cue(self._current).start_ms)
            except KeyError:
                pass  # a stale id from a view that has not caught up yet: nothing to show
        self.viewport().update()

    # -- internal state -----------------------------------------------------------------
    def _ensure_index(self) -> CueIndex:
        if self._index is not None and self._retime:
            self._retime = False
            try:
                self._index = self._index.retimed(self._controller.document)
            except KeyError:
                self._index = None  # cues came or went too: build afresh below
            self._lane_of = None
            self._sel_pos = None
        if self._index is None:
            doc = self._controller.document
            self._retime = False
            self._index = CueIndex.take_prebuilt(doc) or CueIndex.build(doc)
            self._lane_of = None
            self._sel_pos = None
        return self._index

    def _n_lanes(self) -> int:
        if not self._lanes_by_speaker:
            return 1
        index = self._ensure_index()
        cached = self._n_lanes_of
        if cached is not None and cached[0] is index:
            return cached[1]
        n = len(index.speaker_ids)
        n = n + 1 if (n == 0 or bool(np.any(index.speaker < 0))) else n
        self._n_lanes_of = (index, n)
        return n

    def _lanes(self) -> np.ndarray:
        """Return the lane of each sorted position (all zeros in single-lane mode)."""
        index = self._ensure_index()
        if self._lane_of is None:
            if self._lanes_by_speaker:
                n = len(index.speaker_ids)
                self._lane_of = np.where(index.speaker >= 0, index.speaker, n).astype(np.int64)
            else:
                self._lane_of = np.zeros(len(index), np.int64)
        return self._lane_of

    def _selected_sorted(self) -> np.ndarray:
        """Return the sorted index positions of the selected cues (cached)."""
        index = self._ensure_index()
        if self._sel_pos is None:
            pos = []
            for cue_id in self._selected:
                try:
                    pos.append(index.position(cue_id))
                except KeyError:
                    continue  # a cue the index has not seen yet (it is rebuilt on the next change)
            self._sel_pos = np.array(sorted(pos), np.int64)
        return self._sel_pos

    def _rebuild_palette(self) -> None:
        """Recompute the code->colour table and the text colour of each colour slot.

        Slot 0 is 'no speaker', slot k the k-th speaker of the document (the index's order).
        """
        doc = self._controller.document
        slot_ids: list[str | None] = [None, *doc.speakers]
        slot_rgb = [hex_rgb(NO_SPEAKER_COLOR)] + [hex_rgb(sp.color) for sp in doc.speakers.values()]
        dimmed = [self._filter_speaker is not None and sid != self._filter_speaker for sid in slot_ids]
        pal = self.palette()
        bg = pal.base().color()
        band = pal.alternateBase().color()
        bg_rgb = (bg.red(), bg.green(), bg.blue())
        band_rgb = (band.red(), band.green(), band.blue())
        # With a waveform the blocks are see-through (washed fills, full-colour outlines).
        translucent = self._waveform is not None
        # Opening a document (and its preview) rebuilds the palette: the table (10-20 ms) is
        # built again only when a colour changed.
        key = (tuple(slot_rgb), tuple(dimmed), bg_rgb, band_rgb, translucent)
        old = self._lut_key
        if key != old:
            n = len(old[0]) if old is not None else 0
            m = len(key[0])
            if old is not None and old[2:] == key[2:] and key[0][:n] == old[0] and key[1][:n] == old[1]:
                # Speakers were added at the end: only their slots are new.
                update_lut_slots(self._lut, slot_rgb, dimmed, bg_rgb, range(n, len(slot_rgb)), translucent)
            elif old is not None and old[2:] == key[2:] and old[0][:m] == key[0] and old[1][:m] == key[1]:
                # Speakers were removed from the end (the undo of a new speaker): their slots go.
                clear_lut_slots(self._lut, bg_rgb, range(m, n), translucent)
            else:
                self._lut = build_lut(slot_rgb, dimmed, bg_rgb, band_rgb, translucent)
            self._lut_key = key
        fills = block_fill_rgb(slot_rgb, dimmed, bg_rgb, translucent)
        if translucent:
            full = slot_fill_rgb(slot_rgb, dimmed, bg_rgb)
            chosen = full * (1 - WASH_SELECTED) + np.asarray(bg_rgb) * WASH_SELECTED
        else:
            chosen = fills * 0.65 + 255 * 0.35
        black, white = QColor(Qt.GlobalColor.black), QColor(Qt.GlobalColor.white)
        veil = [QColor(int(r), int(g), int(b), 200) for r, g, b in fills]
        self._fill_colors = (veil, [QColor(int(r), int(g), int(b), 200) for r, g, b in chosen])
        self._text_on_fill = [black if luminance(f) > 150 else white for f in fills]
        self._text_on_selected = [black if luminance(f) > 150 else white for f in chosen]

    def _display_lines(self, cue_id: int) -> list[str]:
        lines = self._lines_cache.get(cue_id)
        if lines is None:
            lines = display_lines(self._controller.document.cue(cue_id).text)
            self._lines_cache[cue_id] = lines
        return lines

    def _canvas_width(self) -> int:
        return max(1, self.viewport().width())

    def _layout(self, height: int | None = None) -> LaneLayout:
        return LaneLayout(height if height is not None else self.viewport().height(), self._n_lanes())

    def cues_end_ms(self) -> int:
        """Return the end of the last-ending cue (0 without cues), from the index: O(1) once built."""
        index = self._ensure_index()
        return index.max_end_ms

    def _extent_ms(self) -> int:
        doc = self._controller.document
        end = self._ensure_index().max_end_ms
        return int(max(end, doc.metadata.duration_ms or 0, self._playhead_ms)) + 2000

    def _max_ms_per_px(self) -> float:
        # Zooming out stops at the whole document, or a minute for a short one.
        return max(MIN_MS_PER_PX * 4, max(self._extent_ms(), 60_000) / self._canvas_width())

    def _clamp_origin(self, origin: float, mpp: float) -> float:
        visible = self._canvas_width() * mpp
        return min(max(0.0, origin), max(0.0, self._extent_ms() - visible))

    def _bar_unit(self) -> int:
        # Scroll bar values are 32-bit ints: past ~500 hours count in coarser units than 1 ms.
        return max(1, math.ceil(self._extent_ms() / 2_000_000_000))

    def _sync_scrollbar(self) -> None:
        bar = self.horizontalScrollBar()
        unit = self._bar_unit()
        visible = self._canvas_width() * self._scale.ms_per_px
        self._syncing_bar = True
        try:
            bar.setRange(0, int(max(0, self._extent_ms() - visible) // unit))
            bar.setPageStep(max(1, int(visible // unit)))
            bar.setSingleStep(max(1, int(visible / 20 // unit)))
            bar.setValue(int(self._scale.origin_ms // unit))
        finally:
            self._syncing_bar = False
        self._show_bar(bar.maximum() > 0)

    def _show_bar(self, needed: bool) -> None:
        """Hide the scroll bar while everything is in view, its height kept as an empty margin.

        Fusion draws a slider as long as its track in ~3 ms, more than the whole canvas takes;
        the margin keeps the canvas from jumping when the bar comes back.
        """
        policy = Qt.ScrollBarPolicy.ScrollBarAlwaysOn if needed else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        if self.horizontalScrollBarPolicy() == policy:
            return
        margin = 0 if needed else self.horizontalScrollBar().sizeHint().height()
        self.setViewportMargins(0, 0, 0, margin)
        self.setHorizontalScrollBarPolicy(policy)

    def _on_scroll(self, value: int) -> None:
        if self._syncing_bar:
            return
        self._scale = TimeScale(float(value * self._bar_unit()), self._scale.ms_per_px)
        self.viewport().update()

    def _default_anchor_x(self) -> float:
        w = self._canvas_width()
        x = self._scale.ms_to_x(self._playhead_ms)
        return x if 0 <= x <= w else w / 2

    # -- painting -----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        try:
            self._paint(painter, self.viewport().width(), self.viewport().height())
        finally:
            painter.end()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._rebuild_palette()
        elif event.type() == QEvent.Type.FontChange:
            self._label_font = QFont(self.font())
            self._label_font.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.85))
            self._metrics = QFontMetrics(self.font())
            self._line_height = self._metrics.height()
            self._label_ascent = QFontMetrics(self._label_font).ascent()
            self._static_texts.clear()

    def _hatch(self, height: int, width: int) -> np.ndarray:
        cached = self._hatch_cache
        if cached is None or cached[0] < height or cached[1] < width:
            cached = (max(height, 64), max(width, 256), hatch_pattern(max(height, 64), max(width, 256)))
            self._hatch_cache = cached
        return cached[2]

    def _paint(self, p: QPainter, w: int, h: int) -> None:
        """Paint the whole canvas (w x h): code image of the block area, texts, ruler, playhead."""
        index = self._ensure_index()
        layout = self._layout(h)
        spans = [layout.lane_span(i) for i in range(layout.n_lanes)]
        top, bottom = spans[0][0], spans[-1][1]
        area_h = max(1, bottom - top)
        # The block image covers [top, top + area_h) and the ruler paints its own rows.
        base = self.palette().base()
        _fill(p, 0, layout.ruler_px, w, top - layout.ruler_px, base)
        _fill(p, 0, top + area_h, w, h - top - area_h, base)
        codes = np.zeros((area_h, w), np.uint16)
        if len(spans) > 1:
            for lane in range(1, len(spans), 2):
                codes[spans[lane][0] - top : spans[lane][1] - top] = CODE_BAND
        t0, t1 = self._scale.visible_ms(w)
        lo, hi = index.bounds(t0, t1)
        texts: list[tuple[int, int, int, int, int, int, bool]] = []
        strips: list[tuple[int, int, int, TimeSource]] = []
        current: tuple[int, int, int, int] | None = None
        pos = index.visible(t0, t1) if (hi - lo) <= VISIBLE_SCAN_MAX else None
        if pos is None or len(pos) * AGGREGATE_PX_PER_CUE > w:
            cols = self._columns(lo, hi, w, len(spans), pos)
            self._raster_columns(codes, cols, lo, hi, w, spans, top)
            overlap = cols.overlap
        else:
            current = self._raster_blocks(codes, pos, w, spans, top, texts, strips)
            overlap = self._overlap_row(pos, w)
        drag = self._drag
        if drag is not None and drag.active and drag.preview is not None:
            rect = self._raster_preview(codes, w, spans, top, texts)
            current = rect or current
        if self._waveform is not None:
            self._raster_waveform(codes, w, area_h)
        rgb = np.take(self._lut, codes)
        p.drawImage(0, top, QImage(rgb.data, w, area_h, 4 * w, QImage.Format.Format_RGB32))
        if texts:
            self._paint_texts(p, texts)
        if strips:
            self._paint_strips(p, strips)
        if current is not None:
            x0, y0, x1, y1 = current
            p.setPen(QPen(QColor(255, 255, 255), 1))
            p.setBrush(Qt.BrushStyle.NoBrush)
            if x1 - x0 >= 8:
                p.drawRect(QRect(x0 + 2, y0 + 2, x1 - x0 - 5, y1 - y0 - 5))
        self._paint_ruler(p, overlap, w, layout.ruler_px)
        if len(spans) > 1:
            self._paint_lane_labels(p, spans)
        if drag is not None and drag.active and drag.preview is not None:
            self._paint_drag_label(p, drag.preview, w, layout.ruler_px)
        x = self._scale.ms_to_x(self._playhead_ms)
        if -6 <= x <= w + 6:
            red = QColor(214, 39, 40)
            p.setPen(QPen(red, 1))
            xi = round(x)
            p.drawLine(xi, 0, xi, h)
            p.setBrush(red)
            p.setPen(Qt.PenStyle.NoPen)
            p.drawPolygon(QPolygonF([QPointF(xi - 5, 0), QPointF(xi + 6, 0), QPointF(xi + 0.5, 7)]))

    def _raster_block(
        self,
        codes: np.ndarray,
        x0: float,
        x1: float,
        ry0: int,
        ry1: int,
        slot: int,
        hatched: bool,
        selected: bool,
    ) -> tuple[int, int] | None:
        """Fill one block into the code image; returns its clipped (col0, col1) or None."""
        w = codes.shape[1]
        c0 = int(x0) if x0 > 0 else 0
        c1 = int(x1) if x1 < w else w
        if c0 >= w or c1 < 0:
            return None
        if c1 <= c0:
            c1 = c0 + 1
        sub = codes[ry0:ry1, c0:c1]
        sub[...] = selected_code(slot) if selected else fill_code(slot)
        if hatched:
            sub |= self._hatch(ry1, c1)[ry0:ry1, c0:c1]
        if c1 - c0 >= 4:
            bc = CODE_SEL_BORDER if selected else border_code(slot)
            thick = 2 if selected else 1
            sub[:thick] = bc
            sub[-thick:] = bc
            if x0 >= 0:
                sub[:, :thick] = bc
            if x1 <= w:
                sub[:, -thick:] = bc
        return c0, c1

    def _raster_blocks(
        self,
        codes: np.ndarray,
        pos: np.ndarray,
        w: int,
        spans: list[tuple[int, int]],
        top: int,
        texts: list[tuple[int, int, int, int, int, int, bool]],
        strips: list[tuple[int, int, int, TimeSource]] | None = None,
    ) -> tuple[int, int, int, int] | None:
        """Fill each visible cue as a block (few enough that each is >= ~4 px on average).

        Appends the blocks wide enough for text to `texts`, and the aligned ones (where their
        times came from) to `strips`; returns the current cue's rect.
        """
        cue_of = self._controller.document.cue
        index = self._index
        assert index is not None
        origin, mpp = self._scale.origin_ms, self._scale.ms_per_px
        lanes = self._lanes()[pos].tolist()
        rows = zip(
            index.starts[pos].tolist(),
            index.ends[pos].tolist(),
            index.ids[pos].tolist(),
            index.speaker[pos].tolist(),
            index.estimated[pos].tolist(),
            lanes,
            index.prev_max_end[pos].tolist(),
            strict=True,
        )
        dragged = self._drag.cue_id if self._drag is not None and self._drag.active else None
        selected_ids = self._selected
        single_lane = len(spans) == 1
        min_text_h = self._line_height
        current = None
        last_text: dict[int, int] = {}
        for s, e, cid, sp, est, lane, prev_end in rows:
            if cid == dragged:
                continue
            y0, y1 = spans[lane]
            selected = cid in selected_ids
            x0 = (s - origin) / mpp
            x1 = (e - origin) / mpp
            cols = self._raster_block(codes, x0, x1, y0 - top, y1 - top, sp + 1, est, selected)
            if cols is None:
                continue
            c0, c1 = cols
            if single_lane and s < prev_end:
                # Overlap with an earlier cue: tint the overlapping part red.
                ox = (min(e, prev_end) - origin) / mpp
                o1 = min(w, max(c0 + 1, int(ox)))
                codes[y0 - top : y1 - top, c0:o1] |= OVERLAP_BIT
            prev = last_text.get(lane)
            if prev is not None and texts[prev][1] > c0:
                # A later block covers the end of an earlier one: keep the earlier text clear of it.
                texts[prev] = (texts[prev][0], c0, *texts[prev][2:])
            if c1 - c0 >= TEXT_MIN_PX and y1 - y0 >= min_text_h:
                last_text[lane] = len(texts)
                texts.append((c0, c1, y0, y1, cid, sp + 1, selected))
            if cid == self._current:
                current = (c0, y0, c1, y1)
            if strips is not None and c1 - c0 >= 3:
                source = cue_of(cid).time_source
                if source:
                    strips.append((c0, c1, y1, source))
        return current

    def _paint_strips(self, p: QPainter, strips: list[tuple[int, int, int, TimeSource]]) -> None:
        """Mark where aligned cues' times came from: a strip inside the foot of each block."""
        pal = self.palette()
        colors = {src: theme.time_source_color(name, pal) for src, name in TIME_SOURCE_MARKS.items()}
        for c0, c1, y1, source in strips:
            _fill(p, c0 + 1, y1 - 1 - SOURCE_STRIP_PX, max(1, c1 - c0 - 2), SOURCE_STRIP_PX, colors[source])

    def _raster_preview(
        self,
        codes: np.ndarray,
        w: int,
        spans: list[tuple[int, int]],
        top: int,
        texts: list[tuple[int, int, int, int, int, int, bool]],
    ) -> tuple[int, int, int, int] | None:
        """Fill the dragged cue at its previewed times; returns its rect."""
        drag = self._drag
        assert drag is not None and drag.preview is not None
        index = self._ensure_index()
        p = index.position(drag.cue_id)
        lane = int(self._lanes()[p]) if len(spans) > 1 else 0
        y0, y1 = spans[lane]
        s, e = drag.preview
        slot = int(index.speaker[p]) + 1
        x0, x1 = self._scale.ms_to_x(s), self._scale.ms_to_x(e)
        cols = self._raster_block(codes, x0, x1, y0 - top, y1 - top, slot, bool(index.estimated[p]), True)
        if cols is None:
            return None
        if cols[1] - cols[0] >= TEXT_MIN_PX and y1 - y0 >= self._line_height:
            texts.append((cols[0], cols[1], y0, y1, drag.cue_id, slot, True))
        return cols[0], y0, cols[1], y1

    def _columns(self, lo: int, hi: int, w: int, n_lanes: int, pos: np.ndarray | None = None) -> Columns:
        """Summarise the cues in view per pixel column: directly from the visible cues (`pos`,
        when known) when there are not too many, else from a precomputed bin level (O(width))
        unless that level would be too large to build."""
        index = self._ensure_index()
        lanes = self._lanes() if n_lanes > 1 else None
        if (len(pos) if pos is not None else hi - lo) > DIRECT_COLUMNS_MAX:
            shift = max(0, math.floor(math.log2(max(1.0, self._scale.ms_per_px))))
            if index.level_bins(n_lanes, shift) <= LEVEL_MAX_BINS:
                return index.level(lanes, n_lanes, shift).columns(self._scale, w)
        if pos is None:
            t0, t1 = self._scale.visible_ms(w)
            pos = index.visible(t0, t1)
        return columns_direct(index, pos, lanes, n_lanes, self._scale, w)

    def _raster_columns(
        self,
        codes: np.ndarray,
        cols: Columns,
        lo: int,
        hi: int,
        w: int,
        spans: list[tuple[int, int]],
        top: int,
    ) -> None:
        """Fill the column summary lane by lane: colour, hatching, selection. (Overlaps are
        marked on the ruler only: at this zoom a tint would cover whole stretches.)"""
        index = self._ensure_index()
        n_lanes = len(spans)
        row_codes = (FIRST_SPEAKER_CODE + 4 * (cols.slot % MAX_COLOR_SLOTS)).astype(np.uint16)
        sel_cover = None
        sel = self._selected_sorted()
        if len(sel):
            # Only the selected cues in view: a few, or all of them after Select All.
            sel = sel[np.searchsorted(sel, lo) : np.searchsorted(sel, hi)]
            t0, t1 = self._scale.visible_ms(w)
            sel = sel[(index.ends[sel] >= t0) & (index.starts[sel] <= t1)]
            if len(sel):
                c0, c1 = column_spans(index.starts[sel], index.ends[sel], self._scale, w)
                rows = self._lanes()[sel] if n_lanes > 1 else None
                sel_cover = coverage(c0, c1, rows, n_lanes, w) > 0
                row_codes += sel_cover.astype(np.uint16)  # fill -> selected fill
        hatch = self._hatch(spans[-1][1] - top, w)
        for lane, (y0, y1) in enumerate(spans):
            ry0, ry1 = y0 - top, y1 - top
            block = codes[ry0:ry1]
            bg = CODE_BAND if lane % 2 else CODE_BG
            block[:] = np.where(cols.cover[lane], row_codes[lane], bg)[None, :]
            if cols.estimated is not None and cols.estimated[lane].any():
                on = np.where(cols.estimated[lane], 0xFFFF, 0).astype(np.uint16)
                block |= hatch[ry0:ry1, :w] & on[None, :]
            if sel_cover is not None and sel_cover[lane].any():
                on = sel_cover[lane]
                block[:2, on] = CODE_SEL_BORDER
                block[-2:, on] = CODE_SEL_BORDER

    def _raster_waveform(self, codes: np.ndarray, w: int, area_h: int) -> None:
        """Shade the provider's min/max peaks of the visible range over the block area."""
        assert self._waveform is not None
        t0, t1 = self._scale.visible_ms(w)
        peaks = self._waveform.peaks(int(t0), int(t1), w)
        if peaks is None or len(peaks) == 0:
            return
        arr = np.clip(np.asarray(peaks, np.float32).reshape(-1, 2)[:w], -1.0, 1.0)
        arr.sort(axis=1)  # (min, max) even from a provider that swaps them
        n = len(arr)
        mid = area_h / 2
        half = area_h / 2 - 1
        y_top = np.floor(mid - arr[:, 1] * half).astype(np.int16)
        span = (np.ceil(mid - arr[:, 0] * half).astype(np.int16) - y_top).view(np.uint16)
        yy = np.arange(area_h, dtype=np.int16)[:, None]
        # One unsigned comparison tests y_top <= y <= y_bot (rows above y_top wrap to huge
        # values), and a multiply sets the bit: NumPy runs `where=` and `<<` on uint16 without
        # SIMD, ~10x slower (3.7 ms instead of 0.35 ms for 1600 x 150).
        on = (yy - y_top).view(np.uint16) <= span
        codes[:, :n] |= np.multiply(on, np.uint16(WAVE_BIT), dtype=np.uint16)

    def _static_text(self, text: str, elide_px: int = 0) -> QStaticText:
        """Return `text` (elided to `elide_px` when > 0) laid out once as plain text (cached)."""
        key = (text, elide_px)
        found = self._static_texts.get(key)
        if found is None:
            if len(self._static_texts) >= _STATIC_TEXT_MAX:
                self._static_texts.clear()
            if elide_px:
                text = self._metrics.elidedText(text, Qt.TextElideMode.ElideRight, elide_px)
            found = QStaticText(text)
            found.setTextFormat(Qt.TextFormat.PlainText)  # cue text is never markup
            self._static_texts[key] = found
        return found

    def _paint_texts(self, p: QPainter, texts: list[tuple[int, int, int, int, int, int, bool]]) -> None:
        """Draw the cues' plain text (never HTML) inside their blocks, elided, line by line."""
        line_h = self._line_height
        for c0, c1, y0, y1, cid, slot, selected in texts:
            avail = c1 - c0 - 8
            if avail < TEXT_MIN_PX - 8:
                continue
            lines = self._display_lines(cid)
            if not lines:
                continue
            fit = max(1, (y1 - y0 - 4) // line_h)
            if len(lines) > fit:
                lines = [*lines[: fit - 1], " / ".join(lines[fit - 1 :])]
            colors = self._text_on_selected if selected else self._text_on_fill
            pen = colors[slot] if slot < len(colors) else colors[0]
            p.setPen(pen)
            block_h = len(lines) * line_h
            # Static texts are placed by their top-left corner, not by the baseline.
            y = y0 + max(3, (y1 - y0 - block_h) // 2) if fit > 1 else (y0 + y1 - line_h) // 2
            backing = self._text_backing(slot, selected) if self._waveform is not None else None
            if backing is not None and fit > 1:
                y = y0 + 3  # over a waveform: at the top, clear of its loudest middle
            for line in lines:
                text = self._static_text(line, avail)
                if backing is not None:
                    # The waveform shows through the block: a veil of its fill keeps the text legible.
                    p.fillRect(QRectF(c0 + 2, y, text.size().width() + 4, line_h), backing)
                p.drawStaticText(QPointF(c0 + 4, y), text)
                y += line_h

    def _text_backing(self, slot: int, selected: bool) -> QColor | None:
        """Return the veil behind a block's text over a waveform (its fill, mostly opaque)."""
        fills = self._fill_colors[1] if selected else self._fill_colors[0]
        if not fills:
            return None
        return fills[slot] if slot < len(fills) else fills[0]

    def _overlap_row(self, pos: np.ndarray, w: int) -> np.ndarray | None:
        """Return the (w,) columns where a cue in `pos` overlaps an earlier one, or None."""
        index = self._ensure_index()
        starts, prev_end = index.starts[pos], index.prev_max_end[pos]
        ov = starts < prev_end
        if not ov.any():
            return None
        o0, o1 = column_spans(starts[ov], np.minimum(index.ends[pos][ov], prev_end[ov]), self._scale, w)
        return coverage(o0, o1, None, 1, w)[0] > 0

    def _paint_ruler(self, p: QPainter, overlap: np.ndarray | None, w: int, ruler_px: int) -> None:
        pal = self.palette()
        _fill(p, 0, 0, w, ruler_px, pal.window())
        major, _ = tick_steps(self._scale.ms_per_px)
        lines = []
        labels = []
        for t, is_major in ticks(self._scale, w):
            x = round(self._scale.ms_to_x(t))
            lines.append(QLine(x, ruler_px - (9 if is_major else 4), x, ruler_px))
            if is_major:
                labels.append((x, format_tick(t, major)))
        p.setPen(pal.windowText().color())
        p.drawLines(lines)
        p.setFont(self._label_font)
        top = ruler_px - 10 - self._label_ascent
        for x, label in labels:
            p.drawStaticText(QPointF(x + 3, top), self._static_text(label))
        p.setFont(self.font())
        # Overlapping cues: a red band at the bottom of the ruler over each overlap.
        if overlap is not None and overlap.any():
            # One image for the whole band: at a wide zoom there are hundreds of separate runs.
            band = np.repeat(np.where(overlap[:w], np.uint32(0xFFD62728), np.uint32(0))[None, :], 4, axis=0)
            p.drawImage(0, ruler_px - 4, QImage(band.data, len(band[0]), 4, 4 * len(band[0]), _PREMULTIPLIED))
        p.setPen(pal.mid().color())
        p.drawLine(0, ruler_px - 1, w, ruler_px - 1)

    def _paint_lane_labels(self, p: QPainter, spans: list[tuple[int, int]]) -> None:
        index = self._ensure_index()
        doc = self._controller.document
        names = [doc.speaker_name(sid) or sid for sid in index.speaker_ids] + ["(no speaker)"]
        p.setFont(self._label_font)
        fm = QFontMetrics(self._label_font)
        for lane, (y0, y1) in enumerate(spans):
            if y1 - y0 < fm.height() - 2:
                continue
            name = names[lane] if lane < len(names) else ""
            label = self._static_text(" ".join(name.split()))  # one line, whatever the name holds
            r = QRectF(1, y0 + 1, label.size().width() + 8, fm.height())
            p.fillRect(r, QColor(255, 255, 255))
            p.setPen(QColor(30, 30, 30))
            p.drawStaticText(QPointF(5, y0 + 1), label)
        p.setFont(self.font())

    def _paint_drag_label(self, p: QPainter, times: tuple[int, int], w: int, ruler_px: int) -> None:
        """Show the dragged cue's live times in the ruler."""
        s, e = times
        label = f"{format_short(s)} – {format_short(e)}  ({(e - s) / 1000:.3f} s)"
        p.setFont(self._label_font)
        fm = QFontMetrics(self._label_font)
        lw = fm.horizontalAdvance(label) + 10
        x = min(max(0.0, self._scale.ms_to_x(s)), max(0.0, w - lw))
        box = QRectF(x, 1, lw, ruler_px - 2)
        p.fillRect(box, QColor(255, 255, 220))
        p.setPen(QColor(0, 0, 0))
        p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), label)
        p.setFont(self.font())

    # -- hit testing ------------------------------------------------------------------------
    def hit(self, x: float, y: float) -> tuple[int, Part] | None:
        """Return (cue_id, part) under viewport point (x, y), or None."""
        layout = self._layout()
        lane = layout.lane_at(y)
        if lane is None:
            return None
        y0, y1 = layout.lane_span(lane)
        if not (y0 - layout.margin_px <= y <= y1 + layout.margin_px):
            return None
        index = self._ensure_index()
        slack = 6 * self._scale.ms_per_px
        pos = index.visible(self.ms_at(x) - slack, self.ms_at(x) + slack)
        if self._lanes_by_speaker:
            pos = pos[self._lanes()[pos] == lane]
        blocks = [
            (cid, self.x_of(s), self.x_of(e))
            for cid, s, e in zip(
                index.ids[pos].tolist(), index.starts[pos].tolist(), index.ends[pos].tolist(), strict=True
            )
        ]
        return pick(x, blocks)

    def tooltip_html(self, cue_id: int) -> str:
        """Return the tooltip of a block: times, speaker and text, HTML-escaped so that the
        cue's characters show literally (a tooltip would otherwise render them as rich text).

        Raises KeyError for an unknown cue.
        """
        import html  # (here: its entity table is ~2 ms of a launch that shows no tooltip)

        doc = self._controller.document
        cue = doc.cue(cue_id)
        head = f"{format_short(cue.start_ms)} – {format_short(cue.end_ms)}  ({cue.duration_ms / 1000:.3f} s)"
        if cue.time_source:
            head += "  · " + _TIME_SOURCE_NOTES[cue.time_source]
        elif cue.timing is Timing.ESTIMATED:
            head += "  · estimated timing"
        speaker = doc.speaker_name(cue.speaker_id)
        lines = [head] + ([f"{speaker}:"] if speaker else []) + plain_text(cue.text).splitlines()
        return "<qt>" + "<br>".join(html.escape(line) for line in lines) + "</qt>"

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()  # type: ignore[attr-defined]
            hit = None if self._layout().in_ruler(pos.y()) else self.hit(pos.x(), pos.y())
            if hit is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_html(hit[0]), self.viewport())  # type: ignore[attr-defined]
            return True
        return super().viewportEvent(event)

    # -- mouse and keys ------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pt = event.position()
        if self._layout().in_ruler(pt.y()):
            self._scrubbing = True
            self._seek_to_x(pt.x())
            return
        hit = self.hit(pt.x(), pt.y())
        mods = event.modifiers()
        if hit is None:
            if not mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
                self._select([], None)
            return
        cue_id, part = hit
        if mods & Qt.KeyboardModifier.ControlModifier:
            ids = [i for i in self._controller.selected_ids if i != cue_id]
            if cue_id not in self._controller.selected_ids:
                ids.append(cue_id)
            self._select(ids, cue_id if cue_id in ids else (ids[-1] if ids else None))
            return
        if mods & Qt.KeyboardModifier.ShiftModifier and self._current is not None:
            try:
                ids = self._ensure_index().shift_range([cue_id], self._current)
            except KeyError:
                ids = [cue_id]
            self._select(ids, cue_id)
            return
        # A press on a member of a multi-selection keeps it until release (the press may start a
        # drag); a plain click without a drag then selects just that cue.
        keep = cue_id in self._selected and len(self._selected) > 1
        if not keep:
            self._select([cue_id], cue_id)
        cue = self._controller.document.cue(cue_id)
        orig = (cue.start_ms, cue.end_ms)
        self._drag = _Drag(cue_id, part, pt.x(), self.ms_at(pt.x()), orig, reselect=keep)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pt = event.position()
        if self._scrubbing:
            self._seek_to_x(pt.x())
            return
        drag = self._drag
        if drag is None:
            self._update_cursor(pt.x(), pt.y())
            return
        if not drag.active:
            if abs(pt.x() - drag.press_x) < QApplication.startDragDistance():
                return
            self._start_drag(drag)
        self._update_drag(pt.x())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        self._scrubbing = False
        drag, self._drag = self._drag, None
        if drag is None:
            return
        if not drag.active:
            if drag.reselect:
                self._select([drag.cue_id], drag.cue_id)
            return
        self._update_drag_preview(drag, event.position().x())
        self.viewport().update()
        if drag.preview is not None and drag.preview != drag.orig:
            text = "Move cue" if drag.part is Part.BODY else "Retime cue"
            edit = _operations().retime(self._controller.document, {drag.cue_id: drag.preview})
            self._controller.apply(edit, text)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pt = event.position()
        hit = self.hit(pt.x(), pt.y())
        if hit is not None:
            self._drag = None
            self.edit_requested.emit(hit[0])

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if delta.y():
                self.zoom(ZOOM_STEP ** (delta.y() / 120), event.position().x())
            event.accept()
            return
        steps = (delta.x() or delta.y()) / 120
        if steps:
            visible = self._canvas_width() * self._scale.ms_per_px
            self.set_scale(self._scale.origin_ms - steps * visible / 10, self._scale.ms_per_px)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and self._drag is not None:
            self._drag = None
            self.viewport().update()
            event.accept()
            return
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.set_scale(self._scale.origin_ms, self._scale.ms_per_px)

    # -- interaction helpers -------------------------------------------------------------------
    def _select(self, ids: list[int], current: int | None) -> None:
        self._own_selection = True
        try:
            self._controller.select(ids, current)
        finally:
            self._own_selection = False

    def _seek_to_x(self, x: float) -> None:
        ms = max(0, round(self.ms_at(x)))
        self.set_playhead_ms(ms)
        self.seek_requested.emit(ms)

    def _start_drag(self, drag: _Drag) -> None:
        index = self._ensure_index()
        lanes = self._lanes() if self._lanes_by_speaker else None
        drag.neighbours = index.neighbours(drag.cue_id, lanes)
        t0, t1 = self._scale.visible_ms(self._canvas_width())
        span = t1 - t0
        edges = index.edges_between(t0 - 3 * span, t1 + 3 * span, exclude=drag.cue_id)
        drag.min_gap_ms = self._controller.style().min_gap_ms
        drag.targets = snap_targets(edges, self._playhead_ms, drag.min_gap_ms)
        drag.active = True

    def _update_drag_preview(self, drag: _Drag, x: float) -> None:
        if not drag.active:
            return
        drag.preview = drag_times(
            drag.part,
            drag.orig,
            self.ms_at(x) - drag.press_ms,  # in time, so scrolling during the drag counts
            drag.neighbours,  # type: ignore[arg-type]  # set by _start_drag before any preview
            drag.targets or [],
            SNAP_PX * self._scale.ms_per_px,
            drag.min_gap_ms,
        )

    def _update_drag(self, x: float) -> None:
        assert self._drag is not None
        w = self._canvas_width()
        # Dragging past an edge of the view scrolls it, as far as the pointer overshoots.
        overshoot = min(0.0, x - DRAG_SCROLL_PX) or max(0.0, x - (w - DRAG_SCROLL_PX))
        if overshoot:
            self.set_scale(self._scale.origin_ms + overshoot * self._scale.ms_per_px, self._scale.ms_per_px)
        self._update_drag_preview(self._drag, x)
        self.viewport().update()

    def _update_cursor(self, x: float, y: float) -> None:
        hit = None if self._layout().in_ruler(y) else self.hit(x, y)
        if hit is not None and hit[1] is not Part.BODY:
            self.viewport().setCursor(Qt.CursorShape.SizeHorCursor)
        else:
            self.viewport().unsetCursor()


__all__ = ["BlockStyle", "TimelineView", "WaveformProvider"]
