"""The spelling check of a whole track at once (SpellChecker.unknown_in_texts, cues_unknown and the
QC check's `bulk`) finds what the per-cue check finds, word for word and cue for cue: on the shared
seeds, realworld and bilingual files, on the peers' generated file, and on texts made to trip each
of its shortcuts (markup, URLs, entities, CJK runs, the separator it joins texts with)."""

from __future__ import annotations

import pathlib
import random
import subprocess
import sys

import pytest

from editor.core import documents, spelling
from editor.core.model import Cue, Document, Speaker
from tests.support.shared_docs import shared_docs

SHARED = pathlib.Path(__file__).resolve().parents[2] / "shared"

TRICKY = [
    "A reasonning model, thinks (twice) — befor answering.\nGPT-4o and o1-preview: 20% faster",
    "<i>Italic wrold</i> at openai.com/o1 and wrold’s end",
    "reasonning, reasonning. Reasonning!",
    "Tom & Jerry wnet home",
    "Tom &amp; Jerry wnet home",
    "mail me at anna@example.org, teh end",
    "see https://example.com/wrold and www.wrold.net",
    "{\\an8}Top lien here",
    "<font color=#ff0000>Red txet</font>",
    "a<b c>d and xyzzy<i>",
    "e.g.the rest, Mr.Smithh",
    "我们今天发布两个模型。Latinn words 在中文里",
    "中文。wrold",
    "<" + "中" * 250 + ">wrold",
    "<" + "中" * 150 + ">wrold",
    "record\x1eseparator speling",
    "   ",
    "",
    "ｈａｌｆ and ｆｕｌｌ width ＡＢＣ teh",
    "well-knwon co-operation self‐awarness",
    "don't can’t wouldnt’ve",
    "NASA's GPUs AIs okay",
    "Ann and Bo said hello",
    "x < y, 5 > 3, if a<b && b>c, I <3 this",
    "line one\n\nline thre",
    "café naïve résumé façade",
    "Zorblat",
]


def tricky_doc(seed: int, n: int = 400) -> Document:
    rng = random.Random(seed)
    lang, tr_lang = [("en", None), ("en", "zh-cn"), ("zh-cn", "en"), ("fr", "en"), (None, "en")][seed % 5]
    doc = Document(
        speakers=[Speaker("s1", "Ann"), Speaker("s2", "Bo")],
        source_language=lang,
        translation_language=tr_lang,
    )
    for i in range(n):
        text = rng.choice(TRICKY)
        if rng.random() < 0.3:
            text += "\n" + rng.choice(TRICKY)
        tr = rng.choice(TRICKY) if tr_lang and rng.random() < 0.7 else ""
        doc.append(Cue(i + 1, i * 2000, i * 2000 + 1500, text, translation=tr))
    return doc


def assert_bulk_equals_per_cue(doc: Document) -> int:
    """Compare a fresh checker's bulk answers with another fresh checker's per-cue ones; return
    the number of cues flagged."""
    per_cue = spelling.SpellChecker(doc)
    expected = {i: found for i, c in enumerate(doc.cues) if (found := per_cue.cue_unknown(c))}
    bulk = spelling.SpellChecker(doc)
    assert bulk.cues_unknown(doc.cues) == expected
    for lang, track in ((doc.source_language, "text"), (doc.translation_language, "translation")):
        texts = [getattr(c, track) for c in doc.cues]
        plain = spelling.SpellChecker(doc)
        want = {i: found for i, t in enumerate(texts) if (found := plain.unknown_in(t, lang))}
        assert spelling.SpellChecker(doc).unknown_in_texts(texts, lang) == want
    # The QC check: the same Problems, and the same cues remembered as flagged; and its pass fed
    # the texts joined by NUL (as the QC's own pass joins them), some blocks left to `finish`.
    check, other = spelling.qc_check(doc), spelling.qc_check(doc)
    one_by_one = {c.id: probs for c in doc.cues if (probs := check(c))}
    assert other.bulk(doc.cues) == one_by_one  # type: ignore[attr-defined]
    assert other.flagged == check.flagged  # type: ignore[attr-defined]
    cues = doc.cues
    for block in (7, 1000):
        fed = spelling.qc_check(doc)
        feed, finish = fed.bulk_pass(cues, block)  # type: ignore[attr-defined]
        checker_pass = spelling.SpellChecker(doc).cues_pass(cues, block)
        for k, first in enumerate(range(0, len(cues), block)):
            texts = [c.text for c in cues[first : first + block]]
            if k % 3 != 2 and not any("\0" in text for text in texts):
                joined = "\0".join(texts)
                feed(first, joined)
                checker_pass.feed(first, joined)
        assert finish() == one_by_one
        assert fed.flagged == check.flagged  # type: ignore[attr-defined]
        assert checker_pass.finish() == expected
    return len(expected)


def test_bulk_equals_per_cue_on_the_shared_files():
    docs = shared_docs()
    assert len(docs) > 50
    flagged = sum(assert_bulk_equals_per_cue(doc) for doc in docs)
    assert flagged > 20  # real words the dictionary does not know: the comparison means something


@pytest.mark.parametrize("seed", range(10))
def test_bulk_equals_per_cue_on_tricky_texts(seed):
    assert assert_bulk_equals_per_cue(tricky_doc(seed)) > 0


def test_bulk_equals_per_cue_on_the_generated_file(tmp_path):
    gen = SHARED / "bench" / "gen.py"
    if not gen.exists():
        pytest.skip("the peers' generator is not there")
    subprocess.run(
        [sys.executable, str(gen), "--out", str(tmp_path), "--sizes", "10000"],
        check=True,
        capture_output=True,
    )
    doc = documents.open_document(tmp_path / "cues_10000.srt")
    doc.cues[5].text += " speling"  # the generated words are all in the dictionary
    doc.cues[7].text = "<i>" + doc.cues[7].text + " wrold</i>"
    assert assert_bulk_equals_per_cue(doc) >= 2


def test_bulk_run_again_forgets_the_cues_no_longer_flagged():
    doc = tricky_doc(0, 50)
    check = spelling.qc_check(doc)
    first = check.bulk(doc.cues)  # type: ignore[attr-defined]
    assert first
    for cue in doc.cues:
        cue.text = "Nothing wrong here"
    assert check.bulk(doc.cues) == {}  # type: ignore[attr-defined]
    assert not check.flagged  # type: ignore[attr-defined]


def test_cjk_table_holds_the_letters_the_pattern_blanks():
    """_cjk_table (blank_words_bulk's lookup of CJK letters) marks exactly the BMP characters
    blank_cjk's pattern blanks, every one of them checked."""
    from editor.core import spelling

    table = spelling._cjk_table().tolist()
    marked = [unit for unit in range(0x10000) if not 0xD800 <= unit <= 0xDFFF and table[unit]]
    blanked = [
        unit
        for unit in range(0x10000)
        if not 0xD800 <= unit <= 0xDFFF and spelling._CJK_RUN_RE.fullmatch(chr(unit))
    ]
    assert marked == blanked
    assert not any(table[0xD800:0xE000])
    assert len(marked) > 20_000  # the ideographs, kana and hangul are there


def test_words_blanked_in_bulk_are_the_words_the_pattern_leaves():
    """blank_words_bulk (CJK letters and every other non-ASCII character that ends a word made
    spaces) leaves, text by text and chunk by chunk, the words blank_cjk's chunks hold, in order:
    on the shared files' texts joined as the QC's pass joins them, and on random text from
    letters, digits, joiners, punctuation, spaces, combining marks, CJK and astral characters."""
    import random

    def words(text: str) -> list[list[str]]:
        return [
            [w for chunk in part.split() for w in spelling._WORD_RE.findall(chunk)]
            for part in text.split(spelling._SEP)
        ]

    texts = [c.text for d in shared_docs() for c in d.cues] + [
        c.translation for d in shared_docs() for c in d.cues
    ]
    rng = random.Random(2)
    pool = "ab Zé9_-‐'’.,。、，！—«»…\u0301\u00a0\u3000\u0085\u2028\n\t\x1c"
    pool += "中文かなカナ한글ｈＡ１ДжΩ٣ǅⅫ²\u200b\ufeff"
    texts += ["".join(rng.choice(pool) for _ in range(40)) for _ in range(2000)]
    texts += ["𠀀 astral 中文。word", "lone \ud800 surrogate。x", "中文。wrold", "", "plain", "naïve—café"]
    for text in [*texts, spelling._SEP.join(texts[:2000]), spelling._SEP.join(texts[-2100:])]:
        bulk = spelling.blank_words_bulk(text)
        assert words(bulk) == words(spelling.blank_cjk(text))
    # What is left is ASCII (the fast split) when no kept character is beyond it.
    assert spelling.blank_words_bulk("李明：我们。Word, 中文！\x1eok…") == "      Word     \x1eok "
    assert spelling.blank_words_bulk("<i>中文 don't</i> a_b x-y 3.5%") == " i    don't  i  a b x-y 3 5 "
    assert not spelling.blank_words_bulk("café。").isascii()


def test_chunks_found_with_numpy_are_the_chunks_split_finds():
    """_Chunks (the distinct chunks of a block of texts, found with NumPy, one string each) holds
    exactly the chunks str.split finds (distinct_chunks), and names the texts holding given
    chunks as splitting each text does (texts_holding): on the shared files' texts, tricky ones,
    random text from letters, punctuation, spaces, CJK and long words, and with a hash table so
    small that most chunks share a bucket with others (each goes round again until alone)."""
    rng = random.Random(5)
    texts = [c.text for d in shared_docs() for c in d.cues] + [
        c.translation for d in shared_docs() for c in d.cues
    ]
    pool = "ab Zé9_-‐'’.,。、，！—«»…\u0301\u00a0\u3000\u0085\n\t\x1c中文かなДжΩ\u0100\u0101"
    texts += ["".join(rng.choice(pool) for _ in range(rng.randrange(60))) for _ in range(3000)]
    texts += [*TRICKY, "x" * 23, "x" * 24, "x" * 25, "é" * 11, "é" * 12, "é" * 13, "Āa", "aĀ", "ĀĀ"]
    texts += ["supercalifragilistic" + s for s in ("", "s", "ally", "expialidocious", "’s")]
    blocks = [texts[i : i + 2048] for i in range(0, len(texts), 2048)]
    blocks += [TRICKY, TRICKY[:15], [""], ["", ""], ["é"], ["a\u0301"]]
    for block in blocks:
        joined = spelling._SEP.join(block)
        units = spelling._word_units(joined)
        assert units is not None
        want = spelling.distinct_chunks(joined)
        for bits in (0, 1, 3):
            found = spelling._Chunks(joined, units, bits)
            assert len(found.distinct) == len(want)
            assert set(found.distinct) == want
            picked = set(rng.sample(sorted(want), min(len(want), 5)))
            for chunks in (picked, set(), want, {"ab", "not there"}):
                holding = found.texts_holding(chunks, [len(text) for text in block])
                assert holding == spelling.texts_holding(block, chunks)
                assert holding or not chunks & want
    # Texts joined by NUL (as the QC joins them), and a text holding the separator itself.
    for block, sep in ((TRICKY, "\0"), (["a b", "c\x1ed", "", "d"], spelling._SEP)):
        joined = sep.join(block)
        found = spelling._Chunks(joined, spelling._word_units(joined))
        assert set(found.distinct) == spelling.distinct_chunks(joined.replace("\0", " "))
        for chunks in ({"d"}, {"wrold", "Top"}, {"xyzzy", "a"}):
            holding = found.texts_holding(chunks, [len(text) for text in block])
            assert holding == spelling.texts_holding(block, chunks)
    assert spelling._word_units("𠀀 astral") is None and spelling._word_units("lone \ud800") is None
