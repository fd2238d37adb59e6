"""Line layout of cues: the limits each track is laid out to, and the edits that re-break lines.

`linebreak` decides where one text breaks; this module applies it to cues and tracks:
Rebalance Lines and Unbreak (each one undo step), and the re-break that attaching a
translation, merging and splitting do to the text they create.

Limits come from the track's style profile (editor.core.style): its language's preset
under the user's settings, or when the language is unknown the preset the text's script
suggests (Chinese 16 characters a line with half-width characters counting half,
Japanese 13, Latin scripts 42; two lines).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from editor.core import linebreak, runtime
from editor.core.edits import Batch, Edit, SetCueValues
from editor.core.errors import ValidationError

# Measuring lines moved to linewidth (convert needs it without the line breaker); still here for callers.
from editor.core.linewidth import long_lines as long_lines
from editor.core.model import Cue, Document
from editor.core.script import IDEOGRAPHIC_RE, cjk_languages, plain_text
from editor.core.style import (
    SOURCE,
    TRANSLATION,
    StyleProfile,
    StyleSettings,
    profile_for,
    profile_for_text,
    stacked_profiles,
)

if TYPE_CHECKING:
    from editor.core.alignment import AlignmentPlan

Track = Literal["text", "translation", "both"]
TRACK_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text",),
    "source": ("text",),
    "translation": ("translation",),
    "both": ("text", "translation"),
}


def track_profile(
    doc: Document | None, field: str, text: str = "", styles: StyleSettings | None = None
) -> StyleProfile:
    """Return the style profile a cue text of `field` ("text" or "translation") is laid out to:
    its track's language's (under the user's `styles`), or when that is unknown, the one the
    script of `text` suggests."""
    track = TRANSLATION if field == "translation" else SOURCE
    language = None
    if doc is not None:
        language = doc.translation_language if track == TRANSLATION else doc.source_language
    return profile_for_text(language, plain_text(text) if "<" in text else text, styles, track)


# Layouts already worked out, per (line width, lines, CJK, reserve): text -> laid-out text. The
# layout of a text depends on nothing else, and a document is laid out again and again (Rebalance
# twice, each export with speaker names, every merge of a cue with its neighbour).
_LAID: dict[tuple[float, int, bool, float], dict[str, str]] = {}
_LAID_MAX = 300_000
_laid_count = [0]


def _laid_cache(profile: StyleProfile, reserve: float) -> dict[str, str]:
    key = (float(profile.max_chars), profile.max_lines, profile.cjk, reserve)
    cache = _LAID.get(key)
    if cache is None:
        cache = _LAID[key] = {}
    return cache


def clear_cache() -> None:
    """Forget every layout worked out so far (the benchmark measures a cold run with it)."""
    _LAID.clear()
    _laid_count[0] = 0


def lay_out(
    text: str, profile: StyleProfile, reserve: float = 0.0, cache: dict[str, str] | None = None
) -> str:
    """Return `text` broken into lines to `profile` (see linebreak.break_lines); `reserve` is
    width taken from the first line (a "Name: " prefix). `cache`: _laid_cache(profile,
    reserve), when the caller already holds it."""
    if not text or ("\n" not in text and len(text) + reserve <= profile.max_chars):
        return text
    if cache is None:
        cache = _laid_cache(profile, reserve)
    laid = cache.get(text)
    if laid is None:
        stacked = stacked_profiles(text, profile) if "\n" in text and not text.isascii() else None
        laid = _lay_out_new(text, profile, reserve, cache, stacked)
    return laid


# Layouts a batch worked out (lay_out_many): part -> (its profile, its layout, unbreak(part)),
# the layout rejoining to unbreak(part).
_Known = dict[str, tuple[StyleProfile, str, str]]


def _lay_out_new(
    text: str,
    profile: StyleProfile,
    reserve: float,
    cache: dict[str, str],
    stacked: list[tuple[str, StyleProfile]] | None,
    known: _Known | None = None,
) -> str:
    """Return lay_out(text, …) for a text not in `cache` (stacked: its stacked_profiles), and
    remember it. `known`: parts laid out already, for a stacked cue (_lay_out_stacked)."""
    if stacked is None:
        laid, flat = linebreak.break_and_unbreak(
            text, profile.max_chars, profile.max_lines, cjk=profile.cjk, reserve=reserve
        )
        rejoined = None
    else:
        # A stacked bilingual cue: each part laid out to its own profile. Its layout reads as
        # the same two parts again (_lay_out_stacked), so it is joined part by part.
        pieces, flats, rejoins = _lay_out_stacked(stacked, reserve, known)
        laid = "\n".join(pieces)
        flat = "\n".join(flats)  # = unbreak(text)
        rejoined = "\n".join(rejoins)  # = unbreak(laid)
    _remember(text, laid, flat, rejoined, profile, reserve, cache)
    return laid


def _remember(
    text: str,
    laid: str,
    flat: str,
    rejoined: str | None,
    profile: StyleProfile,
    reserve: float,
    cache: dict[str, str],
) -> None:
    """Remember `laid` as the layout of `text` (flat: unbreak(text); rejoined: unbreak(laid)
    when the caller has it) in `cache`, _laid_cache(profile, reserve)."""
    if _laid_count[0] >= _LAID_MAX:
        clear_cache()
        cache = _laid_cache(profile, reserve)
    cache[text] = laid
    # Laid out again, a layout stays what it is when it holds the same one-line text (see
    # break_lines: everything follows from that text); a second Rebalance finds it here.
    if laid != text and (rejoined if rejoined is not None else linebreak.unbreak(laid)) == flat:
        cache[laid] = laid
        _laid_count[0] += 1
    _laid_count[0] += 1


def _remember_found(
    todo: list[str],
    found_all: list[tuple[str, str, str] | None],
    own: StyleProfile,
    own_cache: dict[str, str],
    known: _Known,
) -> None:
    """_remember what a batch of lay_out_many found for the parts `todo` (each part's layout, its
    unbreak and what the layout rejoins to; None: not taken) in `own_cache` (_laid_cache(own,
    0.0)), and note in `known` the layouts that rejoin to their part's one-line text."""
    if _laid_count[0] + 2 * len(todo) < _LAID_MAX:
        # _remember's steps inline (~55,000 of the benchmark's): with room for every layout and
        # the layout itself, nothing is forgotten on the way.
        added = 0
        for part, found in zip(todo, found_all, strict=True):
            if found is not None:
                laid, flat, rejoined = found
                own_cache[part] = laid
                if rejoined == flat:
                    if laid != part:
                        own_cache[laid] = laid
                        added += 1
                    known[part] = (own, laid, flat)
                added += 1
        _laid_count[0] += added
        return
    for part, found in zip(todo, found_all, strict=True):
        if found is not None:
            laid, flat, rejoined = found
            _remember(part, laid, flat, rejoined, own, 0.0, own_cache)
            if rejoined == flat:
                known[part] = (own, laid, flat)


def lay_out_many(texts: list[str], profile: StyleProfile, cache: dict[str, str] | None = None) -> list[str]:
    """Return [lay_out(text, profile) for text in texts], remembering the same layouts: the
    fast path of Rebalance Lines over many cues. The Chinese/Japanese texts (and the Chinese
    parts of stacked bilingual cues) that need breaking in two are broken all at once
    (linebreak.simple_cjk_two_lines_many, NumPy) instead of one by one; the rest, and any text
    the batch does not take, go lay_out's way. `cache`: _laid_cache(profile, 0.0)."""
    if cache is None:
        cache = _laid_cache(profile, 0.0)
    width = profile.max_chars
    # Which texts (and stacked parts) the batch breaker may take: texts not laid out before,
    # too long for a line, for a two-line CJK profile; per profile, text -> its one-line text.
    stacked_of: dict[str, list[tuple[str, StyleProfile]] | None] = {}
    batch: dict[StyleProfile, dict[str, str]] = {}
    latin: dict[StyleProfile, dict[str, str]] = {}
    known: _Known = {}
    # (the texts of the profile itself: its dictionary found once, not by hashing the profile a text)
    mine = (batch if profile.cjk else latin).setdefault(profile, {}) if profile.max_lines == 2 else None
    for text in texts:
        if not text or ("\n" not in text and len(text) <= width) or text in cache or text in stacked_of:
            continue
        stacked = stacked_profiles(text, profile) if "\n" in text and not text.isascii() else None
        stacked_of[text] = stacked
        if stacked is None:
            if mine is not None:
                mine[text] = text
            continue
        for part, own in stacked:
            if own.max_lines == 2 and ("\n" in part or len(part) > own.max_chars):
                (batch if own.cjk else latin).setdefault(own, {})[part] = part
    for own, parts in latin.items():
        # Latin texts and parts at once (linebreak.latin_two_lines_many: break_and_unbreak's
        # layouts, with what each rejoins to); the ones it does not take go lay_out's way.
        own_cache = cache if own == profile else _laid_cache(own, 0.0)
        todo = [part for part in parts if part not in own_cache]
        found_all = linebreak.latin_two_lines_many(todo, own.max_chars)
        _remember_found(todo, found_all, own, own_cache, known)
    for own, parts in batch.items():
        own_cache = cache if own == profile else _laid_cache(own, 0.0)
        todo = [part for part in parts if part not in own_cache]
        # (no part here is a stacked cue: stacked_profiles said so, or it is a stacked cue's part)
        flats = [linebreak.unbreak_part(part) if "\n" in part else part for part in todo]
        # (a dialogue cue stays as unbreak gives it: not for the batch)
        laid_all = linebreak.simple_cjk_two_lines_many(
            ["\n" if "\n" in f else f for f in flats], own.max_chars
        )
        # (the batch takes text whose lines unbreak joins with nothing: laid rejoins to flat)
        pairs = zip(flats, laid_all, strict=True)
        found_all = [None if laid is None else (laid, flat, flat) for flat, laid in pairs]
        _remember_found(todo, found_all, own, own_cache, known)
    out: list[str] = []
    for text in texts:
        if not text or ("\n" not in text and len(text) <= width):
            out.append(text)
            continue
        laid = cache.get(text)
        if laid is None:
            if text in stacked_of:
                laid = _lay_out_new(text, profile, 0.0, cache, stacked_of[text], known)
            else:
                laid = lay_out(text, profile, 0.0, cache)
        out.append(laid)
    return out


def _lay_out_stacked(
    stacked: list[tuple[str, StyleProfile]], reserve: float, known: _Known | None = None
) -> tuple[list[str], list[str], list[str]]:
    """Return a stacked bilingual cue laid out, a text per part (style.stacked_profiles), in
    the cue's order: each part broken alone to its own script's profile (one line when it
    fits); `reserve` (a "Name: " prefix) is taken from the first part's first line. With the
    layouts, unbreak of each part and of each layout (no part, nor its layout, is a stacked
    cue itself: unbreak_part). `known`: layouts a batch worked out (lay_out's, with what
    they rejoin to), taken instead of asking lay_out and unbreak again.

    Every line of the Chinese/Japanese part must hold a Chinese/Japanese character, else the
    cue would no longer read as two languages (script.stacked_parts): a layout putting Latin
    words of it on a line of their own ("咱们用 the\nmodel") leaves that part on one line
    (too long, which QC tells; Split is the user's call)."""
    out: list[str] = []
    flats: list[str] = []
    rejoins: list[str] = []
    for i, (part, own) in enumerate(stacked):
        if "\n" not in part and len(part) + (reserve if i == 0 else 0.0) <= own.max_chars:
            out.append(part)  # (lay_out's first answer: one line that fits)
            flats.append(part)
            rejoins.append(part)
            continue
        found = known.get(part) if known is not None and not (reserve and i == 0) else None
        if found is not None and found[0] is own:
            laid, flat, rejoined = found[1], found[2], found[2]
        else:
            laid = lay_out(part, own, reserve if i == 0 else 0.0)
            flat, rejoined = linebreak.unbreak_part(part), ""
        if (
            "\n" in laid
            and IDEOGRAPHIC_RE.search(part)
            and not all(map(IDEOGRAPHIC_RE.search, laid.split("\n")))
        ):
            laid, rejoined = linebreak.unbreak_part(laid), ""
        out.append(laid)
        flats.append(flat)
        rejoins.append(rejoined or linebreak.unbreak_part(laid))
    return out, flats, rejoins


def fits(text: str, profile: StyleProfile) -> bool:
    """Return True when `text` has at most the profile's lines, none longer than its limit (for
    a stacked bilingual cue: each part within its own profile, style.stacked_profiles)."""
    if text and "\n" in text and not text.isascii():
        stacked = stacked_profiles(text, profile)
        if stacked is not None:
            return all(fits(part, own) for part, own in stacked)
    return not text or linebreak.fits(text, profile.max_chars, profile.max_lines, profile.cjk)


def _fields(track: str) -> tuple[str, ...]:
    try:
        return TRACK_FIELDS[track]
    except KeyError:
        raise ValidationError("track", f"expected text, translation or both, got {track!r}") from None


def _cues(doc: Document, ids: Iterable[int] | None) -> list[Cue]:
    if ids is None:
        return doc.cues
    out: list[Cue] = []
    for cue_id in dict.fromkeys(ids):
        try:
            out.append(doc.cue(cue_id))
        except (KeyError, TypeError):
            raise ValidationError("ids", f"there is no cue with id {cue_id!r}") from None
    return out


def _reshape(doc: Document, ids: Iterable[int] | None, track: str, change) -> Edit:
    cues = _cues(doc, ids)
    parts: list[Edit] = []
    for name in _fields(track):
        values: dict[int, object] = {}
        for cue in cues:
            old = getattr(cue, name)
            if old:
                new = change(name, old)
                if new != old:
                    values[cue.id] = new
        if values:
            parts.append(SetCueValues(name, values))
    return Batch(parts)


@dataclasses.dataclass(frozen=True)
class LineTexts:
    """What Rebalance Lines reads of a document, so the layouts can be worked out away from it
    (on a worker thread, while the window goes on): per field ("text", "translation"), the
    (cue id, text) of every cue to lay out that has one, in the cues' order; the profile of
    each field whose language is known; the user's style settings."""

    texts: dict[str, list[tuple[int, str]]]
    fixed: dict[str, StyleProfile]
    styles: StyleSettings | None


def line_texts(
    doc: Document, ids: Iterable[int] | None, track: str = "both", styles: StyleSettings | None = None
) -> LineTexts:
    """Return what rebalancing cues `ids` (None = all) of `track` reads of `doc` (see
    rebalance_lines). Raises ValidationError for an unknown id or track."""
    known = {"text": doc.source_language is not None, "translation": doc.translation_language is not None}
    fields = _fields(track)
    cues = _cues(doc, ids)
    return LineTexts(
        texts={name: [(cue.id, text) for cue in cues if (text := getattr(cue, name))] for name in fields},
        fixed={name: track_profile(doc, name, "", styles) for name in fields if known[name]},
        styles=styles,
    )


def rebalanced(texts: LineTexts) -> dict[str, dict[int, str]]:
    """Return, per field, the new text of every cue of `texts` whose layout changes (cue id ->
    text, in the cues' order): each text unbroken and broken again by linebreak's rules to its
    track's style profile (the track's language's; when that is unknown, its script's). Reads
    no document: safe on a worker thread.

    The cyclic collector is paused meanwhile (runtime.pause_gc, as the window's worker does
    around it): laying out creates many small objects and no cycles, and each full collection
    the allocations set off walks every object of the process (a 100,000-cue document, the
    dictionary): 0.09-0.18 s of a cold Rebalance of 100,000 cues."""
    runtime.pause_gc()
    try:
        return _rebalanced(texts)
    finally:
        runtime.resume_gc()


def _rebalanced(texts: LineTexts) -> dict[str, dict[int, str]]:
    """Return rebalanced(texts), the collector left as it is."""
    out: dict[str, dict[int, str]] = {}
    for name, pairs_of_field in texts.texts.items():
        profile = texts.fixed.get(name)
        if profile is not None:
            groups = {profile: pairs_of_field}
        else:
            # With the language unknown, the script of each text decides (style.profile_for_text):
            # ASCII text needs no look. (Other text without a character from Hangul Jamo up is
            # told Latin by cjk_languages' counts as well: no CJK letter in it. A pattern scan per
            # text to keep it out of them cost more than counting it: ~8 ms of 55,000 texts.)
            by_language: dict[str | None, list[tuple[int, str]]] = {None: []}
            latin = by_language[None]
            others: list[tuple[int, str]] = []
            for pair in pairs_of_field:
                if pair[1].isascii():
                    latin.append(pair)
                else:
                    others.append(pair)
            # (script.cjk_languages: language_for_text(None, t) of every text at once)
            languages = cjk_languages([plain_text(t) if "<" in t else t for _i, t in others])
            for pair, language in zip(others, languages, strict=True):
                found = by_language.get(language)
                if found is None:
                    found = by_language[language] = []
                found.append(pair)
            track_name = TRANSLATION if name == "translation" else SOURCE
            groups = {}
            for language, pairs in by_language.items():
                groups.setdefault(profile_for(language, texts.styles, track_name), []).extend(pairs)
        values: dict[int, str] = {}
        for profile, pairs in groups.items():
            cache = _laid_cache(profile, 0.0)
            get, width = cache.get, profile.max_chars
            todo: list[tuple[int, str]] = []
            for cue_id, old in pairs:
                if "\n" not in old and len(old) <= width:
                    continue  # one line that fits: lay_out gives it back as it is
                new = get(old)
                if new is None:
                    todo.append((cue_id, old))
                elif new != old:
                    values[cue_id] = new
            if todo:
                # The texts not laid out before, all at once (lay_out_many: lay_out's layouts).
                for (cue_id, old), new in zip(
                    todo, lay_out_many([t for _i, t in todo], profile, cache), strict=True
                ):
                    if new != old:
                        values[cue_id] = new
        if values:
            out[name] = {i: values[i] for i, _ in pairs_of_field if i in values}  # the cues' order
    return out


def rebalance_edit(doc: Document, texts: LineTexts, new: dict[str, dict[int, str]]) -> Edit:
    """Return the edit setting the texts `rebalanced(texts)` gave, one undo step: only for cues
    of `doc` whose text is still the one laid out (a cue edited or deleted since keeps what it
    has). An empty Batch when nothing is left to change."""
    parts: list[Edit] = []
    for name, values in new.items():
        old = dict(texts.texts[name])
        kept: dict[int, object] = {}
        for cue_id, text in values.items():
            try:
                current = getattr(doc.cue(cue_id), name)
            except KeyError:
                continue
            if current == old[cue_id]:
                kept[cue_id] = text
        if kept:
            parts.append(SetCueValues(name, kept))
    return Batch(parts)


def rebalance_lines(
    doc: Document, ids: Iterable[int] | None, track: str = "both", styles: StyleSettings | None = None
) -> Edit:
    """Return the edit laying out the lines of cues `ids` (None = all) anew, in one undo step.

    `track` is "text" (source), "translation" or "both". Each text is unbroken and broken
    again by linebreak's rules to its track's style profile (track_profile; one line when
    it fits). Only cues whose text changes are in the edit; an empty Batch when none does.
    Raises ValidationError for an unknown id or track. (line_texts, rebalanced and
    rebalance_edit are its three steps, for a caller that works the layouts out on a worker.)
    """
    runtime.pause_gc()  # (see rebalanced: the cues are read and the edit built without a collection too)
    try:
        texts = line_texts(doc, ids, track, styles)
        return rebalance_edit(doc, texts, rebalanced(texts))
    finally:
        runtime.resume_gc()


def unbreak_lines(doc: Document, ids: Iterable[int] | None, track: str = "both") -> Edit:
    """Return the edit joining the lines of cues `ids` (None = all) into one line each.

    Dialogue cues (a dash per speaker line) keep their lines. Raises ValidationError for
    an unknown id or track.
    """
    return _reshape(doc, ids, track, lambda _name, text: linebreak.unbreak(text))


def lay_out_plan(
    plan: AlignmentPlan, doc: Document | None = None, styles: StyleSettings | None = None
) -> AlignmentPlan:
    """Return `plan` with every translation text laid out in lines to the translation's profile
    (its language's: the plan's, else `doc`'s, else each text's script's).

    What attaching a translation does before it applies: the translation's own line
    breaks (or none, for a paragraph) are replaced by a layout for the translation's
    script; the characters of each cue's translation stay exactly what the plan gives it.
    """
    language = plan.translation_language or (doc.translation_language if doc is not None else None)
    fixed = profile_for_text(language, "", styles, TRANSLATION) if language else None
    pairs = {
        cue_id: lay_out(text, fixed or profile_for_text(None, text, styles, TRANSLATION))
        for cue_id, text in plan.pairs.items()
    }
    return dataclasses.replace(plan, pairs=pairs)
