"""WebVTT reader and writer.

Reading follows the W3C WebVTT file parsing algorithm in our own code (`parse_vtt`):
signature rules, header, REGION/STYLE/NOTE blocks, cue identifiers, timing lines with
settings, NUL → U+FFFD, and "-->" lines that start a new block. webvtt-py 0.6.0 was measured
and fails the conformance corpus on exactly these points (bad signatures accepted, NULs kept,
malformed timings accepted) and is slower than our target; see docs/vtt-policy.md. webvtt-py
stays in the test suite as an independent check that our written files read back.

Cue text goes through the WebVTT cue text parsing rules (`vtt_cuetext`) into canonical text
and a speaker. Round-trip extras: the cue identifier (`cue.vtt_id`), the raw settings string
(`cue.vtt_settings`), the header (text after "WEBVTT" up to the first cue, with REGION/STYLE/
NOTE blocks) in `metadata.extra["vtt_header"]`, NOTE blocks before a cue as that cue's
`note`, NOTE blocks after the last cue in `metadata.extra["vtt_footer"]`. Blocks the spec
skips because their timing line is malformed are listed in `doc.notes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import chain, cycle, repeat
from operator import add, attrgetter, floordiv, is_not, mod
from typing import Any

from editor.core import runtime, textio, timecode
from editor.core.errors import ParseError, ValidationError, WriteError
from editor.core.formats import FormatBase, ReadOptions, WriteOptions, markup, readlog
from editor.core.formats.tracks import names_cue, prefix_speaker, track_text, with_prefix
from editor.core.formats.vtt_cuetext import read_cue_text
from editor.core.model import Cue, Document
from editor.core.script import TAG_NAMES, split_markup
from editor.core.speakers import split_prefix
from editor.core.timecode import format_vtt

HEADER_KEY = "vtt_header"
FOOTER_KEY = "vtt_footer"
# How many skipped blocks doc.notes lists, and how much of each.
_MAX_NOTED_BLOCKS = 50
_MAX_NOTED_CHARS = 300

_WS = "\t\n\f\r "  # ASCII whitespace in the spec's sense (vertical tab is NOT included)
_TS = r"([0-9]+):([0-9]{2})(?::([0-9]{2}))?\.([0-9]{3})(?![0-9])"
_TIMING_RE = re.compile(rf"[\t\n\f\r ]*{_TS}[\t\n\f\r ]*-->[\t\n\f\r ]*{_TS}(.*)", re.DOTALL)
_WS_SPLIT_RE = re.compile(r"[\t\n\f\r ]+")
_MAX_HOUR_DIGITS = 9
_PERCENT_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?%")
_LINE_NUMBER_RE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


# -- raw parse ------------------------------------------------------------------------------------------
@dataclass(slots=True)
class RawCue:
    """A cue as the spec's file parser yields it: raw text (tags and entities as written)."""

    id: str
    start_ms: int
    end_ms: int
    settings: str  # the rest of the timing line, stripped
    text: str
    line: int  # 1-based line of the timing line
    note: str = ""  # NOTE blocks between the previous cue and this one


@dataclass(slots=True)
class Region:
    """A VTTRegion with the spec's defaults."""

    id: str = ""
    width: float = 100
    lines: float = 3
    regionAnchorX: float = 0  # IDL attribute names, so tests compare directly
    regionAnchorY: float = 100
    viewportAnchorX: float = 0
    viewportAnchorY: float = 100
    scroll: str = ""


@dataclass(slots=True)
class VTTFile:
    """What `parse_vtt` returns: cues, regions (header order), raw header and footer text."""

    cues: list[RawCue] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    header: str = ""  # text after "WEBVTT" up to the first cue block
    footer: str = ""  # NOTE blocks after the last cue, joined by blank lines
    # Blocks whose timing line is malformed (the spec skips them): (1-based line, block text).
    ignored: list[tuple[int, str]] = field(default_factory=list)


def _timing(line: str) -> tuple[int, int, str] | None:
    """Return (start_ms, end_ms, settings) of a timing line, or None (spec: timings failure)."""
    m = _TIMING_RE.match(line)
    if m is None:
        return None
    a1, b1, c1, f1, a2, b2, c2, f2, rest = m.groups()
    if len(a1) > _MAX_HOUR_DIGITS or len(a2) > _MAX_HOUR_DIGITS:
        return None  # over 100,000 years: corrupt (and int() refuses 4,300+ digits)
    # Inlined twice (this runs once per cue). mm:ss.ttt: a first field that is not two digits
    # or is above 59 would have to be hours, so the timestamp is invalid.
    if c1 is None:
        if len(a1) != 2 or a1 > "59" or b1 > "59":
            return None
        start = (int(a1) * 60 + int(b1)) * 1000 + int(f1)
    else:
        if b1 > "59" or c1 > "59":
            return None
        start = ((int(a1) * 60 + int(b1)) * 60 + int(c1)) * 1000 + int(f1)
    if c2 is None:
        if len(a2) != 2 or a2 > "59" or b2 > "59":
            return None
        end = (int(a2) * 60 + int(b2)) * 1000 + int(f2)
    else:
        if b2 > "59" or c2 > "59":
            return None
        end = ((int(a2) * 60 + int(b2)) * 60 + int(c2)) * 1000 + int(f2)
    return start, end, rest.strip(_WS) if rest else ""


def check_signature(text: str) -> None:
    """Raise ParseError (line 1) unless `text` starts with a valid WebVTT signature."""
    if text.startswith("WEBVTT") and (len(text) == 6 or text[6] in " \t\n"):
        return
    if not text:
        reason = "empty file: a WebVTT file must start with 'WEBVTT'"
    elif text.startswith("\ufeff"):
        reason = "a second byte-order mark before 'WEBVTT' (only one is allowed)"
    elif text.startswith("WEBVTT"):
        reason = f"'WEBVTT' must be followed by a space, a tab or a line break, not U+{ord(text[6]):04X}"
    elif text[:6].upper() == "WEBVTT":
        reason = "the signature must be 'WEBVTT' in capitals"
    else:
        first = text.split("\n", 1)[0][:40]
        reason = f"not a WebVTT file: the first line must start with 'WEBVTT' (found {first!r})"
    raise ParseError(reason, 1)


def _normalise(text: str) -> str:
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def parse_vtt(text: str) -> VTTFile:
    """Run the W3C WebVTT file parsing algorithm on decoded text.

    `text` is what the decoder produced (one UTF-8 BOM already removed: a U+FEFF left at the
    start is a second BOM and makes the file invalid). Returns a VTTFile. Raises ParseError
    (line 1) for an invalid signature; everything after it is handled as the spec says
    (bad blocks are skipped, never an error).
    """
    check_signature(text.replace("\r", "\n", 1) if text[6:7] == "\r" else text)
    text = _normalise(text)
    lines = textio.split_lines(text)
    if lines[-1] == "":
        lines.pop()  # a final "\n" ends the last line; it does not start an empty one
    out = VTTFile()
    n = len(lines)
    if n == 1:
        out.header = lines[0][6:]
        return out
    i = 1
    # Header: the lines right after the signature line up to a blank line (or a "-->" line).
    if lines[i] != "":
        while i < n and lines[i] != "" and "-->" not in lines[i]:
            i += 1
    # NOTE blocks wait for the next cue (they become its note); before the first cue, a
    # non-NOTE block (REGION, STYLE, anything else) leaves the pending ones in the header.
    notes: list[str] = []
    notes_start = -1
    header_end = -1
    cues = out.cues
    max_cues = textio.MAX_CUES
    regions = out.regions
    ignored = out.ignored
    while i < n:
        line = lines[i]
        if not line:
            i += 1
            continue
        # "Collect a WebVTT block": a "-->" in the block's first line, or in its second line
        # after an identifier, is its timing line; any later "-->" line starts the next block.
        if "-->" in line:
            timing_at = i
        elif i + 1 < n and "-->" in lines[i + 1]:
            timing_at = i + 1
        else:
            timing_at = -1
        j = (timing_at if timing_at >= 0 else i) + 1
        while j < n:
            nxt = lines[j]
            if not nxt or "-->" in nxt:
                break
            j += 1
        if timing_at >= 0:
            parsed = _timing(lines[timing_at])
            if parsed is None:
                ignored.append((timing_at + 1, "\n".join(lines[i:j])))
            else:
                k = timing_at + 1
                text = "" if j == k else lines[k] if j == k + 1 else "\n".join(lines[k:j])
                cue = RawCue(line if timing_at > i else "", *parsed, text, k)
                if header_end < 0:
                    header_end = notes_start if notes else i
                if notes:
                    cue.note = "\n".join(notes)
                    notes = []
                cues.append(cue)
                if len(cues) > max_cues:
                    raise textio.too_many_cues(i + 1)
        elif _is_note(line):
            if not notes:
                notes_start = i
            notes.append(_note_text(lines[i:j]))
        elif not cues:
            notes = []
            # REGION (or STYLE) alone on the first line, with at least one line after it.
            if j > i + 1 and line.startswith("REGION") and not line[6:].strip(_WS):
                region = parse_region("\n".join(lines[i + 1 : j]))
                regions[:] = [r for r in regions if r.id != region.id]
                regions.append(region)
        i = j
    if header_end < 0:
        # No cue: trailing NOTE blocks are the footer (where the writer puts it), the rest header.
        header_end = notes_start if notes else n
    if notes:
        out.footer = "\n".join(notes)
    out.header = "\n".join([lines[0][6:], *lines[1:header_end]]).rstrip("\n")
    return out


def _is_note(first: str) -> bool:
    return first.startswith("NOTE") and (len(first) == 4 or first[4] in " \t")


def _note_text(buffer: list[str]) -> str:
    first = buffer[0][5:]
    rest = buffer[1:]
    return "\n".join([first, *rest]) if first else "\n".join(rest)


# -- settings and regions ------------------------------------------------------------------------------
def _percentage(value: str) -> float | None:
    """Return the number of a WebVTT percentage ("12.5%"), or None when invalid or out of 0..100."""
    if not _PERCENT_RE.fullmatch(value):
        return None
    number = float(value[:-1])
    return number if 0 <= number <= 100 else None


def _anchor(value: str) -> tuple[float, float] | None:
    x, comma, y = value.partition(",")
    if not comma:
        return None
    px, py = _percentage(x), _percentage(y)
    if px is None or py is None:
        return None
    return px, py


def parse_region(settings: str) -> Region:
    """Return the Region a REGION block's settings describe (invalid settings are skipped)."""
    region = Region()
    for token in _WS_SPLIT_RE.split(settings):
        name, colon, value = token.partition(":")
        if not colon or not name or not value:
            continue
        if name == "id":
            region.id = value
        elif name == "width":
            pct = _percentage(value)
            if pct is not None:
                region.width = pct
        elif name == "lines":
            if value.isascii() and value.isdigit():
                # JavaScript numbers are doubles; keep the value as a double would hold it.
                # float() of a long digit string is inf, where int() would refuse 4,300+ digits.
                number = int(value) if len(value) < 16 else float(value)
                region.lines = number if number < 2**53 else float(number)
        elif name == "regionanchor":
            anchor = _anchor(value)
            if anchor is not None:
                region.regionAnchorX, region.regionAnchorY = anchor
        elif name == "viewportanchor":
            anchor = _anchor(value)
            if anchor is not None:
                region.viewportAnchorX, region.viewportAnchorY = anchor
        elif name == "scroll" and value == "up":
            region.scroll = "up"
    return region


@dataclass(slots=True)
class CueSettings:
    """Parsed cue settings as the HTML VTTCue IDL attributes expose them."""

    align: str = "center"
    line: float | str = "auto"
    snapToLines: bool = True  # IDL attribute names
    lineAlign: str = "start"
    position: float | str = "auto"
    positionAlign: str = "auto"
    size: float = 100
    vertical: str = ""
    region: Region | None = None

    def get(self, name: str) -> Any:
        """Return the IDL attribute `name`; raises AttributeError for an unknown one."""
        return getattr(self, name)


def _line_number(value: str) -> float | None:
    if not _LINE_NUMBER_RE.fullmatch(value):
        return None
    number = float(value)
    if number in (float("inf"), float("-inf")):
        return None
    return number


def parse_settings(settings: str, regions: list[Region] | tuple[Region, ...] = ()) -> CueSettings:
    """Return the VTTCue values of a raw settings string; invalid settings are dropped.

    `regions` are the file's regions (later ids win). Never raises.
    """
    result = CueSettings()
    for token in _WS_SPLIT_RE.split(settings):
        name, colon, value = token.partition(":")
        if not colon or not name or not value:
            continue
        if name == "region":
            result.region = next((r for r in reversed(regions) if r.id == value), None)
        elif name == "vertical":
            if value in ("rl", "lr"):
                result.vertical = value
        elif name == "line":
            linepos, comma, linealign = value.partition(",")
            if comma and linealign not in ("start", "center", "end"):
                continue
            if not any(ch.isascii() and ch.isdigit() for ch in linepos):
                continue
            if linepos.endswith("%"):
                number = _percentage(linepos)
                snap = False
            else:
                number = _line_number(linepos)
                snap = True
            if number is None:
                continue
            result.line = number
            result.snapToLines = snap
            result.lineAlign = linealign if comma else "start"
        elif name == "position":
            colpos, comma, colalign = value.partition(",")
            if comma and colalign not in ("line-left", "center", "line-right"):
                continue
            number = _percentage(colpos)
            if number is None:
                continue
            result.position = number
            result.positionAlign = colalign if comma else "auto"
        elif name == "size":
            number = _percentage(value)
            if number is not None:
                result.size = number
        elif name == "align":
            if value in ("start", "center", "end", "left", "right"):
                result.align = value
    # A region only applies to horizontal, full-size cues with automatic line placement.
    if result.line != "auto" or result.size != 100 or result.vertical:
        result.region = None
    return result


def header_regions(doc: Document) -> list[Region]:
    """Return the regions declared in the document's stored WebVTT header."""
    header = doc.metadata.extra.get(HEADER_KEY, "")
    if "REGION" not in header:
        return []
    return parse_vtt("WEBVTT" + _clean_header(header) + "\n").regions


# -- the format --------------------------------------------------------------------------------------
_DASHES_ARROW_RE = re.compile(r"-{2,}>")


def _escape_text(text: str) -> str:
    """Return canonical text as WebVTT cue text: & < > escaped, <i>/<b>/<u> kept as tags,
    no empty line (an empty line would end the cue)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    if "&" in text or "<" in text or ">" in text:
        if "<" in text:
            parts = split_markup(text)
            for k in range(0, len(parts), 2):
                parts[k] = parts[k].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            text = "".join(parts)
        else:
            text = text.replace("&", "&amp;").replace(">", "&gt;")
    if "\n\n" in text or text.startswith("\n") or text.endswith("\n"):
        text = "\n".join(line for line in text.split("\n") if line)
    return text


def _escape_plain(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_voice(name: str) -> str:
    name = _escape_plain(name)
    # "<v a-->" would hold "-->" and end the cue; the annotation's trailing space is dropped on read.
    return name + " " if name.endswith("-") else name


def _clean_block_text(text: str) -> str:
    """Return NOTE/header text that cannot end its block early or start a cue."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\0", "\ufffd")
    lines = [_DASHES_ARROW_RE.sub("->", line) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _opener(name: str | None, style: str) -> tuple[str, str]:
    """Return (voice tag, visible prefix), both escaped, that start a cue of speaker `name`.

    The name is written with its whitespace collapsed (one line; what a reader gets back from a
    voice annotation), and the prefix is plain text even if the name looks like a tag.
    """
    if not name or style == "none":
        return "", ""
    name = " ".join(_WS_SPLIT_RE.split(name.strip(_WS)))
    if not name:
        return "", ""
    voice = f"<v {_escape_voice(name)}>" if style in ("voice", "both") else ""
    prefix = _escape_plain(prefix_speaker(name, "")) if style in ("prefix", "both", "changes") else ""
    return voice, prefix


def _clean_id(vtt_id: str) -> str:
    """Return a cue id that fits on one line and holds no "-->"."""
    if "->" not in vtt_id and "\n" not in vtt_id and "\r" not in vtt_id and "\0" not in vtt_id:
        return vtt_id
    vtt_id = vtt_id.replace("\r", " ").replace("\n", " ").replace("\0", "\ufffd")
    return _DASHES_ARROW_RE.sub("->", vtt_id)


def _clean_header(header: str) -> str:
    if not header:
        return ""
    header = header.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    # A header block with "-->" (a cue the reader skipped for a bad timing) could turn into a
    # cue: drop the whole block, so its text does not stay behind as a stray block.
    blocks = [block for block in header.split("\n\n") if "-->" not in block]
    header = "\n\n".join(blocks).rstrip("\n")
    if header and header[0] not in " \t\n":
        header = " " + header
    return header


def _skipped_note(ignored: list[tuple[int, str]]) -> str:
    """Return the doc.notes text that lists skipped blocks, so that nothing is lost unseen."""
    parts = [
        f"WebVTT: skipped {len(ignored)} block(s) with a malformed timing line, as the WebVTT "
        "parsing rules require (their text is listed here so nothing is lost):"
    ]
    for line_no, block in ignored[:_MAX_NOTED_BLOCKS]:
        shown = block.replace("\n", " / ")
        if len(shown) > _MAX_NOTED_CHARS:
            shown = shown[:_MAX_NOTED_CHARS] + "…"
        parts.append(f"- line {line_no}: {shown}")
    if len(ignored) > _MAX_NOTED_BLOCKS:
        parts.append(f"- … and {len(ignored) - _MAX_NOTED_BLOCKS} more")
    return "\n".join(parts)


class VTTFormat(FormatBase):
    """The WebVTT format (see the module docstring)."""

    id = "vtt"
    name = "WebVTT"
    can_write = True

    def guess(self, text: str) -> int:
        """Return 100 for text starting with "WEBVTT" (after an optional BOM), else 0."""
        return 100 if text.lstrip("\ufeff")[:6] == "WEBVTT" else 0

    def read(self, text: str, options: ReadOptions | None = None) -> Document:
        """Return a Document for WebVTT `text`. Raises ParseError (line 1) for a bad signature."""
        with runtime.gc_paused():
            return self._read(text, options)

    def _read(self, text: str, options: ReadOptions | None = None) -> Document:
        parsed = parse_vtt(text)
        doc = Document()
        speakers: dict[str, str] = {}
        append = doc.append
        next_id = 1
        extra = doc.metadata.extra
        for raw in parsed.cues:
            body, speaker, simple = read_cue_text(raw.text)
            if not simple and not _writes_back(body, speaker, raw.text):
                # Classes, <lang>, <ruby>, timestamps, more voices: kept for the round trip.
                markup.keep(extra, "vtt", next_id, body, speaker, raw.text)
            speaker_id = None
            if speaker is not None:
                speaker_id = speakers.get(speaker)
                if speaker_id is None:
                    speaker_id = speakers[speaker] = doc.ensure_speaker(speaker).id
            cue = Cue(
                next_id,
                raw.start_ms,
                raw.end_ms,
                body,
                speaker_id=speaker_id,
                note=raw.note,
                vtt_id=raw.id,
                vtt_settings=raw.settings,
            )
            append(cue)
            next_id += 1
        if parsed.header:
            extra[HEADER_KEY] = parsed.header
        if parsed.footer:
            extra[FOOTER_KEY] = parsed.footer
        if parsed.ignored:
            doc.notes = _skipped_note(parsed.ignored)
            every = " (every block with a timing line; so the file has no cue)" if not parsed.cues else ""
            readlog.record(
                doc,
                [
                    readlog.Skipped(line, f"block skipped: malformed timing line{every}")
                    for line, _ in parsed.ignored
                ],
            )
        if options is not None and options.speaker_prefixes:
            # Only on request (never silently): "Name: text" cues without a voice get a speaker.
            for cue in doc.cues:
                if cue.speaker_id is None:
                    name, rest = split_prefix(cue.text)
                    if name is not None:
                        cue.speaker_id = doc.ensure_speaker(name).id
                        cue.text = rest
        return doc

    def write(self, doc: Document, options: WriteOptions | None = None) -> str:
        """Return the document as WebVTT text ("\\n" newlines, no BOM).

        Raises WriteError for a time WebVTT cannot hold (negative).
        """
        return self.write_with_pieces(doc, options)[0]

    def write_with_pieces(
        self, doc: Document, options: WriteOptions | None = None
    ) -> tuple[str, PlainPieces | None]:
        """Return `write(doc, options)` and, when it was assembled from `plain_pieces`, those pieces:
        the export linter checks them while writing (lint_fast.vtt_pieces_findings) instead of
        reading the text again. Raises WriteError as `write` does."""
        opts = options or WriteOptions()
        style = opts.speakers
        track = opts.track
        extra = doc.metadata.extra
        cues = doc.cues
        starts = list(map(_START, cues))
        ends = list(map(_END, cues))
        if cues and (min(starts) < 0 or min(ends) < 0):
            for row, cue in enumerate(cues):
                if cue.start_ms < 0 or cue.end_ms < 0:
                    try:
                        format_vtt(min(cue.start_ms, cue.end_ms))
                    except ValidationError as exc:
                        where = f"cue {cue.vtt_id!r}" if cue.vtt_id else f"cue {row + 1}"
                        raise WriteError("<output>", f"{where}: {exc.reason}") from None
        compatible = opts.compatible
        out: list[str] = ["WEBVTT" + ("" if compatible else _clean_header(extra.get(HEADER_KEY, ""))), ""]
        append = out.append
        # Markup the file had beyond canonical text (editor.core.formats.markup).
        kept = markup.formats_kept(doc) if track == "source" and not compatible else set()
        raw_vtt = "vtt" in kept and style == "voice"
        if track == "source" and not kept and _plain(cues, compatible):
            footer = "" if compatible else _clean_block_text(extra.get(FOOTER_KEY, ""))
            pieces = plain_pieces(cues, starts, ends)
            if pieces is not None and pieces.timings and not footer and out[0] == "WEBVTT":
                return pieces.body("WEBVTT\n\n"), pieces
            out.extend(_plain_blocks(cues))
            if footer:
                out.append(("NOTE\n" if "\n" in footer else "NOTE ") + footer)
                out.append("")
            return "\n".join(out), None
        classes: dict[str, str] = {}
        seen_ids: set[str] = set()
        # Speaker id -> the text that opens a cue of that speaker ("<v Name>", "Name: ", ...).
        openers: dict[str | None, tuple[str, str]] = {None: ("", "")}
        previous = None
        for cue in doc.cues:
            if cue.note and not compatible:
                note = _clean_block_text(cue.note)
                if note:
                    append(("NOTE\n" if "\n" in note else "NOTE ") + note)
                    append("")
            if cue.vtt_id:
                vtt_id = _clean_id(cue.vtt_id)
                if vtt_id in seen_ids:
                    base, k = vtt_id, 2
                    while f"{base}-{k}" in seen_ids:
                        k += 1
                    vtt_id = f"{base}-{k}"
                seen_ids.add(vtt_id)
                append(vtt_id)
            # Inlined format_vtt (times were checked above): this loop is the writer's hot path.
            h, rest = divmod(cue.start_ms, 3_600_000)
            m, rest = divmod(rest, 60_000)
            sec, ms = divmod(rest, 1000)
            h2, rest = divmod(cue.end_ms, 3_600_000)
            m2, rest = divmod(rest, 60_000)
            sec2, ms2 = divmod(rest, 1000)
            timing = f"{h:02d}:{m:02d}:{sec:02d}.{ms:03d} --> {h2:02d}:{m2:02d}:{sec2:02d}.{ms2:03d}"
            raw = markup.kept(doc, "vtt", cue) if raw_vtt else None
            mapped = None
            if raw is None and kept:
                mapped = _mapped(doc, cue, kept)
                if mapped is not None:
                    classes.update(mapped.classes)
            settings = "" if compatible else cue.vtt_settings or (mapped.settings if mapped else "")
            if settings:
                if "\n" in settings or "\r" in settings or "\0" in settings:
                    # The timing line already holds "-->", so only line breaks need care here.
                    settings = settings.replace("\r", " ").replace("\n", " ").replace("\0", "\ufffd")
                timing = f"{timing} {settings}"
            append(timing)
            if raw is not None:
                # The file's own cue text (voices included), while the words are unchanged.
                if raw:
                    append(raw)
                append("")
                previous = cue
                continue
            text = cue.text if track == "source" else track_text(cue, track)
            speaker_id = cue.speaker_id
            opener = openers.get(speaker_id)
            if opener is None:
                opener = openers[speaker_id] = _opener(doc.speaker_name(speaker_id), style)
            voice, prefix = opener
            if prefix and not names_cue(style, cue, previous):
                prefix = ""
            previous = cue
            if mapped is not None:
                text = mapped.text
            elif text:
                if prefix:
                    # Laid out again when the prefixed first line would be too long.
                    name = " ".join((doc.speaker_name(speaker_id) or "").split())
                    raw_prefix = prefix_speaker(name, "")
                    laid = with_prefix(raw_prefix, cue, track, doc)
                    # The name is plain text even where it looks like a tag ("<b>: …").
                    text = _escape_plain(raw_prefix) + _escape_text(laid[len(raw_prefix) :])
                    prefix = ""
                else:
                    text = _escape_text(text)
            text = voice + prefix + text
            if text:
                append(text)
            append("")
        if classes:
            out[2:2] = [markup.style_block(classes), ""]
        footer = "" if compatible else _clean_block_text(extra.get(FOOTER_KEY, ""))
        if footer:
            out.append(("NOTE\n" if "\n" in footer else "NOTE ") + footer)
            out.append("")
        return "\n".join(out), None


def _plain(cues: list[Cue], compatible: bool) -> bool:
    """Return True when every cue is written as its timing line and its escaped text alone: no
    speaker, no id, and (unless compatible, which leaves them out) no note and no settings."""
    # Whole-list steps (attribute getters mapped at C speed), not a Python step per cue.
    if any(map(is_not, map(_SPEAKER, cues), repeat(None))) or any(map(_VTT_ID, cues)):
        return False
    return compatible or not (any(map(_NOTE, cues)) or any(map(_SETTINGS, cues)))


def _plain_blocks(cues: list[Cue]) -> list[str]:
    """Return the blocks of `_plain` cues (times checked non-negative), each followed by the
    empty line that ends it: the general loop's output for them, with one step per cue."""
    # "HH:MM:" of each minute: consecutive cues share it, so most times cost one divmod.
    minutes: dict[int, str] = {}
    out: list[str] = []
    append = out.append
    for cue in cues:
        start, end = cue.start_ms, cue.end_ms
        m1, rest1 = divmod(start, 60_000)
        hm1 = minutes.get(m1)
        if hm1 is None:
            hm1 = minutes[m1] = f"{m1 // 60:02d}:{m1 % 60:02d}:"
        m2, rest2 = divmod(end, 60_000)
        hm2 = minutes.get(m2)
        if hm2 is None:
            hm2 = minutes[m2] = f"{m2 // 60:02d}:{m2 % 60:02d}:"
        s1, f1 = divmod(rest1, 1000)
        s2, f2 = divmod(rest2, 1000)
        timing = f"{hm1}{s1:02d}.{f1:03d} --> {hm2}{s2:02d}.{f2:03d}"
        text = _escape_text(cue.text) if cue.text else ""
        append(f"{timing}\n{text}\n" if text else f"{timing}\n")
    return out


_START = attrgetter("start_ms")
_END = attrgetter("end_ms")
_TEXT = attrgetter("text")
_SPEAKER = attrgetter("speaker_id")
_VTT_ID = attrgetter("vtt_id")
_NOTE = attrgetter("note")
_SETTINGS = attrgetter("vtt_settings")
# An <i>/<b>/<u> tag once "<" and ">" were escaped everywhere (text "&lt;" became "&amp;lt;").
_ESCAPED_TAG_RE = re.compile(r"&lt;(/?[ibu])&gt;")
assert _ESCAPED_TAG_RE.pattern == f"&lt;(/?[{TAG_NAMES}])&gt;"


@dataclass(slots=True)
class PlainPieces:
    """The parts of a plain export (`plain_pieces`): each cue's times, timing line and cue text
    as written (escaped; "" for a cue without text), and those texts joined by NUL, which no
    cue text holds; and the cues' own texts."""

    starts: list[int]
    ends: list[int]
    timings: list[str]
    texts: list[str]
    joined: str
    sources: list[str]  # the cues' texts as the document holds them

    def body(self, head: str = "") -> str:
        """Return `head` and the cue blocks as the writer lays them out: timing line, text lines,
        an empty line between blocks, one newline at the end."""
        if not self.timings:
            return head
        if "" in self.texts:  # a cue without text is its timing line alone
            blocks = [f"{t}\n{x}\n" if x else f"{t}\n" for t, x in zip(self.timings, self.texts, strict=True)]
            return head + "\n".join(blocks)
        # One join of everything (the head too): no copy of a 100k-cue text to add or cut a part.
        parts = [head, *chain.from_iterable(zip(self.timings, repeat("\n"), self.texts, repeat("\n\n")))]
        parts[-1] = "\n"
        return "".join(parts)


def plain_pieces(
    cues: list[Cue], starts: list[int] | None = None, ends: list[int] | None = None
) -> PlainPieces | None:
    """Return the pieces of `_plain` cues (times checked non-negative) as `_plain_blocks` writes
    them, built with whole-list steps at C speed instead of one Python step per cue; None when a
    cue's text needs the per-cue cleaning (CR, NUL, an empty line): `_plain_blocks` writes those.
    `starts` and `ends`, when given, are the cues' times (the writer has them already).
    """
    starts = list(map(_START, cues)) if starts is None else starts
    ends = list(map(_END, cues)) if ends is None else ends
    sources = list(map(_TEXT, cues))
    joined = "\0".join(sources)
    if cues and joined.count("\0") != len(cues) - 1:
        return None  # a text holds NUL
    if "\r" in joined or joined.startswith("\n") or joined.endswith("\n"):
        return None
    if (textio.breaks_in_texts_bulk if timecode.numpy_pays(len(cues)) else textio.breaks_in_texts)(joined):
        return None
    if "&" in joined or "<" in joined or ">" in joined:
        # _escape_text of each text: & < > escaped in text, tags kept (escaped and then restored).
        joined = joined.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if "&lt;" in joined:
            joined = _ESCAPED_TAG_RE.sub(r"<\1>", joined)
    texts = joined.split("\0") if cues else []
    return PlainPieces(starts, ends, _timing_lines(starts, ends), texts, joined, sources)


# "SS.mmm" of every millisecond of a minute, made on first use.
_SECONDS: list[str] = []


def _timing_lines(starts: list[int], ends: list[int]) -> list[str]:
    """Return the timing line of each (start, end) pair (non-negative ms): all at once (NumPy)
    when every hour has two digits, else `_timing_lines_plain`."""
    fixed = timecode.fixed_vtt_timing_lines(starts, ends) if timecode.numpy_pays(len(starts)) else None
    return fixed or _timing_lines_plain(starts, ends)


def _timing_lines_plain(starts: list[int], ends: list[int]) -> list[str]:
    """Return the timing line of each (start, end) pair (non-negative ms): "HH:MM:" of each minute
    used, "SS.mmm" from a table, joined by maps over the whole lists."""
    if not _SECONDS:
        seconds = chain.from_iterable(repeat(f"{s:02d}.", 1000) for s in range(60))
        _SECONDS.extend(map(add, seconds, cycle([f"{f:03d}" for f in range(1000)])))
    q1 = list(map(floordiv, starts, repeat(60_000)))
    q2 = list(map(floordiv, ends, repeat(60_000)))
    minutes = {m: f"{m // 60:02d}:{m % 60:02d}:" for m in set(q1).union(q2)}
    hm, sm = minutes.__getitem__, _SECONDS.__getitem__
    r1 = map(mod, starts, repeat(60_000))
    r2 = map(mod, ends, repeat(60_000))
    return list(map("".join, zip(map(hm, q1), map(sm, r1), repeat(" --> "), map(hm, q2), map(sm, r2))))


def _writes_back(body: str, speaker: str | None, raw: str) -> bool:
    """Return True when our writer gives `raw` back from canonical `body` and `speaker`."""
    escaped = _escape_text(body)
    for style in ("voice", "both"):
        voice, prefix = _opener(speaker, style)
        if voice + prefix + escaped == raw:
            return True
    return False


def _mapped(doc: Document, cue: Cue, kept: set[str]) -> markup.VttMapping | None:
    """Return the WebVTT form of the SubRip or ASS markup kept for `cue`, or None."""
    for format_id in ("srt", "ass"):
        if format_id in kept:
            raw = markup.kept(doc, format_id, cue)
            if raw is not None:
                mapped = markup.to_vtt(format_id, raw)
                # As canonical text has it: no blank lines, no blanks at a line's end.
                lines = (line.rstrip(" \t") for line in mapped.text.split("\n"))
                mapped.text = "\n".join(line for line in lines if line)
                return mapped
    return None


FORMAT = VTTFormat()
