"""Safety at the edges: a crashed session is recognised however its pid looks, the restore
prompt's three answers, discarded autosaves kept (bounded), and file modes under the umask."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from editor.core import textio
from editor.qt import autosave
from editor.qt.cue_model import Column
from editor.qt.session_lock import SessionLock, is_held
from editor.qt.views.main_window import MainWindow

posix_only = pytest.mark.skipif(os.name != "posix", reason="zombies and umasks are POSIX")

_CHILD = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from editor.qt.views.main_window import MainWindow
    from editor.qt.cue_model import Column
    win = MainWindow(autosave_folder=sys.argv[1], autosave_delay_ms=0)
    win.open_sample(wait=True)
    done = []
    win.autosaver.saved.connect(done.append)
    model = win.table_pane.model
    model.setData(model.index(0, Column.TEXT), "typed before the kill")
    while not done:
        app.processEvents()
    print("saved", flush=True)
    sys.stdin.readline()  # wait here to be killed
    """
)


def _crashed_session(folder) -> subprocess.Popen:
    """Start an editor that autosaves an edit, then SIGKILL it and leave it unreaped (a zombie)."""
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert proc.stdout.readline().strip() == "saved"
    os.kill(proc.pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # dead, every thread gone, but not reaped: state Z
        with open(f"/proc/{proc.pid}/status", encoding="ascii") as fh:
            status = dict(line.split(":", 1) for line in fh if ":" in line)
        if status["State"].split()[0] == "Z" and status.get("Threads", "1").strip() == "1":
            break
        time.sleep(0.02)
    else:
        raise AssertionError("the killed editor did not become a zombie")
    return proc


@posix_only
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc to see the zombie")
def test_a_killed_session_whose_pid_is_a_zombie_is_offered_for_restore(tmp_path):
    folder = tmp_path / "autosave"
    proc = _crashed_session(folder)
    try:
        os.kill(proc.pid, 0)  # the old check: the zombie's pid still "exists"
        found = autosave.find_recoverable(str(folder))
        assert len(found) == 1
        assert autosave.load_recovery(found[0]).cues[0].text == "typed before the kill"
    finally:
        proc.wait()


@posix_only
def test_a_dead_session_whose_pid_was_reused_is_offered_and_a_live_one_is_not(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    folder = tmp_path / "autosave"
    win = MainWindow(autosave_folder=str(folder), autosave_delay_ms=0)
    qtbot.addWidget(win)
    win.open_sample(wait=True)
    model = win.table_pane.model
    with qtbot.waitSignal(win.autosaver.saved, timeout=5000):
        model.setData(model.index(0, Column.TEXT), "work")
    assert is_held(win.autosaver.lock.path) is True
    assert autosave.find_recoverable(str(folder)) == []  # a running session is not offered
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        # The session dies and an unrelated live process gets its pid.
        win.autosaver.lock.release()
        text = open(win.autosaver.meta_path, encoding="utf-8").read()
        import json

        meta = json.loads(text)
        meta["pid"] = sleeper.pid
        with open(win.autosaver.meta_path, "w", encoding="utf-8") as fh:
            json.dump(meta, fh)
        assert [r.path for r in autosave.find_recoverable(str(folder))] == [win.autosaver.path]
    finally:
        sleeper.kill()
        sleeper.wait()
    win.controller.undo_stack.setClean()


def test_a_lock_is_exclusive_and_released_with_its_holder(tmp_path):
    path = str(tmp_path / "s.lock")
    assert is_held(path) is None
    first, second = SessionLock(path), SessionLock(path)
    assert first.acquire()
    assert not second.acquire()
    assert is_held(path) is True
    first.release()
    assert is_held(path) is False
    assert second.acquire()
    second.release(remove=True)
    assert not os.path.exists(path)


def _leave_autosave(qtbot, folder, text: str) -> MainWindow:
    win = MainWindow(autosave_folder=str(folder), autosave_delay_ms=0)
    qtbot.addWidget(win)
    win.open_sample(wait=True)
    model = win.table_pane.model
    with qtbot.waitSignal(win.autosaver.saved, timeout=5000):
        model.setData(model.index(0, Column.TEXT), text)
    win.autosaver.lock.release()  # as the system does when the process dies
    return win


_MNEMONIC = {"restoreButton": Qt.Key.Key_R, "keepButton": Qt.Key.Key_K, "discardButton": Qt.Key.Key_D}


def _answer(button_name: str, seen: list[str]) -> None:
    """Answer the prompt with its button's Alt+letter, as a keyboard user does."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        assert box.findChild(QPushButton, button_name) is not None
        box.activateWindow()
        QTest.qWaitForWindowActive(box)
        QTest.keyClick(box, _MNEMONIC[button_name], Qt.KeyboardModifier.AltModifier)

    QTimer.singleShot(0, click)


@pytest.mark.parametrize("button", ["restoreButton", "keepButton", "discardButton"])
def test_restore_prompt_offers_restore_keep_for_later_and_discard(qtbot, tmp_path, monkeypatch, button):
    from editor.qt import app as app_module

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    folder = tmp_path / "autosave"
    crashed = _leave_autosave(qtbot, folder, "reflex click")
    crashed.autosaver.path = crashed.autosaver.meta_path = str(tmp_path / "gone")  # never cleared
    fresh = MainWindow(autosave_folder=str(folder), autosave_delay_ms=60_000)
    qtbot.addWidget(fresh)
    seen: list[str] = []
    _answer(button, seen)
    restored = app_module._offer_restore(fresh)
    assert "1 cue" not in seen[0] and "cues" in seen[0]
    assert autosave.discarded_dir(str(folder)) in seen[0]  # the box says where discarded copies go
    left = autosave.find_recoverable(str(folder))
    if button == "restoreButton":
        assert restored and fresh.controller.document.cues[0].text == "reflex click"
        assert left == []
        fresh.controller.undo_stack.setClean()
    elif button == "keepButton":
        assert not restored and len(left) == 1  # asked again next time
    else:
        assert not restored and left == []
        kept = os.listdir(autosave.discarded_dir(str(folder)))
        assert len(kept) == 1
        recovery = autosave.Recovery(os.path.join(autosave.discarded_dir(str(folder)), kept[0]), 0, 0, {})
        assert autosave.load_recovery(recovery).cues[0].text == "reflex click"


def test_discarded_autosaves_are_bounded_in_number_and_age(tmp_path):
    folder = tmp_path / "discarded"
    folder.mkdir()
    now = time.time()
    for i in range(autosave.DISCARDED_KEEP + 5):
        path = folder / f"{i:02d}.cueline"
        path.write_text("x")
        os.utime(path, (now - i * 60, now - i * 60))
    old = folder / "old.cueline"
    old.write_text("x")
    old_time = now - (autosave.DISCARDED_KEEP_DAYS + 1) * 86400
    os.utime(old, (old_time, old_time))
    autosave.prune_discarded(str(folder), now)
    left = sorted(os.listdir(folder))
    assert len(left) == autosave.DISCARDED_KEEP
    assert left[0] == "00.cueline" and "old.cueline" not in left


@posix_only
@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_new_files_follow_the_umask_and_existing_files_keep_their_mode(tmp_path, mask):
    old = os.umask(mask)
    try:
        new = tmp_path / "new.srt"
        textio.atomic_write(new, "1\n")
        assert stat.S_IMODE(os.stat(new).st_mode) == 0o666 & ~mask
        private = tmp_path / "private.srt"
        private.write_text("old")
        os.chmod(private, 0o600)
        textio.atomic_write(private, "new")
        assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
        shared = tmp_path / "shared.srt"
        shared.write_text("old")
        os.chmod(shared, 0o664)
        textio.atomic_write(shared, "new")
        assert stat.S_IMODE(os.stat(shared).st_mode) == 0o664
    finally:
        os.umask(old)


@posix_only
def test_saves_exports_and_autosaves_are_readable_by_the_group_under_umask_022(qtbot, tmp_path, monkeypatch):
    from editor.qt.views.dialogs import ExportChoice

    old = os.umask(0o022)
    try:
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
        win = MainWindow(autosave_folder=str(tmp_path / "autosave"), autosave_delay_ms=0)
        qtbot.addWidget(win)
        win.open_sample(wait=True)
        model = win.table_pane.model
        with qtbot.waitSignal(win.autosaver.saved, timeout=5000):
            model.setData(model.index(0, Column.TEXT), "shared folder")
        assert stat.S_IMODE(os.stat(win.autosaver.path).st_mode) == 0o644
        target = str(tmp_path / "saved.cueline")
        assert win.session.write(target, "cueline", None)
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o644
        from editor.qt.views import lint_report

        monkeypatch.setattr(lint_report, "confirm", lambda *a: True)  # the sample's deliberate problems
        exported = str(tmp_path / "out.srt")
        assert win.export(ExportChoice(exported, "srt", "source", "none", "utf-8", False, "\n"))
        assert stat.S_IMODE(os.stat(exported).st_mode) == 0o644
    finally:
        os.umask(old)


def test_quitting_a_100k_document_ends_the_process_quickly():
    """The process ends ≤ 0.5 s after the window closes (1.5 s allowed here: tests share the machine)."""
    import importlib.util
    import pathlib

    repo = pathlib.Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("bench_quit", repo / "benchmarks" / "bench_quit.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    from benchmarks.soak_kill import make_srt

    folder = pathlib.Path(tempfile.mkdtemp(prefix="cueline-quit-"))
    path = folder / "big.srt"
    make_srt(path, 100_000)
    to_return, to_exit = bench.run_once(path, edit=True)
    assert to_return < 0.5 and to_exit < 1.5, (to_return, to_exit)
