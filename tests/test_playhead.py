"""Timing by ear in the core: set start/end at the playhead, frame and 100 ms nudges,
split and insert at the playhead, the cue under the playhead; and the project's media path."""

from __future__ import annotations

import os

import pytest
from support.undo import apply_undo_redo

from editor.core import documents, edits, playhead
from editor.core.errors import ValidationError
from editor.core.formats import project
from editor.core.model import Cue, Document


def _doc() -> Document:
    doc = Document()
    doc.append(Cue(1, 1000, 3000, "Hello there. How are you?"))
    doc.append(Cue(2, 4000, 6000, "Fine"))
    doc.append(Cue(3, 9000, 12000, "Long one"))
    return doc


def test_set_start_and_end_at_playhead():
    doc = _doc()
    apply_undo_redo(doc, playhead.set_start_at(doc, 1, 1234))
    assert (doc.cue(1).start_ms, doc.cue(1).end_ms) == (1234, 3000)
    apply_undo_redo(doc, playhead.set_end_at(doc, 1, 3456))
    assert (doc.cue(1).start_ms, doc.cue(1).end_ms) == (1234, 3456)
    # A start pressed after the end keeps the duration rather than inverting the cue.
    edits.apply(doc, playhead.set_start_at(doc, 2, 7000))
    assert (doc.cue(2).start_ms, doc.cue(2).end_ms) == (7000, 9000)
    with pytest.raises(ValidationError, match="not after the cue's start"):
        playhead.set_end_at(doc, 3, 9000)
    with pytest.raises(ValidationError):
        playhead.set_start_at(doc, 3, -5)
    with pytest.raises(ValidationError):
        playhead.set_start_at(doc, 99, 5)


@pytest.mark.parametrize("fps", [25.0, 23.976, 29.97, 24.0, 60.0])
def test_frame_steps_walk_the_frame_grid_both_ways(fps):
    ms, grid = 0, [0]
    for _ in range(500):
        ms = playhead.frame_step(ms, fps, 1)
        grid.append(ms)
    assert grid == [round(n * 1000 / fps) for n in range(501)]
    for k in range(500, 0, -1):
        assert playhead.frame_step(grid[k], fps, -1) == grid[k - 1]
    assert playhead.frame_step(0, fps, -1) == 0


def test_frame_step_snaps_off_grid_times_and_refuses_bad_rates():
    assert playhead.frame_step(41, 25, 1) == 80
    assert playhead.frame_step(41, 25, -1) == 40
    for bad in (0, -25, float("nan"), float("inf")):
        with pytest.raises(ValidationError):
            playhead.frame_step(40, bad, 1)


def test_nudges_by_frame_and_100_ms():
    doc = _doc()
    apply_undo_redo(doc, playhead.nudge_frames(doc, [1, 2], "start", 1, 25.0))
    assert [doc.cue(i).start_ms for i in (1, 2)] == [1040, 4040]
    apply_undo_redo(doc, playhead.nudge_frames(doc, [1], "end", -1, 25.0))
    assert doc.cue(1).end_ms == 2960
    apply_undo_redo(doc, playhead.nudge(doc, [3], "end", playhead.NUDGE_MS))
    assert doc.cue(3).end_ms == 12100
    apply_undo_redo(doc, playhead.nudge(doc, [3], "start", -playhead.NUDGE_MS))
    assert doc.cue(3).start_ms == 8900
    with pytest.raises(ValidationError, match="cue 1 would start before 0"):
        playhead.nudge(doc, [1], "start", -5000)
    with pytest.raises(ValidationError, match="end before it starts"):
        playhead.nudge(doc, [2], "end", -3000)
    with pytest.raises(ValidationError):
        playhead.nudge(doc, [], "end", 100)


def test_split_at_playhead_cuts_text_at_nearest_boundary():
    doc = _doc()
    before = doc.snapshot()
    edit, new_id = playhead.split_at(doc, 1, 1900)
    edits.apply(doc, edit)
    assert doc.cue(1).text == "Hello there."
    assert doc.cue(new_id).text == "How are you?"
    assert doc.cue(new_id).start_ms == 1900
    assert doc.cue(1).end_ms < 1900
    doc2 = Document()
    doc2.append(Cue(1, 1000, 3000, "Hello there. How are you?"))
    edit, new_id = playhead.split_at(doc2, 1, 2500, text_pos=5)  # the editor's cursor wins
    edits.apply(doc2, edit)
    assert doc2.cue(1).text == "Hello" and doc2.cue(new_id).start_ms == 2500
    # A single word stays in the first half; the time is still cut.
    edit, new_id = playhead.split_at(doc, 2, 5000)
    edits.apply(doc, edit)
    assert doc.cue(2).text == "Fine" and doc.cue(new_id).text == ""
    with pytest.raises(ValidationError, match="not inside the cue"):
        playhead.split_at(doc, 3, 12000)
    assert before != doc.snapshot()


def test_insert_at_playhead_and_cue_under_playhead():
    doc = _doc()
    edit, new_id = playhead.insert_at(doc, 6500)
    apply_undo_redo(doc, edit)
    cue = doc.cue(new_id)
    assert cue.start_ms == 6500 and cue.end_ms <= 9000 - 83 and cue.text == ""
    assert [c.id for c in doc.cues] == [1, 2, new_id, 3]
    assert playhead.cue_at(doc, 999) is None
    assert playhead.cue_at(doc, 1000) == 1
    assert playhead.cue_at(doc, 2999) == 1
    assert playhead.cue_at(doc, 3000) is None
    assert playhead.cue_at(doc, 7000) == new_id
    assert playhead.cue_at(doc, 11999) == 3
    assert playhead.cue_at(Document(), 5) is None
    tight = Document()
    tight.append(Cue(1, 0, 1000, "a"))
    tight.append(Cue(2, 1050, 2000, "b"))
    # Inside cue 1 with no gap after it: cue 1 gives way (it keeps at least its first half).
    edit, new_id = playhead.insert_at(tight, 500)
    apply_undo_redo(tight, edit)
    assert [c.id for c in tight.cues] == [1, new_id, 2]
    assert tight.cue(1).end_ms < tight.cue(new_id).start_ms < tight.cue(new_id).end_ms < 1050
    assert tight.cue(1).end_ms >= 500


def test_media_path_relative_in_project_when_under_its_folder(tmp_path):
    media_dir = tmp_path / "media"
    media_dir.mkdir()
    doc = _doc()
    doc.metadata.media_path = str(media_dir / "talk.mp4")
    path = tmp_path / "talk.cueline"
    documents.save(doc, path)
    assert '"media_path": "media/talk.mp4"' in path.read_text(encoding="utf-8")
    assert documents.load(path).metadata.media_path == str(media_dir / "talk.mp4")

    # The folder moves: the media path moves with it.
    moved = tmp_path / "moved"
    os.rename(tmp_path / "media", tmp_path / "m2")
    moved.mkdir()
    (moved / "media").mkdir()
    os.replace(path, moved / "talk.cueline")
    assert documents.load(moved / "talk.cueline").metadata.media_path == str(moved / "media" / "talk.mp4")


def test_media_path_outside_the_folder_stays_absolute(tmp_path):
    doc = _doc()
    outside = str(tmp_path / "elsewhere" / "talk.mp4")
    doc.metadata.media_path = outside
    (tmp_path / "proj").mkdir()
    path = tmp_path / "proj" / "talk.cueline"
    documents.save(doc, path)
    assert documents.load(path).metadata.media_path == outside
    assert project.stored_media_path(outside, str(tmp_path / "proj")) == outside
    # A sibling folder whose name starts like the project's is not "under" it.
    assert project.stored_media_path(str(tmp_path / "proj2" / "a.mp4"), str(tmp_path / "proj")) == str(
        tmp_path / "proj2" / "a.mp4"
    )
    assert project.stored_media_path("", str(tmp_path)) == ""
    # Resolving is string work only: nothing is checked on disk.
    assert project.resolve_media_path("a/b.mp4", "/x/y") == os.path.normpath("/x/y/a/b.mp4")
    assert project.resolve_media_path("/abs/b.mp4", "/x/y") == "/abs/b.mp4"


def test_autosave_render_keeps_absolute_media_path(tmp_path):
    doc = _doc()
    doc.metadata.media_path = str(tmp_path / "talk.mp4")
    # render() knows no folder, so autosaves in the data folder keep the absolute path.
    assert str(tmp_path / "talk.mp4") in documents.render(doc, "cueline")
