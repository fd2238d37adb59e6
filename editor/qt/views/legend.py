"""View → Legend: what the table's tints and colours, and the timeline's alignment strips,
mean, drawn with the colours in force."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QColor, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from editor.qt import theme
from editor.qt.host import Feature, Host


def _tr(text: str) -> str:
    return QCoreApplication.translate("legend", text)


def entries() -> list[tuple[str, QColor, bool, str]]:
    """Return (key, colour, is a background tint, meaning) for every colour the table uses."""
    return [
        ("error", theme.tint("error"), True, _tr("Breaks a rule: too long a line, too fast, an overlap…")),
        ("warning", theme.tint("warning"), True, _tr("Worth a look: a short gap, a long duration…")),
        ("info", theme.tint("info"), True, _tr("For information: estimated timing, an odd length ratio")),
        ("estimated", theme.text_color("estimated"), False, _tr("Times estimated, not yet confirmed")),
        ("invalid", theme.tint("invalid"), True, _tr("A value typed that cannot be used")),
        # The strip along the foot of a timeline block: where Align to Audio took its times from.
        (
            "speech",
            theme.time_source_color("speech"),
            True,
            _tr("Timeline strip: aligned by the speech model"),
        ),
        (
            "pauses",
            theme.time_source_color("pauses"),
            True,
            _tr("Timeline strip: timed by pauses only — check"),
        ),
        (
            "unaligned",
            theme.time_source_color("unaligned"),
            True,
            _tr("Timeline strip: alignment found nothing — still estimated"),
        ),
    ]


class LegendDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legendDialog")
        self.setWindowTitle(_tr("Legend"))
        grid = QGridLayout()
        self.swatches: dict[str, QColor] = {}
        for row, (key, colour, background, meaning) in enumerate(entries()):
            swatch = QLabel(self)
            swatch.setObjectName(f"legend_{key}")
            pixmap = QPixmap(36, 18)
            pixmap.fill(colour if background else theme.palette().base().color())
            if not background:  # a text colour: shown as text on the table's background
                swatch.setText("0:01")
                swatch.setStyleSheet(f"color: {colour.name()}")
            else:
                swatch.setPixmap(pixmap)
            self.swatches[key] = colour
            text = QLabel(meaning, self)
            text.setTextFormat(Qt.TextFormat.PlainText)
            grid.addWidget(swatch, row, 0)
            grid.addWidget(text, row, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)


def install(window: Host) -> None:
    """Add View → Legend."""
    action = QAction(window.tr("&Legend"), window)  # type: ignore[arg-type]
    action.setObjectName("action_legend")
    action.setStatusTip(window.tr("What the table's and the timeline's colours mean"))

    def show() -> None:
        dialog = LegendDialog(window)  # type: ignore[arg-type]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    action.triggered.connect(show)
    view = window.menus.get("View")
    if view is not None:
        view.addAction(action)


FEATURE = Feature("legend", install)
