"""View → Legend lists the table's tints with the colours the table uses."""

from __future__ import annotations

from conftest import make_window
from PySide6.QtWidgets import QApplication

from editor.qt import theme
from editor.qt.views.legend import LegendDialog


def test_view_legend_shows_every_tint_in_its_colour(qtbot, tmp_path, monkeypatch):
    win = make_window(qtbot, tmp_path, monkeypatch)
    qtbot.waitUntil(lambda: win._features_installed, timeout=5000)
    action = next(a for a in win.menus["View"].actions() if a.objectName() == "action_legend")
    action.trigger()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, LegendDialog) and w.isVisible()]
    assert len(dialogs) == 1
    legend = dialogs[0]
    for key in ("error", "warning", "info"):
        assert legend.swatches[key] == theme.tint(key)
    assert legend.swatches["estimated"] == theme.text_color("estimated")
    # The timeline's strips for where aligned cues' times came from.
    for key in ("speech", "pauses", "unaligned"):
        assert legend.swatches[key] == theme.time_source_color(key)
    legend.close()
