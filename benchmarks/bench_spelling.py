"""Spelling speed: checking 100k cues (target <= 5 s, off the GUI thread), underlining per
keystroke (target <= 2 ms) and the window's longest stall because of spelling (target <= 50 ms).

Run: `python benchmarks/bench_spelling.py [--cues 100000] [--vocabulary 20000]` (under
`flock /tmp/bench.lock` on a shared machine).

The document is 100k two-line English cues drawn from a vocabulary of seed-like words plus
`--vocabulary` distinct words taken from the dictionary's own word list (half of them
inflected: models, asked, thinking), with one cue in twenty carrying a typo, so that the
per-word cache starts cold on tens of thousands of distinct words as a real season of
subtitles would. It is written to an SRT file, and each figure below is measured in a fresh
process that reads it:

* the check: dictionary load (once per process; the window does it on a worker thread), every
  cue checked cold (fresh caches) and warm, QcIndex over the document with and without spelling;
* typing: one cue re-checked after an edit (the core's part of a keystroke), and keystrokes in
  the edit panel's kind of editor (QPlainTextEdit) with and without the spelling underlines, on a
  two-line cue and on a long cue (20 lines), worst case included;
* the window: a 5 ms QTimer heartbeat on the GUI thread while the 100k document is opened (its
  dictionary loads and the whole document is checked), while Ignore All and a speaker rename
  re-check it in the background, and while the results arrive and the table re-tints. The
  longest gap between two ticks is the window's longest stall.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from editor.core import spelling
from editor.core.model import Cue, Document

SEED_WORDS = (
    "we're starting a series of new models with the name o1 and this is to highlight fact that you might "
    "feel different when use as compared previous such GPT-4o so others will explain later reasoning model "
    "it think more before answering your question releasing two o1-preview which preview what's coming "
    "mini faster smaller trained similar framework hope like our naming scheme one way thinking times "
    "where ask questions answer immediately 3:16 20% NASA's AI"
).split()
TYPED = "so as others will explain later o1 is a reasonning model that thinks before answering\n"


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


def read(path: str) -> Document:
    from editor.core import documents

    doc = documents.open_document(path)
    doc.source_language = "en"
    return doc


# ---------------------------------------------------------------------------
# The check (fresh process)
# ---------------------------------------------------------------------------


def _rss_mb() -> float:
    """Return this process's resident memory in MB (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def check(path: str) -> None:
    from editor.core import dictionary_cache
    from editor.core.qc import QcIndex, QcProfile

    doc = read(path)
    dic_path = spelling.find_dictionary("en")
    assert dic_path is not None
    cached = os.path.exists(dictionary_cache.cache_path(dic_path, "forms") or "")
    gc.collect()
    rss = _rss_mb()
    t, c = time.perf_counter(), time.process_time()
    dic = spelling.STORE.get("en")
    load = time.perf_counter() - t, time.process_time() - c
    gc.collect()
    assert dic is not None
    how = "its word forms from the cache" if cached else "no cache yet: parsed, expanded and cached"
    print(
        f"dictionary load ({dic_path}, {how}): {load[0] * 1000:.0f} ms wall, {load[1] * 1000:.0f} ms CPU, "
        f"+{_rss_mb() - rss:.1f} MB resident; spylls loaded: {dic.spylls_loaded}"
    )
    distinct = {w for cue in doc.cues for _s, _e, w in spelling.candidate_words(cue.text)}
    print(f"{len(doc)} cues, {len(distinct)} distinct words to look up")
    checker = spelling.SpellChecker(doc)
    for label in ("cold", "warm"):  # the same checker twice: the second pass from its memory
        t, c = time.perf_counter(), time.process_time()
        found = sum(len(checker.cue_unknown(cue)) for cue in doc.cues)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        extra = f"; with the dictionary load {wall + load[0]:.2f} s wall" if label == "cold" else ""
        print(f"spelling, {label} cache: {wall:.3f} s wall, {cpu:.3f} s CPU{extra}, {found} unknown words")
    print(f"spylls loaded after checking every cue: {dic.spylls_loaded}")
    del checker
    for label, profile in (
        ("with spelling (cold)", QcProfile()),
        ("without spelling", QcProfile(disabled=frozenset({"spelling"}))),
    ):
        t, c = time.perf_counter(), time.process_time()
        index = QcIndex(doc, profile)
        flagged = index.counts().get("spelling", 0)
        print(
            f"QcIndex {label}: {time.perf_counter() - t:.2f} s wall, {time.process_time() - c:.2f} s CPU "
            f"({flagged} flagged cues)"
        )
    gc.collect()
    rss = _rss_mb()
    t, c = time.perf_counter(), time.process_time()
    suggestions = dic.suggest("reasonning")
    gc.collect()
    print(
        f"first suggestions (spylls loaded for them): {(time.perf_counter() - t) * 1000:.0f} ms wall, "
        f"{(time.process_time() - c) * 1000:.0f} ms CPU, +{_rss_mb() - rss:.1f} MB resident {suggestions[:3]}"
    )


# ---------------------------------------------------------------------------
# Typing (fresh process)
# ---------------------------------------------------------------------------


def typing(path: str) -> None:
    doc = read(path)
    spelling.STORE.get("en")  # loaded beforehand, as the window does on a worker thread
    checker = spelling.SpellChecker(doc)
    text = doc.cues[500].text
    gc.freeze()  # what was loaded leaves the collector's passes, as the window does after a load
    times = []
    for i in range(200):  # typing: the same line with one more character each time
        typed = text[: 10 + i % 40] + "x" * (i % 3)
        t = time.thread_time()
        checker.misspellings(typed, "en")
        times.append(time.thread_time() - t)
    times.sort()
    print(
        f"one cue re-checked while typing (CPU): median {times[100] * 1000:.3f} ms, "
        f"max {times[-1] * 1000:.3f} ms"
    )

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    from editor.qt.views import spelling_feature
    from editor.qt.views.spelling_feature import _EditorHook

    # The spelling code's own share of a keystroke: its slots and the highlighter's pass over
    # the changed block, timed from inside (Qt's relayout for the underline is in the difference
    # of the keystroke figures with and without underlining).
    spent = [0.0]

    def timed(fn):
        def run(*args):
            c = time.thread_time()
            try:
                return fn(*args)
            finally:
                spent[0] += time.thread_time() - c

        return run

    spelling_feature.SpellHighlighter.highlightBlock = timed(spelling_feature.SpellHighlighter.highlightBlock)
    _EditorHook._typed = timed(_EditorHook._typed)  # type: ignore[method-assign]
    _EditorHook._moved = timed(_EditorHook._moved)  # type: ignore[method-assign]

    class _Service(QObject):  # what the highlighter needs of the window's SpellService
        changed = Signal()

        def __init__(self, doc: Document) -> None:
            super().__init__()
            self.checker = spelling.SpellChecker(doc)

    app = QApplication.instance() or QApplication([])
    service = _Service(doc)
    # A long cue as one wrapped paragraph (~480 words, one text block): the highlighter checks
    # a whole block again on each keystroke, so this is its worst case.
    long_cue = " ".join(c.text.replace("\n", " ") for c in doc.cues[1000:1040])
    hooks = []  # the editors' spelling: highlighter, and the typed word left alone until finished
    for cue_label, start in (
        ("two-line cue", ""),
        ("long cue (480 words in one paragraph, typing in its middle)", long_cue),
    ):
        cpu_median: dict[bool, float] = {}
        for underlined in (False, True):
            editor = QPlainTextEdit()
            editor.resize(600, 400)
            editor.setPlainText(start)
            if underlined:
                hooks.append(_EditorHook(editor, service, lambda: "text", None))  # type: ignore[arg-type]
            cursor = editor.textCursor()
            cursor.setPosition(len(start) // 2)
            editor.setTextCursor(cursor)
            editor.show()
            app.processEvents()
            wall, cpu = [], []
            own: list[float] = []
            for ch in TYPED * 2:
                spent[0] = 0.0
                t, c = time.perf_counter(), time.thread_time()
                editor.insertPlainText(ch)
                app.processEvents()
                wall.append(time.perf_counter() - t)
                cpu.append(time.thread_time() - c)
                own.append(spent[0])
            if underlined:
                own.sort()
                print(
                    f"spelling code per keystroke, {cue_label} (CPU): "
                    f"median {own[len(own) // 2] * 1000:.3f} ms, max {own[-1] * 1000:.3f} ms"
                )
            for times in (wall, cpu):
                times.sort()
            cpu_median[underlined] = cpu[len(cpu) // 2]
            label = "with underlining" if underlined else "without underlining"
            print(
                f"keystroke, {cue_label}, {label}: wall median {wall[len(wall) // 2] * 1000:.3f} ms, "
                f"max {wall[-1] * 1000:.2f} ms; CPU median {cpu[len(cpu) // 2] * 1000:.3f} ms, "
                f"p95 {cpu[int(len(cpu) * 0.95)] * 1000:.3f} ms, max {cpu[-1] * 1000:.2f} ms"
            )
            editor.hide()
        added = (cpu_median[True] - cpu_median[False]) * 1000
        print(f"underlining adds {added:.3f} ms of CPU per keystroke (median), {cue_label}")


# ---------------------------------------------------------------------------
# The window (fresh process)
# ---------------------------------------------------------------------------


def window(path: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from editor.core import edits
    from editor.core.model import Speaker
    from editor.qt.views.main_window import MainWindow
    from editor.qt.views.spelling_feature import SpellingFeature

    app = QApplication.instance() or QApplication([])
    folder = tempfile.mkdtemp(prefix="cueline-bench-")
    atexit.register(shutil.rmtree, folder, True)
    win = MainWindow(autosave_folder=os.path.join(folder, "autosave"), autosave_delay_ms=600_000)
    win.resize(1600, 1000)
    win.show()
    qc = win.table_pane.model.qc
    clock = QElapsedTimer()
    clock.start()
    gaps: list[tuple[int, int, float]] = []  # (gap ms, at ms, GUI thread CPU ms in the gap)
    last = [clock.elapsed(), time.thread_time()]

    def tick() -> None:
        now, cpu = clock.elapsed(), time.thread_time()
        gaps.append((now - last[0], now, (cpu - last[1]) * 1000))
        last[0], last[1] = now, cpu

    heartbeat = QTimer(interval=5)
    heartbeat.timeout.connect(tick)
    rebuilt: list[int] = []
    qc.rebuilt.connect(lambda: rebuilt.append(clock.elapsed()))

    def run(label: str, action, settled) -> None:
        gaps.clear()
        rebuilt.clear()
        last[0], last[1] = clock.elapsed(), time.thread_time()
        heartbeat.start()
        begin = clock.elapsed()
        action()
        deadline = time.perf_counter() + 120
        while not settled() and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.001)
        end = time.perf_counter() + 0.5  # the repaints after the last results
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.001)
        heartbeat.stop()
        worst = sorted(gaps, reverse=True)
        around = max((g for g in gaps if any(r - 5 <= g[1] <= r + 200 for r in rebuilt)), default=None)
        # A stall with little GUI-thread CPU is time spent waiting (for the GIL or for the OS
        # to run the thread at all on a loaded machine), not work done on the GUI thread.
        print(
            f"window, {label}: done in {(rebuilt[-1] if rebuilt else clock.elapsed()) - begin} ms; "
            f"longest stall {worst[0][0]} ms (GUI thread CPU {worst[0][2]:.0f} ms; next "
            f"{', '.join(f'{g}/{c:.0f}' for g, _, c in worst[1:4])}), {sum(g[0] > 50 for g in gaps)} over "
            f"50 ms; most GUI-thread CPU in one gap {max(c for _, _, c in gaps):.0f} ms"
            + (
                f"; as results arrive and the table re-tints: {around[0]} ms (CPU {around[2]:.0f})"
                if around
                else ""
            )
        )

    def flagged() -> int:
        return qc.index.counts().get("spelling", 0) if qc.index is not None else 0

    run(
        "open 100k cues (dictionary loads, every cue checked)",
        lambda: win.open_path(path),
        lambda: win.controller.document.cues and flagged() > 0 and not qc.rebuilding,
    )
    doc = win.controller.document
    word = next(
        p.message.split(": ")[-1].split(", ")[0]
        for cue in doc.cues
        for p in qc.problems_for(cue.id)
        if p.check == "spelling"
    )
    before = flagged()
    run(
        f"Ignore All “{word}” (every cue re-checked)",
        lambda: win.parts[SpellingFeature].service.ignore_all(word),
        lambda: flagged() < before and not qc.rebuilding,
    )
    count = [0]

    def rename() -> None:
        named = [Speaker(s.id, f"Tomasz {count[0]}", s.color) for s in doc.speakers.values()]
        named = named or [Speaker("s1", "Tomasz", "#1f77b4")]
        count[0] += 1
        win.controller.apply(edits.SetSpeakers(named), "Rename")

    run("speaker table changed (a rename)", rename, lambda: not qc.rebuilding)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cues", type=int, default=100_000)
    parser.add_argument("--vocabulary", type=int, default=20_000)
    parser.add_argument("--part", choices=("check", "typing", "window"))
    parser.add_argument("path", nargs="?", help="with --part: an SRT to use instead of the generated one")
    args = parser.parse_args()
    if args.part:
        {"check": check, "typing": typing, "window": window}[args.part](args.path)
        return 0
    from editor.core import documents

    print("load average: {:.2f} {:.2f} {:.2f} on {} cores".format(*os.getloadavg(), os.cpu_count()))
    folder = tempfile.mkdtemp(prefix="cueline-bench-spelling-")
    path = os.path.join(folder, "english.srt")
    documents.save(make_document(args.cues, args.vocabulary, random.Random(7)), path, "srt")
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    failed = 0
    try:
        for part in ("check", "typing", "window"):
            res = subprocess.run([sys.executable, os.path.abspath(__file__), "--part", part, path], env=env)
            failed += res.returncode != 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
