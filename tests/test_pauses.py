"""Pause detection on generated speech-like audio, and snapping estimated cues to the pauses."""

from __future__ import annotations

import itertools
import shutil
import subprocess

import numpy as np
import pytest
from support.media import DURATION_MS, PHRASES, SILENCES, Tone, signal, write_wav

from editor.core import edits
from editor.core.errors import ValidationError
from editor.core.model import Document, Timing
from editor.core.pauses import Pause, find_pauses, plan_snap
from editor.core.segmentation import Segment, segment
from editor.core.waveform import PeakBuilder, Waveform
from editor.qt.waveform_loader import decode_wav

RATE = 16_000


def _waveform(x: np.ndarray, rate: int = RATE) -> Waveform:
    b = PeakBuilder(rate, 1)
    b.feed(x.astype(np.float32))
    return b.finish()


@pytest.mark.parametrize("noise", [0.0, 0.002, 0.02])
def test_pauses_are_found_at_the_known_silences(tmp_path, noise):
    x = signal(PHRASES, DURATION_MS, RATE, noise=noise)
    wf = decode_wav(str(write_wav(tmp_path / "speech.wav", x, RATE)))
    pauses = find_pauses(wf.energy, wf.energy_frame_ms)
    assert len(pauses) == len(SILENCES)
    for pause, (a, b) in zip(pauses, SILENCES, strict=True):
        assert abs(pause.start_ms - a) <= 20 and abs(pause.end_ms - b) <= 20


def test_louder_recording_and_short_gaps():
    # Scaled up 20 dB with a floor of noise; a 60 ms dropout inside a phrase is no pause,
    # and a 10 ms click inside a silence does not split it.
    tones = [Tone(0, 2000, 0.9), Tone(2060, 4000, 0.9), Tone(5000, 5010, 0.9), Tone(6000, 8000, 0.8)]
    x = signal(tones, 9000, RATE, noise=0.05)
    pauses = find_pauses(_waveform(x).energy, 10)
    assert [(p.start_ms, p.end_ms) for p in pauses] == [
        pytest.approx((4000, 6000), abs=20),
        pytest.approx((8000, 9000), abs=20),
    ]


def test_no_contrast_means_no_pauses_and_silence_is_one_pause():
    steady = signal([Tone(0, 3000, 0.5)], 3000, RATE)
    assert find_pauses(_waveform(steady).energy, 10) == []
    silent = np.zeros(RATE * 2)
    assert find_pauses(_waveform(silent).energy, 10) == [Pause(0, 2000)]
    with pytest.raises(ValidationError):
        find_pauses(np.zeros(3), 0)


def _doc(times: list[tuple[int, int]], timing: Timing = Timing.ESTIMATED) -> Document:
    doc = Document()
    for k, (s, e) in enumerate(times):
        doc.append(doc.new_cue(s, e, f"cue {k}", timing=timing))
    return doc


PAUSES = [Pause(a, b) for a, b in SILENCES]


def test_snapping_moves_boundaries_into_the_pauses_as_one_undo_step():
    # Segmentation-like estimated cues: contiguous, boundaries a few hundred ms off the pauses.
    doc = _doc([(150, 2100), (2100, 4200), (4200, 6300), (6300, 9100)])
    before = doc.snapshot()
    plan = plan_snap(doc, PAUSES, window_ms=500)
    assert plan.considered == 4 and plan.boundaries == 8
    inverse, changes = edits.apply(doc, plan.edit())
    pauses = [(a, b) for a, b in SILENCES]
    for cue in doc.cues:
        assert any(a <= cue.start_ms <= b for a, b in pauses), cue
        assert any(a <= cue.end_ms <= b for a, b in pauses), cue
        assert cue.timing is Timing.ESTIMATED  # not confirmed: stays estimated
    # Starts sit just before the speech after a pause, ends just after the speech before it.
    assert [c.start_ms for c in doc.cues] == [140, 2240, 4640, 6640]
    assert [c.end_ms for c in doc.cues] == [1860, 3960, 6460, 9060]
    assert all(a.end_ms <= b.start_ms for a, b in zip(doc.cues, doc.cues[1:], strict=False))
    assert changes.fields == {"start_ms", "end_ms"}
    edits.apply(doc, inverse)
    assert doc.snapshot() == before


def test_window_limits_and_confirmation():
    doc = _doc([(150, 2100), (2100, 4200), (4200, 5300)])
    far = doc.cues[2].id
    # 5300 is 600 ms from the nearest pause edge (4700; 6400 is 1100 ms): out of a 500 ms window.
    plan = plan_snap(doc, PAUSES, window_ms=500, mark_exact=True)
    assert plan.times[far] == (4640, 5300)
    # With a wider window it would reach back to 4700 and leave a 60 ms cue: left out.
    assert far not in plan_snap(doc, PAUSES, window_ms=700).times
    # A boundary moves at most the window, even into a long pause.
    small = plan_snap(doc, PAUSES, window_ms=100)
    for cid, (s, e) in small.times.items():
        cue = doc.cue(cid)
        assert abs(s - cue.start_ms) <= 100 and abs(e - cue.end_ms) <= 100
    assert small.times[doc.cues[1].id][1] == 4100  # 4200 → 100 ms back, toward the speech at 3900
    edits.apply(doc, plan.edit())
    assert {c.timing for c in doc.cues} == {Timing.EXACT}
    assert sorted(plan.mark_exact) == sorted(c.id for c in doc.cues)
    with pytest.raises(ValidationError):
        plan_snap(doc, PAUSES, window_ms=-1)


def test_only_estimated_and_selected_cues_move_and_nothing_overlaps_or_collapses():
    doc = _doc([(150, 2100), (2100, 4200)])
    exact = doc.new_cue(4200, 6300, "exact", timing=Timing.EXACT)
    doc.append(exact)
    tiny = doc.new_cue(6650, 6690, "tiny", timing=Timing.ESTIMATED)  # inside a pause: would collapse
    doc.append(tiny)
    plan = plan_snap(doc, PAUSES, window_ms=500)
    assert exact.id not in plan.times and tiny.id not in plan.times
    only_first = plan_snap(doc, PAUSES, ids=[doc.cues[0].id], window_ms=500)
    assert set(only_first.times) == {doc.cues[0].id}
    # An end snapping forward past a neighbour's start that stays put is left out.
    doc2 = _doc([(150, 1700), (1750, 3000)])
    doc2.cue(doc2.cues[1].id).timing = Timing.EXACT
    plan2 = plan_snap(doc2, [Pause(1800, 2300)], window_ms=500)
    new_end = plan2.times.get(doc2.cues[0].id, (150, 1700))[1]
    assert new_end <= 1750
    assert plan_snap(doc, [], window_ms=500).empty


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_real_speech_segmented_cues_snap_to_the_sentence_pauses(tmp_path):
    # Synthetic but real speech: four sentences read by espeak-ng, segmented as one timed
    # stretch (so the cue times are estimated by text length), then snapped.
    text = (
        "Hello and welcome to the show. Today we talk about subtitles. "
        "They must be timed well, or nobody can read them. Let us begin with the basics."
    )
    wav = tmp_path / "speech.wav"
    subprocess.run(["espeak-ng", "-w", str(wav), "-s", "150", text], check=True, capture_output=True)
    wf = decode_wav(str(wav))
    pauses = find_pauses(wf.energy, wf.energy_frame_ms)
    assert len(pauses) >= 3  # at least the sentence ends
    doc = Document()
    for c in segment([Segment(text, 0, round(wf.duration_ms))]).cues:
        doc.append(doc.new_cue(c.start_ms, c.end_ms, c.text, timing=Timing.ESTIMATED))
    assert len(doc) >= 3

    def in_pause(t: int) -> bool:
        return any(p.start_ms <= t <= p.end_ms for p in pauses)

    inner_before = sum(in_pause(t) for c in doc.cues[1:] for t in (c.start_ms,))
    edits.apply(doc, plan_snap(doc, pauses).edit())
    starts = [c.start_ms for c in doc.cues[1:]]
    ends = [c.end_ms for c in doc.cues[:-1]]
    assert all(in_pause(t) for t in starts + ends)
    assert sum(in_pause(t) for t in starts) > inner_before
    # Each sentence's cue now ends before the next one starts, in the same pause.
    assert all(a.end_ms < b.start_ms for a, b in itertools.pairwise(doc.cues))
