"""Compound operations: each applied, undone and redone against whole-document snapshots,
plus what each one is for (times, texts, speakers), and random sequences undone to the start."""

from __future__ import annotations

import itertools
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core import edits, layout
from editor.core import operations as op
from editor.core.edits import Batch, SetSpeakers
from editor.core.errors import ValidationError
from editor.core.formats import project
from editor.core.model import Cue, Document, Review, Speaker, Timing, Word


def make_doc() -> Document:
    """Five cues: a too-small gap (1→2), an overlap (2→3), a 300 ms gap, a 2 s gap."""
    doc = Document(speakers=[Speaker("s1", "Ann", "#111111"), Speaker("s2", "Bo"), Speaker("s3", "Cy")])
    rows = [
        (0, 2000, "Hello there, my friend.", "你好，我的朋友。", "s1"),
        (2050, 4000, "<i>How are you today?</i>", "你今天好吗？", "s2"),
        (3900, 6000, "Fine & dandy --> ok", "", "s1"),
        (6300, 8000, "Short", "短", None),
        (10000, 12000, "Last one here", "最后一个", "s3"),
    ]
    for start, end, text, translation, speaker in rows:
        doc.append(doc.new_cue(start, end, text, translation=translation, speaker_id=speaker))
    doc.cue(4).timing = Timing.ESTIMATED
    doc.cue(2).review = Review.REVIEWED
    doc.cue(5).words = (Word(10000, 10500, "Last"), Word(10600, 11000, "one"), Word(11100, 12000, "here"))
    doc.cue(5).note = "check"
    return doc


def roundtrip(doc: Document, edit) -> dict:
    """Apply, undo, redo `edit`; assert whole documents match each time; return the 'after' snapshot."""
    before = doc.snapshot()
    inverse, changes = edits.apply(doc, edit)
    after = doc.snapshot()
    assert after != before
    assert not changes.empty
    redo, _ = edits.apply(doc, inverse)
    assert doc.snapshot() == before
    edits.apply(doc, redo)
    assert doc.snapshot() == after
    return after


def times(doc: Document) -> list[tuple[int, int, int]]:
    return [(c.id, c.start_ms, c.end_ms) for c in doc.cues]


# Every operation, as (name, builder returning the edit). Each must change the sample document.
OPERATIONS = {
    "insert_after": lambda d: op.insert_cue(d, after_id=5)[0],
    "insert_before": lambda d: op.insert_cue(d, before_id=5)[0],
    "insert_at": lambda d: op.insert_cue(d, at_ms=9000, text="new")[0],
    "insert_append": lambda d: op.insert_cue(d)[0],
    "delete": lambda d: op.delete_cues(d, [2, 4]),
    "split": lambda d: op.split_cue(d, 1, 12)[0],
    "split_at_playhead": lambda d: op.split_cue(d, 5, 4, at_ms=10800)[0],
    "merge": lambda d: op.merge_cues(d, [3, 2, 4]),
    "resegment": lambda d: op.resegment_cues(d, [3])[0],
    "shift_all": lambda d: op.shift_cues(d, None, 1500),
    "shift_some": lambda d: op.shift_cues(d, [5], -400),
    "two_point_sync": lambda d: op.two_point_sync(d, (1, 1000), (5, 21000)),
    "reading_speed": lambda d: op.set_duration_for_reading_speed(d, None),
    "fix_overlaps": lambda d: op.fix_overlaps(d, None),
    "close_gaps": lambda d: op.close_small_gaps(d, None),
    "replace_all": lambda d: op.replace_all(d, r"(\w+)day", r"\1night", regex=True, fields="both")[0],
    "replace_match": lambda d: op.replace_match(d, op.find(d, "friend"), "friend", "pal"),
    "rename_speaker": lambda d: op.rename_speaker(d, "s2", "Bob"),
    "add_speaker": lambda d: op.add_speaker(d, "Dee")[0],
    "merge_speakers": lambda d: op.merge_speakers(d, ["s2", "s3"], "s1"),
    "remove_speaker": lambda d: op.remove_speaker(d, "s1"),
    "assign_speaker": lambda d: op.assign_speaker(d, [3, 4], "s3"),
    "clear_speaker": lambda d: op.assign_speaker(d, [1], None),
    "set_review": lambda d: op.set_review(d, [1, 2, 3], "needs_review"),
    "confirm_timing": lambda d: op.confirm_timing(d, [4]),
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_every_operation_applies_undoes_and_redoes(name):
    doc = make_doc()
    original = doc.clone()
    edit = OPERATIONS[name](doc)
    assert doc.snapshot() == original.snapshot(), "building an edit must not change the document"
    roundtrip(doc, edit)


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_every_operation_is_one_edit(name):
    # One returned object = one undo step in the controller.
    edit = OPERATIONS[name](make_doc())
    assert hasattr(edit, "apply")


# -- insert / delete ------------------------------------------------------------------------


def test_insert_after_fills_the_gap_keeping_the_minimum_gap():
    doc = make_doc()
    edit, new_id = op.insert_cue(doc, after_id=3)
    edits.apply(doc, edit)
    cue = doc.cue(new_id)
    # 6000 + 83 … 6300 − 83: the 2 s default shrinks to the gap.
    assert (cue.start_ms, cue.end_ms) == (6083, 6217)
    assert doc.row_of(new_id) == doc.row_of(3) + 1
    assert new_id not in (1, 2, 3, 4, 5)


def test_insert_before_and_at_time_and_append():
    doc = make_doc()
    edit, new_id = op.insert_cue(doc, before_id=5)
    edits.apply(doc, edit)
    assert (doc.cue(new_id).start_ms, doc.cue(new_id).end_ms) == (
        8000 + 83,
        9917,
    )  # shrunk from 2 s to keep the gap to cue 4
    assert doc.row_of(new_id) == doc.row_of(5) - 1

    doc = make_doc()
    edit, new_id = op.insert_cue(doc, at_ms=9000, text="x")
    edits.apply(doc, edit)
    assert (doc.cue(new_id).start_ms, doc.cue(new_id).end_ms, doc.cue(new_id).text) == (9000, 9917, "x")
    assert doc.row_of(new_id) == 4

    doc = make_doc()
    edit, new_id = op.insert_cue(doc)
    edits.apply(doc, edit)
    assert (doc.cue(new_id).start_ms, doc.cue(new_id).end_ms) == (12083, 14083)
    assert doc.cues[-1].id == new_id

    empty = Document()
    edit, new_id = op.insert_cue(empty)
    edits.apply(empty, edit)
    assert times(empty) == [(new_id, 0, 2000)]


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"before_id": 1}, "position"),  # nothing before 0
        ({"after_id": 99}, "after_id"),
        ({"before_id": 2, "after_id": 1}, "position"),
        ({"at_ms": -5}, "at_ms"),
    ],
)
def test_insert_refuses_impossible_places(kwargs, field):
    doc = make_doc()
    with pytest.raises(ValidationError) as info:
        op.insert_cue(doc, **kwargs)
    assert info.value.field == field


def test_insert_between_packed_cues_takes_room_from_the_current_cue():
    doc = make_doc()  # cue 1 ends at 2000, cue 2 starts at 2050: no gap to speak of
    edit, new_id = op.insert_cue(doc, after_id=1)
    roundtrip(doc, edit)
    new, cur = doc.cue(new_id), doc.cue(1)
    assert doc.row_of(new_id) == 1
    assert new.end_ms == 2050 - 83 and new.end_ms - new.start_ms == op.MIN_CUE_MS
    assert cur.start_ms == 0 and cur.end_ms == new.start_ms - 83  # the current cue gave way
    # Before a cue: that cue starts later.
    doc = make_doc()
    edit, new_id = op.insert_cue(doc, before_id=2)
    roundtrip(doc, edit)
    assert doc.row_of(new_id) == 1 and doc.cue(new_id).start_ms == 2000 + 83
    assert doc.cue(2).start_ms == doc.cue(new_id).end_ms + 83 and doc.cue(2).end_ms == 4000
    # A cue too short to give: the new cue overlaps the next one, and QC flags it.
    tight = Document()
    tight.append(Cue(1, 0, 300, "a"))
    tight.append(Cue(2, 320, 2000, "b"))
    edit, new_id = op.insert_cue(tight, after_id=1)
    roundtrip(tight, edit)
    assert tight.cue(1).end_ms == 300 and tight.cue(new_id).end_ms > tight.cue(2).start_ms
    from editor.core import qc

    assert any(p.check == "overlap" for p in qc.check(tight))


def test_delete_removes_exactly_those_cues():
    doc = make_doc()
    edits.apply(doc, op.delete_cues(doc, [4, 2, 2]))
    assert [c.id for c in doc.cues] == [1, 3, 5]
    with pytest.raises(ValidationError):
        op.delete_cues(doc, [])
    with pytest.raises(ValidationError):
        op.delete_cues(doc, [2])


# -- split / merge --------------------------------------------------------------------------


def test_split_cuts_text_at_cursor_and_time_in_proportion():
    doc = make_doc()
    edit, new_id = op.split_cue(doc, 1, len("Hello there,"))
    edits.apply(doc, edit)
    first, second = doc.cue(1), doc.cue(new_id)
    assert (first.text, second.text) == ("Hello there,", "my friend.")
    # 12 of 22 visible characters → the cut at 2000 · 12/22 ≈ 1091 ms; the gap comes off the first half.
    assert (first.start_ms, first.end_ms, second.start_ms, second.end_ms) == (0, 1091 - 83, 1091, 2000)
    # The translation is cut at the clause mark nearest the same proportion.
    assert (first.translation, second.translation) == ("你好，", "我的朋友。")
    assert second.speaker_id == first.speaker_id == "s1"
    assert [c.id for c in doc.cues][:2] == [1, new_id]


@pytest.mark.parametrize(
    "translation, first, second",
    [
        # A sentence end near the proportion beats a space nearer to it.
        ("Eins zwei. Drei vier fünf sechs.", "Eins zwei.", "Drei vier fünf sechs."),
        # No sentence end: the nearest space.
        ("eins zwei drei vier fünf sechs sieben", "eins zwei drei", "vier fünf sechs sieben"),
        # A line break counts nearly as much as a sentence end.
        ("eins zwei\ndrei vier fünf sechs", "eins zwei", "drei vier fünf sechs"),
        # Chinese without punctuation is never cut between two characters: it stays whole
        # with the bigger half (here the second).
        ("一二三四五六七八九十", "", "一二三四五六七八九十"),
        # Chinese with a clause mark near the proportion is cut there.
        ("一二三，四五六七八九十", "一二三，", "四五六七八九十"),
        # A clause mark far from the proportion does not draw the cut: whole to the bigger half.
        ("一二三四五六七八九，十", "", "一二三四五六七八九，十"),
        # Markup open across the cut is closed and reopened.
        ("<i>eins zwei drei vier fünf sechs</i>", "<i>eins zwei</i>", "<i>drei vier fünf sechs</i>"),
        # A single word goes with the bigger half of the text (here the second).
        ("Wort", "", "Wort"),
    ],
)
def test_split_cuts_the_translation_at_the_best_boundary(translation, first, second):
    doc = Document()
    doc.append(doc.new_cue(0, 4000, "one two three four five", translation=translation))
    edit, new_id = op.split_cue(doc, 1, len("one two "))  # "one two" | "three four five": 7 of 22
    edits.apply(doc, edit)
    assert (doc.cue(1).translation, doc.cue(new_id).translation) == (first, second)


def test_split_at_playhead_keeps_attributes_and_splits_words():
    doc = make_doc()
    edit, new_id = op.split_cue(doc, 5, len("Last "), at_ms=10550)
    edits.apply(doc, edit)
    first, second = doc.cue(5), doc.cue(new_id)
    assert (first.end_ms, second.start_ms, second.end_ms) == (10550 - 83, 10550, 12000)
    assert (first.text, second.text) == ("Last", "one here")
    assert [w.text for w in first.words] == ["Last"] and [w.text for w in second.words] == ["one", "here"]
    assert second.speaker_id == "s3" and second.note == "check" and second.timing == first.timing
    assert first.translation + second.translation == "最后一个"


def test_split_closes_and_reopens_tags():
    doc = make_doc()
    edit, new_id = op.split_cue(doc, 2, len("<i>How are"))
    edits.apply(doc, edit)
    assert (doc.cue(2).text, doc.cue(new_id).text) == ("<i>How are</i>", "<i>you today?</i>")
    assert doc.cue(new_id).review == Review.REVIEWED
    # A cursor inside a tag moves out of it: after a closing tag, before an opening one.
    doc = Document()
    doc.append(Cue(1, 0, 1000, "<i>one</i> two <b>three</b>"))
    edit, new_id = op.split_cue(doc, 1, len("<i>one</"))
    edits.apply(doc, edit)
    assert (doc.cue(1).text, doc.cue(new_id).text) == ("<i>one</i>", "two <b>three</b>")
    edit, third = op.split_cue(doc, new_id, len("two <"))
    edits.apply(doc, edit)
    assert (doc.cue(new_id).text, doc.cue(third).text) == ("two", "<b>three</b>")
    with pytest.raises(ValidationError):
        op.split_cue(doc, 1, 1)  # inside the first tag: nothing before the cut


@pytest.mark.parametrize(
    "args, field",
    [
        ((1, 0), "text_pos"),
        ((1, 23), "text_pos"),
        ((1, 99), "text_pos"),
        ((1, 5, 2500), "at_ms"),
        ((9, 1), "cue"),
    ],
)
def test_split_refuses_bad_positions(args, field):
    with pytest.raises(ValidationError) as info:
        op.split_cue(make_doc(), *args)
    assert info.value.field == field


def test_split_at_playhead_allows_an_empty_half():
    doc = make_doc()
    edit, new_id = op.split_cue(doc, 4, len("Short"), at_ms=7000)
    edits.apply(doc, edit)
    assert (doc.cue(4).text, doc.cue(new_id).text) == ("Short", "")


def test_merge_joins_texts_and_keeps_first_id():
    doc = make_doc()
    edits.apply(doc, op.merge_cues(doc, [1, 2]))
    merged = doc.cue(1)
    assert not doc.has_cue(2)
    assert (merged.start_ms, merged.end_ms) == (0, 4000)
    # Two speakers: a dialogue cue in both tracks, a dash per speaker.
    assert merged.text == "- Hello there, my friend.\n- <i>How are you today?</i>"
    assert merged.translation == "- 你好，我的朋友。\n- 你今天好吗？"
    assert merged.speaker_id == "s1" and merged.review == Review.UNTRANSLATED
    doc = make_doc()
    edits.apply(doc, op.merge_cues(doc, [1, 2, 3]))
    # Three texts laid out again in two lines (a space between words, none between CJK).
    assert doc.cue(1).text == "Hello there, my friend.\n<i>How are you today?</i> Fine & dandy --> ok"
    assert doc.cue(1).translation == "你好，我的朋友。你今天好吗？"
    assert [c.id for c in doc.cues] == [1, 4, 5]
    # One speaker: joined on one line when it fits.
    doc = make_doc()
    doc.cue(2).speaker_id = "s1"
    edits.apply(doc, op.merge_cues(doc, [1, 2]))
    assert doc.cue(1).text == "Hello there, my friend. <i>How are you today?</i>"
    assert doc.cue(1).translation == "你好，我的朋友。你今天好吗？"


def test_merge_short_texts_with_a_space_and_estimated_wins():
    doc = make_doc()
    edits.apply(doc, op.merge_cues(doc, [3, 4]))
    merged = doc.cue(3)
    assert merged.text == "Fine & dandy --> ok Short"
    assert merged.translation == "短"
    assert merged.timing == Timing.ESTIMATED
    assert (merged.start_ms, merged.end_ms) == (3900, 8000)


def test_merge_joins_adjacent_tags_and_notes_and_words():
    doc = Document()
    doc.append(Cue(1, 0, 1000, "<i>one</i>", words=(Word(0, 500, "one"),), note="a"))
    doc.append(Cue(2, 1000, 2000, "<i>two</i>", words=(Word(1000, 1500, "two"),), note="b"))
    roundtrip(doc, op.merge_cues(doc, [1, 2]))
    assert doc.cue(1).text == "<i>one two</i>"
    assert [w.text for w in doc.cue(1).words] == ["one", "two"]
    assert doc.cue(1).note == "a\nb"


def test_merge_refuses_non_neighbours_and_single_cues():
    with pytest.raises(ValidationError, match="neighbouring"):
        op.merge_cues(make_doc(), [1, 3])
    with pytest.raises(ValidationError):
        op.merge_cues(make_doc(), [1])


def test_resegment_cuts_a_long_cue_into_readable_ones():
    long_text = " ".join(f"word{i}" for i in range(40))
    doc = Document(speakers=[Speaker("s1", "Ann")])
    doc.append(doc.new_cue(0, 1000, "before"))
    doc.append(doc.new_cue(2000, 20000, long_text, speaker_id="s1", note="keep me"))
    doc.append(doc.new_cue(21000, 22000, "after"))
    edit, new_ids = op.resegment_cues(doc, [2])
    roundtrip(doc, edit)
    assert len(new_ids) >= 3 and not doc.has_cue(2)
    new = [doc.cue(i) for i in new_ids]
    assert [c.id for c in doc.cues] == [1, *new_ids, 3]
    assert " ".join(" ".join(c.text.split()) for c in new) == long_text  # no word lost or added
    assert all(2000 <= c.start_ms <= c.end_ms <= 20000 for c in new)
    assert all(c.speaker_id == "s1" and c.timing == Timing.ESTIMATED for c in new)
    assert all(len(line) <= 42 for c in new for line in c.text.split("\n"))
    assert new[0].note == "keep me"


def test_resegment_redistributes_the_translation_in_one_undo_step():
    en = (
        "We are releasing two models today. The first one is a preview of what is coming. "
        "The second one is smaller and faster, trained with a similar framework."
    )
    zh = "咱们今天发布两个模子。第一个是行将推出的预览版。第二个更小、更快，使用相似的框架进行教师。"
    doc = Document()
    doc.append(doc.new_cue(0, 12000, en, translation=zh))
    edit, new_ids = op.resegment_cues(doc, [1])
    roundtrip(doc, edit)
    new = [doc.cue(i) for i in new_ids]
    assert len(new) >= 2
    # Every character of the translation kept, in order; each cue gets a part.
    assert "".join(c.translation.replace("\n", "") for c in new) == zh
    assert all(c.translation for c in new)
    assert all(c.review == Review.NEEDS_REVIEW for c in new)
    # Sentences go with their source: the first cue's translation starts the first sentence.
    assert new[0].translation.startswith("咱们今天")
    profile = layout.track_profile(doc, "translation", zh)
    assert all(layout.fits(c.translation, profile) for c in new)


def test_resegment_refuses_gaps_in_the_selection_and_empty_text():
    with pytest.raises(ValidationError, match="neighbouring"):
        op.resegment_cues(make_doc(), [3, 5])
    doc = Document()
    doc.append(doc.new_cue(0, 1000, ""))
    with pytest.raises(ValidationError, match="no text"):
        op.resegment_cues(doc, [1])


# -- timing -----------------------------------------------------------------------------------


def test_shift_moves_selected_or_all():
    doc = make_doc()
    edits.apply(doc, op.shift_cues(doc, [5, 4], -300))
    assert times(doc)[3:] == [(4, 6000, 7700), (5, 9700, 11700)]
    doc = make_doc()
    edits.apply(doc, op.shift_cues(doc, None, 250))
    assert times(doc) == [(i, s + 250, e + 250) for i, s, e in times(make_doc())]


def test_shift_before_zero_is_refused_with_the_largest_possible_shift():
    doc = make_doc()
    with pytest.raises(ValidationError, match="largest backward shift possible is 0 ms"):
        op.shift_cues(doc, None, -1)
    with pytest.raises(ValidationError, match="10000 ms"):
        op.shift_cues(doc, [5], -10001)
    assert isinstance(op.shift_cues(doc, None, 0), Batch)


def test_two_point_sync_maps_linearly():
    doc = make_doc()
    roundtrip(doc, op.two_point_sync(doc, (5, 21000), (1, 1000)))  # either order
    # t → 1000 + (t − 0) · 20000 / 10000
    assert times(doc) == [(i, 1000 + 2 * s, 1000 + 2 * e) for i, s, e in times(make_doc())]


def test_two_point_sync_rounds_exactly_and_refuses_bad_points():
    doc = make_doc()
    edits.apply(doc, op.two_point_sync(doc, (1, 0), (5, 3333)))
    assert doc.cue(3).start_ms == round(3900 * 3333 / 10000)
    assert doc.cue(5).start_ms == 3333
    with pytest.raises(ValidationError, match="different cues"):
        op.two_point_sync(make_doc(), (1, 0), (1, 50))
    with pytest.raises(ValidationError, match="same order"):
        op.two_point_sync(make_doc(), (1, 5000), (5, 100))
    with pytest.raises(ValidationError, match="before 0"):
        op.two_point_sync(make_doc(), (3, 0), (5, 100))


def test_reading_speed_sets_durations_within_limits():
    doc = make_doc()
    edits.apply(doc, op.set_duration_for_reading_speed(doc, None, cps=17))
    got = {i: (s, e) for i, s, e in times(doc)}
    assert got[1] == (0, 0 + 1353)  # 23 characters at 17 cps
    assert got[4] == (6300, 6300 + 833)  # "Short" → the minimum
    assert got[2] == (2050, 2050 + 1059)  # 18 visible characters (tags do not count)
    assert got[3] == (3900, 3900 + 1118)  # 19 characters; starts never move, even when overlapping
    assert got[5] == (10000, 10000 + 833)  # 13 characters want 765 ms: the minimum wins
    doc = make_doc()
    edits.apply(doc, op.set_duration_for_reading_speed(doc, [5], cps=1, max_ms=4000))
    assert times(doc)[4] == (5, 10000, 14000)
    with pytest.raises(ValidationError):
        op.set_duration_for_reading_speed(doc, None, cps=0)
    with pytest.raises(ValidationError):
        op.set_duration_for_reading_speed(doc, None, min_ms=9000, max_ms=10)


def test_fix_overlaps_trims_the_earlier_cue():
    doc = make_doc()
    edits.apply(doc, op.fix_overlaps(doc))
    assert doc.cue(2).end_ms == 3900 - 83
    assert doc.cue(1).end_ms == 2050 - 83  # a gap below the minimum counts as an overlap too
    ordered = sorted(doc.cues, key=lambda c: c.start_ms)
    assert all(a.end_ms + 83 <= b.start_ms for a, b in itertools.pairwise(ordered))
    # Only the selection changes.
    doc = make_doc()
    edits.apply(doc, op.fix_overlaps(doc, [2]))
    assert doc.cue(1).end_ms == 2000 and doc.cue(2).end_ms == 3817


def test_fix_overlaps_leaves_cues_starting_together():
    doc = Document()
    doc.append(Cue(1, 0, 1000, "a"))
    doc.append(Cue(2, 0, 500, "b"))
    doc.append(Cue(3, 400, 900, "c"))
    edits.apply(doc, op.fix_overlaps(doc))
    assert times(doc) == [(1, 0, 1000), (2, 0, 317), (3, 400, 900)]


def test_close_small_gaps_chains_cues():
    doc = make_doc()
    edits.apply(doc, op.close_small_gaps(doc, None, max_gap_ms=500))
    got = {i: (s, e) for i, s, e in times(doc)}
    assert got[1] == (0, 2050 - 83)  # 50 ms → exactly the minimum
    assert got[2] == (2050, 4000)  # overlapping: fix_overlaps' job
    assert got[3] == (3900, 6300 - 83)  # 300 ms gap closed
    assert got[4] == (6300, 8000)  # 2 s gap is a pause, kept
    with pytest.raises(ValidationError):
        op.close_small_gaps(doc, None, max_gap_ms=50, min_gap_ms=83)


# -- find / replace ---------------------------------------------------------------------------


def test_find_plain_case_fields_and_wrap():
    doc = make_doc()
    assert op.find(doc, "FRIEND") == (1, "text", 16, 22)
    assert op.find(doc, "FRIEND", case=True) is None
    assert op.find(doc, "朋友", fields="both") == (1, "translation", 5, 7)
    assert op.find(doc, "朋友") is None
    first = op.find(doc, "o")
    second = op.find(doc, "o", start_after=first)
    assert first == (1, "text", 4, 5) and second == (2, "text", 4, 5)
    # Wraps around: the last match is followed by the first.
    last = op.find(doc, "here", start_after=(3, "text", 0, 0))
    assert last == (5, "text", 9, 13)
    assert op.find(doc, "here", start_after=last) == (1, "text", 7, 11)
    assert op.find(doc, "&") == (3, "text", 5, 6)
    assert op.find(doc, "-->") == (3, "text", 13, 16)


def test_find_regex_skips_empty_matches_and_reports_bad_patterns():
    doc = make_doc()
    assert op.find(doc, r"\bd\w+", regex=True) == (3, "text", 7, 12)
    assert op.find(doc, r"x*", regex=True) is None
    with pytest.raises(ValidationError) as info:
        op.find(doc, "(unclosed", regex=True)
    assert info.value.field == "pattern"
    with pytest.raises(ValidationError):
        op.find(doc, "")
    with pytest.raises(ValidationError):
        op.find(doc, "x", fields=("notes",))


def test_replace_all_is_one_batch_with_a_count():
    doc = make_doc()
    edit, count = op.replace_all(doc, r"o(\w)", r"0\1", regex=True, fields="text")
    assert isinstance(edit, Batch) and len(edit.edits) == 1
    expected = sum(len(re.findall(r"o(\w)", c.text, re.IGNORECASE)) for c in doc.cues)
    assert count == expected == 6
    roundtrip(doc, edit)
    assert doc.cue(1).text == "Hello there, my friend."  # "o " is not followed by a word character
    assert doc.cue(2).text == "<i>H0w are y0u t0day?</i>"


def test_replace_all_plain_is_literal_and_covers_both_fields():
    doc = make_doc()
    edit, count = op.replace_all(doc, ".", r"\1!", fields="both")
    assert count == 1  # the dot in "friend." only: the CJK full stop is another character
    roundtrip(doc, edit)
    assert doc.cue(1).text == r"Hello there, my friend\1!"
    edit, count = op.replace_all(doc, "。", "", fields=("translation",))
    assert count == 1 and isinstance(edit, Batch)
    edit, count = op.replace_all(doc, "nothing-here", "x")
    assert count == 0 and edit.edits == []


def test_replace_all_reports_bad_replacements_and_limits_to_ids():
    doc = make_doc()
    with pytest.raises(ValidationError) as info:
        op.replace_all(doc, r"(o)", r"\2", regex=True)
    assert info.value.field == "replacement"
    with pytest.raises(ValidationError) as info:
        op.replace_all(doc, r"[", "x", regex=True)
    assert info.value.field == "pattern"
    edit, count = op.replace_all(doc, "e", "E", ids=[5])
    assert count == 3
    roundtrip(doc, edit)
    assert doc.cue(5).text == "Last onE hErE" and doc.cue(1).text == "Hello there, my friend."


def test_replace_match_refuses_a_stale_match():
    doc = make_doc()
    match = op.find(doc, "friend")
    edits.apply(doc, edits.set_field(1, "text", "changed"))
    with pytest.raises(ValidationError, match="search again"):
        op.replace_match(doc, match, "friend", "pal")


# -- speakers, review, timing state -------------------------------------------------------------


def test_rename_speaker_changes_the_name_only():
    doc = make_doc()
    before = doc.snapshot()
    edit = op.rename_speaker(doc, "s2", "  Bob ")
    assert isinstance(edit, SetSpeakers)
    roundtrip(doc, edit)
    after = doc.snapshot()
    assert after["cues"] == before["cues"]
    assert after["speakers"] == [
        ("s1", "Ann", "#111111"),
        ("s2", "Bob", before["speakers"][1][2]),
        before["speakers"][2],
    ]


@pytest.mark.parametrize("name", ["Ann", "ann", " ANN ", "", "   "])
def test_rename_speaker_refuses_clashes_and_empty_names(name):
    with pytest.raises(ValidationError) as info:
        op.rename_speaker(make_doc(), "s2", name)
    assert info.value.field == "name"


def test_rename_to_own_name_in_other_case_is_allowed():
    doc = make_doc()
    roundtrip(doc, op.rename_speaker(doc, "s2", "BO"))
    assert doc.speakers["s2"].name == "BO"
    with pytest.raises(ValidationError):
        op.rename_speaker(doc, "nobody", "X")


def test_merge_speakers_reassigns_and_removes_then_undo_restores():
    doc = make_doc()
    original = doc.snapshot()
    inverse, _ = edits.apply(doc, op.merge_speakers(doc, ["s2", "s3", "s1"], "s1"))
    assert list(doc.speakers) == ["s1"]
    assert [c.speaker_id for c in doc.cues] == ["s1", "s1", "s1", None, "s1"]
    edits.apply(doc, inverse)
    assert doc.snapshot() == original
    with pytest.raises(ValidationError):
        op.merge_speakers(doc, ["s1"], "s1")
    with pytest.raises(ValidationError):
        op.merge_speakers(doc, ["s9"], "s1")


def test_add_and_assign_speaker():
    doc = make_doc()
    edit, sp_id = op.add_speaker(doc, "Dee")
    edits.apply(doc, edit)
    assert sp_id == "s4" and doc.speakers[sp_id].name == "Dee" and doc.speakers[sp_id].color
    edits.apply(doc, op.assign_speaker(doc, [1, 4], sp_id))
    assert doc.cue(1).speaker_id == doc.cue(4).speaker_id == "s4"
    with pytest.raises(ValidationError):
        op.add_speaker(doc, "dee")
    with pytest.raises(ValidationError):
        op.assign_speaker(doc, [1], "s99")
    assert op.assign_speaker(doc, [1], "s4").edits == []


def test_review_and_timing_states():
    doc = make_doc()
    edits.apply(doc, op.set_review(doc, [1, 2], Review.NEEDS_REVIEW))
    assert doc.cue(1).review == doc.cue(2).review == Review.NEEDS_REVIEW
    with pytest.raises(ValidationError) as info:
        op.set_review(doc, [1], "done")
    assert info.value.field == "state"
    edits.apply(doc, op.confirm_timing(doc))
    assert all(c.timing == Timing.EXACT for c in doc.cues)
    assert op.confirm_timing(doc).edits == []


# -- random sequences -------------------------------------------------------------------------------


def _ids(doc: Document, draw, *, min_size: int = 1) -> list[int]:
    pool = [c.id for c in doc.cues] + [999]  # sometimes an unknown id
    return draw(st.lists(st.sampled_from(pool), min_size=min_size, max_size=4))


def _one_id(doc: Document, draw) -> int:
    return draw(st.sampled_from([c.id for c in doc.cues] + [999]))


def _speaker_id(doc: Document, draw) -> str:
    return draw(st.sampled_from([*doc.speakers, "zz"]))


RANDOM_OPS = [
    lambda d, draw: op.insert_cue(
        d,
        **draw(st.sampled_from([{}, {"after_id": _one_id(d, draw)}, {"at_ms": draw(st.integers(0, 15000))}])),
    )[0],
    lambda d, draw: op.delete_cues(d, _ids(d, draw)),
    lambda d, draw: op.split_cue(
        d,
        (cid := _one_id(d, draw)),
        draw(st.integers(0, 30)),
        draw(st.none() | st.integers(0, 15000)) if d.has_cue(cid) else None,
    )[0],
    lambda d, draw: op.merge_cues(d, _ids(d, draw, min_size=2)),
    lambda d, draw: op.resegment_cues(d, _ids(d, draw))[0],
    lambda d, draw: op.shift_cues(d, draw(st.none()) or _ids(d, draw), draw(st.integers(-3000, 3000))),
    lambda d, draw: op.two_point_sync(
        d, (_one_id(d, draw), draw(st.integers(0, 9000))), (_one_id(d, draw), draw(st.integers(0, 30000)))
    ),
    lambda d, draw: op.set_duration_for_reading_speed(d, None, cps=draw(st.sampled_from([5, 17, 25]))),
    lambda d, draw: op.fix_overlaps(d, draw(st.none()) or _ids(d, draw), draw(st.sampled_from([0, 83, 200]))),
    lambda d, draw: op.close_small_gaps(d, None, draw(st.sampled_from([200, 500, 3000]))),
    lambda d, draw: op.replace_all(
        d,
        draw(st.sampled_from(["o", "e", "你", r"\w+"])),
        draw(st.sampled_from(["", "X", "<i>&</i>"])),
        regex=draw(st.booleans()),
        fields=draw(st.sampled_from(["text", "translation", "both"])),
    )[0],
    lambda d, draw: op.rename_speaker(d, _speaker_id(d, draw), draw(st.sampled_from(["Ann", "Zed", "Q"]))),
    lambda d, draw: op.merge_speakers(d, [_speaker_id(d, draw)], _speaker_id(d, draw)),
    lambda d, draw: op.add_speaker(d, draw(st.sampled_from(["Eve", "Fay", "Ann"])))[0],
    lambda d, draw: op.remove_speaker(d, _speaker_id(d, draw)),
    lambda d, draw: op.assign_speaker(d, _ids(d, draw), draw(st.sampled_from([None, *d.speakers]))),
    lambda d, draw: op.set_review(d, _ids(d, draw), draw(st.sampled_from(list(Review)))),
    lambda d, draw: op.confirm_timing(d, draw(st.none()) or _ids(d, draw)),
]


PIECES = ["a", "word ", "<i>", "</i>", "&", "-->", "中文", "。", "，", ". ", "\n", "😀", "e\u0301", " "]


@st.composite
def random_docs(draw) -> Document:
    """Small documents with overlaps, gaps, empty texts, markup and CJK, in start order."""
    doc = Document(speakers=[Speaker("s1", "Ann"), Speaker("s2", "Bo")])
    start = 0
    for _ in range(draw(st.integers(0, 8))):
        start += draw(st.integers(0, 3000))
        end = start + draw(st.integers(0, 4000))
        text = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=8)))
        translation = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=6)))
        cue = doc.new_cue(start, end, text, translation=translation)
        cue.speaker_id = draw(st.sampled_from([None, "s1", "s2"]))
        cue.timing = draw(st.sampled_from(list(Timing)))
        doc.append(cue)
    return doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_operation_sequences_undo_to_the_original(data):
    doc = data.draw(st.just(None) | random_docs(), label="document") or make_doc()
    original = doc.snapshot()
    inverses = []
    states = []
    for _ in range(data.draw(st.integers(1, 15), label="steps")):
        build = data.draw(st.sampled_from(RANDOM_OPS), label="operation")
        before = doc.snapshot()
        try:
            edit = build(doc, data.draw)
        except ValidationError:
            assert doc.snapshot() == before  # a refused operation changes nothing
            continue
        assert doc.snapshot() == before
        inverse, _ = edits.apply(doc, edit)
        inverses.append(inverse)
        states.append(doc.snapshot())
        # Invariants every operation keeps.
        assert all(c.end_ms >= c.start_ms >= 0 for c in doc.cues)
        assert len({c.id for c in doc.cues}) == len(doc.cues)
        assert all(c.speaker_id is None or c.speaker_id in doc.speakers for c in doc.cues)
    redos = []
    for inverse in reversed(inverses):
        redo, _ = edits.apply(doc, inverse)
        redos.append(redo)
    assert doc.snapshot() == original
    for redo, state in zip(reversed(redos), states, strict=True):
        edits.apply(doc, redo)
        assert doc.snapshot() == state
    # Whatever the operations made, the project file keeps it exactly.
    assert project.FORMAT.read(project.FORMAT.write(doc)).snapshot() == doc.snapshot()


# -- many cues at once ------------------------------------------------------------------------------


def _big_doc(n: int) -> Document:
    doc = Document(speakers=[Speaker("s1", "Ann")])
    for i in range(n):
        doc.append(doc.new_cue(i * 1000, i * 1000 + 800, f"cue {i}", speaker_id="s1" if i % 2 else None))
    return doc


def test_deleting_and_restoring_thousands_of_scattered_cues_is_exact_and_fast():
    doc = _big_doc(20_000)
    before = doc.snapshot()
    doomed = [c.id for c in doc.cues if c.id % 4 == 1 or 7000 < c.id < 9000]
    gone = set(doomed)
    started = time.perf_counter()
    inverse, changes = edits.apply(doc, op.delete_cues(doc, doomed))
    redo, _ = edits.apply(doc, inverse)
    elapsed = time.perf_counter() - started
    assert changes.removed == gone
    assert doc.snapshot() == before
    assert all(doc.row_of(c.id) == r for r, c in enumerate(doc.cues))
    edits.apply(doc, redo)
    assert [c.id for c in doc.cues] == [i for i in range(1, 20_001) if i not in gone]
    assert all(doc.row_of(c.id) == r for r, c in enumerate(doc.cues))
    # Removing cue by cue rebuilt the row index each time: minutes here. One pass: milliseconds.
    assert elapsed < 2.0


def test_failed_mass_insert_changes_nothing():
    doc = _big_doc(100)
    before = doc.snapshot()
    clash = [(i, Cue(1000 + i, 0, 1, "new")) for i in range(40)] + [(50, Cue(5, 0, 1, "dup"))]
    with pytest.raises(ValueError):
        edits.apply(doc, edits.InsertCues(clash))
    assert doc.snapshot() == before
    with pytest.raises(KeyError):
        edits.apply(doc, edits.RemoveCues([*range(1, 50), 9999]))
    assert doc.snapshot() == before


def test_set_note_tidies_undoes_and_refuses_an_unknown_cue():
    from editor.core.errors import ValidationError
    from editor.core.model import Cue, Document

    doc = Document([Cue(1, 0, 1000, "Hello"), Cue(2, 1000, 2000, "World")])
    edit = op.set_note(doc, 2, "  check the name  \r\n\r\nsecond line \n\n")
    inverse, _changes = edit.apply(doc)
    assert doc.cue(2).note == "check the name\n\nsecond line"
    assert isinstance(op.set_note(doc, 2, "check the name\n\nsecond line"), Batch)  # nothing to do
    inverse.apply(doc)
    assert doc.cue(2).note == ""
    assert isinstance(op.set_note(doc, 1, "   "), Batch)  # white space is no note
    with pytest.raises(ValidationError):
        op.set_note(doc, 99, "x")
