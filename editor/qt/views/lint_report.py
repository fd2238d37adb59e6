"""The export linter's findings, shown before an export is written (editor.core.lint)."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from editor.core import lint

# Findings listed in the box itself; the rest are in "Show Details…".
_SHOWN = 8


def _tr(text: str) -> str:
    return QCoreApplication.translate("LintReport", text)


def build_box(parent: QWidget | None, path: str, findings: list[lint.Finding]) -> QMessageBox:
    """Return the (not yet shown) box listing `findings` for an export to `path`.

    With errors it offers "Export Anyway" and defaults to Cancel; with warnings only it
    defaults to exporting. Plain text only: findings quote cue text.
    """
    n_errors = len(lint.errors(findings))
    n_warnings = len(findings) - n_errors
    name = os.path.basename(path) or path
    box = QMessageBox(parent)
    box.setWindowTitle(_tr("Export check"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setIcon(QMessageBox.Icon.Warning if n_errors else QMessageBox.Icon.Information)
    if n_errors:
        headline = _tr("{name} would not be a valid file: {errors} error(s), {warnings} warning(s).")
    else:
        headline = _tr("{name}: {warnings} warning(s); players may show some cues differently.")
    lines = [f.describe(name) for f in findings]
    shown = "\n".join(lines[:_SHOWN])
    if len(lines) > _SHOWN:
        shown += "\n" + _tr("… and {n} more").format(n=len(lines) - _SHOWN)
    box.setText(headline.format(name=name, errors=n_errors, warnings=n_warnings) + "\n\n" + shown)
    box.setDetailedText("\n".join(lines))
    export = box.addButton(
        _tr("Export Anyway") if n_errors else _tr("Export"), QMessageBox.ButtonRole.AcceptRole
    )
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel if n_errors else export)
    box.setEscapeButton(cancel)
    box.export_button = export  # type: ignore[attr-defined]
    return box


def confirm(parent: QWidget | None, path: str, findings: list[lint.Finding]) -> bool:
    """Show the findings and return True when the user still wants the export written."""
    box = build_box(parent, path, findings)
    box.exec()
    return box.clickedButton() is box.export_button  # type: ignore[attr-defined]
