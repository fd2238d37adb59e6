"""Values worked out off the GUI thread for a document about to be shown.

Opening a file runs on a worker (MainWindow.open_path). A feature that scans every cue
when a document is shown (review counts, speakers' cue counts) registers its scan here;
the loader runs every registered scan on the new document before handing it over, and
the feature takes the result when the document replaces the old one. Without a result
(a document set another way, a newer open, a scan that failed) the feature scans itself,
so a result is only ever a shortcut, never the only way to a correct figure.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from editor.core.model import Document

T = TypeVar("T")


class Prepared(Generic[T]):
    """One scan of a document: `prepare(doc)` on the loader, `take(doc)` on the GUI thread.

    Only the latest document's result is kept; the document must not change between the
    two (the loader hands it over untouched).
    """

    def __init__(self, scan: Callable[[Document], T]) -> None:
        self.scan = scan
        self._slot: tuple[Document, T] | None = None
        self._lock = threading.Lock()

    def prepare(self, doc: Document) -> None:
        value = self.scan(doc)
        with self._lock:
            self._slot = (doc, value)

    def take(self, doc: Document) -> T | None:
        """Return (and forget) the result prepared for `doc`, or None."""
        with self._lock:
            found = self._slot
            if found is None or found[0] is not doc:
                return None
            self._slot = None
        return found[1]

    def take_or_scan(self, doc: Document) -> T:
        """Return the result prepared for `doc`, else scan it now."""
        found = self.take(doc)
        return self.scan(doc) if found is None else found

    def forget(self, doc: Document | None = None) -> None:
        """Drop the result (only if it is `doc`'s, when given)."""
        with self._lock:
            if doc is None or (self._slot is not None and self._slot[0] is doc):
                self._slot = None


_registry: list[Prepared] = []
_registry_lock = threading.Lock()


def register(scan: Callable[[Document], T]) -> Prepared[T]:
    """Have `scan` run on every document the window loads; returns its Prepared."""
    prepared = Prepared(scan)
    with _registry_lock:
        _registry.append(prepared)
    return prepared


def prepare_all(doc: Document) -> None:
    """Run every registered scan on `doc` (on the loader thread)."""
    with _registry_lock:
        scans = list(_registry)
    for prepared in scans:
        try:
            prepared.prepare(doc)
        except Exception:  # a shortcut only: the GUI thread scans again (and reports)
            prepared.forget()


def discard(doc: Document) -> None:
    """Drop every result prepared for `doc` (a load superseded before it was shown)."""
    with _registry_lock:
        scans = list(_registry)
    for prepared in scans:
        prepared.forget(doc)
