"""Cues too long for their lines, split into cues that fit (editor.core.fitting)."""

from __future__ import annotations

from conftest import seed_path
from support.undo import apply_undo_redo

from editor.core import documents, edits, fitting, layout
from editor.core import operations as op
from editor.core.model import Cue, Document, Review, Speaker, Timing


def _squeezed(text: str) -> str:
    return "".join(text.split())


LONG_ZH = "但我认为研究确实很酷的地方在于,总有灵光乍现的时刻。在某个特定的时间点,会发生一些令人惊讶的事情。"


def _doc() -> Document:
    doc = Document()
    doc.source_language, doc.translation_language = "en", "zh"
    doc.append(doc.new_cue(0, 2000, "Short.", translation="短。"))
    doc.append(
        doc.new_cue(
            2100,
            8100,
            "about research is there's that aha moment,\nthere's that particular point",
            translation=LONG_ZH,
            review=Review.NEEDS_REVIEW,
        )
    )
    doc.append(doc.new_cue(8200, 9000, "End.", translation="完。"))
    return doc


def test_a_translation_too_long_for_two_lines_takes_two_cues():
    doc = _doc()
    edit = fitting.split_to_fit(doc)
    apply_undo_redo(doc, edit)
    assert len(doc.cues) == 4
    first, second = doc.cues[1], doc.cues[2]
    assert first.id == 2 and second.id not in (1, 2, 3)
    profile = layout.track_profile(doc, "translation")
    for cue in (first, second):
        assert layout.fits(cue.translation, profile), cue.translation
        assert layout.fits(cue.text, layout.track_profile(doc, "text")), cue.text
        assert cue.review == Review.NEEDS_REVIEW
    # Cut at a sentence or clause end, in both tracks; every character kept, in order.
    assert first.translation.replace("\n", "")[-1] in "。,", first.translation
    assert _squeezed(first.translation + second.translation) == _squeezed(LONG_ZH)
    assert " ".join((first.text + " " + second.text).split()) == " ".join(_doc().cues[1].text.split())
    # Time follows the source: the first half ends before the second starts, both inside.
    assert first.start_ms == 2100 and second.end_ms == 8100
    assert first.end_ms < second.start_ms
    share = len(first.text.replace("\n", " ")) / (len(first.text) + len(second.text) + 1)
    assert abs((second.start_ms - 2100) / 6000 - share) < 0.02


def test_cues_that_fit_are_left_alone():
    doc = _doc()
    doc.cues[1].translation = "短句。"
    assert fitting.split_to_fit(doc) == edits.Batch([])


def test_only_the_chosen_cues_are_split():
    doc = _doc()
    assert fitting.split_to_fit(doc, [1, 3]) == edits.Batch([])
    assert fitting.split_to_fit(doc, [2]).edits


def test_a_speaker_name_opening_a_turn_is_given_room():
    doc = Document(speakers=[Speaker("s1", "Interviewer"), Speaker("s2", "Guest")])
    doc.source_language = "en"
    text = "There was the first moment when the moment\nwas hot of the press we started talking"
    doc.append(doc.new_cue(0, 3000, "Hello there.", speaker_id="s1"))
    doc.append(doc.new_cue(3100, 7000, text, speaker_id="s2"))
    doc.append(doc.new_cue(7100, 9000, text, speaker_id="s2"))
    # Without the name the text fits two lines of 42; with "Guest: " it cannot.
    assert layout.fits(text, layout.track_profile(doc, "text"))
    assert layout.long_lines(documents.render(doc, "srt"))
    edit = fitting.split_to_fit(doc)
    apply_undo_redo(doc, edit)
    # Only the cue that opens the turn is cut; the next one carries no name.
    assert [c.speaker_id for c in doc.cues] == ["s1", "s2", "s2", "s2"]
    assert doc.cues[3].text == text
    assert not layout.long_lines(documents.render(doc, "srt"))
    assert not layout.long_lines(documents.render(doc, "vtt"))


def test_resegment_with_a_long_translation_gives_cues_that_fit():
    doc = Document()
    doc.source_language, doc.translation_language = "en", "zh"
    doc.append(
        Cue(
            1,
            0,
            9000,
            "about research is there's that aha moment, there's that particular point when something happens",
            translation=LONG_ZH,
        )
    )
    edit, new_ids = op.resegment_cues(doc, [1])
    apply_undo_redo(doc, edit)
    profile = layout.track_profile(doc, "translation")
    assert all(layout.fits(doc.cue(i).translation, profile) for i in new_ids)
    assert _squeezed("".join(doc.cue(i).translation for i in new_ids)) == _squeezed(LONG_ZH)


def test_attaching_the_seeds_is_one_undo_step_with_the_splits():
    doc = documents.load(seed_path("000"))
    other = documents.read_translation(seed_path("001"))
    plan = documents.plan_translation(doc, other)
    count = len(doc.cues)
    edit = documents.attach_translation_edit(doc, other, plan)
    assert len(doc.cues) == count  # working out the splits leaves the document as it was
    apply_undo_redo(doc, edit)
    assert len(doc.cues) > count
    assert not any(layout.long_lines(documents.render(doc, f)) for f in ("srt", "vtt"))


def test_a_source_timed_by_its_file_is_cut_only_for_its_translation():
    doc = Document()
    doc.source_language, doc.translation_language = "en", "zh"
    long_line = "and this one line of a timed file runs well past the forty-two characters of a line " * 2
    doc.append(doc.new_cue(0, 4000, long_line.strip(), translation="短。"))
    assert fitting.split_to_fit(doc, exact_sources=False) == edits.Batch([])
    doc.cues[0].timing = Timing.ESTIMATED  # made by the editor: its lines are ours to fit
    assert fitting.split_to_fit(doc, exact_sources=False).edits
    doc.cues[0].timing = Timing.EXACT
    doc.cues[0].translation = LONG_ZH
    edit = fitting.split_to_fit(doc, exact_sources=False)
    apply_undo_redo(doc, edit)
    assert len(doc.cues) == 2 and all(c.timing == Timing.ESTIMATED for c in doc.cues)


def test_a_translation_with_no_clause_mark_is_still_shared_by_both_pieces():
    # The seeds' cue "For a lot of the time that I've been here we've been trying to make the
    # models" opens a turn: with its speaker's name it cannot fit, and its translation has no
    # clause mark inside; each piece must still carry part of the translation.
    doc = documents.load(seed_path("000"))
    other = documents.read_translation(seed_path("001"))
    plan = documents.plan_translation(doc, other)
    original = {c.id: c.translation for c in doc.cues}
    edits.apply(doc, documents.attach_translation_edit(doc, other, plan))
    untranslated = [c for c in doc.cues if not c.translation.strip()]
    assert untranslated == [], [(c.id, c.text) for c in untranslated]
    assert len(doc.cues) > len(original)


def test_a_cut_translation_without_punctuation_keeps_every_character():
    doc = Document(speakers=[Speaker("s1", "团队成员G")])
    doc.source_language, doc.translation_language = "en", "zh"
    text = "For a lot of the time that I've been here we've been trying to make the models"
    tr = "在我到这里劳动的大部分时期里我们一直在努力"
    doc.append(doc.new_cue(0, 4000, text, translation=tr, speaker_id="s1"))
    edits.apply(doc, fitting.split_to_fit(doc))
    assert len(doc.cues) == 2
    assert all(c.translation for c in doc.cues)
    assert _squeezed("".join(c.translation for c in doc.cues)) == tr
