"""Generated test media: WAV files of tones and silences at known times (no media in the repo)."""

from __future__ import annotations

import pathlib
import wave
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Tone:
    """A sine tone from start_ms to end_ms at `amplitude` (0..1 of full scale)."""

    start_ms: int
    end_ms: int
    amplitude: float = 0.5
    freq_hz: float = 440.0


def signal(tones: list[Tone], duration_ms: int, rate: int, noise: float = 0.0, seed: int = 1) -> np.ndarray:
    """Return mono float samples (-1..1): the tones over optional white noise of amplitude `noise`."""
    n = duration_ms * rate // 1000
    x = np.zeros(n, np.float64)
    if noise:
        x += np.random.default_rng(seed).uniform(-noise, noise, n)
    t = np.arange(n) / rate
    for tone in tones:
        a, b = tone.start_ms * rate // 1000, tone.end_ms * rate // 1000
        x[a:b] += tone.amplitude * np.sin(2 * np.pi * tone.freq_hz * t[a:b])
    return np.clip(x, -1.0, 1.0)


def write_wav(path: pathlib.Path, samples: np.ndarray, rate: int, width: int = 2) -> pathlib.Path:
    """Write float samples (n,) or (n, channels) as PCM WAV of `width` bytes per sample."""
    data = samples if samples.ndim == 2 else samples[:, None]
    channels = data.shape[1]
    if width == 2:
        raw = np.rint(data * 32767).astype("<i2").tobytes()
    elif width == 1:
        raw = (np.rint(data * 127) + 128).astype(np.uint8).tobytes()
    elif width == 3:
        v = np.rint(data * 8_388_607).astype("<i4").reshape(-1)
        raw = v.view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    else:
        raise ValueError(width)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(raw)
    return path


# Speech-like layout used by several tests: tones (phrases) with silences at known times.
PHRASES = [
    Tone(200, 1800, 0.6),
    Tone(2300, 3900, 0.4, 300.0),
    Tone(4700, 6400, 0.7, 523.0),
    Tone(6700, 9000, 0.5),
]
SILENCES = [(0, 200), (1800, 2300), (3900, 4700), (6400, 6700), (9000, 10_000)]
DURATION_MS = 10_000
