"""The waveform under the timeline, and Timing → Snap to Pauses.

`install(window)` listens to the window's `media_changed(str)`: each new media path is
decoded on a worker (`WaveformLoader`, progress in the status bar, the editor usable
meanwhile) and handed to the timeline as its WaveformProvider. A file that cannot be read
is said in one status-bar line naming it; the document is never touched.

Snap to Pauses finds speech pauses in the waveform's energy track and moves the estimated
boundaries of the selected cues (all cues when none is selected) into the nearest pause
within a window, as one undo step; the cues become exact only when the user ticks the box.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from editor.core.errors import EditorError
from editor.qt.actions import ActionId
from editor.qt.host import Feature, Host

if TYPE_CHECKING:  # numpy comes with these: loaded on the first media, not at start (~250 ms)
    from editor.core.pauses import Pause, SnapPlan
    from editor.core.waveform import Waveform
    from editor.qt.waveform_loader import WaveformLoader


class SnapToPausesDialog(QDialog):
    """Asks for the window and whether to confirm the timing; previews how much would move.

    `planner(window_ms, mark_exact)` returns the SnapPlan shown; `plan()` is the one accepted.
    """

    def __init__(self, planner, scope_text: str, parent: QWidget | None = None, selected: int = 0) -> None:
        """`selected`: how many cues are selected; with more than one, "Selected cues" is
        offered first, else every estimated cue (one current cue is not a choice of scope).
        `planner(window_ms, mark_exact, all_cues)`."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Snap to Pauses"))
        self._planner = planner
        self._plan: SnapPlan | None = None
        layout = QVBoxLayout(self)
        scope = QLabel(scope_text, self)
        scope.setObjectName("scope")
        scope.setWordWrap(True)
        layout.addWidget(scope)
        self.all_cues = QRadioButton(self.tr("&All cues"), self)
        self.all_cues.setObjectName("allCues")
        self.selected_cues = QRadioButton(self.tr("Se&lected cues ({n})").format(n=selected), self)
        self.selected_cues.setObjectName("selectedCues")
        self.selected_cues.setEnabled(selected > 0)
        (self.selected_cues if selected > 1 else self.all_cues).setChecked(True)
        scope_row = QHBoxLayout()
        scope_row.addWidget(self.all_cues)
        scope_row.addWidget(self.selected_cues)
        scope_row.addStretch(1)
        layout.addLayout(scope_row)
        form = QFormLayout()
        self.window_ms = QSpinBox(self)
        self.window_ms.setRange(0, 5000)
        self.window_ms.setSingleStep(50)
        self.window_ms.setSuffix(self.tr(" ms"))
        from editor.core.pauses import SNAP_WINDOW_MS

        self.window_ms.setValue(SNAP_WINDOW_MS)
        self.window_ms.setToolTip(self.tr("How far a boundary may move to reach a pause"))
        form.addRow(self.tr("&Window:"), self.window_ms)
        layout.addLayout(form)
        self.mark_exact = QCheckBox(self.tr("Mark snapped cues as &exact (confirm their timing)"), self)
        layout.addWidget(self.mark_exact)
        self.preview = QLabel(self)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.preview)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Snap"))
        layout.addWidget(buttons)
        self.window_ms.valueChanged.connect(self._refresh)
        self.mark_exact.toggled.connect(self._refresh)
        self.all_cues.toggled.connect(self._refresh)
        self._refresh()

    def _refresh(self) -> None:
        plan = self._planner(self.window_ms.value(), self.mark_exact.isChecked(), self.all_cues.isChecked())
        self._plan = plan
        self.preview.setText(
            self.tr("{b} boundaries of {n} cues move ({c} estimated cues looked at).").format(
                b=plan.boundaries, n=len(plan.times), c=plan.considered
            )
        )
        self.ok_button.setEnabled(not plan.empty)

    def plan(self) -> SnapPlan | None:
        return self._plan


class WaveformFeature(QObject):
    """Keeps the window's waveform in step with its media; owns Snap to Pauses.

    Signals: ready(Waveform) when a waveform is shown, failed(str message).
    """

    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, window, cache_dir: str | None = None) -> None:
        super().__init__(window)
        self.window = window
        self._cache_dir = cache_dir
        self._loader: WaveformLoader | None = None
        self.waveform: Waveform | None = None
        self._pauses: list[Pause] | None = None
        # Asked when media is loaded: should its decode keep the PCM a speech model needs?
        self.want_speech: Callable[[], bool] | None = None
        self.progress = QProgressBar(window)
        self.progress.setObjectName("waveformProgress")
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(True)
        self.progress.setFormat(self.tr("Waveform %p%"))
        self.progress.hide()
        window.statusBar().insertPermanentWidget(0, self.progress)
        window.media_changed.connect(self.on_media_changed)

    @property
    def loader(self) -> WaveformLoader:
        """The decoder of media into waveforms, built on first use (it brings numpy)."""
        if self._loader is None:
            from editor.qt.waveform_loader import WaveformLoader

            self._loader = WaveformLoader(self._cache_dir, self)
            self.apply_cache_size()
            self._loader.progress.connect(self._on_progress)
            self._loader.loaded.connect(self._on_loaded)
            self._loader.failed.connect(self._on_failed)
        return self._loader

    def apply_cache_size(self) -> None:
        """Use the cache size the user set (Preferences) from the next waveform on."""
        if self._loader is not None:
            from editor.qt.settings import Key

            self._loader.cache_max_bytes = max(0, int(self.window.settings.get(Key.WAVEFORM_CACHE_MB))) << 20

    # -- media ----------------------------------------------------------------------------
    def on_media_changed(self, path: str) -> None:
        """Show the waveform of `path` (after decoding it), or none for ""."""
        had = self.waveform is not None
        self.waveform = None
        self._pauses = None
        if had or path:
            self._set_provider(None)
        if not path:
            if self._loader is not None:
                self._loader.cancel()
            self.progress.hide()
            return
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        name = os.path.basename(path)
        self.progress.setToolTip(self.tr("Reading the waveform of {name}").format(name=name))
        self.progress.show()
        self.loader.load(path, speech=bool(self.want_speech and self.want_speech()))

    def is_loading(self) -> bool:
        return self._loader is not None and self._loader.is_loading()

    def _set_provider(self, waveform: Waveform | None) -> None:
        self.window.ensure_timeline().set_waveform(waveform)

    def _on_progress(self, percent: int) -> None:
        if percent < 0:
            self.progress.setRange(0, 0)  # length unknown: a busy bar
        else:
            self.progress.setRange(0, 100)
            self.progress.setValue(percent)

    def _on_loaded(self, path: str, waveform: Waveform) -> None:
        self.progress.hide()
        self.waveform = waveform
        self._pauses = None
        self._set_provider(waveform)
        seconds = waveform.duration_ms / 1000
        self.window.show_message(
            self.tr("Waveform of {name}: {s:.1f} s").format(name=os.path.basename(path), s=seconds), 4000
        )
        self.ready.emit(waveform)

    def _on_failed(self, _path: str, message: str) -> None:
        self.progress.hide()
        line = self.tr("Waveform unavailable: {why}").format(why=" ".join(message.split()))
        self.window.show_message(line, 15000)
        self.failed.emit(line)

    # -- snap to pauses -------------------------------------------------------------------
    def pauses(self) -> list[Pause]:
        """Return the pauses of the current waveform (found once per waveform)."""
        if self.waveform is None:
            return []
        if self._pauses is None:
            from editor.core.pauses import find_pauses

            self._pauses = find_pauses(self.waveform.energy, self.waveform.energy_frame_ms)
        return self._pauses

    def _scope(self) -> list[int] | None:
        ids = list(self.window.controller.selected_ids)
        return ids or None

    def plan(
        self, window_ms: int | None = None, mark_exact: bool = False, all_cues: bool = False
    ) -> SnapPlan:
        """Return what snapping the selected cues (all when none is selected, or `all_cues`)
        would do (`window_ms` None: the default snap window)."""
        from editor.core.pauses import SNAP_WINDOW_MS, plan_snap

        if window_ms is None:
            window_ms = SNAP_WINDOW_MS
        doc = self.window.controller.document
        scope = None if all_cues else self._scope()
        return plan_snap(doc, self.pauses(), scope, window_ms=window_ms, mark_exact=mark_exact)

    def apply(self, plan: SnapPlan) -> bool:
        """Apply `plan` as one undo step; returns whether anything changed."""
        if plan.empty:
            self.window.show_message(self.tr("No boundary is near a pause."))
            return False
        try:
            self.window.controller.apply(plan.edit(), self.tr("Snap to pauses"))
        except (EditorError, KeyError) as exc:
            self.window.show_message(self.tr("Snap to pauses failed: {why}").format(why=exc))
            return False
        self.window.show_message(
            self.tr("Snapped {b} boundaries of {n} cues to pauses.").format(
                b=plan.boundaries, n=len(plan.times)
            )
        )
        return True

    def make_dialog(self) -> SnapToPausesDialog | None:
        """Return the Snap to Pauses dialog, or None (with a message) when there is no waveform."""
        if self.waveform is None:
            why = (
                self.tr("The waveform is still being read.")
                if self.is_loading()
                else self.tr("Open media first (File → Open Media): pauses are found in its audio.")
            )
            self.window.show_message(why)
            return None
        n = len(self.window.controller.selected_ids)
        scope = self.tr("Estimated boundaries move into the nearest pause.")
        found = len(self.pauses())
        scope += " " + (
            self.tr("{k} pauses found in the audio.").format(k=found)
            if found
            else self.tr("No pause could be told apart from speech in this audio.")
        )
        return SnapToPausesDialog(self.plan, scope, self.window, selected=n)

    def snap_dialog(self) -> None:
        dialog = self.make_dialog()
        if dialog is None:
            return
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.plan() is not None:
            self.apply(dialog.plan())
        dialog.deleteLater()


def install(window: Host) -> None:
    """Add the waveform to the timeline (following the window's media) and Snap to Pauses."""
    feature = window.parts.add(WaveformFeature(window))
    action = window.actions.get(ActionId.SNAP_TO_PAUSES)
    if action is not None:
        action.triggered.connect(feature.snap_dialog)
        action.setEnabled(True)
    current = window.controller.document.metadata.media_path or ""
    if current:
        feature.on_media_changed(current)


__all__ = ["SnapToPausesDialog", "WaveformFeature", "install"]


FEATURE = Feature("waveform", install)
