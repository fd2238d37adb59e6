"""The export linter: catches each defect in hand-made bad files; our writers' output lints clean."""

from __future__ import annotations

import pathlib

import pytest
from conftest import make_window
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core import documents, lint
from editor.core.errors import EditorError
from editor.core.formats import WriteOptions
from editor.core.model import Document
from tests.support import fuzz

GOOD_VTT = (
    "WEBVTT\n\nintro\n00:00:01.000 --> 00:00:02.000\n<v Jane>Hi &amp; <i>bye</i>\n\n"
    "00:00:03.000 --> 00:00:04.000\nTwo\n"
)
GOOD_SRT = "1\n00:00:01,000 --> 00:00:02,000\nHi & <i>bye</i>\n\n2\n00:00:03,000 --> 00:00:04,000\nTwo\n"


def codes(text: str, format_id: str, severity: str = "error") -> set[str]:
    return {f.code for f in lint.lint(text, format_id) if f.severity == severity}


def test_good_files_are_clean() -> None:
    assert lint.lint(GOOD_VTT, "vtt") == []
    assert lint.lint(GOOD_SRT, "srt") == []
    assert lint.lint("anything", "transcript") == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("\ufeff" + GOOD_VTT, "vtt-bom"),
        ("WEBVTT-ish\n\n00:00:01.000 --> 00:00:02.000\nx\n", "vtt-signature"),
        ("WEBVTT\n\n00:01.000 --> 00:00:02.000\nx\n", "vtt-timestamp"),
        ("WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nx\n", "vtt-timestamp"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\na --> b\n", "vtt-arrow-in-text"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\none\n\ntwo\n", "vtt-stray-text"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nTom & Jerry\n", "vtt-escape"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<img src=x>\n", "vtt-escape"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\na > b\n", "vtt-escape"),
        (
            "WEBVTT\n\na\n00:00:01.000 --> 00:00:02.000\nx\n\na\n00:00:03.000 --> 00:00:04.000\ny\n",
            "vtt-duplicate-id",
        ),
        ("WEBVTT\n\n00:00:03.000 --> 00:00:04.000\nx\n\n00:00:01.000 --> 00:00:02.000\ny\n", "vtt-order"),
        ("WEBVTT\n\nNOTE a --> b\n\n00:00:01.000 --> 00:00:02.000\nx\n", "vtt-arrow-in-note"),
    ],
)
def test_vtt_defects_are_errors(text: str, code: str) -> None:
    assert code in codes(text, "vtt")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("\ufeff" + GOOD_SRT, "srt-bom"),
        ("0\n00:00:01,000 --> 00:00:02,000\nx\n", "srt-numbering"),
        ("1\n00:00:01,000 --> 00:00:02,000\nx\n\n3\n00:00:03,000 --> 00:00:04,000\ny\n", "srt-numbering"),
        ("1\n00:00:01.000 --> 00:00:02.000\nx\n", "srt-timestamp"),
        ("1\n0:00:01,000 --> 00:00:02,000\nx\n", "srt-timestamp"),
        ("1\n00:00:01,000 --> 00:00:02,000\none\n\ntwo\n", "srt-stray-text"),
    ],
)
def test_srt_defects_are_errors(text: str, code: str) -> None:
    assert code in codes(text, "srt")


def test_warnings_are_not_errors() -> None:
    backwards = (
        "1\n00:00:02,000 --> 00:00:01,000\nx\n\n2\n-00:00:01,000 --> 00:00:03,000\n1:2 --> y\na --> b\n"
    )
    warnings = {"srt-end-before-start", "srt-order", "srt-negative", "srt-timing-in-text"}
    assert codes(backwards, "srt", "warning") == warnings
    assert codes(backwards, "srt") == set()


def test_findings_name_the_line() -> None:
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfine\nTom & Jerry\n"
    (finding,) = lint.lint(text, "vtt")
    assert finding.line == 5
    assert finding.describe("out.vtt") == "out.vtt:5: error: unescaped '&' (write '&amp;')"


def test_document_comparison_catches_a_lost_cue() -> None:
    doc = Document()
    for k in range(3):
        doc.append(doc.new_cue(k * 1000, k * 1000 + 500, f"cue {k}"))
    text = documents.render(doc, "vtt")
    assert lint.lint(text, "vtt", doc) == []
    cut = text[: text.rindex("00:00:02.000")]
    assert "vtt-cue-count" in {f.code for f in lint.lint(cut, "vtt", doc)}
    doc.cues[1].end_ms += 1
    assert "vtt-times" in {f.code for f in lint.lint(text, "vtt", doc)}


def _need_conformance() -> None:
    if not fuzz.CONFORMANCE.is_dir():
        pytest.skip("../shared/conformance absent")


def _documents() -> list[Document]:
    _need_conformance()
    docs = list(fuzz.corpus_documents())
    for folder, pattern in (("srt", "*.srt"), ("webvtt", "*.vtt")):
        for path in sorted(pathlib.Path(fuzz.CONFORMANCE / folder).glob(pattern)):
            try:
                docs.append(documents.load(path))
            except EditorError:
                continue  # a file our readers refuse has no export to lint
    return docs


@pytest.mark.parametrize("format_id", ["srt", "vtt"])
def test_writers_output_on_seeds_and_conformance_lints_clean(format_id: str) -> None:
    docs = _documents()
    assert len(docs) > 50
    checked = 0
    for doc in docs:
        for track in ("source", "translation", "bilingual"):
            for speakers in ("voice", "prefix", "both", "none"):
                try:
                    text = documents.render(doc, format_id, WriteOptions(track=track, speakers=speakers))
                except EditorError:
                    continue  # e.g. WebVTT cannot hold a negative time: refused before linting
                findings = lint.lint(text, format_id, doc, WriteOptions(track=track, speakers=speakers))
                bad = lint.errors(findings)
                assert not bad, (doc.sources.get("source"), track, speakers, bad[:3])
                # The text reads back as written (tags aside) wherever it is compared.
                assert not [f for f in findings if f.code in ("vtt-text", "srt-text")], (
                    doc.sources.get("source"),
                    findings,
                )
                checked += 1
    assert checked > 1000


def test_hostile_cue_text_still_lints_clean() -> None:
    doc = Document()
    texts = [
        "<img src=x onerror=alert(1)>",
        "a --> b",
        "one\n\n\ntwo",
        "&amp; & &#x110000;",
        "<v x-->y",
        "<a href='q'>",
    ]
    for k, text in enumerate(texts):
        cue = doc.new_cue(k * 1000, k * 1000 + 900, text)
        cue.vtt_id = "same-->id" if k < 3 else "same"
        doc.append(cue)
    for format_id in ("srt", "vtt"):
        for speakers in ("voice", "both"):
            text = documents.render(doc, format_id, WriteOptions(speakers=speakers))
            assert lint.errors(lint.lint(text, format_id, doc)) == [], (format_id, text)


def test_skipped_cues_leave_no_stray_text_in_the_written_header() -> None:
    # Found by the linter: the reader keeps cues with bad timings in the header, and the writer
    # dropped only their timing lines, leaving their text behind as stray blocks.
    _need_conformance()
    doc = documents.load(fuzz.CONFORMANCE / "webvtt" / "timings-60.vtt")
    text = documents.render(doc, "vtt")
    assert "invalid" not in text
    assert lint.lint(text, "vtt", doc) == []
    # A header with REGION/STYLE blocks keeps them.
    doc.metadata.extra["vtt_header"] = (
        "\n\nREGION\nid:r\n\nSTYLE\n::cue { color: red }\n\n00:00:00.000 --> x\nold"
    )
    text = documents.render(doc, "vtt")
    assert "REGION\nid:r\n\nSTYLE\n::cue { color: red }\n\n" in text and "old" not in text


# -- the linter runs before every export: CLI convert and the GUI's Export ---------------------------------
_BAD_SRT = "0\n00:00:01.000 --> 00:00:02.000\nbroken\n"


def _srt_input(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "in.srt"
    path.write_text(GOOD_SRT, encoding="utf-8")
    return path


def test_cli_convert_refuses_an_export_with_lint_errors(tmp_path, monkeypatch, capsys) -> None:
    from editor import cli
    from editor.core.formats import srt

    monkeypatch.setattr(srt, "write", lambda doc, options=None: _BAD_SRT)  # a writer bug
    out = tmp_path / "out.srt"
    assert cli.main(["convert", str(_srt_input(tmp_path)), "-o", str(out)]) == cli.EXIT_ERROR
    err = capsys.readouterr().err.splitlines()
    assert f"cueline: lint: {out}:1: error: cue number '0', expected 1" in err
    assert f"cueline: lint: {out}:2: error: timing is not 'HH:MM:SS,mmm --> HH:MM:SS,mmm'" in err
    assert err[-1] == f"cueline: error: {out}: not written, the export has errors (see above)"
    assert not out.exists()


def test_cli_convert_prints_warnings_and_writes(tmp_path, capsys) -> None:
    from editor import cli

    src = tmp_path / "neg.srt"
    src.write_text("1\n-00:00:01,000 --> 00:00:02,000\nearly\n", encoding="utf-8")
    out = tmp_path / "out.srt"
    assert cli.main(["convert", str(src), "-o", str(out)]) == cli.EXIT_OK
    assert capsys.readouterr().err == f"cueline: lint: {out}:2: warning: negative time\n"
    assert out.read_text(encoding="utf-8").startswith("1\n-00:00:01,000 --> ")


def test_cli_convert_clean_export_prints_nothing(tmp_path, capsys) -> None:
    from editor import cli

    out = tmp_path / "out.vtt"
    assert cli.main(["convert", str(_srt_input(tmp_path)), "-o", str(out)]) == cli.EXIT_OK
    assert capsys.readouterr().err == ""
    assert lint.lint(out.read_text(encoding="utf-8"), "vtt") == []


def test_the_report_says_what_describe_says() -> None:
    # lint.report: what convert prints, one line per finding as describe says, for findings with
    # and without a line, and odd paths.
    doc = Document()
    for k, text in enumerate(["x" * 50, "这是一个非常非常长的中文字幕行超过了限制", "short", "y" * 43]):
        doc.append(doc.new_cue(k * 1000, k * 1000 + 900, text))
    _, long_lines = lint.export(doc, "vtt", WriteOptions())
    assert len(long_lines) == 3
    damaged = lint.lint("WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nab\n", "vtt", doc, WriteOptions())
    assert any(f.line is None for f in damaged) and any(f.line is not None for f in damaged)
    for findings in (long_lines, damaged, []):
        for path in ("out.vtt", "/tmp/{0} 100%s.vtt"):
            expected = "".join(f"cueline: lint: {f.describe(path)}\n" for f in findings)
            assert lint.report(findings, path, "cueline: lint: ") == expected


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    win = make_window(qtbot, tmp_path, monkeypatch, size=None, show=False)
    win.open_path(str(_srt_input(tmp_path)), wait=True)
    return win


def _choice(path: pathlib.Path, format_id: str):
    from editor.qt.views.dialogs import ExportChoice

    return ExportChoice(str(path), format_id, "source", "voice", "utf-8", False, "\n")


@pytest.mark.parametrize("answer", [False, True])
def test_gui_export_shows_errors_before_writing_and_asks(window, tmp_path, monkeypatch, answer) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from editor.core.formats import srt
    from editor.qt.views import lint_report

    monkeypatch.setattr(srt, "write", lambda doc, options=None: _BAD_SRT)
    out = tmp_path / "out.srt"
    shown = []

    def exec_box(box: QMessageBox) -> int:
        shown.append((box.text(), box.icon(), box.defaultButton().text(), box.textFormat()))
        (box.export_button if answer else box.button(QMessageBox.StandardButton.Cancel)).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    assert window.export(_choice(out, "srt")) is answer
    (text, icon, default, fmt) = shown[0]
    assert "out.srt:1: error: cue number '0', expected 1" in text
    assert "2 error(s)" in text
    assert icon == QMessageBox.Icon.Warning
    fresh = lint_report.build_box(None, str(out), lint.lint(_BAD_SRT, "srt"))
    assert default == fresh.button(QMessageBox.StandardButton.Cancel).text()
    assert fmt == Qt.TextFormat.PlainText
    assert out.exists() is answer
    if answer:
        assert out.read_text(encoding="utf-8") == _BAD_SRT


def test_gui_clean_export_asks_nothing(window, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "exec", lambda box: pytest.fail("no findings, no dialog"))
    out = tmp_path / "out.vtt"
    assert window.export(_choice(out, "vtt"))
    assert lint.lint(out.read_text(encoding="utf-8"), "vtt") == []


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789:.,-> \n\t&<>/ivbWEBVTNOabc\ufeff")), max_size=300))
def test_linter_never_raises(text: str) -> None:
    # It runs on every export; whatever a writer bug produces, it must report, not crash.
    for format_id in ("srt", "vtt"):
        for finding in lint.lint(text, format_id):
            assert finding.severity in ("error", "warning")
        lint.lint("WEBVTT\n\n" + text, "vtt")


def test_text_that_reads_back_changed_is_a_warning() -> None:
    doc = Document()
    jane = doc.ensure_speaker("Jane").id
    doc.append(doc.new_cue(0, 1000, "Jane: hello", speaker_id=jane))  # the reader takes the prefix off
    doc.append(doc.new_cue(1000, 2000, "fine", speaker_id=jane))
    options = WriteOptions(track="source", speakers="voice")
    text = documents.render(doc, "vtt", options)
    (finding,) = lint.lint(text, "vtt", doc, options)
    assert (finding.severity, finding.code, finding.line) == ("warning", "vtt-text", 3)
    assert finding.message == "the cue reads back as 'hello'"
    # Without the options the linter cannot know what text to expect, and does not guess.
    assert lint.lint(text, "vtt", doc) == []
