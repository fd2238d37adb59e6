"""Safety limits: files over 200 MB, lines over 1 MB, more than 1,000,000 cues.

Each limit is a LimitError (a ParseError) naming the file and, where it has one, the line;
the CLI prints it as one line and exits 2; the GUI shows it and keeps the open document.
Inputs are made cheaply: a sparse file for the size, one 1 MB line, and a lowered cue
limit (monkeypatched) for the count, since the check is the same code whatever the number.
"""

from __future__ import annotations

import json
import os
import pathlib

import pytest

from editor import cli
from editor.core import documents, textio
from editor.core.errors import LimitError
from editor.core.formats import project
from editor.core.model import Document


def _sparse(path: pathlib.Path, size: int) -> pathlib.Path:
    with open(path, "wb") as fh:
        fh.write(b"1\n00:00:01,000 --> 00:00:02,000\nx\n")
        fh.truncate(size)  # a hole: no disk space, no time
    return path


def test_file_over_200_mb_is_refused_before_reading(tmp_path) -> None:
    path = _sparse(tmp_path / "huge.srt", textio.MAX_FILE_BYTES + 1)
    with pytest.raises(LimitError) as info:
        documents.load(path)
    assert info.value.path == str(path)
    assert str(info.value) == f"{path}: file is 200 MB; the limit is 200 MB"


def test_decode_checks_the_size_too(monkeypatch) -> None:
    monkeypatch.setattr(textio, "MAX_FILE_BYTES", 10)
    with pytest.raises(LimitError, match="the limit is 200 MB"):
        textio.decode(b"x" * 11, path="mem.txt")


def test_line_over_1_mb_names_its_line(tmp_path) -> None:
    path = tmp_path / "long.srt"
    long_line = "y" * (textio.MAX_LINE_CHARS + 1)
    path.write_text(
        f"1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 --> 00:00:04,000\n{long_line}\n"
    )
    with pytest.raises(LimitError) as info:
        documents.load(path)
    assert (info.value.path, info.value.line) == (str(path), 7)
    assert "the limit is 1 MB per line" in str(info.value)
    # One character less is fine.
    path.write_text(f"1\n00:00:01,000 --> 00:00:02,000\n{long_line[1:]}\n")
    assert len(documents.load(path).cues[0].text) == textio.MAX_LINE_CHARS


def _cue_files(tmp_path: pathlib.Path, n: int) -> dict[str, tuple[pathlib.Path, int | None]]:
    """Return {format: (file with n cues, line of cue n or None)}."""
    srt = "".join(f"{k + 1}\n00:00:{k:02d},000 --> 00:00:{k:02d},500\ncue {k}\n\n" for k in range(n))
    vtt = "WEBVTT\n\n" + "".join(f"00:00:{k:02d}.000 --> 00:00:{k:02d}.500\ncue {k}\n\n" for k in range(n))
    whisper = json.dumps({"segments": [{"start": k, "end": k + 0.5, "text": f"cue {k}"} for k in range(n)]})
    stamped = "".join(f"[00:{k:02d}] Cue number {k}.\n" for k in range(n))
    doc = Document()
    for k in range(n):
        doc.append(doc.new_cue(k * 1000, k * 1000 + 500, f"cue {k}"))
    files = {
        "srt": ("a.srt", srt, 4 * (n - 1) + 1),
        "vtt": ("a.vtt", vtt, 3 + 3 * (n - 1)),
        "whisper": ("a.json", whisper, None),
        "transcript": ("a.txt", stamped, None),
        "cueline": ("a.cueline", project.write_project(doc), None),
    }
    out = {}
    for fmt, (name, text, line) in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        out[fmt] = (path, line)
    return out


@pytest.mark.parametrize("fmt", ["srt", "vtt", "whisper", "transcript", "cueline"])
def test_more_cues_than_the_limit_is_refused_by_every_reader(tmp_path, monkeypatch, fmt) -> None:
    files = _cue_files(tmp_path, 6)
    path, line = files[fmt]
    monkeypatch.setattr(textio, "MAX_CUES", 6)
    assert len(documents.load(path, options=None).cues) == 6  # at the limit: fine
    monkeypatch.setattr(textio, "MAX_CUES", 5)
    with pytest.raises(LimitError) as info:
        documents.load(path)
    assert info.value.path == str(path)
    assert info.value.line == line
    assert "more than 5 cues; the limit is 5 per file" in str(info.value)


def test_the_real_cue_limit_is_one_million() -> None:
    assert textio.MAX_CUES == project.MAX_CUES == 1_000_000


# -- front ends ---------------------------------------------------------------------------------------------
def _limit_cases(tmp_path: pathlib.Path, monkeypatch) -> list[tuple[pathlib.Path, str]]:
    big = _sparse(tmp_path / "huge.srt", textio.MAX_FILE_BYTES + 1)
    long = tmp_path / "long.vtt"
    long.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + "z" * (textio.MAX_LINE_CHARS + 5) + "\n")
    many, _ = _cue_files(tmp_path, 4)["srt"]
    monkeypatch.setattr(textio, "MAX_CUES", 3)
    return [
        (big, f"{big}: file is 200 MB; the limit is 200 MB"),
        (long, f"{long}:4: line is 1,048,581 characters long; the limit is 1 MB per line"),
        (many, f"{many}:13: more than 3 cues; the limit is 3 per file"),
    ]


def test_cli_prints_one_line_and_exits_non_zero(tmp_path, monkeypatch, capsys) -> None:
    for path, message in _limit_cases(tmp_path, monkeypatch):
        out = tmp_path / "out.vtt"
        for argv in (["inspect", str(path)], ["convert", str(path), "-o", str(out)]):
            assert cli.main(argv) == cli.EXIT_ERROR
            captured = capsys.readouterr()
            assert captured.err == f"cueline: error: {message}\n"
            assert captured.out == ""
            assert not out.exists()


def test_gui_shows_the_limit_and_keeps_the_document(qtbot, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from editor.qt import errors
    from editor.qt.views.main_window import MainWindow

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        errors, "show_error", lambda _parent, title, exc: shown.append((title, errors.describe(exc)))
    )
    cases = _limit_cases(tmp_path, monkeypatch)
    win = MainWindow(autosave_folder=str(tmp_path / "autosave"), autosave_delay_ms=60_000)
    qtbot.addWidget(win)
    good = tmp_path / "good.srt"
    good.write_text("1\n00:00:01,000 --> 00:00:02,000\nkept\n", encoding="utf-8")
    win.open_path(str(good), wait=True)
    for path, message in cases:
        with qtbot.waitSignal(win.load_failed, timeout=20_000) as blocker:
            win.open_path(str(path))
        assert blocker.args == [message]
        assert shown[-1] == ("Could not open file", message)
        assert [c.text for c in win.controller.document.cues] == ["kept"]
    assert os.path.getsize(cases[0][0]) == textio.MAX_FILE_BYTES + 1
