"""WebVTT cue text parsing: all 77 wpt cue-text cases, and the mapping onto canonical text."""

from __future__ import annotations

import json

import pytest
from conftest import CONFORMANCE
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.formats import vtt
from editor.core.formats.vtt_cuetext import (
    Element,
    Timestamp,
    decode_entities,
    parse_cue_text,
    parse_timestamp,
    text_content,
    to_canonical,
    to_dom,
)

CASES_FILE = CONFORMANCE / "webvtt-cuetext" / "cases.json"


def _cases() -> list:
    if not CASES_FILE.is_file():
        return [pytest.param(None, marks=pytest.mark.skip(reason="conformance corpus absent"))]
    return [pytest.param(c, id=c["name"]) for c in json.loads(CASES_FILE.read_text(encoding="utf-8"))]


def _merge(nodes: list[dict]) -> list[dict]:
    """Merge adjacent text nodes (the corpus keeps them apart, as the DOM test asserts them)."""
    out: list[dict] = []
    for node in nodes:
        node = dict(node)
        if node["type"] == "element":
            node["children"] = _merge(node["children"])
        if node["type"] == "text" and out and out[-1]["type"] == "text":
            out[-1] = {"type": "text", "data": out[-1]["data"] + node["data"]}
        else:
            out.append(node)
    return out


@pytest.mark.parametrize("case", _cases())
def test_cue_text_tree(case):
    assert to_dom(parse_cue_text(case["cue_text"])) == _merge(case["expected"])


@pytest.mark.parametrize("case", _cases())
def test_cue_text_plain_rendering(case):
    assert text_content(parse_cue_text(case["cue_text"])) == case["text_content"]


@pytest.mark.parametrize("case", _cases())
def test_file_parser_extracts_the_cue_text(case):
    """The file parser hands the cue-text parser exactly the derived `cue_text`."""
    parsed = vtt.parse_vtt(case["vtt_file"])
    assert len(parsed.cues) == 1
    assert parsed.cues[0].text == case["cue_text"].replace("\0", "\ufffd")


def test_corpus_has_all_77_cases():
    if not CASES_FILE.is_file():
        pytest.skip("conformance corpus absent")
    assert len(json.loads(CASES_FILE.read_text(encoding="utf-8"))) == 77


# -- entities ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw,decoded",
    [
        ("&amp;&lt;&gt;", "&<>"),
        ("a&lrm;b&rlm;c", "a\u200eb\u200fc"),
        ("&nbsp;", "\u00a0"),
        ("&#x1F600;&#128512;", "😀😀"),
        ("&#0;", "\ufffd"),
        ("&#x110000;", "\ufffd"),
        ("&#xD800;", "\ufffd"),
        ("&#128;", "€"),  # C1 references map through windows-1252, as HTML does
        ("&#99999999999999999999999;", "\ufffd"),  # no huge int conversion
        ("&notit;", "¬it;"),
        ("&unknown;", "&unknown;"),
        ("& amp;", "& amp;"),
    ],
)
def test_decode_entities(raw, decoded):
    assert decode_entities(raw) == decoded


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from([*"ab&;<>\n#x", "&amp;", "&lt;", "&gt;", "&amp", "&lrm;", "&#60;", "lt;"]),
        max_size=14,
    )
)
def test_decoding_escaped_text_agrees_with_the_general_decoding(parts):
    from editor.core.formats.vtt_cuetext import decode_escaped

    text = "".join(parts)
    assert decode_escaped(text) == decode_entities(text)


def test_decoding_escaped_text_takes_the_replacements_on_escaped_text(monkeypatch):
    from editor.core.formats import vtt_cuetext

    escaped = vtt._escape_text("Tom & Jerry < R&D > x &amp;lt; &lt;")
    expected = decode_entities(escaped)
    monkeypatch.setattr(vtt_cuetext, "decode_entities", lambda text: "not used")
    assert vtt_cuetext.decode_escaped(escaped) == expected == "Tom & Jerry < R&D > x &amp;lt; &lt;"


def test_annotation_entities_use_attribute_rules():
    # Inside an annotation, a legacy name followed by an alphanumeric stays literal.
    [voice] = parse_cue_text("<v A&ampB &amp; C&lt;D>x")
    assert isinstance(voice, Element)
    assert voice.annotation == "A&ampB & C<D"


def test_annotation_whitespace_is_collapsed():
    [voice] = parse_cue_text("<v \t Mary \f  Jane\t>x")
    assert voice.annotation == "Mary Jane"


# -- timestamps ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,ms",
    [
        ("00:00.500", 500),
        ("01:02:03.004", 3_723_004),
        ("100:00:00.000", 360_000_000),
        ("60:00.000", None),
        ("00:60.000", None),
        ("0:00.000", None),
        ("00:00.5000", None),
        ("00:00,500", None),
    ],
)
def test_parse_timestamp(text, ms):
    assert parse_timestamp(text) == ms


def test_timestamp_tags_are_nodes_in_the_tree():
    nodes = parse_cue_text("a<00:00:01.000>b<00:00:61.000>c")
    assert nodes == ["a", Timestamp(1000), "bc"]


# -- canonical mapping ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw,text,speaker",
    [
        ("plain", "plain", None),
        ("a &amp; b &lt;c&gt;", "a & b <c>", None),
        ("<v Bob>hi &amp; bye", "hi & bye", "Bob"),
        ("<v Bob>hi</v>", "hi", "Bob"),
        ("<v.loud Bob Smith>hi", "hi", "Bob Smith"),
        ("<v Bob>Bob: hi", "hi", "Bob"),  # what our writer emits with speakers="both"
        ("<v Bob>hi\n<v Ann>yo", "hi\nyo", "Bob"),  # a browser shows no voice name
        ("<v Bob>hi</v>\n<v Ann>yo</v>\n<v Bob>ok</v>", "hi\nyo\nok", "Bob"),
        ("- <v Bob>hi", "- hi", "Bob"),
        ("<v>nobody", "nobody", None),
        ("<i>a</i> <b.x>b</b> <u>c</u>", "<i>a</i> <b>b</b> <u>c</u>", None),
        ("<i>unclosed", "<i>unclosed</i>", None),
        ("<c.yellow>colour</c> <lang en>word</lang>", "colour word", None),
        ("<ruby>漢字<rt>かんじ</rt></ruby>です", "漢字(かんじ)です", None),
        ("kar<00:00:01.000>a<00:00:02.000>oke", "karaoke", None),
        ("<v Bob><i>sung</i>", "<i>sung</i>", "Bob"),
        ("<font color=red>x</font>", "x", None),
        ("a\0b", "a\ufffdb", None),
    ],
)
def test_to_canonical(raw, text, speaker):
    assert to_canonical(raw) == (text, speaker)


def test_fast_voice_path_agrees_with_the_full_walk():
    from editor.core.formats.vtt_cuetext import canonical_text_full, canonical_text_simple

    for raw in ["<v Bob>a &amp; b", "<v  Bob  Smith >x</v>", "<v Bob>Bob: x", "<v >x", "<v Bob>"]:
        assert canonical_text_simple(raw) == canonical_text_full(raw) == to_canonical(raw)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="<>/vibuc.&;amplt Bob:x\n\t", max_size=40))
def test_fast_canonical_text_agrees_with_the_full_walk_wherever_it_answers(raw):
    from editor.core.formats.vtt_cuetext import canonical_text_full, canonical_text_simple

    fast = canonical_text_simple(raw)
    if fast is not None:
        assert fast == canonical_text_full(raw)


def test_deep_nesting_does_not_recurse():
    raw = "<i>" * 200_000 + "x"
    text, speaker = to_canonical(raw)
    assert text == "<i>" * 200_000 + "x" + "</i>" * 200_000
    assert speaker is None
    assert text_content(parse_cue_text(raw)) == "x"
    assert to_dom(parse_cue_text("<b>" * 5000))[0]["name"] == "b"


_TAGGY = [*"ab &;<>/.\n", "<i>", "</i>", "<b>", "</b>", "<u>", "</u>", "<v Bob>", "<v Ann>", "</v>", "<v >"]
_TAGGY += ["<c.x>", "</c>", "<ruby>", "<rt>", "</rt>", "</ruby>", "&amp;", "&lt;", "Bob: ", "<00:00.500>"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_TAGGY), max_size=12).map("".join))
def test_fast_paths_agree_with_the_tree_walk(raw):
    from editor.core.formats.vtt_cuetext import _render

    assert to_canonical(raw) == _render(parse_cue_text(raw))
