"""The waveform in the window: loads off the GUI thread, paints under the timeline, snaps to pauses."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
from conftest import make_window
from PySide6.QtWidgets import QDialog, QLabel
from support.imports import imported_after
from support.media import DURATION_MS, PHRASES, SILENCES, signal, write_wav

from editor.core.edits import set_field
from editor.core.model import Document, Timing
from editor.core.waveform import FileIdentity, cache_path
from editor.qt import workers
from editor.qt.actions import ActionId
from editor.qt.views.waveform_feature import SnapToPausesDialog, WaveformFeature
from editor.qt.waveform_loader import default_cache_dir

RATE = 16_000


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    win = make_window(qtbot, tmp_path, monkeypatch)
    yield win
    win.parts[WaveformFeature].loader.cancel()
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=10_000)


def _segmented_doc() -> Document:
    """Cues as segmentation leaves them: estimated, contiguous, boundaries off the pauses."""
    doc = Document()
    for k, (s, e) in enumerate([(150, 2100), (2100, 4200), (4200, 6300), (6300, 9100)]):
        doc.append(doc.new_cue(s, e, f"phrase {k}", timing=Timing.ESTIMATED))
    return doc


@pytest.fixture
def speech_wav(tmp_path):
    return write_wav(tmp_path / "speech.wav", signal(PHRASES, DURATION_MS, RATE, noise=0.003), RATE)


def _load(qtbot, win, path) -> None:
    feature = win.parts[WaveformFeature]
    with qtbot.waitSignal(feature.ready, timeout=20_000):
        win.set_media(str(path))


def test_media_loads_a_waveform_under_the_timeline_and_it_is_cached(qtbot, window, speech_wav):
    win = window
    win.controller.set_document(_segmented_doc())
    feature = win.parts[WaveformFeature]
    timeline = win.ensure_timeline()
    timeline.set_scale(0, 10_000 / timeline.viewport().width())
    plain = timeline.render_to_image(timeline.viewport().width(), timeline.viewport().height())

    with qtbot.waitSignal(feature.ready, timeout=20_000) as ready:
        win.set_media(str(speech_wav))
        # The load runs on a worker: the editor is not blocked and shows progress meanwhile.
        assert feature.is_loading()
        assert not feature.progress.isHidden()
    waveform = ready.args[0]
    assert feature.progress.isHidden()
    assert timeline._waveform is waveform
    assert waveform.duration_ms == DURATION_MS
    lo, hi = waveform.peaks(300, 1700, 1)[0]
    assert hi == pytest.approx(0.6, abs=0.01) and lo == pytest.approx(-0.6, abs=0.01)

    # Painted: between two blocks (in a gap of the cues) the band at mid-height changes.
    w, h = timeline.viewport().width(), timeline.viewport().height()
    shaded = timeline.render_to_image(w, h)
    x = int(timeline.x_of(1000))
    y = int(timeline.cue_rect(win.controller.document.cues[0].id).center().y())
    assert shaded.pixelColor(x, y) != plain.pixelColor(x, y)

    # Cached in the user cache folder under the file's identity; reopening uses it.
    stored = cache_path(default_cache_dir(), FileIdentity.of(str(speech_wav)))
    assert os.path.isfile(stored)
    assert default_cache_dir().startswith(os.environ["XDG_CACHE_HOME"])
    win.set_media("")
    assert timeline._waveform is None
    _load(qtbot, win, speech_wav)
    assert np.array_equal(feature.waveform.peaks(0, 10_000, 500), waveform.peaks(0, 10_000, 500))


def test_snap_to_pauses_dialog_moves_boundaries_into_pauses_as_one_undo_step(qtbot, window, speech_wav):
    win = window
    win.controller.set_document(_segmented_doc())
    doc = win.controller.document
    action = win.actions[ActionId.SNAP_TO_PAUSES]
    assert action in win.menus["Timing"].actions()

    # Without media the action explains what it needs instead of opening the dialog.
    assert action.isEnabled()
    assert win.parts[WaveformFeature].make_dialog() is None
    assert "Open media" in win.statusBar().currentMessage()

    _load(qtbot, win, speech_wav)
    before = doc.snapshot()
    dialog = win.parts[WaveformFeature].make_dialog()
    assert isinstance(dialog, SnapToPausesDialog)
    assert dialog.window_ms.value() == 500 and not dialog.mark_exact.isChecked()
    assert "8 boundaries of 4 cues" in dialog.preview.text()
    assert dialog.all_cues.isChecked()  # one current cue: all cues is the default scope
    assert f"{len(SILENCES)} pauses found" in dialog.findChild(QLabel, "scope").text()
    dialog.window_ms.setValue(50)  # too small to reach most pauses
    assert "8 boundaries" not in dialog.preview.text()
    dialog.window_ms.setValue(500)
    dialog.deleteLater()

    # Through the menu action, with the dialog accepted as it is.
    def accept(self):
        return QDialog.DialogCode.Accepted

    stack = win.controller.undo_stack
    count = stack.count()
    original = SnapToPausesDialog.exec
    SnapToPausesDialog.exec = accept
    try:
        action.trigger()
    finally:
        SnapToPausesDialog.exec = original
    assert stack.count() == count + 1
    for cue in doc.cues:
        assert any(a <= cue.start_ms <= b for a, b in SILENCES)
        assert any(a <= cue.end_ms <= b for a, b in SILENCES)
        assert cue.timing is Timing.ESTIMATED  # not confirmed
    stack.undo()
    assert doc.snapshot() == before

    # With several cues selected, "Selected cues" is offered first; "All cues" still there.
    win.controller.select([doc.cues[0].id, doc.cues[1].id], doc.cues[0].id)
    dialog = win.parts[WaveformFeature].make_dialog()
    assert dialog.selected_cues.isChecked() and "(2)" in dialog.selected_cues.text()
    assert "of 2 cues" in dialog.preview.text()
    dialog.all_cues.click()
    assert dialog.all_cues.isChecked() and "of 4 cues" in dialog.preview.text()
    dialog.deleteLater()

    # Confirmed: the snapped cues become exact, still one step.
    feature = win.parts[WaveformFeature]
    win.controller.select([doc.cues[1].id], doc.cues[1].id)
    plan = feature.plan(500, mark_exact=True)
    assert set(plan.times) == {doc.cues[1].id}
    assert feature.apply(plan)
    assert doc.cues[1].timing is Timing.EXACT and doc.cues[0].timing is Timing.ESTIMATED
    assert stack.count() == count + 1
    stack.undo()
    assert doc.snapshot() == before


@pytest.mark.parametrize("kind", ["missing", "corrupt"])
def test_missing_or_corrupt_media_says_so_and_the_document_stays(qtbot, window, tmp_path, kind):
    win = window
    win.controller.set_document(_segmented_doc())
    doc = win.controller.document
    before = doc.snapshot()
    path = tmp_path / f"{kind}.wav"
    if kind == "corrupt":
        path.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt \xff\xff\xff\x7f" + os.urandom(4000))
    feature = win.parts[WaveformFeature]
    shown: list[str] = []
    win.statusBar().messageChanged.connect(shown.append)
    with qtbot.waitSignal(feature.failed, timeout=30_000) as failed:
        win.set_media(str(path))
    line = failed.args[0]
    assert line.startswith("Waveform unavailable:") and str(path) in line and "\n" not in line
    assert ("not found" in line) if kind == "missing" else ("cannot read its audio" in line)
    assert line in shown
    assert feature.progress.isHidden() and feature.waveform is None
    assert win.controller.document is doc
    assert {k: v for k, v in doc.snapshot().items() if k != "metadata"} == {
        k: v for k, v in before.items() if k != "metadata"
    }
    assert len(doc) == 4
    # A good file afterwards still loads.
    good = write_wav(tmp_path / "good.wav", signal(PHRASES, DURATION_MS, RATE), RATE)
    _load(qtbot, win, good)
    assert feature.waveform is not None


def test_without_qtmultimedia_or_ffmpeg_one_line_says_why(qtbot, window, tmp_path, monkeypatch):
    from editor.qt import waveform_loader

    why = "QtMultimedia cannot load (libpulse.so.0: cannot open shared object file)"
    monkeypatch.setattr(waveform_loader, "qt_multimedia_problem", lambda: why)
    monkeypatch.setattr(shutil, "which", lambda *_a, **_k: None)
    media = tmp_path / "talk.mp3"
    media.write_bytes(b"ID3\x03\x00" + os.urandom(3000))
    feature = window.parts[WaveformFeature]
    with qtbot.waitSignal(feature.failed, timeout=20_000) as failed:
        window.set_media(str(media))
    line = failed.args[0]
    assert line == f"Waveform unavailable: {media}: cannot read its audio: {why}"
    # A WAV still loads through the standard library alone.
    good = write_wav(tmp_path / "good.wav", signal(PHRASES, DURATION_MS, RATE), RATE)
    _load(qtbot, window, good)


def test_the_waveform_modules_do_not_load_qtmultimedia():
    code = "import editor.qt.views.waveform_feature, editor.qt.waveform_loader"
    assert not imported_after(code, "PySide6.QtMultimedia")


def test_editing_goes_on_while_the_waveform_loads_and_a_newer_media_wins(qtbot, window, tmp_path):
    win = window
    win.controller.set_document(_segmented_doc())
    doc = win.controller.document
    # A minute of 48 kHz stereo: about a dozen chunks, each reported as progress.
    long_x = signal(PHRASES, 60_000, 48_000)
    long_wav = write_wav(tmp_path / "long.wav", np.stack([long_x, long_x], axis=1), 48_000)
    feature = win.parts[WaveformFeature]
    seen: list[int] = []
    edited: list[bool] = []

    def on_progress(percent: int) -> None:
        seen.append(percent)
        if len(seen) == 1 and feature.is_loading():
            # The GUI thread is free while the worker decodes: an edit goes through at once.
            win.controller.apply(set_field(doc.cues[0].id, "text", "edited"), "Edit")
            edited.append(True)

    feature.loader.progress.connect(on_progress)
    with qtbot.waitSignal(feature.ready, timeout=30_000) as ready:
        win.set_media(str(long_wav))
    assert edited and doc.cues[0].text == "edited"
    assert seen == sorted(seen) and seen[-1] == 100 and len(seen) > 3
    assert ready.args[0].duration_ms == 60_000

    # Switching media while a load runs abandons it: only the newer file's waveform arrives.
    short = write_wav(tmp_path / "short.wav", signal(PHRASES, DURATION_MS, RATE), RATE)
    other = write_wav(tmp_path / "other.wav", np.stack([long_x, long_x], axis=1), 48_000)
    shown = []
    feature.ready.connect(shown.append)
    with qtbot.waitSignal(feature.ready, timeout=30_000):
        win.set_media(str(other))
        win.set_media(str(short))
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=10_000)
    assert [wf.duration_ms for wf in shown] == [DURATION_MS]
    assert win.ensure_timeline()._waveform is shown[0]
