"""Hostile input: every reader refuses garbage with our own errors, quickly.

Each reader gets 500+ inputs from tests/support/fuzz.py (random bytes and mutations of
valid files), derandomized so a run is repeatable. Anything but an EditorError is a bug,
and so is a read that takes seconds (the soak script holds reads to 1 s; here the bound is
looser because the test machine is shared). Bugs the fuzzer found have their own
regression tests below.
"""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, given, settings

from editor.core import textio
from editor.core.errors import EditorError, ParseError
from editor.core.formats import transcript
from tests.support import fuzz

# A shrunk failure of a mutated 80 kB file has a long repr; that is expected here.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

EXAMPLES = int(os.environ.get("CUELINE_FUZZ_EXAMPLES", "500"))
# A catastrophic case takes minutes; a normal read a few milliseconds.
SLOW_S = 5.0

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def _check(reader: str, data: bytes) -> None:
    seconds, exc = fuzz.run_one(reader, data)
    if exc is not None:
        raise AssertionError(f"{reader} raised {type(exc).__name__}: {exc} on {data[:200]!r}") from exc
    assert seconds < SLOW_S, f"{reader} took {seconds:.1f} s on {len(data)} bytes: {data[:200]!r}"


@pytest.mark.parametrize("reader", list(fuzz.READERS))
def test_reader_survives_hostile_input(reader: str) -> None:
    assert fuzz.bases(reader), f"no valid files to mutate for {reader}"

    @FUZZ_SETTINGS
    @given(fuzz.inputs(reader))
    def run(data: bytes) -> None:
        _check(reader, data)

    run()


def test_valid_bases_read_cleanly() -> None:
    # The mutations start from files each reader accepts; a base it rejects tests nothing.
    for reader in ("srt", "vtt", "transcript_segments", "transcript_speakers", "whisper", "cueline"):
        for data in fuzz.bases(reader)[-3:]:
            fuzz.READERS[reader](data)


# -- regressions the fuzzer found ----------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "run", "suffix"), fuzz.LONG_RUNS)
def test_long_whitespace_runs_read_in_linear_time(prefix: str, run: str, suffix: str) -> None:
    # Found by the soak: "## " + 20,000 spaces + "x" took minutes (the heading, label and
    # metadata regexes backtracked cubically over white space); an 890-byte line, 3 s.
    text = prefix + run * 20_000 + suffix
    start = time.perf_counter()
    try:
        transcript.FORMAT.read(text)
    except EditorError:
        pass
    assert time.perf_counter() - start < SLOW_S


def test_many_blank_lines_detect_quickly() -> None:
    # `^\s*` under re.MULTILINE ran across all following newlines from every line start.
    start = time.perf_counter()
    assert transcript.guess("\n" * 150_000 + "x") == transcript.guess("x")
    assert time.perf_counter() - start < SLOW_S


def test_headings_and_metadata_still_read_after_the_rewrite() -> None:
    text = (
        "# Title ##\n\n- **Duration:** 3:16\n- **URL** : https://youtu.be/x  \n\n## Transcript ##\n"
        "### Segment 1 (00:00 - 00:03) [Jane]\nHello there.\n\n###   Segment 2 ( 00:03 to 00:05 ) [Jane]   \n"
        "Bye.\n"
    )
    doc = transcript.FORMAT.read(text)
    assert doc.metadata.title == "Title"
    assert doc.metadata.duration_ms == 196_000
    assert doc.metadata.url == "https://youtu.be/x"
    assert [c.text for c in doc.cues] == ["Hello there.", "Bye."]
    assert {doc.speaker_name(c.speaker_id) for c in doc.cues} == {"Jane"}


def test_label_after_long_prefix_is_not_a_speaker() -> None:
    assert transcript.split_label("  **Jane Doe** :  hello  ") == ("Jane Doe", "hello")
    assert transcript.split_label("a" * 30 + " " * 200 + ": text") is None


def test_textio_refuses_with_parse_error() -> None:
    with pytest.raises(ParseError):
        textio.decode(b"\xff\xfe\x00")


def test_whisper_huge_integer_is_a_parse_error() -> None:
    # Found by the fuzzer: json.loads raises a bare ValueError for integers over 4300 digits.
    from editor.core.formats import whisper

    with pytest.raises(ParseError, match="not valid JSON"):
        whisper.FORMAT.read('{"segments": [{"start": ' + "9" * 5000 + ', "end": 1, "text": "x"}]}')


def test_vtt_huge_numbers_are_skipped_not_crashes() -> None:
    # Found by the fuzzer: int() refuses more than 4300 digits with a bare ValueError, in the
    # timing line's hours, a REGION's lines setting and a cue-text timestamp tag.
    from editor.core.formats import vtt

    huge = "9" * 5000
    doc = vtt.FORMAT.read(
        f"WEBVTT\n\n{huge}:00:00.000 --> 00:00:01.000\nx\n\n00:00:01.000 --> 00:00:02.000\ny\n"
    )
    assert [c.text for c in doc.cues] == ["y"]
    assert "malformed timing line" in doc.notes
    assert vtt.parse_region(f"id:r lines:{huge}").lines == float("inf")
    doc = vtt.FORMAT.read(f"WEBVTT\n\n00:00.000 --> 00:01.000\na <{huge}:00:00.000>b\n")
    assert doc.cues[0].text == "a b"
