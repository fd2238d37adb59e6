"""The transcript reader on the two real seed files (skipped when ../shared/seeds is absent)."""

from __future__ import annotations

import re

import pytest
from conftest import seed_path

from editor.core import segmentation
from editor.core.errors import ParseError
from editor.core.formats import ReadOptions
from editor.core.formats import transcript as T
from editor.core.model import Timing

NB = "\u00a0"
HOST = "主合手东说念主"


def _text(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


def _transcript_words(text: str) -> list[str]:
    """Return the words of seed 000's segment paragraph, read independently of the reader."""
    body = text.split("### Segment 1", 1)[1].split("\n", 1)[1]
    return body.split()  # str.split() also splits at U+00A0


def _cue_words(doc) -> list[str]:
    return " ".join(c.text for c in doc.cues).split()


def test_seed000_is_a_segment_page_with_metadata():
    text = _text("000")
    assert T.guess(text) == 70
    doc = T.read(text, ReadOptions(segment=False))
    assert doc.metadata.title == "Building OpenAI o1"
    assert "youtube.com/watch" in doc.metadata.url
    assert doc.metadata.duration_ms == 196_000
    assert "ekstraktznaniy.ru" in " ".join(doc.metadata.extra.values())  # the source link is kept too
    assert "Bob McGrew" in doc.notes  # the description section is visible, not lost
    assert len(doc.cues) == 1 and doc.cues[0].timing is Timing.EXACT
    assert (doc.cues[0].start_ms, doc.cues[0].end_ms) == (0, 180_000)
    assert not doc.speakers


def test_seed000_caption_marks_become_offsets():
    parsed = T.parse(_text("000"))
    (seg,) = parsed.segments
    assert NB not in seg.text and "  " not in seg.text
    assert len(seg.caption_breaks) > 20 and len(seg.line_breaks) > 20
    # Every offset is the start of a word right after a space.
    assert all(seg.text[i - 1] == " " and seg.text[i] != " " for i in seg.caption_breaks + seg.line_breaks)
    assert seg.text[seg.caption_breaks[0] :].startswith("fact that you might")


@pytest.mark.parametrize("segment", [False, True])
def test_seed000_no_word_lost_and_no_nbsp(segment):
    text = _text("000")
    doc = T.read(text, ReadOptions(segment=segment))
    assert all(NB not in c.text for c in doc.cues)
    assert _cue_words(doc) == _transcript_words(text)


def test_seed000_segmented_spans_the_video():
    if not hasattr(segmentation, "segment"):
        pytest.skip("segmentation.segment() not available yet")
    doc = T.read(_text("000"))
    assert len(doc.cues) > 30
    assert doc.cues[0].start_ms == 0
    assert doc.cues[-1].end_ms == 196_000
    assert all(c.timing is Timing.ESTIMATED for c in doc.cues)


def _expected_speakers(text: str) -> set[str]:
    letters = set(re.findall(r"^团队成员\s*([A-Z])\s*[:：]", text, re.MULTILINE))
    return {HOST} | {f"团队成员{x}" for x in letters}


@pytest.mark.parametrize("segment", [False, True])
def test_seed001_exact_speakers(segment):
    text = _text("001")
    assert T.guess(text) == 50
    doc = T.read(text, ReadOptions(segment=segment))
    names = {s.name for s in doc.speakers.values()}
    # The seed has team members A to R except L (no line of it is labelled 团队成员L).
    assert names == _expected_speakers(text)
    assert names == {HOST} | {f"团队成员{x}" for x in "ABCDEFGHIJKMNOPQR"}
    assert len(doc.speakers) == 18
    assert all(c.speaker_id in doc.speakers for c in doc.cues)
    for wrong in ("Reference", "内容导读", "O1 系列包含两个模子", "团队成员 M", "团队成员 O"):
        assert doc.speaker_by_name(wrong) is None


def test_seed001_header_footer_and_merges_are_visible():
    text = _text("001")
    doc = T.read(text, ReadOptions(segment=False))
    assert "内容导读" in doc.notes and "O1 系列包含两个模子" in doc.notes and "访谈全文" in doc.notes
    assert "Reference: https://www.youtube.com/watch" in doc.notes
    assert "团队成员 M" in doc.notes and "团队成员 O" in doc.notes  # merged spellings reported
    turns = [ln for ln in text.split("\n") if re.match(rf"^({HOST}|团队成员\s*[A-Z])\s*[:：]", ln)]
    assert len(doc.cues) == len(turns)
    assert doc.cues[0].text.startswith("好的。我是 Bob McGrew")
    assert all(not c.text.startswith(("团队成员", HOST)) for c in doc.cues)


def test_seed001_segmented_keeps_every_character():
    if not hasattr(segmentation, "segment"):
        pytest.skip("segmentation.segment() not available yet")
    text = _text("001")
    raw = T.read(text, ReadOptions(segment=False))
    doc = T.read(text)

    def squash(s: str) -> str:
        return "".join(s.split())

    assert squash("".join(c.text for c in doc.cues)) == squash("".join(c.text for c in raw.cues))


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_seed_truncations_never_crash(prefix):
    text = _text(prefix)
    for cut in range(0, len(text), max(1, len(text) // 97)):
        try:
            T.read(text[:cut], ReadOptions(segment=False))
        except ParseError:
            pass
