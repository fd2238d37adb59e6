"""The real-world corpus (../shared/realworld): every file read, exported and read back right.

Runs ../shared/realworld/check.py (ffmpeg reads the SRT exports, Chromium the WebVTT ones)
and requires every file to pass. Skips cleanly without ../shared or ffmpeg; without
Debian's chromium it runs with --no-browser.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import REPO, SHARED

CHECK = SHARED / "realworld" / "check.py"


def test_realworld_corpus_is_read_and_exported_right() -> None:
    if not CHECK.is_file():
        pytest.skip("../shared/realworld absent")
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not installed (Debian package 'ffmpeg')")
    args = [sys.executable, str(CHECK), sys.executable, "-j", "3"]
    if shutil.which("chromium") is None:
        args.append("--no-browser")
    done = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=1200)
    summary = [line for line in done.stdout.splitlines() if " right  (" in line]
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert summary and summary[0].split("/")[0] == summary[0].split("/")[1].split()[0], summary
