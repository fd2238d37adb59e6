"""Override the detected source and translation languages (status bar label or Review → Set Languages…).

The dialog offers editable combos prefilled with the document's languages (or, when
unset, what langdetect finds); applying them is one undo step made of
SetDocumentField("source_language"/"translation_language") edits.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.core import edits
from editor.core.errors import EditorError, ValidationError
from editor.core.model import Document
from editor.core.patterns import compile_on_first_use
from editor.qt import theme
from editor.qt.actions import ActionId

# Offered in the combos; any other BCP 47-looking code can be typed.
COMMON_LANGUAGES: tuple[str, ...] = (
    "en",
    "zh",
    "zh-cn",
    "zh-tw",
    "ja",
    "ko",
    "de",
    "fr",
    "es",
    "pt",
    "it",
    "nl",
    "ru",
    "pl",
    "tr",
    "ar",
    "he",
    "hi",
    "vi",
    "th",
    "id",
    "sv",
    "uk",
)
_CODE_RE = compile_on_first_use(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def normalise_code(text: str, field: str) -> str | None:
    """Return a language code in canonical case ("zh-TW" → "zh-tw" as langdetect writes it), or None for "".

    Raises ValidationError(field) when the text does not look like a language code.
    """
    code = text.strip()
    if not code:
        return None
    if not _CODE_RE.match(code):
        raise ValidationError(field, f"{code!r} is not a language code (like en, zh or pt-br)")
    return code.lower()


def languages_edit(doc: Document, source: str | None, translation: str | None) -> edits.Edit | None:
    """Return the edit setting both languages, or None when nothing changes."""
    batch: list[edits.Edit] = []
    if source != doc.source_language:
        batch.append(edits.SetDocumentField("source_language", source))
    if translation != doc.translation_language:
        batch.append(edits.SetDocumentField("translation_language", translation))
    return edits.Batch(batch) if batch else None


class LanguageDialog(QDialog):
    """Source and translation language codes; `values()` returns the validated pair."""

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("languageDialog")
        self.setWindowTitle(self.tr("Languages"))
        self.doc = doc
        self.source = self._combo(doc.source_language, self.tr("Source language"))
        self.translation = self._combo(doc.translation_language, self.tr("Translation language"))
        self.detect_button = QPushButton(self.tr("&Detect Again"), self)
        self.detect_button.setToolTip(self.tr("Guess both languages from the cues (langdetect)"))
        self.detect_button.clicked.connect(self.detect)
        self.error = QLabel(self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet(theme.label_style("error"))
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Source:"), self.source)
        form.addRow(self.tr("&Translation:"), self.translation)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        buttons.addButton(self.detect_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        hint = QLabel(self.tr("Codes like en, zh, pt-br. Leave empty for “unknown”."), self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if doc.source_language is None or (
            doc.translation_language is None and any(c.translation for c in doc.cues[:200])
        ):
            self.detect(only_empty=True)

    def _combo(self, value: str | None, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setAccessibleName(name)
        combo.addItem("")
        combo.addItems(list(COMMON_LANGUAGES))
        combo.setCurrentText(value or "")
        return combo

    def detect(self, only_empty: bool = False) -> None:
        """Fill the combos with langdetect's guess (only the empty ones with `only_empty`)."""
        from editor.core import language

        src, dst = language.detect_document(self.doc)
        for combo, guess in ((self.source, src), (self.translation, dst)):
            if guess and not (only_empty and combo.currentText().strip()):
                combo.setCurrentText(guess)

    def values(self) -> tuple[str | None, str | None]:
        """Return (source, translation) codes; raises ValidationError for text that is not a code."""
        return (
            normalise_code(self.source.currentText(), "source_language"),
            normalise_code(self.translation.currentText(), "translation_language"),
        )

    def accept(self) -> None:
        try:
            self.values()
        except ValidationError as exc:
            self.error.setText(exc.reason)
            return  # keep the dialog open with the reason shown
        super().accept()


def set_languages(window, source: str | None, translation: str | None) -> bool:
    """Apply both languages to the window's document as one undo step; returns True if anything changed."""
    edit = languages_edit(window.controller.document, source, translation)
    if edit is None:
        return False
    try:
        window.controller.apply(edit, window.tr("Set languages"))
    except (EditorError, KeyError) as exc:
        window.show_message(str(exc))
        return False
    return True


def open_dialog(window) -> bool:
    """Show the language dialog for the window's document; returns True when languages changed."""
    dialog = LanguageDialog(window.controller.document, window)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        source, translation = dialog.values()
    finally:
        dialog.deleteLater()
    return set_languages(window, source, translation)


class _ClickFilter(QObject):
    """Opens the dialog when the status bar's language label is clicked."""

    def __init__(self, window, parent: QObject) -> None:
        super().__init__(parent)  # lives as long as the label it watches
        self.window = window

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            open_dialog(self.window)
            return True
        return super().eventFilter(obj, event)


def install(window) -> None:
    """Wire Review → Set Languages… and make the status bar's language label clickable."""
    action = window.actions[ActionId.SET_LANGUAGES]
    action.triggered.connect(lambda _checked=False: open_dialog(window))
    action.setEnabled(True)
    label = window.status_languages
    if label is not None:
        label.setCursor(Qt.CursorShape.PointingHandCursor)
        label.setAccessibleName(window.tr("Languages (click to change)"))
        label.installEventFilter(_ClickFilter(window, label))
