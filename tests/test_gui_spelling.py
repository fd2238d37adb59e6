"""Spelling in the window: underlines in the editors, the context menu, one undo step, the dialog."""

from __future__ import annotations

import pytest

from editor.core import spelling
from editor.core.model import Cue, Document
from editor.qt.views.spelling_feature import SpellingFeature


@pytest.fixture(autouse=True)
def _english_loaded():
    spelling.STORE.get("en", block=True)  # the GUI thread never waits for it


def _doc() -> Document:
    doc = Document(source_language="en")
    doc.append(Cue(1, 0, 2000, "A reasonning model thinks"))
    doc.append(Cue(2, 3000, 5000, "Another reasonning step"))
    doc.append(Cue(3, 6000, 8000, "All is well"))
    return doc


def _underlined(editor) -> list[str]:
    out = []
    block = editor.document().begin()
    while block.isValid():
        for r in block.layout().formats():
            if r.format.underlineStyle() != r.format.UnderlineStyle.NoUnderline:
                out.append(block.text()[r.start : r.start + r.length])
        block = block.next()
    return out


def _load(window, doc):
    window.controller.set_document(doc)
    window.controller.select([1], 1)


def test_edit_panel_underlines_and_context_menu_replaces_in_one_undo_step(window, qtbot):
    _load(window, _doc())
    editor = window.edit_panel.text
    qtbot.waitUntil(lambda: _underlined(editor) == ["reasonning"], timeout=5000)
    hook = next(h for h in window.parts[SpellingFeature].hooks if h.editor is editor)
    menu = hook.build_menu(4)
    # The session's first suggestions come from a worker (Hunspell's suggester loads there).
    qtbot.waitUntil(lambda: menu.actions()[0].text() != "Looking for suggestions…", timeout=10000)
    labels = [a.text() for a in menu.actions()]
    assert labels[0] == "reasoning"
    assert "Add “reasonning” to Dictionary" in labels and "Ignore All" in labels
    stack = window.controller.undo_stack
    before = stack.count()
    menu.actions()[0].trigger()
    assert window.controller.document.cue(1).text == "A reasoning model thinks"
    assert stack.count() == before + 1
    stack.undo()
    assert window.controller.document.cue(1).text == "A reasonning model thinks"
    # A word being typed is left alone; once finished it is checked at once.
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " teh")
    assert "teh" not in _underlined(editor)
    qtbot.keyClicks(editor, " ")
    assert "teh" in _underlined(editor)
    qtbot.keyClicks(editor, "wrold")
    editor.moveCursor(editor.textCursor().MoveOperation.Start)  # leaving the word checks it
    assert "wrold" in _underlined(editor)


def test_ignore_all_is_kept_in_the_document_and_clears_qc(window, qtbot):
    _load(window, _doc())
    qc = window.table_pane.model.qc
    qtbot.waitUntil(lambda: qc.index is not None and qc.index.counts().get("spelling") == 2, timeout=10000)
    window.parts[SpellingFeature].service.ignore_all("reasonning")
    assert window.controller.document.spelling_ignore == ("reasonning",)
    qtbot.waitUntil(lambda: "spelling" not in qc.index.counts(), timeout=10000)
    assert _underlined(window.edit_panel.text) == []
    assert window.parts[SpellingFeature].status.text().startswith("Spelling: 0")


def test_spelling_dialog_walks_words_and_replace_all(window, qtbot):
    _load(window, _doc())
    feature = window.parts[SpellingFeature]
    feature.action.trigger()
    dialog = feature.dialog
    assert dialog.current is not None and dialog.current[2].word == "reasonning"
    qtbot.waitUntil(lambda: dialog.suggestions.count() > 0, timeout=10000)
    assert dialog.suggestions.item(0).text() == "reasoning"
    dialog.replace_all()
    doc = window.controller.document
    assert doc.cue(1).text == "A reasoning model thinks" and doc.cue(2).text == "Another reasoning step"
    assert dialog.current is None  # nothing left
    window.controller.undo_stack.undo()  # one step undoes every replacement
    assert doc.cue(2).text == "Another reasonning step"


def test_table_in_place_editor_is_checked(window, qtbot):
    from editor.qt.cue_model import Column

    _load(window, _doc())
    table = window.table_pane.view
    index = table.model().index(0, Column.TEXT)
    table.setCurrentIndex(index)
    table.edit(index)
    qtbot.waitUntil(lambda: table.findChild(type(window.edit_panel.text), "cueTextEditor") is not None)
    editor = table.findChild(type(window.edit_panel.text), "cueTextEditor")
    qtbot.waitUntil(lambda: _underlined(editor) == ["reasonning"], timeout=5000)


def test_f8_and_shift_f8_visit_spelling_problems(window, qtbot):
    doc = _doc()
    window.controller.set_document(doc)
    qc = window.table_pane.model.qc
    qtbot.waitUntil(lambda: qc.index is not None and qc.index.counts().get("spelling") == 2, timeout=10000)
    window.controller.select([3], 3)
    window.commands.next_problem()
    assert window.controller.current_id == 1
    assert "unknown word: reasonning" in window.statusBar().currentMessage()
    window.commands.next_problem()
    assert window.controller.current_id == 2
    from editor.qt.actions import ActionId

    window.actions[ActionId.PREV_PROBLEM].trigger()
    assert window.controller.current_id == 1
    window.actions[ActionId.PREV_PROBLEM].trigger()
    assert window.controller.current_id == 2  # wraps around
    status = window.parts[SpellingFeature].status  # the status bar's language count: next one
    status.click()
    assert window.controller.current_id == 1  # wraps around forwards
    assert window.statusBar().currentMessage() == "unknown word: reasonning"
    window.controller.select([], None)
    status.click()
    assert window.controller.current_id == 1  # with nothing selected: from the top


def test_language_without_dictionary_is_named_once_in_the_status_bar(window, qtbot):
    doc = _doc()
    doc.source_language = "xq"  # no Hunspell dictionary anywhere
    window.controller.set_document(doc)
    assert window.statusBar().currentMessage() == "no spelling dictionary for xq — install hunspell-xq"
    window.statusBar().clearMessage()
    window.controller.set_document(_doc())
    doc2 = _doc()
    doc2.source_language = "xq"
    window.controller.set_document(doc2)
    assert window.statusBar().currentMessage() == ""  # named once
    assert _underlined(window.edit_panel.text) == []


def test_spelling_dialog_more_suggestions_and_add(window, qtbot):
    doc = _doc()
    doc.cues[0].text = "A chatbott thinks"
    window.controller.set_document(doc)
    window.controller.select([1], 1)
    feature = window.parts[SpellingFeature]
    feature.show_dialog()
    dialog = feature.dialog
    assert dialog.current[2].word == "chatbott"
    dialog.more_suggestions()
    qtbot.waitUntil(
        lambda: dialog.suggestions.count() > 0 or "No other" in dialog.status.text(), timeout=60000
    )
    dialog.add()
    assert "chatbott" in spelling.read_user_words("en")
    assert dialog.current[2].word == "reasonning"  # on to the next unknown word


def test_speaker_table_changes_on_a_long_document_recheck_in_the_background_only_when_needed(window, qtbot):
    from editor.core import edits
    from editor.core.model import Speaker
    from editor.qt.cue_model import WIDE_QC_BACKGROUND_MIN_CUES

    doc = Document(source_language="en")
    for i in range(WIDE_QC_BACKGROUND_MIN_CUES + 200):
        doc.append(Cue(i + 1, i * 2000, i * 2000 + 1500, "Zorblat asks" if i % 100 == 0 else "All is well"))
    doc.speakers = {"s1": Speaker("s1", "Speaker 1", "#111111")}
    window.controller.set_document(doc)
    qc = window.table_pane.model.qc
    qtbot.waitUntil(lambda: qc.index is not None and not qc.rebuilding, timeout=20000)
    qtbot.waitUntil(lambda: qc.index.counts().get("spelling") == 12, timeout=20000)

    def table(name: str, color: str = "#222222") -> None:
        window.controller.apply(edits.SetSpeakers([Speaker("s1", name, color)]), "Speakers")

    table("Speaker 1")  # a recolour
    assert not qc.rebuilding and qc.index.counts().get("spelling") == 12
    table("Zorblat")  # a name gained: the twelve flagged cues re-checked at once, nothing else
    assert not qc.rebuilding and "spelling" not in qc.index.counts()
    table("Anna")  # "Zorblat" unknown again anywhere: every cue, in the background
    assert qc.rebuilding
    qtbot.waitUntil(lambda: not qc.rebuilding and qc.index.counts().get("spelling") == 12, timeout=20000)


def test_first_suggestions_arrive_from_a_worker_while_the_menu_and_dialog_stay_open(
    window, qtbot, monkeypatch
):
    # As on the first right-click of a session: Hunspell's suggester is not loaded yet, so the
    # menu opens with a placeholder and fills in from a worker instead of holding the window.
    monkeypatch.setattr(spelling.SpellChecker, "suggest_is_quick", lambda self, word, lang: False)
    _load(window, _doc())
    editor = window.edit_panel.text
    qtbot.waitUntil(lambda: _underlined(editor) == ["reasonning"], timeout=5000)
    hook = next(h for h in window.parts[SpellingFeature].hooks if h.editor is editor)
    menu = hook.build_menu(4)
    assert menu.actions()[0].text() == "Looking for suggestions…"
    assert not menu.actions()[0].isEnabled()
    qtbot.waitUntil(lambda: menu.actions()[0].text() == "reasoning", timeout=10000)
    assert "Looking for suggestions…" not in [a.text() for a in menu.actions()]
    menu.actions()[0].trigger()
    assert window.controller.document.cue(1).text == "A reasoning model thinks"

    feature = window.parts[SpellingFeature]
    window.controller.undo_stack.undo()
    feature.action.trigger()
    dialog = feature.dialog
    assert dialog.current is not None and dialog.current[2].word == "reasonning"
    qtbot.waitUntil(lambda: dialog.suggestions.count() > 0, timeout=10000)
    assert dialog.suggestions.item(0).text() == "reasoning"
    assert dialog.status.text() == ""


def test_a_closed_window_no_longer_keeps_its_thread_from_waiting_for_a_dictionary(
    qtbot, tmp_path, monkeypatch
):
    import threading

    from conftest import make_window

    win = make_window(qtbot, tmp_path, monkeypatch)
    assert threading.get_ident() in spelling.STORE.never_block
    win.close()
    # A later caller on this thread (the CLI in the same process, a script) gets its dictionary.
    assert threading.get_ident() not in spelling.STORE.never_block
    assert spelling.STORE.get("en") is not None
