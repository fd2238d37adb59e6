"""Export linter: checks the text a writer produced before it reaches the disk.

Writers are meant to produce clean files; this is the independent second look that catches
a writer bug (or a document state no writer test foresaw) before a user ships it to a
player that rejects or misreads it. It checks the rendered text, not the document:

- WebVTT: no BOM, the `WEBVTT` signature, every cue with an `HH:MM:SS.mmm --> HH:MM:SS.mmm`
  timing line, no `-->` and no blank line inside cue text, `& < >` escaped (only entities
  and the tags WebVTT defines), unique cue ids, start times non-decreasing, end not before
  start, and the text reads back with our reader with the same cues and times.
- SubRip: no BOM, blocks numbered from 1 in order, `HH:MM:SS,mmm` timings (comma), no blank
  line inside cue text, the same cues read back. Warnings: a minus sign, an end before the
  start, a start before the previous one, a text line that looks like a timing line (`-->`
  elsewhere in SRT text reads back as written, see docs/srt-policy.md).
- Both: a warning for every cue-text line longer than the line limit of its script
  (editor.core.linewidth: 42 characters, 16 for Chinese/Japanese/Korean with half-width
  characters counting half).

Warnings about players and formatting: a WebVTT STYLE or REGION block (ffmpeg 5.x, Debian 12's,
reads no cue at all from such a file: export with maximum compatibility for it), and SubRip/ASS
formatting a WebVTT export drops or WebVTT styling a SubRip export drops (editor.core.formats.markup).

Other formats have nothing to lint. Findings carry a 1-based line number where they have one.
`lint()` first tries the quick pass (`editor.core.lint_fast`), which proves a clean export in
one scan without reading it back; only text it cannot prove clean goes through these checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeVar

from editor.core import lint_fast, timecode
from editor.core.errors import EditorError
from editor.core.formats import WriteOptions
from editor.core.model import Document, plain_text

if TYPE_CHECKING:
    from editor.core.formats.vtt import VTTFile
from editor.core.style import StyleSettings

Severity = Literal["error", "warning"]


class Finding(NamedTuple):
    """One finding. A named tuple (immutable, compared by value): a 100k-cue export can have
    tens of thousands of line-length warnings, and a tuple is made several times faster than a
    frozen dataclass."""

    severity: Severity
    line: int | None
    code: str  # stable id of the check, e.g. "vtt-timestamp"
    message: str

    def describe(self, path: str) -> str:
        """Return `path:line: severity: message` (the line left out when unknown)."""
        where = f"{path}:{self.line}" if self.line is not None else path
        return f"{where}: {self.severity}: {self.message}"


def report(findings: list[Finding], path: str, prefix: str = "") -> str:
    """Return `prefix + finding.describe(path)` of each finding, one line each, as one text (one
    write to stderr: it is line-buffered, and a long export can have tens of thousands)."""
    return "".join([f"{prefix}{finding.describe(path)}\n" for finding in findings])


def errors(findings: list[Finding]) -> list[Finding]:
    """Return the findings that make an export wrong (not merely unusual)."""
    return [f for f in findings if f.severity == "error"]


def lint(
    text: str,
    format_id: str,
    doc: Document | None = None,
    options: WriteOptions | None = None,
    styles: StyleSettings | None = None,
) -> list[Finding]:
    """Return the findings for `text` written in `format_id`, in line order.

    With `doc` (the document the text was rendered from), the cues read back are also
    compared with the document's: same number, same times; with the `options` it was
    written with, when they write the source text as it is (no visible speaker prefix), the
    text too (a warning: the file is valid, but a round trip would change the text). Line
    widths are checked against the style profile of each line's script under `styles`
    (the user's settings; None: the presets).
    """
    # The quick pass proves the format checks clean in one scan; what it cannot prove gets them all.
    if format_id == "vtt":
        clean = lint_fast.vtt_clean(text, doc, options)
        findings = [] if clean else lint_vtt(text, doc, options)
    elif format_id == "srt":
        clean = lint_fast.srt_clean(text, doc, options)
        findings = [] if clean else lint_srt(text, doc, options)
    else:
        return []
    found = findings + _line_length_findings(text, styles)
    return sorted(found, key=lambda f: -1 if f.line is None else f.line)


def export(
    doc: Document, format_id: str, options: WriteOptions | None = None, styles: StyleSettings | None = None
) -> tuple[str, list[Finding]]:
    """Return the text `doc` renders to in `format_id` and `lint(text, format_id, doc, options,
    styles)` of it: the same findings, but where the WebVTT writer assembled the text from plain
    pieces they are checked while writing (lint_fast.vtt_pieces_clean) and long lines are
    measured knowing the layout (linewidth.long_lines_plain). Raises WriteError as rendering does.
    """
    if format_id == "vtt":
        from editor.core import linewidth
        from editor.core.formats import vtt

        text, pieces = vtt.FORMAT.write_with_pieces(doc, options)
        if pieces is not None and lint_fast.vtt_pieces_clean(text, pieces, doc, options):
            # With NumPy loaded (the timing lines of a long file were read with it) the lines are
            # measured over the code points of the whole text: a third of the time.
            if timecode.numpy_pays(len(pieces.texts)):
                long = linewidth.long_lines_plain_bulk(pieces.texts, pieces.joined, styles, checked=True)
            else:
                long = linewidth.long_lines_plain(pieces.texts, pieces.joined, styles)
            if long is not None:
                return text, _long_line_findings(long)
        return text, lint(text, format_id, doc, options, styles)
    from editor.core import documents

    text = documents.render(doc, format_id, options)
    return text, lint(text, format_id, doc, options, styles)


def _long_line_findings(long: list[tuple[int, float, int]]) -> list[Finding]:
    # Few widths and limits recur over many lines: each message is formatted once.
    sizes = list(map(itemgetter(1, 2), long))
    texts = {size: f"a line of {size[0]:g} characters (limit {size[1]})" for size in set(sizes)}
    messages = map(texts.__getitem__, sizes)
    numbers = map(itemgetter(0), long)
    # tuple.__new__ makes each Finding in C (Finding._make is a Python call per finding).
    fields = zip(repeat("warning"), numbers, repeat("line-length"), messages)
    return list(map(tuple.__new__, repeat(Finding), fields))


def _line_length_findings(text: str, styles: StyleSettings | None = None) -> list[Finding]:
    """Warn about every cue-text line wider than the line-length limit of its script."""
    from editor.core import linewidth

    return _long_line_findings(linewidth.long_lines(text, styles))


# -- shared ------------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Block:
    line: int  # 1-based line of the block's first line
    lines: list[str]


def _blocks(text: str, blank: re.Pattern[str]) -> Iterator[_Block]:
    """Yield the blocks of `text` separated by lines that `blank` matches in full."""
    current: list[str] = []
    start = 1
    for number, line in enumerate(text.split("\n"), start=1):
        if blank.fullmatch(line):
            if current:
                yield _Block(start, current)
            current = []
            start = number + 1
        else:
            current.append(line)
    if current:
        yield _Block(start, current)


def _ms(h: str, m: str, s: str, frac: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(frac)


def _compare_texts(
    found: list[tuple[int, int, int]], texts: list[str], expected: list[str], kind: str
) -> list[Finding]:
    """Return a warning for the first cue whose text (tags left out) reads back changed."""
    for (line, _, _), got, want in zip(found, texts, expected, strict=False):
        if plain_text(got) != plain_text(want):
            return [Finding("warning", line, f"{kind}-text", f"the cue reads back as {got[:60]!r}")]
    return []


_Read = TypeVar("_Read", "Document", "VTTFile")  # what our SRT and WebVTT readers return


def _read_back(
    read: Callable[[str], _Read],
    text: str,
    found: list[tuple[int, int, int]],
    doc: Document | None,
    kind: str,
    out: list[Finding],
) -> _Read | None:
    """Read `text` back with our reader and add to `out` what differs from `found` and `doc`.

    Returns what was read (it has `cues`), or None, with an error finding, when it did not read.
    """
    try:
        parsed = read(text)
    except EditorError as exc:
        out.append(Finding("error", None, f"{kind}-read-back", f"does not read back: {exc}"))
        return None
    out.extend(_compare(found, [(c.start_ms, c.end_ms) for c in parsed.cues], doc, kind))
    return parsed


def _compare(
    found: list[tuple[int, int, int]], read_back: list[tuple[int, int]], doc: Document | None, kind: str
) -> list[Finding]:
    """Compare (line, start, end) of the cues the linter saw with what the reader and `doc` hold."""
    out: list[Finding] = []
    if len(read_back) != len(found):
        out.append(
            Finding(
                "error", None, f"{kind}-read-back", f"reads back as {len(read_back)} cues, not {len(found)}"
            )
        )
    else:
        for (line, start, end), (r_start, r_end) in zip(found, read_back, strict=True):
            if (start, end) != (r_start, r_end):
                out.append(Finding("error", line, f"{kind}-read-back", "the cue reads back with other times"))
                break
    if doc is not None:
        if len(doc.cues) != len(found):
            out.append(
                Finding(
                    "error",
                    None,
                    f"{kind}-cue-count",
                    f"holds {len(found)} cues; the document has {len(doc.cues)}",
                )
            )
        else:
            for (line, start, end), cue in zip(found, doc.cues, strict=True):
                if (start, end) != (cue.start_ms, cue.end_ms):
                    out.append(
                        Finding("error", line, f"{kind}-times", "the cue's times differ from the document's")
                    )
                    break
    return out


# -- WebVTT ------------------------------------------------------------------------------------------------
def _vtt_written(text: str) -> str:
    """Return cue text as WebVTT can hold it: one kind of newline, no NUL, no blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    return "\n".join(line for line in text.split("\n") if line)


_VTT_BLANK = re.compile("")
_VTT_TS = r"(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})"
_VTT_TIMING = re.compile(rf"{_VTT_TS} --> {_VTT_TS}(?:[ \t][^\n]*)?")
# What may follow "&" and "<" in cue text our writers produce: character references and the
# cue text tags WebVTT defines (with classes and annotations), or a timestamp tag.
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
_CLASSES = r"(?:\.[^\s.<>&]+)*"
_TAG = re.compile(
    rf"<(?:/(?:c|i|b|u|v|lang|ruby|rt)|(?:c|i|b|u|ruby|rt){_CLASSES}|(?:v|lang){_CLASSES}(?:[ \t][^<>\n]*)?"
    r"|\d{2,}:[0-5]\d:[0-5]\d\.\d{3}|[0-5]\d:[0-5]\d\.\d{3})>"
)


def _vtt_text_findings(line: str, number: int) -> list[Finding]:
    out: list[Finding] = []
    if "-->" in line:
        out.append(Finding("error", number, "vtt-arrow-in-text", "'-->' inside cue text ends the cue"))
    pos = 0
    while pos < len(line):
        ch = line[pos]
        if ch == "&":
            m = _ENTITY.match(line, pos)
            if m is None:
                out.append(Finding("error", number, "vtt-escape", "unescaped '&' (write '&amp;')"))
                return out
            pos = m.end()
        elif ch == "<":
            m = _TAG.match(line, pos)
            if m is None:
                out.append(Finding("error", number, "vtt-escape", "unescaped '<' (write '&lt;')"))
                return out
            pos = m.end()
        elif ch == ">":
            out.append(Finding("error", number, "vtt-escape", "unescaped '>' (write '&gt;')"))
            return out
        else:
            pos += 1
    return out


def lint_vtt(text: str, doc: Document | None = None, options: WriteOptions | None = None) -> list[Finding]:
    """Return the findings for WebVTT `text` (see the module docstring)."""
    out: list[Finding] = []
    if text.startswith("\ufeff"):
        out.append(Finding("error", 1, "vtt-bom", "starts with a byte-order mark"))
        text = text[1:]
    first = text.split("\n", 1)[0]
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        out.append(Finding("error", 1, "vtt-signature", "the first line is not 'WEBVTT'"))
        return out
    blocks = list(_blocks(text, _VTT_BLANK))
    ids: dict[str, int] = {}
    found: list[tuple[int, int, int]] = []
    last_start = None
    for block in blocks[1:]:
        head = block.lines[0]
        if head in ("STYLE", "REGION") and not found and not any(f.code == "vtt-ffmpeg" for f in out):
            out.append(
                Finding(
                    "warning",
                    block.line,
                    "vtt-ffmpeg",
                    f"ffmpeg 5.x (Debian 12) reads no cue at all from a WebVTT file with a {head} block; "
                    "for such players export with maximum compatibility",
                )
            )
        if head in ("NOTE", "STYLE", "REGION") or head.startswith(("NOTE ", "NOTE\t")):
            for k, line in enumerate(block.lines):
                if "-->" in line:
                    out.append(
                        Finding("error", block.line + k, "vtt-arrow-in-note", "'-->' inside a NOTE block")
                    )
            continue
        timing_at = 0 if "-->" in head else 1
        if timing_at == 1:
            cue_id = head
            if cue_id in ids:
                out.append(
                    Finding(
                        "error",
                        block.line,
                        "vtt-duplicate-id",
                        f"cue id {cue_id!r} also on line {ids[cue_id]}",
                    )
                )
            else:
                ids[cue_id] = block.line
        if timing_at >= len(block.lines) or "-->" not in block.lines[timing_at]:
            if found:
                why = "text outside any cue (a blank line inside cue text?)"
                out.append(Finding("error", block.line, "vtt-stray-text", why))
            else:
                # Players skip a block before the first cue; it is usually a skipped cue kept in the header.
                out.append(
                    Finding("warning", block.line, "vtt-stray-text", "a block that is not a cue is ignored")
                )
            continue
        number = block.line + timing_at
        m = _VTT_TIMING.fullmatch(block.lines[timing_at])
        if m is None:
            out.append(
                Finding("error", number, "vtt-timestamp", "timing is not 'HH:MM:SS.mmm --> HH:MM:SS.mmm'")
            )
            continue
        start, end = _ms(*m.group(1, 2, 3, 4)), _ms(*m.group(5, 6, 7, 8))
        if end < start:
            out.append(Finding("warning", number, "vtt-end-before-start", "the cue ends before it starts"))
        if last_start is not None and start < last_start:
            out.append(Finding("error", number, "vtt-order", "the cue starts before the previous one"))
        last_start = start
        found.append((number, start, end))
        for k, line in enumerate(block.lines[timing_at + 1 :], start=number + 1):
            out.extend(_vtt_text_findings(line, k))
    if doc is not None and options is not None:
        out.extend(_dropped_markup(doc, options))
    if not errors(out):
        from editor.core.formats import vtt

        parsed = _read_back(vtt.parse_vtt, text, found, doc, "vtt", out)
        if parsed is not None and doc is not None and options is not None and options.track == "source":
            if options.speakers in ("voice", "none") and not errors(out):
                from editor.core.formats.vtt_cuetext import to_canonical

                texts = [to_canonical(c.text)[0] for c in parsed.cues]
                out.extend(_compare_texts(found, texts, [_vtt_written(c.text) for c in doc.cues], "vtt"))
    return sorted(out, key=lambda f: f.line or 0)


def _dropped_markup(doc: Document, options: WriteOptions) -> list[Finding]:
    """Return one warning naming the SubRip/ASS formatting a WebVTT export cannot show."""
    from editor.core.formats import markup

    kept = markup.formats_kept(doc) & {"srt", "ass"}
    if not kept or options.track != "source":
        return []
    dropped: dict[str, int] = {}
    cues = 0
    for cue in doc.cues:
        for format_id in kept:
            raw = markup.kept(doc, format_id, cue)
            if raw is None:
                continue
            mapped = markup.to_vtt(format_id, raw)
            lost = mapped.dropped + (["colours and positions"] if options.compatible and raw else [])
            if lost:
                cues += 1
                for item in lost:
                    dropped[item] = dropped.get(item, 0) + 1
            break
    if not dropped:
        return []
    listed = ", ".join(sorted(dropped, key=lambda k: -dropped[k])[:8])
    why = f"{cues} cue(s) lose formatting WebVTT cannot show: {listed}"
    return [Finding("warning", None, "vtt-markup-dropped", why)]


def _dropped_vtt_styling(doc: Document) -> list[Finding]:
    """Return one warning when WebVTT cues with spans (classes, <lang>, <ruby>, timestamps, more
    voices) are written to SubRip, which keeps only their words."""
    from editor.core.formats import markup

    if "vtt" not in markup.formats_kept(doc):
        return []
    cues = sum(1 for cue in doc.cues if markup.kept(doc, "vtt", cue) is not None)
    if not cues:
        return []
    why = (
        f"{cues} cue(s) lose WebVTT styling SubRip cannot show (classes, <lang>, <ruby>, "
        "karaoke timestamps, second voices): their words are kept"
    )
    return [Finding("warning", None, "srt-markup-dropped", why)]


# -- SubRip ------------------------------------------------------------------------------------------------
_SRT_BLANK = re.compile(r"[ \t]*")
_SRT_TS = r"(\d{2,}):([0-5]\d):([0-5]\d),(\d{3})"
_SRT_LOOSE_TIMING = re.compile(r"[ \t]*-?[0-9]+:[0-9]+")
_SRT_TIMING = re.compile(rf"(?P<minus1>-?){_SRT_TS} --> (?P<minus2>-?){_SRT_TS}(?:[ \t][^\n]*)?")


def lint_srt(text: str, doc: Document | None = None, options: WriteOptions | None = None) -> list[Finding]:
    """Return the findings for SubRip `text` (see the module docstring)."""
    out: list[Finding] = []
    if text.startswith("\ufeff"):
        out.append(Finding("error", 1, "srt-bom", "starts with a byte-order mark"))
        text = text[1:]
    found: list[tuple[int, int, int]] = []
    expected = 1
    last_start = None
    for block in _blocks(text, _SRT_BLANK):
        lines = block.lines
        if len(lines) < 2 or "-->" not in lines[1]:
            out.append(
                Finding(
                    "error",
                    block.line,
                    "srt-stray-text",
                    "a block without a number and timing (a blank line inside cue text?)",
                )
            )
            continue
        if lines[0].strip() != str(expected):
            out.append(
                Finding(
                    "error",
                    block.line,
                    "srt-numbering",
                    f"cue number {lines[0].strip()!r}, expected {expected}",
                )
            )
        expected += 1
        number = block.line + 1
        m = _SRT_TIMING.fullmatch(lines[1])
        if m is not None and (m["minus1"] or m["minus2"]):
            # Our reader keeps a minus sign and the writer writes it back; most players drop the cue.
            out.append(Finding("warning", number, "srt-negative", "negative time"))
        if m is None:
            out.append(
                Finding("error", number, "srt-timestamp", "timing is not 'HH:MM:SS,mmm --> HH:MM:SS,mmm'")
            )
            continue
        start, end = _ms(*m.group(2, 3, 4, 5)), _ms(*m.group(7, 8, 9, 10))
        start, end = -start if m["minus1"] else start, -end if m["minus2"] else end
        if end < start:
            out.append(Finding("warning", number, "srt-end-before-start", "the cue ends before it starts"))
        if last_start is not None and start < last_start:
            out.append(Finding("warning", number, "srt-order", "the cue starts before the previous one"))
        last_start = start
        found.append((number, start, end))
        for k, line in enumerate(lines[2:], start=number + 1):
            # Our reader keeps such a line as text (docs/srt-policy.md); other players may not.
            if "-->" in line and _SRT_LOOSE_TIMING.match(line):
                why = "a line of cue text looks like a timing line"
                out.append(Finding("warning", k, "srt-timing-in-text", why))
    if doc is not None and options is not None and options.track == "source":
        out.extend(_dropped_vtt_styling(doc))
    if not errors(out):
        from editor.core.formats import srt

        parsed = _read_back(srt.read, text, found, doc, "srt", out)
        if parsed is not None and doc is not None and options is not None and options.track == "source":
            if (options.speakers == "none" or not doc.speakers) and not errors(out):
                texts = [c.text for c in parsed.cues]
                out.extend(
                    _compare_texts(found, texts, [srt.normalise_text(c.text) for c in doc.cues], "srt")
                )
    return sorted(out, key=lambda f: f.line or 0)
