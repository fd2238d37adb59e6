"""Whisper JSON (`whisper --output_format json`, WhisperX and similar tools), read only.

Shape read: `{"segments": [{"start": s, "end": s, "text": str, "speaker"?: str,
"words"?: [{"word": str, "start"?: s, "end"?: s, "speaker"?: str}]}], "language"?: str}`
with times in seconds. Word timings are kept on the segments (and so on the cues)
for segmentation; a word without times (WhisperX leaves numbers unaligned) gets its
neighbours' times. When words carry speakers that change inside a segment, the
segment is split at each change so that no cue mixes two speakers.

Detection: a JSON object whose "segments" is a list of objects with start/end/text
scores 90; a `.cueline` project (a JSON object with a "cueline" key) and anything
else score 0.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

from editor.core import textio
from editor.core.errors import ParseError
from editor.core.formats import ModuleFormat, ReadOptions
from editor.core.model import Document, Metadata, Word
from editor.core.script import join_text
from editor.core.segmentation import Segment
from editor.core.transcripts import build_document

_SCORE = 90
_REQUIRED = ("start", "end", "text")
# No recording is this long; a larger time is corrupt input (and would overflow on rounding).
_MAX_SECONDS = 10_000_000


def _load(text: str) -> Any:
    """Return the parsed JSON; raises ParseError with the line of a syntax error."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise ParseError("JSON is nested too deeply") from None
    except ValueError as exc:
        # Python refuses integers of more than 4300 digits with a bare ValueError.
        raise ParseError(f"not valid JSON: {exc}") from None


def guess(text: str) -> int:
    """Return 90 for Whisper-style JSON (see the module docstring), else 0."""
    if text.lstrip("\ufeff \t\r\n")[:1] != "{":
        return 0
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return 0
    if not isinstance(data, dict) or "cueline" in data:
        return 0
    segments = data.get("segments")
    if not isinstance(segments, list):
        return 0
    if all(isinstance(s, dict) and all(k in s for k in _REQUIRED) for s in segments):
        return _SCORE
    return 0


def _seconds(value: Any, what: str, where: str) -> int:
    """Return a time in seconds as ms; raises ParseError for a non-number, negative or absurd time."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ParseError(f"{where}: {what} must be a number of seconds, not {json.dumps(value)[:40]}")
    if value < 0:
        raise ParseError(f"{where}: {what} is negative ({value})")
    if value > _MAX_SECONDS:
        raise ParseError(f"{where}: {what} is past {_MAX_SECONDS} seconds ({value})")
    return round(value * 1000)


def _speaker(value: Any, where: str) -> str | None:
    """Return a speaker label (None when absent or empty); raises ParseError for a non-string."""
    if value is None:
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ParseError(f"{where}: speaker must be a string")
    return str(value).strip() or None


def _words(raw: Any, start_ms: int, end_ms: int, where: str) -> list[tuple[Word, str | None]]:
    """Return the segment's words with their speakers; untimed words take their neighbours' times.

    Raises ParseError when `words` is not a list of objects with a string `word`.
    """
    if not isinstance(raw, list):
        raise ParseError(f"{where}: words must be a list")
    items: list[tuple[str, int | None, int | None, str | None]] = []
    for j, w in enumerate(raw):
        at = f"{where}, word {j}"
        if not isinstance(w, dict):
            raise ParseError(f"{at}: must be an object")
        token = w.get("word", w.get("text"))
        if not isinstance(token, str):
            raise ParseError(f"{at}: word must be a string")
        ws = _seconds(w["start"], "start", at) if w.get("start") is not None else None
        we = _seconds(w["end"], "end", at) if w.get("end") is not None else None
        items.append((token, ws, we, _speaker(w.get("speaker"), at)))
    return _fill_word_times(items, start_ms, end_ms)


def _fill_word_times(
    items: list[tuple[str, int | None, int | None, str | None]], start_ms: int, end_ms: int
) -> list[tuple[Word, str | None]]:
    """Return Words, giving an untimed word the previous word's end and the next timed start."""
    out: list[tuple[Word, str | None]] = []
    prev_end = start_ms
    for j, (token, ws, we, speaker) in enumerate(items):
        if ws is None:
            ws = prev_end
        if we is None:
            later = [s for _, s, _, _ in items[j + 1 :] if s is not None]
            we = max(ws, later[0] if later else end_ms)
        we = max(we, ws)
        out.append((Word(ws, we, token), speaker))
        prev_end = we
    return out


def _segment_of(index: int, raw: Any) -> list[Segment]:
    """Return the Segment(s) of `segments[index]`; split where word speakers change.

    Raises ParseError naming the segment for missing fields and wrong types.
    """
    where = f"segment {index}"
    if not isinstance(raw, dict):
        raise ParseError(f"{where}: must be an object")
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        raise ParseError(f"{where}: missing {', '.join(missing)}")
    start, end = _seconds(raw["start"], "start", where), _seconds(raw["end"], "end", where)
    if end < start:
        raise ParseError(f"{where}: ends ({raw['end']}) before it starts ({raw['start']})")
    if not isinstance(raw["text"], str):
        raise ParseError(f"{where}: text must be a string")
    speaker = _speaker(raw.get("speaker"), where)
    words = _words(raw["words"], start, end, where) if raw.get("words") is not None else []
    if not words:
        return [Segment(raw["text"].strip(), start, end, speaker)]
    return _split_by_speaker(raw["text"].strip(), start, end, speaker, words)


def _split_by_speaker(
    text: str, start: int, end: int, speaker: str | None, words: list[tuple[Word, str | None]]
) -> list[Segment]:
    """Return one Segment per run of words of one speaker (one Segment when they agree).

    Word texts keep Whisper's leading spaces, so joining them rebuilds the text.
    """
    speakers = [sp for _, sp in words if sp]
    if speaker is None and speakers:
        speaker = Counter(speakers).most_common(1)[0][0]
    if len(set(speakers)) <= 1:
        return [Segment(text, start, end, speaker, _clean(w for w, _ in words))]
    runs: list[tuple[list[str | None], list[Word]]] = []  # ([speaker], words): speaker set late
    for word, sp in words:
        if runs and (sp is None or runs[-1][0][0] in (None, sp)):
            runs[-1][0][0] = runs[-1][0][0] or sp
            runs[-1][1].append(word)
        else:
            runs.append(([sp], [word]))
    out = []
    for (run_speaker,), run in runs:
        run_text = _join_words(run)
        out.append(Segment(run_text, run[0].start_ms, run[-1].end_ms, run_speaker or speaker, _clean(run)))
    return out


def _join_words(words: list[Word]) -> str:
    """Return the text of `words`: Whisper's tokens carry their own leading spaces, WhisperX's do not."""
    if any(w.text[:1].isspace() for w in words):
        return "".join(w.text for w in words).strip()
    text = ""
    for w in words:
        text = join_text(text, w.text.strip())
    return text


def _clean(words: Any) -> tuple[Word, ...]:
    """Return the words with surrounding white space removed from their text (empty ones dropped)."""
    return tuple(Word(w.start_ms, w.end_ms, w.text.strip()) for w in words if w.text.strip())


def parse(text: str) -> tuple[list[Segment], Metadata]:
    """Return the segments and metadata of Whisper JSON; raises ParseError."""
    data = _load(text)
    if not isinstance(data, dict):
        raise ParseError('Whisper JSON must be an object with a "segments" list')
    raw_segments = data.get("segments")
    if not isinstance(raw_segments, list):
        raise ParseError('Whisper JSON has no "segments" list')
    segments: list[Segment] = []
    for i, raw in enumerate(raw_segments):
        segments.extend(_segment_of(i, raw))
    meta = Metadata()
    if isinstance(data.get("language"), str):
        meta.extra["language"] = data["language"]
    return segments, meta


def read(text: str, options: ReadOptions | None = None) -> Document:
    """Return a Document from Whisper JSON (segmented per `options`); raises ParseError."""
    segments, meta = parse(text)
    if len(segments) > textio.MAX_CUES:
        raise textio.too_many_cues()
    doc = build_document(segments, metadata=meta, options=options)
    if len(doc.cues) > textio.MAX_CUES:
        raise textio.too_many_cues()
    return doc


FORMAT = ModuleFormat("whisper", "Whisper JSON", __name__, can_write=False)
