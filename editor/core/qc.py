"""Quality checks over a document → [Problem], for the source track and the translation.

Checks (stable ids): `line_length`, `lines`, `cps`, `duration_short`,
`duration_long`, `gap`, `overlap`, `order`, `empty`, `estimated`,
`speaker_missing`; for the translation track, when the document has one:
`tr_missing`, `tr_numbers`, `tr_ratio`, `tr_line_length`, `tr_lines`, `tr_cps`,
`tr_untranslated`; language checks `spelling` (core/spelling.py) and `glossary`
(core/glossary.py), each off when named in `QcProfile.disabled`.

Limits come from the style profile of each track's language (`editor.core.style`,
Netflix's per-language presets unless the user changed them); `QcProfile` holds the
user's style settings and the knobs of the translation checks. `check()`
runs everything once; `QcIndex` keeps the result and, given the `ChangeSet` of
an edit, re-checks only the cues it touched and their neighbours, so the GUI can
keep a live problem count on 100k cues. On a long document the index's first pass
counts most problems with NumPy over columns (`own_codes_bulk`, `pair_codes_bulk`)
and keeps them as small codes by cue id; their Problems are built by the plain
per-cue checks when a view asks for them (`problems_for`, `all`), so they are the
very ones a plain pass makes.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import field
from enum import StrEnum
from itertools import chain, pairwise
from operator import attrgetter, countOf

from editor.core.edits import ChangeSet
from editor.core.id_tables import IdCodes, IdLinks, IdSet, SpeakerOf, as_id_array, dense_size
from editor.core.model import Cue, Document, Timing
from editor.core.patterns import compile_on_first_use
from editor.core.records import record
from editor.core.script import (
    TAG_RE,
    has_cjk,
    language_is_cjk,
    plain_text,
    primary_language,
    script_is_cjk,
    stacked_parts,
)
from editor.core.style import (
    DEFAULT_SETTINGS,
    PRESETS,
    SOURCE,
    TRANSLATION,
    StyleProfile,
    StyleSettings,
    language_for_text,
    preset_for_language,
    profile_for,
    stacked_profiles,
)


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@record(frozen=True, slots=True)
class Problem:
    """One finding: which cue, which check (a stable id like "cps"), how bad, and words for a human."""

    cue_id: int | None
    check: str
    severity: Severity
    message: str

    def __init__(self, cue_id: int | None, check: str, severity: Severity, message: str) -> None:
        # The generated __init__ of a frozen class sets each field through object.__setattr__
        # (~0.65 µs a Problem); the slots' own setters take half that, and a 100k-cue index
        # makes ~60k Problems.
        _set_cue_id(self, cue_id)
        _set_check(self, check)
        _set_severity(self, severity)
        _set_message(self, message)


_set_cue_id, _set_check, _set_severity, _set_message = (
    Problem.__dict__[name].__set__ for name in ("cue_id", "check", "severity", "message")
)

CHECKS: dict[str, str] = {
    "line_length": "line too long",
    "lines": "too many lines",
    "cps": "reading speed too high",
    "duration_short": "shown too briefly",
    "duration_long": "shown too long",
    "gap": "gap to the next cue too small",
    "overlap": "overlaps the next cue",
    "order": "out of order",
    "empty": "empty text",
    "estimated": "estimated timing not confirmed",
    "speaker_missing": "unknown speaker",
    "tr_missing": "translation missing",
    "tr_numbers": "numbers differ in the translation",
    "tr_ratio": "unusual translation length",
    "tr_line_length": "translation line too long",
    "tr_lines": "too many translation lines",
    "tr_cps": "translation reading speed too high",
    "tr_untranslated": "translation left in the source language",
    "spelling": "unknown word",
    "glossary": "glossary term not rendered as agreed",
    "negative_time": "negative time",
    "skipped": "part of the file not read as a cue",
}
# Document fields whose change can alter the language checks of any cue.
LANGUAGE_CHECK_FIELDS = frozenset({"glossary", "spelling_ignore"})


@record(frozen=True)
class QcProfile:
    """What QC checks against: the user's style settings (limits per track, see
    `editor.core.style`) and the knobs of the translation checks.

    Ratios are flagged when a cue's translation/source length ratio is more than
    `tr_ratio_factor` times off the document's median.
    """

    styles: StyleSettings = DEFAULT_SETTINGS
    tr_ratio_factor: float = 2.5
    tr_ratio_min_chars: int = 10  # shorter sources give meaningless ratios
    tr_ratio_min_cues: int = 5  # the median needs a few cues to mean anything
    detect_untranslated: bool = True  # run langdetect when source and translation share a script
    disabled: frozenset[str] = field(default_factory=frozenset)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

# ASCII and full-width digits; separators inside are dropped when comparing ("1,000" = "1000").
_NUMBER_RE = compile_on_first_use("[0-9\uff10-\uff19][0-9\uff10-\uff19.,]*")
_NUMBER_NORMAL = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, ",": None, ".": None})
_DIGIT_RE = re.compile(r"\d")
_LETTER_RE = re.compile(r"[^\W\d_]")
_plain = plain_text
# Repeated message texts and check ids are kept once (see _text_limits).
_intern = sys.intern


def _normalized_numbers(found: list[str]) -> list[str]:
    """Return numbers found in a text, sorted, without separators ("1,000" = "1000")."""
    return sorted(n.translate(_NUMBER_NORMAL) for n in found)


def _fmt_ms(ms: int) -> str:
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    m, rest = divmod(ms, 60_000)
    s, frac = divmod(rest, 1000)
    return f"{sign}{m}:{s:02d}.{frac:03d}"


_LANG_CACHE: dict[str, str | None] = {}


def detect_language(text: str) -> str | None:
    """Return langdetect's language code for `text`, or None when too short (< 20 letters).

    Results are cached by text, so re-checking an unchanged cue costs nothing.
    Seeded (DetectorFactory.seed = 0) so the answer is the same on every run.
    """
    if text in _LANG_CACHE:
        return _LANG_CACHE[text]
    if len(_LETTER_RE.findall(text)) < 20:
        code = None
    else:
        from editor.core.language import detect

        code = detect(text)
    if len(_LANG_CACHE) > 200_000:
        _LANG_CACHE.clear()
    _LANG_CACHE[text] = code
    return code


_primary = primary_language


# ---------------------------------------------------------------------------
# Document-wide context
# ---------------------------------------------------------------------------


@record
class _Context:
    """What per-cue checks need to know about the whole document."""

    profile: QcProfile
    source_style: StyleProfile | None  # None: the track's language is unknown, the script decides
    translation_style: StyleProfile | None
    speaker_ids: frozenset[str]
    any_speaker: bool
    any_translation: bool
    src_cjk: bool | None
    tr_cjk: bool | None
    source_language: str | None
    translation_language: str | None
    median_ratio: float | None = None
    ratio_of: dict[int, float] | None = None  # translation/source length ratios, kept by QcIndex
    extra: tuple[Callable[[Cue], list[Problem]], ...] = ()  # per-cue language checks
    _by_script: dict[tuple[str, str | None], StyleProfile] = field(default_factory=dict)

    def style_of(self, track: str, plain: str) -> StyleProfile:
        """Return the style profile for a text of `track`: its language's, or when the
        language is unknown, the one its script suggests."""
        style = self.translation_style if track == TRANSLATION else self.source_style
        if style is not None:
            return style
        language = language_for_text(None, plain)
        key = (track, language)
        found = self._by_script.get(key)
        if found is None:
            found = self._by_script[key] = profile_for(language, self.profile.styles, track)
        return found

    @property
    def timing_style(self) -> StyleProfile:
        """Return the profile whose timing limits (durations, gap) apply: the source track's."""
        if self.source_style is not None:
            return self.source_style
        return self.style_of(SOURCE, "")


def _language_checks(doc: Document, profile: QcProfile) -> tuple[Callable[[Cue], list[Problem]], ...]:
    """Return the spelling and glossary checks for `doc` (those not disabled)."""
    checks = []
    if "spelling" not in profile.disabled:
        from editor.core import spelling

        checks.append(spelling.qc_check(doc))
    if doc.glossary and "glossary" not in profile.disabled:
        from editor.core import glossary

        checks.append(glossary.qc_check(doc))
    return tuple(checks)


def _ratio(cue: Cue, profile: QcProfile) -> float | None:
    """Return len(translation)/len(source) when both are long enough to compare, else None."""
    tr = cue.translation
    if not tr:
        return None
    src = _plain(cue.text).strip()
    if len(src) < profile.tr_ratio_min_chars:
        return None
    trp = _plain(tr).strip()
    if not trp:
        return None
    return len(trp) / len(src)


def _has_translation(cue: Cue) -> bool:
    return bool(cue.translation) and not cue.translation.isspace()


def _lacks_translation(cue: Cue) -> bool:
    """Return True when the cue has text but no translation (tags alone count as none)."""
    tr = cue.translation
    if tr and "<" in tr:
        tr = TAG_RE.sub("", tr)
    if tr and not tr.isspace():
        return False
    text = cue.text
    if "<" in text:
        text = TAG_RE.sub("", text)
    return bool(text) and not text.isspace()


def lacking_translation(cues: Iterable[Cue]) -> set[int]:
    """Return the ids of the cues `_lacks_translation` holds for (a test compares them), in
    one pass that calls it only for a cue with a translation or markup: otherwise the cue
    lacks one exactly when its text is not blank."""
    out: set[int] = set()
    add = out.add
    for c in cues:
        text = c.text
        if c.translation or "<" in text:
            if _lacks_translation(c):
                add(c.id)
        elif text and not text.isspace():
            add(c.id)
    return out


def _missing_problem(cue_id: int) -> Problem:
    return Problem(cue_id, "tr_missing", Severity.WARNING, "no translation, although other cues have one")


def _no_speaker_problem(cue_id: int) -> Problem:
    return Problem(cue_id, "speaker_missing", Severity.WARNING, "no speaker, although other cues have one")


# ---------------------------------------------------------------------------
# Per-cue checks
# ---------------------------------------------------------------------------


_ASK = object()  # _text_limits' `stacked` not given: it works it out


def _text_limits(
    cue_id: int,
    plain: str,
    dur: int,
    style: StyleProfile,
    out: list[Problem],
    prefix: str,
    what: str,
    stacked: list[tuple[str, StyleProfile]] | object | None = _ASK,
) -> None:
    """Append line-length, line-count and reading-speed problems of one text track.

    `stacked` is stacked_profiles(plain, style) when the caller has worked it out already.
    Messages are interned: a long document repeats a few hundred of them tens of thousands
    of times (~5 MB of copies at 100k cues)."""
    width = style.max_chars
    limit = style.max_cps
    breaks = plain.count("\n")
    if style.half_width != 1.0 and not plain.isascii():
        line_width = style.line_width
        longest = max(map(line_width, plain.split("\n")))
        chars = style.reading_chars(plain)
    else:
        line_width = len
        total = len(plain)
        if breaks == 0:
            longest = total
        elif breaks == 1:
            i = plain.index("\n")
            longest = max(i, total - i - 1)
        else:
            longest = max(map(len, plain.split("\n")))
        chars = (total - breaks) * style.half_width  # line breaks are not read
    n_lines = breaks + 1
    if stacked is _ASK:
        stacked = stacked_profiles(plain, style) if breaks and not plain.isascii() else None
    if isinstance(stacked, list):
        # A stacked bilingual cue: each language's lines counted and measured by its own
        # profile (style.stacked_profiles, the rule line layout follows).
        first = 1
        for part, own in stacked:
            part_lines = part.split("\n")
            if len(part_lines) > own.max_lines:
                message = f"{what}has {len(part_lines)} lines of one language (limit {own.max_lines})"
                out.append(Problem(cue_id, _intern(prefix + "lines"), Severity.WARNING, _intern(message)))
            for i, line in enumerate(part_lines, first):
                if len(line) <= own.max_chars:
                    continue  # no character counts more than one
                n = own.line_width(line)
                if n > own.max_chars:
                    message = f"{what}line {i} has {n:g} characters (limit {own.max_chars})"
                    out.append(
                        Problem(cue_id, _intern(prefix + "line_length"), Severity.WARNING, _intern(message))
                    )
            first += len(part_lines)
        longest = 0  # measured
    elif n_lines > style.max_lines:
        out.append(
            Problem(
                cue_id,
                _intern(prefix + "lines"),
                Severity.WARNING,
                _intern(f"{what}has {n_lines} lines (limit {style.max_lines})"),
            )
        )
    if longest > width:
        for i, line in enumerate(plain.split("\n"), 1):
            n = line_width(line)
            if n > width:
                out.append(
                    Problem(
                        cue_id,
                        _intern(prefix + "line_length"),
                        Severity.WARNING,
                        _intern(f"{what}line {i} has {n:g} characters (limit {width})"),
                    )
                )
    if dur > 0 and chars * 1000 > limit * dur:
        cps = chars * 1000 / dur
        out.append(
            Problem(
                cue_id,
                _intern(prefix + "cps"),
                Severity.WARNING,
                _intern(f"{what}reading speed is {cps:.1f} characters/s (limit {limit:g})"),
            )
        )


def _cue_problems(cue: Cue, ctx: _Context) -> list[Problem]:
    """Return the problems of one cue that do not depend on its neighbours."""
    out = _own_problems(cue, ctx)
    for extra in ctx.extra:
        out.extend(extra(cue))
    disabled = ctx.profile.disabled
    if disabled:
        out = [p for p in out if p.check not in disabled]
    return out


def _own_problems(cue: Cue, ctx: _Context) -> list[Problem]:
    """Return the problems of one cue found by QC's own checks (the language checks of
    `ctx.extra` and the user's disabled checks left to _cue_problems)."""
    out: list[Problem] = []
    cid = cue.id
    plain = cue.text
    if "<" in plain:
        plain = TAG_RE.sub("", plain)
    has_text = bool(plain) and not plain.isspace()
    dur = cue.end_ms - cue.start_ms
    if not has_text:
        out.append(Problem(cid, "empty", Severity.ERROR, "the cue has no text"))
    else:
        _text_limits(cid, plain, dur, ctx.style_of(SOURCE, plain), out, "", "")
    timing = ctx.timing_style
    if dur < timing.min_duration_ms:
        out.append(
            Problem(
                cid,
                "duration_short",
                Severity.WARNING,
                f"shown for {dur} ms (minimum {timing.min_duration_ms} ms)",
            )
        )
    elif dur > timing.max_duration_ms:
        out.append(
            Problem(
                cid,
                "duration_long",
                Severity.WARNING,
                f"shown for {dur / 1000:.1f} s (maximum {timing.max_duration_ms / 1000:g} s)",
            )
        )
    if cue.start_ms < 0 or cue.end_ms < 0:
        out.append(
            Problem(
                cid,
                "negative_time",
                Severity.ERROR,
                f"{'starts' if cue.start_ms < 0 else 'ends'} at a negative time "
                f"({_fmt_ms(min(cue.start_ms, cue.end_ms))}); players drop or misplace such a cue",
            )
        )
    if cue.timing == Timing.ESTIMATED:
        out.append(Problem(cid, "estimated", Severity.INFO, "timing is estimated; confirm or adjust it"))
    sid = cue.speaker_id
    if sid is not None and sid not in ctx.speaker_ids:
        out.append(
            Problem(cid, "speaker_missing", Severity.WARNING, f"speaker {sid!r} is not in the speaker list")
        )
    # (A cue with no speaker where others have one: kept by QcIndex as a set, like `tr_missing`,
    # so the first speaker typed into a long document re-checks no other cue.)
    if ctx.any_translation:
        _translation_problems(cue, plain, has_text, dur, ctx, out)
    return out


def local_problems(cues: Iterable[Cue], ctx: _Context) -> dict[int, list[Problem]]:
    """Return {cue id: problems} of the cues with any problem of their own (not those between
    neighbours): every cue through _cue_problems. The plain version of local_problems_fast."""
    out: dict[int, list[Problem]] = {}
    for c in cues:
        probs = _cue_problems(c, ctx)
        if probs:
            out[c.id] = probs
    return out


def local_problems_fast(cues: Iterable[Cue], ctx: _Context) -> dict[int, list[Problem]]:
    """Return what local_problems returns (a test compares them), cheaply on a long document:
    QC's own checks by _own_problems_fast, then each language check over all the cues at once
    where it can (the spelling check's `bulk`), else cue by cue; then the user's disabled checks
    are taken out, as _cue_problems does."""
    cues = cues if isinstance(cues, Sequence) else list(cues)
    out = _own_problems_fast(cues, ctx)
    for extra in ctx.extra:
        bulk = getattr(extra, "bulk", None)
        found = bulk(cues) if bulk is not None else {c.id: probs for c in cues if (probs := extra(c))}
        for cid, probs in found.items():
            have = out.get(cid)
            out[cid] = have + probs if have else probs
    disabled = ctx.profile.disabled
    if disabled:
        out = {
            cid: kept for cid, probs in out.items() if (kept := [p for p in probs if p.check not in disabled])
        }
    return out


def _own_problems_fast(cues: Sequence[Cue], ctx: _Context) -> dict[int, list[Problem]]:
    """Return {cue id: _own_problems(cue)} for the cues with any, cheaply on a long document.

    One tight pass tells the usual cue, for which only the text limits (line length, line
    count, reading speed) of its text without tags may fire, from the rest: some text besides
    tags, duration within the limits, no negative time, exact timing, a known speaker (or none
    where no cue has one) and no translation to check. Of those, a text within the limits
    counted by characters (no character weighs more than one, so the real widths are no
    larger) needs no check at all. Where characters count one each (half_width 1) and no line
    is too long nor too many, only the reading speed can fire: its Problem is made here, as
    _text_limits makes it (most cues of a long document with any problem are such). The
    others go through _text_limits, and every other cue through _own_problems.
    """
    style = ctx.source_style
    if style is None or style.half_width > 1.0:  # the text's script picks the limits: cue by cue
        return {c.id: probs for c in cues if (probs := _own_problems(c, ctx))}
    width, max_breaks, max_cps = style.max_chars, style.max_lines - 1, style.max_cps
    half = style.half_width
    by_length = half == 1.0  # widths and reading speed are len() (see _text_limits)
    cps_tail = f" characters/s (limit {max_cps:g})"
    timing = ctx.timing_style
    shortest, longest = timing.min_duration_ms, timing.max_duration_ms
    speakers, any_translation = ctx.speaker_ids, ctx.any_translation
    estimated = Timing.ESTIMATED
    text_limits = _text_limits
    tag_sub = TAG_RE.sub
    warning = Severity.WARNING
    out: dict[int, list[Problem]] = {}
    rows = map(_ROW, cues)
    for c, (cid, text, start, end, tmg, sid, tr) in zip(cues, rows, strict=True):
        dur = end - start
        if (
            shortest <= dur <= longest
            and start >= 0
            and end >= 0
            and tmg != estimated
            and (sid is None or sid in speakers)
            and not (any_translation and tr)
            # The limits count the text without its tags, as _own_problems does.
            and (text := tag_sub("", text) if "<" in text else text)
            and not text.isspace()
        ):
            n = len(text)
            breaks = text.count("\n")
            # A stacked bilingual cue's languages have limits of their own (_text_limits).
            stacked = stacked_profiles(text, style) if breaks and not text.isascii() else None
            if stacked or n > width or breaks > max_breaks or (n - breaks) * 1000 > max_cps * dur:
                if by_length and breaks <= max_breaks and not stacked:
                    if breaks == 0:
                        fits = n <= width
                    elif breaks == 1:
                        i = text.index("\n")
                        fits = i <= width and n - i - 1 <= width
                    else:
                        fits = max(map(len, text.split("\n"))) <= width
                    if fits:
                        chars = (n - breaks) * half
                        if dur > 0 and chars * 1000 > max_cps * dur:
                            cps = chars * 1000 / dur
                            out[cid] = [
                                Problem(cid, "cps", warning, _intern(f"reading speed is {cps:.1f}{cps_tail}"))
                            ]
                        continue
                probs: list[Problem] = []
                text_limits(cid, text, dur, style, probs, "", "", stacked)
                if probs:
                    out[cid] = probs
        elif probs := _own_problems(c, ctx):
            out[cid] = probs
    return out


_CHECK_OF, _TRANSLATION_OF = attrgetter("check"), attrgetter("translation")
# What _own_problems_fast reads of each cue, in one C call.
_ROW = attrgetter("id", "text", "start_ms", "end_ms", "timing", "speaker_id", "translation")


def _translation_problems(
    cue: Cue, plain: str, has_text: bool, dur: int, ctx: _Context, out: list[Problem]
) -> None:
    """Append the translation-track problems of one cue (the document has translations)."""
    profile = ctx.profile
    cid = cue.id
    tr = cue.translation
    if "<" in tr:
        tr = TAG_RE.sub("", tr)
    if not tr or tr.isspace():
        # `tr_missing` is kept by QcIndex as a set, not as a Problem per cue: the first
        # translation typed into a long document would otherwise re-check every cue.
        return
    raw_a, raw_b = _NUMBER_RE.findall(plain), _NUMBER_RE.findall(tr)
    if raw_a or raw_b:
        if raw_a != raw_b:  # the same numbers in the same order is the common case
            a, b = _normalized_numbers(raw_a), _normalized_numbers(raw_b)
            if a != b:
                out.append(
                    Problem(
                        cid,
                        "tr_numbers",
                        Severity.WARNING,
                        f"numbers differ: source has {', '.join(a) or 'none'}; "
                        f"translation has {', '.join(b) or 'none'}",
                    )
                )
    median = ctx.median_ratio
    if median is not None:
        ratio = ctx.ratio_of.get(cid) if ctx.ratio_of is not None else _ratio(cue, profile)
        if ratio is not None and _ratio_is_odd(ratio, median, profile.tr_ratio_factor):
            out.append(
                Problem(
                    cid,
                    "tr_ratio",
                    Severity.INFO,
                    f"translation is {ratio:.2f}× the source's length (usual here: {median:.2f}×)",
                )
            )
    _text_limits(cid, tr, dur, ctx.style_of(TRANSLATION, tr), out, "tr_", "translation: ")
    if has_text and "tr_untranslated" not in profile.disabled:
        problem = untranslated_problem(cue, plain, tr, ctx)
        if problem is not None:
            out.append(problem)


def _ratio_is_odd(ratio: float, median: float, factor: float) -> bool:
    return ratio > median * factor or ratio * factor < median


def untranslated_detects(source_language: str | None, translation_language: str | None) -> bool:
    """Return True when the "left untranslated" check may run langdetect on a cue: unless both
    languages are known and written in different scripts (Latin against CJK), where the script
    alone tells a translation left in the source language."""
    src_cjk, tr_cjk = language_is_cjk(source_language), language_is_cjk(translation_language)
    return src_cjk is None or tr_cjk is None or src_cjk == tr_cjk


def untranslated_problem(cue: Cue, plain: str, tr: str, ctx: _Context) -> Problem | None:
    """Return a `tr_untranslated` problem when the translation is still in the source language.

    Cheap tests first: identical text, or a translation in the wrong script
    (Latin text where Chinese is expected, or the reverse). langdetect runs only
    when both languages share a script, the translation has at least 20
    letters, and `profile.detect_untranslated` is on.
    """
    cid = cue.id
    if abs(len(plain) - len(tr)) <= len(plain) // 4 + 4:  # only then can they be the same text
        a = " ".join(plain.split()).casefold()
        b = " ".join(tr.split()).casefold()
        if a == b and _LETTER_RE.search(b):
            message = "the translation is the same as the source"
            return Problem(cid, "tr_untranslated", Severity.WARNING, message)
    src_cjk = ctx.src_cjk
    tr_cjk = ctx.tr_cjk
    if src_cjk is not None and tr_cjk is not None and src_cjk != tr_cjk:
        # Different scripts: a translation in the wrong script is untranslated; no langdetect needed.
        if has_cjk(tr) == tr_cjk:
            return None
        if len(_LETTER_RE.findall(tr)) >= 8 and script_is_cjk(tr) != tr_cjk:
            return Problem(
                cid,
                "tr_untranslated",
                Severity.WARNING,
                f"the translation is not written in {ctx.translation_language}'s script",
            )
        return None
    if not ctx.profile.detect_untranslated:
        return None
    src_lang = _primary(ctx.source_language) or _primary(detect_language(plain))
    if src_lang is None:
        return None
    tr_lang = _primary(detect_language(tr))
    if tr_lang is None or tr_lang != src_lang or tr_lang == _primary(ctx.translation_language):
        return None
    return Problem(
        cid,
        "tr_untranslated",
        Severity.WARNING,
        f"the translation looks like {tr_lang}, the source's language",
    )


# ---------------------------------------------------------------------------
# Checks between neighbours
# ---------------------------------------------------------------------------


def pair_is_clear(a: Cue, b: Cue, min_gap_ms: int) -> bool:
    """Return True for the usual, well-spaced pair, which pair_problems would find nothing
    wrong with; a full pass asks this first so that most pairs build no Problem at all."""
    return b.start_ms - a.end_ms >= min_gap_ms and b.start_ms >= a.start_ms


def unclear_pairs(cues: Sequence[Cue], min_gap_ms: int) -> list[tuple[Cue, Cue]]:
    """Return, in order, the consecutive pairs that pair_is_clear does not clear (a test
    compares them): one comprehension instead of a call per pair."""
    return [
        (a, b) for a, b in pairwise(cues) if b.start_ms - a.end_ms < min_gap_ms or b.start_ms < a.start_ms
    ]


def pair_table(cues: Sequence[Cue], profile: QcProfile, min_gap_ms: int) -> dict[int, tuple[Problem, ...]]:
    """Return {left cue id: pair_problems(left, right)} of the consecutive pairs with any: the
    plain version of pair_table_fast."""
    return {a.id: probs for a, b in pairwise(cues) if (probs := pair_problems(a, b, profile, min_gap_ms))}


def pair_table_fast(
    cues: Sequence[Cue], profile: QcProfile, min_gap_ms: int
) -> dict[int, tuple[Problem, ...]]:
    """Return what pair_table returns (a test compares them), cheaply on a long document: only
    the pairs unclear_pairs names are looked at, and the usual one among them, a gap too small
    (neither out of order nor overlapping), gets its Problem here with its message made once per
    gap (a long document has ~30k such pairs and a few dozen distinct gaps)."""
    out: dict[int, tuple[Problem, ...]] = {}
    gap_off = "gap" in profile.disabled
    messages: dict[int, str] = {}
    warning = Severity.WARNING
    for a, b in unclear_pairs(cues, min_gap_ms):
        start, end = b.start_ms, a.end_ms
        if start >= end and start >= a.start_ms:  # unclear, so the gap is too small
            if gap_off:
                continue
            gap = start - end
            message = messages.get(gap)
            if message is None:
                message = messages[gap] = _intern(
                    f"gap to the next cue is {gap} ms (minimum {min_gap_ms} ms)"
                )
            out[a.id] = (Problem(a.id, "gap", warning, message),)
        elif probs := pair_problems(a, b, profile, min_gap_ms):
            out[a.id] = probs
    return out


def pair_problems(a: Cue, b: Cue, profile: QcProfile, min_gap_ms: int) -> tuple[Problem, ...]:
    """Return problems between consecutive cues a and b (order is reported on b, the rest on a)."""
    if b.start_ms < a.start_ms:
        p = Problem(
            b.id,
            "order",
            Severity.ERROR,
            _intern(f"starts at {_fmt_ms(b.start_ms)}, before the previous cue ({_fmt_ms(a.start_ms)})"),
        )
    elif b.start_ms < a.end_ms:
        p = Problem(
            a.id, "overlap", Severity.ERROR, _intern(f"overlaps the next cue by {a.end_ms - b.start_ms} ms")
        )
    elif b.start_ms - a.end_ms < min_gap_ms:
        p = Problem(
            a.id,
            "gap",
            Severity.WARNING,
            _intern(f"gap to the next cue is {b.start_ms - a.end_ms} ms (minimum {min_gap_ms} ms)"),
        )
    else:
        return ()
    if p.check in profile.disabled:
        return ()
    return (p,)


# ---------------------------------------------------------------------------
# Per-cue and pair checks as codes, over whole columns (the index's first pass)
# ---------------------------------------------------------------------------

# A cue's own problems when it has no translation to check (nearly every cue of a long document
# with any problem): how many of each check, in one small int. The index keeps the code, and builds
# the Problems (by _own_problems, so they are the very ones) when a view asks.
_LINE_LENGTH_MASK = 0xFF  # bits 0-7: line_length problems
_LINES_SHIFT, _LINES_MASK = 8, 0x7  # bits 8-10: lines problems (a stacked cue's parts: one each)
# The checks that find one problem at most, each a bit.
_FLAG_BITS: dict[str, int] = {
    check: 1 << bit
    for bit, check in enumerate(
        ("cps", "duration_short", "duration_long", "negative_time", "estimated", "empty", "speaker_missing"),
        11,
    )
}
_CPS_BIT = _FLAG_BITS["cps"]
_PLAIN_CODE = -1  # the cue's problems are not known in bulk (a translation to check): built at once


def own_code(problems: Sequence[Problem]) -> int:
    """Return the code of a cue's own `problems` (0: none), or _PLAIN_CODE when they hold a check
    a code does not count or too many to count."""
    lengths = lines = flags = 0
    for p in problems:
        check = p.check
        if check == "line_length":
            lengths += 1
        elif check == "lines":
            lines += 1
        else:
            bit = _FLAG_BITS.get(check)
            if bit is None or flags & bit:
                return _PLAIN_CODE
            flags |= bit
    if lengths > _LINE_LENGTH_MASK or lines > _LINES_MASK:
        return _PLAIN_CODE
    return lengths | lines << _LINES_SHIFT | flags


def code_counts(codes: Iterable[int]) -> Counter[str]:
    """Return the problems by check that own codes (none _PLAIN_CODE) stand for."""
    out: Counter[str] = Counter()
    for code in codes:
        if code & _LINE_LENGTH_MASK:
            out["line_length"] += code & _LINE_LENGTH_MASK
        if code >> _LINES_SHIFT & _LINES_MASK:
            out["lines"] += code >> _LINES_SHIFT & _LINES_MASK
        for check, bit in _FLAG_BITS.items():
            if code & bit:
                out[check] += 1
    return out


def code_counts_bulk(codes) -> Counter[str]:  # codes: a NumPy int array, none _PLAIN_CODE
    """Return code_counts(codes) with whole-array sums."""
    found = {
        "line_length": int((codes & _LINE_LENGTH_MASK).sum()),
        "lines": int((codes >> _LINES_SHIFT & _LINES_MASK).sum()),
    }
    for check, bit in _FLAG_BITS.items():
        found[check] = int(((codes & bit) != 0).sum())
    return Counter({check: n for check, n in found.items() if n})


# Documents shorter than this are checked cue by cue (NumPy's fixed costs outweigh its gain).
_BULK_MIN_CUES = 200


def _disabled_filter(problems: list[Problem], disabled: frozenset[str]) -> list[Problem]:
    return [p for p in problems if p.check not in disabled] if disabled else problems


def own_codes(cues: Sequence[Cue], ctx: _Context) -> list[int]:
    """Return own_code of each cue's own problems, the user's disabled checks left out: the plain
    version of own_codes_bulk (a test compares them where that one answers a code)."""
    disabled = ctx.profile.disabled
    return [own_code(_disabled_filter(_own_problems(c, ctx), disabled)) for c in cues]


_TEXT_OF, _TIMING_OF, _START_OF, _END_OF = (
    attrgetter("text"),
    attrgetter("timing"),
    attrgetter("start_ms"),
    attrgetter("end_ms"),
)
# The code points of whitespace (str.isspace): a text that does not start and end with one is not
# whitespace only.
_SPACES = [
    9,
    10,
    11,
    12,
    13,
    *range(28, 33),
    133,
    160,
    5760,
    *range(8192, 8203),
    8232,
    8233,
    8239,
    8287,
    12288,
]

# _SPACES as a NumPy table by code point, made on first use; its last entry (no whitespace) stands
# for every code point beyond: look up np.minimum(code, _SPACE_BEYOND).
_SPACE_TABLE: list[object] = []
_SPACE_BEYOND = _SPACES[-1] + 1


def _space_table():  # -> numpy bool array
    if not _SPACE_TABLE:
        import numpy as np

        table = np.zeros(_SPACE_BEYOND + 1, bool)
        table[_SPACES] = True
        _SPACE_TABLE.append(table)
    return _SPACE_TABLE[0]


def own_codes_bulk(
    cues: Sequence[Cue],
    ctx: _Context,
    starts,
    ends,
    blank=None,
    sids: list[str | None] | None = None,
    on_block: Callable[[int, str], None] | None = None,
):  # -> numpy int array | None
    """Return what own_codes returns for each cue (starts, ends: NumPy arrays of their times), or
    _PLAIN_CODE for the cues it leaves to _own_problems; None when it leaves them all (the track's
    language unknown: each text's script picks its limits).

    Counted with NumPy over the code points of all the texts joined (linewidth.char_classes: the
    linter's measure), so that no cue costs a Python call: per line its length, wide, non-ASCII
    and Chinese/Japanese characters, per cue its lines, length and duration, and from them the
    line-length, line-count and reading-speed problems _text_limits finds. A cue two lines long
    with Chinese/Japanese characters in one line and an ASCII other line may be a stacked
    bilingual cue (style.stacked_profiles: each line checked to its own script's profile): it is
    counted both ways, and only when the two differ does stacked_parts decide, in Python. The
    checks of times, timing and speaker are column comparisons. Left to _own_problems: a cue with
    a translation to check, and a possibly stacked cue of more lines; all of them (None) when most
    cues have a translation.
    Texts are counted a block of cues at a time (the arrays of a whole 100k-cue document took
    ~40 MB at once). `blank`, a NumPy bool array of a flag per cue, is set where a cue's text
    without tags is empty or whitespace only (where lacking_translation holds, when no cue has a
    translation); left as is when None is returned. `on_block(first, joined)` is given each
    block's texts joined by NUL (tags and all) once it is counted: the spelling check's pass
    (spelling.SpellChecker.cues_pass) takes them, so they are joined once and never all kept.
    """
    style = ctx.source_style
    n = len(cues)
    if style is None or style.half_width > 1.0 or not n:
        return None
    import numpy as np

    translated = None
    if ctx.any_translation:
        translated = np.array(list(map(bool, map(_TRANSLATION_OF, cues))), bool)
        if translated.sum() * 2 > n:  # most cues have a translation to check: all by _own_problems
            return None
    codes = np.empty(n, np.int64)
    blanks = np.empty(n, bool)
    for first in range(0, n, _TEXT_BLOCK):
        joined = "\0".join(map(_TEXT_OF, cues[first : first + _TEXT_BLOCK]))
        done = _own_codes_block(
            joined,
            ctx,
            starts[first : first + _TEXT_BLOCK],
            ends[first : first + _TEXT_BLOCK],
        )
        if done is None:
            return None
        codes[first : first + _TEXT_BLOCK], blanks[first : first + _TEXT_BLOCK] = done
        if on_block is not None:
            on_block(first, joined)
    if blank is not None:
        blank[:] = blanks
    plain = codes == _PLAIN_CODE
    # A blank text is reported empty, its limits not checked.
    codes[blanks] = _FLAG_BITS["empty"]
    # The checks of a cue's times, timing and speaker, over the columns.
    timing = ctx.timing_style
    dur = ends - starts
    codes |= np.where(
        dur < timing.min_duration_ms,
        _FLAG_BITS["duration_short"],
        np.where(dur > timing.max_duration_ms, _FLAG_BITS["duration_long"], 0),
    )
    codes[(starts < 0) | (ends < 0)] |= _FLAG_BITS["negative_time"]
    if countOf(map(_TIMING_OF, cues), Timing.ESTIMATED):
        codes[np.array([t == Timing.ESTIMATED for t in map(_TIMING_OF, cues)], bool)] |= _FLAG_BITS[
            "estimated"
        ]
    speakers = ctx.speaker_ids
    if sids is None:
        sids = list(map(_SPEAKER_ID, cues))
    # (Most documents name no speaker: one C count of Nones, not a set of 100k of them.)
    if sids.count(None) != len(sids) and not set(sids) <= speakers | {None}:
        unknown = np.array([sid is not None and sid not in speakers for sid in sids], bool)
        codes[unknown] |= _FLAG_BITS["speaker_missing"]
    disabled = ctx.profile.disabled
    if disabled:
        off = sum(bit for check, bit in _FLAG_BITS.items() if check in disabled)
        if "line_length" in disabled:
            off |= _LINE_LENGTH_MASK
        if "lines" in disabled:
            off |= _LINES_MASK << _LINES_SHIFT
        codes &= ~off
    codes[plain] = _PLAIN_CODE
    if translated is not None:  # a translation's checks: _own_problems
        codes[translated] = _PLAIN_CODE
    return codes


_TEXT_BLOCK = 8192  # cues whose texts own_codes_bulk counts together


def _own_codes_block(joined: str, ctx: _Context, starts, ends):  # -> (codes, blank) | None
    """Return own_codes_bulk's codes of the cues whose texts `joined` holds, joined by NUL, as
    their texts tell them (the other checks are left to the caller) and which texts are blank,
    or None when a text holds NUL."""
    import numpy as np

    from editor.core import linewidth

    style = ctx.source_style
    assert style is not None
    n = len(starts)
    dur = ends - starts
    if "<" in joined:
        joined = TAG_RE.sub("", joined)  # a tag never spans two texts
    cp, non_ascii, classes = linewidth.char_classes(joined)
    seps = np.flatnonzero((cp == 10) | (cp == 0))
    # (Counted here, not by a str.count over the text first: a tag holds no NUL.)
    nul = np.flatnonzero(cp[seps] == 0)
    if len(nul) != n - 1:  # a text holds NUL: the cues cannot be told apart
        return None
    line_start = np.concatenate(([0], seps + 1))
    line_end = np.concatenate((seps, [len(cp)]))
    line_len = line_end - line_start
    first = np.concatenate(([0], nul + 1))  # each cue's first line
    last = np.concatenate((first[1:] - 1, [len(line_start) - 1]))
    n_lines = last - first + 1
    breaks = n_lines - 1
    cue_start, cue_end = line_start[first], line_end[last]
    total = cue_end - cue_start

    # Per line, its non-ASCII characters are non_ascii[lo:hi]; those of a class are counted by the
    # running count of the class over non_ascii. (lo, hi: the non-ASCII characters before the
    # line's start and end, read off their running count: ~2x quicker than binary searches.)
    before = np.empty(len(cp) + 1, np.int32)
    before[0] = 0
    np.cumsum(cp >= 128, out=before[1:])
    lo, hi = before[line_start], before[line_end]
    running = np.empty(len(non_ascii) + 1, np.int32)
    running[0] = 0

    def per_line(bit: int):
        np.cumsum((classes & bit) != 0, out=running[1:])
        return running[hi] - running[lo]

    line_non_ascii = hi - lo
    cue_ascii = np.add.reduceat(line_non_ascii, first) == 0
    line_wide = per_line(linewidth.WIDE_BIT)
    half = style.half_width
    # The widths and reading speed of _text_limits: len() where characters count one or the text
    # is ASCII, else wide characters one and the others `half`.
    if half == 1.0:
        line_w = line_len
        chars = (total - breaks) * half
    else:
        cue_wide = np.add.reduceat(line_wide, first)
        ascii_line = np.repeat(cue_ascii, n_lines)
        line_w = np.where(ascii_line, line_len, line_wide + (line_len - line_wide) * half)
        chars = np.where(cue_ascii, (total - breaks) * half, cue_wide + (total - breaks - cue_wide) * half)
    lengths = np.add.reduceat((line_w > style.max_chars).astype(np.int64), first)
    lines = (n_lines > style.max_lines).astype(np.int64)
    cps = (dur > 0) & (chars * 1000 > style.max_cps * dur)
    disabled = ctx.profile.disabled
    if "line_length" in disabled:
        lengths[:] = 0
    if "lines" in disabled:
        lines[:] = 0
    if "cps" in disabled:
        cps[:] = False
    codes = lengths | lines << _LINES_SHIFT | np.where(cps, _CPS_BIT, 0)

    # Stacked bilingual cues (stacked_parts: some lines with Chinese/Japanese characters, some without).
    line_ideo = per_line(linewidth.IDEOGRAPHIC_BIT) > 0
    ideo_lines = np.add.reduceat(line_ideo.astype(np.int64), first)
    maybe = (ideo_lines > 0) & (ideo_lines < n_lines)
    plain = maybe & (n_lines != 2)
    two = np.flatnonzero(maybe & (n_lines == 2))
    if len(two):
        a = first[two]
        cjk_line = np.where(line_ideo[a], a, a + 1)
        latin_line = np.where(line_ideo[a], a + 1, a)
        plain[two[line_non_ascii[latin_line] > 0]] = True  # part_profile asks its script: _own_problems
        keep = line_non_ascii[latin_line] == 0
        two, cjk_line, latin_line = two[keep], cjk_line[keep], latin_line[keep]
        # Each part's profile (style.part_profile): the track's where the part is of its kind of
        # script, else the Chinese/Japanese/Korean preset (kana: Japanese, else hangul: Korean)
        # or the default's.
        if style.cjk:
            kinds = [style]
            kind = np.zeros(len(two), np.int64)
            latin_profile = PRESETS["default"]
        else:
            kinds = [PRESETS[preset_for_language(code)] for code in ("zh", "ja", "ko")]
            kind = np.zeros(len(two), np.int64)
            for k, bit in ((2, linewidth.HANGUL_BIT), (1, linewidth.KANA_BIT)):  # kana decides first
                where = non_ascii[(classes & bit) != 0]
                if len(where):
                    has = np.searchsorted(where, line_end[cjk_line]) > np.searchsorted(
                        where, line_start[cjk_line]
                    )
                    kind = np.where(has, k, kind)
            latin_profile = style
        k_half = np.array([p.half_width for p in kinds])[kind]
        k_chars = np.array([p.max_chars for p in kinds])[kind]
        k_lines = np.array([p.max_lines for p in kinds])[kind]
        c_len, c_wide = line_len[cjk_line], line_wide[cjk_line]
        c_w = np.where(k_half == 1.0, c_len, c_wide + (c_len - c_wide) * k_half)
        l_w = line_len[latin_line] * latin_profile.half_width
        s_lengths = (c_w > k_chars).astype(np.int64) + (l_w > latin_profile.max_chars)
        s_lines = (k_lines < 1).astype(np.int64) + (latin_profile.max_lines < 1)
        if "line_length" in disabled:
            s_lengths[:] = 0
        if "lines" in disabled:
            s_lines[:] = 0
        stacked_codes = s_lengths | s_lines << _LINES_SHIFT | (codes[two] & _CPS_BIT)
        differ = np.flatnonzero(stacked_codes != codes[two])
        if len(differ):
            stacked = _stacked_two_lines(
                joined,
                cp,
                line_start[latin_line[differ]],
                line_end[latin_line[differ]],
                cue_start[two[differ]],
                cue_end[two[differ]],
            )
            codes[two[differ[stacked]]] = stacked_codes[differ[stacked]]
    codes[plain] = _PLAIN_CODE
    # Text of whitespace only: starts and ends with whitespace (then asked).
    blank = total == 0
    edge = np.flatnonzero(~blank)
    head, tail = cp[cue_start[edge]], cp[cue_end[edge] - 1]
    spaces = _space_table()
    spaced = spaces[np.minimum(head, _SPACE_BEYOND)] & spaces[np.minimum(tail, _SPACE_BEYOND)]
    for i in edge[spaced].tolist():
        if joined[cue_start[i] : cue_end[i]].isspace():
            blank[i] = True
    return codes, blank


def _stacked_two_lines(joined: str, cp, latin_start, latin_end, cue_start, cue_end):  # -> numpy bool array
    """Return, for cues of two lines (their spans in `joined`, its code points `cp`), one with
    Chinese/Japanese characters and the other ASCII (its span given), whether stacked_parts calls
    the cue stacked: for the usual ASCII line (not blank, opening with neither whitespace nor a
    dash: no dialogue cue) whether it reads as a language, two or more words of it holding a
    lower-case letter (script._reads_as_language), counted with NumPy; stacked_parts decides the
    others (and a line of one such word, where its ending decides)."""
    import numpy as np

    out = np.zeros(len(latin_start), bool)
    if not len(out):
        return out
    lens = latin_end - latin_start
    opening = cp[np.minimum(latin_start, len(cp) - 1)]
    spaces = _space_table()
    quick = np.flatnonzero((lens > 0) & ~spaces[np.minimum(opening, _SPACE_BEYOND)] & (opening != ord("-")))
    q_start, q_len = latin_start[quick], lens[quick]
    offsets = np.concatenate(([0], np.cumsum(q_len)[:-1]))
    chars = cp[np.repeat(q_start - offsets, q_len) + np.arange(int(q_len.sum()))]
    # Words are runs between whitespace; a run starts at each space and at each line's start.
    boundary = spaces[chars]  # ASCII
    boundary[offsets] = True
    word = np.cumsum(boundary)
    lower = np.flatnonzero((chars >= ord("a")) & (chars <= ord("z")))
    words = np.zeros(len(quick), np.int64)
    if len(lower):
        of_lower = word[lower]
        first_lower = lower[np.concatenate(([True], of_lower[1:] != of_lower[:-1]))]
        words = np.bincount(np.searchsorted(offsets, first_lower, "right") - 1, minlength=len(quick))
    out[quick] = words >= 2
    ask = np.ones(len(out), bool)
    ask[quick[words != 1]] = False
    for k in np.flatnonzero(ask).tolist():
        out[k] = stacked_parts(joined[cue_start[k] : cue_end[k]]) is not None
    return out


_PAIR_CHECKS = (None, "gap", "overlap", "order")  # pair codes: 0 no problem, 1 gap, 2 overlap, 3 order


def pair_code(problems: tuple[Problem, ...]) -> int:
    """Return the code of what pair_problems returned (its one problem's check, or 0)."""
    return _PAIR_CHECKS.index(problems[0].check) if problems else 0


def pair_codes(cues: Sequence[Cue], profile: QcProfile, min_gap_ms: int) -> list[int]:
    """Return pair_code(pair_problems(a, b)) of each consecutive pair: the plain version of
    pair_codes_bulk (a test compares them)."""
    return [pair_code(pair_problems(a, b, profile, min_gap_ms)) for a, b in pairwise(cues)]


def pair_codes_bulk(starts, ends, profile: QcProfile, min_gap_ms: int):  # -> numpy int array
    """Return pair_codes of the cues whose times are the NumPy arrays `starts` and `ends`, with
    whole-array steps (pair_problems' rule: out of order, else overlapping, else too close)."""
    import numpy as np

    before, after, end = starts[:-1], starts[1:], ends[:-1]
    order = after < before
    overlap = ~order & (after < end)
    gap = ~order & ~overlap & (after - end < min_gap_ms)
    codes = np.zeros(len(order), np.int64)
    for code, found in ((1, gap), (2, overlap), (3, order)):
        if _PAIR_CHECKS[code] not in profile.disabled:
            codes[found] = code
    return codes


_SPEAKER_ID, _CUE_ID = attrgetter("speaker_id"), attrgetter("id")


def _id_array(ids: list[int]):  # -> NumPy int64 array | None
    """Return `ids` as a NumPy int64 array, or None for an id beyond 64 bits."""
    found = as_id_array(ids)
    return None if found.dtype == object else found


class QcIndex:
    """All problems of a document, kept current edit by edit.

    Build it once (`QcIndex(doc, profile)`: one full pass), then call
    `update(changeset)` with every ChangeSet the document's edits return: only
    the named cues, their neighbours and the few cues whose status depends on
    a document-wide figure that moved (the median translation ratio, whether any
    cue has a speaker or a translation) are checked again.
    """

    def __init__(self, doc: Document, profile: QcProfile | None = None, *, coded: bool = True) -> None:
        """`coded`: a long document's usual problems are kept as codes, their Problems built when
        asked (False: all built now, for a caller about to ask for every one: `check`)."""
        self.doc = doc
        self.profile = profile or QcProfile()
        self.wide_change = False
        self._coded = coded
        self.rebuild()

    # -- building ------------------------------------------------------------
    def rebuild(self) -> None:
        """Check the whole document again (after a change of languages or profile)."""
        doc, profile = self.doc, self.profile
        cues = doc.cues
        ids = list(map(_CUE_ID, cues))
        bulk = self._coded and len(cues) >= _BULK_MIN_CUES
        # The ids as one NumPy array too, for the tables by id the bulk paths fill (made once).
        read = doc.read_columns() if bulk else None  # the reader's columns, while no edit changed the cues
        id_array = (read.ids if read is not None else _id_array(ids)) if bulk else None
        size = dense_size(ids, id_array)
        self._speaker_ids = frozenset(doc.speakers)
        # Which cues name which speaker id: a speaker added to the table or removed from it
        # re-checks only the cues naming it, with no pass over the document.
        sids = list(map(_SPEAKER_ID, cues))
        self._speaker_of = SpeakerOf(cues, ids, size, sids, id_array)
        # The passes below are skipped where one C-level `any` tells they find nothing: no cue
        # has a translation.
        translated = doc.has_translation()  # (a read document's columns answer it without a pass)
        # (`c.translation and …`: no call for the usual cue without one; the answer is the same.)
        self._with_translation: set[int] = (
            {c.id for c in doc.cues if c.translation and _has_translation(c)} if translated else set()
        )
        # (Without any translation, from own_codes_bulk's blank texts below when it runs.)
        self._missing = IdSet(lacking_translation(cues), size) if translated or not bulk else None
        self._ratio_of: dict[int, float] = {}
        if translated:
            for c in doc.cues:
                if c.translation and (r := _ratio(c, profile)) is not None:
                    self._ratio_of[c.id] = r
        self._ratios: list[tuple[float, int]] = sorted((r, i) for i, r in self._ratio_of.items())
        styles = profile.styles
        src_known, tr_known = language_is_cjk(doc.source_language), language_is_cjk(doc.translation_language)
        self._ctx = _Context(
            profile=profile,
            source_style=profile_for(doc.source_language, styles, SOURCE) if src_known is not None else None,
            translation_style=(
                profile_for(doc.translation_language, styles, TRANSLATION) if tr_known is not None else None
            ),
            speaker_ids=self._speaker_ids,
            any_speaker=self._any_speaker(),
            any_translation=bool(self._with_translation),
            src_cjk=src_known,
            tr_cjk=tr_known,
            source_language=doc.source_language,
            translation_language=doc.translation_language,
            median_ratio=self._median(),
            ratio_of=self._ratio_of,
            extra=_language_checks(doc, profile),
        )
        ctx = self._ctx
        starts = ends = None
        if bulk:
            import numpy as np

            try:
                if read is not None:  # (two passes over 100k Cue objects saved, ~6 ms)
                    starts, ends = read.starts, read.ends
                else:
                    starts = np.fromiter(map(_START_OF, cues), np.int64, len(cues))
                    ends = np.fromiter(map(_END_OF, cues), np.int64, len(cues))
            except (OverflowError, TypeError, ValueError):  # a time beyond 64 bits: cue by cue
                starts = ends = None
        # Only the cues with problems: most cues of a long document have none, and an entry
        # (with its empty list) per clean cue cost ~8 MB at 100k cues. Most of those have only
        # line lengths, line counts or reading speed to report: they get a code (own_codes_bulk),
        # their Problems built when a view asks (_own).
        self._lazy = IdCodes()
        blank = None if self._missing is not None else np.zeros(len(cues), bool)
        # The spelling check's pass (spelling.qc_check's bulk_pass) is fed the texts own_codes_bulk
        # joins, block by block, rather than joining them again.
        passes = (
            {extra: extra.bulk_pass(cues, _TEXT_BLOCK) for extra in ctx.extra if hasattr(extra, "bulk_pass")}
            if starts is not None
            else {}
        )

        def on_block(first: int, joined: str) -> None:
            for feed, _finish in passes.values():
                feed(first, joined)

        codes = (
            own_codes_bulk(cues, ctx, starts, ends, blank, sids, on_block if passes else None)
            if starts is not None
            else None
        )
        if self._missing is None:
            if codes is None:
                self._missing = IdSet(lacking_translation(cues), size)
            else:  # no cue has a translation: those lacking one are those with text
                self._missing = IdSet.of_flags(as_id_array(ids, id_array), ~blank, size)
        if codes is None:
            self._local: dict[int, list[Problem]] = local_problems_fast(cues, ctx)
            lazy_counts: Counter[str] = Counter()
        else:
            self._local, lazy_counts = self._coded_local(cues, ids, size, codes, id_array, passes)
        self._ratio_flagged: set[int] = (
            {p.cue_id for probs in self._local.values() for p in probs if p.check == "tr_ratio"}  # type: ignore[misc]
            if ctx.median_ratio is not None
            else set()
        )
        self._counts: Counter[str] = Counter(map(_CHECK_OF, chain.from_iterable(self._local.values())))
        self._counts.update(lazy_counts)
        self._rebuild_pairs(ids, size, starts, ends, id_array)

    def _coded_local(
        self, cues: Sequence[Cue], ids: list[int], size: int, codes, id_array=None, passes=None
    ) -> tuple[dict[int, list[Problem]], Counter[str]]:
        """Return the problems of the cues own_codes_bulk left to _own_problems and of those the
        language checks flag (built now), with the counts of the coded rest (kept in self._lazy);
        the user's disabled checks left out, as local_problems_fast does. `passes`: a language
        check's (feed, finish) bulk pass, fed by own_codes_bulk, by the check."""
        import numpy as np

        ctx = self._ctx
        out: dict[int, list[Problem]] = {}
        for row in np.flatnonzero(codes == _PLAIN_CODE).tolist():
            cue = cues[row]
            if probs := _own_problems(cue, ctx):
                out[cue.id] = probs
        codes[codes == _PLAIN_CODE] = 0
        coded = np.flatnonzero(codes)
        self._lazy = IdCodes(as_id_array(ids, id_array)[coded], codes[coded], size)
        counts = code_counts_bulk(codes[coded])
        for extra in ctx.extra:
            bulk = getattr(extra, "bulk", None)
            if passes and extra in passes:
                found = passes[extra][1]()
            elif bulk is not None:
                found = bulk(cues)
            else:
                found = {c.id: probs for c in cues if (probs := extra(c))}
            for cid, probs in found.items():
                have = out.get(cid)
                if have is None and (code := self._lazy.pop(cid)):
                    counts.subtract(code_counts([code]))
                    have = _own_problems(self.doc.cue(cid), ctx)
                out[cid] = have + probs if have else probs
        disabled = ctx.profile.disabled
        if disabled:
            out = {
                cid: kept
                for cid, probs in out.items()
                if (kept := [p for p in probs if p.check not in disabled])
            }
        return out, +counts

    def _rebuild_pairs(self, ids: list[int], size: int, starts, ends, id_array=None) -> None:
        cues = self.doc.cues
        profile = self.profile
        # Neighbour links, patched by updates so that structural edits need no full pass.
        self._prev, self._next = IdLinks.chain(ids, size, id_array)
        min_gap = self._ctx.timing_style.min_gap_ms
        codes = pair_codes_bulk(starts, ends, profile, min_gap) if starts is not None else None
        self._pair_lazy = IdCodes()
        if codes is None:
            self._pairs: dict[int, tuple[Problem, ...]] = pair_table_fast(cues, profile, min_gap)
            self._pair_counts: Counter[str] = Counter(
                map(_CHECK_OF, chain.from_iterable(self._pairs.values()))
            )
            return
        # Pairs with a problem get a code (by their left cue), their Problem built when asked (_pair).
        import numpy as np

        coded = np.flatnonzero(codes)
        self._pairs = {}
        lefts = as_id_array(ids, id_array)[:-1]
        self._pair_lazy = IdCodes(lefts[coded], codes[coded], size)
        found = np.bincount(codes[coded], minlength=len(_PAIR_CHECKS)).tolist()
        self._pair_counts = Counter({_PAIR_CHECKS[k]: v for k, v in enumerate(found) if k and v})

    def _median(self) -> float | None:
        ratios = self._ratios
        n = len(ratios)
        if n < self.profile.tr_ratio_min_cues:
            return None
        mid = n // 2
        if n % 2:
            return ratios[mid][0]
        return (ratios[mid - 1][0] + ratios[mid][0]) / 2

    def set_profile(self, profile: QcProfile) -> None:
        """Use other limits (or style settings) from now on (checks everything again)."""
        self.profile = profile
        self.rebuild()

    # -- incremental update ---------------------------------------------------
    def update(self, changes: ChangeSet) -> None:
        """Re-check what `changes` touched (and what depends on it). Raises nothing.

        Afterwards `self.wide_change` is True when problems may have changed on cues far
        from the edited ones (a document-wide figure moved), so views repaint every row.
        """
        self.wide_change = True
        if changes.document & ({"source_language", "translation_language"} | LANGUAGE_CHECK_FIELDS) or (
            changes.speakers and self.speakers_need_rebuild()
        ):
            self.rebuild()
            return
        # Speaker names are words the spelling check accepts: a name gained re-checks the cues
        # flagged with its words, nothing else (a recolour or a new speaker re-checks nothing).
        named = self._recheck_names() if changes.speakers else set()
        doc = self.doc
        ctx = self._ctx
        profile = self.profile
        touched: set[int] = set()
        edited_sids: Counter[str | None] = Counter()  # the speakers the edited cues name now
        for cid in changes.removed:
            self._drop_local(cid)
            self._speaker_of.drop(cid)
            self._with_translation.discard(cid)
            self._missing.discard(cid)
            self._set_ratio(cid, None)
            self._ratio_flagged.discard(cid)
        for cid in changes.cue_ids | changes.inserted:
            if cid in changes.removed or not doc.has_cue(cid):
                continue
            cue = doc.cue(cid)
            touched.add(cid)
            self._speaker_of.set(cid, cue.speaker_id)
            edited_sids[cue.speaker_id] += 1
            self._flag(self._with_translation, cid, _has_translation(cue))
            self._flag(self._missing, cid, _lacks_translation(cue))
            self._set_ratio(cid, _ratio(cue, profile))
        # Cues (not edited) whose speaker id became known or unknown: their check changes.
        renamed_status: list[int] = []
        if changes.speakers:
            new_ids = frozenset(doc.speakers)
            old_ids = self._speaker_ids
            if new_ids != old_ids:
                added, removed = new_ids - old_ids, old_ids - new_ids
                self._speaker_ids = new_ids
                ctx.speaker_ids = new_ids
                # Speakers added: the cues that named one of them (dangling until now); removed
                # (the undo of a new speaker, a merge): the cues still naming them (usually none:
                # the edit gave them another speaker). From the index by speaker, no pass over
                # the document, and no scan when only edited cues (re-checked anyway) name it.
                for sid in added | removed:
                    renamed_status.extend(self._speaker_of.naming(sid, known=edited_sids[sid]))

        n_touched = len(touched)
        any_tr = bool(self._with_translation)
        flipped = any_tr != ctx.any_translation
        if flipped:
            # Cues without a translation only gain or lose `tr_missing`, which the queries
            # derive from self._missing; the cues that have one were changed, so touched.
            ctx.any_translation = any_tr
        any_sp = self._any_speaker()
        speakers_flipped = any_sp != ctx.any_speaker
        if speakers_flipped:
            # Cues without a speaker only gain or lose "no speaker, although other cues have
            # one", which the queries derive from the index by speaker: nothing to re-check.
            ctx.any_speaker = any_sp
        touched.update(renamed_status)
        touched.update(named)

        median = self._median()
        if median != ctx.median_ratio:
            old = ctx.median_ratio
            ctx.median_ratio = median
            touched |= self._ratio_flagged
            touched |= self._near_threshold(old, median)

        for cid in touched:
            self._set_local(cid, _cue_problems(doc.cue(cid), ctx))
        self.wide_change = flipped or speakers_flipped or len(touched) > n_touched
        self._update_pairs(changes)

    def discard(self) -> None:
        """Empty this index's tables gradually (see runtime.empty_gradually), for a worker thread
        when a new index replaces this one. The index is unusable afterwards."""
        from editor.core import runtime

        for check in self._ctx.extra:
            checker = getattr(check, "checker", None)
            if checker is not None:
                checker.discard()
        for value in list(vars(self).values()):
            if isinstance(value, IdLinks | IdSet | IdCodes):
                value.clear()  # one buffer each, freed at once in no time
            else:
                runtime.empty_gradually(value)

    def speakers_need_rebuild(self) -> bool:
        """Return True when the speaker table changed so that every cue's language checks must
        run again: a word of a removed or renamed name that no dictionary knows may now be
        flagged anywhere. False when names only gained words (or did not change)."""
        return any(
            getattr(check, "checker", None) is not None and check.checker.name_changes()[1]  # type: ignore[attr-defined]
            for check in self._ctx.extra
        )

    def _recheck_names(self) -> set[int]:
        """Refresh the spelling check's names; return the cues flagged with a word now a name."""
        out: set[int] = set()
        for check in self._ctx.extra:
            checker = getattr(check, "checker", None)
            if checker is None:
                continue
            gained, _lost = checker.name_changes()
            if not gained:
                continue
            checker.refresh()
            for cid in check.flagged:  # type: ignore[attr-defined]
                if any(
                    p.check == "spelling" and any(w in p.message.casefold() for w in gained)
                    for p in self._local.get(cid, ())
                ):
                    out.add(cid)
        return out

    def _update_pairs(self, changes: ChangeSet) -> None:
        """Re-check the pairs of neighbours around touched, removed and inserted cues.

        The neighbour links (`_prev`/`_next`) are patched like a linked list, so
        removing cues needs no row lookup at all, and inserting needs one.
        """
        doc = self.doc
        prev, nxt = self._prev, self._next
        lefts: set[int] = set()
        # A cue removed and inserted again in one batch (a move) shows up as inserted only:
        # unlink it from its old place as well.
        moved = {cid for cid in changes.inserted if cid in nxt}
        for cid in changes.removed | moved:
            if cid not in nxt:
                continue
            left = prev.pop(cid)
            right = nxt.pop(cid)
            if left is not None:
                nxt[left] = right
                lefts.add(left)
            if right is not None:
                prev[right] = left
            self._set_pair(cid, ())
        lefts -= changes.removed
        if changes.inserted:
            cues = doc.cues
            n = len(cues)
            for cid in changes.inserted:
                if not doc.has_cue(cid):
                    continue
                row = doc.row_of(cid)
                left = cues[row - 1].id if row > 0 else None
                right = cues[row + 1].id if row + 1 < n else None
                prev[cid], nxt[cid] = left, right
                if left is not None:
                    nxt[left] = cid
                    lefts.add(left)
                if right is not None:
                    prev[right] = cid
                lefts.add(cid)
        for cid in changes.cue_ids:
            if cid in nxt:
                lefts.add(cid)
                left = prev[cid]
                if left is not None:
                    lefts.add(left)
        profile = self.profile
        min_gap = self._ctx.timing_style.min_gap_ms
        for left in lefts:
            right = nxt.get(left)
            if right is None:
                self._set_pair(left, ())
            else:
                self._set_pair(left, pair_problems(doc.cue(left), doc.cue(right), profile, min_gap))

    def _flag(self, group: set[int] | IdSet, cid: int, on: bool) -> None:
        if on:
            group.add(cid)
        else:
            group.discard(cid)

    def _set_ratio(self, cid: int, ratio: float | None) -> None:
        old = self._ratio_of.pop(cid, None)
        if old is not None:
            i = bisect_left(self._ratios, (old, cid))
            del self._ratios[i]
        if ratio is not None:
            self._ratio_of[cid] = ratio
            insort(self._ratios, (ratio, cid))

    def _near_threshold(self, old: float | None, new: float | None) -> set[int]:
        """Return ids whose ratio lies between the old and the new flagging thresholds."""
        if old is None or new is None:
            return set(self._ratio_of)  # the check switched on or off for everyone
        f = self.profile.tr_ratio_factor
        out: set[int] = set()
        for lo, hi in ((old * f, new * f), (old / f, new / f)):
            lo, hi = min(lo, hi), max(lo, hi)
            i = bisect_left(self._ratios, (lo, -1))
            j = bisect_right(self._ratios, (hi, float("inf")))
            out.update(cid for _, cid in self._ratios[i:j])
        return out

    def _set_local(self, cid: int, probs: list[Problem]) -> None:
        self._drop_code(cid)
        old = self._local.get(cid)
        if old:
            self._counts.subtract(p.check for p in old)
        if probs:
            self._local[cid] = probs
            self._counts.update(p.check for p in probs)
        elif old is not None:
            del self._local[cid]
        if any(p.check == "tr_ratio" for p in probs):
            self._ratio_flagged.add(cid)
        else:
            self._ratio_flagged.discard(cid)

    def _drop_local(self, cid: int) -> None:
        self._drop_code(cid)
        old = self._local.pop(cid, None)
        if old:
            self._counts.subtract(p.check for p in old)

    def _drop_code(self, cid: int) -> None:
        """Forget the code of a cue checked again (its problems not built yet), and its counts."""
        code = self._lazy.pop(cid)
        if code:
            self._counts.subtract(code_counts([code]))

    def _own(self, cid: int) -> list[Problem] | None:
        """Return the problems of a cue's own (None: none), built now from its code if not yet:
        by _own_problems, so they are the very ones a plain pass makes."""
        found = self._local.get(cid)
        # (A cue gone from the document: the index is stale, a new one on its way; QcTracker.update.)
        if found is None and self._lazy.get(cid) and self.doc.has_cue(cid):
            code = self._lazy.pop(cid)
            if code:
                found = _own_problems(self.doc.cue(cid), self._ctx)
                disabled = self.profile.disabled
                if disabled:
                    found = [p for p in found if p.check not in disabled]
                self._local[cid] = found
                if own_code(found) != code:  # never (a test compares them): the counts follow the Problems
                    self._counts.subtract(code_counts([code]))
                    self._counts.update(map(_CHECK_OF, found))
        return found

    def _pair(self, left_id: int) -> tuple[Problem, ...]:
        """Return the problems between a cue and the next one, built now from their code if not yet."""
        found = self._pairs.get(left_id)
        if found is None:
            if not self._pair_lazy.get(left_id):
                return ()
            doc, right = self.doc, self._next.get(left_id)
            if not doc.has_cue(left_id) or (right is not None and not doc.has_cue(right)):
                return ()  # the index is stale (see _own)
            code = self._pair_lazy.pop(left_id)
            found = ()
            if right is not None:
                min_gap = self._ctx.timing_style.min_gap_ms
                found = pair_problems(doc.cue(left_id), doc.cue(right), self.profile, min_gap)
            if found:
                self._pairs[left_id] = found
            if pair_code(found) != code:  # never (a test compares them): the counts follow the Problems
                self._pair_counts.subtract([_PAIR_CHECKS[code]])
                self._pair_counts.update(map(_CHECK_OF, found))
        return found

    def _set_pair(self, left_id: int, probs: tuple[Problem, ...]) -> None:
        code = self._pair_lazy.pop(left_id)
        if code:
            self._pair_counts.subtract([_PAIR_CHECKS[code]])
        old = self._pairs.pop(left_id, ())
        if old:
            self._pair_counts.subtract(p.check for p in old)
        if probs:
            self._pairs[left_id] = probs
            self._pair_counts.update(p.check for p in probs)

    # -- queries -------------------------------------------------------------
    def _flags_missing(self, cue_id: int) -> bool:
        return (
            self._ctx.any_translation
            and cue_id in self._missing
            and "tr_missing" not in self.profile.disabled
        )

    def _missing_count(self) -> int:
        if not self._ctx.any_translation or "tr_missing" in self.profile.disabled:
            return 0
        return len(self._missing)

    def _any_speaker(self) -> bool:
        """Return True when some cue names a speaker of the table (from the counts by speaker:
        a set of those cues took ~4 MB at 100k cues)."""
        ids = self._speaker_ids
        return any(sid in ids for sid in self._speaker_of.counts)

    def _flags_no_speaker(self, cue_id: int) -> bool:
        return (
            self._ctx.any_speaker
            and "speaker_missing" not in self.profile.disabled
            and self._speaker_of.names_none(cue_id)
        )

    def _no_speaker_count(self) -> int:
        if not self._ctx.any_speaker or "speaker_missing" in self.profile.disabled:
            return 0
        return self._speaker_of.n_none

    def problems_for(self, cue_id: int) -> list[Problem]:
        """Return the problems of one cue (its own, then those with its neighbours)."""
        out = list(self._own(cue_id) or ())
        if self._flags_no_speaker(cue_id):
            out.append(_no_speaker_problem(cue_id))
        if self._flags_missing(cue_id):
            out.append(_missing_problem(cue_id))
        out.extend(p for p in self._pair(cue_id) if p.cue_id == cue_id)
        prev = self._prev.get(cue_id)
        if prev is not None:
            out.extend(p for p in self._pair(prev) if p.cue_id == cue_id)
        return out

    def has_problems(self, cue_id: int) -> bool:
        """Return True when the cue has at least one problem."""
        if (
            self._local.get(cue_id)
            or self._lazy.get(cue_id)
            or self._flags_missing(cue_id)
            or self._flags_no_speaker(cue_id)
        ):
            return True
        return bool(self.problems_for(cue_id))

    def all(self) -> list[Problem]:
        """Return every problem in document order."""
        out: list[Problem] = []
        # Every Problem kept as a code built first, then looked up by plain dict gets.
        for cid in self._lazy.ids():
            self._own(cid)
        for cid in self._pair_lazy.ids():
            self._pair(cid)
        local, pairs = self._local, self._pairs
        missing = self._missing if self._missing_count() else ()
        no_speaker = self._speaker_of.names_none if self._no_speaker_count() else None
        prev_id: int | None = None
        for cue in self.doc.cues:
            cid = cue.id
            probs = local.get(cid)
            if probs:
                out.extend(probs)
            if no_speaker is not None and no_speaker(cid):
                out.append(_no_speaker_problem(cid))
            if cid in missing:
                out.append(_missing_problem(cid))
            here = pairs.get(cid)
            if here:
                out.extend(p for p in here if p.cue_id == cid)
            if prev_id is not None:
                before = pairs.get(prev_id)
                if before:
                    out.extend(p for p in before if p.cue_id == cid)
            prev_id = cid
        return out

    @property
    def count(self) -> int:
        """Return the number of problems."""
        return (
            sum(self._counts.values())
            + sum(self._pair_counts.values())
            + self._missing_count()
            + self._no_speaker_count()
        )

    def counts(self) -> dict[str, int]:
        """Return the number of problems by check id (checks with none left out)."""
        merged = self._counts + self._pair_counts  # Counter addition drops zero counts
        missing = self._missing_count()
        if missing:
            merged["tr_missing"] = missing
        no_speaker = self._no_speaker_count()
        if no_speaker:
            merged["speaker_missing"] += no_speaker
        return dict(merged)

    def next_problem_after(self, cue_id: int | None, *, include_info: bool = True) -> int | None:
        """Return the id of the next cue with a problem after `cue_id`, wrapping around.

        None starts from the top. With `include_info=False`, cues whose only
        problems are informational (estimated timing, odd ratios) are skipped.
        Returns None when no cue qualifies.
        """
        cues = self.doc.cues
        n = len(cues)
        if n == 0 or self.count == 0:
            return None
        start = self.doc.row_of(cue_id) + 1 if cue_id is not None and self.doc.has_cue(cue_id) else 0
        for k in range(n):
            row = (start + k) % n
            cid = cues[row].id
            if (
                self._local.get(cid)
                or self._lazy.get(cid)
                or self._flags_missing(cid)
                or self._flags_no_speaker(cid)
                or self._pair_hit(row)
            ):
                if include_info or any(p.severity != Severity.INFO for p in self.problems_for(cid)):
                    return cid
        return None

    def _pair_hit(self, row: int) -> bool:
        cues = self.doc.cues
        cid = cues[row].id
        if any(p.cue_id == cid for p in self._pair(cid)):
            return True
        if row > 0:
            return any(p.cue_id == cid for p in self._pair(cues[row - 1].id))
        return False


# ---------------------------------------------------------------------------
# One-shot API
# ---------------------------------------------------------------------------


def check(doc: Document, profile: QcProfile | None = None) -> list[Problem]:
    """Return every problem of `doc`: what its reader skipped, then the cues' in document order.
    Raises nothing."""
    from editor.core.formats import readlog

    read = [
        Problem(
            None,
            "skipped",
            Severity.WARNING,
            f"line {entry.line}: {entry.message}" if entry.line else entry.message,
        )
        for entry in readlog.skipped(doc)
    ]
    return read + QcIndex(doc, profile, coded=False).all()


def counts(problems: Iterable[Problem]) -> dict[str, int]:
    """Return how many problems there are of each check id."""
    return dict(Counter(p.check for p in problems))
