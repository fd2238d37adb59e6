"""Cues too long for their lines, split into cues that fit.

A cue whose source or translation cannot be laid out in its track's style profile
(layout.track_profile: e.g. two lines of 16 for Chinese, 42 for English) is cut into two
cues at the best place, and each half again while it does not fit. What a cut looks for:

- In the track that does not fit (the translation first), a sentence end, else a clause
  mark, else a space (words of Latin text, never after an article or preposition), near
  the middle; a Chinese or Japanese translation is cut only at punctuation.
- The other track is cut at its boundary nearest the same share of its text (a
  translation at a clause or sentence boundary when one is near, else between two
  characters, so that no piece is left without a translation).
- The cut that leaves both halves of both tracks fitting wins; among those the most even.
- Time is divided in proportion to the source characters on each side (the reading
  speed stays even); the first half ends the minimum gap before the second starts.

A cue that opens a speaker's turn carries a "Name: " prefix in an SRT export (the
default speaker style names the speaker where it changes), so its first line must leave
room for it: the cut accounts for that prefix.

Used where text is created or reshaped in bulk: attaching a translation
(documents.attach_translation_edit) and re-segmenting with a translation attached
(operations.resegment_cues). Every character of both tracks is kept, in order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from editor.core import layout, linebreak
from editor.core.edits import Batch, Edit, InsertCues, RemoveCues
from editor.core.model import Cue, Document, Review, Timing
from editor.core.script import plain_text
from editor.core.style import StyleProfile, StyleSettings, stacked_profiles

# A cue is cut at most this deep (2**3 = 8 pieces): beyond, the text is no subtitle.
_MAX_DEPTH = 3


def _fits(text: str, profile: StyleProfile, reserve: float) -> bool:
    """Return True when `text` laid out to `profile`, `reserve` taken from its first line, fits."""
    if not text or _fits_as_is(text, profile, reserve):
        return True
    laid = layout.lay_out(linebreak.unbreak(text), profile, reserve)
    return _fits_as_is(laid, profile, reserve)


def _fits_as_is(laid: str, profile: StyleProfile, reserve: float) -> bool:
    lines = laid.split("\n")
    stacked = stacked_profiles(laid, profile) if len(lines) > 1 and not laid.isascii() else None
    if stacked is not None:
        # A stacked bilingual cue: each language within its own profile (layout.fits).
        own = stacked[0][1]
        first_fits = not reserve or own.line_width(plain_text(lines[0])) + reserve <= own.max_chars
        return first_fits and all(layout.fits(part, part_own) for part, part_own in stacked)
    if len(lines) > profile.max_lines:
        return False
    limit = profile.max_chars
    if len(lines[0]) + reserve <= limit and all(len(line) <= limit for line in lines[1:]):
        return True  # no character counts more than one
    if not layout.fits(laid, profile):
        return False
    first = laid.split("\n", 1)[0]
    return not reserve or profile.line_width(plain_text(first)) + reserve <= profile.max_chars


def _visible(text: str) -> int:
    return len(plain_text(text).strip())


class _Fitter:
    """Cuts cues to the profiles of one document (see the module's rules)."""

    def __init__(self, doc: Document, styles: StyleSettings | None, new_id: Callable[[], int]) -> None:
        self.doc = doc
        self.styles = styles
        self.new_id = new_id
        self._profiles: dict[tuple[str, bool], StyleProfile] = {}
        # Whether the cue being cut must fit its source lines too (else only its translation).
        self.source_counts = True

    def profile(self, field: str, text: str) -> StyleProfile:
        language = self.doc.source_language if field == "text" else self.doc.translation_language
        if language is None and not text.isascii():
            return layout.track_profile(self.doc, field, text, self.styles)  # the script decides
        profile = self._profiles.get((field, language is not None))
        if profile is None:
            profile = layout.track_profile(self.doc, field, text, self.styles)
            self._profiles[(field, language is not None)] = profile
        return profile

    def reserves(self, cue: Cue, named: bool) -> tuple[float, float]:
        """Return the widths a "Name: " prefix takes from the first line of each track."""
        name = self.doc.speaker_name(cue.speaker_id) if named else None
        if not name:
            return 0.0, 0.0
        prefix = name + ": "
        return (
            self.profile("text", cue.text).line_width(prefix) if cue.text else 0.0,
            self.profile("translation", cue.translation).line_width(prefix) if cue.translation else 0.0,
        )

    def fits(self, cue: Cue, reserves: tuple[float, float]) -> bool:
        if self.source_counts and not _fits(cue.text, self.profile("text", cue.text), reserves[0]):
            return False
        return _fits(cue.translation, self.profile("translation", cue.translation), reserves[1])

    def pieces(self, cue: Cue, named: bool, depth: int = 0) -> list[Cue]:
        """Return `cue` as cues that fit (just [cue] when it fits or cannot be cut)."""
        reserves = self.reserves(cue, named)
        if depth >= _MAX_DEPTH or self.fits(cue, reserves):
            return [cue]
        halves = self.best_cut(cue, reserves, named)
        if halves is None:
            return [cue]
        first, second = halves
        return self.pieces(first, named, depth + 1) + self.pieces(second, False, depth + 1)

    def best_cut(self, cue: Cue, reserves: tuple[float, float], named: bool) -> tuple[Cue, Cue] | None:
        """Return the two halves of the best cut of `cue`, or None when it has no place to cut."""
        from editor.core import operations as op

        tr_fits = _fits(cue.translation, self.profile("translation", cue.translation), reserves[1])
        drive_translation = bool(cue.translation) and (not tr_fits or not cue.text)
        driver = cue.translation if drive_translation else cue.text
        points, _total = op.cut_points(driver, whole_words=drive_translation)
        if not points:
            return None
        ranked: list[tuple[float, float, int, float]] = []
        for pos, share, penalty in points:
            if not drive_translation and driver[pos : pos + 1] == " ":
                # A space: a break after "the" or before "and" reads as it would in a line.
                prev = driver[:pos].rsplit(None, 1)[-1]
                nxt = driver[pos + 1 :].split(None, 1)[0]
                penalty -= linebreak.boundary_score(prev, nxt, True) / 1000.0
            ranked.append((abs(share - 0.5) + penalty, share, pos, penalty))
        ranked.sort()
        best: tuple[tuple[int, float], tuple[Cue, Cue]] | None = None
        for cost, share, pos, _penalty in ranked[:12]:  # the best dozen: further, the halves are uneven
            halves = self.cut(cue, pos, share, drive_translation)
            if halves is None:
                continue
            first, second = halves
            misfits = int(not self.fits(first, self.reserves(first, named)))
            misfits += int(not self.fits(second, (0.0, 0.0)))
            key = (misfits, cost)
            if best is None or key < best[0]:
                best = (key, halves)
            if misfits == 0:
                break  # ranked best first: the first cut that fits is the best one
        return best[1] if best is not None else None

    def cut(self, cue: Cue, pos: int, share: float, drive_translation: bool) -> tuple[Cue, Cue] | None:
        """Return `cue` cut at `pos` of its translation (`drive_translation`) or source text,
        the other track at its boundary nearest `share`; None when a half would be empty."""
        from editor.core import operations as op

        if drive_translation:
            tr_a, tr_b = op.cut_markup(cue.translation, pos)
            text_pos = op.cut_boundary(cue.text, share) if cue.text else None
            if text_pos is None:
                text_a, text_b = (cue.text, "") if share >= 0.5 else ("", cue.text)
            else:
                text_a, text_b = op.cut_markup(cue.text, text_pos)
        else:
            text_a, text_b = op.cut_markup(cue.text, pos)
            cut = op.cut_boundary(cue.translation, share, whole_words=True) if cue.translation else None
            if cut is None and cue.translation:
                # No clause mark near: a cut between two characters still beats a piece the
                # viewer sees with no translation at all.
                cut = op.cut_boundary(cue.translation, share)
            if cut is None:
                tr_a, tr_b = (cue.translation, "") if share >= 0.5 else ("", cue.translation)
            else:
                tr_a, tr_b = op.cut_markup(cue.translation, cut)
        if not (text_a or tr_a) or not (text_b or tr_b):
            return None
        # Time in proportion to the source (what is spoken), else to the translation.
        a, b = _visible(text_a), _visible(text_b)
        if a + b == 0:
            a, b = _visible(tr_a), _visible(tr_b)
        ratio = a / (a + b) if a + b else 0.5
        split_ms = cue.start_ms + round(cue.duration_ms * ratio)
        if not cue.start_ms < split_ms < cue.end_ms:
            return None
        first_end = split_ms - op.MIN_GAP_MS if split_ms - op.MIN_GAP_MS > cue.start_ms else split_ms
        words_a, words_b = op.cut_words(cue.words, split_ms)

        def laid(text: str, field: str) -> str:
            text = linebreak.unbreak(text.strip())
            return layout.lay_out(text, self.profile(field, text))

        first = cue.copy(
            end_ms=first_end, text=laid(text_a, "text"), translation=laid(tr_a, "translation"), words=words_a
        )
        second = cue.copy(
            id=-1,
            start_ms=split_ms,
            text=laid(text_b, "text"),
            translation=laid(tr_b, "translation"),
            vtt_id="",
            words=words_b,
        )
        for half in (first, second):
            half.timing = Timing.ESTIMATED  # where one half ends and the other starts is a guess
            if cue.translation and not half.translation:
                half.review = Review.UNTRANSLATED  # the translation went wholly to the other half
        return first, second


def _named(cues: list[Cue], with_names: bool) -> list[bool]:
    """Return, for each cue, whether an SRT export names its speaker (the default: where the
    speaker changes; after a dialogue cue, which shows no name, again)."""
    out: list[bool] = []
    previous: Cue | None = None
    for cue in cues:
        text = cue.text
        dialogue = "\n" in text and text.lstrip()[:1] in "-–—‐" and "\n" in linebreak.unbreak(text)
        changes = previous is None or previous.speaker_id != cue.speaker_id
        out.append(with_names and cue.speaker_id is not None and not dialogue and changes)
        previous = None if dialogue else cue
    return out


def fit_pieces(
    doc: Document,
    cues: list[Cue],
    *,
    styles: StyleSettings | None = None,
    only: set[int] | None = None,
    exact_sources: bool = True,
) -> list[list[Cue]]:
    """Return, for each of `cues` (consecutive cues, in order; not necessarily in `doc` yet, which
    gives languages, speakers and new ids), the cues it becomes: [cue] itself when it fits
    (or its id is not in `only`, when given), else its pieces, the first keeping its id and
    the others given fresh ids (doc.new_id). With `exact_sources` False a cue timed by its
    file (not estimated) is cut only when its translation does not fit: its source lines,
    however long, are the file's."""
    fitter = _Fitter(doc, styles, doc.new_id)
    named = _named(cues, bool(doc.speakers))
    out: list[list[Cue]] = []
    for cue, is_named in zip(cues, named, strict=True):
        if only is not None and cue.id not in only:
            out.append([cue])
            continue
        fitter.source_counts = exact_sources or cue.timing == Timing.ESTIMATED
        pieces = fitter.pieces(cue, is_named)
        for piece in pieces[1:]:
            piece.id = fitter.new_id()
        out.append(pieces)
    return out


def split_to_fit(
    doc: Document,
    ids: Iterable[int] | None = None,
    *,
    styles: StyleSettings | None = None,
    exact_sources: bool = True,
) -> Edit:
    """Return the edit splitting every cue of `ids` (None = all) that does not fit its tracks'
    profiles into cues that do (see the module's rules and fit_pieces), in one undo step; an
    empty Batch when every cue fits. The first piece of a cue keeps its id, speaker, review
    and note; the pieces' timing is estimated."""
    wanted = None if ids is None else set(ids)
    pieces = fit_pieces(doc, doc.cues, styles=styles, only=wanted, exact_sources=exact_sources)
    removed: list[int] = []
    inserted: list[tuple[int, Cue]] = []
    row = 0
    for cue, parts in zip(doc.cues, pieces, strict=True):
        if len(parts) > 1:
            removed.append(cue.id)
            inserted += [(row + k, piece) for k, piece in enumerate(parts)]
            row += len(parts)
        else:
            row += 1
    if not removed:
        return Batch([])
    return Batch([RemoveCues(removed), InsertCues(inserted)])
