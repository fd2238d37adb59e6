"""Review → Export Review Sheet…: every cue with its times, source, translation, review state and
note, as CSV (for a spreadsheet) or HTML (to print or send), chosen by the file's extension."""

from __future__ import annotations

import os

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from editor.core import textio
from editor.core.errors import EditorError
from editor.qt.host import Feature, Host
from editor.qt.settings import Key


def export_sheet(doc, path: str) -> None:
    """Write the review sheet of `doc` to `path` (.html/.htm: HTML, else CSV). Raises WriteError."""
    # (Imported on the first export: csv and html's entity table are ~2 ms of every launch.)
    from editor.core import review_sheet

    if os.path.splitext(path)[1].lower() in (".html", ".htm"):
        text = review_sheet.to_html(doc)
    else:
        text = review_sheet.to_csv(doc)
    textio.atomic_write(path, text)


SHEET_SUFFIX = ".review.csv"  # talk.srt → talk.review.csv


class ReviewSheetExport:
    def __init__(self, window) -> None:
        self.window = window
        self.action = QAction(window.tr("Export Review &Sheet…"), window)
        self.action.setObjectName("action_export_review_sheet")
        self.action.setStatusTip(
            window.tr("Every cue with its translation, review state and note (CSV or HTML)")
        )
        self.action.triggered.connect(self.export_dialog)
        menu = window.menus.get("Review")
        if menu is not None:
            menu.addSeparator()
            menu.addAction(self.action)

    def export_dialog(self) -> None:
        w = self.window
        info = w.controller.document.sources.get("source")
        folder = w.settings.get(Key.LAST_DIR) or os.path.expanduser("~")
        base = os.path.splitext(info.path)[0] if info and info.path else os.path.join(folder, "untitled")
        path, chosen = QFileDialog.getSaveFileName(
            w,
            w.tr("Export Review Sheet"),
            base + SHEET_SUFFIX,
            w.tr("CSV spreadsheet (*.csv);;HTML page (*.html)"),
        )
        if not path:
            return
        if not os.path.splitext(path)[1]:
            path += ".html" if "html" in chosen else ".csv"
        try:
            export_sheet(w.controller.document, path)
        except EditorError as exc:
            from editor.qt import errors

            errors.show_error(w, w.tr("Could not export the review sheet"), exc)
            return
        w.show_message(w.tr("Review sheet written to {path}.").format(path=path))


def install(window: Host) -> None:
    """Add Review → Export Review Sheet…"""
    window.parts.add(ReviewSheetExport(window))


FEATURE = Feature("review_sheet_export", install)
