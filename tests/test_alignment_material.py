"""Attaching untimed translations to real material: ../shared/bilingual and the seeds.

The bilingual pairs are scored with ../shared/bilingual/check.py's own rules (imported, so
both score the same way) on what `inspect --json` prints; every character of a translation
must end up either in a cue or in the leftovers; segmentation never cuts inside a URL,
an e-mail address or a number. Skipped cleanly when ../shared is absent.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import unicodedata

import pytest
from conftest import REPO, seed_path

from editor import cli
from editor.core import alignment, documents, edits
from editor.core.alignment import B_CLAUSE, B_LINE, B_PARA, B_SENT, B_SPACE, boundaries
from editor.core.formats import project
from editor.core.model import Document, Timing

BILINGUAL = REPO.parent / "shared" / "bilingual"
PAIRS = (1, 2, 3, 4, 5, 6, 7)


def _checker():
    if not (BILINGUAL / "check.py").is_file():
        pytest.skip("../shared/bilingual not available")
    spec = importlib.util.spec_from_file_location("bilingual_check", BILINGUAL / "check.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _norm(text: str) -> str:
    return "".join(c for ch in text for c in unicodedata.normalize("NFKC", ch).casefold() if c.isalnum())


def _accounted(source: Document, plan: alignment.AlignmentPlan) -> str:
    """Return the plan's text in translation order: leftover runs where they fall, cues between."""
    by_after: dict[int | None, list[str]] = {}
    for run in plan.leftovers:
        by_after.setdefault(run.after_cue, []).append(run.text)
    parts = list(by_after.get(None, []))
    for cue in source.cues:
        parts.append(plan.pairs.get(cue.id, ""))
        parts.extend(by_after.get(cue.id, []))
    return "".join(parts)


# -- segmentation ----------------------------------------------------------------------------


def _pieces(text: str) -> list[tuple[str, int]]:
    cuts = [(0, 0), *boundaries(text), (len(text), 0)]
    return [(text[a:b].strip(), cls) for (a, cls), (b, _) in itertools.pairwise(cuts)]


def test_boundaries_read_unpunctuated_chinese():
    text = "在这节课 我使用 Expect 库来做一些断言测试\n第二行，还有。新句子\n\n新段落"
    assert _pieces(text) == [
        ("在这节课", 0),
        ("我使用 Expect 库来做一些断言测试", B_SPACE),
        ("第二行，", B_LINE),
        ("还有。", B_CLAUSE),
        ("新句子", B_SENT),
        ("新段落", B_PARA),
    ]


def test_boundaries_never_cut_urls_mail_or_numbers():
    text = "联系 haiguang2000@qq.com 或 https://example.org/a.b?c=1,2 价格是 1,000.50 元。版本 3.5 好"
    joined = [p for p, _ in _pieces(text)]
    assert "".join(joined).replace(" ", "") == text.replace(" ", "")
    for keep in ("haiguang2000@qq.com", "https://example.org/a.b?c=1,2", "1,000.50", "3.5"):
        assert any(keep in p for p in joined), keep


def test_email_in_translation_is_kept_as_written():
    src = Document()
    for i, t in enumerate(["Write to me.", "I answer every mail."]):
        src.append(src.new_cue(i * 2000, i * 2000 + 1900, t))
    tr = Document()
    tr.append(tr.new_cue(0, 0, "写信给我 haiguang2000@qq.com 我每封都回", timing=Timing.ESTIMATED))
    plan = alignment.align(src, tr, method="length")
    assert "haiguang2000@qq.com" in "".join(plan.pairs.values())
    assert _norm(_accounted(src, plan)) == _norm(tr.cues[0].text)


# -- nothing lost ----------------------------------------------------------------------------


@pytest.mark.parametrize("n", PAIRS)
def test_every_character_is_attached_or_left_over_bilingual(n):
    _checker()
    source = documents.load(BILINGUAL / f"en_{n}.srt")
    translation = alignment.read_translation(BILINGUAL / f"zh_{n}.txt")
    plan = alignment.align(source, translation, carry_speakers=True, method="length")
    whole = "".join(c.text for c in translation.cues)
    assert _norm(_accounted(source, plan)) == _norm(whole)
    assert plan.leftover_chars <= plan.translation_chars
    # Every leftover run says where it is, and its text is there.
    for run in plan.leftovers:
        row_text = translation.cues[run.rows[0]].text
        assert _norm(row_text[run.column :]).startswith(_norm(run.text)[:10])


def test_every_character_is_attached_or_left_over_seed():
    source = documents.load(seed_path("000"))
    translation = alignment.read_translation(seed_path("001"))
    plan = alignment.align(source, translation, carry_speakers=True)
    assert _norm(_accounted(source, plan)) == _norm("".join(c.text for c in translation.cues))
    # The interview runs far past the clip: most of it is left over, said in characters too.
    assert plan.leftover_chars > plan.translation_chars // 2
    assert plan.untranslated == []


def test_leftover_runs_carry_the_speaker_of_each_turn():
    # Seed 001 is the whole interview, 000 a clip of it: the left-over runs hold turns of
    # the host and of several team members, and each keeps who said it, at the offset in
    # the run's text where that turn starts.
    source = documents.load(seed_path("000"))
    translation = alignment.read_translation(seed_path("001"))
    plan = alignment.align(source, translation, carry_speakers=True)
    turns_by_speaker: dict[str, list[str]] = {}
    for cue in translation.cues:
        name = translation.speaker_name(cue.speaker_id)
        turns_by_speaker.setdefault(name, []).append(_norm(cue.text))
    assert plan.leftovers and all(run.turns for run in plan.leftovers)
    names = set()
    for run in plan.leftovers:
        assert run.speaker == run.turns[0][1] and run.turns[0][0] == 0
        offsets = [off for off, _name in run.turns]
        assert offsets == sorted(set(offsets))
        for off, name in run.turns:
            names.add(name)
            head = _norm(run.text[off:])[:6]
            assert any(t.startswith(head) for t in turns_by_speaker[name]), (name, run.text[off : off + 30])
    assert len(names) >= 4  # the host and team members
    report = plan.report()["leftovers"]
    assert [item["speaker"] for item in report] == [run.speaker for run in plan.leftovers]
    assert report[1]["turns"] == [list(t) for t in plan.leftovers[1].turns]


def test_report_reaches_inspect_json_and_the_project(tmp_path):
    _checker()
    args = cli.build_parser().parse_args(
        ["inspect", str(BILINGUAL / "en_5.srt"), "--translation", str(BILINGUAL / "zh_5.txt"), "--json"]
    )
    doc = cli.load_with_translation(args)
    data = json.loads(json.dumps(cli.inspect_dict(doc), ensure_ascii=False))
    report = data["translation_report"]
    assert report["method"] == "length"
    assert report["translation_chars"] > 0
    for item in report["leftovers"]:
        assert {"after_cue", "row", "column", "text"} <= set(item)
    attached = sum(len(c["translation"]) for c in data["cues"])
    assert attached + report["leftover_chars"] >= report["translation_chars"] * 0.95
    # The project keeps it.
    path = tmp_path / "p.cueline"
    documents.save(doc, path)
    again = documents.load(path)
    assert again.translation_report == doc.translation_report


def test_attach_edit_records_the_report_and_undo_removes_it():
    src = Document()
    for i, t in enumerate(["Hello there.", "Goodbye now."]):
        src.append(src.new_cue(i * 2000, i * 2000 + 1900, t))
    tr = Document()
    tr.append(
        tr.new_cue(
            0, 0, "开场白很长很长很长很长很长很长很长很长很长很长很长。你好。再见。", timing=Timing.ESTIMATED
        )
    )
    plan = alignment.align(src, tr, method="length")
    before = src.snapshot()
    inverse, _ = edits.apply(src, alignment.attach_edit(src, plan))
    assert src.translation_report == plan.report()
    edits.apply(src, inverse)
    assert src.snapshot() == before
    assert project.write_project(src)  # still writes without a report


# -- scores on the shared pairs (thresholds of the issue) ---------------------------------


@pytest.fixture(scope="module")
def bilingual_scores():
    chk = _checker()
    scores = {}
    for n in PAIRS:
        truth = chk.Truth(json.loads((BILINGUAL / f"truth_{n}.json").read_text(encoding="utf-8")))
        args = cli.build_parser().parse_args(
            [
                "inspect",
                str(BILINGUAL / f"en_{n}.srt"),
                "--translation",
                str(BILINGUAL / f"zh_{n}.txt"),
                "--carry-speakers",
                "--json",
            ]
        )
        cues = cli.inspect_dict(cli.load_with_translation(args))["cues"]
        scores[n] = chk.score_pair(truth, json.loads(json.dumps(cues)), False)
    return scores


# Floors measured with the current defaults (regression guard); the targets below.
FLOORS = {1: 0.84, 2: 0.85, 3: 0.85, 4: 0.80, 5: 0.55, 6: 0.85, 7: 0.80}


def test_bilingual_pairs_do_not_regress(bilingual_scores):
    for n, s in bilingual_scores.items():
        assert s["exact"] / s["cues"] >= FLOORS[n], (n, s["exact"], s["cues"])
        assert s["leftover_missed"] == 0  # pair 5's translator credit is left over too
    total = sum(s["exact"] for s in bilingual_scores.values())
    cues = sum(s["cues"] for s in bilingual_scores.values())
    assert total / cues >= 0.80  # the target for the whole set


def test_bilingual_every_cue_that_should_get_text_gets_some(bilingual_scores):
    for n, s in bilingual_scores.items():
        assert s["has_text"] >= s["should_have"], n


def test_bilingual_no_pair_below_target(bilingual_scores):
    # Pair 5 stands at 87 of 145 (60.0 %): one cue from the line (docs/alignment-report.md).
    assert all(s["exact"] / s["cues"] >= 0.60 for s in bilingual_scores.values())


# -- what pair 5 taught (a bilingual SRT, one bead per English cue) -----------------------


def _pair5_plan() -> tuple[Document, Document, alignment.AlignmentPlan]:
    _checker()
    source = documents.load(BILINGUAL / "en_5.srt")
    translation = alignment.read_translation(BILINGUAL / "zh_5.txt")
    return source, translation, alignment.align(source, translation, method="length")


def test_a_translators_credit_with_an_email_is_left_over_alone():
    _source, _translation, plan = _pair5_plan()
    # "(字幕整理：中国海洋大学 黄海广,haiguang2000@qq.com )" sits inside the first sentence: it is
    # a sentence of its own, left over whole, and nothing said around it goes with it.
    (run,) = plan.leftovers
    assert run.text == "(字幕整理：中国海洋大学 黄海广,haiguang2000@qq.com )"
    assert not any("qq.com" in text for text in plan.pairs.values())
    text = "本视频中，我将定义什么，(字幕整理：中国海洋大学 黄海广,haiguang2000@qq.com ) 哪些是监督学习。"
    cuts = {pos: cls for pos, cls in boundaries(text)}
    start, end = text.index("("), text.index("哪些")
    assert cuts[start] == B_SENT and cuts[end] == B_SENT
    assert not [pos for pos in cuts if start < pos < end]


def test_a_space_between_chinese_characters_in_punctuated_text_ends_a_cue():
    # Pair 5 is punctuated; where its translator ended a line without punctuation the text
    # has a space ("或者说 用一条直线"). Such a space inside one cue's text means a missed cut:
    # 2 of the 33 are (5 when a space cost nothing inside a cue).
    import re

    _source, translation, plan = _pair5_plan()
    text = " ".join(c.text for c in translation.cues)
    spaces = list(re.finditer(r"(?<=[\u4e00-\u9fff，。])\s(?=[\u4e00-\u9fff])", text))
    assert len(spaces) >= 30
    probes = [f"{text[m.start() - 4 : m.start()]} {text[m.end() : m.end() + 4]}" for m in spaces]
    inside = sum(1 for probe in probes if any(probe in t for t in plan.pairs.values()))
    assert inside <= 3


def test_cue_boundaries_a_word_from_a_sentence_end_are_near_one():
    texts = [
        "And let's say you plot a data set and it looks like",
        "this. Here on the horizontal axis, the size of different houses in square feet,",
        "and on the vertical axis, the price of different houses in thousands of dollars.",
        "So. Given this data, let's say you have a friend who owns a house that is, say 750",
        "square feet and hoping to sell the house. They want to",
        "know how much they can get for the house",
        "and this is a caption with no sentence end near its edges at all",
        "and nor is this one, which goes on and on without a stop",
    ]
    cls = alignment.source_classes(texts, near_words=3).tolist()
    near, sent, none = alignment._SRC_NEAR, alignment._SRC_SENT, alignment._SRC_NONE
    # "this." opens cue 2; cue 5's sentence ends three words before its end; cue 4 follows a
    # full stop, cue 3 a comma; cues 5 and 8 have no sentence end within three words.
    assert cls[1] == near and cls[5] == near
    assert cls[3] == sent and cls[2] == alignment._SRC_CLAUSE
    assert cls[4] == none and cls[7] == none
    # Numbers, abbreviations and dotted names end no sentence.
    assert alignment.source_classes(["it costs 3.5", "U.S. dollars or so"], near_words=3).tolist()[1] == none


def test_a_translation_read_as_subtitle_cues_is_not_left_over_for_its_line_breaks():
    # documents.load cuts the plain text into subtitle cues laid out in lines (breaks inside
    # words): line-style text, where a line break inside a match costs a little more. Made
    # too dear (1.3), whole stretches of pair 5 went over instead: 73 of 265 sentences.
    _checker()
    source = documents.load(BILINGUAL / "en_5.srt")
    translation = documents.load(BILINGUAL / "zh_5.txt")
    plan = alignment.align(source, translation)
    assert plan.cues_with_text == len(source.cues)
    assert plan.leftover_sentences <= 30, plan.leftover_sentences


def test_bracketed_lines_are_cut_between_the_brackets():
    # Pair 2's translator sets some lines in brackets: "[…，] […，]" — the space between "]"
    # and "[" ends a line like a space between two Chinese characters.
    text = "[现在请务必跳到物理女孩看一些涡环演示，] [正如我所说，你也会学到一些事情] [当你改变]"
    cuts = dict(boundaries(text))
    assert cuts[text.index("[正如")] == B_SPACE and cuts[text.index("[当你")] == B_SPACE
    # A space next to a Latin word is still ordinary spacing.
    assert not dict(boundaries("使用 (Expect) 库"))
