"""Segmentation and QC speed.

Run: `python benchmarks/bench_segmentation_qc.py [--repeat 3] [--cues 100000]`.
Targets: segmenting a 1,000,000-character transcript <= 2 s; QC over 100k cues <= 1 s;
re-checking after a single-cue edit <= 5 ms (incremental `QcIndex.update`).

Prints the best of `--repeat` runs (wall clock and CPU time of this process: on a
shared machine the CPU figure is the steadier one).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from editor.core import edits
from editor.core.model import Document, Speaker, Timing
from editor.core.qc import QcIndex, check
from editor.core.segmentation import Segment, segment

EN_WORDS = (
    "we the model is reasoning about a complex puzzle and think it's really great so let's train it with "
    "RL what 3.5 or 1,000 examples released o1-preview today because when you ask questions people need "
    "answers immediately e.g. Mr. Smith https://openai.com/o1 moment training process chain of thought"
).split()
EN_ENDS = [".", ".", ",", ",", "?", "!", ";", ""]
ZH_CHARS = (
    "咱们将使用新称号推出一系列模子这是为了强调样个事实与以前的比较您在时可能会感到不同正如其他人稍后阐明那"
)
ZH_PUNCT = "，。、？！：；"


def english_text(n_chars: int, rng: random.Random) -> str:
    parts: list[str] = []
    size = 0
    while size < n_chars:
        w = rng.choice(EN_WORDS)
        if rng.random() < 0.12:
            w += rng.choice(EN_ENDS)
        parts.append(w)
        size += len(w) + 1
    return " ".join(parts)[:n_chars]


def chinese_text(n_chars: int, rng: random.Random) -> str:
    out: list[str] = []
    for _ in range(n_chars):
        r = rng.random()
        if r < 0.06:
            out.append(rng.choice(ZH_PUNCT))
        elif r < 0.065:
            out.append(" GPT-4 ")
        else:
            out.append(rng.choice(ZH_CHARS))
    return "".join(out)[:n_chars]


def best_of(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Return (best wall s, best cpu s, last result) over `repeat` runs."""
    walls, cpus = [], []
    result: object = None
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus), result


def bench_segmentation(repeat: int) -> None:
    rng = random.Random(7)
    en = english_text(1_000_000, rng)
    zh = chinese_text(1_000_000, rng)
    chunks = [en[i : i + 5000] for i in range(0, len(en), 5000)]
    cases = {
        "en, one timed segment": [Segment(en, 0, 66_000_000)],
        "en, 200 timed segments": [Segment(t, i * 330_000, (i + 1) * 330_000) for i, t in enumerate(chunks)],
        "en, untimed": [Segment(en)],
        "zh, one timed segment": [Segment(zh, 0, 220_000_000)],
        "zh, untimed": [Segment(zh)],
    }
    print("Segmentation of 1,000,000 characters (target <= 2.0 s)")
    print(f"  {'case':28} {'wall s':>8} {'cpu s':>8} {'cues':>8}")
    for name, segs in cases.items():
        wall, cpu, result = best_of(lambda segs=segs: segment(segs, media_duration_ms=None), repeat)
        print(f"  {name:28} {wall:8.3f} {cpu:8.3f} {len(result.cues):8d}")  # type: ignore[attr-defined]


def qc_document(n: int, *, translated: bool, rng: random.Random, stress: bool = False) -> Document:
    """Return a document of `n` cues.

    Realistic (default): durations follow the text (about 15 characters a second),
    lines are wrapped, a few cues break a rule. `stress`: random durations and
    gaps, so that most cues have one or two problems (the expensive case).
    """
    doc = Document(speakers=[Speaker("s1", "Ann"), Speaker("s2", "Bo")], source_language="en")
    if translated:
        doc.translation_language = "zh-cn"
    t = 0
    for i in range(n):
        words = rng.randint(4, 14)
        text = " ".join(rng.choice(EN_WORDS) for _ in range(words))
        if len(text) > 40:
            mid = text.rfind(" ", 0, len(text) // 2 + 5)
            text = text[:mid] + "\n" + text[mid + 1 :]
        if stress:
            dur = rng.randint(700, 7500)
            gap = rng.choice([40, 83, 120, 500, 2000, -200])
        else:
            dur = min(6500, max(900, len(text) * 1000 // 15 + rng.randint(-200, 800)))
            gap = rng.choice([83, 120, 250, 500, 1500]) if rng.random() > 0.01 else rng.choice([40, -200])
        cue = doc.new_cue(
            t,
            t + dur,
            text,
            speaker_id=rng.choice(["s1", "s2", None]) if i % 50 == 0 else "s1",
            timing=Timing.ESTIMATED if i % 10 == 0 else Timing.EXACT,
        )
        if translated and i % 20:
            # A translation keeps the source's numbers, as a real one does (mostly).
            numbers = " ".join(re.findall(r"\d+(?:[.,]\d+)*", text)) if i % 7 else ""
            tr = chinese_text(max(2, len(text) // 4), rng) + numbers
            cue.translation = tr if len(tr) <= 16 else tr[: len(tr) // 2] + "\n" + tr[len(tr) // 2 :]
        doc.append(cue)
        t += dur + gap
    return doc


def bench_qc(n: int, repeat: int) -> None:
    rng = random.Random(11)
    print(f"\nQC over {n:,} cues (target <= 1.0 s; single-cue re-check <= 5 ms)")
    for translated, stress in ((False, False), (True, False), (False, True), (True, True)):
        doc = qc_document(n, translated=translated, rng=rng, stress=stress)
        label = ("with translation" if translated else "source only") + (", stress" if stress else "")
        wall, cpu, problems = best_of(lambda doc=doc: check(doc), repeat)
        print(f"  full check, {label:25} {wall:7.3f} s wall {cpu:7.3f} s cpu  ({len(problems):,} problems)")  # type: ignore[arg-type]
        index = QcIndex(doc)
        ids = [c.id for c in doc.cues]
        samples: dict[str, list[float]] = {"text edit": [], "time edit": [], "translation edit": []}
        for k in range(300):
            cid = rng.choice(ids)
            cue = doc.cue(cid)
            kind = list(samples)[k % 3]
            if kind == "text edit":
                edit: edits.Edit = edits.set_field(cid, "text", cue.text + " more words here")
            elif kind == "time edit":
                edit = edits.SetTimes({cid: (cue.start_ms + 100, cue.end_ms + 50)})
            else:
                edit = edits.set_field(cid, "translation", "新的翻译文字" * rng.randint(1, 4))
            _, changes = edits.apply(doc, edit)
            t0 = time.perf_counter()
            index.update(changes)
            samples[kind].append((time.perf_counter() - t0) * 1000)
        for kind, values in samples.items():
            print(
                f"    update after a {kind:17} median {statistics.median(values):6.3f} ms"
                f"  max {max(values):6.3f} ms"
            )
        structural = []
        for _ in range(20):
            cid = rng.choice([c.id for c in doc.cues[:1000]])
            _, changes = edits.apply(doc, edits.RemoveCues([cid]))
            t0 = time.perf_counter()
            index.update(changes)
            structural.append((time.perf_counter() - t0) * 1000)
        print(f"    update after removing a cue      median {statistics.median(structural):6.3f} ms")
        assert len(index.all()) == len(check(doc)), "index drifted from a full check"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cues", type=int, default=100_000)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    bench_segmentation(args.repeat)
    from editor.core import language

    t0 = time.perf_counter()
    language.preload()  # the GUI does this on a worker after start; not part of an edit's cost
    print(f"\nlangdetect profile load, once per process: {time.perf_counter() - t0:.2f} s")
    bench_qc(args.cues, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
