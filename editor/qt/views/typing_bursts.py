"""Typing into a cue's text box, as the edit panel and the review panel both handle it.

Keys typed with short pauses are one undo step (a burst); a pause longer than
BURST_PAUSE_S, leaving the box, or Undo/Redo starts the next. Undo and Redo typed in a box
undo the document's edits, not the box's own (which would go out of step with the document).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoStack

BURST_PAUSE_S = 2.0  # typing after a longer pause starts a new undo step


class TypingBursts:
    """Numbers the bursts of typing: edits with the same number merge into one undo step."""

    def __init__(self) -> None:
        self.number = 0
        self._last_key = 0.0

    def key(self) -> int:
        """A key was typed now: return the number of its burst."""
        now = time.monotonic()
        if now - self._last_key > BURST_PAUSE_S:
            self.number += 1
        self._last_key = now
        return self.number

    def end(self) -> None:
        """End the current burst: the next key starts a new undo step."""
        self.number += 1

    def filter(self, event: QEvent, stack: QUndoStack) -> bool:
        """Handle a text box's event: leaving the box ends the burst, Undo/Redo go to `stack`.

        Returns True when the event was handled here (the box must not see it)."""
        kind = event.type()
        if kind == QEvent.Type.FocusOut:
            self.end()
            return False
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        key: QKeyEvent = event  # type: ignore[assignment]  # Qt hands key events over as QKeyEvent
        undo, redo = QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo
        for standard, slot in ((undo, stack.undo), (redo, stack.redo)):
            if key.matches(standard):
                if kind == QEvent.Type.KeyPress:
                    self.end()
                    slot()
                event.accept()
                return True
        return False
