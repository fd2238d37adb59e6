"""The SRT conformance corpus (../shared/conformance/srt): every case, plus our policy for each CONFLICT.

Expectations are compared only on the keys a case asserts. Files are opened the way the
editor opens them (documents.load: textio decoding, then the SRT reader), so the
encodings (UTF-16/32 with BOM, gb2312, CR-only newlines) are part of each case.
"""

from __future__ import annotations

import html
import json
import re

import pysrt
import pytest
from conftest import CONFORMANCE

from editor.core import documents, textio
from editor.core.formats import srt
from editor.core.model import Document, plain_text

SRT_DIR = CONFORMANCE / "srt"


def _cases():
    if not SRT_DIR.is_dir():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason="../shared/conformance absent"))]
    return [
        pytest.param(p, json.loads(p.with_suffix(".expected.json").read_text("utf-8")), id=p.stem)
        for p in sorted(SRT_DIR.glob("*.srt"))  # non-recursive: expected-output/ is not input
    ]


CASES = _cases()


def _case(name: str):
    path = SRT_DIR / f"{name}.srt"
    if not path.is_file():
        pytest.skip(f"{name} not in the conformance corpus")
    return path, json.loads(path.with_suffix(".expected.json").read_text("utf-8"))


def _load(path) -> Document:
    # cdown-gb2312 has no BOM and is the one case whose source names an encoding.
    return documents.load(path, encoding="gb2312" if "gb2312" in path.name else None)


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


# --- how each source library renders text for display (for display_text only) -------
_SSA_OVERRIDE = re.compile(r"\{\\[^}]*\}")  # ExoPlayer removes "{\...}" blocks (not "{ \...}")
_HTML_TAG = re.compile(r"</?(?:b|i|u|font)(?:\s[^>]*)?>", re.I)  # go-astisub's styled tags


def _display(text: str, source: str) -> str:
    """Return what the source player shows for our (literal) cue text."""
    if source.startswith("exoplayer"):
        lines = [" ".join(_SSA_OVERRIDE.sub("", line).split()) for line in plain_text(text).split("\n")]
        return "\n".join(lines)
    return html.unescape(_HTML_TAG.sub("", text))


# --- the policy decided for each CONFLICT (docs/srt-policy.md) -----------------------
# case -> why our expectation differs from the source's
CONFLICT_POLICY = {
    "exoplayer-typical_missing_sequence": "a block without an index line is kept (pysrt, go-astisub)",
    "exoplayer-typical_negative_timestamps": "negative times are kept losslessly (gaupol)",
    "pysrt-invalid": "timestamps without milliseconds are accepted (ExoPlayer, go-astisub)",
    "astisub-example-in-non-utf8": "UTF-16 with a BOM is decoded (ExoPlayer, pysrt)",
    "exoplayer-typical_missing_timecode": "text without a timing line joins the cue before it (ffmpeg)",
}


@pytest.mark.parametrize("path,exp", CASES)
def test_case(path, exp):
    doc = _load(path)
    if path.stem in CONFLICT_POLICY:
        pytest.skip(f"CONFLICT, tested as our policy below: {CONFLICT_POLICY[path.stem]}")
    assert exp["valid"] is True
    if exp["cues"] is None:
        assert len(doc.cues) > 0  # smoke case: it loads and has cues
        return
    assert len(doc.cues) == len(exp["cues"])
    written = srt.write(doc).split("\n\n")
    for k, (cue, want) in enumerate(zip(doc.cues, exp["cues"], strict=True)):
        if "index" in want:
            # Indexes are renumbered on write; the source's index must be the one we write.
            assert written[k].split("\n", 1)[0] == str(want["index"])
        if "start" in want:
            assert cue.start_ms == _ms(want["start"])
        if "end" in want:
            assert cue.end_ms == _ms(want["end"])
        if "text" in want:
            assert cue.text == want["text"]
        if "display_text" in want:
            assert _display(cue.text, path.stem) == want["display_text"]
        if "ssa_alignment" in want:
            # Policy: SSA overrides are formatting, out of the words but kept for the round trip.
            assert want["ssa_alignment"]["tag"] not in cue.text
            assert want["ssa_alignment"]["tag"] in written[k]


ENCODINGS = {
    # the corpus' description -> (our encoding name, BOM)
    "ascii": ("utf-8", False),
    "utf-8-sig": ("utf-8", True),
    "utf-8-sig (UTF-8 with BOM)": ("utf-8", True),
    "utf-8-sig, CR-only line endings (file ends CR CR LF)": ("utf-8", True),
    "utf-8-sig, CRLF line endings": ("utf-8", True),
    "utf-16-le with BOM": ("utf-16-le", True),
    "utf-16-be with BOM": ("utf-16-be", True),
    "utf-32-le with BOM": ("utf-32-le", True),
    "utf-32-be with BOM": ("utf-32-be", True),
    "gb2312": ("gb2312", False),
}


@pytest.mark.parametrize("path,exp", CASES)
def test_decoding(path, exp):
    if exp["encoding"].startswith("n/a"):
        assert path.stat().st_size == 0
        assert _load(path).cues == []
        return
    encoding, bom = ENCODINGS[exp["encoding"]]
    info = _load(path).sources["source"]
    assert (info.encoding, info.bom) == (encoding, bom)
    assert info.format == "srt"
    if "CR-only" in exp["encoding"]:
        assert info.newline == "\r"
    elif "CRLF" in exp["encoding"]:
        assert info.newline == "\r\n"


def test_gb2312_is_detected_without_being_named():
    path, _ = _case("cdown-gb2312")
    ascii_doc = _load(SRT_DIR / "cdown-ascii.srt")
    doc = documents.load(path)  # no encoding given: charset-normalizer finds it
    assert doc.sources["source"].encoding == "gb18030"  # GB2312's superset, safe to write back
    assert doc.cues == _load(path).cues
    assert [(c.start_ms, c.end_ms) for c in doc.cues] == [(c.start_ms, c.end_ms) for c in ascii_doc.cues]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in c.text) for c in doc.cues)


def _fields(doc: Document) -> list[tuple[int, int, str]]:
    return [(c.start_ms, c.end_ms, c.text) for c in doc.cues]


def _positions(doc: Document) -> list[str]:
    return [c.srt_position for c in doc.cues]


@pytest.mark.parametrize("path,exp", CASES)
def test_round_trip(path, exp):
    """read(write(read(x))) == read(x), on every cue (not only the asserted fields)."""
    doc = _load(path)
    again = srt.read(srt.write(doc))
    assert _fields(again) == _fields(doc)
    assert _positions(again) == _positions(doc)
    # Writing is stable: a second round trip writes the same bytes.
    assert srt.write(again) == srt.write(doc)
    if exp.get("roundtrip"):
        assert srt.write(doc).strip() == path.read_text("utf-8").strip()


# --- the CONFLICT cases: our policy, tested explicitly --------------------------------


def test_policy_missing_index_lines_are_kept():
    path, exp = _case("exoplayer-typical_missing_sequence")
    doc = _load(path)
    # ExoPlayer drops the block without an index; we keep it, as pysrt and go-astisub do.
    assert _fields(doc) == [
        (0, 1234, "This is the first subtitle."),
        (2345, 3456, "This is the second subtitle.\nSecond subtitle with second line."),
        (7204567, 7208901, "This is the third subtitle."),
    ]
    kept = [(c.start_ms, c.end_ms, c.text) for c in doc.cues if c.start_ms != 2345]
    assert kept == [(_ms(w["start"]), _ms(w["end"]), w["text"]) for w in exp["cues"]]
    assert doc.notes == ""
    for name in ("astisub-missing-sequence-in", "pysrt-no-indexes"):
        other, other_exp = _case(name)
        assert len(_load(other).cues) == len(other_exp["cues"])


def test_policy_negative_timestamps_are_kept():
    path, _ = _case("exoplayer-typical_negative_timestamps")
    doc = _load(path)
    assert [(c.start_ms, c.end_ms) for c in doc.cues] == [(-4567, -3456), (-2345, 1234), (7204567, 7208901)]
    # Written back with the minus sign (in our two-digit hour form), and read back the same.
    out = srt.write(doc)
    assert "-00:00:04,567 --> -00:00:03,456" in out
    assert "-00:00:02,345 --> 00:00:01,234" in out
    assert _fields(srt.read(out)) == _fields(doc)
    gaupol, _ = _case("gaupol-subrip")
    assert [c.start_ms for c in _load(gaupol).cues][:3] == [-6843, -1471, 946]


def test_policy_timestamps_without_milliseconds_are_accepted():
    path, exp = _case("pysrt-invalid")
    assert exp["valid"] is False  # pysrt's strict mode rejects it; we do not
    doc = _load(path)
    assert _fields(doc) == [(1000, 10000, "This subtitle is invalid")]
    assert srt.write(doc) == "1\n00:00:01,000 --> 00:00:10,000\nThis subtitle is invalid\n"


def test_policy_short_fractions_are_decimal():
    path, _ = _case("astisub-example-in")
    doc = _load(path)
    # "00:01:41,04" is 101.040 s (go-astisub, and what players show), not 101.004 s (pysrt).
    assert doc.cues[0].end_ms == 101040
    assert (doc.cues[1].start_ms, doc.cues[1].end_ms) == (124080, 127120)
    assert srt.write(doc).split("\n")[1] == "00:01:39,000 --> 00:01:41,040"
    assert srt.read("1\n00:00:01,4 --> 00:00:01,45\nx\n").cues[0].start_ms == 1400
    assert srt.read("1\n00:00:01,4 --> 00:00:01,45\nx\n").cues[0].end_ms == 1450


def test_policy_html_entities_are_kept_literally():
    path, exp = _case("astisub-example-in-html-entities")
    doc = _load(path)
    # SRT has no entities: "&amp;" is four characters the author typed, and stays so.
    assert (
        doc.cues[0].text == "The man in black fled across the desert, &nbsp;\n&amp; the gunslinger followed."
    )
    assert doc.cues[2].text == "there are other &lt; worlds than these."
    # Nothing is lost: a player that decodes them shows go-astisub's text.
    assert [html.unescape(c.text) for c in doc.cues] == [w["display_text"] for w in exp["cues"]]
    # And the file is written back byte for byte (go-astisub's own expected output).
    reference = SRT_DIR / "expected-output" / "astisub-example-in-html-entities.srt"
    assert srt.write(doc) == reference.read_text("utf-8-sig")


def test_policy_utf16_with_bom_is_decoded():
    path, exp = _case("astisub-example-in-non-utf8")
    assert exp["valid"] is None  # go-astisub errors, pysrt and ExoPlayer decode
    doc = _load(path)
    assert doc.sources["source"].encoding == "utf-16-le"
    same, _ = _case("astisub-example-in")
    assert _fields(doc) == _fields(_load(same))


def test_policy_broken_blocks_are_skipped_and_noted():
    from editor.core.formats import readlog

    path, exp = _case("exoplayer-typical_missing_timecode")
    doc = _load(path)
    # ExoPlayer drops the untimed second block; ffmpeg (and so mpv) shows it as more lines of
    # the first cue, and so do we: its words stay visible and exported.
    want = [(_ms(w["start"]), w["text"]) for w in exp["cues"]]
    want[0] = (want[0][0], want[0][1] + "\nThis is the second subtitle.\nSecond subtitle with second line.")
    assert [(c.start_ms, c.text) for c in doc.cues] == want
    assert [s.line for s in readlog.skipped(doc)] == [5, 14, 18]
    # Never silently: every skipped block is named with its line and text in doc.notes.
    assert "skipped 2 block(s)" in doc.notes
    assert "line 14: malformed timing line '--> 02:00:10,901'" in doc.notes
    assert "This is the fourth subtitle." in doc.notes
    assert "line 18: malformed timing line '02:00:12,901 -->'" in doc.notes
    assert "This is the fifth subtitle." in doc.notes
    end, _ = _case("exoplayer-typical_unexpected_end")
    assert "line 10: '3' is not followed by a timing line" in _load(end).notes


def test_policy_other_markup_is_formatting_kept_for_the_round_trip():
    path, _ = _case("astisub-example-in-styled")
    doc = _load(path)
    # Players render <font> as formatting: the words are the text, the markup is kept aside.
    assert doc.cues[0].text == "<b>[instrumental music]</b>"
    # An unclosed <i> stays in its cue: the next cue is untouched.
    assert doc.cues[7].text == "<i>Unterminated styles"
    assert doc.cues[8].text == "Do no fall to the next item"
    tester, _ = _case("pysrt-capability_tester")
    tester_doc = _load(tester)
    text = "\n".join(c.text for c in tester_doc.cues)
    assert "{\\an" not in text and "<font" not in text
    written = srt.write(tester_doc)
    assert "{\\an8}" in written and "<font" in written
    assert srt.write(doc).count("<font") == path.read_text("utf-8-sig").count("<font")


def test_display_positions_are_kept():
    path, _ = _case("gaupol-subrip-extended")
    doc = _load(path)
    assert set(_positions(doc)) == {"  X1:010 X2:710 Y1:400 Y2:460"}
    astisub, _ = _case("astisub-example-in")
    assert _positions(_load(astisub))[1] == " X1:40 X2:600 Y1:20 Y2:50"


def _timing_lines():
    if not SRT_DIR.is_dir():
        return []
    lines = []
    for path in sorted(SRT_DIR.glob("*.srt")):
        text = textio.read(path, "gb2312" if "gb2312" in path.name else None).text
        lines += [(path.stem, line) for line in text.split("\n") if "-->" in line]
    return lines


def test_timing_lines_agree_with_pysrt_where_pysrt_is_right():
    """pysrt stays the reference for a timing line's layout (start, end, position).

    Where pysrt's own timestamp parsing is right (no sign, HH:MM:SS and three fraction
    digits), our times must equal pysrt's; the position text must always agree.
    """
    checked = 0
    full = re.compile(r"^\s*\d+:\d+:\d+[,.]\d{3}\s*$")
    for name, line in _timing_lines():
        m = srt._TIMING_RE.fullmatch(line)
        if m is None:
            continue
        start_ms, end_ms, position = srt._timing(m)
        start, end, pysrt_position = pysrt.SubRipItem.split_timestamps(line)
        assert position.strip() == pysrt_position, (name, line)
        if full.match(start) and full.match(end):
            assert start_ms == pysrt.SubRipTime.from_string(start).ordinal, (name, line)
            assert end_ms == pysrt.SubRipTime.from_string(end).ordinal, (name, line)
            checked += 1
    if SRT_DIR.is_dir():
        assert checked > 100
