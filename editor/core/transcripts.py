"""Shared builder for transcript readers: coarse `Segment`s + metadata → `Document`.

Every transcript reader (plain text, timestamped lines, speaker turns, segment
pages, Whisper JSON) produces a list of `Segment`s and hands it here, so that the
rules for timing, segmentation and speakers live in one place:

- With `ReadOptions.segment` (the default) segments go through
  `editor.core.segmentation.segment()`; its cues are marked `Timing.ESTIMATED`
  unless a cue is exactly a timed segment of the file (same times and text).
- Without segmentation each segment is one cue; times read from the file are `EXACT`,
  times filled in here `ESTIMATED`.
- Speakers are created with `Document.ensure_speaker` in order of first turn.
- The source language is left unset: language detection is done elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from editor.core import segmentation
from editor.core.formats import ReadOptions
from editor.core.model import Cue, Document, Metadata, Timing
from editor.core.script import cjk_language_of, count_cjk
from editor.core.segmentation import Segment, SegmentedCue, SegmentOptions
from editor.core.style import profile_for

# Speaking rates used when a transcript gives no time (~15 characters/s for English,
# 4-5 characters/s for Chinese).
LATIN_CHARS_PER_S = 15.0
CJK_CHARS_PER_S = 4.5
MIN_ESTIMATE_MS = 500


def estimate_duration_ms(text: str) -> int:
    """Return how long `text` takes to say at the default speaking rates (at least 500 ms).

    CJK characters count at 4.5/s, every other non-space character at 15/s
    (spaces between words are part of the Latin rate, so they count too).
    """
    stripped = text.strip()
    cjk = count_cjk(stripped)
    other = len(stripped) - cjk
    ms = round(1000 * (cjk / CJK_CHARS_PER_S + other / LATIN_CHARS_PER_S))
    return max(MIN_ESTIMATE_MS, ms)


def fill_missing_ends(segments: list[Segment]) -> list[bool]:
    """Give every timed segment an end; returns, per segment, whether its end was estimated.

    A segment with a start but no end ends where the next timed segment starts
    (when that is later), else after the time its text takes to say. Segments
    with no start are left alone. Mutates `segments`.
    """
    estimated = [False] * len(segments)
    next_start: int | None = None
    for i in range(len(segments) - 1, -1, -1):
        seg = segments[i]
        if seg.start_ms is not None and seg.end_ms is None:
            if next_start is not None and next_start > seg.start_ms:
                seg.end_ms = next_start
            else:
                seg.end_ms = seg.start_ms + estimate_duration_ms(seg.text)
                estimated[i] = True
        if seg.start_ms is not None:
            next_start = seg.start_ms
    return estimated


def fill_untimed(segments: list[Segment]) -> list[bool]:
    """Give untimed segments estimated times after the previous segment; returns which were filled.

    Used when a document mixes timed and untimed segments (or when segmentation is
    off): each untimed segment starts at the previous end (0 at the start) and lasts
    as long as its text takes to say. Mutates `segments`.
    """
    filled = [False] * len(segments)
    clock = 0
    for i, seg in enumerate(segments):
        if seg.start_ms is None:
            seg.start_ms = clock
            seg.end_ms = clock + estimate_duration_ms(seg.text)
            filled[i] = True
        elif seg.end_ms is None:
            seg.end_ms = seg.start_ms + estimate_duration_ms(seg.text)
            filled[i] = True
        clock = max(clock, seg.end_ms)
    return filled


def _segment_options(options: ReadOptions, segments: list[Segment]) -> SegmentOptions:
    """Return the segmentation limits: the read options' when they name a width, else the
    style profiles (under the user's settings) of Latin text and of the CJK language the
    text's script shows (kana: Japanese, hangul: Korean, else Chinese)."""
    if options.max_chars is not None or options.styles is None:
        return SegmentOptions(
            max_chars=options.max_chars, max_lines=options.max_lines, max_cps=options.max_cps
        )
    sample = " ".join(s.text for s in segments[:: max(1, len(segments) // 40)])[:4000]
    cjk_language = cjk_language_of(sample)
    latin = profile_for(None, options.styles)
    cjk = profile_for(cjk_language, options.styles)
    if cjk.half_width == 1.0:  # the user chose a Latin preset for the track: CJK keeps its own
        cjk = profile_for(cjk_language)
    seg = SegmentOptions.from_styles(latin if not latin.cjk else profile_for(None), cjk)
    if options.max_cps is not None:
        seg.max_cps = seg.max_cps_cjk = options.max_cps
    return seg


def _one_cue_per_segment(segments: list[Segment], estimated: list[bool]) -> list[tuple[SegmentedCue, Timing]]:
    """Return one cue per segment (times filled in first); timing says where the times came from."""
    filled = fill_untimed(segments)
    out = []
    for seg, was_estimated, was_filled in zip(segments, estimated, filled, strict=True):
        assert seg.start_ms is not None and seg.end_ms is not None  # fill_untimed guarantees it
        cue = SegmentedCue(seg.start_ms, seg.end_ms, seg.text, seg.speaker, seg.words)
        out.append((cue, Timing.ESTIMATED if (was_estimated or was_filled) else Timing.EXACT))
    return out


def _segmented_cues(
    segments: list[Segment], estimated: list[bool], options: ReadOptions, media_duration_ms: int | None
) -> tuple[list[tuple[SegmentedCue, Timing]], list[str]]:
    """Run segmentation; returns (cue, timing) pairs and the segmentation's notes.

    A produced cue that is exactly one exact-timed segment (same start, end and
    text) keeps `EXACT`; every other cue is `ESTIMATED`.
    """
    exact = {
        (s.start_ms, s.end_ms, s.text)
        for s, est in zip(segments, estimated, strict=True)
        if s.start_ms is not None and s.end_ms is not None and not est
    }
    result = segmentation.segment(
        segments, _segment_options(options, segments), media_duration_ms=media_duration_ms
    )
    pairs = [  # (`exact and`: an untimed transcript's 100k cues need no lookup)
        (c, Timing.EXACT if exact and (c.start_ms, c.end_ms, c.text) in exact else Timing.ESTIMATED)
        for c in result.cues
    ]
    if exact:
        pairs = _keep_exact_times(pairs, segments, estimated)
    return pairs, list(result.notes)


def _keep_exact_times(
    pairs: list[tuple[SegmentedCue, Timing]], segments: list[Segment], estimated: list[bool]
) -> list[tuple[SegmentedCue, Timing]]:
    """Keep a timed segment's times exact in its cues (a recogniser's times are measured).

    The last cue of an exact segment ends where the segment ends (segmentation stretches it
    toward the next segment for reading time); a cue whose start and end are the segment's
    or its words' times is exact. Mutates the cues' ends; returns the pairs with timings.
    """
    out: list[tuple[SegmentedCue, Timing]] = []
    n = len(pairs)
    for k, (cue, timing) in enumerate(pairs):
        index = cue.segment_index
        if not (0 <= index < len(segments)) or estimated[index]:
            out.append((cue, timing))
            continue
        seg = segments[index]
        if seg.start_ms is None or seg.end_ms is None:
            out.append((cue, timing))
            continue
        last = k + 1 == n or pairs[k + 1][0].segment_index != index
        if last and cue.end_ms > seg.end_ms >= cue.start_ms:
            cue.end_ms = seg.end_ms
        words = seg.words or ()
        starts = {seg.start_ms, *(w.start_ms for w in words)}
        ends = {seg.end_ms, *(w.end_ms for w in words)}
        exact_here = not cue.estimated or (cue.start_ms in starts and cue.end_ms in ends)
        out.append((cue, Timing.EXACT if exact_here else timing))
    return out


def build_document(
    segments: list[Segment],
    *,
    metadata: Metadata | None = None,
    notes: Iterable[str] = (),
    options: ReadOptions | None = None,
) -> Document:
    """Return a new Document made from `segments` (which this function may fill with times).

    `notes` (header lines, dropped-section text, merge reports) become `doc.notes`,
    followed by the notes segmentation reports. Empty segments are skipped.
    Raises nothing for well-formed segments; segmentation's own errors propagate.
    """
    options = options or ReadOptions()
    metadata = metadata or Metadata()
    segments = [s for s in segments if s.text.strip()]
    all_untimed = all(s.start_ms is None for s in segments)
    estimated = [False] * len(segments) if all_untimed else fill_missing_ends(segments)
    note_list = [n for n in notes if n.strip()]
    if options.segment and segments:
        if not all_untimed:
            # Mixed input: segmentation gets times for every segment it can time itself.
            filled = fill_untimed(segments)
            estimated = [a or b for a, b in zip(estimated, filled, strict=True)]
        pairs, seg_notes = _segmented_cues(segments, estimated, options, metadata.duration_ms)
        note_list.extend(seg_notes)
    else:
        pairs = _one_cue_per_segment(segments, estimated)
    doc = Document(metadata=metadata, notes="\n\n".join(note_list))
    speaker_ids: dict[str, str] = {}
    for cue, _ in pairs:
        if cue.speaker and cue.speaker not in speaker_ids:
            speaker_ids[cue.speaker] = doc.ensure_speaker(cue.speaker).id
    # Positional arguments (id, start, end, text, translation, speaker, timing): half the
    # cost of keywords, which shows on a 1 MB transcript of 100k one-word lines.
    cues = [
        Cue(cue_id, c.start_ms, c.end_ms, c.text, "", speaker_ids[c.speaker] if c.speaker else None, timing)
        for cue_id, (c, timing) in enumerate(pairs, start=1)
    ]
    for cue, (c, _) in zip(cues, pairs, strict=True):
        if c.words is not None:
            cue.words = c.words
    doc.extend(cues)
    return doc
