"""The launch's command line: the one-file fast path parses as argparse does, or declines."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support.imports import imported_after

from editor.qt import app

ARGVS = [
    [],
    ["movie.srt"],
    ["/tmp/sb/cues_100000.srt"],
    ["a file with spaces.vtt"],
    ["name=with=equals.srt"],
    [""],  # an empty name: argparse takes it as the file (the sample opens)
    ["ünïcödé.ass"],
    ["-"],
    ["--restore=no"],
    ["movie.srt", "--translation", "fr.srt"],
    ["movie.srt", "--media", "movie.mp4"],
    ["--screenshot", "out.png", "movie.srt"],
    ["movie.srt", "--size", "800x600"],
    ["--restore", "yes", "movie.srt"],
    ["--", "-dash.srt"],
]


@pytest.mark.parametrize("argv", ARGVS)
def test_the_fast_path_agrees_with_argparse(argv):
    fast = app.parse_file_only(argv)
    plain = app.parse_args_argparse(argv)
    if fast is not None:
        assert vars(fast) == vars(plain)
    assert vars(app.parse_args(argv)) == vars(plain)
    one_file = len(argv) <= 1 and not (argv and argv[0].startswith("-"))
    assert (fast is not None) == one_file


@pytest.mark.parametrize("argv", [["a.srt", "b.srt"], ["--restore", "maybe"], ["--unknown"]])
def test_bad_usage_still_exits_with_argparse_s_message(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        app.parse_args(argv)
    assert stop.value.code == 2
    assert "usage: cueline" in capsys.readouterr().err


def test_version_is_still_answered():
    out = subprocess.run(
        [sys.executable, "-c", "from editor.qt import app; app.parse_args(['--version'])"],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0 and out.stdout.startswith("cueline ")


def test_a_one_file_launch_does_not_import_argparse():
    code = "from editor.qt import app\napp.parse_args(['movie.srt'])"
    assert not imported_after(code, "argparse")
