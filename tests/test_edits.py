"""Primitive edits: apply, undo through the inverse, redo, compare whole documents."""

import pytest

from editor.core import edits
from editor.core.errors import ValidationError
from editor.core.model import Cue, Document, Speaker


def make_doc() -> Document:
    doc = Document(speakers=[Speaker("s1", "Ann"), Speaker("s2", "Bo")])
    for i in range(5):
        doc.append(doc.new_cue(i * 1000, i * 1000 + 900, f"line {i} & <i>x</i>", speaker_id="s1"))
    return doc


EDITS = [
    edits.set_field(2, "text", "changed"),
    edits.SetCueValues("speaker_id", {1: "s2", 3: None}),
    edits.SetTimes({1: (10, 20), 5: (4000, 4100)}),
    edits.InsertCues([(0, Cue(100, -5, 0, "first")), (3, Cue(101, 1500, 1600, "mid"))]),
    edits.RemoveCues([2, 4]),
    edits.SetSpeakers([Speaker("s1", "Anna", "#000000")]),
    edits.SetDocumentField("notes", "a note"),
    edits.Batch([edits.RemoveCues([1]), edits.set_field(3, "translation", "译文")]),
]


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: type(e).__name__)
def test_apply_undo_redo_restores_documents(edit):
    doc = make_doc()
    before = doc.snapshot()
    inverse, changes = edits.apply(doc, edit)
    after = doc.snapshot()
    assert after != before
    assert not changes.empty
    redo, _ = edits.apply(doc, inverse)
    assert doc.snapshot() == before
    edits.apply(doc, redo)
    assert doc.snapshot() == after


def test_set_times_refuses_end_before_start_and_changes_nothing():
    doc = make_doc()
    before = doc.snapshot()
    with pytest.raises(ValidationError):
        edits.apply(doc, edits.SetTimes({1: (50, 60), 2: (500, 100)}))
    assert doc.snapshot() == before


def test_failed_batch_rolls_back():
    doc = make_doc()
    before = doc.snapshot()
    with pytest.raises(KeyError):
        edits.apply(doc, edits.Batch([edits.set_field(1, "text", "x"), edits.RemoveCues([999])]))
    assert doc.snapshot() == before


def test_row_lookup_follows_structure_changes():
    doc = make_doc()
    edits.apply(doc, edits.RemoveCues([1]))
    assert doc.row_of(2) == 0
    edits.apply(doc, edits.InsertCues([(0, Cue(50, 0, 1, "new"))]))
    assert doc.row_of(50) == 0 and doc.row_of(2) == 1


def test_extend_adds_cues_in_order_and_refuses_repeated_ids():
    doc = Document()
    doc.append(Cue(1, 0, 1000, "one"))
    doc.extend([Cue(2, 1000, 2000, "two"), Cue(5, 2000, 3000, "five")])
    assert [c.id for c in doc.cues] == [1, 2, 5]
    assert doc.cue(5).text == "five" and doc.row_of(5) == 2
    assert doc.new_id() == 6
    for bad in ([Cue(7, 0, 1, "a"), Cue(7, 0, 1, "b")], [Cue(2, 0, 1, "again")]):
        with pytest.raises(ValueError):
            doc.extend(bad)
        assert [c.id for c in doc.cues] == [1, 2, 5]  # nothing added


def test_row_index_bulk_agrees_with_the_plain_dict_or_leaves_it_to_the_plain_paths():
    import numpy  # noqa: F401  (the bulk table is made only when NumPy is loaded)

    from editor.core.model import ROWS_BULK_MIN, _row_index, _row_index_bulk, _row_index_plain

    n = ROWS_BULK_MIN + 7
    dense = [Cue(i, 0, 1, "") for i in range(1, n + 1)]
    shuffled = dense[1::2] + dense[0::2]
    gaps = [Cue(3 * i, 0, 1, "") for i in range(n)]  # (within four ids per cue)
    for cues in (dense, shuffled, gaps, [*dense[:-1], Cue(0, 0, 1, "")]):
        bulk, plain = _row_index_bulk(cues), _row_index_plain(cues)
        assert bulk is not None and bulk == _row_index(cues)
        assert {i: bulk[i] for i in plain} == plain
        assert sum(1 for row in bulk if row >= 0) == len(plain)
    sparse = [*dense[:-1], Cue(10**9, 0, 1, "")]
    negative = [Cue(-1, 0, 1, ""), *dense[1:]]
    repeated = [*dense[:-1], Cue(1, 0, 1, "")]
    huge = [*dense[:-1], Cue(2**70, 0, 1, "")]
    for cues in (sparse, negative, repeated, huge, dense[: ROWS_BULK_MIN - 1]):
        assert _row_index_bulk(cues) is None
    assert _row_index(sparse) == _row_index_plain(sparse)


def test_a_read_document_finds_its_cues_through_the_rows_as_through_a_dict():
    """A reader's many cues (extend on a new document) are looked up through the row table until
    the set of cues changes: every answer is the one a document built cue by cue gives."""
    import numpy  # noqa: F401
    from conftest import seed_path

    from editor.core import documents
    from editor.core.model import ROWS_BULK_MIN

    seed = documents.load(str(seed_path("000"))).cues
    cues = [seed[i % len(seed)].copy(id=i + 1) for i in range(ROWS_BULK_MIN + 10)]
    read, built = Document(), Document(c.copy() for c in cues)
    read.extend(cues)
    probes = [-1, 0, 1, 2, len(cues), len(cues) + 1, 10**12, True, 1.0, None, "1"]

    def answers(doc: Document) -> list[object]:
        out: list[object] = [len(doc)]
        for cue_id in probes + [c.id for c in doc.cues[::97]]:
            out.append(doc.has_cue(cue_id))
            try:
                out.append(doc.cue(cue_id).text)
            except KeyError:
                out.append(KeyError)
        out += [doc.row_of(c.id) for c in doc.cues[::89]]
        return out

    assert answers(read) == answers(built)
    # Past len // ROW_LOOKUPS_PER_DICT lookups the dict is made: the same answers on either side.
    assert [read.cue(c.id).text for c in cues] == [built.cue(c.id).text for c in cues]
    assert answers(read) == answers(built)
    read = Document()
    read.extend(cues)
    with pytest.raises(ValueError):
        read.extend([Cue(3, 0, 1, "again")])
    assert len(read) == len(built) and read.new_id() == built.new_id() == len(cues) + 1
    for edit in (edits.RemoveCues([2, 5, 700]), edits.InsertCues([(0, Cue(10**6, 0, 1, "new"))])):
        edits.apply(read, edit)
        edits.apply(built, edit)
        assert answers(read) == answers(built)
        assert read.snapshot() == built.snapshot()
    for doc in (Document(), Document()):
        with pytest.raises(ValueError):  # a repeated id: nothing added
            doc.extend([c.copy() for c in cues] + [cues[0].copy()])
        assert len(doc) == 0


def test_a_read_documents_dict_by_id_is_made_once_when_two_threads_ask_at_once():
    """The checks worker may look a cue up (making the dict) while the GUI thread makes it for an
    edit: both must get one dict, or the edit would fill one that a second then replaces."""
    import threading
    import time

    import numpy  # noqa: F401

    from editor.core.model import ROWS_BULK_MIN

    class SlowCues(list):  # the dict is made while another thread asks for it
        def __iter__(self):
            for i, cue in enumerate(super().__iter__()):
                if i == 1:
                    time.sleep(0.05)
                yield cue

    read = Document()
    read.extend([Cue(i + 1, i, i + 1, f"cue {i}") for i in range(ROWS_BULK_MIN)])
    read.cues = SlowCues(read.cues)
    got: list[dict] = []
    threads = [threading.Thread(target=lambda: got.append(read._cue_table())) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert got[0] is got[1] is read._cue_table()
    edits.apply(read, edits.InsertCues([(0, Cue(10**6, 0, 1, "new"))]))
    assert read.cue(10**6).text == "new" and read.has_cue(ROWS_BULK_MIN)


def test_row_index_agrees_with_the_plain_dict_for_dense_sparse_and_negative_ids():
    from conftest import seed_path

    from editor.core import documents
    from editor.core.model import _row_index, _row_index_plain

    doc = documents.load(str(seed_path("000")))
    layouts = [
        doc.cues,
        [Cue(i * 7919 + 3, 0, 1, "sparse") for i in range(50)],
        [Cue(-3, 0, 1, "negative"), Cue(4, 0, 1, "b"), Cue(0, 0, 1, "c")],
        [],
    ]
    for cues in layouts:
        fast, plain = _row_index(cues), _row_index_plain(cues)
        assert {i: fast[i] for i in plain} == plain
        if not isinstance(fast, dict):
            assert sum(1 for row in fast if row >= 0) == len(plain)
    rows_before = {c.id: doc.row_of(c.id) for c in doc.cues}
    assert rows_before == _row_index_plain(doc.cues)
    gone = doc.cues[1].id
    edits.apply(doc, edits.RemoveCues([gone]))
    with pytest.raises(KeyError):
        doc.row_of(gone)
    with pytest.raises(KeyError):
        doc.row_of(10**9)
    doc.append(doc.new_cue(10**7, 10**7 + 1, "appended"))  # the index follows an append
    assert {c.id: doc.row_of(c.id) for c in doc.cues} == _row_index_plain(doc.cues)
