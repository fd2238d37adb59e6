"""Notice when the open file changes on disk behind the editor's back.

The size, modification time and SHA-256 of the document's file are recorded when it is
opened and after every save. A QFileSystemWatcher (and a check before every Save) compares
the file with that record: a touched file with the same bytes is not a change. A real change
offers a reload, which is one undoable edit (so unsaved work is never gone for good) and asks
first when there are unsaved changes; Save over a changed file asks before overwriting it.

The questions are module-level functions (`ask_reload`, `ask_overwrite`) so tests can answer
them without a modal dialog.
"""

from __future__ import annotations

import copy
import hashlib
import os

from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from editor.core import documents, edits
from editor.core.errors import EditorError
from editor.core.model import Document
from editor.core.records import record
from editor.qt import prepared
from editor.qt.host import Feature, Host

CHECK_DELAY_MS = 200  # editors save in several steps; look once they are done


def tr(text: str) -> str:
    return QCoreApplication.translate("disk_watch", text)


@record(frozen=True)
class Fingerprint:
    size: int
    mtime_ns: int
    sha256: str


def fingerprint(path: str) -> Fingerprint | None:
    """Return the file's size, mtime and SHA-256, or None when it cannot be read."""
    try:
        st = os.stat(path)
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return Fingerprint(st.st_size, st.st_mtime_ns, digest.hexdigest())


def _source_fingerprint(doc: Document) -> tuple[str, Fingerprint | None] | None:
    info = doc.sources.get("source")
    if info is None or not info.path:
        return None
    path = os.path.abspath(info.path)
    return path, fingerprint(path)


# Opening a file hashes it on the loader thread, right after reading it (a 10 MB file took
# 17-40 ms on the GUI thread); showing the document only takes the fingerprint.
_OPENED = prepared.register(_source_fingerprint)


def _question(parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # a file name is never markup
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes_button


def ask_reload(parent: QWidget | None, path: str, modified: bool) -> bool:
    """Ask whether to reload `path` from disk; returns True for yes."""
    text = tr("{path} was changed by another program.").format(path=path)
    if modified:
        text += "\n\n" + tr(
            "Reloading replaces your unsaved changes with the file on disk (Undo brings them back)."
        )
    return _question(parent, tr("File changed on disk"), text, tr("Reload"), tr("Keep Mine"))


def ask_overwrite(parent: QWidget | None, path: str) -> bool:
    """Ask whether to save over a file that changed on disk since it was opened; True for yes."""
    text = tr(
        "{path} was changed by another program since it was opened or last saved.\n\n"
        "Saving replaces those changes with this document."
    ).format(path=path)
    return _question(parent, tr("File changed on disk"), text, tr("Overwrite"), tr("Cancel"))


def reload_edit(current: Document, fresh: Document) -> edits.Batch:
    """Return one edit that turns `current` into `fresh` (cues, speakers, languages, notes, metadata)."""
    cues = []
    for row, cue in enumerate(fresh.cues):
        cue = copy.copy(cue)
        cue.id = current.new_id()  # never reuse an id the undo history may bring back
        cues.append((row, cue))
    parts: list = [
        edits.RemoveCues([c.id for c in current.cues]),
        edits.SetSpeakers(list(fresh.speakers.values())),
        edits.InsertCues(cues),
    ]
    for name in ("source_language", "translation_language", "notes", "metadata"):
        if getattr(current, name) != getattr(fresh, name):
            parts.append(edits.SetDocumentField(name, getattr(fresh, name)))
    return edits.Batch(parts)


class DiskWatch(QObject):
    """Watches the window's document file; `reloaded(path)` after a reload from disk."""

    reloaded = Signal(str)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.path: str | None = None
        self.recorded: Fingerprint | None = None
        self._declined: Fingerprint | None = None  # do not ask twice about the same bytes
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_file_changed)
        self._watcher.directoryChanged.connect(self._on_file_changed)
        self._timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check)
        window.controller.document_replaced.connect(self._on_replaced)
        window.session.add_write_check(self.may_overwrite)
        window.session.saved.connect(self.track)
        # A file named at launch is shown before the features install (its rows come first):
        # its document replaced the old one before this watch listened, so take it up now.
        self._take_up_shown()

    def _source_path(self) -> str | None:
        info = self.window.controller.document.sources.get("source")
        return os.path.abspath(info.path) if info is not None and info.path else None

    def _take_up_shown(self) -> None:
        doc = self.window.controller.document
        path = self._source_path()
        opened = _OPENED.take(doc)
        if opened is not None or path is None:
            self.track(path, opened)
            return
        # Read before this module was imported, the file was not hashed by the loader: hash it
        # on a worker (hashlib lets go of the GIL: the other core does it while QC runs), not on
        # the GUI thread (~9 ms for 100k cues). Taken up only if the document is still the one.
        from editor.qt import workers

        def done(found: Fingerprint | None) -> None:
            if self.window.controller.document is doc and self._source_path() == path:
                self.track(path, (os.path.abspath(path), found) if found is not None else None)

        workers.run_task(lambda: fingerprint(path), done, lambda _exc: done(None), owner=self)

    def _on_replaced(self) -> None:
        self.track(self._source_path(), _OPENED.take(self.window.controller.document))

    def track(self, path: str | None, opened: tuple[str, Fingerprint | None] | None = None) -> None:
        """Record `path` as it is now (after opening or saving it) and watch it.

        `opened`: (path, fingerprint) taken when the loader read the file, used when the path matches.
        """
        if self._watcher.files():
            self._watcher.removePaths(self._watcher.files())
        if self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())
        self.path = os.path.abspath(path) if path else None
        if opened is not None and self.path and opened[0] == self.path:
            self.recorded = opened[1]
        else:
            self.recorded = fingerprint(self.path) if self.path else None
        self._declined = None
        if self.path and self.recorded is not None:
            self._watcher.addPath(self.path)
            # An atomic save by another program replaces the file: the folder notices that.
            self._watcher.addPath(os.path.dirname(self.path))

    def changed_since_recorded(self, path: str | None = None) -> bool:
        """Return True when `path` (default: the tracked file) differs from the recorded bytes."""
        path = os.path.abspath(path) if path else self.path
        if path is None or path != self.path or self.recorded is None:
            return False
        try:
            st = os.stat(path)
        except OSError:
            return False  # gone: nothing to overwrite, nothing to reload
        if st.st_size == self.recorded.size and st.st_mtime_ns == self.recorded.mtime_ns:
            return False
        now = fingerprint(path)
        if now is None:
            return False
        if now.sha256 == self.recorded.sha256:
            self.recorded = now  # touched, not changed
            return False
        return True

    def may_overwrite(self, path: str) -> bool:
        """Return True when a save may write `path`: unchanged on disk, or the user said so."""
        return not self.changed_since_recorded(path) or ask_overwrite(self.window, path)

    def _on_file_changed(self, _path: str) -> None:
        if self.path and self.path not in self._watcher.files() and os.path.exists(self.path):
            self._watcher.addPath(self.path)  # replaced files drop out of the watch
        self._timer.start()

    def check(self) -> bool:
        """Offer a reload when the file changed on disk; returns True when it was reloaded."""
        if not self.window.isVisible():
            return False  # a closed window asks nothing (it may linger until Qt deletes it)
        if not self.changed_since_recorded():
            return False
        now = fingerprint(self.path)
        if now is None or now == self._declined:
            return False
        modified = not self.window.controller.undo_stack.isClean()
        if not ask_reload(self.window, self.path, modified):
            self._declined = now
            return False
        return self.reload()

    def reload(self) -> bool:
        """Replace the document with the file on disk as one undoable edit; returns True on success."""
        from editor.qt import errors

        path = self.path
        controller = self.window.controller
        try:
            fresh = documents.load(path)
            controller.apply(reload_edit(controller.document, fresh), tr("Reload from disk"))
        except (EditorError, OSError, ValueError) as exc:
            errors.show_error(self.window, tr("Could not reload"), exc)
            return False
        controller.document.sources["source"] = fresh.sources["source"]
        controller.undo_stack.setClean()  # the document is the file on disk again
        self.track(path)
        self.reloaded.emit(path)
        return True


def install(window: Host) -> None:
    """Give `window` a DiskWatch (in its parts)."""
    window.parts.add(DiskWatch(window))


FEATURE = Feature("disk_watch", install)
