"""QC checks: each one fires on a small document made to break it, none on a clean one,
and the incremental index always equals a full re-check."""

from __future__ import annotations

import random
from collections import Counter
from itertools import product

import pytest

from editor.core import edits
from editor.core import qc as qc_module
from editor.core.model import Cue, Document, Speaker, Timing
from editor.core.qc import (
    CHECKS,
    Problem,
    QcIndex,
    QcProfile,
    Severity,
    check,
    counts,
)
from editor.core.style import StyleSettings, TrackStyle

SENTENCES = [
    "We are releasing two models today.",
    "So what is reasoning anyway?",
    "It thinks before it answers.",
    "That was the moment for me.",
    "Thank you, and congratulations.",
]
TRANSLATIONS = [
    "我们今天发布两个模型。",
    "那么什么是推理？",
    "它先思考再回答。",
    "那就是我的时刻。",
    "谢谢，祝贺你们。",
]


def clean_doc(n: int = 5, *, translated: bool = False) -> Document:
    doc = Document(speakers=[Speaker("s1", "Ann"), Speaker("s2", "Bo")], source_language="en")
    for i in range(n):
        doc.append(
            doc.new_cue(
                i * 3000,
                i * 3000 + 2500,
                SENTENCES[i % len(SENTENCES)],
                speaker_id="s1" if i % 2 else "s2",
                translation=TRANSLATIONS[i % len(TRANSLATIONS)] if translated else "",
            )
        )
    if translated:
        doc.translation_language = "zh-cn"
    return doc


def only(problems: list[Problem], check_id: str) -> list[Problem]:
    return [p for p in problems if p.check == check_id]


def test_clean_documents_have_no_problems():
    assert check(clean_doc()) == []
    assert check(clean_doc(translated=True)) == []
    assert check(Document()) == []


def test_every_check_id_is_documented():
    assert {
        "line_length",
        "lines",
        "cps",
        "duration_short",
        "duration_long",
        "gap",
        "overlap",
        "order",
        "empty",
        "estimated",
        "speaker_missing",
        "tr_missing",
        "tr_numbers",
        "tr_ratio",
        "tr_line_length",
        "tr_cps",
        "tr_untranslated",
    } <= set(CHECKS)


def _set(doc: Document, row: int, **values) -> Document:
    cue = doc.cues[row]
    for k, v in values.items():
        setattr(cue, k, v)
    return doc


# (check id, how to break a clean document, words the message must hold, severity)
CASES = [
    ("line_length", lambda d: _set(d, 1, text="x" * 47), "line 1 has 47 characters (limit 42)", "warning"),
    ("lines", lambda d: _set(d, 1, text="one\ntwo\nthree"), "3 lines (limit 2)", "warning"),
    ("cps", lambda d: _set(d, 1, text="a" * 40 + "\n" + "b" * 20, end_ms=3000 + 2000), "30.0", "warning"),
    ("duration_short", lambda d: _set(d, 1, text="Hi.", end_ms=3500), "500 ms (minimum 833 ms)", "warning"),
    ("duration_long", lambda d: _set(d, 4, end_ms=12000 + 8000), "8.0 s (maximum 7 s)", "warning"),
    ("gap", lambda d: _set(d, 2, start_ms=5540, end_ms=8500), "gap to the next cue is 40 ms", "warning"),
    ("overlap", lambda d: _set(d, 2, start_ms=5000, end_ms=8500), "by 500 ms", "error"),
    ("order", lambda d: _set(d, 2, start_ms=1000, end_ms=2000), "before the previous cue", "error"),
    ("empty", lambda d: _set(d, 2, text="<i> </i>"), "no text", "error"),
    ("estimated", lambda d: _set(d, 2, timing=Timing.ESTIMATED), "estimated", "info"),
    ("speaker_missing", lambda d: _set(d, 2, speaker_id=None), "no speaker", "warning"),
    ("speaker_missing", lambda d: _set(d, 2, speaker_id="s9"), "'s9' is not in the speaker list", "warning"),
]


@pytest.mark.parametrize(("check_id", "breaker", "words", "severity"), CASES, ids=[c[0] for c in CASES])
def test_each_check_fires(check_id, breaker, words, severity):
    doc = breaker(clean_doc())
    problems = check(doc)
    hits = only(problems, check_id)
    assert len(hits) == 1, problems
    assert words in hits[0].message
    assert hits[0].severity == Severity(severity)
    assert hits[0].cue_id is not None and doc.has_cue(hits[0].cue_id)
    assert counts(problems)[check_id] == 1


def test_pair_problems_name_the_right_cue():
    doc = _set(clean_doc(), 2, start_ms=5000, end_ms=8500)  # cue 2 starts inside cue 1
    (overlap,) = only(check(doc), "overlap")
    assert overlap.cue_id == doc.cues[1].id
    doc = _set(clean_doc(), 2, start_ms=1000, end_ms=2000)
    (order,) = only(check(doc), "order")
    assert order.cue_id == doc.cues[2].id


def test_no_speaker_is_fine_when_nobody_has_one():
    doc = clean_doc()
    for c in doc.cues:
        c.speaker_id = None
    assert only(check(doc), "speaker_missing") == []


def test_chinese_limits_apply_to_chinese_text():
    doc = Document(source_language="zh-cn")
    doc.append(doc.new_cue(0, 2000, "这是一个非常长的中文字幕行超过了十六个字"))  # 20 characters in 2 s
    doc.append(doc.new_cue(4000, 5000, "这句话在一秒钟内显示十个字"))  # 13 characters in 1 s
    problems = check(doc)
    assert [p.message for p in only(problems, "line_length")] == ["line 1 has 20 characters (limit 16)"]
    assert len(only(problems, "cps")) == 2
    # Without a language the script decides.
    doc.source_language = None
    assert [p.check for p in check(doc)] == [p.check for p in problems]


def test_english_uses_the_adult_preset_and_the_user_may_choose_children():
    doc = clean_doc()
    _set(doc, 1, text="a" * 36, end_ms=3000 + 2000)  # 18 characters a second
    assert only(check(doc), "cps") == []  # English adult: 20 characters a second
    children = StyleSettings(source=TrackStyle("en-children"))
    assert len(only(check(doc, QcProfile(styles=children)), "cps")) == 1
    doc.source_language = "de"  # German: 17
    assert len(only(check(doc), "cps")) == 1


def test_user_limits_override_the_preset():
    doc = clean_doc()
    _set(doc, 1, text="a" * 30, end_ms=3000 + 2000)  # 15 characters a second, 30 wide
    strict = StyleSettings(source=TrackStyle(overrides={"max_cps": 14, "max_chars": 28}))
    problems = [p for p in check(doc, QcProfile(styles=strict)) if p.cue_id == doc.cues[1].id]
    assert [p.message for p in only(problems, "cps")] == ["reading speed is 15.0 characters/s (limit 14)"]
    assert [p.message for p in only(problems, "line_length")] == ["line 1 has 30 characters (limit 28)"]


def test_each_track_uses_the_preset_of_its_language():
    doc = Document(source_language="ja", translation_language="ko")
    # 14 full-width characters: over Japanese's 13; the same count of hangul fits Korean's 16.
    translation = "오늘은 날씨가 정말 좋네요 진짜"
    doc.append(doc.new_cue(0, 3000, "今日はとても良い天気ですね本当", translation=translation))
    problems = check(doc)
    assert [p.message for p in only(problems, "line_length")] == ["line 1 has 15 characters (limit 13)"]
    assert only(problems, "tr_line_length") == []
    assert [p.check for p in only(problems, "cps")] == ["cps"]  # 15 in 3 s: above Japanese's 4


def test_half_width_characters_count_half_in_cjk():
    doc = Document(source_language="zh-cn")
    # 12 Han characters + 10 half-width ones = 17 cells: 12 + 5 = 17 > 16.
    doc.append(doc.new_cue(0, 5000, "我们今天发布了两个新模型GPT-5 mini"))
    assert [p.message for p in only(check(doc), "line_length")] == ["line 1 has 17 characters (limit 16)"]
    doc.cues[0].text = "我们今天发布了两个模型GPT-5 mini"  # 11 + 5 = 16: fits
    assert only(check(doc), "line_length") == []


def test_cps_counts_spaces_and_punctuation_but_not_tags():
    doc = clean_doc()
    _set(doc, 1, text="<i>" + "a, b " * 9 + "</i>", end_ms=3000 + 2000)  # 45 characters / 2 s
    (p,) = only(check(doc), "cps")
    assert "22.5" in p.message


def test_disabled_checks_are_skipped():
    doc = _set(clean_doc(), 2, timing=Timing.ESTIMATED, start_ms=5000, end_ms=8500)
    assert only(check(doc, QcProfile(disabled=frozenset({"estimated", "overlap"}))), "estimated") == []
    assert check(doc, QcProfile(disabled=frozenset({"estimated", "overlap"}))) == []


# -- translation checks ----------------------------------------------------------


FAST_ZH = "那么什么是推理那么什么是推理\n那么什么是推理那么什么"  # 25 characters in 2.5 s
TR_CASES = [
    ("tr_missing", lambda d: _set(d, 1, translation=""), "no translation"),
    (
        "tr_numbers",
        lambda d: _set(d, 1, text="We release 2 models in 2024.", translation="我们在2023年发布2个模型。"),
        "source has 2, 2024; translation has 2, 2023",
    ),
    ("tr_ratio", lambda d: _set(d, 1, translation="那么什么是推理？" * 6), "the source's length"),
    (
        "tr_line_length",
        lambda d: _set(d, 1, translation="那么什么是推理那么什么是推理那么什么"),
        "(limit 16)",
    ),
    ("tr_cps", lambda d: _set(d, 1, translation=FAST_ZH), "limit 9"),
    (
        "tr_untranslated",
        lambda d: _set(d, 1, translation="So what is reasoning anyway?"),
        "same as the source",
    ),
    ("tr_untranslated", lambda d: _set(d, 1, translation="So what is reasoning, really?"), "script"),
]


@pytest.mark.parametrize(("check_id", "breaker", "words"), TR_CASES, ids=[c[0] for c in TR_CASES])
def test_each_translation_check_fires(check_id, breaker, words):
    doc = breaker(clean_doc(8, translated=True))
    hits = only(check(doc), check_id)
    assert len(hits) == 1, check(doc)
    assert words in hits[0].message
    assert hits[0].cue_id == doc.cues[1].id


def test_numbers_written_differently_are_the_same():
    doc = clean_doc(translated=True)
    _set(doc, 1, text="About 1,000 people and 3.5 percent.", translation="大约1000人，百分之3.5。")
    assert only(check(doc), "tr_numbers") == []


def test_full_width_digits_count_as_numbers():
    doc = clean_doc(translated=True)
    _set(doc, 1, text="We met in 2024 with 12 people.", translation="我们在２０２４年和１２个人见面。")
    assert only(check(doc), "tr_numbers") == []
    _set(doc, 1, translation="我们在２０２３年和１２个人见面。")
    assert len(only(check(doc), "tr_numbers")) == 1


def test_translation_limits_follow_the_script_without_a_language():
    doc = clean_doc(translated=True)
    doc.translation_language = None
    _set(doc, 1, translation="那么什么是推理那么什么是推理那么什么")  # 18 Chinese characters
    (p,) = only(check(doc), "tr_line_length")
    assert "(limit 16)" in p.message


def test_translation_checks_only_when_the_document_has_translations():
    assert only(check(clean_doc()), "tr_missing") == []


def test_untranslated_by_language_detection_same_script():
    doc = Document(source_language="en", translation_language="de")
    english = "This sentence was never translated into German by anybody at all."
    doc.append(doc.new_cue(0, 5000, english, translation=english.replace("anybody", "anyone")))
    doc.append(
        doc.new_cue(
            6000,
            11000,
            "This one was translated properly.",
            translation="Dieser Satz wurde richtig übersetzt.",
        )
    )
    (p,) = only(check(doc), "tr_untranslated")
    assert p.cue_id == doc.cues[0].id and "en" in p.message
    assert only(check(doc, QcProfile(detect_untranslated=False)), "tr_untranslated") == []


# -- incremental index -------------------------------------------------------------


def key(problems: list[Problem]) -> list[tuple]:
    return sorted((p.cue_id or 0, p.check, p.severity, p.message) for p in problems)


def random_edit(doc: Document, rng: random.Random) -> edits.Edit:
    cues = doc.cues
    cue = rng.choice(cues)
    kind = rng.randrange(14)
    if kind == 0:
        return edits.set_field(cue.id, "text", rng.choice(["", "x" * rng.randrange(30, 60), *SENTENCES]))
    if kind == 1:
        return edits.set_field(
            cue.id, "translation", rng.choice(["", "一二三", *TRANSLATIONS, "2 3 4 五六七八九十"])
        )
    if kind == 2:
        start = cue.start_ms + rng.randrange(-3000, 3000)
        return edits.SetTimes({cue.id: (start, start + rng.randrange(0, 9000))})
    if kind == 3:
        return edits.set_field(cue.id, "speaker_id", rng.choice([None, "s1", "s2", "s9"]))
    if kind == 4:
        return edits.set_field(cue.id, "timing", rng.choice(list(Timing)))
    if kind == 5 and len(cues) > 3:
        return edits.RemoveCues([cue.id])
    if kind == 6:
        start = rng.randrange(0, 60_000)
        new = Cue(doc.new_id(), start, start + rng.randrange(500, 4000), rng.choice(SENTENCES))
        return edits.InsertCues([(doc.insertion_row(start), new)])
    if kind == 7:
        return edits.SetSpeakers(
            rng.choice(
                [
                    [Speaker("s1", "Ann")],
                    [Speaker("s1", "A"), Speaker("s2", "B")],
                    [],
                    [Speaker("s1", "A"), Speaker("s9", "Nine")],  # names the cues dangling on s9
                ]
            )
        )
    if kind == 8:
        return edits.SetCueValues("translation", {c.id: "" for c in cues})
    if kind == 9:
        return edits.SetCueValues("speaker_id", {c.id: None for c in cues if rng.random() < 0.7})
    if kind == 11 and len(cues) > 6:
        row = rng.randrange(len(cues) - 3)
        return edits.RemoveCues([c.id for c in cues[row : row + rng.randrange(1, 4)]])
    if kind == 13 and len(cues) > 4:
        # A move: removed and inserted elsewhere in one batch (the ChangeSet says "inserted" only).
        row = rng.randrange(len(cues) - 1)
        return edits.Batch([edits.RemoveCues([cue.id]), edits.InsertCues([(row, cue.copy())])])
    if kind == 12:
        # A split: the cue goes, two cues take its place (one undo step).
        first = Cue(doc.new_id(), cue.start_ms, cue.start_ms + 1000, "first half")
        end = max(cue.end_ms, cue.start_ms + 1000) + 500
        second = Cue(first.id + 1, cue.start_ms + 1000, end, "second half", speaker_id="s1")
        row = doc.row_of(cue.id)
        return edits.Batch([edits.RemoveCues([cue.id]), edits.InsertCues([(row, first), (row + 1, second)])])
    return edits.Batch(
        [
            edits.set_field(cue.id, "text", rng.choice(SENTENCES)),
            edits.SetTimes({cue.id: (cue.start_ms, cue.start_ms)}),
        ]
    )


@pytest.mark.parametrize("seed", range(6))
def test_incremental_index_equals_full_check(seed):
    rng = random.Random(seed)
    doc = clean_doc(20, translated=seed % 2 == 0)
    for c in doc.cues[::3]:
        c.translation = c.translation + "很长很长很长的补充文字" * (seed % 3)
    index = QcIndex(doc)
    assert key(index.all()) == key(check(doc))
    undo: list[edits.Edit] = []
    for step in range(150):
        if undo and rng.random() < 0.2:
            _, changes = edits.apply(doc, undo.pop())
        else:
            inverse, changes = edits.apply(doc, random_edit(doc, rng))
            undo.append(inverse)
        index.update(changes)
        full = check(doc)
        assert key(index.all()) == key(full), f"step {step}"
        assert index.count == len(full)
        assert index.counts() == counts(full)
        for cue in doc.cues[:5]:
            assert key(index.problems_for(cue.id)) == key([p for p in full if p.cue_id == cue.id])


def test_index_language_change_rebuilds():
    doc = clean_doc(translated=True)
    index = QcIndex(doc)
    _, changes = edits.apply(doc, edits.SetDocumentField("translation_language", "en"))
    index.update(changes)
    assert key(index.all()) == key(check(doc))


def test_next_problem_after_wraps_around():
    doc = clean_doc(6)
    _set(doc, 1, text="")
    _set(doc, 4, timing=Timing.ESTIMATED)
    index = QcIndex(doc)
    ids = [c.id for c in doc.cues]
    assert index.next_problem_after(None) == ids[1]
    assert index.next_problem_after(ids[1]) == ids[4]
    assert index.next_problem_after(ids[4]) == ids[1]
    assert index.next_problem_after(ids[1], include_info=False) == ids[1]  # cue 4 only has an info
    assert QcIndex(clean_doc()).next_problem_after(None) is None


def test_first_translation_flags_every_other_cue_without_rechecking_them():
    doc = clean_doc(40)
    doc.cues[7].text = "<i></i>"  # tags alone are no text: nothing to translate
    index = QcIndex(doc)
    assert "tr_missing" not in index.counts()
    first = doc.cues[3]
    _, changes = edits.apply(doc, edits.set_field(first.id, "translation", "你好"))
    index.update(changes)
    assert index.wide_change  # views must repaint every row
    assert index.counts()["tr_missing"] == 38  # 40 cues, one translated, one without text
    assert [p.check for p in index.problems_for(doc.cues[5].id)] == ["tr_missing"]
    assert not any(p.check == "tr_missing" for p in index.problems_for(first.id))
    assert not any(p.check == "tr_missing" for p in index.problems_for(doc.cues[7].id))
    assert index.next_problem_after(first.id) == doc.cues[4].id
    assert sum(p.check == "tr_missing" for p in index.all()) == 38
    _, changes = edits.apply(doc, edits.set_field(doc.cues[5].id, "text", "Another sentence here."))
    index.update(changes)
    assert not index.wide_change
    _, changes = edits.apply(doc, edits.set_field(first.id, "translation", ""))
    index.update(changes)
    assert index.wide_change and "tr_missing" not in index.counts()
    assert QcIndex(doc, QcProfile(disabled=frozenset({"tr_missing"}))).counts().get("tr_missing") is None


def test_the_pair_fast_path_never_hides_a_problem_the_reference_finds() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from editor.core.qc import QcProfile, pair_is_clear, pair_problems

    times = st.integers(min_value=0, max_value=5000)

    @settings(max_examples=400, deadline=None)
    @given(times, times, times, times, st.integers(min_value=0, max_value=200))
    def check(a_start: int, a_len: int, b_start: int, b_len: int, gap: int) -> None:
        a = Cue(1, a_start, a_start + a_len + 1, "a")
        b = Cue(2, b_start, b_start + b_len + 1, "b")
        if pair_is_clear(a, b, gap):
            assert pair_problems(a, b, QcProfile(), gap) == ()
        else:
            assert pair_problems(a, b, QcProfile(), gap) != ()

    check()


def test_the_index_by_speaker_agrees_with_a_pass_over_the_cues():
    import numpy as np

    from editor.core.id_tables import SpeakerOf, cues_naming_plain

    rng = random.Random(3)
    names = [None, "s1", "s2", "s9", "S1"]
    for sparse, given, nobody in product((False, True), repeat=3):
        cues = list(clean_doc(30).cues)
        for i, c in enumerate(cues):
            c.speaker_id = None if nobody else rng.choice(names)
            if sparse:
                c.id = 10**7 * (i + 1)  # too sparse for the array: the dict answers
        # (`given`: the ids as a NumPy array too, as the index's bulk build passes them.)
        index = SpeakerOf(cues, id_array=np.array([c.id for c in cues], np.int64) if given else None)
        assert index.n_none == sum(c.speaker_id is None for c in cues)
        for _step in range(200):
            cue = rng.choice(cues)
            if rng.random() < 0.1 and len(cues) > 5:
                cues.remove(cue)
                index.drop(cue.id)
            else:
                cue.speaker_id = rng.choice([*names, "new"])
                index.set(cue.id, cue.speaker_id)
            for sid in [*names[1:], "new", "nobody"]:
                assert sorted(index.naming(sid)) == sorted(cues_naming_plain(cues, sid)), sid
        assert +index.counts == Counter(c.speaker_id for c in cues if c.speaker_id is not None)
        assert index.n_none == sum(c.speaker_id is None for c in cues)
        assert all(index.names_none(c.id) == (c.speaker_id is None) for c in cues)


def test_the_first_speaker_flags_every_other_cue_without_rechecking_them(monkeypatch):
    doc = clean_doc(30)
    for c in doc.cues:
        c.speaker_id = None
    doc.speakers.clear()
    index = QcIndex(doc)
    assert "speaker_missing" not in index.counts()
    checked: list[int] = []
    real = qc_module._cue_problems
    monkeypatch.setattr(qc_module, "_cue_problems", lambda cue, ctx: checked.append(cue.id) or real(cue, ctx))
    first = doc.cues[4]
    inverse, changes = edits.apply(
        doc,
        edits.Batch(
            [edits.SetSpeakers([Speaker("s1", "Ann")]), edits.set_field(first.id, "speaker_id", "s1")]
        ),
    )
    index.update(changes)
    assert checked == [first.id] and index.wide_change
    assert index.counts()["speaker_missing"] == 29
    assert key(index.all()) == key(check(doc))
    assert [p.check for p in index.problems_for(doc.cues[0].id)] == ["speaker_missing"]
    assert index.next_problem_after(None) == doc.cues[0].id
    _, changes = edits.apply(doc, inverse)
    index.update(changes)
    assert "speaker_missing" not in index.counts() and key(index.all()) == key(check(doc))
    doc.cues[4].speaker_id = "s9"  # a speaker the table lacks: every other cue has none
    disabled = QcIndex(doc, QcProfile(disabled=frozenset({"speaker_missing"})))
    assert "speaker_missing" not in disabled.counts() and disabled.count == len(disabled.all())
    assert not disabled.problems_for(doc.cues[0].id)
