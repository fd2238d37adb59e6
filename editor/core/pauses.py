"""Speech pauses from a short-time energy track, and snapping cue boundaries to them.

Pauses: each energy frame (mean square, see `editor.core.waveform`) is compared in dB with
an adaptive threshold set between the recording's noise floor (a low percentile) and its
speech level (a high percentile), so the same settings work for a quiet room recording and
a loud broadcast. Runs of quiet frames at least `min_pause_ms` long are pauses; loud blips
shorter than `max_blip_ms` inside them (a click, a breath) do not split a pause.

Snapping: a cue boundary whose nearest pause lies within `window_ms` moves into it — a start
to just before the speech after the pause, an end to just after the speech before it — and
never by more than `window_ms`. All moves are one edit (one undo step); the cues' timing
stays `estimated` unless the caller asks to mark them exact (the user confirmed).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from editor.core.edits import Batch, Edit, SetCueValues, SetTimes
from editor.core.errors import ValidationError
from editor.core.model import Document, Timing

MIN_PAUSE_MS = 150
MAX_BLIP_MS = 30
SNAP_WINDOW_MS = 500
PAD_MS = 60  # how far into the pause a snapped boundary sits from the speech next to it
MIN_CUE_MS = 100  # snapping never leaves a cue shorter than this
_SILENT_DB = -60.0  # a recording whose loud frames are quieter than this is all pause
_MIN_CONTRAST_DB = 10.0  # less spread between floor and speech: no pause can be told apart


@dataclass(frozen=True, slots=True)
class Pause:
    """A stretch without speech, [start_ms, end_ms)."""

    start_ms: int
    end_ms: int

    @property
    def mid_ms(self) -> float:
        return (self.start_ms + self.end_ms) / 2


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Return the [start, end) index runs where `mask` is True."""
    if not len(mask):
        return []
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    d = np.diff(padded)
    return list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist(), strict=True))


def energy_threshold_db(db: np.ndarray) -> float | None:
    """Return the quiet/loud threshold in dB for this energy track, or None when the track
    has too little contrast to tell pauses from speech (a constant tone, steady noise)."""
    if not len(db):
        return None
    floor = float(np.percentile(db, 10))
    loud = float(np.percentile(db, 95))
    if loud < _SILENT_DB:
        return float("inf")  # all silence: everything is a pause
    if loud - floor < _MIN_CONTRAST_DB:
        return None
    return floor + 0.3 * (loud - floor)


def find_pauses(
    energy: np.ndarray,
    frame_ms: float,
    min_pause_ms: int = MIN_PAUSE_MS,
    max_blip_ms: int = MAX_BLIP_MS,
) -> list[Pause]:
    """Return the pauses in an energy track (mean square per frame of `frame_ms`), in time
    order. Raises ValidationError for a non-positive frame length."""
    if frame_ms <= 0:
        raise ValidationError("frame_ms", "must be positive")
    energy = np.asarray(energy, np.float64)
    db = 10.0 * np.log10(energy + 1e-12)
    threshold = energy_threshold_db(db)
    if threshold is None:
        return []
    quiet = db < threshold
    # A blip too short to be speech inside a quiet stretch does not split it.
    max_blip = max(0, int(max_blip_ms // frame_ms))
    for a, b in _runs(~quiet):
        if b - a <= max_blip and a > 0 and b < len(quiet):
            quiet[a:b] = True
    min_frames = max(1, int(np.ceil(min_pause_ms / frame_ms)))
    return [Pause(round(a * frame_ms), round(b * frame_ms)) for a, b in _runs(quiet) if b - a >= min_frames]


@dataclass
class SnapPlan:
    """What snapping would do: `times` holds the new (start, end) of each moved cue."""

    times: dict[int, tuple[int, int]] = field(default_factory=dict)
    boundaries: int = 0  # how many starts and ends move
    considered: int = 0  # how many cues were looked at
    mark_exact: list[int] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.times and not self.mark_exact

    def edit(self) -> Edit:
        """Return the one edit applying the plan (new times, then exact timing if asked)."""
        parts: list[Edit] = []
        if self.times:
            parts.append(SetTimes(dict(self.times)))
        if self.mark_exact:
            parts.append(SetCueValues("timing", {i: Timing.EXACT for i in self.mark_exact}))
        return Batch(parts)


class _PauseIndex:
    def __init__(self, pauses: list[Pause]) -> None:
        self.pauses = sorted(pauses, key=lambda p: p.start_ms)
        self.starts = [p.start_ms for p in self.pauses]

    def nearest(self, t: int, window_ms: int) -> Pause | None:
        """Return the pause nearest to time t (0 when t is inside it) within window_ms."""
        i = bisect.bisect_right(self.starts, t)
        best, best_d = None, window_ms + 1
        for j in (i - 1, i):
            if 0 <= j < len(self.pauses):
                p = self.pauses[j]
                d = 0 if p.start_ms <= t <= p.end_ms else min(abs(t - p.start_ms), abs(t - p.end_ms))
                if d < best_d:
                    best, best_d = p, d
        return best


def _target(t: int, pause: Pause, is_start: bool, window_ms: int, pad_ms: int) -> int:
    """Return where boundary t goes in `pause`: a start just before the speech after it, an
    end just after the speech before it; each on its side of the pause's middle (so an end
    and a start snapped to one pause never cross), and no farther than window_ms from t."""
    mid = pause.mid_ms
    ideal = max(pause.end_ms - pad_ms, mid) if is_start else min(pause.start_ms + pad_ms, mid)
    lo = max(pause.start_ms, t - window_ms)
    hi = min(pause.end_ms, t + window_ms)
    return round(min(max(ideal, lo), hi))


def plan_snap(
    doc: Document,
    pauses: list[Pause],
    ids: Iterable[int] | None = None,
    window_ms: int = SNAP_WINDOW_MS,
    mark_exact: bool = False,
    include_exact: bool = False,
    pad_ms: int = PAD_MS,
) -> SnapPlan:
    """Return the plan moving the boundaries of the cues `ids` (None: all) to the nearest
    pause within `window_ms`. Only cues with estimated timing move unless `include_exact`.
    A move that would leave a cue shorter than MIN_CUE_MS, or make two cues overlap that did
    not, is left out. With `mark_exact`, the moved estimated cues become exact.

    Raises ValidationError for a negative window and KeyError for an unknown id.
    """
    if window_ms < 0:
        raise ValidationError("window_ms", "must not be negative")
    wanted = None if ids is None else {doc.cue(i).id for i in ids}
    index = _PauseIndex(pauses)
    order = sorted(doc.cues, key=lambda c: (c.start_ms, c.end_ms))
    new: dict[int, list[int]] = {c.id: [c.start_ms, c.end_ms] for c in order}
    plan = SnapPlan()
    for cue in order:
        if wanted is not None and cue.id not in wanted:
            continue
        if cue.timing is not Timing.ESTIMATED and not include_exact:
            continue
        plan.considered += 1
        for k, is_start in ((0, True), (1, False)):
            t = new[cue.id][k]
            pause = index.nearest(t, window_ms)
            if pause is not None:
                new[cue.id][k] = _target(t, pause, is_start, window_ms, pad_ms)
        s, e = new[cue.id]
        if e - s < min(MIN_CUE_MS, cue.duration_ms):
            new[cue.id] = [cue.start_ms, cue.end_ms]
    # Undo moves that would make neighbours overlap; repeat, as undoing one may expose another.
    for _ in range(len(order)):
        changed = False
        for a, b in itertools.pairwise(order):
            na, nb = new[a.id], new[b.id]
            if a.end_ms <= b.start_ms and na[1] > nb[0]:
                na[1], nb[0] = a.end_ms, b.start_ms
                changed = True
        for c in order:
            s, e = new[c.id]
            if (s, e) != (c.start_ms, c.end_ms) and e - s < min(MIN_CUE_MS, c.duration_ms):
                new[c.id] = [c.start_ms, c.end_ms]
                changed = True
        if not changed:
            break
    for cue in order:
        s, e = new[cue.id]
        if (s, e) != (cue.start_ms, cue.end_ms):
            plan.times[cue.id] = (s, e)
            plan.boundaries += (s != cue.start_ms) + (e != cue.end_ms)
            if mark_exact and cue.timing is Timing.ESTIMATED:
                plan.mark_exact.append(cue.id)
    return plan


__all__ = ["MIN_PAUSE_MS", "SNAP_WINDOW_MS", "Pause", "SnapPlan", "find_pauses", "plan_snap"]
