"""The Document panel (View → Document Panel): what the file said about itself and how it was read.

Title, source address, media, file, languages, the page's other metadata (channel, date…),
the notes (the transcript page's description: who is on screen, "Host: …", exactly what is
needed to name speakers) and the import notices (blocks the reader skipped or joined). The
title and the notes are editable; each change is one undo step.
"""

from __future__ import annotations

import dataclasses
import os

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from editor.core import edits
from editor.core.formats import readlog
from editor.qt.host import Feature, Host


class DocumentPanel(QWidget):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.setObjectName("documentPanel")
        self._loading = False
        self.title = QLineEdit(self)
        self.title.setObjectName("documentTitle")
        self.title.setAccessibleName(self.tr("Title"))
        self.title.editingFinished.connect(self._commit_title)
        self.url = QLabel(self)
        self.media = QLabel(self)
        self.file = QLabel(self)
        self.languages = QLabel(self)
        for label in (self.url, self.media, self.file, self.languages):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
        self.metadata = QLabel(self)
        self.metadata.setObjectName("documentMetadata")
        self.metadata.setTextFormat(Qt.TextFormat.PlainText)
        self.metadata.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.metadata.setWordWrap(True)
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("documentNotes")
        self.notes.setAccessibleName(self.tr("Notes"))
        self.notes.setUndoRedoEnabled(False)  # undo is the document's
        self.notes.installEventFilter(self)
        self.notices = QPlainTextEdit(self)
        self.notices.setObjectName("documentNotices")
        self.notices.setAccessibleName(self.tr("Import notices"))
        self.notices.setReadOnly(True)
        self.notices.setMaximumHeight(90)
        form = QFormLayout()
        form.addRow(self.tr("&Title"), self.title)
        form.addRow(self.tr("Source"), self.url)
        form.addRow(self.tr("Media"), self.media)
        form.addRow(self.tr("File"), self.file)
        form.addRow(self.tr("Languages"), self.languages)
        form.addRow(self.tr("Metadata"), self.metadata)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        notes_label = QLabel(self.tr("&Notes"), self)
        notes_label.setBuddy(self.notes)
        layout.addWidget(notes_label)
        layout.addWidget(self.notes, 1)
        layout.addWidget(QLabel(self.tr("Import notices"), self))
        layout.addWidget(self.notices)
        c = window.controller
        c.document_replaced.connect(self.refresh)
        c.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, changes) -> None:
        if changes.document:
            self.refresh()

    def refresh(self) -> None:
        doc = self.window.controller.document
        meta = doc.metadata
        self._loading = True
        try:
            if not self.title.hasFocus():
                self.title.setText(meta.title)
            self.url.setText(meta.url or "–")
            self.media.setText(meta.media_path or "–")
            info = doc.sources.get("source")
            self.file.setText(info.path if info is not None and info.path else "–")
            langs = " → ".join(x for x in (doc.source_language, doc.translation_language) if x)
            self.languages.setText(langs or "–")
            shown = {k: v for k, v in meta.extra.items() if k != readlog.KEY and not k.startswith("_")}
            self.metadata.setText("\n".join(f"{k}: {v}" for k, v in shown.items()) or "–")
            if self.notes.toPlainText() != doc.notes and not self.notes.hasFocus():
                self.notes.setPlainText(doc.notes)
            name = os.path.basename(info.path) if info is not None and info.path else ""
            lines = [entry.describe(name) for entry in readlog.skipped(doc)]
            self.notices.setPlainText("\n".join(lines) or self.tr("Nothing was skipped."))
        finally:
            self._loading = False

    def _commit_title(self) -> None:
        doc = self.window.controller.document
        title = self.title.text().strip()
        if self._loading or title == doc.metadata.title:
            return
        meta = dataclasses.replace(doc.metadata, extra=dict(doc.metadata.extra), title=title)
        self.window.controller.apply(edits.SetDocumentField("metadata", meta), self.tr("Set title"))

    def commit_notes(self) -> None:
        """Store the notes box in the document (one undo step); nothing when unchanged."""
        doc = self.window.controller.document
        text = self.notes.toPlainText()
        if self._loading or text == doc.notes:
            return
        self.window.controller.apply(edits.SetDocumentField("notes", text), self.tr("Edit notes"))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.notes and event.type() == QEvent.Type.FocusOut:
            self.commit_notes()
        return False


def install(window: Host) -> None:
    """Add the Document dock (right side, hidden until asked for) and View → Document Panel."""
    # The panel is made when the dock is first opened (or the part first asked for).
    area = Qt.DockWidgetArea.RightDockWidgetArea
    dock = window.add_dock("documentDock", window.tr("Document"), lambda: DocumentPanel(window), area)
    toggle = dock.toggleViewAction()
    toggle.setText(window.tr("&Document Panel"))
    toggle.setObjectName("action_document_panel")
    view = window.menus.get("View")
    if view is not None:
        view.addAction(toggle)
    window.parts.add_on_demand(DocumentPanel, lambda: window.dock_contents(dock))


FEATURE = Feature("document_panel", install)
