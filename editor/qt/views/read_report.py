"""Status-bar notices about how the open file was read: what the reader skipped, and a
re-read with another encoding.

"N not read" appears when the reader skipped or joined blocks (editor.core.formats.readlog);
clicking it lists them with their lines. "Encoding…" re-reads the file with an encoding the
user picks (the status bar already names the one assumed).
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox, QPushButton

from editor.core.formats import readlog
from editor.qt.host import Feature, Host

ENCODINGS = (
    "utf-8",
    "cp1252",
    "cp1250",
    "iso8859-2",
    "cp1257",
    "cp1251",
    "koi8-r",
    "iso8859-8",
    "cp1255",
    "cp1253",
    "cp1254",
    "gb18030",
    "big5",
    "shift_jis",
    "euc_kr",
    "utf-16-le",
    "utf-16-be",
)


class ReadReport:
    """The two status-bar buttons; installed once per window."""

    def __init__(self, window) -> None:
        self.window = window
        bar = window.statusBar()
        self.skipped_button = QPushButton(window)
        self.skipped_button.setFlat(True)
        self.skipped_button.setToolTip(
            window.tr("Parts of the file that were not read as cues: click to list them")
        )
        self.skipped_button.clicked.connect(self.show_skipped)
        self.skipped_button.hide()
        self.encoding_button = QPushButton(window.tr("Encoding…"), window)
        self.encoding_button.setFlat(True)
        self.encoding_button.setToolTip(window.tr("Read the file again with another encoding"))
        self.encoding_button.clicked.connect(self.reread)
        self.fps_button = QPushButton(window)
        self.fps_button.setFlat(True)
        self.fps_button.setToolTip(
            window.tr("MicroDVD counts frames: read the file again at another frame rate")
        )
        self.fps_button.clicked.connect(self.choose_fps)
        self.fps_button.hide()
        bar.addPermanentWidget(self.skipped_button)
        bar.addPermanentWidget(self.fps_button)
        bar.addPermanentWidget(self.encoding_button)
        window.loaded.connect(self.refresh)
        self.refresh()

    def _path(self) -> str | None:
        info = self.window.controller.document.sources.get("source")
        return info.path if info is not None and info.format != "cueline" else None

    def refresh(self, _path: str = "") -> None:
        entries = readlog.skipped(self.window.controller.document)
        self.skipped_button.setVisible(bool(entries))
        self.skipped_button.setText(self.window.tr("⚠ {n} not read").format(n=len(entries)))
        self.encoding_button.setEnabled(self._path() is not None)
        doc = self.window.controller.document
        fps = doc.metadata.extra.get("microdvd.fps")
        info = doc.sources.get("source")
        self.fps_button.setVisible(bool(fps) and info is not None and info.format == "microdvd")
        self.fps_button.setText(self.window.tr("{fps} fps…").format(fps=fps))

    def choose_fps(self) -> None:
        """Ask for the video's frame rate and read the MicroDVD file again with it."""
        path = self._path()
        if path is None:
            return
        current = self.window.controller.document.metadata.extra.get("microdvd.fps", "23.976")
        rates = ["23.976", "24", "25", "29.97", "30", "48", "50", "59.94", "60"]
        choice, ok = QInputDialog.getItem(
            self.window,
            self.window.tr("Frame rate"),
            self.window.tr("Frames per second of the video (read at {fps} now):").format(fps=current),
            rates,
            rates.index(current) if current in rates else 0,
            True,
        )
        try:
            fps = float(choice)
        except ValueError:
            return
        if ok and 1 <= fps <= 240 and self.window.confirm_discard():
            self.window.open_path(path, fps=fps)

    def show_skipped(self) -> None:
        doc = self.window.controller.document
        info = doc.sources.get("source")
        name = info.path if info is not None and info.path else ""
        lines = [entry.describe(name) for entry in readlog.skipped(doc)]
        box = QMessageBox(
            QMessageBox.Icon.Warning, self.window.tr("Not read as cues"), "", parent=self.window
        )
        box.setTextFormat(box.textFormat().PlainText)
        box.setText(
            self.window.tr("{n} part(s) of the file were skipped or joined to a cue:").format(n=len(lines))
        )
        box.setDetailedText("\n".join(lines))
        box.setInformativeText("\n".join(lines[:12]) + ("\n…" if len(lines) > 12 else ""))
        box.open()
        self.box = box

    def reread(self) -> None:
        path = self._path()
        if path is None:
            return
        info = self.window.controller.document.sources.get("source")
        current = info.encoding if info is not None else "utf-8"
        items = list(ENCODINGS)
        if current not in items:
            items.insert(0, current)
        choice, ok = QInputDialog.getItem(
            self.window,
            self.window.tr("Read again with another encoding"),
            self.window.tr("Encoding (read as {enc} now):").format(enc=current),
            items,
            items.index(current) if current in items else 0,
            True,
        )
        if ok and choice.strip() and self.window.confirm_discard():
            self.window.open_path(path, encoding=choice.strip())


def install(window: Host) -> None:
    """Add the read report to `window`'s status bar."""
    window.parts.add(ReadReport(window))


FEATURE = Feature("read_report", install)
