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
from editor.core.style import StyleProfile, StyleSettings, language_for_text, profile_for

_MARKUP_RE = re.compile(r"<[^>\n]*>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": "\xa0", "&lrm;": "", "&rlm;": ""}
_ENTITY_RE = re.compile("|".join(map(re.escape, _ENTITIES)))


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
_SPACE_ONLY_AFTER_NEWLINE = re.compile(r"\n[^\S\n]+(?=[\n\0]|\Z)")
_SPACE_ONLY_AFTER_NUL = re.compile(r"\0[^\S\n]+(?=[\n\0]|\Z)")
_SPACE_ONLY_FIRST_LINE = re.compile(r"[^\S\n]+(?:[\n\0]|\Z)")
# "\nName: " (the first ": " of a line, a name of up to 40 characters, words after it), for
# lines joined by newlines after a newline put first.
_NAME_PREFIX = re.compile(r"\n(?:(?!: )[^\n]){0,40}: (?=[^\n])")


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
    if not texts or "" in texts or "\r" in joined or "-->" in joined or "\n\n" in joined:
        return None
    if "\0\n" in joined or "\n\0" in joined or joined.startswith("\n") or joined.endswith("\n"):
        return None
    if _SPACE_ONLY_FIRST_LINE.match(joined):
        return None
    if _SPACE_ONLY_AFTER_NEWLINE.search(joined) or _SPACE_ONLY_AFTER_NUL.search(joined):
        return None
    shown = _MARKUP_RE.sub("", joined) if "<" in joined else joined
    if "&" in shown:
        shown = _ENTITY_RE.sub(lambda m: _ENTITIES[m.group()], shown)
    shown = shown.replace("\0", "\n")
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


_NOT_LETTER = re.compile(r"(?:[^\w\n]|[\d_])+")  # the complement of script._LETTER_RE, newlines kept
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


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


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
