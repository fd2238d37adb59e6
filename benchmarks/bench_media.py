"""Waveform figures: decode + reduce of an hour of 48 kHz stereo, cached reopen, repaint.

Run: python benchmarks/bench_media.py [--minutes M] [--repeat R] [--keep]
Writes a generated 16-bit 48 kHz stereo WAV of M minutes (default 60: 691 MB; tones and
silences, no media in the repo) to a temporary folder, then, each in a fresh process so
that memory is measured from a clean start:
- decode and reduce it to the peak pyramid (the `wave` fast path): wall time, and peak
  extra memory (VmHWM minus the RSS just before decoding). Targets: <= 10 s, <= 100 MB.
- reopen from the cache (load_waveform with the cache written by the first run): wall time
  of the call. Target: <= 200 ms.
- repaint of the timeline (1600x200, 1000 cues over the file) with that waveform at zooms
  from 4 px per millisecond to the whole file: median ms per repaint. Target: <= 6 ms.
With ffmpeg on PATH it also times the ffmpeg decoder on a 10-minute FLAC made from it.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import numpy as np  # noqa: E402

RATE = 48_000
WIDTH, HEIGHT = 1600, 200


def write_long_wav(path: pathlib.Path, minutes: float) -> None:
    """Write `minutes` of stereo speech-like audio: 1-4 s tone bursts with 0.2-1 s silences."""
    rng = np.random.default_rng(7)
    total = int(minutes * 60 * RATE)
    block = RATE * 30
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        done = 0
        while done < total:
            n = min(block, total - done)
            t = (done + np.arange(n)) / RATE
            envelope = (np.sin(t * 1.7) + np.sin(t * 0.61) > -0.4).astype(np.float32)
            tone = 0.4 * np.sin(2 * np.pi * 220 * t) + 0.1 * rng.standard_normal(n)
            left = (tone * envelope + 0.002 * rng.standard_normal(n)) * 32767
            stereo = np.stack([left, left * 0.8], axis=1)
            wav.writeframes(np.clip(stereo, -32768, 32767).astype("<i2").tobytes())
            done += n


def _rss_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def child(mode: str, media: str, cache: str) -> dict:
    """Run one measurement in this (fresh) process; returns its figures."""
    if mode == "repaint":
        return child_repaint(media, cache)
    from editor.qt import waveform_loader

    before = _rss_kb("VmRSS")
    t0 = time.perf_counter()
    if mode == "decode":
        wf = waveform_loader.decode_wav(media)
        wf.save(os.path.join(cache, "bench.npz"))
    elif mode == "ffmpeg":
        wf = waveform_loader.decode_ffmpeg(media)
    else:  # cached: the real entry point, which finds the cache written by a first load
        wf = waveform_loader.load_waveform(media, cache)
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "extra_mb": (_rss_kb("VmHWM") - before) / 1024,
        "waveform_mb": wf.nbytes() / 2**20,
        "duration_s": wf.duration_ms / 1000,
    }


def child_repaint(media: str, cache: str) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from editor.core.model import Document, Timing
    from editor.core.waveform import Waveform
    from editor.qt.controller import Controller
    from editor.qt.views.timeline import TimelineView

    app = QApplication.instance() or QApplication([])
    wf = Waveform.load(os.path.join(cache, "bench.npz"))
    assert wf is not None
    doc = Document()
    step = int(wf.duration_ms // 1000)
    for i in range(1000):
        doc.append(doc.new_cue(i * step, i * step + step - 300, f"cue {i}", timing=Timing.ESTIMATED))
    view = TimelineView(Controller(doc))
    view.resize(WIDTH, HEIGHT)
    view.show()
    app.processEvents()
    img = QImage(view.viewport().width(), view.viewport().height(), QImage.Format.Format_ARGB32_Premultiplied)
    mid = wf.duration_ms / 2
    out = {}
    for label, mpp in (
        ("0.25 ms/px", 0.25),
        ("1 ms/px", 1.0),
        ("10 ms/px", 10.0),
        ("100 ms/px", 100.0),
        ("1 s/px", 1000.0),
        ("whole file", None),
    ):
        if mpp is None:
            view.zoom_to_fit()
        else:
            view.set_scale(mid - WIDTH * mpp / 2, mpp)
        row = {}
        # Interleaved with and without the waveform, so both see the same machine load.
        times: dict[bool, list[float]] = {True: [], False: []}
        for k in range(64):
            wave_on = k % 2 == 0
            view.set_waveform(wf if wave_on else None)
            painter = QPainter(img)
            t0 = time.perf_counter()
            view.viewport().render(painter, QPoint(0, 0))
            times[wave_on].append((time.perf_counter() - t0) * 1000)
            painter.end()
        for wave_on, key in ((True, "with"), (False, "without")):
            row[key] = statistics.median(times[wave_on][2:])
            row[key + " min"] = min(times[wave_on][2:])
        view.set_waveform(wf)
        t0 = time.perf_counter()
        for _ in range(50):
            wf.peaks(view.ms_at(0), view.ms_at(view.viewport().width()), view.viewport().width())
        row["peaks"] = (time.perf_counter() - t0) * 1000 / 50
        out[label] = row
    return out


def run_child(mode: str, media: pathlib.Path, cache: pathlib.Path) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, str(media), str(cache)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{res.stderr}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[3], sys.argv[4])))
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--repeat", type=int, default=2, help="decode runs (the best and worst are shown)")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    args = ap.parse_args()
    folder = pathlib.Path(tempfile.mkdtemp(prefix="cueline-bench-media-"))
    try:
        media = folder / "long.wav"
        cache = folder / "cache"
        cache.mkdir()
        t0 = time.perf_counter()
        write_long_wav(media, args.minutes)
        size_mb = media.stat().st_size / 2**20
        print(
            f"generated {args.minutes:g} min 48 kHz 16-bit stereo WAV: {size_mb:.0f} MB in "
            f"{time.perf_counter() - t0:.1f} s; {os.cpu_count()} cores"
        )
        runs = [run_child("decode", media, cache) for _ in range(max(1, args.repeat))]
        secs = [r["seconds"] for r in runs]
        mem = [r["extra_mb"] for r in runs]
        print(
            f"decode + reduce (wave fast path): {min(secs):.2f} s best, {max(secs):.2f} s worst "
            f"(target <= 10 s); peak extra memory {max(mem):.0f} MB (target <= 100 MB); "
            f"waveform held in memory {runs[0]['waveform_mb']:.0f} MB"
        )
        # The cache written under the real key, then reopened as the app would.
        from editor.qt.waveform_loader import load_waveform

        load_waveform(str(media), str(cache))
        cached = [run_child("cached", media, cache) for _ in range(3)]
        print(
            f"cached reopen (load_waveform): {min(c['seconds'] for c in cached) * 1000:.0f} ms best, "
            f"{max(c['seconds'] for c in cached) * 1000:.0f} ms worst (target <= 200 ms)"
        )
        rep = run_child("repaint", media, cache)
        print("timeline repaint, ms (median / min of 31), with the waveform and without it:")
        for key, row in rep.items():
            print(
                f"   {key:12s} with {row['with']:6.2f} / {row['with min']:5.2f}   without "
                f"{row['without']:6.2f} / {row['without min']:5.2f}   (peaks() alone {row['peaks']:.2f})"
            )
        worst = max(row["with"] for row in rep.values())
        cost = max(row["with"] - row["without"] for row in rep.values())
        print(
            f"timeline repaint with waveform, worst median: {worst:.2f} ms (target <= 6 ms); "
            f"the waveform adds at most {cost:.2f} ms"
        )
        if shutil.which("ffmpeg"):
            flac = folder / "ten.flac"
            subprocess.run(["ffmpeg", "-v", "error", "-t", "600", "-i", str(media), str(flac)], check=True)
            ff = run_child("ffmpeg", flac, cache)
            print(
                f"ffmpeg decoder, 10 min FLAC: {ff['seconds']:.2f} s, peak extra memory "
                f"{ff['extra_mb']:.0f} MB"
            )
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
