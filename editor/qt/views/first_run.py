"""The "what you can do" tips shown over the sample project on first run.

The tips appear in a dock at the top of the window when the bundled sample opens and the user
has not dismissed them yet; "Got it" hides them and remembers that in the settings
(Key.FIRST_RUN_HINT_SHOWN), and Help → Show Tips brings them back at any time. The keys named
in the tips are read from actions.SPECS, so a changed shortcut never leaves a tip stale.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from editor.qt.actions import SPECS, ActionId, shortcut_text
from editor.qt.host import Feature, Host
from editor.qt.settings import Key

DOCK_NAME = "tipsDock"


def _keys(action_id: ActionId) -> str:
    spec = next(s for s in SPECS if s.id == action_id)
    return shortcut_text(spec.keys())


class TipsPanel(QFrame):
    """The tips text with a "Got it" button; `dismiss_button` hides the dock for good."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tipsPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Tips"))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.heading = QLabel(
            self.tr(
                "Welcome to Cueline. This sample has two speakers, a Chinese translation "
                "and a few deliberate problems to fix."
            ),
            self,
        )
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.tips = QLabel(self.tips_text(), self)
        self.tips.setObjectName("tipsText")
        self.tips.setTextFormat(Qt.TextFormat.PlainText)
        self.tips.setWordWrap(True)
        self.tips.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tips.setAccessibleName(self.tr("What you can do"))
        self.dismiss_button = QPushButton(self.tr("Got it"), self)
        self.dismiss_button.setObjectName("tipsDismiss")
        self.dismiss_button.setToolTip(self.tr("Hide these tips (Help → Show Tips shows them again)"))
        text = QVBoxLayout()
        text.addWidget(self.heading)
        text.addWidget(self.tips)
        text.addStretch(1)
        row = QHBoxLayout(self)
        row.addLayout(text, 1)
        row.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # A top dock takes a share of the window's height by default; the tips need only their own
        # (which depends on the width, as the text wraps).
        height = self.heightForWidth(self.width())
        if height > 0 and height != self.maximumHeight():
            self.setMaximumHeight(height)

    def tips_text(self) -> str:
        """Return the tips as plain text, one bullet per line, with this platform's keys."""
        lines = [
            self.tr(
                "Tinted cells break a rule: hover one to read why; {keys} jumps to the next problem."
            ).format(keys=_keys(ActionId.NEXT_PROBLEM)),
            self.tr(
                "Edit text and times in the table (Enter or F2) or in the panel on the right; "
                "{keys} undoes any change."
            ).format(keys=_keys(ActionId.UNDO)),
            self.tr("Drag a block's edges on the timeline to retime it; Ctrl+wheel zooms."),
            self.tr(
                "{keys} opens review mode: source above translation, large; "
                "{mark} accepts one and moves on."
            ).format(keys=_keys(ActionId.REVIEW_MODE), mark=_keys(ActionId.MARK_REVIEWED)),
            self.tr("Alt+1 … Alt+9 assign a speaker; Speakers → Rename Speaker changes a name everywhere."),
            self.tr(
                "{open} opens your own subtitle or transcript, {export} exports SRT or WebVTT, "
                "{help} lists every shortcut."
            ).format(
                open=_keys(ActionId.OPEN), export=_keys(ActionId.EXPORT), help=_keys(ActionId.SHORTCUTS)
            ),
        ]
        return "\n".join(f"• {line}" for line in lines)


class FirstRunTips(QObject):
    """Shows the tips dock over the sample until dismissed; owns the dock and the Help entry.

    Dismissed means "Got it" or the dock's own close button: either way the user has seen them.
    The dock is built the first time it is shown (the sample, or Help → Show Tips): a window
    opening a file of its own never makes it (~10 ms of the GUI thread at launch).
    """

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._panel: TipsPanel | None = None
        self._dock: QDockWidget | None = None
        window.loaded.connect(self._on_loaded)

    @property
    def panel(self) -> TipsPanel:
        """The tips panel (built now if it is not yet)."""
        self._build()
        assert self._panel is not None
        return self._panel

    @property
    def dock(self) -> QDockWidget:
        """The tips dock (built now, hidden, if it is not yet)."""
        self._build()
        assert self._dock is not None
        return self._dock

    def built(self) -> bool:
        return self._dock is not None

    def _build(self) -> None:
        if self._dock is not None:
            return
        window = self.window
        self._panel = TipsPanel(window)
        dock = QDockWidget(window.tr("Tips"), window)
        dock.setObjectName(DOCK_NAME)
        dock.setAccessibleName(window.tr("Tips"))
        dock.setWidget(self._panel)
        dock.setAllowedAreas(Qt.DockWidgetArea.TopDockWidgetArea | Qt.DockWidgetArea.BottomDockWidgetArea)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        window.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, dock)
        dock.hide()
        window.restoreDockWidget(dock)  # where the user's saved layout had it, if it has it
        self._dock = dock
        dock.installEventFilter(self)  # the title bar's close button sends the dock a Close event
        self._panel.dismiss_button.clicked.connect(self.dismiss)

    def _on_loaded(self, _path: str) -> None:
        if self.window.is_sample and not self.window.settings.get(Key.FIRST_RUN_HINT_SHOWN):
            self.show()
        elif not self.window.is_sample and self._dock is not None:
            self._dock.hide()  # the tips are about the sample; a real file gets the room

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._dock and event.type() == QEvent.Type.Close:
            self.window.settings.set(Key.FIRST_RUN_HINT_SHOWN, True)
        return False

    def show(self) -> None:
        """Show the tips dock (Help → Show Tips)."""
        self.dock.show()
        self.dock.raise_()

    def dismiss(self) -> None:
        """Hide the tips and remember not to show them on the next start."""
        if self._dock is not None:
            self._dock.hide()
        self.window.settings.set(Key.FIRST_RUN_HINT_SHOWN, True)


def install(window: Host) -> None:
    """Add the tips dock and wire Help → Show Tips."""
    tips = window.parts.add(FirstRunTips(window))
    action = window.actions.get(ActionId.SHOW_TIPS)
    if action is not None:
        action.triggered.connect(tips.show)
        action.setEnabled(True)


FEATURE = Feature("first_run", install)
