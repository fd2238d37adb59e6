"""The preview shown before a translation is attached (File → Open Translation…).

It says how many cues get text, how many translation sentences are left over and where
(each leftover run with its position and first words), which method was used (time
overlap or length alignment) and, when the translation has speakers and the source has
none, offers to carry the speakers over (re-running the alignment). A table shows every
pair the plan makes (cue ↔ translation text), cues with no translation found, and the
leftover text where it falls between them. Nothing changes until the caller applies the
returned plan as one undo step.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.core import timecode
from editor.core.alignment import AlignmentPlan, LeftoverRun
from editor.core.errors import EditorError
from editor.core.model import Document
from editor.qt import theme


class TranslationPreviewDialog(QDialog):
    """Preview of an AlignmentPlan; `plan` is the one to apply when the dialog is accepted."""

    def __init__(
        self, source: Document, translation: Document, plan: AlignmentPlan, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("translationPreview")
        self.source = source
        self.translation = translation
        self.plan = plan
        info = translation.sources.get("source")
        name = os.path.basename(info.path) if info is not None and info.path else ""
        self.setWindowTitle(self.tr("Attach Translation") + (f" — {name}" if name else ""))
        self.resize(860, 620)

        self.counts = QLabel(self)
        self.counts.setTextFormat(Qt.TextFormat.PlainText)
        self.counts.setWordWrap(True)
        self.counts.setObjectName("previewCounts")
        self.method = QLabel(self)
        self.method.setTextFormat(Qt.TextFormat.PlainText)
        self.method.setWordWrap(True)
        self.leftover_title = QLabel(self)
        self.leftover_title.setTextFormat(Qt.TextFormat.PlainText)
        self.leftovers = QListWidget(self)
        self.leftovers.setObjectName("previewLeftovers")
        self.leftovers.setAccessibleName(self.tr("Translation sentences left over"))
        self.leftovers.setWordWrap(True)
        self.leftover_title.setBuddy(self.leftovers)
        self.pairs_title = QLabel(self.tr("&Pairs (cue ↔ translation):"), self)
        self.pairs = QTableWidget(0, 3, self)
        self.pairs.setObjectName("previewPairs")
        self.pairs.setAccessibleName(self.tr("What each cue gets"))
        self.pairs.setHorizontalHeaderLabels([self.tr("Cue"), self.tr("Source"), self.tr("Translation")])
        self.pairs.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.pairs.setWordWrap(False)  # one line per row; the whole text is in the tooltip
        self.pairs.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.pairs.verticalHeader().hide()
        header = self.pairs.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.pairs_title.setBuddy(self.pairs)
        # Offered only where it means something: speakers in the translation, none in the source.
        self.carry: QCheckBox | None = None
        if translation.speakers and not source.speakers:
            self.carry = QCheckBox(self.tr("&Carry the speakers over to the source cues"), self)
            self.carry.setToolTip(self.tr("Give each cue the speaker of the translation text it receives"))
            self.carry.setChecked(bool(plan.speakers))
            self.carry.toggled.connect(self._realign)
        self.error = QLabel(self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet(theme.label_style("error"))
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Attach"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)

        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.method)
        if self.carry is not None:
            layout.addWidget(self.carry)
        layout.addWidget(self.pairs_title)
        layout.addWidget(self.pairs, 3)
        layout.addWidget(self.leftover_title)
        layout.addWidget(self.leftovers, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._show_plan()

    # -- showing ------------------------------------------------------------------------
    def _show_plan(self) -> None:
        plan = self.plan
        total = len(self.source)
        text = self.tr("{got} of {total} cues get a translation.").format(
            got=plan.cues_with_text, total=total
        )
        if plan.leftover_sentences:
            text += " " + self.tr(
                "{left} of {all} translation sentences are left over, in {runs} runs (listed below)."
            ).format(left=plan.leftover_sentences, all=plan.translation_sentences, runs=len(plan.leftovers))
            if plan.leftover_chars:
                text += " " + self.tr("That is {left} of its {all} characters.").format(
                    left=plan.leftover_chars, all=plan.translation_chars
                )
        else:
            text += " " + self.tr("All {all} translation sentences are used.").format(
                all=plan.translation_sentences
            )
        if plan.untranslated:
            text += " " + self.tr("No translation found for {n} cues (they stay empty).").format(
                n=len(plan.untranslated)
            )
        if plan.speakers:
            text += " " + self.tr("{n} cues get a speaker.").format(n=len(plan.speakers))
        replaced = sum(1 for c in self.source.cues if c.translation)
        if replaced:
            text += " " + self.tr("It replaces the translation {n} cues have now.").format(n=replaced)
        self.counts.setText(text)
        if plan.method == "time":
            method = self.tr(
                "Method: time overlap — both files are timed, so each translation cue goes to "
                "the cues it overlaps."
            )
        else:
            method = self.tr(
                "Method: length alignment — the translation has no usable times, so its sentences are "
                "matched to the cues by length and shared numbers and names. Check the result in review mode."
            )
        if plan.translation_language:
            method += " " + self.tr("Translation language: {code}.").format(code=plan.translation_language)
        self.method.setText(method)
        self.leftovers.clear()
        for run in plan.leftovers:
            QListWidgetItem(self.describe_run(run), self.leftovers)
        self.leftover_title.setText(
            self.tr("Left over ({n} runs):").format(n=len(plan.leftovers))
            if plan.leftovers
            else self.tr("Nothing left over.")
        )
        self.leftovers.setVisible(bool(plan.leftovers))
        self._show_pairs()

    def pair_rows(self) -> list[tuple[str, str, str]]:
        """Return the rows of the pairs table: (cue number, source text, translation), with
        each leftover run as a row of its own where it falls ("left over" in the first
        column) and "(no translation found)" for cues the translation has nothing for."""
        plan = self.plan
        by_after: dict[int | None, list[LeftoverRun]] = {}
        for run in plan.leftovers:
            by_after.setdefault(run.after_cue, []).append(run)
        no_text = set(plan.untranslated)
        left = self.tr("left over")

        def shown(run: LeftoverRun) -> str:
            text = run.text or run.preview
            if len(text) > 120:
                text = self.tr("{start}… ({n} characters)").format(start=text[:100], n=len(text))
            # Whose text it is, as attached cues show their speaker.
            return f"{run.speaker}: {text}" if run.speaker else text

        rows: list[tuple[str, str, str]] = [(left, "", shown(r)) for r in by_after.get(None, [])]
        for n, cue in enumerate(self.source.cues, 1):
            text = plan.pairs.get(cue.id, "")
            if not text and (cue.id in no_text or plan.method == "length"):
                text = self.tr("(no translation found)")
            rows.append((str(n), cue.text.replace("\n", " "), text))
            rows.extend((left, "", shown(r)) for r in by_after.get(cue.id, []))
        return rows

    def _show_pairs(self) -> None:
        rows = self.pair_rows()
        self.pairs.setRowCount(len(rows))
        for r, (num, src, dst) in enumerate(rows):
            for c, value in enumerate((num, src, dst)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if num == self.tr("left over") or dst == self.tr("(no translation found)"):
                    item.setForeground(self.palette().placeholderText())
                self.pairs.setItem(r, c, item)

    def describe_run(self, run: LeftoverRun) -> str:
        """Return one plain-text line for a leftover run: its sentences, position and first words."""
        if run.first == run.last:
            sentences = self.tr("Sentence {a}").format(a=run.first + 1)
        else:
            sentences = self.tr("Sentences {a}–{b} ({n})").format(
                a=run.first + 1, b=run.last + 1, n=run.sentences
            )
        if run.after_cue is None or not self.source.has_cue(run.after_cue):
            where = self.tr("before the first cue")
        else:
            cue = self.source.cue(run.after_cue)
            where = self.tr("after cue {n} ({time})").format(
                n=self.source.row_of(cue.id) + 1, time=timecode.format_short(cue.end_ms)
            )
        lines = self.tr("translation lines {a}–{b}").format(a=run.rows[0] + 1, b=run.rows[1] + 1)
        if run.speakers:
            lines += ", " + self.tr("said by {names}").format(names=", ".join(run.speakers))
        return f"{sentences}, {where}, {lines}: “{run.preview}”"

    # -- carrying speakers --------------------------------------------------------------
    def _realign(self, carry: bool) -> None:
        from editor.core import alignment

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            plan = alignment.align(
                self.source, self.translation, carry_speakers=carry, method=self.plan.method
            )
        except (EditorError, ValueError) as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.ok_button.setEnabled(False)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.error.hide()
        self.ok_button.setEnabled(True)
        self.plan = plan
        self._show_plan()


def preview_attach(
    parent: QWidget | None, source: Document, translation: Document, plan: AlignmentPlan
) -> AlignmentPlan | None:
    """Show the preview; returns the plan to apply (speakers carried or not), or None on Cancel."""
    dialog = TranslationPreviewDialog(source, translation, plan, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.plan
    finally:
        dialog.deleteLater()
