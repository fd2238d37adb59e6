"""The native project file `.cueline`: versioned JSON that round-trips the whole model.

Layout (version 1)::

    {
      "cueline": 1,
      "next_id": 42,
      "source_language": "en",
      "translation_language": "zh",
      "metadata": {"title": "...", "url": "...", "media_path": "...", "duration_ms": null, "extra": {}},
      "notes": "...",
      "translation_report": {"method": "length", "leftovers": [{"after_cue": 7, "row": 3,
                             "column": 0, "text": "..."}], "no_translation": [12], ...},
      "sources": {"source": {"path": "...", "format": "srt", "encoding": "utf-8", "bom": false,
                             "newline": "\\n"}},
      "speakers": [
        {"id": "s1", "name": "Ann", "color": "#4e79a7"}
      ],
      "cues": [
        {"id": 1, "start_ms": 0, "end_ms": 900, "text": "Hello", "speaker_id": "s1"},
        ...
      ],
      "glossary": [{"term": "reasoning", "renderings": ["推理"], "note": ""}],
      "spelling_ignore": ["Parascandolo"]
    }

`glossary`, `spelling_ignore` and `translation_report` (what attaching a translation left
over, see alignment.AlignmentPlan.report) are optional and written only when not empty, so
a project without them stays readable by earlier versions.

One cue per line keeps files fast to write and friendly to `diff`. A cue always
carries `id`, `start_ms`, `end_ms` and `text`; the other cue fields are written
only when they differ from their defaults (translation "", speaker_id null,
timing "exact", review "untranslated", note "", vtt_id "", vtt_settings "", srt_position "",
words null, time_source "") and read back as those defaults when absent. `words` is a list of
`[start_ms, end_ms, text]` triples.

Reading is strict: unknown keys, wrong types, duplicate keys or cue ids, an end
before its start and references to unknown speakers are ParseErrors naming the
field (`cues[12].start_ms: expected an integer`) and, where it can be found, the
line. Nothing in a project file is ever opened: `media_path` and the source paths
are plain data for the front end to offer to the user.

`media_path` is stored relative to the project's folder (with "/" separators) when the
media lies in that folder or below it, so a folder holding both can be moved or shared;
otherwise (another drive, elsewhere) it stays absolute. `write_project(doc, base_dir)`
and `resolve_media_path(stored, base_dir)` do this; the string-only `FORMAT.read/write`
know no folder and keep the path as it is.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from editor.core import textio
from editor.core.errors import ParseError
from editor.core.formats import FormatBase, ReadOptions, WriteOptions
from editor.core.model import (
    Cue,
    Document,
    GlossaryEntry,
    Metadata,
    Review,
    SourceInfo,
    Speaker,
    TimeSource,
    Timing,
    Word,
)

VERSION = 1
MAX_CUES = textio.MAX_CUES
# Times beyond ±100 years are certainly corrupt; the bound also keeps arithmetic sane.
MAX_ABS_MS = 100 * 365 * 24 * 3600 * 1000
MAX_ID = 2**53  # what every JSON reader can hold exactly
_NEWLINES = ("\n", "\r\n", "\r")
_ENCODING_RE = re.compile(r"[A-Za-z0-9_.:\-]{1,64}\Z")
_HEAD_RE = re.compile(r'\A\ufeff?\s*\{\s*"cueline"\s*:')
# A JSON \u escape of a lone surrogate half; json.loads would hand back a string
# that can never be encoded again, so such files are refused.
_SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")

_TOP_KEYS = frozenset(
    {
        "cueline",
        "next_id",
        "source_language",
        "translation_language",
        "metadata",
        "notes",
        "translation_report",
        "sources",
        "speakers",
        "cues",
        "glossary",
        "spelling_ignore",
    }
)
_GLOSSARY_KEYS = frozenset({"term", "renderings", "note"})
_META_KEYS = frozenset({"title", "url", "media_path", "duration_ms", "extra"})
_SOURCE_KEYS = frozenset({"path", "format", "encoding", "bom", "newline"})
_SPEAKER_KEYS = frozenset({"id", "name", "color"})
_CUE_REQUIRED = ("id", "start_ms", "end_ms", "text")
# Optional cue fields and their defaults (omitted from the file when default).
_CUE_OPTIONAL: dict[str, Any] = {
    "translation": "",
    "speaker_id": None,
    "timing": Timing.EXACT.value,
    "review": Review.UNTRANSLATED.value,
    "note": "",
    "vtt_id": "",
    "vtt_settings": "",
    "srt_position": "",
    "words": None,
    "time_source": TimeSource.NONE.value,
}
_CUE_KEYS = frozenset(_CUE_REQUIRED) | frozenset(_CUE_OPTIONAL)
_TIMINGS = {t.value: t for t in Timing}
_REVIEWS = {r.value: r for r in Review}
_TIME_SOURCES = {t.value: t for t in TimeSource}


class _Invalid(Exception):
    """A structural problem at a JSON path like ("cues", 12, "start_ms")."""

    def __init__(self, path: tuple[str | int, ...], reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


def _path_text(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


# -- reading -------------------------------------------------------------------


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r} in an object")
            seen.add(key)
    return obj


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a project file")


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs_hook, parse_constant=_reject_constant)


def _obj(value: Any, path: tuple[str | int, ...], keys: frozenset[str]) -> dict[str, Any]:
    if type(value) is not dict:
        raise _Invalid(path, f"expected an object, found {_type_name(value)}")
    extra = value.keys() - keys
    if extra:
        name = sorted(extra)[0]
        raise _Invalid((*path, name), "unknown key (not part of a version 1 project)")
    return value


def _int(value: Any, path: tuple[str | int, ...], lo: int = -MAX_ABS_MS, hi: int = MAX_ABS_MS) -> int:
    if type(value) is not int:
        raise _Invalid(path, f"expected an integer, found {_type_name(value)}")
    if not lo <= value <= hi:
        raise _Invalid(path, f"{value} is out of range ({lo}..{hi})")
    return value


def _str(value: Any, path: tuple[str | int, ...]) -> str:
    if type(value) is not str:
        raise _Invalid(path, f"expected a string, found {_type_name(value)}")
    return value


def _opt_str(value: Any, path: tuple[str | int, ...]) -> str | None:
    return None if value is None else _str(value, path)


def _required(obj: dict[str, Any], key: str, path: tuple[str | int, ...]) -> Any:
    if key not in obj:
        raise _Invalid((*path, key), "missing")
    return obj[key]


def _read_metadata(value: Any) -> Metadata:
    path: tuple[str | int, ...] = ("metadata",)
    obj = _obj(value, path, _META_KEYS)
    duration = obj.get("duration_ms")
    extra_obj = obj.get("extra", {})
    if type(extra_obj) is not dict:
        raise _Invalid((*path, "extra"), f"expected an object, found {_type_name(extra_obj)}")
    extra = {key: _str(val, (*path, "extra", key)) for key, val in extra_obj.items()}
    return Metadata(
        title=_str(obj.get("title", ""), (*path, "title")),
        url=_str(obj.get("url", ""), (*path, "url")),
        media_path=_str(obj.get("media_path", ""), (*path, "media_path")),
        duration_ms=None if duration is None else _int(duration, (*path, "duration_ms"), 0),
        extra=extra,
    )


def _read_sources(value: Any) -> dict[str, SourceInfo]:
    if type(value) is not dict:
        raise _Invalid(("sources",), f"expected an object, found {_type_name(value)}")
    out: dict[str, SourceInfo] = {}
    for role, raw in value.items():
        path: tuple[str | int, ...] = ("sources", role)
        obj = _obj(raw, path, _SOURCE_KEYS)
        encoding = _str(obj.get("encoding", "utf-8"), (*path, "encoding"))
        if not _ENCODING_RE.match(encoding):
            raise _Invalid((*path, "encoding"), f"{encoding!r} is not an encoding name")
        newline = _str(obj.get("newline", "\n"), (*path, "newline"))
        if newline not in _NEWLINES:
            raise _Invalid((*path, "newline"), 'expected "\\n", "\\r\\n" or "\\r"')
        bom = obj.get("bom", False)
        if type(bom) is not bool:
            raise _Invalid((*path, "bom"), f"expected true or false, found {_type_name(bom)}")
        out[role] = SourceInfo(
            path=_opt_str(obj.get("path"), (*path, "path")),
            format=_str(obj.get("format", ""), (*path, "format")),
            encoding=encoding,
            bom=bom,
            newline=newline,
        )
    return out


def _read_speakers(value: Any) -> list[Speaker]:
    if type(value) is not list:
        raise _Invalid(("speakers",), f"expected an array, found {_type_name(value)}")
    out: list[Speaker] = []
    seen: set[str] = set()
    for i, raw in enumerate(value):
        path: tuple[str | int, ...] = ("speakers", i)
        obj = _obj(raw, path, _SPEAKER_KEYS)
        sp_id = _str(_required(obj, "id", path), (*path, "id"))
        if sp_id in seen:
            raise _Invalid((*path, "id"), f"duplicate speaker id {sp_id!r}")
        seen.add(sp_id)
        name = _str(_required(obj, "name", path), (*path, "name"))
        color = _str(obj.get("color", Speaker.__dataclass_fields__["color"].default), (*path, "color"))
        out.append(Speaker(sp_id, name, color))
    return out


def _read_glossary(value: Any) -> tuple[GlossaryEntry, ...]:
    if type(value) is not list:
        raise _Invalid(("glossary",), f"expected an array, found {_type_name(value)}")
    out: list[GlossaryEntry] = []
    for i, raw in enumerate(value):
        path: tuple[str | int, ...] = ("glossary", i)
        obj = _obj(raw, path, _GLOSSARY_KEYS)
        term = _str(_required(obj, "term", path), (*path, "term"))
        renderings = obj.get("renderings", [])
        if type(renderings) is not list:
            raise _Invalid((*path, "renderings"), f"expected an array, found {_type_name(renderings)}")
        texts = tuple(_str(r, (*path, "renderings", j)) for j, r in enumerate(renderings))
        out.append(GlossaryEntry(term, texts, _str(obj.get("note", ""), (*path, "note"))))
    return tuple(out)


def _read_ignore(value: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise _Invalid(("spelling_ignore",), f"expected an array, found {_type_name(value)}")
    return tuple(_str(w, ("spelling_ignore", i)) for i, w in enumerate(value))


def _read_words(value: Any, path: tuple[str | int, ...]) -> tuple[Word, ...] | None:
    if value is None:
        return None
    if type(value) is not list:
        raise _Invalid(path, f"expected an array or null, found {_type_name(value)}")
    words: list[Word] = []
    for j, raw in enumerate(value):
        wpath = (*path, j)
        if type(raw) is not list or len(raw) != 3:
            raise _Invalid(wpath, "expected [start_ms, end_ms, text]")
        start = _int(raw[0], (*wpath, 0))
        end = _int(raw[1], (*wpath, 1))
        if end < start:
            raise _Invalid(wpath, f"word ends ({end} ms) before it starts ({start} ms)")
        words.append(Word(start, end, _str(raw[2], (*wpath, 2))))
    return tuple(words)


def _read_cue(raw: Any, i: int, speakers: set[str]) -> Cue:
    """Return cue `i` of a project; raises _Invalid naming the field that is wrong."""
    cue = read_cue_quick(raw, i, speakers)
    return cue if cue is not None else read_cue_checked(raw, i, speakers)


def read_cue_quick(raw: Any, i: int, speakers: set[str]) -> Cue | None:
    """Return a well-formed cue after a few checks, or None for anything else. The fast path of
    reading a project: where it answers, `read_cue_checked` gives the same cue (tests compare)."""
    if type(raw) is dict and raw.keys() <= _CUE_KEYS:
        cue_id = raw.get("id")
        start = raw.get("start_ms")
        end = raw.get("end_ms")
        text = raw.get("text")
        if (
            type(cue_id) is int
            and type(start) is int
            and type(end) is int
            and type(text) is str
            and 0 <= cue_id <= MAX_ID
            and -MAX_ABS_MS <= start <= end <= MAX_ABS_MS
        ):
            cue = Cue(cue_id, start, end, text)
            if len(raw) == 4:  # only the required keys: the common case
                return cue
            return _read_cue_options(cue, raw, ("cues", i), speakers)
    return None


def read_cue_checked(raw: Any, i: int, speakers: set[str]) -> Cue:
    """Return cue `i` checking every field in turn: the reference reader, which names the exact
    field in its error. Raises _Invalid."""
    path: tuple[str | int, ...] = ("cues", i)
    obj = _obj(raw, path, _CUE_KEYS)
    for key in _CUE_REQUIRED:
        if key not in obj:
            raise _Invalid((*path, key), "missing")
    cue_id = _int(obj["id"], (*path, "id"), 0, MAX_ID)
    start = _int(obj["start_ms"], (*path, "start_ms"))
    end = _int(obj["end_ms"], (*path, "end_ms"))
    if end < start:
        raise _Invalid((*path, "end_ms"), f"the cue ends ({end} ms) before it starts ({start} ms)")
    cue = Cue(cue_id, start, end, _str(obj["text"], (*path, "text")))
    return _read_cue_options(cue, obj, path, speakers)


def _read_cue_options(cue: Cue, obj: dict[str, Any], path: tuple[str | int, ...], speakers: set[str]) -> Cue:
    if "translation" in obj:
        cue.translation = _str(obj["translation"], (*path, "translation"))
    speaker_id = obj.get("speaker_id")
    if speaker_id is not None:
        _str(speaker_id, (*path, "speaker_id"))
        if speaker_id not in speakers:
            raise _Invalid((*path, "speaker_id"), f"unknown speaker {speaker_id!r} (not in speakers)")
        cue.speaker_id = speaker_id
    if "timing" in obj:
        timing = _str(obj["timing"], (*path, "timing"))
        if timing not in _TIMINGS:
            raise _Invalid((*path, "timing"), f"expected one of {', '.join(_TIMINGS)}")
        cue.timing = _TIMINGS[timing]
    if "review" in obj:
        review = _str(obj["review"], (*path, "review"))
        if review not in _REVIEWS:
            raise _Invalid((*path, "review"), f"expected one of {', '.join(_REVIEWS)}")
        cue.review = _REVIEWS[review]
    if "note" in obj:
        cue.note = _str(obj["note"], (*path, "note"))
    if "vtt_id" in obj:
        cue.vtt_id = _str(obj["vtt_id"], (*path, "vtt_id"))
    if "vtt_settings" in obj:
        cue.vtt_settings = _str(obj["vtt_settings"], (*path, "vtt_settings"))
    if "srt_position" in obj:
        cue.srt_position = _str(obj["srt_position"], (*path, "srt_position"))
    if "words" in obj:
        cue.words = _read_words(obj["words"], (*path, "words"))
    if "time_source" in obj:
        source = _str(obj["time_source"], (*path, "time_source"))
        if source not in _TIME_SOURCES:
            choices = ", ".join(repr(k) for k in _TIME_SOURCES)
            raise _Invalid((*path, "time_source"), f"expected one of {choices}")
        cue.time_source = _TIME_SOURCES[source]
    return cue


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    return False


def _build(data: Any) -> Document:
    if type(data) is not dict:
        raise _Invalid((), f"a project file holds one JSON object, found {_type_name(data)}")
    version = data.get("cueline")
    if type(version) is not int:
        raise _Invalid(("cueline",), "expected the project version number (an integer)")
    if version > VERSION:
        raise _Invalid(
            ("cueline",),
            f"this project was made by a newer Cueline (project version {version}; "
            f"this version reads up to {VERSION}); update Cueline to open it",
        )
    if version < 1:
        raise _Invalid(("cueline",), f"unknown project version {version}")
    _obj(data, (), _TOP_KEYS)
    cues_raw = _required(data, "cues", ())
    if type(cues_raw) is not list:
        raise _Invalid(("cues",), f"expected an array, found {_type_name(cues_raw)}")
    if len(cues_raw) > textio.MAX_CUES:
        raise textio.too_many_cues()
    speakers = _read_speakers(data.get("speakers", []))
    doc = Document(
        speakers=speakers,
        source_language=_opt_str(data.get("source_language"), ("source_language",)),
        translation_language=_opt_str(data.get("translation_language"), ("translation_language",)),
        metadata=_read_metadata(data.get("metadata", {})),
        notes=_str(data.get("notes", ""), ("notes",)),
    )
    doc.sources = _read_sources(data.get("sources", {}))
    report = data.get("translation_report")
    if report is not None and type(report) is not dict:
        raise _Invalid(("translation_report",), f"expected an object, found {_type_name(report)}")
    doc.translation_report = report
    doc.glossary = _read_glossary(data.get("glossary", []))
    doc.spelling_ignore = _read_ignore(data.get("spelling_ignore", []))
    speaker_ids = set(doc.speakers)
    seen: set[int] = set()
    cues: list[Cue] = []
    for i, raw in enumerate(cues_raw):
        cue = _read_cue(raw, i, speaker_ids)
        if cue.id in seen:
            raise _Invalid(("cues", i, "id"), f"duplicate cue id {cue.id}")
        seen.add(cue.id)
        cues.append(cue)
    # Build the list directly: append() per cue would repeat the checks done above.
    doc.cues = cues
    doc._by_id = {c.id: c for c in cues}
    doc._reset_rows()
    next_id = data.get("next_id")
    highest = max(seen, default=0)
    if next_id is not None:
        _int(next_id, ("next_id",), 1, MAX_ID + 1)
    # Never hand out an id that is in use, whatever the file says.
    doc._next_id = max(next_id or 1, highest + 1)
    _adopt_srt_positions(doc)
    return doc


_OLD_POSITION_KEY = "srt.position."


def _adopt_srt_positions(doc: Document) -> None:
    """Move SubRip positions that projects written before `Cue.srt_position` kept in the
    metadata ("srt.position.<cue id>") onto their cues (those of deleted cues are dropped)."""
    extra = doc.metadata.extra
    for key in [k for k in extra if k.startswith(_OLD_POSITION_KEY)]:
        value = extra.pop(key)
        cue_id = key[len(_OLD_POSITION_KEY) :]
        if cue_id.isdigit() and doc.has_cue(int(cue_id)) and isinstance(value, str):
            doc.cue(int(cue_id)).srt_position = value


_TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]')


def _line_of(text: str, path: tuple[str | int, ...]) -> int | None:
    """Return the 1-based line where the value at `path` (first two levels) starts, or None.

    Only called on the error path: a small tokenizer walks the text once.
    """
    target = path[:2]
    if not target:
        return None
    # One frame per open container: [is_array, element index, last key].
    stack: list[list[Any]] = []
    key_candidate: str | None = None
    for m in _TOKEN_RE.finditer(text):
        tok = m.group()
        if tok[0] == '"':
            key_candidate = tok
            continue
        if tok == ":":
            if stack and not stack[-1][0] and key_candidate is not None:
                try:
                    stack[-1][2] = json.loads(key_candidate)
                except ValueError:
                    return None
                if tuple(f[1] if f[0] else f[2] for f in stack) == target:
                    return text.count("\n", 0, m.start()) + 1
            key_candidate = None
            continue
        key_candidate = None
        if tok in "[{":
            if stack and stack[-1][0] and tuple(f[1] if f[0] else f[2] for f in stack) == target:
                return text.count("\n", 0, m.start()) + 1
            stack.append([tok == "[", 0, None])
        elif tok in "]}":
            if not stack:
                return None
            stack.pop()
        elif tok == "," and stack and stack[-1][0]:
            stack[-1][1] += 1
    return None


def _parse(text: str) -> Document:
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise ParseError("JSON nested too deeply", None) from None
    except ValueError as exc:  # duplicate keys, NaN, integers too long to convert
        raise ParseError(f"not a valid project file: {exc}", None) from None
    try:
        if _SURROGATE_ESCAPE_RE.search(text) and _has_lone_surrogate(data):
            raise ParseError("the project contains an unpaired UTF-16 surrogate escape (\\ud800 …)", None)
        return _build(data)
    except RecursionError:
        raise ParseError("JSON nested too deeply", None) from None
    except _Invalid as exc:
        where = _path_text(exc.path)
        reason = f"{where}: {exc.reason}" if where else exc.reason
        raise ParseError(reason, _line_of(text, exc.path)) from None


# -- writing -------------------------------------------------------------------

_CUE_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
# The C string encoder behind json.dumps(ensure_ascii=False): one call per string is
# several times faster than encoding a dict per cue.
_enc = json.encoder.encode_basestring
_EXACT = Timing.EXACT.value
_UNTRANSLATED = Review.UNTRANSLATED.value


def _cue_line(cue: Cue) -> str:
    """Return one cue as a one-line JSON object; fields at their defaults are left out."""
    line = f'{{"id": {cue.id}, "start_ms": {cue.start_ms}, "end_ms": {cue.end_ms}, "text": {_enc(cue.text)}'
    if cue.translation:
        line += f', "translation": {_enc(cue.translation)}'
    if cue.speaker_id is not None:
        line += f', "speaker_id": {_enc(cue.speaker_id)}'
    if cue.timing != _EXACT:
        line += f', "timing": {_enc(Timing(cue.timing).value)}'
    if cue.review != _UNTRANSLATED:
        line += f', "review": {_enc(Review(cue.review).value)}'
    if cue.note:
        line += f', "note": {_enc(cue.note)}'
    if cue.vtt_id:
        line += f', "vtt_id": {_enc(cue.vtt_id)}'
    if cue.vtt_settings:
        line += f', "vtt_settings": {_enc(cue.vtt_settings)}'
    if cue.srt_position:
        line += f', "srt_position": {_enc(cue.srt_position)}'
    if cue.words is not None:
        words = ", ".join(f"[{w.start_ms}, {w.end_ms}, {_enc(w.text)}]" for w in cue.words)
        line += f', "words": [{words}]'
    if cue.time_source:
        line += f', "time_source": {_enc(TimeSource(cue.time_source).value)}'
    return line + "}"


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _array(items: list[str]) -> str:
    """Return a JSON array with one pre-encoded item per line."""
    if not items:
        return "[]"
    return "[\n    " + ",\n    ".join(items) + "\n  ]"


def stored_media_path(media_path: str, base_dir: str) -> str:
    """Return `media_path` as a project in `base_dir` stores it: relative with "/" when the
    media lies in `base_dir` or below, else unchanged. Pure string work: touches no file."""
    if not media_path or not os.path.isabs(media_path) or not base_dir:
        return media_path
    base = os.path.normpath(os.path.abspath(base_dir))
    target = os.path.normpath(media_path)
    try:
        rel = os.path.relpath(target, base)
        if os.path.commonpath([base, target]) != base:
            return media_path  # not under the project's folder
    except ValueError:  # another drive (Windows): no relative path exists
        return media_path
    return rel.replace(os.sep, "/")


def resolve_media_path(stored: str, base_dir: str) -> str:
    """Return the absolute media path for a project in `base_dir` storing `stored`.

    Absolute and empty values come back unchanged; relative ones are joined to
    `base_dir` and normalised. Pure string work: the file is neither checked nor opened.
    """
    if not stored or os.path.isabs(stored) or not base_dir:
        return stored
    parts = [part for part in stored.split("/") if part]
    return os.path.normpath(os.path.join(os.path.abspath(base_dir), *parts))


def write_project(doc: Document, base_dir: str | None = None) -> str:
    """Return `doc` as project-file text ("\\n" newlines, ending in a newline).

    With `base_dir` (the folder the project is written to) the media path is stored
    relative to it when possible (see stored_media_path).
    """
    meta = doc.metadata
    header = {
        "cueline": VERSION,
        "next_id": doc._next_id,
        "source_language": doc.source_language,
        "translation_language": doc.translation_language,
        "metadata": {
            "title": meta.title,
            "url": meta.url,
            "media_path": stored_media_path(meta.media_path, base_dir) if base_dir else meta.media_path,
            "duration_ms": meta.duration_ms,
            "extra": dict(sorted(meta.extra.items())),
        },
        "notes": doc.notes,
        **({"translation_report": doc.translation_report} if doc.translation_report else {}),
        "sources": {
            role: {
                "path": info.path,
                "format": info.format,
                "encoding": info.encoding,
                "bom": info.bom,
                "newline": info.newline,
            }
            for role, info in sorted(doc.sources.items())
        },
    }
    parts = ["{"]
    for key, value in header.items():
        parts.append(f'  "{key}": {_dump(value).replace(chr(10), chr(10) + "  ")},')
    speakers = [
        _CUE_ENCODER.encode({"id": s.id, "name": s.name, "color": s.color}) for s in doc.speakers.values()
    ]
    parts.append(f'  "speakers": {_array(speakers)},')
    cues = f'  "cues": {_array([_cue_line(c) for c in doc.cues])}'
    extras: list[str] = []
    if doc.glossary:
        entries = [
            _CUE_ENCODER.encode({"term": e.term, "renderings": list(e.renderings), "note": e.note})
            for e in doc.glossary
        ]
        extras.append(f'  "glossary": {_array(entries)}')
    if doc.spelling_ignore:
        extras.append(f'  "spelling_ignore": {_CUE_ENCODER.encode(list(doc.spelling_ignore))}')
    parts.append(",\n".join([cues, *extras]))
    parts.append("}\n")
    return "\n".join(parts)


class ProjectFormat(FormatBase):
    """The `.cueline` project format (see the module docstring for the layout)."""

    id = "cueline"
    name = "Cueline project"
    can_write = True

    def guess(self, text: str) -> int:
        """Return 100 when `text` is a JSON object with a "cueline" key, else 0."""
        if _HEAD_RE.match(text):
            return 100
        stripped = text.lstrip("\ufeff \t\r\n")
        if not stripped.startswith("{") or '"cueline"' not in text:
            return 0
        # The key is not first (a hand-edited file): parse to be sure.
        try:
            data = json.loads(stripped)
        except (ValueError, RecursionError):
            return 0
        return 100 if isinstance(data, dict) and "cueline" in data else 0

    def read(self, text: str, options: ReadOptions | None = None) -> Document:
        """Return the document stored in `text`. Raises ParseError (LimitError past 1,000,000 cues).

        With `options.base_dir` (the project file's folder) a relative media path is made
        absolute against it, and the file the project was made from is kept as the
        "origin" source: Save writes the project itself.
        """
        doc = _parse(text)
        base = options.base_dir if options is not None else None
        if base is not None:
            doc.metadata.media_path = resolve_media_path(doc.metadata.media_path, base)
            if "source" in doc.sources:
                doc.sources.setdefault("origin", doc.sources["source"])
        return doc

    def write(self, doc: Document, options: WriteOptions | None = None) -> str:
        """Return `doc` as project text (every track: only `options.base_dir` matters, media
        beside it is stored relative to it)."""
        return write_project(doc, options.base_dir if options is not None else None)


FORMAT = ProjectFormat()
