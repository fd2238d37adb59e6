"""Line layout actions: Rebalance Lines, Unbreak Lines (Edit menu, keys, toolbar) and
Rebalance All Lines…, each one core edit (editor.core.layout) and so one undo step.

Rebalance Lines and Unbreak Lines act on the selected cues (all cues when none is
selected), on the track whose box in the edit panel has the keyboard focus, else on both
source and translation. Rebalance All Lines… asks which track.

Many cues (more than WORKER_MIN_TEXTS texts, a whole long document) are laid out on a
worker thread from a copy of their texts (layout.line_texts, layout.rebalanced), so the
window goes on answering; the result is applied as one undo step through the controller
(layout.rebalance_edit), leaving alone any cue edited meanwhile.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QInputDialog

from editor.qt import workers
from editor.qt.actions import ActionId
from editor.qt.host import Feature, Host

TRACK_CHOICES = (("both", "Source and translation"), ("text", "Source"), ("translation", "Translation"))
# Above this many texts the layouts are worked out on a worker: cold, 100,000 cues take
# about 2 s of the interpreter (README, "Line layout: figures"), 5,000 about 0.1 s.
WORKER_MIN_TEXTS = 5000


class LineLayoutActions:
    """The line layout actions of one window."""

    def __init__(self, window) -> None:
        self.window = window
        self.task: workers.Task | None = None  # a Rebalance being worked out on a worker
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
        """Lay out the lines of the selected cues (or all) again; returns True when something
        changed, or (many cues) when the layouts are being worked out on a worker."""
        from editor.core import layout
        from editor.core.errors import EditorError
        from editor.qt import errors

        window = self.window
        if self.task is not None:
            window.show_message(window.tr("The lines are being laid out already."))
            return False
        controller = window.controller
        doc = controller.document
        chosen = track or self.focused_track()
        scope = None if all_cues else (ids if ids is not None else self._ids())
        try:
            texts = layout.line_texts(doc, scope, chosen, controller.styles)
        except EditorError as exc:
            window.show_message(errors.describe(exc))
            return False
        label = window.tr("Rebalance lines")
        count = sum(map(len, texts.texts.values()))
        if count <= WORKER_MIN_TEXTS:
            return self._apply(label, lambda: layout.rebalance_edit(doc, texts, layout.rebalanced(texts)))
        languages = (doc.source_language, doc.translation_language)

        def done(new: dict[str, dict[int, str]]) -> None:
            self.task = None
            if (
                controller.document is not doc
                or controller.styles != texts.styles
                or (doc.source_language, doc.translation_language) != languages
            ):
                changed = window.tr("The document changed while its lines were laid out: nothing changed.")
                window.show_message(changed)
                return
            if self._apply(label, lambda: layout.rebalance_edit(doc, texts, new)):
                window.show_message(window.tr("Rebalanced the lines of {count} texts.").format(count=count))

        def failed(exc: BaseException) -> None:
            self.task = None
            window.show_message(window.tr("Rebalance lines failed: {why}").format(why=exc), 15000)

        window.show_message(window.tr("Laying out the lines of {count} texts…").format(count=count), 0)
        self.task = workers.run_task(
            lambda: layout.rebalanced(texts), done, failed, owner=window, pause_gc=True
        )
        return True

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
