"""Advanced SubStation Alpha / SubStation Alpha (.ass, .ssa): read and write.

Reading: every `Dialogue:` event of the `[Events]` section becomes a cue, its fields split by
the section's `Format:` line (SSA v4's `Marked` layout too). Start/End (`H:MM:SS.cc`) are the
times, the `Name`/`Actor` field the speaker. The text becomes canonical text: `\\N`/`\\n` are
line breaks, `\\h` a no-break space, `{\\i1}`/`{\\i0}` (and `\\b`, `\\u`, `\\r`) become `<i>`,
`<b>`, `<u>`; other override tags and `{comments}` are formatting, not words.

Round trip: the script before the events (Script Info, styles, the Format line), every line
between events (`Comment:` events, `;` lines, blank lines) and everything after the last event
(`[Fonts]`, `[Graphics]`, ...) are kept as written, and so is each `Dialogue:` line: while a
cue keeps its times, speaker and text the line is written back byte for byte, and once it
changes, the line is rebuilt from its own Layer/Style/margins/Effect with the new values (a
leading override block such as `{\\an8}` is kept). Cues from other formats get a minimal
v4+ script with a Default style. The WebVTT writer maps `{\\anN}` to cue settings
(editor.core.formats.markup).
"""

from __future__ import annotations

import re

from editor.core import textio
from editor.core.errors import ParseError
from editor.core.formats import ModuleFormat, ReadOptions, WriteOptions, markup, readlog
from editor.core.formats.tracks import speaker_of, track_text
from editor.core.model import Cue, Document
from editor.core.script import split_markup

HEADER_KEY = "ass.header"
FOOTER_KEY = "ass.footer"
_LINE_KEY = "ass.line."
_BEFORE_KEY = "ass.before."
V4_PLUS_FIELDS = ("Layer", "Start", "End", "Style", "Name", "MarginL", "MarginR", "MarginV", "Effect", "Text")
SSA_FIELDS = ("Marked", "Start", "End", "Style", "Name", "MarginL", "MarginR", "MarginV", "Effect", "Text")
DEFAULT_HEADER = """[Script Info]
; Script written by Cueline
ScriptType: v4.00+
WrapStyle: 0
ScaledBorderAndShadow: yes
PlayResX: 384
PlayResY: 288

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, \
Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, \
MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text"""

_TIME_RE = re.compile(r"[ \t]*(\d{1,9}):(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?[ \t]*")
_BLOCK_RE = re.compile(r"(\{[^{}]*\})")
_TAG_RE = re.compile(r"\\(i|b|u)(\d*)(?![a-z])|\\(r)(?![a-z])", re.IGNORECASE)
_EMPTY_TAG_RE = re.compile(r"<([ibu])></\1>")
_GUESS_CHARS = 65_536


def key(prefix: str, cue_id: int) -> str:
    return f"{prefix}{cue_id}"


def guess(text: str) -> int:
    """Return 95 for a script that opens with `[Script Info]` or has an `[Events]` section with
    Dialogue lines, else 0."""
    sample = text[:_GUESS_CHARS].lstrip("\ufeff \t\r\n")
    if sample[:13].lower() == "[script info]":
        return 95
    lower = sample.lower()
    if "[events]" in lower and "\ndialogue:" in lower.replace("\r", "\n"):
        return 95
    return 0


def parse_time(text: str) -> int | None:
    """Return `H:MM:SS.cc` (centiseconds; 1-3 fraction digits taken as a decimal) as ms, or None."""
    if len(text) == 10 and text[1] == ":" and text[4] == ":" and text[7] == ".":
        # The shape every writer uses (0:00:01.00), without a regex: two per event.
        h, mi, s, cs = text[0], text[2:4], text[5:7], text[8:10]
        if (h + mi + s + cs).isdigit() and (h + mi + s + cs).isascii() and mi < "60" and s < "60":
            return ((int(h) * 60 + int(mi)) * 60 + int(s)) * 1000 + int(cs) * 10
    m = _TIME_RE.fullmatch(text)
    if m is None:
        return None
    h, mi, s, frac = m.groups()
    return ((int(h) * 60 + int(mi)) * 60 + int(s)) * 1000 + (int(frac.ljust(3, "0")) if frac else 0)


def format_time(ms: int) -> str:
    """Return ms as `H:MM:SS.cc` (rounded to centiseconds; negative times become 0)."""
    cs = max(0, round(ms / 10))
    h, rest = divmod(cs, 360_000)
    m, rest = divmod(rest, 6000)
    s, frac = divmod(rest, 100)
    return f"{h}:{m:02d}:{s:02d}.{frac:02d}"


# -- text ---------------------------------------------------------------------------------------------------
def to_canonical(raw: str) -> str:
    """Return ASS event text as canonical text (see the module docstring). Never raises."""
    if "{" not in raw and "\\" not in raw:
        return raw
    out: list[str] = []
    open_tags: list[str] = []
    for k, part in enumerate(_BLOCK_RE.split(raw)):
        if k % 2 == 0:
            if part:
                out.append(part.replace("\\N", "\n").replace("\\n", "\n").replace("\\h", "\u00a0"))
            continue
        for m in _TAG_RE.finditer(part):
            flag, value, reset = m.groups()
            if reset:
                while open_tags:
                    out.append(f"</{open_tags.pop()}>")
                continue
            flag = flag.lower()
            on = value not in ("", "0")
            if on and flag not in open_tags:
                open_tags.append(flag)
                out.append(f"<{flag}>")
            elif not on and flag in open_tags:
                # Close down to the flag and reopen the others, so the tags stay nested.
                reopen = []
                while open_tags:
                    top = open_tags.pop()
                    out.append(f"</{top}>")
                    if top == flag:
                        break
                    reopen.append(top)
                for tag in reversed(reopen):
                    open_tags.append(tag)
                    out.append(f"<{tag}>")
    while open_tags:
        out.append(f"</{open_tags.pop()}>")
    text = "".join(out)
    return _EMPTY_TAG_RE.sub("", text) if "></" in text else text


def from_canonical(text: str) -> str:
    """Return canonical text as ASS event text: line breaks as `\\N`, <i>/<b>/<u> as overrides."""
    parts = split_markup(text.replace("\r\n", "\n").replace("\r", "\n"))
    out = []
    for k, part in enumerate(parts):
        if k % 2 == 0:
            out.append(part.replace("\n", "\\N"))
        else:
            closing = part[1] == "/"
            out.append(f"{{\\{part[-2]}{0 if closing else 1}}}")
    return "".join(out)


# -- reading ------------------------------------------------------------------------------------------------
def _fields(format_line: str) -> tuple[str, ...]:
    return tuple(f.strip() for f in format_line.split(":", 1)[1].split(","))


def read(text: str, options: ReadOptions | None = None) -> Document:
    """Return a Document of the ASS/SSA script `text`. Raises ParseError when it has no
    `[Events]` section, or an event line cannot be read."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").replace("\x00", "\ufffd")
    lines = textio.split_lines(text)
    events_at = next((k for k, line in enumerate(lines) if line.strip().lower() == "[events]"), None)
    if events_at is None:
        raise ParseError("no [Events] section: not an ASS/SSA script this editor can read", None)
    k = events_at + 1
    fields: tuple[str, ...] | None = None
    while k < len(lines):
        stripped = lines[k].strip()
        if stripped.lower().startswith("format:"):
            fields = _fields(stripped)
            k += 1
            break
        if stripped.lower().startswith(("dialogue:", "comment:")) or stripped.startswith("["):
            break
        k += 1
    if fields is None:
        ssa = any(line.strip().lower() == "[v4 styles]" for line in lines[:events_at])
        fields = SSA_FIELDS if ssa else V4_PLUS_FIELDS
    lower = [f.lower() for f in fields]
    if "text" not in lower or "start" not in lower or "end" not in lower or lower[-1] != "text":
        raise ParseError("the [Events] Format line must name Start, End and (last) Text", k)
    i_start, i_end, i_text = lower.index("start"), lower.index("end"), len(fields) - 1
    i_name = lower.index("name") if "name" in lower else (lower.index("actor") if "actor" in lower else None)
    doc = Document()
    extra = doc.metadata.extra
    extra[HEADER_KEY] = "\n".join(lines[:k])
    pending: list[str] = []
    skipped: list[readlog.Skipped] = []
    after_events = False
    speaker_ids: dict[str, str] = {}
    for number in range(k, len(lines)):
        line = lines[number]
        if after_events or line[:9].lower() != "dialogue:":
            if line.strip().startswith("[") and line.strip().endswith("]"):
                after_events = True
            pending.append(line)
            continue
        values = line.split(":", 1)[1].lstrip(" ").split(",", len(fields) - 1)
        start = parse_time(values[i_start]) if len(values) == len(fields) else None
        end = parse_time(values[i_end]) if len(values) == len(fields) else None
        if start is None or end is None:
            skipped.append(
                readlog.Skipped(number + 1, "event skipped: its Start/End or fields cannot be read")
            )
            pending.append(line)  # kept as written, like a comment
            continue
        raw = values[i_text]
        speaker = values[i_name].strip() if i_name is not None else ""
        cue = Cue(len(doc.cues) + 1, start, end, to_canonical(raw))
        if speaker:
            speaker_id = speaker_ids.get(speaker)
            if speaker_id is None:
                speaker_id = speaker_ids[speaker] = doc.ensure_speaker(speaker).id
            cue.speaker_id = speaker_id
        doc.append(cue)
        if len(doc.cues) > textio.MAX_CUES:
            raise textio.too_many_cues(number + 1)
        extra[f"{_LINE_KEY}{cue.id}"] = markup.pack(str(start), str(end), cue.text, speaker, line)
        if "{" in raw or "\\" in raw:
            markup.keep(extra, "ass", cue.id, cue.text, speaker or None, raw)
        if pending:
            extra[key(_BEFORE_KEY, cue.id)] = "\n".join(pending)
            pending = []
    if pending:
        extra[FOOTER_KEY] = "\n".join(pending)
    if skipped:
        doc.notes = "ASS: event line(s) kept as written but not read as cues: " + ", ".join(
            str(s.line) for s in skipped[:50]
        )
    readlog.record(doc, skipped)
    return doc


# -- writing ------------------------------------------------------------------------------------------------
def _event_format(header: str) -> tuple[str, ...]:
    for line in reversed(header.split("\n")):
        if line.strip().lower().startswith("format:"):
            return _fields(line.strip())
    return V4_PLUS_FIELDS


def _rebuilt(original: str | None, fields: tuple[str, ...], cue: Cue, name: str, text: str) -> str:
    """Return a Dialogue line for `cue`: the original line's other fields, the new values."""
    lower = [f.lower() for f in fields]
    if original is not None:
        values = original.split(":", 1)[1].lstrip(" ").split(",", len(fields) - 1)
    else:
        values = []
    if len(values) != len(fields):
        defaults = {"layer": "0", "marked": "Marked=0", "style": "Default"}
        values = [defaults.get(f, "0" if f.startswith("margin") else "") for f in lower]
    else:
        lead = re.match(r"\{[^{}]*\}", values[-1])
        if lead is not None and not text.startswith("{"):
            text = lead.group() + text  # {\an8}, {\pos(...)}: where the line is shown
    values[lower.index("start")] = format_time(cue.start_ms)
    values[lower.index("end")] = format_time(cue.end_ms)
    for field in ("name", "actor"):
        if field in lower:
            values[lower.index(field)] = name.replace(",", "，").replace("\n", " ")
            break
    values[-1] = text
    return "Dialogue: " + ",".join(values)


def write(doc: Document, options: WriteOptions | None = None) -> str:
    """Return the document as an ASS script ("\\n" newlines; see the module docstring)."""
    options = options or WriteOptions()
    extra = doc.metadata.extra
    header = extra.get(HEADER_KEY) or DEFAULT_HEADER
    event_fields = _event_format(header)
    out = [header]
    source = options.track == "source"
    for cue in doc.cues:
        before = extra.get(key(_BEFORE_KEY, cue.id))
        if before is not None:
            out.append(before)
        name = (speaker_of(doc, cue) or "") if options.speakers != "none" else ""
        stored = extra.get(key(_LINE_KEY, cue.id))
        original = None
        fields = markup.unpack(stored, 5) if stored is not None else None
        if fields is not None:
            start, end, text, speaker, original = fields
            if source and (start, end, text, speaker) == (str(cue.start_ms), str(cue.end_ms), cue.text, name):
                out.append(original)
                continue
        body = track_text(cue, options.track)
        raw = markup.kept(doc, "ass", cue) if source else None
        if raw is not None and body == cue.text:
            ass_text = raw
        else:
            ass_text = from_canonical(body)
            srt_raw = markup.kept(doc, "srt", cue) if source and original is None else None
            if srt_raw is not None:
                ass_text = markup.alignment_tag(srt_raw) + ass_text  # {\an8} from a SubRip file
        out.append(_rebuilt(original, event_fields, cue, name, ass_text))
    footer = extra.get(FOOTER_KEY)
    if footer is not None:
        out.append(footer)
        return "\n".join(out)
    return "\n".join(out) + "\n"


FORMAT = ModuleFormat("ass", "Advanced SubStation Alpha", __name__)
