"""Timing → Align to Audio in the window: offered when media arrives, runs on a worker with
progress and Cancel, previews, applies as one undo step; counts and navigation follow."""

from __future__ import annotations

import time

import numpy as np
import pytest
from conftest import make_window
from PySide6.QtWidgets import QApplication, QMessageBox
from support.speech_synth import espeak_available, read_sentences

from editor.core import formats
from editor.core.model import TimeSource, Timing
from editor.qt import workers
from editor.qt.actions import ActionId
from editor.qt.settings import Key
from editor.qt.views.align_audio import AlignAudioFeature
from editor.qt.views.waveform_feature import WaveformFeature

pytestmark = pytest.mark.skipif(not espeak_available(), reason="libespeak-ng is not installed")

SENTENCES = [
    "The first version could barely add two numbers.",
    "Then we trained it to think before it answers, and everything changed.",
    "How long did that take?",
    "About a year, although nobody expected it to work at all.",
    "Now it solves problems that took our best people a whole day.",
]


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    win = make_window(qtbot, tmp_path, monkeypatch)
    yield win
    win.parts[AlignAudioFeature].cancel()
    win.parts[WaveformFeature].loader.cancel()
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=60_000)


@pytest.fixture
def talk(tmp_path):
    reading = read_sentences(SENTENCES, seed=9, pause_ms=(300, 800))
    wav = tmp_path / "talk.wav"
    reading.write(str(wav))
    text = " ".join(SENTENCES) + "\n"
    doc = formats.detect(text, None).read(text, None)
    return doc, wav, reading


def _errors(doc, reading) -> np.ndarray:  # type: ignore[no-untyped-def]
    out, k = [], 0
    for cue in sorted(doc.cues, key=lambda c: c.start_ms):
        if reading.word_starts_ms[k] is not None:
            out.append(abs(cue.start_ms - reading.word_starts_ms[k]))
        k += len(cue.text.split())
    return np.array(out)


def _media(qtbot, win, wav) -> None:
    with qtbot.waitSignal(win.parts[WaveformFeature].ready, timeout=30_000):
        win.set_media(str(wav))


def test_offered_previewed_applied_as_one_undo_step(qtbot, window, talk, monkeypatch):
    from editor.core import autotime_speech

    # The speech model never runs in the window's process: loading it holds the interpreter
    # lock for most of a second. It runs in a child process (which a cancel kills).
    def in_process(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("the speech model ran in the window's process")

    monkeypatch.setattr(autotime_speech, "_align_words", in_process)
    win = window
    doc, wav, reading = talk
    doc.source_language = "en"
    win.controller.set_document(doc)
    before = [(c.start_ms, c.end_ms) for c in win.controller.document.cues]
    feature = win.parts[AlignAudioFeature]
    _media(qtbot, win, wav)
    # A transcript with estimated times got its media: the status bar offers the alignment.
    assert not feature.offer_button.isHidden()
    assert win.actions[ActionId.ALIGN_TO_AUDIO].isEnabled()

    stalls: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        stalls.append(now - last[0])
        last[0] = now

    from PySide6.QtCore import QTimer

    timer = QTimer(interval=5)
    timer.timeout.connect(tick)
    timer.start()
    feature.offer_button.click()
    assert feature.is_running() and feature._progress is not None
    qtbot.waitUntil(lambda: getattr(feature, "preview_box", None) is not None, timeout=120_000)
    timer.stop()
    box = feature.preview_box
    import importlib.util

    layer = "speech model" if importlib.util.find_spec("pocketsphinx") else "pauses and punctuation"
    assert layer in box.text()
    assert "cues move" in box.informativeText()
    # Nothing changed before the user applies.
    assert [(c.start_ms, c.end_ms) for c in win.controller.document.cues] == before
    apply_button = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    apply_button.click()
    cues = win.controller.document.cues
    errors = _errors(win.controller.document, reading)
    assert np.median(errors) <= 80, errors
    assert all(c.time_source is not TimeSource.NONE and c.words for c in cues)
    assert not feature.count_label.isHidden() and "Aligned:" in feature.count_label.text()
    # One undo step takes it all back.
    win.controller.undo_stack.undo()
    assert [(c.start_ms, c.end_ms) for c in win.controller.document.cues] == before
    assert all(c.time_source is TimeSource.NONE for c in win.controller.document.cues)
    # The window kept painting while the worker aligned (generous: the machine is shared).
    assert max(stalls[1:], default=0.0) < 2.0, max(stalls)  # loose: the shared machine is busy


def test_cancel_changes_nothing_and_drops_the_result(qtbot, window, talk):
    win = window
    doc, wav, _reading = talk
    win.controller.set_document(doc)
    before = [(c.start_ms, c.end_ms, c.time_source) for c in win.controller.document.cues]
    _media(qtbot, win, wav)
    feature = win.parts[AlignAudioFeature]
    assert win.parts[AlignAudioFeature].start()
    t0 = time.perf_counter()
    from PySide6.QtWidgets import QPushButton

    feature._progress.findChild(QPushButton).click()  # the dialog's Cancel button
    QApplication.processEvents()
    assert not feature.is_running() and feature._progress is None
    assert time.perf_counter() - t0 < 1.0
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=120_000)
    QApplication.processEvents()
    assert getattr(feature, "preview_box", None) is None
    assert [(c.start_ms, c.end_ms, c.time_source) for c in win.controller.document.cues] == before
    assert not win.controller.undo_stack.canUndo() or win.controller.undo_stack.undoText() != "Align to audio"


def test_align_on_open_setting_and_next_uncertain(qtbot, window, talk):
    win = window
    doc, wav, _reading = talk
    win.settings.set(Key.ALIGN_ON_OPEN, True)
    win.controller.set_document(doc)
    _media(qtbot, win, wav)
    qtbot.waitUntil(
        lambda: all(c.time_source is not TimeSource.NONE for c in win.controller.document.cues),
        timeout=120_000,
    )
    cues = win.controller.document.cues
    # Mark one cue as timed by pauses only: Next Uncertain Timing goes to it.
    from editor.core.edits import SetCueValues

    target = cues[-1].id
    win.controller.apply(SetCueValues("time_source", {target: TimeSource.PAUSES}), "test")
    win.actions[ActionId.NEXT_UNCERTAIN_TIMING].trigger()
    assert win.controller.current_id == target
    assert any(c.timing is Timing.EXACT for c in cues) or all(
        c.time_source is TimeSource.PAUSES for c in cues
    )


def test_without_media_it_says_what_to_do(qtbot, window, talk):
    win = window
    doc, _wav, _reading = talk
    win.controller.set_document(doc)
    assert not win.parts[AlignAudioFeature].start()
    assert not win.parts[AlignAudioFeature].is_running()
