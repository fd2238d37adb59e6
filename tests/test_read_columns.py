"""A freshly read SubRip document keeps the reader's columns (ids, starts, ends as NumPy arrays,
Document.read_columns): the timeline's CueIndex, the QC index's time columns, duration_ms and
has_translation take them instead of passes over the Cue objects. They must agree with the plain
paths on real files, and every edit (shift, retime, split, merge, delete, insert, text,
translation, undo) must drop them: a stale column would answer old times."""

from __future__ import annotations

import random

import numpy as np
import pytest

from editor.core import documents, edits, operations, qc
from editor.core.errors import EditorError
from editor.core.model import Document, Timing
from editor.core.qc import QcIndex, QcProfile
from editor.qt.views import timeline_geometry
from editor.qt.views.timeline_geometry import CueIndex
from tests.conftest import SHARED, seed_path

REALWORLD = SHARED / "realworld" / "files"
PROFILE = QcProfile(disabled=frozenset({"spelling"}))


def _tc(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def _generated_srt(n: int, seed: int) -> str:
    """A canonical SubRip text of `n` cues: overlapping, out-of-order and zero-length cues, some
    speaker labels, long and empty texts (what /tmp/sb's generator and the peers' files hold)."""
    rng = random.Random(seed)
    blocks, t = [], 0
    for i in range(1, n + 1):
        t += rng.randint(0, 2500)
        start = rng.randint(0, t) if rng.random() < 0.05 else t
        end = start + rng.choice([0, rng.randint(1, 12_000)])
        text = rng.choice(["Hello there.", "BOB: who is it?", "A line far longer than forty-two characters.",
                           "Two\nlines", "<i>italic</i>", "Ещё строка", "中文字幕"])
        blocks.append(f"{i}\n{_tc(start)} --> {_tc(end)}\n{text}")
    return "\n\n".join(blocks) + "\n"


def _read(tmp_path, text: str, name: str = "x.srt") -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return documents.load(path)


def _documents(tmp_path) -> list[Document]:
    """Read SubRip documents: the realworld .srt files, the seeds written as SubRip and read
    back, and generated files."""
    docs = []
    if REALWORLD.is_dir():
        for path in sorted(REALWORLD.glob("*.srt")):
            try:
                docs.append(documents.load(path))
            except (EditorError, OSError, ValueError):  # files our reader refuses
                continue
    for prefix in ("000", "001"):
        seed = documents.load(seed_path(prefix))
        docs.append(_read(tmp_path, documents.render(seed, "srt"), f"seed{prefix}.srt"))
    for n, seed in ((1, 1), (7, 2), (3000, 3), (20_000, 4)):
        docs.append(_read(tmp_path, _generated_srt(n, seed), f"gen{n}.srt"))
    return docs


def _plain_index(doc: Document, monkeypatch: pytest.MonkeyPatch) -> CueIndex:
    with monkeypatch.context() as m:
        m.setattr(timeline_geometry, "_columns_read", lambda doc, slots: None)
        return CueIndex.build(doc)


def _plain_qc(doc: Document, monkeypatch: pytest.MonkeyPatch) -> QcIndex:
    with monkeypatch.context() as m:
        m.setattr(doc, "read_columns", lambda: None)
        return QcIndex(doc, PROFILE)


def assert_agree(doc: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every consumer of the columns answers what its plain path answers from the cues."""
    assert doc.duration_ms == doc.duration_ms_plain() == max((c.end_ms for c in doc.cues), default=0)
    assert doc.has_translation() == doc.has_translation_plain() == any(c.translation for c in doc.cues)
    fast, plain = CueIndex.build(doc), _plain_index(doc, monkeypatch)
    for name in (*CueIndex._ARRAYS, "prev_max_end"):
        assert np.array_equal(getattr(fast, name), getattr(plain, name)), name
    # ... and both are the cues' own values, sorted by start.
    order = sorted(range(len(doc.cues)), key=lambda i: doc.cues[i].start_ms)
    assert plain.ids.tolist() == [doc.cues[i].id for i in order]
    assert plain.starts.tolist() == [doc.cues[i].start_ms for i in order]
    assert plain.ends.tolist() == [doc.cues[i].end_ms for i in order]
    fast_qc, plain_qc = QcIndex(doc, PROFILE), _plain_qc(doc, monkeypatch)
    assert fast_qc.all() == plain_qc.all()
    assert fast_qc.counts() == plain_qc.counts()


@pytest.fixture(autouse=True)
def bulk_on_every_size(monkeypatch):
    """The QC index's NumPy paths (which take the columns) serve documents of any length here."""
    monkeypatch.setattr(qc, "_BULK_MIN_CUES", 1)


def test_a_read_document_carries_its_columns_and_they_agree_with_the_cues(tmp_path, monkeypatch):
    docs = _documents(tmp_path)
    with_columns = [doc for doc in docs if doc.read_columns() is not None]
    assert len(with_columns) >= 6  # the generated files and the seeds at least
    for doc in with_columns:
        columns = doc.read_columns()
        assert columns.ids.tolist() == [c.id for c in doc.cues]
        assert columns.starts.tolist() == [c.start_ms for c in doc.cues]
        assert columns.ends.tolist() == [c.end_ms for c in doc.cues]
        assert not columns.translated and not columns.estimated
    for doc in docs:
        assert_agree(doc, monkeypatch)


def test_the_columns_are_never_written_by_their_readers(tmp_path):
    doc = _read(tmp_path, _generated_srt(500, 9))
    columns = doc.read_columns()
    before = (columns.starts.copy(), columns.ends.copy(), columns.ids.copy())
    index = CueIndex.build(doc)
    index.starts[0] = -1  # the index's arrays are its own
    QcIndex(doc, PROFILE)
    with pytest.raises(ValueError):
        columns.starts[0] = 5
    after = (columns.starts, columns.ends, columns.ids)
    assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))


def _shift(doc: Document) -> edits.Edit:
    return operations.shift_cues(doc, None, 1234)


def _shift_some(doc: Document) -> edits.Edit:
    return operations.shift_cues(doc, [c.id for c in doc.cues[5:40]], 700)


def _retime(doc: Document) -> edits.Edit:
    cue = doc.cues[10]
    return operations.retime(doc, {cue.id: (cue.start_ms + 50, cue.end_ms + 99_000)})


def _split(doc: Document) -> edits.Edit:
    cue = next(c for c in doc.cues[3:] if c.end_ms - c.start_ms > 600 and len(c.text) > 4)
    return operations.split_cue(doc, cue.id, 2)[0]


def _merge(doc: Document) -> edits.Edit:
    return operations.merge_cues(doc, [doc.cues[20].id, doc.cues[21].id])


def _delete(doc: Document) -> edits.Edit:
    return operations.delete_cues(doc, [doc.cues[-1].id, doc.cues[30].id])


def _insert(doc: Document) -> edits.Edit:
    return operations.insert_cue(doc, at_ms=doc.duration_ms + 5000, text="new")[0]


def _translate(doc: Document) -> edits.Edit:
    return edits.set_field(doc.cues[40].id, "translation", "перевод")


def _end_later(doc: Document) -> edits.Edit:
    return edits.SetCueValues("end_ms", {doc.cues[0].id: doc.duration_ms + 10_000})


def _estimate(doc: Document) -> edits.Edit:
    return edits.SetCueValues("timing", {doc.cues[7].id: Timing.ESTIMATED, doc.cues[90].id: Timing.ESTIMATED})


EDITS = [_shift, _shift_some, _retime, _split, _merge, _delete, _insert, _translate, _end_later, _estimate]


@pytest.mark.parametrize("make", EDITS, ids=lambda f: f.__name__.strip("_"))
def test_every_edit_and_its_undo_drop_the_columns(tmp_path, monkeypatch, make):
    doc = _read(tmp_path, _generated_srt(3000, 5))
    assert doc.read_columns() is not None
    assert_agree(doc, monkeypatch)
    inverse, _ = edits.apply(doc, make(doc))
    assert doc.read_columns() is None  # what stops a stale column answering
    assert_agree(doc, monkeypatch)
    edits.apply(doc, inverse)  # undo
    assert doc.read_columns() is None
    assert_agree(doc, monkeypatch)


def test_a_translation_set_and_undone_is_answered(tmp_path):
    doc = _read(tmp_path, _generated_srt(200, 6))
    assert not doc.has_translation()
    inverse, _ = edits.apply(doc, _translate(doc))
    assert doc.has_translation()
    edits.apply(doc, inverse)
    assert not doc.has_translation()


def test_a_file_the_numpy_pass_refuses_has_no_columns(tmp_path, monkeypatch):
    # A whitespace-only line sends the file to the line-by-line reader: no columns, same answers.
    text = _generated_srt(300, 7).replace("\n\n150\n", "\n \n\n150\n", 1)
    doc = _read(tmp_path, text)
    assert len(doc) == 300 and doc.read_columns() is None
    assert_agree(doc, monkeypatch)
