"""Autosave after edits, a simulated crash, and restoring the work in a new window."""

from __future__ import annotations

import json
import os

from conftest import seed_path
from PySide6.QtWidgets import QMessageBox

from editor.qt import autosave
from editor.qt.app import restore_into
from editor.qt.cue_model import Column
from editor.qt.views.main_window import MainWindow


def _window(qtbot, folder, delay_ms=50) -> MainWindow:
    win = MainWindow(autosave_folder=str(folder), autosave_delay_ms=delay_ms)
    qtbot.addWidget(win)
    return win


def test_autosave_then_crash_then_restore(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    folder = tmp_path / "autosave"
    first = _window(qtbot, folder)
    first.open_path(str(seed_path("000")), wait=True)
    model = first.table_pane.model
    with qtbot.waitSignal(first.autosaver.saved, timeout=5000):
        assert model.setData(model.index(0, Column.TEXT), "Edited before the crash")
        assert model.setData(model.index(1, Column.END), "0:07.000")
    edited = first.controller.document.snapshot()
    assert os.path.isfile(first.autosaver.path)

    # Simulated crash: the first window is never closed, so its autosave stays behind, and its
    # session lock goes as the operating system drops it when a process dies.
    first.autosaver.lock.release()
    found = autosave.find_recoverable(str(folder))
    assert len(found) == 1
    recovery = found[0]
    assert recovery.cue_count == len(first.controller.document)
    assert recovery.original_path == str(seed_path("000"))
    assert recovery.when[:2] == "20"

    second = _window(qtbot, folder)
    restore_into(second, recovery)
    restored = second.controller.document
    assert restored.snapshot() == edited
    assert second.isWindowModified()  # the restored work is not on disk yet
    assert restored.sources["source"].path == str(seed_path("000"))
    # The second window took the files over; nothing else is offered while it runs.
    assert os.path.isfile(second.autosaver.path)

    # A clean close removes the autosave.
    assert second.close()
    assert not os.path.exists(second.autosaver.path)
    assert autosave.find_recoverable(str(folder)) == []


def test_undo_to_saved_state_clears_autosave(qtbot, tmp_path):
    folder = tmp_path / "autosave"
    win = _window(qtbot, folder)
    win.open_sample(wait=True)
    model = win.table_pane.model
    with qtbot.waitSignal(win.autosaver.saved, timeout=5000):
        model.setData(model.index(0, Column.TEXT), "changed")
    assert os.path.isfile(win.autosaver.path)
    with open(win.autosaver.meta_path, encoding="utf-8") as fh:
        meta = json.load(fh)
    assert meta["cue_count"] == len(win.controller.document)
    win.controller.undo_stack.undo()
    assert not os.path.exists(win.autosaver.path)


def test_autosave_debounces_bursts(qtbot, tmp_path):
    win = _window(qtbot, tmp_path / "autosave", delay_ms=200)
    win.open_sample(wait=True)
    saves: list[str] = []
    win.autosaver.saved.connect(saves.append)
    model = win.table_pane.model
    for i in range(5):
        model.setData(model.index(0, Column.TEXT), f"burst {i}")
        qtbot.wait(20)
    qtbot.waitUntil(lambda: len(saves) == 1, timeout=3000)
    qtbot.wait(300)
    assert len(saves) == 1
    win.controller.undo_stack.setClean()


def test_start_offers_restore_and_discards_when_declined(qtbot, tmp_path, monkeypatch):
    from editor.qt import app as app_module
    from editor.qt.views import restore_prompt
    from editor.qt.views.restore_prompt import RestoreChoice

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    folder = tmp_path / "autosave"
    crashed = _window(qtbot, folder)
    crashed.open_sample(wait=True)
    model = crashed.table_pane.model
    with qtbot.waitSignal(crashed.autosaver.saved, timeout=5000):
        model.setData(model.index(0, Column.TEXT), "unsaved work")
    assert autosave.find_recoverable(str(folder)) == []  # its session runs: not offered
    crashed.autosaver.lock.release()  # as when its process dies
    offered = []

    def ask(_parent, when, cues, original, _kept):
        offered.append((when, cues, original))
        return RestoreChoice.RESTORE

    monkeypatch.setattr(restore_prompt, "ask_restore", ask)
    fresh = _window(qtbot, folder)
    assert app_module._offer_restore(fresh)
    assert offered and offered[0][1] == len(crashed.controller.document)
    assert fresh.controller.document.cues[0].text == "unsaved work"

    # Discarding sets the autosave aside (now the second window's, as if it crashed too).
    fresh.autosaver.lock.release()
    third = _window(qtbot, tmp_path / "other")
    third.autosaver.folder = str(folder)
    monkeypatch.setattr(restore_prompt, "ask_restore", lambda *a: RestoreChoice.DISCARD)
    assert not app_module._offer_restore(third)
    assert autosave.find_recoverable(str(folder)) == []
    kept = os.listdir(autosave.discarded_dir(str(folder)))
    assert len(kept) == 1 and kept[0].endswith(".cueline")
