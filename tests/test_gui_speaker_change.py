"""Changing one cue's speaker touches only what shows it: counts by difference, one cell, new colour slots.

On a 100k document a full recount, a whole-column repaint or a rebuilt timeline index per
change cost 25-200 ms; these tests pin what each view does instead, and that it still shows
exactly what a full refresh would.
"""

from __future__ import annotations

import random

import numpy as np
from PySide6.QtCore import Qt

from editor.core import speakers
from editor.core.model import SPEAKER_COLORS, Document, Speaker
from editor.qt.cue_model import Column
from editor.qt.views.speakers_panel import SpeakersPanel
from editor.qt.views.timeline_geometry import build_lut, clear_lut_slots, update_lut_slots


def _doc(n: int = 300) -> Document:
    table = [Speaker(f"s{k + 1}", f"Speaker {k + 1}", SPEAKER_COLORS[k]) for k in range(4)]
    table.append(Speaker("s5", "Speaker1", SPEAKER_COLORS[4]))  # a merge suggestion with Speaker 1
    doc = Document(speakers=table)
    for i in range(n):
        sp = table[i % 5].id if i % 7 else None
        doc.append(doc.new_cue(i * 1000, i * 1000 + 800, f"line {i}", speaker_id=sp))
    return doc


def test_counts_follow_random_speaker_edits_without_recounting(window, qtbot, monkeypatch) -> None:
    doc = _doc()
    window.controller.set_document(doc)
    panel = window.parts[SpeakersPanel]
    model = window.table_pane.model
    qtbot.wait(10)
    scans = []
    real = speakers.cue_counts
    monkeypatch.setattr(speakers, "cue_counts", lambda d: scans.append(1) or real(d))
    rnd = random.Random(7)
    stack = window.controller.undo_stack
    for step in range(40):
        row = rnd.randrange(len(doc.cues))
        cue = doc.cues[row]
        window.controller.select([cue.id], cue.id)
        kind = rnd.randrange(4)
        if kind == 0:
            panel.assign(rnd.choice([*doc.speakers, None]))
        elif kind == 1:
            model.setData(model.index(row, Column.SPEAKER), rnd.choice(["Speaker 2", "", f"New {step}"]))
        elif stack.canUndo():
            stack.undo() if kind == 2 else stack.redo()
        qtbot.wait(1)
        shown = {panel.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole): n for i, n in _rows(panel)}
        assert shown == {sid: real(doc).get(sid, 0) for sid in doc.speakers}, step
        assert panel.suggestion_texts() == [
            " ↔ ".join(doc.speakers[i].name for i in s.ids)
            for s in speakers.merge_suggestions(doc, real(doc))
        ]
    assert scans == []  # every count came by difference


def _rows(panel):
    for i in range(panel.tree.topLevelItemCount()):
        yield i, int(panel.tree.topLevelItem(i).text(1))


def test_speaker_cells_repaint_alone_unless_a_name_changed(window, qtbot) -> None:
    doc = _doc()
    window.controller.set_document(doc)
    model = window.table_pane.model
    qtbot.wait(10)
    spans: list[tuple[int, int]] = []
    # Cell values (every role: roles == []); QC tints that may follow come with their own roles.
    model.dataChanged.connect(lambda top, bottom, roles: roles or spans.append((top.row(), bottom.row())))
    model.setData(model.index(5, Column.SPEAKER), "Someone New")  # adds a speaker, assigns it
    assert doc.cues[5].speaker_id is not None
    assert doc.speakers[doc.cues[5].speaker_id].name == "Someone New"
    assert spans and all(bottom - top < 3 for top, bottom in spans), spans
    spans.clear()
    sid = doc.cues[5].speaker_id
    window.controller.apply(speakers_rename(doc, sid, "Renamed"), "rename")
    assert (0, len(doc.cues) - 1) in spans  # a rename shows in every cell of that speaker


def speakers_rename(doc, sid, name):
    from editor.core import operations

    return operations.rename_speaker(doc, sid, name)


def test_timeline_keeps_its_index_and_extends_its_colours_when_a_speaker_is_added(window, qtbot) -> None:
    doc = _doc()
    window.controller.set_document(doc)
    timeline = window.ensure_timeline()
    timeline.grab()
    index = timeline._ensure_index()
    model = window.table_pane.model
    model.setData(model.index(8, Column.SPEAKER), "Someone New")
    timeline.grab()
    assert timeline._ensure_index() is index
    new_slot = index.speaker_ids.index(doc.cues[8].speaker_id)
    assert index.speaker[index.position(doc.cues[8].id)] == new_slot
    # The table updated in place equals one built from scratch for the new speaker list.
    slot_rgb, dimmed, bg, band, translucent = timeline._lut_key
    assert np.array_equal(timeline._lut, build_lut(list(slot_rgb), list(dimmed), bg, band, translucent))


def test_lut_slots_written_in_place_equal_a_full_build() -> None:
    bg, band = (250, 250, 250), (240, 240, 240)
    rgb = [(158, 158, 158), (78, 121, 167), (242, 142, 43)]
    lut = build_lut(rgb, [False, False, True], bg, band)
    more = [*rgb, (225, 87, 89), (118, 183, 178)]
    update_lut_slots(lut, more, [False, False, True, False, True], bg, range(3, 5))
    assert np.array_equal(lut, build_lut(more, [False, False, True, False, True], bg, band))
    for translucent in (False, True):
        lut = build_lut(more, [False, False, True, False, True], bg, band, translucent)
        clear_lut_slots(lut, bg, range(3, 5), translucent)  # the two speakers added, undone
        assert np.array_equal(lut, build_lut(rgb, [False, False, True], bg, band, translucent))


def _state(window) -> tuple:
    """Return what the views hold about speakers, beside what a fresh build from the document gives:
    the timeline's index rows and lane count, the QC problems, the panel's counts and the palette."""
    from editor.core.qc import QcIndex
    from editor.qt.views.timeline_geometry import CueIndex

    doc = window.controller.document
    timeline = window.ensure_timeline()
    timeline.grab()
    index = timeline._ensure_index()
    fresh = CueIndex.build(doc)

    def rows(ix: CueIndex) -> list:
        return sorted(zip(*(c.tolist() for c in (ix.ids, ix.starts, ix.ends, ix.speaker)), strict=True))

    qc = window.table_pane.model.qc.index
    problems = lambda ix: sorted((p.cue_id or 0, p.check, p.message) for p in ix.all())  # noqa: E731
    panel = window.parts[SpeakersPanel]
    shown = {panel.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole): n for i, n in _rows(panel)}
    slot_rgb, dimmed, bg, band, translucent = timeline._lut_key
    return (
        (rows(index), index.speaker_ids, [index.position(i) for i in [c.id for c in doc.cues[:50]]]),
        (rows(fresh), list(doc.speakers), [fresh.position(i) for i in [c.id for c in doc.cues[:50]]]),
        timeline._n_lanes(),
        problems(qc),
        problems(QcIndex(doc, qc.profile)),
        shown,
        {sid: speakers.cue_counts(doc).get(sid, 0) for sid in doc.speakers},
        np.array_equal(timeline._lut, build_lut(list(slot_rgb), list(dimmed), bg, band, translucent)),
        index,
    )


def test_a_new_speaker_typed_undone_and_redone_leaves_every_view_as_a_fresh_build(window, qtbot) -> None:
    doc = _doc()
    doc.cues[3].speaker_id = "ghost"  # a dangling speaker id: named once a speaker "ghost" exists
    window.controller.set_document(doc)
    timeline = window.ensure_timeline()
    timeline.set_lanes_by_speaker(True)
    qtbot.wait(10)
    model = window.table_pane.model
    stack = window.controller.undo_stack
    before = doc.snapshot()
    first = _state(window)
    kept = first[-1]
    model.setData(model.index(0, Column.SPEAKER), "Someone New")
    after = doc.snapshot()
    for step in ("typed", "undone", "redone", "undone again"):
        qtbot.wait(1)
        mine, fresh, lanes, qc, qc_fresh, shown, counts, lut_ok, index = _state(window)
        assert mine == fresh, step
        assert lanes == len(doc.speakers) + 1, step  # one lane each, and one for "no speaker"
        assert qc == qc_fresh, step
        assert shown == counts, step
        assert lut_ok, step
        assert index is kept, step  # kept up to date in place, never rebuilt from every cue
        assert doc.snapshot() == (after if step in ("typed", "redone") else before), step
        if step == "typed":
            stack.undo()
        elif step == "undone":
            stack.redo()
        elif step == "redone":
            stack.undo()
    # The dangling id becomes a speaker: its cue gets that speaker's slot and lane.
    from editor.core.edits import SetSpeakers

    ghost = Speaker("ghost", "Ghost", "#123456")
    window.controller.apply(SetSpeakers([*doc.speakers.values(), ghost]), "Add")
    mine, fresh, *_rest, index = _state(window)
    assert mine == fresh and index is kept
    assert index.speaker[index.position(doc.cues[3].id)] == list(doc.speakers).index("ghost")


def test_the_panel_keeps_its_rows_and_follows_the_most_used_spelling(window, qtbot) -> None:
    doc = _doc()
    window.controller.set_document(doc)
    panel = window.parts[SpeakersPanel]
    model = window.table_pane.model
    qtbot.wait(10)
    first_item = panel.tree.topLevelItem(0)
    (row,) = panel.suggestion_rows
    # A new speaker adds its row; the others (and the suggestion's widgets) stay.
    model.setData(model.index(1, Column.SPEAKER), "Someone New")
    assert panel.tree.topLevelItem(0) is first_item and panel.rows()[-1] == ("Someone New", 1)
    assert panel.suggestion_rows == [row]
    # Cues moved to "Speaker1" until it is the most used: the same row now keeps that spelling,
    # and Merge merges into it.
    counts = speakers.cue_counts(doc)
    movers = [c.id for c in doc.cues if c.speaker_id == "s1"][: counts["s1"] - counts["s5"] + 1]
    window.controller.select(movers, movers[0])
    panel.assign("s5")
    qtbot.wait(1)
    assert panel.suggestion_rows == [row]
    assert row.kept_id() == "s5" and "“Speaker1”" in row.button.toolTip()
    row.button.click()
    assert "s1" not in doc.speakers and set(speakers.cue_counts(doc)) >= {"s5"}
    window.controller.undo_stack.undo()
    # A refused rename shows the document's name again (the list is rebuilt in full).
    item = panel.tree.topLevelItem(0)
    item.setText(0, "   ")
    assert panel.tree.topLevelItem(0).text(0) == doc.speakers["s1"].name


def test_a_merge_of_thousands_of_cues_and_its_undo_keep_the_timeline_index_in_place(window, qtbot) -> None:
    doc = _doc(15_000)  # ~2,000 cues of "Speaker1": more than the timeline refreshes one by one
    window.controller.set_document(doc)
    window.ensure_timeline().set_lanes_by_speaker(True)
    qtbot.wait(10)
    panel = window.parts[SpeakersPanel]
    kept = _state(window)[-1]
    (suggestion,) = speakers.merge_suggestions(doc)
    assert panel.apply_suggestion(suggestion)
    for step in ("merged", "undone", "redone"):
        qtbot.wait(1)
        mine, fresh, lanes, qc, qc_fresh, shown, counts, lut_ok, index = _state(window)
        assert mine == fresh and lanes == len(doc.speakers) + 1, step
        assert qc == qc_fresh and shown == counts and lut_ok, step
        assert index is kept, step  # its speaker slots re-read for the merged cues only
        window.controller.undo_stack.undo() if step == "merged" else window.controller.undo_stack.redo()
