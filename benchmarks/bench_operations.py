"""Compound operations and the .cueline project file on big documents.

Run: `python benchmarks/bench_operations.py [--cues 100000] [--repeat 3]`.
For each operation: time to build the edit, to apply it and to apply its inverse
(undo), best of `--repeat`, in milliseconds. Then .cueline write and read times and
the file size. Issue 4 asks for undo of "shift all" ≤ 300 ms at 100k cues (the
core part is the "undo" column; the views add their refresh on top).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from editor.core import edits
from editor.core import operations as op
from editor.core.formats import project
from editor.core.model import Document, Speaker


def make_doc(n: int) -> Document:
    """Return n cues, mixed English/Chinese, two speakers, markup and `< & >`."""
    doc = Document(speakers=[Speaker("s1", "Ann"), Speaker("s2", "Bo")])
    for i in range(n):
        doc.append(
            doc.new_cue(
                i * 2000,
                i * 2000 + 1500 + (i % 7) * 100,  # some overlap the next cue, some leave small gaps
                f"Line {i} & <i>text</i> < > 中文字幕",
                translation="译文，第二句。" if i % 2 else "",
                speaker_id="s1" if i % 3 else "s2",
            )
        )
    return doc


def bench(doc: Document, name: str, build: Callable[[], edits.Edit], repeat: int) -> None:
    best = [float("inf")] * 3
    for _ in range(repeat):
        t0 = time.perf_counter()
        edit = build()
        t1 = time.perf_counter()
        inverse, _ = edits.apply(doc, edit)
        t2 = time.perf_counter()
        edits.apply(doc, inverse)
        t3 = time.perf_counter()
        best = [min(b, x) for b, x in zip(best, (t1 - t0, t2 - t1, t3 - t2), strict=True)]
    print(f"{name:30s} {best[0] * 1000:9.1f} {best[1] * 1000:9.1f} {best[2] * 1000:9.1f}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cues", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n, repeat = args.cues, args.repeat
    doc = make_doc(n)
    mid = doc.cues[n // 2].id
    print(f"{n} cues; best of {repeat}; milliseconds")
    print(f"{'operation':30s} {'build':>9s} {'apply':>9s} {'undo':>9s}")
    bench(doc, "shift all", lambda: op.shift_cues(doc, None, 500), repeat)
    bench(
        doc,
        "two-point sync",
        lambda: op.two_point_sync(doc, (1, 100), (doc.cues[-1].id, 2 * n * 2000)),
        repeat,
    )
    bench(doc, "reading speed (all)", lambda: op.set_duration_for_reading_speed(doc, None), repeat)
    bench(doc, "fix overlaps (all)", lambda: op.fix_overlaps(doc, None), repeat)
    bench(doc, "close small gaps (all)", lambda: op.close_small_gaps(doc, None, 600), repeat)
    bench(
        doc,
        "replace all (regex, both)",
        lambda: op.replace_all(doc, r"Line (\d+)", r"L\1", regex=True, fields="both")[0],
        repeat,
    )
    bench(doc, "merge speakers", lambda: op.merge_speakers(doc, ["s2"], "s1"), repeat)
    bench(doc, "split one cue", lambda: op.split_cue(doc, mid, 5)[0], repeat)
    bench(doc, "merge two cues", lambda: op.merge_cues(doc, [mid, doc.cues[n // 2 + 1].id]), repeat)
    bench(doc, "insert one cue", lambda: op.insert_cue(doc, at_ms=n * 2000 + 10_000)[0], repeat)
    bench(
        doc,
        "delete 1,000 scattered cues",
        lambda: op.delete_cues(doc, [c.id for c in doc.cues[::100]][:1000]),
        repeat,
    )
    bench(doc, "delete half the cues", lambda: op.delete_cues(doc, [c.id for c in doc.cues[::2]]), repeat)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        op.find(doc, "no such text")
        best = min(best, time.perf_counter() - t0)
    print(f"{'find (no match, full scan)':30s} {best * 1000:9.1f}")

    write_s = read_s = float("inf")
    text = ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        text = project.FORMAT.write(doc)
        t1 = time.perf_counter()
        back = project.FORMAT.read(text)
        t2 = time.perf_counter()
        write_s, read_s = min(write_s, t1 - t0), min(read_s, t2 - t1)
    assert back.snapshot() == doc.snapshot()
    size = len(text.encode("utf-8"))
    print(
        f".cueline: write {write_s * 1000:.0f} ms, read {read_s * 1000:.0f} ms, "
        f"{size / 1e6:.1f} MB ({size / n:.0f} bytes per cue)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
