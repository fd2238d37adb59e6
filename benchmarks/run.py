"""The project's benchmark script: runs every benchmarks/bench_*.py and prints their figures.

Usage: python benchmarks/run.py [NAME ...]   (NAME = part of a bench file name, e.g. srt vtt)
Figures are measured here, not asserted in unit tests (timed tests are flaky on shared machines).
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    benches = sorted(HERE.glob("bench_*.py"))
    if argv:
        benches = [b for b in benches if any(name in b.stem for name in argv)]
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env["PYTHONPATH"] = str(HERE.parent) + os.pathsep + env.get("PYTHONPATH", "")
    failed = 0
    for bench in benches:
        print(f"\n=== {bench.stem} ===", flush=True)
        start = time.perf_counter()
        res = subprocess.run([sys.executable, str(bench)], env=env, cwd=HERE.parent)
        print(f"--- {bench.stem}: {time.perf_counter() - start:.1f} s, exit {res.returncode}", flush=True)
        failed += res.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
