"""Format markup kept beside canonical cue text, so that a round trip loses nothing a viewer sees.

Canonical cue text holds only `<i> <b> <u>` as markup (editor.core.model). What a file has
beyond that (SubRip `<font color>` and `{\\an8}`, WebVTT classes, `<lang>`, `<ruby>`, karaoke
timestamps and second voices, ASS override blocks) is kept here, per cue, as the file's own
raw cue text together with the canonical text and speaker it was read as:

    doc.metadata.extra["markup.<format id>.<cue id>"] = pack(text, speaker, raw)

A writer of the same format writes `raw` back while the cue still has that text and speaker
(so an open -> save is lossless); once the user changes the text, the canonical text is
written. Writers of another format translate what they can (`srt_to_vtt`) and the export
linter lists what they drop. Only cues whose markup the canonical text cannot hold are kept,
so a plain file costs nothing.
"""

from __future__ import annotations

import re
from dataclasses import field

from editor.core.model import Cue, Document
from editor.core.patterns import compile_on_first_use
from editor.core.records import record
from editor.core.script import TAG_PATTERN

_PREFIX = "markup."


def key(format_id: str, cue_id: int) -> str:
    """Return the metadata.extra key of cue `cue_id`'s markup in `format_id`."""
    return f"{_PREFIX}{format_id}.{cue_id}"


def pack(*fields: str) -> str:
    """Return strings packed into one: their lengths, a comma each, then the strings (cheaper
    than JSON, which a 100k-event read would spend seconds on)."""
    return ",".join(str(len(f)) for f in fields) + "," + "".join(fields)


def unpack(value: str, count: int) -> list[str] | None:
    """Return the `count` strings of a `pack` value, or None when it is not one."""
    head = value.split(",", count)
    if len(head) != count + 1:
        return None
    try:
        lengths = [int(n) for n in head[:count]]
    except ValueError:
        return None
    body = head[count]
    if sum(lengths) != len(body) or min(lengths, default=0) < 0:
        return None
    out, at = [], 0
    for n in lengths:
        out.append(body[at : at + n])
        at += n
    return out


def keep(
    extra: dict[str, str], format_id: str, cue_id: int, text: str, speaker: str | None, raw: str
) -> None:
    """Remember `raw` (the file's cue text) as what canonical `text` and `speaker` were read from."""
    extra[key(format_id, cue_id)] = pack(text, "" if speaker is None else "\x00" + speaker, raw)


def formats_kept(doc: Document) -> set[str]:
    """Return the ids of the formats whose markup the document keeps for some cue."""
    return {k.split(".", 2)[1] for k in doc.metadata.extra if k.startswith(_PREFIX) and k.count(".") >= 2}


def kept(doc: Document, format_id: str, cue: Cue) -> str | None:
    """Return the raw cue text kept for `cue` in `format_id`, or None.

    None also when the cue's text or speaker changed since it was read: the kept markup then
    describes other words.
    """
    value = doc.metadata.extra.get(key(format_id, cue.id))
    if value is None:
        return None
    fields = unpack(value, 3)
    if fields is None:
        return None
    text, speaker, raw = fields
    name = doc.speaker_name(cue.speaker_id)
    if text != cue.text or speaker != ("" if name is None else "\x00" + name):
        return None
    return raw


# -- SubRip markup ------------------------------------------------------------------------------------------
# Tags SubRip players render as formatting that canonical text does not hold: <font ...>, <s>,
# and ASS override blocks ({\an8}, {\i1}); any case. Other "<...>" text is literal in SubRip.
SRT_MARKUP_RE = compile_on_first_use(r"</?font(?:[ \t][^<>\n]*)?>|</?s>|\{\\[^{}\n]*\}", re.IGNORECASE)
_SRT_TOKEN_RE = compile_on_first_use(
    r"(</?font(?:[ \t][^<>\n]*)?>|</?s>|\{\\[^{}\n]*\}|" + TAG_PATTERN + ")", re.IGNORECASE
)
_COLOR_ATTR_RE = compile_on_first_use(r"""color\s*=\s*["']?\s*(#?[0-9A-Za-z]+)""", re.IGNORECASE)
_ATTR_RE = compile_on_first_use(r"""([a-z-]+)\s*=""", re.IGNORECASE)
_OVERRIDE_RE = compile_on_first_use(r"\\(an?)(\d+)|\\([ibu])([01])|\\([^\\{}]+)")
_NAMED_COLORS = {
    "white": "ffffff",
    "black": "000000",
    "red": "ff0000",
    "lime": "00ff00",
    "green": "008000",
    "blue": "0000ff",
    "yellow": "ffff00",
    "cyan": "00ffff",
    "aqua": "00ffff",
    "magenta": "ff00ff",
    "fuchsia": "ff00ff",
    "silver": "c0c0c0",
    "gray": "808080",
    "grey": "808080",
    "maroon": "800000",
    "olive": "808000",
    "purple": "800080",
    "teal": "008080",
    "navy": "000080",
    "orange": "ffa500",
}


def strip_srt_markup(text: str) -> str:
    """Return SubRip cue text without the markup canonical text does not hold (see SRT_MARKUP_RE)."""
    return SRT_MARKUP_RE.sub("", text)


def css_color(value: str) -> str | None:
    """Return a colour as 6 lower-case hex digits (`#0f0`, `00ff00`, `lime`), or None."""
    value = value.strip().lower()
    if value in _NAMED_COLORS:
        return _NAMED_COLORS[value]
    digits = value.lstrip("#")
    if re.fullmatch(r"[0-9a-f]{6}", digits):
        return digits
    if re.fullmatch(r"[0-9a-f]{3}", digits):
        return "".join(ch * 2 for ch in digits)
    return None


# Numpad alignment ({\anN}) -> WebVTT cue settings. 1-3 bottom, 4-6 middle, 7-9 top.
_AN_SETTINGS = {
    1: "align:left",
    2: "",
    3: "align:right",
    4: "line:50% align:left",
    5: "line:50%",
    6: "line:50% align:right",
    7: "line:0 align:left",
    8: "line:0",
    9: "line:0 align:right",
}
# SSA's legacy {\aN}: 1-3 bottom, 5-7 top, 9-11 middle (left, centre, right).
_LEGACY_A = {1: 1, 2: 2, 3: 3, 5: 7, 6: 8, 7: 9, 9: 4, 10: 5, 11: 6}


def alignment_settings(tag: str, number: int) -> str | None:
    """Return the WebVTT settings for `{\\anN}` (tag "an") or `{\\aN}` (tag "a"), or None if invalid."""
    an = number if tag == "an" else _LEGACY_A.get(number)
    return _AN_SETTINGS.get(an) if an is not None else None


@record
class VttMapping:
    """Cue text translated into WebVTT: text, settings, CSS classes used, and what was dropped."""

    text: str = ""
    settings: str = ""
    classes: dict[str, str] = field(default_factory=dict)  # class name -> colour hex
    dropped: list[str] = field(default_factory=list)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def srt_to_vtt(raw: str) -> VttMapping:
    """Return SubRip cue text (with <font>, {\\an8} ...) as WebVTT cue text and settings.

    `<font color>` becomes a `<c.cHEX>` span (its colour in `classes`, for a STYLE rule),
    `{\\anN}`/`{\\aN}` the cue settings, `{\\i1}`/`{\\b1}`/`{\\u1}` tags; font faces and sizes,
    `<s>` and other override tags are dropped and listed in `dropped`. Never raises.
    """
    out = VttMapping()
    parts: list[str] = []
    fonts: list[bool] = []  # per open <font>: whether it opened a <c> span
    for k, token in enumerate(_SRT_TOKEN_RE.split(raw.replace("\r", ""))):
        if k % 2 == 0:
            parts.append(_escape(token))
            continue
        lower = token.lower()
        if lower in ("<i>", "</i>", "<b>", "</b>", "<u>", "</u>"):
            parts.append(lower)
        elif lower.startswith("<font"):
            color = _COLOR_ATTR_RE.search(token)
            hexa = css_color(color.group(1)) if color else None
            others = [a.lower() for a in _ATTR_RE.findall(token) if a.lower() != "color"]
            if others:
                out.dropped.append(f"<font {' '.join(others)}>")
            if color and hexa is None:
                out.dropped.append(f"colour {color.group(1)!r}")
            if hexa is not None:
                name = f"c{hexa}"
                out.classes[name] = hexa
                parts.append(f"<c.{name}>")
            fonts.append(hexa is not None)
        elif lower == "</font>":
            if fonts and fonts.pop():
                parts.append("</c>")
        elif lower in ("<s>", "</s>"):
            if lower == "<s>":
                out.dropped.append("<s> (strike-through)")
        else:
            _override_to_vtt(token, parts, out)
    out.text = "".join(parts)
    return out


def _override_to_vtt(block: str, parts: list[str], out: VttMapping) -> None:
    """Translate one `{\\...}` override block into WebVTT tags/settings of `out` (see srt_to_vtt)."""
    for m in _OVERRIDE_RE.finditer(block[1:-1]):
        align, number, style, on, other = m.groups()
        if align is not None:
            settings = alignment_settings(align, int(number[:3]))
            if settings is None:
                out.dropped.append(f"{{\\{align}{number}}}")
            else:
                out.settings = settings
        elif style is not None:
            parts.append(f"<{style}>" if on == "1" else f"</{style}>")
        elif other is not None and other.strip():
            out.dropped.append(f"{{\\{other.strip()}}}")


def style_block(classes: dict[str, str]) -> str:
    """Return a WebVTT STYLE block giving each colour class its colour ('' for none)."""
    if not classes:
        return ""
    rules = "\n".join(f"::cue(.{name}) {{ color: #{hexa}; }}" for name, hexa in sorted(classes.items()))
    return f"STYLE\n{rules}"


def ass_text_to_srt(raw: str) -> str:
    """Return ASS/SSA event text in SubRip's terms: `\\N`/`\\n` line breaks, `\\h` a no-break
    space, `{...}` blocks as they are (srt_to_vtt reads the override tags among them)."""
    return raw.replace("\\N", "\n").replace("\\n", "\n").replace("\\h", "\u00a0")


def to_vtt(format_id: str, raw: str) -> VttMapping:
    """Return kept SubRip ("srt") or ASS ("ass") cue text translated into WebVTT (srt_to_vtt)."""
    if format_id == "ass":
        # ASS has no HTML tags: "<" is a character; only {\...} blocks are formatting.
        raw = ass_text_to_srt(raw).replace("<", "\x00lt").replace(">", "\x00gt")
        mapped = srt_to_vtt(re.sub(r"\{(?!\\)[^{}]*\}", "", raw))
        mapped.text = mapped.text.replace("\x00lt", "&lt;").replace("\x00gt", "&gt;")
        return mapped
    return srt_to_vtt(raw)


_AN_TAG_RE = compile_on_first_use(r"\{[^{}]*?\\(an?)(\d{1,2})[^{}]*\}")


def alignment_tag(raw: str) -> str:
    """Return `{\\anN}` for the first alignment override in SubRip or ASS cue text, or ''.

    SubRip players (VLC, mpv, Subtitle Edit) and every ASS renderer honour it, so a conversion
    between the two keeps where the cue is shown.
    """
    m = _AN_TAG_RE.search(raw)
    if m is None:
        return ""
    tag, number = m.group(1), int(m.group(2))
    an = number if tag == "an" else _LEGACY_A.get(number)
    return f"{{\\an{an}}}" if an in _AN_SETTINGS else ""
