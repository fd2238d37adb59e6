"""Timing → Align to Audio: time the estimated cues from the media (editor.core.autotime).

The alignment runs on a worker (editor.qt.workers) from a snapshot of the cues, with a
progress dialog whose Cancel takes effect at once (the result of a cancelled run is dropped:
nothing changes). The plan is previewed — which layer timed it (the English speech model, or
pauses and punctuation and why), how many cues move and how far, how many words the model
could not place — and applies as one undo step.

After alignment each cue records where its times came from (`Cue.time_source`); the status
bar counts them and Timing → Next Uncertain Timing walks the cues timed by pauses only or
not at all. When a transcript with estimated times gets its media (opened with it, picked up
beside it, or File → Open Media), the status bar offers the alignment in one click, or runs
it at once when the "align on open" setting is on.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QMessageBox, QProgressDialog, QPushButton

from editor.core import runtime
from editor.core.model import Document, TimeSource, Timing
from editor.qt.actions import ActionId
from editor.qt.host import Feature, Host
from editor.qt.settings import Key
from editor.qt.views.waveform_feature import WaveformFeature
from editor.qt.workers import run_task

if TYPE_CHECKING:
    from editor.core.autotime import AlignPlan

_UNCERTAIN = (TimeSource.PAUSES, TimeSource.ESTIMATED)


class _Relay(QObject):
    """Lives on the GUI thread; the worker's progress reaches it queued."""

    progress = Signal(int, int)  # run, percent


def _snapshot(doc: Document) -> Document:
    """Return a copy of what alignment reads (cues, language), safe to read on a worker while
    the user goes on editing the real document."""
    copy = Document([c.copy() for c in doc.cues], source_language=doc.source_language, metadata=doc.metadata)
    return copy


def _has_unaligned_estimates(doc: Document) -> bool:
    return any(c.timing is Timing.ESTIMATED and c.time_source is TimeSource.NONE for c in doc.cues)


class AlignAudioFeature(QObject):
    """Align to Audio for one window: the action, the run, the preview, counts and navigation."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._run = 0  # the current run's number; a finished run that is not current is dropped
        self._cancel: threading.Event | None = None
        self._progress: QProgressDialog | None = None
        self._relay = _Relay(self)
        self._relay.progress.connect(self._on_progress)
        self.last_plan: AlignPlan | None = None
        actions = window.actions
        actions[ActionId.ALIGN_TO_AUDIO].triggered.connect(lambda _c=False: self.start())
        actions[ActionId.ALIGN_TO_AUDIO].setEnabled(True)
        actions[ActionId.NEXT_UNCERTAIN_TIMING].triggered.connect(lambda _c=False: self.next_uncertain())
        actions[ActionId.NEXT_UNCERTAIN_TIMING].setEnabled(True)
        # Status bar: where the aligned cues' times came from, and the offer to align.
        self.count_label = QLabel(window)
        self.count_label.setObjectName("alignmentCounts")
        self.count_label.hide()
        self.offer_button = QPushButton(self.tr("Align to audio"), window)
        self.offer_button.setObjectName("alignOffer")
        self.offer_button.setToolTip(self.tr("Time the estimated cues from the media's speech"))
        self.offer_button.setFlat(True)
        self.offer_button.clicked.connect(lambda: self.start())
        self.offer_button.hide()
        status = window.statusBar()
        status.addPermanentWidget(self.offer_button)
        status.addPermanentWidget(self.count_label)
        self._count_timer = QTimer(self, singleShot=True, interval=150)
        self._count_timer.timeout.connect(self.update_counts)
        window.controller.changed.connect(lambda _changes: self._count_timer.start())
        window.controller.document_replaced.connect(self._on_document_replaced)
        window.media_changed.connect(lambda _path: self.offer_button.hide())
        waveform = window.parts.get(WaveformFeature)
        if waveform is not None:
            waveform.want_speech = lambda: _has_unaligned_estimates(window.controller.document)
            waveform.ready.connect(lambda _wf: self._on_media_ready())
        self.update_counts()

    # -- counts and navigation --------------------------------------------------------------
    def counts(self) -> dict[TimeSource, int]:
        out = dict.fromkeys((TimeSource.SPEECH, TimeSource.PAUSES, TimeSource.ESTIMATED), 0)
        for cue in self.window.controller.document.cues:
            if cue.time_source:
                out[cue.time_source] += 1
        return out

    def update_counts(self) -> None:
        counts = self.counts()
        if not any(counts.values()):
            self.count_label.hide()
            return
        self.count_label.setText(
            self.tr("Aligned: {speech} by speech · {pauses} by pauses · {est} estimated").format(
                speech=counts[TimeSource.SPEECH],
                pauses=counts[TimeSource.PAUSES],
                est=counts[TimeSource.ESTIMATED],
            )
        )
        self.count_label.setToolTip(
            self.tr(
                "Where aligned cues' times came from; Timing → Next Uncertain Timing visits the unsure ones"
            )
        )
        self.count_label.show()

    def next_uncertain(self) -> int | None:
        """Select the next cue (after the current one, wrapping) timed by pauses only or not at
        all; returns its id, or None with a message when there is none."""
        controller = self.window.controller
        cues = controller.document.cues
        start = 0
        if controller.current_id is not None:
            try:
                start = controller.document.row_of(controller.current_id) + 1
            except KeyError:
                start = 0
        n = len(cues)
        for k in range(n):
            cue = cues[(start + k) % n]
            if cue.time_source in _UNCERTAIN:
                controller.select([cue.id], cue.id)
                why = (
                    self.tr("Timed by pauses only: check its start")
                    if cue.time_source is TimeSource.PAUSES
                    else self.tr("Alignment could not time this cue: its times are estimated")
                )
                self.window.show_message(why)
                return cue.id
        self.window.show_message(self.tr("No cue with uncertain timing."))
        return None

    # -- offering ---------------------------------------------------------------------------
    def _on_document_replaced(self) -> None:
        self.offer_button.hide()
        self.cancel()
        self.update_counts()

    def _on_media_ready(self) -> None:
        if not _has_unaligned_estimates(self.window.controller.document):
            self.offer_button.hide()
            return
        if self.window.settings.get(Key.ALIGN_ON_OPEN):
            self.start(preview=False)
            return
        self.offer_button.show()
        self.window.show_message(
            self.tr("The cues' times are estimated: Timing → Align to Audio times them from the media."),
            10000,
        )

    # -- running ----------------------------------------------------------------------------
    def is_running(self) -> bool:
        return self._cancel is not None

    def start(self, preview: bool = True) -> bool:
        """Start aligning the selected cues (or the estimated ones) to the media; returns
        whether a run started (else a message says why)."""
        window = self.window
        doc = window.controller.document
        media = doc.metadata.media_path or ""
        waveform_feature = window.parts.get(WaveformFeature)
        waveform = waveform_feature.waveform if waveform_feature is not None else None
        if not media:
            window.show_message(
                self.tr("Open media first (File → Open Media): cues are aligned to its audio.")
            )
            return False
        if waveform is None:
            loading = waveform_feature is not None and waveform_feature.is_loading()
            window.show_message(
                self.tr("The waveform is still being read; align when it is shown.")
                if loading
                else self.tr("The media's audio could not be read.")
            )
            return False
        if self.is_running():
            return False
        self.offer_button.hide()
        ids = list(window.controller.selected_ids) if len(window.controller.selected_ids) > 1 else None
        snapshot = _snapshot(doc)
        self._run += 1
        run = self._run
        cancel = self._cancel = threading.Event()
        relay = self._relay
        last = [-1]

        def report(fraction: float) -> None:
            percent = int(max(0.0, min(1.0, fraction)) * 100)
            if percent != last[0]:
                last[0] = percent
                relay.progress.emit(run, percent)

        def align() -> AlignPlan:
            from editor.core import autotime

            track = autotime.AudioTrack.of_waveform(waveform)
            if track.pcm16k is None:
                # The speech model reads the 16 kHz PCM, and the pause layer finds pauses under
                # music with it; a waveform read from the cache did not keep it.
                from editor.core.media import decode_speech
                from editor.core.waveform import MediaError

                try:
                    track.pcm16k = decode_speech(
                        media, lambda f: report(0.25 * max(f, 0.0)), cancel
                    ).speech_pcm
                except MediaError:
                    if autotime.wants_speech_model(snapshot, ids):
                        raise
            return autotime.plan_alignment(
                snapshot, track, ids, progress=lambda f: report(0.25 + 0.75 * f), cancel=cancel, isolate=True
            )

        def work() -> AlignPlan:
            # No full collection walking every object with the GIL held while it runs.
            runtime.pause_gc()
            try:
                return align()
            finally:
                runtime.resume_gc()

        dialog = QProgressDialog(
            self.tr("Aligning to {name}…").format(name=os.path.basename(media)),
            self.tr("Cancel"),
            0,
            100,
            window,
        )
        dialog.setObjectName("alignProgress")
        dialog.setWindowTitle(self.tr("Align to Audio"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        dialog.setValue(0)
        dialog.show()
        self._progress = dialog
        run_task(
            work,
            lambda plan: self._on_done(run, plan, preview),
            lambda exc: self._on_failed(run, exc),
            owner=self,
        )
        return True

    def cancel(self) -> None:
        """Stop the run now: its result, whenever the worker gets there, is dropped."""
        if self._cancel is not None:
            self._cancel.set()
            self._cancel = None
        self._run += 1
        self._close_progress()

    def _close_progress(self) -> None:
        if self._progress is not None:
            dialog, self._progress = self._progress, None
            dialog.canceled.disconnect(self.cancel)
            dialog.close()
            dialog.deleteLater()

    def _on_progress(self, run: int, percent: int) -> None:
        if run == self._run and self._progress is not None:
            self._progress.setValue(percent)

    def _on_failed(self, run: int, exc: BaseException) -> None:
        if run != self._run:
            return
        self._cancel = None
        self._close_progress()
        from editor.core.autotime import AutotimeError, Cancelled
        from editor.core.errors import EditorError

        if isinstance(exc, Cancelled):
            return
        if isinstance(exc, AutotimeError):
            text = self.tr("The cues were left as they are: {why}.").format(why=exc.reason)
        elif isinstance(exc, EditorError):
            text = str(exc)
        else:
            text = f"{type(exc).__name__}: {exc}"
        self.window.show_message(self.tr("Align to Audio: {text}").format(text=text), 15000)
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Align to Audio"), text, parent=self.window)
        box.setObjectName("alignFailed")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _on_done(self, run: int, plan: AlignPlan, preview: bool) -> None:
        if run != self._run:
            return  # cancelled, or the document was replaced meanwhile
        self._cancel = None
        self._close_progress()
        self.last_plan = plan
        if not preview:
            self.apply(plan)
            return
        box = QMessageBox(self.window)
        box.setObjectName("alignPreview")
        box.setWindowTitle(self.tr("Align to Audio"))
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(plan.message[:1].upper() + plan.message[1:] + ".")
        box.setInformativeText(plan.summary() + ".")
        apply_button = box.addButton(self.tr("&Apply"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(apply_button)
        always = QCheckBox(self.tr("Align at once whenever media is opened with estimated cues"), box)
        always.setChecked(bool(self.window.settings.get(Key.ALIGN_ON_OPEN)))
        always.toggled.connect(lambda on: self.window.settings.set(Key.ALIGN_ON_OPEN, on))
        box.setCheckBox(always)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self.apply(plan) if button is apply_button else None)
        self.preview_box = box
        box.open()

    def apply(self, plan: AlignPlan) -> bool:
        """Apply `plan` as one undo step; returns False (with a message) when the cues changed
        since the alignment read them."""
        doc = self.window.controller.document
        wanted = set(plan.times) | set(plan.words) | set(plan.sources)
        if any(i not in {c.id for c in doc.cues} for i in wanted):
            self.window.show_message(self.tr("The cues changed while aligning; run Align to Audio again."))
            return False
        if plan.empty:
            self.window.show_message(self.tr("Alignment changed nothing."))
            return False
        self.window.controller.apply(plan.edit(), self.tr("Align to audio"))
        self.window.show_message(plan.message[:1].upper() + plan.message[1:] + "; " + plan.summary())
        self.update_counts()
        return True


def install(window: Host) -> None:
    """Add Timing → Align to Audio, Next Uncertain Timing and the status-bar counts."""
    window.parts.add(AlignAudioFeature(window))


__all__ = ["AlignAudioFeature", "install"]


# Aligns to the waveform the waveform feature reads.
FEATURE = Feature("align_audio", install, after=("waveform",))
