"""File formats behind one small protocol and a registry.

A format works on strings, never on disk, so it is testable without files:
`guess(text) -> int` (0 = not mine, higher = more sure), `read(text, options) -> Document`,
and `write(doc, options) -> str` for formats that can be written. Library objects
(pysrt, webvtt-py) never leave the format's module.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Literal, Protocol

from editor.core.errors import AmbiguousFormatError, ParseError
from editor.core.model import Document
from editor.core.style import StyleSettings

Track = Literal["source", "translation", "bilingual"]
# voice: WebVTT <v Name> (SRT, which has no voice tags, writes "changes" instead);
# prefix: a visible "Name: " on every cue; both: voice tag and prefix; changes: the prefix
# only when the speaker differs from the previous cue's; dashes: no names, dialogue cues
# keep their dashes; none: no names (a dialogue cue's turns lose their dashes).
SpeakerStyle = Literal["voice", "prefix", "both", "changes", "dashes", "none"]


@dataclass
class ReadOptions:
    """Choices a user makes when opening a file."""

    # SRT: turn "Name: text" prefixes into speakers (only on request, never silently).
    speaker_prefixes: bool = False
    # Transcripts: cut coarse segments into subtitle cues (segmentation module).
    segment: bool = True
    max_chars: int | None = None  # per line; None = the style preset of the text's script
    max_lines: int = 2
    max_cps: float | None = None
    # Transcripts: the user's style settings; with no explicit max_chars, cues are laid out to
    # the profile of the text's script (the language is not known yet when a file is read).
    styles: StyleSettings | None = None
    # Transcripts: label spellings that surely name one person (`团队成员 M`, `团队成员M`)
    # become one speaker, reported in the notes. The editor turns this off and offers the
    # merges as suggestions instead, each applied on a click.
    merge_speaker_spellings: bool = True
    # MicroDVD: frames per second (None: the file's own {1}{1}fps line, else 23.976).
    fps: float | None = None


@dataclass
class WriteOptions:
    """Choices a user makes when exporting."""

    track: Track = "source"
    speakers: SpeakerStyle = "voice"
    # WebVTT for players that choke on more than cues (ffmpeg 5.x reads no cue from a file with
    # a STYLE or REGION block): no STYLE/REGION/NOTE blocks, no cue settings, no classes.
    compatible: bool = False


class Format(Protocol):
    id: str
    name: str
    extensions: tuple[str, ...]
    can_write: bool

    def guess(self, text: str) -> int: ...

    def read(self, text: str, options: ReadOptions | None = None) -> Document: ...

    def write(self, doc: Document, options: WriteOptions | None = None) -> str: ...


# Format id → module under editor.core.formats that defines FORMAT. Imported lazily
# so that opening an SRT file never loads the transcript machinery.
_MODULES: dict[str, str] = {
    "cueline": "project",
    "srt": "srt",
    "vtt": "vtt",
    "whisper": "whisper",
    "transcript": "transcript",
    "ass": "ass",
    "sbv": "sbv",
    "tmplayer": "tmplayer",
    "microdvd": "microdvd",
}
_loaded: dict[str, Format] = {}


def ids() -> list[str]:
    """Return all format ids."""
    return list(_MODULES)


def get(format_id: str) -> Format:
    """Return the format with this id; raises KeyError for an unknown id."""
    if format_id not in _loaded:
        module = importlib.import_module(f"editor.core.formats.{_MODULES[format_id]}")
        _loaded[format_id] = module.FORMAT
    return _loaded[format_id]


def for_extension(path: str) -> Format | None:
    """Return the format a file name's extension names, or None."""
    lower = path.lower()
    for format_id in _MODULES:
        fmt = get(format_id)
        if any(lower.endswith("." + ext) for ext in fmt.extensions):
            return fmt
    return None


def detect(text: str, path: str | None = None) -> Format:
    """Return the one format that claims `text`.

    The highest `guess` score wins; a tie at the top between formats is an
    AmbiguousFormatError listing them. The extension breaks ties. Raises ParseError
    when no format claims the text.
    """
    scores = [(get(fid).guess(text), fid) for fid in _MODULES]
    scores = [(score, fid) for score, fid in scores if score > 0]
    if not scores:
        raise ParseError("not a subtitle or transcript file this editor can read", None, path)
    best = max(score for score, _ in scores)
    top = [fid for score, fid in scores if score == best]
    if len(top) == 1:
        return get(top[0])
    if path is not None:
        by_ext = for_extension(path)
        if by_ext is not None and by_ext.id in top:
            return by_ext
    raise AmbiguousFormatError(top, path)
