"""Segmentation: transcript segments → readable, well-timed cues."""

from __future__ import annotations

import itertools
import random
import re

import pytest
from conftest import seed_path
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core import linebreak
from editor.core.model import Word
from editor.core.segmentation import (
    Segment,
    SegmentOptions,
    resegment_texts,
    script_is_cjk,
    segment,
)

LONG_EN = (
    "So one way of thinking of reasoning is that there are times where we ask questions and we need "
    "answers immediately, because they are simple questions that everybody knows the answer to. "
    "For example if you ask what the capital of Italy is you know the answer and you do not really "
    "have to think about it much. But if you wonder about a complex puzzle or you want to write a "
    "really good business plan or a novel, you probably want to think about it for a while."
)

ZH = (
    "咱们将使用新称号推出一系列新模子。这是为了强调这样一个事实：与以前的模子比较，您在使用时可能会感到不同。"
    "正如其他人稍后将说明的那样，这是一个推理模子，因此它会在回复您的问题之前进行更多思考。"
    "咱们正在发布两个模子，前者是预览版，后者是一个更小、更快的模子，使用相似的框架进行训练。"
)


def lines_of(cues):
    return [line for c in cues for line in c.text.split("\n")]


def words_of(cues):
    return " ".join(c.text.replace("\n", " ") for c in cues).split()


def assert_line_limits(cues, width, max_lines=2, cjk=None):
    for c in cues:
        lines = c.text.split("\n")
        assert 1 <= len(lines) <= max_lines, c.text
        is_cjk = linebreak.is_cjk_text(c.text) if cjk is None else cjk
        for line in lines:
            # Half-width characters in CJK text count half (linebreak.display_width).
            assert 0 < linebreak.display_width(line, is_cjk) <= width, (len(line), line)
            assert line == line.strip(), repr(line)


# -- cutting -----------------------------------------------------------------


def test_breaks_at_sentence_ends():
    text = (
        "The first sentence is long enough to stand alone in a cue. "
        "The second sentence is also long enough to stand alone here. "
        "And a third one closes the paragraph with a question mark?"
    )
    cues = segment([Segment(text, 0, 12_000)]).cues
    assert [c.text.replace("\n", " ") for c in cues] == [
        "The first sentence is long enough to stand alone in a cue.",
        "The second sentence is also long enough to stand alone here.",
        "And a third one closes the paragraph with a question mark?",
    ]


def test_short_sentences_share_a_cue():
    cues = segment([Segment("Yes. I know what you mean, and I agree with it.", 0, 4000)]).cues
    assert len(cues) == 1
    assert cues[0].text.replace("\n", " ") == "Yes. I know what you mean, and I agree with it."


def test_long_sentence_breaks_at_clause_mark():
    text = (
        "When we started working on this project a long time ago in a small office, "
        "nobody believed that a model could ever learn to reason about hard problems"
    )
    cues = segment([Segment(text, 0, 10_000)]).cues
    assert len(cues) == 2
    assert cues[0].text.replace("\n", " ").endswith("small office,")


def test_no_break_inside_numbers_urls_or_abbreviations():
    text = (
        "We measured 3.5 percent more and about 1,000 examples, e.g. the ones we showed Mr. Smith "
        "at https://example.com/reasoning?lang=en earlier today. "
    ) * 6
    cues = segment([Segment(text, 0, 60_000)]).cues
    assert words_of(cues) == text.split()
    for c in cues:
        flat = c.text.replace("\n", " ")
        assert not flat.endswith(("e.g.", "Mr.")), flat
        assert not flat.startswith("Smith"), flat
    for line in lines_of(cues):
        assert not line.endswith(("e.g.", "Mr."))


def test_never_cuts_after_an_article():
    text = "I think that we should definitely look at the problem again with the whole team tomorrow morning"
    cues = segment([Segment(text, 0, 6000)]).cues
    for line in lines_of(cues):
        assert line.split()[-1] not in {"the", "a", "an"}, line


# -- line limits ---------------------------------------------------------------


def test_latin_lines_obey_limits_and_are_balanced():
    cues = segment([Segment(LONG_EN, 0, 30_000)]).cues
    assert_line_limits(cues, 42)
    for c in cues:
        lines = c.text.split("\n")
        if len(lines) == 2:
            assert abs(len(lines[0]) - len(lines[1])) <= 22, c.text


def test_one_line_when_it_fits():
    cues = segment([Segment("A short line that fits.", 0, 2000)]).cues
    assert [c.text for c in cues] == ["A short line that fits."]


def test_two_balanced_lines():
    text = "This sentence is a little too long for one line of a subtitle cue"
    (cue,) = segment([Segment(text, 0, 4000)]).cues
    top, bottom = cue.text.split("\n")
    assert abs(len(top) - len(bottom)) <= 12
    assert f"{top} {bottom}" == text


def test_cjk_lines_obey_16_characters_counting_full_width_as_one():
    assert script_is_cjk(ZH)
    cues = segment([Segment(ZH, 0, 40_000)]).cues
    assert_line_limits(cues, 16)
    joined = "".join(c.text.replace("\n", "") for c in cues)
    assert joined == ZH
    # No line starts with closing punctuation.
    for line in lines_of(cues):
        assert line[0] not in "。，、；：！？）」", line


def test_cjk_keeps_latin_words_whole():
    text = (
        "咱们刚刚发布了新模子系列 O1-preview 和 GPT-4o 的比较版本，"
        "咱们对此感到相等欢乐，并邀请了整个团队来先容它们。"
    )
    cues = segment([Segment(text)]).cues
    assert_line_limits(cues, 16)
    assert any("O1-preview" in line for line in lines_of(cues))
    assert any("GPT-4o" in line for line in lines_of(cues))


def test_max_chars_option_applies():
    cues = segment([Segment(LONG_EN, 0, 30_000)], SegmentOptions(max_chars=30)).cues
    assert_line_limits(cues, 30)
    cues = segment([Segment(LONG_EN, 0, 30_000)], SegmentOptions(max_lines=1)).cues
    assert_line_limits(cues, 42, max_lines=1)


def test_overlong_word_is_hard_wrapped_with_a_note():
    url = "https://example.com/" + "very-long-path-segment/" * 3 + "end"
    result = segment([Segment(f"See {url} for details.", 0, 5000)])
    assert_line_limits(result.cues, 42)
    assert "".join(lines_of(result.cues)).replace(" ", "") == f"See{url}fordetails."
    assert any("wrapped inside the word" in n for n in result.notes)


def test_italic_tags_are_closed_and_reopened_across_cues():
    text = "<i>" + LONG_EN + "</i>"
    cues = segment([Segment(text, 0, 30_000)]).cues
    assert len(cues) > 2
    for c in cues:
        assert c.text.count("<i>") == c.text.count("</i>") == 1
    for line in lines_of(cues):
        assert len(re.sub(r"</?i>", "", line)) <= 42


# -- timing --------------------------------------------------------------------


def test_timed_segment_durations_gaps_and_chaining():
    opts = SegmentOptions()
    cues = segment([Segment(LONG_EN, 10_000, 40_000)], opts).cues
    assert cues[0].start_ms == 10_000 and cues[-1].end_ms == 40_000
    for a, b in itertools.pairwise(cues):
        assert b.start_ms - a.end_ms == opts.min_gap_ms  # chained
    for c in cues:
        assert opts.min_duration_ms <= c.end_ms - c.start_ms <= opts.max_duration_ms
        assert c.estimated


def test_time_is_shared_by_spoken_weight():
    text = (
        "Yes indeed, this is fine. "
        + "This one is a much longer sentence that takes more time to say out loud."
    )
    cues = segment([Segment(text, 0, 8000)]).cues
    assert len(cues) == 2
    d0, d1 = (c.end_ms - c.start_ms for c in cues)
    assert d1 > d0


def test_untimed_text_uses_speaking_rate_from_zero():
    cues = segment([Segment(LONG_EN)]).cues
    assert cues[0].start_ms == 0
    starts = [c.start_ms for c in cues]
    assert starts == sorted(starts)
    for a, b in itertools.pairwise(cues):
        assert b.start_ms - a.end_ms >= 83
    total = cues[-1].end_ms / 1000
    chars = len(LONG_EN)
    assert 12 <= chars / total <= 16  # about 15 characters a second, pauses included


def test_untimed_chinese_is_slower():
    cues = segment([Segment(ZH)]).cues
    rate = len(ZH) / (cues[-1].end_ms / 1000)
    assert 3.5 <= rate <= 5


def test_untimed_segment_follows_previous_and_fits_before_next_timed():
    segs = [
        Segment("The opening line is timed by the file.", 0, 3000),
        Segment("This line has no time at all, so it is estimated after the first."),
        Segment("The closing line is timed again.", 6000, 9000),
    ]
    cues = segment(segs).cues
    assert [c.segment_index for c in cues] == [0, 1, 2]
    assert cues[1].start_ms >= 3000
    assert cues[1].end_ms <= 6000 - 83
    assert [c.start_ms for c in cues] == sorted(c.start_ms for c in cues)


def test_long_timed_span_keeps_max_duration():
    cues = segment([Segment("Just a few words here.", 0, 30_000)]).cues
    assert cues[0].end_ms - cues[0].start_ms <= 7000


def test_word_timings_set_cue_boundaries():
    sentence_a = "the first part of what I said took a long while to get through"
    sentence_b = "and then after a long pause I went on with the second part of it"
    words = []
    t = 1000
    for w in sentence_a.split():
        words.append(Word(t, t + 250, w))
        t += 300
    t += 2000  # a pause: the natural place to cut
    for w in sentence_b.split():
        words.append(Word(t, t + 250, " " + w))
        t += 300
    text = f"{sentence_a} {sentence_b}"
    result = segment([Segment(text, 1000, t, words=tuple(words))])
    cues = result.cues
    assert not result.notes
    assert cues[0].start_ms == 1000
    assert cues[0].text.replace("\n", " ") == sentence_a
    assert cues[1].start_ms == words[len(sentence_a.split())].start_ms
    assert cues[-1].end_ms >= words[-1].end_ms
    assert not cues[0].estimated
    assert cues[0].words == tuple(words[: len(sentence_a.split())])


def test_mismatched_word_timings_fall_back_with_note():
    result = segment([Segment("hello there world", 0, 3000, words=(Word(0, 500, "bye"),))])
    assert result.cues[0].estimated
    assert any("word timings" in n for n in result.notes)


# -- stretch -------------------------------------------------------------------


def test_last_segment_stretched_to_media_duration_with_note():
    text = LONG_EN * 4  # needs far more than the segment's 30 s at a normal rate
    result = segment([Segment(text, 0, 30_000)], media_duration_ms=50_000)
    assert result.cues[-1].end_ms == 50_000
    assert any("stretched to 0:50" in n and "0:30" in n for n in result.notes)


def test_no_stretch_when_text_fits_its_segment():
    result = segment([Segment("A short closing remark.", 0, 30_000)], media_duration_ms=50_000)
    assert result.cues[-1].end_ms <= 30_000
    assert not result.notes


# -- hard boundaries and no loss ----------------------------------------------------


def test_segments_are_hard_boundaries_and_keep_speakers():
    segs = [
        Segment("Hello there", 0, 1500, "Ann"),
        Segment("hi. How are you doing today, my friend, after all this time?", 1500, 5000, "Bo"),
        Segment("Fine.", 5000, 6000, "Ann"),
    ]
    cues = segment(segs).cues
    assert [c.speaker for c in cues] == ["Ann", "Bo", "Ann"]
    assert cues[0].text == "Hello there"
    assert cues[2].text == "Fine."


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "the",
                "model",
                "3.5",
                "1,000",
                "e.g.",
                "Mr.",
                "thinks.",
                "and,",
                "why?",
                "https://x.org/a",
                "reasoning",
                "o1-preview",
                "we",
                "a",
                "really",
                "long",
                "сказал",
                "модель.",
                "—",
            ]
        ),
        min_size=1,
        max_size=200,
    ),
    st.booleans(),
)
def test_no_text_lost_and_limits_hold(words, timed):
    text = " ".join(words)
    seg = Segment(text, 0, 1000 * len(words)) if timed else Segment(text)
    cues = segment([seg]).cues
    assert words_of(cues) == words
    assert_line_limits(cues, 42)
    starts = [c.start_ms for c in cues]
    assert starts == sorted(starts)
    assert all(c.end_ms >= c.start_ms for c in cues)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="咱们将使用新称号推出一系列模子。，、？！ OK GPT-4", min_size=1, max_size=300))
def test_cjk_no_text_lost(text):
    cues = segment([Segment(text)]).cues
    got = "".join(c.text.replace("\n", "").replace(" ", "") for c in cues)
    assert got == "".join(text.split())
    cjk = script_is_cjk(text)
    for line in lines_of(cues):
        assert linebreak.display_width(line, cjk) <= (16 if cjk else 42)


# -- re-segmenting cues ------------------------------------------------------------


def test_resegment_merges_same_speaker_neighbours():
    items = [
        (0, 1000, "So I think", "Ann"),
        (1000, 2500, "that we should go\nnow.", "Ann"),
        (2600, 4000, "Really? Why now and not after lunch, when everyone is back?", "Bo"),
    ]
    result = resegment_texts(items)
    assert [c.text.replace("\n", " ") for c in result.cues] == [
        "So I think that we should go now.",
        "Really? Why now and not after lunch, when everyone is back?",
    ]
    assert result.cues[0].speaker == "Ann" and result.cues[1].speaker == "Bo"
    assert result.cues[0].start_ms == 0
    assert result.cues[1].end_ms == 4000
    separate = resegment_texts(items, merge=False)
    assert len(separate.cues) == 3


# -- the seeds ---------------------------------------------------------------------


def _seed_000_segment() -> tuple[Segment, str]:
    raw = seed_path("000").read_text(encoding="utf-8")
    match = re.search(r"^### Segment 1 \((\d+):(\d+) - (\d+):(\d+)\).*?\n(.*)", raw, re.M | re.S)
    assert match
    body = match.group(5).strip()
    end = (int(match.group(3)) * 60 + int(match.group(4))) * 1000
    return Segment(body, 0, end), body


def test_seed_000_obeys_limits_keeps_words_and_is_stretched():
    seg, body = _seed_000_segment()
    result = segment([seg], media_duration_ms=196_000)
    cues = result.cues
    assert_line_limits(cues, 42)
    assert words_of(cues) == body.split()
    assert all("\xa0" not in c.text for c in cues)
    assert cues[0].start_ms == 0 and cues[-1].end_ms == 196_000
    for c in cues:
        assert 833 <= c.end_ms - c.start_ms <= 7000
    assert any("3:16" in n for n in result.notes)


def test_seed_000_uses_caption_marks():
    seg, _ = _seed_000_segment()
    with_marks = segment([seg], media_duration_ms=196_000).cues
    plain = segment([Segment(" ".join(seg.text.split()), 0, 180_000)], media_duration_ms=196_000).cues
    assert [c.text.replace("\n", " ") for c in with_marks] != [c.text.replace("\n", " ") for c in plain]


def test_seed_001_chinese_turns():
    raw = seed_path("001").read_text(encoding="utf-8")
    segs = [
        Segment(m.group(2), speaker=m.group(1))
        for m in re.finditer(r"^(主合手东说念主|团队成员 ?[A-Z])[:：]\s*(.*)$", raw, re.M)
    ]
    assert len(segs) > 20
    cues = segment(segs).cues
    assert_line_limits(cues, 16, cjk=True)
    assert {c.speaker for c in cues} == {s.speaker for s in segs}
    assert "".join(c.text.replace("\n", "") for c in cues).replace(" ", "") == "".join(
        s.text for s in segs
    ).replace(" ", "")


@pytest.mark.parametrize("max_lines", [1, 3])
def test_other_line_counts(max_lines):
    cues = segment([Segment(LONG_EN, 0, 30_000)], SegmentOptions(max_lines=max_lines)).cues
    assert_line_limits(cues, 42, max_lines=max_lines)
    assert words_of(cues) == LONG_EN.split()


def test_latin_text_with_a_kana_word_keeps_its_spacing():
    # Mainly Latin text with kana glued to a word: cutting must not add a space ("OpenAI の").
    text = "We call the OpenAIのAPI every single day and it works well enough for all of us, really."
    cues = segment([Segment(text)]).cues
    assert len(cues) > 1
    assert " ".join(c.text.replace("\n", " ") for c in cues) == text


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"max_chars_cjk": 9},
        {"max_lines": 1},
        {"max_duration_ms": 2000},
        {"max_chars_cjk": 12, "max_duration_ms": 5000},
    ],
)
def test_inline_cjk_boundary_quality_cuts_as_quality_does(options, monkeypatch):
    # The cutter weighs boundaries between two Chinese characters inline (plain_cjk); with
    # that switched off every boundary goes through _Tokens.quality: the cues must be equal.
    from editor.core import segmentation as seg_module

    rng = random.Random(5)
    chars = "的了吗呢吧啊么们和与但而并或及就在是把被从对向给让为因所如虽即我们模型推理思考问题回答时间"
    text = "".join(rng.choice(chars) + ("，" if rng.random() < 0.04 else "。" if rng.random() < 0.02 else "")
                   for _ in range(6000))  # fmt: skip
    segments = lambda: [Segment(text, 0, 900_000), Segment(text[:2000])]  # noqa: E731
    calls = []
    real_quality = seg_module._Tokens.quality
    monkeypatch.setattr(
        seg_module._Tokens, "quality", lambda self, *a: calls.append(1) or real_quality(self, *a)
    )
    inline = segment(segments(), SegmentOptions(**options)).cues
    inline_calls = len(calls)
    monkeypatch.setattr(seg_module._Tokens, "plain_cjk", lambda self: False)
    assert segment(segments(), SegmentOptions(**options)).cues == inline
    assert len(inline) > 50 and inline_calls < (len(calls) - inline_calls) / 4  # the inline path ran


def test_inline_cjk_line_breaks_match_quality(monkeypatch):
    # Two-line layout of Chinese cues: the inline boundary weights break lines where
    # _Tokens.quality would.
    from editor.core import segmentation as seg_module

    rng = random.Random(9)
    chars = "的了吗呢吧啊么们和与但而并或及就在是把被从对向给让为因所如虽即我们模型推理思考问题回答时间"
    texts = ["".join(rng.choice(chars) for _ in range(rng.randint(13, 24))) for _ in range(300)]

    def layouts() -> list[str]:
        out = []
        for text in texts:
            tokens = seg_module._Tokens(Segment(text), 12, True)
            cutter = seg_module._Cutter(tokens, SegmentOptions(max_chars_cjk=12), 0.0)
            out.append(cutter.layout(0, len(tokens.tokens)))
        return out

    inline = layouts()
    monkeypatch.setattr(seg_module._Tokens, "plain_cjk", lambda self: False)
    assert layouts() == inline
    assert sum("\n" in t for t in inline) > 250


def test_cjk_lines_count_half_width_characters_as_half_a_cell():
    # The style profile's rule (script.text_width): in CJK a Latin letter is half a cell. A
    # one-line cue of 16 cells holds 11 Han characters, "GPT-4o" and one more: 18 characters.
    from editor.core import script
    from editor.core.segmentation import Segment, SegmentOptions, segment

    text = "我们今天发布了新的模型GPT-4o了"
    assert len(text) == 18 and script.text_width(text, 0.5) == 15
    opts = SegmentOptions(max_chars=16, max_chars_cjk=16, max_lines=1)
    assert [c.text for c in segment([Segment(text, 0, 6000)], opts).cues] == [text]
    # Two lines: the cutter fills both as QC measures them, never past 16 cells.
    longer = "我们今天发布了新的模型GPT-4o，它能够理解图片和声音，也能够写代码ABC。"
    opts = SegmentOptions(max_chars=16, max_chars_cjk=16, max_lines=2)
    cues = segment([Segment(longer, 0, 9000)], opts).cues
    lines = [line for cue in cues for line in cue.text.split("\n")]
    assert all(script.text_width(line, 0.5) <= 16 for line in lines)
    assert "".join(lines) == longer
