"""A speech-activity track for finding pauses under music or steady noise (NumPy only).

The waveform's energy track cannot tell a pause filled by a music bed from quiet speech: the
bed lifts the whole track, and the weak parts of words (closures, soft consonants) fall below
any threshold that still finds the pauses. This track looks only at the speech band
(300–3400 Hz) and, per frequency bin, only at what rises above that bin's own slowly varying
floor: a held note or a hum keeps its bin's floor high (its minimum over the second before and
the second after), while speech moves between bins from one syllable to the next. The value
of a frame is the mean over the band of log(power / floor) where positive, returned as an
energy-like number (e**value - 1, plus a small constant) so that `pauses.find_pauses` reads it
like the energy track (in dB, with its adaptive threshold).

Frames are 10 ms of 16 kHz mono PCM (the `speech_pcm` the decoders keep); the audio is worked
through in blocks, so memory stays at a few MB whatever the length.
"""

from __future__ import annotations

import numpy as np

RATE = 16000
HOP = 160  # 10 ms
WIN = 400  # 25 ms Hann window
FRAME_MS = HOP * 1000.0 / RATE
BAND_HZ = (300.0, 3400.0)
FLOOR_MS = 1000  # a bin's floor: its minimum over this long before and after the frame
FLOOR_BIAS = 3.0  # the floor of smoothed power sits this far below the sound's mean
BLOCK_FRAMES = 4096
_EPS = 1e-4


def _running_min(x: np.ndarray, w: int) -> np.ndarray:
    """Return the minimum over the trailing `w` frames (this one included), along axis 0."""
    out = x.copy()
    size = 1
    while size < w:  # doubling: windows of 1, 2, 4, ... frames, the last one clipped to w
        step = min(size, w - size)
        np.minimum(out[step:], out[:-step], out=out[step:])
        size += step
    return out


def _smooth3(x: np.ndarray) -> np.ndarray:
    """Return the centred 3-frame moving average along axis 0 (2 frames at the ends)."""
    out = x.copy()
    out[1:] += x[:-1]
    out[:-1] += x[1:]
    out[1:-1] /= 3.0
    out[[0, -1]] /= 2.0
    return out


_WINDOW = np.hanning(WIN).astype(np.float32)
_FREQS = np.fft.rfftfreq(WIN, 1.0 / RATE)
_BAND = slice(int(np.searchsorted(_FREQS, BAND_HZ[0])), int(np.searchsorted(_FREQS, BAND_HZ[1], "right")))


def _band_power(pcm: np.ndarray, first: int, count: int) -> np.ndarray:
    """Return the speech-band power spectrum of frames [first, first + count)."""
    lo = first * HOP - (WIN - HOP) // 2
    hi = (first + count - 1) * HOP - (WIN - HOP) // 2 + WIN
    seg = pcm[max(0, lo) : max(0, min(len(pcm), hi))].astype(np.float32)
    buf = np.zeros(hi - lo, np.float32)
    start = max(0, -lo)
    buf[start : start + len(seg)] = seg
    frames = np.lib.stride_tricks.sliding_window_view(buf, WIN)[::HOP] * _WINDOW
    spec = np.fft.rfft(frames, axis=1)[:, _BAND]
    # +1: digital silence has a floor to compare with (an int16 LSB is far below any sound).
    return spec.real**2 + spec.imag**2 + np.float32(1.0)


def speech_activity(pcm16k: np.ndarray) -> np.ndarray:
    """Return the speech-activity track of 16 kHz mono PCM, one energy-like value per 10 ms."""
    pcm = np.asarray(pcm16k).reshape(-1)
    n = -(-len(pcm) // HOP)
    out = np.zeros(n, np.float32)
    w = max(1, round(FLOOR_MS / FRAME_MS))
    margin = w + 2
    for a in range(0, n, BLOCK_FRAMES):
        b = min(n, a + BLOCK_FRAMES)
        lo, hi = max(0, a - margin), min(n, b + margin)
        power = _band_power(pcm, lo, hi - lo)
        # Power is averaged over 3 frames: one 10 ms frame of noise varies a lot.
        smooth = _smooth3(power)
        floor = np.maximum(_running_min(smooth, w), _running_min(smooth[::-1], w)[::-1]) * FLOOR_BIAS
        ratio = np.log(np.maximum(smooth / floor, 1.0)).mean(axis=1)
        out[a:b] = ratio[a - lo : b - lo]
    return np.expm1(out) + _EPS


__all__ = ["FRAME_MS", "speech_activity"]
