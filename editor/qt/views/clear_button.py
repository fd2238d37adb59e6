"""A line edit's clear button, set up when it is first needed.

QLineEdit shows its clear button only while it holds text, yet turning the button on loads
its icon from the style at once (~3-5 ms, the first time in a process). The filter box and the
note fields start empty at every launch: their button is turned on when they first get text,
which looks the same (tests/test_gui_clear_button.py compares the pixels).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit


def clear_button_when_text(edit: QLineEdit) -> None:
    """Give `edit` a clear button, made when it first holds text (at once if it holds some)."""
    if edit.text():
        edit.setClearButtonEnabled(True)
        return

    def on_text(text: str) -> None:
        if text and not edit.isClearButtonEnabled():
            edit.textChanged.disconnect(on_text)
            edit.setClearButtonEnabled(True)

    edit.textChanged.connect(on_text)
