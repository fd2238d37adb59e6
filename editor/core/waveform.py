"""Waveform peaks: PCM samples → a min/max peak pyramid and a short-time energy track.

`PeakBuilder` takes PCM in chunks of any size (int16 or float, interleaved channels) so a
decoder never has to hold a whole file; `Waveform` answers `peaks(start_ms, end_ms,
n_columns)` in time proportional to `n_columns` at any zoom: it picks the pyramid level
whose bins are just narrower than a column, so each column reduces at most a few bins.
Level 0 bins are about a millisecond (a power-of-two number of samples); level k bins are
2**k times wider. Peaks are stored as int16 (full scale 32767) to keep an hour of 48 kHz
audio at ~45 MB. The energy track (mean square per `ENERGY_FRAME_MS` frame, all channels)
feeds pause detection (`editor.core.pauses`).

A waveform is cached as one .npz (level 0 and the energy track; the rest of the pyramid is
rebuilt on load in a few milliseconds), keyed by the media file's path, size and mtime.
"""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from editor.core import textio
from editor.core.errors import EditorError

ENERGY_FRAME_MS = 10
CACHE_VERSION = 1
FULL_SCALE = 32767.0


class MediaError(EditorError):
    """Media could not be read: missing, unreadable, not audio, or no decoder for it."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class Cancelled(EditorError):
    """A decode was cancelled (the media changed or the window closed meanwhile)."""


def base_bin_samples(sample_rate: int) -> int:
    """Return the level-0 bin size in samples: the largest power of two <= 1 ms of audio."""
    return 1 << max(0, math.floor(math.log2(max(1, sample_rate // 1000))))


def _to_int16(chunk: np.ndarray) -> np.ndarray:
    """Return `chunk` as int16 (floats are taken as -1..1 full scale, clipped)."""
    if chunk.dtype == np.int16:
        return chunk
    if chunk.dtype.kind == "f":
        return np.clip(np.rint(chunk * FULL_SCALE), -32768, 32767).astype(np.int16)
    raise TypeError(f"unsupported sample type {chunk.dtype}")


class PeakBuilder:
    """Reduce interleaved PCM fed in chunks to level-0 peaks and the energy track.

    `expected_frames` (when the decoder knows it) lets the builder allocate its output once,
    instead of growing and concatenating (which would double the peak memory).
    """

    def __init__(self, sample_rate: int, channels: int, expected_frames: int | None = None) -> None:
        if sample_rate <= 0 or channels <= 0:
            raise ValueError("sample rate and channel count must be positive")
        self.sample_rate = sample_rate
        self.channels = channels
        self.bin = base_bin_samples(sample_rate)
        self.frame = max(1, round(sample_rate * ENERGY_FRAME_MS / 1000))
        # Reduce in blocks that hold whole bins and whole energy frames, so chunk edges
        # never split one; the remainder waits in `_carry` for the next chunk.
        self._block = self.bin * self.frame // math.gcd(self.bin, self.frame)
        self._carry = np.zeros(0, np.int16)
        self.n_frames = 0
        self._mins: list[np.ndarray] = []
        self._maxs: list[np.ndarray] = []
        self._energy: list[np.ndarray] = []
        self._pre: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._pos_bins = 0
        self._pos_frames = 0
        if expected_frames:
            n_bins = -(-expected_frames // self.bin)
            n_energy = -(-expected_frames // self.frame)
            self._pre = (
                np.zeros(n_bins, np.int16),
                np.zeros(n_bins, np.int16),
                np.zeros(n_energy, np.float32),
            )

    def feed(self, chunk: np.ndarray) -> None:
        """Add interleaved samples (int16, or float in -1..1); any length that is a whole
        number of frames (all channels of one instant)."""
        data = _to_int16(np.asarray(chunk).reshape(-1))
        if len(data) % self.channels:
            raise ValueError("a chunk must hold whole frames")
        if len(self._carry):
            data = np.concatenate((self._carry, data))
        step = self._block * self.channels
        usable = len(data) - len(data) % step
        if usable:
            self._reduce(data[:usable])
        self._carry = data[usable:].copy()

    def _reduce(self, data: np.ndarray) -> None:
        ch = self.channels
        # Interleaved samples of one bin are contiguous, so one reshape covers all channels.
        bins = data.reshape(-1, self.bin * ch)
        mins, maxs = bins.min(axis=1), bins.max(axis=1)
        frames = data.reshape(-1, self.frame * ch).astype(np.float32)
        frames *= 1.0 / FULL_SCALE
        energy = np.einsum("ij,ij->i", frames, frames) / (self.frame * ch)
        self._store(mins, maxs, energy.astype(np.float32))
        self.n_frames += len(data) // ch

    def _store(self, mins: np.ndarray, maxs: np.ndarray, energy: np.ndarray) -> None:
        pre = self._pre
        if (
            pre is not None
            and self._pos_bins + len(mins) <= len(pre[0])
            and (self._pos_frames + len(energy) <= len(pre[2]))
        ):
            b, f = self._pos_bins, self._pos_frames
            pre[0][b : b + len(mins)] = mins
            pre[1][b : b + len(maxs)] = maxs
            pre[2][f : f + len(energy)] = energy
        else:
            if pre is not None:  # the decoder delivered more than it announced: grow instead
                self._mins.append(pre[0][: self._pos_bins].copy())
                self._maxs.append(pre[1][: self._pos_bins].copy())
                self._energy.append(pre[2][: self._pos_frames].copy())
                self._pre = None
            self._mins.append(mins)
            self._maxs.append(maxs)
            self._energy.append(energy)
        self._pos_bins += len(mins)
        self._pos_frames += len(energy)

    def finish(self) -> Waveform:
        """Reduce what is left (a last partial bin and frame) and return the Waveform.

        Raises MediaError-free ValueError when no sample at all was fed.
        """
        rest = self._carry
        self._carry = np.zeros(0, np.int16)
        if len(rest):
            ch = self.channels
            n = len(rest) // ch
            frames = rest.reshape(n, ch)
            nb = -(-n // self.bin)
            starts = np.arange(0, n, self.bin)
            mins = np.minimum.reduceat(frames.min(axis=1), starts)
            maxs = np.maximum.reduceat(frames.max(axis=1), starts)
            sq = (frames.astype(np.float32) / FULL_SCALE) ** 2
            fstarts = np.arange(0, n, self.frame)
            sums = np.add.reduceat(sq.sum(axis=1), fstarts)
            counts = np.diff(np.append(fstarts, n)) * ch
            self._store(mins[:nb], maxs[:nb], (sums / counts).astype(np.float32))
            self.n_frames += n
        if self.n_frames == 0:
            raise ValueError("no audio samples")
        if self._pre is not None:
            mins = self._pre[0][: self._pos_bins]
            maxs = self._pre[1][: self._pos_bins]
            energy = self._pre[2][: self._pos_frames]
        else:
            mins = np.concatenate(self._mins)
            maxs = np.concatenate(self._maxs)
            energy = np.concatenate(self._energy)
        self._pre = None
        self._mins, self._maxs, self._energy = [], [], []
        return Waveform(self.sample_rate, self.channels, self.n_frames, self.bin, mins, maxs, energy)


def _pyramid(mins: np.ndarray, maxs: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return [(mins, maxs)] per level, each level halving the previous one."""
    levels = [(mins, maxs)]
    while len(levels[-1][0]) > 1:
        lo, hi = levels[-1]
        if len(lo) % 2:
            lo, hi = np.append(lo, lo[-1]), np.append(hi, hi[-1])
        levels.append((np.minimum(lo[0::2], lo[1::2]), np.maximum(hi[0::2], hi[1::2])))
    return levels


@dataclass(frozen=True, slots=True)
class FileIdentity:
    """What makes a cached waveform valid for a media file: its path, size and mtime."""

    path: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str) -> FileIdentity:
        """Return the identity of `path`; raises MediaError when it is missing or unreadable."""
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise MediaError(path, "file not found") from None
        except OSError as exc:
            raise MediaError(path, exc.strerror or str(exc)) from None
        if not os.path.isfile(path):
            raise MediaError(path, "not a file")
        return cls(os.path.abspath(path), st.st_size, st.st_mtime_ns)

    def key(self) -> str:
        raw = f"{CACHE_VERSION}\0{self.path}\0{self.size}\0{self.mtime_ns}".encode("utf-8", "surrogatepass")
        return hashlib.sha1(raw).hexdigest()


def cache_path(cache_dir: str, identity: FileIdentity) -> str:
    """Return where the waveform of `identity` is cached inside `cache_dir`."""
    return os.path.join(cache_dir, f"{identity.key()}.npz")


class Waveform:
    """Peaks and energy of one audio stream; a timeline `WaveformProvider`."""

    def __init__(
        self,
        sample_rate: int,
        channels: int,
        n_frames: int,
        bin_samples: int,
        mins: np.ndarray,
        maxs: np.ndarray,
        energy: np.ndarray,
    ) -> None:
        self.sample_rate = int(sample_rate)
        self.channels = int(channels)
        self.n_frames = int(n_frames)
        self.bin_samples = int(bin_samples)
        self.energy = np.asarray(energy, np.float32)
        self.levels = _pyramid(np.asarray(mins, np.int16), np.asarray(maxs, np.int16))
        # 16 kHz mono int16 PCM when the decoder kept it for alignment (never cached).
        self.speech_pcm: np.ndarray | None = None

    @property
    def duration_ms(self) -> float:
        return self.n_frames * 1000.0 / self.sample_rate

    @property
    def energy_frame_ms(self) -> float:
        """Duration of one energy frame (ENERGY_FRAME_MS, up to rounding to whole samples)."""
        return round(self.sample_rate * ENERGY_FRAME_MS / 1000) * 1000.0 / self.sample_rate

    def nbytes(self) -> int:
        return sum(lo.nbytes + hi.nbytes for lo, hi in self.levels) + self.energy.nbytes

    def peaks(self, start_ms: float, end_ms: float, n_columns: int) -> np.ndarray:
        """Return an (n_columns, 2) float32 array of (min, max) in -1..1 for equal columns
        spanning start_ms..end_ms; columns outside the audio are (0, 0). O(n_columns)."""
        out = np.zeros((max(0, n_columns), 2), np.float32)
        if n_columns <= 0 or end_ms <= start_ms:
            return out
        rate_ms = self.sample_rate / 1000.0
        col_samples = (end_ms - start_ms) * rate_ms / n_columns
        # The coarsest level whose bins are at most a quarter column: each column reduces 4-9
        # bins, and a column's edges are off by at most a quarter column.
        ratio = col_samples / (4 * self.bin_samples)
        k = max(0, min(len(self.levels) - 1, math.floor(math.log2(max(1.0, ratio)))))
        lo, hi = self.levels[k]
        bin_len = self.bin_samples << k
        edges = (start_ms * rate_ms + np.arange(n_columns + 1) * col_samples) / bin_len
        b = np.floor(edges).astype(np.int64)
        n_bins = len(lo)
        first, last = b[:-1], np.maximum(b[1:], b[:-1] + 1)  # bins [first, last) per column
        valid = (last > 0) & (first < n_bins)
        if not valid.any():
            return out
        cols = np.flatnonzero(valid)
        f = np.maximum(first[cols], 0)
        end = int(min(n_bins, last[cols[-1]]))
        base = int(f[0])
        seg_lo, seg_hi = lo[base:end], hi[base:end]
        idx = f - base
        out[cols, 0] = np.minimum.reduceat(seg_lo, idx) / FULL_SCALE
        out[cols, 1] = np.maximum.reduceat(seg_hi, idx) / FULL_SCALE
        return out

    # -- cache --------------------------------------------------------------------------
    def save(self, path: str) -> None:
        """Write the waveform to `path` (.npz) atomically (textio.write_atomic: the old file is
        kept whole when writing fails). Raises OSError when the folder cannot be made, WriteError
        (naming `path`) when the file cannot be written."""
        folder = os.path.dirname(path) or "."
        os.makedirs(folder, exist_ok=True)
        header = np.array(
            [CACHE_VERSION, self.sample_rate, self.channels, self.n_frames, self.bin_samples], np.int64
        )
        lo, hi = self.levels[0]

        def write(fh: BinaryIO) -> None:
            np.savez(fh, header=header, mins=lo, maxs=hi, energy=self.energy)

        # (private to the user, as the temporary file it used to be renamed from: mkstemp's 0600)
        textio.write_atomic(path, write, mode=0o600)

    @classmethod
    def load(cls, path: str) -> Waveform | None:
        """Return the cached waveform at `path`, or None when it is absent, from another
        version, or damaged (a cache is only ever a shortcut, never an error)."""
        try:
            with np.load(path, allow_pickle=False) as data:
                header = data["header"]
                mins, maxs, energy = data["mins"], data["maxs"], data["energy"]
        except (OSError, ValueError, KeyError, EOFError):
            return None
        except Exception:  # zipfile.BadZipFile and friends: a damaged file is just a miss
            return None
        if header.shape != (5,) or int(header[0]) != CACHE_VERSION:
            return None
        _, rate, channels, n_frames, bin_samples = (int(v) for v in header)
        if (
            rate <= 0
            or channels <= 0
            or bin_samples != base_bin_samples(rate)
            or mins.dtype != np.int16
            or maxs.shape != mins.shape
            or len(mins) != -(-n_frames // bin_samples)
            or mins.ndim != 1
        ):
            return None
        return cls(rate, channels, n_frames, bin_samples, mins, maxs, energy)


__all__ = [
    "ENERGY_FRAME_MS",
    "Cancelled",
    "FileIdentity",
    "MediaError",
    "PeakBuilder",
    "Waveform",
    "base_bin_samples",
    "cache_path",
]
