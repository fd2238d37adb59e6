"""The document session alone: opening, the preview of a long file, saving and exporting,
driven by a plain object in the window's place (no widgets)."""

from __future__ import annotations

import shutil

import pytest
from conftest import seed_path

from editor.core import documents
from editor.core.timecode import format_srt
from editor.qt.controller import Controller
from editor.qt.save_guard import LossyChoice
from editor.qt.session import PREVIEW_MIN_BYTES, DocumentSession
from editor.qt.settings import Key, Settings
from editor.qt.views.dialogs import ExportChoice


class FakeUI:
    """Answers the session's questions as told and records what it was asked."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.messages: list[str] = []
        self.errors: list[str] = []
        self.lossy = (LossyChoice.ANYWAY, False)
        self.lint_ok = True
        self.plan_choice: str = "keep"  # "keep" the proposed plan, or "cancel"
        self.adopted = None

    def show_message(self, text: str, timeout_ms: int = 8000) -> None:
        self.messages.append(text)

    def show_error(self, title: str, exc: BaseException) -> None:
        self.errors.append(f"{title}: {exc}")

    def ask_lossy(self, path, format_id, lost):
        self.calls.append("ask_lossy")
        return self.lossy

    def confirm_lint(self, path, findings) -> bool:
        self.calls.append("confirm_lint")
        return self.lint_ok

    def preview_attach(self, doc, other, plan):
        self.calls.append("preview_attach")
        return plan if self.plan_choice == "keep" else None

    def save_project(self) -> bool:
        self.calls.append("save_project")
        return False

    def begin_preview(self) -> None:
        self.calls.append("begin_preview")

    def show_preview(self, then) -> None:
        self.calls.append("show_preview")
        then()

    def end_preview(self) -> None:
        self.calls.append("end_preview")

    def when_ready(self, callback) -> None:
        callback()

    def show_document(self, doc, qc_index, path) -> None:
        self.calls.append("show_document")

    def skip_checks(self) -> None:
        self.calls.append("skip_checks")

    def adopt_checks(self, index) -> None:
        self.adopted = index

    def rebuild_checks(self) -> None:
        self.calls.append("rebuild_checks")


@pytest.fixture
def session(qtbot):
    ui = FakeUI()
    controller = Controller()
    s = DocumentSession(controller, Settings(), ui)
    yield s
    s.deleteLater()


def _copy(prefix: str, tmp_path, suffix: str = ".txt"):
    src = seed_path(prefix)
    dst = tmp_path / (src.stem + suffix)
    shutil.copyfile(src, dst)
    return dst


def test_open_and_wait_shows_the_document_and_finds_its_media(session, tmp_path, qtbot):
    path = _copy("000", tmp_path)
    (tmp_path / (path.stem + ".mp4")).write_bytes(b"")
    media: list[str] = []
    session.media_changed.connect(media.append)
    with qtbot.waitSignal(session.loaded) as blocker:
        assert session.open(str(path), wait=True)
    assert blocker.args == [str(path)]
    assert len(session.controller.document) > 10
    assert session.ui.calls == ["show_document"]  # checks came with the load
    assert media == [str(tmp_path / (path.stem + ".mp4"))]
    assert session.document_name() == path.name
    assert session.settings.get(Key.RECENT_FILES)[0] == str(path)


def test_a_long_file_is_previewed_read_only_before_the_whole_file(session, tmp_path, qtbot):
    path = tmp_path / "long.srt"
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(25_000):
            times = f"{format_srt(i * 2000)} --> {format_srt(i * 2000 + 1500)}"
            fh.write(f"{i + 1}\n{times}\nLine {i} of a long file\n\n")
    assert path.stat().st_size > PREVIEW_MIN_BYTES
    sizes: list[int] = []
    session.controller.document_replaced.connect(lambda: sizes.append(len(session.controller.document)))
    with qtbot.waitSignal(session.loaded, timeout=60_000):
        session.open(str(path))
    assert session.ui.calls[:3] == ["begin_preview", "show_preview", "end_preview"]
    assert 0 < sizes[0] < 25_000 and sizes[-1] == 25_000
    assert not session.previewing
    qtbot.waitUntil(lambda: session.ui.adopted is not None, timeout=30_000)


def test_a_file_that_does_not_parse_reports_the_failure(session, tmp_path, qtbot):
    path = tmp_path / "bad.srt"
    path.write_text("1\n00:00:01,000 --> nonsense\nHello\n\n", encoding="utf-8")
    with qtbot.waitSignal(session.load_failed, timeout=20_000) as blocker:
        session.open(str(path))
    assert "bad.srt" in blocker.args[0]
    assert session.ui.errors and not session.loading


def test_save_asks_before_losing_the_translation_and_a_write_check_can_refuse(session, tmp_path, qtbot):
    src, tr = _copy("000", tmp_path), _copy("001", tmp_path)
    session.open(str(src), wait=True)
    assert session.attach_translation(str(tr))
    assert session.ui.calls[-1] == "preview_attach"
    target = tmp_path / "out.srt"
    session.ui.lossy = (LossyChoice.CANCEL, False)
    assert not session.write(str(target), "srt", None)
    assert session.ui.calls[-1] == "ask_lossy" and not target.exists()

    session.ui.lossy = (LossyChoice.ANYWAY, False)
    asked: list[str] = []
    session.add_write_check(lambda p: asked.append(p) or False)
    assert not session.write(str(target), "srt", None)
    assert asked == [str(target)] and not target.exists()


def test_save_writes_and_becomes_where_save_goes(session, tmp_path, qtbot):
    src = _copy("000", tmp_path)
    session.open(str(src), wait=True)
    assert session.save_target()[:2] == (str(src), "transcript")
    target = tmp_path / "talk.srt"
    with qtbot.waitSignal(session.saved) as blocker:
        assert session.write(str(target), "srt", None)
    assert blocker.args == [str(target)]
    assert session.controller.undo_stack.isClean()
    assert session.save_target()[:2] == (str(target), "srt")
    assert len(documents.load(target)) == len(session.controller.document)


def test_cancelled_translation_preview_changes_nothing(session, tmp_path):
    src, tr = _copy("000", tmp_path), _copy("001", tmp_path)
    session.open(str(src), wait=True)
    session.ui.plan_choice = "cancel"
    assert not session.attach_translation(str(tr))
    assert session.controller.undo_stack.count() == 0
    assert not any(c.translation for c in session.controller.document.cues)


def test_export_asks_about_lint_findings_first(session, tmp_path, monkeypatch):
    from editor.core.formats import srt

    src = _copy("000", tmp_path)
    session.open(str(src), wait=True)
    # A writer whose text the linter rejects: the session asks before writing it.
    monkeypatch.setattr(srt, "write", lambda doc, options=None: "0\n00:00:01.000 --> 00:00:02.000\nbroken\n")
    out = tmp_path / "out.srt"
    choice = ExportChoice(str(out), "srt", "source", "none", "utf-8", False, "\n")
    session.ui.lint_ok = False
    assert not session.export(choice)
    assert session.ui.calls[-1] == "confirm_lint" and not out.exists()
    session.ui.lint_ok = True
    assert session.export(choice) and out.exists()
    assert session.settings.get(Key.EXPORT_FORMAT) == "srt"
    assert session.save_target()[0] == str(src)  # an export is not where Save goes
