"""Layout: opening video never takes the table below a usable width; the video goes above the cue
editor and the side panels (History, Document…) are tabs beside the editor, not stacked; a
1280×800 window stays 1280×800 with the seeds, their translation and a video open."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import make_window, seed_path
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget

from editor.qt.cue_model import Column
from editor.qt.views.dock_layout import TABLE_MIN_WIDTH
from editor.qt.views.player_panel import PlayerFeature
from editor.qt.views.review_panel import ReviewMode


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    """A 4-second 320x180 test video with a tone (made with ffmpeg)."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    from editor.qt import playback

    try:
        playback.load_multimedia()
    except ImportError as exc:
        pytest.skip(f"QtMultimedia cannot load here: {exc}")
    path = tmp_path_factory.mktemp("video") / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(path),
        ],
        check=True,
        timeout=120,
    )  # fmt: skip
    return path


def _dock(win, name: str) -> QDockWidget:
    dock = win.findChild(QDockWidget, name)
    assert dock is not None, name
    return dock


def _translation_on_screen(view) -> bool:
    right = view.columnViewportPosition(Column.TRANSLATION) + view.columnWidth(Column.TRANSLATION)
    return view.columnViewportPosition(Column.TRANSLATION) >= 0 and right <= view.viewport().width()


def test_opening_video_on_1280x800_keeps_the_table_usable(qtbot, tmp_path, monkeypatch, video):
    win = make_window(qtbot, tmp_path, monkeypatch, size=(1280, 800))
    qtbot.waitUntil(lambda: win._features_installed, timeout=5000)
    source = shutil.copy(seed_path("000"), tmp_path)
    translation = shutil.copy(seed_path("001"), tmp_path)
    win.open_path(str(source), str(translation), str(video), wait=True)
    player, cue = _dock(win, "playerDock"), _dock(win, "cueDock")
    qtbot.waitUntil(player.isVisible, timeout=20_000)
    QApplication.processEvents()

    assert (win.width(), win.height()) == (1280, 800)  # nothing forced the window bigger
    table = win.table_pane
    assert table.width() >= TABLE_MIN_WIDTH
    view = table.view
    assert view.columnWidth(Column.TEXT) >= 150 and view.columnWidth(Column.TRANSLATION) >= 150
    assert _translation_on_screen(view)  # not pushed off by the docks
    # The video above the cue editor, in one column right of the table.
    assert player.geometry().bottom() < cue.geometry().top()
    assert abs(player.geometry().left() - cue.geometry().left()) <= 2
    assert player.geometry().left() >= table.geometry().right()
    assert win.parts[PlayerFeature].panel.canvas.picture_rect().height() >= 120  # a picture, not a strip

    # Side panels are tabs beside the editor: showing them takes no width from the table.
    width = table.width()
    for name in ("historyDock", "documentDock", "speakersDock"):
        dock = _dock(win, name)
        dock.show()
        dock.raise_()
        QApplication.processEvents()
        assert dock in win.tabifiedDockWidgets(cue), name
        assert table.width() == width, name
        assert (win.width(), win.height()) == (1280, 800), name
    cue.raise_()
    QApplication.processEvents()
    assert win.edit_panel.isVisible()
    win.controller.undo_stack.setClean()
    win.set_media("")  # the decoder stops here, not while the window is torn down
    QApplication.processEvents()


def test_the_table_keeps_its_minimum_width_when_docks_grow(qtbot, tmp_path, monkeypatch):
    win = make_window(qtbot, tmp_path, monkeypatch, size=(1280, 800))
    qtbot.waitUntil(lambda: win._features_installed, timeout=5000)
    win.open_sample(wait=True)
    cue = _dock(win, "cueDock")
    win.resizeDocks([cue], [1200], Qt.Orientation.Horizontal)  # the user widens the editor
    QApplication.processEvents()
    assert win.table_pane.width() >= TABLE_MIN_WIDTH
    # Review mode's panel takes the editor's place (a tab), not the table's width.
    width = win.table_pane.width()
    win.parts[ReviewMode].set_active(True)
    QApplication.processEvents()
    assert win.parts[ReviewMode].panel.isVisible() and not win.edit_panel.isVisible()
    assert win.table_pane.width() == width
    assert (win.width(), win.height()) == (1280, 800)
    win.parts[ReviewMode].set_active(False)
    QApplication.processEvents()
    assert win.edit_panel.isVisible()
    win.controller.undo_stack.setClean()
