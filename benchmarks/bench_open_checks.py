"""What a window does after a long file's rows are painted: detect its languages, build its QC index.

Run: `python benchmarks/bench_open_checks.py [--cues 100000] [--repeat 5]`.
On the peers' generated SRT (../shared/bench/gen.py: mixed English/Chinese, the file
benchmarks/peers.py opens) it prints, each the best of `--repeat` in this process (CPU time: on the
shared machine the steadier figure):
- language detection of the document, the scoped table (language.detect_scoped, its n-grams looked
  up in the profiles' cache, langdetect's own detector) beside the same
  table from the JSON profiles parsed on each call with langdetect's detector (as before the
  cache) and langdetect's whole table loaded as before that (time and the memory it allocates,
  tracemalloc);
- the QC index without the spelling check (QC's own checks) and with it (dictionary already loaded),
  built with the whole-document fast paths (most Problems left as codes, built when a view asks)
  and with the plain per-cue versions, and the memory the index holds;
- with `--jobs N`, the window's whole checks job (session.checks_job: languages, then the index) run
  once in each of N fresh processes, as a launch runs it (its first run pays what a warm process
  would not: the memory it first touches, the caches it fills).
"""

from __future__ import annotations

import argparse
import gc
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from itertools import pairwise

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from editor.core import documents, language, qc
from editor.core.model import Document

GEN = pathlib.Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "gen.py"


def generated(n: int) -> pathlib.Path | None:
    """Return the peers' generated SRT of `n` cues (written once into the temp folder)."""
    out = pathlib.Path(tempfile.gettempdir()) / "cueline-bench-open-checks"
    path = out / f"cues_{n}.srt"
    if not path.exists() and GEN.exists():
        subprocess.run(
            [sys.executable, str(GEN), "--out", str(out), "--sizes", str(n)], check=True, capture_output=True
        )
    return path if path.exists() else None


def best_cpu(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        t0 = time.process_time()
        result = fn()
        best = min(best, time.process_time() - t0)
    return best, result


def allocated(fn: Callable[[], object]) -> tuple[float, float, object]:
    """Return (MB held afterwards, MB peak, result) of one call."""
    gc.collect()
    tracemalloc.start()
    result = fn()
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return held / 1e6, peak / 1e6, result


def whole_table(doc: Document) -> tuple[str | None, str | None]:
    """Language detection as before detect_scoped: langdetect's every profile loaded."""
    language.release()
    texts = [c.text for c in doc.cues]
    translations = [c.translation for c in doc.cues]
    return language.detect(language.sample_text(texts)), language.detect(language.sample_text(translations))


def plain_index(doc: Document, profile: qc.QcProfile) -> qc.QcIndex:
    """The index built by the plain per-cue versions of QC's whole-document fast paths."""
    saved = qc.local_problems_fast, qc.lacking_translation, qc.unclear_pairs, qc.pair_table_fast
    saved_codes = qc.own_codes_bulk, qc.pair_codes_bulk
    qc.own_codes_bulk = qc.pair_codes_bulk = lambda *args: None  # every Problem built at once
    qc.local_problems_fast = qc.local_problems
    qc.pair_table_fast = qc.pair_table
    qc.lacking_translation = lambda cues: {c.id for c in cues if qc._lacks_translation(c)}
    qc.unclear_pairs = lambda cues, gap: [
        (a, b) for a, b in pairwise(cues) if not qc.pair_is_clear(a, b, gap)
    ]
    try:
        return qc.QcIndex(doc, profile)
    finally:
        qc.local_problems_fast, qc.lacking_translation, qc.unclear_pairs, qc.pair_table_fast = saved
        qc.own_codes_bulk, qc.pair_codes_bulk = saved_codes


JOB = """
import gc, sys, time
from editor.core import documents, spelling
from editor.qt import session
doc = documents.load(sys.argv[1])
spelling.STORE.get("en", block=True)
gc.disable()  # as the window's worker runs it (workers.run_task(..., pause_gc=True))
t0 = time.process_time()
session.checks_job(doc)
print(time.process_time() - t0)
"""


def fresh_jobs(path: pathlib.Path, runs: int) -> list[float]:
    """Return the CPU seconds of the checks job in each of `runs` fresh processes."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    env = {**os.environ, "PYTHONPATH": root, "QT_QPA_PLATFORM": "offscreen"}
    out = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", JOB, str(path)], check=True, capture_output=True, text=True, env=env
        )
        out.append(float(done.stdout.split()[-1]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cues", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=0, help="also the checks job in N fresh processes")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    path = generated(args.cues)
    if path is None:
        print(f"skipped: {GEN} is not there")
        return 0
    doc = documents.load(path)
    print(f"{path.name}: {len(doc):,} cues")

    print("\nLanguage detection of the document")
    language.detect_document(doc)  # the profiles' cache is built once per machine: here if not yet
    held, peak, found = allocated(lambda: language.detect_document(doc))
    cpu, _ = best_cpu(lambda: language.detect_document(doc), args.repeat)
    print(f"  scoped table (now)   {cpu:6.3f} s cpu  {peak:6.1f} MB peak  {held:5.1f} MB held  {found}")
    cached = language._cached_profiles
    # No cache: the JSON profiles parsed on every call, and langdetect's own detector.
    language._cached_profiles = lambda: None
    try:
        held, peak, found = allocated(lambda: language.detect_document(doc))
        cpu, _ = best_cpu(lambda: language.detect_document(doc), args.repeat)
    finally:
        language._cached_profiles = cached
    print(f"  scoped, JSON parsed  {cpu:6.3f} s cpu  {peak:6.1f} MB peak  {held:5.1f} MB held  {found}")
    held, peak, found = allocated(lambda: whole_table(doc))
    cpu, _ = best_cpu(lambda: whole_table(doc), args.repeat)
    print(f"  whole table (before) {cpu:6.3f} s cpu  {peak:6.1f} MB peak  {held:5.1f} MB held  {found}")
    language.release()
    doc.source_language, doc.translation_language = language.detect_document(doc)

    print("\nQC index (the collector paused, as on the window's worker)")
    from editor.core import spelling

    spelling.STORE.get("en", block=True)  # the dictionary is loaded before the index, as the window has it
    for label, profile in (
        ("own checks", qc.QcProfile(disabled=frozenset({"spelling"}))),
        ("with spelling", qc.QcProfile()),
    ):
        for how, build in (("fast", qc.QcIndex), ("plain", plain_index)):
            gc.disable()
            try:
                cpu, index = best_cpu(lambda build=build, profile=profile: build(doc, profile), args.repeat)
            finally:
                gc.enable()
            del index
            held, peak, index = allocated(lambda build=build, profile=profile: build(doc, profile))
            print(
                f"  {label:13} {how:5} {cpu:6.3f} s cpu  {held:5.1f} MB held  {peak:5.1f} MB peak"
                f"  ({index.count:,} problems)"  # type: ignore[attr-defined]
            )
            del index
    if args.jobs:
        cpu = sorted(fresh_jobs(path, args.jobs))
        print(f"\nChecks job in {args.jobs} fresh processes (languages, then the index)")
        print(f"  best {cpu[0]:6.3f} s cpu  median {cpu[len(cpu) // 2]:6.3f} s  worst {cpu[-1]:6.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
