"""The main window driven the way a user drives it (pytest-qt, offscreen)."""

from __future__ import annotations

from conftest import seed_path
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QTextCursor
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPlainTextEdit

from editor.core import documents
from editor.qt.actions import ActionId
from editor.qt.cue_model import Column
from editor.qt.views.main_window import MainWindow


def _srt(tmp_path, name="talk.srt", newline="\r\n", bom=True):
    text = newline.join(
        [
            "1",
            "00:00:01,000 --> 00:00:03,000",
            "Hello there.",
            "",
            "2",
            "00:00:04,000 --> 00:00:06,000",
            "Second line",
            "",
        ]
    )
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def _edit_cell(qtbot, window, row: int, column: Column, text: str, key=Qt.Key.Key_Return):
    view = window.table_pane.view
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.focusWidget()
    assert isinstance(editor, QLineEdit | QPlainTextEdit), editor
    if isinstance(editor, QLineEdit):
        editor.selectAll()
        editor.insert(text)
    else:
        editor.selectAll()
        editor.insertPlainText(text)
    qtbot.keyClick(editor, key)
    qtbot.wait(1)  # Qt's delegate commits a line edit through a queued call
    return editor


def test_user_edits_splits_merges_and_undoes_everything(qtbot, window):
    window.open_path(str(seed_path("000")), wait=True)
    doc = window.controller.document
    before = doc.snapshot()
    assert window.table_pane.model.rowCount() == len(doc) > 10

    # Edit a text cell in place (the multi-line delegate; Enter commits).
    _edit_cell(qtbot, window, 2, Column.TEXT, "An edited line")
    assert doc.cues[2].text == "An edited line"

    # Split cue 3 at the text cursor in the edit panel.
    cue_id = doc.cues[2].id
    window.controller.select([cue_id], cue_id)
    cursor = window.edit_panel.text.textCursor()
    cursor.setPosition(len("An edited"))
    window.edit_panel.text.setTextCursor(cursor)
    count = len(doc)
    window.actions[ActionId.SPLIT].trigger()
    assert len(doc) == count + 1
    assert doc.cues[2].text.strip() == "An edited" and doc.cues[3].text.strip() == "line"
    assert window.table_pane.model.rowCount() == len(doc)

    # Merge it back with the next cue.
    window.controller.select([cue_id], cue_id)
    window.actions[ActionId.MERGE].trigger()
    assert len(doc) == count
    assert "An edited" in doc.cues[2].text and "line" in doc.cues[2].text

    # Undo everything, with the window's Undo action.
    undo = window.actions[ActionId.UNDO]
    steps = 0
    while undo.isEnabled():
        undo.trigger()
        steps += 1
    assert steps == 3
    assert doc.snapshot() == before
    assert window.table_pane.model.rowCount() == len(doc)
    assert not window.isWindowModified()


def test_failed_timecode_edit_changes_nothing(qtbot, window):
    window.open_path(str(seed_path("000")), wait=True)
    doc = window.controller.document
    before = doc.snapshot()
    editor = _edit_cell(qtbot, window, 1, Column.START, "12:99:99.x")
    # Enter on an invalid time keeps the editor open, red, with the reason.
    assert editor.isVisible()
    assert "not a time" in editor.toolTip()
    assert "f4b6b6" in editor.styleSheet()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert doc.snapshot() == before
    assert window.controller.undo_stack.count() == 0
    # A well-formed time that would end the cue before it starts is refused by the model.
    end = doc.cues[1].end_ms
    _edit_cell(qtbot, window, 1, Column.START, f"{(end + 5000) // 1000}.000")
    assert doc.snapshot() == before
    index = window.table_pane.view.model().index(1, Column.START)
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "before" in window.statusBar().currentMessage() or "after" in window.statusBar().currentMessage()


def test_a_refresh_while_typing_in_a_cell_keeps_what_was_typed(qtbot, window):
    # QC finishing on its worker refreshes every row (dataChanged over the whole table), and Qt
    # then sets an open editor's data again: what the user had typed was replaced by the cell's
    # value, and Enter committed that (test_failed_timecode_edit_changes_nothing failed so,
    # when the refresh came between typing and Enter).
    from editor.qt.cue_model import QcTracker

    window.open_path(str(seed_path("000")), wait=True)
    doc = window.controller.document
    view, model = window.table_pane.view, window.table_pane.model
    new_start = doc.cues[1].start_ms - 250
    new_time = f"0:0{new_start // 1000}.{new_start % 1000:03d}"
    for column, typed in ((Column.START, new_time), (Column.TEXT, "Typed")):
        index = view.model().index(1, column)
        view.setCurrentIndex(index)
        view.edit(index)
        editor = view.focusWidget()
        editor.selectAll()
        if isinstance(editor, QLineEdit):
            editor.insert(typed)
        else:
            editor.insertPlainText(typed)
        model.adopt_qc_index(QcTracker.build(doc, window.controller.styles))  # the rows refreshed
        shown = editor.text() if isinstance(editor, QLineEdit) else editor.toPlainText()
        assert shown == typed
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    assert doc.cues[1].start_ms == new_start and doc.cues[1].text == "Typed"
    # An editor nobody has typed in yet still follows its cell (an undo while it is open).
    index = view.model().index(1, Column.TEXT)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.focusWidget()
    window.controller.undo_stack.undo()
    assert editor.toPlainText() == doc.cues[1].text != "Typed"


def test_typing_in_edit_panel_is_one_undo_step_per_burst(qtbot, window, tmp_path):
    window.open_path(str(_srt(tmp_path)), wait=True)
    doc = window.controller.document
    editor = window.edit_panel.text
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, " and more")
    assert doc.cues[0].text == "Hello there. and more"
    assert window.controller.undo_stack.count() == 1
    assert window.edit_panel.text_stats.text().startswith("21 chars")
    # Undo from inside the editor undoes the document edit, not the widget's own history.
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert doc.cues[0].text == "Hello there."
    assert editor.toPlainText() == "Hello there."


def test_selection_is_shared_between_table_and_controller(qtbot, window, tmp_path):
    window.open_path(str(_srt(tmp_path)), wait=True)
    doc = window.controller.document
    second = doc.cues[1].id
    window.controller.select([second], second)
    assert window.table_pane.view.selected_cue_ids() == [second]
    assert window.edit_panel.text.toPlainText() == "Second line"
    window.table_pane.view.selectRow(0)
    assert window.controller.current_id == doc.cues[0].id
    window.actions[ActionId.NEXT_CUE].trigger()
    assert window.controller.current_id == second


def test_filter_by_text(qtbot, window, tmp_path):
    window.open_path(str(_srt(tmp_path)), wait=True)
    window.table_pane.filter_bar.text.setText("second")
    view = window.table_pane.view
    qtbot.waitUntil(lambda: view.model().rowCount() == 1)
    assert view.model().index(0, Column.TEXT).data() == "Second line"
    # Selecting the visible row selects its cue; clearing the filter shows every row again.
    view.selectRow(0)
    assert window.controller.current_id == window.controller.document.cues[1].id
    window.table_pane.filter_bar.text.clear()
    qtbot.waitUntil(lambda: view.model().rowCount() == 2)
    assert view.selected_cue_ids() == [window.controller.document.cues[1].id]


def test_save_keeps_format_encoding_bom_and_newlines(qtbot, window, tmp_path):
    path = _srt(tmp_path)
    window.open_path(str(path), wait=True)
    window.table_pane.model.setData(window.table_pane.model.index(0, Column.TEXT), "Changed")
    assert window.isWindowModified()
    assert window.save()
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"Changed\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert not window.isWindowModified()
    assert documents.load(path).cues[0].text == "Changed"


def test_export_suggests_language_names_and_writes(qtbot, window, tmp_path):
    from editor.qt.views.dialogs import ExportChoice, suggested_name

    window.open_path(str(_srt(tmp_path)), wait=True)
    doc = window.controller.document
    doc.source_language, doc.translation_language = "en", "zh"
    assert suggested_name(str(tmp_path / "talk.srt"), doc, "vtt", "translation").endswith("talk.zh.vtt")
    assert suggested_name(str(tmp_path / "talk.en.srt"), doc, "srt", "source").endswith("talk.en.srt")
    out = tmp_path / "talk.en.vtt"
    assert window.export(ExportChoice(str(out), "vtt", "source", "none", "utf-8", False, "\n"))
    assert out.read_text(encoding="utf-8").startswith("WEBVTT")


def test_close_with_unsaved_changes_asks(qtbot, window, tmp_path, monkeypatch):
    window.open_path(str(_srt(tmp_path)), wait=True)
    window.table_pane.model.setData(window.table_pane.model.index(0, Column.TEXT), "Changed")
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Cancel
    )
    assert not window.close()
    assert asked and window.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert window.close()


def test_drop_opens_file_and_remembers_media(qtbot, window, tmp_path):
    path = _srt(tmp_path)
    media = tmp_path / "talk.mp4"
    media.write_bytes(b"")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)), QUrl.fromLocalFile(str(media))])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.dropEvent(event)
    assert len(window.controller.document) == 2
    assert window.controller.document.metadata.media_path.endswith("talk.mp4")
    assert not window.isWindowModified()  # dropped together with the file: part of opening it


def test_bad_file_shows_words_not_a_traceback(qtbot, window, tmp_path):
    bad = tmp_path / "broken.srt"
    bad.write_text("1\nthis is not a timing line\nhello\n", encoding="utf-8")
    with qtbot.waitSignal(window.load_failed, timeout=5000) as blocker:
        window.open_path(str(bad))
    assert "broken.srt" in blocker.args[0]
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and "broken.srt" in boxes[0].text()


def test_column_widths_survive_filtering(qtbot, window, tmp_path):
    window.open_path(str(_srt(tmp_path)), wait=True)
    view = window.table_pane.view
    assert view.columnWidth(Column.TEXT) > 2 * view.columnWidth(Column.NUMBER)
    view.setColumnWidth(Column.TEXT, 333)
    window.table_pane.filter_bar.problems.setChecked(True)
    window.table_pane.filter_bar.problems.setChecked(False)
    assert view.columnWidth(Column.TEXT) == 333


def test_edit_panel_refuses_a_bad_time_and_accepts_a_good_one(qtbot, window, tmp_path):
    window.open_path(str(_srt(tmp_path)), wait=True)
    doc = window.controller.document
    before = doc.snapshot()
    panel = window.edit_panel
    panel.end.setText("0:00.500")  # before the cue's start (1 s)
    panel.end.editingFinished.emit()
    assert doc.snapshot() == before
    assert "f4b6b6" in panel.end.styleSheet() and "before" in panel.end.toolTip()
    panel.duration.setText("2.5")
    panel.duration.editingFinished.emit()
    assert (doc.cues[0].start_ms, doc.cues[0].end_ms) == (1000, 3500)
    panel.speaker.setCurrentText("Narrator")
    panel.speaker.lineEdit().editingFinished.emit()
    assert doc.speaker_name(doc.cues[0].speaker_id) == "Narrator"
    assert window.table_pane.model.index(0, Column.SPEAKER).data() == "Narrator"


def test_media_changed_follows_open_media_and_undo(qtbot, tmp_path):

    window = MainWindow(autosave_folder=str(tmp_path / "autosave"))
    qtbot.addWidget(window)
    seen: list[str] = []
    window.media_changed.connect(seen.append)
    media = tmp_path / "talk.wav"
    media.write_bytes(b"")
    window.set_media(str(media))
    assert seen == [str(media)]
    window.controller.undo_stack.undo()
    assert seen == [str(media), ""]
    window.controller.undo_stack.redo()
    assert seen[-1] == str(media)
    window.controller.undo_stack.setClean()  # nothing to ask when pytest-qt closes the window
