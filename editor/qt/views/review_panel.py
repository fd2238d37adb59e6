"""Review mode: the current cue's source above its translation, large, with its time and speaker.

Ctrl+Enter marks the translation reviewed and moves to the next cue needing review;
Ctrl+Alt+Enter sends it back to "needs review". A progress bar counts the translated cues
that are reviewed ("312 of 540 reviewed"); the counts are kept incrementally from the
controller's ChangeSets, so a keystroke never rescans the document.

Review mode takes the edit panel's place next to the cue table (the table stays, so the
reviewer sees where they are); when the window's central area is not the usual splitter
the panel lives in a dock instead. Every change goes through the controller as an undoable
core edit; typing into the translation is one undo step per burst, like the edit panel.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeyEvent, QKeySequence, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from editor.core import edits, timecode
from editor.core.edits import ChangeSet
from editor.core.errors import EditorError
from editor.core.model import Cue, Document, Review
from editor.core.style import SOURCE, TRANSLATION
from editor.qt import prepared, theme
from editor.qt.actions import SPECS, ActionId, shortcut_text
from editor.qt.controller import Controller
from editor.qt.core_modules import operations as _operations
from editor.qt.host import Feature, Host
from editor.qt.views.line_editor import LineEditor
from editor.qt.views.typing_bursts import TypingBursts

TEXT_SCALE = 1.6  # review text is read closely: larger than the edit panel's
CONTEXT_CHARS = 160  # neighbouring cues are shown on one or two lines, not in full

_BADGE = "QLabel {{ background: {bg}; color: {fg}; padding: 2px 8px; border-radius: 3px; }}"
STATE_STYLE = {
    Review.UNTRANSLATED: _BADGE.format(bg="#d9d9d9", fg="#222"),
    Review.NEEDS_REVIEW: _BADGE.format(bg="#f6c85f", fg="#3a2a00"),
    Review.REVIEWED: _BADGE.format(bg="#8cd17d", fg="#0f3a0a"),
}


def _translated(cue: Cue) -> bool:
    return bool(cue.translation.strip())


def review_sets(doc: Document) -> tuple[set[int], set[int]]:
    """Return the ids of the translated cues and of the reviewed ones among them."""
    # One pass, no call per cue: a third of the time of two passes with a call per cue.
    reviewed_state = Review.REVIEWED
    translated: set[int] = set()
    reviewed: set[int] = set()
    add_translated, add_reviewed = translated.add, reviewed.add
    for cue in doc.cues:
        text = cue.translation
        if text and not text.isspace():  # == bool(text.strip()), without the copy
            add_translated(cue.id)
            if cue.review == reviewed_state:
                add_reviewed(cue.id)
    return translated, reviewed


# Opening a file counts on the loader thread: the GUI thread only takes the sets.
_REVIEW_SETS = prepared.register(review_sets)


class ReviewCounter:
    """Counts translated cues and the reviewed ones among them, updated per ChangeSet.

    `reviewed`/`translated` are sets of cue ids; `update(doc, changes)` touches only the
    cues a change names (O(changed cues)); `reset(doc)` rescans (opening a document).
    """

    def __init__(self) -> None:
        self.translated: set[int] = set()
        self.reviewed: set[int] = set()

    def reset(self, doc: Document) -> None:
        """Recount every cue of `doc` (counted on the loader when it was opened); returns nothing."""
        self.translated, self.reviewed = _REVIEW_SETS.take_or_scan(doc)

    def take_prepared(self, doc: Document) -> bool:
        """Take the counts the loader made for `doc`, if it made them; returns True when it had."""
        found = _REVIEW_SETS.take(doc)
        if found is None:
            return False
        self.translated, self.reviewed = found
        return True

    def _recount(self, doc: Document, ids: Iterable[int]) -> None:
        for cue_id in ids:
            if not doc.has_cue(cue_id):
                self.translated.discard(cue_id)
                self.reviewed.discard(cue_id)
                continue
            cue = doc.cue(cue_id)
            if _translated(cue):
                self.translated.add(cue_id)
            else:
                self.translated.discard(cue_id)
            if cue.review == Review.REVIEWED and cue_id in self.translated:
                self.reviewed.add(cue_id)
            else:
                self.reviewed.discard(cue_id)

    def update(self, doc: Document, changes: ChangeSet) -> bool:
        """Apply one ChangeSet; returns True when the counts may have changed."""
        touched = set(changes.removed) | set(changes.inserted)
        if changes.fields & {"translation", "review"}:
            touched |= changes.cue_ids
        if not touched:
            return False
        self._recount(doc, touched)
        return True

    def text(self) -> str:
        """Return "312 of 540 reviewed" (untranslated cues are not counted)."""
        return f"{len(self.reviewed)} of {len(self.translated)} reviewed"


def find_needing_review(doc: Document, from_row: int, step: int) -> int | None:
    """Return the id of the nearest cue needing review after (step 1) or before (step -1) `from_row`.

    The search wraps around the document once; returns None when no cue needs review.
    `from_row` itself is checked last (after wrapping), so the current cue is found only
    when it is the only one left.
    """
    n = len(doc)
    if not n:
        return None
    cues = doc.cues
    row = from_row
    for _ in range(n):
        row = (row + step) % n
        if cues[row].review == Review.NEEDS_REVIEW:
            return cues[row].id
    return None


class ReviewPanel(QWidget):
    """The review view of the controller's current cue. `message(str)` reports outcomes."""

    message = Signal(str)

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.setAccessibleName(self.tr("Translation review"))
        self.controller = controller
        self.cue_id: int | None = None
        self.counter = ReviewCounter()
        # The counts are for the progress bar: while nobody sees it (review mode off) they are
        # not made (a pass over every cue: ~3-6 ms at 100k cues when a file is shown).
        self._counted = False
        self._loading = False
        self._stale = False  # the boxes wait for the panel to be shown (see show_cue)
        self._bursts = TypingBursts()
        self._build()
        controller.selection_changed.connect(self._on_selection)
        controller.changed.connect(self._on_changed)
        controller.document_replaced.connect(self._on_replaced)
        self._on_replaced()
        self.show_cue(controller.current_id)

    # -- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        self.position = QLabel(self)
        self.position.setTextFormat(Qt.TextFormat.PlainText)
        self.state = QLabel(self)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setAccessibleName(self.tr("Review state"))
        self.times = QLabel(self)
        self.times.setTextFormat(Qt.TextFormat.PlainText)
        self.times.setAccessibleName(self.tr("Cue time"))
        self.speaker = QLabel(self)
        self.speaker.setTextFormat(Qt.TextFormat.PlainText)  # speaker names are user text
        self.speaker.setAccessibleName(self.tr("Speaker"))
        bold = self.times.font()
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        bold.setBold(True)
        for label in (self.times, self.speaker):
            label.setFont(bold)
        # Two rows: the panel is as narrow as a line of text (a column beside the table).
        header = QVBoxLayout()
        where = QHBoxLayout()
        where.addWidget(self.position)
        where.addWidget(self.state)
        where.addStretch(1)
        who = QHBoxLayout()
        who.addWidget(self.times)
        who.addSpacing(16)
        who.addWidget(self.speaker)
        who.addStretch(1)
        header.addLayout(where)
        header.addLayout(who)

        self.source = LineEditor(self)
        self.source.setObjectName("reviewSource")
        self.source.setAccessibleName(self.tr("Source text"))
        self.source.setReadOnly(True)  # review is about the translation; the source is edited elsewhere
        self.translation = LineEditor(self)
        self.translation.setObjectName("reviewTranslation")
        self.translation.setAccessibleName(self.tr("Translation"))
        self.translation.setUndoRedoEnabled(False)  # undo is the document's, not the widget's
        self.translation.setTabChangesFocus(True)
        self.translation.textChanged.connect(self._typed)
        self.source_label = QLabel(self)
        self.source_label.setTextFormat(Qt.TextFormat.PlainText)  # language codes come from the file
        self.translation_label = QLabel(self)
        self.translation_label.setTextFormat(Qt.TextFormat.PlainText)
        # The neighbours' text, small and grey: a length alignment that slipped by one cue
        # shows as a translation that belongs to the cue above or below.
        self.context: dict[str, QLabel] = {}
        for key in ("prev_text", "prev_translation", "next_text", "next_translation"):
            label = QLabel(self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setStyleSheet(f"QLabel {{ color: {theme.muted_text().name()}; }}")
            label.setAccessibleName(
                self.tr("Previous cue") if key.startswith("prev") else self.tr("Next cue")
            )
            self.context[key] = label
        grid = QGridLayout()
        for col, (label, editor, name) in enumerate(
            (
                (self.source_label, self.source, "text"),
                (self.translation_label, self.translation, "translation"),
            )
        ):
            font = editor.font()
            font.setPointSizeF(font.pointSizeF() * TEXT_SCALE)
            editor.setFont(font)
            editor.set_minimum_lines(2)
            editor.installEventFilter(self)
            label.setBuddy(editor)
            # Source above translation: each box is as wide as a line may be (side by side
            # they would take the table's room).
            grid.addWidget(label, 4 * col, 0)
            grid.addWidget(self.context[f"prev_{name}"], 4 * col + 1, 0)
            grid.addWidget(editor, 4 * col + 2, 0)
            grid.addWidget(self.context[f"next_{name}"], 4 * col + 3, 0)
        grid.setRowStretch(2, 1)
        grid.setRowStretch(6, 1)
        self.problems = QLabel(self)
        self.problems.setObjectName("reviewProblems")
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(theme.label_style("warning"))
        self.problems.setAccessibleName(self.tr("Problems of this cue"))
        # Set by the window: an object with problems_for(cue_id) (the table model's QC tracker).
        self.qc = None
        # Set by the window: the Mark Reviewed and Mark Needs Review actions, whose keys (the
        # user's own, Preferences → Keyboard) the editors answer; without them, Ctrl(+Alt)+Enter.
        self.mark_actions: tuple[QAction, QAction] | None = None

        self.prev_button = QPushButton(self.tr("◀ Previous to review"), self)
        self.next_button = QPushButton(self.tr("Next to review ▶"), self)
        self.reviewed_button = QPushButton(self.tr("✓ Reviewed, next"), self)
        self.needs_button = QPushButton(self.tr("Needs review"), self)
        self.reviewed_button.setDefault(True)
        for button, tip in (
            (self.prev_button, self.tr("Previous cue needing review (Ctrl+Alt+Up)")),
            (self.next_button, self.tr("Next cue needing review (Ctrl+Alt+Down)")),
            (
                self.reviewed_button,
                self.tr("Mark reviewed, go to the next cue needing review (Ctrl+Enter)"),
            ),
            (self.needs_button, self.tr("Send this translation back to review (Ctrl+Alt+Enter)")),
        ):
            button.setToolTip(tip)
            button.setAccessibleName(button.text())
        self.prev_button.clicked.connect(lambda: self.go_needing_review(-1))
        self.next_button.clicked.connect(lambda: self.go_needing_review(1))
        self.reviewed_button.clicked.connect(self.mark_reviewed)
        self.needs_button.clicked.connect(self.mark_needs_review)
        buttons = QHBoxLayout()
        buttons.addWidget(self.prev_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.needs_button)
        buttons.addWidget(self.reviewed_button)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("reviewProgress")
        self.progress.setAccessibleName(self.tr("Review progress"))
        self.progress.setTextVisible(True)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(grid, 1)
        layout.addWidget(self.problems)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)

    # -- showing ------------------------------------------------------------------------
    def show_cue(self, cue_id: int | None) -> None:
        """Show cue `cue_id` (None or unknown: an empty, disabled view)."""
        doc = self.controller.document
        if cue_id is not None and not doc.has_cue(cue_id):
            cue_id = None
        if cue_id != self.cue_id:
            self._bursts.end()
        self.cue_id = cue_id
        if self._unseen():
            # Outside review mode nobody sees the boxes (~4 ms of labels, style sheets and
            # text layout per cue, at launch and on every move): filled when shown.
            self._stale = True
            return
        self._stale = False
        cue = doc.cue(cue_id) if cue_id is not None else None
        self._loading = True
        try:
            for widget in (self.source, self.translation, self.reviewed_button, self.needs_button):
                widget.setEnabled(cue is not None)
            src, dst = doc.source_language or "", doc.translation_language or ""
            self.source_label.setText(self.tr("Source") + (f" ({src})" if src else ""))
            self.translation_label.setText(self.tr("Translation") + (f" ({dst})" if dst else ""))
            if cue is None:
                self.position.setText(self.tr("No cue selected") if len(doc) else self.tr("No cues"))
                self.times.clear()
                self.speaker.clear()
                self.state.clear()
                self.state.setStyleSheet("")
                self._set_text(self.source, "")
                self._set_text(self.translation, "")
                for label in self.context.values():
                    label.clear()
                self.show_problems()
                return
            row = doc.row_of(cue.id)
            self.position.setText(self.tr("Cue {n} of {total}").format(n=row + 1, total=len(doc)))
            self.times.setText(
                f"{timecode.format_short(cue.start_ms)} → {timecode.format_short(cue.end_ms)}"
                f"  ({cue.duration_ms / 1000:.1f} s)"
            )
            name = doc.speaker_name(cue.speaker_id)
            self.speaker.setText(name or self.tr("(no speaker)"))
            color = doc.speakers[cue.speaker_id].color if cue.speaker_id in doc.speakers else ""
            if color.startswith("#"):  # a timeline colour: keep it legible as text on this palette
                shown = theme.readable_on(QColor(color), self.palette().color(QPalette.ColorRole.Window))
                self.speaker.setStyleSheet(f"QLabel {{ color: {shown.name()}; }}")
            else:
                self.speaker.setStyleSheet("")
            self.state.setText(self._state_text(cue.review))
            self.state.setStyleSheet(STATE_STYLE.get(cue.review, ""))
            self._set_text(self.source, cue.text)
            self._set_text(self.translation, cue.translation)
            self._set_profiles()
            self._show_context(doc, row)
            self.show_problems()
        finally:
            self._loading = False

    def show_translation(self) -> None:
        """Scroll the translation box into view when the panel sits in a scroll area."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(self.translation, 0, 40)

    def _set_profiles(self) -> None:
        """Measure each box's lines against its track's limits."""
        style = self.controller.style
        self.source.set_profile(style(SOURCE, self.source.toPlainText()))
        self.translation.set_profile(style(TRANSLATION, self.translation.toPlainText()))

    def _show_context(self, doc: Document, row: int) -> None:
        for prefix, arrow, other in (("prev", "▲", row - 1), ("next", "▼", row + 1)):
            cue = doc.cues[other] if 0 <= other < len(doc) else None
            for name in ("text", "translation"):
                text = " ".join(getattr(cue, name).split()) if cue is not None else ""
                if len(text) > CONTEXT_CHARS:
                    text = text[: CONTEXT_CHARS - 1] + "…"
                self.context[f"{prefix}_{name}"].setText(f"{arrow} {text}" if cue is not None else "")

    def _unseen(self) -> bool:
        """Return True while the window is on screen but this panel is not (review mode off)."""
        return not self.isVisible() and self.window().isVisible()

    def showEvent(self, event: QShowEvent) -> None:
        self._count()
        if self._stale:
            self.show_cue(self.cue_id)
        super().showEvent(event)

    def show_problems(self) -> None:
        """Show the QC findings of the current cue (translation checks included) under the texts."""
        if self._unseen():
            self._stale = True
            return
        problems = (
            self.qc.problems_for(self.cue_id) if self.qc is not None and self.cue_id is not None else []
        )
        self.problems.setText("\n".join(f"⚠ {p.message}" for p in problems))
        self.problems.setVisible(bool(problems))

    def _state_text(self, state: Review) -> str:
        return {
            Review.UNTRANSLATED: self.tr("Untranslated"),
            Review.NEEDS_REVIEW: self.tr("Needs review"),
            Review.REVIEWED: self.tr("Reviewed ✓"),
        }.get(state, str(state))

    @staticmethod
    def _set_text(editor: QPlainTextEdit, text: str) -> None:
        if editor.toPlainText() != text:  # keep the cursor while the user's own typing comes back
            pos = editor.textCursor().position()
            editor.setPlainText(text)
            cursor = editor.textCursor()
            cursor.setPosition(min(pos, len(editor.toPlainText())))
            editor.setTextCursor(cursor)

    def _show_progress(self) -> None:
        done, total = len(self.counter.reviewed), len(self.counter.translated)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if total:
            text = self.tr("{done} of {total} reviewed").format(done=done, total=total)
        else:
            text = self.tr("No translation yet (File → Open Translation…)")
        self.progress.setFormat(text.replace("%", "%%"))  # QProgressBar expands %p, %v, %m

    def progress_text(self) -> str:
        """Return the progress bar's text ("312 of 540 reviewed")."""
        self._count()
        return self.progress.text()

    def _count(self) -> None:
        """Count the document's cues for the progress bar, unless counted already."""
        if not self._counted:
            self.counter.reset(self.controller.document)
            self._counted = True
            self._show_progress()

    def _on_selection(self, _ids: list, current: int | None) -> None:
        self.show_cue(current)

    def _on_replaced(self) -> None:
        doc = self.controller.document
        self._counted = self.counter.take_prepared(doc)
        if self._counted:
            self._show_progress()
        elif not self._unseen():
            self._count()
        self.show_cue(None)

    def _on_changed(self, changes: ChangeSet) -> None:
        if self._counted and self.counter.update(self.controller.document, changes):
            self._show_progress()
        if self.cue_id is not None and (
            self.cue_id in changes.cue_ids or changes.speakers or changes.structure or changes.document
        ):
            self.show_cue(self.cue_id)

    def _cue(self) -> Cue | None:
        doc = self.controller.document
        return doc.cue(self.cue_id) if self.cue_id is not None and doc.has_cue(self.cue_id) else None

    # -- editing ------------------------------------------------------------------------
    def _typed(self) -> None:
        if self._loading or self._stale:  # a stale box (not shown yet) holds no typing of the user's
            return
        cue = self._cue()
        value = self.translation.toPlainText()
        if cue is None or cue.translation == value:
            return
        self._set_profiles()
        burst = self._bursts.key()
        edit = _operations().type_translation(self.controller.document, cue.id, value)
        try:
            self.controller.apply(
                edit, self.tr("Type translation"), merge_key=("review", cue.id, burst)
            )
        except (EditorError, KeyError) as exc:
            self.message.emit(str(exc))

    def _target_ids(self) -> list[int]:
        """Return the cues a mark applies to: the selection if several are selected, else the current one."""
        doc = self.controller.document
        selected = [i for i in self.controller.selected_ids if doc.has_cue(i)]
        if len(selected) > 1:
            return selected
        return [self.cue_id] if self._cue() is not None else []

    def _set_state(self, ids: list[int], state: Review, label: str) -> None:

        self._bursts.end()  # a mark ends the typing burst: undo takes back the mark, then the typing
        try:
            edit = _operations().set_review(self.controller.document, ids, state)
            if not (isinstance(edit, edits.Batch) and not edit.edits):
                self.controller.apply(edit, label)
        except (EditorError, KeyError) as exc:
            self.message.emit(str(exc))

    def mark_reviewed(self) -> None:
        """Mark the current cue (or the selected cues) reviewed and go to the next cue needing review."""
        ids = self._target_ids()
        if not ids:
            self.message.emit(self.tr("No cue selected."))
            return
        self._set_state(ids, Review.REVIEWED, self.tr("Mark reviewed"))
        doc = self.controller.document
        last_row = max(doc.row_of(i) for i in ids)
        target = find_needing_review(doc, last_row, 1)
        if target is None:
            self.message.emit(self.tr("Every translation is reviewed."))
            self.controller.select([ids[-1]], ids[-1])
        else:
            self.controller.select([target], target)
        self.translation.setFocus(Qt.FocusReason.OtherFocusReason)

    def mark_needs_review(self) -> None:
        """Send the current cue (or the selected cues) back to "needs review"; stays on the cue."""
        ids = self._target_ids()
        if not ids:
            self.message.emit(self.tr("No cue selected."))
            return
        self._set_state(ids, Review.NEEDS_REVIEW, self.tr("Mark needs review"))

    def go_needing_review(self, step: int) -> bool:
        """Select the next (step 1) or previous (step -1) cue needing review; returns True when found."""
        doc = self.controller.document
        if self._cue() is not None:
            row = doc.row_of(self.cue_id)
        else:
            row = -1 if step > 0 else len(doc)
        target = find_needing_review(doc, row, step) if len(doc) else None
        if target is None:
            self.message.emit(self.tr("No cue needs review."))
            return False
        self.controller.select([target], target)
        return True

    # -- keys ---------------------------------------------------------------------------
    def _key_action(self, event: QKeyEvent):
        """Return the method a review key stands for, or None."""
        if self.mark_actions is not None:
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            key = Qt.Key.Key_Return if event.key() == Qt.Key.Key_Enter else Qt.Key(event.key())
            pressed = QKeySequence(QKeyCombination(mods, key))
            reviewed, needs = self.mark_actions
            if pressed in reviewed.shortcuts():
                return self.mark_reviewed
            if pressed in needs.shortcuts():
                return self.mark_needs_review
            return None
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return None
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods == Qt.KeyboardModifier.ControlModifier:
            return self.mark_reviewed
        if mods == Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier:
            return self.mark_needs_review
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self._key_action(event)
        if action is not None:
            action()
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj in (self.source, self.translation):
            kind = event.type()
            if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
                action = self._key_action(event)  # type: ignore[arg-type]
                if action is not None:
                    # Handled here, so the window's shortcut does not fire a second time.
                    if kind == QEvent.Type.KeyPress:
                        action()
                    event.accept()
                    return True
            if self._bursts.filter(event, self.controller.undo_stack):
                return True
        return super().eventFilter(obj, event)


class ReviewMode:
    """Switches a main window into review mode and back; wires the Review menu's actions."""

    def __init__(self, window) -> None:
        self.window = window
        self.panel = ReviewPanel(window.controller, window)
        self.panel.message.connect(window.show_message)
        self.panel.mark_actions = (
            window.actions[ActionId.MARK_REVIEWED],
            window.actions[ActionId.MARK_NEEDS_REVIEW],
        )
        qc = window.table_pane.model.qc
        self.panel.qc = qc
        qc.updated.connect(self.panel.show_problems)
        self.dock: QDockWidget | None = None
        self._sizes: list[int] | None = None
        central = window.centralWidget()
        edit_panel = window.edit_panel
        if isinstance(central, QSplitter) and central.indexOf(edit_panel) >= 0:
            self.splitter: QSplitter | None = central
            central.insertWidget(central.indexOf(edit_panel) + 1, self.panel)
            self.panel.hide()
        else:  # another layout owns the centre: review in a dock instead
            self.splitter = None
            self.dock = window.add_dock(
                "reviewDock",
                window.tr("Review"),
                self.panel,
                Qt.DockWidgetArea.RightDockWidgetArea,
                hidden=True,
            )
            self.dock.visibilityChanged.connect(self._on_dock_visible)
        actions = window.actions
        self.action: QAction = actions[ActionId.REVIEW_MODE]
        self.action.setCheckable(True)
        self.action.setEnabled(True)
        self.action.toggled.connect(self.set_active)
        for action_id, slot in (
            (ActionId.MARK_REVIEWED, self.mark_reviewed),
            (ActionId.MARK_NEEDS_REVIEW, self.panel.mark_needs_review),
            (ActionId.NEXT_NEEDS_REVIEW, lambda: self.panel.go_needing_review(1)),
            (ActionId.PREV_NEEDS_REVIEW, lambda: self.panel.go_needing_review(-1)),
        ):
            actions[action_id].triggered.connect(lambda _checked=False, s=slot: s())
            actions[action_id].setEnabled(True)
        bar = window.table_pane.filter_bar
        self.filter_action: QAction = actions[ActionId.FILTER_NEEDS_REVIEW]
        self.filter_action.setCheckable(True)
        self.filter_action.setEnabled(True)
        self.filter_action.toggled.connect(bar.needs_review.setChecked)
        bar.needs_review.toggled.connect(self.filter_action.setChecked)

    @property
    def active(self) -> bool:
        return self.action.isChecked()

    def set_active(self, on: bool) -> None:
        """Turn review mode on or off (the menu action follows)."""
        if self.action.isChecked() != on:
            self.action.setChecked(on)  # re-enters through toggled
            return
        window = self.window
        if self.splitter is not None:
            if on:
                self._sizes = self.splitter.sizes()
            window.edit_panel.setVisible(not on)
            self.panel.setVisible(on)
            if on:
                total = sum(self.splitter.sizes()) or 1600
                sizes = [0] * self.splitter.count()
                sizes[self.splitter.indexOf(window.table_pane)] = round(total * 0.38)
                sizes[self.splitter.indexOf(self.panel)] = total - round(total * 0.38)
                self.splitter.setSizes(sizes)
            elif self._sizes is not None:
                self.splitter.setSizes(self._sizes)
        elif self.dock is not None:
            # The review panel takes the cue editor's place while reviewing (a tab beside it
            # in the default layout): the editor's dock steps aside and comes back after.
            holder = window.edit_panel.parentWidget()
            editor_dock = holder if isinstance(holder, QDockWidget) else None
            self.dock.setVisible(on)
            if editor_dock is not None:
                editor_dock.setVisible(not on)
            shown = self.dock if on else editor_dock
            if shown is not None:
                shown.raise_()
                # Again once the tab bar has added the tab of a dock that was hidden.
                QTimer.singleShot(0, shown, shown.raise_)
        if on:
            if self.panel.cue_id is None:
                self.panel.go_needing_review(1)
            self.panel.translation.setFocus(Qt.FocusReason.ShortcutFocusReason)
            # In a short column the panel scrolls: the translation, what is reviewed, in view.
            QTimer.singleShot(0, self.panel, self.panel.show_translation)
            keys = {spec.id: shortcut_text(spec.keys()) for spec in SPECS}
            mark, leave = keys[ActionId.MARK_REVIEWED], keys[ActionId.REVIEW_MODE]
            window.show_message(
                window.tr(
                    "Review mode: {mark} marks reviewed and moves on; {leave} leaves review mode."
                ).format(mark=mark, leave=leave)
            )

    def _on_dock_visible(self, visible: bool) -> None:
        if self.dock is not None and not visible and self.action.isChecked() and self.dock.isHidden():
            self.action.setChecked(False)

    def mark_reviewed(self) -> None:
        # Outside review mode the shortcut still works on the current cue (from the table or edit panel).
        self.panel.show_cue(self.window.controller.current_id)
        self.panel.mark_reviewed()


def install(window: Host) -> None:
    """Add review mode, the review actions, the needs-review filter entry and the language override."""
    window.parts.add(ReviewMode(window))
    from editor.qt.views import language_dialog

    language_dialog.install(window)


FEATURE = Feature("review", install)
