"""Real clients read our exports: ffmpeg reads our SRT, Chromium's <track> reads our WebVTT."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import REPO, seed_path
from support.clients import CHROMIUM, FFMPEG, chromium_track_cues, ffmpeg_roundtrip_srt

from editor.core import documents
from editor.core.formats import WriteOptions
from editor.core.model import Document, Speaker

# CI installs ffmpeg and chromium (.ci/run): there a missing client fails the test instead of
# skipping it, so a broken install step cannot pass as a green run.
_IN_CI = bool(os.environ.get("CI"))
needs_ffmpeg = pytest.mark.skipif(FFMPEG is None and not _IN_CI, reason="ffmpeg not installed")
needs_chromium = pytest.mark.skipif(CHROMIUM is None and not _IN_CI, reason="chromium not installed")


def _count_srt_cues(path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if "-->" in line)


@needs_ffmpeg
def test_ffmpeg_reads_seed_000_srt(tmp_path):
    out = tmp_path / "out.srt"
    res = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "convert", str(seed_path("000")), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    again = tmp_path / "out2.srt"
    res = ffmpeg_roundtrip_srt(out, again)
    assert res.returncode == 0, res.stderr
    assert _count_srt_cues(again) == _count_srt_cues(out) > 10


def _bilingual_doc() -> Document:
    doc = Document(speakers=[Speaker("s1", "Ann & Bo"), Speaker("s2", "Lee")])
    rows = [
        (0, 1500, "Hello & welcome <to> the show", "你好，欢迎", "s1"),
        (1600, 3200, "<i>Really</i> --> yes", "真的吗", "s2"),
        (3300, 5000, "Numbers: 3.5 < 4", "数字：3.5 < 4", "s1"),
    ]
    for start, end, text, tr, sp in rows:
        doc.append(doc.new_cue(start, end, text, translation=tr, speaker_id=sp))
    return doc


@needs_chromium
@pytest.mark.parametrize("speakers", ["voice", "both"])
def test_chromium_track_reads_bilingual_vtt(tmp_path, speakers):
    doc = _bilingual_doc()
    path = tmp_path / "talk.vtt"
    documents.save(doc, path, "vtt", WriteOptions(track="bilingual", speakers=speakers))
    cues = chromium_track_cues(path)
    assert cues is not None, "chromium rejected the track"
    assert len(cues) == len(doc.cues)
    for got, cue in zip(cues, doc.cues, strict=True):
        assert round(got["start"] * 1000) == cue.start_ms and round(got["end"] * 1000) == cue.end_ms
        src_plain = cue.text.replace("<i>", "").replace("</i>", "")
        expected = f"{src_plain}\n{cue.translation}"
        if speakers == "both":
            expected = f"{doc.speaker_name(cue.speaker_id)}: {expected}"
        assert got["plain"] == expected
    reread = documents.load(path)
    assert [c.translation for c in reread.cues] == ["", "", ""]  # a bilingual track reads back as text


@needs_chromium
def test_chromium_reads_seed_export(tmp_path):
    out = tmp_path / "video.zh.vtt"
    res = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "convert", str(seed_path("001")), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    cues = chromium_track_cues(out)
    assert cues is not None and len(cues) == len(documents.load(out).cues) > 50
