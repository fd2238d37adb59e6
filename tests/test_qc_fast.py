"""QC's whole-document fast paths (local_problems_fast, lacking_translation, unclear_pairs,
pair_table_fast, and the NumPy codes own_codes_bulk and pair_codes_bulk whose Problems the index
builds when asked) build the very index the plain per-cue versions build: on the shared seeds,
realworld and bilingual files, the peers' generated cues and on random documents made to trip
every check."""

from __future__ import annotations

import importlib.util
import pathlib
import random
from itertools import pairwise

import pytest

from editor.core import edits, id_tables, qc
from editor.core.model import Cue, Document, Speaker, Timing
from editor.core.qc import QcIndex, QcProfile
from editor.core.style import StyleSettings, TrackStyle
from tests.support.shared_docs import shared_docs

TEXTS = [
    "We are releasing two models today.",
    "So what is reasoning anyway?\nIt thinks before it answers.",
    "A line far longer than forty-two characters, which the limit flags.",
    "One\nTwo\nThree lines",
    "<i>In italics</i>, said she.",
    "1 < 2 & 3 > 2",
    "<b></b>",
    "",
    "   ",
    "我们今天发布两个模型。",
    "那么什么是推理？它先思考再回答，这是一行很长的中文字幕文本。",
    "ｈａｌｆ and ｆｕｌｌ width ＡＢＣ",
    "Teh speling is rong hier.",
    "Price: 1,000 dollars.",
]
TRANSLATIONS = [
    "",
    "",
    "我们今天发布两个模型。",
    "We are releasing two models today.",
    "<i></i>",
    "1000 美元。",
    " ",
]


def random_doc(rng: random.Random, n: int, *, language: str | None, translated: bool) -> Document:
    doc = Document(speakers=[Speaker("s1", "Ann"), Speaker("s2", "Bo")], source_language=language)
    t = 0
    for _ in range(n):
        t += rng.choice([0, 40, 100, 300, 2000, -500])
        dur = rng.choice([1, 500, 900, 2500, 6000, 9000, 0, -100])
        cue = doc.new_cue(
            t,
            t + dur,
            rng.choice(TEXTS),
            speaker_id=rng.choice([None, None, "s1", "s2", "ghost"]),
            translation=rng.choice(TRANSLATIONS) if translated else "",
        )
        if rng.random() < 0.1:
            cue.timing = Timing.ESTIMATED
        doc.append(cue)
        t += max(dur, 0)
    if translated and rng.random() < 0.5:
        doc.translation_language = "zh-cn"
    return doc


def plain_index(doc: Document, profile: QcProfile, monkeypatch: pytest.MonkeyPatch) -> QcIndex:
    """The index built with the plain per-cue versions in place of the fast paths."""
    with monkeypatch.context() as m:
        m.setattr(qc, "local_problems_fast", qc.local_problems)
        m.setattr(qc, "lacking_translation", lambda cues: {c.id for c in cues if qc._lacks_translation(c)})
        m.setattr(
            qc,
            "unclear_pairs",
            lambda cues, gap: [(a, b) for a, b in pairwise(cues) if not qc.pair_is_clear(a, b, gap)],
        )
        m.setattr(qc, "pair_table_fast", qc.pair_table)
        m.setattr(qc, "own_codes_bulk", lambda *args: None)
        m.setattr(qc, "pair_codes_bulk", lambda *args: None)
        return QcIndex(doc, profile)


@pytest.fixture(autouse=True)
def bulk_on_every_size(monkeypatch):
    """The NumPy codes serve documents of any length here (the index keeps them for long ones)."""
    monkeypatch.setattr(qc, "_BULK_MIN_CUES", 1)


def assert_same(fast: QcIndex, plain: QcIndex) -> None:
    assert fast.all() == plain.all()
    assert fast.counts() == plain.counts()
    assert fast.count == plain.count
    for cue in fast.doc.cues:
        assert fast.problems_for(cue.id) == plain.problems_for(cue.id)
        assert fast.has_problems(cue.id) == plain.has_problems(cue.id)


PROFILES = [
    QcProfile(disabled=frozenset({"spelling"})),
    QcProfile(disabled=frozenset({"spelling", "cps", "speaker_missing"})),
    QcProfile(
        styles=StyleSettings(
            source=TrackStyle(overrides={"max_chars": 20, "max_cps": 12.0, "max_lines": 1, "min_gap_ms": 200})
        )
    ),
    # Three lines allowed: a text of three lines within the limits, or with one line too long.
    QcProfile(
        styles=StyleSettings(source=TrackStyle(overrides={"max_chars": 12, "max_lines": 3})),
        disabled=frozenset({"spelling", "gap"}),
    ),
]


def test_fast_index_equals_plain_on_the_shared_files(monkeypatch):
    docs = shared_docs()
    assert len(docs) > 50
    assert any(any(c.translation for c in d.cues) for d in docs)
    for doc in docs:
        for profile in (PROFILES[0], PROFILES[2]):
            assert_same(QcIndex(doc, profile), plain_index(doc, profile, monkeypatch))


@pytest.mark.parametrize("seed", range(12))
def test_fast_index_equals_plain_on_random_documents(seed, monkeypatch):
    rng = random.Random(seed)
    language = [None, "en", "zh-cn", "ja", "fr", "en"][seed % 6]
    doc = random_doc(rng, 300, language=language, translated=seed % 3 == 0)
    for profile in PROFILES:
        fast = QcIndex(doc, profile)
        assert_same(fast, plain_index(doc, profile, monkeypatch))
    assert fast.count > 0


@pytest.mark.parametrize("block", [8192, 64])
def test_fast_index_with_spelling_equals_plain(monkeypatch, block):
    # (Blocks of 64 cues: the texts own_codes_bulk joins reach the spelling pass in several.)
    monkeypatch.setattr(qc, "_TEXT_BLOCK", block)
    doc = random_doc(random.Random(7), 200, language="en", translated=False)
    fast = QcIndex(doc, QcProfile())
    assert "spelling" in fast.counts()
    assert_same(fast, plain_index(doc, QcProfile(), monkeypatch))


def test_unclear_pairs_are_the_pairs_pair_is_clear_rejects():
    rng = random.Random(3)
    cues = [
        Cue(i, s, s + rng.randint(-50, 3000), "x")
        for i, s in enumerate(rng.randint(0, 60_000) for _ in range(500))
    ]
    for gap in (0, 83, 200):
        expected = [(a, b) for a, b in pairwise(cues) if not qc.pair_is_clear(a, b, gap)]
        assert qc.unclear_pairs(cues, gap) == expected
        assert expected


def test_lacking_translation_is_the_cues_lacks_translation_names():
    rng = random.Random(5)
    doc = random_doc(rng, 400, language="en", translated=True)
    expected = {c.id for c in doc.cues if qc._lacks_translation(c)}
    assert qc.lacking_translation(doc.cues) == expected
    assert 0 < len(expected) < len(doc)


@pytest.mark.parametrize(
    "ids", [list(range(1, 200)), list(range(40, 90)), [2, 1, 3], [5, 10**9, 3, 7, -4, 2**40], []]
)
def test_id_tables_behave_as_the_dict_and_set_they_replace(ids):
    import numpy as np

    rng = random.Random(len(ids))
    prev, nxt = id_tables.IdLinks.chain(ids)
    ref_prev = dict(zip(ids, [None, *ids[:-1]], strict=False))
    ref_next = dict(zip(ids, [*ids[1:], None], strict=False))
    # Given the ids as a NumPy array too (the index's bulk build): the same sizes and links.
    id_array = np.array(ids, np.int64)
    assert id_tables.dense_size(ids, id_array) == id_tables.dense_size(ids)
    run = bool(ids) and ids == list(range(ids[0], ids[0] + len(ids)))
    assert id_tables.consecutive(ids, id_array) == id_tables.consecutive(ids) == run
    for links, ref in zip(id_tables.IdLinks.chain(ids, None, id_array), (ref_prev, ref_next), strict=True):
        assert all(links.get(cid, "absent") == want for cid, want in ref.items()) and len(links) == len(ref)
    flags, ref_flags = id_tables.IdSet(ids[::2], 50), set(ids[::2])
    pool = [*ids, 0, 250, 5000, 10**12, -1]
    for _ in range(2000):
        cid, other = rng.choice(pool), rng.choice([*pool, None])
        op = rng.randrange(4)
        for links, ref in ((prev, ref_prev), (nxt, ref_next)):
            if op == 0:
                links[cid] = other
                ref[cid] = other
            elif op == 1 and cid in ref:
                assert links.pop(cid) == ref.pop(cid)
            assert (cid in links) == (cid in ref)
            assert links.get(cid, "absent") == ref.get(cid, "absent")
        if op == 2:
            flags.add(cid)
            ref_flags.add(cid)
        elif op == 3:
            flags.discard(cid)
            ref_flags.discard(cid)
        assert (cid in flags) == (cid in ref_flags) and len(flags) == len(ref_flags)
    assert len(prev) == len(ref_prev) and len(nxt) == len(ref_next)
    with pytest.raises(KeyError):
        nxt[-99]
    prev.clear()
    flags.clear()
    assert len(prev) == 0 and len(flags) == 0 and 5 not in flags


def test_as_id_array_keeps_every_id_exact():
    import numpy as np

    ids = [3, 1, 2, 10**9]
    made = id_tables.as_id_array(ids)
    assert made.dtype == np.int64 and made.tolist() == ids
    given = np.array(ids, np.int64)
    assert id_tables.as_id_array(ids, given) is given
    # Beyond 64 bits: Python ints, exact (np.array(ids) made them floats, 2**63 + 5 lost its 5).
    big = [3, 2**63 + 5, -(2**63) - 1, 2**70]
    assert id_tables.as_id_array(big).tolist() == big
    assert qc._id_array(big) is None and qc._id_array(ids).tolist() == ids


def test_index_of_sparse_ids_equals_plain(monkeypatch):
    doc = Document(source_language="en")
    for i, cid in enumerate([3, 10**9, 7, 2**40, 8]):
        doc.append(Cue(cid, i * 1000, i * 1000 + 950, TEXTS[i]))
    profile = QcProfile(disabled=frozenset({"spelling"}))
    index = QcIndex(doc, profile)
    assert_same(index, plain_index(doc, profile, monkeypatch))
    assert {p.check for p in index.all()} >= {"gap", "line_length"}


# -- the NumPy codes ------------------------------------------------------------------------------

BILINGUAL = [
    "Who were podcast over some when out,\n你集须老下之究儿其处农次级况山。",
    "了叫过果风。每感断矿被平接出东期先质道，还有很多很多字\nPeople such off who mother.",
    "GPT-4\n我们今天发布两个模型，这是一行超过十六个字的中文。",  # a name under Chinese: no stacked cue
    "- Yes.\n- 是的，我们今天发布两个模型，这是很长的一行。",  # a dialogue: no stacked cue
    "  \n这是一行超过十六个字的中文字幕，用来检查宽度。",
    "Yes.\n这是一行超过十六个字的中文字幕，用来检查宽度。",
    "WHAT\n这是一行超过十六个字的中文字幕，用来检查宽度。",
    "Ok then\nこれは十六文字を超える日本語の字幕です、幅を確かめます。",
    "한국어 자막\n这是一行超过十六个字的中文字幕，用来检查宽度。",
    "Café au lait, s'il vous plaît\n这是一行超过十六个字的中文字幕，用来检查宽度。",
    "We go\n这是一行超过十六个字的中文字幕\n第三行也是中文字幕，用来检查宽度。",
    "<i>Italic words here</i>\n<i>这是一行超过十六个字的中文字幕，用来检查宽度。</i>",
    "A line of forty-three characters, just over\n这是一行。",
    "𠀀𠀁𠀂 astral\n𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈𠀉𠀊𠀋𠀌𠀍𠀎𠀏𠀐",
    "\u3000",
    "ｈａｌｆ and ｆｕｌｌ width ＡＢＣ ｈａｌｆ and ｆｕｌｌ width ＡＢＣ",
    "one\ntwo\nthree\nfour",
]


def bilingual_doc(rng: random.Random, n: int, language: str | None) -> Document:
    doc = random_doc(rng, n, language=language, translated=False)
    for cue in doc.cues:
        if rng.random() < 0.5:
            cue.text = rng.choice(BILINGUAL)
    return doc


GEN = pathlib.Path(__file__).resolve().parents[2] / "shared" / "bench" / "gen.py"


def generated_doc(n: int) -> Document | None:
    """The peers' generated cues (mixed English/Chinese, stacked bilingual cues), as Cueline reads them."""
    if not GEN.exists():
        return None
    spec = importlib.util.spec_from_file_location("peers_gen", GEN)
    gen = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(gen)  # type: ignore[union-attr]
    from editor.core import documents

    text = gen.render_srt(gen.make_cues(n))
    doc = documents.pick_format(text, "cues.srt").read(text, None)
    doc.source_language = "en"
    return doc


def assert_codes_agree(doc: Document, profile: QcProfile) -> int:
    """Check own_codes_bulk against own_codes and pair_codes_bulk against pair_codes; return how
    many cues the bulk path coded (not left to _own_problems)."""
    import numpy as np

    index = QcIndex(doc, profile)
    ctx = index._ctx
    cues = doc.cues
    starts = np.array([c.start_ms for c in cues], np.int64)
    ends = np.array([c.end_ms for c in cues], np.int64)
    plain = qc.own_codes(cues, ctx)
    bulk = qc.own_codes_bulk(cues, ctx, starts, ends)
    if bulk is None:
        translated = sum(bool(c.translation) for c in cues)
        assert ctx.source_style is None or not cues or (ctx.any_translation and translated * 2 > len(cues))
        coded = 0
    else:
        bulk = bulk.tolist()
        assert len(bulk) == len(plain)
        for cue, b, p in zip(cues, bulk, plain, strict=True):
            if b != qc._PLAIN_CODE:
                assert b == p, (cue.text, b, p)
        coded = sum(b != qc._PLAIN_CODE for b in bulk)
    if cues:
        gap = ctx.timing_style.min_gap_ms
        assert qc.pair_codes_bulk(starts, ends, profile, gap).tolist() == qc.pair_codes(cues, profile, gap)
    return coded


def test_codes_equal_plain_on_the_shared_files():
    coded = 0
    for doc in shared_docs():
        for profile in (PROFILES[0], PROFILES[2]):
            coded += assert_codes_agree(doc, profile)
    assert coded > 1000


@pytest.mark.parametrize("seed", range(12))
def test_codes_equal_plain_on_random_documents(seed):
    rng = random.Random(seed)
    language = [None, "en", "zh-cn", "ja", "fr", "ko"][seed % 6]
    doc = bilingual_doc(rng, 400, language)
    for profile in PROFILES:
        coded = assert_codes_agree(doc, profile)
    assert language is None or coded > 50
    # A few cues translated: theirs are left to _own_problems, the others still coded.
    for cue in doc.cues[::5]:
        cue.translation = rng.choice(TRANSLATIONS[2:])
    for profile in PROFILES[:2]:
        coded = assert_codes_agree(doc, profile)
    assert language is None or coded > 50


def test_codes_equal_plain_on_generated_cues(monkeypatch):
    doc = generated_doc(3000)
    if doc is None:
        pytest.skip(f"{GEN} is not there")
    stacked = sum(qc.stacked_parts(c.text) is not None for c in doc.cues)
    assert stacked > 300  # the bilingual cues are there to check
    for profile in PROFILES:
        assert assert_codes_agree(doc, profile) > 1000
    for profile in (PROFILES[0], PROFILES[2]):
        assert_same(QcIndex(doc, profile), plain_index(doc, profile, monkeypatch))
        # What `check` builds (every Problem at once) is the same.
        assert QcIndex(doc, profile, coded=False).all() == QcIndex(doc, profile).all()


def test_whitespace_code_points_are_those_isspace_names():
    import numpy as np

    assert qc._SPACES == [code for code in range(0x110000) if chr(code).isspace()]
    codes = np.arange(0x110000)
    looked_up = qc._space_table()[np.minimum(codes, qc._SPACE_BEYOND)]
    assert np.flatnonzero(looked_up).tolist() == qc._SPACES


@pytest.mark.parametrize("seed", range(3))
def test_coded_index_of_a_partly_translated_document_equals_plain(seed, monkeypatch):
    rng = random.Random(seed)
    doc = bilingual_doc(rng, 300, "en")
    doc.translation_language = "zh-cn"
    for cue in doc.cues[:: 3 + seed]:
        cue.translation = rng.choice(TRANSLATIONS[2:])
    for profile in PROFILES[:2]:
        index = QcIndex(doc, profile)
        assert len(index._lazy._arr)
        assert_same(index, plain_index(doc, profile, monkeypatch))


@pytest.mark.parametrize("seed", range(6))
def test_coded_index_kept_by_edits_equals_a_fresh_plain_one(seed, monkeypatch):
    """Problems built from codes on demand, and codes dropped as cues are edited: after each edit
    the index answers what a plain index of the edited document answers."""
    from tests.test_qc import random_edit

    rng = random.Random(seed)
    doc = bilingual_doc(rng, 120, ["en", "zh-cn", "en"][seed % 3])
    profile = PROFILES[seed % 2]
    index = QcIndex(doc, profile)
    assert len(index._lazy._arr) and len(index._pair_lazy._arr)  # built from codes
    for step in range(40):
        if step % 3 == 0:  # some Problems built before the edit, some left as codes
            for cue in doc.cues[rng.randrange(len(doc.cues)) :][:10]:
                index.problems_for(cue.id)
        _, changes = edits.apply(doc, random_edit(doc, rng))
        index.update(changes)
        fresh = plain_index(doc, profile, monkeypatch)
        assert index.counts() == fresh.counts(), f"step {step}"
        assert index.count == fresh.count
    assert_same(index, fresh)


def test_a_time_beyond_64_bits_is_checked_cue_by_cue(monkeypatch):
    doc = bilingual_doc(random.Random(3), 50, "en")
    doc.cues[7].end_ms = 2**70
    profile = PROFILES[0]
    index = QcIndex(doc, profile)
    assert_same(index, plain_index(doc, profile, monkeypatch))
    assert any(p.check == "duration_long" for p in index.problems_for(doc.cues[7].id))


def test_a_text_holding_nul_is_checked_cue_by_cue(monkeypatch):
    """Texts are told apart by the NUL joining them: one holding NUL (in a tag too) sends the
    block to the plain checks, which find what they always find."""
    import numpy as np

    for texts in (["Line one\0line two"], ["<i>\0</i>"], ["\0", "a\0\0b"]):
        doc = bilingual_doc(random.Random(6), 300, "en")
        for k, text in enumerate(texts):
            doc.cues[10 + k].text = text
        ctx = QcIndex(doc, PROFILES[0])._ctx
        starts = np.array([c.start_ms for c in doc.cues], np.int64)
        ends = np.array([c.end_ms for c in doc.cues], np.int64)
        assert qc.own_codes_bulk(doc.cues, ctx, starts, ends) is None
        assert_same(QcIndex(doc, PROFILES[0]), plain_index(doc, PROFILES[0], monkeypatch))
    doc = bilingual_doc(random.Random(6), 300, "en")
    assert assert_codes_agree(doc, PROFILES[0]) > 50


def test_a_stale_coded_index_answers_without_failing():
    """The window keeps answering from the old index while a new one is built after a large
    edit (QcTracker.update): Problems of cues gone since are not built, nor does any query fail."""
    doc = bilingual_doc(random.Random(5), 300, "en")
    index = QcIndex(doc, PROFILES[0])
    _, changes = edits.apply(doc, edits.RemoveCues([c.id for c in doc.cues[50:90]]))
    for cue in doc.cues:
        index.problems_for(cue.id)
        index.has_problems(cue.id)
    index.all()
    index.next_problem_after(None)
    index.update(changes)  # and it is brought up to date
    fresh = QcIndex(doc, PROFILES[0], coded=False)
    assert index.counts() == fresh.counts() and index.all() == fresh.all()
