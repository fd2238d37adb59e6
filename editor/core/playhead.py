"""Timing by ear: edits that put cue boundaries where the playhead is, and frame nudges.

The Subtitle Edit / Aegisub workflow: play the media, press a key when a line starts
and another when it ends, move on. Each function validates, then returns one Edit
(a single undo step) without changing the document, like `operations`. A time set here
is set by the user, so it confirms the cue's timing (`operations.retime`).
"""

from __future__ import annotations

import math
from typing import Literal

from editor.core import operations
from editor.core.edits import Edit
from editor.core.errors import ValidationError
from editor.core.model import Cue, Document
from editor.core.style import PRESETS

DEFAULT_FPS = PRESETS["default"].frame_rate  # when neither media, file nor user gives one
NUDGE_MS = 100
Boundary = Literal["start", "end"]


def _cue(doc: Document, cue_id: int) -> Cue:
    if not doc.has_cue(cue_id):
        raise ValidationError("cue", f"no cue with id {cue_id}")
    return doc.cue(cue_id)


def _at(ms: int) -> int:
    if type(ms) is not int or ms < 0:
        raise ValidationError("playhead", f"the playhead must be a time ≥ 0 ms, not {ms!r}")
    return ms


def set_start_at(doc: Document, cue_id: int, at_ms: int) -> Edit:
    """Return the edit starting cue `cue_id` at `at_ms`.

    The end stays where it is; when the new start is at or past the end, the cue keeps
    its duration instead (a start pressed late must not produce a cue that ends before
    it starts). Raises ValidationError for an unknown cue or a negative time.
    """
    cue = _cue(doc, cue_id)
    start = _at(at_ms)
    end = cue.end_ms if start < cue.end_ms else start + max(cue.duration_ms, operations.MIN_NEW_CUE_MS)
    return operations.retime(doc, {cue_id: (start, end)})


def set_end_at(doc: Document, cue_id: int, at_ms: int) -> Edit:
    """Return the edit ending cue `cue_id` at `at_ms`.

    Raises ValidationError when `at_ms` is not after the cue's start (the cue would end
    before it begins), for an unknown cue or for a negative time.
    """
    cue = _cue(doc, cue_id)
    end = _at(at_ms)
    if end <= cue.start_ms:
        raise ValidationError(
            "end", f"the playhead ({end} ms) is not after the cue's start ({cue.start_ms} ms)"
        )
    return operations.retime(doc, {cue_id: (cue.start_ms, end)})


def frame_step(ms: int, fps: float, direction: int) -> int:
    """Return the start of the frame after (direction 1) or before (-1) the one at `ms`.

    Times on a frame boundary move a whole frame; times between frames snap to the
    neighbouring boundary, so repeated nudges land on the frame grid. Never below 0.
    Raises ValidationError for a frame rate that is not a positive finite number.
    """
    if not (isinstance(fps, (int, float)) and math.isfinite(fps) and fps > 0):
        raise ValidationError("fps", f"the frame rate must be a positive number, not {fps!r}")
    # Frame starts are rounded to whole ms, so a time is "on" frame n when it equals
    # round(n * 1000 / fps), even if it lies a fraction of a ms before the exact start.
    nearest = round(ms * fps / 1000)
    on_boundary = round(nearest * 1000 / fps) == ms
    frame = nearest if on_boundary else math.floor(ms * fps / 1000)
    if direction > 0:
        target = frame + 1
    else:
        target = frame - 1 if on_boundary else frame
    return max(0, round(target * 1000 / fps))


def nudge(doc: Document, cue_ids: list[int], boundary: Boundary, delta_ms: int) -> Edit:
    """Return the edit moving the start or end of cues `cue_ids` by `delta_ms`.

    Refused (ValidationError) when a start would go below 0 or a cue would end before it
    starts, naming the cue; an unknown id or an empty list is refused too.
    """
    return _moved(doc, cue_ids, boundary, lambda ms: ms + delta_ms)


def nudge_frames(doc: Document, cue_ids: list[int], boundary: Boundary, direction: int, fps: float) -> Edit:
    """Return the edit moving a boundary of `cue_ids` one frame later (1) or earlier (-1) at `fps`.

    Boundaries between frames snap to the frame grid (see frame_step). Raises as `nudge`.
    """
    return _moved(doc, cue_ids, boundary, lambda ms: frame_step(ms, fps, direction))


def _moved(doc: Document, cue_ids: list[int], boundary: Boundary, move) -> Edit:
    if not cue_ids:
        raise ValidationError("cues", "select a cue first")
    times: dict[int, tuple[int, int]] = {}
    for cue_id in cue_ids:
        cue = _cue(doc, cue_id)
        start, end = cue.start_ms, cue.end_ms
        if boundary == "start":
            start = move(start)
        else:
            end = move(end)
        if start < 0:
            raise ValidationError("start", f"cue {doc.row_of(cue_id) + 1} would start before 0")
        if end < start:
            raise ValidationError("end", f"cue {doc.row_of(cue_id) + 1} would end before it starts")
        times[cue_id] = (start, end)
    return operations.retime(doc, times)


def split_at(doc: Document, cue_id: int, at_ms: int, text_pos: int | None = None) -> tuple[Edit, int]:
    """Return (edit, id of the second half) splitting cue `cue_id` in time at `at_ms`.

    The text is cut at `text_pos` when it lies inside the text (the editor's cursor),
    otherwise at the sentence, clause or word boundary nearest to the playhead's share
    of the cue's duration; a single word stays with the first half. Raises
    ValidationError when `at_ms` is not strictly inside the cue.
    """
    cue = _cue(doc, cue_id)
    at = _at(at_ms)
    if not cue.start_ms < at < cue.end_ms:
        raise ValidationError(
            "at_ms", f"the playhead ({at} ms) is not inside the cue ({cue.start_ms}–{cue.end_ms} ms)"
        )
    if text_pos is None or not 0 < text_pos < len(cue.text):
        ratio = (at - cue.start_ms) / cue.duration_ms
        cut = operations.cut_boundary(cue.text, ratio)  # the same boundary rule the text split uses
        text_pos = len(cue.text) if cut is None else cut
    return operations.split_cue(doc, cue_id, text_pos, at)


def cue_at(doc: Document, ms: int) -> int | None:
    """Return the id of the cue shown at `ms` (start ≤ ms < end), or None.

    With overlapping cues the one that started last wins. O(log n) plus the overlap.
    """
    row = doc.insertion_row(ms) - 1
    cues = doc.cues
    # Walk back over a few cues: an earlier long cue may still be running.
    for k in range(row, max(-1, row - 8), -1):
        cue = cues[k]
        if cue.start_ms <= ms < cue.end_ms:
            return cue.id
    return None


def insert_at(
    doc: Document, at_ms: int, duration_ms: int = operations.DEFAULT_DURATION_MS
) -> tuple[Edit, int]:
    """Return (edit, new cue id) inserting an empty cue starting at the playhead.

    Inside a cue, the new cue goes right after it (operations.insert_cue's rule).
    Raises ValidationError when there is no room.
    """
    return operations.insert_cue(doc, at_ms=_at(at_ms), duration_ms=duration_ms)
