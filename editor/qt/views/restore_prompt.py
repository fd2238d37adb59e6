"""The question asked at start when a session that did not close left an autosave.

Three answers, as in the editors people come from: Restore it now, Keep it for Later (asked
again at the next start) or Discard it (set aside in the autosave folder's `discarded/`
for a while, so a reflex click loses nothing; the box says where).
"""

from __future__ import annotations

import os
from enum import StrEnum

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from editor.qt.plurals import ntr


class RestoreChoice(StrEnum):
    RESTORE = "restore"
    KEEP = "keep"
    DISCARD = "discard"


def tr(text: str) -> str:
    return QCoreApplication.translate("restore", text)


def restore_message(when: str, cues: int, original: str, kept_dir: str) -> str:
    """Return the words of the question (plain text)."""
    of = f" ({os.path.basename(original)})" if original else ""
    return (
        tr("Cueline did not close properly last time.")
        + "\n\n"
        + ntr("restore", "An autosaved copy from {when} with %n cue(s){of} is available.", cues).format(
            when=when, of=of
        )
        + "\n\n"
        + tr("Discarded copies are kept for a while in {folder}.").format(folder=kept_dir)
    )


def ask_restore(parent: QWidget | None, when: str, cues: int, original: str, kept_dir: str) -> RestoreChoice:
    """Ask what to do with an autosave; returns the choice (Esc keeps it for later)."""
    box = QMessageBox(parent)
    box.setObjectName("restorePrompt")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("Restore autosaved work?"))
    box.setText(restore_message(when, cues, original, kept_dir))
    restore = box.addButton(tr("&Restore"), QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton(tr("&Keep for Later"), QMessageBox.ButtonRole.RejectRole)
    discard = box.addButton(tr("&Discard"), QMessageBox.ButtonRole.DestructiveRole)
    restore.setObjectName("restoreButton")
    keep.setObjectName("keepButton")
    discard.setObjectName("discardButton")
    box.setDefaultButton(restore)
    box.setEscapeButton(keep)
    box.exec()
    clicked = box.clickedButton()
    if clicked is restore:
        return RestoreChoice.RESTORE
    if clicked is discard:
        return RestoreChoice.DISCARD
    return RestoreChoice.KEEP
