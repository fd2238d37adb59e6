"""Cold start (issue 4): the first window does not wait for what only media or the timeline needs.

numpy (the timeline, the waveform, pauses) costs 200–300 ms to import and QtMultimedia with
the player another 100–150 ms; features load them on first use. A fresh interpreter builds
the window as main.py does and reports which heavy modules its first shown frame pulled in,
then what the timeline adds (its numpy imported on a worker after the first paint).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from editor.qt.views.review_panel import ReviewMode
from editor.qt.views.speakers_panel import SpeakersPanel

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

HEAVY = ("numpy", "PySide6.QtMultimedia", "editor.core.pauses", "editor.core.operations")

CODE = """
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
from editor.qt.actions import ActionId
from editor.qt.views.main_window import MainWindow
w = MainWindow()
created = [m for m in HEAVY if m in sys.modules]
w.show()
app.processEvents()
first = [m for m in HEAVY if m in sys.modules and m != "numpy"]  # numpy: on a worker by now
painted = w.timeline.objectName() == "timeline"
import time
deadline = time.monotonic() + 60
while w.timeline.objectName() != "timeline" and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
from editor.qt.views.player_panel import PlayerFeature
print(json.dumps({
    "created": created,
    "first": first,
    "painted_timeline_first": painted,
    "timeline": w.timeline.objectName(),
    "later": [m for m in HEAVY if m in sys.modules],
    "playback": w.parts[PlayerFeature].playback is None,
    "snap": w.actions[ActionId.SNAP_TO_PAUSES].isEnabled(),
}))
w.close()
"""


def test_first_window_loads_no_numpy_or_multimedia_and_the_timeline_follows(tmp_path):
    env = {**os.environ, "CUELINE_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    code = f"HEAVY = {HEAVY!r}\n" + CODE
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["created"] == [] and result["first"] == [], result
    assert not result["painted_timeline_first"]
    # The timeline follows the first paint, with numpy; the player does not.
    assert result["timeline"] == "timeline"
    assert "numpy" in result["later"]
    assert "PySide6.QtMultimedia" not in result["later"]
    assert result["playback"] is True  # not built until media needs it
    assert result["snap"] is True  # the feature's actions are there from the start


def test_deferred_features_install_after_the_first_frame_then_the_start_runs(qtbot, tmp_path, monkeypatch):
    # The application shows its window before the feature modules install (docks, their
    # menus, the toolbar), and opens its file only once they are installed.
    from PySide6.QtCore import QEvent, QObject

    from editor.qt.views.main_window import MainWindow

    order: list[str] = []

    class Paints(QObject):
        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.Paint and "paint" not in order:
                order.append("paint")
            return False

    window = MainWindow(autosave_folder=str(tmp_path / "autosave"), defer_features=True)
    qtbot.addWidget(window)
    assert window.parts.get(ReviewMode) is None  # not installed yet
    installed = lambda: window.parts.get(ReviewMode) is not None  # noqa: E731
    window.after_features(lambda: order.append(f"start, review installed: {installed()}"))
    paints = Paints()
    window.installEventFilter(paints)
    window.show()
    qtbot.waitUntil(lambda: len(order) == 2, timeout=5000)
    assert order == ["paint", "start, review installed: True"]
    called = []
    window.after_features(lambda: called.append(1))  # once installed: at once
    assert called == [1]


def test_deferred_features_install_even_when_the_window_never_paints(qtbot, tmp_path):
    from editor.qt.views import main_window

    window = main_window.MainWindow(autosave_folder=str(tmp_path / "autosave"), defer_features=True)
    qtbot.addWidget(window)  # never shown, as when started minimised
    started: list[int] = []
    window.after_features(lambda: started.append(1))
    qtbot.waitUntil(lambda: started == [1], timeout=main_window.FEATURES_WAIT_MS + 3000)
    assert window.parts.get(ReviewMode) is not None


def test_the_application_with_no_file_shows_its_window_then_installs_features_and_opens_the_sample(
    qtbot, monkeypatch
):
    # editor.qt.app.main as `python main.py` runs it, up to its event loop.
    from PySide6.QtWidgets import QApplication

    from editor.qt import app as app_module
    from editor.qt.views.main_window import MainWindow

    seen: list[MainWindow] = []

    def run_until_sample_shown(self) -> int:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        assert windows
        window = windows[-1]
        seen.append(window)
        with qtbot.waitSignal(window.loaded, timeout=20_000):
            pass
        return 0

    monkeypatch.setattr(QApplication, "exec", run_until_sample_shown)
    assert app_module.main([]) == 0
    window = seen[0]
    # The features are installed.
    assert window.parts.get(ReviewMode) is not None and window.parts.get(SpeakersPanel) is not None
    assert window.controller.document.cues[0].text  # the bundled sample
    window.controller.undo_stack.setClean()
    window.close()


def test_a_file_opened_at_launch_shows_its_rows_before_the_features_install(qtbot, tmp_path):
    # Issue 24: the user's clock starts at launch. The features (150-450 ms of the GUI thread)
    # install once the file's rows have painted, not before; `loaded` follows them.
    import shutil

    from editor.qt.views.main_window import MainWindow

    path = tmp_path / "en_1.srt"
    shutil.copy(os.path.join(REPO, "..", "shared", "bilingual", "en_1.srt"), path)
    window = MainWindow(autosave_folder=str(tmp_path / "autosave"), defer_features=True)
    qtbot.addWidget(window)
    order: list[str] = []
    installed = lambda: window.parts.get(ReviewMode) is not None  # noqa: E731
    window.controller.document_replaced.connect(
        lambda: order.append(f"shown, features: {installed()}")
    )
    window.loaded.connect(lambda _p: order.append(f"loaded, features: {installed()}"))
    window.show()
    window.open_path(str(path))
    with qtbot.waitSignal(window.loaded, timeout=20_000):
        pass
    assert order == ["shown, features: False", "loaded, features: True"]
    assert window.windowTitle().startswith("en_1.srt")
    assert len(window.controller.document) > 0 and window.parts.get(SpeakersPanel) is not None
    qtbot.waitUntil(lambda: window.timeline.objectName() == "timeline", timeout=20_000)
    window.controller.undo_stack.setClean()


def test_the_file_named_at_launch_is_read_while_the_window_is_built(qtbot, tmp_path, monkeypatch):
    # Issue 24: editor.qt.app starts reading FILE before it imports and builds the window; the
    # session shows that read (no second one), with the file's name in the title at once.
    import shutil
    import threading

    from PySide6.QtWidgets import QApplication

    from editor.qt import app as app_module
    from editor.qt import session
    from editor.qt.views.main_window import MainWindow

    path = tmp_path / "en_1.srt"
    shutil.copy(os.path.join(REPO, "..", "shared", "bilingual", "en_1.srt"), path)
    reads: list[str] = []
    real = session._load_and_prepare

    def spy(*args, **kwargs):
        reads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(session, "_load_and_prepare", spy)
    seen: list[MainWindow] = []

    def run_until_loaded(self) -> int:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        window = shown[-1]
        seen.append(window)
        if not window.windowTitle().startswith("en_1.srt"):
            with qtbot.waitSignal(window.loaded, timeout=20_000):
                pass
        return 0

    monkeypatch.setattr(QApplication, "exec", run_until_loaded)
    assert app_module.main([str(path)]) == 0
    window = seen[0]
    assert reads == ["cueline-prefetch"]  # read once, on the launch's own thread
    assert window.windowTitle().startswith("en_1.srt")
    assert len(window.controller.document) > 0 and session._prefetched is None
    window.controller.undo_stack.setClean()
    window.close()


def test_a_prefetched_read_serves_only_the_same_file_under_the_same_styles(tmp_path):
    from editor.core.style import StyleSettings, TrackStyle
    from editor.qt import session

    path = tmp_path / "en_1.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello there.\n", encoding="utf-8")
    session.prefetch(str(path), StyleSettings())
    assert session._take_prefetch(str(tmp_path / "other.srt"), StyleSettings()) is None
    assert session._prefetched is None  # a different file: the read is dropped, not kept
    session.prefetch(str(path), StyleSettings())
    assert session._take_prefetch(str(path), StyleSettings(source=TrackStyle("zh-hans"))) is None
    session.prefetch(str(path), StyleSettings())
    found = session._take_prefetch(str(path), StyleSettings())
    assert found is not None
    doc, qc = found.result()
    assert [c.text for c in doc.cues] == ["Hello there."] and qc is None


def test_docks_installed_after_the_first_frame_show_as_when_installed_before_it(qtbot, tmp_path):
    # Qt leaves a child added to a shown window hidden: the features' docks (Speakers) were
    # missing from the real app, which installs them after the first frame, and present in
    # --screenshot renders, which install them before.
    from PySide6.QtWidgets import QDockWidget

    from editor.qt.views.main_window import MainWindow

    def docks(window: MainWindow) -> dict[str, bool]:
        return {d.objectName(): d.isHidden() for d in window.findChildren(QDockWidget)}

    eager = MainWindow(autosave_folder=str(tmp_path / "a1"), defer_features=False)
    qtbot.addWidget(eager)
    eager.show()
    deferred = MainWindow(autosave_folder=str(tmp_path / "a2"), defer_features=True)
    qtbot.addWidget(deferred)
    started: list[int] = []
    deferred.after_features(lambda: started.append(1))
    deferred.show()
    qtbot.waitUntil(lambda: started == [1], timeout=10_000)
    assert docks(deferred)["speakersDock"] is False
    assert docks(deferred) == docks(eager)
