"""Line layout: rebalancing every cue of a big document, and one cue's re-break.

Run: `python benchmarks/run.py linebreak` or `python benchmarks/bench_linebreak.py [--cues 100000]`.
Cues: the shared benchmark generator's mixed English / Chinese / bilingual cues
(../shared/bench/gen.py) when present, else our own mix of English, Chinese and
Russian sentences; each cue keeps the line breaks the generator gave it (one or two lines), and
nothing is remembered before the cold run, so every cue is laid out anew. The generator's
bilingual cues (~20 %: an English line over a Chinese line) are stacked bilingual cues, laid
out language by language (script.stacked_parts, style.stacked_profiles): the English to 42,
the Chinese to 16 (so ~29,000 cues change where ~25,000 did when they were laid out mixed).
Prints the best of `--repeat` runs of `rebalance_lines` over all cues (building the
edit): cold (no layout remembered: layout.clear_cache, linebreak.clear_caches), the same
texts again, and Rebalance after Rebalance (the edit applied, the layouts rebalanced);
then the median time of one `break_lines` call on a two-line cue.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from editor.core import edits, layout, linebreak  # noqa: E402
from editor.core.model import Document  # noqa: E402

GEN = os.path.join(HERE, "..", "..", "shared", "bench", "gen.py")


def _texts(n: int) -> list[str]:
    """Return n cue texts (a bilingual cue is one text, its English line over its Chinese)."""
    if os.path.exists(GEN):
        import importlib.util

        spec = importlib.util.spec_from_file_location("gen", GEN)
        assert spec and spec.loader
        gen = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(gen)
        return ["\n".join(lines) for _s, _e, lines, _it in gen.make_cues(n)]
    rng = random.Random(7)
    en = "we have been trying to make the models better at solving math problems as an example".split()
    ru = "мы пытались сделать модели лучше в решении задач по математике например".split()
    zh = "咱们一直在努力让模子更好地不停数学问题，这只是一个例子。"
    out = []
    for i in range(n):
        if i % 3 == 0:
            out.append(" ".join(rng.choice(en) for _ in range(rng.randint(3, 16))))
        elif i % 3 == 1:
            out.append(" ".join(rng.choice(ru) for _ in range(rng.randint(3, 12))))
        else:
            k = rng.randrange(len(zh) - 8)
            out.append((zh * 2)[k : k + rng.randint(8, 30)])
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cues", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = _texts(args.cues)
    doc = Document()
    for i, text in enumerate(texts):
        doc.append(doc.new_cue(i * 2000, i * 2000 + 1800, text))
    two_line = sum(1 for t in texts if "\n" in layout.lay_out(t, layout.track_profile(None, "text", t)))
    linebreak.chinese_words()  # the word list is read once per process, before any layout
    cold = cold_cpu = warm = again = float("inf")
    for _ in range(args.repeat):
        # Cold: nothing of these texts remembered (a document opened and rebalanced once).
        layout.clear_cache()
        linebreak.clear_caches()
        t0, c0 = time.perf_counter(), time.process_time()
        edit = layout.rebalance_lines(doc, None, "text")
        cold = min(cold, time.perf_counter() - t0)
        # CPU time too: on a shared machine the wall clock also counts other processes' turns.
        cold_cpu = min(cold_cpu, time.process_time() - c0)
        # The same texts again (Rebalance pressed twice without applying, or undone and redone).
        t0 = time.perf_counter()
        layout.rebalance_lines(doc, None, "text")
        warm = min(warm, time.perf_counter() - t0)
    changed = len(getattr(edit, "edits", [edit])[0].values) if getattr(edit, "edits", None) else 0
    inverse, _ = edits.apply(doc, edit)
    for _ in range(args.repeat):
        # Rebalance after Rebalance: the texts are now the layouts themselves.
        t0 = time.perf_counter()
        again_edit = layout.rebalance_lines(doc, None, "text")
        again = min(again, time.perf_counter() - t0)
    assert not getattr(again_edit, "edits", None), "a second Rebalance changed a cue"
    edits.apply(doc, inverse)
    print(f"rebalance {len(texts)} cues ({two_line} laid out on 2+ lines, {changed} changed): "
          f"cold {cold:.3f} s (CPU {cold_cpu:.3f} s), same texts again {warm:.3f} s, "
          f"rebalance after rebalance {again:.3f} s "
          f"(best of {args.repeat})")
    sample = [t for t in texts if len(t) > 50][:2000]
    times = []
    for text in sample:
        t0 = time.perf_counter()
        linebreak.break_lines(text, 42, 2)
        times.append(time.perf_counter() - t0)
    print(f"one re-break of a long cue: median {statistics.median(times) * 1e6:.0f} µs, "
          f"worst {max(times) * 1e6:.0f} µs over {len(times)} cues")
    return 0


if __name__ == "__main__":
    sys.exit(main())
