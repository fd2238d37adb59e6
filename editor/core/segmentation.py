"""Coarse transcript segments → subtitle-sized cues with estimated timing.

Interface shared by the transcript readers (which produce `Segment`s and call
`segment()`) and the editor (which re-segments selected cues with
`resegment_texts()`).

How a segment is cut (each step linear in the text, so a million characters
take well under two seconds):

1. Tokens: white-space separated words; in Chinese/Japanese text every Han or
   kana character is its own token, while Latin runs ("GPT-4", "3.5", URLs)
   stay whole. Punctuation sticks to its neighbour, so no line starts with
   "。" or ends with "(".
2. Sentences end at `. ? ! …` and `。？！` (not after "e.g.", "Mr.", an initial,
   or a "." that a lower-case word follows).
3. A sentence that does not fit one cue (`max_lines` lines of `max_chars`,
   and at most `max_duration_ms` long) is cut at the best boundary near an even
   share of its length: clause marks, the source's caption boundaries, pauses
   between timed words and places before conjunctions score high; a cut after
   an article or inside a hard-wrapped word scores low.
4. Each cue is laid out on as few lines as possible; two lines are balanced.
5. Times: word timings when present; otherwise the segment's span shared out by
   spoken weight (syllables, plus pauses at punctuation); with no times at all,
   a speaking rate per script. Then durations, gaps and chaining are evened out.

Segment boundaries are hard: no cue holds text of two segments (or speakers).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import attrgetter, itemgetter

from editor.core import linebreak
from editor.core.model import Word
from editor.core.script import (
    CJK_LETTER_RE,
    CLOSE_TAG_PATTERN,
    HANGUL,
    IDEOGRAPHIC,
    IDEOGRAPHIC_RE,
    OPEN_TAG_PATTERN,
    TAG_RE,
    plain_text,
    script_is_cjk,
    wide_count,
)
from editor.core.style import PRESETS, StyleProfile, default_profile

# ---------------------------------------------------------------------------
# Public data
# ---------------------------------------------------------------------------


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


_DEFAULT = PRESETS["default"]


@dataclass
class SegmentOptions:
    """Limits for segmentation. An explicit `max_chars` applies to every script
    unless `max_chars_cjk` is also given; None takes the default style presets
    (`editor.core.style`: 42 for Latin/Cyrillic, 16 for CJK)."""

    max_chars: int | None = None  # per line
    max_lines: int = _DEFAULT.max_lines
    max_cps: float | None = None  # None = per-script default
    min_duration_ms: int = _DEFAULT.min_duration_ms
    max_duration_ms: int = _DEFAULT.max_duration_ms
    min_gap_ms: int = _DEFAULT.min_gap_ms
    chain_gap_ms: int = 500
    max_chars_cjk: int | None = None  # per line for Chinese/Japanese/Korean; None = see max_chars
    max_cps_cjk: float | None = None  # for Chinese/Japanese/Korean; None = see max_cps
    # Speaking rates (characters per second, spaces and punctuation included) for untimed text.
    rate_cps: float = 15.0
    rate_cps_cjk: float = 4.5

    @classmethod
    def from_style(cls, style: StyleProfile) -> SegmentOptions:
        """Return options that lay cues out to `style`'s limits, whatever the text's script."""
        return cls(
            max_chars=style.max_chars,
            max_chars_cjk=style.max_chars,
            max_lines=style.max_lines,
            max_cps=style.max_cps,
            min_duration_ms=style.min_duration_ms,
            max_duration_ms=style.max_duration_ms,
            min_gap_ms=style.min_gap_ms,
        )

    @classmethod
    def from_styles(cls, latin: StyleProfile, cjk: StyleProfile) -> SegmentOptions:
        """Return options that lay out Latin/Cyrillic text to `latin`'s limits and
        Chinese/Japanese/Korean text to `cjk`'s (timing limits: `latin`'s)."""
        options = cls.from_style(latin)
        options.max_chars_cjk = cjk.max_chars
        options.max_cps_cjk = cjk.max_cps
        return options


@dataclass
class SegmentedCue:
    """One cue produced by segmentation (the caller gives it an id).

    `estimated` is False only when both times come from word timings of the
    input; `segment_index` is the position of the source segment in the input.
    """

    start_ms: int
    end_ms: int
    text: str
    speaker: str | None = None
    words: tuple[Word, ...] | None = None
    estimated: bool = True
    segment_index: int = -1


@dataclass
class SegmentationResult:
    cues: list[SegmentedCue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "last segment stretched to 3:16"


# ---------------------------------------------------------------------------
# Character classes
# ---------------------------------------------------------------------------

DEFAULT_MAX_CHARS = _DEFAULT.max_chars
DEFAULT_MAX_CHARS_CJK = default_profile(cjk=True).max_chars
DEFAULT_MAX_CPS = _DEFAULT.max_cps
DEFAULT_MAX_CPS_CJK = default_profile(cjk=True).max_cps

# Characters that may be broken between (Han, kana); hangul is CJK for limits but
# Korean puts spaces between words, so its words stay whole. Opening and closing marks
# are linebreak's (one rule for cutting and for line layout).
_IDEO = IDEOGRAPHIC
_HANGUL = HANGUL
_IDEO_RE = IDEOGRAPHIC_RE
_CJK_RE = CJK_LETTER_RE
_OPEN_UNIT = f"(?:{OPEN_TAG_PATTERN}|[{re.escape(linebreak.OPEN_CHARS)}])"
_CLOSE_UNIT = f"(?:{CLOSE_TAG_PATTERN}|[{re.escape(linebreak.CLOSE_CHARS)}])"
# A comma or semicolon ends a run unless a digit follows ("McGrew,OpenAI" vs "1,000").
_RUN = f"(?:[^\\s{_IDEO}{linebreak.CJK_PUNCT},;]|[,;](?=\\d))+"
# (leading white space, token): a token is opening marks, one ideograph or a run
# of other characters, then closing marks.
_CJK_TOKEN_RE = re.compile(f"(\\s*)({_OPEN_UNIT}*(?:[{_IDEO}]|{_RUN}|{_CLOSE_UNIT}+|\\S){_CLOSE_UNIT}*)")
_CJK_CHUNK_RE = re.compile(f"{_OPEN_UNIT}*(?:[{_IDEO}]|{_RUN}|{_CLOSE_UNIT}+|\\S){_CLOSE_UNIT}*")
_NONSPACE_RE = re.compile(r"\S+")
_NBSP_RUN_RE = re.compile(r"[^\S\xa0]*\xa0[\s]*")
_TAG_SCAN_RE = TAG_RE

_SENT_END = linebreak.SENTENCE_END
_CLAUSE = linebreak.CLAUSE_MARKS
_TRAIL = linebreak.TRAIL  # closers that may follow a sentence mark
_MARK_OR_TRAIL_RE = re.compile(f"[{re.escape(''.join(_SENT_END) + _TRAIL)}]")
_between_characters = linebreak.between_characters

# Spoken weight: a syllable estimate (a vowel group, an ideograph, a digit).
_VOWELS = "aeiouyæøœåäöüéèêëàâîïôûùúíóáãõаеёиоуыэюяіїє"
_SYLLABLE_RE = re.compile(f"[{_VOWELS}{_VOWELS.upper()}]+|[\\d{_IDEO}{_HANGUL}]")


_strip_tags = plain_text


def spoken_weight(text: str) -> float:
    """Return an estimate of how long `text` takes to say, in syllables.

    Pauses at punctuation add weight: 2 at a sentence end, 1 at a clause mark.
    Never returns less than 1.
    """
    w = len(_SYLLABLE_RE.findall(text))
    for ch in ".?!…。？！":
        if ch in text:
            w += 2 * text.count(ch)
    for ch in ",;:，；：、":
        if ch in text:
            w += text.count(ch)
    return max(1.0, float(w))


def syllable_count(text: str) -> int:
    """Return the syllables in `text` by the spoken-weight rule (vowel groups; a digit or a
    CJK character is one), at least 1."""
    return max(1, len(_SYLLABLE_RE.findall(text)))


_WORD_PIECE_RE = re.compile(f"[{_IDEO}][^\\w{_IDEO}]*|(?:[^{_IDEO}])+")


def spoken_words(text: str) -> list[str]:
    """Return `text` as the words one says: white-space separated, and every Chinese or
    Japanese character on its own (punctuation stays with the character before it)."""
    words: list[str] = []
    for part in _strip_tags(text).split():
        if _IDEO_RE.search(part) is None:
            words.append(part)
            continue
        pieces = _WORD_PIECE_RE.findall(part)
        for piece in pieces:
            if words and piece and not any(ch.isalnum() for ch in piece) and _IDEO_RE.search(words[-1] or ""):
                words[-1] += piece
            elif piece:
                words.append(piece)
    return words


def format_clock(ms: int) -> str:
    """Return `ms` as M:SS (or H:MM:SS), rounded to the second, for notes."""
    s = round(ms / 1000)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


# ---------------------------------------------------------------------------
# One segment as tokens
# ---------------------------------------------------------------------------


_UNITS: dict[str, int] = {}  # CJK token → its width in half cells (Chinese repeats characters)


def _cjk_units(token: str) -> int:
    """Return the width of `token` in half cells: a wide character 2, any other 1 (script.py's
    rule for CJK, where a half-width character counts 0.5)."""
    units = _UNITS.get(token)
    if units is None:
        if len(_UNITS) > 200_000:
            _UNITS.clear()
        units = _UNITS[token] = len(token) + wide_count(token)
    return units


class _Tokens:
    """A segment's text as unbreakable tokens with what surrounds each boundary.

    Boundary `b` is the place before token `b` (1 ≤ b < n). Lengths (`lens`, `cum`,
    `chars`, `width`) are in units: characters in Latin text, half cells in CJK text (a
    wide character 2, a half-width one or a space 1), so a line of `max_chars` as a CJK
    style profile counts it is `width` = 2 × max_chars units.
    """

    def __init__(self, seg: Segment, max_chars: int, cjk: bool) -> None:
        text = seg.text
        self.cjk = cjk
        self.max_chars = max_chars  # a line, as the style profile counts it
        self.width = 2 * max_chars if cjk else max_chars  # a line, in units
        starts: list[int] | None = None
        need_starts = bool(seg.caption_breaks or seg.line_breaks or "\xa0" in text)
        ideographic = _IDEO_RE.search(text) is not None
        if ideographic and need_starts:
            pairs = _CJK_TOKEN_RE.findall(text)
            tokens = list(map(itemgetter(1), pairs))
            sp = list(map(bool, map(itemgetter(0), pairs)))
            ends = list(accumulate((len(ws) + len(t) for ws, t in pairs)))
            starts = [end - len(t) for end, t in zip(ends, tokens, strict=True)]
        elif ideographic:
            # Chunk by white space first (few chunks in CJK text), then tokenize each.
            tokens = []
            sp = []
            findall = _CJK_CHUNK_RE.findall
            for chunk in text.split():
                toks = findall(chunk)
                tokens += toks
                sp.append(True)
                sp += [False] * (len(toks) - 1)
        elif need_starts:
            matches = list(_NONSPACE_RE.finditer(text))
            tokens = [m.group() for m in matches]
            starts = [m.start() for m in matches]
            sp = [1] * len(tokens)
        else:
            tokens = text.split()
            sp = [1] * len(tokens)
        if sp:
            sp[0] = 0
        self.glued: set[int] = set()  # boundaries inside a hard-wrapped word
        self.hard_wrapped = 0
        measure = _cjk_units if cjk else len
        if "<" in text:
            lens = [measure(_strip_tags(t)) for t in tokens]
        else:
            lens = list(map(measure, tokens))
        if lens and max(lens) > self.width:
            tokens, sp, lens, starts = self._hard_wrap(tokens, sp, lens, starts, max_chars)
        self.tokens = tokens
        self.sp = sp
        self.lens = lens
        # Ideographic text has tokens with no space between them even when it is not mainly
        # CJK ("OpenAIの"): joining those with spaces would add a space the text never had.
        self.all_spaced = not ideographic and not self.glued
        # cum[i] = characters before token i, counting a space before every spaced token.
        self.cum = list(accumulate(map(int.__add__, lens, sp), initial=0))
        self.caption: set[int] = set()
        self.line: set[int] = set()
        if starts is not None:
            self._map_hints(text, seg, starts)
        self.ts: list[int] | None = None
        self.te: list[int] | None = None
        self.word_first: list[int] | None = None
        self.word_last: list[int] | None = None

    def _hard_wrap(
        self, tokens: list[str], sp: list[int], lens: list[int], starts: list[int] | None, max_chars: int
    ) -> tuple[list[str], list[int], list[int], list[int] | None]:
        """Split tokens longer than a line into line-sized pieces (a last resort)."""
        out_t: list[str] = []
        out_sp: list[int] = []
        out_len: list[int] = []
        out_st: list[int] | None = [] if starts is not None else None
        measure = _cjk_units if self.cjk else len
        for i, tok in enumerate(tokens):
            if lens[i] <= self.width:
                out_t.append(tok)
                out_sp.append(sp[i])
                out_len.append(lens[i])
                if out_st is not None:
                    out_st.append(starts[i])  # type: ignore[index]
                continue
            self.hard_wrapped += 1
            pos = 0
            first = True
            while pos < len(tok):
                piece = tok[pos : pos + max_chars]
                if pos + max_chars < len(tok):
                    # Prefer to wrap after a separator of URLs and compounds.
                    cut = max(piece.rfind(c) for c in "/-._?&=#")
                    if cut >= max_chars // 2:
                        piece = piece[: cut + 1]
                if not first:
                    self.glued.add(len(out_t))
                out_t.append(piece)
                out_sp.append(sp[i] if first else 0)
                out_len.append(measure(_strip_tags(piece)))
                if out_st is not None:
                    out_st.append(starts[i] + pos)  # type: ignore[index]
                pos += len(piece)
                first = False
        return out_t, out_sp, out_len, out_st

    def _map_hints(self, text: str, seg: Segment, starts: list[int]) -> None:
        """Turn character offsets of caption/line marks into token boundaries."""
        captions = list(seg.caption_breaks)
        lines = list(seg.line_breaks)
        if not captions and not lines and "\xa0" in text:
            # Raw caption marks still in the text: one U+00A0 ends a line, two end a caption.
            for m in _NBSP_RUN_RE.finditer(text):
                (captions if m.group().count("\xa0") >= 2 else lines).append(m.end())
        n = len(starts)
        for offsets, target in ((captions, self.caption), (lines, self.line)):
            for off in offsets:
                b = bisect_left(starts, off)
                if 0 < b < n:
                    target.add(b)
        self.line -= self.caption

    def attach_words(self, words: Sequence[Word]) -> bool:
        """Map every token to the timed words it spans; returns False when the texts differ."""
        stream = "".join("".join(w.text.split()) for w in words)
        if not words or _strip_tags("".join(self.tokens)) != stream:
            return False
        owner: list[int] = []
        for i, w in enumerate(words):
            owner.extend([i] * len("".join(w.text.split())))
        first: list[int] = []
        last: list[int] = []
        pos = 0
        for tok_len in (len(_strip_tags(t)) for t in self.tokens):
            first.append(owner[pos])
            last.append(owner[pos + tok_len - 1])
            pos += tok_len
        self.word_first, self.word_last = first, last
        self.ts = [words[i].start_ms for i in first]
        self.te = [words[i].end_ms for i in last]
        return True

    # -- measures ----------------------------------------------------------
    def chars(self, a: int, b: int) -> int:
        """Return the length of tokens a..b-1 written on one line, in units."""
        return self.cum[b] - self.cum[a] - self.sp[a]

    def reach(
        self, p: int, end: int, max_lines: int, max_ms: float, ms_per_char: float, min_chars: int
    ) -> int:
        """Return the largest q ≤ end such that tokens p..q-1 fit one cue (always > p).

        Fitting means: greedy wrapping needs at most `max_lines` lines, and the
        cue lasts at most `max_ms` (by word times when known, else by
        `ms_per_char`, but a cue may always hold `min_chars` characters).
        """
        lens, sp, cum = self.lens, self.sp, self.cum
        width = self.width
        ts, te = self.ts, self.te
        line = lens[p]
        lines = 1
        q = p + 1
        while q < end:
            w = lens[q]
            if line + sp[q] + w <= width:
                line += sp[q] + w
            else:
                lines += 1
                if lines > max_lines:
                    break
                line = w
            if ts is not None and te is not None:
                if te[q] - ts[p] > max_ms:
                    break
            elif ms_per_char > 0:
                total = cum[q + 1] - cum[p]
                if total > min_chars and total * ms_per_char > max_ms:
                    break
            q += 1
        return q

    def plain_cjk(self) -> bool:
        """Return True for Chinese/Japanese text with no hints, glued words or word times.

        There most boundaries lie between two characters, and the cutter weighs them with
        _between_characters directly instead of through quality() (which adds nothing for
        them): a million characters have a million boundaries to weigh.
        """
        return self.cjk and not (self.glued or self.caption or self.line or self.ts is not None)

    def quality(self, b: int, for_line: bool = False) -> float:
        """Return how good a cut before token b is (higher is better)."""
        if b in self.glued:
            return -200.0
        prev = self.tokens[b - 1]
        nxt = self.tokens[b]
        if self.cjk and len(prev) == 1 and prev not in _SENT_END and prev not in _CLAUSE:
            # Between two characters of Chinese/Japanese text: the common case, kept cheap.
            score = _between_characters(prev, nxt)
        else:
            score = self._text_score(b, prev, nxt)
        if b in self.caption:
            score += 15.0 if for_line else 35.0
        elif b in self.line:
            score += 12.0 if for_line else 8.0
        if self.ts is not None and self.te is not None:
            pause = self.ts[b] - self.te[b - 1]
            if pause > 0:
                score += min(60.0, pause / 15.0)
        return score

    def _text_score(self, b: int, prev: str, nxt: str) -> float:
        """Score a cut between tokens `prev` and `nxt` by linebreak's rules (punctuation, words)."""
        return linebreak.boundary_score(prev, nxt, bool(self.sp[b]) or not self.cjk)

    def text(self, a: int, b: int) -> str:
        """Return tokens a..b-1 joined as written (one line)."""
        if self.all_spaced:
            return " ".join(self.tokens[a:b])
        toks, sp = self.tokens, self.sp
        return "".join([toks[a]] + [(" " + toks[i]) if sp[i] else toks[i] for i in range(a + 1, b)])


# ---------------------------------------------------------------------------
# Cutting
# ---------------------------------------------------------------------------


_MAX_QUALITY = 100.0 + 20.0 + 35.0 + 60.0  # sentence end + conjunction + caption + pause


class _Cutter:
    """Cuts one segment's tokens into cue ranges and lays each cue out in lines."""

    def __init__(self, tk: _Tokens, opts: SegmentOptions, ms_per_char: float) -> None:
        self.tk = tk
        self.max_lines = max(1, opts.max_lines)
        self.max_ms = float(opts.max_duration_ms)
        self.ms_per_char = ms_per_char
        self.width = tk.width  # in the tokens' units
        # Per unit of distance from the ideal cut, in quality points.
        self.dist_w = DEFAULT_MAX_CHARS / self.width

    def fits(self, a: int, b: int) -> bool:
        return self.tk.reach(a, b, self.max_lines, self.max_ms, self.ms_per_char, self.width) >= b

    def sentences(self) -> list[tuple[int, int]]:
        """Return (start, end) token ranges of the sentences."""
        tk = self.tk
        toks = tk.tokens
        n = len(toks)
        marks = _SENT_END
        trail = _TRAIL
        # The last character of every token in one string, searched by a regex: C speed.
        lasts = "".join(map(itemgetter(-1), toks))
        cands = [m.end() for m in _MARK_OR_TRAIL_RE.finditer(lasts)]
        out: list[tuple[int, int]] = []
        s = 0
        for b in cands:
            if b >= n or b <= s:
                continue
            t = toks[b - 1].rstrip(trail)
            if "<" in t:
                t = _strip_tags(t).rstrip(trail)
            if t[-1:] in marks and tk.quality(b) >= 100.0:
                out.append((s, b))
                s = b
        if s < n:
            out.append((s, n))
        return out

    def cue_ranges(self) -> list[tuple[int, int]]:
        """Return the token ranges of the cues, in order, covering every token once."""
        tk = self.tk
        ranges: list[tuple[int, int]] = []
        short = self.width // 2
        for s, e in self.sentences():
            if self.fits(s, e):
                if ranges:
                    ps, pe = ranges[-1]
                    if (tk.chars(ps, pe) < short or tk.chars(s, e) < short) and self.fits(ps, e):
                        # A short sentence ("Yes.") shares a cue rather than flashing by alone.
                        ranges[-1] = (ps, e)
                        continue
                ranges.append((s, e))
            else:
                self._split_long(s, e, ranges)
        return ranges

    def _split_long(self, s: int, e: int, out: list[tuple[int, int]]) -> None:
        """Cut the sentence s..e-1 into cues of about even length at good places."""
        tk = self.tk
        quality = tk.quality
        chars = tk.chars
        cum, sp, toks = tk.cum, tk.sp, tk.tokens
        plain_cjk = tk.plain_cjk()
        sent_end, clause = _SENT_END, _CLAUSE
        p = s
        while p < e:
            q = tk.reach(p, e, self.max_lines, self.max_ms, self.ms_per_char, self.width)
            if q >= e:
                out.append((p, e))
                return
            rest = chars(p, e)
            cap = max(1, chars(p, q))
            k = max(2, math.ceil(rest / cap))
            target = rest / k
            best_b, best = q, -1e18
            dist_w = self.dist_w
            short = self.width * 0.5
            head = cum[p] + sp[p]  # chars(p, b) == cum[b] - head
            for b in range(p + 1, q + 1):
                left = cum[b] - head
                score = -abs(left - target) * dist_w
                # A sliver of a cue flashes by: keep both sides at least half a line.
                if left < short:
                    score -= (short - left) * dist_w * 2
                right = rest - left
                if right < short:
                    score -= (short - right) * dist_w * 2
                if score + _MAX_QUALITY <= best:
                    continue  # cannot win whatever its quality
                prev = toks[b - 1]
                if plain_cjk and len(prev) == 1 and prev not in sent_end and prev not in clause:
                    score += _between_characters(prev, toks[b])
                else:
                    score += quality(b)
                if score > best:
                    best, best_b = score, b
            out.append((p, best_b))
            p = best_b

    def layout(self, a: int, b: int) -> str:
        """Return the cue text of tokens a..b-1 laid out in lines by linebreak (hints: the
        source's line and caption marks inside the cue)."""
        tk = self.tk
        if tk.chars(a, b) <= self.width or b - a == 1:
            return tk.text(a, b)
        hints: list[int] = []
        if tk.line or tk.caption:
            marks = tk.line | tk.caption
            toks, sp = tk.tokens, tk.sp
            pos = 0
            for i in range(a, b):
                if i > a:
                    if sp[i]:
                        pos += 1
                    if i in marks:
                        hints.append(pos)
                pos += len(toks[i])
        return linebreak.break_lines(tk.text(a, b), tk.max_chars, self.max_lines, cjk=tk.cjk, hints=hints)


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------


def _distribute(weights: list[float], start: int, end: int, opts: SegmentOptions) -> list[tuple[int, int]]:
    """Share start..end among cues by weight, with gaps between them; returns (start, end) pairs.

    Cues get at least `min_duration_ms` when the span allows it; a cue whose
    share exceeds `max_duration_ms` is shown for that long at the start of its share.
    """
    n = len(weights)
    span = max(0, end - start)
    gap = opts.min_gap_ms
    avail = span - gap * (n - 1)
    if avail < n * min(opts.min_duration_ms, 200):
        gap = 0  # too little time: touching cues beat vanishing ones
        avail = span
    durs: list[float]
    total_w = sum(weights)
    if avail >= n * opts.min_duration_ms:
        fixed = [False] * n
        min_d = opts.min_duration_ms
        for _ in range(30):
            free_w = sum(w for w, f in zip(weights, fixed, strict=True) if not f)
            free_t = avail - min_d * sum(fixed)
            if free_w <= 0:
                break
            scale = free_t / free_w
            changed = False
            for i, w in enumerate(weights):
                if not fixed[i] and w * scale < min_d:
                    fixed[i] = True
                    changed = True
            if not changed:
                break
        free_w = sum(w for w, f in zip(weights, fixed, strict=True) if not f)
        free_t = avail - min_d * sum(fixed)
        scale = free_t / free_w if free_w > 0 else 0.0
        durs = [min_d if f else w * scale for w, f in zip(weights, fixed, strict=True)]
    else:
        scale = avail / total_w if total_w > 0 else 0.0
        durs = [w * scale for w in weights]
    out: list[tuple[int, int]] = []
    t = float(start)
    max_d = opts.max_duration_ms
    for d in durs:
        s = round(t)
        e = round(t + min(d, max_d))
        out.append((s, max(s, e)))
        t += d + gap
    if out and durs[-1] <= max_d:
        out[-1] = (out[-1][0], max(out[-1][0], end))
    return out


def _tidy(cues: list[SegmentedCue], opts: SegmentOptions, media_end: int | None) -> None:
    """Even out gaps and durations between consecutive cues (in place).

    Gaps below `min_gap_ms` are opened, gaps up to `chain_gap_ms` closed to
    `min_gap_ms` (chaining), and a short cue is lengthened into free time.
    Overlapping cues are trimmed only when something of them is left.
    """
    min_gap, chain, min_d, max_d = (
        opts.min_gap_ms,
        opts.chain_gap_ms,
        opts.min_duration_ms,
        opts.max_duration_ms,
    )
    n = len(cues)
    for i in range(n):
        cur = cues[i]
        if i + 1 < n:
            nxt_start = cues[i + 1].start_ms
            gap = nxt_start - cur.end_ms
            limit = nxt_start - min_gap
            if gap < min_gap:
                if limit > cur.start_ms:
                    cur.end_ms = limit
            elif gap <= chain:
                if limit - cur.start_ms <= max_d:
                    cur.end_ms = limit
            elif cur.end_ms - cur.start_ms < min_d:
                cur.end_ms = min(cur.start_ms + min_d, limit)
        elif cur.end_ms - cur.start_ms < min_d:
            end = cur.start_ms + min_d
            if media_end is not None:
                end = min(end, max(media_end, cur.end_ms))
            cur.end_ms = end


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------


def _limits(text: str, opts: SegmentOptions) -> tuple[bool, int]:
    cjk = script_is_cjk(text)
    if cjk:
        width = opts.max_chars_cjk or opts.max_chars or DEFAULT_MAX_CHARS_CJK
    else:
        width = opts.max_chars or DEFAULT_MAX_CHARS
    return cjk, max(2, width)


# Tests switch it off to check that the shortcut gives what cutting gives.
ONE_LINE_SHORTCUT = True


def _one_line_widths(opts: SegmentOptions) -> tuple[int, int]:
    """Return the longest text that the cutter always leaves as one cue: (Latin, CJK) limits."""
    latin = max(2, opts.max_chars or DEFAULT_MAX_CHARS)
    cjk = max(2, opts.max_chars_cjk or opts.max_chars or DEFAULT_MAX_CHARS_CJK)
    # cue_ranges keeps two sentences apart only when both are at least width // 2 long.
    return min(latin, 2 * (latin // 2)), min(cjk, 2 * (cjk // 2))


def _one_line_cjk(seg: Segment, flat: str, widths: tuple[int, int]) -> bool | None:
    """Return whether `seg` is CJK when the cutter would make it exactly one cue, else None.

    `flat` is its text with white space runs made one space. That is a segment with no
    word times, hints, tags or no-break spaces whose `flat` fits its script's width (see
    _one_line_widths): every sentence of it fits (a cue may always hold a line, however
    short its time), short ones are merged, and the layout is `flat` itself.
    """
    text = seg.text
    if (
        len(flat) > max(widths)
        or seg.words
        or seg.caption_breaks
        or seg.line_breaks
        or "<" in text
        or "\xa0" in text
    ):
        return None
    cjk = not text.isascii() and _CJK_RE.search(text) is not None and script_is_cjk(text)
    return cjk if len(flat) <= widths[cjk] else None


def _run_end(
    prepared: list[tuple[int, Segment, _Tokens | str, bool]], k: int, timed: bool, stop: int | None
) -> int:
    """Return where the run of one-cue segments starting at `k` ends (exclusive).

    A run is either untimed segments (no start, no end; the caller checks that nothing
    timed follows) or timed ones (start and end), and never includes index `stop` (the
    last timed segment, whose end segment() may stretch).
    """
    end = k + 1
    n = len(prepared)
    while end < n and end != stop:
        seg = prepared[end][1]
        if (
            prepared[end][2].__class__ is not str
            or (seg.start_ms is None) is timed
            or (seg.end_ms is None) is timed
        ):
            break
        end += 1
    return end


def _append_one_line_cues(
    run: list[tuple[int, Segment, _Tokens | str, bool]],
    starts: list[int],
    ends: list[int],
    out: list[SegmentedCue],
) -> None:
    """Append one estimated cue per segment of `run` (its one-line text) with these times."""
    texts = [p[2] for p in run]
    out.extend(
        map(
            SegmentedCue,
            starts,
            ends,
            texts,
            [p[1].speaker for p in run],
            repeat(None),
            repeat(True),
            [p[0] for p in run],
        )
    )


def _timed_run(
    run: list[tuple[int, Segment, _Tokens | str, bool]],
    max_d: int,
    out: list[SegmentedCue],
    rates: dict[bool, float],
) -> int:
    """Append the cues of consecutive timed one-cue segments to `out`; returns their latest end.

    Each keeps its start and lasts its span, at most max_duration_ms and at most _STRETCH
    times its natural length (segment()'s arithmetic for one such segment, on whole lists).
    """
    starts = [p[1].start_ms or 0 for p in run]
    spans = [(p[1].end_ms or 0) - s for s, p in zip(starts, run, strict=True)]
    spans = [
        min(d, round(_STRETCH * 1000.0 * len(p[1].text) / rates[p[3]]) + _STRETCH_SLACK_MS)
        if d > _STRETCH_SLACK_MS
        else d
        for d, p in zip(spans, run, strict=True)
    ]
    ends = [s + max(0, min(d, max_d)) for s, d in zip(starts, spans, strict=True)]
    _append_one_line_cues(run, starts, ends, out)
    return max(ends)


def _untimed_run(
    run: list[tuple[int, Segment, _Tokens | str, bool]],
    prev_end: int,
    first_gap: int,
    rates: dict[bool, float],
    opts: SegmentOptions,
    out: list[SegmentedCue],
) -> int:
    """Append the cues of consecutive untimed one-cue segments to `out`; returns the last end.

    segment()'s arithmetic for such a segment, on whole lists (a 1 MB transcript of short
    lines has 100k of them): each cue lasts its natural time, at most max_duration_ms, and
    starts the minimum gap after the previous one (`first_gap` after `prev_end`).
    """
    texts = [p[1].text for p in run]
    max_d = opts.max_duration_ms
    sentences = map(len, map(_SENTENCE_PAUSE_RE.findall, texts))
    clauses = map(len, map(_CLAUSE_PAUSE_RE.findall, texts))
    # The same expression as _natural_ms (with _pause_ms inlined), so the floats are identical.
    rate_of = [rates[p[3]] for p in run] if any(p[3] for p in run) else repeat(rates[False])
    naturals = [
        1000.0 * len(t) / r + (300.0 * a + 150.0 * b)
        for t, r, a, b in zip(texts, rate_of, sentences, clauses, strict=False)
    ]
    durs = [d if d < max_d else max_d for d in map(round, naturals)]
    gap = opts.min_gap_ms
    steps = [d + gap for d in durs]
    steps[0] = durs[0] + first_gap
    ends = list(accumulate(steps, initial=prev_end))
    del ends[0]
    starts = list(map(int.__sub__, ends, durs))
    _append_one_line_cues(run, starts, ends, out)
    return ends[-1]


def _rate(cjk: bool, opts: SegmentOptions) -> float:
    """Characters per second for text with no times, never above the reading-speed limit."""
    rate = opts.rate_cps_cjk if cjk else opts.rate_cps
    default = DEFAULT_MAX_CPS_CJK if cjk else DEFAULT_MAX_CPS
    limit = (opts.max_cps_cjk if cjk else None) or opts.max_cps or default
    return max(0.5, min(rate, limit))


_STRETCH = 1.6  # a timed segment's cues take at most this many times their natural length...
_STRETCH_SLACK_MS = 1500  # ...plus this


def _natural_ms(text: str, cjk: bool, opts: SegmentOptions) -> float:
    """Return how long `text` takes to say at the script's speaking rate, pauses included."""
    return 1000.0 * len(text) / _rate(cjk, opts) + _pause_ms(text)


def _close_tags(texts: list[str]) -> list[str]:
    """Close <i>/<b>/<u> at the end of each cue and reopen them in the next."""
    out: list[str] = []
    open_tags: list[str] = []
    for text in texts:
        prefix = "".join(f"<{t}>" for t in open_tags)
        for m in _TAG_SCAN_RE.finditer(text):
            tag = m.group(2)
            if m.group(1):
                if tag in open_tags:
                    open_tags.remove(tag)
            elif tag not in open_tags:
                open_tags.append(tag)
        suffix = "".join(f"</{t}>" for t in reversed(open_tags))
        out.append(prefix + text + suffix)
    return out


def segment(
    segments: list[Segment], options: SegmentOptions | None = None, *, media_duration_ms: int | None = None
) -> SegmentationResult:
    """Cut `segments` into readable cues with times; returns the cues and notes for the user.

    Segments with start/end keep their span (the last one may be stretched to
    `media_duration_ms` when its text plainly runs on, with a note saying so);
    untimed segments follow the previous one at a per-script speaking rate,
    squeezed in before the next timed segment when needed. Joining the cue texts
    gives back every word of the input in order (a word longer than a line is
    wrapped inside, and a note says so). Raises nothing for any text.
    """
    opts = options or SegmentOptions()
    result = SegmentationResult()
    # A short plain line becomes one cue with its own text (see _one_line_cjk); it skips
    # tokens, cutting and layout, which would cost ~60 µs for each of a 1 MB file's 100k lines.
    prepared: list[tuple[int, Segment, _Tokens | str, bool]] = []
    widths = _one_line_widths(opts)
    # White space made single spaces: the one-line cue text, and empty for a blank segment.
    flats = list(map(" ".join, map(str.split, (seg.text for seg in segments))))
    for index, (seg, flat) in enumerate(zip(segments, flats, strict=True)):
        if not flat:
            continue
        if ONE_LINE_SHORTCUT and (one_line_cjk := _one_line_cjk(seg, flat, widths)) is not None:
            prepared.append((index, seg, flat, one_line_cjk))
            continue
        cjk, width = _limits(seg.text, opts)
        tk = _Tokens(seg, width, cjk)
        if tk.tokens:
            prepared.append((index, seg, tk, cjk))
    if not prepared:
        return result

    # Where the next timed segment starts, so untimed text can be fitted before it. (A
    # transcript with no times at all is told apart at C speed: it may have 100k lines.)
    n_prepared = len(prepared)
    prepared_segs = list(map(itemgetter(1), prepared))
    untimed = list(map(attrgetter("start_ms"), prepared_segs)).count(None) == n_prepared
    no_ends = list(map(attrgetter("end_ms"), prepared_segs)).count(None) == n_prepared
    next_start: list[int | None] = [None] * n_prepared
    upcoming: int | None = None
    if not untimed:
        for k in range(n_prepared - 1, -1, -1):
            next_start[k] = upcoming
            seg = prepared_segs[k]
            if seg.start_ms is not None:
                upcoming = seg.start_ms
    # All one-cue and untimed: one run of them (see _untimed_run) covers everything.
    all_one_run = (
        untimed and no_ends and list(map(type, map(itemgetter(2), prepared))).count(str) == n_prepared
    )

    last_timed = (
        None
        if no_ends
        else next((k for k in range(n_prepared - 1, -1, -1) if prepared_segs[k].end_ms is not None), None)
    )
    hard_wrapped = 0
    prev_end = 0
    first_out = True
    max_d = opts.max_duration_ms
    min_gap = opts.min_gap_ms
    rates = {False: _rate(False, opts), True: _rate(True, opts)}
    last_k = len(prepared) - 1
    cues_append = result.cues.append
    runs_ok = min_gap >= 0 and max_d >= 0  # what _untimed_run and _timed_run assume
    run_end = 0
    for k, (index, seg, tk, cjk) in enumerate(prepared):
        if k < run_end:
            continue  # done by _untimed_run or _timed_run
        if runs_ok and tk.__class__ is str:
            # Consecutive one-cue segments are done a run at a time (see _run_end).
            if seg.start_ms is None and seg.end_ms is None and next_start[k] is None:
                run_end = n_prepared if all_one_run else _run_end(prepared, k, False, None)
                first_gap = 0 if first_out else min_gap
                prev_end = _untimed_run(prepared[k:run_end], prev_end, first_gap, rates, opts, result.cues)
                first_out = False
                continue
            if seg.start_ms is not None and seg.end_ms is not None and k != last_timed:
                run_end = _run_end(prepared, k, True, last_timed)
                prev_end = max(prev_end, _timed_run(prepared[k:run_end], max_d, result.cues, rates))
                first_out = False
                continue
        if tk.__class__ is not str:
            assert isinstance(tk, _Tokens)
            hard_wrapped += tk.hard_wrapped
            timed_words = bool(seg.words) and tk.attach_words(seg.words or ())
            if seg.words and not timed_words:
                result.notes.append(
                    f"Segment {index + 1}: its word timings do not match its text; cue times were estimated."
                )
        start = seg.start_ms
        end = seg.end_ms
        natural = -1.0  # computed only when needed: it costs as much as the rest of a one-cue segment
        if start is None:
            natural = _natural_ms(seg.text, cjk, opts)
            start = prev_end + (0 if first_out else min_gap)
            end = start + round(natural)
            limit = next_start[k]
            if limit is not None and end > limit - min_gap:
                end = max(start, limit - min_gap)
            timed = False
        else:
            if end is None:
                natural = _natural_ms(seg.text, cjk, opts)
                end = start + round(natural)
            timed = True
        if k == last_timed == last_k and media_duration_ms is not None and seg.end_ms is not None:
            if natural < 0:
                natural = _natural_ms(seg.text, cjk, opts)
            if end < media_duration_ms and start + natural > end:
                # The text needs more time than its segment gives: the segment's end
                # mark is stale (seed 000: "00:00 - 03:00" on a 3:16 video).
                new_end = min(media_duration_ms, start + round(natural))
                result.notes.append(
                    f"Segment {index + 1} ends at {format_clock(end)} but its text runs on; its end was "
                    f"stretched to {format_clock(new_end)}"
                    + (
                        " (the media duration)."
                        if new_end == media_duration_ms
                        else " (estimated from its length)."
                    )
                )
                end = new_end
        if timed and end - start > _STRETCH_SLACK_MS:
            # Never stretched far beyond its natural length: a short sentence before a long
            # silence keeps the silence as a gap (cheap bound: characters at the script's rate).
            cap = round(_STRETCH * 1000.0 * len(seg.text) / _rate(cjk, opts)) + _STRETCH_SLACK_MS
            end = min(end, start + cap)
        if tk.__class__ is str:
            # What cutting and _distribute give a single cue: its span, at most max_duration_ms.
            end = start + max(0, min(end - start, max_d))
            cues_append(SegmentedCue(start, end, tk, seg.speaker, None, True, index))  # type: ignore[arg-type]
            if end > prev_end:
                prev_end = end
            first_out = False
            continue
        assert isinstance(tk, _Tokens)
        span = max(0, end - start)
        total_chars = max(1, tk.cum[-1])
        ms_per_char = span / total_chars
        cutter = _Cutter(tk, opts, ms_per_char)
        ranges = cutter.cue_ranges()
        texts = [cutter.layout(a, b) for a, b in ranges]
        if "<" in seg.text:
            texts = _close_tags(texts)
        if timed_words:
            assert tk.ts is not None and tk.te is not None
            times = [(tk.ts[a], tk.te[b - 1]) for a, b in ranges]
        elif timed:
            times = _distribute([spoken_weight(t) for t in texts], start, end, opts)
        else:
            # No times: each cue as long as its text takes to say, fitted into the span
            # (which is exactly that long, or less when a timed segment follows soon).
            rate = _rate(cjk, opts)
            times = _distribute([1000.0 * len(t) / rate + _pause_ms(t) for t in texts], start, end, opts)
        for (a, b), text, (s, e) in zip(ranges, texts, times, strict=True):
            words = None
            if timed_words and tk.word_first is not None and tk.word_last is not None and seg.words:
                words = tuple(seg.words[tk.word_first[a] : tk.word_last[b - 1] + 1])
            result.cues.append(SegmentedCue(s, max(s, e), text, seg.speaker, words, not timed_words, index))
        prev_end = max(prev_end, result.cues[-1].end_ms) if result.cues else prev_end
        first_out = False
    _tidy(result.cues, opts, media_duration_ms)
    if hard_wrapped:
        result.notes.append(
            f"{hard_wrapped} word(s) longer than a subtitle line were wrapped inside the word."
        )
    if result.cues and all(seg.start_ms is None for seg in segments):
        result.notes.append(
            "The text has no times: its cues are laid out from 0:00 at a natural speaking rate "
            "(estimated; Timing → Align to Audio times them from the media)."
        )
    return result


_SENTENCE_PAUSE_RE = re.compile("[.?!…。？！]")
_CLAUSE_PAUSE_RE = re.compile("[,;:，；：、]")


def _pause_ms(text: str) -> float:
    """Return the time pauses at punctuation add to saying `text` (300 ms a sentence, 150 a clause)."""
    return 300.0 * len(_SENTENCE_PAUSE_RE.findall(text)) + 150.0 * len(_CLAUSE_PAUSE_RE.findall(text))


def resegment_texts(
    items: Sequence[tuple[int, int, str, str | None]]
    | Sequence[tuple[int, int, str, str | None, tuple[Word, ...] | None]],
    options: SegmentOptions | None = None,
    *,
    merge: bool = True,
    max_merge_gap_ms: int = 1000,
) -> SegmentationResult:
    """Re-segment existing cues given as (start_ms, end_ms, text, speaker[, words]); returns new cues.

    Items with timed words (an aligned cue) are cut by the pauses between the words and
    timed by them, as Whisper words are; a merged segment keeps words only when all its items have them.

    With `merge`, consecutive items of the same speaker less than
    `max_merge_gap_ms` apart become one segment (their old boundaries are
    caption hints, their line breaks line hints); otherwise each item is its own
    segment. Items keep their order. Raises nothing.
    """
    segments: list[Segment] = []
    for item in items:
        start, end, text, speaker = item[:4]
        words = item[4] if len(item) > 4 else None  # type: ignore[misc]
        flat, lines = _flatten(text)
        last = segments[-1] if segments else None
        if (
            merge
            and last is not None
            and last.speaker == speaker
            and last.end_ms is not None
            and start - last.end_ms <= max_merge_gap_ms
            and flat
        ):
            if not last.text:
                base = 0
                last.text = flat
            else:
                base = len(last.text) + 1
                last.caption_breaks = (*last.caption_breaks, base)
                last.text = f"{last.text} {flat}"
            last.line_breaks = (*last.line_breaks, *(base + x for x in lines))
            last.end_ms = max(last.end_ms, end)
            last.words = (*last.words, *words) if last.words and words else None
            continue
        segments.append(Segment(flat, start, end, speaker, words=words or None, line_breaks=tuple(lines)))
    return segment(segments, options)


def _flatten(text: str) -> tuple[str, list[int]]:
    """Return `text` on one line (runs of white space → one space) and where its lines started."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [line for line in lines if line]
    offsets: list[int] = []
    pos = 0
    for i, line in enumerate(lines):
        if i:
            offsets.append(pos)
        pos += len(line) + 1
    return " ".join(lines), offsets
