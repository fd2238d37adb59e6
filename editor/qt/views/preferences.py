"""Edit → Preferences: the user's limits and the editor's housekeeping, applied as they change.

The dialog is a tab per page. Pages come from a registry (`register_page`), so a feature
adds its own page (a Keyboard page, say) without touching this module: a page is a
factory that gets the `PreferencesContext` and returns its widget. Built-in pages:

- Style limits: per track (source, translation), a preset (Auto = the preset of the
  track's language, or a Netflix per-language preset) and every limit of the profile. A
  change applies at once: the controller's style settings change, QC checks everything
  again (tints, the status bar count), and the settings file keeps it.
- General: the autosave delay and the waveform cache size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from editor.core.records import record
from editor.core.style import (
    AUTO,
    PRESET_NAMES,
    PRESETS,
    SOURCE,
    TRANSLATION,
    StyleProfile,
    StyleSettings,
    TrackStyle,
    preset_for_language,
    profile_for,
)
from editor.qt.controller import Controller
from editor.qt.settings import AUTOSAVE_DELAY_RANGE_MS, WAVEFORM_CACHE_RANGE_MB, Key, Settings


@record
class PreferencesContext:
    """What a preferences page may use: the controller (document, style settings), the
    settings file, and callbacks the window gives for what applies live outside them."""

    controller: Controller
    settings: Settings
    autosave_delay_changed: Callable[[int], None] = lambda _ms: None
    waveform_cache_changed: Callable[[], None] = lambda: None
    extra: dict[str, object] = field(default_factory=dict)


PageFactory = Callable[[PreferencesContext], QWidget]

_PAGES: list[tuple[int, str, PageFactory]] = []


def register_page(title: str, factory: PageFactory, *, order: int = 100) -> None:
    """Add a page to every Preferences dialog opened from now on (pages sort by `order`,
    then by title). `factory(context)` returns the page's widget; the page applies and
    stores its own changes as they are made."""
    _PAGES[:] = [p for p in _PAGES if p[1] != title]
    _PAGES.append((order, title, factory))
    _PAGES.sort(key=lambda p: (p[0], p[1]))


def unregister_page(title: str) -> None:
    """Remove a page from dialogs opened from now on (nothing when there is none)."""
    _PAGES[:] = [p for p in _PAGES if p[1] != title]


def pages() -> list[tuple[str, PageFactory]]:
    """Return the registered pages as (title, factory), in order."""
    return [(title, factory) for _, title, factory in _PAGES]


# -- the style page --------------------------------------------------------------------------------

# (field, label, suffix, minimum, maximum, decimals; 0 decimals: an integer field)
_FIELDS: tuple[tuple[str, str, str, float, float, int], ...] = (
    ("max_cps", "Reading speed", " chars/s", 1.0, 100.0, 1),
    ("max_chars", "Characters per line", "", 4, 200, 0),
    ("max_lines", "Lines per cue", "", 1, 10, 0),
    ("min_duration_ms", "Shortest duration", " ms", 0, 60_000, 0),
    ("max_duration_ms", "Longest duration", " ms", 100, 600_000, 0),
    ("min_gap_ms", "Minimum gap", " ms", 0, 10_000, 0),
    ("frame_rate", "Frame rate (no media)", " fps", 1.0, 300.0, 3),
)


_TIMING_FIELDS = ("min_duration_ms", "max_duration_ms", "min_gap_ms", "frame_rate")


class TrackStyleBox(QGroupBox):
    """The preset and limits of one track. Every change calls `changed(track, TrackStyle)`."""

    def __init__(
        self,
        track: str,
        title: str,
        style: TrackStyle,
        language: str | None,
        changed: Callable[[str, TrackStyle], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self.setObjectName(f"style_{track}")
        self.track = track
        self.language = language
        self._changed = changed
        self._loading = False
        form = QFormLayout(self)
        self.preset = QComboBox(self)
        self.preset.setObjectName(f"preset_{track}")
        auto = PRESET_NAMES[preset_for_language(language)] if language else self.tr("default")
        self.preset.addItem(self.tr("Auto: by the track's language ({preset})").format(preset=auto), AUTO)
        for preset_id, name in PRESET_NAMES.items():
            self.preset.addItem(self.tr(name), preset_id)
        self.preset.setAccessibleName(self.tr("Style preset"))
        form.addRow(self.tr("Preset"), self.preset)
        self.fields: dict[str, QSpinBox | QDoubleSpinBox] = {}
        for name, label, suffix, low, high, decimals in _FIELDS:
            box: QSpinBox | QDoubleSpinBox
            if decimals:
                box = QDoubleSpinBox(self)
                box.setDecimals(decimals)
            else:
                box = QSpinBox(self)
            box.setObjectName(f"{name}_{track}")
            box.setRange(low, high)  # type: ignore[arg-type]
            box.setSuffix(suffix)
            box.setAccessibleName(self.tr(label))
            box.setKeyboardTracking(False)  # apply a typed number when it is complete
            form.addRow(self.tr(label), box)
            self.fields[name] = box
            box.valueChanged.connect(self._on_field)
        if track == TRANSLATION:
            # Both tracks share the cues' times: the source track's timing limits apply.
            shared = self.tr("Both tracks share the times: the source track's limit applies")
            for name in _TIMING_FIELDS:
                self.fields[name].setEnabled(False)
                self.fields[name].setToolTip(shared)
        self.reset = QPushButton(self.tr("Reset to the preset"), self)
        self.reset.clicked.connect(self._on_reset)
        form.addRow("", self.reset)
        self._style = style
        self._show(style)
        self.preset.currentIndexChanged.connect(self._on_preset)

    def base(self) -> StyleProfile:
        """Return the preset's profile, before the user's changes."""
        preset = self._style.preset
        return PRESETS[preset] if preset in PRESETS else profile_for(self.language, None, self.track)

    def _show(self, style: TrackStyle) -> None:
        self._loading = True
        self._style = style
        self.preset.setCurrentIndex(max(0, self.preset.findData(style.preset)))
        profile = profile_for(self.language, StyleSettings().with_track(self.track, style), self.track)
        for name, box in self.fields.items():
            box.setValue(getattr(profile, name))
        self.reset.setEnabled(bool(style.overrides))
        self._loading = False

    def _on_preset(self) -> None:
        if self._loading:
            return
        # A new preset brings its own numbers: the changes made to the old one go.
        self._emit(TrackStyle(self.preset.currentData()))

    def _on_field(self) -> None:
        if self._loading:
            return
        base = self.base()
        overrides = {}
        for name, box in self.fields.items():
            value = box.value()
            if abs(value - getattr(base, name)) > 1e-9:
                overrides[name] = value
        self._emit(TrackStyle(self._style.preset, overrides))

    def _on_reset(self) -> None:
        self._emit(TrackStyle(self._style.preset))

    def _emit(self, style: TrackStyle) -> None:
        self._show(style)
        self._changed(self.track, style)


class StylePage(QWidget):
    """Style limits of the source track and the translation, applied as they change."""

    def __init__(self, context: PreferencesContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stylePage")
        self.context = context
        doc = context.controller.document
        styles = context.controller.styles
        layout = QVBoxLayout(self)
        note = QLabel(
            self.tr(
                "Limits for QC tints, the status bar count, segmentation, timing tools and the export "
                "check. Auto uses the Netflix preset of each track's language; in Chinese, Japanese "
                "and Korean presets half-width characters count half."
            ),
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        row = QHBoxLayout()
        self.source = TrackStyleBox(
            SOURCE, self.tr("Source track"), styles.source, doc.source_language, self._changed, self
        )
        self.translation = TrackStyleBox(
            TRANSLATION,
            self.tr("Translation"),
            styles.translation,
            doc.translation_language,
            self._changed,
            self,
        )
        row.addWidget(self.source)
        row.addWidget(self.translation)
        layout.addLayout(row)
        layout.addStretch(1)

    def _changed(self, track: str, style: TrackStyle) -> None:
        controller, settings = self.context.controller, self.context.settings
        styles = controller.styles.with_track(track, style)
        settings.set(Key.STYLES, styles.to_dict())
        settings.sync()
        controller.set_styles(styles)


# -- the general page ---------------------------------------------------------------------------------


class GeneralPage(QWidget):
    """Autosave delay and waveform cache size."""

    def __init__(self, context: PreferencesContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("generalPage")
        self.context = context
        settings = context.settings
        form = QFormLayout(self)
        self.autosave = QDoubleSpinBox(self)
        self.autosave.setObjectName("autosaveDelay")
        low, high = AUTOSAVE_DELAY_RANGE_MS
        self.autosave.setRange(low / 1000, high / 1000)
        self.autosave.setDecimals(1)
        self.autosave.setSuffix(" s")
        self.autosave.setKeyboardTracking(False)
        self.autosave.setValue(max(low, min(high, settings.get(Key.AUTOSAVE_DELAY_MS))) / 1000)
        self.autosave.setToolTip(self.tr("Unsaved work goes to the recovery folder this long after an edit"))
        self.autosave.valueChanged.connect(self._on_autosave)
        form.addRow(self.tr("Autosave after"), self.autosave)
        self.cache = QSpinBox(self)
        self.cache.setObjectName("waveformCache")
        self.cache.setRange(*WAVEFORM_CACHE_RANGE_MB)
        self.cache.setSuffix(" MB")
        self.cache.setKeyboardTracking(False)
        self.cache.setValue(settings.get(Key.WAVEFORM_CACHE_MB))
        self.cache.setToolTip(self.tr("Decoded waveforms kept on disk; the least recently used go first"))
        self.cache.valueChanged.connect(self._on_cache)
        form.addRow(self.tr("Waveform cache"), self.cache)

    def _on_autosave(self, seconds: float) -> None:
        ms = round(seconds * 1000)
        self.context.settings.set(Key.AUTOSAVE_DELAY_MS, ms)
        self.context.settings.sync()
        self.context.autosave_delay_changed(ms)

    def _on_cache(self, megabytes: int) -> None:
        self.context.settings.set(Key.WAVEFORM_CACHE_MB, megabytes)
        self.context.settings.sync()
        self.context.waveform_cache_changed()


register_page("Style limits", StylePage, order=10)
register_page("General", GeneralPage, order=20)


class PreferencesDialog(QDialog):
    """The Preferences dialog: one tab per registered page; changes apply as they are made."""

    def __init__(self, context: PreferencesContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(self.tr("Preferences"))
        self.context = context
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.pages: dict[str, QWidget] = {}
        for title, factory in pages():
            page = factory(context)
            self.pages[title] = page
            self.tabs.addTab(page, self.tr(title))
        layout.addWidget(self.tabs)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, Qt.Orientation.Horizontal, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
