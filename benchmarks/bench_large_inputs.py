"""Worst-case read speed: every reader on an input just under 1 MB made of the smallest records.

Run: `python benchmarks/bench_large_inputs.py [--repeat 5] [NAME ...]`.
Target (issue 7): each read under 1 s for inputs under 1 MB. The fuzz soak's inputs are
small (~130 KB at most); these are built to be slow: a record per ~10 bytes (a 1 MB plain
transcript of one-word lines is 100k+ cues), so per-record costs show.

Reads go through the same functions as the fuzz soak (tests/support/fuzz.py READERS),
with the garbage collector on as in any run. Prints one row per input: bytes, cues, the
best of `--repeat` reads (wall and CPU of this process) and whether it is under 1 s. The
speed of a shared machine drifts by a third within minutes: a fixed pure-Python loop is
timed before and after, so runs can be compared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from editor.core.formats import project
from editor.core.model import Document
from editor.core.segmentation import format_clock
from editor.core.timecode import format_srt, format_vtt
from tests.support import fuzz

LIMIT_S = 1.0
MAX_BYTES = 1_000_000
EN = "yes no ok right so well and the a I you we go it".split()
EN_ENDS = ["", ".", "?", ","]
ZH = "好的是不对我们你他这那就在有了吗呢"
ZH_ENDS = ["", "。", "？", "，"]


def _fill(make: Callable[[int], str], header: str = "", footer: str = "") -> str:
    """Return header + make(0) + make(1) + ... + footer, as many records as fit MAX_BYTES."""
    parts = [header]
    size = len(header.encode()) + len(footer.encode())
    i = 0
    while True:
        rec = make(i)
        n = len(rec.encode())
        if size + n > MAX_BYTES:
            break
        parts.append(rec)
        size += n
        i += 1
    parts.append(footer)
    return "".join(parts)


def inputs(rng: random.Random) -> dict[str, tuple[str, str]]:
    """Return name -> (reader, text) of the worst-case inputs."""

    def en(i: int) -> str:
        return " ".join(rng.choice(EN) for _ in range(rng.randint(1, 3))) + rng.choice(EN_ENDS)

    def zh(i: int) -> str:
        return "".join(rng.choice(ZH) for _ in range(rng.randint(1, 4))) + rng.choice(ZH_ENDS)

    def srt_timing(i: int) -> str:
        return f"{format_srt(i * 1500)} --> {format_srt(i * 1500 + 1000)}"

    def vtt_timing(i: int) -> str:
        return f"{format_vtt(i * 1500)} --> {format_vtt(i * 1500 + 1000)}"

    def heading(i: int) -> str:
        return f"## {i} ({format_clock(i * 2000)} - {format_clock(i * 2000 + 1000)})"

    whisper_text = _fill(
        lambda i: json.dumps({"id": i, "start": i * 1.5, "end": i * 1.5 + 1.0, "text": " " + en(i)}) + ",",
        '{"text": "", "segments": [',
        '{"start": 0.0, "end": 0.0, "text": ""}]}',
    )

    cueline = ""
    n = 8000
    while True:  # the largest project of short cues under MAX_BYTES
        doc = Document()
        for i in range(n):
            doc.append(doc.new_cue(i * 1500, i * 1500 + 1000, en(i)))
        text = project.write_project(doc)
        if len(text.encode()) > MAX_BYTES:
            break
        cueline = text
        n = int(n * 1.25)

    return {
        "plain, English one-word lines": ("transcript_plain", _fill(lambda i: en(i) + "\n")),
        "plain, Chinese short lines": ("transcript_plain", _fill(lambda i: zh(i) + "\n")),
        "plain, auto-detected": ("detect", _fill(lambda i: en(i) + "\n")),
        "speaker turns": ("transcript_speakers", _fill(lambda i: f"{'AB'[i % 2]}: {en(i)}\n")),
        "timestamped lines": (
            "transcript_timestamped",
            _fill(lambda i: f"[{format_clock(i * 2000)}] {en(i)}\n"),
        ),
        "Otter headers": (
            "transcript_otter",
            _fill(lambda i: f"Speaker {i % 3 + 1}  {format_clock(i * 2000)}\n{en(i)}\n\n"),
        ),
        "segment page": (
            "transcript_segments",
            _fill(lambda i: f"{heading(i)}\n{en(i)}\n"),
        ),
        "SRT, one-word cues": (
            "srt",
            _fill(lambda i: f"{i + 1}\n{srt_timing(i)}\n{en(i)}\n\n"),
        ),
        "WebVTT, one-word cues": (
            "vtt",
            _fill(lambda i: f"{vtt_timing(i)}\n{en(i)}\n\n", "WEBVTT\n\n"),
        ),
        "Whisper JSON": ("whisper", whisper_text),
        ".cueline": ("cueline", cueline),
    }  # fmt: skip


def _cues(result: object) -> int:
    cues = getattr(result, "cues", None)
    return len(cues) if cues is not None else 0


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("only", nargs="*", help="part of an input's name")
    args = ap.parse_args(argv)
    rng = random.Random(20261129)
    cases = inputs(rng)
    print(f"reference loop before: {_reference_s():.2f} s")
    print(f"{'input':32s} {'bytes':>9s} {'cues':>8s} {'wall s':>7s} {'CPU s':>7s}  under 1 s")
    missed = 0
    for name, (reader, text) in cases.items():
        if args.only and not any(o.lower() in name.lower() for o in args.only):
            continue
        data = text.encode()
        assert len(data) < MAX_BYTES + 100, name
        read = fuzz.READERS[reader]
        best_wall = best_cpu = float("inf")
        cues = 0
        for _ in range(args.repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            cues = _cues(read(data))
            best_wall = min(best_wall, time.perf_counter() - wall)
            best_cpu = min(best_cpu, time.process_time() - cpu)
        ok = best_wall < LIMIT_S
        missed += not ok
        verdict = "yes" if ok else "NO"
        print(f"{name:32s} {len(data):9d} {cues:8d} {best_wall:7.2f} {best_cpu:7.2f}  {verdict}", flush=True)
    print(f"reference loop after: {_reference_s():.2f} s")
    return 1 if missed else 0


def _reference_s() -> float:
    """Return the best of 3 CPU times of a fixed pure-Python loop (~0.5 s on a quiet machine)."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        sum(range(30_000_000))
        best = min(best, time.process_time() - start)
    return best


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
