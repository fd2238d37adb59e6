"""The video panel and timing by ear, on a real QMediaPlayer with WAV files made here.

Skipped with the reason when QtMultimedia cannot load on this machine (no libpulse,
say); the unavailable-media path itself is tested by making the loader fail.
"""

from __future__ import annotations

import itertools
import math
import shutil
import struct
import subprocess
import sys
import wave
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from editor.core import documents
from editor.qt import playback as playback_module
from editor.qt.actions import SPECS, ActionId, key_sequences
from editor.qt.session import media_beside
from editor.qt.views.main_window import MainWindow
from editor.qt.views.player_panel import Overlay, PlayerFeature
from editor.qt.views.timing_by_ear import TimingByEar

RATE = 8000
SRT = (
    "1\n00:00:01,000 --> 00:00:03,000\n<b>x</b> first tone\n\n"
    "2\n00:00:04,000 --> 00:00:05,500\nSecond tone. Two parts.\n\n"
    "3\n00:00:07,000 --> 00:00:08,000\nLast\n"
)


def write_wav(path: Path, pattern: list[tuple[float, float]]) -> Path:
    """Write a mono 16-bit WAV: each (seconds, Hz) is a tone, Hz 0 is silence."""
    frames = bytearray()
    for seconds, hz in pattern:
        for i in range(int(seconds * RATE)):
            value = int(9000 * math.sin(2 * math.pi * hz * i / RATE)) if hz else 0
            frames += struct.pack("<h", value)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(frames))
    return path


TONES = [(1.0, 0), (2.0, 440), (1.0, 0), (1.5, 660), (1.5, 0), (1.0, 880), (1.0, 0)]  # 9 s


@pytest.fixture(scope="module")
def multimedia():
    try:
        return playback_module.load_multimedia()
    except ImportError as exc:
        pytest.skip(f"QtMultimedia cannot load here: {exc}")


@pytest.fixture
def talk(tmp_path) -> Path:
    """talk.srt with talk.wav beside it (the same-name pick-up finds it)."""
    srt = tmp_path / "talk.srt"
    srt.write_text(SRT, encoding="utf-8")
    write_wav(tmp_path / "talk.wav", TONES)
    return srt


def _window(qtbot, tmp_path, monkeypatch) -> MainWindow:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: QMessageBox.StandardButton.Ok)
    win = MainWindow(autosave_folder=str(tmp_path / "autosave"), autosave_delay_ms=60_000)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    return win


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, multimedia):
    return _window(qtbot, tmp_path, monkeypatch)


@pytest.fixture
def opened(qtbot, window, talk):
    """talk.srt opened; its WAV picked up and loaded in the player."""
    window.open_path(str(talk), wait=True)
    qtbot.waitUntil(window.parts[PlayerFeature].playback.is_ready, timeout=10_000)
    return window


def _seek(qtbot, win: MainWindow, ms: int) -> None:
    """Seek the real player and wait until it reports that position."""
    win.parts[PlayerFeature].playback.seek(ms)
    qtbot.waitUntil(lambda: win.parts[PlayerFeature].playback.player.position() == ms, timeout=5000)
    assert win.parts[PlayerFeature].playback.position_ms() == ms


def _said(qtbot, win: MainWindow, words: str) -> None:
    """Wait until the status bar has shown a message containing `words` (other features,
    such as the waveform, may speak after it)."""
    seen: list[str] = [win.statusBar().currentMessage()]
    win.statusBar().messageChanged.connect(seen.append)
    qtbot.waitUntil(lambda: any(words in text for text in seen), timeout=5000)


def _trigger(win: MainWindow, action_id: ActionId) -> None:
    action = win.actions[action_id]
    assert action.isEnabled(), action_id
    action.trigger()


def test_shortcuts_are_unique_and_in_the_right_menus(window):
    seen: dict[str, str] = {}
    for spec in SPECS:
        for seq in key_sequences(spec.keys()):
            key = seq.toString()
            assert key not in seen, f"{key} is used by {seen[key]} and {spec.id}"
            seen[key] = spec.id
    assert window.actions[ActionId.PLAY_PAUSE].shortcut().toString() == "Ctrl+Space"
    assert window.actions[ActionId.SET_START_AT_PLAYHEAD].shortcut().toString() == "F9"
    media = window.menus["Media"].actions()
    for action_id in (ActionId.PLAY_PAUSE, ActionId.PLAY_CUE, ActionId.LOOP_SELECTION, ActionId.FASTER):
        assert window.actions[action_id] in media
    assert window.parts[PlayerFeature].dock.toggleViewAction() in media
    timing = window.menus["Timing"].actions()
    assert window.actions[ActionId.SET_END_AT_PLAYHEAD] in timing
    nudge = next(a.menu() for a in timing if a.menu() is not None and a.menu().objectName() == "menu_Nudge")
    assert window.actions[ActionId.NUDGE_START_LATER_FRAME] in nudge.actions()


def test_same_name_media_is_picked_up_and_loaded(qtbot, opened, talk):
    win = opened
    doc = win.controller.document
    assert doc.metadata.media_path == str(talk.with_suffix(".wav"))
    assert not win.isWindowModified()  # part of opening, not an edit
    assert abs(win.parts[PlayerFeature].playback.duration_ms() - 9000) < 100
    assert not win.parts[PlayerFeature].playback.has_video()
    assert win.actions[ActionId.SPLIT_AT_PLAYHEAD].isEnabled()


def test_media_beside_prefers_video_and_understands_language_suffixes(tmp_path):
    (tmp_path / "talk.en.srt").write_text(SRT, encoding="utf-8")
    assert media_beside(str(tmp_path / "talk.en.srt")) is None
    (tmp_path / "talk.WAV").write_bytes(b"")
    assert media_beside(str(tmp_path / "talk.en.srt")) == str(tmp_path / "talk.WAV")
    (tmp_path / "talk.mp4").write_bytes(b"")
    assert media_beside(str(tmp_path / "talk.en.srt")) == str(tmp_path / "talk.mp4")
    (tmp_path / "talk.en.mp3").write_bytes(b"")  # the exact name wins over the shorter one
    assert media_beside(str(tmp_path / "talk.en.srt")) == str(tmp_path / "talk.en.mp3")
    (tmp_path / "other.mp4").write_bytes(b"")
    assert media_beside(str(tmp_path / "other.srt")) == str(tmp_path / "other.mp4")
    assert media_beside(str(tmp_path / "missing-folder" / "x.srt")) is None


def test_set_start_and_end_at_playhead_follow_the_real_player(qtbot, opened):
    win = opened
    doc = win.controller.document
    first, second = doc.cues[0].id, doc.cues[1].id
    win.controller.select([first], first)
    before = doc.snapshot()

    _seek(qtbot, win, 1234)
    _trigger(win, ActionId.SET_START_AT_PLAYHEAD)
    assert (doc.cue(first).start_ms, doc.cue(first).end_ms) == (1234, 3000)
    assert win.isWindowModified()

    _seek(qtbot, win, 2789)
    _trigger(win, ActionId.SET_END_AT_PLAYHEAD)
    assert (doc.cue(first).start_ms, doc.cue(first).end_ms) == (1234, 2789)
    assert win.controller.current_id == second  # and on to the next cue

    # An end before the cue's start is refused with words, nothing changes.
    _seek(qtbot, win, 3000)
    _trigger(win, ActionId.SET_END_AT_PLAYHEAD)
    assert doc.cue(second).end_ms == 5500
    assert "not after the cue's start" in win.statusBar().currentMessage()

    win.controller.undo_stack.undo()
    win.controller.undo_stack.undo()
    assert doc.snapshot() == before


def test_nudges_by_frame_and_100_ms_are_undoable(qtbot, opened):
    win = opened
    doc = win.controller.document
    cue = doc.cues[1]
    win.controller.select([cue.id], cue.id)
    assert win.parts[TimingByEar].frame_rate() == 25.0  # audio has no frame rate: the default
    _trigger(win, ActionId.NUDGE_START_LATER_FRAME)
    _trigger(win, ActionId.NUDGE_START_LATER_FRAME)
    assert cue.start_ms == 4080
    _trigger(win, ActionId.NUDGE_END_EARLIER_FRAME)
    assert cue.end_ms == 5480
    _trigger(win, ActionId.NUDGE_END_LATER)
    _trigger(win, ActionId.NUDGE_START_EARLIER)
    assert (cue.start_ms, cue.end_ms) == (3980, 5580)
    for _ in range(5):
        win.controller.undo_stack.undo()
    assert (cue.start_ms, cue.end_ms) == (4000, 5500)
    # The document's own frame rate is used when the media has none.
    doc.metadata.extra["frame_rate"] = "50"
    _trigger(win, ActionId.NUDGE_START_EARLIER_FRAME)
    assert cue.start_ms == 3980


def test_insert_and_split_at_playhead(qtbot, opened):
    win = opened
    doc = win.controller.document
    n = len(doc)
    _seek(qtbot, win, 5800)  # in the gap between cue 2 and cue 3
    _trigger(win, ActionId.INSERT_AT_PLAYHEAD)
    assert len(doc) == n + 1
    new = doc.cue(win.controller.current_id)
    assert new.start_ms == 5800 and new.end_ms <= 7000 - 83 and new.text == ""
    assert doc.row_of(new.id) == 2

    second = doc.cues[1]
    _seek(qtbot, win, 4700)
    _trigger(win, ActionId.SPLIT_AT_PLAYHEAD)
    assert len(doc) == n + 2
    tail = doc.cue(win.controller.current_id)
    assert tail.start_ms == 4700 and second.end_ms < 4700
    assert (second.text, tail.text) == ("Second tone.", "Two parts.")
    win.controller.undo_stack.undo()
    win.controller.undo_stack.undo()
    assert len(doc) == n


def test_overlay_shows_cue_text_as_plain_text(qtbot, opened):
    win = opened
    panel = win.parts[PlayerFeature].panel
    doc = win.controller.document
    doc.cues[0].translation = "<i>y</i> & z"
    _seek(qtbot, win, 1500)
    assert panel.subtitle_text() == "<b>x</b> first tone"
    # <b>/<i>/<u> style the text as a player does; nothing else is markup (never HTML).
    assert panel.canvas.shown_lines() == ["x first tone"]
    panel.set_overlay_mode(Overlay.TRANSLATION)
    assert panel.subtitle_text() == "<i>y</i> & z"
    assert panel.canvas.shown_lines() == ["y & z"]
    panel.set_overlay_mode(Overlay.BOTH)
    assert panel.subtitle_text() == "<b>x</b> first tone\n<i>y</i> & z"
    panel.set_overlay_mode(Overlay.OFF)
    assert panel.subtitle_text() == ""
    panel.set_overlay_mode(Overlay.SOURCE)
    _seek(qtbot, win, 3500)  # between cues: nothing on the picture
    assert panel.subtitle_text() == ""


def test_timeline_click_seeks_and_playback_moves_the_playhead(qtbot, opened):
    win = opened
    timeline = win.ensure_timeline()
    timeline.seek_requested.emit(4200)
    qtbot.waitUntil(lambda: win.parts[PlayerFeature].playback.player.position() == 4200, timeout=5000)
    assert timeline.playhead_ms() == 4200
    _trigger(win, ActionId.PLAY_PAUSE)
    moved = []
    win.parts[PlayerFeature].playback.position_changed.connect(moved.append)
    try:
        qtbot.waitUntil(lambda: any(ms >= 4500 for ms in moved), timeout=8000)
    except AssertionError:
        pytest.skip("the FFmpeg backend does not play in this environment (seeking works)")
    _trigger(win, ActionId.PLAY_PAUSE)
    assert timeline.playhead_ms() >= 4500
    # Playing freely, the table follows the cue under the playhead.
    assert win.controller.current_id == win.controller.document.cues[1].id


def test_table_follows_playback_unless_the_user_is_typing(qtbot, opened, monkeypatch):
    win = opened
    doc = win.controller.document
    win.controller.select([doc.cues[0].id], doc.cues[0].id)
    # As if playing, without waiting.
    monkeypatch.setattr(win.parts[PlayerFeature].playback, "is_playing", lambda: True)
    win.parts[PlayerFeature].playback.position_changed.emit(4500)
    assert win.controller.current_id == doc.cues[1].id
    assert win.ensure_timeline().playhead_ms() == 4500
    win.activateWindow()
    win.edit_panel.focus_text()
    qtbot.waitUntil(win.edit_panel.text.hasFocus, timeout=2000)
    win.parts[PlayerFeature].playback.position_changed.emit(7500)
    assert win.controller.current_id == doc.cues[1].id  # the cue being typed in stays
    win.table_pane.view.setFocus()
    qtbot.waitUntil(win.table_pane.view.hasFocus, timeout=2000)
    win.parts[PlayerFeature].playback.position_changed.emit(7600)
    assert win.controller.current_id == doc.cues[2].id
    keys = [seq.toString() for seq in win.actions[ActionId.PLAY_PAUSE].shortcuts()]
    assert keys[0] == "Ctrl+Space" and len(keys) == 3  # plus the keyboard's media keys


def test_play_cue_stops_at_its_end(qtbot, opened):
    win = opened
    cue = win.controller.document.cues[2]  # 7.0–8.0 s
    win.controller.select([cue.id], cue.id)
    _trigger(win, ActionId.PLAY_CUE)
    assert win.parts[PlayerFeature].playback.playing_range() == (7000, 8000)
    try:
        qtbot.waitUntil(lambda: win.parts[PlayerFeature].playback.playing_range() is None, timeout=8000)
    except AssertionError:
        pytest.skip("the FFmpeg backend does not play in this environment")
    assert not win.parts[PlayerFeature].playback.is_playing()
    assert abs(win.parts[PlayerFeature].playback.position_ms() - 8000) <= 100


def test_play_around_a_boundary_plays_half_a_second_either_side(qtbot, opened):
    win = opened
    cue = win.controller.document.cues[0]  # 1.0–3.0 s
    win.controller.select([cue.id], cue.id)
    _trigger(win, ActionId.PLAY_AROUND_START)
    assert win.parts[PlayerFeature].playback.playing_range() == (500, 1500)
    _trigger(win, ActionId.PLAY_AROUND_END)
    assert win.parts[PlayerFeature].playback.playing_range() == (2500, 3500)
    _trigger(win, ActionId.PLAY_PAUSE)  # pausing ends the range; playing again plays on freely
    assert not win.parts[PlayerFeature].playback.is_playing()
    _trigger(win, ActionId.PLAY_PAUSE)
    assert win.parts[PlayerFeature].playback.playing_range() is None
    _trigger(win, ActionId.PLAY_PAUSE)


def test_loop_selection_starts_over(qtbot, opened):
    win = opened
    doc = win.controller.document
    ids = [doc.cues[2].id]
    win.controller.select(ids, ids[0])
    positions: list[int] = []
    win.parts[PlayerFeature].playback.player.positionChanged.connect(positions.append)
    win.actions[ActionId.LOOP_SELECTION].setChecked(True)
    assert win.parts[PlayerFeature].playback.is_looping()
    try:
        qtbot.waitUntil(lambda: any(b < a - 500 for a, b in itertools.pairwise(positions)), timeout=10_000)
    except AssertionError:
        pytest.skip("the FFmpeg backend does not play in this environment")
    win.actions[ActionId.LOOP_SELECTION].setChecked(False)
    playback = win.parts[PlayerFeature].playback
    assert not playback.is_looping() and not playback.is_playing()
    assert all(6900 <= ms <= 8100 for ms in positions[1:])


def test_speed_keeps_pitch_and_volume(opened, multimedia):
    win = opened
    pb = win.parts[PlayerFeature].playback
    _trigger(win, ActionId.FASTER)
    assert pb.rate() == 1.25
    _trigger(win, ActionId.SLOWER)
    _trigger(win, ActionId.SLOWER)
    assert pb.rate() == 0.75
    for _ in range(5):
        _trigger(win, ActionId.SLOWER)
    assert pb.rate() == 0.5
    assert win.parts[PlayerFeature].panel.speed.currentData() == 0.5
    player = pb.player
    if (
        player.pitchCompensationAvailability()
        != multimedia.QMediaPlayer.PitchCompensationAvailability.Unavailable
    ):
        assert player.pitchCompensation()
    win.parts[PlayerFeature].panel.volume.setValue(40)
    assert abs(pb.volume() - 0.4) < 0.01


def test_missing_media_says_so_and_the_document_stays(qtbot, window, tmp_path):
    srt = tmp_path / "a.srt"
    srt.write_text(SRT, encoding="utf-8")
    missing = tmp_path / "gone.wav"
    window.open_path(str(srt), media=str(missing), wait=True)
    assert len(window.controller.document) == 3
    _said(qtbot, window, f"Media file not found: {missing}")
    assert "not found" in window.parts[PlayerFeature].panel.canvas.placeholder()
    assert not window.parts[PlayerFeature].playback.is_ready()
    assert not window.actions[ActionId.SPLIT_AT_PLAYHEAD].isEnabled()
    _trigger(window, ActionId.PLAY_PAUSE)
    _said(qtbot, window, "No media to play")
    # A path no file system accepts (a NUL byte from a hand-edited project) is "not found" too.
    window.set_media("bad\0name.wav")
    _said(qtbot, window, "Media file not found: ")


def test_corrupt_media_says_so_and_the_document_stays(qtbot, window, tmp_path):
    srt = tmp_path / "b.srt"
    srt.write_text(SRT, encoding="utf-8")
    bad = tmp_path / "b.mp4"
    bad.write_bytes(b"this is not a video\n" * 50)
    window.open_path(str(srt), wait=True)
    assert window.controller.document.metadata.media_path == str(bad)
    _said(qtbot, window, "Cannot play b.mp4")
    assert len(window.controller.document) == 3
    assert not window.parts[PlayerFeature].playback.is_ready()
    assert "Cannot play b.mp4" in window.parts[PlayerFeature].panel.canvas.placeholder()
    # Timing by ear still works from the playhead (nothing plays, but the position is kept).
    cue = window.controller.document.cues[0]
    window.controller.select([cue.id], cue.id)
    window.parts[PlayerFeature].playback.seek(1500)
    _trigger(window, ActionId.SET_START_AT_PLAYHEAD)
    assert cue.start_ms == 1500


def test_dropped_media_and_relative_path_round_trip(qtbot, window, tmp_path):
    srt = tmp_path / "c.srt"
    srt.write_text(SRT, encoding="utf-8")
    window.open_path(str(srt), wait=True)
    assert window.controller.document.metadata.media_path == ""
    (tmp_path / "media").mkdir()
    wav = write_wav(tmp_path / "media" / "clip.wav", TONES[:3])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(wav))])
    event = QDropEvent(
        QPointF(QPoint(10, 10)),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    qtbot.waitUntil(window.parts[PlayerFeature].playback.is_ready, timeout=10_000)
    assert window.parts[PlayerFeature].playback.path == str(wav)

    project = tmp_path / "c.cueline"
    assert window.session.write(str(project), "cueline", None)
    assert '"media_path": "media/clip.wav"' in project.read_text(encoding="utf-8")
    # Move the whole folder: the project still finds its media.
    moved = tmp_path / "moved"
    moved.mkdir()
    (tmp_path / "media").rename(moved / "media")
    project.rename(moved / "c.cueline")
    assert documents.load(moved / "c.cueline").metadata.media_path == str(moved / "media" / "clip.wav")
    window.open_path(str(moved / "c.cueline"), wait=True)
    qtbot.waitUntil(window.parts[PlayerFeature].playback.is_ready, timeout=10_000)
    assert window.parts[PlayerFeature].playback.path == str(moved / "media" / "clip.wav")


def test_video_shows_frames_and_gives_its_frame_rate_to_nudges(qtbot, window, tmp_path):
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.skip("ffmpeg is not installed: no video to make")
    video = tmp_path / "clip.mp4"
    subprocess.run(
        [
            *(ffmpeg, "-y", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30"),
            *("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000", "-t", "9"),
            *("-c:v", "mpeg4", "-c:a", "aac", "-shortest", str(video)),
        ],
        check=True,
        timeout=120,
    )
    srt = tmp_path / "clip.srt"
    srt.write_text(SRT, encoding="utf-8")
    assert not window.parts[PlayerFeature].dock.isVisible()  # no media yet: the panel stays out of the way
    window.open_path(str(srt), wait=True)
    qtbot.waitUntil(window.parts[PlayerFeature].playback.is_ready, timeout=10_000)
    assert window.parts[PlayerFeature].playback.has_video()
    assert window.parts[PlayerFeature].dock.isVisible()
    _seek(qtbot, window, 1500)
    qtbot.waitUntil(window.parts[PlayerFeature].panel.canvas.has_picture, timeout=5000)
    assert window.parts[PlayerFeature].panel.subtitle_text() == "<b>x</b> first tone"
    assert window.parts[PlayerFeature].playback.frame_rate() == pytest.approx(30.0)
    cue = window.controller.document.cues[0]
    window.controller.select([cue.id], cue.id)
    _trigger(window, ActionId.NUDGE_START_LATER_FRAME)
    assert cue.start_ms == 1033  # frame 31 at 30 fps
    # Hidden (audio-only work), the panel converts no frames, and playback goes on.
    window.parts[PlayerFeature].dock.hide()
    _seek(qtbot, window, 2500)
    assert window.parts[PlayerFeature].playback.position_ms() == 2500


def test_without_qtmultimedia_the_app_runs_and_says_why(qtbot, tmp_path, monkeypatch, capsys, talk):
    monkeypatch.setattr(playback_module, "_load_error", "libpulse.so.0: cannot open shared object file")
    win = _window(qtbot, tmp_path, monkeypatch)
    # The player loads on first need (not at start): nothing is said until media is opened.
    assert win.parts[PlayerFeature].playback is None and win.parts[PlayerFeature].unavailable == ""
    win.open_path(str(talk), wait=True)  # the document opens; its media is only remembered
    assert win.controller.document.metadata.media_path.endswith("talk.wav")
    reason = "Media playback unavailable: libpulse.so.0: cannot open shared object file"
    assert win.parts[PlayerFeature].unavailable == reason
    assert reason in capsys.readouterr().err
    assert win.parts[PlayerFeature].playback is None
    assert not win.actions[ActionId.PLAY_PAUSE].isEnabled()
    assert win.actions[ActionId.PLAY_PAUSE].toolTip() == reason
    # Timing by ear uses the timeline's playhead instead.
    timeline = win.ensure_timeline()
    timeline.seek_requested.emit(1300)
    cue = win.controller.document.cues[0]
    win.controller.select([cue.id], cue.id)
    _trigger(win, ActionId.SET_START_AT_PLAYHEAD)
    assert cue.start_ms == 1300
    assert "editor.qt.views.player_panel" in sys.modules


def test_closing_the_window_lets_go_of_the_media(qtbot, opened):
    # The decoder's threads call into the player's Python-made outputs; torn down with the
    # window, the player waited for them holding the lock they waited for (the next GUI
    # test hung). Closing the window stops and unloads the media first.
    playback = opened.parts[PlayerFeature].playback
    assert playback.is_ready() and playback.path
    _trigger(opened, ActionId.PLAY_PAUSE)
    qtbot.waitUntil(lambda: playback.player.isPlaying(), timeout=5000)
    assert opened.close()
    assert playback.path == "" and not playback.is_ready()
    assert playback.player.source().isEmpty()
    assert not playback.player.isPlaying()
