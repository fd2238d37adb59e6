"""Transcript readers (segment pages, speaker turns, timestamped lines, plain text) and the writer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core import formats, segmentation, transcripts
from editor.core.errors import ParseError
from editor.core.formats import ReadOptions, WriteOptions
from editor.core.formats import transcript as T
from editor.core.model import Document, Metadata, Timing
from editor.core.segmentation import Segment, SegmentationResult, SegmentedCue

NB = "\u00a0"
RAW = ReadOptions(segment=False)

PAGE = f"""# Ein kleiner Vortrag

## Metadaten

- **Kanal:** Beispiel
- **Quelle:** https://example.org/page/1
- **Video:** https://youtu.be/abcdEFGH123
- **Datum:** 01.02.2024
- **Dauer:** 1:05

## Beschreibung

Speaker: Jane Doe
More: https://example.org

## Transkript

### Segment 1 (00:00 - 00:30) []

First line of a caption{NB} second line{NB}{NB} next caption here.   Unmarked  text.

### Segment 2 (00:30 - 01:00) [Jane]

Second segment text.
"""


def test_segment_page_metadata_sections_and_segments():
    parsed = T.parse(PAGE)
    meta = parsed.metadata
    assert meta.title == "Ein kleiner Vortrag"
    assert meta.url == "https://youtu.be/abcdEFGH123"  # the video wins over the earlier source link
    assert meta.duration_ms == 65_000
    assert meta.extra["Quelle"] == "https://example.org/page/1" and meta.extra["Kanal"] == "Beispiel"
    assert any("Jane Doe" in n and n.startswith("## Beschreibung") for n in parsed.notes)
    assert not any("Segment 1" in n or "Kanal" in n for n in parsed.notes)
    first, second = parsed.segments
    assert first.text == "First line of a caption second line next caption here. Unmarked text."
    assert (first.start_ms, first.end_ms) == (0, 30_000)
    assert [first.text[i:].split()[0] for i in first.line_breaks] == ["second"]
    assert [first.text[i:].split()[0] for i in first.caption_breaks] == ["next"]
    assert second.speaker == "Jane" and (second.start_ms, second.end_ms) == (30_000, 60_000)


def test_segment_page_cues_never_hold_nbsp():
    doc = T.read(PAGE, RAW)
    assert [c.text for c in doc.cues][1] == "Second segment text."
    assert all(NB not in c.text and "  " not in c.text for c in doc.cues)
    assert all(c.timing is Timing.EXACT for c in doc.cues)
    assert doc.metadata.duration_ms == 65_000 and "Jane Doe" in doc.notes
    assert doc.speaker_name(doc.cues[1].speaker_id) == "Jane"


def test_clean_caption_text_offsets():
    text, captions, lines = T.clean_caption_text(f"  a b{NB} c{NB}{NB} d\te  ")
    assert text == "a b c d e"
    assert lines == (4,) and captions == (6,)


@pytest.mark.parametrize(
    "heading",
    ["### Segment 1 (00:30 - 00:10) []", "### Segment 1 (00:00 - 01:75) []"],
)
def test_segment_page_bad_heading_is_parse_error_with_line(heading):
    text = f"# T\n\n{heading}\n\nHello.\n"
    with pytest.raises(ParseError) as info:
        T.read(text, RAW)
    assert info.value.line == 3


CHINESE_TURNS = """来源 | 某网站
内容导读:
系列模型主打推理: 这是一条摘要,带冒号。
两个模型: 另一条摘要。
访谈全文
主持人: 好的,欢迎大家。
成员A：谢谢邀请。
主持人: 第二个问题?
成员B: 回答二。
成员 M: 回答三。
成员A: 再说一句。
成员M:无空格的回答。
成员J: 只出现一次的成员。
Reference: https://example.org/video
"""


def test_speaker_turns_no_false_speakers_and_header_kept():
    doc = T.read(CHINESE_TURNS, RAW)
    names = {s.name for s in doc.speakers.values()}
    # On a tie the first spelling seen names the speaker.
    assert names == {"主持人", "成员A", "成员B", "成员 M", "成员J"}
    assert all(c.speaker_id is not None for c in doc.cues)
    assert [c.text for c in doc.cues][:2] == ["好的,欢迎大家。", "谢谢邀请。"]
    assert "内容导读:" in doc.notes and "两个模型: 另一条摘要。" in doc.notes
    assert "Reference: https://example.org/video" in doc.notes
    assert "“成员M”" in doc.notes  # the merge is reported, not silent
    assert not any("http" in c.text for c in doc.cues)


def test_speaker_merge_keeps_most_frequent_spelling():
    text = "Ann: one\nBob: two\nBOB : three\nBob: four\nAnn: five\n"
    doc = T.read(text, RAW)
    assert sorted(s.name for s in doc.speakers.values()) == ["Ann", "Bob"]
    assert "BOB" in doc.notes


def test_sentence_with_colon_in_dialogue_is_not_a_speaker():
    text = "Host: Welcome back.\nGuest: Thanks.\nThe point is: we were late.\nHost: Indeed.\n"
    doc = T.read(text, RAW)
    assert {s.name for s in doc.speakers.values()} == {"Host", "Guest"}
    third = doc.cues[2]
    assert third.text == "The point is: we were late." and doc.speaker_name(third.speaker_id) == "Guest"


def test_short_dialogue_without_recurring_labels():
    doc = T.read("Alice: Hi there.\nBob: Hello.\n", RAW)
    assert [doc.speaker_name(c.speaker_id) for c in doc.cues] == ["Alice", "Bob"]


def test_single_label_in_prose_is_plain_text():
    assert T.classify(["Summary: this is one line.", "And another line of prose."]) == T.PLAIN


def test_label_key_folds_space_width_case_and_colon():
    assert T.label_key("团队成员 M") == T.label_key("团队成员M") == T.label_key("团队成员Ｍ：")
    assert T.label_key("Bob") == T.label_key(" bob ")
    assert T.label_key("Bob") != T.label_key("Rob")


@pytest.mark.parametrize(
    ("text", "ms"),
    [("1:02", 62_000), ("00:01:02", 62_000), ("1:00:00", 3_600_000), ("0:05.5", 5_500), ("1:75", None)],
)
def test_parse_time(text, ms):
    assert T.parse_time(text) == ms


@pytest.mark.parametrize(
    "text",
    [
        "[00:00:01] Hello there.\n[00:00:04] Second line.\n",
        "00:00:01 Hello there.\n00:00:04 Second line.\n",
        "(0:01) Hello there.\n(0:04) Second line.\n",
        "0:01\nHello there.\n0:04\nSecond line.\n",
        "0:01\n1 second\nHello there.\n0:04\n4 seconds\nSecond line.\n",
    ],
    ids=["brackets", "bare", "parens", "video-page", "video-page-a11y"],
)
def test_timestamped_forms(text):
    doc = T.read(text, RAW)
    assert [c.text for c in doc.cues] == ["Hello there.", "Second line."]
    first, last = doc.cues
    assert (first.start_ms, first.end_ms) == (1000, 4000) and first.timing is Timing.EXACT
    # The last end comes from the text length (12 characters at 15/s = 800 ms).
    assert last.start_ms == 4000 and last.end_ms == 4800 and last.timing is Timing.ESTIMATED


def test_timestamp_ranges_give_exact_ends():
    text = "[00:01.000 --> 00:03.500]  Hello there.\n[00:04.000 --> 00:04.800]  Second line.\n"
    assert T.guess(text) == 60
    doc = T.read(text, RAW)
    assert [(c.start_ms, c.end_ms, c.text) for c in doc.cues] == [
        (1000, 3500, "Hello there."),
        (4000, 4800, "Second line."),
    ]
    assert all(c.timing is Timing.EXACT for c in doc.cues)


def test_otter_style_headers_and_header_notes():
    text = (
        "Meeting notes exported\n\nAnn Lee  0:00\nHello everyone, welcome.\nMore of the same turn.\n\n"
        "Bob  0:07\nThanks Ann.\n\nAnn Lee  0:12\nLet's start.\n"
    )
    doc = T.read(text, RAW)
    assert [doc.speaker_name(c.speaker_id) for c in doc.cues] == ["Ann Lee", "Bob", "Ann Lee"]
    assert doc.cues[0].text == "Hello everyone, welcome. More of the same turn."
    assert [(c.start_ms, c.end_ms) for c in doc.cues][:2] == [(0, 7000), (7000, 12_000)]
    assert doc.notes == "Meeting notes exported"


def test_timestamped_lines_with_speaker_labels():
    text = "[00:01] Ann: Hi.\n[00:03] Bob: Hello.\n[00:05] Ann: Bye.\n"
    doc = T.read(text, RAW)
    assert [(doc.speaker_name(c.speaker_id), c.text) for c in doc.cues] == [
        ("Ann", "Hi."),
        ("Bob", "Hello."),
        ("Ann", "Bye."),
    ]


def test_plain_text_one_cue_per_line_estimated():
    doc = T.read("First paragraph here.\n\n  Second   one.\n中文段落在这里。\n", RAW)
    assert [c.text for c in doc.cues] == ["First paragraph here.", "Second one.", "中文段落在这里。"]
    assert all(c.timing is Timing.ESTIMATED for c in doc.cues)
    assert doc.cues[0].start_ms == 0
    assert all(a.end_ms <= b.start_ms for a, b in zip(doc.cues, doc.cues[1:], strict=False))
    # 8 CJK characters at 4.5/s take longer than 21 Latin ones at 15/s.
    assert doc.cues[2].duration_ms > doc.cues[0].duration_ms


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n", 0),
        ("1\n00:00:01,000 --> 00:00:02,000\nHi\n", 0),
        ('{"segments": []}', 0),
        ("", 0),
        (PAGE, 70),
        ("[00:01] a\n[00:02] b\n", 60),
        ("Ann: a\nBob: b\nAnn: c\n", 50),
        ("Just some words.\nMore words.\n", 5),
    ],
)
def test_guess(text, score):
    assert T.guess(text) == score


def _doc_with_speakers() -> Document:
    doc = Document()
    ann, bob = doc.ensure_speaker("Ann"), doc.ensure_speaker("团队成员 B")
    for i, (sp, text, tr) in enumerate(
        [(ann, "Hello there.", "你好。"), (ann, "How are\nyou?", "你好吗?"), (bob, "Fine: thanks.", "很好。")]
    ):
        doc.append(doc.new_cue(i * 1000, i * 1000 + 900, text, translation=tr, speaker_id=sp.id))
    return doc


def test_write_merges_turns_and_reads_back():
    out = T.write(_doc_with_speakers())
    assert out == "Ann: Hello there. How are you?\n\n团队成员 B: Fine: thanks.\n"
    back = T.read(out, RAW)
    assert [(back.speaker_name(c.speaker_id), c.text) for c in back.cues] == [
        ("Ann", "Hello there. How are you?"),
        ("团队成员 B", "Fine: thanks."),
    ]


def test_write_tracks_and_no_names():
    doc = _doc_with_speakers()
    assert T.write(doc, WriteOptions(track="translation")) == "Ann: 你好。你好吗?\n\n团队成员 B: 很好。\n"
    bilingual = T.write(doc, WriteOptions(track="bilingual"))
    assert bilingual.startswith("Ann: Hello there. How are you?\n你好。你好吗?\n\n")
    assert T.write(doc, WriteOptions(speakers="none")).startswith("Hello there. How are you?\n\n")
    back = T.read(bilingual, RAW)
    assert {s.name for s in back.speakers.values()} == {"Ann", "团队成员 B"}


def test_write_plain_cues_read_back_one_by_one():
    doc = Document()
    for i, text in enumerate(["One.", "<i>Two</i> words."]):
        doc.append(doc.new_cue(i * 1000, i * 1000 + 500, text))
    back = T.read(T.write(doc), RAW)
    assert [c.text for c in back.cues] == ["One.", "Two words."]


def test_format_registered():
    fmt = formats.get("transcript")
    assert fmt is T.FORMAT and fmt.can_write and fmt.extensions == ("txt", "md")


def test_build_document_uses_segmentation_when_present(monkeypatch):
    calls = []

    def fake_segment(segs, options=None, *, media_duration_ms=None):
        calls.append((len(segs), options.max_chars, media_duration_ms))
        cues = [SegmentedCue(0, 1000, "a b", "Ann"), SegmentedCue(1000, 2000, "c", "Ann")]
        return SegmentationResult(cues, ["stretched"])

    monkeypatch.setattr(segmentation, "segment", fake_segment, raising=False)
    doc = transcripts.build_document(
        [Segment("a b c", 0, 2000, "Ann")],
        metadata=Metadata(duration_ms=5000),
        notes=["header"],
        options=ReadOptions(max_chars=30),
    )
    assert calls == [(1, 30, 5000)]
    assert [c.timing for c in doc.cues] == [Timing.ESTIMATED, Timing.ESTIMATED]
    assert doc.notes == "header\n\nstretched"
    assert len({c.speaker_id for c in doc.cues}) == 1


def test_build_document_one_cue_per_segment_without_segmentation():
    segs = [Segment("timed", 500, None), Segment("next", 2000, 3000), Segment("untimed")]
    doc = transcripts.build_document(segs, options=RAW)
    assert [(c.start_ms, c.end_ms) for c in doc.cues][:2] == [(500, 2000), (2000, 3000)]
    assert [c.timing for c in doc.cues] == [Timing.EXACT, Timing.EXACT, Timing.ESTIMATED]
    assert doc.cues[2].start_ms == 3000 and doc.source_language is None


def test_estimate_duration_rates():
    assert transcripts.estimate_duration_ms("x" * 150) == 10_000
    assert transcripts.estimate_duration_ms("中" * 45) == 10_000
    assert transcripts.estimate_duration_ms("a") == transcripts.MIN_ESTIMATE_MS


_PIECES = [
    "a",
    "Ann",
    " ",
    ": ",
    "：",
    "\n",
    "\n\n",
    NB,
    "[",
    "]",
    "(",
    ")",
    "0:01",
    "00:01:02",
    "# ",
    "### Segment 1 (",
    " - ",
    "- **Dauer:** ",
    "团队成员 M",
    "。",
    "https://x.org",
    "\t",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=60), st.booleans())
@settings(max_examples=300, deadline=None)
def test_any_text_reads_or_raises_parse_error(pieces, segment):
    text = "".join(pieces)
    assert T.guess(text) >= 0
    try:
        doc = T.read(text, ReadOptions(segment=segment))
    except ParseError:
        return
    assert all(NB not in c.text and c.start_ms <= c.end_ms for c in doc.cues)
