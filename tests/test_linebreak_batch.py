"""The batch layout (Rebalance Lines over many cues at once) against the plain one, text by text:
linebreak.simple_cjk_two_lines_many against break_lines (its fast paths and the speaker label
rule), layout.lay_out_many against
lay_out (the same layouts and the same ones remembered), on real files and on random text."""

from __future__ import annotations

import json
import pathlib

import pytest
from conftest import seed_path
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core import documents, layout, linebreak
from editor.core.style import PRESETS, profile_for

SHARED = pathlib.Path(__file__).resolve().parents[2] / "shared"


def _real_texts() -> list[str]:
    """Cue texts of real files: the seeds (000 with 001 attached: English and Chinese), the
    bilingual pairs' Chinese and English, every real-world subtitle file that loads."""
    doc = documents.open_document(seed_path("000"), seed_path("001"))
    texts = [t for cue in doc.cues for t in (cue.text, cue.translation) if t]
    for path in sorted((SHARED / "bilingual").glob("truth_*.json")):
        for bead in json.loads(path.read_text(encoding="utf-8"))["beads"]:
            texts += [bead["en"], bead["zh"], bead["en"] + "\n" + bead["zh"]]
    for path in sorted((SHARED / "bilingual").glob("zh_*.txt")):
        texts += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for path in sorted((SHARED / "realworld" / "files").glob("*")):
        try:
            texts += [cue.text for cue in documents.load(path).cues if cue.text]
        except Exception:  # (a file the editor refuses is no text to lay out)
            continue
    return texts


def _benchmark_texts() -> list[str]:
    from benchmarks.bench_linebreak import _texts

    return _texts(4000)


def _flats(texts: list[str]) -> list[str]:
    """The one-line texts the breaker works on: each text joined, a stacked cue's parts apart."""
    out = []
    for text in texts:
        flat = linebreak.unbreak(text)
        out += flat.split("\n")
    return out


def _taken_as_plain(texts: list[str], got: list, plain, width: float) -> int:
    """Return how many of `texts` a batch took (`got`: its answer for each, None when not taken),
    asserting that each answer is the plain path's, `plain(text)`."""
    taken = 0
    for text, found in zip(texts, got, strict=True):
        if found is not None:
            taken += 1
            assert found == plain(text), (text, width)
    return taken


def _check_batch(flats: list[str], width: float) -> int:
    got = linebreak.simple_cjk_two_lines_many(flats, width)
    return _taken_as_plain(flats, got, lambda flat: linebreak.break_lines(flat, width, 2, cjk=True), width)


@pytest.mark.parametrize("width", [8, 10, 13, 16, 24])
def test_batch_breaks_real_chinese_as_the_plain_path(width):
    flats = _flats(_real_texts() + _benchmark_texts())
    linebreak.clear_caches()
    taken = _check_batch(flats, float(width))
    assert taken > 500  # (the seeds' translation and the bilingual files' Chinese are most of it)


def test_batch_breaks_text_of_one_dictionary_word_after_another():
    # Breaks inside dictionary words everywhere: the words' penalty decides most breaks.
    words = [w for w in linebreak.chinese_words() or {} if 2 <= len(w) <= 4 and linebreak._IDEO_RE.match(w)]
    if not words:
        pytest.skip("no Chinese dictionary installed")
    n = len(words)
    flats = ["".join(words[(i * 7919 + k * 104729) % n] for k in range(3 + i % 9)) for i in range(3000)]
    flats += [f[:5] + "，" + f[5:11] + "。" + f[11:] for f in flats]
    for width in (10.0, 16.0):
        assert _check_batch(flats, width) > 2000


def test_batch_leaves_a_lone_surrogate_to_the_plain_path():
    # Bad input (a lone surrogate, as a file decoded with surrogateescape holds) never crashes:
    # such a text is not taken; the others are.
    flats = ["中文中文中文中文中文中文中文\ud800中文中文", "中文" * 10]
    got = linebreak.simple_cjk_two_lines_many(flats, 16.0)
    assert got[0] is None and got[1] == linebreak.break_lines(flats[1], 16.0, 2, cjk=True)
    assert layout.lay_out_many(flats, PRESETS["zh-hans"]) == [
        layout.lay_out(f, PRESETS["zh-hans"]) for f in flats
    ]


# Ideographs (particles, conjunctions, the words of the dictionary) and marks, closing and
# opening, in every place: a text with an opening mark, a run of four marks or a mark first is
# the plain path's (None), any other must agree.
_CHARS = st.sampled_from(
    list("咱们将使用新称号推出一系列模子这是为了强调事实的了吗呢和在是私たちはモデルを発表")
    + list("，。、？！：；」』）】》〕［「『（【《〈ー々っャ％・…”")
)


# Speaker labels a cue may open with: short ones kept with their speech, one wider than half a
# line (a clause, laid out as it is), Latin before Chinese, none.
_LABELS = st.sampled_from(
    ["", "", "王芳：", "主持人：", "HOST: ", "李明: ", "这是一个很长的句子对吧：", "DR. CHEN："]
)


@pytest.mark.parametrize("width", [8, 10, 13, 16, 24])
def test_batch_breaks_random_chinese_as_the_plain_path(width):
    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.tuples(_LABELS, st.lists(_CHARS, min_size=1, max_size=70).map("".join)).map("".join),
            min_size=1,
            max_size=40,
        )
    )
    def check(flats):
        _check_batch(flats, float(width))

    check()


def test_batch_keeps_a_speaker_label_with_its_speech_as_break_lines():
    # Labelled Chinese of every length around the limits: the label kept with its speech (the
    # speech broken with the label's width reserved), or the text broken as it is when the
    # speech fits beside the label; the batch must take them and agree.
    speech = "子求要理织断七队。又问金统。题段车打？从节部为期重研证离？的了吗呢和在是"
    flats = [
        label + speech[:k]
        for label in ("王芳：", "主持人：", "HOST: ", "李明: ")
        for k in range(1, len(speech))
    ]
    for width in (10.0, 13.0, 16.0):
        assert _check_batch(flats, width) > len(flats) // 2


def test_batch_takes_most_simple_chinese():
    # The batch is for the common Chinese subtitle: of the benchmark's Chinese that needs two
    # lines, nearly all is taken (not left to the plain path), those opened by a speaker label
    # ("王芳：") too.
    flats = [f for f in _flats(_benchmark_texts()) if not f.isascii() and len(f) > 16]
    got = linebreak.simple_cjk_two_lines_many(flats, 16.0)
    assert sum(laid is not None for laid in got) > 0.9 * len(flats)


@pytest.mark.parametrize(
    "profile",
    [PRESETS["zh-hans"], PRESETS["ja"], profile_for(None), PRESETS["en"], PRESETS["ru"]],
    ids=["zh", "ja", "default", "en", "ru"],
)
def test_lay_out_many_lays_out_and_remembers_as_lay_out(profile):
    # Both batches in lay_out_many (Chinese/Japanese texts and parts; Latin texts and the English
    # parts of stacked cues): the same layouts as lay_out, the same ones remembered.
    texts = _real_texts() + _benchmark_texts()
    texts += texts[:50]  # a text twice
    layout.clear_cache()
    linebreak.clear_caches()
    many = layout.lay_out_many(texts, profile)
    remembered = {key: dict(cache) for key, cache in layout._LAID.items()}
    layout.clear_cache()
    linebreak.clear_caches()
    one = [layout.lay_out(text, profile) for text in texts]
    assert many == one
    assert remembered == {key: dict(cache) for key, cache in layout._LAID.items()}
    # Laid out again (everything remembered), the same again.
    assert layout.lay_out_many(texts, profile) == one


def test_cjk_languages_tells_each_text_as_language_for_text():
    from editor.core import script
    from editor.core.style import language_for_text

    chars = st.sampled_from(list("ab Д中文かなカナ한국ｶ1_,.!\u3000é\U00020001\ud800"))

    @settings(max_examples=100, deadline=None)
    @given(st.lists(st.text(chars, max_size=40)))
    def check(texts):
        assert script.cjk_languages(texts) == [language_for_text(None, t) for t in texts]

    check()
    texts = _real_texts() + _benchmark_texts() + ["中" * 9000 + "a" * 20000, "", "中文\udcff"]
    got = script.cjk_languages(texts)
    assert got == [language_for_text(None, t) for t in texts]
    assert {type(language) for language in got} == {str, type(None)}


def test_spaced_scores_of_words_that_are_not_plain_are_boundary_scores():
    # spaced_score composes the breaks after a clause or sentence end and after a capitalised
    # word from each word's traits: over the benchmark's words in every such form, and the
    # forms that keep the pair's own score (numbers, currency, "etc."), boundary_score's number.
    from benchmarks.bench_linebreak import _texts

    words = {w for text in _texts(300) for w in linebreak.unbreak(text).split() if w.isascii()}
    forms = set()
    for w in [*list(words)[:150], "I", "a", "A", "OK", "x", "etc", "Mr", "U.S", "5", "$", "km", "—", "-"]:
        forms |= {w, w.capitalize(), w.upper(), w + ",", w + ".", w + "?", w + "...", w + ":", "(" + w + ")"}
    forms |= {"<i>Okay</i>", "<i>and", '"Yes."', "—and", "10", "1,000", "US$", "a.m."}
    for prev in forms:
        for nxt in forms:
            assert linebreak.spaced_score(prev, nxt) == linebreak.boundary_score(prev, nxt, True), (prev, nxt)


# Latin written after Chinese: the benchmark's snippets, words of one letter (which the
# dictionary check counts as characters), a sentence end, a number and its unit, a dash.
_TAILS = [
    "Q&A <live>", "I <3 this", "x < y", "Tom & Jerry", "a -> b", "if a<b && b>c", "5 > 3", "AT&T",
    "<not a tag>", "R&D > marketing", "A", "C", "OK", "Okay.", "and then we left", "10 km",
    "GPT-4", "-- no", "Supercalifragilisticexpialidocious",
]


def _tailed_texts() -> list[str]:
    """Chinese (real, the benchmark's, dictionary words side by side, with marks) followed by
    a space and Latin words, and the Chinese of words that end in a Latin letter ("双酚A")
    written apart from it ("双酚 A"), where the dictionary must see the letter."""
    words = linebreak.chinese_words() or {}
    chinese = [f for f in _flats(_real_texts() + _benchmark_texts()) if linebreak._IDEO_RE.search(f)]
    chinese = [f.split(" ")[0] for f in chinese][:3000]
    lexicon = [w for w in words if 2 <= len(w) <= 4 and linebreak._IDEO_RE.match(w)]
    if lexicon:
        n = len(lexicon)
        chinese += [
            "".join(lexicon[(i * 7919 + k * 104729) % n] for k in range(2 + i % 8)) for i in range(1500)
        ]
    out = [c + " " + _TAILS[i % len(_TAILS)] for i, c in enumerate(chinese)]
    # Chinese that ends in marks only, then Latin: a break before the marks leaves a line that
    # reads as Latin (a stacked cue), which the general path passes over.
    out += [c[: 2 + i % 9] + "［（" [: 1 + i % 2] + " the the" for i, c in enumerate(chinese[:500])]
    out += [c[: 2 + i % 9] + "。」" [: 1 + i % 2] + " and we left, okay" for i, c in enumerate(chinese[:500])]
    lettered = [w for w in words if 2 < len(w) <= 4 and w[-1].isascii() and linebreak._IDEO_RE.match(w)]
    before = "咱们一直在努力让模子更好地不停数学问题"
    for i, w in enumerate(lettered):
        for k in range(3, 19):
            out.append(before[:k] + w[:-1] + " " + w[-1] + " " + _TAILS[i % 5])
    return out


@pytest.mark.parametrize("width", [8, 10, 13, 16, 24])
def test_tailed_chinese_breaks_as_the_general_path(width):
    # _tailed_cjk_two_lines (Chinese, then a space and Latin words) gives the general path's
    # layout for every text it takes, with and without a label's width reserved; it takes most.
    linebreak.clear_caches()
    taken = 0
    texts = _tailed_texts()
    for text in texts:
        for reserve in (0.0, 1.5, 4.0):
            laid = linebreak._tailed_cjk_two_lines(text, text, float(width), reserve)
            if laid is not None:
                taken += 1
                expected = linebreak._break_tokens(text, text, width, 2, True, reserve, ())
                assert laid == expected, (text, width, reserve)
    assert taken > len(texts)


_LATIN_WORDS = st.sampled_from(["I", "a", "x", "5", "OK", "the", "and,", "km", "Tom", "—", "<3", "(b)", "A."])


@pytest.mark.parametrize("width", [8, 10, 13, 16, 24])
def test_tailed_chinese_breaks_random_text_as_the_general_path(width):
    @settings(max_examples=150, deadline=None)
    @given(
        st.lists(_CHARS, min_size=1, max_size=50).map("".join),
        st.lists(_LATIN_WORDS, min_size=1, max_size=6).map(" ".join),
        st.sampled_from([0.0, 1.5, 3.0, 6.0]),
    )
    def check(chinese, latin, reserve):
        text = chinese + " " + latin
        laid = linebreak._tailed_cjk_two_lines(text, text, float(width), reserve)
        if laid is not None:
            assert laid == linebreak._break_tokens(text, text, width, 2, True, reserve, ()), (text, reserve)

    check()


def test_chinese_speaker_labels_are_read_as_speaker_label_reads_them():
    # _cjk_speaker_label (the batch's) against _speaker_label (split_prefix's rule): real and
    # benchmark text, every ideograph of the BMP as a name and as the speech's first
    # character, random text of ideographs, digits, letters, spaces and both colons.
    texts = _flats(_real_texts() + _benchmark_texts())
    ideographs = [chr(c) for c in range(0x3000, 0x10000) if linebreak._IDEO_RE.match(chr(c))]
    texts += [ch + "芳：" + "说话" for ch in ideographs] + ["王芳：" + ch + "话" for ch in ideographs]
    texts += [ch + "：" + ch for ch in ideographs] + ["王" * k + "：好" for k in range(1, 45)]
    for text in texts:
        assert linebreak._cjk_speaker_label(text) == linebreak._speaker_label(text), text

    chars = st.sampled_from(list("王芳主持人〇一二三ー゛々：: 　\t1a。，？//httpwww.ー"))

    @settings(max_examples=400, deadline=None)
    @given(st.text(chars, max_size=30))
    def check(text):
        assert linebreak._cjk_speaker_label(text) == linebreak._speaker_label(text), text

    check()


def _parts(texts: list[str]) -> list[str]:
    """The texts as the layout breaks them: a stacked bilingual cue's parts apart, lines kept."""
    from editor.core import script

    out = []
    for text in texts:
        parts = script.stacked_parts(text) if "\n" in text else None
        out += list(parts) if parts is not None else [text]
    return out


def _check_latin(texts: list[str], width: float) -> int:
    def plain(text: str) -> tuple[str, str, str]:
        laid, flat = linebreak.break_and_unbreak(text, width, 2, cjk=False)
        return laid, flat, linebreak.unbreak(laid)

    return _taken_as_plain(texts, linebreak.latin_two_lines_many(texts, width), plain, width)


@pytest.mark.parametrize("width", [16, 32, 37, 39, 42])
def test_latin_batch_lays_out_real_text_as_break_lines(width):
    # The seeds, the bilingual files, every real-world file and the benchmark's cues (English,
    # speaker labels, "<", markup, the English parts of stacked cues), each text or part as
    # break_and_unbreak lays it out alone: the same layout, one-line text and rejoined layout.
    texts = _parts(_real_texts() + _benchmark_texts())
    linebreak.clear_caches()
    taken = _check_latin(texts, float(width))
    assert taken > 3000


# Latin words in every form the rules read: labels, sentence and clause ends, names, numbers
# and units, currency, abbreviations, dashes, quotes, "<" that opens no tag and tags, URLs,
# accented and Cyrillic words, an East Asian mark, long words; joined by one or two spaces, a
# tab or a line break.
_LATIN_WORDS = st.sampled_from(
    "the a to of and in that is it you was for on are with as I his they be at one have this "
    "HOST: DR. CHEN: Bob: said, know. really? okay! Well; New York Bob McGrew 10 km $ 5 1,000 "
    'e.g. etc. U.S. p.m. Mr. - -- — "Yes." (maybe) <3 < > <i>Okay</i> <b>and http://x.org/a/b '
    "www.example.com café naïve Привет, мир. 中文 ， supercalifragilisticexpialidocious-and-more".split()
)
_JOINS = st.sampled_from([" "] * 12 + ["  ", "\t", "\n", " \n ", "\n- "])


@pytest.mark.parametrize("width", [16, 32, 42])
def test_latin_batch_lays_out_random_latin_as_break_lines(width):
    @settings(max_examples=150, deadline=None)
    @given(
        st.lists(st.lists(st.tuples(_LATIN_WORDS, _JOINS), min_size=1, max_size=24), min_size=1, max_size=20)
    )
    def check(cues):
        texts = ["".join(w + j for w, j in cue)[: -len(cue[-1][1])] or cue[0][0] for cue in cues]
        _check_latin(_parts(texts), float(width))

    check()


@pytest.mark.parametrize("width", [16, 32, 42])
def test_latin_best_spaces_score_as_best_space(width):
    # The NumPy scoring of every text's spaces at once against _best_space one text at a time:
    # words in every form (a pair that decides itself: numbers, currency, "etc."), reserves of
    # a speaker label, texts too long for two lines, a word longer than a line.
    @settings(max_examples=120, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.lists(_LATIN_WORDS.filter(lambda w: "\n" not in w), min_size=1, max_size=30),
                st.sampled_from([0.0, 0.0, 3.0, 6.0, 10.0]),
            ),
            min_size=1,
            max_size=30,
        )
    )
    def check(jobs):
        texts = [" ".join(words) for words, _r in jobs]
        reserves = [r for _w, r in jobs]
        got = linebreak._latin_best_spaces(texts, reserves, float(width))
        dist_w = 42.0 / max(1.0, width)
        for text, reserve, i in zip(texts, reserves, got, strict=True):
            if max(map(len, text.split(" "))) > width:
                assert i == linebreak._LONG_WORD, text
            else:
                assert i == linebreak._best_space(text, float(width), reserve, dist_w, 0.0), (text, reserve)
        # The second try of text too long for two lines: a wider limit, lines past the width costing.
        limits = [len(text) / 2 + width / 4 + k % 3 for k, text in enumerate(texts)]
        got = linebreak._latin_best_spaces(texts, reserves, float(width), limits, float(width))
        for text, reserve, limit, i in zip(texts, reserves, limits, got, strict=True):
            if i != linebreak._LONG_WORD:
                expected = linebreak._best_space(text, limit, reserve, dist_w, float(width))
                assert i == expected, (text, reserve, limit)

    check()
    texts = [linebreak.unbreak(t) for t in _benchmark_texts()]
    texts = [t for t in texts if t.isascii() and "\n" not in t and "  " not in t and t.strip() == t]
    got = linebreak._latin_best_spaces(texts, [6.0 if ":" in t else 0.0 for t in texts], float(width))
    for text, i in zip(texts, got, strict=True):
        if i != linebreak._LONG_WORD:
            reserve = 6.0 if ":" in text else 0.0
            assert i == linebreak._best_space(text, float(width), reserve, 42.0 / max(1.0, width), 0.0), text


def test_distinct_words_tells_words_apart_as_strings():
    # The words _latin_best_spaces scores, numbered by a number of their own (short ASCII words)
    # or as strings: one number per distinct word, whatever its length, a NUL or a shared prefix.
    import numpy as np

    words = ["a", "a\x00", "\x00a", "ab", "abcdefg", "abcdefgh", "abcdefgi", "abcdefg", "", "a", "A"]
    words += ["é", "éé", "abcdefgh"]
    for chosen in (words, [w for w in words if w.isascii()]):
        big = " ".join(chosen)
        ascii_ = big.isascii()
        encoded = big.encode("ascii") if ascii_ else big.encode("utf-32-le")
        codes = np.frombuffer(encoded, dtype=np.uint8 if ascii_ else np.uint32)
        starts = np.array([sum(len(w) + 1 for w in chosen[:k]) for k in range(len(chosen))])
        ends = starts + np.array([len(w) for w in chosen])
        uid, distinct = linebreak._distinct_words(big, codes, starts, ends)
        assert [distinct[u] for u in uid.tolist()] == chosen
        assert len(distinct) == len(set(chosen))


def test_latin_speaker_labels_are_read_as_speaker_label_reads_them():
    # _latin_speaker_label (the Latin batch's) against _speaker_label (split_prefix's rule): real
    # and benchmark text, and labels of every shape around the rule's limits.
    texts = [linebreak.unbreak(t) for t in _parts(_real_texts() + _benchmark_texts())]
    names = ["HOST", "Mary Ann", "a", "Dr Who Is Here", "One Two Three Four Five", "X" * 40, "X" * 41]
    names += ["DR. CHEN", "Bob2", "2Bob", "O'Brien", "José", "HOST ", " HOST", "R2 D2", "Q&A"]
    speeches = ["Hello there.", "//comment", "http://x.org", "https://x.org/a", "ftp://f", "www.x.org now"]
    speeches += ["httpd is up", "", " ", "  two spaces", "\u00a0x", "wwwx", "x"]
    texts += [n + sep + sp for n in names for sep in (": ", ":", " : ", "：", ":  ") for sp in speeches]
    for text in texts:
        assert linebreak._latin_speaker_label(text) == linebreak._speaker_label(text), text


def test_rebalance_with_the_language_unknown_lays_out_each_text_to_its_script():
    # _rebalanced sends every text beyond ASCII to cjk_languages (Russian, French, Korean and
    # Chinese alike): each cue gets lay_out's layout to the profile its own script asks for.
    from editor.core.model import Document

    texts = _real_texts() + _benchmark_texts()
    texts += [
        "мы пытались сделать модели лучше в решении задач по математике например",
        "Nous avons essayé de rendre les modèles meilleurs pour résoudre les problèmes",
        "우리는 수학 문제를 더 잘 풀 수 있도록 모델을 개선하려고 노력해 왔습니다 정말로",
        "“Quoted” words… and more words to make this line far too long for one line",
    ]
    doc = Document()
    for i, text in enumerate(texts):
        doc.append(doc.new_cue(i * 2000, i * 2000 + 1800, text))
    layout.clear_cache()
    new = layout.rebalanced(layout.line_texts(doc, None, "text")).get("text", {})
    layout.clear_cache()  # (each text laid out anew below, not read back from the batch's)
    for cue in doc.cues:
        plain = layout.lay_out(cue.text, layout.track_profile(doc, "text", cue.text))
        assert new.get(cue.id, cue.text) == plain
