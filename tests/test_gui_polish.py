"""Window polish: first-run tips, toolbar, accessible names, dark palette, icon, About box."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from conftest import REPO
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QDockWidget, QMessageBox, QToolBar, QToolButton

from editor.qt import theme
from editor.qt.actions import SPECS, ActionId, shortcut_text
from editor.qt.cue_model import Column
from editor.qt.settings import Key, Settings
from editor.qt.views.first_run import FirstRunTips
from editor.qt.views.main_window import MainWindow
from editor.qt.views.review_panel import ReviewMode


def _window(qtbot, tmp_path, monkeypatch, settings: Settings | None = None) -> MainWindow:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    win = MainWindow(settings=settings, autosave_folder=str(tmp_path / "autosave"), autosave_delay_ms=60_000)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    return win


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    return _window(qtbot, tmp_path, monkeypatch)


def _srt(tmp_path):
    path = tmp_path / "talk.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,500\nHello there.\n", encoding="utf-8")
    return path


# --- the sample project ----------------------------------------------------------------------------


def test_sample_project_has_two_speakers_a_translation_and_deliberate_problems():
    from editor.core import formats, qc

    sample = REPO / "resources" / "sample.cueline"
    doc = formats.get("cueline").read(sample.read_text(encoding="utf-8"))
    assert len(doc.speakers) == 2 and {c.speaker_id for c in doc.cues} == set(doc.speakers)
    translated = [c for c in doc.cues if c.translation]
    assert doc.translation_language and 0 < len(translated) < len(doc.cues)
    checks = {p.check for p in qc.check(doc)}
    # The problems the project's notes promise: overlap, fast cue, missing translation, long line,
    # estimated timing, differing numbers, too short.
    assert {
        "overlap",
        "cps",
        "tr_missing",
        "line_length",
        "estimated",
        "tr_numbers",
        "duration_short",
    } <= checks
    assert "Cueline sample" in json.loads(sample.read_text(encoding="utf-8"))["metadata"]["title"]


# --- first-run tips --------------------------------------------------------------------------------


def test_tips_show_over_the_sample_until_dismissed(qtbot, tmp_path, monkeypatch):
    win = _window(qtbot, tmp_path, monkeypatch)
    # Built for the sample only: a window opening a file of its own never makes it.
    assert win.findChild(QDockWidget, "tipsDock") is None
    assert win.open_sample(wait=True)
    dock = win.findChild(QDockWidget, "tipsDock")
    assert dock is not None and dock.isVisible()
    text = win.parts[FirstRunTips].panel.tips.text()
    # The keys in the tips are the ones the actions really have.
    for action_id in (ActionId.NEXT_PROBLEM, ActionId.REVIEW_MODE, ActionId.EXPORT, ActionId.SHORTCUTS):
        keys = shortcut_text(next(s.keys() for s in SPECS if s.id == action_id))
        assert keys and keys in text
    # The tips take only the room they need: the table keeps most of the height.
    qtbot.waitUntil(lambda: dock.height() < win.table_pane.height())

    qtbot.mouseClick(win.parts[FirstRunTips].panel.dismiss_button, Qt.MouseButton.LeftButton)
    assert not dock.isVisible()
    assert win.settings.get(Key.FIRST_RUN_HINT_SHOWN) is True

    # Remembered: a new window (same settings) opening the sample keeps them hidden …
    again = _window(qtbot, tmp_path, monkeypatch, settings=Settings())
    assert again.open_sample(wait=True)
    again_dock = again.findChild(QDockWidget, "tipsDock")
    assert again_dock is None or not again_dock.isVisible()
    # … until Help → Show Tips.
    action = again.actions[ActionId.SHOW_TIPS]
    assert action.isEnabled() and action in again.menus["Help"].actions()
    action.trigger()
    again_dock = again.findChild(QDockWidget, "tipsDock")
    assert again_dock is not None and again_dock.isVisible()


def test_closing_the_tips_dock_also_dismisses_them(window, tmp_path):
    assert window.open_sample(wait=True)
    dock = window.findChild(QDockWidget, "tipsDock")
    assert dock.isVisible()
    dock.close()  # the title bar's close button
    assert window.settings.get(Key.FIRST_RUN_HINT_SHOWN) is True
    # Hiding them for a real file is not a dismissal.
    window.settings.set(Key.FIRST_RUN_HINT_SHOWN, False)
    window.parts[FirstRunTips].show()
    window.open_path(str(_srt(tmp_path)), wait=True)
    assert not dock.isVisible()
    assert window.settings.get(Key.FIRST_RUN_HINT_SHOWN) is False


def test_tips_are_not_shown_for_a_real_file(window, tmp_path):
    window.open_path(str(_srt(tmp_path)), wait=True)
    assert window.findChild(QDockWidget, "tipsDock") is None  # not even built


# --- toolbar ---------------------------------------------------------------------------------------


def test_toolbar_holds_the_main_actions_with_tooltips_from_the_specs(window):
    bar = window.findChild(QToolBar, "mainToolBar")
    assert bar is not None and bar.isVisible()
    on_bar = {a.objectName() for a in bar.actions() if not a.isSeparator()}
    wanted = {ActionId.OPEN, ActionId.SAVE, ActionId.UNDO, ActionId.REDO, ActionId.FIND}
    wanted |= {ActionId.REVIEW_MODE, ActionId.NEXT_PROBLEM}
    assert {f"action_{a}" for a in wanted} <= on_bar
    specs = {s.id: s for s in SPECS}
    for action in bar.actions():
        if action.isSeparator():
            continue
        spec = specs[ActionId(action.objectName().removeprefix("action_"))]
        keys = shortcut_text(spec.keys())
        assert action.toolTip() == (f"{spec.tip} ({keys})" if keys else spec.tip)
        button = bar.widgetForAction(action)
        assert isinstance(button, QToolButton)
        assert button.toolTip() == action.toolTip()
        assert button.accessibleName() and not button.icon().isNull()
    # The toolbar's buttons are the menu's actions: one click on Next Problem moves the selection.
    window.open_sample(wait=True)
    before = window.table_pane.view.currentIndex().row()
    bar.widgetForAction(window.actions[ActionId.NEXT_PROBLEM]).click()
    assert window.table_pane.view.currentIndex().row() != before
    toggle = bar.toggleViewAction()
    assert toggle in window.menus["View"].actions()


def test_a_hidden_toolbar_stays_hidden_next_time(qtbot, tmp_path, monkeypatch):
    first = _window(qtbot, tmp_path, monkeypatch)
    first.parts[QToolBar].hide()
    assert first.close()
    second = _window(qtbot, tmp_path, monkeypatch, settings=Settings())
    assert second.parts[QToolBar].isHidden()
    assert not second.parts[QToolBar].toggleViewAction().isChecked()


# --- accessible names ------------------------------------------------------------------------------


def test_main_widgets_have_accessible_names(window, qtbot):
    window.open_sample(wait=True)
    qtbot.waitUntil(lambda: window.timeline.objectName() == "timeline")
    named = [
        window.table_pane.view,
        window.timeline,
        window.edit_panel.text,
        window.edit_panel.translation,
        window.edit_panel.start,
        window.edit_panel.end,
        window.edit_panel.duration,
        window.edit_panel.speaker,
        window.status_cues,
        window.status_duration,
        window.status_qc,
        window.status_languages,
        window.status_encoding,
        window.status_modified,
    ]
    for widget in named:
        assert widget.accessibleName(), widget
    # Status fields show values ("14 cues"); their names say what the value is.
    assert window.status_cues.accessibleName() != window.status_cues.text()
    qtbot.wait(10)  # docks added by later installers are named on the next event loop turn
    for dock in window.findChildren(QDockWidget):
        assert dock.accessibleName() == dock.windowTitle().replace("&", ""), dock.objectName()


# --- dark palette ----------------------------------------------------------------------------------


def _dark_palette() -> QPalette:
    pal = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#e8e8e8"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.AlternateBase, "#262626"),
        (QPalette.ColorRole.Text, "#e8e8e8"),
        (QPalette.ColorRole.Button, "#353535"),
        (QPalette.ColorRole.ButtonText, "#e8e8e8"),
        (QPalette.ColorRole.Highlight, "#2f65ca"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
        (QPalette.ColorRole.ToolTipBase, "#353535"),
        (QPalette.ColorRole.ToolTipText, "#e8e8e8"),
    ):
        pal.setColor(role, QColor(colour))
    return pal


@pytest.fixture
def dark_app(qapp):
    before = QGuiApplication.palette()
    QApplication.setPalette(_dark_palette())
    yield qapp
    QApplication.setPalette(before)


def _cell_colours(model, row: int, col: int, pal: QPalette) -> tuple[QColor, QColor]:
    index = model.index(row, col)
    fore = index.data(Qt.ItemDataRole.ForegroundRole)
    back = index.data(Qt.ItemDataRole.BackgroundRole)
    fore = fore.color() if fore is not None else pal.color(QPalette.ColorRole.Text)
    back = back.color() if back is not None else pal.color(QPalette.ColorRole.Base)
    return fore, back


@pytest.mark.parametrize("dark", [False, True])
def test_every_table_cell_is_readable(request, qtbot, tmp_path, monkeypatch, dark):
    if dark:
        request.getfixturevalue("dark_app")
    win = _window(qtbot, tmp_path, monkeypatch)
    win.open_sample(wait=True)
    model = win.table_pane.model
    pal = QGuiApplication.palette()
    assert theme.is_dark(pal) is dark
    tinted = 0
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            fore, back = _cell_colours(model, row, col, pal)
            tinted += model.index(row, col).data(Qt.ItemDataRole.BackgroundRole) is not None
            ratio = theme.contrast_ratio(fore, back)
            assert ratio >= 4.5, (row, col, fore.name(), back.name(), ratio)
    assert tinted >= 5  # the sample's problems are tinted, so the check above covered tints


def test_dark_palette_renders_light_text_on_dark_tints(dark_app, qtbot, tmp_path, monkeypatch):
    """Render the table under a dark palette and read the pixels of a tinted cell."""
    win = _window(qtbot, tmp_path, monkeypatch)
    win.open_sample(wait=True)
    view = win.table_pane.view
    model = win.table_pane.model
    problem_row = next(
        r for r in range(model.rowCount()) if model.index(r, Column.CPS).data(Qt.ItemDataRole.BackgroundRole)
    )
    view.clearSelection()
    view.setCurrentIndex(model.index(0, Column.NUMBER))
    view.scrollTo(model.index(problem_row, Column.CPS))
    qtbot.wait(20)
    rect = view.visualRect(view.model().index(problem_row, Column.CPS))
    image = view.viewport().grab().toImage()
    pixels = Counter(
        image.pixel(x, y)
        for x in range(rect.left() + 2, rect.right() - 1)
        for y in range(rect.top() + 2, rect.bottom() - 1)
    )
    background = QColor.fromRgb(next(iter(pixels.most_common(1)))[0])
    assert background.lightness() < 110  # a dark tint, not the light palette's pale one
    text = max((QColor.fromRgb(p) for p in pixels), key=lambda c: theme.contrast_ratio(c, background))
    assert theme.contrast_ratio(text, background) >= 4.5
    # The window itself follows the palette: the table's plain cells are dark too.
    plain = view.visualRect(view.model().index(problem_row, Column.NUMBER))
    plain_pixels = Counter(
        image.pixel(x, y)
        for x in range(plain.left() + 2, plain.right() - 1)
        for y in range(plain.top() + 2, plain.bottom() - 1)
    )
    assert QColor.fromRgb(plain_pixels.most_common(1)[0][0]).lightness() < 80


def test_theme_colours_keep_contrast_in_both_palettes():
    light, dark = QPalette(), _dark_palette()
    light.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    light.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    light.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    light.setColor(QPalette.ColorRole.WindowText, QColor("#000000"))
    for pal in (light, dark):
        text = pal.color(QPalette.ColorRole.Text)
        for name in ("error", "warning", "info", "invalid"):
            assert theme.contrast_ratio(text, theme.tint(name, pal)) >= 7, name
        window = pal.color(QPalette.ColorRole.Window)
        for name in ("error", "warning", "estimated", "reviewed"):
            assert theme.contrast_ratio(theme.text_color(name, pal), window) >= 4.5, name
        assert theme.contrast_ratio(theme.muted_text(pal), window) >= 3


@pytest.mark.parametrize("dark", [False, True])
def test_review_panel_speaker_name_is_readable(request, qtbot, tmp_path, monkeypatch, dark):
    if dark:
        request.getfixturevalue("dark_app")
    win = _window(qtbot, tmp_path, monkeypatch)
    win.open_sample(wait=True)
    win.parts[ReviewMode].set_active(True)  # the panel fills its labels only when shown
    panel = win.parts[ReviewMode].panel
    window_colour = panel.palette().color(QPalette.ColorRole.Window)
    doc = win.controller.document
    for cue in doc.cues:
        panel.show_cue(cue.id)
        colour = QColor(panel.speaker.styleSheet().split("color:")[1].split(";")[0].strip())
        assert theme.contrast_ratio(colour, window_colour) >= 4.5, (cue.id, colour.name())
        # Still the speaker's colour, only lighter or darker.
        assert abs(colour.hue() - QColor(doc.speakers[cue.speaker_id].color).hue()) <= 3


def test_dark_palette_dialog_error_labels_are_readable(dark_app, qtbot):
    from editor.qt.views.dialogs import ShiftDialog

    dialog = ShiftDialog(10_000, has_selection=False)
    qtbot.addWidget(dialog)
    colour = QColor(dialog.error.styleSheet().split("color:")[1].split(";")[0].strip())
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    assert theme.contrast_ratio(colour, window) >= 4.5


# --- icon, desktop name, About ---------------------------------------------------------------------


def test_app_icon_and_desktop_file_name(qapp):
    from editor.qt import app

    app.configure_app(qapp)
    assert QGuiApplication.desktopFileName() == "io.github.cueline.Cueline"
    assert (REPO / "packaging" / f"{QGuiApplication.desktopFileName()}.desktop").is_file()
    icon = qapp.windowIcon()
    assert not icon.isNull()
    image = icon.pixmap(64, 64).toImage()
    assert image.width() == 64 and image.pixelColor(32, 32).alpha() == 255


def test_about_lists_qt_pyside_and_library_versions(window, qtbot):
    from importlib import metadata

    import PySide6
    from PySide6.QtCore import qVersion

    window.actions[ActionId.ABOUT].trigger()
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    text = box.text()
    assert f"Qt: {qVersion()}" in text and f"PySide6: {PySide6.__version__}" in text
    for dist in ("pysrt", "webvtt-py", "langdetect", "platformdirs", "numpy", "charset-normalizer"):
        assert f"{dist}: {metadata.version(dist)}" in text
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.close()


def test_high_dpi_screenshot_renders_at_device_pixels(tmp_path, qapp):
    """At a 2× scale factor the window is drawn with twice the device pixels (high-DPI screens)."""
    import os
    import subprocess
    import sys

    from PySide6.QtGui import QImage

    out = tmp_path / "hidpi.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"}
    result = subprocess.run(
        [sys.executable, "main.py", "--screenshot", str(out), "--size", "1800x1000"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (3600, 2000)
    # A real window, not an empty canvas: a row through the table holds many colours.
    row = {image.pixel(x, 1100) for x in range(0, 1800)}
    assert len(row) > 20
