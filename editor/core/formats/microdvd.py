"""MicroDVD (.sub): `{start frame}{end frame}text` lines, read only.

Times are frames: the frame rate comes from `ReadOptions.fps`, else from a first cue
`{1}{1}23.976` (the convention players use), else 23.976 (film), and the document notes say
which rate was assumed. `|` is a line break; `{y:i}`/`{Y:i}` (italic), `{y:b}` and `{y:u}`
become `<i>/<b>/<u>` around the line (or the cue); other `{...}` control codes (colours,
fonts, positions) are dropped from the text and listed in the notes. An empty end frame
(`{100}{}text`) ends the cue at the next start or after its reading time.
"""

from __future__ import annotations

import re

from editor.core import textio
from editor.core.errors import ParseError
from editor.core.formats import ModuleFormat, ReadOptions, readlog
from editor.core.model import Cue, Document
from editor.core.transcripts import estimate_duration_ms

DEFAULT_FPS = 23.976
_LINE_RE = re.compile(r"[ \t]*\{(\d{1,9})\}\{(\d{0,9})\}(.*)")
_CODE_RE = re.compile(r"\{([A-Za-z]):([^{}]*)\}")
_GUESS_CHARS = 65_536


def guess(text: str) -> int:
    """Return 80 when most non-blank lines are `{n}{n}text` lines (at least one), else 0."""
    sample = text[:_GUESS_CHARS].lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line for line in sample.split("\n")[:200] if line.strip()]
    if not lines:
        return 0
    hits = sum(1 for line in lines if _LINE_RE.fullmatch(line))
    return 80 if hits and hits * 10 >= len(lines) * 9 else 0


def _styled(body: str, dropped: set[str]) -> str:
    """Return one MicroDVD text (`|` breaks, `{y:i}` codes) as canonical text."""
    lines = []
    cue_tags: list[str] = []
    for k, part in enumerate(body.split("|")):
        tags: list[str] = []
        for m in _CODE_RE.finditer(part):
            code, value = m.group(1), m.group(2).lower()
            if code in "yY":
                for flag in ("i", "b", "u"):
                    if flag in value:
                        (cue_tags if code == "Y" and k == 0 else tags).append(flag)
            else:
                dropped.add("{" + m.group(1) + ":…}")
        text = _CODE_RE.sub("", part).strip()
        for flag in tags:
            text = f"<{flag}>{text}</{flag}>"
        lines.append(text)
    text = "\n".join(line for line in lines if line)
    for flag in cue_tags:
        text = f"<{flag}>{text}</{flag}>"
    return text


def read(text: str, options: ReadOptions | None = None) -> Document:
    """Return a Document of MicroDVD `text`. Raises ParseError when no line is a MicroDVD line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").replace("\x00", "\ufffd")
    fps = options.fps if options is not None and options.fps else None
    raw: list[tuple[int, int, int | None, str]] = []  # (line, start frame, end frame, text)
    skipped: list[readlog.Skipped] = []
    for number, line in enumerate(textio.split_lines(text), start=1):
        if not line.strip():
            continue
        m = _LINE_RE.fullmatch(line)
        if m is None:
            skipped.append(readlog.Skipped(number, "line skipped: not '{start}{end}text'"))
            continue
        start, end, body = int(m.group(1)), (int(m.group(2)) if m.group(2) else None), m.group(3)
        if not raw and start == end and start <= 1 and _is_rate(body):
            if fps is None:
                fps = float(body.strip())
            continue  # the frame-rate line, not a cue
        raw.append((number, start, end, body))
        if len(raw) > textio.MAX_CUES:
            raise textio.too_many_cues(number)
    if not raw:
        raise ParseError("no MicroDVD line found ('{start}{end}text')", skipped[0].line if skipped else None)
    rate = fps or DEFAULT_FPS
    assumed = fps is None
    doc = Document()
    dropped: set[str] = set()
    for k, (_, start_f, end_f, body) in enumerate(raw):
        start = round(start_f * 1000 / rate)
        cue_text = _styled(body, dropped)
        if end_f is None:
            end = start + estimate_duration_ms(cue_text)
            if k + 1 < len(raw) and raw[k + 1][1] * 1000 / rate > start:
                end = min(end, round(raw[k + 1][1] * 1000 / rate))
        else:
            end = round(end_f * 1000 / rate)
        doc.append(Cue(k + 1, start, end, cue_text))
    notes = [
        f"MicroDVD: frames converted at {rate:g} frames per second"
        + (" (assumed: the file does not say; choose the video's rate when opening)" if assumed else "")
    ]
    if dropped:
        notes.append("MicroDVD: control codes dropped from the text: " + ", ".join(sorted(dropped)))
    doc.notes = "\n".join(notes)
    doc.metadata.extra["microdvd.fps"] = f"{rate:g}"
    readlog.record(doc, skipped)
    return doc


def _is_rate(body: str) -> bool:
    try:
        value = float(body.strip())
    except ValueError:
        return False
    return 1 <= value <= 240


FORMAT = ModuleFormat("microdvd", "MicroDVD", __name__, can_write=False)
