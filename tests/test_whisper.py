"""Whisper JSON reader: segments, words, WhisperX speakers, errors and detection."""

from __future__ import annotations

import json

import pytest

from editor.core import formats
from editor.core.errors import ParseError
from editor.core.formats import ReadOptions
from editor.core.formats import whisper as W
from editor.core.model import Timing, Word

RAW = ReadOptions(segment=False)

WHISPER = {
    "text": " Hello world. How are you?",
    "language": "en",
    "segments": [
        {
            "id": 0,
            "start": 0.0,
            "end": 1.5,
            "text": " Hello world.",
            "words": [
                {"word": " Hello", "start": 0.0, "end": 0.6},
                {"word": " world.", "start": 0.7, "end": 1.5},
            ],
        },
        {"id": 1, "start": 2.0, "end": 3.25, "text": " How are you?"},
    ],
}


def test_segments_and_words():
    doc = W.read(json.dumps(WHISPER), RAW)
    assert [(c.start_ms, c.end_ms, c.text) for c in doc.cues] == [
        (0, 1500, "Hello world."),
        (2000, 3250, "How are you?"),
    ]
    assert doc.cues[0].words == (Word(0, 600, "Hello"), Word(700, 1500, "world."))
    assert doc.cues[1].words is None
    assert all(c.timing is Timing.EXACT for c in doc.cues)
    assert doc.metadata.extra["language"] == "en" and doc.source_language is None


def test_whisperx_speakers_and_untimed_words():
    data = {
        "segments": [
            {
                "start": 0.0,
                "end": 4.0,
                "text": " I paid 20 dollars. Really?",
                "words": [
                    {"word": "I", "start": 0.0, "end": 0.2, "speaker": "SPEAKER_00"},
                    {"word": "paid", "start": 0.3, "end": 0.6, "speaker": "SPEAKER_00"},
                    {"word": "20"},  # WhisperX cannot align numbers
                    {"word": "dollars.", "start": 1.2, "end": 1.8, "speaker": "SPEAKER_00"},
                    {"word": "Really?", "start": 2.5, "end": 3.0, "speaker": "SPEAKER_01"},
                ],
            },
            {"start": 5, "end": 6, "text": "Yes.", "speaker": "SPEAKER_00"},
        ]
    }
    segments, _ = W.parse(json.dumps(data))
    assert [(s.text, s.speaker) for s in segments][:2] == [
        ("I paid 20 dollars.", "SPEAKER_00"),
        ("Really?", "SPEAKER_01"),
    ]
    assert segments[0].words[2] == Word(600, 1200, "20")  # filled from its neighbours
    assert (segments[1].start_ms, segments[1].end_ms) == (2500, 3000)
    doc = W.read(json.dumps(data), RAW)
    assert [doc.speaker_name(c.speaker_id) for c in doc.cues] == ["SPEAKER_00", "SPEAKER_01", "SPEAKER_00"]
    assert len(doc.speakers) == 2


def test_guess():
    assert W.guess(json.dumps(WHISPER)) == 90
    assert W.guess(json.dumps({"cueline": 1, "segments": WHISPER["segments"]})) == 0
    assert W.guess(json.dumps({"segments": [{"start": 0}]})) == 0
    assert W.guess("[00:01] not json") == 0
    assert W.guess("{broken") == 0
    assert formats.get("whisper") is W.FORMAT and not W.FORMAT.can_write


def test_bad_json_reports_line():
    with pytest.raises(ParseError) as info:
        W.read('{\n  "segments": [\n    {"start": 0,,}\n  ]\n}')
    assert info.value.line == 3


@pytest.mark.parametrize(
    ("segment", "needle"),
    [
        ({"start": 0, "text": "x"}, "segment 1: missing end"),
        ({"start": "0", "end": 1, "text": "x"}, "segment 1: start must be a number"),
        ({"start": 0, "end": 1, "text": 5}, "segment 1: text must be a string"),
        ({"start": 2, "end": 1, "text": "x"}, "segment 1: ends"),
        ({"start": -1, "end": 1, "text": "x"}, "segment 1: start is negative"),
        ({"start": 0, "end": 1e308, "text": "x"}, "segment 1: end is past"),
        ({"start": 0, "end": 1, "text": "x", "words": [{"start": 0}]}, "segment 1, word 0: word must be"),
        ({"start": 0, "end": 1, "text": "x", "words": "no"}, "segment 1: words must be a list"),
        ("text", "segment 1: must be an object"),
    ],
)
def test_bad_fields_name_the_segment(segment, needle):
    data = {"segments": [{"start": 0, "end": 1, "text": "ok"}, segment]}
    with pytest.raises(ParseError) as info:
        W.read(json.dumps(data))
    assert needle in str(info.value)


@pytest.mark.parametrize("text", ["[]", '{"text": "x"}', '{"segments": 3}', "null"])
def test_wrong_shape_is_parse_error(text):
    with pytest.raises(ParseError):
        W.read(text)
