"""Dialogs: export, shift, two-point sync, find/replace, speakers, shortcuts, about, restore."""

from __future__ import annotations

import os
import platform
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.core import formats, timecode
from editor.core.errors import EditorError, ValidationError
from editor.core.model import Document
from editor.qt import theme
from editor.qt.controller import Controller

# Formats offered for export; their labels (name and extension) come from the formats' table
# when the dialog opens, so that importing this module loads no format.
EXPORT_FORMATS = ("srt", "vtt", "ass", "sbv", "transcript")
TRACKS = (
    ("source", "Source text"),
    ("translation", "Translation"),
    ("bilingual", "Bilingual (source above translation)"),
)
SPEAKER_STYLES = (
    ("voice", "Voice tags (WebVTT <v>)"),
    ("changes", "“Name:” where the speaker changes"),
    ("prefix", "“Name:” on every cue"),
    ("both", "Voice tags and “Name:”"),
    ("dashes", "Dialogue dashes only, no names"),
    ("none", "No speaker names"),
)


def speaker_style_items(format_id: str) -> list[tuple[str, str]]:
    """Return the (style, label) items the export dialog offers for `format_id`: only the
    styles that format can hold (no voice tags in SRT), its default first."""
    from editor.core.formats.tracks import speaker_styles

    labels = dict(SPEAKER_STYLES)
    return [(style, labels[style]) for style in speaker_styles(format_id) if style in labels]


ENCODINGS = ("utf-8", "utf-16", "cp1252", "iso-8859-1", "gb18030", "big5", "shift_jis", "cp1251")
NEWLINES = (("\n", "LF (Linux, macOS)"), ("\r\n", "CRLF (Windows)"), ("\r", "CR (old Mac)"))


def _combo(parent: QWidget, items, current) -> QComboBox:
    """Return a combo box of (id, label[, …]) items, labels translated, with `current` chosen."""
    from PySide6.QtCore import QCoreApplication

    combo = QComboBox(parent)
    for item in items:
        label = item[-1] if len(item) == 2 else item[1]
        combo.addItem(QCoreApplication.translate("ExportDialog", label), item[0])
    found = combo.findData(current)
    combo.setCurrentIndex(max(found, 0))
    return combo


# -- export ---------------------------------------------------------------------------------

def _ok_cancel(dialog: QDialog, accept: Callable[[], object]) -> QDialogButtonBox:
    """Return OK and Cancel buttons for `dialog`: OK calls `accept`, Cancel rejects."""
    ok, cancel = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel
    buttons = QDialogButtonBox(ok | cancel, dialog)
    buttons.accepted.connect(accept)
    buttons.rejected.connect(dialog.reject)
    return buttons

@dataclass
class ExportChoice:
    path: str
    format_id: str
    track: str
    speakers: str
    encoding: str
    bom: bool
    newline: str
    compatible: bool = False  # WebVTT: maximum compatibility (no STYLE/REGION/NOTE, no settings)


def language_code(doc: Document, track: str) -> str:
    """Return the language part of an export name: "en", "zh", "en-zh" (bilingual) or ""."""
    src, dst = doc.source_language or "", doc.translation_language or ""
    if track == "source":
        return src
    if track == "translation":
        return dst
    return f"{src}-{dst}" if src and dst else src or dst


def suggested_name(base_path: str, doc: Document, format_id: str, track: str) -> str:
    """Return e.g. "talk.zh.vtt" next to `base_path` ("talk.srt" or "talk.en.srt")."""
    folder, name = os.path.split(base_path or "untitled")
    stem = os.path.splitext(name)[0] or "untitled"
    known = {doc.source_language, doc.translation_language} - {None, ""}
    head, dot, last = stem.rpartition(".")
    if dot and (last in known or ("-" in last and set(last.split("-")) <= known)):
        stem = head  # drop an old language suffix so it is not doubled
    ext = formats.extensions_of(format_id)[0]
    lang = language_code(doc, track)
    return os.path.join(folder, f"{stem}.{lang}.{ext}" if lang else f"{stem}.{ext}")


class ExportDialog(QDialog):
    """Choose format, track, speaker style, encoding, BOM, line endings and the file name."""

    def __init__(self, doc: Document, base_path: str, defaults: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export"))
        self.doc = doc
        self.base_path = base_path
        labels = [(fid, formats.label(fid)) for fid in EXPORT_FORMATS]
        self.format = _combo(self, labels, defaults.get("format", "srt"))
        self.track = _combo(self, TRACKS, defaults.get("track", "source"))
        self._speaker_default = defaults.get("speakers", "")
        self.speakers = _combo(self, speaker_style_items(self.format.currentData()), self._speaker_default)
        self.encoding = QComboBox(self)
        self.encoding.setEditable(True)
        self.encoding.addItems(ENCODINGS)
        self.encoding.setCurrentText(defaults.get("encoding", "utf-8"))
        self.bom = QCheckBox(self.tr("Write a byte order mark (BOM)"), self)
        self.bom.setChecked(bool(defaults.get("bom", False)))
        self.newline = _combo(self, NEWLINES, defaults.get("newline", "\n"))
        self.compatible = QCheckBox(
            self.tr("Maximum compatibility (no STYLE, REGION or NOTE blocks, no cue settings)"), self
        )
        self.compatible.setToolTip(
            self.tr(
                "For players that read only cues: ffmpeg 5.x reads no cue at all "
                "from a WebVTT file with a STYLE block"
            )
        )
        self.path = QLineEdit(self)
        self.path.setMinimumWidth(360)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("Track"), self.track)
        form.addRow(self.tr("Speakers"), self.speakers)
        form.addRow("", self.compatible)
        form.addRow(self.tr("Encoding"), self.encoding)
        form.addRow("", self.bom)
        form.addRow(self.tr("Line endings"), self.newline)
        form.addRow(self.tr("File"), path_row)
        buttons = _ok_cancel(self, self.accept)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Export"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._user_named = False
        self.path.textEdited.connect(lambda _t: setattr(self, "_user_named", True))
        self.format.currentIndexChanged.connect(self._suggest)
        self.format.currentIndexChanged.connect(self._offer_speaker_styles)
        self.format.currentIndexChanged.connect(
            lambda _i: self.compatible.setEnabled(self.format.currentData() == "vtt")
        )
        self.compatible.setEnabled(self.format.currentData() == "vtt")
        self.track.currentIndexChanged.connect(self._suggest)
        self._suggest()

    def _suggest(self) -> None:
        if not self._user_named:
            self.path.setText(
                suggested_name(self.base_path, self.doc, self.format.currentData(), self.track.currentData())
            )

    def _offer_speaker_styles(self) -> None:
        """Refill the speaker styles with those the chosen format can hold, keeping the choice
        when the new format has it."""
        from PySide6.QtCore import QCoreApplication

        current = self.speakers.currentData() or self._speaker_default
        self.speakers.clear()
        for style, label in speaker_style_items(self.format.currentData()):
            self.speakers.addItem(QCoreApplication.translate("ExportDialog", label), style)
        self.speakers.setCurrentIndex(max(self.speakers.findData(current), 0))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export as"), self.path.text())
        if path:
            self.path.setText(path)
            self._user_named = True

    def choice(self) -> ExportChoice:
        """Return what the user chose."""
        return ExportChoice(
            path=self.path.text().strip(),
            format_id=self.format.currentData(),
            track=self.track.currentData(),
            speakers=self.speakers.currentData(),
            encoding=self.encoding.currentText().strip() or "utf-8",
            bom=self.bom.isChecked(),
            newline=self.newline.currentData(),
            compatible=self.compatible.isChecked() and self.format.currentData() == "vtt",
        )


# -- timing ---------------------------------------------------------------------------------
def parse_offset(text: str) -> int:
    """Return a signed offset in ms from "+1.5", "-0:02.250" or "1:00"; raises ValidationError."""
    text = text.strip()
    sign = -1 if text.startswith("-") else 1
    ms = timecode.parse_user(text.lstrip("+-"))
    return sign * ms


class ShiftDialog(QDialog):
    """Ask for an offset and whether to shift the selected cues or all of them."""

    def __init__(self, last_ms: int, has_selection: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Shift Times"))
        self.offset = QLineEdit(self)
        sign = "-" if last_ms < 0 else "+"
        self.offset.setText(sign + timecode.format_short(abs(last_ms)))
        self.offset.setToolTip(self.tr("Signed offset: +1.5, -0:02.250, +1:00.000"))
        self.selected = QRadioButton(self.tr("Selected cues"), self)
        self.all = QRadioButton(self.tr("All cues"), self)
        (self.selected if has_selection else self.all).setChecked(True)
        self.selected.setEnabled(has_selection)
        self.error = QLabel(self)
        self.error.setStyleSheet(theme.label_style("error"))
        form = QFormLayout(self)
        form.addRow(self.tr("Offset"), self.offset)
        form.addRow(self.selected)
        form.addRow(self.all)
        form.addRow(self.error)
        form.addRow(_ok_cancel(self, self._accept))
        self.offset_ms = 0

    def _accept(self) -> None:
        try:
            self.offset_ms = parse_offset(self.offset.text())
        except ValidationError as exc:
            self.error.setText(exc.reason)
            return
        self.accept()


class SyncDialog(QDialog):
    """Two-point sync: pick two cues (by number) and the times they should start at."""

    def __init__(self, doc: Document, first_row: int, second_row: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Two-Point Sync"))
        self.doc = doc
        n = len(doc)
        self.rows: list[QSpinBox] = []
        self.times: list[QLineEdit] = []
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                self.tr(
                    "Every cue is moved and stretched linearly so that these two cues start at these times."
                ),
                self,
            )
        )
        for label, row in ((self.tr("First cue"), first_row), (self.tr("Second cue"), second_row)):
            spin = QSpinBox(self)
            spin.setRange(1, max(n, 1))
            spin.setValue(row + 1)
            time_edit = QLineEdit(self)
            spin.valueChanged.connect(lambda v, t=time_edit: t.setText(self._start_text(v - 1)))
            time_edit.setText(self._start_text(row))
            line = QHBoxLayout()
            line.addWidget(spin)
            line.addWidget(QLabel(self.tr("should start at"), self))
            line.addWidget(time_edit, 1)
            form.addRow(label, line)
            self.rows.append(spin)
            self.times.append(time_edit)
        self.error = QLabel(self)
        self.error.setStyleSheet(theme.label_style("error"))
        form.addRow(self.error)
        form.addRow(_ok_cancel(self, self._accept))
        self.points: tuple[tuple[int, int], tuple[int, int]] | None = None

    def _start_text(self, row: int) -> str:
        if 0 <= row < len(self.doc):
            return timecode.format_short(self.doc.cues[row].start_ms)
        return ""

    def _accept(self) -> None:
        try:
            points = []
            for spin, time_edit in zip(self.rows, self.times, strict=True):
                cue = self.doc.cues[spin.value() - 1]
                points.append((cue.id, timecode.parse_user(time_edit.text())))
        except (ValidationError, IndexError) as exc:
            self.error.setText(getattr(exc, "reason", str(exc)))
            return
        self.points = (points[0], points[1])
        self.accept()


# -- find / replace ---------------------------------------------------------------------------
class FindReplaceDialog(QDialog):
    """Non-modal find and replace over text, translation or both; Replace All is one undo step."""

    message = Signal(str)

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Find and Replace"))
        self.controller = controller
        self.last_match = None
        self.find_text = QLineEdit(self)
        self.replace_text = QLineEdit(self)
        self.regex = QCheckBox(self.tr("Regular expression"), self)
        self.case = QCheckBox(self.tr("Match case"), self)
        self.fields = _combo(
            self, (("text", "Text"), ("translation", "Translation"), ("both", "Both")), "both"
        )
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        find_next = QPushButton(self.tr("Find Next"), self)
        replace = QPushButton(self.tr("Replace"), self)
        replace_all = QPushButton(self.tr("Replace All"), self)
        close = QPushButton(self.tr("Close"), self)
        find_next.setDefault(True)
        find_next.clicked.connect(self.find_next)
        replace.clicked.connect(self.replace_one)
        replace_all.clicked.connect(self.replace_all)
        close.clicked.connect(self.close)
        form = QFormLayout()
        form.addRow(self.tr("Find"), self.find_text)
        form.addRow(self.tr("Replace with"), self.replace_text)
        form.addRow(self.tr("Search in"), self.fields)
        form.addRow(self.regex)
        form.addRow(self.case)
        buttons = QHBoxLayout()
        for button in (find_next, replace, replace_all, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        for widget in (self.find_text, self.regex, self.case, self.fields):
            signal = (
                widget.textChanged
                if isinstance(widget, QLineEdit)
                else (widget.toggled if isinstance(widget, QCheckBox) else widget.currentIndexChanged)
            )
            signal.connect(self._reset)

    def _reset(self, *_args) -> None:
        self.last_match = None

    def _options(self) -> dict:
        return {
            "regex": self.regex.isChecked(),
            "case": self.case.isChecked(),
            "fields": self.fields.currentData(),
        }

    def find_next(self) -> bool:
        """Select the next match; returns True when one was found."""
        from editor.core import operations

        try:
            match = operations.find(
                self.controller.document,
                self.find_text.text(),
                start_after=self.last_match,
                **self._options(),
            )
        except ValidationError as exc:
            self.status.setText(exc.reason)
            return False
        self.last_match = match
        if match is None:
            self.status.setText(self.tr("No match."))
            return False
        cue_id, field, start, _end = match
        row = self.controller.document.row_of(cue_id)
        self.status.setText(
            self.tr("Match in cue {n} ({field}) at {pos}.").format(n=row + 1, field=field, pos=start + 1)
        )
        self.controller.select([cue_id], cue_id)
        return True

    def replace_one(self) -> None:
        from editor.core import operations

        if self.last_match is None and not self.find_next():
            return
        try:
            edit = operations.replace_match(
                self.controller.document,
                self.last_match,
                self.find_text.text(),
                self.replace_text.text(),
                regex=self.regex.isChecked(),
                case=self.case.isChecked(),
            )
            self.controller.apply(edit, self.tr("Replace"))
        except (EditorError, KeyError) as exc:
            self.status.setText(getattr(exc, "reason", str(exc)))
            self.last_match = None
            return
        self.find_next()

    def replace_all(self) -> int:
        """Replace every match as one undo step; returns the number of replacements."""
        from editor.core import operations

        try:
            edit, count = operations.replace_all(
                self.controller.document, self.find_text.text(), self.replace_text.text(), **self._options()
            )
            if count:
                self.controller.apply(edit, self.tr("Replace all ({n})").format(n=count))
        except (EditorError, KeyError) as exc:
            self.status.setText(getattr(exc, "reason", str(exc)))
            return 0
        self.status.setText(self.tr("{n} replacements.").format(n=count) if count else self.tr("No match."))
        self.last_match = None
        return count


# -- speakers -------------------------------------------------------------------------------
class MergeSpeakersDialog(QDialog):
    """Tick the speakers to merge and choose the one they become."""

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Merge Speakers"))
        self.list = QListWidget(self)
        for speaker in doc.speakers.values():
            item = QListWidgetItem(speaker.name, self.list)
            item.setData(Qt.ItemDataRole.UserRole, speaker.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.into = QComboBox(self)
        for speaker in doc.speakers.values():
            self.into.addItem(speaker.name, speaker.id)
        buttons = _ok_cancel(self, self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Merge these speakers:"), self))
        layout.addWidget(self.list)
        layout.addWidget(QLabel(self.tr("into:"), self))
        layout.addWidget(self.into)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[list[str], str]:
        """Return (ticked speaker ids, target speaker id)."""
        ids = [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
        return ids, self.into.currentData()


# -- help -----------------------------------------------------------------------------------
class ShortcutsDialog(QDialog):
    """Lists every keyboard shortcut (from actions.SPECS)."""

    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        table = QTableWidget(len(rows), 3, self)
        table.setHorizontalHeaderLabels([self.tr("Menu"), self.tr("Action"), self.tr("Keys")])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(text))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(560, 600)
        self.table = table


# The libraries Cueline imports at run time, by distribution name (importlib.metadata).
LIBRARIES = ("pysrt", "webvtt-py", "langdetect", "platformdirs", "numpy", "charset-normalizer", "spylls")


def versions() -> list[tuple[str, str]]:
    """Return (name, version) of Cueline, Python, Qt, PySide6 and the libraries it uses.

    A library without metadata (not installed, or a bundle that did not ship its dist-info)
    shows "not installed" rather than failing the dialog.
    """
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QCoreApplication, qVersion

    import editor

    rows = [("Cueline", editor.__version__), ("Python", platform.python_version()), ("Qt", qVersion())]
    rows.append(("PySide6", pyside_version))
    for dist in LIBRARIES:
        try:
            rows.append((dist, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            rows.append((dist, QCoreApplication.translate("about", "not installed")))
    return rows


def about_text() -> str:
    """Return the About box's plain text: what Cueline is, its licence and every version."""
    from PySide6.QtCore import QCoreApplication

    def tr(text: str) -> str:
        return QCoreApplication.translate("about", text)

    lines = [tr("Cueline — a subtitle and transcript editor."), tr("Licence: GPL-3.0-or-later."), ""]
    lines += [f"{name}: {version}" for name, version in versions()]
    return "\n".join(lines)


def show_about(parent: QWidget | None) -> QMessageBox:
    """Open the non-modal About box (plain text); returns it (deleted when closed)."""
    from PySide6.QtCore import QCoreApplication

    box = QMessageBox(
        QMessageBox.Icon.Information,
        QCoreApplication.translate("about", "About Cueline"),
        about_text(),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    icon = QApplication.windowIcon()
    if not icon.isNull():
        box.setIconPixmap(icon.pixmap(64, 64))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # copy into a bug report
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
