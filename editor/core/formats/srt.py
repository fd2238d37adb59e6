"""SubRip (.srt) reader and writer.

pysrt is the library the project is specified with, and this module started as an
adapter around it. Measured and checked against the conformance corpus, pysrt's
parsing could not be kept (docs/srt-policy.md has the numbers and cases):

* `SubRipTime.from_string` drops minus signs (`-00:00:06,843` becomes +6.843 s),
  reads `,04` as 4 ms, rejects `00:00:02` and `00:00,000`, and turns garbage such
  as `ab:cd:ef,ghi` into a 0 s cue;
* `SubRipFile.from_string` splits on every `str.splitlines` separator (U+2028,
  U+0085, form feed ...), so such characters in cue text change the cue;
* every time pysrt computes has to be parsed again from the raw line, so an adapter
  (1.0-1.7 s for 100k cues here) costs 2-3x this module (0.44-0.65 s) for nothing.

So blocks and timestamps are parsed here with one regular expression per timing
line, following the block rules pysrt itself uses (a blank line ends a cue, the
index line is optional, text after the end time is a display position). pysrt's
`SubRipItem.split_timestamps` is still the reference for a timing line's layout: the
test suite checks that our split agrees with it on every corpus timing line.

Policies (each is tested; docs/srt-policy.md says why):

* A blank or whitespace-only line ends a cue. Blocks without a valid timing line
  are skipped and listed in `doc.notes` (line number and content), never turned
  into 0 s cues. A non-empty file without a single cue is a ParseError.
* Timestamps: optional minus sign (kept), optional hours, `,` or `.` before a
  *decimal* fraction of 1-9 digits (`,04` = 40 ms), fraction optional.
* Text: `<i> <b> <u>` (any case) are the canonical tags; every other character,
  including `<font ...>`, `{\\an8}` and `&amp;`, is kept literally (SRT has no
  entities). Trailing spaces and tabs of each line are dropped; NUL becomes U+FFFD.
* Display coordinates after the end time (`X1:10 X2:710 ...`) are kept on the cue
  (`Cue.srt_position`), so an SRT round trip loses nothing and a split cue keeps them.
"""

from __future__ import annotations

import re

from editor.core import script, textio, timecode
from editor.core.errors import ParseError
from editor.core.formats import ModuleFormat, ReadOptions, WriteOptions, markup, readlog
from editor.core.formats.tracks import names_cue, prefix_speaker, track_text, with_prefix
from editor.core.model import Cue, CueColumns, Document
from editor.core.patterns import compile_on_first_use
from editor.core.speakers import split_dialogue

# [-][H+:]M+:S+[(,|.)fraction]; hours optional (ExoPlayer), fraction optional (ExoPlayer, go-astisub).
_TS = r"(-?)(?:(\d{1,9}):)?(\d{1,9}):(\d{1,9})(?:[,.](\d{1,9}))?"
_TIMING_RE = re.compile(rf"[ \t]*{_TS}[ \t]*-->[ \t]*{_TS}((?:[ \t].*)?)")
# The exact shape every well-formed file uses; checked by guess().
_STRICT_TIMING_RE = compile_on_first_use(
    r"^[ \t]*-?\d+:\d\d:\d\d,\d\d\d[ \t]*-->[ \t]*-?\d+:\d\d:\d\d,\d\d\d", re.M
)
_ANY_TIMING_RE = compile_on_first_use(rf"^{_TIMING_RE.pattern}$", re.M)
# Something a timing line would hold, to tell a broken timing line from a missing one.
_TIME_LIKE_RE = compile_on_first_use(r"\d:\d\d|->")
_UPPER_TAG_RE = compile_on_first_use(r"</?[IBU]>")
# "Name: text" / "Name：text" at the start of a cue (only with ReadOptions.speaker_prefixes).
_SPEAKER_RE = compile_on_first_use(r"([^\W\d_][\w.'’\- ]{0,39}?)[ \t]*(?::(?:[ \t]+|(?=\n)|\Z)|：[ \t]*)")
# Times beyond ±100 years are certainly corrupt (the project file has the same bound).
MAX_ABS_MS = 100 * 365 * 24 * 3600 * 1000
# Text the writer must clean: CR or NUL, a space/tab before a line end, a blank or
# whitespace-only line (str.isspace and the regex \s agree on what whitespace is).
_DIRTY_RE = compile_on_first_use(r"[\r\x00]|[ \t](?:\n|\Z)|(?:\A|\n)\s*(?:\n|\Z)")
# How many skipped blocks doc.notes lists in full, and how much of each.
_MAX_NOTED_BLOCKS = 50
_MAX_NOTED_CHARS = 300
_GUESS_CHARS = 65_536


def _fraction_ms(digits: str | None) -> int:
    # A decimal fraction of a second: ",4" = 400 ms, ",04" = 40 ms, ",0405" = 40 ms (truncated).
    if not digits:
        return 0
    if len(digits) == 3:
        return int(digits)
    return int(digits[:3].ljust(3, "0"))


def _timing(m: re.Match[str]) -> tuple[int, int, str]:
    """Return (start_ms, end_ms, position text) of a matched timing line."""
    s_sign, s_h, s_m, s_s, s_f, e_sign, e_h, e_m, e_s, e_f, position = m.groups()
    start = ((int(s_h or 0) * 60 + int(s_m)) * 60 + int(s_s)) * 1000 + _fraction_ms(s_f)
    end = ((int(e_h or 0) * 60 + int(e_m)) * 60 + int(e_s)) * 1000 + _fraction_ms(e_f)
    return (-start if s_sign else start), (-end if e_sign else end), position.rstrip()


def _fix_line(line: str) -> str:
    """Return a text line as the reader keeps it (no trailing blanks, canonical tags, no NUL)."""
    line = line.rstrip(" \t")
    if "<" in line and _UPPER_TAG_RE.search(line):
        line = _UPPER_TAG_RE.sub(lambda m: m.group().lower(), line)
    return line


def normalise_text(text: str) -> str:
    """Return `text` as it comes back after an SRT write and read.

    SRT cannot hold a blank or whitespace-only line inside a cue (it would end the
    cue), trailing spaces or tabs, or a NUL; upper-case <I>/<B>/<U> read back as the
    canonical lower-case tags, and CR/CRLF newlines become LF.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    lines = [_fix_line(line) for line in text.split("\n") if line and not line.isspace()]
    text = "\n".join(lines)
    if ("<" in text or "{" in text) and markup.SRT_MARKUP_RE.search(text):
        text = without_markup(text)
    return text


def without_markup(text: str) -> str:
    """Return SubRip cue text as canonical text: <font>, <s> and {\\...} markup taken out (until
    none is left), then the lines that leaves blank dropped and trailing blanks removed."""
    while markup.SRT_MARKUP_RE.search(text):
        text = markup.strip_srt_markup(text)
        text = "\n".join(line.rstrip(" \t") for line in text.split("\n") if line and not line.isspace())
    return text


def _clean_for_write(text: str) -> str:
    # One regex scan finds what SRT cannot hold: CR, NUL, trailing blanks, blank lines.
    if not text or _DIRTY_RE.search(text) is None:
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return "\n".join(line.rstrip(" \t") for line in text.split("\n") if line and not line.isspace())


def guess(text: str) -> int:
    """Return how sure we are that `text` is SubRip: 90 with comma timing lines, 40 with
    looser ones (`.` or no milliseconds), 0 for WebVTT or anything else."""
    sample = text[:_GUESS_CHARS].lstrip("\ufeff \t\r\n")
    if sample.startswith("WEBVTT"):
        return 0
    if "-->" not in sample:
        return 0
    sample = sample.replace("\r\n", "\n").replace("\r", "\n")
    if _STRICT_TIMING_RE.search(sample):
        return 90
    if _ANY_TIMING_RE.search(sample):
        return 40
    return 0


def _describe(lines: list[str], limit: int = _MAX_NOTED_CHARS) -> str:
    text = " / ".join(line.strip() for line in lines)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _split_speaker(text: str) -> tuple[str | None, str]:
    """Return (speaker name or None, text without the prefix) for a `Name: text` cue."""
    m = _SPEAKER_RE.match(text)
    if m is None:
        return None, text
    name = m.group(1).strip()
    rest = text[m.end() :]
    if rest.startswith("\n"):
        rest = rest[1:]
    if not name or not rest.strip():
        # "Note:" alone, or a name with nothing said, is text, not a speaker turn.
        return None, text
    return name, rest


def read(text: str, options: ReadOptions | None = None) -> Document:
    """Parse SubRip text into a new Document (cues in file order).

    Returns an empty Document for empty or blank text. Blocks without a valid timing
    line are skipped and described in `doc.notes`. Raises ParseError (with the line of
    the first problem) when the text is not blank but holds no cue at all.
    """
    options = options or ReadOptions()
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    doc = Document()
    cues = doc.cues
    skipped: list[tuple[int, str, list[str]]] = []
    joined: list[tuple[int, str]] = []
    canonical = None
    time_columns: list = []  # the NumPy pass's (starts, ends) of each piece, kept by the document
    if timecode.numpy_pays(len(text) // _CHARS_PER_CUE):  # (an estimate: it decides NumPy's import)
        canonical = _canonical_cues_columns(text, time_columns)  # (None for a text with a NUL: see below)
        if canonical is None:
            time_columns.clear()  # (the pieces read before one that failed)
    if canonical is None:
        if "\x00" in text:  # (a scan of its own, ~4 ms of a 100k-cue file, which the NumPy pass saves)
            # As the WebVTT parser does: keep the file readable, show where a NUL was.
            text = text.replace("\x00", "\ufffd")
        canonical = _canonical_cues_bulk(text)
    if canonical is not None:
        doc.extend(canonical)
        if time_columns:
            _keep_columns(doc, time_columns)
        lines: list[str] = []
    else:
        lines = textio.split_lines(text)
    append = doc.append
    match = _TIMING_RE.fullmatch
    n = len(lines)
    i = 0
    next_id = 1
    max_id = textio.MAX_CUES + 1
    while i < n:
        line = lines[i]
        if not line or line.isspace():
            i += 1
            continue
        start = i
        i += 1
        while i < n and (line := lines[i]) and not line.isspace():
            i += 1
        # lines[start:i] is one block: [index], timing, text...
        m = match(lines[start])
        body = start + 1
        if m is None:
            if i - start >= 2 and (m := match(lines[start + 1])) is not None:
                body = start + 2
            else:
                line_no, reason = _block_problem(lines, start, i)
                block = lines[start:i]
                if block[0].strip().isdigit():
                    block = block[1:]  # its index line: a number, not words
                if cues and block and not reason.startswith("malformed"):
                    # Text without a timing line after a cue: ffmpeg (and so mpv) shows it as
                    # more lines of that cue; keep it there, visible and exported, and say so.
                    previous = cues[-1]
                    added = "\n".join(_fix_line(x) for x in block)
                    previous.text = f"{previous.text}\n{added}" if previous.text else added
                    joined.append((line_no, _describe(lines[start:i], 80)))
                else:
                    skipped.append((line_no, reason, lines[start:i]))
                continue
        # A timing line inside the text starts a new cue, with the number line before it as
        # its index (ffmpeg, VLC and Subtitle Edit read it so; docs/srt-policy.md).
        for k in range(body, i):
            if "-->" in lines[k] and match(lines[k]) is not None:
                cut = k - 1 if k - 1 >= body and lines[k - 1].strip().isdigit() else k
                if cut > start:
                    i = cut
                    break
        start_ms, end_ms, position = _timing(m)
        if not (-MAX_ABS_MS <= start_ms <= MAX_ABS_MS and -MAX_ABS_MS <= end_ms <= MAX_ABS_MS):
            reason = f"time out of range (beyond ±100 years) in {_describe([m.group()], 80)!r}"
            skipped.append((body, reason, lines[start:i]))
            continue
        if body == i:
            cue_text = ""
        elif body + 1 == i:
            cue_text = _fix_line(lines[body])
        else:
            cue_text = "\n".join([_fix_line(x) for x in lines[body:i]])
        cue = Cue(next_id, start_ms, end_ms, cue_text)
        if position:
            cue.srt_position = position
        append(cue)
        next_id += 1
        if next_id > max_id:
            raise textio.too_many_cues(start + 1)
    if not cues:
        if skipped:
            line_no, reason, _ = skipped[0]
            raise ParseError(f"no SubRip cue found; first problem: {reason}", line_no)
        return doc  # blank text: an empty document (ExoPlayer's decodeEmpty)
    extra = doc.metadata.extra
    marked = _strip_markup(cues) if _may_hold_markup(text) else []
    if options.speaker_prefixes:
        for cue in cues:
            name, rest = _split_speaker(cue.text)
            if name is not None:
                cue.speaker_id = doc.ensure_speaker(name).id
                cue.text = rest
    for cue_id, raw in marked:
        cue = doc.cue(cue_id)
        if cue.speaker_id is None:
            markup.keep(extra, "srt", cue_id, cue.text, None, raw)
    doc.notes = _notes(skipped)
    readlog.record(doc, _log(skipped, joined))
    return doc


# A block as every well-made file writes it: number, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, text lines,
# then one empty line (or the end). Hours up to 5 digits stay within MAX_ABS_MS.
_CANONICAL_BLOCK = compile_on_first_use(
    r"[0-9]+\n([0-9]{2,5}:[0-5][0-9]):([0-5][0-9]),([0-9]{3}) --> "
    r"([0-9]{2,5}:[0-5][0-9]):([0-5][0-9]),([0-9]{3})(?:\n([^\n]*\S(?:\n[^\n]*\S)*))?(?:\n\n|\n?\Z)"
)
# What makes the line-by-line reader do more than the canonical pass: a whitespace-only line (it
# ends a cue), trailing blanks or upper-case tags (rewritten); a run of empty lines.
# The block patterns refuse all but the tags themselves: each text line ends in a character that
# is not whitespace (`[^\n]*\S`, the regex's whitespace being str.isspace's), so a blank or
# whitespace-only line leaves text between two blocks, or a block unmatched, and both passes
# return None. That costs the split ~1 ms of a 10 MB file; scanning for those lines separately
# (substring tests and short patterns) cost ~30 ms.
_UPPER_TAG = re.compile(r"</?[IBU]>")


def _not_canonical(text: str) -> bool:
    """Return True when `text` has an upper-case tag (the line loop rewrites it). Whitespace-only
    lines, lines ending in a blank and runs of empty lines the block patterns refuse themselves."""
    return "<" in text and _UPPER_TAG.search(text) is not None


def _canonical_cues(text: str) -> list[Cue] | None:
    """Return the cues of `text` when it is all canonical blocks (then they are exactly the cues the
    line-by-line loop makes, with no notes), or None: the loop reads it.

    One regular expression per block instead of a Python step per line: a 100k-cue file reads in
    about half the time.
    """
    if not text or text[0] == "\n" or _not_canonical(text):
        return None
    cues: list[Cue] = []
    append = cues.append
    pos = 0
    cue_id = 1
    match = _CANONICAL_BLOCK.match
    # "HH:MM" -> ms: consecutive cues share their hour and minute, so most times cost two int()
    # calls instead of four (a third of the read of a 100k-cue file).
    minutes: dict[str, int] = {}
    # Anchored at each block's end: a search (finditer) would try again at every later position
    # of a long malformed line, quadratic in its length.
    end = len(text)
    while pos < end and (m := match(text, pos)) is not None:
        pos = m.end()  # a match is never empty: it holds a whole timing line
        hm1, s1, f1, hm2, s2, f2, body = m.groups()
        base1 = minutes.get(hm1)
        if base1 is None:
            h, _, mm = hm1.partition(":")
            base1 = minutes[hm1] = int(h) * 3_600_000 + int(mm) * 60_000
        base2 = minutes.get(hm2)
        if base2 is None:
            h, _, mm = hm2.partition(":")
            base2 = minutes[hm2] = int(h) * 3_600_000 + int(mm) * 60_000
        append(Cue(cue_id, base1 + int(s1) * 1000 + int(f1), base2 + int(s2) * 1000 + int(f2), body or ""))
        cue_id += 1
    # Every "-->" on a timing line: none in cue text (the loop notes those cues).
    if pos != len(text) or len(cues) > textio.MAX_CUES or text.count("-->") != len(cues):
        return None
    return cues


# _CANONICAL_BLOCK at the start of a line (where every block starts), with the timing line as
# one group: re.split cuts a whole text into blocks in one scan, at C speed.
_CANONICAL_SPLIT = re.compile(
    r"^[0-9]+\n([0-9]{2,5}:[0-5][0-9]:[0-5][0-9],[0-9]{3} --> [0-9]{2,5}:[0-5][0-9]:[0-5][0-9],[0-9]{3})"
    r"(?:\n([^\n]*\S(?:\n[^\n]*\S)*))?(?:\n\n|\n?\Z)",
    re.M,
)


def _canonical_cues_bulk(text: str) -> list[Cue] | None:
    """Return `_canonical_cues(text)` with whole-text steps instead of a Python step per block:
    one split into blocks (nothing may lie between them), the times of all timing lines read
    as numbers at once, the cues made by one map. Tests compare the two."""
    if not text or text[0] == "\n" or _not_canonical(text):
        return None
    parts = _CANONICAL_SPLIT.split(text)
    # parts: text before the first block, then (timing line, text or None, text before the next
    # block) per block. Every block follows the one before it directly when no such text is left.
    if any(parts[0::3]):
        return None
    timings, bodies = parts[1::3], parts[2::3]
    k = len(timings)
    if not k or k > textio.MAX_CUES or text.count("-->") != k:
        return None
    if None in bodies:
        bodies = [body or "" for body in bodies]
    joined = "\n".join(timings)
    # Two-digit hours everywhere (the usual file): all times read at once (NumPy), else one by one.
    times = (timecode.numpy_pays(k) and timecode.fixed_timing_ms(joined, k, ",")) or _timing_ms(joined)
    return list(map(Cue, range(1, k + 1), times[0], times[1], bodies))


# A character the block patterns' `\S` refuses: what no text line may end with.
_WHITESPACE = re.compile(r"\s")
# How many characters a cue takes in a usual file, to tell from a text's length whether NumPy pays.
_CHARS_PER_CUE = 80
# The longest index line the NumPy pass reads (longer ones: the regex passes).
_MAX_INDEX_DIGITS = 12
# How much text the NumPy pass reads at a time (characters).
_PIECE_CHARS = 1 << 20


def _code_units(text: str):  # -> a 1-D NumPy array, one unsigned element per character of `text`
    """Return the code points of `text` in as small a type as holds them: ASCII bytes, else
    script.code_units' 16 or 32 bits."""
    import numpy as np

    if text.isascii():
        return np.frombuffer(text.encode("ascii"), np.uint8)
    return script.code_units(text)


def _canonical_cues_columns(text: str, times_out: list | None = None) -> list[Cue] | None:
    """Return `_canonical_cues(text)` from NumPy passes over the text's characters when every
    timing line is fixed-width ("HH:MM:SS,mmm --> HH:MM:SS,mmm") and every index line at most
    _MAX_INDEX_DIGITS digits, else None (then `_canonical_cues_bulk` decides). None also when
    the text holds a NUL (it does read as `_canonical_cues`, but read() replaces NULs first).

    The blocks are found from the positions of the newlines (a block ends at an empty line), each
    block's index and timing lines are checked as columns, the character before every newline
    of a text is checked not to be whitespace (what the block patterns' `\\S` refuses), and only
    the texts are cut out as strings: no string per timing line or per block, which the regex
    split makes. It reads a piece of about _PIECE_CHARS at a time (cut at an empty line): the
    arrays of a piece are a few MB, which the allocator reuses from one piece to the next,
    where arrays of the whole text (~60 MB for a 100k-cue file) would each be new pages for the
    kernel to fault in. Tests compare it with `_canonical_cues`.
    """
    if not text or text[0] == "\n":  # (_not_canonical's upper-case tags: _piece_cues finds them)
        return None
    # The last block may end with one newline or with an empty line, as the block pattern allows.
    end = len(text) - (2 if text.endswith("\n\n") else 1 if text.endswith("\n") else 0)
    cues: list[Cue] = []
    start = 0
    while True:
        stop = text.find("\n\n", start + _PIECE_CHARS, end) if end - start > _PIECE_CHARS else -1
        stop = end if stop < 0 else stop
        piece = _piece_cues(text[start:stop], len(cues) + 1, times_out)
        if piece is None:
            return None
        cues += piece
        if len(cues) > textio.MAX_CUES:
            return None
        if stop == end:
            break
        start = stop + 2  # past the empty line; a third newline starts the next piece and fails it
    return cues


def _keep_columns(doc: Document, pieces: list) -> None:
    """Give `doc` (just filled by the NumPy pass, ids 1..n) its cues' columns: the starts and ends
    of `pieces` joined, so the timeline's and QC's indexes and duration_ms do not read them from
    100k Cue objects again. No cue of the pass has a translation or estimated timing."""
    import numpy as np

    starts = np.concatenate([p[0] for p in pieces])
    ends = np.concatenate([p[1] for p in pieces])
    ids = np.arange(1, len(starts) + 1, dtype=np.int64)
    doc.keep_read_columns(CueColumns(ids, starts, ends, translated=False, estimated=False))


def _piece_cues(piece: str, first_id: int, times_out: list | None = None) -> list[Cue] | None:
    """Return the cues of `piece`, blocks parted by one empty line with no newline before the
    first or after the last, numbered from `first_id`, or None (see _canonical_cues_columns).
    None too for a piece with a NUL (read() replaces those first), with a "-->" off the timing
    lines (the line loop notes such cues) or with an upper-case tag (`_not_canonical`): these
    checks ride on the passes for newlines and ">", where scans of the whole text took ~13 ms of
    a 100k-cue file. `times_out`, when given, gets the piece's (starts, ends) int64 arrays."""
    if not piece or piece[0] == "\n" or piece[-1] == "\n":
        return None
    import numpy as np

    end = len(piece)
    units = _code_units(piece)
    newlines = np.flatnonzero(units <= 10)  # newlines, tabs and the rarer control characters
    if len(newlines):
        kinds = units[newlines]
        if not kinds.all():  # a NUL
            return None
        if not (kinds == 10).all():
            newlines = newlines[kinds == 10]
    if not len(newlines):
        return None
    # Blocks are parted by exactly one empty line: a newline right after another, never three.
    empty = newlines[:-1][newlines[1:] - newlines[:-1] == 1]
    if len(empty) > 1 and (empty[1:] - empty[:-1] == 1).any():
        return None
    k = len(empty) + 1
    starts = np.empty(k, np.int64)
    starts[0], starts[1:] = 0, empty + 2
    ends = np.empty(k, np.int64)
    ends[:-1], ends[-1] = empty, end
    stops = np.append(newlines, end)  # where each line ends (the last at the end of the piece)
    first = np.searchsorted(stops, starts)  # each block's index line
    index_end = stops[first]
    if (index_end >= ends).any():  # a block of one line
        return None
    timing_start, timing_end = index_end + 1, stops[first + 1]
    if (timing_end - timing_start != 29).any():
        return None
    windows = np.lib.stride_tricks.sliding_window_view  # rows of a fixed width, copied by one gather
    # Each block now holds its index line, a newline and 29 characters: the widest index fits.
    widths = index_end - starts
    if int(widths.min()) < 1 or int(widths.max()) > _MAX_INDEX_DIGITS:
        return None
    columns = np.arange(int(widths.max()))
    index_chars = windows(units, len(columns))[starts]
    if ((index_chars - index_chars.dtype.type(48) > 9) & (columns < widths[:, None])).any():
        return None
    time_columns = timecode.fixed_rows_ms_arrays(windows(units, 29)[timing_start], ",")
    if time_columns is None:
        return None
    # Each timing line holds one "-->" (its columns were checked): any other is in a text. An
    # upper-case tag (_not_canonical) ends with ">" too: both are found from the ">"s.
    ends_gt = np.flatnonzero(units[2:] == 62)  # a ">" at ends_gt + 2, its two characters before
    two_back, one_back = units[ends_gt], units[ends_gt + 1]
    if np.count_nonzero((two_back == 45) & (one_back == 45)) != k:
        return None
    tags = ends_gt[(one_back == 73) | (one_back == 66) | (one_back == 85)]  # "I>", "B>", "U>"
    if len(tags) and (
        (units[tags] == 60).any()
        or ((units[tags] == 47) & (units[np.maximum(tags - 1, 0)] == 60) & (tags > 0)).any()
    ):
        return None
    # The character before each newline of a text (and before the end): every newline but the
    # second of an empty line; before index and timing lines' ends it is a digit, checked above.
    line_ends = np.append(np.delete(newlines, np.searchsorted(newlines, empty + 1)), end)
    before = units[line_ends - 1]
    # Only characters up to U+0020 or from U+0085 to U+3000 can be whitespace (tests check every
    # code point): the others, most line ends, are not decoded for the regex's `\s`.
    before = before[(before <= 32) | ((before >= 0x85) & (before <= 0x3000))]
    if len(before):
        odd = before.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
        if _WHITESPACE.search(odd) is not None:
            return None
    # A block without text has its timing line end at the block's end: the slice is empty. (A
    # comprehension's piece[a:b] is ~1/3 quicker than map over slice objects and __getitem__.)
    bodies = [piece[a:b] for a, b in zip((timing_end + 1).tolist(), ends.tolist(), strict=True)]
    if times_out is not None:
        times_out.append(time_columns)
    cue_starts, cue_ends = time_columns[0].tolist(), time_columns[1].tolist()
    return list(map(Cue, range(first_id, first_id + k), cue_starts, cue_ends, bodies))


def _timing_ms(joined: str) -> tuple[list[int], list[int]]:
    """Return the start and end times in ms of the newline-joined canonical SRT timing lines
    `joined` ("H+:MM:SS,mmm --> H+:MM:SS,mmm"), one int() per time: the plain version of
    timecode.fixed_timing_ms (tests compare them)."""
    # Without ":" and "," a time "H+:MM:SS,mmm" is the number H+MMSSmmm (minutes and seconds < 60).
    digits = joined.replace(":", "").replace(",", "").replace(" --> ", "\n").split("\n")
    ms = [v - 6_400_000 * (v // 10_000_000) - 40_000 * (v // 100_000 % 100) for v in map(int, digits)]
    return ms[0::2], ms[1::2]


# Every match of markup.SRT_MARKUP_RE starts "<f", "</f", "<s" or "</s" (any case) or "{" and a backslash.
_MARKUP_START = re.compile(r"</?[fs]", re.IGNORECASE)
_OVERRIDE_START = re.compile(r"\{(?=\\)")


def _may_hold_markup(text: str) -> bool:
    """Return False when no line of `text` holds the start of what SRT_MARKUP_RE matches (which
    never spans lines), so no cue made of its lines has markup to take out: two searches for a
    single character (~5 ms of a 100k-cue file) instead of a step per cue (~10 ms)."""
    return _MARKUP_START.search(text) is not None or _OVERRIDE_START.search(text) is not None


def _strip_markup(cues: list[Cue]) -> list[tuple[int, str]]:
    """Take <font>, <s> and {\\...} markup out of the cues' text; returns (cue id, raw text) of each."""
    out: list[tuple[int, str]] = []
    for cue in cues:
        text = cue.text
        if ("<" in text or "{" in text) and markup.SRT_MARKUP_RE.search(text):
            out.append((cue.id, text))
            cue.text = without_markup(text)
    return out


def _log(skipped: list[tuple[int, str, list[str]]], joined: list[tuple[int, str]]) -> list[readlog.Skipped]:
    items = [
        readlog.Skipped(line, f"block skipped: {reason} (its text is kept in the notes)")
        for line, reason, _ in skipped
    ]
    items += [
        readlog.Skipped(line, f"block without a timing line ({text!r}) joined to the cue before it")
        for line, text in joined
    ]
    return sorted(items, key=lambda s: s.line or 0)


def _block_problem(lines: list[str], start: int, end: int) -> tuple[int, str]:
    """Return (1-based line, reason) saying why lines[start:end] is not a cue."""
    for k in range(start, min(end, start + 2)):
        if "-->" in lines[k] or _TIME_LIKE_RE.search(lines[k]):
            return k + 1, f"malformed timing line {_describe([lines[k]], 80)!r}"
    if end - start == 1:
        return start + 1, f"{_describe([lines[start]], 80)!r} is not followed by a timing line"
    return start + 1, "no timing line in this block"


def _notes(skipped: list[tuple[int, str, list[str]]]) -> str:
    parts: list[str] = []
    if skipped:
        parts.append(
            f"SubRip: skipped {len(skipped)} block(s) without a valid timing line "
            "(their text is listed here so nothing is lost):"
        )
        for line_no, reason, block in skipped[:_MAX_NOTED_BLOCKS]:
            parts.append(f"- line {line_no}: {reason}: {_describe(block)}")
        if len(skipped) > _MAX_NOTED_BLOCKS:
            parts.append(f"- … and {len(skipped) - _MAX_NOTED_BLOCKS} more")
    return "\n".join(parts)


def _format_time(ms: int) -> str:
    # timecode.format_srt, inlined because the writer calls it twice per cue.
    sign = ""
    if ms < 0:
        sign, ms = "-", -ms
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, frac = divmod(rest, 1000)
    return "%s%02d:%02d:%02d,%03d" % (sign, h, m, s, frac)  # noqa: UP031 - twice as fast as an f-string


def _is_dialogue(text: str) -> bool:
    """Return True for "- a\n- b" text: turns of two or more speakers in one cue."""
    if "\n" not in text or text.lstrip()[:1] not in "-–—‐":  # cheap test first: most cues are not
        return False
    return split_dialogue(text) is not None


def write(doc: Document, options: WriteOptions | None = None) -> str:
    """Return the document as SubRip text with "\\n" newlines.

    Cues are numbered from 1 in document order, times are `HH:MM:SS,mmm` (with a
    minus sign when negative), blocks are separated by one blank line. Speakers
    become a visible `Name: ` prefix (SRT has no voice tags): on every cue with
    `options.speakers` "prefix" or "both", only where the speaker changes with
    "changes" (also what the generic default "voice" means here), never with "dashes"
    or "none". A cue that two speakers share, written as dialogue (every line opens
    with a dash), keeps its dashes and gets no name, since one name would be wrong;
    "none" writes its turns without dashes. A prefixed first line too long for its
    limit is laid out again (tracks.with_prefix).
    Blank lines inside a cue's text are dropped (they would end the cue); see
    normalise_text for everything SRT cannot hold.
    """
    options = options or WriteOptions()
    track = options.track
    # SRT has no voice tags: the generic default ("voice") means a name when the speaker changes.
    style = "changes" if options.speakers == "voice" else options.speakers
    with_names = style in ("prefix", "both", "changes") and bool(doc.speakers)
    speakers = doc.speakers
    fmt = _format_time
    blocks: list[str] = []
    add = blocks.append
    kept = markup.formats_kept(doc) if track == "source" else set()
    with_markup, with_ass = "srt" in kept, "ass" in kept
    previous = None
    for number, cue in enumerate(doc.cues, 1):
        text = cue.text if track == "source" else track_text(cue, track)
        if with_markup and (raw := markup.kept(doc, "srt", cue)) is not None:
            text = raw
        elif with_ass and text and (raw := markup.kept(doc, "ass", cue)) is not None:
            text = markup.alignment_tag(raw) + text  # {\an8}: shown at the top in both formats
        if with_names and cue.speaker_id is not None and names_cue(style, cue, previous):
            speaker = speakers.get(cue.speaker_id)
            if speaker is not None and text and not _is_dialogue(text):
                text = with_prefix(prefix_speaker(speaker.name, ""), cue, track, doc)
        elif style == "none" and _is_dialogue(text):
            text = "\n".join(split_dialogue(text) or [text])
        # After a dialogue cue (no name shown) the next cue names its speaker again.
        previous = None if _is_dialogue(text) else cue
        text = _clean_for_write(text)
        timing = f"{fmt(cue.start_ms)} --> {fmt(cue.end_ms)}"
        position = cue.srt_position.rstrip()
        if position and "\n" not in position and "\r" not in position:
            timing += position if position[0] in " \t" else " " + position
        add(f"{number}\n{timing}\n{text}" if text else f"{number}\n{timing}")
    if not blocks:
        return ""
    return "\n\n".join(blocks) + "\n"


FORMAT = ModuleFormat("srt", "SubRip", __name__)
