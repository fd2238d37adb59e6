"""ASS/SSA, YouTube SBV, TMPlayer and MicroDVD; markup kept aside; what readers skip is reported."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO, SHARED

from editor import cli
from editor.core import documents, lint, qc, textio
from editor.core.errors import ParseError
from editor.core.formats import ReadOptions, WriteOptions, ass, microdvd, readlog, sbv, vtt
from editor.core.model import Cue, Document

REALWORLD = SHARED / "realworld" / "files"

ASS_SCRIPT = """[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, \
Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, \
MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Comment: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,a comment line
Dialogue: 0,0:00:01.00,0:00:02.50,Default,Bob,0,0,0,,{\\an8}Top {\\i1}italic{\\i0}\\Nsecond
Dialogue: 1,0:00:03.00,0:00:04.00,Sign,,0,0,0,,{\\pos(10,10)\\b1}Sign
"""


def _realworld(name: str):
    path = REALWORLD / name
    if not path.is_file():
        pytest.skip("../shared/realworld absent")
    return path


# -- ASS/SSA -----------------------------------------------------------------------------------------------
def test_ass_reads_events_speakers_and_override_tags() -> None:
    doc = ass.read(ASS_SCRIPT)
    assert [(c.start_ms, c.end_ms, c.text, doc.speaker_name(c.speaker_id)) for c in doc.cues] == [
        (1000, 2500, "Top <i>italic</i>\nsecond", "Bob"),
        (3000, 4000, "<b>Sign</b>", None),
    ]


def test_ass_round_trip_is_byte_identical_and_edits_keep_the_line_fields() -> None:
    doc = ass.read(ASS_SCRIPT)
    assert ass.write(doc) == ASS_SCRIPT
    doc.cues[1].text = "New <i>words</i>\nhere"
    doc.cues[1].end_ms = 4567
    out = ass.write(doc)
    assert "Comment: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,a comment line" in out
    # Layer, style and the leading position block stay; the times and text are the new ones.
    assert (
        out.splitlines()[-1]
        == "Dialogue: 1,0:00:03.00,0:00:04.57,Sign,,0,0,0,,{\\pos(10,10)\\b1}New {\\i1}words{\\i0}\\Nhere"
    )
    back = ass.read(out)
    assert back.cues[1].text == "<b>New <i>words</i>\nhere</b>"


def test_ass_top_alignment_becomes_a_webvtt_top_position() -> None:
    text = documents.render(ass.read(ASS_SCRIPT), "vtt")
    assert "00:00:01.000 --> 00:00:02.500 line:0\n<v Bob>Top <i>italic</i>\nsecond" in text
    assert lint.errors(lint.lint(text, "vtt")) == []


def test_ssa_script_saved_as_txt_is_detected_by_content() -> None:
    doc = documents.load(_realworld("subtitleedit_ssa_script.txt"))
    assert doc.sources["source"].format == "ass"
    assert [(c.start_ms, c.text) for c in doc.cues] == [
        (1000, "Hello, World!"),
        (5000, "This is a test subtitle."),
        (10000, "Testing SeConv subtitle converter."),
    ]
    original = textio.read(_realworld("subtitleedit_ssa_script.txt")).text
    assert ass.write(doc) == original


def test_other_formats_get_a_minimal_ass_script() -> None:
    doc = Document([Cue(1, 1000, 2000, "a <i>b</i>\nc")])
    back = ass.read(ass.write(doc))
    assert [(c.start_ms, c.end_ms, c.text) for c in back.cues] == [(1000, 2000, "a <i>b</i>\nc")]


# -- SBV -----------------------------------------------------------------------------------------------------
def test_sbv_reads_youtube_sample_and_round_trips() -> None:
    doc = documents.load(_realworld("webvttpy_youtube_sample.sbv"))
    assert [(c.start_ms, c.end_ms) for c in doc.cues][:2] == [(378, 11378), (11378, 12305)]
    assert doc.cues[2].text == "Caption text #3 (line 1)\nCaption text #3 (line 2)"
    # The last cue ends before it starts in YouTube's sample: set to its start, and reported.
    assert doc.cues[4].end_ms == doc.cues[4].start_ms == 17484
    assert "before the start" in readlog.skipped(doc)[0].message
    back = sbv.read(sbv.write(doc))
    assert [(c.start_ms, c.end_ms, c.text) for c in back.cues] == [
        (c.start_ms, c.end_ms, c.text) for c in doc.cues
    ]


# -- TMPlayer and MicroDVD ----------------------------------------------------------------------------
def test_tmplayer_lines_become_cues_with_line_breaks() -> None:
    doc = documents.load(_realworld("gaupol_tmplayer.txt"))
    assert doc.sources["source"].format == "tmplayer"
    assert [c.start_ms for c in doc.cues][:3] == [1000, 5000, 10000]
    assert doc.cues[3].text == "everyone seemed beautiful\nand fabulous."
    # The two negative lines no player shows are reported and kept in the notes.
    assert [s.line for s in readlog.skipped(doc)] == [1, 2]
    assert "I always wanted to come to France." in doc.notes
    assert all(c.end_ms <= n.start_ms for c, n in zip(doc.cues, doc.cues[1:], strict=False))


def test_microdvd_frames_use_the_files_rate_or_the_option() -> None:
    text = "{1}{1}25\n{25}{50}{y:i}Hello|world\n{75}{100}Second\n"
    doc = microdvd.read(text)
    assert [(c.start_ms, c.end_ms, c.text) for c in doc.cues] == [
        (1000, 2000, "<i>Hello</i>\nworld"),  # {y:...} styles its line, {Y:...} the cue
        (3000, 4000, "Second"),
    ]
    doc = microdvd.read("{25}{50}x\n", ReadOptions(fps=50))
    assert (doc.cues[0].start_ms, doc.cues[0].end_ms) == (500, 1000)
    assert "23.976" in microdvd.read("{24}{48}x\n").notes
    with pytest.raises(ParseError):
        microdvd.read("not a subtitle\n")


def test_new_formats_are_detected_by_content() -> None:
    assert documents.pick_format("0:00:01.000,0:00:02.000\nHi\n", "a.txt").id == "sbv"
    assert documents.pick_format("00:00:01:Hi|there\n00:00:03:Bye\n", "a.txt").id == "tmplayer"
    assert documents.pick_format("{10}{20}Hi\n{30}{40}Bye\n", "a.sub").id == "microdvd"
    assert documents.pick_format("[Script Info]\nTitle: x\n", "a.txt").id == "ass"


# -- encodings ---------------------------------------------------------------------------------------------
def test_tied_code_pages_are_chosen_by_the_texts_language() -> None:
    decoded = textio.read(_realworld("ums_hungarian_iso-8859-2.srt"))
    assert decoded.info.encoding in ("cp1250", "iso8859-2")
    assert "fejlődnöm" in decoded.text
    french = ("Les crêpes sont délicieuses. À bientôt, ma chère amie. " * 20).encode("cp1252")
    assert "crêpes" in textio.decode(french).text


# -- markup kept aside ---------------------------------------------------------------------------------------
def test_srt_font_and_position_map_onto_webvtt() -> None:
    doc = documents.load(_realworld("astisub_styled.srt"))
    assert doc.cues[0].text == "<b>[instrumental music]</b>"
    text = documents.render(doc, "vtt")
    assert "::cue(.c00ff00) { color: #00ff00; }" in text
    assert "<c.c00ff00><b>[instrumental music]</b></c>" in text
    compatible = documents.render(doc, "vtt", WriteOptions(compatible=True))
    assert "STYLE" not in compatible and "<c." not in compatible
    codes = {f.code for f in lint.lint(text, "vtt", doc, WriteOptions())}
    assert "vtt-ffmpeg" in codes
    top = Document([Cue(1, 0, 1000, "x")])
    from editor.core.formats import srt

    top = srt.read("1\n00:00:00,000 --> 00:00:01,000\n{\\an8}<font face=Arial>Top</font>\n")
    assert top.cues[0].text == "Top"
    vtt_text = documents.render(top, "vtt")
    assert "00:00:00.000 --> 00:00:01.000 line:0\nTop" in vtt_text
    (finding,) = [
        f for f in lint.lint(vtt_text, "vtt", top, WriteOptions()) if f.code == "vtt-markup-dropped"
    ]
    assert "<font face>" in finding.message


def test_webvtt_open_save_keeps_every_span_and_shows_plain_text() -> None:
    path = _realworld("subtitleedit_AppleTV.webvtt")
    original = textio.read(path).text
    doc = documents.load(path)
    assert not any("<c" in c.text for c in doc.cues)
    written = documents.render(doc, "vtt")
    assert written.count("<c.") == original.count("<c.") == 424


def test_second_voice_is_not_text_and_is_written_back() -> None:
    raw = "WEBVTT\n\n00:04.000 --> 00:05.000\n<v Chris>Okay.</v>\n<v Kyle>Oh?</v>\n"
    doc = vtt.FORMAT.read(raw)
    assert doc.cues[0].text == "Okay.\nOh?"
    assert doc.speaker_name(doc.cues[0].speaker_id) == "Chris"
    assert "<v Chris>Okay.</v>\n<v Kyle>Oh?</v>" in vtt.FORMAT.write(doc)
    doc.cues[0].text = "Edited"
    assert "<v Chris>Edited" in vtt.FORMAT.write(doc)


# -- reporting what was not read --------------------------------------------------------------------------
def test_check_inspect_and_convert_report_skipped_blocks(tmp_path, capsys) -> None:
    path = tmp_path / "broken.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\n00:0x:03,000 --> 00:00:04,000\nB\n")
    assert cli.main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "line 6: block skipped: malformed timing line" in out and "[skipped]" in out
    assert cli.main(["inspect", str(path), "--json"]) == 0
    assert '"line": 6' in capsys.readouterr().out
    assert cli.main(["convert", str(path), "-o", str(tmp_path / "out.vtt")]) == 0
    assert f"cueline: warning: {path}:6: block skipped" in capsys.readouterr().err


def test_negative_times_are_reported_by_check() -> None:
    doc = Document([Cue(1, -500, 1000, "early")])
    assert "negative_time" in {p.check for p in qc.check(doc)}


def test_inspect_into_a_closed_pipe_is_quiet(tmp_path) -> None:
    path = tmp_path / "many.srt"
    path.write_text(
        "".join(
            f"{k}\n00:00:{k % 60:02d},000 --> 00:00:{k % 60:02d},500\nline {k}\n\n" for k in range(1, 3000)
        )
    )
    done = subprocess.run(
        f"{sys.executable} main.py inspect {path} --json | head -1",
        shell=True,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_whisper_segment_times_stay_exact() -> None:
    path = _realworld("wts_smartphone_fr.words.json")
    import json

    segments = json.loads(path.read_text("utf-8"))["segments"]
    doc = documents.load(path)
    assert all(c.timing.value == "exact" for c in doc.cues)
    ends = {round(s["end"] * 1000) for s in segments}
    # The first cue is the whole first segment: not stretched toward the next one.
    assert (doc.cues[0].start_ms, doc.cues[0].end_ms) == (400, 3660)
    assert doc.cues[0].end_ms in ends


def test_top_alignment_survives_srt_to_ass_and_back() -> None:
    from editor.core.formats import srt

    doc = srt.read(
        "1\n00:00:01,000 --> 00:00:02,000\n{\\an8}Top\n\n2\n00:00:03,000 --> 00:00:04,000\nBottom\n"
    )
    script = ass.write(doc)
    assert "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\an8}Top" in script
    assert "Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,Bottom" in script
    back = srt.write(ass.read(script))
    assert "{\\an8}Top" in back and "{\\an" not in back.split("\n\n")[1]


def test_srt_export_of_styled_webvtt_says_what_is_dropped() -> None:
    doc = vtt.FORMAT.read("WEBVTT\n\n00:01.000 --> 00:02.000\n<c.yellow>Hi</c> <lang fr>toi</lang>\n")
    assert doc.cues[0].text == "Hi toi"
    text = documents.render(doc, "srt")
    (finding,) = [f for f in lint.lint(text, "srt", doc, WriteOptions()) if f.code == "srt-markup-dropped"]
    assert "1 cue(s)" in finding.message
