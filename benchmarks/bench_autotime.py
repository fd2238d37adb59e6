"""Align to Audio: cue-start errors against known word times, and the cost on 20 minutes.

Ground truth is built here, at run time (no audio is committed): espeak-ng through
libespeak-ng's C API (word events give each word's exact start sample) and, when installed,
festival's kal voice (its utterance structure gives each token's first segment start) read
generated interview-like English; espeak-ng's cmn-latn-pinyin voice reads Chinese (one word
event per character). Sentences are synthesized in groups of one to three and joined with
random pauses; the same reading is measured clean, with pink noise at 15 dB and with a music
bed at 12 dB below the speech.

Each document is made the way a user gets one: a one-segment page (`### Segment 1 (00:00 -
MM:SS)`, like seed 000) and plain text without times, both cut into cues by the segmenter;
the error of a cue is |its start - the true start of its first word|.

Usage: python benchmarks/bench_autotime.py [--quick] [--no-long] [--gui-only]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

from support.speech_synth import (  # noqa: E402
    Reading,
    chinese_sentences,
    espeak_available,
    mix,
    read_sentences,
)

from editor.core import edits, formats  # noqa: E402
from editor.core.autotime import AudioTrack, plan_alignment  # noqa: E402
from editor.core.media import SpeechTap  # noqa: E402
from editor.core.waveform import PeakBuilder  # noqa: E402
from editor.qt.views.align_audio import AlignAudioFeature  # noqa: E402
from editor.qt.views.waveform_feature import WaveformFeature  # noqa: E402

SUBJECTS = [
    "The team",
    "Our new model",
    "My colleague",
    "Everyone in the lab",
    "The first version",
    "A reasoning system",
    "The research group",
    "This approach",
    "Nobody on the project",
    "The evaluation",
]
VERBS = [
    "learned to solve",
    "spent weeks on",
    "kept thinking about",
    "finally understood",
    "was surprised by",
    "wrote a report on",
    "tried again with",
    "struggled with",
    "talked for hours about",
    "made real progress on",
]
OBJECTS = [
    "hard math problems",
    "the coding benchmark",
    "a chain of thought",
    "the training data",
    "questions about chemistry",
    "the GPT-4o results",
    "puzzles that take time",
    "what the users asked",
    "the 2024 release",
    "a new naming scheme",
    "the o1 preview",
    "about 3.5 percent of the cases",
]
TAILS = [
    "",
    ", and it worked",
    ", although it took a while",
    " before anyone noticed",
    ", which nobody expected",
    " in the early days",
    ", so we kept going",
    " over and over again",
]
QUESTIONS = [
    "What does that mean for people who use it?",
    "How long did that take?",
    "Why does thinking longer help?",
    "Was that a surprise to you?",
    "Can you give an example?",
]
ANSWERS = [
    "Yes, absolutely.",
    "I think so.",
    "It is hard to say, honestly.",
    "Well, it depends on the question.",
    "That was the moment I realised it was working.",
]


def english_sentences(n: int, seed: int) -> list[str]:
    """Return n interview-like English sentences (statements, questions, short answers)."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        r = rng.random()
        if r < 0.12:
            out.append(rng.choice(QUESTIONS))
        elif r < 0.22:
            out.append(rng.choice(ANSWERS))
        else:
            s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}."
            out.append(s)
    return out


def grouped(sentences: list[str], seed: int) -> list[str]:
    """Join sentences into groups of one to three (read without an added pause between them)."""
    rng = random.Random(seed)
    groups, i = [], 0
    while i < len(sentences):
        k = rng.choice((1, 1, 2, 3))
        groups.append(" ".join(sentences[i : i + k]))
        i += k
    return groups


# -- festival, a second voice ----------------------------------------------------------------


def festival_available() -> bool:
    return shutil.which("festival") is not None and os.path.isdir("/usr/share/festival/voices")


def festival_reading(groups: list[str], seed: int, folder: str) -> Reading | None:
    """Return festival's reading of `groups` joined by random pauses, with each token's start."""
    lines = []
    for k, text in enumerate(groups):
        esc = text.replace("\\", "\\\\").replace('"', '\\"')
        wav = os.path.join(folder, f"f{k}.wav")
        lines.append(f'(set! u (utt.synth (Utterance Text "{esc}")))')
        lines.append(f'(utt.save.wave u "{wav}" \'riff)')
        lines.append(f'(format t "GROUP {k}\\n")')
        lines.append(
            '(mapcar (lambda (tok) (format t "%s %f\\n" (item.name tok) '
            '(item.feat tok "R:Token.daughter1.R:SylStructure.daughter1.daughter1.segment_start"))) '
            "(utt.relation.items u 'Token))"
        )
    script = os.path.join(folder, "read.scm")
    with open(script, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    res = subprocess.run(["festival", "--batch", script], capture_output=True, text=True, check=False)
    if res.returncode != 0 or "GROUP" not in res.stdout:
        return None
    starts_by_group: dict[int, list[float]] = {}
    current = -1
    for line in res.stdout.splitlines():
        if line.startswith("GROUP "):
            current = int(line.split()[1])
            starts_by_group[current] = []
        elif current >= 0 and line.strip():
            # Items of the Token tree come as token then word (the word's feature path gives
            # 0.0); every real start is > 0 (each reading begins with a pause).
            value = float(line.rsplit(" ", 1)[1])
            if value > 0:
                starts_by_group[current].append(value)
    import wave

    rng = random.Random(seed)
    rate = 16000
    parts = [np.zeros(int(0.6 * rate), np.int16)]
    pos = len(parts[0])
    starts: list[float | None] = []
    for k, text in enumerate(groups):
        with wave.open(os.path.join(folder, f"f{k}.wav"), "rb") as w:
            rate = w.getframerate()
            audio = np.frombuffer(w.readframes(w.getnframes()), "<i2")
        got = starts_by_group.get(k, [])
        n_words = len(text.split())
        if len(got) == n_words:
            starts += [pos * 1000.0 / rate + s * 1000.0 for s in got]
        else:  # festival tokenised differently: these words have no known start
            starts += [None] * n_words
        parts.append(audio)
        pos += len(audio)
        gap = np.zeros(int(rng.uniform(100, 900) * rate / 1000), np.int16)
        parts.append(gap)
        pos += len(gap)
    parts.append(np.zeros(int(0.8 * rate), np.int16))
    return Reading(np.concatenate(parts), rate, starts)


# -- measuring -----------------------------------------------------------------------------


def track_of(reading: Reading) -> AudioTrack:
    builder = PeakBuilder(reading.sample_rate, 1)
    tap = SpeechTap(reading.sample_rate, 1)
    for k in range(0, len(reading.audio), 1 << 18):
        builder.feed(reading.audio[k : k + (1 << 18)])
        tap.feed(reading.audio[k : k + (1 << 18)])
    waveform = builder.finish()
    waveform.speech_pcm = tap.finish()
    return AudioTrack.of_waveform(waveform)


def document(text: str, kind: str, seconds: int):  # type: ignore[no-untyped-def]
    if kind == "page":
        src = f"### Segment 1 (00:00 - {seconds // 60:02d}:{seconds % 60:02d}) []\n\n{text}\n"
    else:
        src = text + "\n"
    return formats.detect(src, None).read(src, None)


def start_errors(doc, starts: list[float | None], words_of) -> np.ndarray:  # type: ignore[no-untyped-def]
    out, k = [], 0
    for cue in sorted(doc.cues, key=lambda c: c.start_ms):
        if k < len(starts) and starts[k] is not None:
            out.append(abs(cue.start_ms - starts[k]))
        k += len(words_of(cue.text))
    if k != len(starts):
        raise RuntimeError(f"cue words {k} != read words {len(starts)}")
    return np.array(out)


def describe(errors: np.ndarray) -> str:
    return (
        f"median {np.median(errors):6.0f} ms  p90 {np.percentile(errors, 90):6.0f} ms  "
        f"within 250 ms {np.mean(errors <= 250) * 100:5.1f} %  (n={len(errors)})"
    )


def run_set(name: str, text: str, reading: Reading, words_of, layers: list[bool], language: str) -> None:  # type: ignore[no-untyped-def]
    conditions = [
        ("clean", reading),
        ("noise 15 dB", mix(reading, "noise", 15, 7)),
        ("music 12 dB", mix(reading, "music", 12, 7)),
    ]
    seconds = len(reading.audio) // reading.sample_rate
    for cond, r in conditions:
        track = track_of(r)
        for kind in ("page", "plain"):
            doc = document(text, kind, seconds)
            before = start_errors(doc, r.word_starts_ms, words_of)
            print(f"{name:18s} {cond:12s} {kind:5s} estimate   {describe(before)}", flush=True)
            for use_model in layers:
                doc = document(text, kind, seconds)
                t0 = time.perf_counter()
                plan = plan_alignment(doc, track, language=language, use_speech_model=use_model)
                dt = time.perf_counter() - t0
                edits.apply(doc, plan.edit())
                errors = start_errors(doc, r.word_starts_ms, words_of)
                label = "speech" if plan.layer == "speech" else "pauses"
                extra = (
                    f" unplaced {plan.unplaced_words}/{plan.total_words}" if plan.layer == "speech" else ""
                )
                print(
                    f"{name:18s} {cond:12s} {kind:5s} {label:10s} {describe(errors)}  {dt:5.1f} s{extra}",
                    flush=True,
                )


class PeakRss:
    """Samples this process's resident memory every 20 ms; `peak_mb` above the start."""

    def __init__(self) -> None:
        self.base = self._rss()
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._rss())

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return (self.peak - self.base) / 2**20


def long_run(seed: int) -> None:
    """Time both layers on ~20 minutes of speech, and their extra memory."""
    sentences = english_sentences(295, seed)
    groups = grouped(sentences, seed)
    reading = read_sentences(groups, seed=seed)
    minutes = len(reading.audio) / reading.sample_rate / 60
    text = " ".join(sentences)
    track = track_of(reading)
    del reading
    for use_model in (False, True):
        doc = document(text, "plain", 0)
        with PeakRss() as mem:
            t0 = time.perf_counter()
            plan = plan_alignment(doc, track, language="en", use_speech_model=use_model)
            dt = time.perf_counter() - t0
        print(
            f"{minutes:.1f} min of audio, {len(doc.cues)} cues: {plan.layer} layer {dt:.1f} s, "
            f"extra memory {mem.peak_mb:.0f} MB",
            flush=True,
        )


def gui_stalls(seed: int) -> None:
    """Measure the window's longest stall while Align to Audio runs (offscreen, ~5 minutes of speech)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from editor.qt import workers
    from editor.qt.views.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    sentences = english_sentences(70, seed)
    reading = read_sentences(grouped(sentences, seed), seed=seed)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CUELINE_HOME"] = folder
        wav = os.path.join(folder, "talk.wav")
        reading.write(wav)
        doc = document(" ".join(sentences), "plain", 0)
        doc.source_language = "en"
        win = MainWindow(autosave_folder=os.path.join(folder, "autosave"), autosave_delay_ms=600_000)
        win.resize(1400, 900)
        win.show()
        win.controller.set_document(doc)
        feature = win.parts[WaveformFeature]
        ready: list[object] = []
        feature.ready.connect(ready.append)
        win.set_media(wav)
        while not ready:
            app.processEvents()
        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            if gaps[-1] > 0.05:
                print(f"  stall {gaps[-1] * 1000:.0f} ms at {now - t0:.2f} s after the start", flush=True)
            last[0] = now

        timer = QTimer(interval=5)
        timer.timeout.connect(tick)
        # The same timer on the idle window first, as long as an alignment takes on a quiet
        # machine: on a shared 2-core machine the scheduler alone delays a thread by tens of
        # milliseconds, and what the window shows beyond that is the alignment's doing.
        t0 = time.perf_counter()
        last[0] = t0
        timer.start()
        while time.perf_counter() - t0 < 8.0:
            app.processEvents()
            time.sleep(0.001)
        timer.stop()
        idle = sorted(gaps)
        print(
            f"GUI idle for {time.perf_counter() - t0:.1f} s: longest stall {idle[-1] * 1000:.0f} ms, "
            f"99th percentile {idle[int(len(idle) * 0.99)] * 1000:.0f} ms ({len(idle)} ticks)",
            flush=True,
        )
        gaps.clear()
        t0 = time.perf_counter()
        last[0] = t0
        timer.start()
        win.parts[AlignAudioFeature].start()
        while getattr(win.parts[AlignAudioFeature], "preview_box", None) is None:
            app.processEvents()
            time.sleep(0.001)
        timer.stop()
        took = time.perf_counter() - t0
        gaps.sort()
        p99 = gaps[int(len(gaps) * 0.99)] * 1000
        print(
            f"GUI while aligning {len(reading.audio) / reading.sample_rate:.0f} s of speech ({took:.1f} s): "
            f"longest stall {gaps[-1] * 1000:.0f} ms, 99th percentile {p99:.0f} ms "
            f"(5 ms timer, {len(gaps)} ticks)",
            flush=True,
        )
        win.parts[AlignAudioFeature].preview_box.close()
        while workers.running_count():
            app.processEvents()
        win.controller.undo_stack.setClean()
        win.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller sets")
    parser.add_argument("--no-long", action="store_true", help="skip the 20-minute timing")
    parser.add_argument("--gui-only", action="store_true", help="only the window's stalls while aligning")
    args = parser.parse_args(argv)
    if not espeak_available():
        print("libespeak-ng is not installed: nothing to measure")
        return 0
    if args.gui_only:
        gui_stalls(19)
        return 0
    try:
        import pocketsphinx  # noqa: F401

        layers = [False, True]
    except ImportError:
        print("pocketsphinx is not installed: the speech layer is not measured")
        layers = [False]
    n = 40 if args.quick else 110
    sentences = english_sentences(n, 11)
    groups = grouped(sentences, 11)
    text = " ".join(sentences)
    reading = read_sentences(groups, seed=11)
    print(f"English, espeak-ng: {len(reading.audio) / reading.sample_rate:.0f} s, {len(text.split())} words")
    run_set("en espeak-ng", text, reading, str.split, layers, "en")
    if festival_available():
        with tempfile.TemporaryDirectory() as folder:
            fest = festival_reading(groups, 11, folder)
        if fest is not None:
            print(f"English, festival: {len(fest.audio) / fest.sample_rate:.0f} s")
            run_set("en festival", text, fest, str.split, layers, "en")
    else:
        print("festival (with a voice) is not installed: the second voice is not measured")
    zh, pinyin = chinese_sentences(30 if args.quick else 80, 13)
    zh_groups, zh_spoken, i = [], [], 0
    rng = random.Random(13)
    while i < len(zh):
        k = rng.choice((1, 1, 2))
        zh_groups.append("".join(zh[i : i + k]))
        zh_spoken.append(" ".join(pinyin[i : i + k]))
        i += k
    zh_reading = read_sentences(zh_groups, spoken=zh_spoken, voice="cmn-latn-pinyin", seed=13)
    print(f"Chinese, espeak-ng cmn-latn-pinyin: {len(zh_reading.audio) / zh_reading.sample_rate:.0f} s")
    run_set("zh espeak-ng", "".join(zh), zh_reading, lambda t: re.findall(r"\w", t), [False], "zh")
    if not args.no_long:
        long_run(17)
    gui_stalls(19)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
