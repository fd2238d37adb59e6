"""The video panel: the media with the cue under the playhead on top, and playback controls.

Frames come from a QVideoSink and are painted here (not by QVideoWidget, whose native
surface would hide a widget laid over it), so the cue text can sit on the picture as a
plain-text QLabel: cue text is never interpreted as markup. The panel lives in a dock
that can be hidden for audio-only work; playback and its shortcuts go on without it.
The panel's widgets (player_widgets) and the player load with the first media.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QStyle

from editor.qt.actions import ActionId
from editor.qt.host import Feature, Host
from editor.qt.playback import AROUND_MS, Playback, load_multimedia
from editor.qt.settings import Key

if TYPE_CHECKING:
    from editor.qt.views.player_widgets import PlayerPanel

PLAYER_ACTIONS = (
    ActionId.PLAY_PAUSE,
    ActionId.PLAY_CUE,
    ActionId.LOOP_SELECTION,
    ActionId.PLAY_AROUND_START,
    ActionId.PLAY_AROUND_END,
    ActionId.SLOWER,
    ActionId.FASTER,
)


def tr(text: str) -> str:
    return QCoreApplication.translate("PlayerPanel", text)


class Overlay(IntEnum):
    """Which track the picture shows."""

    SOURCE = 0
    TRANSLATION = 1
    BOTH = 2
    OFF = 3


def overlay_text(text: str, translation: str, mode: Overlay) -> str:
    """Return what the overlay shows for a cue in `mode` (raw text: shown as plain text)."""
    if mode == Overlay.SOURCE:
        return text
    if mode == Overlay.TRANSLATION:
        return translation
    if mode == Overlay.BOTH:
        return "\n".join(part for part in (text, translation) if part)
    return ""


class PlayerFeature:
    """Wires playback to the window: media path, actions, timeline playhead and selection.

    QtMultimedia and the player (about 150 ms on a busy machine) are loaded on first need,
    not at start: when media is opened or the speed is changed. Until then the dock (even
    when restored open) holds a placeholder saying how to open media, and `playback` is None.
    """

    def __init__(self, window) -> None:
        self.window = window
        self.playback: Playback | None = None
        self.panel: PlayerPanel | None = None
        self._on_playback: list[Callable[[Playback], None]] = []
        self._failed = False
        self.unavailable = ""  # why media cannot play here (QtMultimedia did not load), or ""
        placeholder = QLabel(window)
        placeholder.setObjectName("playerPlaceholder")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setWordWrap(True)
        placeholder.setText(tr("No media. File → Open Media… or drop a file here."))
        # Shown when a video loads; audio-only work needs no picture.
        self.dock = window.add_dock(
            "playerDock", window.tr("Video"), placeholder, Qt.DockWidgetArea.RightDockWidgetArea, hidden=True
        )
        # restoreDockWidget answers True even with no saved state: look for the dock's name
        # (QMainWindow::saveState stores object names as UTF-16).
        state = bytes(window.settings.get(Key.WINDOW_STATE) or b"")
        if "playerDock".encode("utf-16-be") in state:
            window.restoreDockWidget(self.dock)
        toggle = self.dock.toggleViewAction()
        toggle.setText(window.tr("&Video Panel"))
        window.menus["Media"].addSeparator()
        window.menus["Media"].addAction(toggle)
        window.menus["View"].addAction(toggle)
        self._timeline_hooked = None
        actions = window.actions
        for action_id, slot in (
            (ActionId.PLAY_PAUSE, self.play_pause),
            (ActionId.PLAY_CUE, self.play_cue),
            (ActionId.PLAY_AROUND_START, lambda: self.play_around("start")),
            (ActionId.PLAY_AROUND_END, lambda: self.play_around("end")),
            (ActionId.SLOWER, lambda: self.step_rate(-1)),
            (ActionId.FASTER, lambda: self.step_rate(1)),
        ):
            actions[action_id].triggered.connect(lambda _checked=False, s=slot: s())
            actions[action_id].setEnabled(True)
        # Keyboards' media keys too: Ctrl+Space is often taken by the input method (Chinese, Japanese).
        play = actions[ActionId.PLAY_PAUSE]
        play.setShortcuts(
            [
                *play.shortcuts(),
                QKeySequence(Qt.Key.Key_MediaTogglePlayPause),
                QKeySequence(Qt.Key.Key_MediaPlay),
            ]
        )
        loop = actions[ActionId.LOOP_SELECTION]
        loop.setCheckable(True)
        loop.setEnabled(True)
        loop.toggled.connect(self.loop_selection)
        window.media_changed.connect(self.set_media)
        # The decoder's threads call back into Python objects (the player's outputs): they
        # must end while the window lives. Torn down with the window, the player waits for
        # them while holding the interpreter lock they are waiting for: a deadlock.
        window.closed.connect(self.unload)
        if window.controller.document.metadata.media_path:
            self.set_media(window.controller.document.metadata.media_path)

    def when_playback(self, callback: Callable[[Playback], None]) -> None:
        """Call `callback(playback)` once the player exists (now, if it already does)."""
        if self.playback is not None:
            callback(self.playback)
        else:
            self._on_playback.append(callback)

    def ensure_playback(self) -> Playback | None:
        """Load QtMultimedia and build the player and its panel once; None (said once) when it cannot load."""
        if self.playback is not None or self._failed:
            return self.playback
        window = self.window
        try:
            load_multimedia()
            playback = Playback(window)
        except ImportError as exc:
            self._failed = True
            reason = window.tr("Media playback unavailable: {reason}").format(reason=str(exc))
            self.unavailable = reason
            print(f"cueline: {reason}", file=sys.stderr)
            for action_id in PLAYER_ACTIONS:
                window.actions[action_id].setToolTip(reason)
                window.actions[action_id].setEnabled(False)
            placeholder = self.dock.widget()
            if isinstance(placeholder, QLabel):
                placeholder.setText(reason)
            window.show_message(reason, 0)
            return None
        from editor.qt.views.player_widgets import PlayerPanel

        self.playback = playback
        self.panel = PlayerPanel(window, playback)
        old = self.dock.widget()
        self.dock.setWidget(self.panel)
        if old is not None:
            old.deleteLater()
        playback.message.connect(self._say)
        playback.position_changed.connect(self._follow)
        playback.playing_changed.connect(self._on_playing)
        playback.media_ready.connect(self._on_ready)
        QTimer.singleShot(0, window, self.hook_timeline)  # the timeline may not be built yet
        hooks, self._on_playback = self._on_playback, []
        for callback in hooks:
            callback(playback)
        return playback

    # -- media --------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        # After the event loop turns: opening a file says "Opened …" right after the media
        # is named, and that must not hide why the media cannot play.
        QTimer.singleShot(0, self.window, lambda: self.window.show_message(text, 15000))

    def unload(self) -> None:
        """Stop and let go of the media (the window is closing); see Playback.release."""
        if self.playback is None or not self.playback.path:
            return
        self.playback.release()
        self.set_media("")  # the panel and the actions follow

    def set_media(self, path: str) -> None:
        if not path and self.playback is None:
            return  # nothing was loaded: no need to load the player to unload it
        if self.ensure_playback() is None:
            return
        self.window.actions[ActionId.LOOP_SELECTION].setChecked(False)
        self.panel.media_cleared()
        if not path:
            self.panel.canvas.set_placeholder(tr("No media. File → Open Media… or drop a file here."))
        self.playback.set_media(path)

    def _on_ready(self, has_video: bool) -> None:
        if has_video and self.dock.isHidden():
            self.dock.show()

    # -- timeline and table -------------------------------------------------------------
    def hook_timeline(self):
        """Connect the timeline (once it exists): clicks seek, playback moves its playhead."""
        timeline = self.window.ensure_timeline()
        if self.playback is None:
            return timeline
        if timeline is self._timeline_hooked or not hasattr(timeline, "seek_requested"):
            return timeline
        timeline.seek_requested.connect(self.playback.seek)
        self._timeline_hooked = timeline
        return timeline

    def _follow(self, ms: int) -> None:
        timeline = self._timeline_hooked or self.hook_timeline()
        if hasattr(timeline, "set_playhead_ms"):
            timeline.set_playhead_ms(ms)
            if self.playback.is_playing():
                timeline.ensure_visible(ms)
        # While playing freely the table follows the speech; a played cue or loop keeps its
        # selection, and so does typing in the edit panel (the cue must not change under the cursor).
        if self.playback.is_playing() and self.playback.playing_range() is None and not self._typing():
            from editor.core import playhead

            controller = self.window.controller
            cue_id = playhead.cue_at(controller.document, ms) if len(controller.document) else None
            if cue_id is not None and cue_id != controller.current_id:
                controller.select([cue_id], cue_id)

    def _typing(self) -> bool:
        focus = QApplication.focusWidget()
        panel = self.window.edit_panel
        return focus is not None and (focus is panel or panel.isAncestorOf(focus))

    def _on_playing(self, playing: bool) -> None:
        action = self.window.actions[ActionId.PLAY_PAUSE]
        action.setText(self.window.tr("&Pause") if playing else self.window.tr("&Play"))
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        action.setIcon(self.panel.style().standardIcon(icon))
        if not playing and self.playback.playing_range() is None:
            self.window.actions[ActionId.LOOP_SELECTION].setChecked(False)

    # -- actions --------------------------------------------------------------------------
    def _ready(self) -> bool:
        if self.playback is not None and self.playback.is_ready():
            return True
        if self._failed:
            self.window.show_message(self.unavailable)
            return False
        self.window.show_message(self.window.tr("No media to play: open one with File → Open Media…"))
        return False

    def play_pause(self) -> None:
        if self._ready():
            self.playback.toggle()

    def play_cue(self) -> None:
        controller = self.window.controller
        if controller.current_id is None or not self._ready():
            return
        cue = controller.document.cue(controller.current_id)
        self.playback.play_range(cue.start_ms, cue.end_ms)

    def loop_selection(self, on: bool) -> None:
        if not on:
            if self.playback is not None:
                self.playback.stop_range()
            return
        controller = self.window.controller
        doc = controller.document
        ids = [i for i in controller.selected_ids if doc.has_cue(i)] or (
            [controller.current_id] if controller.current_id is not None else []
        )
        if not ids or not self._ready():
            self.window.actions[ActionId.LOOP_SELECTION].setChecked(False)
            return
        cues = [doc.cue(i) for i in ids]
        self.playback.play_range(min(c.start_ms for c in cues), max(c.end_ms for c in cues), loop=True)

    def play_around(self, boundary: str) -> None:
        controller = self.window.controller
        if controller.current_id is None or not self._ready():
            return
        cue = controller.document.cue(controller.current_id)
        at = cue.start_ms if boundary == "start" else cue.end_ms
        self.playback.play_range(max(0, at - AROUND_MS), at + AROUND_MS)

    def step_rate(self, steps: int) -> None:
        playback = self.ensure_playback()
        if playback is None:
            self._ready()  # says why
            return
        rate = playback.step_rate(steps)
        self.window.show_message(self.window.tr("Speed {rate}×").format(rate=f"{rate:g}"))


def install(window: Host) -> None:
    """Add the video panel and playback actions; the player itself loads on first need.

    Without QtMultimedia, the first need says why in one line and the actions turn off.
    """
    window.parts.add(PlayerFeature(window))


FEATURE = Feature("player", install)
