"""The Glossary panel: add/edit/remove as undo steps, import/export, add the selection, review line,
renamed speakers offered, and the status-bar heading counting glossary problems."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from editor.core import edits
from editor.core.model import Cue, Document, GlossaryEntry, Speaker
from editor.qt.views import glossary_panel
from editor.qt.views.glossary_panel import GlossaryFeature
from editor.qt.views.review_panel import ReviewMode
from editor.qt.views.spelling_feature import SpellingFeature


def _doc() -> Document:
    doc = Document(source_language="en", translation_language="zh")
    doc.speakers = {"s1": Speaker("s1", "Bob")}
    doc.append(Cue(1, 0, 2000, "a reasoning model", translation="一个推理模型", speaker_id="s1"))
    doc.append(Cue(2, 3000, 5000, "more reasoning", translation="更多思考", speaker_id="s1"))
    return doc


def _answer(monkeypatch, entry: GlossaryEntry | None) -> list:
    seen: list = []

    def fake_exec(dialog):
        seen.append(dialog.entry())
        if entry is None:
            return QDialog.DialogCode.Rejected
        dialog.term.setText(entry.term)
        dialog.renderings.setText(" | ".join(entry.renderings))
        dialog.note.setText(entry.note)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(glossary_panel.EntryDialog, "exec", fake_exec)
    return seen


def test_add_edit_remove_are_undo_steps_and_drive_the_qc(window, qtbot, monkeypatch):
    window.controller.set_document(_doc())
    feature = window.parts[GlossaryFeature]
    panel = feature.panel
    _answer(monkeypatch, GlossaryEntry("reasoning", ("推理",)))
    panel.add()
    doc = window.controller.document
    assert doc.glossary == (GlossaryEntry("reasoning", ("推理",)),)
    assert panel.table.rowCount() == 1 and panel.table.item(0, 1).text() == "推理"
    qc = window.table_pane.model.qc
    qtbot.waitUntil(lambda: qc.index is not None and qc.index.counts().get("glossary") == 1, timeout=10000)
    assert [p.cue_id for p in qc.index.all() if p.check == "glossary"] == [2]
    qtbot.waitUntil(lambda: "Glossary: 1" in window.parts[SpellingFeature].status.text(), timeout=5000)
    # Edit: add a second rendering; cue 2 is still flagged, then accepted with 思考.
    panel.table.selectRow(0)
    _answer(monkeypatch, GlossaryEntry("reasoning", ("推理", "思考"), "agreed"))
    panel.edit_selected()
    assert doc.glossary[0].renderings == ("推理", "思考")
    qtbot.waitUntil(lambda: "glossary" not in qc.index.counts(), timeout=10000)
    panel.table.selectRow(0)
    panel.remove_selected()
    assert doc.glossary == ()
    stack = window.controller.undo_stack
    stack.undo()
    assert doc.glossary[0].note == "agreed"
    stack.undo()
    stack.undo()
    assert doc.glossary == ()


def test_import_export_and_add_selection(window, qtbot, monkeypatch, tmp_path):
    window.controller.set_document(_doc())
    window.controller.select([1], 1)
    panel = window.parts[GlossaryFeature].panel
    path = tmp_path / "terms.tsv"
    path.write_text("term\ttranslation\tnote\nmodel\t模型\t\n", encoding="utf-8")
    panel.import_file(str(path))
    assert window.controller.document.glossary == (GlossaryEntry("model", ("模型",)),)
    out = tmp_path / "out.csv"
    panel.export_file(str(out))
    assert out.read_text(encoding="utf-8") == "term,translation,note\nmodel,模型,\n"
    # Select "reasoning" in the edit panel's source and press the shortcut.
    editor = window.edit_panel.text
    cursor = editor.textCursor()
    cursor.setPosition(2)
    cursor.setPosition(11, cursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    seen = _answer(monkeypatch, GlossaryEntry("reasoning", ("推理",)))
    window.parts[GlossaryFeature].add_action.trigger()
    assert seen[0].term == "reasoning"
    assert [e.term for e in window.controller.document.glossary] == ["model", "reasoning"]


def test_review_panel_shows_the_entries_of_the_cue(window, qtbot):
    doc = _doc()
    doc.glossary = (GlossaryEntry("reasoning", ("推理",), "o1"), GlossaryEntry("cat", ("猫",)))
    window.controller.set_document(doc)
    window.parts[ReviewMode].set_active(True)
    window.controller.select([1], 1)
    window.parts[ReviewMode].panel.show_cue(1)
    window.parts[GlossaryFeature]._update_review_line()
    label = window.parts[GlossaryFeature].review_label
    assert label.text() == "Glossary: reasoning → 推理 (o1)"


def test_renamed_speaker_is_offered_as_an_entry(window, qtbot, monkeypatch):
    window.controller.set_document(_doc())
    window.controller.apply(edits.SetSpeakers([Speaker("s1", "Bob McGrew")]), "Rename")
    panel = window.parts[GlossaryFeature].panel
    assert panel.offers == ["Bob McGrew"]
    seen = _answer(monkeypatch, GlossaryEntry("Bob McGrew", ("鲍勃·麦格鲁",)))
    panel.accept_offer()
    assert seen[0].term == "Bob McGrew"
    assert window.controller.document.glossary[0].renderings == ("鲍勃·麦格鲁",)
    assert panel.offers == []
