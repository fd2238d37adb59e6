"""The main window: cue table, edit panel and timeline; menus, status bar, and the dialogs
the document session (editor.qt.session) asks for.

Every document change goes through controller.apply as a core edit (one undo step each);
this module only decides which core operation to ask for and shows what went wrong.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

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
    QWidget,
)

from editor.core import documents, formats, runtime, timecode
from editor.core.errors import EditorError
from editor.core.model import Document
from editor.core.style import StyleSettings
from editor.qt import errors
from editor.qt.actions import ActionId, build_actions, shortcut_table
from editor.qt.autosave import Autosaver
from editor.qt.bindings import Commands
from editor.qt.controller import Controller
from editor.qt.host import Parts
from editor.qt.plurals import ntr
from editor.qt.session import MEDIA_EXTENSIONS, DocumentSession
from editor.qt.settings import Key, Settings, autosave_delay
from editor.qt.views.cue_table import CueTablePane
from editor.qt.views.edit_panel import EditPanel

if TYPE_CHECKING:
    from editor.core.alignment import AlignmentPlan
    from editor.core.lint import Finding
    from editor.core.qc import QcIndex
    from editor.qt.save_guard import LossyChoice
    from editor.qt.views.dialogs import ExportChoice
    from editor.qt.views.timeline import TimelineView

OPEN_FILTER = "Subtitles and transcripts ({patterns});;All files (*)"
MEDIA_PATTERNS = " ".join(f"*{e}" for e in sorted(MEDIA_EXTENSIONS))

PREVIEW_PAINT_WAIT_MS = 250  # the most the whole-file load waits for the preview to be painted
FEATURES_WAIT_MS = 500  # deferred features install after the first paint, or after this
LANGUAGE_WARMUP_DELAY_MS = 2000  # after the first document is shown, before the user types


def _open_filter(tr: Callable[[str], str]) -> str:
    """Return the Open dialogs' filter: every extension of the formats table."""
    patterns = " ".join(f"*.{ext}" for ext in formats.EXTENSIONS)
    return tr(OPEN_FILTER).format(patterns=patterns)


def _save_filter() -> str:
    """Return Save As's filter: each writable format by its name, with its extensions."""
    entries = []
    # The project last: Save As writes a subtitle file unless the user picks the project.
    for format_id in sorted(formats.ids(), key=lambda fid: fid == "cueline"):
        fmt = formats.get(format_id)
        if fmt.can_write:
            entries.append(f"{fmt.name} ({' '.join(f'*.{ext}' for ext in fmt.extensions)})")
    return ";;".join(entries)


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
    closed = Signal()
    dock_built = Signal(QDockWidget, QWidget)

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
        self._duration_ms: int | None = None
        self._enabled_before_preview: dict[ActionId, bool] = {}
        self._find_dialog = None
        self.parts = Parts()  # what the features make for each other (editor.qt.host)
        # Docks whose contents are made when first shown (add_dock), and what they were given.
        self._unbuilt_docks: dict[QDockWidget, Callable[[], QWidget]] = {}
        self._dock_contents: dict[QDockWidget, QWidget] = {}
        self.session = DocumentSession(self.controller, self.settings, self, self)
        self.session.loaded.connect(self._on_loaded)
        self.session.load_failed.connect(self.load_failed)
        self.session.load_failed.connect(self._install_features_after_file)
        self.session.media_changed.connect(self.media_changed)
        self._build_views()
        self.commands = Commands(self.controller, self.settings, self.table_pane.model.qc, self)
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
        self.session.saved.connect(self._on_saved)
        self.session.status_changed.connect(self._update_status)
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
        self._features_wait_for_file = False
        if defer_features:
            _AfterFirstPaint(self, self._install_features_unless_loading, FEATURES_WAIT_MS)
        else:
            self._install_features()
        # langdetect loads its profiles on first use (0.5–1.7 s): do it on a worker once the
        # window has settled, so the first translation typed is not the one that waits.
        QTimer.singleShot(LANGUAGE_WARMUP_DELAY_MS, self, self._warm_language)

    def _on_loaded(self, path: str) -> None:
        # A file opened at launch is shown before the features install; they hear of it after.
        self.after_features(lambda: self.loaded.emit(path))

    def _install_features_unless_loading(self) -> None:
        # A file on its way shows its rows first: installing the features takes the GUI thread
        # (and the GIL) for 150-450 ms, which would hold the load's result back that long.
        if self.session.loading:
            self._features_wait_for_file = True
            return
        self._install_features()

    def _install_features_after_file(self, *_args: object) -> None:
        """Install the features (and prepare the timeline) held back for the opening file, once
        its rows have painted (or the open failed)."""
        timeline, self._timeline_wait_for_file = self._timeline_wait_for_file, False
        features, self._features_wait_for_file = self._features_wait_for_file, False
        if not (timeline or features):
            return

        def after_rows() -> None:
            # One turn of the event loop for both: the window lays out and the table repaints
            # once for the features' docks and the timeline together, not once for each. (One
            # long step of Python, beside the file's checks on a worker: runtime.long_gui_step.)
            with runtime.long_gui_step():
                if features and not self._features_installed:
                    self._install_features()
                if timeline:
                    self._prepare_timeline()

        _AfterFirstPaint(self.table_pane.view.viewport(), after_rows, FEATURES_WAIT_MS)

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
        return self.session.previewing

    @property
    def loading(self) -> bool:
        """True while a file is being read on a worker thread."""
        return self.session.loading

    @property
    def is_sample(self) -> bool:
        """True while the bundled sample is open (Save asks for a name)."""
        return self.session.is_sample

    @is_sample.setter
    def is_sample(self, value: bool) -> None:
        self.session.is_sample = value

    def after_features(self, callback: Callable[[], object]) -> None:
        """Call `callback` once the feature modules are installed (now if they are)."""
        if self._features_installed:
            callback()
        else:
            self._after_features.append(callback)

    def _warm_language(self) -> None:
        from editor.core import language
        from editor.qt import workers

        if self.session.loading:
            # Not beside a load: parsing langdetect's Korean profile holds the GIL for ~20 ms
            # at a time, a stall of the window the load's own paints would add to.
            QTimer.singleShot(LANGUAGE_WARMUP_DELAY_MS, self, self._warm_language)
            return
        from editor.core.qc import untranslated_detects

        doc = self.controller.document
        if not doc.has_translation():
            return  # only the "left untranslated" check detects languages as the user types
        if not untranslated_detects(doc.source_language, doc.translation_language):
            return  # and only when the tracks' scripts do not already tell (~0.25 s, ~57 MB saved)
        workers.run_task(language.preload, lambda _r: None, lambda _e: None, owner=self)

    # -- layout -------------------------------------------------------------------------
    def _build_views(self) -> None:
        c = self.controller
        self.table_pane = CueTablePane(c, self)
        self.edit_panel = EditPanel(c, self)
        self.table_pane.message.connect(self.show_message)
        self.edit_panel.message.connect(self.show_message)
        # The table is the centre; the cue editor is a dock on the right, where the video goes
        # above it (editor.qt.views.dock_layout arranges the docks and keeps the table's width).
        self.setCentralWidget(self.table_pane)
        self.edit_dock = self.add_dock(
            "cueDock", self.tr("Cue"), self.edit_panel, Qt.DockWidgetArea.RightDockWidgetArea
        )
        # Not closable: the editor is always there.
        feature = QDockWidget.DockWidgetFeature
        self.edit_dock.setFeatures(feature.DockWidgetMovable | feature.DockWidgetFloatable)

        # The timeline's numpy (150-450 ms to import) is imported on a worker once the window
        # has painted, and the timeline built when it is there: the window appears sooner and
        # stays responsive meanwhile. Until then a plain frame holds its place (a 0 ms timer
        # alone fires before the first paint). ensure_timeline() builds it on demand.
        self._timeline_view: TimelineView | None = None
        self.timeline: QWidget = QFrame(self)
        self.timeline.setFrameShape(QFrame.Shape.StyledPanel)
        self.timeline.setMinimumHeight(140)
        self.timeline_dock = self.add_dock(
            "timelineDock", self.tr("Timeline"), self.timeline, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        # (After the paint has finished: the import competes with whatever still runs for the GIL.)
        self._timeline_wait_for_file = False
        self._first_paint = _AfterFirstPaint(self, self._prepare_timeline)
        # The history list is made when its dock is first shown: the dock is closed unless the
        # user opened it, and QUndoView's first use costs ~10 ms before the first frame.
        self.history: QWidget | None = None
        self.history_dock = self.add_dock(
            "historyDock", self.tr("History"), QWidget(self), Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.history_dock.hide()
        self.history_dock.visibilityChanged.connect(self._build_history)

    def _build_history(self, visible: bool) -> None:
        if not visible or self.history is not None:
            return
        from PySide6.QtWidgets import QUndoView

        view = QUndoView(self.controller.undo_stack, self)
        view.setEmptyLabel(self.tr("<opened>"))
        view.setAccessibleName(self.tr("Undo history"))
        old = self.history_dock.widget()
        self.history = view
        self.history_dock.setWidget(view)
        old.deleteLater()

    def _prepare_timeline(self) -> None:
        if self.session.loading:  # numpy's import would hold the GIL the file's load needs: after it
            self._timeline_wait_for_file = True
            return
        if "numpy" in sys.modules:
            # NumPy is there already (a long file's read imported it): what is left to import
            # takes a few ms, and building now, in the same turn as whatever else changes the
            # layout, spares the window a relayout and the table a repaint of their own.
            self.ensure_timeline()
            return
        from editor.qt import workers

        build = lambda _result: self.ensure_timeline()  # noqa: E731
        workers.run_task(_import_timeline_deps, build, build, owner=self)

    def ensure_timeline(self) -> TimelineView:
        """Return the timeline view, built now if it is not there yet."""
        if self._timeline_view is not None:
            return self._timeline_view
        from editor.qt.views.timeline import TimelineView

        view = TimelineView(self.controller, self)
        view.seek_requested.connect(view.set_playhead_ms)
        view.edit_requested.connect(self._on_timeline_edit)
        view.setObjectName("timeline")
        view.setAccessibleName(self.tr("Timeline"))
        view.setMinimumHeight(140)
        old = self.timeline
        self.timeline = self._timeline_view = view
        self.timeline_dock.setWidget(view)
        old.deleteLater()
        # PySide6 builds some enum types lazily on the first paint call that needs them
        # (~30-50 ms): pay that now, while idle, not in the middle of opening a long file.
        QTimer.singleShot(0, view, lambda: view.render_to_image(64, 48))
        return view

    def timeline_built(self) -> TimelineView | None:
        """Return the timeline view if it is built (without building it)."""
        return self._timeline_view

    def _on_timeline_edit(self, _cue_id: int) -> None:
        self.edit_panel.focus_text()

    def add_dock(
        self,
        name: str,
        title: str,
        widget: QWidget | Callable[[], QWidget],
        area: Qt.DockWidgetArea,
        *,
        hidden: bool = False,
    ) -> QDockWidget:
        """Add a dock (`name` is its object name, kept in the saved window state); `hidden`: closed
        until the user (or the feature) opens it. `widget` may be a function that makes it: the
        dock is then closed, and its contents are made the first time it is shown or
        `dock_contents` asks for them (`dock_built(dock, widget)` fires then, just before the
        widget goes into the dock: a listener may put it there itself)."""
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        if isinstance(widget, QWidget):
            dock.setWidget(widget)
        else:
            # A closed panel is made when first opened: nobody sees it until then, and most
            # launches never open it (the glossary's and the document's: ~2-3 ms each).
            dock.setWidget(QWidget(dock))
            self._unbuilt_docks[dock] = widget
            dock.visibilityChanged.connect(self._build_dock_when_shown)
            hidden = True
        self.addDockWidget(area, dock)
        if hidden:
            # Closed without being shown first: a show lays out and polishes the whole panel
            # in a shown window (the review panel: ~6 ms of the launch), for nothing.
            dock.hide()
        elif self.isVisible():
            # A child added to a shown window stays hidden until shown (Qt's rule): features
            # install after the first frame, and their docks must look as they do when
            # installed before it.
            dock.show()
        return dock

    def _build_dock_when_shown(self, visible: bool) -> None:
        dock = self.sender()
        if visible and isinstance(dock, QDockWidget) and dock in self._unbuilt_docks:
            self.dock_contents(dock)

    def dock_contents(self, dock: QDockWidget) -> QWidget:
        """Return the widget a feature put in `dock`, made now if the dock was never shown."""
        build = self._unbuilt_docks.pop(dock, None)
        if build is None:
            return self._dock_contents.get(dock) or dock.widget()
        widget = build()
        self._dock_contents[dock] = widget
        placeholder = dock.widget()
        # Before the widget is in the dock: a listener may place it itself (dock_layout puts a
        # tall panel in a scroll area, before its height could make the window grow).
        self.dock_built.emit(dock, widget)
        if dock.widget() is placeholder:
            dock.setWidget(widget)
        placeholder.deleteLater()
        return widget

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
            ActionId.FIND: lambda: self.find_dialog(False),
            ActionId.FIND_NEXT: self.find_next,
            ActionId.REPLACE: lambda: self.find_dialog(True),
            ActionId.PREFERENCES: self.preferences,
            ActionId.SHIFT: self.shift_dialog,
            ActionId.SYNC: self.sync_dialog,
            ActionId.NEXT_CUE: lambda: self.edit_panel.step(1),
            ActionId.PREV_CUE: lambda: self.edit_panel.step(-1),
            ActionId.FOCUS_TABLE: lambda: self.table_pane.view.setFocus(Qt.FocusReason.ShortcutFocusReason),
            ActionId.FOCUS_TEXT: self.edit_panel.focus_text,
            ActionId.RENAME_SPEAKER: self.rename_speaker,
            ActionId.MERGE_SPEAKERS: self.merge_speakers,
            ActionId.SHORTCUTS: self.show_shortcuts,
            ActionId.ABOUT: self.show_about,
            **self.commands.handlers(),
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
            action.triggered.connect(lambda _c=False, n=n: self.commands.assign_speaker_number(n))
            self.addAction(action)
            self.speaker_actions.append(action)
        view = menus["View"]
        view.addAction(self.timeline_dock.toggleViewAction())
        view.addAction(self.history_dock.toggleViewAction())
        self.history_dock.toggleViewAction().setText(self.tr("&History"))
        self.timeline_dock.toggleViewAction().setText(self.tr("&Timeline"))
        view.addSeparator()
        for text, keys, zoom in (
            (self.tr("Zoom &In"), QKeySequence.StandardKey.ZoomIn, lambda t: t.zoom_in()),
            (self.tr("Zoom &Out"), QKeySequence.StandardKey.ZoomOut, lambda t: t.zoom_out()),
            (self.tr("Zoom to &Fit"), None, lambda t: t.zoom_to_fit()),
        ):
            action = view.addAction(text)
            if keys is not None:
                action.setShortcuts(keys)
            action.triggered.connect(lambda _c=False, z=zoom: z(self.ensure_timeline()))

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_cues = QLabel(self)
        self.status_duration = QLabel(self)
        self.status_qc = QPushButton(self)
        self.status_qc.setFlat(True)
        # The key shown is the action's own (the user may rebind it: the keymap updates this).
        keys = self.actions[ActionId.NEXT_PROBLEM].shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        tip = self.tr("Jump to the next cue with a problem")
        self.status_qc.setToolTip(f"{tip} ({keys})" if keys else tip)
        self.status_qc.clicked.connect(self.commands.next_problem)
        self.status_languages = QLabel(self)
        self.status_encoding = QLabel(self)
        self.status_modified = QLabel(self)
        for label in (self.status_cues, self.status_duration, self.status_languages, self.status_encoding):
            label.setTextFormat(Qt.TextFormat.PlainText)  # languages and encoding come from the file
        for widget, name in (
            (self.status_cues, self.tr("Number of cues")),
            (self.status_duration, self.tr("Total duration")),
            (self.status_qc, self.tr("Quality problems")),
            (self.status_languages, self.tr("Languages")),
            (self.status_encoding, self.tr("Encoding and line endings")),
            (self.status_modified, self.tr("Save state")),
        ):
            widget.setAccessibleName(name)
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
            view = self._timeline_view
            self._duration_ms = view.cues_end_ms() if view is not None else doc.duration_ms
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

    def _update_title(self) -> None:
        name = self.session.document_name()
        self.setWindowTitle(f"{name}[*] — Cueline")
        self.setWindowModified(not self.controller.undo_stack.isClean())
        self._status_timer.start()

    def _on_saved(self, _path: str) -> None:
        self._update_title()

    def _on_clean_changed(self, _clean: bool) -> None:
        self._update_title()

    def _on_changed(self, changes) -> None:
        if changes.structure or changes.fields & {"start_ms", "end_ms"}:
            self._duration_ms = None
        self._status_timer.start()

    def _on_undo_text(self, text: str) -> None:
        self.actions[ActionId.UNDO].setText(self.tr("&Undo {what}").format(what=text).strip())

    def _on_redo_text(self, text: str) -> None:
        self.actions[ActionId.REDO].setText(self.tr("&Redo {what}").format(what=text).strip())

    def _on_document_replaced(self) -> None:
        self._duration_ms = None
        self._update_title()

    def select_first(self) -> None:
        """Make the first cue current (after opening), so the edit panel shows something."""
        doc = self.controller.document
        if len(doc):
            first = doc.cues[0].id
            self.controller.select([first], first)

    # -- opening (the session reads; the window asks and shows) ---------------------------
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
        opened = self.session.open(path, translation, media, wait=wait, encoding=encoding, fps=fps)
        if wait:
            self.ensure_timeline()
        return opened

    def open_sample(self, *, wait: bool = False) -> bool:
        """Open the bundled sample project (never overwritten: Save asks for a name)."""
        opened = self.session.open_sample(wait=wait)
        if wait and opened:
            self.ensure_timeline()
        return opened

    def confirm_discard(self) -> bool:
        """Ask what to do with unsaved changes; returns True when it is fine to go on."""
        if self.controller.undo_stack.isClean():
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("{name} has unsaved changes. Save them first?").format(name=self.session.document_name()),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def open_dialog(self) -> None:
        if not self.confirm_discard():
            return
        start = self.session.start_dir()
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open"), start, _open_filter(self.tr))
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
            self, self.tr("Open Translation"), self.session.start_dir(), _open_filter(self.tr)
        )
        if path:
            self.attach_translation(path)

    def attach_translation(self, path: str, *, ask: bool = True) -> bool:
        """Align a translation file to the cues and apply it as one undo step (after a preview)."""
        return self.session.attach_translation(path, ask=ask)

    def open_media_dialog(self) -> None:
        media_filter = self.tr("Media ({patterns});;All files (*)").format(patterns=MEDIA_PATTERNS)
        start = self.session.start_dir()
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open Media"), start, media_filter)
        if path:
            self.set_media(path)

    def set_media(self, path: str) -> None:
        """Remember the media file in the document's metadata (one undo step)."""
        self.session.set_media(path)

    # -- saving ---------------------------------------------------------------------------
    def save(self) -> bool:
        """Save in the file's own format, encoding, BOM and newlines; returns True when saved."""
        target = self.session.save_target()
        if target is None:
            return self.save_as()
        return self.session.write(*target)

    def save_as(self) -> bool:
        info = self.controller.document.sources.get("source")
        start = info.path if info and info.path else os.path.join(self.session.start_dir(), "untitled.srt")
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save As"),
            start,
            _save_filter(),
        )
        if not path:
            return False
        try:
            format_id = documents.format_for_output(path)
        except EditorError as exc:
            errors.show_error(self, self.tr("Could not save"), exc)
            return False
        return self.session.write(path, format_id, info)

    def save_project(self) -> bool:
        info = self.controller.document.sources.get("source")
        base = (
            os.path.splitext(info.path)[0]
            if info and info.path
            else os.path.join(self.session.start_dir(), "untitled")
        )
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save Project"), base + ".cueline", self.tr("Cueline project (*.cueline)")
        )
        if not path:
            return False
        return self.session.write(path, "cueline", None)

    def export_dialog(self) -> None:
        from editor.qt.views.dialogs import ExportDialog

        doc = self.controller.document
        info = doc.sources.get("source")
        base = info.path if info and info.path else os.path.join(self.session.start_dir(), "untitled")
        dialog = ExportDialog(doc, base, self.session.export_defaults(), self)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return
        self.export(dialog.choice())

    def export(self, choice: ExportChoice) -> bool:
        """Write an export (does not change where Save goes); returns True on success."""
        return self.session.export(choice)

    # -- what the session asks of the window (SessionUI) ---------------------------------
    def show_error(self, title: str, exc: BaseException) -> None:
        errors.show_error(self, title, exc)

    def ask_lossy(self, path: str, format_id: str, lost: list[str]) -> tuple[LossyChoice, bool]:
        from editor.qt import save_guard

        return save_guard.ask_lossy(self, path, format_id, lost)

    def confirm_lint(self, path: str, findings: list[Finding]) -> bool:
        from editor.qt.views import lint_report

        return lint_report.confirm(self, path, findings)

    def preview_attach(self, doc: Document, other: Document, plan: AlignmentPlan) -> AlignmentPlan | None:
        from editor.qt.views.translation_preview import preview_attach

        return preview_attach(self, doc, other, plan)

    def when_ready(self, callback: Callable[[], None]) -> None:
        if not self._features_installed and self._features_wait_for_file:
            self._features_wait_for_file = False  # waited for by a file that needs them: now
            self._install_features()
        self.after_features(callback)

    def begin_preview(self) -> None:
        self._enabled_before_preview = {aid: a.isEnabled() for aid, a in self.actions.items()}
        for aid, action in self.actions.items():
            action.setEnabled(aid in (ActionId.QUIT, ActionId.SHORTCUTS, ActionId.ABOUT))
        for widget in (self.edit_panel, self.table_pane.filter_bar):
            widget.setEnabled(False)
        self.table_pane.view.setEditTriggers(self.table_pane.view.EditTrigger.NoEditTriggers)

    def show_preview(self, then: Callable[[], None]) -> None:
        self.table_pane.model.skip_qc()  # the whole file's QC arrives with it
        view = self.table_pane.view
        view.doItemsLayout()  # the scroll bar appears now, not in a second full repaint
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        # The loader starts once the rows are painted: while it runs, every call Qt
        # makes into Python during a paint waits for the GIL (a first paint took 100 ms).
        _AfterFirstPaint(view.viewport(), then, PREVIEW_PAINT_WAIT_MS)

    def end_preview(self) -> None:
        for aid, enabled in self._enabled_before_preview.items():
            self.actions[aid].setEnabled(enabled)
        stack = self.controller.undo_stack
        self.actions[ActionId.UNDO].setEnabled(stack.canUndo())
        self.actions[ActionId.REDO].setEnabled(stack.canRedo())
        for widget in (self.edit_panel, self.table_pane.filter_bar):
            widget.setEnabled(True)
        self.table_pane.view.restore_edit_triggers()

    def show_document(self, doc: Document, qc_index: QcIndex | None, path: str) -> None:
        if qc_index is not None:
            self.table_pane.model.adopt_qc_index(qc_index)
        self.select_first()
        self.table_pane.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_title()
        self._install_features_after_file()

    def skip_checks(self) -> None:
        self.table_pane.model.skip_qc()

    def adopt_checks(self, index: QcIndex) -> None:
        self.table_pane.model.adopt_qc_index(index)

    def rebuild_checks(self) -> None:
        self.table_pane.model.rebuild_qc()

    # -- editing (editor.qt.bindings does the work) ------------------------------------------
    def run_edit(self, label: str, build: Callable[[], object]) -> object:
        """Build an edit with a core operation and apply it; returns the operation's extra result."""
        return self.commands.run_edit(label, build)

    def assign_speaker(self, speaker_id: str | None) -> None:
        """Give the selected cues a speaker (None: no speaker)."""
        self.commands.assign_speaker(speaker_id)

    # What the commands use of the window (CommandsUI).
    def text_cursor_position(self) -> int | None:
        return self.edit_panel.text_cursor_position()

    def translation_cursor_position(self) -> int | None:
        return self.edit_panel.translation_cursor_position()

    def focus_text(self) -> None:
        self.edit_panel.focus_text()

    def shift_dialog(self) -> None:
        from editor.qt.views.dialogs import ShiftDialog

        dialog = ShiftDialog(self.settings.get(Key.LAST_SHIFT_MS), bool(self.controller.selected_ids), self)
        if dialog.exec() != ShiftDialog.DialogCode.Accepted:
            return
        self.settings.set(Key.LAST_SHIFT_MS, dialog.offset_ms)
        ids = list(self.controller.selected_ids) if dialog.selected.isChecked() else None
        self.commands.shift(ids, dialog.offset_ms)

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
            self.commands.two_point_sync(*dialog.points)

    def preferences(self) -> None:
        """Show Edit → Preferences (changes apply as they are made)."""
        from editor.qt.views.preferences import PreferencesContext, PreferencesDialog
        from editor.qt.views.waveform_feature import WaveformFeature

        waveform = self.parts.get(WaveformFeature)
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

    # -- find -----------------------------------------------------------------------------
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
            self.commands.rename_speaker(speaker.id, new.strip())

    def merge_speakers(self) -> None:
        from editor.qt.views.dialogs import MergeSpeakersDialog

        doc = self.controller.document
        if len(doc.speakers) < 2:
            self.show_message(self.tr("Merging needs at least two speakers."))
            return
        dialog = MergeSpeakersDialog(doc, self)
        if dialog.exec() == MergeSpeakersDialog.DialogCode.Accepted:
            self.commands.merge_speakers(*dialog.chosen())

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
        self.closed.emit()
