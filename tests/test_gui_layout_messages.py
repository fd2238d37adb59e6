"""Layout restored whole (docks added by features, column widths) with View → Reset Layout; the
toolbar's Undo button keeps its width; the unsaved-changes prompt names the file."""

from __future__ import annotations

from conftest import make_window, seed_path
from PySide6.QtWidgets import QDockWidget, QMessageBox, QToolBar, QToolButton

from editor.qt.actions import ActionId
from editor.qt.cue_model import Column
from editor.qt.settings import Settings


def _shown(qtbot, tmp_path, monkeypatch):
    win = make_window(qtbot, tmp_path, monkeypatch)
    qtbot.waitUntil(lambda: win._features_installed, timeout=5000)
    return win


def test_feature_docks_and_column_widths_come_back_and_reset_layout(qtbot, tmp_path, monkeypatch):
    first = _shown(qtbot, tmp_path, monkeypatch)
    speakers = first.findChild(QDockWidget, "speakersDock")
    assert speakers is not None
    default_visible = speakers.isVisible()
    speakers.setVisible(not default_visible)
    view = first.table_pane.view
    width = view.columnWidth(Column.TEXT) + 77
    view.setColumnWidth(Column.TEXT, width)
    assert first.close()

    second = _shown(qtbot, tmp_path, monkeypatch)
    speakers2 = second.findChild(QDockWidget, "speakersDock")
    assert speakers2.isVisible() == (not default_visible)
    assert second.table_pane.view.columnWidth(Column.TEXT) == width
    reset = next(a for a in second.menus["View"].actions() if a.objectName() == "action_reset_layout")
    reset.trigger()
    assert speakers2.isVisible() == default_visible
    assert second.table_pane.view.columnWidth(Column.TEXT) != width
    Settings().sync()


def test_the_undo_button_keeps_its_width_whatever_it_undoes(qtbot, tmp_path, monkeypatch):
    win = _shown(qtbot, tmp_path, monkeypatch)
    win.open_sample(wait=True)
    undo = win.actions[ActionId.UNDO]
    button = win.parts[QToolBar].widgetForAction(undo)
    assert isinstance(button, QToolButton)
    before = button.sizeHint().width()
    model = win.table_pane.model
    model.setData(model.index(0, Column.TEXT), "a change with a long undo label")
    assert undo.text().replace("&", "") != "Undo"
    assert button.sizeHint().width() == before
    assert undo.text().replace("&", "") in button.toolTip()
    win.controller.undo_stack.setClean()


def test_the_unsaved_changes_prompt_names_the_file(qtbot, tmp_path, monkeypatch):
    win = _shown(qtbot, tmp_path, monkeypatch)
    win.open_path(str(seed_path("000")), wait=True)
    model = win.table_pane.model
    model.setData(model.index(0, Column.TEXT), "unsaved")
    asked = []

    def question(_parent, _title, text, *_a, **_k):
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    assert not win.confirm_discard()
    assert seed_path("000").name in asked[0]
    win.controller.undo_stack.setClean()
