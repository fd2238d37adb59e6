"""Line layout of cues and tracks: rebalance/unbreak edits, attaching, merging, exports, the seeds."""

from __future__ import annotations

import itertools
import re

import pytest
from conftest import seed_path
from support.undo import apply_undo_redo

from editor.core import documents, edits, layout, linebreak, linewidth, lint
from editor.core import operations as op
from editor.core.formats import WriteOptions
from editor.core.model import Cue, Document, Speaker

CLOSING_MARKS = "。，、？！）」』】》〉；：…,.?!;:)"
WEAK = frozenset("a an the of to and or but in on at for with that this is".split())


def _doc() -> Document:
    doc = Document()
    doc.source_language, doc.translation_language = "en", "zh"
    doc.append(
        doc.new_cue(
            0,
            3000,
            "We have been trying to make the models better\nat solving math problems",
            translation="咱们一直在努力让模子\n更好地不停数学问题，这只是一个例子。",
        )
    )
    doc.append(doc.new_cue(3100, 5000, "Short.", translation="短。"))
    doc.append(doc.new_cue(5100, 7000, "- Really?\n- Yes.", translation="- 真的？\n- 是的。"))
    return doc


def test_rebalance_lines_is_one_undo_step_and_touches_only_what_changes():
    doc = _doc()
    edit = layout.rebalance_lines(doc, None, "both")
    apply_undo_redo(doc, edit)
    first = doc.cue(1)
    assert first.text == "We have been trying to make the models\nbetter at solving math problems"
    assert first.translation == "咱们一直在努力让模子更好地\n不停数学问题，这只是一个例子。"
    assert doc.cue(2).text == "Short." and doc.cue(3).text == "- Really?\n- Yes."
    # Laid out already: nothing left to change.
    assert layout.rebalance_lines(doc, None, "both").edits == []


def test_rebalance_one_track_or_the_selection():
    doc = _doc()
    edits.apply(doc, layout.rebalance_lines(doc, [1], "translation"))
    assert doc.cue(1).text.startswith("We have been trying to make the models better\n")  # untouched
    assert doc.cue(1).translation == "咱们一直在努力让模子更好地\n不停数学问题，这只是一个例子。"
    with pytest.raises(Exception, match="track"):
        layout.rebalance_lines(doc, None, "subtitles")


def test_unbreak_joins_lines_but_keeps_dialogue():
    doc = _doc()
    edit = layout.unbreak_lines(doc, None, "both")
    apply_undo_redo(doc, edit)
    assert "\n" not in doc.cue(1).text and "\n" not in doc.cue(1).translation
    assert doc.cue(1).translation == "咱们一直在努力让模子更好地不停数学问题，这只是一个例子。"
    assert doc.cue(3).text == "- Really?\n- Yes."


def test_long_lines_warn_in_the_export_linter():
    doc = Document()
    doc.append(doc.new_cue(0, 2000, "x" * 30 + " " + "y" * 30))  # one line of 61
    doc.append(doc.new_cue(2100, 4000, "这是一个非常非常非常非常长的中文句子没有任何标点符号"))  # 26 wide
    doc.append(doc.new_cue(4100, 6000, "Fine."))
    for format_id in ("srt", "vtt"):
        text = documents.render(doc, format_id)
        found = [f for f in lint.lint(text, format_id, doc) if f.code == "line-length"]
        assert [f.severity for f in found] == ["warning", "warning"]
        assert "61" in found[0].message and "limit 42" in found[0].message
        assert "26" in found[1].message and "limit 16" in found[1].message
    edits.apply(doc, layout.rebalance_lines(doc, None))
    assert not [f for f in lint.lint(documents.render(doc, "srt"), "srt", doc) if f.code == "line-length"]


def test_srt_prefix_is_counted_in_the_layout():
    doc = Document(speakers=[Speaker("s1", "Interviewer")])
    doc.source_language = "en"
    doc.append(doc.new_cue(0, 3000, "So what is reasoning anyway? One way of thinking", speaker_id="s1"))
    out = documents.render(doc, "srt")
    lines = out.strip().split("\n")[2:]
    assert lines[0].startswith("Interviewer: ") and len(lines) == 2
    assert all(len(line) <= 42 for line in lines)
    assert not layout.long_lines(out)


# -- the seeds ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> Document:
    return documents.open_document(seed_path("000"), seed_path("001"))


def _exports(doc: Document):
    for format_id in ("srt", "vtt"):
        for track in ("source", "translation", "bilingual"):
            yield format_id, track, documents.render(doc, format_id, WriteOptions(track=track))


def _squeezed(text: str) -> str:
    return "".join(text.split())


def test_seeds_attached_translation_is_laid_out_with_its_characters_kept(seeds):
    plain = documents.load(seed_path("000"))
    other = documents.read_translation(seed_path("001"))
    plan = documents.plan_translation(plain, other)
    old_ids = [c.id for c in plain.cues]
    # Each cue keeps its id; a cue too long for its lines is followed by its other pieces.
    assert [c.id for c in seeds.cues if c.id in set(old_ids)] == old_ids
    groups: list[list[Cue]] = []
    for cue in seeds.cues:
        if cue.id in set(old_ids):
            groups.append([])
        groups[-1].append(cue)
    split = [g for g in groups if len(g) > 1]
    assert 3 <= len(split) <= 8, [[c.text for c in g] for g in split]
    for old, group in zip(plain.cues, groups, strict=True):
        # Exactly the text the alignment gave the cue, and the cue's own source, over its pieces.
        assert _squeezed("".join(c.translation for c in group)) == _squeezed(plan.pairs.get(old.id, ""))
        assert " ".join(" ".join(c.text.split()) for c in group) == " ".join(old.text.split())
        # Pieces share the old cue's time, in order, the later ones after the earlier.
        assert group[0].start_ms == old.start_ms and group[-1].end_ms == old.end_ms
        assert all(a.end_ms <= b.start_ms for a, b in itertools.pairwise(group))
    for cue in seeds.cues:
        for text in (cue.text, cue.translation):
            assert text.count("\n") <= 1, text  # 0 cues over 2 lines in either track
        for line in cue.translation.split("\n"):
            assert not line or line[0] not in CLOSING_MARKS, cue.translation
    # 0 Chinese lines over 16 characters.
    profile = layout.track_profile(seeds, "translation")
    assert profile.max_chars == 16
    assert all(layout.fits(c.translation, profile) for c in seeds.cues), [
        c.translation for c in seeds.cues if not layout.fits(c.translation, profile)
    ]


def test_seeds_english_lines_seldom_end_on_a_weak_word(seeds):
    lines = [line for cue in seeds.cues for line in cue.text.split("\n") if line.strip()]
    weak = [line for line in lines if re.sub(r"[^\w']", "", line.split()[-1].lower()) in WEAK]
    assert len(weak) / len(lines) <= 0.03, weak


def test_seeds_exports_hold_no_line_over_the_limit(seeds):
    # Default settings: SRT names the speaker where it changes, WebVTT writes voice tags.
    counts = {(f, t): len(layout.long_lines(text)) for f, t, text in _exports(seeds)}
    assert counts == dict.fromkeys(counts, 0), counts
    assert len(counts) == 6


def test_seeds_exports_with_every_speaker_style_stay_within_two_lines(seeds):
    for format_id in ("srt", "vtt"):
        for style in ("prefix", "changes", "none"):
            text = documents.render(seeds, format_id, WriteOptions(track="bilingual", speakers=style))
            blocks = [b.split("\n") for b in text.strip().split("\n\n") if "-->" in b]
            for block in blocks:
                timing = next(k for k, line in enumerate(block) if "-->" in line)
                assert len(block) - timing - 1 <= 4, block  # two lines a track


def test_merging_any_two_adjacent_seed_cues_lays_out_both_tracks(seeds):
    doc = seeds
    for row in range(len(doc.cues) - 1):
        a, b = doc.cues[row], doc.cues[row + 1]
        inverse, _ = edits.apply(doc, op.merge_cues(doc, [a.id, b.id]))
        merged = doc.cue(a.id)
        for field in ("text", "translation"):
            text = getattr(merged, field)
            profile = layout.track_profile(doc, field, text)
            assert text.count("\n") <= 1, text
            flat = linebreak.unbreak(text)
            longest = max(profile.line_width(w) for w in re.split(r"\s+", flat)) if flat else 0
            if flat.startswith("- "):
                continue  # a dialogue cue: one line per speaker
            if profile.line_width(flat) <= 2 * profile.max_chars - longest - 1:
                assert layout.fits(text, profile), text  # it fits, so it is laid out to fit
        edits.apply(doc, inverse)
    assert doc.snapshot() == documents.open_document(seed_path("000"), seed_path("001")).snapshot()


def test_split_keeps_the_chinese_translation_whole_or_cuts_at_a_clause(seeds):
    for cue in list(seeds.cues)[:20]:
        if " " not in cue.text or not cue.translation:
            continue
        pos = cue.text.index(" ", len(cue.text) // 2)
        before = cue.translation
        edit, new_id = op.split_cue(seeds, cue.id, pos)
        inverse, _ = edits.apply(seeds, edit)
        first, second = seeds.cue(cue.id).translation, seeds.cue(new_id).translation
        assert "".join((first + second).split()) == "".join(before.split())
        if first and second:
            assert linebreak.unbreak(first)[-1] in "。，、？！：；,.?!:;」』）", (first, second)
        edits.apply(seeds, inverse)


def test_resegment_with_a_translation_on_the_seeds(seeds):
    doc = seeds
    ids = [c.id for c in doc.cues[:6]]
    translation = "".join("".join(doc.cue(i).translation.split()) for i in ids)
    edit, new_ids = op.resegment_cues(doc, ids)
    inverse, _ = edits.apply(doc, edit)
    assert "".join("".join(doc.cue(i).translation.split()) for i in new_ids) == translation
    assert all(doc.cue(i).translation.count("\n") <= 1 for i in new_ids)
    edits.apply(doc, inverse)


def test_dialogue_merge_of_two_speakers():
    doc = Document(speakers=[Speaker("s1", "Ann"), Speaker("s2", "Bo")])
    doc.append(Cue(1, 0, 1000, "Really?", translation="真的？", speaker_id="s1"))
    doc.append(Cue(2, 1100, 2000, "Yes.", translation="是的。", speaker_id="s2"))
    edits.apply(doc, op.merge_cues(doc, [1, 2]))
    assert (doc.cue(1).text, doc.cue(1).translation) == ("- Really?\n- Yes.", "- 真的？\n- 是的。")
    srt = documents.render(doc, "srt")
    assert "Ann:" not in srt and "- Really?\n- Yes." in srt


def test_rebalance_after_rebalance_changes_nothing_remembered_or_not():
    doc = documents.open_document(seed_path("000"), seed_path("001"))
    for field in ("text", "translation"):
        for cue in doc.cues[:20]:  # lines as a file might break them
            setattr(cue, field, linebreak.unbreak(getattr(cue, field)).replace(" ", "\n", 1))
    edits.apply(doc, layout.rebalance_lines(doc, None, "both"))
    assert layout.rebalance_lines(doc, None, "both") == edits.Batch([])
    layout.clear_cache()
    linebreak.clear_caches()
    assert layout.rebalance_lines(doc, None, "both") == edits.Batch([])
    # What the cache hands back is what the breaker works out.
    for cue in doc.cues:
        profile = layout.track_profile(doc, "text", cue.text)
        expected = linebreak.break_lines(cue.text, profile.max_chars, profile.max_lines, cjk=profile.cjk)
        assert layout.lay_out(cue.text, profile) == expected


def test_wide_characters_are_counted_as_unicodedata_says_everywhere():
    # script.wide_count counts with one pattern built from unicodedata; it must agree with the
    # per-character rule on every character, or line widths (and the export's warnings) drift.
    import unicodedata

    from editor.core import script

    bmp = "".join(chr(c) for c in range(0x80, 0x10000) if not 0xD800 <= c < 0xE000)
    astral = "".join(chr(c) for c in range(0x10000, 0x110000, 7))
    for text in (bmp, astral, "字幕 subtitle ｈｉ 😀 한국어 かな"):
        expected = sum(1 for ch in text if unicodedata.east_asian_width(ch) in ("W", "F"))
        assert script.wide_count(text) == expected
    assert script.text_width("字幕 ok", 0.5) == 2 + 3 * 0.5


def test_long_lines_on_a_mixed_export_match_the_per_line_profile_rule(tmp_path):
    # long_lines picks one profile per language instead of asking for each line: same answers as
    # asking profile_for_text line by line, also under a user's changed limits.
    from editor.core import documents
    from editor.core.formats import WriteOptions
    from editor.core.style import StyleSettings, TrackStyle, profile_for_text

    path = tmp_path / "mixed.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nA: this English line is clearly far longer than the limit allows\n"
        "这是一个非常非常长的中文字幕行超过了限制\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\n<i>Bob: 这是一行中文字幕，而且相当长，长到超过</i>\n"
        "short &amp; fine\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\nこれはとても長い日本語の字幕の行です\n\n",
        encoding="utf-8",
    )
    doc = documents.open_document(path, detect=False)
    text = documents.render(doc, "vtt", WriteOptions())
    for styles in (None, StyleSettings(source=TrackStyle("auto", {"max_chars": 30}))):
        expected = []
        in_cue = False
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                in_cue = False
            elif "-->" in line and not in_cue:
                in_cue = True
            elif in_cue:
                shown = linewidth._MARKUP_RE.sub("", line).replace("&amp;", "&")
                name, colon, rest = shown.partition(": ")
                probe = rest if colon and len(name) <= 40 and rest else shown
                profile = profile_for_text(None, probe, styles)
                width = profile.line_width(shown)
                if len(shown) > 13 and width > profile.max_chars:
                    expected.append((number, width, profile.max_chars))
        found = layout.long_lines(text, styles)
        assert found == expected
        if styles is None:
            assert {limit for _, _, limit in found} == {13, 16, 42}  # Japanese, Chinese, English


def test_rebalance_worked_out_apart_leaves_cues_edited_meanwhile_alone():
    # What Rebalance All Lines does on a worker: the texts read first (line_texts), laid out
    # away from the document (rebalanced), then applied (rebalance_edit) only where a cue
    # still holds the text that was laid out.
    from editor.core import edits
    from editor.core.model import Document

    doc = Document()
    long = "We have been trying to make the models better at solving math problems, as an example."
    for i in range(4):
        zh = "咱们一直在努力让模子更好地解决数学问题，这只是一个例子。"
        doc.append(doc.new_cue(i * 2000, i * 2000 + 1800, long, translation=zh))
    texts = layout.line_texts(doc, None, "both")
    new = layout.rebalanced(texts)
    assert layout.rebalance_edit(doc, texts, new) == layout.rebalance_lines(doc, None, "both")
    first, second, third = (c.id for c in doc.cues[:3])
    edits.apply(doc, edits.SetCueValues("text", {first: "Typed meanwhile."}))
    edits.apply(doc, edits.SetCueValues("translation", {second: "改了。"}))
    edits.apply(doc, edits.RemoveCues([third]))
    edit = layout.rebalance_edit(doc, texts, new)
    text_part, translation_part = edit.edits
    assert first not in text_part.values and second in text_part.values
    assert second not in translation_part.values and first in translation_part.values
    edits.apply(doc, edit)
    assert doc.cue(first).text == "Typed meanwhile." and doc.cue(second).translation == "改了。"
    assert doc.cue(second).text == new["text"][second]
    assert not doc.has_cue(third)


def test_speaker_labels_stay_with_their_speech_on_the_seeds(seeds):
    # A cue opened by a speaker's "Name:" (an SRT read back with its names, typed by hand):
    # the label's colon is no clause end to break at, and the label never stands alone on a
    # line. Every seed cue, both tracks, a label added, laid out by Rebalance Lines.
    labels = {"text": ("HOST: ", "Bob McGrew: "), "translation": ("主持人：", "鲍勃：")}
    bare = {label.strip() for options in labels.values() for label in options}
    labelled = {
        field: {c.id: options[k % 2] + linebreak.unbreak(getattr(c, field)) for k, c in enumerate(seeds.cues)}
        for field, options in labels.items()
    }
    edits.apply(seeds, edits.Batch([edits.SetCueValues(field, texts) for field, texts in labelled.items()]))
    edits.apply(seeds, layout.rebalance_lines(seeds, None, "both"))
    broken = 0
    for cue in seeds.cues:
        for field in labels:
            laid, flat = getattr(cue, field), labelled[field][cue.id]
            profile = layout.track_profile(seeds, field)
            assert linebreak.unbreak(laid) == flat  # words and characters unchanged
            assert laid.count("\n") <= 1 and laid.split("\n")[0] not in bare, laid
            if "\n" in laid:
                broken += 1
                if linebreak.display_width(flat, profile.cjk) <= 1.6 * profile.max_chars:
                    assert layout.fits(laid, profile), laid  # room to spare: every line within the limit
    assert broken > len(seeds.cues)
    # The example: at 43 characters against 42 the break went right after "HOST:".
    assert linebreak.break_lines("HOST: We are releasing two new models today", 42) == (
        "HOST: We are releasing\ntwo new models today"
    )


def test_rebalance_leaves_the_collector_as_it_found_it():
    """Rebalance pauses the cyclic collector while it works (runtime.pause_gc) and gives it
    back as it was: on when it was on, off when a caller (a worker's load) had it off, and on
    again after a failure (an unknown track)."""
    import gc

    from editor.core.errors import ValidationError

    doc = documents.open_document(seed_path("000"), seed_path("001"))
    assert gc.isenabled()
    layout.rebalance_lines(doc, None, "both")
    assert gc.isenabled()
    assert layout.rebalanced(layout.line_texts(doc, None)) == {}  # (opened laid out already)
    assert gc.isenabled()
    gc.disable()
    try:
        layout.rebalance_lines(doc, None, "text")
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(ValidationError):
        layout.rebalance_lines(doc, None, "sideways")
    assert gc.isenabled()
