"""YouTube SBV (.sbv, "SubViewer" as YouTube exports it): read and write.

    0:00:00.378,0:00:11.378
    Caption text #1

A block is a timing line `H:MM:SS.mmm,H:MM:SS.mmm` and its text lines; a blank line ends it.
An end before its start (YouTube's own sample has one; ffmpeg turns it into 1193 hours) is
set to the start and reported. Times are otherwise kept as written. Blocks without a valid
timing line are skipped, listed in `doc.notes` and reported (editor.core.formats.readlog).
Text is literal (no markup).
"""

from __future__ import annotations

import re

from editor.core import textio
from editor.core.errors import ParseError
from editor.core.formats import ModuleFormat, ReadOptions, WriteOptions, readlog
from editor.core.formats.tracks import prefix_speaker, speaker_of, track_text
from editor.core.model import Cue, Document, plain_text

_TS = r"(\d{1,9}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,3}))?"
_TIMING_RE = re.compile(rf"[ \t]*{_TS}[ \t]*,[ \t]*{_TS}[ \t]*")
_GUESS_RE = re.compile(r"^\d{1,2}:\d{2}:\d{2}\.\d{3},\d{1,2}:\d{2}:\d{2}\.\d{3}[ \t]*$", re.M)
_GUESS_CHARS = 65_536


def _ms(h: str, m: str, s: str, frac: str | None) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + (int(frac.ljust(3, "0")) if frac else 0)


def guess(text: str) -> int:
    """Return 80 when SBV timing lines start blocks (and no "-->" is seen), else 0."""
    sample = text[:_GUESS_CHARS].lstrip("\ufeff \t\r\n").replace("\r\n", "\n").replace("\r", "\n")
    if "-->" in sample or sample.startswith("WEBVTT"):
        return 0
    first = sample.split("\n", 1)[0]
    return 80 if _GUESS_RE.match(first) and _GUESS_RE.search(sample) else 0


def read(text: str, options: ReadOptions | None = None) -> Document:
    """Return a Document of the SBV `text`. Raises ParseError when non-blank text has no cue."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").replace("\x00", "\ufffd")
    lines = textio.split_lines(text)
    doc = Document()
    skipped: list[readlog.Skipped] = []
    noted: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        if not lines[i].strip():
            i += 1
            continue
        start = i
        while i < n and lines[i].strip():
            i += 1
        m = _TIMING_RE.fullmatch(lines[start])
        if m is None:
            skipped.append(readlog.Skipped(start + 1, "block skipped: no SBV timing line"))
            noted.append(f"- line {start + 1}: " + " / ".join(x.strip() for x in lines[start:i])[:300])
            continue
        g = m.groups()
        body = "\n".join(line.rstrip() for line in lines[start + 1 : i])
        begin, end = _ms(*g[:4]), _ms(*g[4:])
        if end < begin:
            # No player can show it (ffmpeg turns the end into 1193 hours): a zero-length cue
            # the checks flag, and the time that was written, in the report.
            skipped.append(readlog.Skipped(start + 1, f"end {_time(end)} before the start: set to the start"))
            end = begin
        doc.append(Cue(len(doc.cues) + 1, begin, end, body))
        if len(doc.cues) > textio.MAX_CUES:
            raise textio.too_many_cues(start + 1)
    if not doc.cues and skipped:
        raise ParseError("no SBV cue found (a cue starts with 'H:MM:SS.mmm,H:MM:SS.mmm')", skipped[0].line)
    if noted:
        doc.notes = "SBV: skipped block(s) without a timing line:\n" + "\n".join(noted)
    readlog.record(doc, skipped)
    return doc


def _time(ms: int) -> str:
    ms = max(0, ms)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, frac = divmod(rest, 1000)
    return f"{h}:{m:02d}:{s:02d}.{frac:03d}"


def write(doc: Document, options: WriteOptions | None = None) -> str:
    """Return the document as SBV ("\\n" newlines). Tags are dropped (SBV is plain text), blank
    lines inside a cue removed, negative times written as 0; speakers as a "Name: " prefix."""
    options = options or WriteOptions()
    blocks = []
    for cue in doc.cues:
        text = plain_text(track_text(cue, options.track))
        lines = [line.rstrip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
        body = "\n".join(lines)
        if options.speakers != "none":
            body = prefix_speaker(speaker_of(doc, cue), body) if body else body
        timing = f"{_time(cue.start_ms)},{_time(cue.end_ms)}"
        blocks.append(f"{timing}\n{body}" if body else timing)
    return "\n\n".join(blocks) + "\n" if blocks else ""


FORMAT = ModuleFormat("sbv", "YouTube SBV", __name__)
