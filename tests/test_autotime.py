"""Align to Audio: the pause layer (and the speech model for English) on synthesized speech
with known word starts, the refusals that leave cues alone, one undo step, the CLI."""

from __future__ import annotations

import numpy as np
import pytest
from support.speech_synth import chinese_sentences, espeak_available, mix, read_sentences

from editor import cli
from editor.core import documents, edits, formats
from editor.core.autotime import AudioTrack, AutotimeError, plan_alignment
from editor.core.formats import project
from editor.core.model import TimeSource, Timing
from editor.core.waveform import PeakBuilder

try:
    import pocketsphinx  # noqa: F401

    HAVE_POCKETSPHINX = True
except ImportError:
    HAVE_POCKETSPHINX = False

needs_espeak = pytest.mark.skipif(not espeak_available(), reason="libespeak-ng is not installed")

ENGLISH = [
    "We are starting a series of new models with a new name.",
    "This is to highlight the fact that you might feel different when you use it.",
    "So, as others will explain later, this is a reasoning model.",
    "It will think more before answering your question.",
    "We are releasing two models today, one for preview and one smaller.",
    "The smaller one is faster and cheaper, and it is trained with a similar framework.",
    "What is reasoning anyway?",
    "If you ask what the capital of Italy is, you know the answer without thinking.",
    "But a complex puzzle, or a good business plan, takes some time.",
    "Reasoning is the ability to turn thinking time into better outcomes.",
]


def _track(reading) -> AudioTrack:  # type: ignore[no-untyped-def]
    builder = PeakBuilder(reading.sample_rate, 1)
    builder.feed(reading.audio)
    return AudioTrack.of_waveform(builder.finish())


def _read(text: str):  # type: ignore[no-untyped-def]
    return formats.detect(text, None).read(text, None)


def _start_errors(doc, starts, words_of) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Return |cue start - true start of its first word| for every cue whose first word's start is known."""
    out, k = [], 0
    for cue in sorted(doc.cues, key=lambda c: c.start_ms):
        if starts[k] is not None:
            out.append(abs(cue.start_ms - starts[k]))
        k += len(words_of(cue.text))
    return np.array(out)


@needs_espeak
@pytest.mark.parametrize("condition", ["clean", "music"])
def test_pause_layer_times_an_english_page_within_bounds(condition: str) -> None:
    reading = read_sentences(ENGLISH, seed=3)
    if condition == "music":
        reading = mix(reading, "music", 12, seed=3)
    seconds = len(reading.audio) // reading.sample_rate
    doc = _read(f"### Segment 1 (00:00 - 00:{seconds:02d}) []\n\n{' '.join(ENGLISH)}\n")
    before = _start_errors(doc, reading.word_starts_ms, str.split)
    plan = plan_alignment(doc, _track(reading), language="en", use_speech_model=False)
    assert plan.layer == "pauses" and "pauses and punctuation" in plan.message
    edits.apply(doc, plan.edit())
    after = _start_errors(doc, reading.word_starts_ms, str.split)
    assert len(after) >= 8
    assert np.median(after) <= 80 and np.percentile(after, 90) <= 600, (after, before)
    assert np.median(before) > 300  # the estimate it started from was far off
    assert all(c.time_source is TimeSource.PAUSES and c.words for c in doc.cues)
    assert all(c.timing is Timing.ESTIMATED for c in doc.cues)  # pauses alone do not make times exact


@needs_espeak
def test_pause_layer_times_chinese_by_characters() -> None:
    texts, pinyin = chinese_sentences(12, seed=5)
    reading = read_sentences(texts, spoken=pinyin, voice="cmn-latn-pinyin", seed=5)
    reading = mix(reading, "noise", 15, seed=5)
    doc = _read("".join(texts) + "\n")
    plan = plan_alignment(doc, _track(reading), use_speech_model=True)
    assert plan.layer == "pauses" and "no speech model for zh" in plan.message
    edits.apply(doc, plan.edit())
    errors = _start_errors(doc, reading.word_starts_ms, lambda t: [ch for ch in t if ch.isalpha()])
    assert len(errors) >= 8
    assert np.median(errors) <= 80 and np.percentile(errors, 90) <= 600, errors


@needs_espeak
def test_no_punctuation_or_no_pauses_leaves_the_cues_alone_and_says_why() -> None:
    reading = read_sentences(ENGLISH[:4], seed=1)
    bare = " ".join(s.rstrip(".?!").replace(",", "") for s in ENGLISH[:4]).lower()
    doc = _read(bare + "\n")
    with pytest.raises(AutotimeError, match="no punctuation"):
        plan_alignment(doc, _track(reading), language="en", use_speech_model=False)
    tone = np.sin(np.arange(16000 * 8) * 2 * np.pi * 220 / 16000) * 8000
    builder = PeakBuilder(16000, 1)
    builder.feed(tone.astype(np.int16))
    doc = _read(" ".join(ENGLISH[:4]) + "\n")
    before = [(c.start_ms, c.end_ms) for c in doc.cues]
    with pytest.raises(AutotimeError, match="no pauses"):
        plan_alignment(doc, AudioTrack.of_waveform(builder.finish()), language="en", use_speech_model=False)
    assert [(c.start_ms, c.end_ms) for c in doc.cues] == before


@needs_espeak
def test_alignment_is_one_undo_step_and_survives_a_project_round_trip() -> None:
    reading = read_sentences(ENGLISH[:5], seed=2)
    doc = _read(" ".join(ENGLISH[:5]) + "\n")
    original = project.FORMAT.write(doc)
    plan = plan_alignment(doc, _track(reading), language="en", use_speech_model=False)
    assert plan.moved > 0 and "cues move" in plan.summary()
    inverse, _changes = plan.edit().apply(doc)
    saved = project.FORMAT.write(doc)
    assert '"time_source": "pauses"' in saved and '"words": [[' in saved
    assert project.FORMAT.write(project.FORMAT.read(saved)) == saved
    inverse.apply(doc)
    assert project.FORMAT.write(doc) == original


@needs_espeak
def test_cli_aligns_with_media(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    reading = read_sentences(ENGLISH[:6], seed=4)
    wav = tmp_path / "talk.wav"
    reading.write(str(wav))
    text = tmp_path / "talk.txt"
    text.write_text(" ".join(ENGLISH[:6]) + "\n", encoding="utf-8")
    out = tmp_path / "talk.srt"
    assert cli.main(["convert", str(text), "--media", str(wav), "--align", "-o", str(out)]) == 0
    assert "cueline: align:" in capsys.readouterr().err
    doc = documents.load(str(out))
    errors = _start_errors(doc, reading.word_starts_ms, str.split)
    assert np.median(errors) <= 80
    assert cli.main(["inspect", str(text), "--align"]) == 2
    assert "--align needs --media" in capsys.readouterr().err
    bare = tmp_path / "bare.txt"
    bare.write_text("我们今天讨论一个新的模型它会先想再回答问题\n", encoding="utf-8")
    assert cli.main(["check", str(bare), "--media", str(wav), "--align"]) == 2
    err = capsys.readouterr().err
    assert "cannot align: the text has no punctuation" in err and "no speech model for zh" in err


@needs_espeak
@pytest.mark.skipif(not HAVE_POCKETSPHINX, reason="pocketsphinx is not installed")
def test_speech_model_times_english_without_punctuation_or_times() -> None:
    from editor.core.media import SpeechTap

    reading = mix(read_sentences(ENGLISH[:6], seed=6, pause_ms=(60, 400)), "noise", 15, seed=6)
    builder, tap = PeakBuilder(reading.sample_rate, 1), SpeechTap(reading.sample_rate, 1)
    builder.feed(reading.audio)
    tap.feed(reading.audio)
    waveform = builder.finish()
    waveform.speech_pcm = tap.finish()
    # No punctuation at all: the pause layer cannot run, the speech model still can.
    bare = " ".join(s.rstrip(".?!").replace(",", "") for s in ENGLISH[:6])
    doc = _read(bare + "\n")
    plan = plan_alignment(doc, AudioTrack.of_waveform(waveform), language="en")
    assert plan.layer == "speech" and "speech model" in plan.message
    edits.apply(doc, plan.edit())
    errors = _start_errors(doc, reading.word_starts_ms, str.split)
    assert len(errors) >= 4
    assert np.median(errors) <= 30 and errors.max() <= 250, errors
    assert all(c.time_source is TimeSource.SPEECH and c.timing is Timing.EXACT for c in doc.cues)


def test_text_normalisation_for_the_speech_model() -> None:
    from editor.core.autotime_speech import letter_to_sound, normalise

    known = {"the", "preview", "model"}.__contains__
    assert normalise("GPT-4o", known) == ["g", "p", "t", "four", "o"]
    assert normalise("2024,", known) == ["twenty", "twenty", "four"]
    assert normalise("3.5", known) == ["three", "point", "five"]
    assert normalise("21st", known) == ["twenty", "first"]
    assert normalise("&", known) == ["and"]
    assert normalise("o1-preview", known) == ["o", "one", "preview"]
    assert normalise("Model.", known) == ["model"]
    assert letter_to_sound("Łukasz").split()[0] == "L"
    assert letter_to_sound("thinking") == "TH IH N K IH NG"


@needs_espeak
def test_resegment_after_alignment_cuts_by_the_aligned_words() -> None:
    from editor.core import operations

    reading = read_sentences(ENGLISH[:6], seed=8, pause_ms=(500, 900))
    doc = _read(" ".join(ENGLISH[:6]) + "\n")
    edits.apply(doc, plan_alignment(doc, _track(reading), language="en", use_speech_model=False).edit())
    ids = [c.id for c in doc.cues]
    edit, new_ids = operations.resegment_cues(doc, ids)
    edits.apply(doc, edit)
    assert new_ids and all(doc.cue(i).words for i in new_ids)
    assert all(doc.cue(i).time_source is TimeSource.PAUSES for i in new_ids)
    errors = _start_errors(doc, reading.word_starts_ms, str.split)
    assert np.median(errors) <= 80, errors  # cut and timed by the words, not re-estimated


def test_estimates_without_media_leave_long_silences_as_gaps() -> None:
    from editor.core.segmentation import Segment, segment

    short = "We hope you like our new naming scheme, and the models too."
    long_text = " ".join(ENGLISH)
    result = segment(
        [Segment(short, 0, 47_000), Segment(long_text, 47_000, 120_000), Segment("Thanks.", 120_000, 160_000)]
    )
    first = [c for c in result.cues if c.segment_index == 0]
    assert first[-1].end_ms < 9_000  # ~4 s of speech is not spread over 47 s: the rest is a gap
    last = [c for c in result.cues if c.segment_index == 2]
    assert last[0].end_ms - last[0].start_ms < 3_000
    # Text without times: from 0:00 at a natural rate, and said to be so.
    untimed = segment([Segment(long_text)])
    assert untimed.cues[0].start_ms == 0 and all(c.estimated for c in untimed.cues)
    assert any("no times" in note for note in untimed.notes)


@needs_espeak
@pytest.mark.skipif(not HAVE_POCKETSPHINX, reason="pocketsphinx is not installed")
def test_seed_000_read_aloud_is_aligned_by_the_speech_model(tmp_path) -> None:
    import re

    from conftest import seed_path

    from editor.core.autotime import align_media

    path = seed_path("000")
    source = path.read_text(encoding="utf-8")
    body = " ".join(source.split("### Segment 1", 1)[1].split("\n", 2)[2].split())
    reading = read_sentences(re.split(r"(?<=[.?!]) ", body), seed=0, pause_ms=(150, 600))
    wav = tmp_path / "seed000.wav"
    reading.write(str(wav))
    doc = documents.load(str(path))
    before = _start_errors(doc, reading.word_starts_ms, str.split)
    plan = align_media(doc, str(wav))
    assert plan.layer == "speech" and plan.unplaced_words <= 10
    edits.apply(doc, plan.edit())
    after = _start_errors(doc, reading.word_starts_ms, str.split)
    assert len(after) >= 45 and np.median(before) > 2000
    assert np.median(after) <= 30 and np.percentile(after, 90) <= 120 and after.max() <= 250, after


@needs_espeak
def test_a_selection_is_aligned_within_its_neighbourhood() -> None:
    from editor.core import operations

    reading = read_sentences(ENGLISH, seed=12)
    doc = _read(" ".join(ENGLISH) + "\n")
    track = _track(reading)
    edits.apply(doc, plan_alignment(doc, track, language="en", use_speech_model=False).edit())
    aligned = _start_errors(doc, reading.word_starts_ms, str.split)
    middle = [c.id for c in doc.cues[3:6]]
    edits.apply(doc, operations.shift_cues(doc, middle, 1500))  # the user's estimate is off
    plan = plan_alignment(doc, track, middle, language="en", use_speech_model=False)
    assert set(plan.times) <= set(middle)
    edits.apply(doc, plan.edit())
    again = _start_errors(doc, reading.word_starts_ms, str.split)
    assert len(again) == len(doc.cues)  # every cue's first word has a known start
    assert again[3:6].max() <= 250 and np.median(again) <= max(80, np.median(aligned) + 20), again


@needs_espeak
def test_without_the_speech_model_english_falls_back_to_pauses_and_says_so(monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pocketsphinx", None)  # `import pocketsphinx` now fails
    from editor.core.autotime import wants_speech_model

    reading = read_sentences(ENGLISH[:5], seed=14)
    doc = _read(" ".join(ENGLISH[:5]) + "\n")
    plan = plan_alignment(doc, _track(reading), language="en")
    assert plan.layer == "pauses"
    assert "pauses and punctuation" in plan.message and "cannot be loaded" in plan.message
    doc.source_language = "zh"
    assert not wants_speech_model(doc)
