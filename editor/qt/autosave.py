"""Debounced autosave to the user data folder, and recovery after a crash.

Each window session writes `session-<id>.cueline` (the project format) plus a small
`.json` beside it (when, how many cues, the original file) into
`<user data dir>/autosave/`, at most `delay_ms` after the first unsaved edit. The document is
serialised on a pool thread without copying it: the controller's revision counter is
read before and after, and a snapshot taken while an edit happened is thrown away
and retried, so the GUI thread never waits. A clean close deletes the files; files
left behind by a crashed session are offered for restore on the next start.

While a session has an autosave it holds `session-<id>.lock` (session_lock): the lock goes
with the process, so a session that died is recognised even when its pid is a zombie or
has been given to another process. Discarded autosaves move to `discarded/` and are kept
for a while (DISCARDED_KEEP, DISCARDED_KEEP_DAYS) so that one reflex click loses nothing.
"""

from __future__ import annotations

import json
import os
import time

from PySide6.QtCore import QObject, QTimer, Signal

from editor.core import documents, textio
from editor.core.errors import EditorError
from editor.core.model import Document, SourceInfo
from editor.core.records import record
from editor.qt import workers
from editor.qt.controller import Controller
from editor.qt.session_lock import SessionLock, is_held

DEFAULT_DELAY_MS = 3000
DISCARDED_FOLDER = "discarded"
DISCARDED_KEEP = 20  # the newest this many discarded autosaves are kept…
DISCARDED_KEEP_DAYS = 14  # …and none older than this


def autosave_dir() -> str:
    """Return <user data dir>/autosave (not created here)."""
    from editor.core.userdirs import user_dir

    return os.path.join(user_dir("data"), "autosave")


class _Stale(Exception):
    """The document changed while it was being serialised; try again later."""


@record
class Recovery:
    """An autosave left by a session that did not close cleanly."""

    path: str
    saved_at: float
    cue_count: int
    original: dict

    @property
    def when(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.saved_at))

    @property
    def original_path(self) -> str:
        return str(self.original.get("path") or "")


def _pid_alive(pid: int) -> bool:
    if pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but not ours (EPERM), or not checkable on this platform
        return True
    return True


def _sibling(path: str, ext: str) -> str:
    return os.path.splitext(path)[0] + ext


def _session_alive(meta_path: str, meta: dict) -> bool:
    held = is_held(_sibling(meta_path, ".lock"))
    if held is None:  # no lock file: written by a version that only recorded its pid
        return _pid_alive(int(meta.get("pid", 0)))
    return held


def find_recoverable(folder: str | None = None) -> list[Recovery]:
    """Return autosaves of sessions that are no longer running, newest first."""
    folder = folder or autosave_dir()
    found: list[Recovery] = []
    if not os.path.isdir(folder):
        return found
    for name in os.listdir(folder):
        if not (name.startswith("session-") and name.endswith(".json")):
            continue
        meta_path = os.path.join(folder, name)
        data_path = meta_path[: -len(".json")] + ".cueline"
        try:
            with open(meta_path, encoding="utf-8") as fh:
                meta = json.load(fh)
            if not os.path.isfile(data_path) or _session_alive(meta_path, meta):
                continue
            found.append(
                Recovery(data_path, float(meta["saved_at"]), int(meta["cue_count"]), dict(meta["original"]))
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a half-written or foreign file is not something to offer
    found.sort(key=lambda r: r.saved_at, reverse=True)
    return found


def load_recovery(recovery: Recovery) -> Document:
    """Read an autosave back, with the original file's SourceInfo. Raises ParseError."""
    doc = documents.load(recovery.path, format_id="cueline")
    original = recovery.original
    if original.get("path"):
        doc.sources["source"] = SourceInfo(
            path=original["path"],
            format=str(original.get("format", "")),
            encoding=str(original.get("encoding", "utf-8")),
            bom=bool(original.get("bom", False)),
            newline=str(original.get("newline", "\n")),
        )
    else:
        doc.sources.pop("source", None)
    return doc


def discarded_dir(folder: str | None = None) -> str:
    """Return the folder where discarded autosaves are kept for a while."""
    return os.path.join(folder or autosave_dir(), DISCARDED_FOLDER)


def discard(recovery: Recovery, *, keep: bool = True) -> str | None:
    """Set an autosave aside: moved to discarded_dir() (returns its new path), or deleted
    when `keep` is False or it cannot be moved (returns None)."""
    folder = os.path.dirname(recovery.path)
    kept: str | None = None
    if keep:
        target_dir = discarded_dir(folder)
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(recovery.saved_at))
        name = os.path.splitext(os.path.basename(recovery.original_path or "untitled"))[0] or "untitled"
        target = os.path.join(target_dir, f"{stamp}-{name}-{os.path.basename(recovery.path)}")
        try:
            os.makedirs(target_dir, exist_ok=True)
            os.replace(recovery.path, target)
            kept = target
        except OSError:
            kept = None
    for path in (recovery.path, _sibling(recovery.path, ".json"), _sibling(recovery.path, ".lock")):
        try:
            os.remove(path)
        except OSError:
            pass
    if kept is not None:
        prune_discarded(os.path.dirname(kept))
    return kept


def prune_discarded(folder: str, now: float | None = None) -> None:
    """Keep the newest DISCARDED_KEEP files in `folder`, none older than DISCARDED_KEEP_DAYS."""
    now = time.time() if now is None else now
    try:
        entries = [e for e in os.scandir(folder) if e.is_file() and e.name.endswith(".cueline")]
        entries.sort(key=lambda e: e.stat().st_mtime, reverse=True)
    except OSError:
        return
    limit = now - DISCARDED_KEEP_DAYS * 86400
    for i, entry in enumerate(entries):
        try:
            if i >= DISCARDED_KEEP or entry.stat().st_mtime < limit:
                os.remove(entry.path)
        except OSError:
            pass


class Autosaver(QObject):
    """Saves the document ≤ `delay_ms` after the first unsaved edit; `saved(path)` after each write."""

    saved = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        controller: Controller,
        folder: str | None = None,
        delay_ms: int = DEFAULT_DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.folder = folder or autosave_dir()
        session = os.urandom(6).hex()  # 12 random hex digits (uuid4's, without importing uuid)
        self.path = os.path.join(self.folder, f"session-{session}.cueline")
        self.meta_path = os.path.join(self.folder, f"session-{session}.json")
        self.lock = SessionLock(os.path.join(self.folder, f"session-{session}.lock"))
        self._timer = QTimer(self, singleShot=True, interval=max(0, delay_ms))
        self._timer.timeout.connect(self.save_now)
        self._busy = False
        controller.changed.connect(self._schedule)
        controller.undo_stack.cleanChanged.connect(self._on_clean_changed)
        controller.document_replaced.connect(self._on_replaced)

    @property
    def delay_ms(self) -> int:
        """Return how long after the first unsaved edit the document is saved."""
        return self._timer.interval()

    def set_delay(self, delay_ms: int) -> None:
        """Save at most `delay_ms` after the first unsaved edit from now on."""
        self._timer.setInterval(max(0, int(delay_ms)))

    @property
    def pending(self) -> bool:
        """True while a save is scheduled or being written."""
        return self._timer.isActive() or self._busy

    def _schedule(self, *_args) -> None:
        # Not restarted by later edits: steady typing must not keep older edits off the disk
        # for longer than delay_ms (a burst inside the delay is still written once).
        if not self._timer.isActive():
            self._timer.start()

    def _on_clean_changed(self, clean: bool) -> None:
        if clean:
            self._timer.stop()
            self.clear()
        else:
            self._schedule()

    def _on_replaced(self) -> None:
        self._timer.stop()
        if self.controller.undo_stack.isClean():
            self.clear()

    def save_now(self) -> None:
        """Start writing the current document in the background (skipped when nothing is unsaved)."""
        if self.controller.undo_stack.isClean():
            self.clear()
            return
        if self._busy:
            self._schedule()
            return
        controller = self.controller
        doc = controller.document
        revision = controller.revision
        source = doc.sources.get("source")
        meta = {
            "pid": os.getpid(),
            "saved_at": time.time(),
            "cue_count": len(doc),
            "original": {
                "path": source.path if source else None,
                "format": source.format if source else "",
                "encoding": source.encoding if source else "utf-8",
                "bom": source.bom if source else False,
                "newline": source.newline if source else "\n",
            },
        }
        path, meta_path = self.path, self.meta_path
        self._take_lock()

        def write() -> str:
            text = documents.render(doc, "cueline")
            if controller.revision != revision or controller.document is not doc:
                raise _Stale
            os.makedirs(os.path.dirname(path), exist_ok=True)
            textio.atomic_write(path, text)
            textio.atomic_write(meta_path, json.dumps(meta, ensure_ascii=False))
            return path

        self._busy = True
        workers.run_task(write, self._done, self._failed, owner=self)

    def _done(self, path: str) -> None:
        self._busy = False
        if self.controller.undo_stack.isClean():
            self.clear()  # saved to disk while we were writing: nothing to recover
            return
        self._take_lock()  # (a save and a new edit during the write released it)
        self.saved.emit(path)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        if isinstance(exc, _Stale):
            self._schedule()
            return
        from editor.qt.errors import describe

        self.failed.emit(describe(exc))

    def _take_lock(self) -> None:
        """Hold this session's lock from its first autosave on (best effort: without it an
        autosave is still written, and offered to a second window while this one runs)."""
        if not self.lock.held:
            try:
                os.makedirs(self.folder, exist_ok=True)
                self.lock.acquire()
            except OSError:
                pass

    def adopt(self, recovery: Recovery) -> None:
        """Take over a restored autosave's files, so that a second crash still leaves them."""
        try:
            self._take_lock()  # before the files carry our name: never seen unowned
            os.replace(recovery.path, self.path)
            old_meta = _sibling(recovery.path, ".json")
            with open(old_meta, encoding="utf-8") as fh:
                meta = json.load(fh)
            meta["pid"] = os.getpid()  # now owned by a running session: not offered elsewhere
            textio.atomic_write(self.meta_path, json.dumps(meta, ensure_ascii=False))
            os.remove(old_meta)
            try:
                os.remove(_sibling(recovery.path, ".lock"))
            except FileNotFoundError:
                pass
        except (OSError, ValueError, EditorError):
            self._schedule()  # write our own copy soon instead

    def clear(self) -> None:
        """Delete this session's autosave (clean close, or the document was saved)."""
        for path in (self.path, self.meta_path):
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
            except OSError:
                pass  # a read-only data folder must not stop the editor; the next start offers it again
        self.lock.release(remove=True)  # nothing left to own
