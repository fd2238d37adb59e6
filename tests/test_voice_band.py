"""The speech-band activity track: pauses under a music bed and steady noise are found where
the speaker paused (the energy track, lifted by the bed, splits them and finds false ones);
degenerate input does not crash."""

from __future__ import annotations

import numpy as np
import pytest
from support.speech_synth import espeak_available, mix, read_sentences

from editor.core import formats
from editor.core.autotime import AudioTrack, AutotimeError, plan_alignment
from editor.core.media import SpeechTap
from editor.core.pauses import Pause
from editor.core.voice_band import FRAME_MS, speech_activity
from editor.core.waveform import PeakBuilder

needs_espeak = pytest.mark.skipif(not espeak_available(), reason="libespeak-ng is not installed")

SENTENCES = [
    "The team learned to solve hard math problems, and it worked.",
    "How long did that take?",
    "Our new model spent weeks on the coding benchmark.",
    "Yes, absolutely.",
    "My colleague kept thinking about a chain of thought over and over again.",
    "The research group made real progress on the training data.",
    "Was that a surprise to you?",
    "Everyone in the lab was surprised by questions about chemistry.",
]


def _track(reading, pcm: bool = True) -> AudioTrack:  # type: ignore[no-untyped-def]
    builder = PeakBuilder(reading.sample_rate, 1)
    builder.feed(reading.audio)
    track = AudioTrack.of_waveform(builder.finish())
    if pcm:
        tap = SpeechTap(reading.sample_rate, 1)
        tap.feed(reading.audio)
        track.pcm16k = tap.finish()
    return track


def _long(pauses: list[Pause], ms: int = 300) -> list[Pause]:
    return [p for p in pauses if p.end_ms - p.start_ms >= ms]


def _matched(truth: list[Pause], found: list[Pause], tolerance_ms: int) -> int:
    """Return how many true pauses have a found pause overlapping them that ends within
    `tolerance_ms` of where the speech resumes."""
    return sum(
        any(
            f.start_ms < t.end_ms and f.end_ms > t.start_ms and abs(f.end_ms - t.end_ms) <= tolerance_ms
            for f in found
        )
        for t in truth
    )


def _false(truth: list[Pause], found: list[Pause]) -> list[Pause]:
    """Return the found pauses the speaker did not make (inside words)."""
    return [f for f in found if not any(f.start_ms < t.end_ms and f.end_ms > t.start_ms for t in truth)]


@needs_espeak
@pytest.mark.parametrize("kind, snr", [("music", 12), ("noise", 15)])
def test_pauses_under_a_bed_end_where_the_speech_resumes(kind: str, snr: int) -> None:
    reading = read_sentences(SENTENCES, seed=4)
    truth = _long(_track(reading, pcm=False).pauses(), 200)  # digital silence: exact
    assert len(truth) >= 6
    found = _track(mix(reading, kind, snr, seed=4)).pauses()
    assert _matched(truth, found, 80) >= len(truth) - 1, (truth, found)


@needs_espeak
@pytest.mark.parametrize("seed", [4, 6])
def test_a_music_bed_no_longer_makes_pauses_inside_words(seed: int) -> None:
    reading = read_sentences(SENTENCES, seed=seed)
    truth = _track(reading, pcm=False).pauses()  # digital silence: every pause the reading has
    mixed = mix(reading, "music", 12, seed=seed)
    by_energy = _false(truth, _track(mixed, pcm=False).pauses())  # the track used before
    by_voice = _false(truth, _track(mixed).pauses())
    assert len(by_voice) <= 2, by_voice
    assert 3 * len(by_voice) < len(by_energy)


def test_degenerate_input() -> None:
    assert len(speech_activity(np.zeros(0, np.int16))) == 0
    assert len(speech_activity(np.zeros(100, np.int16))) == 1
    silence = speech_activity(np.zeros(16000, np.int16))
    assert len(silence) == round(1000 / FRAME_MS) and np.all(np.isfinite(silence))
    tone = (np.sin(np.arange(16000 * 6) * 2 * np.pi * 440 / 16000) * 8000).astype(np.int16)
    # A held note has no speech in it: far below what a syllable gives; alignment refuses.
    assert speech_activity(tone).max() < 0.05
    track = AudioTrack(np.full(600, 0.1, np.float32), 10.0, 6000, tone)
    text = "One sentence here. And another one.\n"
    doc = formats.detect(text, None).read(text, None)
    with pytest.raises(AutotimeError, match=r"no speech|no pauses"):
        plan_alignment(doc, track, language="en", use_speech_model=False)


@needs_espeak
def test_a_quiet_recording_keeps_the_energy_track_and_seed_000_still_aligns(tmp_path) -> None:
    import re

    from conftest import seed_path

    from editor.core import documents, edits
    from editor.core.media import decode_speech

    source = seed_path("000").read_text(encoding="utf-8")
    body = " ".join(source.split("### Segment 1", 1)[1].split("\n", 2)[2].split())
    reading = read_sentences(re.split(r"(?<=[.?!]) ", body), seed=0, pause_ms=(150, 600))
    wav = tmp_path / "seed000.wav"
    reading.write(str(wav))
    track = AudioTrack.of_waveform(decode_speech(str(wav)))
    assert track.pcm16k is not None and not track.uses_band()  # digital silence between sentences
    assert _track(mix(reading, "music", 12, seed=0)).uses_band()
    doc = documents.load(str(seed_path("000")))
    plan = plan_alignment(doc, track, language="en", use_speech_model=False)
    edits.apply(doc, plan.edit())
    errors, k = [], 0
    for cue in sorted(doc.cues, key=lambda c: c.start_ms):
        if reading.word_starts_ms[k] is not None:
            errors.append(abs(cue.start_ms - reading.word_starts_ms[k]))
        k += len(cue.text.split())
    assert len(errors) >= 45 and np.median(errors) <= 250, errors
