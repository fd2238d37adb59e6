"""Attaching a translation: time overlap, length alignment, speakers carried over, the edit."""

from __future__ import annotations

import math
import random
import re

import pytest
from conftest import seed_path
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core import alignment, edits, speakers
from editor.core.alignment import align, attach_edit, split_proportional, split_sentences
from editor.core.model import Document, Review, Timing

# -- helpers ---------------------------------------------------------------------------


def _timed(items: list[tuple[int, int, str]], speaker: str | None = None) -> Document:
    doc = Document()
    sp = doc.ensure_speaker(speaker) if speaker else None
    for start, end, text in items:
        doc.append(doc.new_cue(start, end, text, speaker_id=sp.id if sp else None))
    return doc


WORDS = (
    "model reasoning think answer question time better outcome train data people moment research "
    "problem solve math really something different first chain thought compute learning"
).split()
HAN = "的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生会自着去过家学对"


def _parallel(n: int, seed: int, runs: list[int] = (), run_len: int = 12, speakers_every: int = 0):
    """Return (source, translation, sentence texts, inserted positions).

    Source cue i is translated by sentence i (same length in Latin units ±25%); after
    the cues listed in `runs`, `run_len` extra sentences with no source are inserted.
    """
    rnd = random.Random(seed)
    src = Document()
    tr = Document()
    sentences: list[str] = []
    t = 0
    for i in range(n):
        text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 14))) + "."
        src.append(src.new_cue(t, t + 2000, text, timing=Timing.ESTIMATED))
        t += 2100
        k = max(2, round(len(text) / 3.5 * rnd.uniform(0.8, 1.2)))
        zh = "".join(rnd.choice(HAN) for _ in range(k)) + "。"
        sentences.append(zh)
        name = f"P{(i // speakers_every) % 2}" if speakers_every else None
        sp = tr.ensure_speaker(name) if name else None
        tr.append(tr.new_cue(0, 0, zh, speaker_id=sp.id if sp else None, timing=Timing.ESTIMATED))
        if i in runs:
            for _ in range(run_len):
                extra = "".join(rnd.choice(HAN) for _ in range(rnd.randint(5, 25))) + "。"
                tr.append(tr.new_cue(0, 0, extra, speaker_id=sp.id if sp else None, timing=Timing.ESTIMATED))
    return src, tr, sentences


# -- text helpers ----------------------------------------------------------------------


def test_split_sentences_chinese_and_latin():
    assert split_sentences("你好。今天好吗？很好！") == ["你好。", "今天好吗？", "很好！"]
    assert split_sentences('He said "go." Then left. Version 3.5 is out') == [
        'He said "go."',
        "Then left.",
        "Version 3.5 is out",
    ]
    assert split_sentences("“我必须完成它。”于是") == ["“我必须完成它。”", "于是"]


def test_split_proportional_prefers_punctuation():
    assert split_proportional("第一句话。第二句话。", [1, 1]) == ["第一句话。", "第二句话。"]
    parts = split_proportional("one two three, four five six", [1, 1])
    assert parts == ["one two three,", "four five six"]
    # Never inside a word or a number.
    for part in split_proportional("GPT-4 and 12345 tokens", [1, 1, 1]):
        assert "1234" not in part or "12345" in part


def test_join_texts_spacing():
    join = alignment.join_texts
    assert join(["咱们将使用新称号", "O1 推出"]) == "咱们将使用新称号 O1 推出"
    assert join(["前半。", "后半。"]) == "前半。后半。"
    assert join(["与以前的模子比较,", "您在使用"]) == "与以前的模子比较,您在使用"
    assert join(["one,", "two"]) == "one, two"
    assert join(["", "  a ", "b"]) == "a b"


def test_text_weight_counts_cjk_heavier():
    assert alignment.text_weight("abc") == 3
    assert alignment.text_weight("你好") == pytest.approx(7.0)


# -- time overlap ----------------------------------------------------------------------


def test_time_split_across_source_cues():
    src = _timed([(0, 2000, "First line."), (2000, 4000, "Second line.")])
    tr = _timed([(0, 4000, "第一行字。第二行字。")])
    plan = align(src, tr)
    assert plan.method == "time"
    assert [plan.pairs[c.id] for c in src.cues] == ["第一行字。", "第二行字。"]
    assert plan.leftover_sentences == 0


def test_time_split_follows_overlap_proportion():
    src = _timed([(0, 1000, "a"), (1000, 4000, "b")])
    tr = _timed([(0, 4000, "甲。乙丙丁，戊己庚辛壬癸子丑。")])
    plan = align(src, tr)
    first, second = (plan.pairs[c.id] for c in src.cues)
    assert first == "甲。"
    assert second.startswith("乙")


def test_time_join_several_over_one_cue():
    src = _timed([(0, 5000, "A long source cue.")])
    tr = _timed([(0, 2000, "前半。"), (2500, 5000, "后半。")])
    plan = align(src, tr)
    assert plan.pairs[src.cues[0].id] == "前半。后半。"


def test_time_join_latin_with_space_and_ignores_grazing_overlap():
    src = _timed([(0, 3000, "uno"), (3000, 6000, "dos")])
    tr = _timed([(0, 1400, "one"), (1500, 3050, "more"), (3000, 6000, "two")])
    plan = align(src, tr)
    assert [plan.pairs[c.id] for c in src.cues] == ["one more", "two"]


def test_time_leftovers_are_reported_with_position():
    src = _timed([(0, 1000, "a"), (1000, 2000, "b")])
    tr = _timed([(0, 1000, "甲。"), (5000, 6000, "多余。"), (6000, 7000, "也多余。")])
    plan = align(src, tr)
    assert plan.cues_with_text == 1
    assert plan.leftover_sentences == 2
    (run,) = plan.leftovers
    assert run.rows == (1, 2)
    assert run.after_cue == src.cues[-1].id
    assert "left over" in plan.summary()


def test_time_leftovers_carry_their_speakers():
    src = _timed([(0, 1000, "a"), (1000, 2000, "b")])
    tr = Document()
    host, guest = tr.ensure_speaker("Host"), tr.ensure_speaker("Guest")
    for start, text, sp in ((0, "甲。", host), (5000, "多余。", host), (6000, "也多余。", guest)):
        tr.append(tr.new_cue(start, start + 1000, text, speaker_id=sp.id))
    plan = align(src, tr)
    (run,) = plan.leftovers
    assert run.text == "多余。也多余。"
    assert run.turns == ((0, "Host"), (3, "Guest")) and run.speaker == "Host"
    assert run.speakers == ["Host", "Guest"]
    assert plan.report()["leftovers"][0]["turns"] == [[0, "Host"], [3, "Guest"]]


def test_time_carries_speakers():
    src = _timed([(0, 1000, "a"), (1000, 2000, "b")])
    tr = _timed([(0, 2000, "甲乙。丙丁。")], speaker="Host")
    plan = align(src, tr, carry_speakers=True)
    assert set(plan.speakers.values()) == {"Host"}
    assert len(plan.speakers) == 2


def test_method_choice():
    timed = _timed([(0, 1000, "a"), (1000, 2000, "b")])
    untimed = Document()
    untimed.append(untimed.new_cue(0, 0, "甲。", timing=Timing.ESTIMATED))
    assert alignment.choose_method(timed, timed.clone()) == "time"
    assert alignment.choose_method(timed, untimed) == "length"
    estimated = timed.clone()
    for c in estimated.cues:
        c.timing = Timing.ESTIMATED
    assert alignment.choose_method(estimated, timed) == "length"
    with pytest.raises(ValueError):
        align(timed, timed, method="magic")


# -- length alignment ------------------------------------------------------------------


def _accuracy(src: Document, plan, sentences: list[str]) -> float:
    ok = sum(1 for c, s in zip(src.cues, sentences, strict=True) if plan.pairs.get(c.id) == s)
    return ok / len(sentences)


def test_length_alignment_parallel_text():
    src, tr, sentences = _parallel(300, seed=3)
    plan = align(src, tr)
    assert plan.method == "length"
    assert _accuracy(src, plan, sentences) >= 0.95
    assert plan.leftover_sentences <= 5


def test_length_alignment_with_inserted_unmatched_runs():
    runs = [40, 120, 200]
    src, tr, sentences = _parallel(260, seed=5, runs=runs, run_len=15)
    plan = align(src, tr)
    assert _accuracy(src, plan, sentences) >= 0.9
    # The 45 inserted sentences are left over, in three runs after the right cues.
    assert 40 <= plan.leftover_sentences <= 52
    big = [r for r in plan.leftovers if r.sentences >= 8]
    assert len(big) == 3
    for r, after in zip(big, runs, strict=True):
        assert abs(src.row_of(r.after_cue) - after) <= 2


def test_length_alignment_long_tail_of_translation():
    # The translation covers much more than the source: the first 60 cues, then 400
    # sentences of nothing, then the last cue's sentence (seed 000/001 in small).
    src, tr, sentences = _parallel(61, seed=8, runs=[59], run_len=400)
    plan = align(src, tr)
    last = src.cues[-1]
    assert plan.pairs[last.id] == sentences[-1]
    assert _accuracy(src, plan, sentences) >= 0.9
    assert plan.leftovers[-1].sentences >= 390


def test_length_alignment_anchors_pin_the_path():
    # Equal-length sentences carry no length signal; shared numbers and names do.
    src = Document()
    tr = Document()
    for i in range(40):
        src.append(
            src.new_cue(i * 1000, i * 1000 + 900, f"we talked about item {i} today", timing=Timing.ESTIMATED)
        )
    for i in range(-10, 40):
        tr.append(tr.new_cue(0, 0, f"我们今天谈到了第 {i} 项内容。", timing=Timing.ESTIMATED))
    plan = align(src, tr)
    for i, c in enumerate(src.cues):
        assert f" {i} " in plan.pairs[c.id]


def test_length_alignment_carries_speakers_through_turns():
    src, tr, _ = _parallel(120, seed=11, speakers_every=10)
    plan = align(src, tr, carry_speakers=True)
    right = sum(1 for i, c in enumerate(src.cues) if plan.speakers.get(c.id) == f"P{(i // 10) % 2}")
    assert right >= 114


def test_length_alignment_empty_inputs():
    src, tr, _ = _parallel(5, seed=1)
    assert align(src, Document(), method="length").cues_with_text == 0
    plan = align(Document(), tr, method="length")
    assert plan.pairs == {} and plan.leftover_sentences == 5


def test_length_alignment_splits_one_sentence_over_several_cues():
    src = Document()
    for i, text in enumerate(["So we decided to train the model", "with much more compute than before."]):
        src.append(src.new_cue(i * 2000, i * 2000 + 1900, text, timing=Timing.ESTIMATED))
    tr = Document()
    tr.append(tr.new_cue(0, 0, "所以我们决定，用比以前多得多的计算来训练模型。", timing=Timing.ESTIMATED))
    plan = align(src, tr)
    first, second = (plan.pairs[c.id] for c in src.cues)
    assert first == "所以我们决定，"
    assert second == "用比以前多得多的计算来训练模型。"


def test_banded_alignment_follows_a_long_jump():
    # 300 cues: the first 250 sentences, then 1,500 extra sentences, then the last 50.
    src, tr, sentences = _parallel(300, seed=4, runs=[249], run_len=1500)
    plan = align(src, tr, params=alignment.LengthParams(full_cells=10_000))
    assert _accuracy(src, plan, sentences) >= 0.95
    assert max(r.sentences for r in plan.leftovers) >= 1490


def test_banded_alignment_matches_full_alignment():
    src, tr, sentences = _parallel(400, seed=21, runs=[100, 300], run_len=20)
    full = align(src, tr)
    banded = align(src, tr, params=alignment.LengthParams(full_cells=1000))
    assert _accuracy(src, banded, sentences) >= _accuracy(src, full, sentences) - 0.02
    assert _accuracy(src, banded, sentences) >= 0.9


# -- the edit --------------------------------------------------------------------------


def test_attach_edit_is_one_undo_step():
    src, tr, _ = _parallel(30, seed=2, speakers_every=5)
    src.cues[0].translation = "old"
    src.cues[0].review = Review.REVIEWED
    before = src.snapshot()
    plan = align(src, tr, carry_speakers=True)
    inverse, changes = edits.apply(src, attach_edit(src, plan))
    assert all(c.translation for c in src.cues)
    assert all(c.review == Review.NEEDS_REVIEW for c in src.cues)
    assert {src.speaker_name(c.speaker_id) for c in src.cues} == {"P0", "P1"}
    assert src.translation_language in ("zh-cn", "zh-tw", "ko", "ja") or src.translation_language
    assert changes.speakers and "translation" in changes.fields
    edits.apply(src, inverse)
    assert src.snapshot() == before


def test_attach_edit_reuses_existing_speaker_and_clears_stale_translation():
    src = _timed([(0, 1000, "a"), (1000, 2000, "b"), (5000, 6000, "c")])
    host = src.ensure_speaker("Host")
    src.cues[2].translation = "stale"
    src.cues[2].review = Review.NEEDS_REVIEW
    tr = _timed([(0, 2000, "甲乙。丙丁。")], speaker="host:")
    plan = align(src, tr, carry_speakers=True)
    edits.apply(src, attach_edit(src, plan))
    assert len(src.speakers) == 1
    assert src.cues[0].speaker_id == host.id
    assert src.cues[2].translation == "" and src.cues[2].review == Review.UNTRANSLATED


# -- the seeds -------------------------------------------------------------------------


def _source_from_seed_000(max_len: int = 84) -> Document:
    """Cues built here from seed 000's paragraph: sentences, long ones cut at spaces."""
    text = seed_path("000").read_text(encoding="utf-8")
    para = text.split("### Segment", 1)[1].split("\n", 1)[1]
    para = re.sub(r"\s+", " ", para.replace("\u00a0", " ")).strip()
    doc = Document()
    t = 0
    for sent in split_sentences(para):
        words = sent.split()
        per = math.ceil(len(words) / max(1, math.ceil(len(sent) / max_len)))
        for k in range(0, len(words), per):
            piece = " ".join(words[k : k + per])
            dur = max(1000, len(piece) * 1000 // 15)
            doc.append(doc.new_cue(t, t + dur, piece, timing=Timing.ESTIMATED))
            t += dur + 100
    return doc


def _translation_from_seed_001() -> tuple[Document, list[tuple[str, str]]]:
    """The interview turns of seed 001 as one cue each (labels read by split_prefix)."""
    text = seed_path("001").read_text(encoding="utf-8")
    doc = Document()
    turns: list[tuple[str, str]] = []
    for line in text.split("访谈全文", 1)[1].splitlines():
        name, rest = speakers.split_prefix(line.strip())
        if name is None:
            continue
        name = re.sub(r"\s+", "", name)
        sp = doc.ensure_speaker(name)
        doc.append(doc.new_cue(0, 0, rest, speaker_id=sp.id, timing=Timing.ESTIMATED))
        turns.append((name, rest))
    return doc, turns


@pytest.mark.parametrize("max_len", [60, 84, 110])
def test_seed_alignment_core(max_len):
    src = _source_from_seed_000(max_len)
    tr, turns = _translation_from_seed_001()
    host, closing = turns[-1]
    first_member, opening = turns[1]
    plan = align(src, tr, carry_speakers=True)
    assert plan.method == "length"
    assert plan.cues_with_text == len(src.cues)
    # The first English sentences are team member A's opening turn …
    first_sentence = split_sentences(opening)[0]
    assert plan.pairs[src.cues[0].id].startswith(first_sentence)
    assert [plan.speakers[c.id] for c in src.cues[:4]] == [first_member] * 4
    # … and the last English cue is the host's closing line.
    assert plan.pairs[src.cues[-1].id] == closing
    assert plan.speakers[src.cues[-1].id] == host
    # The translation is the whole interview: most of it is left over, in few runs.
    assert plan.leftover_sentences > plan.translation_sentences // 2
    assert len(plan.leftovers) <= 6
    # Speakers follow the interview's turn order (no jumping back and forth).
    order = {}
    for row, (name, _) in enumerate(turns):
        order.setdefault(name, []).append(row)
    carried = [plan.speakers.get(c.id) for c in src.cues]
    assert carried.count(None) <= 1


def test_seed_alignment_through_document_loading():
    from editor.core import documents

    try:
        source = documents.load(seed_path("000"))
        translation = documents.load(seed_path("001"))
    except (ImportError, ModuleNotFoundError, KeyError) as exc:  # reader not there yet
        pytest.skip(f"transcript reader not available: {exc}")
    if len(source) < 10:
        pytest.skip("seed 000 loads as a coarse cue (segmentation not wired yet)")
    tr_turns = [c for c in translation.cues if c.speaker_id]
    if not tr_turns:
        pytest.skip("seed 001 loads without speakers (transcript reader not finished)")
    plan = align(source, translation, carry_speakers=True)
    host = translation.speaker_name(tr_turns[-1].speaker_id)
    last = source.cues[-1]
    assert "谢谢" in plan.pairs[last.id]
    assert plan.speakers[last.id] == host
    # The first turn is the host's introduction (not in the video), the next one is A's.
    names = [translation.speaker_name(c.speaker_id) for c in tr_turns]
    first_member = next(n for n in names if n != names[0])
    assert speakers.label_key(plan.speakers[source.cues[0].id]) == speakers.label_key(first_member)


# -- bad input never crashes -----------------------------------------------------------

_texts = st.text(alphabet=st.sampled_from(list("ab .,。，？!你好O1 \n<i>")), max_size=30)
_cue = st.tuples(st.integers(0, 20_000), st.integers(0, 5_000), _texts, st.sampled_from([None, "A", "B"]))


def _doc_from(items, timing: Timing) -> Document:
    doc = Document()
    for start, dur, text, name in items:
        sp = doc.ensure_speaker(name) if name else None
        doc.append(doc.new_cue(start, start + dur, text, speaker_id=sp.id if sp else None, timing=timing))
    return doc


@settings(max_examples=60, deadline=None)
@given(st.lists(_cue, max_size=12), st.lists(_cue, max_size=12), st.booleans())
def test_any_documents_align_without_crashing(src_items, tr_items, timed):
    timing = Timing.EXACT if timed else Timing.ESTIMATED
    src = _doc_from(src_items, timing)
    tr = _doc_from(tr_items, timing)
    before = src.snapshot()
    for method in ("time", "length"):
        plan = align(src, tr, carry_speakers=True, method=method)
        assert set(plan.pairs) <= {c.id for c in src.cues}
        assert set(plan.speakers) <= {c.id for c in src.cues}
        assert 0 <= plan.leftover_sentences <= plan.translation_sentences
        assert src.snapshot() == before  # a plan never changes the document
        inverse, _ = edits.apply(src, attach_edit(src, plan))
        edits.apply(src, inverse)
        assert src.snapshot() == before


def test_too_large_alignment_is_refused_with_a_limit_error():
    from editor.core.errors import LimitError

    src, tr, _ = _parallel(50, seed=1)
    with pytest.raises(LimitError, match="limit"):
        align(src, tr, params=alignment.LengthParams(max_cells=100))


def test_source_cues_the_translation_leaves_out_stay_empty_and_are_flagged():
    # A sponsor read: the translation has nothing for cues 100–111.
    src, tr, sentences = _parallel(200, seed=13)
    cut = set(range(100, 112))
    kept = Document()
    for k, cue in enumerate(tr.cues):
        if k not in cut:
            kept.append(kept.new_cue(0, 0, cue.text, timing=Timing.ESTIMATED))
    plan = align(src, kept)
    empty = {i for i, c in enumerate(src.cues) if not plan.pairs.get(c.id)}
    assert len(empty & cut) >= 10 and len(empty - cut) <= 2
    assert {src.cues[i].id for i in empty} <= set(plan.untranslated)
    assert "no translation found for" in plan.summary()
    right = sum(1 for i, c in enumerate(src.cues) if i not in cut and plan.pairs.get(c.id) == sentences[i])
    assert right >= 0.9 * (200 - len(cut))


def test_extra_turns_at_the_edges_are_skipped_and_reported():
    src, tr, sentences = _parallel(80, seed=17)
    framed = Document()
    for text in ("大家好欢迎收看今天的节目我们请到了几位嘉宾。", "先请他们做个自我介绍。"):
        framed.append(framed.new_cue(0, 0, text, timing=Timing.ESTIMATED))
    for cue in tr.cues:
        framed.append(framed.new_cue(0, 0, cue.text, timing=Timing.ESTIMATED))
    framed.append(framed.new_cue(0, 0, "好的今天就到这里感谢收看我们下期再见。", timing=Timing.ESTIMATED))
    plan = align(src, framed)
    assert plan.pairs[src.cues[0].id] == sentences[0]
    assert plan.pairs[src.cues[-1].id] == sentences[-1]
    assert plan.leftovers[0].after_cue is None and plan.leftovers[0].text.startswith("大家好")
    assert plan.leftovers[-1].after_cue == src.cues[-1].id and "下期再见" in plan.leftovers[-1].text


def test_run_on_captions_do_not_fight_the_speaker_turns():
    # Caption English with no punctuation at all: a turn change in the translation has no
    # full stop to agree with, and must not be pulled to one.
    src, tr, _ = _parallel(120, seed=11, speakers_every=10)
    for cue in src.cues:
        cue.text = cue.text.rstrip(".")
    assert set(alignment.source_classes([c.text for c in src.cues]).tolist()) == {3}
    plan = align(src, tr, carry_speakers=True)
    right = sum(1 for i, c in enumerate(src.cues) if plan.speakers.get(c.id) == f"P{(i // 10) % 2}")
    assert right >= 114


def test_time_leftovers_carry_their_whole_text():
    src = _timed([(0, 1000, "a"), (1000, 2000, "b")])
    tr = _timed(
        [
            (0, 1000, "甲。"),
            (5000, 6000, "多余的一句很长很长很长很长很长很长很长很长很长很长很长很长。"),
            (6000, 7000, "也多余。"),
        ]
    )
    plan = align(src, tr)
    (run,) = plan.leftovers
    assert run.text == "多余的一句很长很长很长很长很长很长很长很长很长很长很长很长。也多余。"
    assert plan.leftover_chars == len(run.text) and plan.translation_chars == len(run.text) + 2
    assert plan.report()["leftovers"][0]["text"] == run.text
