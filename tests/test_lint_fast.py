"""The linter's quick pass: it proves clean exports clean, and never calls clean what the full checks fault.

lint.lint() returns [] without the full checks (and without reading the text back) whenever
lint_fast says the text is clean; that is only right if every text it calls clean is one the
full linter finds nothing in. These tests hold it to that on the writers' output for the seeds
and conformance files, on the hand-made defects, and on thousands of damaged copies.
"""

from __future__ import annotations

import pathlib
import random

import pytest

from editor.core import documents, lint, lint_fast
from editor.core.errors import EditorError
from editor.core.formats import WriteOptions
from editor.core.model import Document
from tests.support import fuzz

_FULL = {"vtt": lint.lint_vtt, "srt": lint.lint_srt}
_QUICK = {"vtt": lint_fast.vtt_clean, "srt": lint_fast.srt_clean}
_OPTIONS = [
    WriteOptions(track=track, speakers=speakers)
    for track in ("source", "translation", "bilingual")
    for speakers in ("voice", "prefix", "both", "none")
]


def _documents() -> list[Document]:
    docs = list(fuzz.corpus_documents())
    for folder, pattern in (("srt", "*.srt"), ("webvtt", "*.vtt")):
        for path in sorted(pathlib.Path(fuzz.CONFORMANCE / folder).glob(pattern))[:60]:
            try:
                docs.append(documents.load(path))
            except EditorError:
                continue
    return docs


def _exports(format_id: str) -> list[tuple[str, Document, WriteOptions]]:
    out = []
    for doc in _documents():
        for options in _OPTIONS:
            try:
                out.append((documents.render(doc, format_id, options), doc, options))
            except EditorError:
                continue
    return out


@pytest.mark.parametrize("format_id", ["srt", "vtt"])
def test_quick_pass_proves_most_exports_clean_and_only_clean_ones(format_id: str) -> None:
    exports = _exports(format_id)
    assert len(exports) > 500
    proven = 0
    for text, doc, options in exports:
        if _QUICK[format_id](text, doc, options):
            proven += 1
            assert _FULL[format_id](text, doc, options) == [], (text[:300], options)
    # The point of the pass: the writers' ordinary output needs no full check.
    assert proven > len(exports) * 0.6, (proven, len(exports))


_DAMAGE = [
    "",
    "\n",
    "\n\n",
    "&",
    "<",
    ">",
    "<i>",
    "-->",
    " --> ",
    " ",
    "\t",
    "\r",
    "\0",
    "NOTE",
    "NOTE ",
    "STYLE",
    "REGION",
    "\ufeff",
    "1",
    "9",
    ":",
    ",",
    ".",
    "-",
    "&amp;",
    "<v A>",
    "\u2028",
    "\x0b",
    "WEBVTT",
    "00:00:01.000 --> 00:00:00.500",
    "00:00:01,000 --> 00:00:00,500",
    "<I>",
    "x ",
]


def _damaged(text: str, rnd: random.Random) -> str:
    """Return `text` with one random defect: a snippet inserted, a character or line dropped or duplicated."""
    kind = rnd.randrange(5)
    at = rnd.randrange(len(text) + 1)
    if kind == 0:
        return text[:at] + rnd.choice(_DAMAGE) + text[at:]
    if kind == 1:
        return text[:at] + text[at + 1 :]
    lines = text.split("\n")
    k = rnd.randrange(len(lines))
    if kind == 2:
        return "\n".join(lines[:k] + lines[k + 1 :])
    if kind == 3:
        return "\n".join(lines[: k + 1] + lines[k:])
    # A digit changed: a time, a cue number or text.
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    if not digits:
        return text + "0"
    i = rnd.choice(digits)
    return text[:i] + str((int(text[i]) + rnd.randrange(1, 10)) % 10) + text[i + 1 :]


@pytest.mark.parametrize("format_id", ["srt", "vtt"])
def test_quick_pass_never_calls_a_damaged_export_clean_when_the_full_checks_find_something(
    format_id: str,
) -> None:
    rnd = random.Random(24)
    exports = [e for e in _exports(format_id) if len(e[0]) < 20_000]
    tried = caught = 0
    for _ in range(6000):
        text, doc, options = rnd.choice(exports)
        bad = _damaged(text, rnd)
        with_doc = rnd.random() < 0.7
        args = (bad, doc, options) if with_doc else (bad, None, None)
        findings = _FULL[format_id](*args)
        tried += 1
        if findings:
            caught += 1
            assert not _QUICK[format_id](*args), (findings[:2], bad[:400])
    assert caught > tried // 4  # the damage is real often enough for the property to mean something


@pytest.mark.parametrize(
    ("text", "format_id"),
    [
        ("WEBVTT\n\nREGION\n00:00:01.000 --> 00:00:02.000\nx\n", "vtt"),  # reads back as a cue
        ("WEBVTT\n\nNOTE\n00:00:01.000 --> 00:00:02.000\nx\n", "vtt"),  # the NOTE line is its id
        ("WEBVTT\n\n1234567890:00:01.000 --> 1234567890:00:02.000\nx\n", "vtt"),  # hours the reader refuses
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nx\r\n", "vtt"),
        ("WEBVTT\n00:00:01.000 --> 00:00:02.000\nx\n", "vtt"),  # the cue sits in the header
        ("1\n00:00:01,000 --> 00:00:02,000\nx\n \n2\n00:00:03,000 --> 00:00:04,000\ny\n", "srt"),
        ("1\n00:00:01,000 --> 00:00:02,000\nx\n\u3000\n2\n00:00:03,000 --> 00:00:04,000\ny\n", "srt"),
        ("1\n00:00:01,000 --> 00:00:02,000\n<I>x</I>\n", "srt"),
        ("1\n00:00:01,000 --> 00:00:02,000\nx \n", "srt"),
        ("1\n999999:00:01,000 --> 999999:00:02,000\nx\n", "srt"),  # beyond 100 years: skipped on read
    ],
)
def test_quick_pass_leaves_what_the_reader_reads_differently_to_the_full_checks(
    text: str, format_id: str
) -> None:
    assert not _QUICK[format_id](text)


def test_quick_pass_compares_text_and_times_with_the_document() -> None:
    doc = Document()
    for k, text in enumerate(["one", "Tom & Jerry", "<i>two</i>", "a < b"]):
        doc.append(doc.new_cue(k * 1000, k * 1000 + 500, text))
    for format_id in ("vtt", "srt"):
        options = WriteOptions(speakers="none")
        text = documents.render(doc, format_id, options)
        assert _QUICK[format_id](text, doc, options)
        assert lint.lint(text, format_id, doc, options) == []
        doc.cues[1].text = "Tom and Jerry"  # the text no longer reads back as the document holds it
        assert not _QUICK[format_id](text, doc, options)
        assert {f.code for f in lint.lint(text, format_id, doc, options)} == {f"{format_id}-text"}
        doc.cues[1].text = "Tom & Jerry"
        doc.cues[2].end_ms += 1
        assert not _QUICK[format_id](text, doc, options)
        assert {f.code for f in lint.lint(text, format_id, doc, options)} == {f"{format_id}-times"}
        doc.cues[2].end_ms -= 1
