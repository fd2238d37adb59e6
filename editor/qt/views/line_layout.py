"""Line layout actions: Rebalance Lines, Unbreak Lines (Edit menu, keys, toolbar) and
Rebalance All Lines…, each one core edit (editor.core.layout) and so one undo step.

Rebalance Lines and Unbreak Lines act on the selected cues (all cues when none is
selected), on the track whose box in the edit panel has the keyboard focus, else on both
source and translation. Rebalance All Lines… asks which track.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QInputDialog

from editor.qt.actions import ActionId
from editor.qt.host import Feature, Host

TRACK_CHOICES = (("both", "Source and translation"), ("text", "Source"), ("translation", "Translation"))


class LineLayoutActions:
    """The line layout actions of one window."""

    def __init__(self, window) -> None:
        self.window = window
        for action_id, slot in (
            (ActionId.REBALANCE_LINES, self.rebalance),
            (ActionId.UNBREAK_LINES, self.unbreak),
            (ActionId.REBALANCE_ALL, self.rebalance_all_dialog),
        ):
            action = window.actions[action_id]
            action.triggered.connect(lambda _checked=False, s=slot: s())
            action.setEnabled(True)

    def focused_track(self) -> str:
        """Return "text" or "translation" when that edit box has the focus, else "both"."""
        panel = self.window.edit_panel
        focus = QApplication.focusWidget()
        if focus is not None:
            if focus is panel.text:
                return "text"
            if focus is panel.translation:
                return "translation"
        return "both"

    def _ids(self) -> list[int] | None:
        return list(self.window.controller.selected_ids) or None

    def _apply(self, label: str, build) -> bool:
        from editor.core import edits
        from editor.core.errors import EditorError
        from editor.qt import errors

        try:
            edit = build()
        except EditorError as exc:
            self.window.show_message(errors.describe(exc))
            return False
        if isinstance(edit, edits.Batch) and not edit.edits:
            self.window.show_message(self.window.tr("Nothing to change: the lines are already laid out."))
            return False
        self.window.controller.apply(edit, label)
        return True

    def rebalance(
        self, track: str | None = None, ids: list[int] | None = None, *, all_cues: bool = False
    ) -> bool:
        """Lay out the lines of the selected cues (or all) again; returns True when something changed."""
        from editor.core import layout

        doc = self.window.controller.document
        chosen = track or self.focused_track()
        scope = None if all_cues else (ids if ids is not None else self._ids())
        styles = self.window.controller.styles
        return self._apply(
            self.window.tr("Rebalance lines"), lambda: layout.rebalance_lines(doc, scope, chosen, styles)
        )

    def unbreak(self, track: str | None = None, ids: list[int] | None = None) -> bool:
        """Join the lines of the selected cues (or all) into one; returns True when something changed."""
        from editor.core import layout

        doc = self.window.controller.document
        chosen = track or self.focused_track()
        scope = ids if ids is not None else self._ids()
        return self._apply(self.window.tr("Unbreak lines"), lambda: layout.unbreak_lines(doc, scope, chosen))

    def rebalance_all_dialog(self) -> None:
        window = self.window
        labels = [window.tr(label) for _id, label in TRACK_CHOICES]
        title, prompt = window.tr("Rebalance All Lines"), window.tr("Lay out the lines of every cue in:")
        label, ok = QInputDialog.getItem(window, title, prompt, labels, 0, False)
        if ok:
            self.rebalance(TRACK_CHOICES[labels.index(label)][0], all_cues=True)


def install(window: Host) -> None:
    """Add the line layout actions to the window (their menu entries come from actions.SPECS)."""
    window.parts.add(LineLayoutActions(window))


FEATURE = Feature("line_layout", install)
