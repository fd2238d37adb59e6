"""The window says what the reader skipped, re-reads with another encoding, and exports the
new formats and maximum-compatibility WebVTT."""

from __future__ import annotations

from conftest import make_window

from editor.qt.views.dialogs import EXPORT_FORMATS, ExportDialog
from editor.qt.views.read_report import ReadReport


def test_status_bar_lists_skipped_blocks_and_rereads_with_an_encoding(qtbot, tmp_path, monkeypatch) -> None:
    path = tmp_path / "broken.srt"
    text = "1\n00:00:01,000 --> 00:00:02,000\nFejlődés\n\n2\n00:0x:03,000 --> 00:00:04,000\nB\n"
    path.write_bytes(text.encode("cp1250"))
    win = make_window(qtbot, tmp_path, monkeypatch)
    win.open_path(str(path), wait=True)
    report = win.parts[ReadReport]
    assert report.skipped_button.isVisible()
    assert "1 not read" in report.skipped_button.text()
    report.show_skipped()
    assert "broken.srt:6: block skipped: malformed timing line" in report.box.detailedText()
    report.box.close()
    # Re-read as ISO-8859-2 from the status bar's Encoding… button.
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("iso8859-2", True))
    report.reread()
    qtbot.waitUntil(lambda: win.controller.document.sources["source"].encoding == "iso8859-2", timeout=10000)
    assert win.controller.document.cues[0].text == "Fejlődés"


def test_export_dialog_offers_new_formats_and_maximum_compatibility(qtbot, tmp_path, monkeypatch) -> None:
    assert {"ass", "sbv"} <= set(EXPORT_FORMATS)
    path = tmp_path / "styled.srt"
    path.write_text('1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<font color="red">Top</font>\n')
    win = make_window(qtbot, tmp_path, monkeypatch)
    win.open_path(str(path), wait=True)
    dialog = ExportDialog(win.controller.document, str(path), {"format": "vtt"}, win)
    qtbot.addWidget(dialog)
    assert dialog.compatible.isEnabled()
    dialog.compatible.setChecked(True)
    dialog.path.setText(str(tmp_path / "out.vtt"))
    from editor.qt.views import lint_report

    monkeypatch.setattr(lint_report, "confirm", lambda *a, **k: True)
    assert win.export(dialog.choice())
    written = (tmp_path / "out.vtt").read_text()
    assert "STYLE" not in written and "line:0" not in written and "Top" in written
    dialog.compatible.setChecked(False)
    dialog.path.setText(str(tmp_path / "full.vtt"))
    assert win.export(dialog.choice())
    full = (tmp_path / "full.vtt").read_text()
    assert "STYLE" in full and "line:0" in full
    dialog.format.setCurrentIndex(dialog.format.findData("ass"))
    assert not dialog.compatible.isEnabled()
    dialog.path.setText(str(tmp_path / "out.ass"))
    assert win.export(dialog.choice())
    assert "Dialogue: 0,0:00:01.00,0:00:02.00" in (tmp_path / "out.ass").read_text()


def test_microdvd_frame_rate_is_chosen_from_the_status_bar(qtbot, tmp_path, monkeypatch) -> None:
    path = tmp_path / "film.sub"
    path.write_text("{24}{48}Hello\n{72}{96}World\n")
    win = make_window(qtbot, tmp_path, monkeypatch)
    win.open_path(str(path), wait=True)
    report = win.parts[ReadReport]
    assert report.fps_button.isVisible() and "23.976" in report.fps_button.text()
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("24", True))
    report.choose_fps()
    qtbot.waitUntil(lambda: win.controller.document.cues[0].start_ms == 1000, timeout=10000)
    assert win.controller.document.cues[1].end_ms == 4000
