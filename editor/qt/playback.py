"""Media playback for the editor: one QMediaPlayer, the playhead, ranges and loops.

QtMultimedia is imported only through `load_multimedia()`, so a machine where it cannot
load (no libpulse, no FFmpeg plugin) still runs the editor; the caller shows the reason.
The playhead is kept here even without media, so timing tools have one place to ask.
"""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

RATES = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
AROUND_MS = 500  # "play around a boundary" plays this much either side of it
# How long release() lets the decoder's threads finish their teardown (they take a few ms).
RELEASE_WAIT_S = 0.2
RANGE_POLL_MS = 15  # positionChanged comes ~every 60 ms: too coarse to stop a range on time

_load_error: str | None = None


def load_multimedia():
    """Return the PySide6.QtMultimedia module. Raises ImportError with a one-line reason."""
    global _load_error
    if _load_error is not None:
        raise ImportError(_load_error)
    try:
        from PySide6 import QtMultimedia
    except ImportError as exc:  # e.g. "libpulse.so.0: cannot open shared object file"
        _load_error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImportError(_load_error) from None
    return QtMultimedia


class Playback(QObject):
    """The media player behind the video panel and the timing tools.

    Signals:
    - position_changed(int ms): the playhead moved (playing or seeking).
    - playing_changed(bool)
    - media_ready(bool has_video): a file was loaded and can play.
    - message(str): something the user should read (a file that cannot be played).
    """

    position_changed = Signal(int)
    playing_changed = Signal(bool)
    media_ready = Signal(bool)
    message = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        mm = load_multimedia()
        self._mm = mm
        self.player = mm.QMediaPlayer(self)
        self.audio = mm.QAudioOutput(self)
        # Only with a device to play on: an output with none plays nothing, yet starts the
        # decoder's audio thread, which calls into this Python-made output (see release()).
        self._devices = mm.QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._attach_audio)
        self._attach_audio()
        self.sink = mm.QVideoSink(self)
        self.player.setVideoSink(self.sink)
        # Slowed-down speech must stay at its pitch to be understood (Qt ≥ 6.10 offers this).
        available = getattr(self.player, "pitchCompensationAvailability", None)
        if available is not None and available() != mm.QMediaPlayer.PitchCompensationAvailability.Unavailable:
            self.player.setPitchCompensation(True)
        self._path = ""
        self._ready = False
        self._position = 0
        self._pending_seek: int | None = None
        self._range: tuple[int, int] | None = None
        self._loop = False
        self._timer = QTimer(self, interval=RANGE_POLL_MS)
        self._timer.timeout.connect(self._check_range)
        self.player.positionChanged.connect(self._on_position)
        self.player.playbackStateChanged.connect(self._on_state)
        self.player.mediaStatusChanged.connect(self._on_status)
        self.player.errorOccurred.connect(self._on_error)

    def _attach_audio(self) -> None:
        if self.player.audioOutput() is None and self._mm.QMediaDevices.audioOutputs():
            self.player.setAudioOutput(self.audio)

    # -- media ------------------------------------------------------------------------
    @property
    def path(self) -> str:
        return self._path

    def is_ready(self) -> bool:
        """Return True when a media file is loaded and can play."""
        return self._ready

    def has_video(self) -> bool:
        return self._ready and self.player.hasVideo()

    def set_media(self, path: str) -> bool:
        """Load `path` for playback ("" unloads); returns False (and says why) when it cannot.

        A missing file is reported at once; a file FFmpeg cannot read is reported when
        the player gives up on it. The file is only ever opened for reading by the player.
        """
        # (Imported here: a launch without media never needs QUrl, whose enums cost ~1 ms to make.)
        from PySide6.QtCore import QUrl

        self._stop_range()
        self.player.stop()
        self._ready = False
        self._pending_seek = None
        self._path = path
        if not path:
            self.player.setSource(QUrl())
            return True
        try:
            exists = os.path.isfile(path)
        except (ValueError, OSError):  # a NUL byte in a hand-edited project, say
            exists = False
        if not exists:
            self.player.setSource(QUrl())
            self.message.emit(self.tr("Media file not found: {path}").format(path=path))
            return False
        self.player.setSource(QUrl.fromLocalFile(os.path.abspath(path)))
        return True

    def release(self) -> None:
        """Unload the media and wait a moment, the interpreter lock released, for the decoder's
        threads to finish tearing down.

        Those threads disconnect from the outputs this object made (Python-made objects: each
        such call takes the interpreter lock). If the GUI thread, holding that lock, meanwhile
        waits for a lock they hold (a signal connection, the player's own teardown), both wait
        forever: the window must not be destroyed, nor the next one built, until they are done.
        """
        if not self._path:
            return
        self.set_media("")
        deadline = time.monotonic() + RELEASE_WAIT_S
        while time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.01)  # the lock is free while this thread sleeps

    def duration_ms(self) -> int:
        return max(0, self.player.duration()) if self._ready else 0

    def frame_rate(self) -> float | None:
        """Return the video's frame rate from its metadata, or None when unknown."""
        if not self.has_video():
            return None
        value = self.player.metaData().value(self._mm.QMediaMetaData.Key.VideoFrameRate)
        try:
            rate = float(value)
        except (TypeError, ValueError):
            return None
        return rate if 1.0 <= rate <= 1000.0 else None

    # -- the playhead -------------------------------------------------------------------
    def position_ms(self) -> int:
        """Return the playhead: the player's position, or where it was sent before loading."""
        if self._pending_seek is not None:
            return self._pending_seek
        return self.player.position() if self._ready else self._position

    def seek(self, ms: int) -> None:
        """Move the playhead to `ms` (applied once the media has loaded, if it is loading)."""
        ms = max(0, int(ms))
        if self._range is not None and not self._range[0] <= ms <= self._range[1]:
            self._stop_range()
        self._position = ms
        if self._ready:
            self.player.setPosition(ms)
        elif self._path:
            self._pending_seek = ms
        self.position_changed.emit(ms)

    # -- playing ----------------------------------------------------------------------
    def is_playing(self) -> bool:
        return self.player.playbackState() == self._mm.QMediaPlayer.PlaybackState.PlayingState

    def play(self) -> None:
        if self._ready:
            self.player.play()

    def pause(self) -> None:
        self.player.pause()

    def toggle(self) -> None:
        """Pause when playing, else play from the playhead (ending any range or loop)."""
        if self.is_playing():
            self.pause()
        else:
            self._stop_range()
            self.play()

    def play_range(self, start_ms: int, end_ms: int, loop: bool = False) -> None:
        """Play from `start_ms` and stop at `end_ms` (or start over, with `loop`)."""
        if not self._ready or end_ms <= start_ms:
            return
        self._range = (max(0, start_ms), end_ms)
        self._loop = loop
        self.player.setPosition(self._range[0])
        self.player.play()
        self._timer.start()

    def playing_range(self) -> tuple[int, int] | None:
        return self._range

    def is_looping(self) -> bool:
        return self._range is not None and self._loop

    def stop_range(self) -> None:
        """End a range or loop (playback pauses)."""
        if self._range is not None:
            self._stop_range()
            self.pause()

    def _stop_range(self) -> None:
        self._range = None
        self._loop = False
        self._timer.stop()

    def _check_range(self) -> None:
        if self._range is None:
            self._timer.stop()
            return
        start, end = self._range
        if self.player.position() >= end or (
            self.player.mediaStatus() == self._mm.QMediaPlayer.MediaStatus.EndOfMedia
        ):
            if self._loop:
                self.player.setPosition(start)
                self.player.play()
            else:
                self._stop_range()
                self.player.pause()
                self.player.setPosition(end)

    # -- speed and volume -----------------------------------------------------------------
    def rate(self) -> float:
        return self.player.playbackRate()

    def set_rate(self, rate: float) -> None:
        self.player.setPlaybackRate(min(max(rate, RATES[0]), RATES[-1]))

    def step_rate(self, steps: int) -> float:
        """Move the speed `steps` entries along RATES; returns the new rate."""
        current = self.rate()
        index = min(range(len(RATES)), key=lambda i: abs(RATES[i] - current))
        new = RATES[min(max(index + steps, 0), len(RATES) - 1)]
        self.set_rate(new)
        return new

    def volume(self) -> float:
        return self.audio.volume()

    def set_volume(self, volume: float) -> None:
        self.audio.setVolume(min(max(volume, 0.0), 1.0))

    # -- player signals -----------------------------------------------------------------
    def _on_position(self, ms: int) -> None:
        if self._ready and self._pending_seek is None:
            self._position = ms
            self.position_changed.emit(ms)

    def _on_state(self, _state) -> None:
        self.playing_changed.emit(self.is_playing())

    def _on_status(self, status) -> None:
        Status = self._mm.QMediaPlayer.MediaStatus
        if status in (Status.LoadedMedia, Status.BufferedMedia) and not self._ready and self._path:
            self._ready = True
            target = self._pending_seek if self._pending_seek is not None else self._position
            self._pending_seek = None
            if target:
                self.player.setPosition(target)
            # Paused, not stopped: a stopped player shows no frame and ignores seeks' pictures.
            self.player.pause()
            self.media_ready.emit(self.player.hasVideo())
        elif status == Status.InvalidMedia:
            self._ready = False

    def _on_error(self, _error, text: str) -> None:
        self._ready = False
        self._pending_seek = None
        name = os.path.basename(self._path) or self._path
        self.message.emit(self.tr("Cannot play {name}: {reason}").format(name=name, reason=text or "?"))
