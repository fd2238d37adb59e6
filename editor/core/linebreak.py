"""A cue's text laid out in lines, the way a subtitler breaks them.

`break_lines(text, max_chars, max_lines)` returns the text on as few lines as fit
(one when it fits), at most `max_lines` of at most `max_chars` characters, choosing
among every legal break point by the rules of the Netflix, BBC and EBU guides:

- Legal break points: a space between two words, or the place between two Chinese or
  Japanese characters (or such a character and a Latin word written against it).
  Never inside a word, a URL, a number or a run of Latin text; never before a closing
  mark (no line starts with 。，、？！）」』 or ",.;:!?)") and never after an opening one
  (no line ends with （「『“ or "("): those marks stick to their neighbour.
- Good places: after a sentence end, after a clause mark, before a dash, before a
  conjunction or a preposition. Bad places: after an article, a preposition, a
  conjunction or another word that belongs to what follows ("the | house"), between
  the parts of a name ("Bob | McGrew"), between a number and its unit ("10 | km",
  "3 | 个"), between two characters that Chinese particles do not separate.
- Two lines of close length are made bottom-heavy (the shorter line on top).
- Text that cannot fit `max_lines` lines keeps that many lines, as even as they can be
  (QC flags the long lines; splitting the cue is the user's call).

Width: for Chinese, Japanese and Korean (`cjk=True`) a full-width character counts 1 and
a half-width one (Latin letters, digits, spaces, ASCII punctuation) 0.5; otherwise every
character counts 1. Markup tags (<i>, <b>, <u>) count nothing. Right-to-left text is
laid out in logical order and never reordered.

Everything is deterministic and pure; the cost is linear in the text for one or two lines.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate, pairwise

import numpy as np

from editor.core import script
from editor.core.speakers import split_prefix

# ---------------------------------------------------------------------------
# Character classes (the one place the layout rules read them from)
# ---------------------------------------------------------------------------

# Script ranges are editor.core.script's; CJK punctuation here adds the quotes and
# ellipses Chinese writes with them, which never belong to a Latin run.
IDEOGRAPHIC = script.IDEOGRAPHIC
HANGUL = script.HANGUL
CJK_PUNCT = script.CJK_PUNCT + "“”‘’…‥"
# Marks that never end a line (they belong to what follows) …
OPEN_CHARS = "([{“‘「『（【《〈〔［｛¿¡«"
# … and marks that never start one (line-start prohibition of Chinese and Japanese too).
CLOSE_CHARS = (
    ")\\]}”’」』）】》〉〕］｝\"',.;:!?%，。、；：！？…‥·・ー々〻»"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ％"
)
# The full-width (non-ASCII) ones of each: the marks of Chinese and Japanese text.
_SIMPLE_CLOSE = "".join(c for c in CLOSE_CHARS if not c.isascii())
_SIMPLE_OPEN = "".join(c for c in OPEN_CHARS if not c.isascii())
_IDEO_RE = re.compile(f"[{IDEOGRAPHIC}]")
# Ideographs, kana and the East Asian marks (、。「」，（）！ and the ideographic space): a text
# holding one is laid out by the CJK rules (no line starts with ，), not as spaced Latin words.
_EAST_ASIAN_RE = re.compile(f"[{IDEOGRAPHIC}{script.CJK_PUNCT}]")
_TAG_RE = script.TAG_RE

_OPEN_UNIT = f"(?:<[ibu]>|[{re.escape(OPEN_CHARS)}])"
_CLOSE_UNIT = f"(?:</[ibu]>|[{re.escape(CLOSE_CHARS)}])"
# A comma or semicolon ends a Latin run unless a digit follows ("McGrew,OpenAI" vs "1,000").
_RUN = f"(?:[^\\s{IDEOGRAPHIC}{CJK_PUNCT},;]|[,;](?=\\d))+"
# A unit of text without spaces: opening marks, one ideograph or a Latin run (or a
# closing mark or any other character), then the closing marks that follow it.
_UNIT = f"{_OPEN_UNIT}*(?:[{IDEOGRAPHIC}]|{_RUN}|{_CLOSE_UNIT}+|\\S){_CLOSE_UNIT}*"
# Whitespace other than the spaces and tabs words are split at (the ideographic space U+3000,
# a no-break space): it holds its neighbours together, since a line cut beside it would start
# or end with it and joining the lines (which trims them) could not give it back.
_GLUE_SPACE = "[^\\S \\t\\n]"
# A token: units held together by such whitespace (findall covers every character of a chunk).
_CHUNK_TOKEN_RE = re.compile(f"{_GLUE_SPACE}*{_UNIT}(?:{_GLUE_SPACE}+{_UNIT})*{_GLUE_SPACE}*|{_GLUE_SPACE}+")
# What unbreak trims from each line: ASCII whitespace only (U+3000 and U+00A0 are text).
_TRIM = " \t\r\x0b\x0c"
_SPACES_RE = re.compile(r"[ \t]+")

SENTENCE_END = frozenset(".?!…。？！‼⁇⁈⁉")
CLAUSE_MARKS = frozenset(",;:，；：、—–")
# Closers that may follow a sentence mark, and openers that may precede a word.
TRAIL = "\"'”’»)]}）」』】》〉〕］｝*"
LEAD = "\"'“‘«([{（「『【《〈〔［｛¿¡*"
DASHES = frozenset({"—", "–", "-", "--"})
_WORD_STRIP = TRAIL + ",.;:!?…"

# Never break after these: they belong to the next word.
TITLES = frozenset(
    "mr. mrs. ms. dr. prof. st. vs. e.g. i.e. cf. no. nos. fig. figs. sr. jr. mt. gen. col. capt. lt. "
    "sgt. rev. gov. sen. rep. approx. ca. viz. т.е. т.к. т.н. г. гг. ул. им. др. проф. напр.".split()
)
# A sentence may end after these only when a capital follows.
MAYBE_END = frozenset("etc. inc. ltd. co. corp. a.m. p.m. al. т.д. т.п.".split())
_INITIALS_RE = re.compile(r"^(?:[^\W\d_]\.)+$")

CONJUNCTIONS = frozenset(
    "and but or nor so because that which who whom whose when whenever while whereas if although "
    "though since until unless then where wherever whether as once than "
    "и а но или что чтобы потому когда если хотя где который которая которые которое "
    "und aber oder weil dass wenn als et mais ou parce que quand si y pero porque cuando".split()
)
PREPOSITIONS = frozenset(
    "of in on at to for with from by about into onto over under after before through between like "
    "without during against among within across toward towards upon via per "
    "в во на с со к ко по о об от до из за для без при про через над под у "
    "von mit bei nach zu für de à dans pour avec sur en con para por".split()
)
DETERMINERS = frozenset(
    "a an the these those my your his her its our their some any no every each this "
    "der die das ein eine le la les un une el los las".split()
)
# Words that should not end a line, and by how much (points of break quality): what
# they introduce is on the next line. Articles worst, then prepositions, conjunctions,
# determiners, auxiliaries and subject pronouns.
_AFTER_PENALTY: dict[str, float] = {}
for _words, _points in (
    ("are was were am be been being has have had do does did will would can could should may must", 35.0),
    ("i we you they he she it", 25.0),
    (" ".join(CONJUNCTIONS), 45.0),
    (" ".join(PREPOSITIONS), 50.0),
    ("is", 45.0),
    ("these those my your his her its our their some any no every each this that", 55.0),
    ("a an the der die das ein eine le la les un une el los las", 80.0),
):
    for _w in _words.split():
        _AFTER_PENALTY[_w] = _points
# A break before these starts a new phrase.
_BEFORE_BONUS: dict[str, float] = {w: 10.0 for w in PREPOSITIONS}
_BEFORE_BONUS.update({w: 20.0 for w in CONJUNCTIONS})
_UNITS = frozenset(
    "% ‰ °c °f ° km m cm mm kg g mg lb lbs oz ft in mi mph km/h kph l ml s ms sec secs min mins h hrs "
    "px kb mb gb tb hz khz mhz ghz w kw v a x percent per cent dollars euros pounds yen yuan "
    "million millions billion billions thousand thousands hundred hundreds trillion "
    "seconds second minutes minute hours hour days day weeks week months month years year "
    "km² m² м км кг г см мм л руб млн млрд тыс".split()
)
_CURRENCY = frozenset("$ € £ ¥ ₽ ₹ us$ usd eur rub №".split())

# Chinese has no spaces; without a dictionary, these function characters mark likely
# word edges: particles end a phrase, conjunctions and prepositions start one.
CJK_AFTER = frozenset("的了吗呢吧啊么们着过地得")
CJK_BEFORE = frozenset("和与但而并或及就在是把被从对向给让为因所如虽即")


def between_characters(prev: str, nxt: str) -> float:
    """Return the quality of a break between two Chinese/Japanese characters (the common case)."""
    return (10.0 if prev in CJK_AFTER else 0.0) + (6.0 if nxt[0] in CJK_BEFORE else 0.0)


is_cjk_text = script.script_is_cjk


def display_width(text: str, cjk: bool) -> float:
    """Return the width of one line as a style profile counts it (script.text_width): in CJK
    text a full-width character counts 1 and a half-width one 0.5, elsewhere every
    character 1. Markup tags count nothing."""
    if "<" in text:
        text = script.plain_text(text)
    return script.text_width(text, 0.5 if cjk else 1.0)


def longest_line(text: str, cjk: bool) -> float:
    """Return the width of the widest line of `text` (see display_width)."""
    return max(display_width(line, cjk) for line in text.split("\n"))


# ---------------------------------------------------------------------------
# Break quality
# ---------------------------------------------------------------------------


_AFTER_CACHE: dict[str, tuple[int, float, str]] = {}
_BEFORE_CACHE: dict[str, tuple[float, str]] = {}
_PLAIN, _PUNCT, _MAYBE = 0, 1, 2


def _after(prev: str) -> tuple[int, float, str]:
    """Return (kind, score, bare word) of a break after token `prev` that `prev` alone decides.

    kind is _PLAIN for a word with no punctuation after it, _MAYBE for a full stop whose
    meaning depends on the next word's case ("etc.", an initial), else _PUNCT.
    """
    found = _AFTER_CACHE.get(prev)
    if found is not None:
        return found
    bare = _TAG_RE.sub("", prev) or prev if "<" in prev else prev
    core = bare.rstrip(TRAIL)
    last = core[-1:] if core else bare[-1:]
    low = bare.lower().lstrip(LEAD)
    word = low.rstrip(_WORD_STRIP)
    if last in SENTENCE_END:
        kind, score = _PUNCT, 100.0
        if low.endswith(".") and not low.endswith(".."):
            if low in TITLES:
                score = -80.0
            elif low in MAYBE_END or _INITIALS_RE.match(low):
                kind = _MAYBE
    elif last in CLAUSE_MARKS:
        kind, score = _PUNCT, 50.0
    elif word == low.rstrip(TRAIL):
        kind, score = _PLAIN, -_AFTER_PENALTY.get(word, 0.0)
    else:
        kind, score = _PUNCT, 0.0
    found = (kind, score, low)
    if len(_AFTER_CACHE) > 100_000:
        _AFTER_CACHE.clear()
    _AFTER_CACHE[prev] = found
    return found


def _before(nxt: str) -> tuple[float, str]:
    """Return (score, bare token) of a break before token `nxt` that `nxt` alone decides."""
    found = _BEFORE_CACHE.get(nxt)
    if found is not None:
        return found
    bare = _TAG_RE.sub("", nxt) or nxt if "<" in nxt else nxt
    low = bare.lower().lstrip(LEAD).rstrip(_WORD_STRIP)
    found = (_BEFORE_BONUS.get(low, 0.0), bare)
    if len(_BEFORE_CACHE) > 100_000:
        _BEFORE_CACHE.clear()
    _BEFORE_CACHE[nxt] = found
    return found


_PAIR_SCORES: dict[tuple[str, str, bool], float] = {}
_PLAIN_IDEOGRAPHS: dict[str, bool] = {}


def _plain_ideograph(char: str) -> bool:
    """Return True when `char` is one Chinese/Japanese character that boundary_score reads only
    through CJK_AFTER and CJK_BEFORE: between two such characters written together a break
    scores between_characters(prev, nxt) - 4 (what _best_of_two uses instead of a lookup)."""
    plain = (
        len(char) == 1
        and char >= "\u3040"
        and _IDEO_RE.match(char) is not None
        and not char.isdigit()
        and char not in DASHES
        and _after(char) == (_PLAIN, 0.0, char)
        and _before(char) == (0.0, char)
    )
    if len(_PLAIN_IDEOGRAPHS) > 100_000:
        _PLAIN_IDEOGRAPHS.clear()
    _PLAIN_IDEOGRAPHS[char] = plain
    return plain


def pair_score(prev: str, nxt: str, spaced: bool) -> float:
    """Return boundary_score(prev, nxt, spaced), remembered: a text repeats its pairs of
    tokens (Chinese its characters), and a break's quality depends on nothing else."""
    key = (prev, nxt, spaced)
    score = _PAIR_SCORES.get(key)
    if score is None:
        if len(_PAIR_SCORES) > 200_000:
            _PAIR_SCORES.clear()
        score = _PAIR_SCORES[key] = boundary_score(prev, nxt, spaced)
    return score


_PREV_PLAIN: dict[str, float | None] = {}
_NEXT_GAIN: dict[str, float] = {}


def spaced_score(prev: str, nxt: str) -> float:
    """Return boundary_score(prev, nxt, True) from what each word alone decides, when `prev`
    is a plain word (no punctuation after it, no capital, digit or currency sign: most words):
    its own score plus what a break before `nxt` gains. Remembered per word, not per pair of
    words, so a text never seen before mostly finds its words' scores already known."""
    own = _PREV_PLAIN.get(prev, -1e18)
    if own == -1e18:
        own = _prev_plain(prev)
    if own is None:
        return _spaced_other(prev, nxt)
    gain = _NEXT_GAIN.get(nxt)
    if gain is None:
        bonus, bare = _before(nxt)
        gain = bonus + (40.0 if bare in DASHES or bare[:1] in "—–" else 0.0)
        if len(_NEXT_GAIN) > 100_000:
            _NEXT_GAIN.clear()
        _NEXT_GAIN[nxt] = gain
    return own + gain


def _prev_plain(prev: str) -> float | None:
    kind, score, low = _after(prev)
    plain = kind == _PLAIN and not prev[:1].isupper() and not prev[-1:].isdigit() and low not in _CURRENCY
    if len(_PREV_PLAIN) > 100_000:
        _PREV_PLAIN.clear()
    _PREV_PLAIN[prev] = found = score if plain else None
    return found


# What a word that is not plain (_prev_plain) adds to a break after it, by the rule that decides it:
_OTHER_PUNCT, _OTHER_STOP, _OTHER_WORD, _OTHER_NAME = 0, 1, 2, 3
_PREV_OTHER: dict[str, tuple[float, int] | None] = {}
# What a word adds to a break before it: (gain after a plain word, bonus, starts lower-case,
# a capitalised word of two letters or more).
_NEXT_TRAITS: dict[str, tuple[float, float, bool, bool]] = {}


def _spaced_other(prev: str, nxt: str) -> float:
    """Return boundary_score(prev, nxt, True) for a word `prev` that is not plain: composed from
    each word's own traits when it ends a clause or sentence ("said,", "know."; a full stop
    before a lower-case word is a pause, 50) or is a capitalised word ("Okay", "I"; a capital
    on both sides of the break costs 30); else (a number, a currency sign, "etc.") the pair's."""
    found = _PREV_OTHER.get(prev, False)
    if found is False:
        found = _prev_other(prev)
    if found is None:
        return pair_score(prev, nxt, True)
    own, rule = found
    traits = _NEXT_TRAITS.get(nxt)
    if traits is None:
        traits = _next_traits(nxt)
    gain, bonus, lower, capital = traits
    if rule == _OTHER_PUNCT:
        return own + bonus
    if rule == _OTHER_STOP:
        return (50.0 if lower else own) + bonus
    if rule == _OTHER_NAME and capital:
        return own + gain - 30.0
    return own + gain


def _prev_other(prev: str) -> tuple[float, int] | None:
    kind, score, low = _after(prev)
    found: tuple[float, int] | None
    if kind == _MAYBE or prev[-1:].isdigit() or low in _CURRENCY:
        found = None
    elif kind == _PUNCT:
        found = (score, _OTHER_STOP if score == 100.0 and low.endswith(".") else _OTHER_PUNCT)
    else:
        found = (score, _OTHER_NAME if prev[:1].isupper() and len(low) > 1 else _OTHER_WORD)
    if len(_PREV_OTHER) > 100_000:
        _PREV_OTHER.clear()
    _PREV_OTHER[prev] = found
    return found


# What a word adds to a break after it, whatever it is: _prev_other's (score, rule), a plain word's
# own score under _OTHER_WORD (its score plus what the next word gains, as spaced_score adds them),
# None when the pair decides (pair_score). spaced_score(prev, nxt) composed from it and
# _next_traits(nxt) as _spaced_other composes it (_best_space).
_PREV_TRAITS: dict[str, tuple[float, int] | None] = {}


def _prev_traits(prev: str) -> tuple[float, int] | None:
    own = _PREV_PLAIN.get(prev, -1e18)
    if own == -1e18:
        own = _prev_plain(prev)
    found = (own, _OTHER_WORD) if own is not None else _PREV_OTHER.get(prev, False)
    if found is False:
        found = _prev_other(prev)
    if len(_PREV_TRAITS) > 100_000:
        _PREV_TRAITS.clear()
    _PREV_TRAITS[prev] = found
    return found


def _next_traits(nxt: str) -> tuple[float, float, bool, bool]:
    bonus, bare = _before(nxt)
    first = bare[:1]
    traits = (
        bonus + (40.0 if bare in DASHES or first in "—–" else 0.0),
        bonus,
        first.islower(),
        first.isupper() and len(bare) > 1,
    )
    if len(_NEXT_TRAITS) > 100_000:
        _NEXT_TRAITS.clear()
    _NEXT_TRAITS[nxt] = traits
    return traits


def unspaced_mark_score(prev: str, nxt: str) -> float:
    """Return boundary_score(prev, nxt, False) for two tokens of Chinese/Japanese ideographs and
    full-width marks (_simple_cjk_two_lines' text): what `prev` alone decides, and between two
    single characters the pair's between_characters (a token after it counts by its first
    character). Remembered per token, not per pair."""
    kind, score, _low = _AFTER_CACHE.get(prev) or _after(prev)
    if kind == _MAYBE or prev[-1] in OPEN_CHARS:  # (neither in such text: a full stop, an opener last)
        return pair_score(prev, nxt, False)
    if kind == _PLAIN and len(prev) == 1 and prev >= "\u3040" and nxt[0] >= "\u3040":
        return score + between_characters(prev, nxt[0]) - 4.0
    return score


def boundary_score(prev: str, nxt: str, spaced: bool) -> float:
    """Return how good a break between tokens `prev` and `nxt` is (higher is better).

    `spaced` is True when a space separates them (a word boundary), False between two
    tokens written together (Chinese/Japanese characters, or such a character and a
    Latin run). Roughly: +100 a sentence end, +50 a clause mark, +20 before a
    conjunction, −80 after an article, −60 between a number and its unit.
    """
    kind, score, low = _AFTER_CACHE.get(prev) or _after(prev)
    bonus, bare = _BEFORE_CACHE.get(nxt) or _before(nxt)
    first = bare[:1]
    if kind == _MAYBE:
        head = bare.lstrip(LEAD)[:1]
        if low in MAYBE_END or len(low) > 2:
            score = 100.0 if head.isupper() else 0.0  # "etc.", "U.S.": a sentence end only before a capital
        else:
            score = -40.0  # "John F. Kennedy"
    elif kind == _PLAIN:
        if bare in DASHES or first in "—–":
            score += 40.0
    elif kind == _PUNCT and score == 100.0 and low.endswith(".") and first.islower():
        score = 50.0  # "a.m. then", or a lower-case transcript: a pause, not a new sentence
    if spaced:
        score += bonus
        tail = prev[-1:]
        if kind == _PLAIN and prev[:1].isupper() and first.isupper() and len(low) > 1 and len(bare) > 1:
            score -= 30.0  # "Bob | McGrew", "New | York"
        if tail.isdigit():
            if first.isdigit() or bare.lower() in _UNITS:
                score -= 60.0  # "1 000", "10 km", "5 %" read as one
        elif low in _CURRENCY and first.isdigit():
            score -= 60.0  # "$ 5"
        return score
    p = prev[-1:]
    if p.isdigit() and first and not first.isascii():
        return score - 50.0  # "3个", "10公里": a number with its measure word
    latin_p = p.isascii() and p.isalnum()
    if (latin_p and first >= "\u3040") or (p >= "\u3040" and first.isascii() and first.isalnum()):
        return score - 30.0  # "GPT-4等": a Latin word written against a Chinese one
    if kind == _PLAIN and len(prev) == 1 and len(first) == 1 and p >= "\u3040" and first >= "\u3040":
        return score + between_characters(p, first) - 4.0
    if p in OPEN_CHARS:
        return score - 100.0
    return score


# ---------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------


def _is_dialogue(lines: list[str]) -> bool:
    return len(lines) >= 2 and all(ln.lstrip()[:1] in "-–—‐" for ln in lines if ln.strip())


def unbreak(text: str) -> str:
    """Return `text` on one line.

    A line break becomes a space between two Latin words and nothing next to a
    Chinese/Japanese character or mark (where the text has no spaces). A dialogue cue
    (every line opens with a dash, one line per speaker) keeps its lines. A stacked bilingual
    cue (script.stacked_parts: lines of one language, then lines of Chinese or Japanese, or
    the other way round) is joined within each part, the two parts kept on their own lines.
    """
    if "\n" not in text:
        return text
    if not text.isascii():
        parts = script.stacked_parts(text)
        if parts is not None:
            return unbreak_part(parts[0]) + "\n" + unbreak_part(parts[1])
    return unbreak_part(text)


def unbreak_part(text: str) -> str:
    """Return unbreak(text) for a text known to be no stacked bilingual cue (script.stacked_parts
    gives None: a part of one, or its layout; a text already asked): unbreak without asking."""
    if "\n" not in text:
        return text
    if text.count("\n") == 1:
        a, _, b = text.partition("\n")
        a, b = a.strip(_TRIM), b.strip(_TRIM)
        if a and b and a[-1] != ">" and b[0] != "<" and a[0] not in "-–—‐":
            if a[-1].isascii() and b[0].isascii():
                if "://" not in a and "www." not in a:
                    return a + " " + b  # two lines of Latin text (the common case)
            else:
                return a + _glue(a, a[-1], b[0]) + b  # two lines of Chinese, or mixed
    lines = [ln.strip(_TRIM) for ln in text.split("\n")]
    lines = [ln for ln in lines if ln]
    if not lines:
        return ""
    if _is_dialogue(lines):
        return "\n".join(lines)
    out = lines[0]
    for line in lines[1:]:
        a = _TAG_RE.sub("", out)[-1:] if "<" in out[-4:] else out[-1:]
        b = _TAG_RE.sub("", line)[:1] if line.startswith("<") else line[:1]
        out += _glue(out, a, b) + line
    return out


def unbreak_stacked(texts: list[str]) -> str | None:
    """Return texts (cues being merged) joined language by language when one of them is a
    stacked bilingual cue (script.stacked_parts): the non-CJK parts joined on one line, the
    Chinese/Japanese parts on another, in the order of the first stacked text; a text of one
    script joins its script's line. None when no text is stacked (unbreak joins them)."""
    order: tuple[bool, bool] | None = None
    pieces: dict[bool, list[str]] = {False: [], True: []}
    for text in texts:
        parts = script.stacked_parts(text) if "\n" in text and not text.isascii() else None
        for part in parts or (text,):
            cjk = _IDEO_RE.search(part) is not None
            pieces[cjk].append(part)
            if parts is not None and order is None:
                order = (cjk, not cjk)
    if order is None:
        return None
    return "\n".join(joined for cjk in order if (joined := unbreak("\n".join(pieces[cjk]))))


def _glue(before: str, a: str, b: str) -> str:
    """Return what joins two lines whose facing characters are `a` and `b`: nothing between
    two Chinese/Japanese characters or next to a full-width mark (or ASCII punctuation
    inside such text), else a space (Latin words; Korean, which spaces its words; a Latin
    word next to a Chinese one, written "用 O1 推出")."""
    if not a or not b:
        return ""
    if a in _SHARED_MARKS or b in _SHARED_MARKS:
        # English writes "mean… but" and “quotes” too: such a mark glues only in CJK text
        # (a Chinese/Japanese character or mark facing it, or before a closing one).
        inner = before.rstrip("".join(_SHARED_MARKS))[-1:] if a in _SHARED_MARKS else ""
        return "" if any(_is_cjk_char(ch) for ch in (a, b, inner)) else " "
    if a in _FULL_WIDTH_MARKS or b in _FULL_WIDTH_MARKS:
        return ""
    ideo_a, ideo_b = _IDEO_RE.match(a) is not None, _IDEO_RE.match(b) is not None
    if (ideo_a and (ideo_b or not b.isalnum())) or (ideo_b and not a.isalnum()):
        return ""
    if a in _URL_SEPARATORS and b.isalnum():
        last = before.rsplit(" ", 1)[-1]
        if "://" in last or last.startswith("www."):
            return ""  # a URL wrapped inside (see _hard_wrap)
    return " "


_FULL_WIDTH_MARKS = frozenset("。，、；：？！「」『』（）《》【】〈〉〔〕・ー\u3000\uff5e")
# Marks both Latin and Chinese/Japanese text use: the characters beside them tell which.
_SHARED_MARKS = frozenset("…‥“”‘’")


def _is_cjk_char(ch: str) -> bool:
    return ch in _FULL_WIDTH_MARKS or (ch != "" and _IDEO_RE.match(ch) is not None)


def _has_tag(text: str) -> bool:
    """Return True when `text` holds an <i>, <b> or <u> tag (which counts no width and is kept
    to its word): the fast paths leave such text to the general path. A "<" that opens no tag
    ("x < y", "I <3 this") is a character like any other for every path."""
    return "<" in text and _TAG_RE.search(text) is not None


def _tokens(flat: str) -> tuple[list[str], list[bool]]:
    """Return the unbreakable tokens of one line of text and whether a space precedes each."""
    chunks = flat.split(" ") if "  " not in flat and "\t" not in flat else _SPACES_RE.split(flat)
    if not chunks[0] or not chunks[-1]:
        chunks = [c for c in chunks if c]
    if _IDEO_RE.search(flat) is None:
        return chunks, [True] * len(chunks)
    tokens: list[str] = []
    spaced: list[bool] = []
    findall = _CHUNK_TOKEN_RE.findall
    for chunk in chunks:
        if _IDEO_RE.search(chunk) is None:
            tokens.append(chunk)
            spaced.append(True)
            continue
        toks = findall(chunk)
        tokens += toks
        spaced.append(True)
        spaced += [False] * (len(toks) - 1)
    return tokens, spaced


# ---------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------


_CJK_WIDTHS: dict[str, float] = {}
_CJK_GAPS = {True: 0.5, False: 0.0}
_WIDE_TEXT: list[re.Pattern[str]] = []


def _wide_text() -> re.Pattern[str]:
    """Return the pattern of a text of East Asian wide and full-width characters only (built
    once, on first use, from script's: one C-speed scan tells that every character counts 1)."""
    if not _WIDE_TEXT:
        _WIDE_TEXT.append(re.compile(script.wide_bmp().pattern + "+"))
    return _WIDE_TEXT[0]


def _cjk_width(token: str) -> float:
    """Return display_width(token, True), remembered (Chinese text repeats its characters)."""
    width = display_width(token, True)
    if len(_CJK_WIDTHS) > 50_000:
        _CJK_WIDTHS.clear()
    _CJK_WIDTHS[token] = width
    return width


class _Line:
    """One text's tokens with cumulative widths: width(a, b) is tokens a..b-1 on one line."""

    __slots__ = ("cjk", "cum", "gap", "spaced", "tokens")

    def __init__(self, tokens: list[str], spaced: list[bool], cjk: bool) -> None:
        self.tokens = tokens
        self.spaced = spaced
        self.cjk = cjk
        joined = "".join(tokens)
        if cjk:
            self.gap = 0.5
            get = _CJK_WIDTHS.get
            widths = list(map(get, tokens))
            if None in widths:
                widths = [w if w is not None else _cjk_width(t) for w, t in zip(widths, tokens, strict=True)]
            gaps = map(_CJK_GAPS.__getitem__, spaced)
            self.cum = list(accumulate(map(float.__add__, widths, gaps), initial=0.0))
            return
        self.gap = 1.0
        if "<" not in joined and False not in spaced:
            self.cum = list(accumulate(map((1).__add__, map(len, tokens)), initial=0))
            return
        widths = (
            list(map(len, map(_TAG_RE.sub, [""] * len(tokens), tokens)))
            if "<" in joined
            else list(map(len, tokens))
        )
        self.cum = list(accumulate(map(int.__add__, widths, map(int, spaced)), initial=0))

    def width(self, a: int, b: int) -> float:
        return self.cum[b] - self.cum[a] - (self.gap if self.spaced[a] else 0.0)

    def text(self, a: int, b: int) -> str:
        toks, sp = self.tokens, self.spaced
        out = toks[a]
        for i in range(a + 1, b):
            out += (" " + toks[i]) if sp[i] else toks[i]
        return out

    def score(self, b: int, hints: frozenset[int]) -> float:
        """Return the quality of a break before token b."""
        s = pair_score(self.tokens[b - 1], self.tokens[b], self.spaced[b])
        return s + 15.0 if b in hints else s


def _two_lines(
    line: _Line, width: float, reserve: float, hints: frozenset[int], dist_w: float, nominal: float = 0.0
) -> int:
    """Return the token index of the best break into two lines that fit `width`, or -1.

    Lines wider than `nominal` (when given: the real limit, below `width`) cost extra. A
    break that joining the lines again (unbreak) would not undo is never chosen.
    """
    banned: set[int] = set()
    while True:
        b = _best_of_two(line, width, reserve, hints, dist_w, nominal, banned)
        if b <= 0:
            return b
        if _rejoins(line, b) and not _reads_stacked(line.text(0, b) + "\n" + line.text(b, len(line.tokens))):
            return b
        banned.add(b)


def _reads_stacked(laid: str) -> bool:
    """Return True when the lines `laid` (one text broken in two) would read as a stacked
    bilingual cue (script.stacked_parts: a line of Latin words, a line of Chinese), which
    unbreak keeps apart: joining the lines would not undo such a break, so it is never chosen
    for text that was one line (Latin words written inside a Chinese sentence stay mixed)."""
    return not laid.isascii() and script.stacked_parts(laid) is not None


def _rejoins(line: _Line, b: int) -> bool:
    """Return True when unbreak puts back what separated tokens b-1 and b (a space or nothing):
    not so for a space between a Chinese character and "<" or "(", nor "GPT-4|等" written
    together, which unbreak cannot tell from the usual case."""
    return _rejoins_at(line.tokens, line.spaced, b)


def _rejoins_at(tokens: list[str], spaced: list[bool], b: int) -> bool:
    prev, nxt = tokens[b - 1], tokens[b]
    a, c = prev[-1], nxt[0]
    if a.isascii() and c.isascii():
        return True  # Latin on both sides (a word wrapped inside goes by _hard_wrap's rules)
    if a == ">" and "<" in prev:
        a = _TAG_RE.sub("", prev)[-1:]
    if c == "<":
        c = _TAG_RE.sub("", nxt)[:1]
    return _glue(prev, a, c) == (" " if spaced[b] else "")


def _best_of_two(
    line: _Line,
    width: float,
    reserve: float,
    hints: frozenset[int],
    dist_w: float,
    nominal: float,
    banned: set[int],
) -> int:
    n = len(line.tokens)
    cum, sp, gap = line.cum, line.spaced, line.gap
    head = (gap if sp[0] else 0.0) - reserve  # l1 = cum[b] - head
    end = cum[n]
    toks = line.tokens
    words = chinese_words() if line.cjk else None
    best_b, best = -1, -1e18
    scores = _PAIR_SCORES
    plain = _PLAIN_IDEOGRAPHS
    # l1 ≤ width up to hi; l2 ≤ width from about lo (a space before b shortens l2 by a gap).
    hi = min(n - 1, bisect_right(cum, width + head + 1e-9))
    for b in range(max(1, bisect_left(cum, end - width - gap - 1e-9)), hi + 1):
        l1 = cum[b] - head
        l2 = end - cum[b] - (gap if sp[b] else 0.0)
        if l2 > width or l1 > width or b in banned:
            continue
        # Balanced lines; a slightly longer bottom line (a pyramid) reads better.
        pt, nt = toks[b - 1], toks[b]
        if sp[b]:
            q = spaced_score(pt, nt)  # between words: their own scores (pair_score's number)
        elif len(pt) != 1 or len(nt) != 1:
            q = scores.get((pt, nt, False))
            if q is None:
                q = pair_score(pt, nt, False)
        else:
            # Two characters written together (nearly every break of Chinese): the score of
            # plain ideographs is between_characters' (see _plain_ideograph).
            pp, pn = plain.get(pt), plain.get(nt)
            if pp is None:
                pp = _plain_ideograph(pt)
            if pn is None:
                pn = _plain_ideograph(nt)
            if pp and pn:
                q = between_characters(pt, nt) - 4.0
            else:
                q = scores.get((pt, nt, False))
                if q is None:
                    q = pair_score(pt, nt, False)
        if b in hints:
            q += 15.0
        score = q * 0.6 - abs(l1 - l2) * dist_w * 0.7 - (2.0 if l1 > l2 else 0.0)
        if nominal and (l1 > nominal or l2 > nominal):
            score -= (max(l1, l2) - nominal) * dist_w * 1.5
        if score > best:
            # Splitting a dictionary word costs 40 quality points (looked up only when it matters).
            if words is not None and not sp[b] and _inside_word(words, toks, b):
                score -= 40.0 * 0.6
                if score <= best:
                    continue
            best, best_b = score, b
    return best_b


def _latin_two_lines(flat: str, width: float, reserve: float) -> str | None:
    """Return `flat` (single-spaced words, no tags) in one or two lines: the layout the
    general path gives, found with string searches instead of tokens. None when the text is
    not plain spaced words (ideographs or East Asian marks, a word longer than a line, tabs,
    outer spaces)."""
    n = len(flat)
    if n + reserve <= width:
        return flat
    if (
        flat[0] == " "
        or flat[-1] == " "
        or "\t" in flat
        or (not flat.isascii() and _EAST_ASIAN_RE.search(flat) is not None)
    ):
        return None
    words = flat.split(" ")
    if max(map(len, words)) > width:
        return None  # a word longer than a line: the general path wraps inside it
    dist_w = 42.0 / max(1.0, width)
    i = _best_space(flat, width, reserve, dist_w, 0.0, words)
    if i < 0:
        # Too long for two lines: as even as they can be, a good break within a quarter line.
        mid = max(0.0, (n - 1 - reserve) // 2)  # where l1 = k + reserve meets l2 = n - k - 1
        left, right = flat.rfind(" ", 0, int(mid) + 1), flat.find(" ", int(mid))
        evens = [max(k + reserve, n - k - 1) for k in (left, right) if k > 0]
        if not evens:
            return None
        i = _best_space(flat, min(evens) + width / 4, reserve, dist_w, width, words)
        if i < 0:
            return None
    return flat[:i] + "\n" + flat[i + 1 :]


def _best_space(
    flat: str, width: float, reserve: float, dist_w: float, nominal: float, words: list[str] | None = None
) -> int:
    """Return the index of the space where `flat` breaks best into two lines of at most
    `width` (scored as _two_lines scores a break), or -1 when no space gives two such lines.
    `words`: flat.split(" ") when the caller has it. Only the spaces that can give two such
    lines are looked at: the first found by a search, the words around it by counting the
    spaces before it, the next ones' offsets by adding the words' lengths up."""
    n = len(flat)
    first = max(1, int(n - 1 - width))  # (l2 = n - i - 1 ≤ width from about here)
    hi = width - reserve
    i = flat.find(" ", first)
    if i < 0 or i > hi:
        return -1
    if words is None:
        words = flat.split(" ")
    at = flat.count(" ", 0, i)  # the space after words[at]
    prev = words[at]
    best_i, best = -1, -1e18
    prev_traits, next_traits = _PREV_TRAITS, _NEXT_TRAITS
    for k in range(at + 1, len(words)):
        # i: the offset of the space before nxt (after prev)
        nxt = words[k]
        if i > hi:
            break
        l1, l2 = i + reserve, n - i - 1
        if l2 <= width:
            # spaced_score(prev, nxt) from each word's traits (_prev_traits, _next_traits)
            found = prev_traits.get(prev, False)
            if found is False:
                found = _prev_traits(prev)
            if found is None:
                q = pair_score(prev, nxt, True)
            else:
                traits = next_traits.get(nxt)
                if traits is None:
                    traits = _next_traits(nxt)
                own, rule = found
                if rule == _OTHER_WORD:
                    q = own + traits[0]
                elif rule == _OTHER_PUNCT:
                    q = own + traits[1]
                elif rule == _OTHER_STOP:
                    q = (50.0 if traits[2] else own) + traits[1]
                elif traits[3]:  # (_OTHER_NAME before a capitalised word)
                    q = own + traits[0] - 30.0
                else:
                    q = own + traits[0]
            score = q * 0.6 - abs(l1 - l2) * dist_w * 0.7 - (2.0 if l1 > l2 else 0.0)
            if nominal and (l1 > nominal or l2 > nominal):
                score -= (max(l1, l2) - nominal) * dist_w * 1.5
            if score > best:
                best, best_i = score, i
        i += len(nxt) + 1
        prev = nxt
    return best_i


def latin_two_lines_many(texts: list[str], width: float) -> list[tuple[str, str, str] | None]:
    """Return, per text, (break_lines(text, width, 2, cjk=False), unbreak(text), unbreak of that
    layout) for the texts it takes, None for the others (the caller lays those out one by one):
    the fast path of Rebalance Lines over Latin cues, the plain path's steps (break_and_unbreak:
    unbreak, a speaker label kept with its speech by _label_kept, _lay_out's _latin_two_lines)
    without a call per step, and the spaces of all the texts scored at once (_latin_best_spaces,
    NumPy). No text may be a stacked bilingual cue (unbreak_part's texts).

    Taken: one line, or two lines that unbreak joins with a space (Latin on both sides, no
    dash, tag or URL at the join), of single-spaced words with no tag, no tab, no word longer
    than a line, that the Latin fast path lays out (the speech after a label too)."""
    out: list[tuple[str, str, str] | None] = [None] * len(texts)
    width = float(width)
    half = width / 2
    # Texts to break in two (_latin_two_lines' text): (whose, text, reserve, label or None, one-line text).
    jobs: list[tuple[int, str, float, str | None, str]] = []
    for k, text in enumerate(texts):
        if "\n" in text:
            a, _, b = text.partition("\n")
            a, b = a.strip(_TRIM), b.strip(_TRIM)
            # (unbreak_part's common case: two lines of Latin text joined by a space)
            if (
                "\n" in b
                or not a
                or not b
                or a[-1] == ">"
                or b[0] == "<"
                or a[0] in "-–—‐"
                or not a[-1].isascii()
                or not b[0].isascii()
                or "://" in a
                or "www." in a
            ):
                continue
            flat = a + " " + b
        elif len(text) <= width:
            out[k] = (text, text, text)  # (one line that fits: break_and_unbreak's first answer)
            continue
        else:
            flat = text
        if (
            "  " in flat
            or "\t" in flat
            or flat[0] == " "
            or flat[-1] == " "
            or ("<" in flat and _TAG_RE.search(flat) is not None)
            or (not flat.isascii() and _EAST_ASIAN_RE.search(flat) is not None)
        ):
            continue
        if len(flat) <= width:
            out[k] = (flat, flat, flat)  # (two lines that fit one, labelled or not: _latin_two_lines' answer)
            continue
        if ":" in flat or "：" in flat:
            # _label_kept: the speech laid out with the label's width reserved, the label kept.
            found = _latin_speaker_label(flat)
            if found:
                head, head_w = _label_head(found, False)
                if not (head_w > half and _EAST_ASIAN_RE.search(head) is not None):
                    jobs.append((k, flat[len(found) :], head_w, head, flat))
                    continue
        jobs.append((k, flat, 0.0, None, flat))
    cuts = _latin_best_spaces([job[1] for job in jobs], [job[2] for job in jobs], width)
    # Too long for two lines: as even as they can be, a good break within a quarter line
    # (_latin_two_lines' second try), all at once.
    lines: list[str] = []
    reserves: list[float] = []
    limits: list[float] = []
    whose: list[int] = []
    for j in [j for j, i in enumerate(cuts) if i == -1]:
        line, reserve = jobs[j][1], jobs[j][2]
        n = len(line)
        if n + reserve <= width:
            cuts[j] = _ONE_BY_ONE  # (cannot happen: each line is wider than a line's room)
            continue
        mid = max(0.0, (n - 1 - reserve) // 2)  # where l1 = k + reserve meets l2 = n - k - 1
        left, right = line.rfind(" ", 0, int(mid) + 1), line.find(" ", int(mid))
        evens = [max(k + reserve, n - k - 1) for k in (left, right) if k > 0]
        if evens:
            lines.append(line)
            reserves.append(reserve)
            limits.append(min(evens) + width / 4)
            whose.append(j)
    for j, i in zip(whose, _latin_best_spaces(lines, reserves, width, limits, width), strict=True):
        cuts[j] = i
    for (k, line, reserve, head, flat), i in zip(jobs, cuts, strict=True):
        if i == _LONG_WORD:
            continue  # (a word longer than a line: the general path wraps inside it)
        if i > 0:
            laid = line[:i] + "\n" + line[i + 1 :]
        else:  # (-1: no break even so, _latin_two_lines gives the text up)
            laid = _latin_two_lines(line, width, reserve) if i == _ONE_BY_ONE else None
        if head is not None:
            if laid is None:
                continue  # (the general path lays the speech out)
            labelled = None
            if "\n" in laid:
                first = laid[: laid.index("\n")].split(" ", 1)[0]
                if not (len(first) > width - reserve and _EAST_ASIAN_RE.search(first) is None):
                    labelled = head + laid
                    if not labelled.isascii() and _reads_stacked(labelled):
                        labelled = None
            # (the label not kept: the usual rules)
            laid = labelled if labelled is not None else _latin_two_lines(flat, width, 0.0)
        if laid is None:
            continue
        i = laid.find("\n")
        if i < 0:
            continue  # (cannot happen: each text is wider than a line)
        first, c = laid[:i], laid[i + 1]
        # unbreak_part(laid), its common case at once: a break at a space between two ASCII
        # characters (the lines have no outer space: they are cut from the one-line text at one)
        if (
            first[-1] != ">"
            and c != "<"
            and first[0] not in "-–—‐"
            and first[-1].isascii()
            and c.isascii()
            and "://" not in first
            and "www." not in first
        ):
            out[k] = (laid, flat, first + " " + laid[i + 1 :])
        else:
            out[k] = (laid, flat, unbreak_part(laid))
    return out


# What _latin_best_spaces answers for a text with a word longer than the width; what
# latin_two_lines_many leaves to _latin_two_lines.
_LONG_WORD, _ONE_BY_ONE = -2, -3


def _latin_best_spaces(
    texts: list[str],
    reserves: list[float],
    width: float,
    limits: list[float] | None = None,
    nominal: float = 0.0,
) -> list[int]:
    """Return, per text (single-spaced words, no outer space, tab or line break), _best_space(text,
    limit, reserve, 42 / max(1, width), nominal) (its limit: `width` unless `limits` are given):
    the offset of the space where it breaks best into two lines of at most the limit, -1 when
    none does; _LONG_WORD when a word is longer than `width` (_latin_two_lines gives such a
    text up). Every space that can give two such lines is scored at once with NumPy, by the
    same float operations as _best_space (so the same ties, the first best kept); the words
    around them are cut out once each and scored by their traits (_prev_traits, _next_traits;
    a pair that decides itself, by pair_score)."""
    m = len(texts)
    out = [-1] * m
    if not m:
        return out
    big = "\n".join(texts)
    if big.isascii():
        codes = np.frombuffer(big.encode("ascii"), dtype=np.uint8)
    else:
        codes = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=m)
    offs = np.zeros(m, dtype=np.int64)
    np.cumsum(lens[:-1] + 1, out=offs[1:])
    sp = np.flatnonzero(codes == 32)  # every space; the texts' own order
    t = np.searchsorted(offs, sp, side="right") - 1  # the text of each space
    # Word lengths: the gaps between a text's edges and its spaces; the longest per text.
    starts = np.sort(np.concatenate((offs, sp + 1)), kind="stable")
    ends = np.sort(np.concatenate((sp, offs + lens)), kind="stable")
    per_text = np.bincount(t, minlength=m) + 1
    first_word = np.zeros(m, dtype=np.int64)
    np.cumsum(per_text[:-1], out=first_word[1:])
    longest = np.maximum.reduceat(ends - starts, first_word)
    too_long = longest > width
    for k in np.flatnonzero(too_long).tolist():
        out[k] = _LONG_WORD
    if not len(sp):
        return out
    # The spaces _best_space looks at: i ≤ width - reserve (hi), l2 = n - i - 1 ≤ width.
    i = sp - offs[t]
    reserve = np.asarray(reserves, dtype=np.float64)
    r = reserve[t]
    n = lens[t]
    l2 = n - i - 1
    lim = width if limits is None else np.asarray(limits, dtype=np.float64)[t]
    cand = np.flatnonzero((i <= lim - r) & (l2 <= lim) & ~too_long[t])
    if not len(cand):
        return out
    # The word before each such space (k + t[k]: its index among all words) and the one after.
    wp = cand + t[cand]
    needed = np.zeros(len(starts), dtype=bool)
    needed[wp] = True
    needed[wp + 1] = True
    idx = np.flatnonzero(needed)
    uid, words = _distinct_words(big, codes, starts[idx], ends[idx])
    at = np.zeros(len(starts), dtype=np.int64)
    at[idx] = np.arange(len(idx))
    # Each distinct word's traits: as the word before a break (own score, rule; the pair decides:
    # rule -1) and as the word after one (gain, bonus, lower-case start, capitalised).
    own = np.empty(len(words), dtype=np.float64)
    rule = np.empty(len(words), dtype=np.int64)
    gain = np.empty(len(words), dtype=np.float64)
    bonus = np.empty(len(words), dtype=np.float64)
    lower = np.empty(len(words), dtype=bool)
    capital = np.empty(len(words), dtype=bool)
    prev_traits, next_traits = _PREV_TRAITS, _NEXT_TRAITS
    for u, word in enumerate(words):
        found = prev_traits.get(word, False)
        if found is False:
            found = _prev_traits(word)
        own[u], rule[u] = found if found is not None else (0.0, -1)
        traits = next_traits.get(word)
        if traits is None:
            traits = _next_traits(word)
        gain[u], bonus[u], lower[u], capital[u] = traits
    p = uid[at[wp]]
    x = uid[at[wp + 1]]
    rp = rule[p]
    op = own[p]
    # spaced_score(prev, nxt) as _best_space composes it, rule by rule.
    q = op + gain[x]  # _OTHER_WORD (a plain word too), _OTHER_NAME before a lower-case word
    q = np.where(rp == _OTHER_PUNCT, op + bonus[x], q)
    q = np.where(rp == _OTHER_STOP, np.where(lower[x], 50.0, op) + bonus[x], q)
    q = np.where((rp == _OTHER_NAME) & capital[x], op + gain[x] - 30.0, q)
    for j in np.flatnonzero(rp == -1).tolist():
        q[j] = pair_score(words[p[j]], words[x[j]], True)
    ic = i[cand]
    l1 = ic + r[cand]
    l2c = l2[cand]
    dist_w = 42.0 / max(1.0, width)
    score = q * 0.6 - np.abs(l1 - l2c) * dist_w * 0.7 - np.where(l1 > l2c, 2.0, 0.0)
    if nominal:
        over = (l1 > nominal) | (l2c > nominal)
        score = np.where(over, score - (np.maximum(l1, l2c) - nominal) * dist_w * 1.5, score)
    # The best space of each text, the first of equals (_best_space keeps the first best).
    tc = t[cand]
    seg = np.flatnonzero(np.concatenate(([True], tc[1:] != tc[:-1])))
    best = np.maximum.reduceat(score, seg)
    count = np.diff(np.append(seg, len(tc)))
    first = np.minimum.reduceat(np.where(score == np.repeat(best, count), np.arange(len(tc)), len(tc)), seg)
    for k, b in zip(tc[seg].tolist(), ic[first].tolist(), strict=True):
        out[k] = b
    return out


def _distinct_words(
    big: str, codes: np.ndarray, ws: np.ndarray, we: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """Return, per word big[ws:we] (codes: big's characters, uint8 when it is ASCII), the index
    of the word among the distinct ones, and those words. ASCII words of up to 7 characters are
    told apart by a number of their own (their length in the top byte, their characters
    below: one number, one word) without cutting them out; the others are cut out and told
    apart as strings."""
    if codes.dtype != np.uint8:
        strs = list(map(big.__getitem__, map(slice, ws.tolist(), we.tolist())))
        ids = dict.fromkeys(strs)
        for u, word in enumerate(ids):
            ids[word] = u
        return np.fromiter(map(ids.__getitem__, strs), dtype=np.int64, count=len(strs)), list(ids)
    wl = we - ws
    key = wl.astype(np.uint64) << np.uint64(56)
    padded = np.concatenate((codes, np.zeros(7, dtype=np.uint8)))
    for j in range(7):
        key |= np.where(wl > j, padded[ws + j].astype(np.uint64), np.uint64(0)) << np.uint64(8 * j)
    long_ = np.flatnonzero(wl > 7)
    if len(long_):
        strs = list(map(big.__getitem__, map(slice, ws[long_].tolist(), we[long_].tolist())))
        ids = dict.fromkeys(strs)
        for u, word in enumerate(ids):
            ids[word] = u
        number = np.fromiter(map(ids.__getitem__, strs), dtype=np.uint64, count=len(strs))
        key[long_] = (np.uint64(255) << np.uint64(56)) | number  # (a length byte no short word has)
    _keys, first, uid = np.unique(key, return_index=True, return_inverse=True)
    words = list(map(big.__getitem__, map(slice, ws[first].tolist(), we[first].tolist())))
    return uid.reshape(-1), words


_WORDS: list[dict[str, str] | None] = []


def chinese_words() -> dict[str, str] | None:
    """Return the Chinese words of the CC-CEDICT lexicon (editor.core.lexicon, read once per
    process), or None when the dictionary package is not installed."""
    if not _WORDS:
        from editor.core import lexicon

        lex = lexicon.load()
        _WORDS.append(lex.zh_to_en if lex is not None else None)
        if lex is not None:
            _word_pairs(lex.zh_to_en, lex.prefixes)  # with the words, once per process (~0.05 s)
            _word_index(lex.zh_to_en)  # and as arrays, for simple_cjk_two_lines_many
    return _WORDS[0]


_PAIRS: list[tuple[dict[str, str], frozenset[str], dict[str, str]]] = []


def _word_pairs(
    words: dict[str, str], prefixes: frozenset[str] | None = None
) -> tuple[frozenset[str], dict[str, str]]:
    """Return (first, inner) holding every two characters side by side in a word of two to
    four characters of `words`: as a string in `first` (the first two characters of every word:
    the lexicon's own `prefixes`, shared) or, when not there, as its second character in
    inner[its first character] (~50,000 more pairs, kept as ~7,000 short strings: ~0.5 MB where
    a set of them held 6). A word can span the boundary between two characters only when they
    are such a pair, so most boundaries are answered by a look-up or two (_may_span)."""
    if _PAIRS and _PAIRS[0][0] is words:
        return _PAIRS[0][1], _PAIRS[0][2]
    if prefixes is None:
        prefixes = frozenset(w[:2] for w in words)
    inner: dict[str, str] = {}
    get = inner.get
    for w in words:
        if 2 < len(w) < 5:
            for two in (w[1:3], w[2:4]) if len(w) == 4 else (w[1:3],):
                if two not in prefixes:
                    a, b = two
                    known = get(a, "")
                    if b not in known:
                        inner[a] = known + b
    _PAIRS[:] = [(words, prefixes, inner)]
    return prefixes, inner


def _may_span(pairs: tuple[frozenset[str], dict[str, str]], a: str, b: str) -> bool:
    """Return True when characters `a` and `b` side by side may be inside a word of two to four
    characters (_word_pairs; False is certain, True only says to look)."""
    return a + b in pairs[0] or b in pairs[1].get(a, "")


_INSIDE: dict[tuple[str, ...], bool] = {}


def _inside_word(words: dict[str, str], toks: list[str], b: int) -> bool:
    """Return True when a dictionary word of two to four characters spans the boundary before
    token b (both sides single Chinese characters): a break there would split the word.
    Remembered by the three tokens on each side (all the answer depends on)."""
    prev, nxt = toks[b - 1], toks[b]
    if len(prev) != 1 or len(nxt) != 1 or not _may_span(_word_pairs(words), prev, nxt):
        return False
    key = (*toks[max(0, b - 3) : b], "", *toks[b : b + 3])
    found = _INSIDE.get(key)
    if found is None:
        if len(_INSIDE) > 200_000:
            _INSIDE.clear()
        found = _INSIDE[key] = _spans_word(words, toks, b)
    return found


def _spans_word(words: dict[str, str], toks: list[str], b: int) -> bool:
    prev, nxt = toks[b - 1], toks[b]
    if _IDEO_RE.match(prev) is None or _IDEO_RE.match(nxt) is None:
        return False
    left = "".join(t for t in toks[max(0, b - 3) : b] if len(t) == 1)
    right = "".join(t for t in toks[b : b + 3] if len(t) == 1)
    for i in range(1, len(left) + 1):
        head = left[-i:]
        for j in range(1, min(len(right), 4 - i) + 1):
            if head + right[:j] in words:
                return True
    return False


def _spans_characters(words: dict[str, str], left: str, right: str) -> bool:
    """Return _spans_word's answer for a boundary between ideographs each its own token, `left`
    the (up to) three before it and `right` the three after: a word of two to four characters
    across it."""
    if not _may_span(_word_pairs(words), left[-1:], right[:1]):
        return False
    for i in range(1, len(left) + 1):
        head = left[-i:]
        for j in range(1, min(len(right), 4 - i) + 1):
            if head + right[:j] in words:
                return True
    return False


def _even_width(line: _Line, reserve: float) -> float:
    """Return the narrowest width that two lines of the text can have (the longer line's)."""
    n = len(line.tokens)
    cum, sp, gap = line.cum, line.spaced, line.gap
    head = (gap if sp[0] else 0.0) - reserve
    end = cum[n]
    m = bisect_left(cum, (end + head) / 2)
    best = line.width(0, n) + reserve
    for b in range(max(1, m - 1), min(n, m + 2)):
        best = min(best, max(cum[b] - head, end - cum[b] - (gap if sp[b] else 0.0)))
    return best


def _many_lines(
    line: _Line, width: float, max_lines: int, reserve: float, hints: frozenset[int], dist_w: float
) -> list[int] | None:
    """Return the breaks (token indexes) of the best layout in the fewest lines ≤ max_lines, or None."""
    n = len(line.tokens)
    # fewest[b] = (lines, score, previous break) for tokens 0..b-1 laid out in full lines.
    inf = (10**9, 0.0, -1)
    best: list[tuple[int, float, int]] = [inf] * (n + 1)
    best[0] = (0, 0.0, -1)
    scores = [0.0] + [line.score(b, hints) for b in range(1, n)] + [0.0]
    for b in range(1, n + 1):
        top = (10**9, -1e18, -1)
        for a in range(b - 1, -1, -1):
            w = line.width(a, b) + (reserve if a == 0 else 0.0)
            if w > width and b - a > 1:
                break
            if best[a][0] >= 10**9:
                continue
            lines = best[a][0] + 1
            score = best[a][1] + scores[b] * 0.6 - max(0.0, width - w) * dist_w * 0.2
            if lines < top[0] or (lines == top[0] and score > top[1]):
                top = (lines, score, a)
        best[b] = top
    if best[n][0] > max_lines:
        return None
    breaks: list[int] = []
    b = n
    while b > 0:
        a = best[b][2]
        if a > 0:
            breaks.append(a)
        b = a
    return breaks[::-1]


def _fewest_width(line: _Line, max_lines: int, reserve: float) -> float:
    """Return the narrowest width at which greedy wrapping needs at most `max_lines` lines."""
    n = len(line.tokens)
    lo = max(line.width(b, b + 1) for b in range(n))
    hi = line.width(0, n) + reserve
    step = line.gap / 2 if line.cjk else 1.0
    while hi - lo > step:
        mid = (lo + hi) / 2
        lines, a = 1, 0
        for b in range(1, n + 1):
            if line.width(a, b) + (reserve if a == 0 else 0.0) > mid and b - 1 > a:
                lines += 1
                a = b - 1
        if lines <= max_lines:
            hi = mid
        else:
            lo = mid
    return hi


def break_lines(
    text: str,
    max_chars: float,
    max_lines: int = 2,
    *,
    cjk: bool | None = None,
    reserve: float = 0.0,
    hints: Iterable[int] = (),
) -> str:
    """Return `text` laid out in lines (see the module's rules); words and characters unchanged.

    `max_chars` is the width of a line (see display_width); `cjk` None tells the script
    from the text. `reserve` is width taken from the first line by something written
    before it (a "Name: " prefix). `hints` are offsets into the one-line text
    (unbreak(text)) where a break is welcome (a line break of the source). Text that
    fits one line comes back as one line; a dialogue cue (every line opens with a dash)
    keeps its lines; a stacked bilingual cue comes back as unbreak gives it, each language
    on one line (layout.lay_out lays each part out to its own profile). Raises nothing.
    """
    return break_and_unbreak(text, max_chars, max_lines, cjk=cjk, reserve=reserve, hints=hints)[0]


def break_and_unbreak(
    text: str,
    max_chars: float,
    max_lines: int = 2,
    *,
    cjk: bool | None = None,
    reserve: float = 0.0,
    hints: Iterable[int] = (),
) -> tuple[str, str]:
    """Return (break_lines(text, …), unbreak(text)): the layout and the one-line text it was
    worked out from, which a caller remembering layouts compares with unbreak(layout) (the
    breaker has it at hand; asking unbreak again costs a pass over the text)."""
    if "\n" not in text:
        if len(text) + reserve <= max_chars:
            return text, text  # fits whatever the script: no character is wider than one
        flat = text
    else:
        flat = unbreak(text)
        if "\n" in flat:
            # A dialogue cue: one line per speaker. A stacked bilingual cue: each language on
            # its own line (one width cannot serve both scripts; layout.lay_out breaks each part
            # to its own script's profile).
            return flat, flat
    if cjk is None:
        cjk = is_cjk_text(flat)
    if ":" in flat or "：" in flat:
        hints = list(hints)

        def lay_out(text: str, flat: str, reserve: float, hints: Sequence[int]) -> str:
            return _lay_out(max_chars, max_lines, cjk, text, flat, reserve, hints)

        laid = _label_kept(flat, max_chars, cjk, reserve, hints, lay_out)
        if laid is not None:
            return laid, flat
    return _lay_out(max_chars, max_lines, cjk, text, flat, reserve, hints), flat


def _lay_out(
    max_chars: float, max_lines: int, cjk: bool, text: str, flat: str, reserve: float, hints: Iterable[int]
) -> str:
    """Return break_lines(text, …) for `flat` = unbreak(text) (one line, wider than a line):
    a fast path's layout when one takes the text, else the general path's (_break_tokens)."""
    if not hints and max_lines == 2:
        if not cjk and not _has_tag(flat) and "  " not in flat:
            laid = _latin_two_lines(flat, float(max_chars), reserve)
            if laid is not None:
                return laid
        elif cjk:
            laid = _simple_cjk_two_lines(text, flat, float(max_chars), reserve)
            if laid is not None:
                return laid
            if " " in flat:
                laid = _tailed_cjk_two_lines(text, flat, float(max_chars), reserve)
                if laid is not None:
                    return laid
            laid = _cjk_two_lines(text, flat, float(max_chars), reserve)
            if laid is not None:
                return laid
    return _break_tokens(text, flat, max_chars, max_lines, cjk, reserve, hints)


# (text, flat, reserve, hints) -> the layout of a one-line text: _lay_out's or the general path's.
_LayOut = Callable[[str, str, float, Sequence[int]], str]


# A label as found → as written and its width (a document names few speakers).
_HEADS: dict[tuple[str, bool], tuple[str, float]] = {}


def _label_kept(
    flat: str, max_chars: float, cjk: bool, reserve: float, hints: Sequence[int], lay_out: _LayOut
) -> str | None:
    """Return the layout of the one-line text `flat` that opens with a speaker label, the label
    kept on the first line; None when `flat` opens with no label, or the label cannot keep
    what follows on its line (then the usual rules decide).

    A speaker label stays on the line with the speech it introduces (Netflix, BBC): its colon
    is no clause end to break at. The speech is laid out by `lay_out` with the label's width
    reserved on its first line, as an export's "Name: " prefix is. A Chinese or Japanese
    "label" wider than half a line is rather a clause (split_prefix cannot count the words of
    text without spaces): the usual rules lay it out.
    """
    found = _speaker_label(flat)
    if not found:
        return None
    head, head_w = _label_head(found, cjk)
    if head_w > max_chars / 2 and _EAST_ASIAN_RE.search(head) is not None:
        return None  # (Chinese: a clause before a colon, too long for a name)
    cut = len(found)
    rest = flat[cut:]
    laid = lay_out(rest, rest, reserve + head_w, [h - cut for h in hints if h > cut] if hints else hints)
    if "\n" not in laid:
        return None  # (fits one line: the usual answer, the text as it is)
    # The speech's first word (Chinese is cut between its characters: never too wide).
    first = laid[: laid.index("\n")].split(" ", 1)[0]
    room = max_chars - head_w - reserve
    if len(first) > room and display_width(first, cjk) > room and _EAST_ASIAN_RE.search(first) is None:
        return None  # (a URL as long as a line after the label)
    laid = head + laid
    if "\n" in laid and _reads_stacked(laid):
        return None  # "主持人： really?" over Latin words: unbreak would keep the lines apart
    return laid


def _label_head(found: str, cjk: bool) -> tuple[str, float]:
    """Return a speaker label as found (_speaker_label) as written before its speech's first
    line, and its width."""
    known = _HEADS.get((found, cjk))
    if known is None:
        # Written as the general path writes its lines: runs of spaces as one, no space in front.
        written = _SPACES_RE.sub(" ", found.lstrip(_TRIM))
        if len(_HEADS) > 10_000:
            _HEADS.clear()
        known = _HEADS[found, cjk] = (written, display_width(written, cjk))
    return known


def _speaker_label(flat: str) -> str:
    """Return the speaker label opening the one-line text `flat` ("HOST: ", "主持人：") with the
    white space after it, as speakers.split_prefix (the project's one rule for a "Name:" prefix)
    reads it; "" when `flat` opens with no label."""
    if ":" not in flat and "：" not in flat:
        return ""  # (most text: no need to try the rule)
    name, rest = split_prefix(flat)
    if name is None:
        return ""
    body = flat.rstrip()
    return body[: len(body) - len(rest)]


# A Chinese or Japanese speaker label ("王芳：", "主持人："): ideographs, a full-width colon, the
# speech's first ideograph right after it.
_CJK_LABEL_RE = re.compile(f"[{IDEOGRAPHIC}]{{1,40}}：(?=[{IDEOGRAPHIC}])")


def _cjk_speaker_label(flat: str) -> str:
    """Return _speaker_label(flat), a Chinese label ("王芳：" before Chinese) read by one match of
    _CJK_LABEL_RE instead of split_prefix's general pattern and checks (~2 µs a labelled cue,
    ~14,000 of the benchmark's): such a label is split_prefix's name (no space, no mark it
    refuses, the first colon) when it opens with no digit and holds a letter; any other text
    is _speaker_label's."""
    m = _CJK_LABEL_RE.match(flat)
    if m is not None:
        found = m.group()
        if not found[0].isdigit() and any(map(str.isalpha, found)):
            return found
    return _speaker_label(flat)


# A Latin speaker label as most are written: up to four words of ASCII letters, a colon and one
# space before the speech.
_LATIN_LABEL_RE = re.compile(r"[A-Za-z]+(?: [A-Za-z]+){0,3}: (?=\S)")


def _latin_speaker_label(flat: str) -> str:
    """Return _speaker_label(flat), a Latin label ("HOST: ", "Mary Ann: ") read by one match of
    _LATIN_LABEL_RE instead of split_prefix's general pattern and checks (~8,500 of the
    benchmark's Latin cues): such a label is split_prefix's name (no mark it refuses, no digit,
    at most four words, the first colon) when it is at most 40 characters and the speech is no
    URL ("//", "http", "ftp", "www."); any other text is _speaker_label's."""
    m = _LATIN_LABEL_RE.match(flat)
    if m is not None:
        found = m.group()
        if len(found) <= 42 and not flat.startswith(("//", "http", "ftp", "www."), len(found)):
            return found
    return _speaker_label(flat)


def _break_tokens(
    text: str, flat: str, max_chars: float, max_lines: int, cjk: bool, reserve: float, hints: Iterable[int]
) -> str:
    """Return break_lines(text, …) for `flat` = unbreak(text) by the general path: tokens, then
    every candidate break scored (the reference _latin_two_lines and _cjk_two_lines match)."""
    tokens, spaced = _tokens(flat)
    if max(map(len, tokens)) > max_chars:
        tokens, spaced = _hard_wrap(tokens, spaced, max_chars, cjk)
    if len(tokens) < 2:
        return flat.strip(_TRIM)
    line = _Line(tokens, spaced, cjk)
    n = len(tokens)
    if line.width(0, n) + reserve <= max_chars or max_lines <= 1:
        fits_as_is = "\n" not in text and display_width(text, cjk) + reserve <= max_chars
        return text if fits_as_is else line.text(0, n)
    hint_set = frozenset(_hint_boundaries(tokens, spaced, hints)) if hints else frozenset()
    dist_w = 42.0 / max(1.0, max_chars)
    width = float(max_chars)
    if max_lines == 2 or line.width(0, n) + reserve <= 2 * width:
        b = _two_lines(line, width, reserve, hint_set, dist_w)
        if b > 0:
            return line.text(0, b) + "\n" + line.text(b, n)
        if max_lines == 2:
            # Too long for two lines: two lines as even as they can be, the better break near.
            # A good break may cost up to a quarter of a line of evenness.
            width = _even_width(line, reserve)
            b = _two_lines(line, width + max_chars / 4, reserve, hint_set, dist_w, float(max_chars))
            if b <= 0:
                b = _two_lines(line, line.width(0, n) + reserve, reserve, hint_set, dist_w)
            return line.text(0, b) + "\n" + line.text(b, n) if b > 0 else line.text(0, n)
    breaks = _many_lines(line, width, max_lines, reserve, hint_set, dist_w)
    if breaks is None:
        width = _fewest_width(line, max_lines, reserve)
        breaks = _many_lines(line, width + line.gap, max_lines, reserve, hint_set, dist_w) or []
    edges = [0, *breaks, n]
    return "\n".join(line.text(a, b) for a, b in pairwise(edges))


def _hard_wrap(
    tokens: list[str], spaced: list[bool], max_chars: float, cjk: bool
) -> tuple[list[str], list[bool]]:
    """Return the tokens with every one wider than a line cut into line-sized pieces (a last
    resort: a URL or a word longer than a line), preferably after a separator of URLs."""
    out_t: list[str] = []
    out_sp: list[bool] = []
    for tok, sp in zip(tokens, spaced, strict=True):
        if display_width(tok, cjk) <= max_chars:
            out_t.append(tok)
            out_sp.append(sp)
            continue
        size = max(1, int(max_chars * (2 if cjk and tok.isascii() else 1)))
        pos = 0
        while pos < len(tok):
            piece = tok[pos : pos + size]
            if pos + size < len(tok):
                cut = max(piece.rfind(c) for c in _URL_SEPARATORS)
                if cut >= size // 2:
                    piece = piece[: cut + 1]
                piece = tok[pos : _outside_tags(tok, pos, pos + len(piece))]
            out_t.append(piece)
            out_sp.append(sp if pos == 0 else False)
            pos += len(piece)
    return out_t, out_sp


_URL_SEPARATORS = "/-._?&=#"


def _outside_tags(tok: str, start: int, cut: int) -> int:
    """Return `cut` moved before a markup tag it would fall inside (after it when the tag
    opens the piece at `start`): a tag split over two lines is written as text."""
    for m in script.TAG_RE.finditer(tok):
        if m.start() < cut < m.end():
            return m.start() if m.start() > start else m.end()
    return cut


def _hint_boundaries(tokens: list[str], spaced: list[bool], hints: Iterable[int]) -> set[int]:
    """Return the token boundaries at the character offsets `hints` of the one-line text."""
    wanted = set(hints)
    out: set[int] = set()
    pos = 0
    for i, (tok, sp) in enumerate(zip(tokens, spaced, strict=True)):
        if i and sp:
            pos += 1
        if i and pos in wanted:
            out.add(i)
        pos += len(tok)
    return out


def fits(text: str, max_chars: float, max_lines: int, cjk: bool | None = None) -> bool:
    """Return True when `text` as laid out has at most `max_lines` lines of at most `max_chars`."""
    lines = text.split("\n")
    if len(lines) > max_lines:
        return False
    if cjk is None:
        cjk = is_cjk_text(text)
    return all(display_width(ln, cjk) <= max_chars for ln in lines)


def clear_caches() -> None:
    """Forget what the breaker remembers of tokens and pairs seen (the benchmark's cold run)."""
    caches = (_AFTER_CACHE, _BEFORE_CACHE, _PAIR_SCORES, _CJK_WIDTHS, _INSIDE, _PLAIN_IDEOGRAPHS)
    for cache in (*caches, _PREV_PLAIN, _NEXT_GAIN, _PREV_OTHER, _NEXT_TRAITS, _PREV_TRAITS, _HEADS):
        cache.clear()


_Tokens = tuple[list[str], list[bool], list[int], list[float]]


def _cjk_line(flat: str) -> _Tokens | None:
    """Return the general path's tokens of `flat` (as _tokens cuts them), whether a space
    precedes each, where each starts in `flat` (pos[b], a space before it counted, so a line is
    a slice) and their cumulative widths in CJK counting (cum[b]: tokens 0..b-1 with a gap
    before each spaced one, as _Line.cum). None when the tokens do not cover the text."""
    if " " in flat or _IDEO_RE.search(flat) is None:
        toks, sp = _tokens(flat)  # (text without an ideograph is cut at spaces only)
    else:
        toks = _CHUNK_TOKEN_RE.findall(flat)
        sp = [True] + [False] * (len(toks) - 1)
    if not toks:
        return None
    lens = list(map(len, toks))
    pos = list(accumulate(map(int.__add__, lens, [*sp[1:], False]), initial=0))
    if pos[-1] != len(flat):
        return None  # (cannot happen: findall leaves nothing out)
    if " " not in flat and _wide_text().fullmatch(flat) is not None:
        cum = [0.0, *[p + 0.5 for p in pos[1:]]]  # every character full-width: a token's width is its length
    else:
        get = _CJK_WIDTHS.get
        widths = list(map(get, toks))
        if None in widths:
            widths = [w if w is not None else _cjk_width(t) for w, t in zip(widths, toks, strict=True)]
        cum = list(accumulate(map(float.__add__, widths, map(_CJK_GAPS.__getitem__, sp)), initial=0.0))
    return toks, sp, pos, cum


# Chinese or Japanese written after the Latin words of a bilingual cue: an ideograph that no
# token rule joins to what precedes it (not a closing or opening mark), then ideographs and
# closing marks, all full-width, no ideographic space (glue) …
_MIXED_CJK_RE = re.compile(f"[{IDEOGRAPHIC}][{IDEOGRAPHIC}{re.escape(_SIMPLE_CLOSE)}]*")
# … whose tokens are each ideograph with the closing marks after it (_UNIT: no opener, the
# ideograph alternative first, then its closers).
_CLOSE_RE = re.compile(f"[{re.escape(_SIMPLE_CLOSE)}]")


def _mixed_line(flat: str) -> _Tokens | None:
    """Return _cjk_line(flat) for the common mixed text, ASCII words then Chinese or Japanese
    without spaces ("Who were out,你集须老下之究儿其处。", a bilingual cue joined), without the
    token pattern over every character: the ASCII part is cut at its spaces, the last word
    before the first ideograph by the token pattern, the rest one token per ideograph and its
    closing marks; widths from offsets (an ASCII character 0.5, the rest full-width 1). None
    for any other text (the caller takes _cjk_line). Single-spaced `flat` only."""
    m = _IDEO_RE.search(flat)
    if m is None:
        return None
    i = m.start()
    latin, cjk = flat[:i], flat[i:]
    if (
        not latin.isascii()
        or _has_tag(latin)  # markup counts no width
        or " " in cjk
        or "\u3000" in cjk
        or cjk[0] in _SIMPLE_CLOSE
        or latin[-1:] in OPEN_CHARS  # "(" before an ideograph joins it
        or _MIXED_CJK_RE.fullmatch(cjk) is None
        or _wide_text().fullmatch(cjk) is None
    ):
        return None
    words = latin.split(" ")
    prefix = words.pop()  # the Latin written against the first ideograph ("" after a space)
    sp = [True] * len(words)
    if prefix:
        if prefix.isalnum() or (prefix[:-1].isalnum() and prefix[-1] in ",.;:!?"):
            head = [prefix]  # letters or digits, a mark after them: one run, one token
        else:
            head = _CHUNK_TOKEN_RE.findall(prefix)  # (it cannot reach into the ideographs, see above)
        words += head
        sp.append(True)
        sp += [False] * (len(head) - 1)
    n = len(flat)
    # The ideographs one a token, and their offsets a range; a closing mark then joins the
    # token before it (from the last, so runs of marks join too).
    tail = list(cjk)
    tail_pos = list(range(i, n + 1))
    if _CLOSE_RE.search(cjk) is not None:
        for k in reversed([m.start() for m in _CLOSE_RE.finditer(cjk)]):
            tail[k - 1] += tail[k]
            del tail[k], tail_pos[k]
    sp.append(not prefix)
    sp += [False] * (len(tail) - 1)
    toks = words + tail
    nlat = len(words)
    # pos: the Latin tokens' offsets added up, then the ideographs'.
    lat_pos = list(accumulate(map(int.__add__, map(len, words), sp[1 : nlat + 1]), initial=0))
    if lat_pos[-1] != i:
        return None
    # cum[b]: the width of flat[:pos[b]] (an ASCII character 0.5, a wide one 1) with the first
    # token's gap, less the gap of a space before token b.
    half = i * 0.5
    cum = [0.0]
    cum += [p * 0.5 + (0.0 if s else 0.5) for p, s in zip(lat_pos[1:], sp[1 : nlat + 1], strict=True)]
    shift = half - 0.5
    cum += [p - shift for p in tail_pos[1:-1]]
    cum.append(n - shift)
    pos = lat_pos[:-1] + tail_pos
    return toks, sp, pos, cum


def _cjk_two_lines(text: str, flat: str, width: float, reserve: float) -> str | None:
    """Return what break_lines(text, width, 2, cjk=True, reserve=reserve) gives for `flat`
    (unbreak(text)) when it has no markup and its words are single-spaced: Chinese or Japanese,
    Latin words among it, text too long for two lines. The general path's tokens, widths and
    scores (_break_tokens, _two_lines, _even_width), without its _Line object: lines are cut
    from `flat` by offset, and text of wide characters only (most Chinese) measures its tokens
    by their length. None otherwise (a word longer than a line, markup; the general path decides)."""
    if _has_tag(flat) or "\t" in flat or "  " in flat or flat[:1] == " " or flat[-1:] == " ":
        return None
    laid = _mixed_line(flat) or _cjk_line(flat)
    if laid is None:
        return None
    toks, sp, pos, cum = laid
    n = len(toks)
    if n < 2 or max(map(len, toks)) > width:
        return None  # one token, or a word longer than a line (the general path wraps inside it)
    end = cum[n]
    if end - 0.5 + reserve <= width:
        fits_as_is = "\n" not in text and display_width(text, True) + reserve <= width
        return text if fits_as_is else flat
    dist_w = 42.0 / max(1.0, width)
    # l1 + l2 is the whole width, less a gap where the break is at a space.
    b = -1
    if end - 1.0 + reserve <= 2 * width:
        b = _cjk_best_break(toks, sp, cum, width, reserve, dist_w, 0.0)
    if b <= 0:
        # Too long for two lines: as even as they can be, the better break near (_break_tokens).
        head = 0.5 - reserve
        m = bisect_left(cum, (end + head) / 2)
        even = end - 0.5 + reserve
        for k in range(max(1, m - 1), min(n, m + 2)):
            even = min(even, max(cum[k] - head, end - cum[k] - (0.5 if sp[k] else 0.0)))
        b = _cjk_best_break(toks, sp, cum, even + width / 4, reserve, dist_w, width)
        if b <= 0:
            b = _cjk_best_break(toks, sp, cum, end - 0.5 + reserve, reserve, dist_w, 0.0)
        if b <= 0:
            return flat
    laid = flat[: pos[b] - 1] + "\n" + flat[pos[b] :] if sp[b] else flat[: pos[b]] + "\n" + flat[pos[b] :]
    # A break at the edge of a Latin line (never chosen, see _two_lines): the general path decides.
    return None if _reads_stacked(laid) else laid


# Chinese/Japanese text of ideographs and their marks only (no Latin, digit, space, other
# symbol) …
_SIMPLE_CJK_RE = re.compile(f"[{IDEOGRAPHIC}{re.escape(_SIMPLE_CLOSE + _SIMPLE_OPEN)}]+")
# … and no four marks in a row, so no token (marks around one character) is wider than 7.
_SIMPLE_MARK_RUN_RE = re.compile(f"[{re.escape(_SIMPLE_CLOSE + _SIMPLE_OPEN)}]{{4}}")
_SIMPLE_MARK_RE = re.compile(f"[{re.escape(_SIMPLE_CLOSE + _SIMPLE_OPEN)}]")


def _simple_cjk_two_lines(text: str, flat: str, width: float, reserve: float) -> str | None:
    """Return what _cjk_two_lines gives (so break_lines(text, width, 2, cjk=True, reserve=reserve))
    when `flat` is Chinese or Japanese of full-width ideographs and marks only (most Chinese
    subtitles): without tokens. Between two such characters the general path's tokens have a
    boundary unless a closing mark follows or an opening mark precedes (_CHUNK_TOKEN_RE), every
    character counts 1, so a break is a character offset and only the offsets that can give two
    lines are looked at, their tokens cut out where a mark is near. None otherwise."""
    n = len(flat)
    if (
        width < 8
        or _SIMPLE_CJK_RE.fullmatch(flat) is None
        or _wide_text().fullmatch(flat) is None
        or _SIMPLE_MARK_RUN_RE.search(flat) is not None
        or _IDEO_RE.search(flat) is None  # marks only: _tokens cuts such text at spaces only
    ):
        return None
    end = n + 0.5  # the general path's cum[-1]: the characters, and a gap before the first token
    if end - 0.5 + reserve <= width:
        fits_as_is = "\n" not in text and display_width(text, True) + reserve <= width
        return text if fits_as_is else flat
    marks = _SIMPLE_MARK_RE.search(flat) is not None
    dist_w = 42.0 / max(1.0, width)
    # Two lines of at most `width` hold n + reserve (l1 + l2) only up to twice the width.
    p = _simple_best_break(flat, marks, width, reserve, dist_w, 0.0) if n + reserve <= 2 * width else -1
    if p <= 0:
        # Too long for two lines (_break_tokens): even_width over the three token boundaries
        # around the middle, as _even_width looks at them.
        head = 0.5 - reserve
        target = (end + head) / 2
        if target <= 1.5:
            return None
        close, open_ = _SIMPLE_CLOSE, _SIMPLE_OPEN

        def boundary(q: int) -> bool:
            return 0 < q < n and (not marks or (flat[q] not in close and flat[q - 1] not in open_))

        # The first boundary at or after the middle (bisect_left over cum, cum[b] = offset + 0.5),
        # the one before it and the one after it.
        q = max(1, math.ceil(target - 0.5))
        while q < n and not boundary(q):
            q += 1
        near: list[int] = []
        k = q - 1
        while k > 0 and not boundary(k):
            k -= 1
        if k > 0:
            near.append(k)
        if q < n:
            near.append(q)
            k = q + 1
            while k < n and not boundary(k):
                k += 1
            if k < n:
                near.append(k)
        if not near:
            return flat
        even = end - 0.5 + reserve
        for k in near:
            c = k + 0.5
            even = min(even, max(c - head, end - c))
        p = _simple_best_break(flat, marks, even + width / 4, reserve, dist_w, width)
        if p <= 0:
            p = _simple_best_break(flat, marks, end - 0.5 + reserve, reserve, dist_w, 0.0)
        if p <= 0:
            return flat
    return flat[:p] + "\n" + flat[p:]


def _simple_token_start(flat: str, p: int) -> int:
    """Return where the token ending at boundary p starts (openers, a character, closers)."""
    i = p - 1
    close, open_ = _SIMPLE_CLOSE, _SIMPLE_OPEN
    while i > 0 and flat[i] in close:
        i -= 1
    while i > 0 and flat[i - 1] in open_:
        i -= 1
    return i


def _simple_token_end(flat: str, p: int) -> int:
    """Return where the token starting at boundary p ends (openers, a character, closers; an
    opening mark that ends the text is the character, as the token pattern backtracks)."""
    n = len(flat)
    i = p
    while i < n and flat[i] in _SIMPLE_OPEN:
        i += 1
    if i < n:
        i += 1
    while i < n and flat[i] in _SIMPLE_CLOSE:
        i += 1
    return i


def _simple_neighbours(flat: str, p: int) -> tuple[list[str], int]:
    """Return the three tokens before boundary p and the three after it, and how many are before."""
    back: list[str] = []
    at = p
    while at > 0 and len(back) < 3:
        start = _simple_token_start(flat, at)
        back.append(flat[start:at])
        at = start
    back.reverse()
    k = len(back)
    at = p
    while at < len(flat) and len(back) < k + 3:
        stop = _simple_token_end(flat, at)
        back.append(flat[at:stop])
        at = stop
    return back, k


def _beside_marks(chinese: str, lo: int, hi: int) -> list[int]:
    """Return the boundaries lo..hi of `chinese` (marks and plain ideographs) beside a mark, in
    order: a token there holds more than one character (a closing mark joins the character
    before it, an opening one the character after it)."""
    found: set[int] = set()
    # (a boundary p in lo..hi is beside a mark at p - 2 to p + 1)
    for m in _SIMPLE_MARK_RE.finditer(chinese, max(0, lo - 2), hi + 2):
        k = m.start()
        if chinese[k] in _SIMPLE_CLOSE:
            found.update((k - 1, k, k + 1))
        if chinese[k] in _SIMPLE_OPEN:
            found.update((k, k + 1, k + 2))
    return sorted(p for p in found if lo <= p <= hi)


# (head, end, width, nominal, dist_w) of a two-line break search in Chinese: a break at offset p
# gives lines of l1 = p + 0.5 - head and l2 = end - p - 0.5, each at most `width`; over `nominal`
# (when not 0) costs more; dist_w weighs unevenness.
_Geometry = tuple[float, float, float, float, float]


def _best_beside_mark(
    chinese: str, beside: list[int], banned: set[int], geometry: _Geometry, best: float, best_p: int
) -> tuple[float, int]:
    """Return (score, offset) of the best of (`best`, `best_p`) and the breaks `beside` a mark
    not `banned` (every one scored: a clause or sentence end scores up to 100; first best on ties)."""
    head, end, width, nominal, dist_w = geometry
    close, open_ = _SIMPLE_CLOSE, _SIMPLE_OPEN
    for p in beside:
        if chinese[p] in close or chinese[p - 1] in open_ or p in banned:
            continue
        c = p + 0.5
        l1 = c - head
        l2 = end - c
        if l2 > width or l1 > width:
            continue
        pt, nt = chinese[_simple_token_start(chinese, p) : p], chinese[p : _simple_token_end(chinese, p)]
        q = unspaced_mark_score(pt, nt)
        score = q * 0.6 - abs(l1 - l2) * dist_w * 0.7 - (2.0 if l1 > l2 else 0.0)
        if nominal and (l1 > nominal or l2 > nominal):
            score -= (max(l1, l2) - nominal) * dist_w * 1.5
        if score > best or (score == best and p < best_p):
            best, best_p = score, p
    return best, best_p


def _best_between_ideographs(
    chinese: str,
    marks: bool,
    bounds: tuple[int, int, int],
    beside: list[int],
    banned: set[int],
    geometry: _Geometry,
    best: float,
    best_p: int,
    tail: list[str],
) -> tuple[float, int]:
    """Return (score, offset) of the best of (`best`, `best_p`) and the breaks between two
    ideographs of `chinese` (`marks`: it holds a mark) in bounds (lo, middle, hi), looked at
    from the balanced middle out while one could still be best (_simple_best_break says why
    stopping is safe).

    Splitting a dictionary word costs 40 quality points, asked only when it matters and only
    where the two characters are a pair of some word. Near a mark, or near the end when Latin
    words (`tail`) follow the Chinese, the three tokens on each side decide (_inside_word: a
    Latin word of one letter counts as a character); elsewhere the characters themselves."""
    lo, middle, hi = bounds
    head, end, width, nominal, dist_w = geometry
    h = len(chinese)
    words = chinese_words()
    first_pairs, inner_pairs = _word_pairs(words) if words is not None else (frozenset(), {})
    after, before = CJK_AFTER, CJK_BEFORE
    top = 12.0 * 0.6
    for side in (range(middle, lo - 1, -1), range(middle + 1, hi + 1)):
        for p in side:
            c = p + 0.5
            l1 = c - head
            l2 = end - c
            if top - abs(l1 - l2) * dist_w * 0.7 < best:
                break
            if l2 > width or l1 > width or p in banned or (marks and p in beside):
                continue
            q = (10.0 if chinese[p - 1] in after else 0.0) + (6.0 if chinese[p] in before else 0.0) - 4.0
            score = q * 0.6 - abs(l1 - l2) * dist_w * 0.7 - (2.0 if l1 > l2 else 0.0)
            if nominal and (l1 > nominal or l2 > nominal):
                score -= (max(l1, l2) - nominal) * dist_w * 1.5
            if score < best or (score == best and p > best_p):
                continue
            if words is not None and (
                chinese[p - 1 : p + 1] in first_pairs or chinese[p] in inner_pairs.get(chinese[p - 1], "")
            ):
                near_mark = marks and _SIMPLE_MARK_RE.search(chinese, max(0, p - 4), p + 4) is not None
                if near_mark or (tail and p + 3 > h):
                    toks, k = _simple_neighbours(chinese, p)
                    if len(toks) - k < 3:
                        toks += tail[: 3 - (len(toks) - k)]
                    inside = _inside_word(words, toks, k)
                else:
                    inside = _spans_characters(words, chinese[max(0, p - 3) : p], chinese[p : p + 3])
                if inside:
                    score -= 40.0 * 0.6
                    if score < best or (score == best and p > best_p):
                        continue
            best, best_p = score, p
    return best, best_p


def _simple_best_break(
    flat: str, marks: bool, width: float, reserve: float, dist_w: float, nominal: float
) -> int:
    """Return the offset of _cjk_best_break's break for _simple_cjk_two_lines' `flat` (same
    scores, same first best on ties), or -1.

    Two ideographs side by side with no mark near (every character of `flat` but the marks
    is a plain ideograph, see _plain_ideograph) score between_characters - 4, at most 12, so
    from the balanced middle outwards such breaks are looked at only while their evenness
    leaves them a chance; the few breaks beside a mark are all scored.

    Why stopping is safe: such a break at offset p scores at most top = 12 * 0.6 less
    |l1 - l2| * dist_w * 0.7 (the other terms only subtract), and l1 - l2 = 2p + reserve - n
    grows with p: it is ≤ 0 from `middle` down and > 0 above it, so |l1 - l2| only grows
    going down from `middle` and going up from `middle + 1`. Once the bound is below the best
    score, no break farther out on that side can reach it (not even tie it)."""
    n = len(flat)
    head = 0.5 - reserve
    end = n + 0.5
    # l1 = offset + 0.5 - head ≤ width and l2 = end - offset - 0.5 ≤ width.
    lo = max(1, int(end - 0.5 - width) - 1)
    hi = min(n - 1, int(width + head - 0.5) + 1)
    beside = _beside_marks(flat, lo, hi) if marks else []
    bounds = (lo, min(hi, max(lo, int((n - reserve) / 2))), hi)
    geometry = (head, end, width, nominal, dist_w)
    banned: set[int] = set()
    while True:
        best, best_p = _best_beside_mark(flat, beside, banned, geometry, -1e18, -1)
        best, best_p = _best_between_ideographs(
            flat, marks, bounds, beside, banned, geometry, best, best_p, []
        )
        if best_p <= 0:
            return best_p
        prev = flat[_simple_token_start(flat, best_p) : best_p]
        if _rejoins_at([prev, flat[best_p]], [True, False], 1):
            return best_p
        banned.add(best_p)


def _tailed_cjk_two_lines(text: str, flat: str, width: float, reserve: float) -> str | None:
    """Return what break_lines(text, width, 2, cjk=True, reserve=reserve) gives (_break_tokens:
    unlike _cjk_two_lines, a break leaving the Latin words a line of their own, which would read
    as a stacked cue, is passed over here too) when `flat` is Chinese or Japanese as
    _simple_cjk_two_lines takes it, then a space and Latin
    words (ASCII, single-spaced, no markup): a Chinese subtitle ending in an English name or
    phrase ("质取例整酸，十。所三 Q&A <live>"), which the general path's tokens cost ~50 µs a
    cue. The Chinese is looked at by character offset as _simple_best_break does (only the
    breaks whose evenness leaves them a chance), the few Latin words and the break before them
    one by one, with the general path's scores, widths (a Latin word's _cjk_width, a space
    0.5) and first best on ties. None otherwise (the caller asks _cjk_two_lines)."""
    i = flat.find(" ")
    if i <= 0 or width < 8:
        return None
    chinese, latin = flat[:i], flat[i + 1 :]
    if (
        not latin
        or not latin.isascii()
        or "  " in latin
        or latin[-1] == " "
        or "\t" in latin
        or _has_tag(latin)
        or _SIMPLE_CJK_RE.fullmatch(chinese) is None
        or _wide_text().fullmatch(chinese) is None
        or _SIMPLE_MARK_RUN_RE.search(chinese) is not None
        or _IDEO_RE.search(chinese) is None  # (marks only: one token, not one per character)
    ):
        return None
    words = latin.split(" ")
    if max(map(len, words)) > width:
        return None  # a word longer than a line (the general path wraps inside it)
    get = _CJK_WIDTHS.get
    # cum of each Latin word (the width before it, the space before it counted) and the end.
    h = len(chinese)
    word_cum: list[float] = []
    c = h + 0.5
    for word in words:
        word_cum.append(c)
        w = get(word)
        c += 0.5 + (w if w is not None else _cjk_width(word))
    end = c
    if end - 0.5 + reserve <= width:
        fits_as_is = "\n" not in text and display_width(text, True) + reserve <= width
        return text if fits_as_is else flat
    marks = _SIMPLE_MARK_RE.search(chinese) is not None
    dist_w = 42.0 / max(1.0, width)
    p = -1
    if end - 1.0 + reserve <= 2 * width:
        p = _tailed_best_break(flat, chinese, marks, words, word_cum, end, width, reserve, dist_w, 0.0)
    if p <= 0:
        # Too long for two lines (_cjk_two_lines): even_width over the token boundaries around
        # the middle, from every boundary's cum (a Chinese one at offset q is q + 0.5).
        cum = [0.0]
        cum += [q + 0.5 for q in range(1, h) if not marks or _simple_boundary(chinese, q)]
        first_word = len(cum)
        cum += word_cum
        cum.append(end)
        n = len(cum) - 1
        head = 0.5 - reserve
        m = bisect_left(cum, (end + head) / 2)
        even = end - 0.5 + reserve
        for k in range(max(1, m - 1), min(n, m + 2)):
            even = min(even, max(cum[k] - head, end - cum[k] - (0.5 if k >= first_word else 0.0)))
        args = (flat, chinese, marks, words, word_cum, end)
        p = _tailed_best_break(*args, even + width / 4, reserve, dist_w, width)
        if p <= 0:
            p = _tailed_best_break(*args, end - 0.5 + reserve, reserve, dist_w, 0.0)
        if p <= 0:
            return flat
    return flat[:p] + "\n" + flat[p:] if p < h else flat[: p - 1] + "\n" + flat[p:]


def _simple_boundary(flat: str, q: int) -> bool:
    """Return True when offset q of _simple_cjk_two_lines' text is between two tokens: no closing
    mark after it, no opening mark before it."""
    return flat[q] not in _SIMPLE_CLOSE and flat[q - 1] not in _SIMPLE_OPEN


def _tailed_best_break(
    flat: str,
    chinese: str,
    marks: bool,
    words: list[str],
    word_cum: list[float],
    end: float,
    width: float,
    reserve: float,
    dist_w: float,
    nominal: float,
) -> int:
    """Return the offset in _tailed_cjk_two_lines' text `flat` (`chinese`, a space, `words`) of
    _two_lines' break (same scores, same first best on ties, the same breaks passed over): in
    the Chinese, the offset of the character after it; before a Latin word, that word's offset
    (the space before it goes). -1 when none fits. Breaks in the Chinese as _simple_best_break
    looks at them (all beside a mark, the others from the balanced middle out while one could
    still be best); breaks before a word all scored (spaced_score)."""
    h = len(chinese)
    head = 0.5 - reserve
    # Offsets of the words in the text, and the Chinese's last token (before the first word).
    word_at = list(accumulate([len(w) + 1 for w in words[:-1]], initial=h + 1))
    last = chinese[_simple_token_start(chinese, h) :]
    # Chinese breaks: l1 = offset + 0.5 - head ≤ width and l2 = end - offset - 0.5 ≤ width.
    lo = max(1, int(end - 0.5 - width) - 1)
    hi = min(h - 1, int(width + head - 0.5) + 1)
    beside = _beside_marks(chinese, lo, hi) if marks else []
    # l1 - l2 = 2 * offset + 0.5 + reserve - end: ≤ 0 from `middle` down, > 0 above it.
    bounds = (lo, min(hi, max(lo, int((end - 0.5 - reserve) / 2))), hi)
    geometry = (head, end, width, nominal, dist_w)
    banned: set[int] = set()
    while True:
        best_p, best = -1, -1e18
        # Breaks before a Latin word (the first: after the Chinese's last token).
        for j, word in enumerate(words):
            p = word_at[j]
            if p in banned:
                continue
            cb = word_cum[j]
            l1 = cb - head
            l2 = end - cb - 0.5
            if l2 > width or l1 > width:
                continue
            q = spaced_score(last if j == 0 else words[j - 1], word)
            score = q * 0.6 - abs(l1 - l2) * dist_w * 0.7 - (2.0 if l1 > l2 else 0.0)
            if nominal and (l1 > nominal or l2 > nominal):
                score -= (max(l1, l2) - nominal) * dist_w * 1.5
            if score > best or (score == best and p < best_p):
                best, best_p = score, p
        best, best_p = _best_beside_mark(chinese, beside, banned, geometry, best, best_p)
        best, best_p = _best_between_ideographs(
            chinese, marks, bounds, beside, banned, geometry, best, best_p, words
        )
        if best_p <= 0:
            return best_p
        if best_p > h:
            j = word_at.index(best_p)
            pair = [last if j == 0 else words[j - 1], words[j]]
            # (a Latin line under the Chinese reads as a stacked cue: never chosen, see _two_lines)
            laid = flat[: best_p - 1] + "\n" + flat[best_p:]
            if _rejoins_at(pair, [True, True], 1) and not _reads_stacked(laid):
                return best_p
        else:
            prev = chinese[_simple_token_start(chinese, best_p) : best_p]
            # (the Chinese after the break may be marks only: "咱咱\n［ the the" reads as stacked too)
            laid = flat[:best_p] + "\n" + flat[best_p:]
            if _rejoins_at([prev, chinese[best_p]], [True, False], 1) and not _reads_stacked(laid):
                return best_p
        banned.add(best_p)


def _cjk_best_break(
    toks: list[str],
    sp: list[bool],
    cum: list[float],
    width: float,
    reserve: float,
    dist_w: float,
    nominal: float,
) -> int:
    """Return _two_lines(line, width, reserve, frozenset(), dist_w, nominal) for the CJK line of
    tokens `toks`, spaced `sp`, cumulative widths `cum` (_cjk_two_lines)."""
    n = len(toks)
    head = 0.5 - reserve  # l1 = cum[b] - head
    end = cum[n]
    words = chinese_words()
    scores, plain = _PAIR_SCORES, _PLAIN_IDEOGRAPHS
    after, before = CJK_AFTER, CJK_BEFORE
    lo = max(1, bisect_left(cum, end - width - 0.5 - 1e-9))
    hi = min(n - 1, bisect_right(cum, width + head + 1e-9))
    banned: set[int] = set()
    while True:
        best_b, best = -1, -1e18
        for b in range(lo, hi + 1):
            l1 = cum[b] - head
            l2 = end - cum[b] - (0.5 if sp[b] else 0.0)
            if l2 > width or l1 > width or b in banned:
                continue
            pt, nt = toks[b - 1], toks[b]
            if sp[b]:
                q = spaced_score(pt, nt)  # between words: their own scores (pair_score's number)
            elif len(pt) != 1 or len(nt) != 1:
                q = scores.get((pt, nt, False))
                if q is None:
                    q = pair_score(pt, nt, False)
            else:
                pp, pn = plain.get(pt), plain.get(nt)
                if pp is None:
                    pp = _plain_ideograph(pt)
                if pn is None:
                    pn = _plain_ideograph(nt)
                if pp and pn:  # between_characters(pt, nt) - 4, inline
                    q = (10.0 if pt in after else 0.0) + (6.0 if nt in before else 0.0) - 4.0
                else:
                    q = scores.get((pt, nt, False))
                    if q is None:
                        q = pair_score(pt, nt, False)
            score = q * 0.6 - abs(l1 - l2) * dist_w * 0.7 - (2.0 if l1 > l2 else 0.0)
            if nominal and (l1 > nominal or l2 > nominal):
                score -= (max(l1, l2) - nominal) * dist_w * 1.5
            if score > best:
                # Splitting a dictionary word costs 40 quality points (looked up only when it matters).
                if words is not None and not sp[b] and _inside_word(words, toks, b):
                    score -= 40.0 * 0.6
                    if score <= best:
                        continue
                best, best_b = score, b
        if best_b <= 0 or _rejoins_at(toks, sp, best_b):
            return best_b
        banned.add(best_b)


# ---------------------------------------------------------------------------
# Many Chinese/Japanese texts at once (Rebalance Lines over a document)
# ---------------------------------------------------------------------------

# A character's part in simple_cjk_two_lines_many: what the batch path can take.
_OTHER, _PLAIN_CHAR, _CLOSE_MARK = 0, 1, 2
_INSIDE_COST = 40.0 * 0.6  # a break splitting a dictionary word (_simple_best_break's 40 quality points)


class _WordIndex:
    """The Chinese words of two to four characters as NumPy arrays, for simple_cjk_two_lines_many:
    a dense id per character of those words (`ids`, by code point; 0: in no such word), the
    pairs of _word_pairs as a bitmap over (id, id) (`pairs`: a word can span a boundary only
    where its two characters are such a pair), and every word as an integer of its ids (`codes`,
    sorted; a word of k characters counts k * base ** 4 more, so lengths never collide)."""

    def __init__(self, words: dict[str, str]) -> None:
        chosen = [w for w in words if 1 < len(w) < 5]
        lens = np.fromiter(map(len, chosen), dtype=np.int64, count=len(chosen))
        every = np.frombuffer("".join(chosen).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(
            np.int64
        )
        chars = np.sort(every)
        chars = chars[np.concatenate(([True], chars[1:] != chars[:-1]))]  # (np.unique hashes: slower)
        self.base = base = len(chars) + 1
        self.ids = ids = np.zeros(int(chars[-1]) + 2 if len(chars) else 1, dtype=np.int64)
        ids[chars] = np.arange(1, base)
        starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
        codes = []
        for k in (2, 3, 4):
            at = starts[lens == k]
            code = np.full(len(at), k, dtype=np.int64)
            for col in range(k):
                code = code * base + ids[every[at + col]]
            codes.append(code * base ** (4 - k))
        self.codes = np.sort(np.concatenate(codes))  # (a word twice is harmless to searchsorted)
        first, inner = _word_pairs(words)
        twos = "".join(first) + "".join(a + b for a, seconds in inner.items() for b in seconds)
        two = self.id_of(
            np.frombuffer(twos.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        ).reshape(-1, 2)
        at = two[:, 0] * base + two[:, 1]
        self.pairs = np.zeros(base * base // 8 + 1, dtype=np.uint8)
        np.bitwise_or.at(self.pairs, at >> 3, (1 << (at & 7)).astype(np.uint8))

    def id_of(self, code: np.ndarray) -> np.ndarray:
        """Return the ids of code points `code` (0 for a character in no word)."""
        out = np.zeros(len(code), dtype=np.int64)
        known = code < len(self.ids)
        out[known] = self.ids[code[known]]
        return out

    def may_span(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Return, per pair of ids, True when they are a pair of _word_pairs (_may_span)."""
        at = a * self.base + b
        return ((self.pairs[at >> 3] >> (at & 7)) & 1).astype(bool) & (a > 0) & (b > 0)

    def has(self, grams: np.ndarray) -> np.ndarray:
        """Return, per row of ids (0 = no character: that row is no word), True for a word."""
        k = grams.shape[1]
        code = np.full(len(grams), k, dtype=np.int64)
        for col in range(k):
            code = code * self.base + grams[:, col]
        code *= self.base ** (4 - k)
        at = np.minimum(np.searchsorted(self.codes, code), max(0, len(self.codes) - 1))
        if not len(self.codes):
            return np.zeros(len(grams), dtype=bool)
        return (self.codes[at] == code) & (grams > 0).all(axis=1)


_WORD_INDEX: list[tuple[dict[str, str], _WordIndex]] = []


def _word_index(words: dict[str, str]) -> _WordIndex:
    """Return the _WordIndex of `words`, built once per process (with the words, chinese_words)."""
    if not _WORD_INDEX or _WORD_INDEX[0][0] is not words:
        _WORD_INDEX[:] = [(words, _WordIndex(words))]
    return _WORD_INDEX[0][1]


def _batch_char_kind(ch: str) -> int:
    """Return what simple_cjk_two_lines_many makes of `ch`: a closing mark that joins the
    character before it (and never keeps two lines apart: _glue gives "" before an ideograph),
    a plain full-width ideograph from U+3040 up (_plain_ideograph: between two of them a break
    scores between_characters - 4), or anything else (the text is left to _simple_cjk_two_lines:
    opening marks, half-width or narrow characters, marks unbreak would join with a space)."""
    wide = _wide_text().fullmatch(ch) is not None
    if ch in _SIMPLE_OPEN or not wide:
        return _OTHER
    if ch in _SIMPLE_CLOSE:
        return _CLOSE_MARK if _glue("字" + ch, ch, "字") == "" else _OTHER
    if ch >= "\u3040" and _IDEO_RE.match(ch) is not None and _plain_ideograph(ch):
        return _PLAIN_CHAR
    return _OTHER


def simple_cjk_two_lines_many(flats: list[str], width: float) -> list[str | None]:
    """Return [break_lines(flat, width, 2, cjk=True) for flat in flats] (one-line texts) for the
    texts it takes, None for the others (the caller lays those out one by one): the same
    layouts, worked out for all the texts at once with NumPy (_simple_cjk_breaks) instead of a
    Python step per possible break.

    Taken: a text longer than a line that _simple_cjk_two_lines lays out (_simple_cjk_breaks
    says which), the most common Chinese subtitle; one opened by a speaker label ("王芳：")
    as _label_kept lays it out: the speech broken with the label's width reserved on its first
    line and the label put back before it, or, when the speech fits beside the label or the
    label is too wide for a name, the text broken as it is."""
    out: list[str | None] = [None] * len(flats)
    width = float(width)
    if width < 8:
        return out
    # Jobs: (text, reserve, whose, label written before it; None: the text broken as it is).
    jobs: list[tuple[str, float, int, str | None]] = []
    for i, flat in enumerate(flats):
        if len(flat) <= width:
            continue  # (one line that fits: break_lines gives it back)
        found = _cjk_speaker_label(flat) if ":" in flat or "：" in flat else ""
        if found:
            head, head_w = _label_head(found, True)
            if not (head_w > width / 2 and _EAST_ASIAN_RE.search(head) is not None):
                jobs.append((flat[len(found) :], head_w, i, head))
                continue
        jobs.append((flat, 0.0, i, None))
    again: list[tuple[str, float, int, str | None]] = []
    while jobs:
        breaks = _simple_cjk_breaks([j[0] for j in jobs], width, np.array([j[1] for j in jobs]))
        for (text, _reserve, i, head), cut in zip(jobs, breaks, strict=True):
            if cut > 0:
                out[i] = (
                    text[:cut] + "\n" + text[cut:] if head is None else head + text[:cut] + "\n" + text[cut:]
                )
            elif cut == _FITS and head is not None:
                again.append((flats[i], 0.0, i, None))  # the speech fits beside the label: as it is
        jobs, again = again, []
    return out


# What _simple_cjk_breaks answers besides a break's offset.
_NOT_TAKEN, _FITS = -1, -2


def _simple_cjk_breaks(texts: list[str], width: float, reserves: np.ndarray) -> list[int]:
    """Return, per one-line text (wider than 8, `reserves` taken from its first line), the
    offset of the break _simple_cjk_two_lines(text, text, width, reserve) makes; _FITS when it
    gives the text back on one line because it fits; _NOT_TAKEN when the text is not one this
    batch takes or no break is found the first way (the plain path decides).

    Taken: text of plain full-width ideographs and closing marks (no opening mark, no run of
    four marks, an ideograph first; _batch_char_kind). For each, every break _simple_best_break
    would look at is scored as it scores them (same float operations, so the same ties, the
    first best kept): two lines of at most `width` when the text can have them, else (too long
    for two) as even as they can be with a quarter line of slack and lines past `width`
    costing extra. The dictionary is asked only of breaks that can still be best once it
    answers (within _INSIDE_COST of the text's best certain score)."""
    if not texts:
        return []
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    reserve = np.asarray(reserves, dtype=np.float64)
    # (four "\n" after the last text: looking a token or two past any text's end stays inside)
    codes = np.frombuffer(("\n".join(texts) + "\n" * 4).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    codes = codes.astype(np.int64)
    offs = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lens[:-1] + 1, out=offs[1:])
    # What each character is (a table over the code points the texts hold; "\n" between texts is _OTHER).
    present = np.flatnonzero(np.bincount(codes))
    kind_of = np.zeros(int(present[-1]) + 4, dtype=np.int8)
    after = np.zeros(len(kind_of), dtype=np.float64)
    before = np.zeros(len(kind_of), dtype=np.float64)
    close_ix = np.zeros(len(kind_of), dtype=np.int64)
    closers: list[str] = [""]
    for code in present.tolist():
        ch = chr(code)
        kind_of[code] = _batch_char_kind(ch)
        after[code] = 10.0 if ch in CJK_AFTER else 0.0
        before[code] = 6.0 if ch in CJK_BEFORE else 0.0
        if kind_of[code] == _CLOSE_MARK:
            close_ix[code] = len(closers)
            closers.append(ch)
    kind = kind_of[codes]
    is_close = kind == _CLOSE_MARK
    # Texts taken: every character plain or a closing mark, an ideograph first, no four marks in
    # a row: the first character of another kind at or after a text's start is past its end (the
    # "\n" after each text is one), and so is the first run of four marks (a run never spans two
    # texts: the "\n" between them is no mark). (Sorted positions searched: no pass adding up
    # the whole text.)
    ends = offs + lens
    other = np.flatnonzero(kind == _OTHER)
    ok = other[np.searchsorted(other, offs)] >= ends
    marks = np.flatnonzero(is_close)
    runs = marks[:-3][marks[3:] - marks[:-3] == 3]  # (four marks, the fourth three places on)
    if len(runs):
        at = np.searchsorted(runs, offs)
        ok &= (at == len(runs)) | (runs[np.minimum(at, len(runs) - 1)] >= ends)
    ok &= kind[offs] == _PLAIN_CHAR
    # l1 = c - head and l2 = end - c for a break at offset p (c = p + 0.5), as the plain path has them.
    head = 0.5 - reserve
    end = lens + 0.5
    fits = end - 0.5 + reserve <= width
    long_ = lens + reserve > 2 * width
    # Too long for two lines: the evenest width two lines can have (the longer line's), over
    # the boundaries (no closing mark after one) nearest the middle (_simple_cjk_two_lines).
    even = end - 0.5 + reserve
    middle = np.floor((lens - reserve) / 2).astype(np.int64)
    for d in range(-4, 6):
        k = middle + d
        inside = (k >= 1) & (k <= lens - 1)
        at = np.where(inside, offs + k, 0)
        fine = inside & ~is_close[at]
        c = k + 0.5
        even = np.where(fine, np.minimum(even, np.maximum(c - head, end - c)), even)
    # (too long for two lines, the plain path gives such a text up: None)
    given_up = (end + head) / 2 <= 1.5
    ok &= ~(long_ & given_up)
    out = np.where(ok & fits, _FITS, _NOT_TAKEN)
    todo = ok & ~fits
    limit = np.where(long_, even + width / 4, width)
    nominal = np.where(long_, width, 0.0)
    for _round in (1, 2):
        found, cuts = _best_breaks(
            codes,
            offs,
            lens,
            is_close,
            after,
            before,
            close_ix,
            closers,
            todo,
            limit,
            nominal,
            head,
            end,
            reserve,
            width,
        )
        out[found] = cuts
        # A text that could have two lines of `width` and got no break there is laid out as one
        # too long for two (the plain path's second try).
        todo = todo & ~long_ & ~given_up & (out == _NOT_TAKEN)
        if not todo.any():
            break
        limit = even + width / 4
        nominal = np.full(len(texts), width)
    return out.tolist()


def _best_breaks(
    codes: np.ndarray,
    offs: np.ndarray,
    lens: np.ndarray,
    is_close: np.ndarray,
    after: np.ndarray,
    before: np.ndarray,
    close_ix: np.ndarray,
    closers: list[str],
    todo: np.ndarray,
    limit: np.ndarray,
    nominal: np.ndarray,
    head: np.ndarray,
    end: np.ndarray,
    reserve: np.ndarray,
    width: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the texts (their numbers) and the offsets of the best break of each text `todo` of
    _simple_cjk_breaks' with both lines within its `limit` (lines past `nominal`, when not 0,
    costing extra), as _simple_best_break finds it; a text with no such break is left out."""
    # The breaks looked at: offsets p with both lines within `limit`, l2 = lens - p and l1 = p +
    # reserve (a hair wider, for rounding: each is checked below as the plain path checks it).
    lo = np.maximum(1, np.ceil(lens - limit - 1e-9).astype(np.int64))
    hi = np.minimum(lens - 1, np.floor(limit - reserve + 1e-9).astype(np.int64))
    count = np.where(todo, np.maximum(0, hi - lo + 1), 0)
    texts_in = np.flatnonzero(count)
    if not len(texts_in):
        return texts_in, texts_in
    count_in = count[texts_in]
    starts = np.zeros(len(texts_in), dtype=np.int64)
    np.cumsum(count_in[:-1], out=starts[1:])
    t = np.repeat(np.arange(len(texts_in)), count_in)  # each break's text (among texts_in)
    tt = texts_in[t]
    p = lo[tt] + np.arange(len(t)) - starts[t]
    g = offs[tt] + p  # the character after the break, in `codes`
    prev_close, here_close, next_close = is_close[g - 1], is_close[g], is_close[g + 1]
    # Quality: after a closing mark, what the token before (its ideograph and marks) scores
    # alone (unspaced_mark_score); between two ideographs, between_characters - 4.
    q = after[codes[g - 1]] + before[codes[g]] - 4.0
    if prev_close.any():
        at = np.flatnonzero(prev_close)
        e = g[at] - 1  # the last mark of the token before the break
        two, three = is_close[e - 1], is_close[e - 1] & is_close[e - 2]
        start = e - 1 - two - three  # its ideograph
        key = codes[start] << 18
        for j in range(3):  # the marks, first to last (0: none)
            pos = start + 1 + j
            key |= np.where(pos <= e, close_ix[codes[np.minimum(pos, e)]], 0) << (12 - 6 * j)
        uniq, inverse = np.unique(key, return_inverse=True)
        scored = np.empty(len(uniq), dtype=np.float64)
        for u, value in enumerate(uniq.tolist()):
            token = chr(value >> 18) + "".join(closers[(value >> s) & 63] for s in (12, 6, 0))
            kind_, score, _low = _after(token)
            # (a full stop "etc." or an opening mark last would ask the next token: not in such text)
            scored[u] = score if kind_ != _MAYBE and token[-1] not in OPEN_CHARS else math.nan
        q[at] = scored[inverse]
    c = p + 0.5
    l1 = c - head[tt]
    l2 = end[tt] - c
    dist_w = 42.0 / max(1.0, width)
    score = q * 0.6 - np.abs(l1 - l2) * dist_w * 0.7 - np.where(l1 > l2, 2.0, 0.0)
    nom = nominal[tt]
    over = (nom > 0) & ((l1 > nom) | (l2 > nom))
    score = np.where(over, score - (np.maximum(l1, l2) - nom) * dist_w * 1.5, score)
    lim = limit[tt]
    valid = ~here_close & (l1 <= lim) & (l2 <= lim)
    score = np.where(valid, score, -np.inf)
    # The dictionary: a break between two ideographs with no mark beside it may split a word.
    words = chinese_words()
    if words is not None:
        index = _word_index(words)
        plain = valid & ~prev_close & ~next_close
        cand = np.flatnonzero(plain)
        ida, idb = index.id_of(codes[g[cand] - 1]), index.id_of(codes[g[cand]])
        cand = cand[index.may_span(ida, idb)]
        if len(cand):
            # Asked only where the answer matters: a break that even unpenalised scores below
            # the text's best certain score cannot be chosen.
            certain = score.copy()
            certain[cand] -= _INSIDE_COST
            best_certain = np.maximum.reduceat(certain, starts)
            cand = cand[score[cand] >= best_certain[t[cand]]]
        if len(cand):
            inside = _splits_words(index, codes, is_close, offs[tt[cand]], g[cand])
            score[cand[inside]] -= _INSIDE_COST
    # The best break of each text, the first of equals (the plain path's tie rule).
    best = np.maximum.reduceat(score, starts)
    first = np.minimum.reduceat(np.where(score == best[t], np.arange(len(t)), len(t)), starts)
    fine = np.flatnonzero(np.isfinite(best) & ~np.isnan(best))
    return texts_in[fine], p[first[fine]]


def _splits_words(
    index: _WordIndex, codes: np.ndarray, is_close: np.ndarray, text_start: np.ndarray, g: np.ndarray
) -> np.ndarray:
    """Return, per break before character g (two ideographs each its own token, no mark beside
    the break), whether a dictionary word of two to four characters spans it (_inside_word):
    the characters of the single-character tokens among the three tokens on each side, as
    _spans_word joins them (a token of an ideograph and its marks is left out)."""
    m = len(g)

    def token_back(end: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The token ending at `end` (its ideograph; whether it is alone) and where the one before ends."""
        exists = end >= text_start
        e = np.where(exists, end, text_start)
        c1 = is_close[e]
        c2 = c1 & is_close[e - 1]
        c3 = c2 & is_close[e - 2]
        ideo = e - c1 - c2 - c3
        return ideo, exists & ~c1, np.where(exists, ideo - 1, end)

    def token_on(begin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The token starting at `begin` (whether it is there and alone) and where the next starts."""
        exists = ~is_close[begin] & (codes[begin] != 10)
        b = np.where(exists, begin, begin - 1)
        c1 = is_close[b + 1]
        c2 = c1 & is_close[b + 2]
        c3 = c2 & is_close[b + 3]
        return exists & ~c1, np.where(exists, b + 1 + c1 + c2 + c3, begin)

    id_at = index.id_of
    _ideo, _alone, end = token_back(g - 1)  # (the token before the break: one ideograph)
    back = []
    for _ in range(2):
        ideo, alone, end = token_back(end)
        back.append((alone, id_at(codes[ideo])))
    ahead = []
    begin = g + 1
    for _ in range(2):
        alone, after_it = token_on(begin)
        ahead.append((alone, id_at(codes[begin])))
        begin = after_it
    # The lone characters among the two tokens farther on each side, nearest first, gaps
    # closed up (0: no character there, so no word).
    left = [id_at(codes[g - 1])]
    right = [id_at(codes[g])]
    for side, (near, far) in ((left, back), (right, ahead)):
        side.append(np.where(near[0], near[1], np.where(far[0], far[1], 0)))
        side.append(np.where(near[0] & far[0], far[1], 0))
    found = np.zeros(m, dtype=bool)
    for i in (1, 2, 3):
        for j in range(1, 5 - i):
            grams = np.stack([*left[:i][::-1], *right[:j]], axis=1)
            found |= index.has(grams)
    return found
