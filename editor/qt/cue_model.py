"""The cue table model: a QAbstractTableModel over controller.document, plus its QC tracker.

The model holds no document logic: edits go through controller.apply as core edits,
and the view refreshes from the controller's ChangeSets (exact rows and columns).
"""

from __future__ import annotations

from enum import IntEnum
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from editor.core import edits, timecode
from editor.core.edits import ChangeSet
from editor.core.errors import EditorError, ValidationError
from editor.core.model import Cue, Document, Review, TimeSource, Timing, plain_text
from editor.core.style import SOURCE, StyleProfile, StyleSettings
from editor.qt import prepared, theme
from editor.qt.controller import Controller
from editor.qt.core_modules import operations as _operations

if TYPE_CHECKING:
    from editor.core.qc import Problem, QcIndex


def _solid(color: QColor) -> QBrush:
    """Return QBrush(color) (equal to it: a test compares them). Named with its style, the one
    constructor of a colour alone is not told apart from QBrush(QGradient), which makes PySide
    build QGradient's enum types (~2 ms of the table's first paint)."""
    return QBrush(color, Qt.BrushStyle.SolidPattern)


class Column(IntEnum):
    NUMBER = 0
    START = 1
    END = 2
    DURATION = 3
    CPS = 4
    SPEAKER = 5
    TEXT = 6
    TRANSLATION = 7
    STATUS = 8
    # Shown beside # (the table moves it there): last here, so that the columns before it keep
    # their numbers (and saved column widths their meaning).
    REVIEW = 9


HEADERS = {
    Column.NUMBER: "#",
    Column.START: "Start",
    Column.END: "End",
    Column.DURATION: "Duration",
    Column.CPS: "CPS",
    Column.SPEAKER: "Speaker",
    Column.TEXT: "Text",
    Column.TRANSLATION: "Translation",
    Column.STATUS: "Status",
    Column.REVIEW: "✓",
}
HEADER_TIPS = {Column.REVIEW: "Review state of the translation: ✓ reviewed, ● needs review"}

# Which columns show a cue field (ChangeSet.fields → dataChanged columns).
FIELD_COLUMNS: dict[str, tuple[Column, ...]] = {
    "start_ms": (Column.START, Column.DURATION, Column.CPS),
    "end_ms": (Column.END, Column.DURATION, Column.CPS),
    "text": (Column.TEXT, Column.CPS),
    "translation": (Column.TRANSLATION, Column.STATUS, Column.REVIEW),
    "speaker_id": (Column.SPEAKER,),
    "review": (Column.STATUS, Column.REVIEW),
    "timing": (Column.START, Column.END, Column.STATUS),
    "note": (Column.NUMBER,),
}
# Marks the # cell of a cue with a note (the note itself is the cell's tooltip).
NOTE_MARK = "✎"
EDITABLE = {Column.START, Column.END, Column.SPEAKER, Column.TEXT, Column.TRANSLATION}
# Which cells a QC check is about (tinted, with the reason in their tooltip). Checks not
# listed (and every check, in the Status column) tint the Status cell.
CHECK_COLUMNS: dict[str, tuple[Column, ...]] = {
    "line_length": (Column.TEXT,),
    "lines": (Column.TEXT,),
    "empty": (Column.TEXT,),
    "cps": (Column.CPS, Column.TEXT),
    "duration_short": (Column.DURATION,),
    "duration_long": (Column.DURATION,),
    "gap": (Column.END,),
    "overlap": (Column.END,),
    "order": (Column.START,),
    "estimated": (Column.START, Column.END),
    "speaker_missing": (Column.SPEAKER,),
}
CUE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PROBLEMS_ROLE = Qt.ItemDataRole.UserRole + 2  # list of Problem for the row's cue
ROW_NUMBER_ROLE = Qt.ItemDataRole.UserRole + 3  # 1-based position in the document
# data() is called from C++ for every role a view asks about (the table paints from
# paint_data instead, one call per cell): plain ints and frozensets keep each call a few
# dict lookups, where enum attribute access and flag arithmetic cost more than the answer.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_CUE_ROLES = frozenset({_DISPLAY, _EDIT, _TOOLTIP, _BACKGROUND, _FOREGROUND, CUE_ID_ROLE, PROBLEMS_ROLE})
_RIGHT_ALIGNED = frozenset(
    int(c) for c in (Column.NUMBER, Column.START, Column.END, Column.DURATION, Column.CPS)
)
_ALIGN_RIGHT_FLAG = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ALIGN_RIGHT = int(_ALIGN_RIGHT_FLAG)
_TIME_COLUMNS = frozenset((int(Column.START), int(Column.END)))
_REVIEW = int(Column.REVIEW)
_ALIGN_CENTER_FLAG = Qt.AlignmentFlag.AlignCenter
_NUMBER = int(Column.NUMBER)
_N_COLUMNS = len(Column)
_COLUMN_FLAGS = tuple(
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | (Qt.ItemFlag.ItemIsEditable if c in EDITABLE else Qt.ItemFlag.NoItemFlags)
    for c in Column
)
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
REVIEW_LABELS = {
    Review.UNTRANSLATED: "untranslated",
    Review.NEEDS_REVIEW: "needs review",
    Review.REVIEWED: "reviewed",
}
# The review column's marks (a cue without a translation shows none), and their colours.
REVIEW_MARKS = {Review.NEEDS_REVIEW: "●", Review.REVIEWED: "✓"}
REVIEW_COLORS = {Review.NEEDS_REVIEW: "warning", Review.REVIEWED: "reviewed"}


def cps_of(cue: Cue, style: StyleProfile | None = None) -> float | None:
    """Return characters per second of the cue's visible text, counted as `style` counts
    them (every character 1 without one); None for a zero-length cue."""
    if cue.end_ms <= cue.start_ms:
        return None
    plain = plain_text(cue.text)
    chars = style.reading_chars(plain) if style is not None else len(plain.replace("\n", ""))
    return chars * 1000.0 / (cue.end_ms - cue.start_ms)


def tooltip_html(text: str) -> str:
    """Return `text` as an escaped rich-text tooltip: markup in cue text shows literally."""
    # html.escape(text, quote=False), without importing html (its entity table) at start-up
    body = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
    return f"<qt>{body}</qt>"


class _StaleQc(Exception):
    """The document changed while QC was being rebuilt in the background."""


def _catch_up_ok(changes: ChangeSet) -> bool:
    """Return True when an index built while `changes` landed can be brought up to date by
    `QcIndex.update(changes)`: in-place edits of fewer than BACKGROUND_QC_MIN_CUES existing
    cues (why this is sound: the catch-up in QcTracker)."""
    return (
        not (changes.structure or changes.inserted or changes.removed or changes.speakers or changes.document)
        and len(changes.cue_ids) < BACKGROUND_QC_MIN_CUES
    )


# Edits touching at least this many cues (shift all, sync) re-run QC on a worker thread
# instead of updating the index in place on the GUI thread (~0.5 s per 100k cues).
BACKGROUND_QC_MIN_CUES = 5000
# A change that re-checks every cue (about 50 ms per 1000 cues with spelling) goes to the
# background from this size on, so the window never stalls for it.
WIDE_QC_BACKGROUND_MIN_CUES = 1000
_LANGUAGE_FIELDS = frozenset({"glossary", "spelling_ignore", "source_language", "translation_language"})
REBUILD_DELAY_MS = 300
# Edits touching more cues than this repaint every row instead of looking up each one's row.
WIDE_CHANGE_CUES = 2000


class QcTracker(QObject):
    """Keeps a QcIndex in step with the document.

    Signals: `updated()` after each refresh; `rebuilt()` when a whole new index replaced
    the old one (every row's tint may have changed).
    """

    updated = Signal()
    rebuilt = Signal()

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.index: QcIndex | None = None
        self._rebuilding = False
        self._wanted = False
        # What the document, revision and styles were when the running rebuild started, and
        # every ChangeSet applied since (see _catch_up).
        self._started: tuple[Document, int, StyleSettings] | None = None
        self._since = ChangeSet()
        # A burst of large edits (shift all pressed twice, undone at once) gets one background
        # pass after it settles: a pass started per step would only race the GUI thread for
        # the GIL (undo of a 100k shift took ~3x longer) and be thrown away as stale.
        self._delay = QTimer(self, singleShot=True, interval=REBUILD_DELAY_MS)
        self._delay.timeout.connect(self.rebuild_in_background)
        controller.styles_changed.connect(self._on_styles_changed)
        self.reset()

    def reset(self, prebuilt: QcIndex | None = None) -> None:
        """Rebuild for the controller's document (or adopt an index built in the background)."""
        self._wanted = False  # a background rebuild for an older document is no longer needed
        self._delay.stop()
        if prebuilt is not None:
            self.replace_index(prebuilt)
        elif len(self._controller.document) or self.index is not None:
            self.replace_index(self.build(self._controller.document, self._controller.styles))
        self.updated.emit()

    def replace_index(self, index: QcIndex | None) -> None:
        """Use `index` from now on; a large old one is emptied on a worker thread (freeing a
        100k-cue index at once held the GUI thread ~30 ms as the new one arrived)."""
        old, self.index = self.index, index
        if old is not None and len(old.doc) >= BACKGROUND_QC_MIN_CUES:
            from editor.qt import workers

            def failed(exc: BaseException) -> None:
                raise exc

            # After the repaint the new index causes, not racing it for the GIL.
            QTimer.singleShot(1000, lambda: workers.run_task(old.discard, lambda _none: None, failed))

    @staticmethod
    def build(document: Document, styles: StyleSettings | None = None) -> QcIndex:
        """Return a QcIndex for `document` under the user's style settings (safe to call on a
        worker thread before the GUI sees the document). QC is imported on first use: it is
        not needed to show a window."""
        from editor.core.qc import QcIndex, QcProfile

        return QcIndex(document, QcProfile(styles=styles or StyleSettings()))

    def _on_styles_changed(self) -> None:
        """New limits: check everything again (tints and counts change everywhere)."""
        if self.index is None:
            return
        if len(self._controller.document) >= BACKGROUND_QC_MIN_CUES:
            self.rebuild_in_background()
            return
        from editor.core.qc import QcProfile

        self.index.set_profile(QcProfile(styles=self._controller.styles))
        self.rebuilt.emit()
        self.updated.emit()

    def update(self, changes: ChangeSet) -> None:
        """Bring the index up to date with `changes` (large changes: in the background)."""
        if self._rebuilding:
            self._since.merge(changes)  # (into the tracker's own ChangeSet: `changes` is not touched)
        if self.index is not None:
            # A new glossary or ignore list, or a name word lost, re-checks every cue's language checks.
            wide = (
                changes.document & _LANGUAGE_FIELDS
                or (changes.speakers and self.index.speakers_need_rebuild())
            ) and len(self._controller.document) >= WIDE_QC_BACKGROUND_MIN_CUES
            if len(changes.cue_ids) >= BACKGROUND_QC_MIN_CUES or wide:
                self._wanted = True
                self._delay.start()
                return  # the old index answers (slightly stale) until the new one arrives
            self.index.update(changes)
        self.updated.emit()

    @property
    def rebuilding(self) -> bool:
        """Return True while a fresh index is on its way (scheduled or being built)."""
        return self._rebuilding or self._delay.isActive()

    def rebuild_in_background(self) -> None:
        """Build a fresh index on a worker thread; adopted if the document did not change
        meanwhile, or changed only by a few in-place cue edits (brought up to date then)."""
        self._wanted = True
        if self._rebuilding:
            return
        from editor.qt import workers

        controller = self._controller
        doc, revision, styles = controller.document, controller.revision, controller.styles
        self._started = (doc, revision, styles)
        self._since = ChangeSet()

        def job() -> QcIndex:
            try:
                index = self.build(doc, styles)
            except Exception as exc:  # the GUI changed the document under us: try again
                raise _StaleQc from exc
            # Edits landed meanwhile: sent back only if the GUI thread may catch up with them
            # (checked again there, as more edits may land before the result arrives).
            stale = controller.revision != revision and not _catch_up_ok(self._since)
            if stale or controller.document is not doc or controller.styles != styles:
                raise _StaleQc
            return index

        self._rebuilding = True
        workers.run_task(job, self._rebuild_done, self._rebuild_failed, owner=self, pause_gc=True)

    def _catch_up(self, index: QcIndex) -> bool:
        """Bring `index`, built while edits landed, up to date with them; return False when it
        cannot be (it must be built again).

        Sound for in-place edits of existing cues only: QcIndex.rebuild reads the document in
        passes (ids, speaker ids, translations, ratios, start and end times, the checks), each
        a snapshot of `doc.cues` the GUI thread may edit between (or, for the Python-level
        ones, during). With no cue inserted, removed or moved, the list holds the same cue
        objects in the same order throughout, so only the cues edited meanwhile may have been
        read half old, half new, and update() re-sets exactly their per-cue state (speaker,
        translation, missing, ratio, own problems and codes, the counts by difference) and
        re-checks the pairs on both sides of each. What is document-wide follows from those:
        the median translation ratio is recomputed from the ratio table and the cues it
        moves are re-checked; whether any cue has a translation or a speaker is recomputed.
        Everything else the build read is document-level (languages, glossary, ignore list,
        speaker table, style limits): a change there, or any structural change, rebuilds.
        """
        assert self._started is not None
        doc, revision, styles = self._started
        controller = self._controller
        if controller.document is not doc or controller.styles != styles:
            return False
        if controller.revision == revision:
            return True
        changes = self._since
        if not _catch_up_ok(changes):
            return False
        index.update(changes)
        return True

    def _rebuild_done(self, index: QcIndex) -> None:
        self._rebuilding = False
        if not self._catch_up(index):
            self._since = ChangeSet()
            from editor.qt import workers

            def failed(exc: BaseException) -> None:
                raise exc

            workers.run_task(index.discard, lambda _none: None, failed)  # not freed on the GUI thread
            self._rebuild_failed(_StaleQc())
            return
        self._since = ChangeSet()
        self._wanted = False
        self.replace_index(index)
        self.rebuilt.emit()
        self.updated.emit()

    def _rebuild_failed(self, exc: BaseException) -> None:
        self._rebuilding = False
        self._since = ChangeSet()
        if not isinstance(exc, _StaleQc):
            raise exc
        if self._wanted:
            QTimer.singleShot(100, self, self.rebuild_in_background)

    def problems_for(self, cue_id: int) -> list[Problem]:
        return self.index.problems_for(cue_id) if self.index is not None else []

    def has_problems(self, cue_id: int) -> bool:
        """Return True when `cue_id` has a problem (without building its Problems)."""
        return self.index.has_problems(cue_id) if self.index is not None else False

    def count(self) -> int:
        return self.index.count if self.index is not None else 0

    def next_problem_after(self, cue_id: int | None) -> int | None:
        """Return the id of the next cue with a problem after `cue_id` (wrapping), or None."""
        if self.index is None:
            return None
        return self.index.next_problem_after(cue_id)


# Where Align to Audio took a cue's times from: short in the Status column, long in tooltips.
TIME_SOURCE_LABELS = {
    TimeSource.SPEECH: "aligned",
    TimeSource.PAUSES: "≈ by pauses",
    TimeSource.ESTIMATED: "est. (not aligned)",
}
TIME_SOURCE_TIPS = {
    TimeSource.SPEECH: "Times aligned by the speech model",
    TimeSource.PAUSES: "Times from pauses and punctuation only: check them",
    TimeSource.ESTIMATED: "Alignment could not time this cue: its times are estimated",
}


class CueTableModel(QAbstractTableModel):
    """Rows are the document's cues in document order; see Column for the columns.

    Signals: `edit_failed(QModelIndex, str)` when a cell edit is refused (the reason).
    """

    edit_failed = Signal(QModelIndex, str)

    def __init__(self, controller: Controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.qc = QcTracker(controller, self)
        self._ids: list[int] = _cue_ids(controller.document)
        # Refused edits keep their reason on the cell until the next good edit there.
        self._cell_errors: dict[tuple[int, int], str] = {}
        self._qc_pending = False
        # A painted row asks for its cue's problems once per cell (tint, status, tooltip);
        # kept until QC reports a change.
        self._problems: dict[int, list[Problem]] = {}
        self.qc.updated.connect(self._problems.clear)
        controller.changed.connect(self._on_changed)
        controller.document_replaced.connect(self._on_replaced)
        self._speaker_names: dict[str, str] | None = None  # the names the speaker cells show
        self.qc.rebuilt.connect(self._on_qc_rebuilt)

    # -- shape ------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _N_COLUMNS  # asked for every painted cell: no enum len()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr(HEADERS[Column(section)])
            if role == Qt.ItemDataRole.ToolTipRole and section in HEADER_TIPS:
                return self.tr(HEADER_TIPS[Column(section)])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _COLUMN_FLAGS[index.column()]

    # -- lookup --------------------------------------------------------------------------
    def cue_id_at(self, row: int) -> int:
        """Return the id of the cue shown in `row`; raises IndexError."""
        return self._ids[row]

    def row_of(self, cue_id: int) -> int:
        """Return the row of `cue_id`; raises KeyError when it is not shown."""
        return self.controller.document.row_of(cue_id)

    def problems_for(self, cue_id: int) -> list[Problem]:
        """Return the QC problems of `cue_id` (cached until the next QC update; do not modify)."""
        found = self._problems.get(cue_id)
        if found is None:
            found = self._problems[cue_id] = self.qc.problems_for(cue_id)
        return found

    # -- data ----------------------------------------------------------------------------
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row = index.row()  # -1 for an invalid index
        if not 0 <= row < len(self._ids):
            return None
        if role == _ALIGNMENT:
            col = index.column()
            if col == _REVIEW:
                return int(_ALIGN_CENTER_FLAG)
            return _ALIGN_RIGHT if col in _RIGHT_ALIGNED else None
        if role == ROW_NUMBER_ROLE:
            return row + 1
        if role not in _CUE_ROLES:
            return None  # font, decoration, check state…: asked for every painted cell
        try:
            cue = self.controller.document.cue(self._ids[row])
        except KeyError:
            # A removed cue whose row is being taken out right now (rowsAboutToBeRemoved).
            return None
        col = index.column()
        if role == _DISPLAY:
            return self._display(cue, row, col)
        if role == _BACKGROUND:
            return self._background(cue, col)
        if role == _FOREGROUND:
            return self._foreground(cue, col)
        if role == _EDIT:
            return self._edit_value(cue, col)
        if role == _TOOLTIP:
            return self._tooltip(cue, row, col)
        if role == CUE_ID_ROLE:
            return cue.id
        return list(self.problems_for(cue.id))  # PROBLEMS_ROLE: the caller's own copy

    def paint_data(
        self, row: int, col: int
    ) -> tuple[str | None, Qt.AlignmentFlag | None, QBrush | None, QBrush | None]:
        """Return what a painted cell shows: (text, alignment, text brush, background brush).

        The table's delegate asks this once per painted cell; Qt's own delegate asks data()
        once per role, seven calls into Python per cell (~900 per repaint of the table). The
        # column shows the row number (what ROW_NUMBER_ROLE gives).
        """
        if not 0 <= row < len(self._ids):
            return None, None, None, None
        if col == _NUMBER:
            doc, cue_id = self.controller.document, self._ids[row]
            noted = doc.has_cue(cue_id) and doc.cue(cue_id).note
            number = f"{NOTE_MARK}{row + 1}" if noted else str(row + 1)
            return number, _ALIGN_RIGHT_FLAG, None, None
        align = _ALIGN_RIGHT_FLAG if col in _RIGHT_ALIGNED else _ALIGN_CENTER_FLAG if col == _REVIEW else None
        try:
            cue = self.controller.document.cue(self._ids[row])
        except KeyError:
            return None, align, None, None  # a removed cue whose row is being taken out
        return self._display(cue, row, col), align, self._foreground(cue, col), self._background(cue, col)

    def _foreground(self, cue: Cue, col: int) -> QBrush | None:
        if col in _TIME_COLUMNS and cue.timing is Timing.ESTIMATED:
            return _solid(theme.text_color("estimated"))
        if col == _REVIEW and cue.review in REVIEW_COLORS:
            return _solid(theme.text_color(REVIEW_COLORS[cue.review]))
        return None

    def _display(self, cue: Cue, row: int, col: int) -> str | None:
        if col == Column.NUMBER:
            # The row number is a property of the position, not of the cue: views paint it
            # from ROW_NUMBER_ROLE (the table: paint_data), so rows keep stable data when
            # cues are inserted above them (what QAbstractItemModelTester checks).
            return None
        if col == Column.START:
            return timecode.format_short(cue.start_ms)
        if col == Column.END:
            return timecode.format_short(cue.end_ms)
        if col == Column.DURATION:
            return f"{cue.duration_ms / 1000:.3f}"
        if col == Column.CPS:
            cps = cps_of(cue, self.controller.style(SOURCE, cue.text))
            return "–" if cps is None else f"{cps:.1f}"
        if col == Column.SPEAKER:
            return self.controller.document.speaker_name(cue.speaker_id) or ""
        if col == Column.TEXT:
            return cue.text
        if col == Column.TRANSLATION:
            return cue.translation
        if col == Column.REVIEW:
            return REVIEW_MARKS.get(cue.review, "") if cue.translation else ""
        if col == Column.STATUS:
            label = REVIEW_LABELS.get(cue.review)
            parts = [self.tr(label) if label else str(cue.review)] if cue.translation else []
            if cue.time_source:
                parts.append(self.tr(TIME_SOURCE_LABELS[cue.time_source]))
            elif cue.timing == Timing.ESTIMATED:
                parts.append(self.tr("est."))
            problems = self.problems_for(cue.id)
            if problems:
                parts.append(f"⚠ {len(problems)}")
            return ", ".join(parts)
        return None

    def _edit_value(self, cue: Cue, col: int) -> str | None:
        """What an editor starts from: what the cell shows (the row does not matter)."""
        return self._display(cue, 0, col)

    def _tooltip(self, cue: Cue, row: int, col: int) -> str | None:
        lines: list[str] = []
        error = self._cell_errors.get((cue.id, col))
        if error:
            lines.append(self.tr("Refused: {reason}").format(reason=error))
        if col == Column.NUMBER and cue.note:
            lines.append(self.tr("Note: {note}").format(note=cue.note))
        elif col == Column.TEXT and cue.text:
            lines.append(cue.text)
        elif col == Column.TRANSLATION and cue.translation:
            lines.append(cue.translation)
        elif col == Column.REVIEW and cue.translation and cue.review in REVIEW_LABELS:
            lines.append(self.tr("Translation: {state}").format(state=self.tr(REVIEW_LABELS[cue.review])))
        elif col == Column.START and cue.time_source:
            lines.append(self.tr(TIME_SOURCE_TIPS[cue.time_source]))
        elif col == Column.START and cue.timing == Timing.ESTIMATED:
            lines.append(self.tr("Estimated timing (not from the file)"))
        severities = {"error": self.tr("error"), "warning": self.tr("warning"), "info": self.tr("info")}
        for problem in self._cell_problems(cue.id, col):
            lines.append(f"{severities.get(str(problem.severity), problem.severity)}: {problem.message}")
        return tooltip_html("\n".join(lines)) if lines else None

    def _cell_problems(self, cue_id: int, col: int) -> list[Problem]:
        """Return the QC problems a cell is about (the Status cell shows them all)."""
        problems = self.problems_for(cue_id)
        if col == Column.STATUS or not problems:
            return problems
        return [p for p in problems if col in _columns_of(p.check)]

    def _background(self, cue: Cue, col: int) -> QBrush | None:
        if (cue.id, col) in self._cell_errors:
            return _solid(theme.tint("invalid"))
        problems = self._cell_problems(cue.id, col)
        if not problems:
            return None
        worst = min(problems, key=lambda p: _SEVERITY_ORDER.get(str(p.severity), 3))
        severity = str(worst.severity)
        # Picked per palette at paint time: a light tint under a dark palette's white text is unreadable.
        return _solid(theme.tint(severity if severity in ("error", "warning") else "info"))

    # -- editing -------------------------------------------------------------------------
    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ):
        """Apply a cell edit through the controller; returns False (and keeps the reason) when refused."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in EDITABLE:
            return False
        cue = self.controller.document.cue(self._ids[index.row()])
        col = Column(index.column())
        try:
            edit, label = self._edit_for(cue, col, "" if value is None else str(value))
            if edit is not None:
                self.controller.apply(edit, label)
        except (EditorError, KeyError, ValueError) as exc:
            reason = exc.reason if isinstance(exc, ValidationError) else str(exc)
            self._cell_errors[(cue.id, col)] = reason
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole])
            self.edit_failed.emit(QModelIndex(index), reason)
            return False
        if self._cell_errors.pop((cue.id, col), None) is not None:
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole])
        return True

    def cell_error(self, index: QModelIndex) -> str | None:
        """Return why the last edit of this cell was refused, or None."""
        if not index.isValid():
            return None
        return self._cell_errors.get((self._ids[index.row()], index.column()))

    def _edit_for(self, cue: Cue, col: Column, value: str) -> tuple[edits.Edit | None, str]:
        """Return (core edit, undo label) for a cell value; raises ValidationError when unacceptable."""
        if col in (Column.START, Column.END):
            ms = timecode.parse_user(value)
            if ms < 0:
                raise ValidationError("time", self.tr("a cue cannot start or end before 0:00"))
            start, end = (ms, cue.end_ms) if col == Column.START else (cue.start_ms, ms)
            if end < start:
                what = (
                    self.tr("the cue would start after its end ({start} → {end})")
                    if col == Column.START
                    else self.tr("the cue would end before its start ({start} → {end})")
                )
                raise ValidationError(
                    "time", what.format(start=timecode.format_short(start), end=timecode.format_short(end))
                )
            if (start, end) == (cue.start_ms, cue.end_ms):
                return None, ""
            label = self.tr("Set start") if col == Column.START else self.tr("Set end")
            return _operations().retime(self.controller.document, {cue.id: (start, end)}), label
        if col == Column.TEXT:
            if cue.text == value:
                return None, ""
            return edits.set_field(cue.id, "text", value), self.tr("Edit text")
        if col == Column.TRANSLATION:
            if cue.translation == value:
                return None, ""
            edit = _operations().type_translation(self.controller.document, cue.id, value)
            return edit, self.tr("Edit translation")
        if col == Column.SPEAKER:
            if value.strip() == (self.controller.document.speaker_name(cue.speaker_id) or ""):
                return None, ""
            edit = _operations().assign_speaker_named(self.controller.document, [cue.id], value)
            return edit, self.tr("Set speaker")
        return None, ""

    # -- refresh -------------------------------------------------------------------------
    def _on_replaced(self) -> None:
        self._problems.clear()
        self.beginResetModel()
        self._ids = _CUE_IDS.take_or_scan(self.controller.document)  # listed on the loader
        self._cell_errors.clear()
        self._speaker_names = {sid: sp.name for sid, sp in self.controller.document.speakers.items()}
        self.endResetModel()
        # Building QC for a long document is slow: the opener usually hands over an index
        # built on the worker thread right after this (adopt_qc_index); build one here only
        # when nobody did by the next event-loop turn.
        self.qc.replace_index(None)
        self._qc_pending = True
        QTimer.singleShot(0, self, self._build_qc_if_pending)

    def skip_qc(self) -> None:
        """Show the current document without QC (a read-only preview about to be replaced)."""
        self._qc_pending = False

    def rebuild_qc(self) -> None:
        """Build the current document's QC index afresh on a worker thread (the one built at
        load went stale); `qc.rebuilt` repaints every row when it arrives."""
        self._qc_pending = False
        self.qc.rebuild_in_background()

    def _build_qc_if_pending(self) -> None:
        if self._qc_pending:
            self.adopt_qc_index(QcTracker.build(self.controller.document, self.controller.styles))

    def _on_qc_rebuilt(self) -> None:
        if self._ids:
            top, bottom = self.index(0, 0), self.index(len(self._ids) - 1, len(Column) - 1)
            roles = [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.DisplayRole]
            self.dataChanged.emit(top, bottom, roles)

    def adopt_qc_index(self, index: QcIndex) -> None:
        """Use a QC index built for the current document (possibly off the GUI thread)."""
        self._qc_pending = False
        self.qc.reset(index)
        if self._ids:
            top, bottom = self.index(0, 0), self.index(len(self._ids) - 1, len(Column) - 1)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.DisplayRole])

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.structure:
            self._sync_structure()
        before = self._problem_ids(changes)
        self.qc.update(changes)
        after = self._problem_ids(changes)
        doc = self.controller.document
        columns: set[int] = set()
        for name in changes.fields:
            columns.update(FIELD_COLUMNS.get(name, ()))
        if columns and len(changes.cue_ids) > WIDE_CHANGE_CUES and self._ids:
            # Shift all, sync, their undo: one signal for every row instead of an O(n) pass
            # that maps 100k ids to rows (the view repaints only the visible ones anyway).
            self._emit_rows(range(len(self._ids)), sorted(columns), [])
        elif columns:
            rows = {doc.row_of(i) for i in changes.cue_ids if doc.has_cue(i) and i not in changes.inserted}
            self._emit_rows(sorted(rows), sorted(columns), [])
        if changes.speakers and self._ids and self._speaker_names_changed():
            self._emit_rows(range(len(self._ids)), [Column.SPEAKER], [])
        # QC results can change on neighbours of an edited cue (overlaps, gaps): repaint their tint.
        qc_rows = {doc.row_of(i) for i in before | after if doc.has_cue(i)}
        if self.qc.index is not None and self.qc.index.wide_change and self._ids:
            # A document-wide figure moved (e.g. the first translation): any row may change tint.
            self._on_qc_rebuilt()
            return
        if qc_rows and self.qc.index is not None:
            roles = [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.DisplayRole]
            self._emit_rows(sorted(qc_rows), [Column.START, Column.STATUS], roles)

    def _speaker_names_changed(self) -> bool:
        """Return whether a speaker was renamed or removed since the last call (a speaker added to
        the table names no cue yet: cells that show it are repainted as changed cues)."""
        names = {sid: sp.name for sid, sp in self.controller.document.speakers.items()}
        before, self._speaker_names = self._speaker_names, names
        return before is None or any(names.get(sid) != name for sid, name in before.items())

    def _problem_ids(self, changes: ChangeSet) -> set[int]:
        """Return ids whose QC tint may change: changed cues and their neighbours."""
        if self.qc.index is None or not changes.cue_ids or len(changes.cue_ids) > 2000:
            return set()
        doc = self.controller.document
        ids: set[int] = set()
        for cue_id in changes.cue_ids:
            if not doc.has_cue(cue_id):
                continue
            row = doc.row_of(cue_id)
            for r in (row - 1, row, row + 1):
                if 0 <= r < len(doc.cues):
                    ids.add(doc.cues[r].id)
        return ids

    def _emit_rows(self, rows, columns, roles) -> None:
        """Emit dataChanged for the rows (grouped into contiguous runs) over the columns' span."""
        if not rows or not columns:
            return
        first_col, last_col = min(columns), max(columns)
        if isinstance(rows, range) and rows.step == 1:
            self.dataChanged.emit(self.index(rows[0], first_col), self.index(rows[-1], last_col), roles)
            return
        rows = list(rows)
        runs = _runs(rows)
        if len(runs) > 64:  # many scattered rows: one signal is cheaper than hundreds
            runs = [(rows[0], rows[-1])]
        for top, bottom in runs:
            self.dataChanged.emit(self.index(top, first_col), self.index(bottom, last_col), roles)

    def _sync_structure(self) -> None:
        """Turn the document's new cue order into row insert/remove signals (reset if reordered)."""
        new_ids = _cue_ids(self.controller.document)
        new_set = set(new_ids)
        old_ids = self._ids
        # Removals first, bottom-up, in contiguous runs.
        removed_rows = [r for r, cue_id in enumerate(old_ids) if cue_id not in new_set]
        if len(removed_rows) > 1000 or (len(new_ids) - len(old_ids) + len(removed_rows)) > 1000:
            self.beginResetModel()
            self._ids = new_ids
            self.endResetModel()
            return
        for top, bottom in reversed(_runs(removed_rows)):
            self.beginRemoveRows(QModelIndex(), top, bottom)
            del self._ids[top : bottom + 1]
            self.endRemoveRows()
        kept = set(self._ids)
        inserted_rows = [r for r, cue_id in enumerate(new_ids) if cue_id not in kept]
        for top, bottom in _runs(inserted_rows):
            self.beginInsertRows(QModelIndex(), top, bottom)
            self._ids[top:top] = new_ids[top : bottom + 1]
            self.endInsertRows()
        if self._ids != new_ids:  # cues moved: positions cannot be told as inserts/removes
            self.beginResetModel()
            self._ids = new_ids
            self.endResetModel()


def _columns_of(check: str) -> tuple[Column, ...]:
    """Return the columns a check is about (translation checks: the Translation column)."""
    if check in CHECK_COLUMNS:
        return CHECK_COLUMNS[check]
    return (Column.TRANSLATION,) if check.startswith("tr_") else ()


def _cue_ids(document: Document) -> list[int]:
    """Return the document's cue ids in row order (map + attrgetter: a C loop, ~3x a listcomp)."""
    return list(map(attrgetter("id"), document.cues))


# Opening a file lists the ids on the loader thread (a 100k-cue list: 5-20 ms on the GUI thread).
_CUE_IDS = prepared.register(_cue_ids)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Return sorted rows grouped as (first, last) contiguous runs."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
