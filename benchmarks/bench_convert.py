"""`cueline convert` of a large SRT to WebVTT next to Gaupol's core library (aeidon), whole processes.

Run: `python benchmarks/bench_convert.py [--cues 100000] [--rounds 5]`.
Each round runs both, one after the other (interleaved, so a busy machine slows both alike),
as a user would: a fresh interpreter that reads the SRT and writes the WebVTT (ours with the
export linter, as `cueline convert` always does). Prints each side's median and range and the
ratio ours/aeidon per round, of the wall-clock time and of the CPU time (user + system) each
process used: on a shared machine the wall clock also counts waiting for a core, the CPU time
does not. Target: ratio <= 0.35. aeidon is the `bench` extra (`pip install aeidon`); without
it only our time is printed.

The input is the shared generator's `cues_N.srt` (../shared/bench/gen.py: mixed English/Chinese,
speaker prefixes, markup, `& < >`) when it is there, else this repository's bench_srt generator.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "bench" / "gen.py"

AEIDON = """
import sys, aeidon
subs = aeidon.files.new(aeidon.formats.SUBRIP, sys.argv[1], "utf_8").read()
aeidon.files.new(aeidon.formats.WEBVTT, sys.argv[2], "utf_8").write(subs, aeidon.documents.MAIN)
"""


def make_input(cues: int, folder: pathlib.Path) -> pathlib.Path:
    """Return the path of an SRT with `cues` cues (the shared generator's when available)."""
    if GEN.exists():
        subprocess.run(
            [sys.executable, str(GEN), "--out", str(folder), "--sizes", str(cues)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return folder / f"cues_{cues}.srt"
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_srt import make_srt

    path = folder / f"cues_{cues}.srt"
    path.write_text(make_srt(cues), encoding="utf-8")
    return path


def _aeidon_available() -> bool:
    res = subprocess.run([sys.executable, "-c", "import aeidon"], capture_output=True)
    return res.returncode == 0


# As a user's installed copy runs: with its modules' bytecode cached (pip compiles aeidon's on
# install; our editable checkout gets its cache from the untimed first run). An environment with
# PYTHONDONTWRITEBYTECODE would have every timed run of ours compile its ~30 modules (~0.05 s).
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Run `cmd`; return its wall-clock time and the CPU time (user + system) it used."""
    before = os.times()
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=_ENV)
    elapsed = time.perf_counter() - t0
    after = os.times()
    if res.returncode != 0:
        raise SystemExit(f"failed ({res.returncode}): {' '.join(cmd)}\n{res.stderr}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return elapsed, cpu


def _spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s (range {min(values):.2f}-{max(values):.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cues", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp)
        src = make_input(args.cues, folder)
        out = str(folder / "ours.vtt")
        ours_cmd = [sys.executable, str(ROOT / "main.py"), "convert", str(src), "-o", out]
        theirs_cmd = [sys.executable, "-c", AEIDON, str(src), str(folder / "aeidon.vtt")]
        with_aeidon = _aeidon_available()
        _timed(ours_cmd)  # warm the page cache and the bytecode caches, untimed
        ours: list[tuple[float, float]] = []
        theirs: list[tuple[float, float]] = []
        for _ in range(args.rounds):
            ours.append(_timed(ours_cmd))
            if with_aeidon:
                theirs.append(_timed(theirs_cmd))
        print(f"convert {args.cues} cues SRT -> WebVTT, {args.rounds} interleaved rounds")
        for k, kind in enumerate(("wall clock", "CPU time")):
            print(f" {kind}:")
            print(f"  cueline convert: {_spread([o[k] for o in ours])}")
            if not with_aeidon:
                print("  aeidon: not installed (pip install aeidon), no ratio")
                continue
            ratios = [a[k] / b[k] for a, b in zip(ours, theirs, strict=True)]
            print(f"  aeidon:          {_spread([t[k] for t in theirs])}")
            print(
                f"  ratio ours/aeidon: median {statistics.median(ratios):.2f} "
                f"(per round {min(ratios):.2f}-{max(ratios):.2f}; target <= 0.35)"
            )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
