"""Waveform peaks from generated WAV files: the pyramid, the decoders, the cache."""

from __future__ import annotations

import itertools
import os
import shutil
import threading

import numpy as np
import pytest
from support.media import DURATION_MS, PHRASES, SILENCES, Tone, signal, write_wav

from editor.core.waveform import (
    Cancelled,
    FileIdentity,
    MediaError,
    PeakBuilder,
    Waveform,
    base_bin_samples,
    cache_path,
)
from editor.qt import waveform_loader
from editor.qt.waveform_loader import decode, decode_wav, load_waveform

RATE = 16_000
TOL = 1.5 / 32767  # int16 rounding of the written file and of the stored peaks


def _builder_waveform(x: np.ndarray, rate: int, channels: int = 1, chunk: int = 777) -> Waveform:
    b = PeakBuilder(rate, channels, expected_frames=len(x) // channels)
    for i in range(0, len(x), chunk * channels):
        b.feed(x[i : i + chunk * channels])
    return b.finish()


def _expected(x: np.ndarray, rate: int, start_ms: float, end_ms: float) -> tuple[float, float]:
    a, b = int(start_ms * rate / 1000), int(end_ms * rate / 1000)
    seg = np.rint(x[a:b] * 32767) / 32767
    return float(seg.min()), float(seg.max())


def test_peaks_match_the_generated_signal_at_every_zoom(tmp_path):
    x = signal(PHRASES, DURATION_MS, RATE)
    wf = decode_wav(str(write_wav(tmp_path / "speech.wav", x, RATE)))
    assert wf.sample_rate == RATE and wf.channels == 1 and wf.n_frames == len(x)
    assert wf.duration_ms == DURATION_MS
    # Whole file in 10 columns of 1 s, then deep zooms down to 4 columns per millisecond.
    for start, end, n in ((0, 10_000, 10), (0, 10_000, 1000), (1500, 2600, 220), (2000, 2010, 40)):
        peaks = wf.peaks(start, end, n)
        assert peaks.shape == (n, 2) and peaks.dtype == np.float32
        width = (end - start) / n
        for i in range(n):
            c0, c1 = start + i * width, start + (i + 1) * width
            # Bins of the chosen level are at most a quarter column, and level 0 bins are
            # 1 ms: compare columns well away from a tone edge.
            margin = max(width / 4, 1.0) + 1
            lo, hi = _expected(x, RATE, max(0, c0 - margin), c1 + margin)
            inner_lo, inner_hi = (
                _expected(x, RATE, c0 + margin, c1 - margin) if c1 - c0 > 2 * margin else (0, 0)
            )
            assert lo - TOL <= peaks[i, 0] <= inner_lo + TOL
            assert inner_hi - TOL <= peaks[i, 1] <= hi + TOL
    # Known values: a 0.6 tone in the first phrase, digital silence between phrases.
    first = wf.peaks(300, 1700, 1)[0]
    assert first[0] == pytest.approx(-0.6, abs=1e-3) and first[1] == pytest.approx(0.6, abs=1e-3)
    assert np.all(wf.peaks(1850, 2250, 50) == 0)
    # Outside the audio: no peaks.
    assert np.all(wf.peaks(-2000, 0, 20) == 0) and np.all(wf.peaks(10_000, 12_000, 20) == 0)


def test_query_cost_does_not_grow_with_the_range():
    # An hour at 1 kHz is 3.6 M samples; every query reduces only a few bins per column.
    rate = 1000
    x = np.sin(np.arange(3_600_000) / 50.0).astype(np.float32) * 0.5
    wf = _builder_waveform(x, rate, chunk=100_000)
    assert len(wf.levels) > 10
    for span in (100, 60_000, 3_600_000):
        peaks = wf.peaks(0, span, 500)
        assert peaks[:, 1].max() == pytest.approx(0.5, abs=1e-3)
    k_bins = [len(lo) for lo, _ in wf.levels]
    assert k_bins[0] == 3_600_000 // base_bin_samples(rate)
    assert all(b == -(-a // 2) for a, b in itertools.pairwise(k_bins))


def test_stereo_and_sample_widths_give_the_same_peaks(tmp_path):
    x = signal([Tone(100, 600, 0.5)], 1000, RATE)
    stereo = np.stack([x, -0.5 * x], axis=1)
    wf2 = decode_wav(str(write_wav(tmp_path / "s16.wav", stereo, RATE)))
    assert wf2.channels == 2
    lo, hi = wf2.peaks(150, 550, 1)[0]
    assert lo == pytest.approx(-0.5, abs=1e-3) and hi == pytest.approx(0.5, abs=1e-3)
    for width, tol in ((1, 1 / 100), (3, 1e-3)):
        wf = decode_wav(str(write_wav(tmp_path / f"w{width}.wav", x, RATE, width)))
        lo, hi = wf.peaks(150, 550, 1)[0]
        assert lo == pytest.approx(-0.5, abs=tol) and hi == pytest.approx(0.5, abs=tol)
        assert np.abs(wf.peaks(700, 1000, 5)).max() <= tol


def test_energy_track_follows_the_tones():
    x = signal(PHRASES, DURATION_MS, RATE)
    wf = _builder_waveform(x, RATE)
    assert wf.energy_frame_ms == 10
    assert len(wf.energy) == DURATION_MS // 10
    # A sine of amplitude a has mean square a**2 / 2.
    assert wf.energy[30:170].mean() == pytest.approx(0.6**2 / 2, rel=0.01)
    for a, b in SILENCES:
        assert wf.energy[a // 10 + 1 : b // 10 - 1].max() == 0


def test_cache_round_trip_and_identity(tmp_path):
    x = signal(PHRASES, DURATION_MS, RATE, noise=0.01)
    media = write_wav(tmp_path / "a.wav", x, RATE)
    cache = tmp_path / "cache"
    wf = load_waveform(str(media), str(cache))
    ident = FileIdentity.of(str(media))
    stored = cache_path(str(cache), ident)
    assert os.path.isfile(stored)
    again = Waveform.load(stored)
    assert again is not None
    assert np.array_equal(again.peaks(0, 10_000, 333), wf.peaks(0, 10_000, 333))
    assert np.array_equal(again.energy, wf.energy)
    # The second load comes from the cache, not the decoder.
    calls = []
    original = waveform_loader.decode
    waveform_loader.decode = lambda *a, **k: calls.append(a) or original(*a, **k)
    try:
        load_waveform(str(media), str(cache))
        assert calls == []
        # A changed file (new size and mtime) is decoded again.
        write_wav(media, x[: len(x) // 2], RATE)
        os.utime(media, ns=(ident.mtime_ns + 10**9, ident.mtime_ns + 10**9))
        changed = load_waveform(str(media), str(cache))
        assert len(calls) == 1 and changed.duration_ms == DURATION_MS / 2
    finally:
        waveform_loader.decode = original
    # A damaged cache file is a miss, never an error.
    with open(stored, "wb") as fh:
        fh.write(b"not a zip at all")
    assert Waveform.load(stored) is None


def test_missing_and_corrupt_media_give_clear_errors(tmp_path):
    with pytest.raises(MediaError) as err:
        decode(str(tmp_path / "nowhere.wav"))
    assert err.value.path.endswith("nowhere.wav") and "not found" in str(err.value)
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"RIFF\x10\x00\x00\x00WAVEjunk" + os.urandom(2000))
    with pytest.raises(MediaError) as err:
        decode(str(bad))
    message = str(err.value)
    assert message.startswith(str(bad)) and "cannot read its audio" in message
    assert "\n" not in message
    empty = tmp_path / "empty.wav"
    write_wav(empty, np.zeros(0), RATE)
    with pytest.raises(MediaError, match="no audio"):
        decode(str(empty))
    nothing = tmp_path / "talk.mp4"
    nothing.write_bytes(b"")
    with pytest.raises(MediaError, match="empty"):
        decode(str(nothing))


def test_truncated_wav_keeps_what_is_there(tmp_path):
    x = signal([Tone(0, 2000, 0.5)], 2000, RATE)
    path = write_wav(tmp_path / "t.wav", x, RATE)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 1])  # cut mid-sample
    wf = decode_wav(str(path))
    assert wf.duration_ms == pytest.approx(1000, abs=1)
    assert wf.peaks(100, 900, 1)[0][1] == pytest.approx(0.5, abs=1e-3)


def test_cancel_stops_a_decode(tmp_path):
    x = signal([Tone(0, 1000, 0.5)], 1000, RATE)
    path = write_wav(tmp_path / "c.wav", x, RATE)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        decode_wav(str(path), cancel=cancel)


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="no ffmpeg executable")
def test_ffmpeg_decoder_reads_compressed_audio(tmp_path):
    import subprocess

    x = signal(PHRASES, DURATION_MS, 44_100)
    wav = write_wav(tmp_path / "src.wav", x, 44_100)
    flac = tmp_path / "speech.flac"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(wav), str(flac)], check=True)
    progress: list[float] = []
    wf = decode(str(flac), progress.append)
    assert wf.duration_ms == pytest.approx(DURATION_MS, abs=30)
    lo, hi = wf.peaks(300, 1700, 1)[0]
    assert hi == pytest.approx(0.6, abs=0.02) and lo == pytest.approx(-0.6, abs=0.02)
    assert np.abs(wf.peaks(1900, 2200, 10)).max() < 0.01
    assert progress and progress[-1] == pytest.approx(1.0, abs=0.01)


def test_qaudiodecoder_reads_what_wave_cannot(tmp_path, qapp):
    problem = waveform_loader.qt_multimedia_problem()
    if problem is not None:
        pytest.skip(problem)
    x = signal(PHRASES, DURATION_MS, 22_050)
    wav = write_wav(tmp_path / "src.wav", x, 22_050)
    wf = waveform_loader.decode_qt(str(wav))
    assert wf.duration_ms == pytest.approx(DURATION_MS, abs=50)
    lo, hi = wf.peaks(300, 1700, 1)[0]
    assert hi == pytest.approx(0.6, abs=0.02) and lo == pytest.approx(-0.6, abs=0.02)
    with pytest.raises(MediaError):
        waveform_loader.decode_qt(str(tmp_path / "missing.wav"))


def test_cache_is_pruned_least_recently_used_first(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    paths = []
    for k in range(4):
        p = cache / f"{k}.npz"
        p.write_bytes(b"x" * 1000)
        os.utime(p, (1000 + k, 1000 + k))
        paths.append(p)
    waveform_loader.prune_cache(str(cache), 2500, keep=str(paths[0]))
    assert [p.exists() for p in paths] == [True, False, False, True]


def test_a_cache_write_that_fails_midway_keeps_the_old_file(tmp_path, monkeypatch):
    from editor.core.errors import WriteError

    media = write_wav(tmp_path / "a.wav", signal(PHRASES, DURATION_MS, RATE, noise=0.01), RATE)
    cache = tmp_path / "cache"
    wf = load_waveform(str(media), str(cache))
    stored = cache_path(str(cache), FileIdentity.of(str(media)))
    assert os.stat(stored).st_mode & 0o777 == 0o600  # private to the user, as it always was
    before = open(stored, "rb").read()

    def half_then_full(fh, **arrays):
        fh.write(before[: len(before) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez", half_then_full)
    with pytest.raises(WriteError, match="No space left") as info:
        wf.save(stored)
    assert info.value.path == stored  # the message names the file
    assert open(stored, "rb").read() == before
    assert sorted(os.listdir(cache)) == [os.path.basename(stored)]  # no temporary file left
    # Without its cache (a full disk), the loader still gives the waveform.
    os.remove(stored)
    again = load_waveform(str(media), str(cache))
    assert np.array_equal(again.energy, wf.energy) and not os.path.exists(stored)
