"""Lines too wide for their script's line limit in an exported SubRip or WebVTT text.

What the export linter (editor.core.lint) measures; apart from layout (which lays lines out and
imports the line breaker), so that `cueline convert` loads only what measuring needs. Each
line's limit is its script's style profile's (editor.core.style): 42 characters for Latin
scripts, 16 for Chinese with half-width characters counting half, and so on.
"""

from __future__ import annotations

import re
from itertools import chain, compress, repeat
from operator import add, and_, gt, lt, mul, not_

from editor.core import script
from editor.core.patterns import compile_on_first_use
from editor.core.style import StyleProfile, StyleSettings, language_for_text, profile_for

_MARKUP_RE = compile_on_first_use(r"<[^>\n]*>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": "\xa0", "&lrm;": "", "&rlm;": ""}
_ENTITY_RE = compile_on_first_use("|".join(map(re.escape, _ENTITIES)))


def long_lines(text: str, styles: StyleSettings | None = None) -> list[tuple[int, float, int]]:
    """Return (1-based line number, width, limit) of every cue-text line of an SRT or WebVTT
    file's `text` longer than the profile of its script allows (markup and entities as shown)."""
    out: list[tuple[int, float, int]] = []
    latin = profile_for(None, styles)
    latin_limit, latin_half = latin.max_chars, latin.half_width
    # Lines with letters beyond ASCII are measured together once the scan is done (_measure).
    pending: list[tuple[int, str, str]] = []
    in_cue = False
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            in_cue = False
            continue
        if "-->" in line and not in_cue:
            in_cue = True
            continue
        if not in_cue or len(line) <= 13:  # markup and entities only shorten a line
            continue
        shown = _MARKUP_RE.sub("", line) if "<" in line else line
        if "&" in shown:
            shown = _ENTITY_RE.sub(lambda m: _ENTITIES[m.group()], shown)
        shown = shown.rstrip("\r")
        if len(shown) <= 13:  # shorter than any profile's line
            continue
        if shown.isascii():
            width = len(shown) * latin_half
            if width > latin_limit:
                out.append((number, width, latin_limit))
            continue
        # A "Name: " prefix does not decide the script of the line it opens.
        name, colon, rest = shown.partition(": ")
        pending.append((number, shown, rest if colon and len(name) <= 40 and rest else shown))
    if pending:
        out.extend(_measure(pending, styles))
        out.sort()
    return out


# A whitespace-only line of cue text after a newline or a NUL (long_lines ends a cue there), and
# one at the start. Each search starts with a literal character, found at C speed ("^" with re.M,
# or a class of starting characters, tries every position).
_SPACE_ONLY_AFTER_NEWLINE = compile_on_first_use(r"\n[^\S\n]+(?=[\n\0]|\Z)")
_SPACE_ONLY_AFTER_NUL = compile_on_first_use(r"\0[^\S\n]+(?=[\n\0]|\Z)")
_SPACE_ONLY_FIRST_LINE = compile_on_first_use(r"[^\S\n]+(?:[\n\0]|\Z)")
# "\nName: " (the first ": " of a line, a name of up to 40 characters, words after it), for
# lines joined by newlines after a newline put first.
_NAME_PREFIX = compile_on_first_use(r"\n(?:(?!: )[^\n]){0,40}: (?=[^\n])")


def long_lines_plain(
    texts: list[str], joined: str, styles: StyleSettings | None = None
) -> list[tuple[int, float, int]] | None:
    """Return `long_lines(text, styles)` for the text the WebVTT writer's plain path makes of cue
    texts `texts` (as written, `joined` by NUL): "WEBVTT", an empty line, then per cue its timing
    line and its text's lines, one empty line between cues (vtt.PlainPieces). None when a text is
    empty, holds an empty or whitespace-only line, "-->" or CR: long_lines decides then.

    Only the cue text is looked at (the timing lines are known not to be cue text), with
    whole-text and whole-list steps at C speed picking the lines that can be too long: ASCII lines
    wider than the Latin limit, other lines over 13 characters.
    """
    if not _plain_layout(texts, joined):
        return None
    shown = _shown(joined).replace("\0", "\n")
    lines = shown.split("\n")
    # Line k of the texts is line k + 4 + 2 * (its cue's index) of the file: "WEBVTT", the empty
    # line, and a timing line and an empty line for each cue up to its own.
    per_cue = map(add, map(str.count, texts, repeat("\n")), repeat(1))
    cue_of = list(chain.from_iterable(map(repeat, range(len(texts)), per_cue)))
    latin = profile_for(None, styles)
    latin_limit, latin_half = latin.max_chars, latin.half_width
    lens = list(map(len, lines))
    ascii_ = list(map(str.isascii, lines))
    longer = list(map(gt, lens, repeat(13)))  # shorter than any profile's line
    wide = map(gt, map(mul, lens, repeat(latin_half)), repeat(latin_limit))
    out = [
        (k + 4 + 2 * cue_of[k], lens[k] * latin_half, latin_limit)
        for k in compress(range(len(lines)), map(and_, map(and_, ascii_, longer), wide))
    ]
    other = list(compress(range(len(lines)), map(and_, map(not_, ascii_), longer)))
    if other:
        shown_all = "\n".join([lines[k] for k in other])
        # A "Name: " prefix does not decide the script of the line it opens.
        probes = _NAME_PREFIX.sub("\n", "\n" + shown_all)[1:]
        numbers = [k + 4 + 2 * cue_of[k] for k in other]
        out.extend(_measure_joined(numbers, shown_all, probes, styles))
        out.sort()
    return out


def _plain_layout(texts: list[str], joined: str, checked: bool = False) -> bool:
    """Return True when the cue texts `texts` (`joined` by NUL) are laid out as long_lines_plain
    assumes: none empty, no empty or whitespace-only line, no "-->", no CR. `checked`: `joined`
    is known to hold no CR, "-->" or empty line and no text to start or end with a newline
    (lint_fast.vtt_pieces_clean checks that), so only the rest is looked for."""
    if not texts or "" in texts:
        return False
    if not checked and ("\r" in joined or "-->" in joined or "\n\n" in joined):
        return False
    if not checked and (
        "\0\n" in joined or "\n\0" in joined or joined.startswith("\n") or joined.endswith("\n")
    ):
        return False
    if _SPACE_ONLY_FIRST_LINE.match(joined):
        return False
    return not (_SPACE_ONLY_AFTER_NEWLINE.search(joined) or _SPACE_ONLY_AFTER_NUL.search(joined))


# A tag within one cue text (texts are joined by NUL, which stands for the lines between cues).
_MARKUP_IN_TEXT_RE = compile_on_first_use(r"<[^>\n\0]*>")


def _shown(joined: str) -> str:
    """Return the NUL-joined cue texts `joined` as a player shows them: tags left out, entities
    decoded."""
    shown = _MARKUP_IN_TEXT_RE.sub("", joined) if "<" in joined else joined
    if "&" in shown:
        shown = _ENTITY_RE.sub(lambda m: _ENTITIES[m.group()], shown)
    return shown


def _counts(pattern: re.Pattern[str], joined: str) -> list[int]:
    """Return, for each line of `joined`, how many characters of it `pattern` (a one-character
    class) matches: one scan deleting everything else, instead of a scan per line."""
    return [len(kept) for kept in pattern.sub("", joined).split("\n")]


_OTHER_THAN: dict[str, re.Pattern[str]] = {}


def _other_than(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """Return the pattern of runs of characters, other than newlines, that the one-character
    class `pattern` does not match."""
    found = _OTHER_THAN.get(pattern.pattern)
    if found is None:
        body = pattern.pattern
        assert body.startswith("[") and body.endswith("]") and not body.startswith("[^")
        found = _OTHER_THAN[pattern.pattern] = re.compile(f"[^{body[1:-1]}\\n]+")
    return found


# The complement of script._LETTER_RE, newlines kept.
_NOT_LETTER = compile_on_first_use(r"(?:[^\w\n]|[\d_])+")
_NON_LETTERS = re.compile(r"[\W\d_]+")  # the same with newlines: one class, scanned twice as fast
# A letter (so _NON_LETTERS keeps it) that stands for the newline while letters are counted.
_LETTER_SEP = "\ua7ff"
assert _LETTER_SEP.isalpha() and _NON_LETTERS.search(_LETTER_SEP) is None


def _letter_counts(joined: str) -> list[int]:
    """Return `_counts(_NOT_LETTER, joined)`: the letters of each line of `joined`, counted with
    the one-class pattern while a letter found nowhere in the text stands for the newline."""
    if _LETTER_SEP in joined:
        return _counts(_NOT_LETTER, joined)
    kept = _NON_LETTERS.sub("", joined.replace("\n", _LETTER_SEP))
    return [len(part) for part in kept.split(_LETTER_SEP)]


_ASTRAL = compile_on_first_use("[\U00010000-\U0010ffff]")


def _measure(
    pending: list[tuple[int, str, str]], styles: StyleSettings | None
) -> list[tuple[int, float, int]]:
    """Return the long lines among `pending` (line number, shown text, text whose script decides
    the profile): see _measure_joined."""
    numbers = [number for number, _, _ in pending]
    shown_all = "\n".join(s for _, s, _ in pending)
    return _measure_joined(numbers, shown_all, "\n".join(p for _, _, p in pending), styles)


def _measure_joined(
    numbers: list[int], shown_all: str, probes: str, styles: StyleSettings | None
) -> list[tuple[int, float, int]]:
    """Return the long lines among the lines of `shown_all` (their line numbers `numbers`; the
    lines of `probes` are the texts whose script decides the profile): the rule of
    `profile_for_text(None, probe).line_width(shown)`, counted with whole-text scans
    (script.script_is_cjk and script.wide_count, line by line otherwise)."""
    cjk = _counts(_other_than(script.CJK_LETTER_RE), probes)
    wide = _counts(_other_than(script.wide_bmp()), shown_all)
    lines = shown_all.split("\n")
    probe_lines = probes.split("\n")
    # Letters are counted only where they decide: a line with no CJK letter is not CJK, and one
    # with a CJK letter for every 4 characters is (it has no more letters than characters).
    undecided = list(compress(range(len(cjk)), map(lt, map(mul, cjk, repeat(4)), map(len, probe_lines))))
    undecided = [k for k in undecided if cjk[k]]
    letters = [0] * len(cjk)
    if undecided:
        counted = _letter_counts("\n".join([probe_lines[k] for k in undecided]))
        for k, n in zip(undecided, counted, strict=True):
            letters[k] = n
    astral = _ASTRAL.search(shown_all) is not None
    # Without kana or hangul anywhere, every CJK line is Chinese (script.cjk_language_of).
    one_language = None if script._KANA_RE.search(probes) or script._HANGUL_RE.search(probes) else "zh"
    long_probe = len(probes) > 8000
    profiles: dict[str | None, StyleProfile] = {}
    out: list[tuple[int, float, int]] = []
    for number, shown, probe, n_cjk, n_letters, n_wide in zip(
        numbers, lines, probe_lines, cjk, letters, wide, strict=True
    ):
        if long_probe and len(probe) > 8000:  # script_is_cjk samples such a text
            language = language_for_text(None, probe)
        elif n_cjk and (n_letters == 0 or n_cjk * 3 >= n_letters - n_cjk):
            language = one_language or script.cjk_language_of(probe)
        else:
            language = None
        profile = profiles.get(language)
        if profile is None:
            profile = profiles[language] = profile_for(language, styles)
        half = profile.half_width
        if half == 1.0:
            width = float(len(shown))
        else:
            if astral:
                n_wide = script.wide_count(shown)
            width = n_wide + (len(shown) - n_wide) * half
        if width > profile.max_chars:
            out.append((number, width, profile.max_chars))
    return out


# -- the same measure with NumPy, over the code points of the whole text --------------------------------
# Bits of a code point's class in _code_classes: each a class of script.py (CJK_LETTER_RE, wide_bmp,
# _KANA_RE, _HANGUL_RE, IDEOGRAPHIC_RE), so that one table lookup per character answers all five.
CJK_BIT, WIDE_BIT, KANA_BIT, HANGUL_BIT, IDEOGRAPHIC_BIT = 1, 2, 4, 8, 16
_CJK_BIT, _WIDE_BIT, _KANA_BIT, _HANGUL_BIT = CJK_BIT, WIDE_BIT, KANA_BIT, HANGUL_BIT
_CLASS_TABLE: list[object] = []  # the NumPy table of the BMP's code points, made on first use


def _ranges(body: str) -> list[tuple[int, int]]:
    """Return the (first, last) code points of a regular expression class body made of "a-b" ranges."""
    assert len(body) % 3 == 0 and body[1::3] == "-" * (len(body) // 3), body
    return [(ord(body[k]), ord(body[k + 2])) for k in range(0, len(body), 3)]


def _class_ranges() -> list[tuple[int, list[tuple[int, int]]]]:
    return [
        (_CJK_BIT, _ranges(script.CJK_LETTERS)),
        (_KANA_BIT, _ranges(script.KANA + script.HALFWIDTH_KANA)),
        (_HANGUL_BIT, _ranges(script.HANGUL)),
        (IDEOGRAPHIC_BIT, _ranges(script.IDEOGRAPHIC)),
    ]


def _code_class(code: int) -> int:
    """Return the class bits of one code point (the plain rule, for the few beyond the BMP)."""
    bits = sum(bit for bit, ranges in _class_ranges() if any(a <= code <= b for a, b in ranges))
    if code > 0xFFFF:
        return bits | (_WIDE_BIT if script.is_wide(chr(code)) else 0)
    return bits | (_WIDE_BIT if any(a <= code <= b for a, b in script.wide_bmp_runs()) else 0)


def _bmp_classes():  # -> numpy uint8 array of 0x10000 class bits
    if not _CLASS_TABLE:
        import numpy as np

        table = np.zeros(0x10000, np.uint8)
        for bit, ranges in [*_class_ranges(), (_WIDE_BIT, script.wide_bmp_runs())]:
            for first, last in ranges:
                if first <= 0xFFFF:
                    table[first : min(last, 0xFFFF) + 1] |= bit
        _CLASS_TABLE.append(table)
    return _CLASS_TABLE[0]


_LANGUAGES: tuple[str | None, ...] = (None, "zh", "ja", "ko")


def char_classes(shown: str):  # -> (code points, positions of the non-ASCII ones, their class bits)
    """Return NumPy arrays of `shown`: its code points (one per character, so that an array index
    is a string index), the positions of its non-ASCII characters and their class bits (CJK_BIT,
    WIDE_BIT, KANA_BIT, HANGUL_BIT, IDEOGRAPHIC_BIT: one table lookup per non-ASCII character).
    What long_lines_plain_bulk and QC's bulk checks (qc.own_codes_bulk) count lines with."""
    import numpy as np

    cp = script.code_units(shown)
    non_ascii = np.flatnonzero(cp >= 128)
    values = cp[non_ascii]
    classes = _bmp_classes()[np.minimum(values, 0xFFFF) if cp.itemsize == 4 else values]
    astral = np.flatnonzero(values > 0xFFFF) if cp.itemsize == 4 else ()
    if len(astral):
        found = {code: _code_class(code) for code in set(values[astral].tolist())}
        classes[astral] = [found[code] for code in values[astral].tolist()]
    return cp, non_ascii, classes


def long_lines_plain_bulk(
    texts: list[str], joined: str, styles: StyleSettings | None = None, checked: bool = False
) -> list[tuple[int, float, int]] | None:
    """Return `long_lines_plain(texts, joined, styles)`, counted with NumPy over the code points of
    the whole shown text instead of splitting it into lines: where lines start and end, which
    characters are non-ASCII, CJK letters, wide, kana or hangul (one table lookup per non-ASCII
    character), and per line how many of each (binary searches of the positions), so that only
    the lines whose letters decide their script are looked at as strings. Tests compare the two.
    `checked`: the quick pass proved part of the layout already (_plain_layout).
    """
    if not _plain_layout(texts, joined, checked):
        return None
    import numpy as np

    shown = _shown(joined)
    cp, non_ascii, classes = char_classes(shown)
    # Lines end at a newline (inside a cue) or a NUL (between cues).
    breaks = np.flatnonzero((cp == 10) | (cp == 0))
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(cp)]))
    # Line k of the texts is line k + 4 + 2 * (its cue's index) of the file (long_lines_plain).
    cue_of = np.concatenate(([0], np.cumsum(cp[breaks] == 0)))
    numbers = np.arange(len(starts)) + 4 + 2 * cue_of
    lens = ends - starts
    pick = np.flatnonzero(lens > 13)  # shorter than any profile's line
    starts, ends, lens, numbers = starts[pick], ends[pick], lens[pick], numbers[pick]
    n_non_ascii = np.searchsorted(non_ascii, ends) - np.searchsorted(non_ascii, starts)
    latin = profile_for(None, styles)
    # ASCII lines narrower than the Latin limit cannot be long; the others are measured.
    keep = np.flatnonzero((n_non_ascii > 0) | (lens * latin.half_width > latin.max_chars))
    starts, ends, lens, numbers = starts[keep], ends[keep], lens[keep], numbers[keep]

    def count(bit: int, first: np.ndarray) -> np.ndarray:
        """How many characters of class `bit` each line holds from `first` to its end."""
        where = non_ascii[(classes & bit) != 0]
        return np.searchsorted(where, ends) - np.searchsorted(where, first)

    # A "Name: " prefix (up to 40 characters before the line's first ": ", words after it) does
    # not decide the script of the line it opens: the probe starts after it.
    colons = np.flatnonzero(cp == 58)
    colons = colons[colons + 1 < len(cp)]
    colons = colons[cp[colons + 1] == 32]
    probes = starts
    if len(colons):
        at = np.searchsorted(colons, starts)
        first = colons[np.minimum(at, len(colons) - 1)]
        named = (at < len(colons)) & (first - starts <= 40) & (first + 2 < ends)
        probes = np.where(named, first + 2, starts)
    probe_lens = ends - probes
    n_cjk = count(_CJK_BIT, probes)
    n_wide = count(_WIDE_BIT, starts)
    # Letters are counted only where they decide: a line with no CJK letter is not CJK, and one
    # with a CJK letter for every 4 characters is (it has no more letters than characters).
    letters = np.zeros(len(starts), np.int64)
    undecided = np.flatnonzero((n_cjk > 0) & (n_cjk * 4 < probe_lens))
    if len(undecided):
        spans = zip(probes[undecided].tolist(), ends[undecided].tolist(), strict=True)
        letters[undecided] = _letter_counts("\n".join([shown[a:b] for a, b in spans]))
    cjk = (n_cjk > 0) & ((letters == 0) | (n_cjk * 3 >= letters - n_cjk))
    # script.cjk_language_of: kana makes it Japanese, else hangul Korean, else Chinese.
    language = np.where(cjk, 1, 0)
    if (classes & (_KANA_BIT | _HANGUL_BIT)).any():
        kana, hangul = count(_KANA_BIT, probes) > 0, count(_HANGUL_BIT, probes) > 0
        language = np.where(cjk, np.where(kana, 2, np.where(hangul, 3, 1)), 0)
    languages = list(_LANGUAGES)
    for k in np.flatnonzero(probe_lens > 8000).tolist():  # script_is_cjk samples such a text
        found_language = language_for_text(None, shown[probes[k] : ends[k]])
        if found_language not in languages:
            languages.append(found_language)
        language[k] = languages.index(found_language)
    profiles = [profile_for(lang, styles) for lang in languages]
    half = np.array([p.half_width for p in profiles], np.float64)[language]
    limit = np.array([p.max_chars for p in profiles], np.int64)[language]
    # Wide characters count 1, the others the profile's half_width (script.text_width).
    width = n_wide + (lens - n_wide) * half
    long = np.flatnonzero(width > limit)
    return list(zip(numbers[long].tolist(), width[long].tolist(), limit[long].tolist(), strict=True))
