"""Fuzz soak: 10,000 hostile inputs per reader, with the generator of tests/test_fuzz.py.

Run: `python benchmarks/soak_fuzz.py [--examples 10000] [--seed 1] [READER ...]`.

Hypothesis draws random bytes and mutations of valid files (tests/support/fuzz.py) in
generate-only mode: a failure is recorded and the run goes on, so one bug does not hide
the next. A failure is any exception other than our EditorError, or a read of an input
under 1 MB that takes 1 s or more (best of two tries, as the machine may be busy). Prints
one row per reader (inputs tried, failures, slowest read) and the distinct failures with a
sample input; exits 1 when any was found. It is not a bench_*.py, so benchmarks/run.py does
not run it (it takes 20-30 minutes on 2 shared cores).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from dataclasses import dataclass, field

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from hypothesis import HealthCheck, Phase, given, seed, settings

from tests.support import fuzz

LIMIT_S = 1.0
MAX_INPUT_BYTES = 1024 * 1024


@dataclass
class Tally:
    inputs: int = 0
    slowest_s: float = 0.0
    slowest_bytes: int = 0
    total_s: float = 0.0
    # Failure kind (exception type and where it was raised, or "slow") -> (count, sample input)
    failures: dict[str, tuple[int, bytes]] = field(default_factory=dict)

    def fail(self, kind: str, data: bytes) -> None:
        count, sample = self.failures.get(kind, (0, data))
        self.failures[kind] = (count + 1, sample)


def _kind(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{type(exc).__name__} at {os.path.basename(frame.filename)}:{frame.lineno}: {str(exc)[:120]}"


def soak(reader: str, examples: int, seed_value: int) -> Tally:
    """Feed `examples` generated inputs to `reader`; returns what happened."""
    tally = Tally()

    @seed(seed_value)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(fuzz.inputs(reader))
    def run(data: bytes) -> None:
        seconds, exc = fuzz.run_one(reader, data)
        if exc is None and seconds >= LIMIT_S:
            # The machine is shared: a read counts as slow only if a second try is slow too.
            seconds = min(seconds, fuzz.run_one(reader, data)[0])
        tally.inputs += 1
        tally.total_s += seconds
        if seconds > tally.slowest_s:
            tally.slowest_s, tally.slowest_bytes = seconds, len(data)
        if exc is not None:
            tally.fail(_kind(exc), data)
        elif seconds >= LIMIT_S and len(data) < MAX_INPUT_BYTES:
            tally.fail(f"slow: {seconds:.2f} s on {len(data)} bytes", data)

    run()
    return tally


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("readers", nargs="*", metavar="READER", help=", ".join(fuzz.READERS))
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--save", metavar="DIR", help="write one sample input per failure kind here")
    args = parser.parse_args(argv)
    readers = args.readers or list(fuzz.READERS)
    unknown = [r for r in readers if r not in fuzz.READERS]
    if unknown:
        parser.error(f"unknown reader(s): {', '.join(unknown)}")
    print(f"{'reader':24} {'inputs':>8} {'failures':>8} {'mean ms':>8} {'slowest s':>10} {'at bytes':>9}")
    found = 0
    for reader in readers:
        start = time.perf_counter()
        t = soak(reader, args.examples, args.seed)
        failures = sum(n for n, _ in t.failures.values())
        found += failures
        mean_ms = 1000 * t.total_s / max(t.inputs, 1)
        print(
            f"{reader:24} {t.inputs:8d} {failures:8d} {mean_ms:8.2f} {t.slowest_s:10.3f} {t.slowest_bytes:9d}"
            f"   ({time.perf_counter() - start:.0f} s)",
            flush=True,
        )
        for k, (kind, (count, sample)) in enumerate(t.failures.items()):
            print(f"    {count} x {kind}\n      sample: {sample[:300]!r}", flush=True)
            if args.save:
                os.makedirs(args.save, exist_ok=True)
                with open(os.path.join(args.save, f"{reader}-{k}.bin"), "wb") as fh:
                    fh.write(sample)
    print("no failures" if not found else f"{found} failure(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
