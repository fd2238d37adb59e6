"""The cue table: a QTableView with a timecode delegate, a multi-line text delegate and a filter bar.

Selection is shared with the controller both ways; rows have a fixed two-line height
(word-wrapped, content-sized rows are far too slow on long documents).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from editor.core import timecode
from editor.core.errors import ValidationError
from editor.core.model import Review, plain_text
from editor.core.style import SOURCE, TRANSLATION
from editor.qt import theme
from editor.qt.controller import Controller
from editor.qt.cue_model import CUE_ID_ROLE, Column, CueTableModel
from editor.qt.views.clear_button import clear_button_when_text
from editor.qt.views.line_editor import LineEditor


class CellDelegate(QStyledItemDelegate):
    """Paints a cell from one CueTableModel.paint_data call.

    QStyledItemDelegate fills the style option by asking data() for seven roles, each a call
    from C++ into Python; while a file loads on a worker each call also waits for the GIL,
    which made the first paint of a long file stall the window. The option is filled as
    QStyledItemDelegate.initStyleOption fills it, from one call. The # column shows the row
    number (the cue's position in the document, also behind a filter).
    """

    def __init__(self, source: CueTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.proxy: QSortFilterProxyModel | None = None  # set by the view when it shows a filter

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:
        # Called for every painted cell: module constants and a cache keep it to ~10 µs
        # (PySide's enum flag arithmetic alone costs 3 µs, displayText with a locale 2.5 µs).
        option.index = index
        if self.proxy is not None:
            index = self.proxy.mapToSource(index)
        col = index.column()
        text, align, foreground, background = self.source.paint_data(index.row(), col)
        option.styleObject = None  # as Qt's: no style animations inside item views
        if align is not None:
            option.displayAlignment = align
        if foreground is not None:
            option.palette.setBrush(_TEXT_ROLE, foreground)
        if text is not None:
            features = option.features
            # A text or translation of one line uses the row's second line when it is longer
            # than the column (a clipped translation could not be read); lines of their own
            # are shown as they are.
            wrap = col in _TEXT_COLUMNS and "\n" not in text
            with_display = _WITH_DISPLAY.get((features, wrap))
            if with_display is None:
                with_display = features | _HAS_DISPLAY
                if wrap:
                    with_display |= _WRAP
                _WITH_DISPLAY[(features, wrap)] = with_display
            option.features = with_display
            option.text = text.replace("\n", "\u2028")  # what displayText does to a string
        option.backgroundBrush = background if background is not None else _NO_BRUSH


_NO_BRUSH = QBrush()
_TEXT_ROLE = QPalette.ColorRole.Text
_HAS_DISPLAY = QStyleOptionViewItem.ViewItemFeature.HasDisplay
_WRAP = QStyleOptionViewItem.ViewItemFeature.WrapText
_TEXT_COLUMNS = frozenset((int(Column.TEXT), int(Column.TRANSLATION)))
_WITH_DISPLAY: dict[
    tuple[QStyleOptionViewItem.ViewItemFeature, bool], QStyleOptionViewItem.ViewItemFeature
] = {}


class TimecodeDelegate(CellDelegate):
    """A line editor for times that turns red and says why while the text is not a time.

    Enter with an invalid time keeps the editor open (nothing is committed); leaving
    the editor with an invalid time drops the edit. `message(str)` carries the reason.
    """

    message = Signal(str)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setObjectName("timecodeEditor")
        editor.textChanged.connect(lambda text, e=editor: self._validate(e, text))
        return editor

    def setEditorData(self, editor: QWidget, index) -> None:
        if isinstance(editor, QLineEdit) and editor.isModified():
            return  # being typed in: see TextDelegate.setEditorData
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model, index) -> None:
        if self._validate(editor, editor.text()) is None:
            return  # refused: the model keeps its value
        if not model.setData(index, editor.text(), Qt.ItemDataRole.EditRole):
            source = _source_model(model)
            reason = source.cell_error(_source_index(model, index)) if source else None
            self.message.emit(reason or "edit refused")

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            isinstance(obj, QLineEdit)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self._validate(obj, obj.text()) is None
        ):
            return True  # keep the editor open on an invalid time; the reason is already shown
        return super().eventFilter(obj, event)

    def _validate(self, editor: QLineEdit, text: str) -> int | None:
        """Return the time in ms, or None after marking the editor red with the reason."""
        try:
            ms = timecode.parse_user(text)
            if ms < 0:
                raise ValidationError("time", "a cue cannot start or end before 0:00")
        except ValidationError as exc:
            editor.setStyleSheet(theme.invalid_field_style())
            editor.setToolTip(exc.reason)
            editor.setPlaceholderText(exc.reason)
            self.message.emit(exc.reason)
            return None
        editor.setStyleSheet("")
        editor.setToolTip("")
        return ms


class TextDelegate(CellDelegate):
    """A multi-line editor: Enter commits, Shift+Enter inserts a line break, Escape cancels."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index) -> QWidget:
        editor = LineEditor(parent)
        editor.setObjectName("cueTextEditor")
        editor.setTabChangesFocus(True)
        return editor

    def setEditorData(self, editor: QWidget, index) -> None:
        if isinstance(editor, QPlainTextEdit) and editor.document().isModified():
            # Qt calls this again for an open editor whenever its cell's row is refreshed (QC
            # finishing on its worker repaints every row, an edit elsewhere, a spelling pass):
            # what the user has typed is kept, and Enter commits it.
            return
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        source = _source_model(index.model())
        if source is not None and isinstance(editor, LineEditor):
            track = TRANSLATION if index.column() == Column.TRANSLATION else SOURCE
            editor.set_profile(source.controller.style(track, text))
        editor.setPlainText(text)
        editor.selectAll()

    def setModelData(self, editor: QWidget, model, index) -> None:
        text = editor.toPlainText()
        if text != (index.data(Qt.ItemDataRole.EditRole) or ""):
            model.setData(index, text, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index) -> None:
        # Taller than the row, so that three or four lines are visible while typing, and as wide
        # as a line may be (over the next columns when this one is narrower), kept inside the
        # table: a line is seen whole, its break where it really is.
        rect = option.rect
        rect.setHeight(max(rect.height() * 2, 90))
        rect.setWidth(max(rect.width(), editor.minimumWidth()))
        parent = editor.parentWidget()
        if parent is not None and rect.right() > parent.width():
            rect.moveLeft(max(0, parent.width() - rect.width()))
        editor.setGeometry(rect)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if isinstance(obj, QPlainTextEdit) and event.type() == QEvent.Type.KeyPress:
            key_event: QKeyEvent = event
            if key_event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if key_event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    obj.insertPlainText("\n")
                    return True
                self.commitData.emit(obj)
                self.closeEditor.emit(obj, QStyledItemDelegate.EndEditHint.NoHint)
                return True
        return super().eventFilter(obj, event)


def _source_model(model) -> CueTableModel | None:
    while isinstance(model, QSortFilterProxyModel):
        model = model.sourceModel()
    return model if isinstance(model, CueTableModel) else None


def _source_index(model, index):
    while isinstance(model, QSortFilterProxyModel):
        index = model.mapToSource(index)
        model = model.sourceModel()
    return index


class CueFilterProxy(QSortFilterProxyModel):
    """Filters rows by text (source or translation), speaker id, "has a QC problem", "needs review"
    and "has a note"."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._speaker_id: str | None = None
        self._problems_only = False
        self._needs_review_only = False
        self._notes_only = False
        self.setDynamicSortFilter(False)  # rows stay in document order; refilter on request

    @property
    def active(self) -> bool:
        return bool(
            self._needle
            or self._speaker_id
            or self._problems_only
            or self._needs_review_only
            or self._notes_only
        )

    def set_filter(
        self,
        needle: str = "",
        speaker_id: str | None = None,
        problems_only: bool = False,
        needs_review_only: bool = False,
        notes_only: bool = False,
    ) -> None:
        """Show only matching rows (case-insensitive text match)."""
        modern = hasattr(self, "beginFilterChange")  # Qt ≥ 6.10 deprecates invalidateFilter()
        if modern:
            self.beginFilterChange()
        self._needle = needle.casefold()
        self._speaker_id = speaker_id
        self._problems_only = problems_only
        self._needs_review_only = needs_review_only
        self._notes_only = notes_only
        if modern:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.active:
            return True
        model: CueTableModel = self.sourceModel()
        cue = model.controller.document.cue(model.cue_id_at(source_row))
        if self._speaker_id is not None and cue.speaker_id != self._speaker_id:
            return False
        if self._needs_review_only and cue.review != Review.NEEDS_REVIEW:
            return False
        if self._notes_only and not cue.note:
            return False
        if self._needle and (
            self._needle not in cue.text.casefold() and self._needle not in cue.translation.casefold()
        ):
            return False
        # (has_problems: most problems of a long document are kept as codes until a view asks.)
        return not (self._problems_only and not model.qc.has_problems(cue.id))


# Fitting columns at open measures this many cues (enough to be representative, ~2 ms).
FIT_SAMPLE = 400
_DIGITS_TO_ZERO = str.maketrans("123456789", "000000000")
TEXT_COLUMN_MAX = 520
_SHARED_COLUMNS = (Column.TEXT, Column.TRANSLATION)
SHARED_MIN_WIDTH = 150  # text and translation never get narrower when sharing the room
STATUS_ROOM = 40  # what sharing leaves for the Status column (it stretches into the rest)


class CueTableView(QTableView):
    """The table itself; selection follows and drives controller.select."""

    def __init__(self, controller: Controller, model: CueTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("cueTable")
        self.setAccessibleName(self.tr("Cues"))
        self.source = model
        self._syncing = False
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.restore_edit_triggers()
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setAlternatingRowColors(True)
        self.setCornerButtonEnabled(False)
        self.verticalHeader().hide()
        vheader = self.verticalHeader()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # Two lines of text, measured with CJK glyphs too: fallback CJK fonts are taller, and
        # a row too short for two of their lines shows only the first.
        line = max(self.fontMetrics().lineSpacing(), self.fontMetrics().boundingRect("漢字あ한").height())
        vheader.setDefaultSectionSize(round(line * 1.2) * 2 + 6)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        self._widths = {
            Column.NUMBER: 40,
            Column.START: 80,
            Column.END: 80,
            Column.DURATION: 60,
            Column.CPS: 44,
            Column.SPEAKER: 84,
            Column.TEXT: 270,
            Column.TRANSLATION: 230,
            Column.STATUS: 140,
            Column.REVIEW: 26,
        }
        header.setStretchLastSection(True)
        # Widths fitted to the content (fit_columns), and whether the table still shares the
        # room between text and translation as it is resized (until the user sets a width).
        self._content: dict[Column, int] = {}
        # The text columns' last measurement: (font, title, the sample's texts) and its width.
        self._measured: dict[Column, tuple[tuple, int]] = {}
        self._auto_fit = False
        header.sectionResized.connect(self._on_section_resized)
        self.cell_delegate = CellDelegate(model, self)
        self.timecode_delegate = TimecodeDelegate(model, self)
        self.text_delegate = TextDelegate(model, self)
        self.setItemDelegate(self.cell_delegate)
        for column in (Column.START, Column.END):
            self.setItemDelegateForColumn(column, self.timecode_delegate)
        for column in (Column.TEXT, Column.TRANSLATION):
            self.setItemDelegateForColumn(column, self.text_delegate)
        controller.selection_changed.connect(self._on_controller_selection)
        controller.document_replaced.connect(self.fit_columns)
        controller.changed.connect(self._fit_after_change)
        model.modelReset.connect(self.reselect)
        self.show_model(model)

    def show_model(self, model) -> None:
        """Show the cue model itself, or a filter proxy over it (a new selection model each time).

        Without a filter the table shows the model directly: a proxy would call
        filterAcceptsRow (Python) for every row on each reset, ~50 ms per 100k cues.
        """
        if self.model() is model:
            return
        old = self.selectionModel()
        if self.model() is not None:  # setModel resets the header: keep the user's column widths
            self._widths = {column: self.columnWidth(column) for column in Column}
        self.setModel(model)
        for column, width in self._widths.items():
            self.setColumnWidth(column, width)
        self.place_review_column()
        if old is not None:
            old.deleteLater()
        self.selectionModel().selectionChanged.connect(self._on_view_selection)
        self.selectionModel().currentRowChanged.connect(self._on_view_selection)
        proxy = model if isinstance(model, QSortFilterProxyModel) else None
        for delegate in (self.cell_delegate, self.timecode_delegate, self.text_delegate):
            delegate.proxy = proxy
        if proxy is not None:
            model.layoutChanged.connect(self.reselect)
        self.reselect()

    def place_review_column(self) -> None:
        """Show the review state column beside # (a new model resets the header's order)."""
        header = self.horizontalHeader()
        at = header.visualIndex(Column.REVIEW)
        if at not in (-1, 1):
            header.moveSection(at, 1)

    def fit_columns(self, columns: tuple[Column, ...] | None = None) -> None:
        """Size the columns to what they hold (a sample of the first cues: fast on any length),
        each within bounds: speaker names whole, times as wide as the document's. Text and
        translation get their longest line when the table has the room, else share the room
        the other columns leave (and keep sharing it as the table is resized, until the user
        sets a column's width)."""
        doc = self.controller.document
        metrics = self.fontMetrics()
        pad = 2 * self.style().pixelMetric(self.style().PixelMetric.PM_FocusFrameHMargin) + 14
        sample = doc.cues[:FIT_SAMPLE]
        header_width = self.horizontalHeader().fontMetrics().horizontalAdvance

        def widest(texts, floor: int, ceiling: int, title: str) -> int:
            width = max((metrics.horizontalAdvance(t) for t in texts), default=0)
            return max(floor, header_width(title) + pad, min(ceiling, width + pad))

        def lines(name: str):
            for cue in sample:
                yield from plain_text(getattr(cue, name)).split("\n")

        def widest_lines(name: str, floor: int, ceiling: int, column: Column) -> int:
            # A long file's preview and then the whole file start with the same cues: their
            # lines (~4k measurements) are measured once, not again for the whole file.
            fonts = (self.font().key(), self.horizontalHeader().font().key(), pad)
            key = (fonts, title(column), tuple(getattr(cue, name) for cue in sample))
            known = self._measured.get(column)
            if known is not None and known[0] == key:
                return known[1]
            width = widest(lines(name), floor, ceiling, title(column))
            self._measured[column] = (key, width)
            return width

        model = self.model()
        title = lambda c: str(model.headerData(c, Qt.Orientation.Horizontal) or "")  # noqa: E731
        speakers = [doc.speaker_name(sid) or "" for sid in {cue.speaker_id for cue in sample}]
        last = timecode.format_short(max((cue.end_ms for cue in doc.cues[-FIT_SAMPLE:]), default=0))
        times = [last.translate(_DIGITS_TO_ZERO)]  # the widest time this document shows
        # Measured only for the columns asked for: a new speaker refits its column alone, and
        # the text lines of the sample (~4k measurements) cost ~2 ms of a speaker change.
        measure = {
            Column.NUMBER: lambda: widest(["✎" + str(len(doc))], 32, 90, title(Column.NUMBER)),
            Column.START: lambda: widest(times, 60, 140, title(Column.START)),
            Column.END: lambda: widest(times, 60, 140, title(Column.END)),
            Column.SPEAKER: lambda: widest(speakers, 60, 260, title(Column.SPEAKER)),
            Column.TEXT: lambda: widest_lines("text", 120, TEXT_COLUMN_MAX, Column.TEXT),
            Column.TRANSLATION: lambda: widest_lines("translation", 90, TEXT_COLUMN_MAX, Column.TRANSLATION),
        }
        wanted = measure if columns is None else [c for c in measure if c in columns]
        widths = {column: measure[column]() for column in wanted}
        for column, width in widths.items():
            self._content[column] = width
        fixed = {c: w for c, w in widths.items() if c not in _SHARED_COLUMNS}
        self._set_widths(fixed)
        self._widths.update(fixed)
        self._auto_fit = True
        self.share_text_columns()

    def _set_widths(self, widths: dict[Column, int]) -> None:
        """Set column widths as the program's fit (not the user's), with one repaint.

        Told through the header's signal, the view repaints the columns right of each changed
        one on a timer of its own, after the paint already pending (a new document's, a
        resize's): a second paint of the table (~20 ms of Python when full). Here the view is
        told once, by updateGeometries (scroll range, open editors) and one update.
        """
        header = self.horizontalHeader()
        changed = [c for c, w in widths.items() if header.sectionSize(c) != w]
        if not changed:
            return
        # (Blocked, the header's sectionResized does not tell _on_section_resized that the user
        # chose these widths.)
        blocked = header.blockSignals(True)
        try:
            for column in changed:
                self.setColumnWidth(column, widths[column])
        finally:
            header.blockSignals(blocked)
        self.updateGeometries()
        self.viewport().update()

    def share_text_columns(self) -> None:
        """Give text and translation their fitted widths, or share the room left for them."""
        if not self._content:
            return
        header = self.horizontalHeader()
        others = sum(
            header.sectionSize(c)
            for c in Column
            if c not in _SHARED_COLUMNS and c != Column.STATUS and not header.isSectionHidden(c)
        )
        room = self.viewport().width() - others - STATUS_ROOM
        wanted = {c: self._content.get(c, self.columnWidth(c)) for c in _SHARED_COLUMNS}
        total = sum(wanted.values())
        if total > room > 0:
            wanted = {c: max(SHARED_MIN_WIDTH, int(room * w / total)) for c, w in wanted.items()}
        self._set_widths(wanted)
        self._widths.update(wanted)

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != Column.STATUS:
            self._auto_fit = False  # the user's widths from now on

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._auto_fit:
            self.share_text_columns()  # (one paint with the resize's: see _set_widths)

    def view_index(self, source_row: int, column: int = 0):
        """Return the view's index for a row of the cue model (invalid when filtered out)."""
        index = self.source.index(source_row, column)
        model = self.model()
        return model.mapFromSource(index) if isinstance(model, QSortFilterProxyModel) else index

    def _fit_after_change(self, changes) -> None:
        # A translation attached (or removed) for many cues at once: its column fits it.
        if "translation" in changes.fields and len(changes.cue_ids) > 1:
            self.fit_columns((Column.TRANSLATION,))
        elif changes.speakers and self._auto_fit:  # a new or renamed speaker, unless the user set widths
            self.fit_columns((Column.SPEAKER,))

    def restore_edit_triggers(self) -> None:
        """Allow in-place editing (double click, F2/Enter, or just typing)."""
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )

    # -- selection: view → controller -------------------------------------------------------
    def selected_cue_ids(self) -> list[int]:
        """Return the selected cue ids in document order."""
        model = self.model()
        rows = sorted({index.row() for index in self.selectionModel().selectedRows()})
        return [model.index(r, 0).data(CUE_ID_ROLE) for r in rows]

    def _on_view_selection(self, *_args) -> None:
        if self._syncing:
            return
        current = self.currentIndex()
        current_id = current.data(CUE_ID_ROLE) if current.isValid() else None
        ids = self.selected_cue_ids()
        if current_id is not None and current_id not in ids and ids:
            current_id = ids[0]
        self.controller.select(ids, current_id)

    # -- selection: controller → view ------------------------------------------------------
    def _on_controller_selection(self, ids: list[int], current: int | None) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            self._apply_selection(ids, current)
        finally:
            self._syncing = False

    def reselect(self) -> None:
        self._on_controller_selection(self.controller.selected_ids, self.controller.current_id)

    def _apply_selection(self, ids: list[int], current: int | None) -> None:
        model = self.model()
        doc = self.controller.document
        selection = QItemSelection()
        last_col = self.source.columnCount() - 1
        for cue_id in ids:
            if not doc.has_cue(cue_id):
                continue
            index = self.view_index(doc.row_of(cue_id))
            if index.isValid():
                selection.select(index, model.index(index.row(), last_col))
        sm = self.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        sm.select(selection, flags)
        if current is not None and doc.has_cue(current):
            index = self.view_index(doc.row_of(current), max(self.currentIndex().column(), 0))
            if index.isValid():
                sm.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
                self.scrollTo(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter starts editing the current cell (like a spreadsheet) instead of moving down.
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self.state() != self.State.EditingState and self.currentIndex().isValid():
            if self.edit(self.currentIndex(), self.EditTrigger.EditKeyPressed, event):
                return
        super().keyPressEvent(event)


class FilterBar(QWidget):
    """Text box, speaker chooser, "problems only", "needs review only" and "with notes" switches;
    emits `changed()`."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = QLineEdit(self)
        self.text.setPlaceholderText(self.tr("Filter cues (text or translation)…"))
        clear_button_when_text(self.text)
        self.text.setAccessibleName(self.tr("Filter text"))
        self.speaker = QComboBox(self)
        self.speaker.setAccessibleName(self.tr("Filter by speaker"))
        self.speaker.setMinimumContentsLength(10)
        self.problems = QCheckBox(self.tr("Problems only"), self)
        self.needs_review = QCheckBox(self.tr("Needs review only"), self)
        self.needs_review.setToolTip(self.tr("Show only cues whose translation needs review"))
        self.notes = QCheckBox(self.tr("With notes"), self)
        self.notes.setObjectName("filterNotes")
        self.notes.setToolTip(self.tr("Show only cues with a note (✎ in the # column)"))
        layout.addWidget(self.text, 1)
        layout.addWidget(self.speaker)
        layout.addWidget(self.problems)
        layout.addWidget(self.needs_review)
        layout.addWidget(self.notes)
        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.changed)
        self.text.textChanged.connect(self._timer.start)
        self.speaker.currentIndexChanged.connect(self.changed)
        self.problems.toggled.connect(self.changed)
        self.needs_review.toggled.connect(self.changed)
        self.notes.toggled.connect(self.changed)

    def set_speakers(self, speakers: list[tuple[str, str]]) -> None:
        """Offer these (id, name) pairs, keeping the current choice when it still exists."""
        current = self.speaker.currentData()
        self.speaker.blockSignals(True)
        self.speaker.clear()
        self.speaker.addItem(self.tr("All speakers"), None)
        for speaker_id, name in speakers:
            self.speaker.addItem(name, speaker_id)
        found = self.speaker.findData(current) if current is not None else 0
        self.speaker.setCurrentIndex(max(found, 0))
        self.speaker.blockSignals(False)


class CueTablePane(QWidget):
    """Filter bar above the table; owns the model and the filter proxy.

    `speaker_filter_changed(str | None)` fires when the speaker shown alone changes (None: all),
    whether the filter bar, `set_speaker_filter` or a removed speaker changed it.
    """

    message = Signal(str)
    speaker_filter_changed = Signal(object)

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = CueTableModel(controller, self)
        self.proxy = CueFilterProxy(self)  # attached to the model only while a filter is on
        self.filter_bar = FilterBar(self)
        self.view = CueTableView(controller, self.model, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.view, 1)
        self.filter_bar.changed.connect(self._apply_filter)
        self.filter_bar.speaker.currentIndexChanged.connect(self._on_speaker_choice)
        self.view.timecode_delegate.message.connect(self.message)
        self.model.edit_failed.connect(lambda _index, reason: self.message.emit(reason))
        controller.document_replaced.connect(self._refresh_speakers)
        controller.changed.connect(self._on_changed)
        self._refresh_speakers()

    def _on_changed(self, changes) -> None:
        if changes.speakers:
            self._refresh_speakers()

    def _refresh_speakers(self) -> None:
        before = self.speaker_filter()
        speakers = self.controller.document.speakers.values()
        self.filter_bar.set_speakers([(s.id, s.name) for s in speakers])
        if self.speaker_filter() != before:  # the filtered speaker was merged away or removed
            self._apply_filter()
            self.speaker_filter_changed.emit(self.speaker_filter())

    def speaker_filter(self) -> str | None:
        """Return the id of the speaker whose cues alone are shown, or None."""
        return self.filter_bar.speaker.currentData()

    def set_speaker_filter(self, speaker_id: str | None) -> None:
        """Show only the cues of `speaker_id` (None: every cue); the filter bar follows."""
        combo = self.filter_bar.speaker
        combo.setCurrentIndex(max(combo.findData(speaker_id), 0) if speaker_id is not None else 0)

    def _on_speaker_choice(self, _index: int) -> None:
        self.speaker_filter_changed.emit(self.speaker_filter())

    def _apply_filter(self) -> None:
        bar = self.filter_bar
        self.proxy.set_filter(
            bar.text.text(),
            bar.speaker.currentData(),
            bar.problems.isChecked(),
            needs_review_only=bar.needs_review.isChecked(),
            notes_only=bar.notes.isChecked(),
        )
        if self.proxy.active:
            if self.proxy.sourceModel() is not self.model:
                self.proxy.setSourceModel(self.model)
            self.view.show_model(self.proxy)
        else:
            self.view.show_model(self.model)
            self.proxy.setSourceModel(None)
        self.view.reselect()
