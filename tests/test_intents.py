"""The rules of the intents every view shares, decided once in the core: retiming by hand
confirms a cue's timing, typing a translation sets its review state, a speaker is assigned
by name, and a file opens with its translation the same way for the window and the CLI."""

from __future__ import annotations

import pytest
from conftest import seed_path
from support.undo import apply_undo_redo

from editor import cli
from editor.core import documents, edits, operations, playhead
from editor.core.errors import ValidationError
from editor.core.model import Document, Review, Timing


def _doc() -> Document:
    doc = Document()
    doc.append(doc.new_cue(1000, 2000, "one", timing=Timing.ESTIMATED))
    doc.append(doc.new_cue(3000, 4000, "two", timing=Timing.ESTIMATED))
    return doc


def test_retime_by_the_user_confirms_the_timing_and_a_tool_does_not():
    doc = _doc()
    apply_undo_redo(doc, operations.retime(doc, {1: (900, 2000)}))
    assert (doc.cue(1).start_ms, doc.cue(1).timing) == (900, Timing.EXACT)
    edits.apply(doc, operations.retime(doc, {2: (3100, 4100)}, by_user=False))
    assert (doc.cue(2).start_ms, doc.cue(2).timing) == (3100, Timing.ESTIMATED)
    with pytest.raises(ValidationError):
        operations.retime(doc, {2: (-1, 4000)})
    with pytest.raises(ValidationError):
        operations.retime(doc, {2: (4000, 3000)})
    with pytest.raises(ValidationError):
        operations.retime(doc, {99: (0, 10)})


@pytest.mark.parametrize(
    "build",
    [
        lambda d: playhead.set_start_at(d, 1, 1200),
        lambda d: playhead.set_end_at(d, 1, 1800),
        lambda d: playhead.nudge(d, [1], "start", 100),
        lambda d: playhead.nudge(d, [1], "end", -100),
        lambda d: playhead.nudge_frames(d, [1], "start", 1, 25.0),
        lambda d: playhead.nudge_frames(d, [1], "end", -1, 25.0),
    ],
    ids=["F9", "F10", "start+100ms", "end-100ms", "start+frame", "end-frame"],
)
def test_every_timing_by_ear_route_confirms_the_cue(build):
    doc = _doc()
    apply_undo_redo(doc, build(doc))
    assert doc.cue(1).timing == Timing.EXACT
    assert doc.cue(2).timing == Timing.ESTIMATED


@pytest.mark.parametrize(
    ("state", "old", "typed", "expected"),
    [
        (Review.UNTRANSLATED, "", "Hallo", Review.NEEDS_REVIEW),
        (Review.NEEDS_REVIEW, "Hallo", "Hallo!", Review.NEEDS_REVIEW),
        (Review.REVIEWED, "Hallo", "Hallo!", Review.NEEDS_REVIEW),
        (Review.REVIEWED, "Hallo", "Hallo", Review.REVIEWED),
        (Review.NEEDS_REVIEW, "Hallo", "  ", Review.UNTRANSLATED),
        (Review.REVIEWED, "Hallo", "", Review.UNTRANSLATED),
    ],
)
def test_typing_a_translation_decides_its_review_state(state, old, typed, expected):
    doc = Document()
    doc.append(doc.new_cue(0, 1000, "Hello", translation=old, review=state))
    apply_undo_redo(doc, operations.type_translation(doc, 1, typed))
    assert (doc.cue(1).translation, doc.cue(1).review) == (typed, expected)


def test_assigning_a_speaker_by_name_reuses_adds_or_clears():
    doc = _doc()
    ann = doc.ensure_speaker("Ann")
    apply_undo_redo(doc, operations.assign_speaker_named(doc, [1, 2], "  Ann "))
    assert [c.speaker_id for c in doc.cues] == [ann.id, ann.id]
    apply_undo_redo(doc, operations.assign_speaker_named(doc, [2], "Bo"))
    bo = doc.speaker_by_name("Bo")
    assert bo is not None and doc.cue(2).speaker_id == bo.id and len(doc.speakers) == 2
    apply_undo_redo(doc, operations.assign_speaker_named(doc, [1], ""))
    assert doc.cue(1).speaker_id is None
    with pytest.raises(ValidationError):
        operations.assign_speaker_named(doc, [42], "Cy")


def test_attaching_a_translation_records_its_file_through_the_edit_path():
    src, tr = seed_path("000"), seed_path("001")
    doc = documents.load(src)
    other = documents.read_translation(tr)
    plan = documents.plan_translation(doc, other)
    before = doc.snapshot()
    inverse, changes = edits.apply(doc, documents.attach_translation_edit(doc, other, plan))
    assert doc.sources["translation"].path == str(tr)
    assert "sources" in changes.document and doc.translation_language
    edits.apply(doc, inverse)
    assert "translation" not in doc.sources and doc.snapshot() == before


def test_the_window_and_the_cli_open_a_file_with_its_translation_alike():
    from editor.qt.session import load_job

    src, tr = seed_path("000"), seed_path("001")
    args = cli.build_parser().parse_args(["inspect", str(src), "--translation", str(tr)])
    by_cli = cli.load_with_translation(args)
    by_window, _qc = load_job(str(src), str(tr))
    assert by_cli.translation_language == by_window.translation_language is not None
    assert by_cli.source_language == by_window.source_language is not None
    assert by_cli.sources["translation"].path == by_window.sources["translation"].path == str(tr)
    # The same speakers carried (or not) under the one rule (the window keeps label
    # spellings apart to offer their merge; the CLI merges them).
    assert bool(by_cli.speakers) == bool(by_window.speakers)
    assert [c.translation for c in by_cli.cues][:50] == [c.translation for c in by_window.cues][:50]
