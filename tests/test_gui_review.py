"""Translation review: review mode, the needs-review filter, the attach preview and the language override."""

from __future__ import annotations

import pytest
from conftest import seed_path
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from editor.core import alignment
from editor.core.model import Review
from editor.qt.actions import ActionId
from editor.qt.views import language_dialog, translation_preview
from editor.qt.views.review_panel import ReviewMode


@pytest.fixture
def reviewed_window(window):
    """Seed 000 opened with seed 001 attached as its translation (opened state, no undo step)."""
    window.open_path(str(seed_path("000")), str(seed_path("001")), wait=True)
    return window


def _needing(doc) -> list[int]:
    return [c.id for c in doc.cues if c.review == Review.NEEDS_REVIEW]


def test_review_mode_ctrl_enter_marks_reviewed_moves_on_and_undoes(qtbot, reviewed_window):
    win = reviewed_window
    doc = win.controller.document
    translated = [c for c in doc.cues if c.translation.strip()]
    assert translated and all(c.review == Review.NEEDS_REVIEW for c in translated)
    before = doc.snapshot()
    mode = win.parts[ReviewMode]
    panel = mode.panel

    # The menu action (F7) switches the mode: the panel replaces the edit panel.
    action = win.actions[ActionId.REVIEW_MODE]
    assert action.shortcut().toString() == "F7"
    assert action in win.menus["Review"].actions()
    action.trigger()
    assert mode.active and panel.isVisible() and not win.edit_panel.isVisible()
    first = doc.cues[0]
    assert panel.cue_id == first.id
    assert panel.source.toPlainText() == first.text
    assert panel.translation.toPlainText() == first.translation
    assert panel.speaker.text() == doc.speaker_name(first.speaker_id)
    assert panel.progress_text() == f"0 of {len(translated)} reviewed"

    qtbot.keyClick(panel, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert doc.cue(first.id).review == Review.REVIEWED
    second = _needing(doc)[0]
    assert win.controller.current_id == second == panel.cue_id
    assert panel.progress_text() == f"1 of {len(translated)} reviewed"
    assert panel.state.text() == panel.tr("Needs review")

    # From the translation editor too (the editor must not swallow it as a newline).
    panel.translation.setFocus()
    text_before = doc.cue(second).translation
    qtbot.keyClick(panel.translation, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert doc.cue(second).review == Review.REVIEWED
    assert doc.cue(second).translation == text_before
    assert panel.progress_text() == f"2 of {len(translated)} reviewed"

    # Send the second one back; then undo everything, step by step.
    win.controller.select([second], second)
    qtbot.keyClick(
        panel, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    assert doc.cue(second).review == Review.NEEDS_REVIEW
    assert panel.progress_text() == f"1 of {len(translated)} reviewed"
    stack = win.controller.undo_stack
    assert stack.count() == 3
    while stack.canUndo():
        stack.undo()
    assert doc.snapshot() == before
    assert panel.progress_text() == f"0 of {len(translated)} reviewed"
    stack.redo()
    assert doc.cue(first.id).review == Review.REVIEWED

    action.trigger()
    assert not mode.active and not panel.isVisible() and win.edit_panel.isVisible()


def test_review_typing_is_one_undo_step_per_burst(qtbot, reviewed_window):
    win = reviewed_window
    doc = win.controller.document
    win.parts[ReviewMode].set_active(True)
    panel = win.parts[ReviewMode].panel
    cue = doc.cues[0]
    original = cue.translation
    panel.translation.setFocus()
    panel.translation.moveCursor(panel.translation.textCursor().MoveOperation.End)
    qtbot.keyClicks(panel.translation, "OK")
    assert doc.cue(cue.id).translation == original + "OK"
    assert win.controller.undo_stack.count() == 1
    win.controller.undo_stack.undo()
    assert doc.cue(cue.id).translation == original
    assert panel.translation.toPlainText() == original


def test_next_and_previous_needing_review_wrap_and_skip_reviewed(reviewed_window):
    win = reviewed_window
    doc = win.controller.document
    panel = win.parts[ReviewMode].panel
    ids = _needing(doc)
    win.controller.select([ids[0]], ids[0])
    win.actions[ActionId.NEXT_NEEDS_REVIEW].trigger()
    assert win.controller.current_id == ids[1]
    win.actions[ActionId.PREV_NEEDS_REVIEW].trigger()
    win.actions[ActionId.PREV_NEEDS_REVIEW].trigger()  # wraps to the last one
    assert win.controller.current_id == ids[-1]
    # Marking (from the table, outside review mode) skips cues already reviewed.
    win.controller.select([ids[0]], ids[0])
    win.actions[ActionId.MARK_REVIEWED].trigger()
    assert win.controller.current_id == ids[1]
    win.controller.select([ids[2]], ids[2])
    win.actions[ActionId.MARK_REVIEWED].trigger()
    win.controller.select([ids[1]], ids[1])
    win.actions[ActionId.MARK_REVIEWED].trigger()
    assert win.controller.current_id == ids[3]
    assert panel.progress_text() == f"3 of {len(ids)} reviewed"


def test_needs_review_filter_shows_only_those_rows(qtbot, reviewed_window):
    win = reviewed_window
    doc = win.controller.document
    panel = win.parts[ReviewMode].panel
    for _ in range(3):
        panel.show_cue(win.controller.current_id)
        panel.mark_reviewed()
    needing = _needing(doc)
    untranslated = [c for c in doc.cues if not c.translation]
    assert 0 < len(needing) == len(doc) - 3 - len(untranslated)
    pane = win.table_pane
    win.actions[ActionId.FILTER_NEEDS_REVIEW].trigger()  # the Review menu entry ticks the filter bar's box
    assert pane.filter_bar.needs_review.isChecked()
    qtbot.waitUntil(lambda: pane.view.model().rowCount() == len(needing))
    from editor.qt.cue_model import CUE_ID_ROLE

    model = pane.view.model()
    shown = [model.index(r, 0).data(CUE_ID_ROLE) for r in range(model.rowCount())]
    assert shown == needing
    pane.filter_bar.needs_review.setChecked(False)
    assert not win.actions[ActionId.FILTER_NEEDS_REVIEW].isChecked()
    qtbot.waitUntil(lambda: pane.view.model().rowCount() == len(doc))


def test_attach_preview_reports_the_plan_and_cancel_changes_nothing(qtbot, window, monkeypatch):
    window.open_path(str(seed_path("000")), wait=True)
    doc = window.controller.document
    before = doc.snapshot()
    other = alignment.read_translation(seed_path("001"))
    plan = alignment.align(doc, other, carry_speakers=True)
    seen: list[translation_preview.TranslationPreviewDialog] = []

    def cancel(dialog):
        seen.append(dialog)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(translation_preview.TranslationPreviewDialog, "exec", cancel)
    assert window.attach_translation(str(seed_path("001"))) is False
    assert doc.snapshot() == before and window.controller.undo_stack.count() == 0
    dialog = seen[0]
    counts = dialog.counts.text()
    assert f"{plan.cues_with_text} of {len(doc)} cues get a translation" in counts
    assert f"{plan.leftover_sentences} of {plan.translation_sentences} translation sentences" in counts
    assert dialog.leftovers.count() == len(plan.leftovers) > 0
    first_run = plan.leftovers[0]
    assert first_run.preview in dialog.leftovers.item(0).text()
    assert "length alignment" in dialog.method.text()
    # The pairs table shows what each cue gets, and the leftovers where they fall.
    rows = dialog.pair_rows()
    assert dialog.pairs.rowCount() == len(rows) == len(doc) + len(plan.leftovers)
    first_cue = next(r for r in rows if r[0] == "1")
    assert first_cue[2] == plan.pairs[doc.cues[0].id]
    assert dialog.pairs.item(rows.index(first_cue), 2).text() == first_cue[2]
    first_left = plan.leftovers[0]
    assert first_left.speaker  # the host's introduction, said by the host
    assert rows[0][0] == "left over"
    assert rows[0][2].startswith(f"{first_left.speaker}: {first_left.text[:60]}")
    assert f"said by {first_left.speaker}" in dialog.leftovers.item(0).text()
    # 001 has speakers and 000 none: the carry box is offered, and ticked as in the plan.
    assert dialog.carry is not None and dialog.carry.isChecked()


def test_attach_preview_ok_applies_one_step_and_carry_box_reruns(qtbot, window, monkeypatch):
    window.open_path(str(seed_path("000")), wait=True)
    doc = window.controller.document
    before = doc.snapshot()
    assert not doc.speakers

    def untick_and_accept(dialog):
        dialog.carry.setChecked(False)  # re-runs the alignment without speakers
        assert not dialog.plan.speakers
        assert "get a speaker" not in dialog.counts.text()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(translation_preview.TranslationPreviewDialog, "exec", untick_and_accept)
    assert window.attach_translation(str(seed_path("001"))) is True
    assert window.controller.undo_stack.count() == 1
    assert sum(1 for c in doc.cues if c.translation) > 0
    assert not doc.speakers and all(c.speaker_id is None for c in doc.cues)
    window.controller.undo_stack.undo()
    assert doc.snapshot() == before


def test_language_override_is_one_undo_step(qtbot, reviewed_window, monkeypatch):
    win = reviewed_window
    doc = win.controller.document
    detected = (doc.source_language, doc.translation_language)
    assert detected[0] == "en" and (detected[1] or "").startswith("zh")

    def choose(dialog):
        assert dialog.source.currentText() == detected[0]  # prefilled with what is there
        dialog.source.setCurrentText("en-GB")
        dialog.translation.setCurrentText("zh-Hant")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(language_dialog.LanguageDialog, "exec", choose)
    win.actions[ActionId.SET_LANGUAGES].trigger()
    assert (doc.source_language, doc.translation_language) == ("en-gb", "zh-hant")
    win._update_status()
    assert win.status_languages.text() == "en-gb → zh-hant"
    assert win.controller.undo_stack.count() == 1
    win.controller.undo_stack.undo()
    assert (doc.source_language, doc.translation_language) == detected


def test_language_dialog_refuses_a_bad_code_and_clicking_the_label_opens_it(
    qtbot, reviewed_window, monkeypatch
):
    win = reviewed_window
    doc = win.controller.document
    opened: list[language_dialog.LanguageDialog] = []

    def bad_then_cancel(dialog):
        opened.append(dialog)
        dialog.source.setCurrentText("english please")
        dialog.accept()
        assert dialog.result() != QDialog.DialogCode.Accepted  # stays open with the reason
        assert "not a language code" in dialog.error.text()
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(language_dialog.LanguageDialog, "exec", bad_then_cancel)
    qtbot.mouseClick(win.status_languages, Qt.MouseButton.LeftButton)
    assert len(opened) == 1
    assert doc.source_language == "en" and win.controller.undo_stack.count() == 0


def test_progress_counts_follow_typing_a_translation_into_an_untranslated_cue(qtbot, window):
    window.open_path(str(seed_path("000")), wait=True)
    doc = window.controller.document
    panel = window.parts[ReviewMode].panel
    assert panel.progress_text() == panel.tr("No translation yet (File → Open Translation…)")
    window.parts[ReviewMode].set_active(True)
    cue = doc.cues[0]
    window.controller.select([cue.id], cue.id)
    panel.translation.setFocus()
    qtbot.keyClicks(panel.translation, "Bonjour")
    assert doc.cue(cue.id).review == Review.NEEDS_REVIEW
    assert panel.progress_text() == "0 of 1 reviewed"
    qtbot.keyClick(panel.translation, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert doc.cue(cue.id).review == Review.REVIEWED
    assert panel.progress_text() == "1 of 1 reviewed"


def test_hidden_review_panel_fills_when_shown_and_never_writes_stale_text(qtbot, reviewed_window):
    # Outside review mode the panel's boxes are not filled (nobody sees them); turning review
    # mode on shows the current cue, and a stale box never types into the document.
    win = reviewed_window
    doc = win.controller.document
    mode = win.parts[ReviewMode]
    panel = mode.panel
    translated = [c for c in doc.cues if c.translation.strip()]
    first, second = translated[0], translated[1]
    win.controller.select([first.id], first.id)
    mode.set_active(True)
    assert panel.translation.toPlainText() == first.translation
    mode.set_active(False)
    win.controller.select([second.id], second.id)
    assert panel.cue_id == second.id  # the marks follow the current cue while hidden
    assert panel.translation.toPlainText() == first.translation  # not filled: nobody sees it
    panel.translation.document().setModified(True)
    panel.translation.textChanged.emit()  # a re-highlight's signal: no edit from a stale box
    assert win.controller.undo_stack.count() == 0
    mode.set_active(True)
    assert panel.translation.toPlainText() == second.translation
    assert panel.source.toPlainText() == second.text
    assert win.controller.undo_stack.count() == 0
    assert doc.cue(second.id).translation == second.translation
