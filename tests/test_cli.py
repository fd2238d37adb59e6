"""The CLI as users and tools call it: exit codes, one-line errors, stable JSON keys."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import REPO, seed_path

from editor.core.linebreak import display_width

SRT = "1\n00:00:01,000 --> 00:00:02,500\nHello & <i>bye</i>\n\n2\n00:00:03,000 --> 00:00:04,000\n你好\n"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "main.py"), *args], capture_output=True, text=True, cwd=REPO, timeout=300
    )


def test_version():
    out = run("--version")
    assert out.returncode == 0 and out.stdout.startswith("cueline ")


def test_inspect_json_keys(tmp_path):
    src = tmp_path / "a.srt"
    src.write_text(SRT, encoding="utf-8")
    out = run("inspect", str(src), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"format", "encoding", "language", "translation_language", "metadata", "speakers", "cues"} <= set(
        data
    )
    assert set(data["metadata"]) >= {"title", "duration_ms", "url"}
    assert data["format"] == "srt" and data["encoding"] == "utf-8"
    first = data["cues"][0]
    assert set(first) >= {"id", "start_ms", "end_ms", "speaker", "text", "plain", "translation", "timing"}
    assert (first["start_ms"], first["end_ms"]) == (1000, 2500)
    assert first["text"] == "Hello & <i>bye</i>" and first["plain"] == "Hello & bye"


def test_convert_srt_to_vtt_and_back(tmp_path):
    src = tmp_path / "a.srt"
    src.write_text(SRT, encoding="utf-8")
    vtt = tmp_path / "a.vtt"
    assert run("convert", str(src), "-o", str(vtt)).returncode == 0
    text = vtt.read_text(encoding="utf-8")
    assert text.startswith("WEBVTT") and "00:00:01.000 --> 00:00:02.500" in text
    assert "Hello &amp; <i>bye</i>" in text
    back = tmp_path / "b.srt"
    assert run("convert", str(vtt), "-o", str(back)).returncode == 0
    again = json.loads(run("inspect", str(back), "--json").stdout)
    assert [c["text"] for c in again["cues"]] == ["Hello & <i>bye</i>", "你好"]


@pytest.mark.parametrize(
    "content, expect_line",
    [
        (b"", None),
        (b"\x00\x01\x02\xff\xfe garbage \x9c\x80" * 40, None),
        (b"1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:0x,000 --> junk\ntext\n", None),
    ],
    ids=["empty", "random-bytes", "bad-timing"],
)
def test_bad_input_one_line_error_and_no_output(tmp_path, content, expect_line):
    src = tmp_path / "bad.srt"
    src.write_bytes(content)
    out_file = tmp_path / "out.vtt"
    out = run("convert", str(src), "-o", str(out_file))
    if out.returncode == 0:
        # A policy may accept the file (an empty file is an empty track); then output must be valid.
        assert out_file.read_text(encoding="utf-8").startswith("WEBVTT")
        return
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cueline: error: ") and str(src) in lines[0]
    assert "Traceback" not in out.stderr
    assert not out_file.exists()


def test_missing_file_is_a_clear_error(tmp_path):
    out = run("inspect", str(tmp_path / "nope.srt"), "--json")
    assert out.returncode == 2
    assert out.stderr.startswith("cueline: error: ") and "nope.srt" in out.stderr


def test_failed_write_keeps_old_file(tmp_path):
    src = tmp_path / "a.srt"
    src.write_text(SRT, encoding="utf-8")
    target = tmp_path / "out.srt"
    target.write_text("old content", encoding="utf-8")
    out = run("convert", str(src), "-o", str(target), "--output-encoding", "ascii")
    assert out.returncode == 2 and "cueline: error:" in out.stderr
    assert target.read_text(encoding="utf-8") == "old content"


def test_check_json_and_strict(tmp_path):
    src = tmp_path / "a.srt"
    src.write_text("1\n00:00:01,000 --> 00:00:01,200\n" + "x" * 60 + "\n", encoding="utf-8")
    out = run("check", str(src), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    checks = {p["check"] for p in data["problems"]}
    assert {"line_length", "duration_short"} <= checks
    assert all(set(p) == {"cue", "check", "severity", "message"} for p in data["problems"])
    assert run("check", str(src), "--strict").returncode == 1


def test_seed_000_inspect_acceptance():
    path = seed_path("000")
    out = run("inspect", str(path), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["language"] == "en"
    assert data["metadata"]["title"] == "Building OpenAI o1"
    assert data["metadata"]["duration_ms"] == 196_000
    assert "youtube.com" in data["metadata"]["url"]
    cues = data["cues"]
    assert cues[0]["start_ms"] == 0 and cues[-1]["end_ms"] == 196_000
    for cue in cues:
        lines = cue["plain"].split("\n")
        assert len(lines) <= 2 and all(len(line) <= 42 for line in lines), cue
        assert 833 <= cue["end_ms"] - cue["start_ms"] <= 7000, cue
        assert "\u00a0" not in cue["text"]
        assert cue["timing"] == "estimated"
    source = path.read_text(encoding="utf-8").split("### Segment 1", 1)[1].split("\n", 1)[1]
    assert " ".join(c["plain"] for c in cues).split() == source.split()


def test_seed_001_inspect_acceptance():
    out = run("inspect", str(seed_path("001")), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    names = {s["name"] for s in data["speakers"]}
    # The seed has turns by 团队成员A…R except L (there is no L line in the file).
    members = {f"团队成员{c}" for c in "ABCDEFGHIJKMNOPQR"}
    assert names == {"主合手东说念主"} | members
    assert data["language"] == "zh-cn"
    for cue in data["cues"]:
        assert cue["speaker"] is not None
        # Half-width characters (Latin names, ASCII punctuation) count half in Chinese lines.
        assert all(display_width(line, True) <= 16 for line in cue["plain"].split("\n")), cue


def test_seed_translation_attach():
    out = run(
        "inspect", str(seed_path("000")), "--translation", str(seed_path("001")), "--carry-speakers", "--json"
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["translation_language"] == "zh-cn"
    translated = [c for c in data["cues"] if c["translation"]]
    assert len(translated) >= len(data["cues"]) // 2
    assert "谢谢" in data["cues"][-1]["translation"]
    assert data["cues"][-1]["speaker"] == "主合手东说念主"
