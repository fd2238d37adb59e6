"""The Glossary panel: agreed translations of source terms, kept in the project.

A dock lists the document's glossary (term, agreed translations, note) with Add, Edit,
Remove, Import and Export (CSV/TSV). Review → Add Selection to Glossary (Ctrl+Shift+G)
takes the text selected in a source editor (and, when there is one, in the translation
editor) as a new entry. Every change is one undo step (a `SetDocumentField` edit), and
the QC check `glossary` re-checks at once. The review panel shows the glossary entries
found in the current cue. A speaker renamed in the Speakers panel is offered as an entry,
so that names are translated the same way everywhere.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.core import edits, glossary
from editor.core.edits import ChangeSet
from editor.core.errors import EditorError
from editor.core.model import GlossaryEntry
from editor.qt.host import Feature, Host
from editor.qt.views.review_panel import ReviewMode


class EntryDialog(QDialog):
    """Asks for one entry: term, agreed translations ("|" between several), note."""

    def __init__(self, parent: QWidget, entry: GlossaryEntry | None = None, title: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("glossaryEntryDialog")
        self.setWindowTitle(title or self.tr("Glossary Entry"))
        self.term = QLineEdit(self)
        self.term.setObjectName("glossaryTerm")
        self.renderings = QLineEdit(self)
        self.renderings.setObjectName("glossaryRenderings")
        self.renderings.setPlaceholderText(self.tr("one or more, separated by |"))
        self.note = QLineEdit(self)
        if entry is not None:
            self.term.setText(entry.term)
            self.renderings.setText(" | ".join(entry.renderings))
            self.note.setText(entry.note)
        form = QFormLayout(self)
        form.addRow(self.tr("Source &term:"), self.term)
        form.addRow(self.tr("Agreed &translation:"), self.renderings)
        form.addRow(self.tr("&Note:"), self.note)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)
        self.ok = box.button(QDialogButtonBox.StandardButton.Ok)
        self.term.textChanged.connect(lambda t: self.ok.setEnabled(bool(t.strip())))
        self.ok.setEnabled(bool(self.term.text().strip()))

    def entry(self) -> GlossaryEntry:
        """Return the entry as typed."""
        return GlossaryEntry(
            " ".join(self.term.text().split()),
            glossary.split_renderings(self.renderings.text()),
            self.note.text().strip(),
        )


class GlossaryPanel(QWidget):
    """The list of entries with its buttons; edits go through the controller (undoable)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("glossaryPanel")
        self.window_ = window
        self.controller = window.controller
        self.offers: list[str] = []  # renamed speakers offered as entries
        self.offer_label = QLabel(self)
        self.offer_label.setTextFormat(Qt.TextFormat.PlainText)
        self.offer_label.setWordWrap(True)
        self.offer_add = QPushButton(self.tr("Add to Glossary"), self)
        self.offer_add.clicked.connect(self.accept_offer)
        self.offer_dismiss = QPushButton(self.tr("Dismiss"), self)
        self.offer_dismiss.clicked.connect(self.dismiss_offer)
        offer_row = QHBoxLayout()
        offer_row.addWidget(self.offer_label, 1)
        offer_row.addWidget(self.offer_add)
        offer_row.addWidget(self.offer_dismiss)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("glossaryTable")
        self.table.setHorizontalHeaderLabels([self.tr("Term"), self.tr("Translation"), self.tr("Note")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, label, slot in (
            ("add", self.tr("&Add…"), self.add),
            ("edit", self.tr("&Edit…"), self.edit_selected),
            ("remove", self.tr("&Remove"), self.remove_selected),
            ("import", self.tr("&Import…"), self.import_file),
            ("export", self.tr("E&xport…"), self.export_file),
        ):
            button = QPushButton(label, self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[key] = button
        layout = QVBoxLayout(self)
        layout.addLayout(offer_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.controller.changed.connect(self._on_changed)
        self.controller.document_replaced.connect(self.refresh)
        self.refresh()

    # -- showing ---------------------------------------------------------------------------
    def refresh(self) -> None:
        entries = self.controller.document.glossary
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            for col, text in enumerate((entry.term, " | ".join(entry.renderings), entry.note)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        has = bool(entries)
        self.buttons["edit"].setEnabled(has)
        self.buttons["remove"].setEnabled(has)
        self.buttons["export"].setEnabled(has)
        self._show_offer()

    def _on_changed(self, changes: ChangeSet) -> None:
        if "glossary" in changes.document:
            self.refresh()

    def _show_offer(self) -> None:
        visible = bool(self.offers)
        for widget in (self.offer_label, self.offer_add, self.offer_dismiss):
            widget.setVisible(visible)
        if visible:
            self.offer_label.setText(
                self.tr("Speaker renamed to “{name}”: keep its translation consistent?").format(
                    name=self.offers[0]
                )
            )

    # -- editing ---------------------------------------------------------------------------
    def set_entries(self, entries: tuple[GlossaryEntry, ...], label: str) -> None:
        """Replace the glossary (one undo step)."""
        if entries == self.controller.document.glossary:
            return
        try:
            self.controller.apply(edits.SetDocumentField("glossary", entries), label)
        except EditorError as exc:
            self.window_.show_message(str(exc))

    def add_entry(self, entry: GlossaryEntry) -> None:
        """Add `entry` (merged into an entry with the same term)."""
        self.set_entries(
            glossary.with_entry(self.controller.document.glossary, entry), self.tr("Add Glossary Entry")
        )

    def ask_entry(self, entry: GlossaryEntry | None, title: str) -> GlossaryEntry | None:
        dialog = EntryDialog(self, entry, title)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.entry()

    def add(self, prefill: GlossaryEntry | None = None) -> None:
        entry = self.ask_entry(
            prefill if isinstance(prefill, GlossaryEntry) else None, self.tr("Add to Glossary")
        )
        if entry is not None and entry.term:
            self.add_entry(entry)

    def selected_row(self) -> int | None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return rows[0] if rows else None

    def edit_selected(self) -> None:
        row = self.selected_row()
        entries = self.controller.document.glossary
        if row is None or row >= len(entries):
            return
        entry = self.ask_entry(entries[row], self.tr("Edit Glossary Entry"))
        if entry is None or not entry.term:
            return
        new = list(entries)
        new[row] = entry
        self.set_entries(tuple(new), self.tr("Edit Glossary Entry"))

    def remove_selected(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        entries = self.controller.document.glossary
        if not rows:
            return
        kept = tuple(e for i, e in enumerate(entries) if i not in rows)
        self.set_entries(kept, self.tr("Remove Glossary Entries"))

    def import_file(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Import Glossary"), "", self.tr("Glossaries (*.csv *.tsv *.txt);;All files (*)")
            )
        if not path:
            return
        try:
            entries = glossary.read_file(path)
        except (EditorError, OSError) as exc:
            self.window_.show_message(self.tr("Could not import the glossary: {e}").format(e=exc), 15000)
            return
        merged = self.controller.document.glossary
        for entry in entries:
            merged = glossary.with_entry(merged, entry)
        self.set_entries(merged, self.tr("Import Glossary"))
        self.window_.show_message(
            self.tr("{n} glossary entries imported from {f}.").format(
                n=len(entries), f=os.path.basename(path)
            )
        )

    def export_file(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export Glossary"), self.tr("glossary.csv"), self.tr("CSV (*.csv);;TSV (*.tsv)")
            )
        if not path:
            return
        from editor.core import textio

        delimiter = "\t" if path.lower().endswith((".tsv", ".txt")) else ","
        try:
            textio.atomic_write(path, glossary.write_csv(self.controller.document.glossary, delimiter))
        except OSError as exc:
            self.window_.show_message(self.tr("Could not export the glossary: {e}").format(e=exc), 15000)

    # -- offers from renamed speakers ------------------------------------------------------
    def offer(self, name: str) -> None:
        if name and name not in self.offers:
            self.offers.append(name)
        self._show_offer()

    def accept_offer(self) -> None:
        if not self.offers:
            return
        name = self.offers.pop(0)
        self._show_offer()
        self.add(GlossaryEntry(name))

    def dismiss_offer(self) -> None:
        if self.offers:
            self.offers.pop(0)
        self._show_offer()


class GlossaryFeature(QObject):
    """What `install` adds: the dock, its actions, the review panel's glossary line, speaker offers."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.controller = window.controller
        # The panel is made when the dock is first opened, or when `panel` is first asked for.
        self.dock = window.add_dock(
            "glossaryDock",
            self.tr("Glossary"),
            lambda: GlossaryPanel(window),
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        toggle = self.dock.toggleViewAction()
        toggle.setText(self.tr("&Glossary Panel"))
        toggle.setShortcut(QKeySequence("Ctrl+Alt+G"))
        toggle.setObjectName("action_glossary_panel")
        self.add_action = QAction(self.tr("Add Selection to &Glossary…"), window)
        self.add_action.setObjectName("action_add_to_glossary")
        self.add_action.setShortcut(QKeySequence("Ctrl+Shift+G"))
        self.add_action.setStatusTip(self.tr("Add the selected source text as a glossary term"))
        self.add_action.triggered.connect(self.add_selection)
        window.addAction(self.add_action)
        for name in ("Review", "View"):
            menu = window.menus.get(name)
            if menu is not None:
                if name == "Review":
                    menu.addAction(self.add_action)
                menu.addAction(toggle)
        self._names = self._speaker_names()
        self.controller.changed.connect(self._on_changed)
        self.controller.document_replaced.connect(self._on_replaced)
        self._build_review_line()

    @property
    def panel(self) -> GlossaryPanel:
        """The Glossary panel (made now if its dock was never opened)."""
        return self.window.dock_contents(self.dock)

    # -- adding the selection --------------------------------------------------------------
    def _selected(self, names: tuple[str, ...]) -> str:
        for name in names:
            editor = self.window.findChild(QPlainTextEdit, name)
            if editor is not None and editor.isVisible() and editor.textCursor().hasSelection():
                return " ".join(editor.textCursor().selectedText().replace("\u2029", " ").split())
        return ""

    def add_selection(self) -> None:
        """Ask for an entry whose term is the selected source text (and translation, if selected)."""
        term = self._selected(("reviewSource", "textEditor"))
        rendering = self._selected(("reviewTranslation", "translationEditor"))
        if not term:
            self.window.show_message(self.tr("Select a term in the source text first."))
            return
        self.dock.show()
        self.panel.add(GlossaryEntry(term, (rendering,) if rendering else ()))

    # -- renamed speakers ------------------------------------------------------------------
    def _speaker_names(self) -> dict[str, str]:
        return {s.id: s.name for s in self.controller.document.speakers.values()}

    def _on_replaced(self) -> None:
        self._names = self._speaker_names()

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.speakers:
            names = self._speaker_names()
            known = {e.term.casefold() for e in self.controller.document.glossary}
            for sp_id, name in names.items():
                old = self._names.get(sp_id)
                if old is not None and old != name and name.casefold() not in known:
                    self.panel.offer(name)
                    self.window.show_message(
                        self.tr("Speaker renamed to “{n}”: the Glossary panel offers it as an entry.").format(
                            n=name
                        )
                    )
            self._names = names
        self._update_review_line()

    # -- the review panel's line ---------------------------------------------------------
    def _build_review_line(self) -> None:
        mode = self.window.parts.get(ReviewMode)
        review = mode.panel if mode is not None else None
        self.review_label: QLabel | None = None
        if review is None:
            return
        label = QLabel(review)
        label.setObjectName("reviewGlossary")
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setAccessibleName(self.tr("Glossary entries of this cue"))
        layout = review.layout()
        index = layout.indexOf(review.problems)
        layout.insertWidget(index + 1 if index >= 0 else layout.count(), label)
        self.review_label = label
        self.review = review
        self.controller.selection_changed.connect(lambda *_a: self._update_review_line())
        self._update_review_line()

    def entries_for(self, cue_id: int | None) -> list[GlossaryEntry]:
        """Return the glossary entries whose term occurs in the cue's source."""
        doc = self.controller.document
        if cue_id is None or not doc.has_cue(cue_id) or not doc.glossary:
            return []
        return glossary.GlossaryMatcher(doc.glossary).entries_in(doc.cue(cue_id).text)

    def _update_review_line(self) -> None:
        label = self.review_label
        if label is None:
            return
        entries = self.entries_for(
            self.review.cue_id if self.review.cue_id is not None else self.controller.current_id
        )
        label.setVisible(bool(entries))
        if entries:
            parts = [
                f"{e.term} → {' | '.join(e.renderings) or e.term}" + (f" ({e.note})" if e.note else "")
                for e in entries
            ]
            label.setText(self.tr("Glossary: ") + "; ".join(parts))


def install(window: Host) -> None:
    """Add the Glossary panel and its actions to the window."""
    window.parts.add(GlossaryFeature(window))


# Hooks the review panel's editors too.
FEATURE = Feature("glossary", install, after=("review",))
