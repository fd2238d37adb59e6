"""Stacked bilingual cues (an English line, then its Chinese, in one cue of one track): laid out,
unbroken, merged and checked language by language, never mixed on one line."""

from __future__ import annotations

import json
import pathlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.undo import apply_undo_redo

from editor.core import layout, linebreak, qc, script
from editor.core import operations as op
from editor.core.model import Document
from editor.core.style import PRESETS, profile_for, stacked_profiles

BILINGUAL = pathlib.Path(__file__).resolve().parents[2] / "shared" / "bilingual"
IDEO = re.compile(f"[{script.IDEOGRAPHIC}]")
ZH, EN = PRESETS["zh-hans"], PRESETS["en"]


def _pairs() -> list[tuple[str, str]]:
    """The English and Chinese lines of each cue of a real bilingual SubRip file (Andrew Ng's
    Machine Learning 1-3, fengdu78/Coursera-ML-AndrewNg-Notes: English lines + a Chinese line
    per cue), as the bilingual truth file keeps them."""
    path = BILINGUAL / "truth_5.json"
    if not path.exists():
        pytest.skip("the shared bilingual pairs are not here")
    beads = json.loads(path.read_text(encoding="utf-8"))["beads"]
    return [(b["en"], b["zh"]) for b in beads if b["en"].strip() and b["zh"].strip()]


def _check_apart(original_parts: tuple[str, str], laid: str) -> None:
    """The layout holds each part's words/characters unchanged and in order, each language on
    its own lines (a run of lines without Chinese, a run with), each part within its profile."""
    lines = laid.split("\n")
    kinds = [IDEO.search(line) is not None for line in lines]
    switch = kinds.index(not kinds[0])
    assert all(k == kinds[0] for k in kinds[:switch]) and all(k != kinds[0] for k in kinds[switch:]), laid
    parts = ("\n".join(lines[:switch]), "\n".join(lines[switch:]))
    for before, after in zip(original_parts, parts, strict=True):
        assert "".join(after.split()) == "".join(before.split()), laid
        # (runs of spaces become one, as for every text: test_linebreak)
        assert linebreak.unbreak(after) == re.sub("[ \t]+", " ", linebreak.unbreak(before)), laid


@pytest.mark.parametrize("profile", [ZH, EN, profile_for(None)], ids=["zh", "en", "unknown"])
def test_real_bilingual_cues_are_laid_out_language_by_language(profile):
    pairs = _pairs()
    assert len(pairs) > 100
    for en, zh in pairs:
        for parts in ((en, zh), (zh, en), ("HOST: " + en, zh)):
            text = "\n".join(parts)
            assert script.stacked_parts(text) == parts, text
            laid = layout.lay_out(text, profile)
            _check_apart(parts, laid)
            stacked = stacked_profiles(laid, profile)
            assert stacked is not None
            for part, own in stacked:
                assert own.cjk == (IDEO.search(part) is not None)
                # Each part within its own script's profile: at most its lines, of its width
                # (when its words can fit them: a longer part keeps its lines, QC flags them).
                assert part.count("\n") < own.max_lines, (part, own.preset)
                flat = linebreak.unbreak(part)
                if own.line_width(flat) <= 0.8 * own.max_chars * own.max_lines:
                    assert layout.fits(part, own), (part, own.preset)
            assert layout.lay_out(laid, profile) == laid  # Rebalance after Rebalance
            # Unbreak joins within each language, never across.
            joined = linebreak.unbreak(parts[0]) + "\n" + linebreak.unbreak(parts[1])
            assert linebreak.unbreak(laid) == re.sub("[ \t]+", " ", joined)


def test_a_stacked_cue_keeps_one_line_per_language_when_it_fits():
    text = "People such off who mother.\n角化白一二三四五六七八九十。"
    assert layout.lay_out(text, ZH) == text  # today's bug gave "People such off who mother.角 | 化白…"
    assert layout.lay_out(text, EN) == text
    joined = (
        "People such off who\nmother and we go there now, the long way round.\n角化白一二三四五\n六七八九十。"
    )
    laid = layout.lay_out(joined, ZH)
    assert laid.endswith("\nthe long way round.\n角化白一二三四五六七八九十。") or laid.count("\n") == 2, laid
    _check_apart((joined.split("\n角")[0], "角" + joined.split("\n角")[1]), laid)
    assert laid.split("\n")[-1] == "角化白一二三四五六七八九十。"  # 15 wide: one line


def test_mixed_text_within_a_line_is_no_stacked_cue():
    for text in (
        "咱们将使用新称号 O1 推出",
        "咱们将使用新称号\nO1 推出",
        "中文中文中文\nGPT-4",
        "- Hi there.\n- 你好。",
    ):
        assert script.stacked_parts(text) is None, text
    # Laid out as before: one Chinese text with a Latin word inside.
    assert layout.lay_out("咱们将使用新称号\nO1 推出", ZH) == "咱们将使用新称号 O1 推出"


_LATIN = st.sampled_from(
    "the model reasoning Bob McGrew 10 km GPT-4o don't said: really? yes! <i>quiet</i>".split()
)
_CJK = st.sampled_from(list("咱们将使用新称号推出一系列模子这是为了强调事实的") + list("，。、？！「」"))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_LATIN, min_size=2, max_size=25).map(" ".join),
    st.lists(st.one_of(_CJK, _LATIN.map(lambda w: " " + w + " ")), min_size=1, max_size=40).map(
        lambda p: re.sub(" +", " ", "".join(p)).strip()
    ),
    st.booleans(),
    st.sampled_from([ZH, EN]),
)
def test_stacked_cues_keep_every_word_in_order_and_apart(latin, cjk, cjk_first, profile):
    if (
        IDEO.search(cjk) is None
        or sum(not w.isupper() and any(c.isalpha() for c in w) for w in latin.split()) < 2
    ):
        return  # not a stacked cue (no Chinese; no line of a language)
    parts = (cjk, latin) if cjk_first else (latin, cjk)
    text = "\n".join(parts)
    laid = layout.lay_out(text, profile)
    _check_apart(parts, laid)
    assert layout.lay_out(laid, profile) == laid


def test_breaking_one_mixed_line_never_gives_lines_that_read_as_stacked():
    # "we said: really? 咱们…" on one line is a Chinese sentence with Latin words; a break at the
    # script edge would read back as two languages (unbreak could not undo it): never chosen.
    text = "the model said: really? 咱们将使用新称号推出一系列模子"
    for width in (10, 16, 42):
        laid = linebreak.break_lines(text, width, 2)
        assert script.stacked_parts(laid) is None, laid
        assert linebreak.unbreak(laid) == text


def _bilingual_doc() -> Document:
    doc = Document()
    pairs = _pairs()[:6]
    for i, (en, zh) in enumerate(pairs):
        doc.append(doc.new_cue(i * 3000, i * 3000 + 2900, en + "\n" + zh))
    return doc


def test_rebalance_unbreak_and_merge_keep_the_languages_apart():
    doc = _bilingual_doc()
    pairs = _pairs()[:6]
    apply_undo_redo(doc, layout.rebalance_lines(doc, None, "text"))
    for cue, parts in zip(doc.cues, pairs, strict=True):
        _check_apart(parts, cue.text)
    apply_undo_redo(doc, layout.unbreak_lines(doc, None, "text"))
    for cue, (en, zh) in zip(doc.cues, pairs, strict=True):
        assert cue.text == en + "\n" + zh
    first, second = doc.cues[0].id, doc.cues[1].id
    apply_undo_redo(doc, op.merge_cues(doc, [first, second]))
    (en1, zh1), (en2, zh2) = pairs[0], pairs[1]
    _check_apart((en1 + " " + en2, zh1 + zh2), doc.cue(first).text)


def test_qc_counts_the_lines_of_each_language_by_its_own_profile():
    doc = _bilingual_doc()
    apply_undo_redo(doc, layout.rebalance_lines(doc, None, "text"))
    assert any(cue.text.count("\n") >= 2 for cue in doc.cues)  # some part took two lines
    for language in (None, "en", "zh"):
        doc.source_language = language
        problems = qc.check(doc)
        assert not [p for p in problems if p.check in ("lines", "line_length")], (language, problems)


def test_benchmark_bilingual_cues_never_mix_languages_on_a_line():
    from benchmarks.bench_linebreak import _texts

    stacked = 0
    for text in _texts(3000):
        parts = script.stacked_parts(text)
        if parts is None:
            continue
        stacked += 1
        _check_apart(parts, layout.lay_out(text, profile_for(None) if not IDEO.search(text) else ZH))
    assert stacked > 400  # (a fifth of the cues are bilingual)


def test_a_stacked_cue_laid_out_in_four_lines_fits_and_is_not_cut():
    # Attaching a translation cuts cues that cannot fit (fitting); a stacked cue whose parts fit
    # their own profiles fits, even in more lines than one profile's two.
    from editor.core import fitting

    en, zh = _pairs()[0]
    zh = zh[:24]  # two lines of 16
    laid = layout.lay_out(en + "\n" + zh, ZH)
    assert laid.count("\n") == 3, laid
    for profile in (ZH, EN):
        assert fitting._fits(laid, profile, 0.0)
        assert fitting._fits(en + "\n" + zh, profile, 0.0)
    assert not fitting._fits(en + " " + en + " " + en + "\n" + zh, EN, 0.0)  # 3 English lines


def test_the_two_line_shortcut_agrees_with_the_plain_steps():
    # stacked_parts answers two-line texts (most cues) without building lists; the plain
    # version is the reference, on the benchmark's cues, the real pairs and hand-picked edges.
    from benchmarks.bench_linebreak import _texts

    texts = _texts(3000)
    for en, zh in _pairs():
        texts += [en + "\n" + zh, zh + "\n" + en, "- " + en + "\n- " + zh, en + "\n  ", "  \n" + zh]
    texts += ["中文中文\nGPT-4", "Yes.\n是的。", "是的。\nYes.", "\n中文", "中文\n", "OK\n中文。"]
    texts += ["<i>Yes.</i>\n是的", "- Yes.\n- 是的。", "Yes.\n是的。\nNo.", "Yes. Sure.\n\n是的。"]
    stacked = 0
    for text in texts:
        assert script.stacked_parts(text) == script.stacked_parts_plain(text), text
        stacked += script.stacked_parts(text) is not None
    assert stacked > 500


def test_unbreak_part_is_unbreak_of_a_text_no_stacked_cue():
    """unbreak_part (unbreak without asking stacked_parts) joins every part of a stacked cue,
    and every layout of one, as unbreak does; and any text stacked_parts refuses."""
    texts = [
        "We have been trying\nto make it better.",
        "咱们一直在努力\n让模子更好。",
        "咱们用 the\nmodel 测试。",
        "- 你好\n- 再见",
        "First line\n第二行的中文\n第三行",
        "one\n\ntwo",
        "mean…\nbut we",
    ]
    for text in texts:
        parts = script.stacked_parts(text)
        if parts is None:
            assert linebreak.unbreak_part(text) == linebreak.unbreak(text), text
        for part in parts or ():
            assert script.stacked_parts(part) is None
            assert linebreak.unbreak_part(part) == linebreak.unbreak(part), part
            preset = "zh-hans" if script.IDEOGRAPHIC_RE.search(part) else "default"
            laid = layout.lay_out(part, PRESETS[preset])
            assert linebreak.unbreak_part(laid) == linebreak.unbreak(laid), laid
