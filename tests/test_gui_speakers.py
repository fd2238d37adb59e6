"""The Speakers panel on real files: roster and counts, merge suggestions, rename, merge, filter, assign."""

from __future__ import annotations

import re

import pytest
from conftest import seed_path
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from editor.core import documents, speakers
from editor.core.formats import ReadOptions
from editor.qt.actions import ActionId
from editor.qt.views.dialogs import ExportChoice
from editor.qt.views.speakers_panel import SpeakersPanel

HOST = "主合手东说念主"
MEMBERS = [f"团队成员{x}" for x in "ABCDEFGHIJKMNOPQR"]  # no line of seed 001 is labelled 团队成员L


@pytest.fixture
def seed_window(window):
    window.open_path(str(seed_path("001")), wait=True)
    return window


def _counts(doc) -> dict[str, int]:
    """Cues per speaker name, counted from the document itself."""
    out: dict[str, int] = {}
    for cue in doc.cues:
        if cue.speaker_id is not None:
            name = doc.speakers[cue.speaker_id].name
            out[name] = out.get(name, 0) + 1
    return out


def _project(doc) -> str:
    """The whole document as the project writer serialises it."""
    return documents.render(doc, "cueline")


def _id_of(doc, name: str) -> str:
    speaker = doc.speaker_by_name(name)
    assert speaker is not None, name
    return speaker.id


def _labels_in_seed() -> dict[str, int]:
    """How often each exact label spelling opens a turn in seed 001's interview body."""
    body = seed_path("001").read_text(encoding="utf-8").split("访谈全文", 1)[1]
    found: dict[str, int] = {}
    for line in body.splitlines():
        m = re.match(rf"^({HOST}|团队成员\s*[A-Z])\s*[:：]", line)
        if m:
            found[m.group(1)] = found.get(m.group(1), 0) + 1
    return found


def test_seed001_roster_counts_and_merge_suggestions(seed_window):
    win = seed_window
    panel, doc = win.parts[SpeakersPanel], win.controller.document
    rows = panel.rows()
    names = [name for name, _ in rows]
    # Every spelling the seed uses is listed: the host, A–R, and the two spaced spellings.
    assert set(names) == set(_labels_in_seed()) == {HOST, *MEMBERS, "团队成员 M", "团队成员 O"}
    assert names[0] == HOST and len(rows) == 20
    counts = _counts(doc)
    assert all(count == counts.get(name, 0) for name, count in rows)
    assert sum(count for _, count in rows) == len(doc)  # every cue of the seed has a speaker
    assert all(count > 0 for _, count in rows)
    # The CLI reader merges the spellings; the panel's two halves add up to its count.
    merged = _counts(documents.load(seed_path("001")))
    by_name = dict(rows)
    assert by_name["团队成员M"] + by_name["团队成员 M"] == merged["团队成员M"]
    assert by_name["团队成员O"] + by_name["团队成员 O"] == merged["团队成员O"]

    texts = panel.suggestion_texts()
    assert len(texts) == 2
    assert {frozenset(t.split(" ↔ ")) for t in texts} == {
        frozenset({"团队成员M", "团队成员 M"}),
        frozenset({"团队成员O", "团队成员 O"}),
    }
    assert all(row.isVisibleTo(panel) for row in panel.suggestion_rows)
    assert "white space" in panel.suggestion_rows[0].button.toolTip()
    assert not win.controller.undo_stack.count()  # shown, never applied by themselves


def test_applying_a_suggestion_is_one_undo_step(qtbot, seed_window):
    win = seed_window
    panel, doc, stack = win.parts[SpeakersPanel], win.controller.document, win.controller.undo_stack
    before = _project(doc)
    m_cues = {c.id for c in doc.cues if doc.speaker_name(c.speaker_id) in ("团队成员M", "团队成员 M")}
    row = next(r for r in panel.suggestion_rows if "M" in r.label.text())
    qtbot.mouseClick(row.button, Qt.MouseButton.LeftButton)

    assert stack.count() == 1
    remaining = [s.name for s in doc.speakers.values() if s.name.replace(" ", "") == "团队成员M"]
    assert len(remaining) == 1
    kept = _id_of(doc, remaining[0])
    assert {c.id for c in doc.cues if c.speaker_id == kept} == m_cues
    assert len(panel.rows()) == 19
    assert dict(panel.rows())[remaining[0]] == len(m_cues)
    assert [t for t in panel.suggestion_texts() if "M" in t] == []
    assert len(panel.suggestion_texts()) == 1  # the O pair is still offered

    stack.undo()
    assert _project(doc) == before
    assert len(panel.rows()) == 20 and len(panel.suggestion_texts()) == 2
    stack.redo()
    assert len(panel.rows()) == 19


def test_a_suggestion_keeps_the_spelling_the_user_picks(qtbot, seed_window):
    win = seed_window
    panel, doc, stack = win.parts[SpeakersPanel], win.controller.document, win.controller.undo_stack
    counts = _counts(doc)
    row = next(r for r in panel.suggestion_rows if "M" in r.label.text())
    spellings = [doc.speakers[i].name for i in row.spelling_ids()]
    assert set(spellings) == {"团队成员M", "团队成员 M"}
    # Offered first: the most used spelling, with each spelling's count in the chooser.
    most_used = max(spellings, key=lambda n: counts[n])
    assert doc.speakers[row.kept_id()].name == most_used
    assert f"“{most_used}” ({counts[most_used]})" == row.keep.currentText()
    other = next(n for n in spellings if n != most_used)
    m_cues = {c.id for c in doc.cues if doc.speaker_name(c.speaker_id) in spellings}
    # The user picks the rarer spelling with the keyboard, then merges.
    row.keep.setFocus()
    qtbot.keyClick(row.keep, Qt.Key.Key_Down if row.keep.currentIndex() == 0 else Qt.Key.Key_Up)
    assert doc.speakers[row.kept_id()].name == other
    qtbot.mouseClick(row.button, Qt.MouseButton.LeftButton)
    assert stack.count() == 1
    assert doc.speaker_by_name(most_used) is None
    kept = _id_of(doc, other)
    assert {c.id for c in doc.cues if c.speaker_id == kept} == m_cues
    assert dict(panel.rows())[other] == len(m_cues)
    stack.undo()
    assert {doc.speakers[i].name for i in panel.suggestion_rows[0].spelling_ids()} | {
        doc.speakers[i].name for i in panel.suggestion_rows[1].spelling_ids()
    } >= set(spellings)


def test_rename_in_the_panel_renames_table_timeline_and_vtt_export(qtbot, seed_window, tmp_path):
    win = seed_window
    panel, doc = win.parts[SpeakersPanel], win.controller.document
    host = _id_of(doc, HOST)
    host_cues = [c.id for c in doc.cues if c.speaker_id == host]
    panel.select_speakers([host])

    # In place, as a user does it: F2 (the Rename button does the same), type, Enter.
    qtbot.mouseClick(panel.rename_button, Qt.MouseButton.LeftButton)
    editor = panel.tree.findChild(QLineEdit)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "Bob McGrew")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event loop turn
    qtbot.waitUntil(lambda: doc.speakers[host].name == "Bob McGrew")

    assert win.controller.undo_stack.count() == 1
    assert panel.item_for(host).text(0) == "Bob McGrew"
    model = win.table_pane.model
    from editor.qt.cue_model import Column

    row = doc.row_of(host_cues[0])
    assert model.index(row, Column.SPEAKER).data() == "Bob McGrew"
    timeline = win.ensure_timeline()
    assert "Bob McGrew:" in timeline.tooltip_html(host_cues[0])

    out = tmp_path / "renamed.vtt"
    choice = ExportChoice(str(out), "vtt", "source", "voice", "utf-8", False, "\n")
    assert win.export(choice)
    text = out.read_text(encoding="utf-8")
    assert text.count("<v Bob McGrew>") == len(host_cues)
    assert HOST not in text
    # The export reads back with the new name on the same cues.
    back = documents.load(out)
    assert [c.speaker_id is not None and back.speakers[c.speaker_id].name for c in back.cues][
        : len(host_cues) // 2
    ] == [doc.speaker_name(c.speaker_id) for c in doc.cues][: len(host_cues) // 2]
    assert _counts(back)["Bob McGrew"] == len(host_cues)

    # A name another speaker has is refused with a message; the document keeps its names.
    panel.select_speakers([host])
    item = panel.item_for(host)
    item.setText(0, "团队成员A")
    assert doc.speakers[host].name == "Bob McGrew"
    assert panel.item_for(host).text(0) == "Bob McGrew"
    assert "merge" in win.statusBar().currentMessage()
    assert win.controller.undo_stack.count() == 1

    win.controller.undo_stack.undo()
    assert doc.speakers[host].name == HOST
    assert panel.item_for(host).text(0) == HOST


def test_merging_selected_speakers_and_undo_give_back_the_same_document(qtbot, seed_window, monkeypatch):
    win = seed_window
    panel, doc, stack = win.parts[SpeakersPanel], win.controller.document, win.controller.undo_stack
    before = _project(doc)
    a, b, c = (_id_of(doc, n) for n in ("团队成员A", "团队成员B", "团队成员C"))
    total = sum(1 for cue in doc.cues if cue.speaker_id in (a, b, c))
    panel.select_speakers([a, b, c])
    assert panel.merge_button.isEnabled()
    asked = {}

    def choose(_parent, _title, _label, names, current, _editable):
        asked["names"], asked["default"] = list(names), names[current]
        return "团队成员B", True

    monkeypatch.setattr(QInputDialog, "getItem", choose)
    qtbot.mouseClick(panel.merge_button, Qt.MouseButton.LeftButton)

    assert asked["names"] == ["团队成员A", "团队成员B", "团队成员C"]
    assert asked["default"] == "团队成员A"  # the one with most cues is offered first
    assert a not in doc.speakers and c not in doc.speakers
    assert sum(1 for cue in doc.cues if cue.speaker_id == b) == total
    assert dict(panel.rows())["团队成员B"] == total
    assert panel.selected_speaker_ids() == [b]
    assert stack.count() == 1

    stack.undo()
    assert _project(doc) == before
    assert [n for n, _ in panel.rows()][:4] == [HOST, "团队成员A", "团队成员B", "团队成员C"]
    stack.redo()
    assert a not in doc.speakers


def test_filter_by_speaker_limits_table_and_dims_timeline(qtbot, seed_window):
    win = seed_window
    panel, doc = win.parts[SpeakersPanel], win.controller.document
    table, view = win.table_pane, win.table_pane.view
    d = _id_of(doc, "团队成员D")
    d_cues = [c.id for c in doc.cues if c.speaker_id == d]
    other = next(c.id for c in doc.cues if c.speaker_id != d)
    panel.select_speakers([d])
    qtbot.mouseClick(panel.filter_button, Qt.MouseButton.LeftButton)

    assert panel.filter_button.isChecked()
    assert view.model().rowCount() == len(d_cues) < len(doc)
    assert table.filter_bar.speaker.currentText() == "团队成员D"
    timeline = win.ensure_timeline()
    assert timeline.filter_speaker() == d
    assert not timeline.block_style(d_cues[0]).dimmed and timeline.block_style(other).dimmed

    # Picking another speaker in the list moves the filter with it.
    e = _id_of(doc, "团队成员E")
    panel.select_speakers([e])
    assert view.model().rowCount() == sum(1 for c in doc.cues if c.speaker_id == e)
    assert timeline.filter_speaker() == e

    # The filter bar's chooser is the same filter: the timeline and the button follow it.
    bar = table.filter_bar.speaker
    bar.setCurrentIndex(bar.findData(d))
    assert timeline.filter_speaker() == d and view.model().rowCount() == len(d_cues)
    bar.setCurrentIndex(0)
    assert timeline.filter_speaker() is None and not panel.filter_button.isChecked()
    assert view.model().rowCount() == len(doc)

    # Merging the filtered speaker away ends the filter instead of leaving an empty table.
    panel.set_filter(e)
    assert panel.merge([e, d], d)
    assert table.speaker_filter() is None and timeline.filter_speaker() is None
    assert view.model().rowCount() == len(doc)


def test_assign_and_remove_from_selected_cues_with_undo(qtbot, seed_window):
    win = seed_window
    panel, doc, stack = win.parts[SpeakersPanel], win.controller.document, win.controller.undo_stack
    r = _id_of(doc, "团队成员R")
    picked = [doc.cues[k].id for k in (0, 1, 2)]  # host cues
    assert all(doc.cue(i).speaker_id != r for i in picked)
    before_r = dict(panel.rows())["团队成员R"]
    before_host = dict(panel.rows())[HOST]
    win.controller.select(picked, picked[0])

    # Double-click on the speaker assigns it.
    panel.select_speakers([r])
    item = panel.item_for(r)
    panel.tree.scrollToItem(item)
    rect = panel.tree.visualItemRect(item)
    # A real double-click starts with a press: the view ignores a lone double-click event.
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert all(doc.cue(i).speaker_id == r for i in picked)
    qtbot.waitUntil(lambda: dict(panel.rows())["团队成员R"] == before_r + 3)
    assert dict(panel.rows())[HOST] == before_host - 3
    assert stack.count() == 1

    # Clear from cues: the cues keep no speaker, and the panel says how many have none.
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert all(doc.cue(i).speaker_id is None for i in picked)
    qtbot.waitUntil(lambda: dict(panel.rows())["团队成员R"] == before_r)
    assert panel.unassigned.isVisibleTo(panel) and "3" in panel.unassigned.text()
    assert stack.count() == 2

    stack.undo()
    qtbot.waitUntil(lambda: dict(panel.rows())["团队成员R"] == before_r + 3)
    stack.undo()
    qtbot.waitUntil(lambda: dict(panel.rows())[HOST] == before_host)
    assert not panel.unassigned.isVisibleTo(panel)

    # The assign button does the same as the double-click.
    panel.select_speakers([r])
    qtbot.mouseClick(panel.assign_button, Qt.MouseButton.LeftButton)
    assert all(doc.cue(i).speaker_id == r for i in picked)


def test_add_speaker_then_assign_with_alt_shortcut(qtbot, seed_window, monkeypatch):
    win = seed_window
    panel, doc, stack = win.parts[SpeakersPanel], win.controller.document, win.controller.undo_stack
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Interviewer", True))
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    new = _id_of(doc, "Interviewer")
    assert panel.rows()[-1] == ("Interviewer", 0)
    assert panel.selected_speaker_ids() == [new]
    assert stack.count() == 1
    # An existing name is refused, nothing changes.
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("团队成员a", True))
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert stack.count() == 1 and len(panel.rows()) == 21
    stack.undo()
    assert new not in doc.speakers and len(panel.rows()) == 20

    # Alt+2 gives the selected cues the panel's second speaker; the counts follow.
    second_name, second_count = panel.rows()[1]
    picked = [doc.cues[k].id for k in (0, 1)]
    win.controller.select(picked, picked[0])
    win.activateWindow()
    win.table_pane.view.setFocus()
    qtbot.keyClick(win.table_pane.view, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert [doc.speaker_name(doc.cue(i).speaker_id) for i in picked] == [second_name] * 2
    qtbot.waitUntil(lambda: dict(panel.rows())[second_name] == second_count + 2)
    stack.undo()
    qtbot.waitUntil(lambda: dict(panel.rows())[second_name] == second_count)


def test_panel_and_lanes_toggles(qtbot, seed_window):
    win = seed_window
    toggle = win.actions[ActionId.SPEAKERS_PANEL]
    assert toggle in win.menus["Speakers"].actions() and toggle in win.menus["View"].actions()
    assert toggle.isChecked() and win.parts[SpeakersPanel].dock.isVisible()
    toggle.trigger()
    assert not win.parts[SpeakersPanel].dock.isVisible()
    toggle.trigger()
    assert win.parts[SpeakersPanel].dock.isVisible()
    win.parts[SpeakersPanel].dock.close()  # its title-bar button: the action follows
    assert not toggle.isChecked()

    lanes = win.actions[ActionId.LANES_BY_SPEAKER]
    assert lanes in win.menus["View"].actions() and lanes in win.menus["Speakers"].actions()
    timeline = win.ensure_timeline()
    assert lanes.isCheckable() and not timeline.lanes_by_speaker()
    lanes.trigger()
    assert timeline.lanes_by_speaker()
    doc = win.controller.document
    first_host, first_a = (
        doc.cues[0].id,
        next(c.id for c in doc.cues if doc.speaker_name(c.speaker_id) == "团队成员A"),
    )
    assert timeline.cue_rect(first_host).top() != timeline.cue_rect(first_a).top()
    lanes.trigger()
    assert not timeline.lanes_by_speaker()


def test_plain_read_merges_spellings_and_notes_them_but_the_editor_keeps_them_apart():
    path = seed_path("001")
    merged = documents.load(path)
    assert merged.speaker_by_name("团队成员 M") is None and "团队成员 M" in merged.notes
    apart = documents.load(path, options=ReadOptions(merge_speaker_spellings=False))
    assert apart.speaker_by_name("团队成员 M") is not None and apart.speaker_by_name("团队成员M") is not None
    assert "merged as one speaker" not in apart.notes
    assert [c.text for c in apart.cues] == [c.text for c in merged.cues]


def _export(win, path, format_id: str, speakers: str) -> str:
    choice = ExportChoice(str(path), format_id, "source", speakers, "utf-8", False, "\n")
    assert win.export(choice)
    return path.read_text(encoding="utf-8")


def _dialogue_window(window):
    """Seed 001 with one cue rewritten as a two-speaker dialogue (an undoable edit)."""
    window.open_path(str(seed_path("001")), wait=True)
    doc = window.controller.document
    from editor.core import edits

    cue = doc.cues[5]
    window.controller.apply(edits.SetCueValues("text", {cue.id: "- 你来吗？\n- 来。"}), "dialogue")
    return cue.id


def test_srt_names_and_dialogue_dashes_read_back_as_speakers(qtbot, window, tmp_path, monkeypatch):
    win = window
    dialogue = _dialogue_window(win)
    doc = win.controller.document
    before = [(c.text, doc.speaker_name(c.speaker_id)) for c in doc.cues]
    text = _export(win, tmp_path / "names.srt", "srt", "prefix")
    blocks = text.strip().split("\n\n")
    assert blocks[0].split("\n")[2] == f"{HOST}: 好的。"
    # The dialogue keeps its dashes and gets no single (wrong) name.
    assert blocks[doc.row_of(dialogue)].split("\n")[2:] == ["- 你来吗？", "- 来。"]

    win.open_path(str(tmp_path / "names.srt"), wait=True)
    doc = win.controller.document
    assert not doc.speakers and win.parts[SpeakersPanel].rows() == []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Yes)
    win.parts[SpeakersPanel].from_labels_action.trigger()
    assert win.controller.undo_stack.count() == 1
    after = [(c.text, doc.speaker_name(c.speaker_id)) for c in doc.cues]
    row = before.index(("- 你来吗？\n- 来。", HOST))
    assert after[row] == ("- 你来吗？\n- 来。", None)
    # A prefix that makes a first line too long lays the text out again: only white space changes.
    squeeze = str.maketrans("", "", " \n")
    assert [(t.translate(squeeze), n) for t, n in after[:row] + after[row + 1 :]] == [
        (t.translate(squeeze), n) for t, n in before[:row] + before[row + 1 :]
    ]
    panel_names = {name for name, _ in win.parts[SpeakersPanel].rows()}
    assert panel_names == {HOST, *MEMBERS, "团队成员 M", "团队成员 O"}
    win.controller.undo_stack.undo()
    assert not doc.speakers and doc.cues[0].text == f"{HOST}: 好的。"

    # Nothing left to find: a message, no undo step.
    win.controller.undo_stack.redo()
    assert win.parts[SpeakersPanel].speakers_from_prefixes(ask=False) == 0
    assert win.controller.undo_stack.index() == 1


def test_vtt_voice_and_prefix_and_transcript_paragraphs_read_back(qtbot, seed_window, tmp_path):
    win = seed_window
    doc = win.controller.document
    expected = [(c.text, doc.speaker_name(c.speaker_id)) for c in doc.cues]
    text = _export(win, tmp_path / "both.vtt", "vtt", "both")
    assert f"<v {HOST}>{HOST}: 好的。" in text
    back = documents.load(tmp_path / "both.vtt")
    # A visible prefix that makes a first line too long lays the text out again: only white
    # space may change.
    squeeze = str.maketrans("", "", " \n")
    assert [(c.text.translate(squeeze), back.speaker_name(c.speaker_id)) for c in back.cues] == [
        (t.translate(squeeze), n) for t, n in expected
    ]

    # Transcript: one `Name: text` paragraph per turn (neighbouring cues of one speaker joined).
    text = _export(win, tmp_path / "turns.txt", "transcript", "prefix")
    turns: list[tuple[str, str]] = []
    for cue_text, name in expected:
        if turns and turns[-1][1] == name:
            turns[-1] = (turns[-1][0] + cue_text, name)
        else:
            turns.append((cue_text, name))
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    assert len(paragraphs) == len(turns)
    assert all(p.startswith(f"{name}: ") for p, (_, name) in zip(paragraphs, turns, strict=True))
    back = documents.load(
        tmp_path / "turns.txt", options=ReadOptions(segment=False, merge_speaker_spellings=False)
    )
    got = [(c.text.translate(squeeze), back.speaker_name(c.speaker_id)) for c in back.cues]
    assert got == [(t.translate(squeeze), n) for t, n in turns]


def test_no_speaker_edit_while_a_preview_is_shown(qtbot, window):
    # While a long file loads its first cues are shown read-only; an edit would be lost.
    doc = documents.load(seed_path("001"), options=ReadOptions(merge_speaker_spellings=False))
    window.session.show_preview(doc, str(seed_path("001")), lambda: None)
    panel = window.parts[SpeakersPanel]
    host = _id_of(doc, HOST)
    assert not panel.rename(host, "Host")
    window.controller.select([doc.cues[0].id], doc.cues[0].id)
    panel.assign(_id_of(doc, "团队成员A"))
    assert not panel.apply_suggestion(speakers.merge_suggestions(doc)[0])
    assert doc.speakers[host].name == HOST and doc.cues[0].speaker_id == host
    assert len(doc.speakers) == 20 and window.controller.undo_stack.count() == 0
    assert "Still opening" in window.statusBar().currentMessage()


def test_the_spelling_a_merge_keeps_follows_the_counts(qtbot, seed_window):
    win = seed_window
    panel, doc = win.parts[SpeakersPanel], win.controller.document
    pair = {_id_of(doc, "团队成员 O"), _id_of(doc, "团队成员O")}
    (kept,) = [s.into for s in speakers.merge_suggestions(doc) if set(s.ids) == pair]
    (other,) = pair - {kept}
    counts = speakers.cue_counts(doc)
    assert counts[kept] >= counts[other]  # most cues, the first on a tie
    row = next(r for r in panel.suggestion_rows if "O" in r.label.text())
    assert f"Merging keeps “{doc.speakers[kept].name}”" in row.button.toolTip()

    # Give the other spelling more cues: the suggestion now keeps that one.
    host = _id_of(doc, HOST)
    extra = [c.id for c in doc.cues if c.speaker_id == host][: counts[kept] - counts[other] + 1]
    win.controller.select(extra, extra[0])
    panel.assign(other)
    other_name = doc.speakers[other].name
    qtbot.waitUntil(lambda: any(f"keeps “{other_name}”" in r.button.toolTip() for r in panel.suggestion_rows))
    row = next(r for r in panel.suggestion_rows if "O" in r.label.text())
    qtbot.mouseClick(row.button, Qt.MouseButton.LeftButton)
    assert kept not in doc.speakers and doc.speakers[other].name == other_name
    assert "Merged" in win.statusBar().currentMessage()
