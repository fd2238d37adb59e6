"""Saving never loses work: failed writes, files changed on disk, and formats that drop data."""

from __future__ import annotations

import errno
import os
import shutil

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog, QMessageBox

from editor.core import documents, edits, textio
from editor.core.model import Review, Speaker
from editor.qt import disk_watch, errors, save_guard
from editor.qt.actions import ActionId
from editor.qt.disk_watch import DiskWatch
from editor.qt.settings import Key, Settings
from editor.qt.views.main_window import MainWindow

SRT = (
    "1\n00:00:01,000 --> 00:00:03,000\nHello there.\n\n"
    "2\n00:00:04,000 --> 00:00:06,000\nSecond line.\n\n"
    "3\n00:00:07,000 --> 00:00:09,000\nThird line.\n"
)
OTHER = "1\n00:00:01,000 --> 00:00:03,000\nWritten by another program.\n"


@pytest.fixture
def shown(monkeypatch):
    """Every error box the window opens, as (title, text)."""
    boxes: list[tuple[str, str]] = []
    monkeypatch.setattr(errors, "show_error", lambda _parent, title, exc: boxes.append((title, str(exc))))
    return boxes


def _window(qtbot, tmp_path, monkeypatch, settings: Settings | None = None) -> MainWindow:
    # A "save changes?" box must never block pytest-qt closing the window.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    win = MainWindow(settings=settings, autosave_folder=str(tmp_path / "autosave"), autosave_delay_ms=60_000)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    win = _window(qtbot, tmp_path, monkeypatch)
    yield win
    # Close while the dialogs are still patched; a refused close would leave it open for later tests.
    win.controller.undo_stack.setClean()
    win.close()


def _open(window: MainWindow, path) -> None:
    window.open_path(str(path), wait=True)
    assert window.parts[DiskWatch].path == os.path.abspath(path)


def _type(window: MainWindow, row: int, text: str) -> None:
    """Select a cue and type its new text into the edit panel, as a user would."""
    cue_id = window.controller.document.cues[row].id
    window.controller.select([cue_id], cue_id)
    cursor = window.edit_panel.text.textCursor()
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.insertText(text)
    assert window.controller.document.cues[row].text == text


def _save(window: MainWindow) -> None:
    window.actions[ActionId.SAVE].trigger()


def _assert_kept(window: MainWindow, path, old: bytes, text: str) -> None:
    """The edit is still in the open, modified document and the file on disk is the old one."""
    assert window.controller.document.cues[0].text == text
    assert not window.controller.undo_stack.isClean()
    assert window.isWindowModified()
    if os.path.exists(path):
        assert path.read_bytes() == old
    folder = os.path.dirname(path)
    if os.path.isdir(folder):
        assert [n for n in os.listdir(folder) if n.endswith(".tmp")] == []  # no half-written leftovers


# -- failed writes ------------------------------------------------------------------------


def test_save_to_a_read_only_place_says_so_and_keeps_the_document(
    qtbot, window, tmp_path, monkeypatch, shown
):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    old = path.read_bytes()
    _open(window, path)
    _type(window, 0, "Edited while the folder is read-only.")
    os.chmod(folder, 0o555)
    if os.geteuid() == 0:  # root writes anywhere: fail as a read-only file system would
        real = textio.tempfile.mkstemp

        def refuse(*args, **kwargs):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(folder))

        monkeypatch.setattr(textio.tempfile, "mkstemp", refuse)
    try:
        _save(window)
    finally:
        os.chmod(folder, 0o755)
    assert len(shown) == 1
    _title, text = shown[0]
    assert str(path) in text
    assert "read-only" in text or "permission" in text
    assert "still open" in text
    _assert_kept(window, path, old, "Edited while the folder is read-only.")
    if os.geteuid() == 0:
        monkeypatch.setattr(textio.tempfile, "mkstemp", real)
    _save(window)  # once the place is writable again, the same Save writes the edit
    assert "Edited while the folder is read-only." in path.read_text(encoding="utf-8")
    assert window.controller.undo_stack.isClean()


def test_full_disk_says_so_and_leaves_the_old_file_whole(qtbot, window, tmp_path, monkeypatch, shown):
    path = tmp_path / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    old = path.read_bytes()
    _open(window, path)
    _type(window, 0, "Edited on a full disk.")

    def full(_fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    real = os.fsync
    monkeypatch.setattr(textio.os, "fsync", full)
    _save(window)
    monkeypatch.setattr(textio.os, "fsync", real)
    assert len(shown) == 1
    assert str(path) in shown[0][1] and "disk is full" in shown[0][1]
    _assert_kept(window, path, old, "Edited on a full disk.")


def test_vanished_folder_says_so_keeps_the_document_and_close_stays_open(
    qtbot, window, tmp_path, monkeypatch, shown
):
    folder = tmp_path / "gone"
    folder.mkdir()
    path = folder / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    _open(window, path)
    _type(window, 0, "Edited after the folder vanished.")
    shutil.rmtree(folder)
    _save(window)
    assert len(shown) == 1
    assert str(path) in shown[0][1] and "no longer exists" in shown[0][1]
    _assert_kept(window, path, b"", "Edited after the folder vanished.")

    # Closing offers to save; the save fails, so the window stays open with the work.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    assert not window.close()
    assert window.isVisible() and not window.controller.undo_stack.isClean()

    # Save As somewhere that exists keeps every edit.
    elsewhere = tmp_path / "rescued.srt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(elsewhere), ""))
    window.actions[ActionId.SAVE_AS].trigger()
    assert documents.load(str(elsewhere)).cues[0].text == "Edited after the folder vanished."
    assert window.controller.undo_stack.isClean()


# -- the file changed on disk -------------------------------------------------------------


def test_save_over_a_file_changed_on_disk_asks_first(qtbot, window, tmp_path, monkeypatch):
    path = tmp_path / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    _open(window, path)
    _type(window, 0, "My edit.")
    monkeypatch.setattr(disk_watch, "ask_reload", lambda *a: False)
    path.write_text(OTHER, encoding="utf-8")
    asked: list[str] = []

    def no(_parent, p):
        asked.append(p)
        return False

    monkeypatch.setattr(disk_watch, "ask_overwrite", no)
    _save(window)
    assert asked == [os.path.abspath(path)]
    assert path.read_text(encoding="utf-8") == OTHER  # their version is still there
    assert (
        window.controller.document.cues[0].text == "My edit." and not window.controller.undo_stack.isClean()
    )

    monkeypatch.setattr(disk_watch, "ask_overwrite", lambda *a: True)
    _save(window)
    assert documents.load(str(path)).cues[0].text == "My edit."
    assert window.controller.undo_stack.isClean()

    # Our own save is the new reference: saving again asks nothing.
    _type(window, 1, "Second edit.")
    monkeypatch.setattr(disk_watch, "ask_overwrite", lambda *a: pytest.fail("asked about our own save"))
    _save(window)
    assert documents.load(str(path)).cues[1].text == "Second edit."


def test_a_touched_file_with_the_same_bytes_is_not_a_change(qtbot, window, tmp_path, monkeypatch):
    path = tmp_path / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    _open(window, path)
    _type(window, 0, "My edit.")
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    monkeypatch.setattr(disk_watch, "ask_overwrite", lambda *a: pytest.fail("asked about a touched file"))
    monkeypatch.setattr(disk_watch, "ask_reload", lambda *a: pytest.fail("offered to reload a touched file"))
    assert not window.parts[DiskWatch].check()
    _save(window)
    assert window.controller.undo_stack.isClean()


def test_a_file_changed_on_disk_is_offered_for_reload_and_the_reload_is_undoable(
    qtbot, window, tmp_path, monkeypatch
):
    path = tmp_path / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    _open(window, path)
    offers: list[tuple[str, bool]] = []

    def yes(_parent, p, modified):
        offers.append((p, modified))
        return True

    monkeypatch.setattr(disk_watch, "ask_reload", yes)
    with qtbot.waitSignal(window.parts[DiskWatch].reloaded, timeout=5000):  # the watcher notices by itself
        path.write_text(OTHER, encoding="utf-8")
    assert offers == [(os.path.abspath(path), False)]
    doc = window.controller.document
    assert [c.text for c in doc.cues] == ["Written by another program."]
    assert window.controller.undo_stack.isClean()  # the document is the file again
    window.controller.undo_stack.undo()
    assert [c.text for c in doc.cues] == ["Hello there.", "Second line.", "Third line."]


def test_reload_over_unsaved_changes_asks_and_undo_brings_them_back(qtbot, window, tmp_path, monkeypatch):
    path = tmp_path / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    _open(window, path)
    _type(window, 2, "Unsaved work.")
    answers = [False, True]
    offers: list[bool] = []

    def ask(_parent, _path, modified):
        offers.append(modified)
        return answers.pop(0)

    monkeypatch.setattr(disk_watch, "ask_reload", ask)
    path.write_text(OTHER, encoding="utf-8")
    window.parts[DiskWatch]._timer.stop()  # checked by hand here, not by the watcher's timer
    assert not window.parts[DiskWatch].check()  # declined: the work stays
    assert window.controller.document.cues[2].text == "Unsaved work."
    assert not window.parts[DiskWatch].check()  # the same bytes are not offered twice
    assert offers == [True]

    path.write_text(OTHER.replace("another", "a third"), encoding="utf-8")
    assert window.parts[DiskWatch].check()
    assert offers == [True, True]
    assert [c.text for c in window.controller.document.cues] == ["Written by a third program."]
    window.controller.undo_stack.undo()
    assert window.controller.document.cues[2].text == "Unsaved work."
    assert not window.controller.undo_stack.isClean()  # not what is on disk


def test_our_own_save_is_not_offered_for_reload(qtbot, window, tmp_path, monkeypatch):
    path = tmp_path / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    _open(window, path)
    monkeypatch.setattr(disk_watch, "ask_reload", lambda *a: pytest.fail("offered to reload our own save"))
    _type(window, 0, "Saved by us.")
    _save(window)
    qtbot.wait(disk_watch.CHECK_DELAY_MS * 3)
    assert window.controller.document.cues[0].text == "Saved by us."


# -- formats that cannot keep everything --------------------------------------------------


def _rich(window: MainWindow, tmp_path):
    """Open an SRT with a translation, give a cue a speaker and mark one reviewed."""
    path = tmp_path / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    translation = tmp_path / "talk.de.srt"
    translation.write_text(
        SRT.replace("Hello there.", "Hallo.")
        .replace("Second line.", "Zweite.")
        .replace("Third line.", "Dritte."),
        encoding="utf-8",
    )
    window.open_path(str(path), str(translation), wait=True)
    doc = window.controller.document
    first = doc.cues[0].id
    window.controller.apply(
        edits.Batch(
            [
                edits.SetSpeakers([Speaker("s1", "Ana")]),
                edits.set_field(first, "speaker_id", "s1"),
                edits.set_field(first, "review", Review.REVIEWED),
            ]
        ),
        "test set-up",
    )
    return path


def test_saving_speakers_translation_and_review_to_srt_warns_once(qtbot, window, tmp_path, monkeypatch):
    path = _rich(window, tmp_path)
    asked: list[list[str]] = []

    def anyway(_parent, p, format_id, lost):
        asked.append(lost)
        assert p == str(path) and format_id == "srt"
        return save_guard.LossyChoice.ANYWAY, False

    monkeypatch.setattr(save_guard, "ask_lossy", anyway)
    _save(window)
    assert len(asked) == 1
    said = " ".join(asked[0])
    assert "translation of 3 cues" in said and "review state of 3 cues" in said and "speakers" in said
    assert window.controller.undo_stack.isClean()
    assert documents.load(str(path)).cues[0].text == "Ana: Hello there."

    _type(window, 1, "Edited again.")
    _save(window)
    assert len(asked) == 1  # once per document and session
    assert documents.load(str(path)).cues[1].text == "Edited again."


def test_lossy_save_offers_a_project_instead(qtbot, window, tmp_path, monkeypatch):
    path = _rich(window, tmp_path)
    old = path.read_bytes()
    monkeypatch.setattr(save_guard, "ask_lossy", lambda *a: (save_guard.LossyChoice.PROJECT, False))
    _save(window)
    project = tmp_path / "talk.cueline"
    assert path.read_bytes() == old  # the SRT was not touched
    doc = documents.load(str(project))
    assert doc.cues[0].translation == "Hallo." and doc.cues[0].review == Review.REVIEWED
    assert doc.speakers["s1"].name == "Ana" and doc.cues[0].speaker_id == "s1"
    assert window.controller.document.sources["source"].path == str(project)  # Save goes there now
    assert window.controller.undo_stack.isClean()


def test_cancelled_lossy_save_writes_nothing(qtbot, window, tmp_path, monkeypatch):
    path = _rich(window, tmp_path)
    old = path.read_bytes()
    monkeypatch.setattr(save_guard, "ask_lossy", lambda *a: (save_guard.LossyChoice.CANCEL, False))
    _save(window)
    assert path.read_bytes() == old and not (tmp_path / "talk.cueline").exists()
    assert not window.controller.undo_stack.isClean()


def test_dont_ask_again_is_remembered(qtbot, tmp_path, monkeypatch):
    settings = Settings(str(tmp_path / "settings.ini"))
    first = _window(qtbot, tmp_path, monkeypatch, settings)
    _rich(first, tmp_path)
    monkeypatch.setattr(save_guard, "ask_lossy", lambda *a: (save_guard.LossyChoice.ANYWAY, True))
    _save(first)
    settings.sync()
    assert Settings(str(tmp_path / "settings.ini")).get(Key.WARN_LOSSY_SAVE) is False

    second = _window(qtbot, tmp_path / "second", monkeypatch, Settings(str(tmp_path / "settings.ini")))
    (tmp_path / "second").mkdir()
    _rich(second, tmp_path / "second")
    monkeypatch.setattr(save_guard, "ask_lossy", lambda *a: pytest.fail("asked again"))
    _save(second)
    assert second.controller.undo_stack.isClean()


def test_a_plain_subtitle_document_saves_without_a_warning(qtbot, window, tmp_path, monkeypatch):
    path = tmp_path / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    _open(window, path)
    _type(window, 0, "Plain edit.")
    monkeypatch.setattr(save_guard, "ask_lossy", lambda *a: pytest.fail("warned about a plain document"))
    _save(window)
    assert window.controller.undo_stack.isClean()
    assert save_guard.lost_in(window.controller.document, "cueline") == []


def test_lossy_dialog_names_the_file_and_what_is_lost(qtbot, monkeypatch):
    """The real dialog (answered by clicking its Cancel button once it shows)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen: list[str] = []

    def answer():
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(100, answer)
    choice, never = save_guard.ask_lossy(None, "/tmp/x/talk.srt", "srt", ["the translation of 3 cues"])
    assert choice is save_guard.LossyChoice.CANCEL and never is False
    assert "talk.srt" in seen[0] and "the translation of 3 cues" in seen[0] and ".cueline" in seen[0]


def test_what_each_format_loses(qtbot, window, tmp_path):
    _rich(window, tmp_path)
    doc = window.controller.document
    window.controller.apply(edits.set_field(doc.cues[1].id, "note", "check the name"), "note")
    srt = save_guard.lost_in(doc, "srt")
    vtt = save_guard.lost_in(doc, "vtt")
    assert "the translation of 3 cues" in srt and "notes on 1 cue" in srt
    assert any(item.startswith("speakers of 1 cue ") for item in srt)
    assert "the translation of 3 cues" in vtt and "speaker colours" in vtt  # <v Name> keeps the names
    assert not any(item.startswith("speakers of") for item in vtt)
    assert save_guard.lost_in(doc, "cueline") == []


def test_the_file_opened_at_launch_is_watched_too(qtbot, tmp_path, monkeypatch):
    """At launch the file's rows are shown before the features install (DiskWatch among them):
    the watch still records that file, so a save over another program's change asks first."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    path = tmp_path / "talk.srt"
    path.write_text(SRT, encoding="utf-8")
    window = MainWindow(autosave_folder=str(tmp_path / "autosave"), defer_features=True)
    qtbot.addWidget(window)
    window.show()
    window.open_path(str(path))
    with qtbot.waitSignal(window.loaded, timeout=20_000):
        pass
    watch = window.parts[DiskWatch]
    assert watch.path == os.path.abspath(path) and watch.recorded is not None
    assert not watch.changed_since_recorded()
    path.write_text(OTHER, encoding="utf-8")
    assert watch.changed_since_recorded()
    window.controller.undo_stack.setClean()
    window.close()
