"""Edit → Preferences: a limit changed in the dialog applies at once (the table's tint, the
status bar count) and is kept in the settings file; pages come from a registry."""

from __future__ import annotations

from conftest import make_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from editor.core.model import Document
from editor.core.style import StyleSettings
from editor.qt.actions import ActionId
from editor.qt.cue_model import Column
from editor.qt.settings import Key, Settings
from editor.qt.views import preferences


def _english(window, qtbot) -> Document:
    doc = Document(source_language="en")
    doc.append(doc.new_cue(0, 2000, "a" * 36))  # 18 characters a second: fine for English (20)
    doc.append(doc.new_cue(3000, 5000, "ok"))
    window.controller.set_document(doc)
    model = window.table_pane.model
    qtbot.waitUntil(lambda: model.qc.index is not None, timeout=5000)
    return doc


def _open(window):
    action = window.actions[ActionId.PREFERENCES]
    assert action in window.menus["Edit"].actions()
    keys = [seq.toString() for seq in action.shortcuts()]
    assert "Ctrl+," in keys  # Cmd+, on macOS; a key that also works on Linux and Windows
    action.trigger()
    dialog = window.preferences_dialog
    assert dialog.isVisible()
    return dialog


def test_changing_the_cps_limit_retints_the_cue_and_updates_the_count(qtbot, window):
    _english(window, qtbot)
    model = window.table_pane.model
    cps_cell = model.index(0, Column.CPS)
    assert cps_cell.data(Qt.ItemDataRole.BackgroundRole) is None
    count_before = model.qc.count()

    dialog = _open(window)
    page = dialog.pages["Style limits"]
    box = page.source.fields["max_cps"]
    assert box.value() == 20.0  # the English preset, by the document's language
    box.setValue(15.0)
    assert cps_cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.qc.count() == count_before + 1
    qtbot.waitUntil(lambda: str(count_before + 1) in window.status_qc.text(), timeout=2000)

    # Kept in the settings file, as an override of the Auto preset of the source track.
    stored = StyleSettings.from_dict(Settings(window.settings.path).get(Key.STYLES))
    assert stored.source.overrides == {"max_cps": 15.0}
    # Reset brings the preset's number back, and the tint goes.
    page.source.reset.click()
    assert box.value() == 20.0
    assert cps_cell.data(Qt.ItemDataRole.BackgroundRole) is None


def test_a_preset_choice_applies_to_its_track_only(qtbot, window):
    doc = _english(window, qtbot)
    dialog = _open(window)
    page = dialog.pages["Style limits"]
    combo = page.source.preset
    combo.setCurrentIndex(combo.findData("en-children"))  # 17 characters a second
    assert window.controller.style().max_cps == 17.0
    assert window.controller.style("translation").max_cps == 17.0  # untouched: default preset
    assert page.source.fields["max_cps"].value() == 17.0
    problems = window.table_pane.model.qc.problems_for(doc.cues[0].id)
    assert "cps" in [p.check for p in problems]


def test_general_page_sets_autosave_and_waveform_cache(qtbot, window):
    dialog = _open(window)
    page = dialog.pages["General"]
    page.autosave.setValue(2.5)
    assert window.autosaver.delay_ms == 2500
    page.cache.setValue(64)
    assert window.settings.get(Key.AUTOSAVE_DELAY_MS) == 2500
    assert window.settings.get(Key.WAVEFORM_CACHE_MB) == 64


def test_settings_persist_into_a_new_window(qtbot, tmp_path, monkeypatch, window):
    _english(window, qtbot)
    dialog = _open(window)
    dialog.pages["Style limits"].translation.fields["max_chars"].setValue(30)
    dialog.close()
    again = make_window(qtbot, tmp_path, monkeypatch)
    assert again.controller.styles.translation.overrides == {"max_chars": 30}


def test_features_add_pages_through_the_registry(qtbot, window):
    def keyboard(context: preferences.PreferencesContext) -> QLabel:
        return QLabel(f"{len(context.controller.document)} cues")

    preferences.register_page("Keyboard", keyboard, order=30)
    try:
        dialog = _open(window)
        titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
        assert titles == ["Style limits", "General", "Keyboard"]
    finally:
        preferences.unregister_page("Keyboard")
