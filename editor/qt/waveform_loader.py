"""Decode a media file's audio into a Waveform off the GUI thread, with progress and a cache.

Decoders, tried in order (each reads in chunks, so an hour of 48 kHz stereo never sits in
memory as PCM):
1. PCM WAV through the standard `wave` module and NumPy (no dependency, the fast path);
2. an `ffmpeg` executable, when there is one, piping mono s16le at DECODE_RATE;
3. QAudioDecoder (the PySide6 wheel bundles FFmpeg), imported only here and only when
   needed, so a QtMultimedia that cannot load costs the editor nothing but this one path.
A finished waveform is cached under the user cache folder, keyed by path, size and mtime.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import numpy as np
import shiboken6
from PySide6.QtCore import QObject, Signal

from editor.core.errors import WriteError
from editor.core.media import DECODE_RATE, decode_audio, decode_ffmpeg, decode_wav
from editor.core.media import _check as _check
from editor.core.media import pcm_to_int16 as _pcm_to_int16
from editor.core.waveform import Cancelled, FileIdentity, MediaError, PeakBuilder, Waveform, cache_path
from editor.qt.workers import run_task

QT_DECODE_TIMEOUT_MS = 30_000  # no buffer for this long: the decoder is stuck
CACHE_MAX_BYTES = 1 << 30  # past this, the least recently used waveforms are dropped

Progress = Callable[[float], None]  # fraction 0..1, or -1 when the length is unknown


def default_cache_dir() -> str:
    """Return the waveform cache folder under platformdirs' user cache folder."""
    from editor.core.userdirs import user_dir

    return os.path.join(user_dir("cache"), "waveforms")


def qt_multimedia_problem() -> str | None:
    """Return why QtMultimedia cannot be used (one line), or None when it loads."""
    try:
        from PySide6 import QtMultimedia  # noqa: F401
    except ImportError as exc:
        return f"QtMultimedia cannot load ({exc})"
    return None


def decode_qt(path: str, progress: Progress | None = None, cancel: threading.Event | None = None) -> Waveform:
    """Return the waveform decoded by QAudioDecoder on this (worker) thread.

    Raises MediaError when QtMultimedia cannot load or the decoder reports an error.
    """
    problem = qt_multimedia_problem()
    if problem is not None:
        raise MediaError(path, problem)
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer, QUrl
    from PySide6.QtMultimedia import QAudioDecoder, QAudioFormat

    if QCoreApplication.instance() is None:
        raise MediaError(path, "QAudioDecoder needs a running Qt application")

    decoder = QAudioDecoder()
    fmt = QAudioFormat()
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    fmt.setChannelCount(1)
    fmt.setSampleRate(DECODE_RATE)
    decoder.setAudioFormat(fmt)
    loop = QEventLoop()
    watchdog = QTimer(singleShot=True, interval=QT_DECODE_TIMEOUT_MS)
    state: dict[str, object] = {"builder": None, "error": None}

    def on_ready() -> None:
        while decoder.bufferAvailable():
            buf = decoder.read()
            f = buf.format()
            builder = state["builder"]
            if builder is None:
                builder = state["builder"] = PeakBuilder(f.sampleRate(), f.channelCount())
            sf = f.sampleFormat()
            raw = buf.constData()
            if sf == QAudioFormat.SampleFormat.Int16:
                data = np.frombuffer(raw, np.int16, count=buf.byteCount() // 2)
            elif sf == QAudioFormat.SampleFormat.Float:
                data = np.frombuffer(raw, np.float32, count=buf.byteCount() // 4)
            elif sf == QAudioFormat.SampleFormat.Int32:
                data = (np.frombuffer(raw, np.int32, count=buf.byteCount() // 4) >> 16).astype(np.int16)
            else:
                data = _pcm_to_int16(bytes(raw)[: buf.byteCount()], 1)
            builder.feed(data.copy())  # type: ignore[union-attr]
        watchdog.start()
        if cancel is not None and cancel.is_set():
            decoder.stop()
            loop.quit()
        elif progress is not None:
            duration = decoder.duration()
            progress(min(1.0, decoder.position() / duration) if duration > 0 else -1.0)

    def on_error(_error: object) -> None:
        state["error"] = decoder.errorString() or "cannot decode"
        loop.quit()

    def on_timeout() -> None:
        state["error"] = "the decoder stopped responding"
        decoder.stop()
        loop.quit()

    decoder.bufferReady.connect(on_ready)
    decoder.finished.connect(loop.quit)
    decoder.error.connect(on_error)
    watchdog.timeout.connect(on_timeout)
    watchdog.start()
    # A stuck decoder sends no buffers, so on_ready alone would never see a cancel.
    poll = QTimer(interval=100)
    poll.timeout.connect(lambda: loop.quit() if cancel is not None and cancel.is_set() else None)
    poll.start()
    decoder.setSource(QUrl.fromLocalFile(os.path.abspath(path)))
    # Started from inside the loop: an error reported at once must find the loop running.
    QTimer.singleShot(0, decoder.start)
    try:
        loop.exec()
    finally:
        poll.stop()
        watchdog.stop()
        decoder.stop()
        # Deleted here, on the thread that made them: Python's collector could otherwise free
        # them later on another thread, where Qt cannot stop their timers.
        shiboken6.delete(poll)
        shiboken6.delete(watchdog)
        shiboken6.delete(decoder)
    _check(cancel)
    if state["error"] is not None:
        raise MediaError(path, str(state["error"]))
    builder = state["builder"]
    if builder is None:
        raise MediaError(path, "the file holds no audio")
    try:
        return builder.finish()  # type: ignore[union-attr]
    except ValueError:
        raise MediaError(path, "the file holds no audio") from None


def decode(
    path: str, progress: Progress | None = None, cancel: threading.Event | None = None, speech: bool = False
) -> Waveform:
    """Return the waveform of `path` from the first decoder that can read it; with `speech`,
    the WAV and ffmpeg decoders also keep its 16 kHz mono PCM (`speech_pcm`) from the same pass.

    Raises MediaError naming the file and why no decoder could read it; Cancelled.
    """
    # QAudioDecoder runs the same FFmpeg libraries inside the process: with an ffmpeg
    # executable at hand it would only fail again, more slowly, so it is the last resort.
    return decode_audio(path, progress, cancel, speech=speech, without_ffmpeg=decode_qt)


def load_waveform(
    path: str,
    cache_dir: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    speech: bool = False,
    cache_max_bytes: int = CACHE_MAX_BYTES,
) -> Waveform:
    """Return the waveform of `path`, from the cache when the file is unchanged, else decoded
    (and then cached, the least recently used waveforms dropped past `cache_max_bytes`; a
    cache that cannot be written is only a missed shortcut). With `speech`, a decoded
    waveform also keeps its 16 kHz PCM for alignment (a cached one cannot).

    Raises MediaError, Cancelled.
    """
    identity = FileIdentity.of(path)
    target = cache_path(cache_dir, identity) if cache_dir else None
    if target is not None:
        cached = Waveform.load(target)
        if cached is not None:
            try:
                os.utime(target)  # its mtime is its last use, for prune_cache
            except OSError:
                pass
            return cached
    waveform = decode(path, progress, cancel, speech=speech)
    if target is not None and cache_dir:
        try:
            waveform.save(target)
            prune_cache(cache_dir, cache_max_bytes, keep=target)
        except (OSError, WriteError):
            pass  # read-only or full cache folder: the waveform is still shown
    return waveform


def prune_cache(cache_dir: str, max_bytes: int, keep: str = "") -> None:
    """Delete the least recently used (oldest mtime) cached waveforms until the folder holds <= max_bytes
    (never `keep`). Raises OSError when the folder cannot be listed."""
    entries = []
    with os.scandir(cache_dir) as it:
        for entry in it:
            if entry.name.endswith(".npz") and entry.is_file():
                st = entry.stat()
                entries.append((st.st_mtime, st.st_size, entry.path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= max_bytes:
            break
        if os.path.abspath(path) == os.path.abspath(keep):
            continue
        try:
            os.unlink(path)
            total -= size
        except OSError:
            pass  # another instance removed or holds it: try the next one


class _ProgressRelay(QObject):
    """Lives on the GUI thread; emitting from the worker queues the value to it."""

    progress = Signal(int, int)  # generation, percent (-1: unknown)


class WaveformLoader(QObject):
    """Loads one media file's waveform at a time on the thread pool.

    Signals (GUI thread): progress(int percent, -1 when unknown), loaded(str path, Waveform),
    failed(str path, str message). Loading another file (or `cancel()`) abandons the previous
    load: it stops at its next chunk and reports nothing.
    """

    progress = Signal(int)
    loaded = Signal(str, object)
    failed = Signal(str, str)

    def __init__(self, cache_dir: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache_dir = cache_dir if cache_dir is not None else default_cache_dir()
        self.cache_max_bytes = CACHE_MAX_BYTES
        self._generation = 0
        self._cancel: threading.Event | None = None
        self._path = ""
        self._relay = _ProgressRelay(self)
        self._relay.progress.connect(self._on_progress)

    def is_loading(self) -> bool:
        return self._cancel is not None

    def path(self) -> str:
        """Return the file being loaded (or last loaded)."""
        return self._path

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self._cancel = None
        self._generation += 1

    def load(self, path: str, speech: bool = False) -> None:
        """Start loading `path`'s waveform (with `speech`, keeping its 16 kHz PCM when it is
        decoded rather than read from the cache); abandons a load in progress."""
        self.cancel()
        generation = self._generation
        cancel = self._cancel = threading.Event()
        # A window closed mid-load stops its decode too (the worker would otherwise read on).
        self.destroyed.connect(cancel.set)
        self._path = path
        relay = self._relay
        last = [-2]

        def report(fraction: float) -> None:
            percent = -1 if fraction < 0 else int(fraction * 100)
            if percent != last[0]:  # a signal per percent, not per chunk
                last[0] = percent
                relay.progress.emit(generation, percent)

        cache_dir, cache_max_bytes = self.cache_dir, self.cache_max_bytes

        def work() -> Waveform:
            return load_waveform(path, cache_dir, report, cancel, speech, cache_max_bytes)

        run_task(
            work,
            lambda wf: self._on_done(generation, path, wf),
            lambda exc: self._on_failed(generation, path, exc),
            owner=self,
        )

    def _current(self, generation: int) -> bool:
        return generation == self._generation

    def _on_progress(self, generation: int, percent: int) -> None:
        if self._current(generation):
            self.progress.emit(percent)

    def _on_done(self, generation: int, path: str, waveform: Waveform) -> None:
        if self._current(generation):
            self._cancel = None
            self.loaded.emit(path, waveform)

    def _on_failed(self, generation: int, path: str, exc: BaseException) -> None:
        if not self._current(generation) or isinstance(exc, Cancelled):
            return
        self._cancel = None
        if isinstance(exc, MediaError):
            message = str(exc)
        elif isinstance(exc, MemoryError):
            message = f"{path}: not enough memory to read its waveform"
        else:
            message = f"{path}: {type(exc).__name__}: {exc}"
        self.failed.emit(path, message)


__all__ = [
    "WaveformLoader",
    "decode",
    "decode_ffmpeg",
    "decode_qt",
    "decode_wav",
    "default_cache_dir",
    "load_waveform",
    "prune_cache",
    "qt_multimedia_problem",
]
