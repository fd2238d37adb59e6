"""Keyboard routes of a correction pass: Go to Cue (a number or a time), the next and previous
cue with estimated timing, Ctrl+Home / Ctrl+End in the table moving the selection (and so the
edit panel), and focus back on the widget that had it when a dialog closes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QWidget

from editor.core import timecode
from editor.core.errors import ValidationError
from editor.core.model import Timing
from editor.qt.actions import ActionId
from editor.qt.host import Feature, Host


def find_target(doc, text: str) -> int | None:
    """Return the cue id a "go to" answer names: a cue number ("42"), or a time ("1:23.5",
    "0:01:23,500"; the cue playing then, else the next one). None when nothing matches.
    Raises ValidationError for text that is neither."""
    text = text.strip()
    if not len(doc) or not text:
        return None
    if text.isdigit():
        row = int(text) - 1
        return doc.cues[row].id if 0 <= row < len(doc) else None
    ms = timecode.parse_user(text)
    after = None
    for cue in doc.cues:
        if cue.start_ms <= ms < cue.end_ms:
            return cue.id
        if after is None and cue.start_ms >= ms:
            after = cue.id
    return after if after is not None else doc.cues[-1].id


def next_estimated(doc, cue_id: int | None, step: int) -> int | None:
    """Return the id of the next (step 1) or previous (step -1) cue with estimated timing after
    `cue_id`, wrapping around; None when there is none."""
    n = len(doc)
    if not n:
        return None
    start = doc.row_of(cue_id) if cue_id is not None and doc.has_cue(cue_id) else (-1 if step > 0 else n)
    cues = doc.cues
    for k in range(1, n + 1):
        cue = cues[(start + step * k) % n]
        if cue.timing == Timing.ESTIMATED:
            return cue.id
    return None


class KeyboardFlow(QObject):
    """The keyboard routes of one window."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._last_focus: QWidget | None = None
        actions = window.actions
        for action_id, slot in (
            (ActionId.GO_TO, self.go_to_dialog),
            (ActionId.NEXT_ESTIMATED, lambda: self.step_estimated(1)),
            (ActionId.PREV_ESTIMATED, lambda: self.step_estimated(-1)),
        ):
            actions[action_id].triggered.connect(lambda _checked=False, s=slot: s())
            actions[action_id].setEnabled(True)
        window.table_pane.view.installEventFilter(self)
        window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.focusChanged.connect(self._on_focus)

    # -- go to ----------------------------------------------------------------------------
    def go_to_dialog(self) -> None:
        w = self.window
        text, ok = QInputDialog.getText(
            w, w.tr("Go to Cue"), w.tr("Cue number, or a time (1:23.5):"), text=self._current_number()
        )
        if ok:
            self.go_to(text)

    def _current_number(self) -> str:
        doc, current = self.window.controller.document, self.window.controller.current_id
        return str(doc.row_of(current) + 1) if current is not None and doc.has_cue(current) else ""

    def go_to(self, text: str) -> bool:
        """Select the cue `text` names; returns False (with a message) when it names none."""
        w = self.window
        try:
            target = find_target(w.controller.document, text)
        except ValidationError as exc:
            w.show_message(exc.reason)
            return False
        if target is None:
            w.show_message(w.tr("There is no cue {what}.").format(what=text.strip()))
            return False
        w.controller.select([target], target)
        return True

    def step_estimated(self, step: int) -> None:
        w = self.window
        target = next_estimated(w.controller.document, w.controller.current_id, step)
        if target is None:
            w.show_message(w.tr("No cue has estimated timing."))
            return
        w.controller.select([target], target)

    # -- Ctrl+Home / Ctrl+End; focus after dialogs ---------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        w = self.window
        if obj is w.table_pane.view and event.type() == QEvent.Type.KeyPress:
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if mods == Qt.KeyboardModifier.ControlModifier and event.key() in (
                Qt.Key.Key_Home,
                Qt.Key.Key_End,
            ):
                self._select_edge(first=event.key() == Qt.Key.Key_Home)
                return True
        elif obj is w and event.type() == QEvent.Type.WindowActivate:
            focus = QApplication.focusWidget()
            last = self._last_focus
            if (focus is None or focus is w) and last is not None and last.isVisible() and last.isEnabled():
                last.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        return False

    def _select_edge(self, first: bool) -> None:
        view = self.window.table_pane.view
        model = view.model()
        rows = model.rowCount()
        if not rows:
            return
        from editor.qt.cue_model import CUE_ID_ROLE

        cue_id = model.index(0 if first else rows - 1, 0).data(CUE_ID_ROLE)
        self.window.controller.select([cue_id], cue_id)

    def _on_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new is not self.window and new.window() is self.window:
            self._last_focus = new


def install(window: Host) -> None:
    """Add Go to Cue, estimated-timing navigation, table Ctrl+Home/End and focus return."""
    window.parts.add(KeyboardFlow(window))


FEATURE = Feature("keyboard_flow", install)
