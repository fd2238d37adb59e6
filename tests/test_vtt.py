"""WebVTT reader/writer: round trips (hypothesis), writer rules, speakers, bad input."""

from __future__ import annotations

import io
import re

import pytest
import webvtt
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from editor.core import documents, formats, textio
from editor.core.errors import ParseError, WriteError
from editor.core.formats import ReadOptions, WriteOptions
from editor.core.formats.vtt import FOOTER_KEY, FORMAT, HEADER_KEY, parse_vtt
from editor.core.model import Cue, Document, Metadata

# -- strategies ------------------------------------------------------------------------------------------
_PIECES = [
    "a", "Z", "7", " ", "  ", "\t", "&", "<", ">", "-->", "--", "->", "&amp;", "&lt;", "<v x>", "</",
    "中", "文字", "😀", "👍🏽", "עברית", "مرحبا", "\u200f", "e\u0301", "\u0301", "\u00a0", ":", ";",
    "#", ".", "NOTE", "00:00.000", "\n", "\n ", "\n\t",
]  # fmt: skip
_TAG_RE = re.compile(r"</?([ibu])>")
_ASCII_WS = " \t\n\f\r"

plain_piece = st.one_of(
    st.sampled_from(_PIECES),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=6),
)
plain = st.lists(plain_piece, max_size=6).map("".join)


@st.composite
def cue_texts(draw) -> str:
    """Canonical text: literal & < > -->, well-nested <i>/<b>/<u>, no empty line."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        chunk = draw(plain)
        tag = draw(st.sampled_from(["", "", "i", "b", "u"]))
        if tag:
            inner = draw(plain)
            if draw(st.booleans()):
                other = draw(st.sampled_from(["i", "b", "u"]))
                inner = f"<{other}>{inner}</{other}>"
            chunk += f"<{tag}>{inner}</{tag}>"
        parts.append(chunk)
    text = "".join(parts)
    assume(not text.startswith("\n") and not text.endswith("\n") and "\n\n" not in text)
    # Plain pieces must not have formed a tag of their own: the text stays well nested.
    stack: list[str] = []
    for m in _TAG_RE.finditer(text):
        if m.group(0).startswith("</"):
            assume(stack and stack[-1] == m.group(1))
            stack.pop()
        else:
            stack.append(m.group(1))
    assume(not stack)
    return text


names = st.text(st.sampled_from([*"AbcZ 李雷&<>:.-", "é", "😀", "ש"]), min_size=1, max_size=10).map(
    lambda s: " ".join(s.split())
)
one_line = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).filter(
    lambda s: "-->" not in s
)
settings_strings = st.one_of(
    st.sampled_from(
        ["", "align:start", "line:0 position:10%,line-left size:50%", "vertical:rl", "region:r1"]
    ),
    one_line.map(lambda s: s.strip(_ASCII_WS)),
)
notes = st.one_of(
    st.just(""),
    st.lists(one_line.filter(bool), min_size=1, max_size=3).map("\n".join),
)
headers = st.sampled_from(
    [
        "",
        " - Title",
        "\nKind: captions\nLanguage: en",
        "\n\nREGION\nid:r1 width:40%",
        "\n\nSTYLE\n::cue { color: red }",
    ]
)


@st.composite
def documents_(draw) -> Document:
    doc = Document(metadata=Metadata())
    header = draw(headers)
    if header:
        doc.metadata.extra[HEADER_KEY] = header
    ids: set[str] = set()
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, 400_000_000))
        end = draw(st.integers(0, 400_000_000))
        text = draw(cue_texts())
        speaker_id = None
        if draw(st.booleans()):
            name = draw(names)
            assume(name)
            # "<v Name>Name: x" reads back as speaker Name with text "x" (documented).
            assume(not text.startswith(name + ": "))
            speaker_id = doc.ensure_speaker(name).id
        vtt_id = draw(one_line.filter(lambda s: s not in ids))
        ids.add(vtt_id)
        note = draw(notes)
        doc.append(
            Cue(
                doc.new_id(),
                start,
                end,
                text,
                speaker_id=speaker_id,
                note=note,
                vtt_id=vtt_id,
                vtt_settings=draw(settings_strings),
            )
        )
    footer = draw(notes)
    if footer:
        doc.metadata.extra[FOOTER_KEY] = footer
    return doc


# -- round trips ----------------------------------------------------------------------------------------
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(documents_())
def test_round_trip_read_write_read(doc):
    written = FORMAT.write(doc)
    assert FORMAT.read(written).snapshot() == doc.snapshot()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(documents_(), st.sampled_from(["voice", "both"]))
def test_round_trip_keeps_speakers_in_voice_styles(doc, style):
    again = FORMAT.read(FORMAT.write(doc, WriteOptions(speakers=style)))
    if style == "voice":
        assert again.snapshot() == doc.snapshot()
        return

    # A visible prefix whose first line would be too long lays the text out again: only
    # white space may change.
    def squeezed(snapshot):
        cues = [(*c[:3], "".join(c[3].split()), *c[4:]) for c in snapshot["cues"]]
        return {**snapshot, "cues": cues}

    assert squeezed(again.snapshot()) == squeezed(doc.snapshot())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(documents_())
def test_webvtt_py_reads_what_we_write(doc):
    written = FORMAT.write(doc)
    assert len(webvtt.from_buffer(io.StringIO(written))) == len(doc.cues)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(documents_())
def test_written_text_follows_the_writer_rules(doc):
    written = FORMAT.write(doc)
    assert written.startswith("WEBVTT")
    assert not written.startswith("\ufeff")
    parsed = parse_vtt(written)
    assert len(parsed.cues) == len(doc.cues)
    for raw in parsed.cues:
        assert "-->" not in raw.text
        assert "" not in raw.text.split("\n") or raw.text == ""
    timing_lines = [line for line in written.split("\n") if "-->" in line]
    assert all(re.match(r"\d{2,}:\d{2}:\d{2}\.\d{3} --> \d{2,}:\d{2}:\d{2}\.\d{3}", t) for t in timing_lines)


def test_round_trip_through_files(tmp_path):
    doc = Document()
    bob = doc.ensure_speaker("Bob").id
    doc.append(Cue(doc.new_id(), 0, 1500, "Fish & chips <i>3 < 4</i> -->", speaker_id=bob, vtt_id="a"))
    doc.append(Cue(doc.new_id(), 1500, 3_600_000 * 101, "中文 😀 עברית", note="check this"))
    path = tmp_path / "out.vtt"
    documents.save(doc, path)
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"Fish &amp; chips <i>3 &lt; 4</i> --&gt;" in data
    assert b"101:00:00.000" in data
    loaded = documents.load(path)
    assert [c.text for c in loaded.cues] == [c.text for c in doc.cues]
    assert loaded.cues[1].note == "check this"
    assert loaded.speaker_name(loaded.cues[0].speaker_id) == "Bob"


# -- writer specifics ---------------------------------------------------------------------------------------
def _doc(*cues: Cue, speakers: tuple[str, ...] = ()) -> Document:
    doc = Document()
    for name in speakers:
        doc.ensure_speaker(name)
    for cue in cues:
        doc.append(cue)
    return doc


def test_writer_escapes_and_collapses_blank_lines():
    doc = _doc(Cue(1, 0, 1000, "\na & b\n\n<b>c</b> <x> -->\n"))
    body = FORMAT.write(doc).split("\n", 3)[3]
    assert body == "a &amp; b\n<b>c</b> &lt;x&gt; --&gt;\n"


@pytest.mark.parametrize(
    "style,line",
    [
        ("voice", "<v Ann &amp; Bo>hi"),
        ("prefix", "Ann &amp; Bo: hi"),
        ("both", "<v Ann &amp; Bo>Ann &amp; Bo: hi"),
        ("none", "hi"),
    ],
)
def test_speaker_styles(style, line):
    doc = _doc(Cue(1, 0, 1000, "hi", speaker_id="s1"), speakers=("Ann & Bo",))
    written = FORMAT.write(doc, WriteOptions(speakers=style))
    assert written.split("\n")[3] == line
    again = FORMAT.read(written)
    if style in ("voice", "both"):
        assert again.speaker_name(again.cues[0].speaker_id) == "Ann & Bo"
        assert again.cues[0].text == "hi"


@pytest.mark.parametrize("style", ["voice", "both", "prefix"])
def test_speaker_names_that_look_like_tags_stay_text(style):
    doc = _doc(
        Cue(1, 0, 1000, "", speaker_id="s1"), Cue(2, 0, 1000, "x", speaker_id="s2"), speakers=("<b>", "a-")
    )
    written = FORMAT.write(doc, WriteOptions(speakers=style))
    assert "-->" not in written.replace(" --> ", "")
    again = FORMAT.read(written)
    if style == "prefix":
        assert [c.text for c in again.cues] == ["<b>: ", "a-: x"]
    else:
        assert again.snapshot() == doc.snapshot()


def test_tracks():
    doc = _doc(Cue(1, 0, 1000, "Hello", translation="你好"), Cue(2, 1000, 2000, "", translation="只有译文"))
    assert FORMAT.write(doc, WriteOptions(track="translation")).split("\n")[3] == "你好"
    bilingual = FORMAT.read(FORMAT.write(doc, WriteOptions(track="bilingual")))
    assert [c.text for c in bilingual.cues] == ["Hello\n你好", "只有译文"]


def test_ids_are_unique_and_single_line():
    doc = _doc(
        Cue(1, 0, 1000, "a", vtt_id="x"),
        Cue(2, 0, 1000, "b", vtt_id="x"),
        Cue(3, 0, 1000, "c", vtt_id="x-2"),
        Cue(4, 0, 1000, "d", vtt_id="bad --> id\nline"),
        Cue(5, 0, 1000, "e"),
    )
    again = FORMAT.read(FORMAT.write(doc))
    assert [c.vtt_id for c in again.cues] == ["x", "x-2", "x-2-2", "bad -> id line", ""]
    assert [c.text for c in again.cues] == ["a", "b", "c", "d", "e"]


def test_settings_header_and_notes_are_kept():
    text = (
        "WEBVTT - my film\nKind: captions\n\nREGION\nid:top width:50%\n\nSTYLE\n::cue { color: lime }\n\n"
        "NOTE about cue 1\n\n1\n00:00:01.000 --> 00:00:02.000 region:top align:start\nOne\n\n"
        "NOTE\ntwo lines\nof note\n\n00:00:02.000 --> 00:00:03.000\nTwo\n\nNOTE the end\n"
    )
    doc = FORMAT.read(text)
    assert doc.metadata.extra[HEADER_KEY].startswith(" - my film\nKind: captions\n\nREGION")
    assert doc.cues[0].note == "about cue 1"
    assert doc.cues[1].note == "two lines\nof note"
    assert doc.metadata.extra[FOOTER_KEY] == "the end"
    assert doc.cues[0].vtt_settings == "region:top align:start"
    assert FORMAT.write(doc) == text


def test_negative_time_is_a_write_error():
    doc = _doc(Cue(1, -500, 1000, "early", vtt_id="c1"))
    with pytest.raises(WriteError) as info:
        FORMAT.write(doc)
    assert "negative" in info.value.reason and "c1" in info.value.reason


def test_end_before_start_is_kept():
    doc = FORMAT.read("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nback\n")
    assert (doc.cues[0].start_ms, doc.cues[0].end_ms) == (5000, 1000)
    assert "00:00:05.000 --> 00:00:01.000" in FORMAT.write(doc)


def test_malformed_timing_lines_are_skipped_and_listed_in_notes():
    doc = FORMAT.read(
        "WEBVTT\n\n00:00:00,000 --> 00:00:01,000\nsrt style\n\nid\n0:00.000 --> 00:01.000\nshort\n\n"
        "00:01.000 --> 00:02.000\nok\n"
    )
    assert [c.text for c in doc.cues] == ["ok"]
    assert "skipped 2 block(s)" in doc.notes
    assert "- line 3: 00:00:00,000 --> 00:00:01,000 / srt style" in doc.notes
    assert "- line 7: id / 0:00.000 --> 00:01.000 / short" in doc.notes
    assert FORMAT.read("WEBVTT\n\n00:01.000 --> 00:02.000\nok\n").notes == ""


def test_speaker_prefixes_only_on_request():
    text = "WEBVTT\n\n00:00.000 --> 00:01.000\nAnn: hi\n\n00:01.000 --> 00:02.000\n<v Bob>Ann: yo\n"
    plain = FORMAT.read(text)
    assert [(c.text, plain.speaker_name(c.speaker_id)) for c in plain.cues] == [
        ("Ann: hi", None),
        ("Ann: yo", "Bob"),
    ]
    asked = FORMAT.read(text, ReadOptions(speaker_prefixes=True))
    assert [(c.text, asked.speaker_name(c.speaker_id)) for c in asked.cues] == [
        ("hi", "Ann"),
        ("Ann: yo", "Bob"),  # a voice already names the speaker
    ]


# -- detection and bad input ----------------------------------------------------------------------------
def test_guess_and_registry():
    assert FORMAT.guess("WEBVTT\n") == 100
    assert FORMAT.guess("\ufeffWEBVTT - x") == 100
    assert FORMAT.guess("1\n00:00:01,000 --> 00:00:02,000\nx") == 0
    assert formats.get("vtt") is FORMAT
    assert (FORMAT.id, FORMAT.name, FORMAT.extensions, FORMAT.can_write) == (
        "vtt",
        "WebVTT",
        ("vtt", "webvtt"),
        True,
    )


@pytest.mark.parametrize(
    "text,reason",
    [
        ("", "empty"),
        ("WEBVTX\n", "must start with 'WEBVTT'"),
        ("webvtt\n", "capitals"),
        ("WEBVTT\0\n", "U+0000"),
        ("\ufeffWEBVTT\n", "byte-order mark"),
    ],
)
def test_bad_signature_is_a_parse_error_at_line_1(text, reason):
    with pytest.raises(ParseError) as info:
        FORMAT.read(text)
    assert info.value.line == 1
    assert reason in info.value.reason


def test_nul_bytes_in_a_valid_file_become_replacement_characters():
    doc = FORMAT.read("WEBVTT\n\nid\0\n00:00.000 --> 00:01.000\na\0b\n")
    assert doc.cues[0].text == "a\ufffdb"
    assert doc.cues[0].vtt_id == "id\ufffd"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_give_a_document_or_a_parse_error(data):
    try:
        text = textio.decode(data).text
        FORMAT.read(text)
        FORMAT.read("WEBVTT\n\n" + text)
    except ParseError:
        pass


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([*"WEBVT \t\n\0\r<>&;#x0123456789:.-vibuc/", "-->", "\n\n", "NOTE", "REGION"]),
        max_size=60,
    ).map("".join)
)
def test_webvtt_shaped_noise_never_raises_anything_else(noise):
    try:
        doc = FORMAT.read("WEBVTT\n" + noise)
    except ParseError:  # pragma: no cover - the signature is valid, so this should not happen
        raise AssertionError("valid signature rejected") from None
    FORMAT.read(FORMAT.write(doc))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(documents_(), st.data())
def test_truncated_files_read_or_fail_cleanly(doc, data):
    written = FORMAT.write(doc)
    cut = data.draw(st.integers(0, len(written)))
    try:
        FORMAT.read(written[:cut])
    except ParseError as exc:
        assert exc.line == 1


def test_utf16_without_bom_and_huge_line_are_parse_errors(tmp_path):
    path = tmp_path / "u16.vtt"
    path.write_bytes("WEBVTT\n\n00:00.000 --> 00:01.000\nhello there\n".encode("utf-16-le"))
    with pytest.raises(ParseError):
        documents.load(path)
    big = tmp_path / "big.vtt"
    big.write_bytes(b"WEBVTT\n\n00:00.000 --> 00:01.000\n" + b"x" * (3 * 1024 * 1024))
    with pytest.raises(ParseError) as info:
        documents.load(big)
    assert info.value.line == 4


def test_reading_restores_the_garbage_collector_state():
    import gc

    assert gc.isenabled()
    FORMAT.read("WEBVTT\n\n00:00.000 --> 00:01.000\nx\n")
    assert gc.isenabled()
    with pytest.raises(ParseError):
        FORMAT.read("not vtt")
    assert gc.isenabled()
    gc.disable()
    try:
        FORMAT.read("WEBVTT\n")
        assert not gc.isenabled()  # a caller's choice is left alone
    finally:
        gc.enable()


def test_settings_are_written_back_verbatim():
    doc = FORMAT.read("WEBVTT\n\n00:00.000 --> 00:01.000 align:start --> x\nt\n")
    assert doc.cues[0].vtt_settings == "align:start --> x"
    doc.cues[0].vtt_settings += "\nline:0"
    again = FORMAT.read(FORMAT.write(doc))
    assert again.cues[0].vtt_settings == "align:start --> x line:0"
    assert again.cues[0].text == "t"


def test_detection_picks_webvtt_without_an_extension(tmp_path):
    path = tmp_path / "subtitles.txt"
    path.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\n<v Ann>hello\n", encoding="utf-8")
    doc = documents.load(path)
    assert doc.sources["source"].format == "vtt"
    assert doc.speaker_name(doc.cues[0].speaker_id) == "Ann"
    assert formats.detect("WEBVTT\n").id == "vtt"


def test_a_visible_prefix_laid_out_again_keeps_a_tag_like_name_as_text():
    doc = Document()
    speaker = doc.ensure_speaker("<b>")
    doc.append(Cue(doc.new_id(), 0, 1000, "<i></i>" + " word" * 12, speaker_id=speaker.id))
    written = FORMAT.write(doc, WriteOptions(speakers="both"))
    assert "&lt;b&gt;: " in written
    again = FORMAT.read(written)
    assert again.speaker_name(again.cues[0].speaker_id) == "<b>"
    assert "".join(again.cues[0].text.split()) == "".join(doc.cues[0].text.split())
