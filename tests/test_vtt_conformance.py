"""All 50 WebVTT file-parsing cases of the conformance corpus (W3C web-platform-tests).

valid:false files must be rejected with a ParseError at line 1; for the others the cue
count, ids, raw text, times, parsed settings and regions are compared with the expectation.
Files are read through `editor.core.documents.load` (so the BOM case goes through the decoder)
and through `parse_vtt` for the raw, spec-level values.
"""

from __future__ import annotations

import io
import json

import pytest
import webvtt
from conftest import CONFORMANCE

from editor.core import documents, textio
from editor.core.errors import ParseError
from editor.core.formats import vtt

FOLDER = CONFORMANCE / "webvtt"


def _cases() -> list:
    if not FOLDER.is_dir():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason="conformance corpus absent"))]
    return [
        pytest.param(p, json.loads(p.with_suffix(".expected.json").read_text(encoding="utf-8")), id=p.stem)
        for p in sorted(FOLDER.glob("*.vtt"))
    ]


CASES = _cases()
VALID = [c for c in CASES if c.values[1] is None or c.values[1]["valid"]]
INVALID = [c for c in CASES if c.values[1] is not None and not c.values[1]["valid"]]


def _parsed(path) -> vtt.VTTFile:
    return vtt.parse_vtt(textio.read(path).text)


def test_corpus_is_complete():
    if not FOLDER.is_dir():
        pytest.skip("conformance corpus absent")
    assert len(CASES) == 50
    assert len(INVALID) == 11


@pytest.mark.parametrize("path,exp", INVALID)
def test_invalid_files_are_rejected_at_line_1(path, exp):
    with pytest.raises(ParseError) as info:
        documents.load(path)
    assert info.value.line == 1
    assert info.value.path == str(path)
    assert "WEBVTT" in info.value.reason or "byte-order mark" in info.value.reason


@pytest.mark.parametrize("path,exp", VALID)
def test_cue_count(path, exp):
    doc = documents.load(path)
    assert len(doc.cues) == len(exp["cues"])
    assert len(_parsed(path).cues) == len(exp["cues"])


@pytest.mark.parametrize("path,exp", VALID)
def test_ids_text_and_timing(path, exp):
    raw = _parsed(path).cues
    doc = documents.load(path)
    for got, cue, want in zip(raw, doc.cues, exp["cues"], strict=True):
        if "id" in want:
            assert got.id == want["id"]
            assert cue.vtt_id == want["id"]
        if "text" in want:
            assert got.text == want["text"]
        if "start" in want:
            assert got.start_ms == round(want["start"] * 1000)
            assert cue.start_ms == got.start_ms
        if "end" in want:
            assert got.end_ms == round(want["end"] * 1000)
            assert cue.end_ms == got.end_ms


def _same_region(got: vtt.Region | None, want: dict | None) -> bool:
    if want is None or got is None:
        return got is None and want is None
    return all(getattr(got, key) == value for key, value in want.items())


@pytest.mark.parametrize("path,exp", VALID)
def test_settings_and_regions(path, exp):
    parsed = _parsed(path)
    doc = documents.load(path)
    for got, cue, want in zip(parsed.cues, doc.cues, exp["cues"], strict=True):
        assert cue.vtt_settings == got.settings
        settings = vtt.parse_settings(got.settings, parsed.regions)
        for key, value in want.get("settings", {}).items():
            if key == "region":
                assert _same_region(settings.region, value), (got.settings, settings.region, value)
            else:
                assert settings.get(key) == value, (got.settings, key)


def test_regions_come_back_from_the_stored_header():
    path = FOLDER / "header-regions.vtt"
    if not path.is_file():
        pytest.skip("conformance corpus absent")
    doc = documents.load(path)
    regions = vtt.header_regions(doc)
    by_id = {r.id: r for r in regions}
    assert by_id["region_with_all_settings"].width == 32
    assert by_id["region_with_all_settings"].scroll == "up"
    assert by_id["not_unique_id"].width == 67  # the later REGION with the same id wins
    # After a write and a re-read the cues still point at the same regions.
    again = vtt.FORMAT.read(vtt.FORMAT.write(doc))
    for before, after in zip(doc.cues, again.cues, strict=True):
        a = vtt.parse_settings(before.vtt_settings, regions).region
        b = vtt.parse_settings(after.vtt_settings, vtt.header_regions(again)).region
        assert (a and a.id) == (b and b.id)


def test_signature_with_bom_is_accepted_through_load():
    path = FOLDER / "signature-bom.vtt"
    if not path.is_file():
        pytest.skip("conformance corpus absent")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    doc = documents.load(path)
    assert doc.sources["source"].bom is True
    assert doc.sources["source"].format == "vtt"


def test_nul_becomes_replacement_character():
    path = FOLDER / "nulls.vtt"
    if not path.is_file():
        pytest.skip("conformance corpus absent")
    doc = documents.load(path)
    assert doc.cues[2].text == "\ufffdtext\ufffd2"
    assert doc.cues[1].vtt_id == "\ufffd (null in id)"


@pytest.mark.parametrize("path,exp", VALID)
def test_round_trip_keeps_what_the_corpus_asserts(path, exp):
    """read(write(read(x))) agrees with read(x) on count, ids, times, settings and text."""
    doc = documents.load(path)
    written = vtt.FORMAT.write(doc)
    again = vtt.FORMAT.read(written)
    assert len(again.cues) == len(doc.cues)
    ids = [c.vtt_id for c in doc.cues if c.vtt_id]
    unique_ids = len(ids) == len(set(ids))
    for a, b in zip(doc.cues, again.cues, strict=True):
        assert (a.start_ms, a.end_ms, a.vtt_settings) == (b.start_ms, b.end_ms, b.vtt_settings)
        assert b.text == a.text
        assert doc.speaker_name(a.speaker_id) == again.speaker_name(b.speaker_id)
        if unique_ids and "\n" not in a.vtt_id and "-->" not in a.vtt_id:
            assert b.vtt_id == a.vtt_id
    written_ids = [c.vtt_id for c in again.cues if c.vtt_id]
    assert len(written_ids) == len(set(written_ids))  # the writer keeps ids unique
    # An independent reader (webvtt-py) finds the same cues in what we wrote.
    assert len(webvtt.from_buffer(io.StringIO(written))) == len(doc.cues)
