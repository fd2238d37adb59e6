"""Line layout in the window: Rebalance/Unbreak actions, split with the translation cursor,
the export dialog's speaker styles, and the seeds opened with their translation."""

from __future__ import annotations

import pytest
from conftest import make_window, seed_path
from PySide6.QtWidgets import QInputDialog, QToolBar

from editor.core import layout
from editor.core.model import Document
from editor.qt.actions import ActionId
from editor.qt.views.line_layout import LineLayoutActions


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    return make_window(qtbot, tmp_path, monkeypatch, size=(1400, 900), show=True)


def _doc() -> Document:
    doc = Document()
    doc.source_language, doc.translation_language = "en", "zh"
    doc.append(
        doc.new_cue(
            0,
            4000,
            "We have been trying\nto make the models better at solving math problems",
            translation="咱们一直在努力让模子更好地不停数学问题，这只是一个例子。",
        )
    )
    doc.append(doc.new_cue(4100, 8000, "Short.", translation="短。"))
    return doc


def _show(window, doc: Document) -> None:
    window.controller.set_document(doc)
    window.controller.select([doc.cues[0].id], doc.cues[0].id)


def test_rebalance_and_unbreak_are_one_undo_step_each(window):
    doc = _doc()
    _show(window, doc)
    for action_id in (ActionId.REBALANCE_LINES, ActionId.UNBREAK_LINES, ActionId.REBALANCE_ALL):
        action = window.actions[action_id]
        assert action.isEnabled() and action.text()
    assert window.actions[ActionId.REBALANCE_LINES].shortcut().toString() == "Ctrl+B"
    assert window.actions[ActionId.REBALANCE_LINES] in window.parts[QToolBar].actions()
    window.table_pane.setFocus()
    before = doc.snapshot()
    window.actions[ActionId.REBALANCE_LINES].trigger()
    assert window.controller.undo_stack.count() == 1
    cue = doc.cues[0]
    assert cue.text == "We have been trying to make the models\nbetter at solving math problems"
    assert cue.translation.count("\n") == 1  # both tracks
    assert window.edit_panel.translation.toPlainText() == cue.translation  # the panel shows it
    window.actions[ActionId.UNBREAK_LINES].trigger()
    assert window.controller.undo_stack.count() == 2
    assert "\n" not in doc.cues[0].text and "\n" not in doc.cues[0].translation
    window.controller.undo_stack.undo()
    window.controller.undo_stack.undo()
    assert doc.snapshot() == before


def test_rebalance_acts_on_the_focused_track(window, qtbot):
    doc = _doc()
    _show(window, doc)
    window.edit_panel.translation.setFocus()
    qtbot.waitUntil(lambda: window.edit_panel.translation.hasFocus())
    window.actions[ActionId.REBALANCE_LINES].trigger()
    assert doc.cues[0].text.startswith("We have been trying\n")  # the source is left alone
    assert doc.cues[0].translation.count("\n") == 1


def test_rebalance_all_asks_for_the_track(window, monkeypatch):
    doc = _doc()
    for cue in doc.cues:
        cue.translation = cue.translation.replace("模子", "模子\n")
    _show(window, doc)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Translation", True))
    window.actions[ActionId.REBALANCE_ALL].trigger()
    assert doc.cues[0].text.startswith("We have been trying\n")
    profile = layout.track_profile(doc, "translation")
    assert all(layout.fits(c.translation, profile) for c in doc.cues)
    assert window.controller.undo_stack.count() == 1


def _many() -> Document:
    # The benchmark's mix (English, Chinese, both in one cue, speaker names) as read from a
    # file: lines as the file had them, languages unknown.
    from benchmarks.bench_linebreak import _texts

    doc = Document()
    for i, text in enumerate(_texts(6000)):
        doc.append(doc.new_cue(i * 2000, i * 2000 + 1800, text))
    return doc


def test_rebalance_all_of_many_cues_runs_on_a_worker_and_is_one_undo_step(window, qtbot, monkeypatch):
    from editor.qt import workers

    doc = _many()
    expected = layout.rebalance_lines(doc, None, "both")  # what the core decides, worked out here
    window.controller.set_document(doc)
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=60_000)  # the table's own work
    before = doc.snapshot()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Source and translation", True))
    window.actions[ActionId.REBALANCE_ALL].trigger()
    # The trigger returned with nothing changed yet: the layouts are being worked out away
    # from the window's thread, which goes on (a second Rebalance is turned away meanwhile).
    assert window.parts[LineLayoutActions].task is not None
    assert workers.running_count() == 1 and doc.snapshot() == before
    window.actions[ActionId.REBALANCE_ALL].trigger()
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=60_000)
    assert window.controller.undo_stack.count() == 1
    changed = expected.edits[0].values
    assert len(changed) > 1000
    assert all(doc.cue(i).text == text for i, text in changed.items())
    window.controller.undo_stack.undo()
    assert doc.snapshot() == before
    window.controller.undo_stack.redo()
    assert all(doc.cue(i).text == text for i, text in changed.items())


def test_a_cue_edited_while_its_lines_are_laid_out_keeps_the_edit(window, qtbot, monkeypatch):
    from editor.core import edits
    from editor.qt import workers

    doc = _many()
    expected = layout.rebalance_lines(doc, None, "text").edits[0].values
    window.controller.set_document(doc)
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=60_000)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Source", True))
    window.actions[ActionId.REBALANCE_ALL].trigger()
    assert window.parts[LineLayoutActions].task is not None
    edited = next(iter(expected))
    window.controller.apply(edits.SetCueValues("text", {edited: "Typed meanwhile."}), "Edit text")
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=60_000)
    assert doc.cue(edited).text == "Typed meanwhile."
    assert window.controller.undo_stack.count() == 2
    assert all(doc.cue(i).text == text for i, text in expected.items() if i != edited)


def test_split_with_the_cursor_in_the_translation(window, qtbot):
    doc = _doc()
    _show(window, doc)
    box = window.edit_panel.translation
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    cursor = box.textCursor()
    cursor.setPosition(len("咱们一直在努力让模子"))
    box.setTextCursor(cursor)
    window.actions[ActionId.SPLIT].trigger()
    first, second = doc.cues[0], doc.cues[1]
    assert first.translation == "咱们一直在努力让模子"
    assert second.translation.startswith("更好地")
    assert (
        first.text
        and second.text
        and (first.text + " " + second.text).split()
        == ("We have been trying to make the models better at solving math problems".split())
    )


def test_export_dialog_offers_only_what_the_format_holds(window):
    from editor.qt.views.dialogs import ExportDialog

    doc = _doc()
    dialog = ExportDialog(doc, "/tmp/talk.srt", {"format": "srt", "speakers": "voice"}, window)
    srt = [dialog.speakers.itemData(i) for i in range(dialog.speakers.count())]
    assert "voice" not in srt and "both" not in srt and srt[0] == "changes"
    assert dialog.choice().speakers == "changes"  # SRT's default
    dialog.format.setCurrentIndex(dialog.format.findData("vtt"))
    vtt = [dialog.speakers.itemData(i) for i in range(dialog.speakers.count())]
    assert vtt[0] == "voice" and "changes" in vtt


def test_seeds_open_with_the_translation_laid_out(window):
    assert window.open_path(str(seed_path("000")), translation=str(seed_path("001")), wait=True)
    doc = window.controller.document
    profile = layout.track_profile(doc, "translation")
    assert profile.max_chars == 16 and profile.cjk
    broken = [c for c in doc.cues if "\n" in c.translation]
    assert len(broken) > 20
    window.controller.select([broken[0].id], broken[0].id)
    assert window.edit_panel.translation.toPlainText() == broken[0].translation
    assert all(c.translation.count("\n") <= 1 for c in doc.cues)


def test_resegment_with_a_translation_is_one_undo_step(window):
    assert window.open_path(str(seed_path("000")), translation=str(seed_path("001")), wait=True)
    doc = window.controller.document
    ids = [c.id for c in doc.cues[:4]]
    translation = "".join("".join(doc.cue(i).translation.split()) for i in ids)
    window.controller.select(ids, ids[0])
    before = doc.snapshot()
    window.actions[ActionId.RESEGMENT].trigger()
    assert window.controller.undo_stack.count() == 1, window.statusBar().currentMessage()
    new_ids = window.controller.selected_ids
    assert "".join("".join(doc.cue(i).translation.split()) for i in new_ids) == translation
    window.controller.undo_stack.undo()
    assert doc.snapshot() == before


def test_insert_between_packed_cues_of_the_seeds(window):
    assert window.open_path(str(seed_path("000")), translation=str(seed_path("001")), wait=True)
    doc = window.controller.document
    current = doc.cues[3].id
    window.controller.select([current], current)
    count = len(doc)
    window.actions[ActionId.INSERT_AFTER].trigger()
    assert window.controller.undo_stack.count() == 1, window.statusBar().currentMessage()
    assert len(doc) == count + 1 and doc.row_of(window.controller.current_id) == 4


def test_attaching_the_seed_translation_splits_what_cannot_fit_in_one_undo_step(window, tmp_path):
    import shutil

    source = tmp_path / "source.txt"
    translation = tmp_path / "translation.txt"
    shutil.copy(seed_path("000"), source)
    shutil.copy(seed_path("001"), translation)
    assert window.open_path(str(source), wait=True)
    doc = window.controller.document
    count = len(doc)
    assert window.attach_translation(str(translation), ask=False)
    assert window.controller.undo_stack.count() == 1
    assert len(doc) > count and window.table_pane.model.rowCount() == len(doc)
    profile = layout.track_profile(doc, "translation")
    assert all(layout.fits(c.translation, profile) for c in doc.cues)
    window.controller.undo_stack.undo()
    assert len(doc) == count and not any(c.translation for c in doc.cues)
    assert window.table_pane.model.rowCount() == count
