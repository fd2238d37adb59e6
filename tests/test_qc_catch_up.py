"""QC's background rebuild under a stream of edits: a rebuild that in-place cue edits overtook is
adopted and brought up to date (QcIndex.update with the edits merged), not thrown away and
retried (which, under a key held down on a long document, never landed); a structural edit
meanwhile still rebuilds. Either way the result equals a fresh index of the edited document."""

from __future__ import annotations

import random
import threading

import pytest

from editor.core import edits
from editor.core.edits import ChangeSet
from editor.core.model import Document, Speaker
from editor.core.qc import QcIndex, QcProfile
from editor.qt.controller import Controller
from editor.qt.cue_model import CueTableModel, QcTracker


def _doc(n: int) -> Document:
    """Cues 2 s apart, 1.5 s long, one overlap (cues 20 and 21), some speakers and translations."""
    doc = Document(speakers=[Speaker("s1", "Ann"), Speaker("s2", "Bo")], source_language="en")
    for i in range(n):
        cue = doc.new_cue(i * 2000, i * 2000 + 1500, f"Line {i} of a long file")
        if i % 3 == 0:
            cue.speaker_id = "s1" if i % 2 else "s2"
        if i % 4 == 0:
            cue.translation = f"Zeile {i} einer langen Datei"
        doc.append(cue)
    overlap = doc.cues[20]
    overlap.end_ms = doc.cues[21].start_ms + 300
    return doc


def _assert_same(index: QcIndex, doc: Document, styles=None) -> None:
    fresh = QcIndex(doc, QcProfile(styles=styles) if styles is not None else QcProfile())
    assert index.counts() == fresh.counts()
    assert index.count == fresh.count
    for cue in doc.cues:
        assert index.problems_for(cue.id) == fresh.problems_for(cue.id), cue.id


@pytest.fixture
def held(monkeypatch):
    """Patch QcTracker.build so that each build, once done, waits for `release` before returning:
    the edits of a test land after the index read the document, so it is stale for them."""
    release = threading.Event()
    builds: list[int] = []
    real_build = QcTracker.build
    main = threading.get_ident()

    def build(doc, *args, **kw):
        index = real_build(doc, *args, **kw)
        if threading.get_ident() != main:  # (the model's first index is built at once)
            builds.append(1)
            release.wait(30)
        return index

    monkeypatch.setattr(QcTracker, "build", staticmethod(build))
    return release, builds


def _model(n: int) -> tuple[Controller, CueTableModel]:
    controller = Controller(_doc(n))
    model = CueTableModel(controller)
    model.adopt_qc_index(QcIndex(controller.document, QcProfile(styles=controller.styles)))
    return controller, model


def test_in_place_edits_during_a_rebuild_are_caught_up_without_a_second_build(qtbot, held):
    release, builds = held
    controller, model = _model(3000)
    doc = controller.document
    model.qc.rebuild_in_background()
    qtbot.waitUntil(lambda: bool(builds), timeout=60_000)  # built, held before handing it over
    cues = doc.cues
    # A held key nudging a cue: many small edits, one of them making an overlap with the next
    # cue, another removing the document's one overlap; text, speaker and translation too.
    for step in range(1, 30):
        controller.apply(edits.SetTimes({cues[5].id: (cues[5].start_ms, 10_000 + 100 * step)}), "nudge")
    controller.apply(edits.SetTimes({cues[20].id: (cues[20].start_ms, cues[20].start_ms + 1500)}), "fix")
    controller.apply(edits.set_field(cues[40].id, "text", "x" * 300), "long line")
    controller.apply(edits.set_field(cues[41].id, "speaker_id", "s2"), "speaker")
    controller.apply(edits.set_field(cues[42].id, "translation", "Übersetzung"), "translation")
    controller.apply(edits.set_field(cues[44].id, "translation", ""), "no translation")
    assert model.qc.rebuilding
    release.set()
    qtbot.waitUntil(lambda: not model.qc.rebuilding, timeout=60_000)
    qtbot.wait(300)  # a retry (there must be none) would be under way by now

    assert len(builds) == 1  # adopted, not built again
    index = model.qc.index
    assert index is not None
    assert any(p.check == "overlap" for p in index.problems_for(cues[5].id))
    assert not any(p.check == "overlap" for p in index.problems_for(cues[20].id))
    _assert_same(index, doc, controller.styles)
    assert model.qc.count() == index.count


@pytest.mark.parametrize("structural", ["insert", "remove"])
def test_an_insertion_or_removal_during_a_rebuild_builds_again(qtbot, held, structural):
    release, builds = held
    controller, model = _model(3000)
    doc = controller.document
    model.qc.rebuild_in_background()
    qtbot.waitUntil(lambda: bool(builds), timeout=60_000)
    controller.apply(edits.SetTimes({doc.cues[5].id: (doc.cues[5].start_ms, 12_000)}), "nudge")
    if structural == "insert":
        cue = doc.new_cue(1_000_000, 1_000_100, "new")
        controller.apply(edits.InsertCues([(100, cue)]), "insert")
    else:
        controller.apply(edits.RemoveCues([doc.cues[21].id]), "remove")
    release.set()
    qtbot.waitUntil(lambda: len(builds) >= 2 and not model.qc.rebuilding, timeout=60_000)
    assert len(builds) == 2  # the first result was thrown away, the second adopted
    assert model.qc.index is not None
    _assert_same(model.qc.index, doc, controller.styles)


def test_many_cues_edited_during_a_rebuild_build_again(qtbot, held, monkeypatch):
    from editor.qt import cue_model

    monkeypatch.setattr(cue_model, "BACKGROUND_QC_MIN_CUES", 10)  # "many" for a short document
    release, builds = held
    controller, model = _model(300)
    doc = controller.document
    model.qc.rebuild_in_background()
    qtbot.waitUntil(lambda: bool(builds), timeout=60_000)
    for cue in doc.cues[:12]:  # one at a time: each small, together too many to catch up
        controller.apply(edits.set_field(cue.id, "text", "x" * 200), "long line")
    release.set()
    qtbot.waitUntil(lambda: len(builds) >= 2 and not model.qc.rebuilding, timeout=60_000)
    assert len(builds) == 2
    _assert_same(model.qc.index, doc, controller.styles)


def _random_edit(rng: random.Random, doc: Document) -> edits.Edit:
    cues = doc.cues
    cue = cues[rng.randrange(len(cues))]
    kind = rng.randrange(5)
    if kind == 0:  # move: may make or remove an overlap, a short gap, a too short cue
        start = max(0, cue.start_ms + rng.randrange(-2500, 2500))
        return edits.SetTimes({cue.id: (start, start + rng.choice((50, 800, 1500, 4000, 9000)))})
    if kind == 1:
        return edits.set_field(cue.id, "text", rng.choice(("", "ok", "x" * 120, "a\nb\nc", "Line")))
    if kind == 2:
        return edits.set_field(cue.id, "speaker_id", rng.choice((None, "s1", "s2", "nobody")))
    if kind == 3:  # moves the median translation ratio, the "any translation" flag
        return edits.set_field(cue.id, "translation", rng.choice(("", "kurz", "z" * 200, "Zeile eins")))
    ids = [c.id for c in rng.sample(cues, 3)]
    return edits.SetCueValues("text", {i: rng.choice(("", "word", "y" * 90)) for i in ids})


@pytest.mark.parametrize("seed", range(8))
def test_an_index_built_before_in_place_edits_catches_up_with_their_merge(seed):
    # What QcTracker does with a rebuild the edits overtook: the index of the document as it
    # was, updated once with every ChangeSet since merged, equals a fresh index.
    rng = random.Random(seed)
    doc = _doc(rng.choice((60, 400)))  # below and above the bulk (coded) path's size
    if seed % 2:
        for cue in doc.cues:  # no translation anywhere: the first one switches the checks on
            cue.translation = ""
    index = QcIndex(doc, QcProfile())
    merged = ChangeSet()
    for _ in range(rng.randrange(1, 40)):
        _inverse, changes = edits.apply(doc, _random_edit(rng, doc))
        merged.merge(changes)
    index.update(merged)
    _assert_same(index, doc)
