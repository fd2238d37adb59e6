"""The document session: open (with a preview of long files), attach a translation, save,
export and lint, with no widgets.

The session owns what happens to the document's files: which load is current, whether a
read-only preview is up, where Save goes, which media file belongs to the document. It asks
the window (a `SessionUI`) everything that needs a person or a widget: questions, error
boxes, showing a preview or a loaded document. Tests drive it with a plain object in its
place.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal

from editor.core import documents, edits, formats
from editor.core.errors import EditorError
from editor.core.model import Document, Metadata, SourceInfo
from editor.core.style import StyleSettings
from editor.qt import errors
from editor.qt.settings import Key, Settings

if TYPE_CHECKING:
    from editor.core.alignment import AlignmentPlan
    from editor.core.lint import Finding
    from editor.core.qc import QcIndex
    from editor.qt.controller import Controller
    from editor.qt.save_guard import LossyChoice
    from editor.qt.views.dialogs import ExportChoice

MEDIA_EXTENSIONS = {".mp4", ".mkv", ".webm", ".mov", ".avi", ".mp3", ".wav", ".m4a", ".ogg", ".opus", ".flac"}

# Preferred first when several files share the subtitle's name (talk.mp4 over talk.wav).
_MEDIA_PREFERENCE = (
    *(".mp4", ".mkv", ".webm", ".mov", ".avi"),
    *(".m4a", ".mp3", ".opus", ".ogg", ".flac", ".wav"),
)

PREVIEW_MIN_BYTES = 1024 * 1024  # files smaller than this load fast enough without a preview
PREVIEW_BYTES = 128 * 1024


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


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
) -> tuple[Document, QcIndex | None]:
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
    if checks:
        _release_detector(doc)
    if len(doc):
        doc.row_of(doc.cues[0].id)  # build the id → row table here, not on the GUI thread
    return doc, (QcTracker.build(doc, styles) if checks else None)


def checks_job(doc: Document, styles: StyleSettings | None = None) -> QcIndex:
    """Return the QC index of a shown document after detecting the languages it does not name
    (runs on a worker thread; only two document attributes are set)."""
    from editor.qt.cue_model import QcTracker

    # (Each asks doc.has_translation(): a read document's columns answer it without a pass.)
    documents.detect_languages(doc)
    _release_detector(doc)
    return QcTracker.build(doc, styles)


def _release_detector(doc: Document) -> None:
    """Free langdetect's profiles when `doc` has no translation: nothing else detects languages
    then, and their memory goes back before the spelling dictionary and the QC index take
    theirs (the window's peak)."""
    if not doc.has_translation():
        from editor.core import language

        language.release()


def preload_format(path: str) -> None:
    """Import the reader a file's extension names, on the GUI thread, before two workers race to."""
    format_id = formats.format_id_for(path, deciding_only=True)
    if format_id is not None:
        formats.get(format_id)


def wants_preview(path: str) -> bool:
    """Return True for a long SRT/WebVTT file, whose first cues are worth showing while it loads."""
    try:
        return formats.format_id_for(path) in ("srt", "vtt") and os.path.getsize(path) >= PREVIEW_MIN_BYTES
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


def _load_and_prepare(
    path: str, translation: str | None, styles: StyleSettings | None, encoding: str | None, fps: float | None
) -> tuple[Document, QcIndex | None]:
    """The background half of an open: read the file, then what the features and the timeline
    scan of a whole document, so showing it does not."""
    # Languages and QC come after the window names the file and paints its rows.
    result = load_job(path, translation, styles=styles, encoding=encoding, fps=fps, checks=False)
    from editor.qt import prepared

    prepared.prepare_all(result[0])
    # Not when the timeline is still to come (at launch): NumPy's import would delay the rows.
    if "editor.qt.views.timeline_geometry" in sys.modules:
        from editor.qt.views.timeline_geometry import CueIndex

        CueIndex.prebuild(result[0])
    return result


class Prefetch:
    """The read of the file named on the command line, started before the window is built (its
    imports and construction take 150-350 ms of the GUI thread): the session takes the result
    when the window opens that file (see `prefetch` and `DocumentSession.open`)."""

    def __init__(self, path: str, styles: StyleSettings) -> None:
        from editor.core import runtime

        self.path = os.path.abspath(path)
        self.styles = styles
        self._done = threading.Event()
        self._result: tuple[Document, QcIndex | None] | None = None
        self._error: BaseException | None = None
        runtime.pause_gc()  # as a worker's load: see editor.core.runtime
        threading.Thread(target=self._run, name="cueline-prefetch", daemon=True).start()

    def _run(self) -> None:
        from editor.core import runtime

        try:
            self._result = _load_and_prepare(self.path, None, self.styles, None, None)
        except BaseException as exc:  # handed to whoever takes the result
            self._error = exc
        finally:
            self._done.set()
            runtime.resume_gc()

    def done(self) -> bool:
        """Return True once the read has ended (result() does not wait then)."""
        return self._done.is_set()

    def result(self) -> tuple[Document, QcIndex | None]:
        """Wait for the read; return (document, None) or raise what it raised."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result


_prefetched: Prefetch | None = None


def prefetch(path: str, styles: StyleSettings) -> None:
    """Start reading `path` now, for the first `open` of it (the application's launch)."""
    global _prefetched
    preload_format(path)  # the reader's imports on this thread, not raced by the window's
    _prefetched = Prefetch(path, styles)


def drop_prefetch() -> None:
    """Forget a prefetched read nobody took (a restored autosave opened instead)."""
    global _prefetched
    _prefetched = None


def _take_prefetch(path: str, styles: StyleSettings) -> Prefetch | None:
    global _prefetched
    found, _prefetched = _prefetched, None
    if found is not None and found.path == os.path.abspath(path) and found.styles == styles:
        return found
    return None


class SessionUI(Protocol):
    """What the session asks of the window it serves."""

    def show_message(self, text: str, timeout_ms: int = 8000) -> None: ...
    def show_error(self, title: str, exc: BaseException) -> None: ...
    def ask_lossy(self, path: str, format_id: str, lost: list[str]) -> tuple[LossyChoice, bool]:
        """`format_id` cannot keep `lost`: returns (what to do, never ask again)."""
        ...

    def confirm_lint(self, path: str, findings: list[Finding]) -> bool:
        """The export linter found `findings`: write the export anyway?"""
        ...

    def preview_attach(self, doc: Document, other: Document, plan: AlignmentPlan) -> AlignmentPlan | None:
        """Show how a translation lines up; returns the plan to apply, or None to cancel."""
        ...

    def save_project(self) -> bool:
        """Ask for a project file name and save there; returns True when saved."""
        ...

    def begin_preview(self) -> None:
        """A long file's first cues are about to be shown: make the window read-only."""
        ...

    def show_preview(self, then: Callable[[], None]) -> None:
        """The preview's cues are current (or unsaved work kept them out): call `then` once
        the rows are painted."""
        ...

    def end_preview(self) -> None: ...
    def when_ready(self, callback: Callable[[], None]) -> None:
        """Call `callback` once the window's features are installed (a document with media waits
        for the player and the waveform; others are shown at once)."""
        ...

    def show_document(self, doc: Document, qc_index: QcIndex | None, path: str) -> None:
        """The opened document is current: select, focus and name it."""
        ...

    def skip_checks(self) -> None:
        """The document's QC index arrives later (adopt_checks)."""
        ...

    def adopt_checks(self, index: QcIndex) -> None: ...
    def rebuild_checks(self) -> None:
        """The document changed before its QC index arrived: build a fresh one on a worker
        (the window never blocks for it)."""
        ...


class DocumentSession(QObject):
    """Opens, saves and exports the controller's document.

    Signals: `loaded(path)` once an opened document is shown, `load_failed(message)`,
    `saved(path)` after Save/Save As wrote the document, `media_changed(path)` when the
    document's media file changes ("" for none), `status_changed()` when what the status bar
    shows of the files changed.
    """

    loaded = Signal(str)
    load_failed = Signal(str)
    saved = Signal(str)
    media_changed = Signal(str)
    status_changed = Signal()

    def __init__(
        self, controller: Controller, settings: Settings, ui: SessionUI, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self.ui = ui
        self.is_sample = False
        self.loading = False
        self.previewing = False
        self._generation = 0
        self._lossy_accepted: Document | None = None
        self._media_path = ""
        self._write_checks: list[Callable[[str], bool]] = []
        controller.changed.connect(self._on_changed)
        controller.document_replaced.connect(self.check_media)

    # -- names --------------------------------------------------------------------------
    def document_name(self) -> str:
        """Return the name the user knows the document by ("talk.srt", "Sample", "Untitled")."""
        info = self.controller.document.sources.get("source")
        if self.is_sample:
            return tr("Sample")
        if info is not None and info.path:
            return os.path.basename(info.path)
        return tr("Untitled")

    def start_dir(self) -> str:
        """Return the folder file dialogs start in."""
        return self.settings.get(Key.LAST_DIR) or os.path.expanduser("~")

    # -- media --------------------------------------------------------------------------
    def _on_changed(self, changes) -> None:
        if "metadata" in changes.document:
            self.check_media()

    def check_media(self) -> None:
        """Emit `media_changed` when the document's media path is not the one last announced."""
        path = self.controller.document.metadata.media_path or ""
        if path != self._media_path:
            self._media_path = path
            self.media_changed.emit(path)

    def set_media(self, path: str) -> bool:
        """Remember the media file in the document's metadata (one undo step)."""
        meta = self.controller.document.metadata
        new = Metadata(meta.title, meta.url, os.path.abspath(path), meta.duration_ms, dict(meta.extra))
        try:
            self.controller.apply(edits.SetDocumentField("metadata", new), tr("Set media"))
        except EditorError as exc:
            self.ui.show_message(errors.describe(exc))
            return False
        self.ui.show_message(tr("Media: {path}").format(path=path))
        return True

    # -- opening ------------------------------------------------------------------------
    def open(
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
        otherwise errors are shown and `loaded`/`load_failed` report the outcome.
        """
        path = os.fspath(path)
        self._generation += 1
        generation = self._generation
        styles = self.controller.styles

        def finish(result: tuple[Document, QcIndex | None]) -> None:
            if generation != self._generation:
                from editor.qt import prepared

                prepared.discard(result[0])  # let the unshown document go
                return  # a later open superseded this one
            doc = result[0]
            if media or doc.metadata.media_path or (not self.is_sample and media_beside(path)):
                # The player and the waveform take the media: the window's features come first.
                self.ui.when_ready(lambda: self._finish(result, path, media))
            else:  # the rows first, even before the window's features (its `loaded` follows them)
                self._finish(result, path, media)

        if wait:
            finish(load_job(path, translation, styles=styles, encoding=encoding, fps=fps))
            return True
        from editor.qt import workers

        self.loading = True
        self.ui.show_message(tr("Opening {name}…").format(name=os.path.basename(path)), 0)
        early = None if translation or encoding or fps else _take_prefetch(path, styles)

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.loading = False
            self.end_preview()
            self.ui.show_message(errors.describe(exc))
            if not errors.is_expected(exc):
                raise exc  # a bug: let the application's excepthook report it
            self.ui.show_error(tr("Could not open file"), exc)
            self.load_failed.emit(errors.describe(exc))

        def start_loading() -> None:
            if generation == self._generation:
                # pause_gc: a 100k-cue load allocates millions of objects; see editor.core.runtime.
                job = lambda: _load_and_prepare(path, translation, styles, encoding, fps)  # noqa: E731
                workers.run_task(job, finish, failed, owner=self, pause_gc=True)

        def preview(doc: Document | None) -> None:
            if doc is not None and generation == self._generation and self.loading:
                self.show_preview(doc, path, start_loading)
            else:
                start_loading()

        if early is not None and early.done():  # read while the window was built: show it now
            from editor.core import runtime

            runtime.pause_gc()
            try:
                try:
                    result = early.result()
                except Exception as exc:
                    failed(exc)
                    return True
                finish(result)
            finally:
                runtime.resume_gc()
            return True
        if early is not None:  # still reading: no preview, the whole file is nearly there
            workers.run_task(early.result, finish, failed, owner=self, pause_gc=True)
            return True
        preload_format(path)
        if translation or encoding or fps or not wants_preview(path):
            start_loading()
        else:  # the preview first (a 128 KB head parses in ~30 ms), then the whole file
            workers.run_task(
                lambda: preview_document(path), preview, lambda _exc: start_loading(), owner=self
            )
        return True

    def show_preview(self, doc: Document, path: str, then: Callable[[], None]) -> None:
        """Show the first cues of a long file, read-only, while the whole file is still loading
        (never in place of unsaved work)."""
        if self.previewing or self.controller.undo_stack.isClean():
            if not self.previewing:
                self.previewing = True
                self.ui.begin_preview()
            self.controller.set_document(doc)
            self.ui.show_message(
                tr("Opening {name}… showing the first {n} cues").format(
                    name=os.path.basename(path), n=len(doc)
                ),
                0,
            )
        self.ui.show_preview(then)

    def end_preview(self) -> None:
        """Leave the read-only preview (the whole file arrived, or failed to)."""
        if self.previewing:
            self.previewing = False
            self.ui.end_preview()

    def _finish(self, result: tuple[Document, QcIndex | None], path: str, media: str | None) -> None:
        self.loading = False
        self.end_preview()
        doc, qc_index = result
        from editor.resources import SAMPLE_NAME

        self.is_sample = os.path.basename(path) == SAMPLE_NAME and self.is_sample
        if self.is_sample and "source" in doc.sources:
            doc.sources["source"].path = None  # Save must not overwrite the bundled sample
        elif not self.is_sample:
            self.settings.add_recent(path)
            self.settings.set(Key.LAST_DIR, os.path.dirname(os.path.abspath(path)))
        if not media and not doc.metadata.media_path and not self.is_sample:
            media = media_beside(path)  # talk.mp4 next to talk.srt: Subtitle Edit users expect it
        if media:  # named together with the file: part of the opened state, not an edit
            doc.metadata.media_path = os.path.abspath(media)
        self.controller.set_document(doc)
        self.ui.show_document(doc, qc_index, path)
        self.ui.show_message(tr("Opened {name}: {n} cues").format(name=os.path.basename(path), n=len(doc)))
        self.loaded.emit(path)
        if qc_index is None:
            self._check_after_show(doc)

    def _check_after_show(self, doc: Document) -> None:
        """Detect the shown document's languages and build its QC index on a worker; adopt the
        index when it arrives, or build it again on a worker if the document was edited
        meanwhile (never on the GUI thread: ~0.3 s at 100k cues)."""
        from editor.qt import workers

        self.ui.skip_checks()
        controller = self.controller
        revision = controller.revision
        styles = controller.styles

        def done(index: QcIndex) -> None:
            if controller.document is not doc:
                return  # another document replaced it
            if controller.revision != revision or controller.styles != styles:
                # Built from a document the user changed meanwhile (possibly mid-edit): its
                # answers may be stale, so a fresh one is built the way large edits get theirs.
                self.ui.rebuild_checks()
            else:
                self.ui.adopt_checks(index)
            self.status_changed.emit()

        def failed(exc: BaseException) -> None:
            if controller.document is not doc:
                return  # another document replaced it
            if controller.revision != revision:
                # The worker read the document while the GUI thread edited it: run the whole job
                # again (languages too) on the edited document.
                self._check_after_show(doc)
            else:  # nothing raced it: a bug, for the application's excepthook (never a silent stop)
                raise exc

        # pause_gc: the spelling check fills its caches for every word (see editor.core.runtime).
        workers.run_task(lambda: checks_job(doc, styles), done, failed, owner=self, pause_gc=True)

    def open_sample(self, *, wait: bool = False) -> bool:
        """Open the bundled sample project (never overwritten: Save asks for a name)."""
        from editor.resources import sample_path

        try:
            path = str(sample_path())
        except FileNotFoundError as exc:
            self.ui.show_message(str(exc))
            return False
        self.is_sample = True
        return self.open(path, wait=wait)

    # -- translation --------------------------------------------------------------------
    def attach_translation(self, path: str, *, ask: bool = True) -> bool:
        """Align a translation file to the cues and apply it as one undo step (after a preview
        when `ask`), its lines laid out to the translation's style profile."""
        try:
            other = documents.read_translation(path)
            doc = self.controller.document
            plan = documents.plan_translation(doc, other)
        except (EditorError, OSError, ValueError) as exc:
            self.ui.show_error(tr("Could not open translation"), exc)
            return False
        if ask:
            chosen = self.ui.preview_attach(doc, other, plan)  # the user may carry speakers over or not
            if chosen is None:
                return False
            plan = chosen
        try:
            edit = documents.attach_translation_edit(doc, other, plan, styles=self.controller.styles)
            self.controller.apply(edit, tr("Attach translation"))
        except EditorError as exc:
            self.ui.show_error(tr("Could not attach translation"), exc)
            return False
        self.status_changed.emit()
        return True

    # -- saving -------------------------------------------------------------------------
    def save_target(self) -> tuple[str, str, SourceInfo] | None:
        """Return (path, format id, source info) Save writes to, or None when it needs a name
        (no file yet, or a format that cannot be written)."""
        from editor.core import formats

        info = self.controller.document.sources.get("source")
        if info is None or not info.path:
            return None
        try:
            writable = formats.get(info.format).can_write
        except KeyError:
            writable = False
        return (info.path, info.format, info) if writable else None

    def add_write_check(self, check: Callable[[str], bool]) -> None:
        """Ask `check(path)` before every save; a False answer cancels the save."""
        self._write_checks.append(check)

    def write(self, path: str, format_id: str, info: SourceInfo | None) -> bool:
        """Write the document and make it the file Save goes to; returns True on success.

        Asks first when the format cannot keep everything (once per document) and when a
        write check objects. A failed write says which file and why, and leaves the document
        open and modified (the autosave keeps it too).
        """
        from editor.qt import save_guard

        doc = self.controller.document
        choice = self._lossy_choice(doc, path, format_id)
        if choice is save_guard.LossyChoice.CANCEL:
            return False
        if choice is save_guard.LossyChoice.PROJECT:
            return self._save_project_instead(path)
        if not all(check(path) for check in self._write_checks):
            return False
        try:
            written = documents.save(doc, path, format_id, info=info)
        except (EditorError, OSError, LookupError) as exc:
            self.ui.show_error(tr("Could not save"), save_guard.explain_failure(path, exc))
            self.ui.show_message(tr("Not saved: {path}").format(path=path))
            return False
        # File bookkeeping, not document content: where Save goes next.
        doc.sources["source"] = written
        self.is_sample = False
        self.controller.undo_stack.setClean()
        self.settings.add_recent(path)
        self.saved.emit(path)
        self.ui.show_message(tr("Saved {path}").format(path=path))
        return True

    def _lossy_choice(self, doc: Document, path: str, format_id: str) -> LossyChoice:
        """Return what to do when `format_id` cannot keep all of `doc` (asks at most once per document)."""
        from editor.qt import save_guard

        if doc is self._lossy_accepted or not self.settings.get(Key.WARN_LOSSY_SAVE):
            return save_guard.LossyChoice.ANYWAY
        lost = save_guard.lost_in(doc, format_id)
        if not lost:
            return save_guard.LossyChoice.ANYWAY
        choice, never = self.ui.ask_lossy(path, format_id, lost)
        if never:
            self.settings.set(Key.WARN_LOSSY_SAVE, False)
        if choice is save_guard.LossyChoice.ANYWAY:
            self._lossy_accepted = doc
        return choice

    def _save_project_instead(self, path: str) -> bool:
        """Save a .cueline project beside `path` (asking for a name when that file exists)."""
        target = os.path.splitext(path)[0] + ".cueline"
        if os.path.exists(target):
            return self.ui.save_project()  # the file dialog asks before replacing it
        return self.write(target, "cueline", None)

    # -- export -------------------------------------------------------------------------
    def export_defaults(self) -> dict[str, object]:
        """Return the export choices last made (format, track, speakers, encoding, BOM, newline)."""
        s = self.settings
        return {
            "format": s.get(Key.EXPORT_FORMAT),
            "track": s.get(Key.EXPORT_TRACK),
            "speakers": s.get(Key.EXPORT_SPEAKERS),
            "encoding": s.get(Key.EXPORT_ENCODING),
            "bom": s.get(Key.EXPORT_BOM),
            "newline": s.get(Key.EXPORT_NEWLINE),
        }

    def export(self, choice: ExportChoice) -> bool:
        """Write an export (does not change where Save goes); returns True on success.

        The linter sees exactly the text about to be written; its findings are shown first.
        """
        from editor.core import lint, textio
        from editor.core.formats import WriteOptions

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
            self.ui.show_error(tr("Could not export"), exc)
            return False
        findings = lint.lint(text, choice.format_id, doc, options, self.controller.styles)
        # Lines over the style's width are QC's business too (tinted in the table): they are
        # reported in the status bar, not asked about before every export.
        long_lines = [f for f in findings if f.code == "line-length"]
        findings = [f for f in findings if f.code != "line-length"]
        if findings and not self.ui.confirm_lint(choice.path, findings):
            self.ui.show_message(tr("Not exported: {path}").format(path=choice.path))
            return False
        try:
            textio.atomic_write(choice.path, text, info)
        except (EditorError, OSError, LookupError) as exc:
            self.ui.show_error(tr("Could not export"), exc)
            return False
        message = tr("Exported {path}").format(path=choice.path)
        if long_lines:
            message += tr("; {n} lines wider than the style allows (first: line {line})").format(
                n=len(long_lines), line=long_lines[0].line
            )
        self.ui.show_message(message)
        return True
