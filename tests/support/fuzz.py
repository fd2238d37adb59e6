"""Hostile-input generation shared by tests/test_fuzz.py and benchmarks/soak_fuzz.py.

Every reader gets two kinds of input: random bytes, and mutations of valid files (the
conformance corpus, the seeds and files our own writers produce from them). A mutation is
a short list of operations applied in order: byte flips, inserted "-->", NULs, huge numbers
and format tokens, deletions, duplicated blocks, truncation, BOM changes and newline mixes.

The operations are drawn by hypothesis (`inputs(reader)`): the test suite runs it
derandomized and shrinks a failure; the soak script runs it generate-only and keeps
going after a failure. `LONG_RUNS` are hand-picked hostile lines (white-space runs after
a heading, a label or a time) that once made the transcript reader backtrack for minutes.
"""

from __future__ import annotations

import codecs
import functools
import json
import pathlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

from editor.core import documents, textio
from editor.core.errors import EditorError
from editor.core.formats import (
    ReadOptions,
    ass,
    microdvd,
    project,
    sbv,
    srt,
    tmplayer,
    transcript,
    vtt,
    whisper,
)
from editor.core.model import Document

REPO = pathlib.Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
CONFORMANCE = SHARED / "conformance"
REALWORLD = SHARED / "realworld" / "files"

# Tokens that mean something to one of the readers; inserting them finds edge cases faster
# than random bytes do.
TOKENS: tuple[bytes, ...] = (
    b"-->",
    b" --> ",
    b"\x00",
    b"\n",
    b"\r",
    b"\r\n",
    b"\n\n",
    b"99999999999999999999999",
    b"-99999999999",
    b"1e309",
    b"NaN",
    b"00:00:00,000 --> 00:00:01,000",
    b"99:99:99,999 --> -1:00:00,000",
    b"00:00.000 --> 00:01.000",
    b"WEBVTT",
    b"WEBVTT\n\n",
    b"NOTE ",
    b"REGION\nid:x width:200% lines:99999999999999999999",
    b"STYLE\n::cue{}",
    b"<v ",
    b"<v a-->",
    b"<i>",
    b"</b>",
    b"<c.x.y>",
    b"&amp;",
    b"&#x110000;",
    b"&",
    b"<",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xe2\x80\xa8",
    b"\xc2\xa0\xc2\xa0 ",
    b"\xc2\x85",
    b"\x0c",
    b"{",
    b"}",
    b"[",
    b"]",
    b'"',
    b"\\ud800",
    b'"segments": [',
    b'{"start": 1e308, "end": -1, "text": 5}',
    b'"cueline": 1,',
    b'"cueline": 99',
    b'"start_ms": 1e400',
    b'"words": [[1, 0, "x"]]',
    b"### Segment 1 (00:00 - 99:99) []",
    b"### Segment 2 (59:59 - 00:01) [Jane]",
    b"## ",
    b"- **Duration:** 99:59:59",
    b"[00:01:02] ",
    b"(1:02) ",
    b"12:34 ",
    b"Jane Doe  0:05\n",
    b"Speaker 1: ",
    b"\xe5\x9b\xa2\xe9\x98\x9f\xe6\x88\x90\xe5\x91\x98A: ",
    b"---",
    b"https://www.youtube.com/watch?v=x",
)

BOMS: tuple[bytes, ...] = (
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF8 + codecs.BOM_UTF8,
)

OPS = ("flip", "insert_token", "insert_bytes", "delete", "duplicate", "truncate", "bom", "newlines", "repeat")


@dataclass(frozen=True)
class Op:
    """One mutation: `kind` from OPS, a position and a length as fractions of the input, a payload."""

    kind: str
    at: float
    size: float
    payload: bytes = b""
    number: int = 0


def apply_op(data: bytes, op: Op) -> bytes:
    """Return `data` with one mutation applied (never raises)."""
    n = len(data)
    pos = min(n, int(op.at * (n + 1)))
    span = max(1, int(op.size * max(n, 1) / 4))
    kind = op.kind
    if kind == "flip":
        if not n:
            return op.payload[:1]
        i = min(pos, n - 1)
        return data[:i] + bytes([data[i] ^ (op.number % 255 + 1)]) + data[i + 1 :]
    if kind in ("insert_token", "insert_bytes"):
        return data[:pos] + op.payload + data[pos:]
    if kind == "delete":
        return data[:pos] + data[pos + span :]
    if kind == "duplicate":
        block = data[pos : pos + span]
        return data[: pos + span] + block * (1 + op.number % 3) + data[pos + span :]
    if kind == "truncate":
        return data[:pos]
    if kind == "bom":
        for bom in sorted(BOMS, key=len, reverse=True):
            if data.startswith(bom):
                data = data[len(bom) :]
                break
        return (op.payload if op.number % 4 else b"") + data
    if kind == "newlines":
        style = (b"\r\n", b"\r", b"\n")[op.number % 3]
        head, tail = data[:pos], data[pos:]
        return head + tail.replace(b"\r\n", b"\n").replace(b"\n", style)
    if kind == "repeat":
        # A long run of one token: huge lines, many empty cues, deep nesting.
        return data[:pos] + op.payload * (10 + op.number % 2000) + data[pos:]
    raise ValueError(kind)


def mutate(data: bytes, ops: list[Op]) -> bytes:
    """Return `data` with every op applied in order."""
    for op in ops:
        data = apply_op(data, op)
    return data


_FRACTION = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def ops(draw: st.DrawFn) -> Op:
    """Strategy: one mutation, its payload fitting its kind."""
    kind = draw(st.sampled_from(OPS))
    payload = b""
    if kind in ("insert_token", "repeat", "flip"):
        payload = draw(st.sampled_from(TOKENS))
    elif kind == "insert_bytes":
        payload = draw(st.binary(min_size=1, max_size=16))
    elif kind == "bom":
        payload = draw(st.sampled_from(BOMS))
    return Op(kind, draw(_FRACTION), draw(_FRACTION), payload, draw(st.integers(0, 10_000)))


def inputs(reader: str) -> st.SearchStrategy[bytes]:
    """Strategy: random bytes (about one in five) or one of `reader`'s valid files with 1-6 mutations."""
    valid = bases(reader)
    mutated = st.builds(mutate, st.sampled_from(valid), st.lists(ops(), min_size=1, max_size=6))
    return st.one_of(st.binary(max_size=400), mutated, mutated, mutated, mutated)


# Prefix, run, suffix: a long run of one character after something that starts a heading, a
# label, a metadata line or a time. Each once took the transcript reader seconds to minutes
# (regex backtracking cubic in the run's length); all now read in linear time.
LONG_RUNS: tuple[tuple[str, str, str], ...] = tuple(
    (prefix, run, suffix)
    for prefix in ("", "## ", "# ", "### Segment 1 ", "- **Key", "00:01 ", "Jane ", "1 hours", "a:")
    for run in (" ", "\x85", "\x0c", "\u3000", "\u00a0")
    for suffix in ("", "x", ":", ")", "**", "\n00:01 x")
)


# -- bases: valid files per reader ------------------------------------------------------------------------
def _files(folder: pathlib.Path, pattern: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted(folder.glob(pattern))] if folder.is_dir() else []


# Mutating the start of a long seed finds as much as mutating all of it, at a fraction of the
# reading time; cut at a line end so the cut itself is not a mutation.
_SEED_CHARS = 4000


def _seed_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("0*.txt"))] if SEEDS.is_dir() else []
    return [t if len(t) <= _SEED_CHARS else t[: t.rfind("\n", 0, _SEED_CHARS) + 1] for t in texts]


def _sample_doc() -> Document:
    """Return a small document of our own (used when the shared corpora are absent)."""
    doc = Document()
    jane = doc.ensure_speaker("Jane Doe").id
    for k, text in enumerate(["Hello <i>there</i> & welcome.", "Two\nlines", "A < B > C", "Last one."]):
        doc.append(doc.new_cue(k * 1500, k * 1500 + 1200, text, speaker_id=jane if k % 2 else None))
    return doc


@functools.cache
def corpus_documents() -> tuple[Document, ...]:
    """Return documents read from the seeds and the conformance corpus (plus one of our own)."""
    docs = [_sample_doc()]
    for text in _seed_texts():
        docs.append(transcript.read(text))
    for data in _files(CONFORMANCE / "srt", "*.srt")[:12]:
        try:
            docs.append(srt.read(textio.decode(data).text))
        except EditorError:
            continue
    for data in _files(CONFORMANCE / "webvtt", "*.vtt")[:20]:
        try:
            docs.append(vtt.FORMAT.read(textio.decode(data).text))
        except EditorError:
            continue
    return tuple(d for d in docs if d.cues)


def _timestamped(doc: Document) -> str:
    return "\n".join(f"[{c.start_ms // 60000:02d}:{c.start_ms // 1000 % 60:02d}] {c.text}" for c in doc.cues)


def _otter(doc: Document) -> str:
    out = []
    for k, c in enumerate(doc.cues[:40]):
        out.append(f"{('Jane Doe', 'Bob Smith')[k % 2]}  {c.start_ms // 60000}:{c.start_ms // 1000 % 60:02d}")
        out.append(c.text.replace("\n", " "))
        out.append("")
    return "\n".join(out)


def _whisper(doc: Document) -> str:
    segments = []
    for k, c in enumerate(doc.cues[:60]):
        words = [
            {"word": " " + w, "start": c.start_ms / 1000, "end": c.end_ms / 1000, "speaker": f"S{k % 2}"}
            for w in c.text.split()[:8]
        ]
        segments.append({"start": c.start_ms / 1000, "end": c.end_ms / 1000, "text": c.text, "words": words})
    return json.dumps({"language": "en", "segments": segments}, ensure_ascii=False, indent=1)


def _tmplayer(doc: Document) -> str:
    return "\n".join(
        f"{c.start_ms // 3_600_000:02d}:{c.start_ms // 60_000 % 60:02d}:{c.start_ms // 1000 % 60:02d}:"
        + c.text.replace("\n", "|")
        for c in doc.cues[:60]
        if c.start_ms >= 0
    )


def _microdvd(doc: Document) -> str:
    lines = ["{1}{1}25"] + [
        f"{{{c.start_ms * 25 // 1000}}}{{{c.end_ms * 25 // 1000}}}{{y:i}}" + c.text.replace("\n", "|")
        for c in doc.cues[:60]
        if c.start_ms >= 0 and c.end_ms >= 0
    ]
    return "\n".join(lines)


@functools.cache
def bases(reader: str) -> tuple[bytes, ...]:
    """Return the valid inputs that mutations of `reader`'s files start from."""
    docs = corpus_documents()
    seeds = [t.encode() for t in _seed_texts()]
    if reader == "srt":
        out = _files(CONFORMANCE / "srt", "*.srt") + [srt.write(d).encode() for d in docs[:8]]
    elif reader == "vtt":
        out = _files(CONFORMANCE / "webvtt", "*.vtt") + [vtt.FORMAT.write(d).encode() for d in docs[:8]]
    elif reader == "transcript_segments":
        out = seeds[:1] + [
            (
                "# A title\n\n## Meta\n- **Duration:** 3:16\n- **URL:** https://youtu.be/x\n\n## Transcript\n"
                + "\n".join(
                    f"### Segment {k + 1} ({c.start_ms // 60000:02d}:{c.start_ms // 1000 % 60:02d} - "
                    f"{c.end_ms // 60000:02d}:{c.end_ms // 1000 % 60:02d}) [Jane]\n{c.text}\n"
                    for k, c in enumerate(d.cues[:30])
                )
            ).encode()
            for d in docs[:4]
        ]
    elif reader == "transcript_speakers":
        out = seeds[1:2] + [transcript.write(d).encode() for d in docs[:4]]
    elif reader == "transcript_timestamped":
        out = [_timestamped(d).encode() for d in docs[:6]]
    elif reader == "transcript_otter":
        out = [_otter(d).encode() for d in docs[:6]]
    elif reader == "transcript_plain":
        out = [("\n".join(c.text for c in d.cues)).encode() for d in docs[:6]]
    elif reader == "whisper":
        out = [_whisper(d).encode() for d in docs[:6]]
    elif reader == "cueline":
        out = [project.write_project(d).encode() for d in docs[:6]]
    elif reader == "ass":
        out = [ass.FORMAT.write(d).encode() for d in docs[:6]] + _files(REALWORLD, "*ssa*")
    elif reader == "sbv":
        out = [sbv.FORMAT.write(d).encode() for d in docs[:6]] + _files(REALWORLD, "*.sbv")
    elif reader == "tmplayer":
        out = [_tmplayer(d).encode() for d in docs[:6]] + _files(REALWORLD, "*tmplayer*")
    elif reader == "microdvd":
        out = [_microdvd(d).encode() for d in docs[:6]]
    elif reader in ("textio", "detect"):
        out = (
            seeds
            + _files(CONFORMANCE / "srt", "*.srt")[:10]
            + _files(CONFORMANCE / "webvtt", "*.vtt")[:10]
            + [_whisper(docs[0]).encode(), project.write_project(docs[0]).encode()]
            + [t.encode(enc) for t in _seed_texts() for enc in ("utf-16", "utf-32", "gb18030")][:4]
        )
    else:
        raise KeyError(reader)
    return tuple(out)


# -- readers ----------------------------------------------------------------------------------------------
def _text(data: bytes) -> str:
    # The reader sees what a decoder could hand it, including U+FFFD and lone BOMs.
    return data.decode("utf-8", errors="replace")


_NO_SEGMENT = ReadOptions(segment=False)


def _read_detect(data: bytes) -> object:
    decoded = textio.decode(data)
    fmt = documents.pick_format(decoded.text, None)
    return fmt.read(decoded.text, None)


READERS: dict[str, Callable[[bytes], object]] = {
    "textio": textio.decode,
    "srt": lambda data: srt.FORMAT.read(_text(data)),
    "vtt": lambda data: vtt.FORMAT.read(_text(data)),
    "transcript_segments": lambda data: transcript.FORMAT.read(_text(data)),
    "transcript_speakers": lambda data: transcript.FORMAT.read(_text(data)),
    "transcript_timestamped": lambda data: transcript.FORMAT.read(_text(data)),
    "transcript_otter": lambda data: transcript.FORMAT.read(_text(data), _NO_SEGMENT),
    "transcript_plain": lambda data: transcript.FORMAT.read(_text(data)),
    "whisper": lambda data: whisper.FORMAT.read(_text(data)),
    "cueline": lambda data: project.FORMAT.read(_text(data)),
    "ass": lambda data: ass.FORMAT.read(_text(data)),
    "sbv": lambda data: sbv.FORMAT.read(_text(data)),
    "tmplayer": lambda data: tmplayer.FORMAT.read(_text(data)),
    "microdvd": lambda data: microdvd.FORMAT.read(_text(data)),
    "detect": _read_detect,
}


def run_one(reader: str, data: bytes) -> tuple[float, BaseException | None]:
    """Read `data` with `reader`; returns (seconds taken, unexpected exception or None).

    Our own errors (EditorError: ParseError, EncodingError, LimitError, ...) are the
    expected way to refuse input; anything else is returned as a failure.
    """
    start = time.perf_counter()
    try:
        READERS[reader](data)
    except EditorError:
        pass
    except Exception as exc:
        return time.perf_counter() - start, exc
    return time.perf_counter() - start, None
