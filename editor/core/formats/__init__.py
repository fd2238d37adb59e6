"""File formats behind one small protocol and a registry.

A format works on strings, never on disk, so it is testable without files:
`guess(text) -> int` (0 = not mine, higher = more sure), `read(text, options) -> Document`,
and `write(doc, options) -> str` for formats that can be written. Library objects
(pysrt, webvtt-py) never leave the format's module.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from typing import Literal, Protocol

from editor.core.errors import AmbiguousFormatError, ParseError, WriteError
from editor.core.model import Document
from editor.core.records import record
from editor.core.style import StyleSettings

Track = Literal["source", "translation", "bilingual"]
# voice: WebVTT <v Name> (SRT, which has no voice tags, writes "changes" instead);
# prefix: a visible "Name: " on every cue; both: voice tag and prefix; changes: the prefix
# only when the speaker differs from the previous cue's; dashes: no names, dialogue cues
# keep their dashes; none: no names (a dialogue cue's turns lose their dashes).
SpeakerStyle = Literal["voice", "prefix", "both", "changes", "dashes", "none"]


@record
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
    # The folder of the file being read (None: text with no file): a project's media path
    # is stored relative to it.
    base_dir: str | None = None


@record
class WriteOptions:
    """Choices a user makes when exporting."""

    track: Track = "source"
    speakers: SpeakerStyle = "voice"
    # WebVTT for players that choke on more than cues (ffmpeg 5.x reads no cue from a file with
    # a STYLE or REGION block): no STYLE/REGION/NOTE blocks, no cue settings, no classes.
    compatible: bool = False
    # The folder the text will be written to (None: not known): a project stores media beside
    # it as a relative path, so the folder can move.
    base_dir: str | None = None


class Format(Protocol):
    id: str
    name: str
    extensions: tuple[str, ...]
    can_write: bool

    def guess(self, text: str) -> int: ...

    def read(self, text: str, options: ReadOptions | None = None) -> Document: ...

    def write(self, doc: Document, options: WriteOptions | None = None) -> str: ...


# The one table of file extensions: extension (lower case, no dot) → format id. Reading,
# saving, the file dialogs and the preview of long files all ask it.
EXTENSIONS: dict[str, str] = {
    "cueline": "cueline",
    "srt": "srt",
    "vtt": "vtt",
    "webvtt": "vtt",
    "ass": "ass",
    "ssa": "ass",
    "sbv": "sbv",
    "json": "whisper",
    "txt": "transcript",
    "md": "transcript",
    "tmp": "tmplayer",
    "sub": "microdvd",
}
# Extensions that name their format for sure; the others (.txt, .json, .sub, …) are
# detected from the content.
DECIDING_EXTENSIONS = frozenset({"cueline", "srt", "vtt", "webvtt", "ass", "ssa", "sbv"})


def extension(path: str) -> str:
    """Return the extension of `path` in lower case, without the dot ("" for none)."""
    return os.path.splitext(path)[1].lower().lstrip(".")


def format_id_for(path: str, *, deciding_only: bool = False) -> str | None:
    """Return the id of the format `path`'s extension names, or None (with `deciding_only`,
    only an extension that names its format for sure counts)."""
    ext = extension(path)
    if deciding_only and ext not in DECIDING_EXTENSIONS:
        return None
    return EXTENSIONS.get(ext)


def extensions_of(format_id: str) -> tuple[str, ...]:
    """Return the extensions of a format, from the table (its first is the one it writes)."""
    return tuple(ext for ext, fid in EXTENSIONS.items() if fid == format_id)


class FormatBase:
    """What every format adapter shares: its extensions come from the one table."""

    id: str
    name: str
    can_write: bool

    @property
    def extensions(self) -> tuple[str, ...]:
        return extensions_of(self.id)


class ModuleFormat(FormatBase):
    """The adapter of a format whose module defines `guess`, `read` and `write` functions.

    The functions are looked up in the module at each call, so replacing one (as tests do
    with `srt.write`) changes what the registry's format does. A read-only format has no
    `write` function; its adapter refuses to write with a WriteError naming the format.
    """

    def __init__(self, format_id: str, name: str, module: str, *, can_write: bool = True) -> None:
        self.id = format_id
        self.name = name
        self.can_write = can_write
        self._module = module

    def _function(self, name: str) -> Callable:
        return getattr(sys.modules[self._module], name)

    def guess(self, text: str) -> int:
        return self._function("guess")(text)

    def read(self, text: str, options: ReadOptions | None = None) -> Document:
        return self._function("read")(text, options)

    def write(self, doc: Document, options: WriteOptions | None = None) -> str:
        if not self.can_write:
            raise WriteError("<output>", f"{self.name} files can be read but not written")
        return self._function("write")(doc, options)


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


def label(format_id: str) -> str:
    """Return the name a person reads for a format, with the extension it writes:
    "SubRip (.srt)"."""
    return f"{get(format_id).name} (.{extensions_of(format_id)[0]})"


def for_extension(path: str) -> Format | None:
    """Return the format a file name's extension names, or None."""
    format_id = format_id_for(path)
    return get(format_id) if format_id is not None else None


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
