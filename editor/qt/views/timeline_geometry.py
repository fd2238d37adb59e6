"""Pure maths behind the timeline widget: time<->pixel mapping, ruler ticks, lanes,
hit testing, drag constraints with snapping, and a sorted cue index for O(visible) painting.

No Qt here (only NumPy), so all of it is unit-testable without a display.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from enum import Enum
from itertools import compress, repeat
from operator import attrgetter, is_, not_

import numpy as np

from editor.core.model import Document, Timing, ids_fit_array, plain_text
from editor.core.records import record
from editor.core.style import PRESETS
from editor.qt.prepared import Prepared

MIN_GAP_MS = PRESETS["default"].min_gap_ms  # when the caller gives no style profile
SNAP_PX = 8  # snapping distance for drags
EDGE_PX = 5  # how close to a block's edge a press grabs the edge rather than the body
MIN_DURATION_MS = 10  # a drag never makes a cue shorter than this (so end > start always)
MIN_MS_PER_PX = 0.25  # deepest zoom: 4 px per millisecond
ZOOM_STEP = 1.25  # one wheel notch or one +/- key press

_NEG = -(1 << 62)


class Part(Enum):
    """What part of a cue block a point is on; also the kind of a drag."""

    LEFT = "left"
    RIGHT = "right"
    BODY = "body"


# -- time <-> pixels ----------------------------------------------------------------


@record(frozen=True, slots=True)
class TimeScale:
    """Maps milliseconds to x pixels: x = (ms - origin_ms) / ms_per_px."""

    origin_ms: float = 0.0
    ms_per_px: float = 20.0

    def ms_to_x(self, ms: float) -> float:
        """Return the x pixel (float) of time `ms`."""
        return (ms - self.origin_ms) / self.ms_per_px

    def x_to_ms(self, x: float) -> float:
        """Return the time (float ms) under pixel column `x`."""
        return self.origin_ms + x * self.ms_per_px

    def visible_ms(self, width_px: int) -> tuple[float, float]:
        """Return the (first, last) milliseconds shown in a canvas `width_px` wide."""
        return self.origin_ms, self.origin_ms + width_px * self.ms_per_px

    def zoomed(self, factor: float, anchor_x: float, min_mpp: float, max_mpp: float) -> TimeScale:
        """Return the scale zoomed in by `factor` (>1 zooms in) keeping the time under
        `anchor_x` at the same pixel; ms_per_px is clamped to [min_mpp, max_mpp]."""
        anchor_ms = self.x_to_ms(anchor_x)
        mpp = min(max(self.ms_per_px / factor, min_mpp), max(min_mpp, max_mpp))
        return TimeScale(anchor_ms - anchor_x * mpp, mpp)


# -- ruler ticks ---------------------------------------------------------------------

_S = 1000
_M = 60 * _S
_H = 60 * _M
# (major step, minor step) pairs, finest first; labels go on major ticks.
TICK_STEPS: tuple[tuple[int, int], ...] = (
    (10, 2),
    (20, 5),
    (50, 10),
    (100, 20),
    (200, 50),
    (500, 100),
    (_S, 200),
    (2 * _S, 500),
    (5 * _S, _S),
    (10 * _S, 2 * _S),
    (15 * _S, 5 * _S),
    (30 * _S, 10 * _S),
    (_M, 10 * _S),
    (2 * _M, 30 * _S),
    (5 * _M, _M),
    (10 * _M, 2 * _M),
    (15 * _M, 5 * _M),
    (30 * _M, 10 * _M),
    (_H, 10 * _M),
    (2 * _H, 30 * _M),
    (5 * _H, _H),
    (10 * _H, 2 * _H),
    (24 * _H, 6 * _H),
    (48 * _H, 12 * _H),
    (120 * _H, 24 * _H),
)


def tick_steps(ms_per_px: float, min_label_px: float = 90.0) -> tuple[int, int]:
    """Return (major_ms, minor_ms): the finest steps whose labels are >= `min_label_px` apart."""
    for major, minor in TICK_STEPS:
        if major / ms_per_px >= min_label_px:
            return major, minor
    return TICK_STEPS[-1]


def ticks(scale: TimeScale, width_px: int, min_label_px: float = 90.0) -> list[tuple[int, bool]]:
    """Return the ruler ticks visible in `width_px`: (ms, is_major), in time order."""
    major, minor = tick_steps(scale.ms_per_px, min_label_px)
    t0, t1 = scale.visible_ms(width_px)
    first = max(0, math.floor(t0 / minor) * minor)
    out: list[tuple[int, bool]] = []
    t = first
    while t <= t1:
        out.append((t, t % major == 0))
        t += minor
    return out


def format_tick(ms: int, major_ms: int) -> str:
    """Return a ruler label for `ms`, with as much precision as the step `major_ms` needs.

    e.g. 0:05, 1:02:30, 0:01.5, 0:00.250.
    """
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    h, rem = divmod(ms, _H)
    m, rem = divmod(rem, _M)
    s, frac = divmod(rem, _S)
    head = f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
    if major_ms % _S == 0:
        return sign + head
    if major_ms % 100 == 0:
        return f"{sign}{head}.{frac // 100}"
    if major_ms % 10 == 0:
        return f"{sign}{head}.{frac // 10:02d}"
    return f"{sign}{head}.{frac:03d}"


# -- lanes -----------------------------------------------------------------------------


@record(frozen=True, slots=True)
class LaneLayout:
    """Vertical layout: a ruler on top, then `n_lanes` equal lanes with small margins."""

    height_px: int
    n_lanes: int = 1
    ruler_px: int = 22
    margin_px: int = 4

    def lane_span(self, lane: int) -> tuple[int, int]:
        """Return (top, bottom) pixel rows of `lane` (bottom exclusive)."""
        top = self.ruler_px + self.margin_px
        avail = max(1, self.height_px - top - self.margin_px)
        n = max(1, self.n_lanes)
        lane_h = avail / n
        y0 = top + round(lane * lane_h)
        y1 = top + round((lane + 1) * lane_h)
        gap = 2 if n > 1 and lane_h >= 10 else 0
        return y0, max(y0 + 1, y1 - gap)

    def lane_at(self, y: float) -> int | None:
        """Return the lane under pixel row `y` (margins and gaps count to the nearest lane),
        or None on the ruler."""
        if y < self.ruler_px:
            return None
        n = max(1, self.n_lanes)
        top = self.ruler_px + self.margin_px
        avail = max(1, self.height_px - top - self.margin_px)
        return min(n - 1, max(0, int((y - top) // (avail / n))))

    def in_ruler(self, y: float) -> bool:
        return 0 <= y < self.ruler_px


# -- hit testing --------------------------------------------------------------------------


def pick(
    x: float, blocks: Sequence[tuple[int, float, float]], edge_px: float = EDGE_PX
) -> tuple[int, Part] | None:
    """Return (cue_id, part) under pixel column `x`, or None.

    `blocks` are (cue_id, x0, x1) of one lane in paint order (later ones are drawn on top).
    An edge within `edge_px` wins over a body, the nearest edge first (two abutting blocks:
    the closer edge is taken); on narrow blocks the edge zone shrinks to a third of the width
    so the body stays grabbable. Among overlapping bodies the topmost wins.
    """
    best_edge: tuple[float, int, Part] | None = None
    body: int | None = None
    for cue_id, x0, x1 in blocks:
        w = x1 - x0
        zone = min(edge_px, max(1.0, w / 3))
        for edge_x, part in ((x0, Part.LEFT), (x1, Part.RIGHT)):
            dist = abs(x - edge_x)
            inside_side = (part is Part.LEFT and x >= x0 - zone) or (part is Part.RIGHT and x <= x1 + zone)
            if dist <= zone and inside_side and (best_edge is None or dist < best_edge[0]):
                best_edge = (dist, cue_id, part)
        if x0 <= x <= x1:
            body = cue_id
    if best_edge is not None:
        return best_edge[1], best_edge[2]
    if body is not None:
        return body, Part.BODY
    return None


# -- dragging ------------------------------------------------------------------------------


@record(frozen=True, slots=True)
class Neighbours:
    """The free room around a cue: the latest end of cues wholly before it and the earliest
    start of cues wholly after it (None when there is none). Cues that already overlap it
    do not constrain a drag: the user is likely fixing that overlap."""

    prev_end: int | None = None
    next_start: int | None = None


def snap(value: float, targets: Sequence[float], tolerance: float) -> tuple[float, float | None]:
    """Return (value snapped to the nearest target within `tolerance`, the distance or None).

    `targets` must be sorted ascending.
    """
    i = bisect_left(targets, value)
    best: float | None = None
    for j in (i - 1, i):
        if 0 <= j < len(targets):
            d = abs(targets[j] - value)
            if d <= tolerance and (best is None or d < abs(best - value)):
                best = targets[j]
    if best is None:
        return value, None
    return best, abs(best - value)


def snap_targets(
    edges: Iterable[int], playhead_ms: float | None, min_gap_ms: int = MIN_GAP_MS
) -> list[float]:
    """Return sorted snap targets: every neighbour edge, each edge +/- the minimum gap (so a
    boundary lands exactly one gap away from its neighbour), and the playhead."""
    out: set[float] = set()
    for e in edges:
        out.update((e, e - min_gap_ms, e + min_gap_ms))
    if playhead_ms is not None:
        out.add(float(playhead_ms))
    return sorted(out)


def drag_times(
    kind: Part,
    orig: tuple[int, int],
    delta_ms: float,
    neighbours: Neighbours,
    targets: Sequence[float] = (),
    snap_ms: float = 0.0,
    min_gap_ms: int = MIN_GAP_MS,
    min_duration_ms: int = MIN_DURATION_MS,
) -> tuple[int, int]:
    """Return the (start_ms, end_ms) a drag gives.

    `kind` LEFT/RIGHT moves one edge, BODY moves the cue keeping its duration. The moved
    edge(s) snap to `targets` within `snap_ms`; then the result is clamped so the cue keeps
    `min_gap_ms` to its neighbours (never worse than where it started, so a cue that was
    already too close is not pushed), never starts before 0, and never gets shorter than
    `min_duration_ms` (an edge dragged across the other one stops there).
    """
    s0, e0 = orig
    lo = 0
    if neighbours.prev_end is not None:
        lo = max(0, min(s0, neighbours.prev_end + min_gap_ms))
    hi: float = math.inf
    if neighbours.next_start is not None:
        hi = max(e0, neighbours.next_start - min_gap_ms)
    if kind is Part.BODY:
        dur = e0 - s0
        s = s0 + delta_ms
        e = s + dur
        if targets and snap_ms > 0:
            s_snap, ds = snap(s, targets, snap_ms)
            e_snap, de = snap(e, targets, snap_ms)
            if ds is not None and (de is None or ds <= de):
                s = s_snap
            elif de is not None:
                s = e_snap - dur
        s = min(max(s, lo), hi - dur) if hi - dur >= lo else lo
        s = round(s)
        return s, s + dur
    if kind is Part.LEFT:
        s = s0 + delta_ms
        if targets and snap_ms > 0:
            s, _ = snap(s, targets, snap_ms)
        s = min(max(s, lo), e0 - min_duration_ms)
        s = max(0, round(s))
        return s, e0
    e = e0 + delta_ms
    if targets and snap_ms > 0:
        e, _ = snap(e, targets, snap_ms)
    e = max(min(e, hi), s0 + min_duration_ms)
    return s0, round(e)


# -- text --------------------------------------------------------------------------------

_CONTROL = {c: " " for c in range(32)}


def display_text(text: str) -> str:
    """Return cue text as one line of plain text to draw inside a block.

    Inline <i>/<b>/<u> tags are dropped; every other character is kept literally (a `<img>`
    stays the five characters it is: nothing is ever interpreted as HTML); line breaks
    become " / " and other control characters spaces.
    """
    lines = [line.strip() for line in plain_text(text).splitlines()]
    return " / ".join(line for line in lines if line).translate(_CONTROL)


def display_lines(text: str) -> list[str]:
    """Return cue text as plain lines to draw inside a block (see display_text); no empty lines."""
    lines = (line.strip().translate(_CONTROL) for line in plain_text(text).splitlines())
    return [line for line in lines if line]


# -- the cue index ------------------------------------------------------------------------


_START, _END, _ID = attrgetter("start_ms"), attrgetter("end_ms"), attrgetter("id")
_SPEAKER, _TIMING = attrgetter("speaker_id"), attrgetter("timing")


def _columns(
    cues: Sequence, speaker_slot: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (starts, ends, ids, speaker slot or -1, estimated) of `cues` in their order.

    map() with attrgetter keeps the per-cue loop in C: about 4x faster than generator
    expressions, which matters when a 100k-cue index is built on the GUI thread.
    """
    n = len(cues)
    starts = np.fromiter(map(_START, cues), np.int64, n)
    ends = np.fromiter(map(_END, cues), np.int64, n)
    ids = np.fromiter(map(_ID, cues), np.int64, n)
    if speaker_slot:
        speaker = np.fromiter(map(speaker_slot.get, map(_SPEAKER, cues), repeat(-1)), np.int32, n)
    else:  # no speaker table: every cue is -1 whatever it names (~6 ms of 22 at 100k cues)
        speaker = np.full(n, -1, np.int32)
    estimated = np.fromiter(map(is_, map(_TIMING, cues), repeat(Timing.ESTIMATED)), bool, n)
    return starts, ends, ids, speaker, estimated


def _columns_read(
    doc: Document, speaker_slot: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """`_columns(doc.cues, speaker_slot)` with ids, starts and ends taken from the reader's columns
    (Document.read_columns) instead of three passes over the Cue objects (~9 ms of the ~16 of a
    100k-cue build), or None when the document has none (edited since it was read). Tests compare
    it with `_columns`."""
    columns = doc.read_columns()
    if columns is None:
        return None
    cues = doc.cues
    n = len(cues)
    if speaker_slot:
        speaker = np.fromiter(map(speaker_slot.get, map(_SPEAKER, cues), repeat(-1)), np.int32, n)
    else:
        speaker = np.full(n, -1, np.int32)
    if columns.estimated:
        estimated = np.fromiter(map(is_, map(_TIMING, cues), repeat(Timing.ESTIMATED)), bool, n)
    else:  # the reader made no estimated cue and no edit changed a timing since (~3 ms at 100k cues)
        estimated = np.zeros(n, bool)
    return columns.starts, columns.ends, columns.ids, speaker, estimated


class CueIndex:
    """Cues sorted by start time as NumPy arrays, for O(log n + visible) range queries.

    Arrays (one entry per cue, sorted by start then document order): `starts`, `ends`, `ids`,
    `speaker` (index into `speaker_ids`, -1 for none), `estimated`, and `prev_max_end` (the
    latest end among all earlier entries) which makes the range query exact even with
    overlapping or very long cues: every entry before the first whose running maximum end
    passes t0 ends before t0, so no fixed look-back window is needed.
    """

    def __init__(self) -> None:
        self.starts = np.zeros(0, np.int64)
        self.ends = np.zeros(0, np.int64)
        self.ids = np.zeros(0, np.int64)
        self.speaker = np.zeros(0, np.int32)
        self.estimated = np.zeros(0, bool)
        self.prev_max_end = np.zeros(0, np.int64)
        self._max_end = np.zeros(0, np.int64)
        self.speaker_ids: list[str] = []
        # Cue id -> sorted position: an array by id (-1 where absent) when ids are dense,
        # else a dict; built on first use, ~0.3 ms per 100k cues as an array (a dict ~5 ms).
        self._pos: np.ndarray | dict[int, int] | None = None
        # Ids of the cues naming a speaker id the table lacks (slot -1 like "no speaker"), so a
        # speaker added to the table re-reads only them; None until first needed.
        self._dangling: set[int] | None = None
        self._levels: dict[tuple[int, int], ColumnLevel] = {}

    def __len__(self) -> int:
        return len(self.starts)

    @classmethod
    def build(cls, doc: Document) -> CueIndex:
        """Return a fresh index of `doc`'s cues (O(n log n); ~15 ms per 100k cues)."""
        index = cls()
        cues = doc.cues
        index.speaker_ids = list(doc.speakers)
        slots = {sid: i for i, sid in enumerate(index.speaker_ids)}
        found = _columns_read(doc, slots)
        index.starts, index.ends, index.ids, index.speaker, index.estimated = (
            found if found is not None else _columns(cues, slots)
        )
        order = np.argsort(index.starts, kind="stable")
        for name in cls._ARRAYS:  # (indexing copies: the reader's columns are never the index's)
            setattr(index, name, getattr(index, name)[order])
        index.finish()
        return index

    def retimed(self, doc: Document) -> CueIndex:
        """Return a new index of `doc` whose cues changed only their times since this one.

        Reads ids, starts and ends (three C-level passes) and carries speaker and timing over
        by id with NumPy, instead of the five passes of build(): shift all and its undo.
        Raises KeyError when `doc` holds a cue this index does not.
        """
        cues = doc.cues
        n = len(cues)
        ids = np.fromiter(map(_ID, cues), np.int64, n)
        by_id = np.argsort(self.ids, kind="stable")
        found = np.searchsorted(self.ids, ids, sorter=by_id)
        if n != len(self.ids) or (n and (found.max() >= n or bool(np.any(self.ids[by_id[found]] != ids)))):
            raise KeyError("the document's cues are not the index's")
        old = by_id[found]
        index = CueIndex()
        index.speaker_ids = list(self.speaker_ids)
        index.starts = np.fromiter(map(_START, cues), np.int64, n)
        index.ends = np.fromiter(map(_END, cues), np.int64, n)
        index.ids, index.speaker, index.estimated = ids, self.speaker[old], self.estimated[old]
        order = np.argsort(index.starts, kind="stable")
        for name in self._ARRAYS:
            setattr(index, name, getattr(index, name)[order])
        index.finish()
        return index

    @classmethod
    def prebuild(cls, doc: Document) -> None:
        """Build `doc`'s index now (on a loader thread), for `take_prebuilt` on the GUI thread.

        Also fills the id -> position table that the first selection needs. Only the latest
        document is kept; the caller must not change `doc` before it is shown.
        """
        _PREBUILT.prepare(doc)

    @classmethod
    def take_prebuilt(cls, doc: Document) -> CueIndex | None:
        """Return (and forget) the index prebuilt for `doc`, or None."""
        return _PREBUILT.take(doc)

    @property
    def max_end_ms(self) -> int:
        """Return the end of the last-ending cue (0 without cues)."""
        return int(self._max_end[-1]) if len(self._max_end) else 0

    def finish(self, keep_positions: bool = False) -> None:
        """Compute the arrays derived from starts and ends (after they were set or changed)."""
        self._max_end = np.maximum.accumulate(self.ends) if len(self.ends) else self.ends.copy()
        self.prev_max_end = np.empty_like(self.ends)
        if len(self.ends):
            self.prev_max_end[0] = _NEG
            self.prev_max_end[1:] = self._max_end[:-1]
        if not keep_positions:
            self._pos = None
        self._levels: dict[tuple[int, int], ColumnLevel] = {}

    _ARRAYS = ("starts", "ends", "ids", "speaker", "estimated")

    def apply_structure(self, doc: Document, inserted: Iterable[int], removed: Iterable[int]) -> None:
        """Drop `removed` cues and add `inserted` ones (read from `doc`), then re-sort.

        O(k + n) NumPy work instead of a rebuild from n Python objects. Idempotent: an inserted
        id the index already holds is replaced. Raises KeyError when an inserted id is not in
        `doc` (the caller rebuilds then).
        """
        added = [doc.cue(i) for i in inserted]
        drop = np.fromiter({*removed, *(c.id for c in added)}, np.int64)
        if self._dangling is not None:
            self._dangling.difference_update(removed)
            for cue in added:
                self._note_speaker(cue.id, cue.speaker_id)
        if len(drop):
            keep = ~np.isin(self.ids, drop)
            for name in self._ARRAYS:
                setattr(self, name, getattr(self, name)[keep])
        if added:
            spk = {sid: i for i, sid in enumerate(self.speaker_ids)}
            new = dict(zip(self._ARRAYS, _columns(added, spk), strict=True))
            for name in self._ARRAYS:
                setattr(self, name, np.concatenate((getattr(self, name), new[name])))
            order = np.argsort(self.starts, kind="stable")
            for name in self._ARRAYS:
                setattr(self, name, getattr(self, name)[order])
        self.finish()

    def refresh(self, doc: Document, cue_ids: Iterable[int]) -> None:
        """Re-read times, speaker and timing of `cue_ids` from `doc` and re-sort.

        For edits that touch a few cues (a drag, a timecode typed in the table): O(k + n)
        NumPy work instead of an O(n) pass over Python objects. Raises KeyError for an id
        the index does not hold (the caller rebuilds then).
        """
        spk = {sid: i for i, sid in enumerate(self.speaker_ids)}
        retimed = False
        for cue_id in cue_ids:
            p = self.position(cue_id)
            cue = doc.cue(cue_id)
            retimed = retimed or self.starts[p] != cue.start_ms or self.ends[p] != cue.end_ms
            self.starts[p], self.ends[p] = cue.start_ms, cue.end_ms
            self.speaker[p] = spk.get(cue.speaker_id, -1)  # type: ignore[arg-type]
            self.estimated[p] = cue.timing is Timing.ESTIMATED
            self._note_speaker(cue_id, cue.speaker_id)
        if not retimed:
            # A speaker or timing change: order and running maxima stay; only the lane
            # levels (which count cues per lane) are stale.
            self._levels = {}
            return
        resort = len(self.starts) > 1 and bool(np.any(self.starts[1:] < self.starts[:-1]))
        if resort:
            order = np.argsort(self.starts, kind="stable")
            for name in self._ARRAYS:
                setattr(self, name, getattr(self, name)[order])
        self.finish(keep_positions=not resort)

    def refresh_marks(self, doc: Document, cue_ids: Iterable[int]) -> None:
        """Re-read speaker and timing (not times) of `cue_ids` from `doc`: for edits of many cues
        that leave the order alone (a merge of speakers, its undo). Reads only those cues, with
        C loops (~1 ms per 5,000), where a rebuild read every cue and sorted them again.
        Raises KeyError for an id the index or `doc` does not hold (the caller rebuilds then).
        """
        ids = list(cue_ids)
        if not ids:
            return
        pos = self.positions(ids)
        cues = list(map(doc.cue, ids))
        spk = {sid: i for i, sid in enumerate(self.speaker_ids)}
        sids = list(map(_SPEAKER, cues))
        self.speaker[pos] = np.fromiter(map(spk.get, sids, repeat(-1)), np.int32, len(ids))
        self.estimated[pos] = np.fromiter(
            map(is_, map(_TIMING, cues), repeat(Timing.ESTIMATED)), bool, len(ids)
        )
        if self._dangling is not None:
            for cue_id, sid in zip(ids, sids, strict=True):
                self._note_speaker(cue_id, sid)
        self._levels = {}

    def positions(self, cue_ids: Sequence[int]) -> np.ndarray:
        """Return the sorted positions of `cue_ids` (an array); raises KeyError when one is absent."""
        pos = self._pos
        if pos is None:
            pos = self._pos = _positions(self.ids)
        if isinstance(pos, dict):
            return np.array([pos[i] for i in cue_ids], np.int64)
        ids = np.asarray(cue_ids, np.int64)
        if len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= len(pos)):
            raise KeyError("a cue the index does not hold")
        found = pos[ids]
        if len(found) and int(found.min()) < 0:
            raise KeyError("a cue the index does not hold")
        return found

    def _note_speaker(self, cue_id: int, speaker_id: str | None) -> None:
        """Keep the dangling set (when known) for a cue just read with `speaker_id`."""
        if self._dangling is None:
            return
        if speaker_id is not None and speaker_id not in self.speaker_ids:
            self._dangling.add(cue_id)
        else:
            self._dangling.discard(cue_id)

    def _dangling_ids(self, doc: Document) -> set[int]:
        """Return (computing once, then kept by the edits) the ids of cues whose speaker id
        is not in `speaker_ids`: only cues at slot -1 can be, so a document whose cues all
        have a known speaker costs one NumPy test."""
        if self._dangling is None:
            if not bool(np.any(self.speaker < 0)):
                self._dangling = set()
            else:
                # One C pass over the document's cues (map, compress): ~3 ms per 100k cues,
                # where looking the unassigned cues up one by one took ~0.4 µs each.
                cues = doc.cues
                known = {None, *self.speaker_ids}
                unknown = map(not_, map(known.__contains__, map(_SPEAKER, cues)))
                self._dangling = set(compress(map(_ID, cues), unknown))
        return self._dangling

    def set_speakers(self, doc: Document) -> None:
        """Take `doc`'s speaker table: renumber every cue's slot by a lookup table (O(n) NumPy,
        positions kept), mark the cues of removed speakers dangling and give the dangling cues
        of added speakers their slot. What build() would give, without reading every cue.
        Raises KeyError when a cue the index holds is not in `doc` (the caller rebuilds then).
        """
        old_ids, new_ids = self.speaker_ids, list(doc.speakers)
        if new_ids == old_ids:
            return
        slot = {sid: i for i, sid in enumerate(new_ids)}
        added = set(new_ids) - set(old_ids)
        removed = [i for i, sid in enumerate(old_ids) if sid not in slot]
        dangling = self._dangling_ids(doc) if added or removed else None
        if removed and len(self.speaker) and dangling is not None:
            gone = np.isin(self.speaker, removed)
            dangling.update(self.ids[gone].tolist())
        if new_ids[: len(old_ids)] != old_ids:
            # Old slot -> new slot; the extra last entry maps -1 ("none" or dangling) to itself.
            remap = np.array([slot.get(sid, -1) for sid in old_ids] + [-1], np.int32)
            self.speaker = remap[self.speaker]
        # (Speakers only added at the end: every slot stays what it was.)
        self.speaker_ids = new_ids
        if added and dangling:
            named = [i for i in dangling if doc.cue(i).speaker_id in added]
            for cue_id in named:
                self.speaker[self.position(cue_id)] = slot[doc.cue(cue_id).speaker_id]  # type: ignore[index]
            dangling.difference_update(named)
        self._levels = {}

    def position(self, cue_id: int) -> int:
        """Return the sorted position of `cue_id`; raises KeyError when absent."""
        pos = self._pos
        if pos is None:
            pos = self._pos = _positions(self.ids)
        if isinstance(pos, dict):
            return pos[cue_id]
        if 0 <= cue_id < len(pos):
            p = int(pos[cue_id])
            if p >= 0:
                return p
        raise KeyError(cue_id)

    def position_plain(self, cue_id: int) -> int:
        """Return the sorted position of `cue_id` by a search of `ids` (what position() must
        agree with; O(n)); raises KeyError when absent."""
        found = np.flatnonzero(self.ids == cue_id)
        if not len(found):
            raise KeyError(cue_id)
        return int(found[0])

    def _bounds(self, t0: float, t1: float) -> tuple[int, int]:
        # Integer keys: a float key would make NumPy convert the whole int64 array first.
        lo = int(np.searchsorted(self._max_end, math.ceil(t0), side="left"))
        hi = int(np.searchsorted(self.starts, math.floor(t1), side="right"))
        return lo, hi

    def visible(self, t0: float, t1: float) -> np.ndarray:
        """Return sorted positions of cues intersecting [t0, t1) (touching counts)."""
        if not len(self.starts):
            return np.zeros(0, np.int64)
        lo, hi = self._bounds(t0, t1)
        if hi <= lo:
            return np.zeros(0, np.int64)
        seg = self.ends[lo:hi] >= math.ceil(t0)
        if seg.all():
            return np.arange(lo, hi)
        return np.nonzero(seg)[0] + lo

    def bounds(self, t0: float, t1: float) -> tuple[int, int]:
        """Return (lo, hi): every cue intersecting [t0, t1) has a sorted position in [lo, hi)
        (some in it may end before t0). O(log n)."""
        if not len(self.starts):
            return 0, 0
        return self._bounds(t0, t1)

    def level_bins(self, n_lanes: int, shift: int) -> int:
        """Return the size of the ColumnLevel `level(…, n_lanes, shift)` (its cost is linear in it)."""
        return n_lanes * ((int(self._max_end[-1]) >> shift) + 2 if len(self) else 1)

    def level(self, lanes: np.ndarray | None, n_lanes: int, shift: int) -> ColumnLevel:
        """Return the (cached) ColumnLevel of bins of 2**shift ms for this lane layout."""
        key = (shift, n_lanes)
        level = self._levels.get(key)
        if level is None:
            level = self._levels[key] = ColumnLevel(self, lanes, n_lanes, shift)
        return level

    def count_range(self, t0: float, t1: float) -> int:
        """Return an upper bound of the cues in [t0, t1), in O(log n)."""
        if not len(self.starts):
            return 0
        lo, hi = self._bounds(t0, t1)
        return max(0, hi - lo)

    def neighbours(self, cue_id: int, lane_of: np.ndarray | None = None) -> Neighbours:
        """Return the Neighbours of `cue_id`, counting only cues in its lane when `lane_of`
        (lane per sorted position) is given."""
        p = self.position(cue_id)
        s, e = int(self.starts[p]), int(self.ends[p])
        mask = np.ones(len(self.starts), bool)
        mask[p] = False
        if lane_of is not None:
            mask &= lane_of == lane_of[p]
        before = mask & (self.ends <= s)
        after = mask & (self.starts >= e)
        prev_end = int(self.ends[before].max()) if before.any() else None
        next_start = int(self.starts[after].min()) if after.any() else None
        return Neighbours(prev_end, next_start)

    def edges_between(self, t0: float, t1: float, exclude: int | None = None) -> list[int]:
        """Return the start and end times of cues intersecting [t0, t1), except `exclude`."""
        pos = self.visible(t0, t1)
        if exclude is not None:
            pos = pos[self.ids[pos] != exclude]
        return sorted(set(self.starts[pos].tolist()) | set(self.ends[pos].tolist()))

    def shift_range(self, cue_ids: Sequence[int], from_id: int) -> list[int]:
        """Return the ids (time order) between `from_id` and the last of `cue_ids` inclusive,
        for Shift+click range selection."""
        a = self.position(from_id)
        b = self.position(cue_ids[-1])
        lo, hi = min(a, b), max(a, b)
        return [int(i) for i in self.ids[lo : hi + 1].tolist()]


def _positions(ids: np.ndarray) -> np.ndarray | dict[int, int]:
    """Return cue id -> position of `ids`: an array by id (-1 where absent) when the ids are
    dense enough (the usual counter-made ids), else a dict."""
    n = len(ids)
    if not n:
        return {}
    top, low = int(ids.max()), int(ids.min())
    if not ids_fit_array(low, top, n):
        return {int(i): p for p, i in enumerate(ids.tolist())}
    pos = np.full(top + 1, -1, np.int64)
    pos[ids] = np.arange(n, dtype=np.int64)
    return pos


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Return the [start, stop) index runs where boolean `mask` is True."""
    if not len(mask):
        return []
    padded = np.concatenate(([False], mask, [False]))
    d = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(d[0::2].tolist(), d[1::2].tolist(), strict=True))


def column_spans(
    starts: np.ndarray, ends: np.ndarray, scale: TimeScale, width_px: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return the first and last (inclusive) pixel columns of each [start, end], clipped."""
    c0 = np.floor((starts - scale.origin_ms) / scale.ms_per_px).astype(np.int64)
    c1 = np.floor((ends - scale.origin_ms) / scale.ms_per_px).astype(np.int64)
    np.clip(c0, 0, width_px - 1, out=c0)
    np.clip(c1, 0, width_px - 1, out=c1)
    return c0, c1


def coverage(
    c0: np.ndarray, c1: np.ndarray, rows: np.ndarray | None, n_rows: int, width_px: int
) -> np.ndarray:
    """Return an (n_rows, width_px) count of spans [c0, c1] covering each column of each row."""
    stride = width_px + 1
    base = rows * stride if rows is not None else 0
    size = n_rows * stride
    diff = np.bincount(base + c0, minlength=size)[:size] - np.bincount(base + c1 + 1, minlength=size)[:size]
    return np.cumsum(diff.reshape(n_rows, stride), axis=1)[:, :width_px]


# -- raster palette ---------------------------------------------------------------------------
# The block area is painted as a uint16 "code image" with NumPy, then turned into colours
# through one lookup table and drawn with a single drawImage: per-pixel effects (hatching,
# waveform shading, overlap tint) are bit flags, so they cost no alpha blending in QPainter
# (which, measured here, takes ~20 us per translucent block and ~25 us per hatched block).

CODE_BITS = 12
CODE_MASK = (1 << CODE_BITS) - 1
HATCH_BIT = 1 << 12
WAVE_BIT = 1 << 13
OVERLAP_BIT = 1 << 14
CODE_BG = 0
CODE_BAND = 1
CODE_SEL_BORDER = 2
CODE_CURRENT = 3
FIRST_SPEAKER_CODE = 8
MAX_COLOR_SLOTS = (CODE_MASK + 1 - FIRST_SPEAKER_CODE) // 4


def fill_code(slot: int) -> int:
    """Return the code of a block's fill for colour slot `slot` (0 = no speaker)."""
    return FIRST_SPEAKER_CODE + 4 * (slot % MAX_COLOR_SLOTS)


def selected_code(slot: int) -> int:
    return fill_code(slot) + 1


def border_code(slot: int) -> int:
    return fill_code(slot) + 2


def hex_rgb(color: str) -> tuple[int, int, int]:
    """Return (r, g, b) of '#rrggbb' (or '#rgb'); mid grey for anything else."""
    c = color.strip().lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    try:
        if len(c) != 6:
            raise ValueError(color)
        return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)
    except ValueError:
        return 158, 158, 158


def _mix(a: np.ndarray, b: np.ndarray | tuple[int, int, int], t: float) -> np.ndarray:
    return a * (1 - t) + np.asarray(b, float) * t


def slot_fill_rgb(
    slot_rgb: Sequence[tuple[int, int, int]], dimmed: Sequence[bool], bg: tuple[int, int, int]
) -> np.ndarray:
    """Return the (n, 3) fill colours of the colour slots, dimmed ones faded into `bg`."""
    rgb = np.asarray(slot_rgb, float).reshape(-1, 3)
    dim = np.asarray(dimmed, bool).reshape(-1, 1)
    return np.where(dim, _mix(rgb, bg, 0.75), rgb)


# Over a waveform the blocks are see-through: their fill is this much background, the
# waveform is drawn strongly over it, and each block keeps a full-colour outline (its bounds).
WASH = 0.7
WASH_SELECTED = 0.45


def block_fill_rgb(
    slot_rgb: Sequence[tuple[int, int, int]],
    dimmed: Sequence[bool],
    bg: tuple[int, int, int],
    translucent: bool = False,
) -> np.ndarray:
    """Return the (n, 3) colours the blocks of each slot are filled with (washed into `bg`
    when `translucent`, as over a waveform)."""
    fills = slot_fill_rgb(slot_rgb, dimmed, bg)
    return _mix(fills, bg, WASH) if translucent else fills


def _slot_rows(fill: np.ndarray, bg: tuple[int, int, int], translucent: bool) -> np.ndarray:
    """Return the (3, 3) colours of one slot's codes: fill, selected fill, border."""
    if translucent:
        rows = [_mix(fill, bg, WASH), _mix(fill, bg, WASH_SELECTED), _mix(fill, (0, 0, 0), 0.2)]
        return np.array(rows, float)
    return np.array([fill, _mix(fill, (255, 255, 255), 0.35), _mix(fill, (0, 0, 0), 0.35)], float)


def build_lut(
    slot_rgb: Sequence[tuple[int, int, int]],
    dimmed: Sequence[bool],
    bg: tuple[int, int, int],
    band: tuple[int, int, int],
    translucent: bool = False,
) -> np.ndarray:
    """Return the code -> opaque ARGB32 lookup table (uint32, 2**15 entries).

    Codes: background, alternate lane band, selection border, current-cue outline, then per
    colour slot (a speaker, or slot 0 for none) its fill, selected fill and border; the bits
    above CODE_BITS darken (hatch, waveform) or tint red (overlap) whatever code is below.
    `translucent` (a waveform is shown): fills are washed into the background and the
    waveform is drawn strongly over them, so the blocks no longer hide it.
    """
    base = np.zeros((CODE_MASK + 1, 3), float)
    base[:] = (158, 158, 158)
    base[CODE_BG] = bg
    base[CODE_BAND] = band
    base[CODE_SEL_BORDER] = (25, 25, 25)
    base[CODE_CURRENT] = (255, 255, 255)
    fills = slot_fill_rgb(slot_rgb, dimmed, bg)
    for slot, fill in enumerate(fills[:MAX_COLOR_SLOTS]):
        f = fill_code(slot)
        base[f : f + 3] = _slot_rows(fill, bg, translucent)
    return _flagged(base, _wave_mix(bg, translucent)).reshape(-1)


def _wave_mix(bg: tuple[int, int, int], translucent: bool) -> tuple[tuple[int, int, int], float]:
    """Return (colour, strength) the waveform bit mixes into what is under it."""
    if not translucent:
        return (20, 40, 70), 0.4
    # Strong, and against the palette: dark on a light background, light on a dark one.
    return ((20, 40, 70), 0.7) if luminance(bg) > 128 else ((200, 220, 240), 0.6)


def _flagged(base: np.ndarray, wave: tuple[tuple[int, int, int], float] = ((20, 40, 70), 0.4)) -> np.ndarray:
    """Return the (8, k) ARGB32 colours of `base` ((k, 3) float) under each flag combination."""
    out = np.empty((8, len(base), 3), float)
    for m in range(8):
        c = base.copy()
        if m & 1:  # hatch
            c = _mix(c, (0, 0, 0), 0.3)
        if m & 2:  # waveform
            c = _mix(c, wave[0], wave[1])
        if m & 4:  # overlap
            c = _mix(c, (214, 39, 40), 0.6)
        out[m] = c
    rgb = np.clip(np.rint(out), 0, 255).astype(np.uint32)
    return (0xFF000000 | (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]).astype(np.uint32)


def update_lut_slots(
    lut: np.ndarray,
    slot_rgb: Sequence[tuple[int, int, int]],
    dimmed: Sequence[bool],
    bg: tuple[int, int, int],
    slots: range,
    translucent: bool = False,
) -> None:
    """Write the entries of colour `slots` into `lut` (from build_lut with the same `bg` and
    `translucent`): what build_lut would give with these slots' colours, for a speaker added
    to the table (no 15 ms rebuild of the whole table)."""
    table = lut.reshape(8, CODE_MASK + 1)
    fills = slot_fill_rgb([slot_rgb[k] for k in slots], [dimmed[k] for k in slots], bg)
    wave = _wave_mix(bg, translucent)
    for slot, fill in zip(slots, fills, strict=True):
        if slot >= MAX_COLOR_SLOTS:
            break
        f = fill_code(slot)
        table[:, f : f + 3] = _flagged(_slot_rows(fill, bg, translucent), wave)


def clear_lut_slots(
    lut: np.ndarray, bg: tuple[int, int, int], slots: range, translucent: bool = False
) -> None:
    """Write the entries of colour `slots` into `lut` as build_lut leaves a slot no speaker has
    (for speakers removed from the end of the table: the undo of a new speaker)."""
    table = lut.reshape(8, CODE_MASK + 1)
    unused = _flagged(np.full((3, 3), 158.0), _wave_mix(bg, translucent))
    for slot in slots:
        if slot >= MAX_COLOR_SLOTS:
            break
        f = fill_code(slot)
        table[:, f : f + 3] = unused


def hatch_pattern(height: int, width: int, period: int = 8) -> np.ndarray:
    """Return a (height, width) uint16 array with HATCH_BIT on '/' diagonals, else 0."""
    yy = np.arange(height)[:, None]
    xx = np.arange(width)[None, :]
    return np.where((xx + yy) % period == 0, HATCH_BIT, 0).astype(np.uint16)


def luminance(rgb: Sequence[float]) -> float:
    """Return the perceived brightness 0..255 of an (r, g, b) colour."""
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]


# -- aggregated columns -----------------------------------------------------------------------


@record(slots=True)
class Columns:
    """Cues summarised per pixel column (for zooms where blocks are thinner than a few px).

    `cover` (lanes, w) bool: some cue touches the column; `slot` (lanes, w): colour slot
    (speaker index + 1, 0 for none) of the latest cue starting at or before the column's end;
    `estimated` (lanes, w) bool or None: some estimated cue touches it; `overlap` (w,) bool or
    None: some cue overlaps an earlier one there (across all lanes).
    """

    cover: np.ndarray
    slot: np.ndarray
    estimated: np.ndarray | None
    overlap: np.ndarray | None


def columns_direct(
    index: CueIndex, pos: np.ndarray, lanes: np.ndarray | None, n_lanes: int, scale: TimeScale, width_px: int
) -> Columns:
    """Return the Columns of the cues at sorted positions `pos` (O(len(pos)), vectorised)."""
    starts, ends = index.starts[pos], index.ends[pos]
    c0, c1 = column_spans(starts, ends, scale, width_px)
    rows = lanes[pos] if lanes is not None else None
    cover = coverage(c0, c1, rows, n_lanes, width_px) > 0
    slot = np.full(n_lanes * width_px, -1, np.int64)
    slot[(rows * width_px if rows is not None else 0) + c0] = index.speaker[pos] + 1
    slot = slot.reshape(n_lanes, width_px)
    last = np.maximum.accumulate(np.where(slot >= 0, np.arange(width_px), 0), axis=1)
    slot = np.take_along_axis(slot, last, axis=1)
    slot[slot < 0] = 0
    est = index.estimated[pos]
    est_cover = None
    if est.any():
        est_cover = coverage(c0[est], c1[est], rows[est] if rows is not None else None, n_lanes, width_px) > 0
    prev_end = index.prev_max_end[pos]
    ov = starts < prev_end
    overlap = None
    if ov.any():
        o0, o1 = column_spans(starts[ov], np.minimum(ends[ov], prev_end[ov]), scale, width_px)
        overlap = coverage(o0, o1, None, 1, width_px)[0] > 0
    return Columns(cover, slot, est_cover, overlap)


class ColumnLevel:
    """A precomputed summary of all cues in time bins of 2**shift ms, per lane, so that a
    view showing tens of thousands of cues is summarised in O(width) instead of O(cues).

    Stores cumulative counts of covered / estimated / overlapping bins and, per bin, the
    colour slot of the latest cue starting at or before it.
    """

    def __init__(self, index: CueIndex, lanes: np.ndarray | None, n_lanes: int, shift: int) -> None:
        self.shift = shift
        n = (index.max_end_ms >> shift) + 2 if len(index) else 1
        self.n_bins = n
        b0 = index.starts >> shift
        b1 = index.ends >> shift
        rows = lanes if lanes is not None else None
        cover = coverage(b0, b1, rows, n_lanes, n) > 0
        self.cum_cover = _cumulative(cover)
        est = index.estimated
        self.cum_est: np.ndarray | None = None
        if est.any():
            ecov = coverage(b0[est], b1[est], rows[est] if rows is not None else None, n_lanes, n) > 0
            self.cum_est = _cumulative(ecov)
        slot = np.full(n_lanes * n, -1, np.int64)
        slot[(rows * n if rows is not None else 0) + b0] = index.speaker + 1
        slot = slot.reshape(n_lanes, n)
        last = np.maximum.accumulate(np.where(slot >= 0, np.arange(n), 0), axis=1)
        slot = np.take_along_axis(slot, last, axis=1)
        slot[slot < 0] = 0
        self.slot = slot.astype(np.int32)
        ov = index.starts < index.prev_max_end
        self.cum_overlap: np.ndarray | None = None
        if ov.any():
            o1 = np.minimum(index.ends[ov], index.prev_max_end[ov]) >> shift
            self.cum_overlap = _cumulative(coverage(b0[ov], o1, None, 1, n) > 0)[0]

    def columns(self, scale: TimeScale, width_px: int) -> Columns:
        """Return the Columns of the view `scale` x `width_px` (bins must be <= 1 column)."""
        n = self.n_bins
        edges = np.floor((scale.origin_ms + np.arange(width_px + 1) * scale.ms_per_px) / (1 << self.shift))
        edges = np.clip(edges.astype(np.int64), 0, n)
        e0, e1 = edges[:-1], edges[1:]
        e1 = np.maximum(e1, np.minimum(e0 + 1, n))  # every column at least one bin
        cover = (self.cum_cover[:, e1] - self.cum_cover[:, e0]) > 0
        slot = self.slot[:, np.clip(e1 - 1, 0, n - 1)]
        est = (self.cum_est[:, e1] - self.cum_est[:, e0]) > 0 if self.cum_est is not None else None
        ov = (self.cum_overlap[e1] - self.cum_overlap[e0]) > 0 if self.cum_overlap is not None else None
        return Columns(cover, slot.astype(np.int64), est, ov)


def _cumulative(mask: np.ndarray) -> np.ndarray:
    """Return per-row cumulative counts of `mask` with a leading 0: out[:, j] = sum(mask[:, :j])."""
    out = np.zeros((mask.shape[0], mask.shape[1] + 1), np.int32)
    np.cumsum(mask, axis=1, out=out[:, 1:])
    return out


def _build_for_view(doc: Document) -> CueIndex:
    index = CueIndex.build(doc)
    if len(index):
        index.position(int(index.ids[0]))
    return index


# The one index built off the GUI thread for a document about to be shown (CueIndex.prebuild).
_PREBUILT: Prepared[CueIndex] = Prepared(_build_for_view)
