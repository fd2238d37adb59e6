"""The export linter's quick pass: proves in one scan that the full linter would find nothing.

`editor.core.lint` checks every line of an export, then reads the text back with our reader and
compares. On 100k cues that is seconds, and nearly every export is clean. This pass looks at the
rendered text the way the writer laid it out (blocks separated by exactly one empty line, one
timing line per cue, text lines after it) with whole-text scans at C speed and one light step per
cue, and answers True only when the text is in that canonical shape and passes every check the full
linter makes: signature, timings, order, ids, escapes, no `-->` or blank line in text, the same cues
and times as the document, and the text reading back unchanged. The shape is narrower than what the
reader accepts, so the read-back is implied: in it, each block is exactly one cue the reader reads
with these times and this text. Anything outside the shape (a defect, or merely an unusual file)
answers False and the full linter runs, so the findings are always the full linter's
(tests/test_lint_fast.py checks that on the corpora and on damaged texts). A check added to the
full linter must be mirrored here (or make this pass answer False), or that test fails.
"""

from __future__ import annotations

import itertools
import re
from itertools import compress, repeat
from operator import contains, lt, ne, not_, or_
from typing import TYPE_CHECKING

from editor.core import textio, timecode
from editor.core.formats import WriteOptions, markup
from editor.core.model import Document, plain_text
from editor.core.script import TAG_NAMES, TAG_RE

if TYPE_CHECKING:
    from editor.core.formats.vtt import PlainPieces


# Hours bounded so that both readers take the time (WebVTT: 9 digits; SubRip: ±100 years).
_VTT_TIMING = re.compile(
    r"([0-9]{2,9}):([0-5][0-9]):([0-5][0-9])\.([0-9]{3}) --> "
    r"([0-9]{2,9}):([0-5][0-9]):([0-5][0-9])\.([0-9]{3})(?:[ \t][^\n]*)?"
)
# The same, line by line: every line of a newline-joined list is a timing line (one C scan), and
# the groups of each line.
_VTT_TIMING_LINE = re.compile(_VTT_TIMING.pattern + r"(?:\n|\Z)")
_VTT_TIMINGS = re.compile(
    "(?:{0}\n)*{0}".format(re.sub(r"\((?!\?)", "(?:", _VTT_TIMING.pattern))  # no groups: twice as fast
)
_SRT_TIMING = re.compile(
    r"([0-9]{2,5}):([0-5][0-9]):([0-5][0-9]),([0-9]{3}) --> ([0-9]{2,5}):([0-5][0-9]):([0-5][0-9]),([0-9]{3})"
)
# What may follow "&" and "<" in WebVTT cue text (the full linter's _ENTITY and _TAG), and the
# timing arrow; whatever "&", "<" or ">" is left once these are removed is unescaped.
_VTT_TOKENS: re.Pattern[str] | None = None
# A line of only whitespace (other than the empty line): SubRip's reader ends a cue there.
_SPACE_LINE = re.compile(r"^[^\S\n]+$", re.M)
# What the SubRip reader changes in a text line: trailing blanks, upper-case tags.
_SRT_REWRITTEN = re.compile(r"[ \t](?:\n|\Z)|</?[IBU]>")


def _span_ms(m: re.Match[str]) -> tuple[int, int]:
    """Return (start, end) in ms of a matched timing line (hours, minutes, seconds, ms each)."""
    h1, m1, s1, f1, h2, m2, s2, f2 = m.groups()
    start = int(h1) * 3_600_000 + int(m1) * 60_000 + int(s1) * 1000 + int(f1)
    return start, int(h2) * 3_600_000 + int(m2) * 60_000 + int(s2) * 1000 + int(f2)


def _tokens() -> re.Pattern[str]:
    global _VTT_TOKENS
    if _VTT_TOKENS is None:
        from editor.core.lint import _ENTITY, _TAG

        _VTT_TOKENS = re.compile(f"{_ENTITY.pattern}|{_TAG.pattern}|-->")
    return _VTT_TOKENS


# The tags the WebVTT writer keeps in escaped text (vtt._escape_text).
_WRITER_TAGS = tuple(f"<{close}{name}>" for name in TAG_NAMES for close in ("", "/"))


def _escaped_only(text: str) -> bool:
    """Return True when every "&" of `text` opens "&amp;", "&lt;" or "&gt;", every "<" opens a
    tag of _WRITER_TAGS and every ">" closes one: then `_tokens()` takes every "&", "<" and ">"
    out of it, and the scan need not run (the writer's text, checked by counting: a third of the
    time). False says nothing: the scan decides."""
    tags = sum(map(text.count, _WRITER_TAGS))
    if text.count("<") != tags or text.count(">") != tags:
        return False
    return text.count("&") == text.count("&amp;") + text.count("&lt;") + text.count("&gt;")


def _body_blocks(text: str, head_end: int) -> list[str] | None:
    """Return the blocks after the header (text split at its empty lines), or None when the
    text has runs of empty lines, ends without exactly one newline, or has CR or NUL."""
    if "\r" in text or "\0" in text or not text.endswith("\n") or text.endswith("\n\n"):
        return None
    body = text[head_end:-1]
    if not body or "\n\n\n" in body or body.startswith("\n"):
        return None
    return body.split("\n\n")


def _keeps_markup(doc: Document | None) -> bool:
    """Return True when the document keeps formatting of the format it was read from: whether an
    export drops some of it depends on the document, not on the text, so the full checks decide."""
    return doc is not None and bool(markup.formats_kept(doc))


def vtt_clean(text: str, doc: Document | None = None, options: WriteOptions | None = None) -> bool:
    """Return True when `lint.lint_vtt(text, doc, options)` would return no finding at all.

    False means "not proven": the caller runs the full linter.
    """
    if _keeps_markup(doc):
        return False
    first, sep, _ = text.partition("\n")
    if not sep or not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        return False
    head_end = text.find("\n\n")
    if head_end < 0:
        return False
    blocks = _body_blocks(text, head_end + 2)
    if blocks is None or len(blocks) > textio.MAX_CUES:
        return False
    body = text[head_end + 2 :]
    leftover = _tokens().sub("", body)
    if "&" in leftover or "<" in leftover or ">" in leftover:
        return False
    compare_text = (
        doc is not None
        and options is not None
        and options.track == "source"
        and options.speakers in ("voice", "none")
    )
    if doc is not None and options is not None and options.track == "source":
        if markup.formats_kept(doc) & {"srt", "ass"}:
            return False  # SubRip/ASS formatting a WebVTT export may drop: the full check says
    # One step per block splits it into timing line and text; the timing lines are then checked,
    # read and compared all at once.
    heads: list[str] = []
    raws: list[str] = []
    ids: set[str] = set()
    for block in blocks:
        head, nl, raw = block.partition("\n")
        if "-->" not in head:
            if head.startswith(("NOTE ", "NOTE\t")) or head == "NOTE":
                continue  # a note; a "-->" in it is caught by the count below
            if not nl or head in ("STYLE", "REGION") or head in ids:
                return False
            ids.add(head)
            head, nl, raw = raw.partition("\n")
            if "-->" not in head:
                return False
        heads.append(head)
        raws.append(raw)
    cues = doc.cues if doc is not None else None
    k = len(heads)
    if cues is not None and k != len(cues):
        return False
    if k:
        joined = "\n".join(heads)
        if _VTT_TIMINGS.fullmatch(joined) is None:
            return False
        starts, ends = _times(joined, k)
        ends_early = any(e < s for s, e in zip(starts, ends, strict=True))
        if ends_early or any(b < a for a, b in itertools.pairwise(starts)):
            return False
        if cues is not None:
            if starts != [c.start_ms for c in cues] or ends != [c.end_ms for c in cues]:
                return False
            if compare_text:
                for raw, cue in zip(raws, cues, strict=True):
                    if raw != cue.text or "&" in raw or "<" in raw:
                        if not _vtt_text_reads_back(raw, cue.text):
                            return False
    # Every "-->" is on a timing line: none in the header, an id, a note, settings or cue text.
    return text.count("-->") == k


def vtt_pieces_clean(
    text: str, pieces: PlainPieces, doc: Document, options: WriteOptions | None = None
) -> bool:
    """Return `vtt_clean(text, doc, options)` for a text the WebVTT writer assembled from `pieces`
    (vtt.write_with_pieces): the same checks, made on the pieces the writer holds instead of on
    blocks cut out of the text again, with whole-list steps instead of one per cue.

    The pieces are the written text's parts (their lengths are checked against it); timing
    lines are matched and read back from the text of the timing lines, not taken from the
    document, and cue text is scanned for what `vtt_clean` rejects.
    """
    if _keeps_markup(doc) or not text.startswith("WEBVTT\n\n"):
        return False
    timings, texts, joined = pieces.timings, pieces.texts, pieces.joined
    k = len(timings)
    if not k or k > textio.MAX_CUES or k != len(doc.cues) or k != len(texts):
        return False
    heads = "\n".join(timings)
    # What body() lays out: header, each timing line and its text (none empty: no line), one
    # empty line between blocks. Any other text is not from these pieces: the full checks.
    with_text = sum(map(bool, texts))
    if len(text) != 8 + len(heads) + len(joined) + with_text + 1:
        return False
    if "\r" in joined or "-->" in joined:
        return False
    if (textio.breaks_in_texts_bulk if timecode.numpy_pays(k) else textio.breaks_in_texts)(joined):
        return False
    if joined.startswith("\n") or joined.endswith("\n"):
        return False
    # Which texts hold "&" or "<": scanned for what is left outside entities and tags, and (below)
    # read back. A token never spans two texts, so only the texts holding "&", "<" or ">" are scanned.
    with_amp = list(map(contains, texts, repeat("&")))
    with_lt = list(map(contains, texts, repeat("<")))
    if "&" in joined or "<" in joined or ">" in joined:
        marked = map(or_, map(or_, with_amp, with_lt), map(contains, texts, repeat(">")))
        scanned = "\n".join(compress(texts, marked))
        if not _escaped_only(scanned):
            leftover = _tokens().sub("", scanned)
            if "&" in leftover or "<" in leftover or ">" in leftover:
                return False
    # NumPy reads the times only of lines of exactly the fixed shape (what _fixed_timings accepts).
    times = timecode.fixed_timing_ms(heads, k, ".") if timecode.numpy_pays(k) else None
    if times is None:
        if not _fixed_timings(heads, k) and (
            _VTT_TIMINGS.fullmatch(heads) is None or heads.count("-->") != k
        ):
            return False
        times = _times(heads, k)
    starts, ends = times
    if any(map(lt, ends, starts)) or any(map(lt, starts[1:], starts)):
        return False
    cues = doc.cues
    # The writer's pieces hold the document's times and texts, taken from its cues.
    if starts != pieces.starts or ends != pieces.ends or len(pieces.sources) != len(cues):
        return False
    if options is not None and options.track == "source" and options.speakers in ("voice", "none"):
        # A text that differs from the cue's or holds a tag must read back to it (escaped or kept).
        originals = pieces.sources
        differs = map(or_, map(ne, texts, originals), map(or_, with_amp, with_lt))
        changed = list(compress(range(k), differs))
        if not _texts_read_back([texts[i] for i in changed], [originals[i] for i in changed]):
            return False
    return True


# An innermost pair of the same tag around text with no tag (texts joined by NUL).
_PAIR_RE = re.compile(r"<([ibu])>([^<\0]*)</\1>")
assert _PAIR_RE.pattern.startswith("<([" + TAG_NAMES + "])>")


def _texts_read_back(raws: list[str], originals: list[str]) -> bool:
    """Return whether `_vtt_text_reads_back(raw, text)` holds for every pair of `raws` and
    `originals` (texts without NUL, CR or empty lines), checked together where the reader's
    simple path is sure to read them, the others one by one.

    A raw text whose only "<" open well-nested <i>/<b>/<u> tags (found by taking innermost
    pairs out, as often as tags nest) is read as the text decoded (vtt_cuetext.canonical_text_simple),
    and a decoding makes no tag (a "<" it makes came from text, which the writer escapes whole):
    the texts without tags then compare decoded in one pass, a character reference never
    spanning the NUL between them. "&#" (which the escaping never writes) and any pair the
    joined comparison does not prove go one by one.
    """
    from editor.core.formats.vtt_cuetext import decode_escaped

    together = "\0".join(raws)
    one_by_one = [True] * len(raws)
    if "&#" not in together:
        nested_ok = [True] * len(raws)
        if "<" in together:
            if "<" in TAG_RE.sub("", together):
                return all(map(_vtt_text_reads_back, raws, originals))
            reduced = together
            for _ in range(32):
                fewer = _PAIR_RE.sub(r"\2", reduced)
                if fewer == reduced:
                    break
                reduced = fewer
            nested_ok = list(map(not_, map(contains, reduced.split("\0"), repeat("<"))))
        good_raws = "\0".join(compress(raws, nested_ok))
        good_texts = "\0".join(compress(originals, nested_ok))
        if decode_escaped(TAG_RE.sub("", good_raws)) == plain_text(good_texts):
            one_by_one = list(map(not_, nested_ok))
    return all(map(_vtt_text_reads_back, compress(raws, one_by_one), compress(originals, one_by_one)))


# "HH:MM:SS.mmm --> HH:MM:SS.mmm\n": where each character of a timing line with two-digit hours
# and no settings is, "d" a digit, "5" a digit up to 5.
_FIXED_TIMING = "dd:5d:5d.ddd --> dd:5d:5d.ddd\n"


def _fixed_timings(joined: str, k: int) -> bool:
    """Return True when each of the `k` newline-joined lines of `joined` is a timing line with
    two-digit hours and no settings (then each matches _VTT_TIMING): checked one column at a time
    on slices of the fixed-width text, at C speed, instead of matching every line. False says
    nothing: the regular expression decides then."""
    width = len(_FIXED_TIMING)
    if len(joined) != width * k - 1:
        return False
    for col, kind in enumerate(_FIXED_TIMING):
        column = joined[col::width]
        if kind == "d" or kind == "5":
            if not (column.isascii() and column.isdigit()) or (kind == "5" and max(column) > "5"):
                return False
        elif column != kind * len(column):
            return False
    return True


def _times(joined: str, k: int) -> tuple[list[int], list[int]]:
    """Return the start and end times in ms of the `k` newline-joined timing lines `joined`
    (each one matches _VTT_TIMING)."""
    fixed = timecode.fixed_timing_ms(joined, k, ".") if timecode.numpy_pays(k) else None
    if fixed is not None:  # all with two-digit hours and no settings: read at once (NumPy)
        return fixed
    if joined.count(" ") == 2 * k and "\t" not in joined:
        # No settings: every line is "HH:MM:SS.mmm --> HH:MM:SS.mmm", so without its ":" and "." each
        # time is the number HHMMSSmmm (C-speed scans); minutes and seconds are below 60.
        numbers = map(int, joined.replace(":", "").replace(".", "").replace(" --> ", "\n").split("\n"))
        ms = [v - 6_400_000 * (v // 10_000_000) - 40_000 * (v // 100_000 % 100) for v in numbers]
        return ms[0::2], ms[1::2]
    found = _VTT_TIMING_LINE.findall(joined)
    starts = [int(h) * 3_600_000 + int(m) * 60_000 + int(s) * 1000 + int(f) for h, m, s, f, *_ in found]
    ends = [int(h) * 3_600_000 + int(m) * 60_000 + int(s) * 1000 + int(f) for *_, h, m, s, f in found]
    return starts, ends


def _vtt_text_reads_back(raw: str, text: str) -> bool:
    from editor.core.formats.vtt_cuetext import to_canonical
    from editor.core.lint import _vtt_written

    return plain_text(to_canonical(raw)[0]) == plain_text(_vtt_written(text))


def srt_clean(text: str, doc: Document | None = None, options: WriteOptions | None = None) -> bool:
    """Return True when `lint.lint_srt(text, doc, options)` would return no finding at all.

    False means "not proven": the caller runs the full linter.
    """
    if not text or text.startswith("\ufeff") or _keeps_markup(doc):
        return False
    blocks = _body_blocks(text, 0)
    if blocks is None or len(blocks) > textio.MAX_CUES:
        return False
    if _SPACE_LINE.search(text) or _SRT_REWRITTEN.search(text):
        return False
    if ("<" in text or "{" in text) and markup.SRT_MARKUP_RE.search(text):
        return False  # the reader takes <font>, <s> and {\...} out of the text it reads back
    compare_text = (
        doc is not None
        and options is not None
        and options.track == "source"
        and (options.speakers == "none" or not doc.speakers)
    )
    cues = doc.cues if doc is not None else None
    if cues is not None and len(cues) != len(blocks):
        return False
    timing = _SRT_TIMING.fullmatch
    last_start = -1
    for k, block in enumerate(blocks):
        parts = block.split("\n", 2)
        if len(parts) < 2 or parts[0] != str(k + 1):
            return False
        m = timing(parts[1])
        if m is None:
            return False
        start, end = _span_ms(m)
        if end < start or start < last_start:
            return False
        last_start = start
        if cues is not None:
            cue = cues[k]
            if cue.start_ms != start or cue.end_ms != end:
                return False
            if compare_text:
                raw = parts[2] if len(parts) > 2 else ""
                if raw != cue.text:
                    from editor.core.formats.srt import normalise_text

                    if raw != normalise_text(cue.text):
                        return False
    return text.count("-->") == len(blocks)
