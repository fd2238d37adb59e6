"""The one place the GUI turns exceptions into words for the user."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from editor.core.errors import EditorError, ParseError, ValidationError, WriteError


def tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def describe(exc: BaseException) -> str:
    """Return a one-paragraph, human explanation of `exc` (no traceback)."""
    if isinstance(exc, ParseError):
        return str(exc)  # "path:line: reason"
    if isinstance(exc, ValidationError):
        return exc.reason
    if isinstance(exc, WriteError):
        return tr("Could not write {path}: {reason}").format(path=exc.path, reason=exc.reason)
    if isinstance(exc, EditorError):
        return str(exc)
    if isinstance(exc, FileNotFoundError):
        return tr("File not found: {path}").format(path=exc.filename or exc)
    if isinstance(exc, PermissionError):
        return tr("Permission denied: {path}").format(path=exc.filename or exc)
    if isinstance(exc, IsADirectoryError):
        return tr("That is a folder, not a file: {path}").format(path=exc.filename or exc)
    if isinstance(exc, OSError):
        return f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc)
    return tr("Unexpected error ({kind}): {message}").format(kind=type(exc).__name__, message=exc)


def is_expected(exc: BaseException) -> bool:
    """Return True for errors caused by input or the environment rather than by a bug."""
    return isinstance(exc, EditorError | OSError | UnicodeError)


def show_error(parent: QWidget | None, title: str, exc: BaseException | str) -> QMessageBox:
    """Show a non-blocking warning box explaining `exc`; returns the box (deleted when closed).

    Plain text only: a file name or cue text containing "<" must show literally.
    """
    text = exc if isinstance(exc, str) else describe(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
