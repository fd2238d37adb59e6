"""segment()'s shortcut for segments that make exactly one cue gives what cutting gives.

Each test runs segment() twice, once as shipped and once with the shortcut switched
off (ONE_LINE_SHORTCUT False sends every segment through tokens, cutting and layout),
and compares every cue and note.
"""

from __future__ import annotations

import pytest
from conftest import seed_path
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core import segmentation
from editor.core.formats import transcript
from editor.core.segmentation import Segment, SegmentOptions, segment

WORDS = [
    "yes", "no", "ok", "so", "and", "the", "a", "I", "Mr.", "etc.", "U.S.", "e.g.", "GPT-4", "3.5",
    "1,000", "well,", "right.", "Why?", "go!", "—", "-", "(aside)", "“quoted”", "Ça", "va", "Привет",
    "tschüß", "x" * 20, "é" * 9, "é\u0301", "<i>", "a\xa0b", "中文", "谢谢", "한국어",
]  # fmt: skip


def _both(segments: list[Segment], opts: SegmentOptions, media: int | None):
    def fresh() -> list[Segment]:
        return [
            Segment(s.text, s.start_ms, s.end_ms, s.speaker, s.words, s.caption_breaks, s.line_breaks)
            for s in segments
        ]

    fast = segment(fresh(), opts, media_duration_ms=media)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(segmentation, "ONE_LINE_SHORTCUT", False)
        slow = segment(fresh(), opts, media_duration_ms=media)
    return fast, slow


texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join) | st.text(max_size=60)
times = st.one_of(st.none(), st.integers(min_value=0, max_value=60_000))
segments_st = st.lists(
    st.builds(
        Segment,
        text=texts,
        start_ms=times,
        end_ms=times,
        speaker=st.sampled_from([None, "A", "B"]),
    ),
    max_size=12,
)
options_st = st.builds(
    SegmentOptions,
    max_chars=st.sampled_from([None, 42, 41, 20, 7, 3, 2]),
    max_lines=st.sampled_from([1, 2, 3]),
    max_duration_ms=st.sampled_from([7000, 1500, 300, 0, -5]),
    min_duration_ms=st.sampled_from([833, 0, 2000]),
    min_gap_ms=st.sampled_from([83, 0, 400, -50]),
)


@settings(max_examples=600, deadline=None, derandomize=True)
@given(segs=segments_st, opts=options_st, media=st.one_of(st.none(), st.integers(0, 120_000)))
def test_shortcut_matches_cutting(segs, opts, media):
    fast, slow = _both(segs, opts, media)
    assert fast.cues == slow.cues
    assert fast.notes == slow.notes


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_shortcut_matches_cutting_on_seed_lines(prefix):
    # Every line of the seeds as its own plain segment, and as timed ones.
    lines = [ln for ln in seed_path(prefix).read_text(encoding="utf-8").splitlines() if ln.strip()]
    plain = [Segment(" ".join(ln.split())) for ln in lines]
    timed = [Segment(s.text, i * 900, i * 900 + 800) for i, s in enumerate(plain)]
    for segs in (plain, timed):
        fast, slow = _both(segs, SegmentOptions(), 200_000)
        assert fast.cues == slow.cues and fast.notes == slow.notes


@pytest.mark.parametrize("width", [41, 21, 7, 5])
def test_two_half_line_sentences_on_odd_widths(width):
    # Two sentences of exactly width // 2 characters: cutting keeps them apart when both
    # reach half a line, so on an odd width the shortcut must not take a full line.
    half = width // 2
    text = ("x" * (half - 1) + "!") + " " + ("Y" * (half - 1) + "!")
    fast, slow = _both([Segment(text)], SegmentOptions(max_chars=width), None)
    assert fast.cues == slow.cues
    assert len(text) == width and len(slow.cues) == 2


def test_shortcut_is_taken_for_short_plain_lines(monkeypatch):
    # The shortcut must really run on a plain transcript of short lines (what makes 1 MB fast):
    # no line of it is cut into tokens.
    built = []

    class Counting(segmentation._Tokens):
        def __init__(self, seg, *args):
            built.append(seg.text)
            super().__init__(seg, *args)

    monkeypatch.setattr(segmentation, "_Tokens", Counting)
    doc = transcript.read("Yes.\nNo, not today.\nWhy?\n谢谢。\n" * 50 + "x " * 40)
    assert len(doc.cues) == 201
    assert built == ["x " * 39 + "x"]  # only the line longer than a cue line is cut
    assert [c.text for c in doc.cues[:4]] == ["Yes.", "No, not today.", "Why?", "谢谢。"]
