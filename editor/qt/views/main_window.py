"""The main window: cue table, edit panel and timeline; menus, status bar, open/save/export.

Every document change goes through controller.apply as a core edit (one undo step each);
this module only decides which core operation to ask for and shows what went wrong.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QFrame,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QUndoView,
    QWidget,
)

from editor.core import documents, edits, timecode
from editor.core.errors import EditorError
from editor.core.model import Document, Metadata
from editor.core.style import SOURCE, StyleProfile, StyleSettings
from editor.qt import errors
from editor.qt.actions import ActionId, build_actions, shortcut_table
from editor.qt.autosave import Autosaver
from editor.qt.controller import Controller
from editor.qt.core_modules import operations as _operations
from editor.qt.plurals import ntr
from editor.qt.settings import Key, Settings, autosave_delay
from editor.qt.views.cue_table import CueTablePane
from editor.qt.views.edit_panel import EditPanel

MEDIA_EXTENSIONS = {".mp4", ".mkv", ".webm", ".mov", ".avi", ".mp3", ".wav", ".m4a", ".ogg", ".opus", ".flac"}
OPEN_FILTER = (
    "Subtitles and transcripts (*.srt *.vtt *.webvtt *.ass *.ssa *.sbv *.sub *.txt *.md *.json *.cueline)"
    ";;All files (*)"
)
MEDIA_PATTERNS = " ".join(f"*{e}" for e in sorted(MEDIA_EXTENSIONS))


# Preferred first when several files share the subtitle's name (talk.mp4 over talk.wav).
_MEDIA_PREFERENCE = (
    *(".mp4", ".mkv", ".webm", ".mov", ".avi"),
    *(".m4a", ".mp3", ".opus", ".ogg", ".flac", ".wav"),
)


def media_beside(path: str) -> str | None:
    """Return a media file named like `path` in its folder (talk.mp4 for talk.srt or
    talk.en.srt), or None. Extensions match in any case; nothing is opened."""
    folder, name = os.path.split(os.path.abspath(path))
    stem = os.path.splitext(name)[0]
    stems = [stem.casefold()]
    if "." in stem:  # talk.en.srt: a language code before the extension
        stems.append(stem.rsplit(".", 1)[0].casefold())
    try:
        entries = [e for e in os.scandir(folder) if e.is_file()]
    except OSError:
        return None
    found: dict[tuple[int, int], str] = {}
    for entry in entries:
        base, ext = os.path.splitext(entry.name)
        ext = ext.lower()
        if ext in _MEDIA_PREFERENCE and base.casefold() in stems:
            found[(stems.index(base.casefold()), _MEDIA_PREFERENCE.index(ext))] = entry.path
    return found[min(found)] if found else None


def load_job(
    path: str,
    translation: str | None = None,
    carry_speakers: bool | None = None,
    styles: StyleSettings | None = None,
    encoding: str | None = None,
    fps: float | None = None,
    *,
    checks: bool = True,
):
    """Return (document, qc index) for a file and an optional translation (runs on a worker thread).

    The translation is attached before the document is shown, so it is part of the
    opened state rather than an undo step. Without `checks` the languages are not detected and
    the QC index is None: the window shows the file first and runs them after it is
    shown. Raises ParseError/OSError.
    """
    from editor.core.formats import ReadOptions
    from editor.qt.cue_model import QcTracker

    # Label spellings of one person stay apart: the Speakers panel offers their merge.
    options = ReadOptions(merge_speaker_spellings=False, fps=fps, styles=styles)
    doc = documents.open_document(
        path,
        translation,
        encoding=encoding,
        options=options,
        carry_speakers=carry_speakers,
        styles=styles,
        detect=checks,
    )
    if len(doc):
        doc.row_of(doc.cues[0].id)  # build the id → row table here, not on the GUI thread
    return doc, (QcTracker.build(doc, styles) if checks else None)


def checks_job(doc: Document, styles: StyleSettings | None = None):
    """Return the QC index of a shown document after detecting the languages it does not name
    (runs on a worker thread; only two document attributes are set)."""
    from editor.qt.cue_model import QcTracker

    documents.detect_languages(doc)
    return QcTracker.build(doc, styles)


PREVIEW_MIN_BYTES = 1024 * 1024  # files smaller than this load fast enough without a preview
PREVIEW_BYTES = 128 * 1024
PREVIEW_PAINT_WAIT_MS = 250  # the most the whole-file load waits for the preview to be painted
FEATURES_WAIT_MS = 500  # deferred features install after the first paint, or after this
LANGUAGE_WARMUP_DELAY_MS = 2000  # after the first document is shown, before the user types


def _preload_format(path: str) -> None:
    """Import the reader a file's extension names, on the GUI thread, before two workers race to."""
    from editor.core import formats

    format_id = {".srt": "srt", ".vtt": "vtt", ".cueline": "cueline"}.get(os.path.splitext(path)[1].lower())
    if format_id is not None:
        formats.get(format_id)


def wants_preview(path: str) -> bool:
    """Return True for a long SRT/WebVTT file, whose first cues are worth showing while it loads."""
    try:
        return (
            os.path.splitext(path)[1].lower() in (".srt", ".vtt")
            and os.path.getsize(path) >= PREVIEW_MIN_BYTES
        )
    except OSError:
        return False


def preview_document(path: str) -> Document | None:
    """Return the first cues of a long SRT/WebVTT file (parsed from its head), or None.

    Used to paint rows while the whole file loads. Returns None for short files, other
    formats, UTF-16/32 files or anything that does not parse; never raises.
    """
    from editor.core import textio

    try:
        if not wants_preview(path):
            return None
        with open(path, "rb") as fh:
            head = fh.read(PREVIEW_BYTES)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return None
        cut = max(head.rfind(b"\n\n"), head.rfind(b"\r\n\r\n"))
        if cut <= 0:
            return None
        decoded = textio.decode(head[:cut] + b"\n", None, path)
        doc = documents.pick_format(decoded.text, path).read(decoded.text, None)
    except Exception:  # a preview is optional: the full load reports real errors
        return None
    return doc if len(doc) else None


def _import_timeline_deps() -> None:
    """Import what the timeline needs that does not touch Qt (numpy): safe off the GUI thread."""
    from editor.qt.views import timeline_geometry  # noqa: F401


class _AfterFirstPaint(QObject):
    """Calls `callback` once, just after `widget` next paints (on the next turn of the event
    loop, not inside the paint), or after `timeout_ms` when given and it has not painted."""

    def __init__(
        self, widget: QWidget, callback: Callable[[], object], timeout_ms: int | None = None
    ) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], object] | None = callback
        widget.installEventFilter(self)
        if timeout_ms is not None:
            QTimer.singleShot(timeout_ms, self, self._fire)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            QTimer.singleShot(0, self, self._fire)
        return False

    def _fire(self) -> None:
        if self._callback is not None:
            callback, self._callback = self._callback, None
            self._widget.removeEventFilter(self)
            callback()


class MainWindow(QMainWindow):
    """The editor window. `loaded(str)` fires after a document is shown (its path).

    `media_changed(str)` fires whenever the document's media path changes (opening a
    document, Open Media, undo/redo of it); "" means no media. The player and the waveform
    listen to it, so neither needs to know how the path got there.
    """

    loaded = Signal(str)
    load_failed = Signal(str)
    media_changed = Signal(str)

    def __init__(
        self,
        settings: Settings | None = None,
        controller: Controller | None = None,
        autosave_folder: str | None = None,
        autosave_delay_ms: int | None = None,
        *,
        defer_features: bool = False,
    ) -> None:
        """`defer_features`: install the feature modules (extensions.FEATURE_MODULES) just after the
        first paint instead of now, so the window appears ~50 ms sooner (the application does
        this; see after_features)."""
        super().__init__()
        self.settings = settings or Settings()
        self.controller = controller or Controller(parent=self)
        self.controller.set_styles(StyleSettings.from_dict(self.settings.get(Key.STYLES)))
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.is_sample = False
        self._loading = False
        self._load_generation = 0
        self._duration_ms: int | None = None
        self._previewing = False
        self._enabled_before_preview: dict[ActionId, bool] = {}
        self._find_dialog = None
        self._media_path = ""
        self._build_views()
        self._build_actions()
        self._build_status_bar()
        delay = autosave_delay_ms if autosave_delay_ms is not None else autosave_delay(self.settings)
        self.autosaver = Autosaver(self.controller, autosave_folder, delay, self)
        self.autosaver.failed.connect(lambda reason: self.show_message(self.tr("Autosave failed: ") + reason))
        c = self.controller
        # Bound methods, not lambdas: Qt drops the connection when this window is deleted.
        c.undo_stack.cleanChanged.connect(self._on_clean_changed)
        c.changed.connect(self._on_changed)
        c.document_replaced.connect(self._on_document_replaced)
        self.table_pane.model.qc.updated.connect(self._status_timer.start)
        geometry = self.settings.get(Key.WINDOW_GEOMETRY)
        if geometry:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        state = self.settings.get(Key.WINDOW_STATE)
        if state:
            self.restoreState(state)
        self._update_title()
        self._update_status()
        self._features_installed = False
        self.features: list[str] = []  # the names of the installed features, in install order
        self._after_features: list[Callable[[], object]] = []
        if defer_features:
            _AfterFirstPaint(self, self._install_features, FEATURES_WAIT_MS)
        else:
            self._install_features()
        # langdetect loads its profiles on first use (0.5–1.7 s): do it on a worker once the
        # window has settled, so the first translation typed is not the one that waits.
        QTimer.singleShot(LANGUAGE_WARMUP_DELAY_MS, self, self._warm_language)

    def _install_features(self) -> None:
        from editor.qt.views.extensions import install_all

        self.features = install_all(self)
        self._features_installed = True
        waiting, self._after_features = self._after_features, []
        for callback in waiting:
            callback()

    @property
    def previewing(self) -> bool:
        """True while a large file's first part is shown read-only, before the whole file."""
        return self._previewing

    @property
    def loading(self) -> bool:
        """True while a file is being read on a worker thread."""
        return self._loading

    def after_features(self, callback: Callable[[], object]) -> None:
        """Call `callback` once the feature modules are installed (now if they are)."""
        if self._features_installed:
            callback()
        else:
            self._after_features.append(callback)

    def _warm_language(self) -> None:
        from editor.core import language
        from editor.qt import workers

        if self._loading:
            # Not beside a load: parsing langdetect's Korean profile holds the GIL for ~20 ms
            # at a time, a stall of the window the load's own paints would add to.
            QTimer.singleShot(LANGUAGE_WARMUP_DELAY_MS, self, self._warm_language)
            return
        workers.run_task(language.preload, lambda _r: None, lambda _e: None, owner=self)

    # -- layout -------------------------------------------------------------------------
    def _build_views(self) -> None:
        c = self.controller
        self.table_pane = CueTablePane(c, self)
        self.edit_panel = EditPanel(c, self)
        self.table_pane.message.connect(self.show_message)
        self.edit_panel.message.connect(self.show_message)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table_pane)
        splitter.addWidget(self.edit_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([1000, 600])
        self.setCentralWidget(splitter)

        # The timeline's numpy (150-450 ms to import) is imported on a worker once the window
        # has painted, and the timeline built when it is there: the window appears sooner and
        # stays responsive meanwhile. Until then a plain frame holds its place (a 0 ms timer
        # alone fires before the first paint). ensure_timeline() builds it on demand.
        self.timeline = QFrame(self)
        self.timeline.setFrameShape(QFrame.Shape.StyledPanel)
        self.timeline.setMinimumHeight(140)
        self.timeline_dock = self.add_dock(
            "timelineDock", self.tr("Timeline"), self.timeline, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        # (After the paint has finished: the import competes with whatever still runs for the GIL.)
        self._first_paint = _AfterFirstPaint(self, self._prepare_timeline)
        self.history = QUndoView(c.undo_stack, self)
        self.history.setEmptyLabel(self.tr("<opened>"))
        self.history_dock = self.add_dock(
            "historyDock", self.tr("History"), self.history, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.history_dock.hide()

    def _prepare_timeline(self) -> None:
        from editor.qt import workers

        build = lambda _result: self.ensure_timeline()  # noqa: E731
        workers.run_task(_import_timeline_deps, build, build, owner=self)

    def ensure_timeline(self) -> QWidget:
        """Build the timeline view if it is not there yet (a placeholder when it is unavailable)."""
        if self.timeline.objectName() == "timeline":
            return self.timeline
        try:
            from editor.qt.views.timeline import TimelineView
        except ImportError:  # built by another issue; the window works without it
            TimelineView = None
        if TimelineView is not None:
            view = TimelineView(self.controller, self)
            view.seek_requested.connect(view.set_playhead_ms)
            edit_requested = getattr(view, "edit_requested", None)
            if edit_requested is not None:
                edit_requested.connect(self._on_timeline_edit)
        else:
            view = QLabel(self.tr("Timeline"), self)
            view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        view.setObjectName("timeline")
        view.setAccessibleName(self.tr("Timeline"))
        view.setMinimumHeight(140)
        old = self.timeline
        self.timeline = view
        self.timeline_dock.setWidget(view)
        old.deleteLater()
        render = getattr(view, "render_to_image", None)
        if render is not None:
            # PySide6 builds some enum types lazily on the first paint call that needs them
            # (~30-50 ms): pay that now, while idle, not in the middle of opening a long file.
            QTimer.singleShot(0, view, lambda: render(64, 48))
        return view

    def _on_timeline_edit(self, _cue_id: int) -> None:
        self.edit_panel.focus_text()

    def _timeline_call(self, name: str) -> None:
        method = getattr(self.ensure_timeline(), name, None)
        if method is not None:
            method()

    def add_dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        """Add a dock (`name` is its object name, kept in the saved window state)."""
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_actions(self) -> None:
        handlers: dict[ActionId, Callable[[], object]] = {
            ActionId.OPEN: self.open_dialog,
            ActionId.OPEN_TRANSLATION: self.open_translation_dialog,
            ActionId.OPEN_MEDIA: self.open_media_dialog,
            ActionId.SAVE: self.save,
            ActionId.SAVE_AS: self.save_as,
            ActionId.SAVE_PROJECT: self.save_project,
            ActionId.EXPORT: self.export_dialog,
            ActionId.QUIT: self.close,
            ActionId.UNDO: self.controller.undo_stack.undo,
            ActionId.REDO: self.controller.undo_stack.redo,
            ActionId.INSERT_BEFORE: lambda: self.insert_cue(before=True),
            ActionId.INSERT_AFTER: lambda: self.insert_cue(before=False),
            ActionId.DELETE: self.delete_cues,
            ActionId.SPLIT: self.split_cue,
            ActionId.MERGE: self.merge_cues,
            ActionId.FIND: lambda: self.find_dialog(False),
            ActionId.FIND_NEXT: self.find_next,
            ActionId.REPLACE: lambda: self.find_dialog(True),
            ActionId.PREFERENCES: self.preferences,
            ActionId.SHIFT: self.shift_dialog,
            ActionId.SYNC: self.sync_dialog,
            ActionId.READING_SPEED: self.reading_speed,
            ActionId.FIX_OVERLAPS: self.fix_overlaps,
            ActionId.CLOSE_GAPS: self.close_gaps,
            ActionId.RESEGMENT: self.resegment,
            ActionId.CONFIRM_TIMING: self.confirm_timing,
            ActionId.NEXT_CUE: lambda: self.edit_panel.step(1),
            ActionId.PREV_CUE: lambda: self.edit_panel.step(-1),
            ActionId.NEXT_PROBLEM: self.next_problem,
            ActionId.FOCUS_TABLE: lambda: self.table_pane.view.setFocus(Qt.FocusReason.ShortcutFocusReason),
            ActionId.FOCUS_TEXT: self.edit_panel.focus_text,
            ActionId.RENAME_SPEAKER: self.rename_speaker,
            ActionId.MERGE_SPEAKERS: self.merge_speakers,
            ActionId.CLEAR_SPEAKER: lambda: self.assign_speaker(None),
            ActionId.SHORTCUTS: self.show_shortcuts,
            ActionId.ABOUT: self.show_about,
        }
        self.actions = build_actions(self, handlers)
        stack = self.controller.undo_stack
        undo, redo = self.actions[ActionId.UNDO], self.actions[ActionId.REDO]
        undo.setEnabled(stack.canUndo())
        redo.setEnabled(stack.canRedo())
        stack.canUndoChanged.connect(undo.setEnabled)
        stack.canRedoChanged.connect(redo.setEnabled)
        stack.undoTextChanged.connect(self._on_undo_text)
        stack.redoTextChanged.connect(self._on_redo_text)

        bar = self.menuBar()
        menus: dict[str, object] = {}
        order = ("File", "Edit", "Timing", "Go", "Speakers", "Review", "Media", "View", "Help")
        titles = {
            "File": self.tr("&File"),
            "Edit": self.tr("&Edit"),
            "Timing": self.tr("&Timing"),
            "Go": self.tr("&Go"),
            "Speakers": self.tr("&Speakers"),
            "Review": self.tr("&Review"),
            "Media": self.tr("&Media"),
            "View": self.tr("&View"),
            "Help": self.tr("&Help"),
        }
        for name in order:
            menus[name] = bar.addMenu(titles[name])
            menus[name].setObjectName(f"menu_{name}")
        # Feature modules (editor.qt.views.extensions) add their own entries to these menus.
        self.menus = menus
        from editor.qt.actions import SPECS

        separators_before = {
            ActionId.SAVE,
            ActionId.EXPORT,
            ActionId.QUIT,
            ActionId.INSERT_BEFORE,
            ActionId.FIND,
        }
        for spec in SPECS:
            menu = menus[spec.menu]
            if spec.id in separators_before:
                menu.addSeparator()
            if spec.id == ActionId.SAVE:
                self.recent_menu = menu.addMenu(self.tr("Open &Recent"))
                self.recent_menu.aboutToShow.connect(self._fill_recent)
                menu.addSeparator()
            menu.addAction(self.actions[spec.id])
        self.speaker_menu = menus["Speakers"].addMenu(self.tr("&Assign to Selected"))
        self.speaker_menu.aboutToShow.connect(self._fill_speaker_menu)
        # Alt+1 … Alt+9 assign the n-th speaker (window-wide shortcuts).
        self.speaker_actions: list[QAction] = []
        for n in range(1, 10):
            action = QAction(self.tr("Assign speaker {n}").format(n=n), self)
            action.setShortcut(QKeySequence(f"Alt+{n}"))
            action.triggered.connect(lambda _c=False, n=n: self.assign_speaker_number(n))
            self.addAction(action)
            self.speaker_actions.append(action)
        view = menus["View"]
        view.addAction(self.timeline_dock.toggleViewAction())
        view.addAction(self.history_dock.toggleViewAction())
        self.history_dock.toggleViewAction().setText(self.tr("&History"))
        self.timeline_dock.toggleViewAction().setText(self.tr("&Timeline"))
        view.addSeparator()
        for text, keys, name in (
            (self.tr("Zoom &In"), QKeySequence.StandardKey.ZoomIn, "zoom_in"),
            (self.tr("Zoom &Out"), QKeySequence.StandardKey.ZoomOut, "zoom_out"),
            (self.tr("Zoom to &Fit"), None, "zoom_to_fit"),
        ):
            action = view.addAction(text)
            if keys is not None:
                action.setShortcuts(keys)
            action.triggered.connect(lambda _c=False, n=name: self._timeline_call(n))

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_cues = QLabel(self)
        self.status_duration = QLabel(self)
        self.status_qc = QPushButton(self)
        self.status_qc.setFlat(True)
        self.status_qc.setToolTip(self.tr("Jump to the next cue with a problem (F8)"))
        self.status_qc.clicked.connect(self.next_problem)
        self.status_languages = QLabel(self)
        self.status_encoding = QLabel(self)
        self.status_modified = QLabel(self)
        for label in (self.status_cues, self.status_duration, self.status_languages, self.status_encoding):
            label.setTextFormat(Qt.TextFormat.PlainText)  # languages and encoding come from the file
        for widget in (
            self.status_cues,
            self.status_duration,
            self.status_qc,
            self.status_languages,
            self.status_encoding,
            self.status_modified,
        ):
            bar.addPermanentWidget(widget)
        self._status_timer = QTimer(self, singleShot=True, interval=0)  # coalesces bursts of edits
        self._status_timer.timeout.connect(self._update_status)

    # -- status ---------------------------------------------------------------------------
    def show_message(self, text: str, timeout_ms: int = 8000) -> None:
        """Show a transient message in the status bar."""
        self.statusBar().showMessage(text, timeout_ms)

    def _update_status(self) -> None:
        doc = self.controller.document
        self.status_cues.setText(ntr("MainWindow", "%n cue(s)", len(doc)))
        if self._duration_ms is None:  # recomputed only after times or cues changed
            # The timeline keeps the cues' ends sorted already (O(1)); else one O(n) pass.
            end_of = getattr(self.timeline, "cues_end_ms", None)
            self._duration_ms = end_of() if end_of is not None else doc.duration_ms
        total = self._duration_ms
        self.status_duration.setText(timecode.format_short(total).rsplit(".", 1)[0])
        self.status_duration.setToolTip(self.tr("End of the last cue"))
        qc = self.table_pane.model.qc
        estimated = qc.index.counts().get("estimated", 0) if qc.index is not None else 0
        count = qc.count() - estimated
        if qc.index is None:
            self.status_qc.setText(self.tr("QC off"))
        else:
            text = ntr("MainWindow", "⚠ %n problem(s)", count)
            if estimated:
                text += " · " + ntr("MainWindow", "%n estimated", estimated)
            self.status_qc.setText(text)
        self.status_qc.setEnabled(count > 0)
        src = doc.source_language or "?"
        dst = doc.translation_language
        self.status_languages.setText(f"{src} → {dst}" if dst else src)
        self.status_languages.setToolTip(self.tr("Source → translation language"))
        info = doc.sources.get("source")
        if info is not None:
            enc = info.encoding.upper() + (" BOM" if info.bom else "")
            newline = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}.get(info.newline, "")
            self.status_encoding.setText(f"{enc} {newline}".strip())
        else:
            self.status_encoding.setText("UTF-8")
        modified = not self.controller.undo_stack.isClean()
        self.status_modified.setText(self.tr("Modified") if modified else self.tr("Saved"))

    def _document_name(self) -> str:
        """Return the name the user knows the document by ("talk.srt", "Sample", "Untitled")."""
        info = self.controller.document.sources.get("source")
        if self.is_sample:
            return self.tr("Sample")
        if info is not None and info.path:
            return os.path.basename(info.path)
        return self.tr("Untitled")

    def _update_title(self) -> None:
        name = self._document_name()
        self.setWindowTitle(f"{name}[*] — Cueline")
        self.setWindowModified(not self.controller.undo_stack.isClean())
        self._status_timer.start()

    def _on_clean_changed(self, _clean: bool) -> None:
        self._update_title()

    def _on_changed(self, changes) -> None:
        if changes.structure or changes.fields & {"start_ms", "end_ms"}:
            self._duration_ms = None
        if "metadata" in changes.document:
            self._check_media()
        self._status_timer.start()

    def _check_media(self) -> None:
        path = self.controller.document.metadata.media_path or ""
        if path != self._media_path:
            self._media_path = path
            self.media_changed.emit(path)

    def _on_undo_text(self, text: str) -> None:
        self.actions[ActionId.UNDO].setText(self.tr("&Undo {what}").format(what=text).strip())

    def _on_redo_text(self, text: str) -> None:
        self.actions[ActionId.REDO].setText(self.tr("&Redo {what}").format(what=text).strip())

    def _on_document_replaced(self) -> None:
        self._duration_ms = None
        self._update_title()
        self._check_media()

    def select_first(self) -> None:
        """Make the first cue current (after opening), so the edit panel shows something."""
        doc = self.controller.document
        if len(doc):
            first = doc.cues[0].id
            self.controller.select([first], first)

    # -- opening --------------------------------------------------------------------------
    def open_path(
        self,
        path: str,
        translation: str | None = None,
        media: str | None = None,
        *,
        wait: bool = False,
        encoding: str | None = None,
        fps: float | None = None,
    ) -> bool:
        """Open a file (and a translation); in the background unless `wait`.

        With `wait`, errors propagate (ParseError, OSError) and True is returned on success;
        otherwise errors are shown in a dialog and `loaded`/`load_failed` report the outcome.
        """
        path = os.fspath(path)
        self._load_generation += 1
        generation = self._load_generation

        def finish(result) -> None:
            if generation != self._load_generation:
                from editor.qt import prepared

                prepared.discard(result[0])  # let the unshown document go
                return  # a later open superseded this one
            if not self._features_installed:
                # The file loaded while the features install: it arrives once they are there.
                self.after_features(lambda: finish(result))
                return
            self._loading = False
            self._end_preview()
            doc, qc_index = result
            self._show_document(doc, qc_index, path, media)
            if qc_index is None:
                self._check_after_show(doc)

        if wait:
            finish(load_job(path, translation, styles=self.controller.styles, encoding=encoding, fps=fps))
            self.ensure_timeline()
            return True
        from editor.qt import workers

        self._loading = True
        self.show_message(self.tr("Opening {name}…").format(name=os.path.basename(path)), 0)

        def failed(exc: BaseException) -> None:
            if generation != self._load_generation:
                return
            self._loading = False
            self._end_preview()
            self.show_message(errors.describe(exc))
            if not errors.is_expected(exc):
                raise exc  # a bug: let the application's excepthook report it
            errors.show_error(self, self.tr("Could not open file"), exc)
            self.load_failed.emit(errors.describe(exc))

        def start_loading() -> None:
            if generation == self._load_generation:
                # pause_gc: a 100k-cue load allocates millions of objects; see editor.core.runtime.
                workers.run_task(job, finish, failed, owner=self, pause_gc=True)

        def preview(doc: Document | None) -> None:
            if doc is not None and generation == self._load_generation and self._loading:
                self._show_preview(doc, path)
                self.table_pane.model.skip_qc()  # the whole file's QC arrives with it
                view = self.table_pane.view
                view.doItemsLayout()  # the scroll bar appears now, not in a second full repaint
                QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
                # The loader starts once the rows are painted: while it runs, every call Qt
                # makes into Python during a paint waits for the GIL (a first paint took 100 ms).
                _AfterFirstPaint(view.viewport(), start_loading, PREVIEW_PAINT_WAIT_MS)
                return
            start_loading()

        styles = self.controller.styles

        def job():
            # Languages and QC come after the window names the file and paints its rows.
            result = load_job(path, translation, styles=styles, encoding=encoding, fps=fps, checks=False)
            from editor.qt import prepared  # features' whole-document scans, off the GUI thread

            prepared.prepare_all(result[0])
            try:  # the timeline's index too, so showing the document does not build it
                from editor.qt.views.timeline_geometry import CueIndex
            except ImportError:  # no NumPy: the window works without a timeline
                return result
            CueIndex.prebuild(result[0])
            return result

        _preload_format(path)
        if translation or encoding or fps or not wants_preview(path):
            start_loading()
        else:  # the preview first (a 128 KB head parses in ~30 ms), then the whole file
            workers.run_task(
                lambda: preview_document(path), preview, lambda _exc: start_loading(), owner=self
            )
        return True

    def _show_preview(self, doc: Document, path: str) -> None:
        """Show the first cues of a long file, read-only, while the whole file is still loading."""
        if not self.controller.undo_stack.isClean() and not self._previewing:
            return  # never replace unsaved work with a preview
        if not self._previewing:
            self._previewing = True
            self._enabled_before_preview = {aid: a.isEnabled() for aid, a in self.actions.items()}
            for aid, action in self.actions.items():
                action.setEnabled(aid in (ActionId.QUIT, ActionId.SHORTCUTS, ActionId.ABOUT))
            for widget in (self.edit_panel, self.table_pane.filter_bar):
                widget.setEnabled(False)
            self.table_pane.view.setEditTriggers(self.table_pane.view.EditTrigger.NoEditTriggers)
        self.controller.set_document(doc)
        self.show_message(
            self.tr("Opening {name}… showing the first {n} cues").format(
                name=os.path.basename(path), n=len(doc)
            ),
            0,
        )

    def _end_preview(self) -> None:
        if not self._previewing:
            return
        self._previewing = False
        for aid, enabled in self._enabled_before_preview.items():
            self.actions[aid].setEnabled(enabled)
        stack = self.controller.undo_stack
        self.actions[ActionId.UNDO].setEnabled(stack.canUndo())
        self.actions[ActionId.REDO].setEnabled(stack.canRedo())
        for widget in (self.edit_panel, self.table_pane.filter_bar):
            widget.setEnabled(True)
        self.table_pane.view.restore_edit_triggers()

    def open_sample(self, *, wait: bool = False) -> bool:
        """Open the bundled sample project (never overwritten: Save asks for a name)."""
        from editor.resources import sample_path

        try:
            path = str(sample_path())
        except FileNotFoundError as exc:
            self.show_message(str(exc))
            return False
        self.is_sample = True
        return self.open_path(path, wait=wait)

    def _check_after_show(self, doc: Document) -> None:
        """Detect the shown document's languages and build its QC index on a worker; adopt the
        index when it arrives (built again here if the document was edited meanwhile)."""
        from editor.qt import workers

        model = self.table_pane.model
        model.skip_qc()
        stack = self.controller.undo_stack
        edits_before = stack.index()

        def done(index) -> None:
            if self.controller.document is not doc:
                return  # another document replaced it
            if stack.index() != edits_before:
                from editor.qt.cue_model import QcTracker

                index = QcTracker.build(doc, self.controller.styles)
            model.adopt_qc_index(index)
            self._update_status()

        styles = self.controller.styles
        # pause_gc: the spelling check fills its caches for every word (see editor.core.runtime).
        workers.run_task(lambda: checks_job(doc, styles), done, lambda _exc: None, owner=self, pause_gc=True)

    def _show_document(self, doc: Document, qc_index, path: str, media: str | None) -> None:
        from editor.resources import SAMPLE_NAME

        self.is_sample = os.path.basename(path) == SAMPLE_NAME and self.is_sample
        if self.is_sample and "source" in doc.sources:
            doc.sources["source"].path = None  # Save must not overwrite the bundled sample
        elif not self.is_sample:
            self.settings.add_recent(path)
            self.settings.set(Key.LAST_DIR, os.path.dirname(os.path.abspath(path)))
        model = self.table_pane.model
        if not media and not doc.metadata.media_path and not self.is_sample:
            media = media_beside(path)  # talk.mp4 next to talk.srt: Subtitle Edit users expect it
        if media:  # named together with the file: part of the opened state, not an edit
            doc.metadata.media_path = os.path.abspath(media)
        self.controller.set_document(doc)
        if qc_index is not None:
            model.adopt_qc_index(qc_index)
        self.select_first()
        self.table_pane.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_title()
        self.show_message(self.tr("Opened {name}: {n} cues").format(name=os.path.basename(path), n=len(doc)))
        # The first-run tips over the sample: editor.qt.views.first_run, on `loaded`.
        self.loaded.emit(path)

    def confirm_discard(self) -> bool:
        """Ask what to do with unsaved changes; returns True when it is fine to go on."""
        if self.controller.undo_stack.isClean():
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("{name} has unsaved changes. Save them first?").format(name=self._document_name()),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _start_dir(self) -> str:
        return self.settings.get(Key.LAST_DIR) or os.path.expanduser("~")

    def open_dialog(self) -> None:
        if not self.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open"), self._start_dir(), self.tr(OPEN_FILTER))
        if path:
            self.open_path(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.get(Key.RECENT_FILES)
        for path in recent:
            action = self.recent_menu.addAction(os.path.basename(path))
            action.setToolTip(path)
            action.triggered.connect(lambda _c=False, p=path: self.confirm_discard() and self.open_path(p))
        if not recent:
            self.recent_menu.addAction(self.tr("(none)")).setEnabled(False)

    def open_translation_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open Translation"), self._start_dir(), self.tr(OPEN_FILTER)
        )
        if path:
            self.attach_translation(path)

    def attach_translation(self, path: str, *, ask: bool = True) -> bool:
        """Align a translation file to the cues and apply it as one undo step (after a preview),
        its lines laid out to the translation's style profile."""
        try:
            other = documents.read_translation(path)
            doc = self.controller.document
            plan = documents.plan_translation(doc, other)
        except (EditorError, OSError, ValueError) as exc:
            errors.show_error(self, self.tr("Could not open translation"), exc)
            return False
        if ask:
            from editor.qt.views.translation_preview import preview_attach

            plan = preview_attach(self, doc, other, plan)  # the user may carry speakers over or not
            if plan is None:
                return False
        try:
            edit = documents.attach_translation_edit(doc, other, plan, styles=self.controller.styles)
            self.controller.apply(edit, self.tr("Attach translation"))
        except EditorError as exc:
            errors.show_error(self, self.tr("Could not attach translation"), exc)
            return False
        self._status_timer.start()
        return True

    def open_media_dialog(self) -> None:
        media_filter = self.tr("Media ({patterns});;All files (*)").format(patterns=MEDIA_PATTERNS)
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open Media"), self._start_dir(), media_filter)
        if path:
            self.set_media(path)

    def set_media(self, path: str) -> None:
        """Remember the media file in the document's metadata (one undo step; playback comes later)."""
        meta = self.controller.document.metadata
        new = Metadata(meta.title, meta.url, os.path.abspath(path), meta.duration_ms, dict(meta.extra))
        self._apply(edits.SetDocumentField("metadata", new), self.tr("Set media"))
        self.show_message(self.tr("Media: {path}").format(path=path))

    # -- saving ---------------------------------------------------------------------------
    def save(self) -> bool:
        """Save in the file's own format, encoding, BOM and newlines; returns True when saved."""
        from editor.core import formats

        doc = self.controller.document
        info = doc.sources.get("source")
        if info is None or not info.path:
            return self.save_as()
        try:
            writable = formats.get(info.format).can_write
        except KeyError:
            writable = False
        if not writable:
            return self.save_as()
        return self._write(info.path, info.format, info)

    def save_as(self) -> bool:
        doc = self.controller.document
        info = doc.sources.get("source")
        start = info.path if info and info.path else os.path.join(self._start_dir(), "untitled.srt")
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save As"),
            start,
            self.tr(
                "SubRip (*.srt);;WebVTT (*.vtt);;Advanced SubStation Alpha (*.ass);;YouTube SBV (*.sbv)"
                ";;Text (*.txt);;Cueline project (*.cueline)"
            ),
        )
        if not path:
            return False
        try:
            format_id = documents.format_for_output(path)
        except EditorError as exc:
            errors.show_error(self, self.tr("Could not save"), exc)
            return False
        return self._write(path, format_id, info)

    def save_project(self) -> bool:
        doc = self.controller.document
        info = doc.sources.get("source")
        base = (
            os.path.splitext(info.path)[0]
            if info and info.path
            else os.path.join(self._start_dir(), "untitled")
        )
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save Project"), base + ".cueline", self.tr("Cueline project (*.cueline)")
        )
        if not path:
            return False
        return self._write(path, "cueline", None)

    def _write(self, path: str, format_id: str, info) -> bool:
        """Write the document and make it the file Save goes to; returns True on success.

        Asks first when the format cannot keep everything (once per document) and when the
        file changed on disk since it was opened or saved. A failed write says which file and
        why, and leaves the document open and modified (the autosave keeps it too).
        """
        from editor.qt import save_guard

        doc = self.controller.document
        choice = self._lossy_choice(doc, path, format_id)
        if choice is save_guard.LossyChoice.CANCEL:
            return False
        if choice is save_guard.LossyChoice.PROJECT:
            return self._save_project_instead(path)
        watch = getattr(self, "disk_watch", None)
        if watch is not None and watch.changed_since_recorded(path):
            from editor.qt import disk_watch

            if not disk_watch.ask_overwrite(self, path):
                return False
        try:
            written = documents.save(doc, path, format_id, info=info)
        except (EditorError, OSError, LookupError) as exc:
            errors.show_error(self, self.tr("Could not save"), save_guard.explain_failure(path, exc))
            self.show_message(self.tr("Not saved: {path}").format(path=path))
            return False
        # File bookkeeping, not document content: where Save goes next.
        doc.sources["source"] = written
        self.is_sample = False
        self.controller.undo_stack.setClean()
        if watch is not None:
            watch.track(path)
        self.settings.add_recent(path)
        self._update_title()
        self.show_message(self.tr("Saved {path}").format(path=path))
        return True

    def _lossy_choice(self, doc: Document, path: str, format_id: str):
        """Return what to do when `format_id` cannot keep all of `doc` (asks at most once per document)."""
        from editor.qt import save_guard

        if doc is getattr(self, "_lossy_accepted", None) or not self.settings.get(Key.WARN_LOSSY_SAVE):
            return save_guard.LossyChoice.ANYWAY
        lost = save_guard.lost_in(doc, format_id)
        if not lost:
            return save_guard.LossyChoice.ANYWAY
        choice, never = save_guard.ask_lossy(self, path, format_id, lost)
        if never:
            self.settings.set(Key.WARN_LOSSY_SAVE, False)
        if choice is save_guard.LossyChoice.ANYWAY:
            self._lossy_accepted = doc
        return choice

    def _save_project_instead(self, path: str) -> bool:
        """Save a .cueline project beside `path` (asking for a name when that file exists)."""
        target = os.path.splitext(path)[0] + ".cueline"
        if os.path.exists(target):
            return self.save_project()  # the file dialog asks before replacing it
        return self._write(target, "cueline", None)

    def export_dialog(self) -> None:
        from editor.qt.views.dialogs import ExportDialog

        doc = self.controller.document
        info = doc.sources.get("source")
        base = info.path if info and info.path else os.path.join(self._start_dir(), "untitled")
        s = self.settings
        defaults = {
            "format": s.get(Key.EXPORT_FORMAT),
            "track": s.get(Key.EXPORT_TRACK),
            "speakers": s.get(Key.EXPORT_SPEAKERS),
            "encoding": s.get(Key.EXPORT_ENCODING),
            "bom": s.get(Key.EXPORT_BOM),
            "newline": s.get(Key.EXPORT_NEWLINE),
        }
        dialog = ExportDialog(doc, base, defaults, self)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return
        self.export(dialog.choice())

    def export(self, choice) -> bool:
        """Write an export (does not change where Save goes); returns True on success."""
        from editor.core import lint, textio
        from editor.core.formats import WriteOptions
        from editor.core.model import SourceInfo
        from editor.qt.views import lint_report

        s = self.settings
        for key, value in (
            (Key.EXPORT_FORMAT, choice.format_id),
            (Key.EXPORT_TRACK, choice.track),
            (Key.EXPORT_SPEAKERS, choice.speakers),
            (Key.EXPORT_ENCODING, choice.encoding),
            (Key.EXPORT_BOM, choice.bom),
            (Key.EXPORT_NEWLINE, choice.newline),
        ):
            s.set(key, value)
        info = SourceInfo(path=choice.path, encoding=choice.encoding, bom=choice.bom, newline=choice.newline)
        doc = self.controller.document
        try:
            options = WriteOptions(track=choice.track, speakers=choice.speakers, compatible=choice.compatible)
            text = documents.render(doc, choice.format_id, options)
        except (EditorError, OSError, LookupError) as exc:
            errors.show_error(self, self.tr("Could not export"), exc)
            return False
        # The linter sees exactly the text about to be written; its findings are shown first.
        findings = lint.lint(text, choice.format_id, doc, options, self.controller.styles)
        # Lines over the style's width are QC's business too (tinted in the table): they are
        # reported in the status bar, not asked about before every export.
        long_lines = [f for f in findings if f.code == "line-length"]
        findings = [f for f in findings if f.code != "line-length"]
        if findings and not lint_report.confirm(self, choice.path, findings):
            self.show_message(self.tr("Not exported: {path}").format(path=choice.path))
            return False
        try:
            textio.atomic_write(choice.path, text, info)
        except (EditorError, OSError, LookupError) as exc:
            errors.show_error(self, self.tr("Could not export"), exc)
            return False
        message = self.tr("Exported {path}").format(path=choice.path)
        if long_lines:
            message += self.tr("; {n} lines wider than the style allows (first: line {line})").format(
                n=len(long_lines), line=long_lines[0].line
            )
        self.show_message(message)
        return True

    # -- editing helpers ------------------------------------------------------------------
    def _apply(self, edit, label: str) -> bool:
        """Apply a core edit as one undo step; an edit that changes nothing is not recorded."""
        if isinstance(edit, edits.Batch) and not edit.edits:
            self.show_message(self.tr("Nothing to change."))
            return False
        try:
            self.controller.apply(edit, label)
        except (EditorError, KeyError) as exc:
            self.show_message(errors.describe(exc))
            return False
        return True

    def run_edit(self, label: str, build: Callable[[], object]) -> object:
        """Build an edit with a core operation and apply it; returns the operation's extra result."""
        try:
            result = build()
        except (EditorError, KeyError, ValueError) as exc:
            self.show_message(errors.describe(exc))
            return None
        edit, extra = result if isinstance(result, tuple) else (result, True)
        return extra if self._apply(edit, label) else None

    def _ids_or_all(self) -> list[int] | None:
        """Return the selected cue ids, or None (= all cues) when nothing is selected."""
        return list(self.controller.selected_ids) or None

    # -- editing actions ------------------------------------------------------------------
    def insert_cue(self, before: bool) -> None:
        doc, ops = self.controller.document, _operations()
        current = self.controller.current_id
        if current is None:
            build = lambda: ops.insert_cue(doc)  # noqa: E731
        elif before:
            build = lambda: ops.insert_cue(doc, before_id=current)  # noqa: E731
        else:
            build = lambda: ops.insert_cue(doc, after_id=current)  # noqa: E731
        new_id = self.run_edit(self.tr("Insert cue"), build)
        if new_id is not None:
            self.controller.select([new_id], new_id)
            self.edit_panel.focus_text()

    def delete_cues(self) -> None:
        doc = self.controller.document
        ids = list(self.controller.selected_ids)
        if not ids:
            return
        last_row = max(doc.row_of(i) for i in ids)
        if self.run_edit(self.tr("Delete cues"), lambda: _operations().delete_cues(doc, ids)) and len(doc):
            row = min(last_row - len(ids) + 1, len(doc) - 1)
            target = doc.cues[row].id
            self.controller.select([target], target)

    def split_cue(self) -> None:
        doc = self.controller.document
        cue_id = self.controller.current_id
        if cue_id is None:
            return
        cue = doc.cue(cue_id)
        text = cue.text
        tr_pos = self.edit_panel.translation_cursor_position()
        if tr_pos is not None and 0 < tr_pos < len(cue.translation):
            # The cursor is in the translation: cut it there, the source at the same proportion.
            new_id = self.run_edit(
                self.tr("Split cue"),
                lambda: _operations().split_cue(
                    doc, cue_id, None, translation_pos=tr_pos, styles=self.controller.styles
                ),
            )
        else:
            pos = self.edit_panel.text_cursor_position()
            if pos is None or not 0 < pos < len(text):
                pos = len(text) // 2  # no cursor inside the text: cut in the middle (the core snaps it)
            new_id = self.run_edit(
                self.tr("Split cue"),
                lambda: _operations().split_cue(doc, cue_id, pos, styles=self.controller.styles),
            )
        if new_id is not None:
            self.controller.select([new_id], new_id)

    def merge_cues(self) -> None:
        doc = self.controller.document
        ids = sorted(self.controller.selected_ids, key=doc.row_of)
        if len(ids) < 2:
            current = self.controller.current_id
            if current is None or doc.row_of(current) + 1 >= len(doc):
                self.show_message(self.tr("No next cue to merge with."))
                return
            ids = [current, doc.cues[doc.row_of(current) + 1].id]
        styles = self.controller.styles
        if self.run_edit(self.tr("Merge cues"), lambda: _operations().merge_cues(doc, ids, styles=styles)):
            self.controller.select([ids[0]], ids[0])

    def shift_dialog(self) -> None:
        from editor.qt.views.dialogs import ShiftDialog

        dialog = ShiftDialog(self.settings.get(Key.LAST_SHIFT_MS), bool(self.controller.selected_ids), self)
        if dialog.exec() != ShiftDialog.DialogCode.Accepted:
            return
        self.settings.set(Key.LAST_SHIFT_MS, dialog.offset_ms)
        ids = list(self.controller.selected_ids) if dialog.selected.isChecked() else None
        self.shift(ids, dialog.offset_ms)

    def shift(self, ids: list[int] | None, offset_ms: int) -> None:
        doc = self.controller.document
        self.run_edit(self.tr("Shift times"), lambda: _operations().shift_cues(doc, ids, offset_ms))

    def sync_dialog(self) -> None:
        from editor.qt.views.dialogs import SyncDialog

        doc = self.controller.document
        if len(doc) < 2:
            self.show_message(self.tr("Two-point sync needs at least two cues."))
            return
        rows = sorted(doc.row_of(i) for i in self.controller.selected_ids)
        first, second = (rows[0], rows[-1]) if len(rows) >= 2 else (0, len(doc) - 1)
        dialog = SyncDialog(doc, first, second, self)
        if dialog.exec() == SyncDialog.DialogCode.Accepted and dialog.points:
            a, b = dialog.points
            self.run_edit(self.tr("Two-point sync"), lambda: _operations().two_point_sync(doc, a, b))

    def preferences(self) -> None:
        """Show Edit → Preferences (changes apply as they are made)."""
        from editor.qt.views.preferences import PreferencesContext, PreferencesDialog

        waveform = getattr(self, "waveform_feature", None)
        context = PreferencesContext(
            self.controller,
            self.settings,
            autosave_delay_changed=self.autosaver.set_delay,
            waveform_cache_changed=waveform.apply_cache_size if waveform is not None else lambda: None,
        )
        dialog = PreferencesDialog(context, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preferences_dialog = dialog
        dialog.open()  # window-modal; changes apply while it is open

    def _source_style(self) -> StyleProfile:
        """Return the source track's style profile (its language's, else the current cue's script's)."""
        doc, current = self.controller.document, self.controller.current_id
        sample = doc.cue(current).text if current is not None and doc.has_cue(current) else ""
        return self.controller.style(SOURCE, sample)

    def reading_speed(self) -> None:
        doc, ids = self.controller.document, self._ids_or_all()
        style = self._source_style()
        cps, gap = style.max_cps, style.min_gap_ms
        self.run_edit(
            self.tr("Set duration to reading speed"),
            lambda: _operations().set_duration_for_reading_speed(doc, ids, cps=cps, min_gap_ms=gap),
        )

    def fix_overlaps(self) -> None:
        doc, ids = self.controller.document, self._ids_or_all()
        gap = self._source_style().min_gap_ms
        self.run_edit(self.tr("Fix overlaps"), lambda: _operations().fix_overlaps(doc, ids, gap))

    def close_gaps(self) -> None:
        doc, ids = self.controller.document, self._ids_or_all()
        small, gap = self.settings.get(Key.SMALL_GAP_MS), self._source_style().min_gap_ms
        self.run_edit(
            self.tr("Close small gaps"),
            lambda: _operations().close_small_gaps(doc, ids, max_gap_ms=small, min_gap_ms=gap),
        )

    def confirm_timing(self) -> None:
        doc, ids = self.controller.document, self._ids_or_all()
        self.run_edit(self.tr("Confirm timing"), lambda: _operations().confirm_timing(doc, ids))

    def resegment(self) -> None:
        doc = self.controller.document
        ids = list(self.controller.selected_ids)
        if not ids:
            self.show_message(self.tr("Select the cues to re-segment first."))
            return
        from editor.core.segmentation import SegmentOptions

        options = SegmentOptions.from_style(self._source_style())
        result = self.run_edit(self.tr("Re-segment"), lambda: _operations().resegment_cues(doc, ids, options))
        if isinstance(result, list) and result:
            self.controller.select(result, result[0])

    # -- navigation -----------------------------------------------------------------------
    def next_problem(self) -> None:
        qc = self.table_pane.model.qc
        # Estimated timing is counted and walked apart (Ctrl+F8): on a transcript it is on most
        # cues and would make F8 "next cue".
        target, seen = self.controller.current_id, 0
        while True:
            target = qc.next_problem_after(target)
            seen += 1
            if target is None or seen > len(self.controller.document):
                target = None
                break
            if any(p.check != "estimated" for p in qc.problems_for(target)):
                break
        if target is None:
            self.show_message(self.tr("No QC problems."))
            return
        self.controller.select([target], target)
        problems = qc.problems_for(target)
        if problems:
            self.show_message("; ".join(p.message for p in problems))

    def find_dialog(self, replace: bool) -> None:
        from editor.qt.views.dialogs import FindReplaceDialog

        if self._find_dialog is None:
            self._find_dialog = FindReplaceDialog(self.controller, self)
        dialog = self._find_dialog
        dialog.replace_text.setFocus() if replace and dialog.find_text.text() else dialog.find_text.setFocus()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def find_next(self) -> None:
        if self._find_dialog is None or not self._find_dialog.find_text.text():
            self.find_dialog(False)
            return
        self._find_dialog.find_next()

    # -- speakers -------------------------------------------------------------------------
    def _fill_speaker_menu(self) -> None:
        self.speaker_menu.clear()
        for n, speaker in enumerate(self.controller.document.speakers.values(), start=1):
            label = f"&{n} {speaker.name}" if n <= 9 else speaker.name
            action = self.speaker_menu.addAction(label)
            action.triggered.connect(lambda _c=False, sid=speaker.id: self.assign_speaker(sid))
        if not self.controller.document.speakers:
            self.speaker_menu.addAction(self.tr("(no speakers)")).setEnabled(False)

    def assign_speaker_number(self, n: int) -> None:
        speakers = list(self.controller.document.speakers.values())
        if 1 <= n <= len(speakers):
            self.assign_speaker(speakers[n - 1].id)
        else:
            self.show_message(self.tr("There is no speaker {n}.").format(n=n))

    def assign_speaker(self, speaker_id: str | None) -> None:
        doc, ids = self.controller.document, list(self.controller.selected_ids)
        if ids:
            ops = _operations()
            self.run_edit(self.tr("Assign speaker"), lambda: ops.assign_speaker(doc, ids, speaker_id))

    def rename_speaker(self) -> None:
        doc = self.controller.document
        speakers = list(doc.speakers.values())
        if not speakers:
            self.show_message(self.tr("The document has no speakers."))
            return
        current = doc.cue(self.controller.current_id).speaker_id if self.controller.current_id else None
        names = [s.name for s in speakers]
        start = next((i for i, s in enumerate(speakers) if s.id == current), 0)
        name, ok = QInputDialog.getItem(
            self, self.tr("Rename Speaker"), self.tr("Speaker:"), names, start, False
        )
        if not ok:
            return
        speaker = speakers[names.index(name)]
        new, ok = QInputDialog.getText(
            self, self.tr("Rename Speaker"), self.tr("New name:"), text=speaker.name
        )
        if ok and new.strip() and new.strip() != speaker.name:
            self.run_edit(
                self.tr("Rename speaker"), lambda: _operations().rename_speaker(doc, speaker.id, new.strip())
            )

    def merge_speakers(self) -> None:
        from editor.qt.views.dialogs import MergeSpeakersDialog

        doc = self.controller.document
        if len(doc.speakers) < 2:
            self.show_message(self.tr("Merging needs at least two speakers."))
            return
        dialog = MergeSpeakersDialog(doc, self)
        if dialog.exec() == MergeSpeakersDialog.DialogCode.Accepted:
            ids, into = dialog.chosen()
            self.run_edit(self.tr("Merge speakers"), lambda: _operations().merge_speakers(doc, ids, into))

    # -- help -----------------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        from editor.qt.views.dialogs import ShortcutsDialog

        ShortcutsDialog(shortcut_table(), self).open()

    def show_about(self) -> None:
        from editor.qt.views.dialogs import show_about

        show_about(self)

    # -- drag and drop ----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and all(url.isLocalFile() for url in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        event.acceptProposedAction()
        self.open_dropped(paths)

    def open_dropped(self, paths: list[str]) -> None:
        """Open dropped files: media is remembered, the first document opened, a second is the translation."""
        media = [p for p in paths if os.path.splitext(p)[1].lower() in MEDIA_EXTENSIONS]
        docs = [p for p in paths if p not in media]
        if docs:
            if not self.confirm_discard():
                return
            self.is_sample = False
            self.open_path(docs[0], docs[1] if len(docs) > 1 else None, media[0] if media else None)
        elif media:
            self.set_media(media[0])

    # -- closing --------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_discard():
            event.ignore()
            return
        self.settings.set(Key.WINDOW_GEOMETRY, bytes(self.saveGeometry()))
        self.settings.set(Key.WINDOW_STATE, bytes(self.saveState()))
        self.settings.sync()
        self.autosaver.clear()  # a clean close leaves nothing to recover
        if self._find_dialog is not None:
            self._find_dialog.close()
        event.accept()
