"""Coarse transcript segments → subtitle-sized cues with estimated timing.

Interface shared by the transcript readers (which produce `Segment`s) and the
editor (which re-segments selected cues). The algorithm is filled in by issue 3.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from editor.core.model import Word


@dataclass
class Segment:
    """A stretch of transcript as read, before it is cut into cues.

    `start_ms`/`end_ms` are None when the source gives no time. `caption_breaks`
    and `line_breaks` are character offsets into `text` where the source marked a
    caption boundary or a line boundary inside a caption (hints, not rules).
    Segment boundaries are hard: no cue spans two segments.
    """

    text: str
    start_ms: int | None = None
    end_ms: int | None = None
    speaker: str | None = None
    words: tuple[Word, ...] | None = None
    caption_breaks: tuple[int, ...] = ()
    line_breaks: tuple[int, ...] = ()


@dataclass
class SegmentOptions:
    max_chars: int | None = None  # per line; None = 42 for Latin/Cyrillic, 16 for CJK
    max_lines: int = 2
    max_cps: float | None = None  # None = per-language default
    min_duration_ms: int = 833
    max_duration_ms: int = 7000
    min_gap_ms: int = 83
    chain_gap_ms: int = 500


@dataclass
class SegmentedCue:
    """One cue produced by segmentation (the caller gives it an id)."""

    start_ms: int
    end_ms: int
    text: str
    speaker: str | None = None
    words: tuple[Word, ...] | None = None


@dataclass
class SegmentationResult:
    cues: list[SegmentedCue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "last segment stretched to 3:16"
