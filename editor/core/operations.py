"""Compound edits built only from the primitives in `edits`.

Every function here looks at the document, validates the request and returns an
Edit (usually a `Batch`) that the controller applies as one undo step. Nothing here
changes the document; the only side effect is that functions creating cues take a
fresh id from `doc.new_id()` (an unused id is harmless). An impossible request
raises `ValidationError(field, reason)` before anything is built.

An operation that finds nothing to do returns an edit that changes nothing
(`Batch([])`); applying it gives an empty ChangeSet, which the front end can use
to skip the undo step and say "nothing to change".

Policies:
- Times never become negative: shifting or syncing cues before 0 ms is refused with
  the largest shift that would still be possible.
- The minimum gap between cues defaults to 83 ms (two frames at 24 fps).
- Cue order is the document's row order; timing tools that need "the next cue"
  use the next cue by start time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal

from editor.core import layout, linebreak
from editor.core.edits import Batch, Edit, InsertCues, RemoveCues, SetCueValues, SetSpeakers, SetTimes
from editor.core.errors import EditorError, ValidationError
from editor.core.model import SPEAKER_COLORS, Cue, Document, Review, Speaker, TimeSource, Timing, Word
from editor.core.script import ADJACENT_PAIR_RE, EMPTY_PAIR_RE, TAG_RE, is_wide, plain_text, script_is_cjk
from editor.core.style import PRESETS, StyleProfile, StyleSettings

if TYPE_CHECKING:
    from editor.core.segmentation import SegmentOptions

MIN_GAP_MS = PRESETS["default"].min_gap_ms
DEFAULT_DURATION_MS = 2000
# A new cue shorter than this is useless; insert_cue refuses rather than create one.
MIN_NEW_CUE_MS = 100

Field = Literal["text", "translation"]
Match = tuple[int, str, int, int]  # (cue_id, field, start, end)
_TEXT_FIELDS: tuple[str, ...] = ("text", "translation")


def _nothing() -> Batch:
    return Batch([])


# -- lookups and validation ------------------------------------------------------


def _cue(doc: Document, cue_id: int, field: str = "cue") -> Cue:
    try:
        return doc.cue(cue_id)
    except (KeyError, TypeError):
        raise ValidationError(field, f"there is no cue with id {cue_id!r}") from None


def _cues(doc: Document, ids: Iterable[int] | None, *, allow_empty: bool = False) -> list[Cue]:
    """Return the cues for `ids` (all cues for None) in row order, without duplicates."""
    if ids is None:
        return list(doc.cues)
    unique = list(dict.fromkeys(ids))
    if not unique and not allow_empty:
        raise ValidationError("ids", "select at least one cue")
    cues = [_cue(doc, i, "ids") for i in unique]
    cues.sort(key=lambda c: doc.row_of(c.id))
    return cues


def _by_start(doc: Document) -> list[Cue]:
    """Return all cues ordered by (start, row): the order timing tools reason in."""
    return sorted(doc.cues, key=lambda c: c.start_ms)  # sorted() is stable: ties keep row order


def _speaker(doc: Document, speaker_id: str, field: str = "speaker_id") -> Speaker:
    try:
        return doc.speakers[speaker_id]
    except (KeyError, TypeError):
        raise ValidationError(field, f"there is no speaker with id {speaker_id!r}") from None


def _non_negative(value: int, field: str) -> int:
    if type(value) is not int or value < 0:
        raise ValidationError(field, f"expected a whole number of milliseconds ≥ 0, got {value!r}")
    return value


# -- inserting and deleting -------------------------------------------------------


def insert_cue(
    doc: Document,
    *,
    before_id: int | None = None,
    after_id: int | None = None,
    at_ms: int | None = None,
    text: str = "",
    duration_ms: int = DEFAULT_DURATION_MS,
    min_gap_ms: int = MIN_GAP_MS,
) -> tuple[Edit, int]:
    """Return (edit, new cue id) inserting a cue with `text` (default empty) into a gap.

    At most one of `before_id`, `after_id`, `at_ms` may be given; none appends after
    the last cue. `at_ms` inside a cue places the new cue after that cue. The cue gets
    `duration_ms`, shrunk to fit the gap while keeping `min_gap_ms` to both neighbours.
    When the gap cannot hold MIN_NEW_CUE_MS, the current cue gives way (as in Subtitle
    Edit): inserting after it ends it earlier (at most half of it goes) to make room for a
    MIN_CUE_MS cue; inserting before it starts it later. When the current cue is too
    short to give that much, the new cue overlaps its neighbour and QC flags the overlap.
    Raises ValidationError for an unknown cue or before a first cue that starts at 0.
    """
    given = [v is not None for v in (before_id, after_id, at_ms)]
    if sum(given) > 1:
        raise ValidationError("position", "give only one of before_id, after_id or at_ms")
    _non_negative(duration_ms, "duration_ms")
    _non_negative(min_gap_ms, "min_gap_ms")
    n = len(doc.cues)
    if before_id is not None:
        row = doc.row_of(_cue(doc, before_id, "before_id").id)
        nxt = doc.cues[row]
        prev = doc.cues[row - 1] if row > 0 else None
        end = nxt.start_ms - min_gap_ms
        floor = prev.end_ms + min_gap_ms if prev else 0
        start = max(end - duration_ms, floor)
    else:
        if after_id is not None:
            row = doc.row_of(_cue(doc, after_id, "after_id").id) + 1
            start = doc.cues[row - 1].end_ms + min_gap_ms
        elif at_ms is not None:
            _non_negative(at_ms, "at_ms")
            row = doc.insertion_row(at_ms)
            prev_end = doc.cues[row - 1].end_ms + min_gap_ms if row > 0 else 0
            start = max(at_ms, prev_end)
        else:
            row = n
            start = doc.cues[-1].end_ms + min_gap_ms if n else 0
        limit = doc.cues[row].start_ms - min_gap_ms if row < n else math.inf
        end = int(min(start + duration_ms, limit))
    parts: list[Edit] = []
    if end - start < MIN_NEW_CUE_MS:
        if before_id is not None:
            if row == 0 and nxt.start_ms < MIN_NEW_CUE_MS:
                raise ValidationError(
                    "position", "no room before the first cue: it starts at 0; insert after it instead"
                )
            start, end, parts = _room_before(doc, row, duration_ms, min_gap_ms)
        else:
            start, end, parts = _room_after(doc, row, start, duration_ms, min_gap_ms)
    cue = doc.new_cue(start, end, text)
    if parts:
        return Batch([*parts, InsertCues([(row, cue)])]), cue.id
    cue = doc.new_cue(start, end, text)
    return InsertCues([(row, cue)]), cue.id


MIN_CUE_MS = 833  # what a cue made by taking room gets (20 frames at 24 fps; QC's minimum)


def _room_after(
    doc: Document, row: int, start: int, duration_ms: int, min_gap_ms: int
) -> tuple[int, int, list[Edit]]:
    """Return (start, end, edits) of a cue inserted at `row` where the gap is too small: the
    cue before it (row - 1) is ended earlier, or the new cue overlaps the next one."""
    want = max(MIN_NEW_CUE_MS, min(duration_ms, MIN_CUE_MS))
    if row == 0:
        return start, start + want, []
    cur = doc.cues[row - 1]
    limit = doc.cues[row].start_ms - min_gap_ms if row < len(doc.cues) else cur.end_ms + min_gap_ms + want
    # The current cue keeps at least half of itself.
    new_start = max(limit - want, cur.start_ms + (cur.end_ms - cur.start_ms + 1) // 2 + min_gap_ms)
    if limit - new_start >= MIN_NEW_CUE_MS and new_start - min_gap_ms < cur.end_ms:
        return new_start, limit, [SetTimes({cur.id: (cur.start_ms, new_start - min_gap_ms)})]
    # Nothing to take: overlap the next cue (QC flags it) rather than refuse; the new cue
    # still starts no later than the next one, so the order stays right.
    begin = max(start, cur.start_ms)
    if row < len(doc.cues):
        begin = min(begin, max(cur.end_ms, cur.start_ms), doc.cues[row].start_ms)
    return begin, begin + want, []


def _room_before(doc: Document, row: int, duration_ms: int, min_gap_ms: int) -> tuple[int, int, list[Edit]]:
    """Return (start, end, edits) of a cue inserted before the cue at `row` where the gap is too
    small: that cue starts later, or the new cue overlaps the previous one."""
    want = max(MIN_NEW_CUE_MS, min(duration_ms, MIN_CUE_MS))
    cur = doc.cues[row]
    floor = doc.cues[row - 1].end_ms + min_gap_ms if row > 0 else 0
    new_end = min(floor + want, cur.end_ms - (cur.end_ms - cur.start_ms + 1) // 2 - min_gap_ms)
    if new_end - floor >= MIN_NEW_CUE_MS and new_end + min_gap_ms > cur.start_ms:
        return floor, new_end, [SetTimes({cur.id: (new_end + min_gap_ms, cur.end_ms)})]
    end = max(cur.start_ms, want)
    return max(0, end - want), end, []


def delete_cues(doc: Document, ids: Iterable[int]) -> Edit:
    """Return the edit removing the cues `ids`. Raises ValidationError for none or unknown ids."""
    cues = _cues(doc, ids)
    return RemoveCues([c.id for c in cues])


# -- splitting and merging ----------------------------------------------------------


def _tidy(text: str) -> str:
    """Strip outer whitespace and drop tag pairs that enclose nothing visible."""
    previous = None
    while previous != text:
        previous = text
        text = EMPTY_PAIR_RE.sub(r"\2", text).strip()
    return text


def cut_markup(text: str, pos: int) -> tuple[str, str]:
    """Split canonical text at `pos`, closing and reopening tags open across the cut."""
    for m in TAG_RE.finditer(text):
        if m.start() < pos < m.end():
            # A cut inside a tag moves out of it: before an opening tag, after a closing one.
            pos = m.end() if m.group().startswith("</") else m.start()
            break
        if m.start() >= pos:
            break
    head, tail = text[:pos], text[pos:]
    open_tags: list[str] = []
    for m in TAG_RE.finditer(head):
        name = m.group(2)
        if m.group(1):
            if name in open_tags:
                del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name)]
        else:
            open_tags.append(name)
    head = head.rstrip() + "".join(f"</{t}>" for t in reversed(open_tags))
    tail = "".join(f"<{t}>" for t in open_tags) + tail.lstrip()
    return _tidy(head), _tidy(tail)


_is_wide = is_wide
_SENTENCE_END = set(".!?…。！？;；")
_CLAUSE_END = set(",，、:：")
_CLOSERS = set("\"'”’»)]）」』")


def cut_points(text: str, *, whole_words: bool = False) -> tuple[list[tuple[int, float, float]], int]:
    """Return (points, visible length): every place `text` may be cut, as (index, visible
    share of the text before it, penalty), and the count of visible characters.

    Penalties: 0 after a sentence end, 0.08 after a clause mark, 0.05 at a line break, 0.15
    at a space, 0.35 between two CJK characters. A cut leaves visible, non-blank text on both
    sides. With `whole_words` (a translation, whose words the user did not choose where to
    cut) never between two CJK characters (a line break there is only layout) nor, in CJK
    text, at a space.
    """
    # In Chinese or Japanese a translation is cut only at punctuation: a space there sits
    # around a Latin word inside a sentence.
    cjk_words = whole_words and script_is_cjk(text)
    # Visible offset of every raw index (tags count nothing).
    visible = [0] * (len(text) + 1)
    in_tag = [False] * len(text)
    for m in TAG_RE.finditer(text):
        for k in range(m.start(), m.end()):
            in_tag[k] = True
    count = 0
    for k in range(len(text)):
        visible[k] = count
        if not in_tag[k]:
            count += 1
    visible[len(text)] = count
    total = count
    shown = [k for k in range(len(text)) if not in_tag[k] and not text[k].isspace()]
    if total == 0 or not shown:
        return [], total
    first_shown, last_shown = shown[0], shown[-1]
    points: list[tuple[int, float, float]] = []

    def consider(pos: int, penalty: float) -> None:
        if first_shown < pos <= last_shown:
            points.append((pos, visible[pos] / total, penalty))

    for k, ch in enumerate(text):
        if in_tag[k]:
            continue
        if ch in _SENTENCE_END or ch in _CLAUSE_END:
            j = k + 1
            while j < len(text) and (text[j] in _CLOSERS or in_tag[j]):
                j += 1
            if j == len(text) or text[j].isspace() or _is_wide(ch) or _is_wide(text[j]):
                consider(j, 0.0 if ch in _SENTENCE_END else 0.08)
        elif ch == "\n":
            if not cjk_words:  # a line break in Chinese or Japanese is only layout
                consider(k, 0.05)
        elif ch.isspace():
            if not cjk_words:
                consider(k, 0.15)
        elif not whole_words and k > 0 and _is_wide(ch) and _is_wide(text[k - 1]) and not in_tag[k - 1]:
            consider(k, 0.35)
    return points, total


def cut_boundary(text: str, ratio: float, *, whole_words: bool = False) -> int | None:
    """Return the cut position in `text` nearest to `ratio` of its visible length.

    Sentence ends are preferred over line breaks, clause marks, spaces and finally
    any point between two CJK characters (see cut_points). None when there is no place
    to cut; with `whole_words` also when no boundary lies within TRANSLATION_REACH of
    the proportion.
    """
    points, _total = cut_points(text, whole_words=whole_words)
    best: tuple[float, int] | None = None
    for pos, share, penalty in points:
        cost = abs(share - ratio) + penalty
        if best is None or cost < best[0]:
            best = (cost, pos)
    if best is None or (whole_words and best[0] > TRANSLATION_REACH):
        return None
    return best[1]


# How far (a share of the text, plus the boundary's penalty) a translation's cut may lie from
# the source's proportion; further, the translation stays whole on its bigger side.
TRANSLATION_REACH = 0.3


def cut_words(
    words: tuple[Word, ...] | None, split_ms: int
) -> tuple[tuple[Word, ...] | None, tuple[Word, ...] | None]:
    """Return a cue's timed words on each side of `split_ms` (a word goes where its middle is)."""
    if words is None:
        return None, None
    first = tuple(w for w in words if (w.start_ms + w.end_ms) / 2 < split_ms)
    second = tuple(w for w in words if (w.start_ms + w.end_ms) / 2 >= split_ms)
    return first, second


def split_cue(
    doc: Document,
    cue_id: int,
    text_pos: int | None,
    at_ms: int | None = None,
    *,
    min_gap_ms: int = MIN_GAP_MS,
    translation_pos: int | None = None,
    styles: StyleSettings | None = None,
) -> tuple[Edit, int]:
    """Return (edit, id of the second half) splitting a cue at a text cursor position.

    The text is cut at `text_pos` (an index into the canonical text; tags open across
    the cut are closed and reopened). The translation is cut at `translation_pos` when
    given (the user's cursor in the translation; then `text_pos` None cuts the text at
    the boundary nearest the same proportion); otherwise at the sentence or clause
    boundary (or a space) nearest to the text's proportion, never between two CJK
    characters, and when none is near it stays whole with the bigger half. Both halves
    of both tracks are laid out in lines again to their track's profile under `styles`
    (layout). The time is cut in proportion to
    the visible text before the cursor, or at `at_ms` (the playhead) when given; the
    second half starts at the cut and the first ends `min_gap_ms` before it when the
    first half is long enough. Both halves keep speaker, timing, review, note and VTT
    settings; the second half gets a new id (and no VTT id). Timed words go to the half
    their midpoint falls in.

    Raises ValidationError for an unknown cue, a position outside the text, a cut that
    leaves one half without text (allowed only with `at_ms`), or an `at_ms` outside the cue.
    """
    cue = _cue(doc, cue_id)
    if translation_pos is not None:
        if type(translation_pos) is not int or not 0 < translation_pos < len(cue.translation):
            raise ValidationError(
                "translation_pos", f"the translation cursor must be within 1..{len(cue.translation) - 1}"
            )
        if text_pos is None:
            shown = len(plain_text(cue.translation[:translation_pos]).strip())
            tr_ratio = shown / max(1, len(plain_text(cue.translation).strip()))
            text_pos = cut_boundary(cue.text, tr_ratio)
            if text_pos is None:
                text_pos = len(cue.text) if tr_ratio >= 0.5 else 0
    if type(text_pos) is not int or not 0 <= text_pos <= len(cue.text):
        raise ValidationError("text_pos", f"the cursor position must be within 0..{len(cue.text)}")
    first_text, second_text = cut_markup(cue.text, text_pos)
    first_len, second_len = len(plain_text(first_text)), len(plain_text(second_text))
    if at_ms is None:
        if first_len == 0 or second_len == 0:
            raise ValidationError(
                "text_pos", "put the cursor between words: splitting here would leave one half empty"
            )
        ratio = first_len / (first_len + second_len)
        split_ms = cue.start_ms + round(cue.duration_ms * ratio)
    else:
        if type(at_ms) is not int or not cue.start_ms < at_ms < cue.end_ms:
            raise ValidationError(
                "at_ms", f"the playhead ({at_ms} ms) is not inside the cue ({cue.start_ms}–{cue.end_ms} ms)"
            )
        split_ms = at_ms
        total = first_len + second_len
        ratio = first_len / total if total else (at_ms - cue.start_ms) / cue.duration_ms
    first_end = split_ms - min_gap_ms if split_ms - min_gap_ms > cue.start_ms else split_ms
    if cue.translation and translation_pos is not None:
        first_tr, second_tr = cut_markup(cue.translation, translation_pos)
    elif cue.translation:
        cut = cut_boundary(cue.translation, ratio, whole_words=True)
        if cut is None:
            # One word only: it goes with the half that holds most of the text.
            first_tr, second_tr = (cue.translation, "") if ratio >= 0.5 else ("", cue.translation)
        else:
            first_tr, second_tr = cut_markup(cue.translation, cut)
    else:
        first_tr = second_tr = ""

    def lay_out(text: str, field: str) -> str:
        return layout.lay_out(text, layout.track_profile(doc, field, text, styles))

    first_text, second_text = lay_out(first_text, "text"), lay_out(second_text, "text")
    first_tr, second_tr = lay_out(first_tr, "translation"), lay_out(second_tr, "translation")
    first_words, second_words = cut_words(cue.words, split_ms)
    second = cue.copy(
        id=doc.new_id(),
        start_ms=split_ms,
        end_ms=cue.end_ms,
        text=second_text,
        translation=second_tr,
        vtt_id="",
        words=second_words,
    )
    parts: list[Edit] = [SetTimes({cue.id: (cue.start_ms, first_end)})]
    if first_text != cue.text:
        parts.append(SetCueValues("text", {cue.id: first_text}))
    if first_tr != cue.translation:
        parts.append(SetCueValues("translation", {cue.id: first_tr}))
    if first_words != cue.words:
        parts.append(SetCueValues("words", {cue.id: first_words}))
    parts.append(InsertCues([(doc.row_of(cue.id) + 1, second)]))
    return Batch(parts), second.id


def _join(
    parts: Sequence[str], style: StyleProfile | None, styles: StyleSettings | None, doc: Document, field: str
) -> str:
    """Return texts joined on one line (a space between words, nothing between CJK) and laid
    out in lines to `style`, or when None to the track's profile under `styles`."""
    parts = [linebreak.unbreak(p.strip()) for p in parts if p.strip()]
    if not parts:
        return ""
    if len(parts) == 1:
        joined = parts[0]
    else:
        # Stacked bilingual cues merge language by language, never one language into the other.
        joined = linebreak.unbreak_stacked(parts) or linebreak.unbreak("\n".join(parts))
    # "<i>a</i> <i>b</i>" reads better as one span.
    joined = ADJACENT_PAIR_RE.sub(r"\2", joined)
    return layout.lay_out(joined, style or layout.track_profile(doc, field, joined, styles))


def _dialogue(
    parts: Sequence[str], style: StyleProfile | None, styles: StyleSettings | None, doc: Document, field: str
) -> str | None:
    """Return two speakers' texts as a dialogue cue ("- a\n- b"), or None when a turn does not
    fit one line."""
    turns = [linebreak.unbreak(p.strip()) for p in parts]
    if len(turns) != 2 or not all(turns) or any("\n" in t for t in turns):
        return None
    lines = [f"- {t}" for t in turns]
    profile = style or layout.track_profile(doc, field, " ".join(turns), styles)
    if not all(layout.fits(line, profile) for line in lines):
        return None
    return "\n".join(lines)


_REVIEW_RANK = {Review.UNTRANSLATED: 0, Review.NEEDS_REVIEW: 1, Review.REVIEWED: 2}


def merge_cues(
    doc: Document,
    ids: Iterable[int],
    *,
    styles: StyleSettings | None = None,
    style: StyleProfile | None = None,
) -> Edit:
    """Return the edit merging neighbouring cues into the first of them (which keeps its id).

    Times span all cues; texts and translations are joined (a space between words, none
    between CJK) and laid out again to their track's style profile (`style` for both
    tracks when given, else each track's under `styles`): one line when it fits, at most
    the profile's lines. Two cues of different speakers whose texts fit one line each
    become a dialogue cue ("- a\n- b", in both tracks when both fit). The merged cue keeps
    the first cue's speaker and VTT id and settings, is estimated when any part was, gets
    the least advanced review state, joins the notes and concatenates timed words when
    every part has them.

    Raises ValidationError for fewer than two cues, unknown ids, or cues that are not
    neighbours in the list.
    """
    cues = _cues(doc, ids)
    if len(cues) < 2:
        raise ValidationError("ids", "select at least two neighbouring cues to merge")
    rows = [doc.row_of(c.id) for c in cues]
    if rows[-1] - rows[0] != len(rows) - 1:
        raise ValidationError("ids", "only neighbouring cues can be merged")
    first = cues[0]
    start = min(c.start_ms for c in cues)
    end = max(c.end_ms for c in cues)
    text = translation = None
    if (
        len(cues) == 2
        and cues[0].speaker_id != cues[1].speaker_id
        and None
        not in (
            cues[0].speaker_id,
            cues[1].speaker_id,
        )
    ):
        text = _dialogue([c.text for c in cues], style, styles, doc, "text")
        if text is not None and all(c.translation for c in cues):
            translation = _dialogue([c.translation for c in cues], style, styles, doc, "translation")
    values: dict[str, object] = {
        "text": text if text is not None else _join([c.text for c in cues], style, styles, doc, "text"),
        "translation": (
            translation
            if translation is not None
            else _join([c.translation for c in cues], style, styles, doc, "translation")
        ),
        "timing": Timing.ESTIMATED if any(c.timing == Timing.ESTIMATED for c in cues) else first.timing,
        "review": min((Review(c.review) for c in cues), key=_REVIEW_RANK.__getitem__),
        "note": "\n".join(c.note for c in cues if c.note),
        "words": (
            tuple(w for c in cues for w in c.words or ()) if all(c.words is not None for c in cues) else None
        ),
    }
    parts: list[Edit] = [SetTimes({first.id: (start, end)})]
    for name, value in values.items():
        if getattr(first, name) != value:
            parts.append(SetCueValues(name, {first.id: value}))
    parts.append(RemoveCues([c.id for c in cues[1:]]))
    return Batch(parts)


_SOURCE_ORDER = (TimeSource.ESTIMATED, TimeSource.PAUSES, TimeSource.SPEECH)


def resegment_cues(
    doc: Document,
    ids: Iterable[int],
    options: SegmentOptions | None = None,
    *,
    styles: StyleSettings | None = None,
) -> tuple[Edit, list[int]]:
    """Return (edit, new cue ids) cutting neighbouring cues anew into subtitle-sized cues.

    The cues' texts go through `segmentation.resegment_texts` (same-speaker neighbours
    less than a second apart are joined first, old boundaries and line breaks serve as
    hints). New cues keep their speaker, are marked estimated unless word timings fix
    them, and the first one collects the old notes so none is lost. VTT ids and settings
    of the old cues are dropped. A translation is redistributed over the new cues (see
    _redistribute: every character of it kept, in order) and laid out in lines to the
    translation's profile under `styles`; those cues need review again. Raises
    ValidationError for cues that are not neighbours, that hold no text, or for unknown ids.
    """
    from editor.core import fitting, segmentation  # imported on use: segmentation is large

    cues = _cues(doc, ids)
    rows = [doc.row_of(c.id) for c in cues]
    if rows[-1] - rows[0] != len(rows) - 1:
        raise ValidationError("ids", "select neighbouring cues to re-segment")
    # Speaker ids pass through segmentation unchanged: it only compares them.
    # Aligned cues' timed words go along: the new cues are cut by the pauses between them.
    items = [(c.start_ms, c.end_ms, c.text, c.speaker_id, c.words) for c in cues]
    result = segmentation.resegment_texts(items, options)
    if not result.cues:
        raise ValidationError("ids", "nothing to re-segment: the cues hold no text")
    note = "\n".join(c.note for c in cues if c.note)
    # Cut from aligned words, a piece is as sure as the least sure cue it came from; words
    # placed by pauses alone are no exact timing.
    sources = {c.time_source for c in cues}
    source = next((s for s in _SOURCE_ORDER if s in sources), TimeSource.NONE)
    new: list[Cue] = []
    for k, piece in enumerate(result.cues):
        sure = not piece.estimated and source in (TimeSource.NONE, TimeSource.SPEECH)
        new.append(
            doc.new_cue(
                piece.start_ms,
                max(piece.start_ms, piece.end_ms),
                piece.text,
                speaker_id=piece.speaker,
                timing=Timing.EXACT if sure else Timing.ESTIMATED,
                words=piece.words,
                time_source=source if piece.words else TimeSource.NONE,
                note=note if k == 0 else "",
            )
        )
    translations = [c.translation for c in cues if c.translation]
    if translations:
        parts = _redistribute(translations, [c.text for c in new])
        for cue, part in zip(new, parts, strict=True):
            cue.translation = layout.lay_out(part, layout.track_profile(doc, "translation", part, styles))
            cue.review = Review.NEEDS_REVIEW if part else Review.UNTRANSLATED
        # A translation longer than its lines takes two cues (with the source cut to match).
        new = [piece for pieces in fitting.fit_pieces(doc, new, styles=styles) for piece in pieces]
    insert = InsertCues([(rows[0] + k, cue) for k, cue in enumerate(new)])
    return Batch([RemoveCues([c.id for c in cues]), insert]), [c.id for c in new]


def _redistribute(translations: list[str], texts: list[str]) -> list[str]:
    """Return the old cues' `translations` spread over new cues of source `texts`, one each.

    The translation aligner (length-based, sentence by sentence) decides; when it leaves
    a sentence unmatched, the joined translation is cut in proportion to the new texts at
    its best boundaries instead, so no character is ever lost.
    """
    from editor.core import alignment

    joined = alignment.join_texts([linebreak.unbreak(t) for t in translations])
    if len(texts) == 1:
        return [joined]
    src = Document()
    for k, text in enumerate(texts):
        src.append(Cue(k + 1, k * 1000, k * 1000 + 900, text))
    tr = Document()
    for k, text in enumerate(translations):
        tr.append(Cue(k + 1, 0, 0, linebreak.unbreak(text)))
    try:
        plan = alignment.align(src, tr, method="length")
        parts = [plan.pairs.get(k + 1, "") for k in range(len(texts))]
    except (ValueError, EditorError):
        parts = []
    if "".join("".join(parts).split()) != "".join(joined.split()):
        weights = [alignment.text_weight(plain_text(t)) for t in texts]
        parts = alignment.split_proportional(joined, weights)
    return parts


# -- timing ---------------------------------------------------------------------------


def shift_cues(doc: Document, ids: Iterable[int] | None, offset_ms: int) -> Edit:
    """Return the edit moving the cues `ids` (None = all) by `offset_ms` (negative = earlier).

    Policy: times never go below 0. Raises ValidationError naming the earliest cue and
    the largest backward shift possible when one would; also for unknown ids.
    """
    if type(offset_ms) is not int:
        raise ValidationError("offset_ms", f"expected whole milliseconds, got {offset_ms!r}")
    cues = _cues(doc, ids)
    if offset_ms == 0 or not cues:
        return _nothing()
    earliest = min(cues, key=lambda c: c.start_ms)
    if earliest.start_ms + offset_ms < 0:
        raise ValidationError(
            "offset_ms",
            f"cue {doc.row_of(earliest.id) + 1} would start before 0 "
            f"(at {earliest.start_ms + offset_ms} ms); "
            f"the largest backward shift possible is {earliest.start_ms} ms",
        )
    return SetTimes({c.id: (c.start_ms + offset_ms, c.end_ms + offset_ms) for c in cues})


def _div_round(num: int, den: int) -> int:
    """Return num/den rounded half up, in exact integer arithmetic (den > 0)."""
    return (2 * num + den) // (2 * den)


def two_point_sync(doc: Document, a: tuple[int, int], b: tuple[int, int]) -> Edit:
    """Return the edit mapping all cue times linearly so cue a starts at a[1] and cue b at b[1].

    `a` and `b` are (cue id, correct start in ms). Every start and end t becomes
    a1 + (t - start_a) · (b1 - a1) / (start_b - start_a), rounded to whole ms.
    Raises ValidationError when the cues are the same or start at the same time, when
    the correct times would reverse their order, when a time would become negative,
    or for an unknown cue.
    """
    (a_id, a_ms), (b_id, b_ms) = a, b
    cue_a, cue_b = _cue(doc, a_id, "a"), _cue(doc, b_id, "b")
    _non_negative(a_ms, "a")
    _non_negative(b_ms, "b")
    if cue_a.id == cue_b.id:
        raise ValidationError("b", "choose two different cues")
    if cue_a.start_ms > cue_b.start_ms:
        (cue_a, a_ms), (cue_b, b_ms) = (cue_b, b_ms), (cue_a, a_ms)
    src = cue_b.start_ms - cue_a.start_ms
    dst = b_ms - a_ms
    if src == 0:
        raise ValidationError("b", "the two cues start at the same time; choose cues further apart")
    if dst <= 0:
        raise ValidationError("b", "the correct times must keep the two cues in the same order")

    def remap(t: int) -> int:
        return a_ms + _div_round((t - cue_a.start_ms) * dst, src)

    times = {c.id: (remap(c.start_ms), remap(c.end_ms)) for c in doc.cues}
    first = min(doc.cues, key=lambda c: times[c.id][0])
    if times[first.id][0] < 0:
        raise ValidationError(
            "a", f"cue {doc.row_of(first.id) + 1} would start before 0 ({times[first.id][0]} ms)"
        )
    changed = {i: t for i, t in times.items() if t != (doc.cue(i).start_ms, doc.cue(i).end_ms)}
    return SetTimes(changed) if changed else _nothing()


def _next_starts(doc: Document) -> dict[int, int | None]:
    """Return, per cue id, the start of the next cue by start time (None for the last)."""
    ordered = _by_start(doc)
    out: dict[int, int | None] = {}
    for k, c in enumerate(ordered):
        out[c.id] = ordered[k + 1].start_ms if k + 1 < len(ordered) else None
    return out


def set_duration_for_reading_speed(
    doc: Document,
    ids: Iterable[int] | None,
    cps: float = 17,
    min_ms: int = 833,
    max_ms: int = 7000,
    min_gap_ms: int = MIN_GAP_MS,
) -> Edit:
    """Return the edit setting each cue's end so its text reads at `cps` characters per second.

    The duration is len(visible text without line breaks) / cps, clamped to
    [min_ms, max_ms], and never runs into the next cue (its start minus `min_gap_ms`).
    Starts never move; a cue with no room at all is left as it is.
    Raises ValidationError for cps ≤ 0, min_ms > max_ms or unknown ids.
    """
    if not isinstance(cps, (int, float)) or isinstance(cps, bool) or not cps > 0 or math.isinf(cps):
        raise ValidationError("cps", f"expected a reading speed above 0, got {cps!r}")
    _non_negative(min_ms, "min_ms")
    _non_negative(max_ms, "max_ms")
    _non_negative(min_gap_ms, "min_gap_ms")
    if min_ms > max_ms:
        raise ValidationError("min_ms", f"the minimum ({min_ms} ms) is above the maximum ({max_ms} ms)")
    cues = _cues(doc, ids)
    next_start = _next_starts(doc)
    times: dict[int, tuple[int, int]] = {}
    for c in cues:
        chars = len(plain_text(c.text).replace("\n", ""))
        duration = min(max(math.ceil(chars * 1000 / cps), min_ms), max_ms)
        end = c.start_ms + duration
        limit = next_start[c.id]
        if limit is not None:
            end = min(end, limit - min_gap_ms)
        if end > c.start_ms and end != c.end_ms:
            times[c.id] = (c.start_ms, end)
    return SetTimes(times) if times else _nothing()


def fix_overlaps(doc: Document, ids: Iterable[int] | None = None, min_gap_ms: int = MIN_GAP_MS) -> Edit:
    """Return the edit ending each cue `min_gap_ms` before the next cue (by start) begins.

    Only cues in `ids` (None = all) are changed, and only their ends: starts never move.
    A pair starting less than `min_gap_ms` apart cannot be fixed this way and is left
    for QC to report. Raises ValidationError for unknown ids or a negative gap.
    """
    _non_negative(min_gap_ms, "min_gap_ms")
    cues = _cues(doc, ids)
    next_start = _next_starts(doc)
    times: dict[int, tuple[int, int]] = {}
    for c in cues:
        limit = next_start[c.id]
        if limit is None or c.end_ms <= limit - min_gap_ms:
            continue
        end = limit - min_gap_ms
        if end > c.start_ms:
            times[c.id] = (c.start_ms, end)
    return SetTimes(times) if times else _nothing()


def close_small_gaps(
    doc: Document,
    ids: Iterable[int] | None = None,
    max_gap_ms: int = 500,
    min_gap_ms: int = MIN_GAP_MS,
) -> Edit:
    """Return the edit "chaining" cues: a gap of at most `max_gap_ms` becomes exactly `min_gap_ms`.

    The earlier cue's end moves (later when the gap is wide, earlier when it is below
    the minimum); starts never move, overlaps are left to fix_overlaps. Only cues in
    `ids` (None = all) change. Raises ValidationError when min_gap_ms > max_gap_ms,
    for negative values or unknown ids.
    """
    _non_negative(min_gap_ms, "min_gap_ms")
    _non_negative(max_gap_ms, "max_gap_ms")
    if min_gap_ms > max_gap_ms:
        raise ValidationError("min_gap_ms", f"the minimum gap ({min_gap_ms} ms) is above {max_gap_ms} ms")
    cues = _cues(doc, ids)
    next_start = _next_starts(doc)
    times: dict[int, tuple[int, int]] = {}
    for c in cues:
        limit = next_start[c.id]
        if limit is None:
            continue
        gap = limit - c.end_ms
        if 0 <= gap <= max_gap_ms and gap != min_gap_ms and limit - min_gap_ms > c.start_ms:
            times[c.id] = (c.start_ms, limit - min_gap_ms)
    return SetTimes(times) if times else _nothing()


# -- find and replace -------------------------------------------------------------------


def _fields(fields: Sequence[str] | str) -> tuple[str, ...]:
    if isinstance(fields, str):
        fields = _TEXT_FIELDS if fields == "both" else (fields,)
    out = tuple(dict.fromkeys(fields))
    if not out or any(f not in _TEXT_FIELDS for f in out):
        raise ValidationError("fields", "search in text, translation or both")
    return out


def _compile(pattern: str, regex: bool, case: bool) -> re.Pattern[str]:
    if not isinstance(pattern, str) or pattern == "":
        raise ValidationError("pattern", "type something to search for")
    flags = 0 if case else re.IGNORECASE
    try:
        return re.compile(pattern if regex else re.escape(pattern), flags)
    except re.error as exc:
        raise ValidationError("pattern", f"not a valid regular expression: {exc}") from None
    except RecursionError:
        raise ValidationError("pattern", "the regular expression is nested too deeply") from None


def _first_match(rx: re.Pattern[str], text: str, pos: int) -> re.Match[str] | None:
    """Return the first non-empty match at or after `pos` (empty matches highlight nothing)."""
    while pos <= len(text):
        m = rx.search(text, pos)
        if m is None:
            return None
        if m.end() > m.start():
            return m
        pos = m.start() + 1
    return None


def find(
    doc: Document,
    pattern: str,
    *,
    regex: bool = False,
    case: bool = False,
    fields: Sequence[str] | str = ("text",),
    start_after: Match | None = None,
) -> Match | None:
    """Return the next match as (cue_id, field, start, end), or None when there is none.

    Searches cues in row order and, within a cue, `fields` in the order given
    ("both" = text then translation). `start_after` is a previous match: the search
    continues after its end and wraps around once (so a single match is found again).
    A `start_after` naming a deleted cue starts from the top. `case=False` ignores case.
    Raises ValidationError("pattern", …) for an empty or invalid pattern, and for bad fields.
    """
    names = _fields(fields)
    rx = _compile(pattern, regex, case)
    n = len(doc.cues)
    if n == 0:
        return None
    row, field_idx, pos = 0, 0, 0
    if start_after is not None and doc.has_cue(start_after[0]) and start_after[1] in names:
        row = doc.row_of(start_after[0])
        field_idx = names.index(start_after[1])
        pos = start_after[3]
    for step in range(n + 1):
        cue = doc.cues[(row + step) % n]
        for k in range(field_idx if step == 0 else 0, len(names)):
            text = getattr(cue, names[k])
            m = _first_match(rx, text, pos if step == 0 and k == field_idx else 0)
            if m is not None:
                return (cue.id, names[k], m.start(), m.end())
    return None


def replace_all(
    doc: Document,
    pattern: str,
    replacement: str,
    *,
    regex: bool = False,
    case: bool = False,
    fields: Sequence[str] | str = ("text",),
    ids: Iterable[int] | None = None,
) -> tuple[Edit, int]:
    """Return (edit, number of replacements) replacing every match in `fields` as one Batch.

    With `regex=True` the replacement may use group references (\\1, \\g<name>); otherwise
    it is literal. `ids` limits the search to those cues (None = all).
    Raises ValidationError("pattern", …) for an invalid pattern, ("replacement", …) for a
    bad group reference, and for bad fields or unknown ids.
    """
    names = _fields(fields)
    rx = _compile(pattern, regex, case)
    if not isinstance(replacement, str):
        raise ValidationError("replacement", "expected text")
    cues = _cues(doc, ids, allow_empty=True)
    repl = replacement if regex else (lambda _m: replacement)
    total = 0
    parts: list[Edit] = []
    for name in names:
        values: dict[int, str] = {}
        for c in cues:
            old = getattr(c, name)
            try:
                new, count = rx.subn(repl, old)
            except (re.error, IndexError) as exc:
                raise ValidationError("replacement", f"not a valid replacement: {exc}") from None
            if count and new != old:
                values[c.id] = new
            total += count
        if values:
            parts.append(SetCueValues(name, values))
    return Batch(parts), total


def replace_match(
    doc: Document, match: Match, pattern: str, replacement: str, *, regex: bool = False, case: bool = False
) -> Edit:
    """Return the edit replacing one match found by `find` (the "Replace" button).

    The match must still be there (the text may have changed since it was found).
    Raises ValidationError when it is not, or for a bad pattern or replacement.
    """
    if not isinstance(match, tuple) or len(match) != 4:
        raise ValidationError("match", "find a match first")
    cue_id, name, start, end = match
    _fields((name,))
    cue = _cue(doc, cue_id)
    rx = _compile(pattern, regex, case)
    text = getattr(cue, name)
    m = rx.match(text, start)
    if m is None or m.end() != end:
        raise ValidationError("pattern", "the text changed since it was found; search again")
    try:
        new = m.expand(replacement) if regex else replacement
    except (re.error, IndexError) as exc:
        raise ValidationError("replacement", f"not a valid replacement: {exc}") from None
    return SetCueValues(name, {cue_id: text[:start] + new + text[end:]})


# -- speakers, review, timing state -----------------------------------------------------


def _check_name(doc: Document, name: str, except_id: str | None = None) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("name", "a speaker needs a name")
    name = name.strip()
    for sp in doc.speakers.values():
        if sp.id != except_id and sp.name.casefold() == name.casefold():
            raise ValidationError(
                "name", f"another speaker is already called {sp.name!r}; merge the two speakers instead"
            )
    return name


def rename_speaker(doc: Document, speaker_id: str, new_name: str) -> Edit:
    """Return the SetSpeakers edit giving speaker `speaker_id` the name `new_name` (stripped).

    Cue texts are not touched: cues refer to speakers by id. Raises ValidationError for
    an unknown speaker, an empty name, or a name another speaker has (ignoring case).
    """
    _speaker(doc, speaker_id)
    name = _check_name(doc, new_name, except_id=speaker_id)
    return SetSpeakers(
        [Speaker(s.id, name if s.id == speaker_id else s.name, s.color) for s in doc.speakers.values()]
    )


def add_speaker(doc: Document, name: str, color: str | None = None) -> tuple[Edit, str]:
    """Return (edit, new speaker id) adding a speaker with the next palette colour.

    Raises ValidationError for an empty name or one another speaker has.
    """
    name = _check_name(doc, name)
    n = len(doc.speakers) + 1
    while f"s{n}" in doc.speakers:
        n += 1
    sp = Speaker(f"s{n}", name, color or SPEAKER_COLORS[len(doc.speakers) % len(SPEAKER_COLORS)])
    return SetSpeakers([*doc.speakers.values(), sp]), sp.id


def merge_speakers(doc: Document, ids: Iterable[str], into_id: str) -> Edit:
    """Return the Batch giving every cue of speakers `ids` to `into_id` and removing those speakers.

    Raises ValidationError for unknown speakers or when nothing but `into_id` is named.
    """
    _speaker(doc, into_id, "into_id")
    merged = [i for i in dict.fromkeys(ids) if i != into_id]
    for sp_id in merged:
        _speaker(doc, sp_id, "ids")
    if not merged:
        raise ValidationError("ids", "choose at least one other speaker to merge into this one")
    gone = set(merged)
    reassigned = {c.id: into_id for c in doc.cues if c.speaker_id in gone}
    parts: list[Edit] = []
    if reassigned:
        parts.append(SetCueValues("speaker_id", reassigned))
    parts.append(SetSpeakers([s for s in doc.speakers.values() if s.id not in gone]))
    return Batch(parts)


def remove_speaker(doc: Document, speaker_id: str) -> Edit:
    """Return the Batch removing a speaker; its cues get no speaker. Raises ValidationError if unknown."""
    _speaker(doc, speaker_id)
    cleared = {c.id: None for c in doc.cues if c.speaker_id == speaker_id}
    parts: list[Edit] = [SetCueValues("speaker_id", cleared)] if cleared else []
    parts.append(SetSpeakers([s for s in doc.speakers.values() if s.id != speaker_id]))
    return Batch(parts)


def assign_speaker(doc: Document, cue_ids: Iterable[int], speaker_id: str | None) -> Edit:
    """Return the edit setting the speaker of `cue_ids` (None clears it).

    Raises ValidationError for an unknown speaker or unknown/no cues.
    """
    if speaker_id is not None:
        _speaker(doc, speaker_id)
    cues = _cues(doc, cue_ids)
    values = {c.id: speaker_id for c in cues if c.speaker_id != speaker_id}
    return SetCueValues("speaker_id", values) if values else _nothing()


def set_review(doc: Document, ids: Iterable[int], state: Review | str) -> Edit:
    """Return the edit setting the review state of `ids`. Raises ValidationError for a bad state or ids."""
    try:
        review = Review(state)
    except ValueError:
        raise ValidationError(
            "state", f"expected one of {', '.join(r.value for r in Review)}, got {state!r}"
        ) from None
    cues = _cues(doc, ids)
    values = {c.id: review for c in cues if c.review != review}
    return SetCueValues("review", values) if values else _nothing()


def tidy_note(note: str) -> str:
    """Return a cue note as it is kept: line ends normalised, trailing spaces and blank lines
    at either end gone (a note of only white space is no note)."""
    lines = [line.rstrip() for line in note.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n").strip()


def set_note(doc: Document, cue_id: int, note: str) -> Edit:
    """Return the edit giving cue `cue_id` the note `note` (tidied; "" removes it): a reviewer's
    comment tied to the line, kept in .cueline and WebVTT (as a NOTE block before the cue).
    Nothing to do when the note is already that. Raises ValidationError for an unknown cue."""
    cue = _cue(doc, cue_id)
    note = tidy_note(note)
    return SetCueValues("note", {cue.id: note}) if note != cue.note else _nothing()


def confirm_timing(doc: Document, ids: Iterable[int] | None = None) -> Edit:
    """Return the edit marking estimated times of `ids` (None = all) as exact.

    Raises ValidationError for unknown ids.
    """
    cues = _cues(doc, ids)
    values = {c.id: Timing.EXACT for c in cues if c.timing != Timing.EXACT}
    return SetCueValues("timing", values) if values else _nothing()


# ---------------------------------------------------------------------------------------
# Intents every view shares: the table, the edit panel, the review panel, the timeline and
# the keyboard choose one of these; the rule of what it means lives here.


def retime(doc: Document, times: dict[int, tuple[int, int]], *, by_user: bool = True) -> Edit:
    """Return the edit giving cues new (start_ms, end_ms) times.

    A time the user sets by hand (`by_user`, by any route: a typed time, F9/F10, a nudge, a
    timeline drag) confirms the cue's timing: an estimated cue becomes exact. Tools that
    compute times pass `by_user=False` and leave the timing state alone.
    Raises ValidationError for unknown cues, a start below 0 or an end before the start.
    """
    if not times:
        raise ValidationError("ids", "select at least one cue")
    for cue_id, (start, end) in times.items():
        _cue(doc, cue_id, "ids")
        if start < 0:
            raise ValidationError("start", f"cue {doc.row_of(cue_id) + 1} would start before 0")
        if end < start:
            raise ValidationError("end", f"cue {doc.row_of(cue_id) + 1} would end before it starts")
    parts: list[Edit] = [SetTimes(dict(times))]
    if by_user:
        confirm = {i: Timing.EXACT for i in times if doc.cue(i).timing != Timing.EXACT}
        if confirm:
            parts.append(SetCueValues("timing", confirm))
    return Batch(parts) if len(parts) > 1 else parts[0]


def review_after_typing(cue: Cue, translation: str) -> Review:
    """Return the review state a cue gets when its translation is typed as `translation`.

    No translation left: untranslated. A translation typed where there was none, or a
    reviewed one changed: it needs review (the reviewed words are not these words).
    Otherwise the state stays.
    """
    if not translation.strip():
        return Review.UNTRANSLATED
    changed_reviewed = cue.review == Review.REVIEWED and translation != cue.translation
    if cue.review == Review.UNTRANSLATED or changed_reviewed:
        return Review.NEEDS_REVIEW
    return Review(cue.review)


def type_translation(doc: Document, cue_id: int, translation: str) -> Edit:
    """Return the edit setting a cue's translation as typed, with its review state
    (`review_after_typing`). Raises ValidationError for an unknown cue."""
    cue = _cue(doc, cue_id, "cue")
    parts: list[Edit] = [SetCueValues("translation", {cue_id: translation})]
    review = review_after_typing(cue, translation)
    if review != cue.review:
        parts.append(SetCueValues("review", {cue_id: review}))
    return Batch(parts) if len(parts) > 1 else parts[0]


def assign_speaker_named(doc: Document, cue_ids: Iterable[int], name: str) -> Edit:
    """Return the edit giving the cues the speaker called `name`: an existing speaker of
    that name, else a new one; an empty name clears the speaker.

    Raises ValidationError for unknown or no cues.
    """
    name = name.strip()
    if not name:
        return assign_speaker(doc, cue_ids, None)
    existing = doc.speaker_by_name(name)
    if existing is not None:
        return assign_speaker(doc, cue_ids, existing.id)
    cues = _cues(doc, cue_ids)
    add, speaker_id = add_speaker(doc, name)
    # assign_speaker validates against the current table, which lacks the new speaker yet.
    return Batch([add, SetCueValues("speaker_id", {c.id: speaker_id for c in cues})])
