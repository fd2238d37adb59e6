"""Command bindings: each editing action of the window → the core operation it asks for.

`Commands` turns an action (insert, delete, split, merge, shift, reading speed, overlaps,
gaps, confirm timing, re-segment, next problem, assign/rename/merge speakers) into a core
operation on the controller's document and its selection, applies it as one undo step and
moves the selection where the user expects it. It builds no widget: what it needs of the
window (messages, the edit panel's cursor) comes through `CommandsUI`, so tests drive it
with a plain object. The actions that open a dialog first (Shift…, Sync…, Rename…) stay in
the window and call these with the dialog's answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication

from editor.core import edits
from editor.core.errors import EditorError
from editor.core.style import SOURCE, StyleProfile
from editor.qt import errors
from editor.qt.actions import ActionId
from editor.qt.core_modules import operations as _operations
from editor.qt.settings import Key, Settings

if TYPE_CHECKING:
    from editor.core.qc import Problem
    from editor.qt.controller import Controller
    from editor.qt.cue_model import QcTracker


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class CommandsUI(Protocol):
    """What the commands use of the window: messages and the edit panel's cursor."""

    def show_message(self, text: str, timeout_ms: int = 8000) -> None: ...
    def text_cursor_position(self) -> int | None:
        """The cursor's position in the current cue's text, or None when it is not there."""
        ...
    def translation_cursor_position(self) -> int | None:
        """The cursor's position in the current cue's translation, or None."""
        ...
    def focus_text(self) -> None:
        """Put the keyboard in the current cue's text."""
        ...


class Commands:
    """The window's editing commands, each one core operation applied as one undo step."""

    def __init__(self, controller: Controller, settings: Settings, qc: QcTracker, ui: CommandsUI) -> None:
        self.controller = controller
        self.settings = settings
        self.qc = qc
        self.ui = ui

    def handlers(self) -> dict[ActionId, Callable[[], object]]:
        """Return the handler of every action these commands serve."""
        return {
            ActionId.INSERT_BEFORE: lambda: self.insert_cue(before=True),
            ActionId.INSERT_AFTER: lambda: self.insert_cue(before=False),
            ActionId.DELETE: self.delete_cues,
            ActionId.SPLIT: self.split_cue,
            ActionId.MERGE: self.merge_cues,
            ActionId.READING_SPEED: self.reading_speed,
            ActionId.FIX_OVERLAPS: self.fix_overlaps,
            ActionId.CLOSE_GAPS: self.close_gaps,
            ActionId.RESEGMENT: self.resegment,
            ActionId.CONFIRM_TIMING: self.confirm_timing,
            ActionId.NEXT_PROBLEM: self.next_problem,
            ActionId.PREV_PROBLEM: self.previous_problem,
            ActionId.CLEAR_SPEAKER: lambda: self.assign_speaker(None),
        }

    # -- applying -----------------------------------------------------------------------
    def apply(self, edit: edits.Edit, label: str) -> bool:
        """Apply a core edit as one undo step; an edit that changes nothing is not recorded."""
        if isinstance(edit, edits.Batch) and not edit.edits:
            self.ui.show_message(tr("Nothing to change."))
            return False
        try:
            self.controller.apply(edit, label)
        except (EditorError, KeyError) as exc:
            self.ui.show_message(errors.describe(exc))
            return False
        return True

    def run_edit(self, label: str, build: Callable[[], object]) -> object:
        """Build an edit with a core operation and apply it as one undo step named `label`.

        `build` returns an Edit or (Edit, extra); returns the extra (True for a plain Edit),
        or None when the operation refused (its reason is shown as a message)."""
        try:
            result = build()
        except (EditorError, KeyError, ValueError) as exc:
            self.ui.show_message(errors.describe(exc))
            return None
        edit, extra = result if isinstance(result, tuple) else (result, True)
        return extra if self.apply(edit, label) else None

    def _ids_or_all(self) -> list[int] | None:
        """Return the selected cue ids, or None (= all cues) when nothing is selected."""
        return list(self.controller.selected_ids) or None

    def source_style(self) -> StyleProfile:
        """Return the source track's style profile (its language's, else the current cue's script's)."""
        doc, current = self.controller.document, self.controller.current_id
        sample = doc.cue(current).text if current is not None and doc.has_cue(current) else ""
        return self.controller.style(SOURCE, sample)

    # -- cues ---------------------------------------------------------------------------
    def insert_cue(self, before: bool) -> None:
        doc, ops = self.controller.document, _operations()
        current = self.controller.current_id
        if current is None:
            build = lambda: ops.insert_cue(doc)  # noqa: E731
        elif before:
            build = lambda: ops.insert_cue(doc, before_id=current)  # noqa: E731
        else:
            build = lambda: ops.insert_cue(doc, after_id=current)  # noqa: E731
        new_id = self.run_edit(tr("Insert cue"), build)
        if new_id is not None:
            self.controller.select([new_id], new_id)
            self.ui.focus_text()

    def delete_cues(self) -> None:
        doc = self.controller.document
        ids = list(self.controller.selected_ids)
        if not ids:
            return
        last_row = max(doc.row_of(i) for i in ids)
        if self.run_edit(tr("Delete cues"), lambda: _operations().delete_cues(doc, ids)) and len(doc):
            row = min(last_row - len(ids) + 1, len(doc) - 1)
            target = doc.cues[row].id
            self.controller.select([target], target)

    def split_cue(self) -> None:
        """Split the current cue at the cursor (in the translation when it is there; in the
        middle when the cursor is in neither)."""
        doc = self.controller.document
        cue_id = self.controller.current_id
        if cue_id is None:
            return
        cue = doc.cue(cue_id)
        styles = self.controller.styles
        tr_pos = self.ui.translation_cursor_position()
        if tr_pos is not None and 0 < tr_pos < len(cue.translation):
            # The cursor is in the translation: cut it there, the source at the same proportion.
            build = lambda: _operations().split_cue(  # noqa: E731
                doc, cue_id, None, translation_pos=tr_pos, styles=styles
            )
        else:
            pos = self.ui.text_cursor_position()
            if pos is None or not 0 < pos < len(cue.text):
                pos = len(cue.text) // 2  # no cursor inside the text: cut in the middle (the core snaps it)
            build = lambda: _operations().split_cue(doc, cue_id, pos, styles=styles)  # noqa: E731
        new_id = self.run_edit(tr("Split cue"), build)
        if new_id is not None:
            self.controller.select([new_id], new_id)

    def merge_cues(self) -> None:
        """Merge the selected cues, or the current cue with the next."""
        doc = self.controller.document
        ids = sorted(self.controller.selected_ids, key=doc.row_of)
        if len(ids) < 2:
            current = self.controller.current_id
            if current is None or doc.row_of(current) + 1 >= len(doc):
                self.ui.show_message(tr("No next cue to merge with."))
                return
            ids = [current, doc.cues[doc.row_of(current) + 1].id]
        styles = self.controller.styles
        if self.run_edit(tr("Merge cues"), lambda: _operations().merge_cues(doc, ids, styles=styles)):
            self.controller.select([ids[0]], ids[0])

    # -- timing -------------------------------------------------------------------------
    def shift(self, ids: list[int] | None, offset_ms: int) -> None:
        """Shift `ids` (None: every cue) by `offset_ms`."""
        doc = self.controller.document
        self.run_edit(tr("Shift times"), lambda: _operations().shift_cues(doc, ids, offset_ms))

    def two_point_sync(self, a: tuple[int, int], b: tuple[int, int]) -> None:
        """Map cue `a[0]`'s start to `a[1]` ms and cue `b[0]`'s to `b[1]`, stretching between."""
        doc = self.controller.document
        self.run_edit(tr("Two-point sync"), lambda: _operations().two_point_sync(doc, a, b))

    def reading_speed(self) -> None:
        doc, ids = self.controller.document, self._ids_or_all()
        style = self.source_style()
        cps, gap = style.max_cps, style.min_gap_ms
        self.run_edit(
            tr("Set duration to reading speed"),
            lambda: _operations().set_duration_for_reading_speed(doc, ids, cps=cps, min_gap_ms=gap),
        )

    def fix_overlaps(self) -> None:
        doc, ids = self.controller.document, self._ids_or_all()
        gap = self.source_style().min_gap_ms
        self.run_edit(tr("Fix overlaps"), lambda: _operations().fix_overlaps(doc, ids, gap))

    def close_gaps(self) -> None:
        doc, ids = self.controller.document, self._ids_or_all()
        small, gap = self.settings.get(Key.SMALL_GAP_MS), self.source_style().min_gap_ms
        self.run_edit(
            tr("Close small gaps"),
            lambda: _operations().close_small_gaps(doc, ids, max_gap_ms=small, min_gap_ms=gap),
        )

    def confirm_timing(self) -> None:
        doc, ids = self.controller.document, self._ids_or_all()
        self.run_edit(tr("Confirm timing"), lambda: _operations().confirm_timing(doc, ids))

    def resegment(self) -> None:
        doc = self.controller.document
        ids = list(self.controller.selected_ids)
        if not ids:
            self.ui.show_message(tr("Select the cues to re-segment first."))
            return
        from editor.core.segmentation import SegmentOptions

        options = SegmentOptions.from_style(self.source_style())
        result = self.run_edit(tr("Re-segment"), lambda: _operations().resegment_cues(doc, ids, options))
        if isinstance(result, list) and result:
            self.controller.select(result, result[0])

    # -- navigation ---------------------------------------------------------------------
    def next_problem(self) -> None:
        """Select the next cue with a QC problem other than estimated timing, and name it."""
        qc = self.qc
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
            self.ui.show_message(tr("No QC problems."))
            return
        self.controller.select([target], target)
        problems = qc.problems_for(target)
        if problems:
            self.ui.show_message("; ".join(p.message for p in problems))

    def previous_problem(self) -> None:
        """Select the previous cue with a QC problem other than estimated timing (wrapping)."""
        self.go_to_problem(-1, lambda p: p.check != "estimated", tr("No QC problems."))

    def go_to_problem(self, step: int, wanted: Callable[[Problem], bool], none_message: str) -> bool:
        """Select the nearest cue after (`step` 1) or before (-1) the current one, wrapping,
        with a problem `wanted` accepts, and name its problems; returns whether one was found
        (else `none_message` is shown)."""
        qc, doc = self.qc, self.controller.document
        if qc.index is None or not len(doc):
            return False
        current = self.controller.current_id
        if current is not None and doc.has_cue(current):
            start = doc.row_of(current)
        else:
            start = -1 if step > 0 else len(doc)
        for k in range(1, len(doc) + 1):
            cue = doc.cues[(start + step * k) % len(doc)]
            if not qc.index.has_problems(cue.id):
                continue
            found = [p for p in qc.problems_for(cue.id) if wanted(p)]
            if found:
                self.controller.select([cue.id], cue.id)
                self.ui.show_message("; ".join(p.message for p in found))
                return True
        self.ui.show_message(none_message)
        return False

    # -- speakers -----------------------------------------------------------------------
    def assign_speaker(self, speaker_id: str | None) -> None:
        """Give the selected cues a speaker (None: no speaker)."""
        doc, ids = self.controller.document, list(self.controller.selected_ids)
        if ids:
            ops = _operations()
            self.run_edit(tr("Assign speaker"), lambda: ops.assign_speaker(doc, ids, speaker_id))

    def assign_speaker_number(self, n: int) -> None:
        """Give the selected cues the n-th speaker (1-based, in the document's order)."""
        speakers = list(self.controller.document.speakers.values())
        if 1 <= n <= len(speakers):
            self.assign_speaker(speakers[n - 1].id)
        else:
            self.ui.show_message(tr("There is no speaker {n}.").format(n=n))

    def rename_speaker(self, speaker_id: str, name: str) -> None:
        doc = self.controller.document
        self.run_edit(tr("Rename speaker"), lambda: _operations().rename_speaker(doc, speaker_id, name))

    def merge_speakers(self, ids: list[str], into: str) -> None:
        doc = self.controller.document
        self.run_edit(tr("Merge speakers"), lambda: _operations().merge_speakers(doc, ids, into))
