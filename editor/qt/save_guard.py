"""What Save says before and after writing: formats that drop data, and writes that failed.

`lost_in(doc, format_id)` lists what a format cannot keep; `ask_lossy` asks whether to save
a `.cueline` project instead; `explain_failure` turns a failed write into words naming the
file, the reason and the fact that the document is still open. The questions are
module-level functions so that tests can answer them without a modal dialog.
"""

from __future__ import annotations

import errno
import os
from enum import Enum

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from editor.core import formats
from editor.core.errors import WriteError
from editor.core.model import Document, Review


def tr(text: str) -> str:
    return QCoreApplication.translate("save_guard", text)


class LossyChoice(Enum):
    PROJECT = "project"  # save a .cueline project instead
    ANYWAY = "anyway"  # save in the lossy format
    CANCEL = "cancel"


def _cues(n: int) -> str:
    return tr("1 cue") if n == 1 else tr("{n} cues").format(n=n)


def lost_in(doc: Document, format_id: str) -> list[str]:
    """Return what saving `doc` as `format_id` would not keep (empty for a .cueline project)."""
    if format_id == "cueline":
        return []
    lost: list[str] = []
    translated = sum(1 for c in doc.cues if c.translation)
    if translated:
        lost.append(tr("the translation of {cues}").format(cues=_cues(translated)))
    reviewed = sum(1 for c in doc.cues if c.review != Review.UNTRANSLATED)
    if reviewed:
        lost.append(tr("the review state of {cues}").format(cues=_cues(reviewed)))
    spoken = sum(1 for c in doc.cues if c.speaker_id is not None)
    if spoken and doc.speakers:
        if format_id == "vtt":
            lost.append(tr("speaker colours"))
        else:
            lost.append(
                tr("speakers of {cues} (names are written into the text, not kept as speakers)").format(
                    cues=_cues(spoken)
                )
            )
    noted = sum(1 for c in doc.cues if c.note)
    if noted:
        lost.append(tr("notes on {cues}").format(cues=_cues(noted)))
    return lost


def ask_lossy(parent: QWidget | None, path: str, format_id: str, lost: list[str]) -> tuple[LossyChoice, bool]:
    """Ask what to do when `path` cannot keep everything; returns (choice, don't ask again)."""
    name = formats.label(format_id) if format_id in formats.ids() else format_id
    text = tr("Saving {file} as {format} will not keep:").format(file=os.path.basename(path), format=name)
    text += "\n" + "\n".join(f"• {item}" for item in lost)
    text += "\n\n" + tr("A Cueline project (.cueline) keeps everything and can be exported later.")
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Some of the document will not be saved"), text)
    box.setParent(parent, box.windowFlags())
    box.setTextFormat(Qt.TextFormat.PlainText)
    project = box.addButton(tr("Save as .cueline"), QMessageBox.ButtonRole.AcceptRole)
    anyway = box.addButton(tr("Save as {format}").format(format=name), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(project)
    never = QCheckBox(tr("Don't ask again"), box)
    box.setCheckBox(never)
    box.exec()
    clicked = box.clickedButton()
    choice = (
        LossyChoice.PROJECT
        if clicked is project
        else LossyChoice.ANYWAY
        if clicked is anyway
        else LossyChoice.CANCEL
    )
    return choice, never.isChecked() and choice is not LossyChoice.CANCEL


def _reason(path: str, exc: BaseException) -> str:
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return tr("the folder {folder} no longer exists").format(folder=folder)
    code = getattr(exc, "errno", None)
    text = exc.reason if isinstance(exc, WriteError) else (getattr(exc, "strerror", None) or str(exc))
    if code == errno.ENOSPC or "No space left" in text:
        return tr("the disk is full")
    if code == errno.EROFS or "Read-only file system" in text:
        return tr("the disk or folder is read-only")
    if code in (errno.EACCES, errno.EPERM) or "Permission denied" in text:
        return tr("you do not have permission to write there")
    return text


def explain_failure(path: str, exc: BaseException) -> str:
    """Return the words for a save that failed: the file, the reason, and that nothing was lost."""
    return (
        tr("Could not save {path}: {reason}.").format(path=path, reason=_reason(path, exc))
        + "\n\n"
        + tr(
            "The document is still open with all your changes, and the file on disk was not changed. "
            "Use Save As to put it somewhere else."
        )
    )
