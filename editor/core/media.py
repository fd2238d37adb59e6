"""Decode media audio without Qt: PCM WAV through `wave`, anything else through an `ffmpeg`
executable; both read in chunks into a `PeakBuilder` (peaks and energy for the timeline and
pause detection) and, when asked, a `SpeechTap` that keeps the 16 kHz mono 16-bit PCM a
speech model needs, from the same single decode.

`decode_speech(path)` is the CLI's way in (no Qt at all); the GUI's waveform loader calls
`decode_wav`/`decode_ffmpeg` with a tap when the document may be aligned to the media.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import threading
import wave
from collections.abc import Callable

import numpy as np

from editor.core.waveform import Cancelled, FileIdentity, MediaError, PeakBuilder, Waveform

CHUNK_FRAMES = 1 << 18  # ~5 s of 48 kHz audio per read: 1 MB for 16-bit stereo
DECODE_RATE = 24_000  # ffmpeg delivers mono at this rate (plenty for peaks)
SPEECH_RATE = 16_000  # what the speech model takes
_FIR_TAPS = 63

Progress = Callable[[float], None]  # fraction 0..1, or -1 when the length is unknown


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled("cancelled")


def _lowpass(cutoff: float, taps: int = _FIR_TAPS) -> np.ndarray:
    """Return a Hann-windowed sinc low-pass filter; `cutoff` is a fraction of the sample rate."""
    n = np.arange(taps) - (taps - 1) / 2
    h = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hanning(taps)
    return (h / h.sum()).astype(np.float32)


class SpeechTap:
    """Collect interleaved PCM fed in chunks as 16 kHz mono int16 (mixed down, low-passed
    below 7.6 kHz when the source rate is higher, resampled by linear interpolation)."""

    def __init__(self, sample_rate: int, channels: int) -> None:
        self.rate = sample_rate
        self.channels = channels
        self._fir = _lowpass(0.95 * SPEECH_RATE / 2 / sample_rate) if sample_rate > SPEECH_RATE else None
        self._tail = np.zeros(0, np.float32)  # the last input samples the filter and interpolation still need
        self._consumed = 0  # input samples before `_tail`
        self._next_out = 0  # index of the next output sample
        self._parts: list[np.ndarray] = []

    def feed(self, chunk: np.ndarray) -> None:
        data = np.asarray(chunk).reshape(-1)
        if data.dtype == np.int16:
            data = data.astype(np.float32)
        else:
            data = data.astype(np.float32) * 32767.0
        if self.channels > 1:
            data = data[: len(data) - len(data) % self.channels].reshape(-1, self.channels).mean(axis=1)
        self._process(np.concatenate((self._tail, data)), final=False)

    def _process(self, buf: np.ndarray, final: bool) -> None:
        if self.rate == SPEECH_RATE:
            self._parts.append(np.clip(np.rint(buf), -32768, 32767).astype(np.int16))
            self._tail = np.zeros(0, np.float32)
            return
        half = _FIR_TAPS // 2 if self._fir is not None else 0
        if self._fir is not None:
            filt = np.convolve(buf, self._fir, mode="same")
        else:
            filt = buf
        # Output sample j sits at input position j * rate / 16000 (relative to the stream).
        usable = len(buf) if final else len(buf) - half - 1
        step = self.rate / SPEECH_RATE
        last = int(np.floor((self._consumed + usable - 1) / step)) if usable > 0 else self._next_out - 1
        if last >= self._next_out:
            j = np.arange(self._next_out, last + 1)
            pos = j * step - self._consumed
            i0 = np.floor(pos).astype(np.int64)
            frac = (pos - i0).astype(np.float32)
            i1 = np.minimum(i0 + 1, len(filt) - 1)
            out = filt[i0] * (1 - frac) + filt[i1] * frac
            self._parts.append(np.clip(np.rint(out), -32768, 32767).astype(np.int16))
            self._next_out = last + 1
        # Keep enough history for the filter and the next interpolation point.
        keep_from = max(0, min(len(buf), int(np.floor(self._next_out * step - self._consumed)) - half - 1))
        self._tail = buf[keep_from:].copy()
        self._consumed += keep_from

    def finish(self) -> np.ndarray:
        """Return all the 16 kHz mono int16 samples."""
        if len(self._tail):
            self._process(self._tail, final=True)
            self._tail = np.zeros(0, np.float32)
        pcm = np.concatenate(self._parts) if self._parts else np.zeros(0, np.int16)
        self._parts = [pcm]
        return pcm


def pcm_to_int16(raw: bytes, width: int) -> np.ndarray:
    """Return little-endian PCM of `width` bytes per sample as int16 (top 16 bits)."""
    if width == 2:
        return np.frombuffer(raw, "<i2")
    if width == 1:  # 8-bit WAV is unsigned
        return ((np.frombuffer(raw, np.uint8).astype(np.int16) - 128) << 8).astype(np.int16)
    if width == 3:
        return np.frombuffer(raw, np.uint8).reshape(-1, 3)[:, 1:].copy().view("<i2").reshape(-1)
    if width == 4:
        return (np.frombuffer(raw, "<i4") >> 16).astype(np.int16)
    raise MediaError("", f"{8 * width}-bit samples are not supported")


def _finish(builder: PeakBuilder, tap: SpeechTap | None, path: str) -> Waveform:
    try:
        waveform = builder.finish()
    except ValueError:
        raise MediaError(path, "the file holds no audio") from None
    if tap is not None:
        waveform.speech_pcm = tap.finish()
    return waveform


def decode_wav(
    path: str,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    speech: bool = False,
) -> Waveform:
    """Return the waveform of a PCM WAV file read with `wave` in chunks (with `speech`, its
    `speech_pcm` holds the audio as 16 kHz mono int16).

    Raises wave.Error for a file that is not PCM WAV (the caller tries another
    decoder), MediaError for an empty one, Cancelled when `cancel` is set.
    """
    try:
        wav = wave.open(path, "rb")
    except (EOFError, struct.error, RuntimeError, ValueError) as exc:
        # `wave` lets a damaged chunk table escape as these (a bad chunk size: RuntimeError).
        raise wave.Error(str(exc) or "damaged chunk table") from None
    with wav:
        channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
        total = wav.getnframes()
        if rate <= 0 or channels <= 0:
            raise wave.Error("bad header")
        if width not in (1, 2, 3, 4):
            raise wave.Error(f"{8 * width}-bit samples")
        builder = PeakBuilder(rate, channels, expected_frames=total or None)
        tap = SpeechTap(rate, channels) if speech else None
        done = 0
        frame_bytes = width * channels
        while True:
            _check(cancel)
            raw = wav.readframes(CHUNK_FRAMES)
            if not raw:
                break
            raw = raw[: len(raw) - len(raw) % frame_bytes]  # a truncated file ends mid-frame
            data = pcm_to_int16(raw, width)
            builder.feed(data)
            if tap is not None:
                tap.feed(data)
            done += len(raw) // frame_bytes
            if progress is not None and total:
                progress(min(1.0, done / total))
    return _finish(builder, tap, path)


def probe_seconds(path: str) -> float | None:
    """Return the media duration from ffprobe, or None (no ffprobe, or it cannot tell)."""
    probe = shutil.which("ffprobe")
    if probe is None:
        return None
    try:
        out = subprocess.run(
            [probe, "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout.strip()
        return float(out) if out else None
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def decode_ffmpeg(
    path: str,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    speech: bool = False,
) -> Waveform:
    """Return the waveform of any file ffmpeg can read (its first audio stream, as mono; with
    `speech`, also as 16 kHz PCM in `speech_pcm`).

    Raises MediaError with ffmpeg's own words when it cannot, Cancelled when cancelled.
    """
    exe = shutil.which("ffmpeg")
    if exe is None:
        raise MediaError(path, "ffmpeg is not installed")
    seconds = probe_seconds(path)
    total = int(seconds * DECODE_RATE) if seconds else 0
    cmd = [exe, "-nostdin", "-v", "error", "-i", path, "-vn", "-ac", "1", "-ar", str(DECODE_RATE)]
    cmd += ["-f", "s16le", "-acodec", "pcm_s16le", "-"]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    errors: list[bytes] = []
    # Drained on its own thread: a stream full of errors must not block ffmpeg's output.
    drain = threading.Thread(target=lambda: errors.append(proc.stderr.read()), daemon=True)  # type: ignore[union-attr]
    drain.start()
    builder = PeakBuilder(DECODE_RATE, 1, expected_frames=total or None)
    tap = SpeechTap(DECODE_RATE, 1) if speech else None
    done = 0
    try:
        assert proc.stdout is not None
        pending = b""
        while True:
            _check(cancel)
            raw = proc.stdout.read(CHUNK_FRAMES * 2)
            if not raw:
                break
            raw = pending + raw
            cut = len(raw) - len(raw) % 2
            pending = raw[cut:]
            data = np.frombuffer(raw[:cut], "<i2")
            builder.feed(data)
            if tap is not None:
                tap.feed(data)
            done += cut // 2
            if progress is not None:
                progress(min(1.0, done / total) if total else -1.0)
    finally:
        if proc.poll() is None and cancel is not None and cancel.is_set():
            proc.kill()
        proc.stdout.close()  # type: ignore[union-attr]
        code = proc.wait()
        drain.join(timeout=5)
    if code != 0:
        text = b"".join(errors).decode("utf-8", "replace").strip().splitlines()
        raise MediaError(path, text[-1].split(": ", 1)[-1] if text else f"ffmpeg failed (exit code {code})")
    return _finish(builder, tap, path)


def decode_audio(
    path: str,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    *,
    speech: bool = False,
    without_ffmpeg: Callable[[str, Progress | None, threading.Event | None], Waveform] | None = None,
) -> Waveform:
    """Return the waveform of `path` from the first decoder that reads it: a PCM WAV directly,
    else ffmpeg (else `without_ffmpeg`, when given and no ffmpeg executable is installed).
    With `speech`, `speech_pcm` (16 kHz mono int16) is filled in from the same pass.

    Raises MediaError naming the file and why no decoder could read it; Cancelled.
    """
    if FileIdentity.of(path).size == 0:  # said plainly, not as several decoder failures
        raise MediaError(path, "the file is empty")
    reasons: list[str] = []
    try:
        return decode_wav(path, progress, cancel, speech=speech)
    except OSError as exc:
        raise MediaError(path, exc.strerror or str(exc)) from None
    except wave.Error as exc:
        if path.lower().endswith((".wav", ".wave")):
            reasons.append(f"not a PCM WAV file ({exc})")
    try:
        if without_ffmpeg is not None and not shutil.which("ffmpeg"):
            return without_ffmpeg(path, progress, cancel)
        return decode_ffmpeg(path, progress, cancel, speech=speech)
    except MediaError as exc:
        reasons.append(exc.reason)
    raise MediaError(path, "cannot read its audio: " + "; ".join(dict.fromkeys(reasons)))


def decode_speech(
    path: str, progress: Progress | None = None, cancel: threading.Event | None = None
) -> Waveform:
    """Return the waveform of `path` with `speech_pcm` (16 kHz mono int16) filled in, from a
    PCM WAV or through ffmpeg. Raises MediaError naming why it cannot be read; Cancelled."""
    return decode_audio(path, progress, cancel, speech=True)


__all__ = [
    "SPEECH_RATE",
    "SpeechTap",
    "decode_audio",
    "decode_ffmpeg",
    "decode_speech",
    "decode_wav",
    "pcm_to_int16",
    "probe_seconds",
]
