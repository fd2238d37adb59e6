"""Spelling speed: checking 100k cues (target <= 5 s, off the GUI thread) and one cue per keystroke.

Run: `python benchmarks/bench_spelling.py [--cues 100000] [--vocabulary 20000]`.

The document is 100k two-line English cues drawn from a vocabulary of seed-like words plus
`--vocabulary` distinct words taken from the dictionary's own word list (half of them
inflected: models, asked, thinking), with one cue in twenty carrying a typo, so that the
per-word cache starts cold on tens of thousands of distinct words as a real season of
subtitles would. Figures printed:

* dictionary load (once per process; the GUI does it on a worker thread),
* the whole document checked cold (fresh caches) and warm (words already seen),
* QcIndex over the document with and without the spelling check,
* one cue re-checked after an edit (the core's part of a keystroke),
* typing into a QPlainTextEdit with and without the spelling highlighter (offscreen Qt): the
  difference is what underlining adds to each keystroke (target <= 2 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from editor.core import spelling
from editor.core.model import Cue, Document
from editor.core.qc import QcIndex, QcProfile

SEED_WORDS = (
    "we're starting a series of new models with the name o1 and this is to highlight fact that you might "
    "feel different when use as compared previous such GPT-4o so others will explain later reasoning model "
    "it think more before answering your question releasing two o1-preview which preview what's coming "
    "mini faster smaller trained similar framework hope like our naming scheme one way thinking times "
    "where ask questions answer immediately 3:16 20% NASA's AI"
).split()


def make_document(n_cues: int, vocabulary: int, rng: random.Random) -> Document:
    dic_path = spelling.find_dictionary("en")
    assert dic_path is not None
    with open(dic_path + ".dic", encoding="utf-8", errors="replace") as f:
        stems = [line.split("/")[0].strip() for line in f.readlines()[1:]]
    stems = [s for s in stems if s.isalpha() and s.islower()]
    extra = rng.sample(stems, min(vocabulary, len(stems)))
    # Half of them inflected where Hunspell accepts the form (models, thinking, asked), so that
    # the plain-stem shortcut does not answer everything: real text is full of inflections.
    dic = spelling.STORE.get("en")
    assert dic is not None
    for k in range(0, len(extra), 2):
        for suffix in rng.sample(["s", "ed", "ing", "es", "er", "ly"], 6):
            if dic.check(extra[k] + suffix):
                extra[k] += suffix
                break
    doc = Document(source_language="en")
    for i in range(n_cues):
        words = [rng.choice(SEED_WORDS) if rng.random() < 0.7 else rng.choice(extra) for _ in range(12)]
        if i % 20 == 0:
            k = rng.randrange(len(words))
            w = words[k]
            if len(w) > 3:
                j = rng.randrange(1, len(w) - 1)
                words[k] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]  # swapped letters
        first = " ".join(words[:6])
        text = first[:1].upper() + first[1:] + "\n" + " ".join(words[6:]) + "."
        doc.append(Cue(i + 1, i * 2000, i * 2000 + 1800, text))
    return doc


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cues", type=int, default=100_000)
    parser.add_argument("--vocabulary", type=int, default=20_000)
    args = parser.parse_args()
    rng = random.Random(7)

    t = time.perf_counter()
    spelling.STORE.get("en")
    print(f"dictionary load (en_US, spylls): {time.perf_counter() - t:.2f} s")

    doc = make_document(args.cues, args.vocabulary, rng)
    distinct = {w for c in doc.cues for _s, _e, w in spelling.candidate_words(c.text)}
    print(f"{len(doc)} cues, {len(distinct)} distinct words to look up")

    spelling.STORE.forget()
    spelling.STORE.get("en")  # reload: a cold per-word cache
    for label in ("cold", "warm"):
        checker = spelling.SpellChecker(doc)
        t, c = time.perf_counter(), time.process_time()
        found = sum(len(checker.cue_unknown(cue)) for cue in doc.cues)
        print(
            f"spelling, {label} cache: {time.perf_counter() - t:.2f} s wall, "
            f"{time.process_time() - c:.2f} s CPU, {found} unknown words"
        )

    for label, profile in (
        ("with spelling", QcProfile()),
        ("without", QcProfile(disabled=frozenset({"spelling"}))),
    ):
        t = time.perf_counter()
        index = QcIndex(doc, profile)
        flagged = index.counts().get("spelling", 0)
        print(f"QcIndex {label}: {time.perf_counter() - t:.2f} s ({flagged} flagged cues)")

    checker = spelling.SpellChecker(doc)
    text = doc.cues[500].text
    times = []
    for i in range(200):  # typing: the same line with one more character each time
        typed = text[: 10 + i % 40] + "x" * (i % 3)
        t = time.perf_counter()
        checker.misspellings(typed, "en")
        times.append(time.perf_counter() - t)
    times.sort()
    print(
        f"one cue re-checked while typing: median {times[100] * 1000:.3f} ms, max {times[-1] * 1000:.3f} ms"
    )
    typing_in_an_editor()
    return 0


def typing_in_an_editor() -> None:
    """Time keystrokes in a QPlainTextEdit holding a two-line cue, with and without underlining."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from editor.qt.views.spelling_feature import _EditorHook

    class _Service(QObject):  # what the highlighter needs of the window's SpellService
        changed = Signal()

        def __init__(self, doc: Document) -> None:
            super().__init__()
            self.checker = spelling.SpellChecker(doc)

    app = QApplication.instance() or QApplication([])
    spelling.STORE.get("en")  # loaded beforehand, as the window does on a worker thread
    doc = Document(source_language="en")
    doc.append(Cue(1, 0, 2000, ""))
    sentence = "so as others will explain later o1 is a reasonning model that thinks before answering\n"
    medians = {}
    hooks = []  # the editors' spelling: highlighter, and the typed word left alone until finished
    for label in ("without underlining", "with underlining"):
        editor = QPlainTextEdit()
        if label.startswith("with "):
            hooks.append(_EditorHook(editor, _Service(doc), lambda: "text", None))  # type: ignore[arg-type]
        wall, cpu = [], []
        for ch in sentence * 2:
            t, c = time.perf_counter(), time.thread_time()
            editor.insertPlainText(ch)
            app.processEvents()
            wall.append(time.perf_counter() - t)
            cpu.append(time.thread_time() - c)
        for times in (wall, cpu):
            times.sort()
        medians[label] = cpu[len(cpu) // 2]
        print(
            f"keystroke {label}: wall median {wall[len(wall) // 2] * 1000:.3f} ms, "
            f"max {wall[-1] * 1000:.2f} ms; CPU median {cpu[len(cpu) // 2] * 1000:.3f} ms, "
            f"p95 {cpu[int(len(cpu) * 0.95)] * 1000:.3f} ms, max {cpu[-1] * 1000:.2f} ms"
        )
    added = (medians["with underlining"] - medians["without underlining"]) * 1000
    print(f"underlining adds {added:.3f} ms of CPU per keystroke (median)")


if __name__ == "__main__":
    sys.exit(main())
