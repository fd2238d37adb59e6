"""Timing by ear: set cue boundaries at the playhead while listening, nudge them by frames.

The playhead is the media position when playback is available (editor.qt.playback),
else the timeline's playhead (a click on its ruler). Every change is one core edit from
editor.core.playhead, applied through the window so that it is one undo step.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from editor.qt.actions import ActionId
from editor.qt.core_modules import playhead as _playhead
from editor.qt.host import Feature, Host
from editor.qt.playback import Playback
from editor.qt.views.player_panel import PlayerFeature

NUDGES: dict[ActionId, tuple[str, int, bool]] = {
    # action: (boundary, direction, by a frame (else by NUDGE_MS))
    ActionId.NUDGE_START_EARLIER_FRAME: ("start", -1, True),
    ActionId.NUDGE_START_LATER_FRAME: ("start", 1, True),
    ActionId.NUDGE_END_EARLIER_FRAME: ("end", -1, True),
    ActionId.NUDGE_END_LATER_FRAME: ("end", 1, True),
    ActionId.NUDGE_START_EARLIER: ("start", -1, False),
    ActionId.NUDGE_START_LATER: ("start", 1, False),
    ActionId.NUDGE_END_EARLIER: ("end", -1, False),
    ActionId.NUDGE_END_LATER: ("end", 1, False),
}


class TimingByEar:
    """The timing-by-ear actions of one window."""

    def __init__(self, window) -> None:
        self.window = window
        actions = window.actions
        for action_id, slot in (
            (ActionId.SET_START_AT_PLAYHEAD, self.set_start),
            (ActionId.SET_END_AT_PLAYHEAD, self.set_end_and_next),
            (ActionId.INSERT_AT_PLAYHEAD, self.insert_at_playhead),
            (ActionId.SPLIT_AT_PLAYHEAD, self.split_at_playhead),
        ):
            actions[action_id].triggered.connect(lambda _checked=False, s=slot: s())
            actions[action_id].setEnabled(True)
        for action_id, (boundary, direction, by_frame) in NUDGES.items():
            actions[action_id].triggered.connect(
                lambda _c=False, b=boundary, d=direction, f=by_frame: self.nudge(b, d, f)
            )
            actions[action_id].setEnabled(True)
        # Eight nudges would crowd the Timing menu: they go into a submenu (keys unchanged).
        timing = window.menus["Timing"]
        submenu = timing.addMenu(window.tr("&Nudge"))
        submenu.setObjectName("menu_Nudge")
        for action_id in NUDGES:
            timing.removeAction(actions[action_id])
            submenu.addAction(actions[action_id])
            window.addAction(actions[action_id])  # shortcuts work while the submenu is closed
        split = actions[ActionId.SPLIT_AT_PLAYHEAD]
        split.setEnabled(False)  # until media is ready to play

        def follow(playback) -> None:
            split.setEnabled(playback.is_ready())
            playback.media_ready.connect(lambda _video: split.setEnabled(True))
            window.media_changed.connect(lambda _path: split.setEnabled(playback.is_ready()))

        player = window.parts.get(PlayerFeature)
        if player is not None:  # the player is built when media first needs it
            player.when_playback(follow)

    # -- the playhead ---------------------------------------------------------------------
    def playhead_ms(self) -> int:
        """Return the playhead: the media position, else the timeline's playhead."""
        playback = self._playback()
        if playback is not None:
            return playback.position_ms()
        return int(self.window.ensure_timeline().playhead_ms())

    def _playback(self) -> Playback | None:
        player = self.window.parts.get(PlayerFeature)
        return player.playback if player is not None else None

    def frame_rate(self) -> float:
        """Return the media's frame rate, else the document's ("frame_rate" metadata), else the
        source track's style profile's."""
        playback = self._playback()
        rate = playback.frame_rate() if playback is not None else None
        if rate:
            return rate
        try:
            rate = float(self.window.controller.document.metadata.extra.get("frame_rate", ""))
        except ValueError:
            rate = 0.0
        return rate if 1.0 <= rate <= 1000.0 else self.window.controller.style().frame_rate

    # -- actions --------------------------------------------------------------------------
    def _current(self) -> int | None:
        current = self.window.controller.current_id
        if current is None:
            self.window.show_message(self.window.tr("Select a cue first."))
        return current

    def set_start(self) -> None:
        """Start the current cue at the playhead."""
        playhead = _playhead()
        cue_id = self._current()
        if cue_id is not None:
            doc, at = self.window.controller.document, self.playhead_ms()
            self.window.run_edit(self.window.tr("Set start"), lambda: playhead.set_start_at(doc, cue_id, at))

    def set_end_and_next(self) -> None:
        """End the current cue at the playhead and make the next cue current."""
        playhead = _playhead()
        cue_id = self._current()
        if cue_id is None:
            return
        controller = self.window.controller
        doc, at = controller.document, self.playhead_ms()
        if self.window.run_edit(self.window.tr("Set end"), lambda: playhead.set_end_at(doc, cue_id, at)):
            row = doc.row_of(cue_id) + 1
            if row < len(doc):
                controller.select([doc.cues[row].id], doc.cues[row].id)

    def insert_at_playhead(self) -> None:
        """Insert an empty cue at the playhead and put the cursor in its text."""
        playhead = _playhead()
        doc, at = self.window.controller.document, self.playhead_ms()
        new_id = self.window.run_edit(self.window.tr("Insert cue"), lambda: playhead.insert_at(doc, at))
        if new_id is not None:
            self.window.controller.select([new_id], new_id)
            self.window.edit_panel.focus_text()

    def split_at_playhead(self) -> None:
        """Split the cue under the playhead (else the current one) there in time."""
        playhead = _playhead()
        controller = self.window.controller
        doc, at = controller.document, self.playhead_ms()
        cue_id = playhead.cue_at(doc, at) if len(doc) else None
        cue_id = cue_id if cue_id is not None else controller.current_id
        if cue_id is None:
            self.window.show_message(self.window.tr("No cue under the playhead."))
            return
        panel = self.window.edit_panel
        # The text cursor counts only while the user is typing in that cue's text.
        typing = panel.cue_id == cue_id and QApplication.focusWidget() is panel.text
        pos = panel.text_cursor_position() if typing else None
        new_id = self.window.run_edit(
            self.window.tr("Split at playhead"), lambda: playhead.split_at(doc, cue_id, at, pos)
        )
        if new_id is not None:
            controller.select([new_id], new_id)

    def nudge(self, boundary: str, direction: int, by_frame: bool) -> None:
        """Move the start or end of the selected cues (or the current one) a frame or 100 ms."""
        playhead = _playhead()
        controller = self.window.controller
        current = controller.current_id
        ids = list(controller.selected_ids) or ([current] if current is not None else [])
        if not ids:
            self.window.show_message(self.window.tr("Select a cue first."))
            return
        doc = controller.document
        if by_frame:
            fps = self.frame_rate()
            build = lambda: playhead.nudge_frames(doc, ids, boundary, direction, fps)  # noqa: E731
        else:
            build = lambda: playhead.nudge(doc, ids, boundary, direction * playhead.NUDGE_MS)  # noqa: E731
        what = self.window.tr("Nudge start") if boundary == "start" else self.window.tr("Nudge end")
        self.window.run_edit(what, build)


def install(window: Host) -> None:
    """Add the timing-by-ear actions (Timing menu) to the window."""
    window.parts.add(TimingByEar(window))


# Uses the player's playhead when there is one.
FEATURE = Feature("timing_by_ear", install, after=("player",))
