"""The edit panel: the current cue's text above its translation, its times and speaker.

Typing applies core edits as you type; a burst of typing into one field is one undo step
(merge_key = (cue id, field, burst number); a pause, a focus change or another cue starts a
new burst). Line lengths and characters per second update live.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.core import edits, timecode
from editor.core.edits import ChangeSet
from editor.core.errors import EditorError, ValidationError
from editor.core.model import Cue, Timing, plain_text
from editor.core.style import SOURCE, TRANSLATION, StyleProfile
from editor.qt import theme
from editor.qt.controller import Controller
from editor.qt.core_modules import operations as _operations
from editor.qt.views.line_editor import LineEditor
from editor.qt.views.typing_bursts import TypingBursts


def python_index(text: str, utf16_pos: int) -> int:
    """Return the index into `text` of a Qt (UTF-16) cursor position."""
    if text.isascii():
        return utf16_pos
    return len(text.encode("utf-16-le")[: 2 * utf16_pos].decode("utf-16-le", errors="ignore"))


def text_stats(text: str, duration_ms: int, style: StyleProfile) -> str:
    """Return "32 · 18 chars, 14.2 CPS" for the text's lines and reading speed, counted as
    `style` counts them ("!" marks a line over its width, the CPS figure over its limit)."""
    plain = plain_text(text)
    lines = plain.split("\n") if text else []
    widths = [style.line_width(line) for line in lines]
    lengths = " · ".join(f"{w:g}" + ("!" if w > style.max_chars else "") for w in widths) or "0"
    if duration_ms > 0:
        rate = style.reading_chars(plain) * 1000 / duration_ms
        cps = f"{rate:.1f}" + ("!" if rate > style.max_cps else "")
    else:
        cps = "–"
    return f"{lengths} chars, {cps} CPS"


class EditPanel(QWidget):
    """Shows and edits the controller's current cue. `message(str)` reports refused edits."""

    message = Signal(str)

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.cue_id: int | None = None
        self._loading = False
        self._bursts = TypingBursts()
        self._build()
        # Bound methods, not lambdas: Qt drops the connections when the panel is deleted.
        controller.selection_changed.connect(self._on_selection)
        controller.changed.connect(self._on_changed)
        controller.document_replaced.connect(self._on_replaced)
        controller.styles_changed.connect(self._update_stats)  # new limits: new rulers
        self.show_cue(controller.current_id)

    # -- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        self.position = QLabel(self)
        self.prev_button = QPushButton(self.tr("◀ Previous"), self)
        self.next_button = QPushButton(self.tr("Next ▶"), self)
        self.prev_button.setToolTip(self.tr("Previous cue (Alt+Up)"))
        self.next_button.setToolTip(self.tr("Next cue (Alt+Down)"))
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        top = QHBoxLayout()
        top.addWidget(self.position, 1)
        top.addWidget(self.prev_button)
        top.addWidget(self.next_button)

        self.start = QLineEdit(self)
        self.end = QLineEdit(self)
        self.duration = QLineEdit(self)
        for field, name in ((self.start, "Start"), (self.end, "End"), (self.duration, "Duration")):
            field.setAccessibleName(self.tr(name))
            field.setMaximumWidth(120)
            field.editingFinished.connect(lambda f=field: self._commit_time(f))
        self.speaker = QComboBox(self)
        self.speaker.setEditable(True)
        self.speaker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.speaker.setAccessibleName(self.tr("Speaker"))
        self.speaker.setMinimumContentsLength(12)
        completer = QCompleter(self.speaker.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.speaker.setCompleter(completer)
        self.speaker.lineEdit().editingFinished.connect(self._commit_speaker)
        self.speaker.activated.connect(lambda _i: self._commit_speaker())
        times = QFormLayout()
        row = QGridLayout()
        # Times on one line, the speaker under them: on one line a narrow panel squeezed the time
        # fields until only their last digits showed.
        time_width = self.start.fontMetrics().horizontalAdvance("0:00:00.000") + 16
        for col, (label, widget) in enumerate(
            (
                (self.tr("Start"), self.start),
                (self.tr("End"), self.end),
                (self.tr("Duration"), self.duration),
                (self.tr("Speaker"), self.speaker),
            )
        ):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            if widget is self.speaker:
                row.addWidget(caption, 1, 0)
                row.addWidget(widget, 1, 1, 1, 5)
            else:
                widget.setMinimumWidth(time_width)
                row.addWidget(caption, 0, 2 * col)
                row.addWidget(widget, 0, 2 * col + 1)
        row.setColumnStretch(6, 1)
        times.addRow(row)

        # Real lines, a ruler at the limit and each line's length (the panel's own stats line
        # under each box keeps the reading speed).
        self.text = LineEditor(self)
        self.translation = LineEditor(self)
        self.text_label = QLabel(self.tr("Text"), self)
        self.translation_label = QLabel(self.tr("Translation"), self)
        self.text_stats = QLabel(self)
        self.translation_stats = QLabel(self)
        for label in (self.text_label, self.translation_label, self.text_stats, self.translation_stats):
            label.setTextFormat(Qt.TextFormat.PlainText)  # language codes come from the file
        grid = QGridLayout()
        for col, (label, editor, stats, name) in enumerate(
            (
                (self.text_label, self.text, self.text_stats, "text"),
                (self.translation_label, self.translation, self.translation_stats, "translation"),
            )
        ):
            editor.setObjectName(f"{name}Editor")
            editor.setAccessibleName(self.tr("Cue text") if name == "text" else self.tr("Cue translation"))
            editor.setTabChangesFocus(True)
            editor.setUndoRedoEnabled(False)  # undo is the document's, not the widget's
            font = editor.font()
            font.setPointSizeF(font.pointSizeF() * 1.25)
            editor.setFont(font)
            editor.set_minimum_lines(2)
            editor.textChanged.connect(lambda n=name: self._typed(n))
            editor.installEventFilter(self)
            label.setBuddy(editor)
            # One above the other: each box is as wide as a line may be, and two such boxes
            # side by side would leave the table too little room. The box's figures go on its
            # label's line, so that the panel fits under a video in a short window.
            stats.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(label, 2 * col, 0)
            grid.addWidget(stats, 2 * col, 1)
            grid.addWidget(editor, 2 * col + 1, 0, 1, 2)
        grid.setRowStretch(1, 1)
        grid.setRowStretch(3, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(times)
        layout.addLayout(grid, 1)

    # -- showing ------------------------------------------------------------------------
    def show_cue(self, cue_id: int | None) -> None:
        """Show cue `cue_id` (None or unknown: an empty, disabled panel)."""
        doc = self.controller.document
        if cue_id is not None and not doc.has_cue(cue_id):
            cue_id = None
        another_cue = cue_id != self.cue_id
        if another_cue:
            self._bursts.end()
        self.cue_id = cue_id
        cue = doc.cue(cue_id) if cue_id is not None else None
        self._loading = True
        try:
            for widget in (self.start, self.end, self.duration, self.speaker, self.text, self.translation):
                widget.setEnabled(cue is not None)
            self._refresh_speakers(cue)
            if cue is None:
                self.position.setText(self.tr("No cue selected") if len(doc) else self.tr("No cues"))
                for field in (self.start, self.end, self.duration):
                    field.clear()
                self._set_text(self.text, "")
                self._set_text(self.translation, "")
            else:
                self._show_times(cue)
                self._set_text(self.text, cue.text)
                self._set_text(self.translation, cue.translation)
                if another_cue:
                    # A defined place for the caret: the old offset lands mid-word in the new
                    # text, and typing straight on corrupts it.
                    for editor in (self.text, self.translation):
                        editor.moveCursor(QTextCursor.MoveOperation.End)
            self._update_stats()
            lang_s = doc.source_language or ""
            lang_t = doc.translation_language or ""
            self.text_label.setText(self.tr("Text") + (f" ({lang_s})" if lang_s else ""))
            self.translation_label.setText(self.tr("Translation") + (f" ({lang_t})" if lang_t else ""))
        finally:
            self._loading = False

    def _show_times(self, cue: Cue) -> None:
        row = self.controller.document.row_of(cue.id)
        estimated = self.tr(" — estimated timing") if cue.timing == Timing.ESTIMATED else ""
        self.position.setText(
            self.tr("Cue {n} of {total}").format(n=row + 1, total=len(self.controller.document)) + estimated
        )
        for field, ms in ((self.start, cue.start_ms), (self.end, cue.end_ms)):
            field.setText(timecode.format_short(ms))
            field.setStyleSheet("")
        self.duration.setText(f"{cue.duration_ms / 1000:.3f}")
        self.duration.setStyleSheet("")

    @staticmethod
    def _set_text(editor: QPlainTextEdit, text: str) -> None:
        if editor.toPlainText() != text:  # keep the cursor when the text is already there
            cursor_pos = editor.textCursor().position()
            editor.setPlainText(text)
            cursor = editor.textCursor()
            cursor.setPosition(min(cursor_pos, len(editor.toPlainText())))
            editor.setTextCursor(cursor)

    def _refresh_speakers(self, cue: Cue | None) -> None:
        doc = self.controller.document
        self.speaker.blockSignals(True)
        self.speaker.clear()
        self.speaker.addItem("")
        for speaker in doc.speakers.values():
            self.speaker.addItem(speaker.name, speaker.id)
        name = doc.speaker_name(cue.speaker_id) if cue is not None else None
        self.speaker.setCurrentText(name or "")
        self.speaker.blockSignals(False)

    def _update_stats(self) -> None:
        cue = self._cue()
        duration = cue.duration_ms if cue is not None else 0
        text, translation = self.text.toPlainText(), self.translation.toPlainText()
        style = self.controller.style
        source_style, translation_style = style(SOURCE, text), style(TRANSLATION, translation)
        self.text.set_profile(source_style)
        self.translation.set_profile(translation_style)
        self.text_stats.setText(text_stats(text, duration, source_style))
        self.translation_stats.setText(text_stats(translation, duration, translation_style))

    def _on_selection(self, _ids: list, current: int | None) -> None:
        self.show_cue(current)

    def _on_replaced(self) -> None:
        self.show_cue(None)

    def _on_changed(self, changes: ChangeSet) -> None:
        if self.cue_id is None:
            return
        if self.cue_id in changes.cue_ids or changes.speakers or changes.structure or changes.document:
            self.show_cue(self.cue_id if self.controller.document.has_cue(self.cue_id) else None)

    def _cue(self) -> Cue | None:
        doc = self.controller.document
        return doc.cue(self.cue_id) if self.cue_id is not None and doc.has_cue(self.cue_id) else None

    # -- editing ------------------------------------------------------------------------
    def _typed(self, name: str) -> None:
        if self._loading or self.cue_id is None:
            return
        editor = self.text if name == "text" else self.translation
        value = editor.toPlainText()
        cue = self._cue()
        if cue is None or getattr(cue, name) == value:
            self._update_stats()
            return
        burst = self._bursts.key()
        label = self.tr("Type text") if name == "text" else self.tr("Type translation")
        doc = self.controller.document
        try:
            if name == "text":
                edit = edits.set_field(cue.id, "text", value)
            else:
                edit = _operations().type_translation(doc, cue.id, value)
            self.controller.apply(edit, label, merge_key=(cue.id, name, burst))
        except (EditorError, KeyError) as exc:
            self.message.emit(str(exc))
        self._update_stats()

    def _commit_time(self, field: QLineEdit) -> None:
        cue = self._cue()
        if cue is None or self._loading:
            return
        try:
            if field is self.duration:
                seconds = field.text().strip().rstrip("s").replace(",", ".")
                try:
                    duration = round(float(seconds) * 1000)
                except ValueError:
                    raise ValidationError("duration", f"not a duration: {field.text().strip()!r}") from None
                start, end = cue.start_ms, cue.start_ms + duration
            else:
                ms = timecode.parse_user(field.text())
                start, end = (ms, cue.end_ms) if field is self.start else (cue.start_ms, ms)
            if start < 0:
                raise ValidationError("time", "a cue cannot start before 0:00")
            if end < start:
                raise ValidationError("time", "the cue would end before it starts")
            if (start, end) != (cue.start_ms, cue.end_ms):
                edit = _operations().retime(self.controller.document, {cue.id: (start, end)})
                self.controller.apply(edit, self.tr("Set times"))
        except (EditorError, KeyError) as exc:
            reason = exc.reason if isinstance(exc, ValidationError) else str(exc)
            field.setStyleSheet(theme.invalid_field_style())
            field.setToolTip(reason)
            self.message.emit(reason)
            return
        field.setStyleSheet("")
        field.setToolTip("")

    def _commit_speaker(self) -> None:
        cue = self._cue()
        if cue is None or self._loading:
            return
        name = self.speaker.currentText().strip()
        if name == (self.controller.document.speaker_name(cue.speaker_id) or ""):
            return
        try:
            self.controller.apply(
                _operations().assign_speaker_named(self.controller.document, [cue.id], name),
                self.tr("Set speaker"),
            )
        except (EditorError, KeyError) as exc:
            self.message.emit(str(exc))

    def step(self, delta: int) -> None:
        """Select the cue `delta` rows away from the current one (stays put at the ends)."""
        doc = self.controller.document
        if not len(doc):
            return
        if self.cue_id is None or not doc.has_cue(self.cue_id):
            row = 0 if delta > 0 else len(doc) - 1
        else:
            row = max(0, min(len(doc) - 1, doc.row_of(self.cue_id) + delta))
        target = doc.cues[row].id
        self.controller.select([target], target)

    # -- split support ------------------------------------------------------------------
    def text_cursor_position(self) -> int | None:
        """Return the source-text cursor position as an index into the cue's text, or None."""
        if self.cue_id is None:
            return None
        return python_index(self.text.toPlainText(), self.text.textCursor().position())

    def translation_cursor_position(self) -> int | None:
        """Return the translation cursor as an index into the cue's translation when the
        translation box has the keyboard focus (the user placed the translation's cut), else None."""
        if self.cue_id is None or not self.translation.hasFocus():
            return None
        return python_index(self.translation.toPlainText(), self.translation.textCursor().position())

    def focus_text(self) -> None:
        self.text.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- keys ---------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj in (self.text, self.translation) and self._bursts.filter(event, self.controller.undo_stack):
            return True
        return super().eventFilter(obj, event)
