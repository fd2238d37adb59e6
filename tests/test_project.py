"""The .cueline project format: lossless round trips, strict reading, no side effects."""

from __future__ import annotations

import builtins
import io
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.core import documents, formats
from editor.core.errors import LimitError, ParseError
from editor.core.formats import project
from editor.core.model import Cue, Document, Metadata, Review, SourceInfo, Speaker, Timing, Word

FMT = project.FORMAT

# Pieces that break naive writers: markup, entities, arrows, scripts, invisible marks.
TRICKY = [
    "&",
    "<",
    ">",
    "-->",
    "&amp;",
    "<i>",
    "</i>",
    "<b>bold</b>",
    "<v Ann>",
    "中文字幕",
    "日本語",
    "😀",
    "👩‍👩‍👧",
    "مرحبا",
    "שלום",
    "\u202e",
    "e\u0301",
    "a\u0308\u0323",
    "\n",
    "\n\n",
    " \n ",
    "\u00a0",
    "\u200b",
    "\u2028",
    "\t",
    "\\",
    '"',
    "\x00",
    "\x1f",
    "\ufeff",
]

texts = st.lists(st.sampled_from(TRICKY) | st.text(max_size=8), max_size=6).map("".join)
times = st.integers(min_value=-project.MAX_ABS_MS, max_value=project.MAX_ABS_MS)


@st.composite
def documents_st(draw) -> Document:
    speakers = draw(
        st.lists(
            st.builds(Speaker, st.text(min_size=1, max_size=5), texts, texts),
            max_size=4,
            unique_by=lambda s: s.id,
        )
    )
    speaker_ids = [None, *(s.id for s in speakers)]
    doc = Document(
        speakers=speakers,
        source_language=draw(st.none() | st.sampled_from(["en", "zh-Hans", "ar"])),
        translation_language=draw(st.none() | texts),
        metadata=Metadata(
            title=draw(texts),
            url=draw(texts),
            media_path=draw(texts),
            duration_ms=draw(st.none() | st.integers(0, 10**10)),
            extra=draw(st.dictionaries(texts, texts, max_size=3)),
        ),
        notes=draw(texts),
    )
    ids = draw(st.lists(st.integers(1, 10**9), unique=True, max_size=8))
    for cue_id in ids:
        start = draw(times)
        end = draw(st.integers(start, min(start + 10**7, project.MAX_ABS_MS)))
        words = draw(
            st.none()
            | st.lists(
                st.builds(
                    lambda s, d, t: Word(s, s + d, t), st.integers(0, 10**6), st.integers(0, 999), texts
                ),
                max_size=3,
            ).map(tuple)
        )
        doc.append(
            Cue(
                cue_id,
                start,
                end,
                draw(texts),
                translation=draw(texts),
                speaker_id=draw(st.sampled_from(speaker_ids)),
                timing=draw(st.sampled_from(list(Timing))),
                review=draw(st.sampled_from(list(Review))),
                note=draw(texts),
                vtt_id=draw(texts),
                vtt_settings=draw(texts),
                words=words,
            )
        )
    for role in draw(st.lists(st.sampled_from(["source", "translation", "media"]), unique=True)):
        doc.sources[role] = SourceInfo(
            path=draw(st.none() | texts),
            format=draw(st.sampled_from(["srt", "vtt", "transcript", ""])),
            encoding=draw(st.sampled_from(["utf-8", "gb18030", "utf-16-le", "cp1252"])),
            bom=draw(st.booleans()),
            newline=draw(st.sampled_from(["\n", "\r\n", "\r"])),
        )
    doc._next_id += draw(st.integers(0, 5))  # a counter past the highest id survives too
    return doc


def full_picture(doc: Document) -> tuple:
    return doc.snapshot(), sorted(doc.sources.items()), doc._next_id


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents_st())
def test_round_trip_keeps_everything(doc):
    text = FMT.write(doc)
    back = FMT.read(text)
    assert full_picture(back) == full_picture(doc)
    # Ids, not rows: the same cue objects are found under the same ids.
    assert [c.id for c in back.cues] == [c.id for c in doc.cues]
    # Writing is deterministic, and every cue sits on its own line.
    assert FMT.write(back) == text
    assert FMT.guess(text) == 100
    lines = text.split("\n")
    for cue in doc.cues:
        assert sum(1 for line in lines if line.lstrip().startswith(f'{{"id": {cue.id}, ')) == 1


def sample_doc() -> Document:
    doc = Document(
        speakers=[Speaker("s1", "Ann", "#112233"), Speaker("s2", "Bo")],
        source_language="en",
        translation_language="zh",
        metadata=Metadata("Talk", "https://example.org/t", "/media/talk.mp4", 60_000, {"k": "v"}),
        notes="header line",
    )
    doc.append(doc.new_cue(0, 900, "Hello & <i>you</i> -->", speaker_id="s1", translation="你好"))
    doc.append(doc.new_cue(1000, 1900, "second", timing=Timing.ESTIMATED, review=Review.REVIEWED))
    doc.append(doc.new_cue(2000, 2900, "third", vtt_id="c3", vtt_settings="align:start", note="n"))
    doc.sources["source"] = SourceInfo("/x/talk.srt", "srt", "cp1252", True, "\r\n")
    return doc


def test_layout_is_one_cue_per_line_with_defaults_omitted():
    text = FMT.write(sample_doc())
    data = json.loads(text)
    assert data["cueline"] == project.VERSION
    assert next(iter(data)) == "cueline"
    cue_lines = [line for line in text.split("\n") if line.startswith('    {"id": ') and line[11].isdigit()]
    assert len(cue_lines) == 3
    assert cue_lines[1].strip().rstrip(",") == (
        '{"id": 2, "start_ms": 1000, "end_ms": 1900, "text": "second", "timing": "estimated", '
        '"review": "reviewed"}'
    )
    assert "你好" in text and "\\u" not in text  # ensure_ascii=False keeps text readable
    assert text.endswith("}\n")


def test_save_and_load_through_the_disk(tmp_path):
    doc = sample_doc()
    path = tmp_path / "talk.cueline"
    documents.save(doc, path)
    back = documents.load(path)
    assert back.snapshot() == doc.snapshot()
    assert back._next_id == doc._next_id
    assert documents.pick_format(path.read_text("utf-8"), None).id == "cueline"


def test_registry_finds_the_format():
    assert formats.get("cueline") is FMT
    assert formats.for_extension("a/b.CUELINE") is FMT
    assert (FMT.id, FMT.name, FMT.extensions, FMT.can_write) == (
        "cueline",
        "Cueline project",
        ("cueline",),
        True,
    )


def test_next_id_never_reuses_an_id():
    text = FMT.write(sample_doc()).replace('"next_id": 4', '"next_id": 2')
    doc = FMT.read(text)
    assert doc.new_id() == 4


@pytest.mark.parametrize(
    "text, score",
    [
        ('{"cueline": 1, "cues": []}', 100),
        ('\ufeff  {\n "cueline": 1}', 100),
        ('{"cues": [], "cueline": 1}', 100),  # key not first: parsed to be sure
        ('{"cues": [], "note": "cueline"}', 0),
        ('{"cues": [], "x": "\\"cueline\\""}', 0),
        ("[1, 2]", 0),
        ("1\n00:00:01,000 --> 00:00:02,000\nHi\n", 0),
        ('WEBVTT\n\n00:01.000 --> 00:02.000\n{"cueline": 1}\n', 0),
        ("", 0),
        ('{"cueline"', 0),
    ],
)
def test_guess(text, score):
    assert FMT.guess(text) == score


# (text to replace in the sample, replacement or whole text when the first is None,
#  message fragment, text on the line the error must name or None)
BAD_CASES = [
    ('"start_ms": 1000', '"start_ms": "1000"', "cues[1].start_ms: expected an integer", '"id": 2,'),
    ('"start_ms": 1000', '"start_ms": 1000.5', "cues[1].start_ms: expected an integer", '"id": 2,'),
    ('"start_ms": 1000', '"start_ms": true', "cues[1].start_ms: expected an integer", '"id": 2,'),
    ('"start_ms": 0,', '"start_ms": 1e3,', "cues[0].start_ms: expected an integer", '"id": 1,'),
    ('"end_ms": 1900', '"end_ms": 10', "cues[1].end_ms: the cue ends (10 ms) before", '"id": 2,'),
    ('"id": 2,', '"id": 1,', "cues[1].id: duplicate cue id 1", '"start_ms": 1000'),
    ('"id": 3, ', "", "cues[2].id: missing", '"start_ms": 2000'),
    ('"speaker_id": "s1"', '"speaker_id": "s9"', "cues[0].speaker_id: unknown speaker", '"id": 1,'),
    ('"timing": "estimated"', '"timing": "guessed"', "cues[1].timing: expected one of", '"id": 2,'),
    ('"review": "reviewed"', '"review": 3', "cues[1].review: expected a string", '"id": 2,'),
    ('"text": "second"', '"txt": "second"', "cues[1].txt: unknown key", '"id": 2,'),
    ('"start_ms": 0,', '"start_ms": 0, "words": [[5, 1, "x"]],', "cues[0].words[0]: word ends", '"id": 1,'),
    (
        '"start_ms": 0,',
        '"start_ms": 0, "words": [[1, 2]],',
        "cues[0].words[0]: expected [start_ms",
        '"id": 1,',
    ),
    ('"cueline": 1', '"cueline": 2', "made by a newer Cueline", '"cueline"'),
    ('"cueline": 1', '"cueline": 0', "unknown project version 0", '"cueline"'),
    ('"cueline": 1', '"cueline": "1"', "cueline: expected the project version", '"cueline"'),
    ('"notes": "header line"', '"notes": null', "notes: expected a string", '"notes"'),
    ('"bom": true', '"bom": 1', "sources.source.bom: expected true or false", '"source": {'),
    ('"newline": "\\r\\n"', '"newline": "x"', "sources.source.newline", '"source": {'),
    ('"encoding": "cp1252"', '"encoding": "../../etc"', "is not an encoding name", '"source": {'),
    (
        '"duration_ms": 60000',
        '"duration_ms": -1',
        "metadata.duration_ms: -1 is out of range",
        '"duration_ms"',
    ),
    ('"extra": {\n      "k": "v"\n    }', '"extra": []', "metadata.extra: expected an object", '"extra"'),
    ('"id": "s2", "name": "Bo"', '"id": "s1", "name": "Bo"', "speakers[1].id: duplicate speaker id", '"Bo"'),
    ('"name": "Bo", ', "", "speakers[1].name: missing", '"s2"'),
    ('"speakers": [', '"speakers": {"a": [', "not valid JSON", None),
    ('"title": "Talk"', '"title": "Talk", "title": "Again"', "duplicate key 'title'", None),
    ('"duration_ms": 60000', '"duration_ms": NaN', "NaN is not allowed", None),
    ('"duration_ms": 60000', '"duration_ms": ' + "9" * 5000, "not a valid project", None),
    ('"text": "second"', '"text": "\\ud800"', "unpaired UTF-16 surrogate", None),
    ('"cues": [', '"cues": 5, "x": [', "x: unknown key", '"x"'),
    (None, '{"cueline": 1, "cues": 5}', "cues: expected an array", "cues"),
    (None, '{"cueline": 1}', "cues: missing", None),
    (None, '{"cueline": 1, "cues": [], "extra": 1}', "extra: unknown key", "extra"),
    (None, '{"cueline": 1, "cues": [7]}', "cues[0]: expected an object, found an integer", None),
    (None, "[]", "holds one JSON object, found an array", None),
    (None, "", "not valid JSON", ""),
    (None, "[" * 100_000, "nested too deeply", None),
]


@pytest.mark.parametrize("old, new, message, marker", BAD_CASES)
def test_bad_projects_raise_parse_error_with_field_and_line(old, new, message, marker):
    text = FMT.write(sample_doc())
    if old is None:
        text = new
    else:
        assert old in text
        text = text.replace(old, new, 1)
    with pytest.raises(ParseError) as info:
        FMT.read(text)
    assert message in info.value.reason
    if marker is not None:
        # The error names the first line that holds `marker` (the value's line, or its key's).
        lines = text.split("\n")
        expected = next(i for i, line in enumerate(lines, 1) if marker in line)
        assert info.value.line == expected, lines[(info.value.line or 1) - 1]


def test_truncated_project_names_the_line():
    text = FMT.write(sample_doc())
    cut = text[: text.index('"id": 2,') + 20]
    with pytest.raises(ParseError) as info:
        FMT.read(cut)
    assert info.value.line == cut.count("\n") + 1


def test_more_than_a_million_cues_is_a_limit_error():
    text = '{"cueline": 1, "cues": [' + ",".join(["0"] * (project.MAX_CUES + 1)) + "]}"
    with pytest.raises(LimitError, match="limit is 1,000,000"):
        FMT.read(text)


def test_paths_in_a_project_are_only_data(monkeypatch, tmp_path):
    doc = sample_doc()
    target = tmp_path / "must-not-exist"
    doc.metadata.media_path = str(target)
    doc.sources["source"] = SourceInfo(str(target), "srt", "utf-8", False, "\n")
    text = FMT.write(doc)

    def refuse(*args, **kwargs):
        raise AssertionError(f"the project reader touched the file system: {args!r}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(io, "open", refuse)
    monkeypatch.setattr(os, "open", refuse)
    monkeypatch.setattr(os, "stat", refuse)
    back = FMT.read(text)
    monkeypatch.undo()
    assert back.metadata.media_path == str(target)
    assert not target.exists()


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_raise_only_parse_error(data):
    for text in (data.decode("latin-1"), data.decode("utf-8", "replace")):
        try:
            FMT.read(text)
        except ParseError:
            pass


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)
SAMPLE = json.loads(FMT.write(sample_doc()))
PATHS = [
    (),
    ("cueline",),
    ("next_id",),
    ("metadata",),
    ("metadata", "title"),
    ("metadata", "extra"),
    ("sources",),
    ("sources", "source"),
    ("sources", "source", "bom"),
    ("speakers",),
    ("speakers", 0),
    ("speakers", 1, "color"),
    ("cues",),
    ("cues", 0),
    ("cues", 1, "id"),
    ("cues", 1, "start_ms"),
    ("cues", 2, "text"),
    ("cues", 0, "speaker_id"),
    ("cues", 0, "words"),
    ("cues", 1, "timing"),
]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(PATHS), json_values)
def test_structural_fuzz_raises_only_parse_error(path, value):
    data = json.loads(json.dumps(SAMPLE))
    if path:
        holder = data
        for part in path[:-1]:
            holder = holder[part]
        holder[path[-1]] = value
    else:
        data = value
    text = json.dumps(data, ensure_ascii=False, indent=1)
    try:
        doc = FMT.read(text)
    except ParseError as exc:
        assert exc.reason
    else:
        # Whatever was accepted writes back and reads again identically.
        assert full_picture(FMT.read(FMT.write(doc))) == full_picture(doc)


def test_loading_a_project_keeps_the_file_it_was_made_from(tmp_path):
    from editor.core import documents

    srt = tmp_path / "talk.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello\n", encoding="utf-8")
    doc = documents.load(srt)
    project = tmp_path / "talk.cueline"
    documents.save(doc, project)
    again = documents.load(project)
    assert again.sources["source"].path == str(project)
    assert again.sources["source"].format == "cueline"
    assert again.sources["origin"].path == str(srt)
    assert again.sources["origin"].format == "srt"


_CUE_VALUES = st.one_of(
    st.integers(-5, 5),
    st.integers(-(10**13), 10**13),
    st.text(max_size=3),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False, max_value=10.0, min_value=-10.0),
    st.sampled_from(["S1", "exact", "estimated"]),
)
_CUE_KEYS = ["id", "start_ms", "end_ms", "text", "translation", "speaker_id", "timing", "note", "x"]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.dictionaries(st.sampled_from(_CUE_KEYS), _CUE_VALUES, max_size=8),
        # Mostly well-formed cues, where the quick reader answers.
        st.builds(
            lambda required, extra: {**required, **extra},
            st.fixed_dictionaries(
                {
                    "id": st.integers(-1, 5),
                    "start_ms": st.integers(-3, 3),
                    "end_ms": st.integers(-3, 3),
                    "text": st.text(max_size=3),
                }
            ),
            st.dictionaries(st.sampled_from(_CUE_KEYS[4:]), _CUE_VALUES, max_size=3),
        ),
    )
)
def test_quick_cue_reader_agrees_with_the_checked_one_wherever_it_answers(raw):
    from editor.core.formats.project import read_cue_checked, read_cue_quick

    try:
        quick = read_cue_quick(raw, 0, {"S1"})
    except Exception as exc:  # the quick path may refuse only as the checked one does
        with pytest.raises(type(exc)):
            read_cue_checked(raw, 0, {"S1"})
        return
    if quick is not None:
        assert quick == read_cue_checked(raw, 0, {"S1"})
