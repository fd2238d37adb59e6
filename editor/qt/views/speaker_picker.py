"""Speakers → Assign Speaker by Name… (Ctrl+K): any speaker, not only the first nine of Alt+1…9,
reached by keyboard. Type the start (or any part) of a name, Enter assigns it to the selected cues."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QInputDialog

from editor.qt.actions import ActionId
from editor.qt.host import Feature, Host


def entries(doc) -> list[tuple[str, str]]:
    """Return (label, speaker id) for every speaker: "12  Name" in the speakers' order."""
    return [(f"{n}  {sp.name}", sp.id) for n, sp in enumerate(doc.speakers.values(), start=1)]


def match(doc, text: str) -> str | None:
    """Return the id of the speaker `text` names: a listed label, an exact name, a number, or
    the one name containing it (case-insensitive); None when none or several match."""
    text = text.strip()
    if not text:
        return None
    items = entries(doc)
    for label, sid in items:
        if text == label or text == doc.speakers[sid].name:
            return sid
    if text.isdigit() and 1 <= int(text) <= len(items):
        return items[int(text) - 1][1]
    hits = [sid for _label, sid in items if text.casefold() in doc.speakers[sid].name.casefold()]
    return hits[0] if len(hits) == 1 else None


class SpeakerPicker:
    def __init__(self, window: Host) -> None:
        self.window = window
        action = window.actions[ActionId.PICK_SPEAKER]
        action.triggered.connect(lambda _checked=False: self.pick())
        action.setEnabled(True)

    def pick(self) -> None:
        w = self.window
        doc = w.controller.document
        if not doc.speakers:
            w.show_message(w.tr("The document has no speakers."))
            return
        if not w.controller.selected_ids:
            w.show_message(w.tr("Select the cues to give a speaker first."))
            return
        dialog = QInputDialog(w)  # type: ignore[arg-type]
        dialog.setObjectName("speakerPicker")
        dialog.setWindowTitle(w.tr("Assign Speaker"))
        dialog.setLabelText(w.tr("Speaker (type part of the name or its number):"))
        dialog.setComboBoxItems([label for label, _sid in entries(doc)])
        dialog.setComboBoxEditable(True)
        dialog.setTextValue("")
        combo = dialog.findChild(QComboBox)
        if combo is not None and combo.completer() is not None:
            combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
            combo.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            combo.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        if dialog.exec() != QInputDialog.DialogCode.Accepted:
            return
        sid = match(doc, dialog.textValue())
        if sid is None:
            w.show_message(
                w.tr("No single speaker matches “{text}”.").format(text=dialog.textValue().strip())
            )
            return
        w.assign_speaker(sid)


def install(window: Host) -> None:
    """Add Speakers → Assign Speaker by Name… (Ctrl+K)."""
    window.parts.add(SpeakerPicker(window))


FEATURE = Feature("speaker_picker", install)
