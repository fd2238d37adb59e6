"""The Speakers panel: every speaker with its colour and cue count, and what can be done to them.

Rename (in place with F2, or the Rename button), merge the selected speakers, add one,
assign the selected cues to a speaker (button or double-click), clear the speaker of the
selected cues, show only one speaker's cues (table filter and dimmed timeline), and the
core's merge suggestions (labels that surely name one person), each applied on a click.

Every change goes through the main window's `_run`, so each is one undo step built by a
core operation and failures become a status-bar message; the panel itself holds no state
about the document beyond what it shows, and redraws from the controller's ChangeSets.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.core import speakers
from editor.core.edits import ChangeSet
from editor.qt import prepared
from editor.qt.actions import ActionId
from editor.qt.host import Feature, Host

SPEAKER_ID_ROLE = Qt.ItemDataRole.UserRole
NAME_COLUMN, COUNT_COLUMN = 0, 1
SWATCH_PX = 12


def _cue_counts(doc) -> dict[str, int]:
    # Without speakers there is nothing to show a count beside: no scan of the cues.
    return speakers.cue_counts(doc) if doc.speakers else {}


# Opening a file counts on the loader thread: showing it only takes the counts.
_CUE_COUNTS = prepared.register(_cue_counts)


def _plain_tip(text: str) -> str:
    """Return a tooltip that shows `text` literally (Qt renders tooltips that look like HTML)."""
    import html  # (here: its entity table takes ~1.5 ms to import, and few launches need it)

    return "<qt>" + html.escape(text) + "</qt>"


def _swatch(color: str) -> QIcon:
    pixmap = QPixmap(SWATCH_PX, SWATCH_PX)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class SuggestionRow(QWidget):
    """One merge suggestion: the spellings, why they are one person, which spelling survives
    (a chooser, the most used first chosen) and a Merge button."""

    def __init__(
        self,
        text: str,
        reason: str,
        choices: list[tuple[str, str]],
        keep: str,
        parent: QWidget | None = None,
    ) -> None:
        """`choices`: (speaker id, what the chooser shows) per spelling; `keep`: the id chosen."""
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(text, self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # speaker names are never markup
        self.label.setWordWrap(True)
        self.label.setToolTip(_plain_tip(reason))
        self.keep = QComboBox(self)
        self.keep.setAccessibleName(self.tr("Spelling to keep"))
        self.keep.setToolTip(self.tr("The spelling the merged speaker keeps"))
        for speaker_id, shown in choices:
            self.keep.addItem(shown, speaker_id)
        self.keep.setCurrentIndex(max(0, self.keep.findData(keep)))
        self.suggested = keep
        self.suggestion: speakers.MergeSuggestion | None = None  # what Merge applies (set by the panel)
        self.button = QPushButton(self.tr("Merge"), self)
        self.button.setToolTip(_plain_tip(reason))
        layout.addWidget(self.label, 1)
        layout.addWidget(self.keep)
        layout.addWidget(self.button)

    def spelling_ids(self) -> list[str]:
        """Return the ids of the spellings offered."""
        return [self.keep.itemData(k) for k in range(self.keep.count())]

    def kept_id(self) -> str:
        """Return the id of the spelling chosen to survive the merge."""
        return self.keep.currentData()


class SpeakersPanel(QWidget):
    """The panel's widget. `message(str)` carries one-line feedback for the status bar."""

    message = Signal(str)

    def __init__(self, window, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.controller = window.controller
        self.setObjectName("speakersPanel")
        self._refreshing = False
        self._following_filter = False
        self.dock: QDockWidget | None = None  # set by install: the dock that holds the panel
        self.from_labels_action: QAction | None = None  # Speakers → Speakers from "Name:" Labels…
        # What the list shows: the counts (kept up to date by difference) and the suggestions.
        self._counts: dict[str, int] | None = None
        self._shown_suggestions: list | None = None
        self._shown_table: list[tuple[str, str, str]] = []  # (id, name, colour) per row of the list

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("speakerList")
        self.tree.setAccessibleName(self.tr("Speakers"))
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Speaker"), self.tr("Cues")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Double-click assigns (the common act); renaming is F2 or the Rename button.
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COUNT_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        self.unassigned = QLabel(self)

        self.add_button = QPushButton(self.tr("Add…"), self)
        self.add_button.setToolTip(self.tr("Add a new speaker"))
        self.rename_button = QPushButton(self.tr("Rename"), self)
        self.rename_button.setToolTip(self.tr("Rename the speaker everywhere (F2)"))
        self.merge_button = QPushButton(self.tr("Merge…"), self)
        self.merge_button.setToolTip(self.tr("Merge the selected speakers into one"))
        self.assign_button = QPushButton(self.tr("Assign to Cues"), self)
        self.assign_button.setToolTip(self.tr("Give the selected cues this speaker (or double-click it)"))
        self.clear_button = QPushButton(self.tr("Clear from Cues"), self)
        self.clear_button.setToolTip(self.tr("Remove the speaker from the selected cues (Alt+0)"))
        self.filter_button = QPushButton(self.tr("Show Only"), self)
        self.filter_button.setCheckable(True)
        self.filter_button.setToolTip(self.tr("Filter the table and dim the timeline to this speaker"))
        buttons = QGridLayout()
        for i, button in enumerate(
            (
                self.assign_button,
                self.clear_button,
                self.filter_button,
                self.add_button,
                self.rename_button,
                self.merge_button,
            )
        ):
            buttons.addWidget(button, i // 3, i % 3)  # two rows: the list keeps the height

        self.suggestions_title = QLabel(self.tr("Merge suggestions"), self)
        font = self.suggestions_title.font()
        font.setBold(True)
        self.suggestions_title.setFont(font)
        self.suggestions_box = QWidget(self)
        self.suggestions_layout = QVBoxLayout(self.suggestions_box)
        self.suggestions_layout.setContentsMargins(0, 0, 0, 0)
        self.suggestion_rows: list[SuggestionRow] = []

        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.unassigned)
        layout.addLayout(buttons)
        layout.addWidget(self.suggestions_title)
        layout.addWidget(self.suggestions_box)

        self.add_button.clicked.connect(self.add_dialog)
        self.rename_button.clicked.connect(self.start_rename)
        self.merge_button.clicked.connect(self.merge_dialog)
        self.assign_button.clicked.connect(self.assign_selected_cues)
        self.clear_button.clicked.connect(self.clear_selected_cues)
        self.filter_button.toggled.connect(self._on_filter_toggled)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self.assign(item.data(0, SPEAKER_ID_ROLE)))
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.itemSelectionChanged.connect(self._on_tree_selection)
        # Counts change with many small edits: redraw once per burst.
        self._counts_timer = QTimer(self, singleShot=True, interval=0)
        # The suggestions follow too: which speaker a merge keeps depends on the counts.
        self._counts_timer.timeout.connect(lambda: self._refresh_suggestions(self.refresh_counts()))
        self.controller.changed.connect(self._on_changed)
        self.controller.document_replaced.connect(self._on_replaced)
        self.controller.selection_changed.connect(self._update_buttons)
        window.table_pane.speaker_filter_changed.connect(self._on_table_filter)
        self.refresh()

    # -- reading ------------------------------------------------------------------------
    def speaker_ids(self) -> list[str]:
        """Return the listed speaker ids, top to bottom."""
        return [
            self.tree.topLevelItem(i).data(0, SPEAKER_ID_ROLE) for i in range(self.tree.topLevelItemCount())
        ]

    def item_for(self, speaker_id: str) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, SPEAKER_ID_ROLE) == speaker_id:
                return item
        return None

    def rows(self) -> list[tuple[str, int]]:
        """Return (name, cue count) as shown, top to bottom."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            out.append((item.text(NAME_COLUMN), int(item.text(COUNT_COLUMN))))
        return out

    def selected_speaker_ids(self) -> list[str]:
        """Return the selected speakers' ids in list order."""
        chosen = {id(item) for item in self.tree.selectedItems()}
        return [
            self.tree.topLevelItem(i).data(0, SPEAKER_ID_ROLE)
            for i in range(self.tree.topLevelItemCount())
            if id(self.tree.topLevelItem(i)) in chosen
        ]

    def current_speaker_id(self) -> str | None:
        item = self.tree.currentItem()
        if item is not None and item.isSelected():
            return item.data(0, SPEAKER_ID_ROLE)
        ids = self.selected_speaker_ids()
        return ids[0] if ids else None

    def select_speakers(self, ids: list[str], current: str | None = None) -> None:
        """Select these speakers in the list (the first, or `current`, becomes current)."""
        self.tree.clearSelection()
        for sp_id in ids:
            item = self.item_for(sp_id)
            if item is not None:
                item.setSelected(True)
        target = self.item_for(current or (ids[0] if ids else ""))
        if target is not None:
            self.tree.setCurrentItem(target, NAME_COLUMN, self.tree.selectionModel().SelectionFlag.NoUpdate)

    # -- redrawing ----------------------------------------------------------------------
    def _on_changed(self, changes: ChangeSet) -> None:
        counts = self._counts_after(changes)
        if changes.speakers:
            self.refresh(counts)
        elif changes.structure or "speaker_id" in changes.fields:
            if counts is None:
                self._counts_timer.start()
            else:
                self._refresh_suggestions(self.refresh_counts(counts))

    def _counts_after(self, changes: ChangeSet) -> dict[str, int] | None:
        """Return the counts after `changes` from the shown ones and the speakers the edit replaced
        (what `speakers.cue_counts` would find, without a scan of every cue), or None: count again."""
        before = changes.previous.get("speaker_id")
        if self._counts is None or changes.structure or ("speaker_id" in changes.fields and before is None):
            return None
        doc = self.controller.document
        counts = dict(self._counts)
        for cue_id, old in (before or {}).items():
            new = doc.cue(cue_id).speaker_id
            if old is not None:
                counts[old] = counts.get(old, 0) - 1
            if new is not None:
                counts[new] = counts.get(new, 0) + 1
        table = doc.speakers
        out = dict.fromkeys(table, 0)
        out.update((k, v) for k, v in counts.items() if v > 0 or k in table)
        return out

    def _on_replaced(self) -> None:
        doc = self.controller.document
        self.refresh(_CUE_COUNTS.take_or_scan(doc))  # counted on the loader when a file is opened

    def refresh(self, counts: dict[str, int] | None = None, full: bool = False) -> None:
        """Rebuild the list and the suggestions from the document, keeping the selection
        (`counts`: the speakers' cue counts, when the caller has them). Rows of speakers that
        did not change are kept unless `full` (the list may show what the table does not)."""
        doc = self.controller.document
        selected, current = self.selected_speaker_ids(), self.current_speaker_id()
        table = [(sp.id, sp.name, sp.color) for sp in doc.speakers.values()]
        shown = self._shown_table
        self._refreshing = True
        try:
            if full:
                shown = []
                self.tree.clear()
            if table[: len(shown)] == shown:
                # Speakers added at the end (a new name typed): only their rows are new.
                for sp_id, name, color in table[len(shown) :]:
                    self.tree.addTopLevelItem(self._item(sp_id, name, color))
            elif shown[: len(table)] == table:
                # The last ones removed (the undo of a new speaker): drop their rows.
                for _ in range(len(shown) - len(table)):
                    self.tree.takeTopLevelItem(len(table))
            else:
                self.tree.clear()
                for sp_id, name, color in table:
                    self.tree.addTopLevelItem(self._item(sp_id, name, color))
            self._shown_table = table
            self.select_speakers([i for i in selected if i in doc.speakers], current)
        finally:
            self._refreshing = False
        self._refresh_suggestions(self.refresh_counts(counts))
        self._update_buttons()
        self._on_table_filter(self.window.table_pane.speaker_filter())

    def _item(self, speaker_id: str, name: str, color: str) -> QTreeWidgetItem:
        """Return the list's row for one speaker (its count is filled in by refresh_counts)."""
        item = QTreeWidgetItem([name, "0"])
        item.setData(0, SPEAKER_ID_ROLE, speaker_id)
        item.setIcon(NAME_COLUMN, _swatch(color))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        item.setTextAlignment(COUNT_COLUMN, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setToolTip(NAME_COLUMN, _plain_tip(name))
        return item

    def refresh_counts(self, counts: dict[str, int] | None = None) -> dict[str, int]:
        """Show every speaker's number of cues and how many cues have none; returns the counts."""
        doc = self.controller.document
        if counts is None:
            counts = _cue_counts(doc)
        self._refreshing = True
        try:
            for i in range(self.tree.topLevelItemCount()):
                item = self.tree.topLevelItem(i)
                item.setText(COUNT_COLUMN, str(counts.get(item.data(0, SPEAKER_ID_ROLE), 0)))
        finally:
            self._refreshing = False
        without = len(doc) - sum(counts.values())
        self.unassigned.setText(self.tr("{n} cues without a speaker").format(n=without))
        self.unassigned.setVisible(without > 0 and bool(doc.speakers))
        self._counts = counts
        return counts

    def _refresh_suggestions(self, counts: dict[str, int] | None = None) -> None:
        doc = self.controller.document
        suggestions = speakers.merge_suggestions(doc, counts)
        names = [[doc.speakers[i].name for i in s.ids] for s in suggestions]
        counts = counts if counts is not None else self._counts or {}
        shown = self._shown_suggestions
        if (
            shown is not None
            and names == shown[1]
            and [s.ids for s in suggestions] == [s.ids for s in shown[0]]
        ):
            # One cue changed speaker: the same rows (no widgets rebuilt: that relaid the window
            # out), their counts updated, and the spelling kept when the most used one changed
            # (unless the user chose one).
            self._shown_suggestions = [suggestions, names]
            for row, suggestion in zip(self.suggestion_rows, suggestions, strict=True):
                row.suggestion = suggestion
                if suggestion.into != row.suggested:
                    if row.kept_id() == row.suggested:
                        row.keep.setCurrentIndex(max(0, row.keep.findData(suggestion.into)))
                    row.suggested = suggestion.into
                    row.label.setToolTip(_plain_tip(self._suggestion_tip(suggestion)))
                    row.button.setToolTip(_plain_tip(self._suggestion_tip(suggestion)))
                for k in range(row.keep.count()):
                    row.keep.setItemText(k, self._spelling(row.keep.itemData(k), counts))
            return
        self._shown_suggestions = [suggestions, names]
        # A spelling the user picked stays picked when the rows are rebuilt; else the most used.
        picked = {
            frozenset(row.spelling_ids()): row.kept_id()
            for row in self.suggestion_rows
            if row.kept_id() != row.suggested
        }
        for row in self.suggestion_rows:
            self.suggestions_layout.removeWidget(row)
            row.deleteLater()
        self.suggestion_rows = []
        for suggestion in suggestions:
            text = " ↔ ".join(doc.speakers[i].name for i in suggestion.ids)
            choices = [(i, self._spelling(i, counts)) for i in suggestion.ids]
            chosen = picked.get(frozenset(suggestion.ids), suggestion.into)
            row = SuggestionRow(text, self._suggestion_tip(suggestion), choices, chosen, self.suggestions_box)
            row.suggestion = suggestion
            row.button.clicked.connect(
                lambda _c=False, r=row: self.apply_suggestion(r.suggestion, r.kept_id())
            )
            self.suggestions_layout.addWidget(row)
            self.suggestion_rows.append(row)
        self.suggestions_title.setVisible(bool(self.suggestion_rows))
        self.suggestions_box.setVisible(bool(self.suggestion_rows))

    def _suggestion_tip(self, suggestion: speakers.MergeSuggestion) -> str:
        keep = self.controller.document.speakers[suggestion.into].name
        return self.tr("{reason}. Merging keeps “{name}” (the most used) unless you choose another.").format(
            reason=suggestion.reason, name=keep
        )

    def _spelling(self, speaker_id: str, counts: dict[str, int]) -> str:
        """Return how the spelling chooser shows a speaker: “name” and its number of cues."""
        name = self.controller.document.speakers[speaker_id].name
        return f"“{name}” ({counts.get(speaker_id, 0)})"

    def suggestion_texts(self) -> list[str]:
        """Return the suggestions as shown ("团队成员 M ↔ 团队成员M")."""
        return [row.label.text() for row in self.suggestion_rows]

    def _update_buttons(self, *_args) -> None:
        chosen = self.selected_speaker_ids()
        has_cues = bool(self.controller.selected_ids)
        self.rename_button.setEnabled(len(chosen) == 1)
        self.merge_button.setEnabled(len(chosen) >= 2)
        self.assign_button.setEnabled(len(chosen) == 1 and has_cues)
        self.clear_button.setEnabled(has_cues)
        self.filter_button.setEnabled(len(chosen) == 1 or self.filter_button.isChecked())

    def _on_tree_selection(self) -> None:
        self._update_buttons()
        if self.filter_button.isChecked() and not self._refreshing:
            current = self.current_speaker_id()
            if current is not None:  # the filter follows the speaker picked in the list
                self.set_filter(current)

    # -- editing ------------------------------------------------------------------------
    def _read_only(self) -> bool:
        """Return True (after saying so) while the window shows a preview of a file still loading.

        An edit then would be lost when the whole file replaces the preview.
        """
        if self.window.previewing:
            self.message.emit(self.tr("Still opening the file; speakers can be edited in a moment."))
            return True
        return False

    def _run(self, label: str, build):
        if self._read_only():
            return None
        return self.window.run_edit(label, build)

    def add_dialog(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Add Speaker"), self.tr("Name:"))
        if ok and name.strip():
            self.add(name)

    def add(self, name: str) -> str | None:
        """Add a speaker (one undo step); returns its id, or None when refused (message shown)."""
        from editor.core import operations  # with its dependencies: not loaded at start

        doc = self.controller.document
        new_id = self._run(self.tr("Add speaker"), lambda: operations.add_speaker(doc, name.strip()))
        if isinstance(new_id, str):
            self.select_speakers([new_id])
            return new_id
        return None

    def start_rename(self) -> None:
        item = self.item_for(self.current_speaker_id() or "")
        if item is not None:
            self.tree.editItem(item, NAME_COLUMN)

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._refreshing or column != NAME_COLUMN:
            return
        sp_id = item.data(0, SPEAKER_ID_ROLE)
        if not self.rename(sp_id, item.text(NAME_COLUMN)):
            self.refresh(full=True)  # refused: show the name the document still has

    def rename(self, speaker_id: str, new_name: str) -> bool:
        """Rename a speaker everywhere (one undo step); returns True when renamed."""
        from editor.core import operations  # with its dependencies: not loaded at start

        doc = self.controller.document
        speaker = doc.speakers.get(speaker_id)
        if speaker is None or new_name.strip() == speaker.name:
            return False
        return bool(
            self._run(
                self.tr("Rename speaker"),
                lambda: operations.rename_speaker(doc, speaker_id, new_name.strip()),
            )
        )

    def merge_dialog(self) -> None:
        ids = self.selected_speaker_ids()
        if len(ids) < 2:
            self.message.emit(self.tr("Select two or more speakers to merge."))
            return
        doc = self.controller.document
        counts = speakers.cue_counts(doc)
        names = [doc.speakers[i].name for i in ids]
        start = max(range(len(ids)), key=lambda k: (counts.get(ids[k], 0), -k))
        name, ok = QInputDialog.getItem(
            self, self.tr("Merge Speakers"), self.tr("Merge into the speaker:"), names, start, False
        )
        if ok:
            self.merge(ids, ids[names.index(name)])

    def merge(self, ids: list[str], into: str) -> bool:
        """Give every cue of `ids` to `into` and remove the others (one undo step)."""
        from editor.core import operations  # with its dependencies: not loaded at start

        doc = self.controller.document
        done = self._run(self.tr("Merge speakers"), lambda: operations.merge_speakers(doc, ids, into))
        if done:
            self.select_speakers([into])
        return bool(done)

    def apply_suggestion(self, suggestion: speakers.MergeSuggestion, into: str | None = None) -> bool:
        """Apply one merge suggestion as one undo step, keeping the spelling of `into` (by
        default the suggestion's, the most used); False when the document moved on."""
        doc = self.controller.document
        into = into if into in suggestion.ids else suggestion.into
        if any(i not in doc.speakers for i in suggestion.ids):
            self.refresh()
            return False
        names = " ↔ ".join(doc.speakers[i].name for i in suggestion.ids)
        kept = doc.speakers[into].name
        done = self.merge(suggestion.ids, into)
        if done:
            self.message.emit(self.tr("Merged {names} into “{kept}”.").format(names=names, kept=kept))
        return done

    def speakers_from_prefixes(self, *, ask: bool = True) -> int:
        """Turn `Name: text` prefixes of cues without a speaker into speakers (one undo step).

        Shows what was found and asks first (names in text are a guess); returns the
        number of cues changed.
        """
        doc = self.controller.document
        found = speakers.prefix_speakers_edit(doc)
        if not found.cues:
            self.message.emit(self.tr("No cue starts with a “Name:” label."))
            return 0
        if ask:
            names = ", ".join(found.new_names[:8]) + (" …" if len(found.new_names) > 8 else "")
            question = self.tr("{n} cues start with a speaker name. Move the names into speakers?").format(
                n=found.cues
            )
            if found.new_names:
                question += "\n\n" + self.tr("New speakers: {names}").format(names=names)
            box = QMessageBox(QMessageBox.Icon.Question, self.tr("Speakers from Names"), question)
            box.setTextFormat(Qt.TextFormat.PlainText)  # the names come from cue text
            box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
            box.setParent(self, box.windowFlags())
            if box.exec() != QMessageBox.StandardButton.Yes:
                return 0
        if not self._run(self.tr("Speakers from names"), lambda: found.edit):
            return 0
        return found.cues

    def assign(self, speaker_id: str | None) -> None:
        """Give the selected cues this speaker (None clears it), as the Speakers menu does."""
        if self._read_only():
            return
        if not self.controller.selected_ids:
            self.message.emit(self.tr("Select the cues to assign first."))
            return
        self.window.assign_speaker(speaker_id)

    def assign_selected_cues(self) -> None:
        sp_id = self.current_speaker_id()
        if sp_id is not None:
            self.assign(sp_id)

    def clear_selected_cues(self) -> None:
        self.assign(None)

    # -- filtering ----------------------------------------------------------------------
    def set_filter(self, speaker_id: str | None) -> None:
        """Show only `speaker_id`'s cues in the table and dim the others on the timeline."""
        self.window.table_pane.set_speaker_filter(speaker_id)
        self._on_table_filter(self.window.table_pane.speaker_filter())

    def _on_filter_toggled(self, on: bool) -> None:
        if self._following_filter:
            return
        self.set_filter(self.current_speaker_id() if on else None)

    def _on_table_filter(self, speaker_id: str | None) -> None:
        """The table's filter is the one truth: the timeline and the button follow it."""
        # Building the timeline only to tell it "no filter" would undo its lazy start.
        timeline = self.window.ensure_timeline() if speaker_id is not None else self.window.timeline_built()
        if timeline is not None:
            timeline.set_filter_speaker(speaker_id)
        self._following_filter = True
        try:
            self.filter_button.setChecked(speaker_id is not None)
        finally:
            self._following_filter = False
        self._update_buttons()


def _toggle_for(action: QAction, dock: QDockWidget) -> None:
    """Make a checkable action show and hide `dock` and follow it when closed by its title bar."""
    action.setCheckable(True)
    action.setChecked(not dock.isHidden())
    action.setEnabled(True)
    action.toggled.connect(dock.setVisible)
    dock.toggleViewAction().toggled.connect(action.setChecked)


def install(window: Host) -> None:
    """Add the Speakers dock, its toggles (Speakers and View menus) and the lanes-per-speaker view."""
    panel = SpeakersPanel(window)
    panel.message.connect(window.show_message)
    area = Qt.DockWidgetArea.RightDockWidgetArea
    dock = window.add_dock("speakersDock", window.tr("Speakers"), panel, area)
    window.restoreDockWidget(dock)  # the window state was restored before this dock existed
    window.parts.add(panel)
    panel.dock = dock
    actions = window.actions
    toggle = actions[ActionId.SPEAKERS_PANEL]
    _toggle_for(toggle, dock)
    window.menus["View"].addAction(toggle)

    lanes = actions[ActionId.LANES_BY_SPEAKER]
    lanes.setCheckable(True)
    lanes.setEnabled(True)

    def set_lanes(on: bool) -> None:
        window.ensure_timeline().set_lanes_by_speaker(on)

    lanes.toggled.connect(set_lanes)
    window.menus["Speakers"].addAction(lanes)
    menu = window.menus["Speakers"]
    menu.addSeparator()
    prefixes = menu.addAction(window.tr("Speakers from “Name:” &Labels…"))
    prefixes.setObjectName("action_speakers_from_labels")
    prefixes.setStatusTip(window.tr("Move names at the start of cue texts into speakers"))
    prefixes.triggered.connect(lambda _c=False: panel.speakers_from_prefixes())
    panel.from_labels_action = prefixes


FEATURE = Feature("speakers", install)
