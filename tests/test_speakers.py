"""Speaker labels: the canonical normaliser, merge suggestions, prefixes, dialogue dashes."""

from __future__ import annotations

import pytest
from conftest import seed_path

from editor.core import edits, speakers
from editor.core.model import Document


def test_label_key_folds_space_case_width_and_trailing_punctuation():
    key = speakers.label_key
    assert key("团队成员 M") == key("团队成员M")
    assert key("团队成员Ｍ") == key("团队成员M")  # full-width letter
    assert key("团队成员M：") == key("团队成员M")  # full-width colon
    assert key("Bob McGrew.") == key("bob  mcgrew")
    assert key("Host。") == key("HOST")
    assert key("团队成员M") != key("团队成员N")
    assert key("Ann") != key("Anne")


def _doc(names_per_cue: list[str]) -> Document:
    doc = Document()
    for i, name in enumerate(names_per_cue):
        sp = doc.ensure_speaker(name)
        doc.append(doc.new_cue(i * 1000, i * 1000 + 900, f"line {i}", speaker_id=sp.id))
    return doc


def test_merge_suggestions_find_the_same_person():
    doc = _doc(["团队成员 M", "团队成员M", "团队成员M", "团队成员O", "团队成员 O", "Host", "团队成员N"])
    sugg = speakers.merge_suggestions(doc)
    assert len(sugg) == 2
    by_names = {tuple(doc.speakers[i].name for i in s.ids): s for s in sugg}
    m = by_names[("团队成员 M", "团队成员M")]
    assert doc.speakers[m.into].name == "团队成员M"  # the one with more cues is kept
    assert "white space" in m.reason
    o = by_names[("团队成员O", "团队成员 O")]
    assert doc.speakers[o.into].name == "团队成员O"  # tie: the first one


def test_merge_suggestions_none_for_distinct_people():
    assert speakers.merge_suggestions(_doc(["Ann", "Anne", "Bob"])) == []


def test_merge_edit_is_one_undoable_step():
    doc = _doc(["团队成员 M", "团队成员M", "团队成员M", "Host"])
    before = doc.snapshot()
    (s,) = speakers.merge_suggestions(doc)
    inverse, changes = edits.apply(doc, speakers.merge_edit(doc, s.ids, s.into))
    assert {c.speaker_id for c in doc.cues} == {s.into, doc.speaker_by_name("Host").id}
    assert len(doc.speakers) == 2
    assert changes.speakers
    edits.apply(doc, inverse)
    assert doc.snapshot() == before


def test_merge_edit_unknown_speaker():
    doc = _doc(["A"])
    with pytest.raises(KeyError):
        speakers.merge_edit(doc, ["s1", "nope"], "s1")


def test_cue_counts_include_unused_speakers():
    doc = _doc(["A", "B", "A"])
    doc.ensure_speaker("C")
    counts = speakers.cue_counts(doc)
    assert sorted(counts.values()) == [0, 1, 2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bob: hello there", ("Bob", "hello there")),
        ("团队成员 M：你好", ("团队成员 M", "你好")),
        ("团队成员A:咱们将使用新称号", ("团队成员A", "咱们将使用新称号")),
        ("Bob McGrew:  we did it", ("Bob McGrew", "we did it")),
    ],
)
def test_split_prefix_reads_labels(text, expected):
    assert speakers.split_prefix(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com/a",
        "Reference: https://www.youtube.com/watch?v=x",
        "10:30 we meet",
        "Note, this: x",
        "A very long label with many words here: x",
        "Title:",
        "no colon at all",
        "(laughs): really",
    ],
)
def test_split_prefix_rejects_non_labels(text):
    assert speakers.split_prefix(text) == (None, text)


def test_dialogue_round_trip():
    text = speakers.dialogue_text(["Are you coming?", "Yes."])
    assert text == "- Are you coming?\n- Yes."
    assert speakers.split_dialogue(text) == ["Are you coming?", "Yes."]
    assert speakers.split_dialogue("- only one") is None
    assert speakers.split_dialogue("- one\nnot dashed") is None
    assert speakers.dialogue_text(["solo"]) == "solo"


def test_seed_001_labels_group_into_host_and_team_members():
    text = seed_path("001").read_text(encoding="utf-8")
    body = text.split("访谈全文", 1)[1]
    names = [name for name, _ in map(speakers.split_prefix, body.splitlines()) if name]
    groups: dict[str, set[str]] = {}
    for name in names:
        groups.setdefault(speakers.label_key(name), set()).add(name)
    # The host plus team members A–R (there is no L): 18 people, whatever the spacing.
    assert len(groups) == 18
    assert {"团队成员 M", "团队成员M"} in groups.values()
    assert {"团队成员 O", "团队成员O"} in groups.values()
    assert all(k.startswith("团队成员") or k == "主合手东说念主" for k in groups)


def test_transcript_reader_normalises_labels_like_speakers():
    # The transcript reader keeps its own copy of the rule; both must agree.
    transcript = pytest.importorskip("editor.core.formats.transcript")
    other = getattr(transcript, "label_key", None)
    if other is None:
        pytest.skip("the transcript reader has no label_key of its own")
    samples = ["团队成员 M", "团队成员M：", "团队成员Ｍ", "Bob McGrew.", "HOST。", "  Ann  ", "Dr. Who:"]
    for name in samples:
        assert other(name) == speakers.label_key(name), name
