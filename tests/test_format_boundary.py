"""The format boundary: one extension table, one adapter base that looks its module's
functions up at each call, the project format behind the same protocol, and SubRip display
positions carried on the cue."""

from __future__ import annotations

import json
import os

import pytest

from editor.core import documents, formats, operations
from editor.core.edits import apply
from editor.core.errors import WriteError
from editor.core.formats import ReadOptions, WriteOptions, srt

POSITIONED = (
    "1\n00:00:01,000 --> 00:00:04,000  X1:10 X2:20 Y1:30 Y2:40\nOne two three four.\n\n"
    "2\n00:00:05,000 --> 00:00:06,000\nPlain.\n"
)


def test_every_format_takes_its_extensions_from_the_one_table():
    for format_id in formats.ids():
        exts = formats.get(format_id).extensions
        assert exts and all(formats.EXTENSIONS[e] == format_id for e in exts)
    assert set(formats.EXTENSIONS.values()) == set(formats.ids())
    assert formats.for_extension("talk.WEBVTT").id == "vtt"
    assert formats.format_id_for("talk.txt", deciding_only=True) is None  # detected from content


def test_output_format_follows_the_table_and_refuses_read_only_formats():
    assert documents.format_for_output("a.ssa") == "ass"
    assert documents.format_for_output("a.md") == "transcript"
    for name in ("a.json", "a.sub", "a.xyz"):
        with pytest.raises(WriteError):
            documents.format_for_output(name)


def test_the_adapter_calls_the_module_function_of_the_moment(monkeypatch):
    doc = srt.read(POSITIONED)
    monkeypatch.setattr(srt, "write", lambda d, options=None: "replaced\n")
    assert formats.get("srt").write(doc) == "replaced\n"
    with pytest.raises(WriteError, match="Whisper JSON files can be read but not written"):
        formats.get("whisper").write(doc)


def test_the_project_format_keeps_media_relative_through_the_protocol(tmp_path):
    doc = srt.read(POSITIONED)
    (tmp_path / "media").mkdir()
    doc.metadata.media_path = str(tmp_path / "media" / "clip.wav")
    project = formats.get("cueline")
    text = project.write(doc, WriteOptions(base_dir=str(tmp_path)))
    assert json.loads(text)["metadata"]["media_path"] == "media/clip.wav"
    back = project.read(text, ReadOptions(base_dir=str(tmp_path / "elsewhere")))
    assert back.metadata.media_path == os.path.join(str(tmp_path / "elsewhere"), "media", "clip.wav")
    # Saved and loaded as a file: the same rule, no special case in documents.
    path = tmp_path / "p.cueline"
    documents.save(doc, path)
    assert documents.load(path).metadata.media_path == str(tmp_path / "media" / "clip.wav")


def test_srt_positions_ride_on_the_cue_through_split_and_delete():
    doc = srt.read(POSITIONED)
    first, second = (c.id for c in doc.cues)
    assert doc.cues[0].srt_position == "  X1:10 X2:20 Y1:30 Y2:40" and not doc.metadata.extra
    edit, new_id = operations.split_cue(doc, first, len("One two"))
    apply(doc, edit)
    assert doc.cue(new_id).srt_position == doc.cue(first).srt_position
    apply(doc, operations.delete_cues(doc, [first]))
    timing_lines = srt.write(doc).split("\n")[1::4]
    assert timing_lines[0].endswith("  X1:10 X2:20 Y1:30 Y2:40")  # the second half keeps its place
    assert timing_lines[1] == "00:00:05,000 --> 00:00:06,000"
    assert doc.cue(second).srt_position == ""


def test_a_project_that_kept_positions_in_its_metadata_hands_them_to_the_cues():
    doc = srt.read(POSITIONED)
    text = formats.get("cueline").write(doc)
    data = json.loads(text)
    for cue in data["cues"]:
        cue.pop("srt_position", None)
    old = {f"srt.position.{doc.cues[0].id}": "  X1:1 X2:2 Y1:3 Y2:4", "srt.position.999": "x"}
    data["metadata"]["extra"] = old
    back = formats.get("cueline").read(json.dumps(data))
    assert back.cues[0].srt_position == "  X1:1 X2:2 Y1:3 Y2:4"
    assert not any(k.startswith("srt.position.") for k in back.metadata.extra)


def test_a_format_label_names_the_extension_it_writes() -> None:
    from editor.core import formats as registry

    assert registry.label("srt") == "SubRip (.srt)"
    assert registry.label("vtt") == "WebVTT (.vtt)"  # the first of its extensions, not .webvtt
