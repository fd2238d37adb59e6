"""The WebVTT cue text parsing rules (W3C WebVTT, "cue text parsing rules") and their mapping
onto Cueline's canonical cue text.

`parse_cue_text(raw)` returns the spec's node tree: text (str), `Element` (c, i, b, u, ruby, rt,
v, lang; with classes and annotation) and `Timestamp`. Character references are decoded with
HTML's table (`html.entities.html5`), including legacy names without ";" (`&amp`, `&not`).

`to_canonical(raw)` maps a cue onto the editor's model: `<i> <b> <u>` stay tags, the first
`<v Name>` becomes the cue's speaker (later voices are not text, as in a browser; the reader
keeps such a cue's raw text for the round trip, editor.core.formats.markup), ruby text is kept
in parentheses after its base ("漢字(かんじ)"), `<c>`/`<lang>`/
`<ruby>` are flattened and timestamp tags dropped. Decoded "&lt;i&gt;" becomes the literal
characters "<i>", which canonical text cannot tell from a tag: a documented limit.

Everything here is iterative (no recursion), so a 1 MB line of nested tags cannot overflow the stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.entities import html5
from typing import Any

from editor.core.script import TAG_PATTERN, TAG_RE

# Tags whose start tags build nodes; every other start tag is ignored by the spec.
_KNOWN = frozenset({"c", "i", "b", "u", "ruby", "rt", "v", "lang"})
# ASCII whitespace as the tokenizer sees it (CR is gone after newline normalisation).
_TAG_WS = "\t\n\f "
_SPACE_CHARS = " \t\n\f\r"
_SPACE_RUN_RE = re.compile(r"[ \t\n\f\r]+")

# Every tag token runs from "<" to the next ">" (or the end of the text): the spec's tag,
# start tag, class, annotation, end tag and timestamp states all stop only at ">" or EOF.
_TAG_SPLIT_RE = re.compile(r"(<[^>]*>?)")
_NAME_RE = re.compile(r"[^\t\n\f .]*")
_CHARREF_RE = re.compile(r"&(?:#([0-9]+);?|#[xX]([0-9a-fA-F]+);?|([A-Za-z][A-Za-z0-9]*;?))")
_TIMESTAMP_RE = re.compile(r"([0-9]+):([0-9]{2})(?::([0-9]{2}))?\.([0-9]{3})")

# HTML's replacement table for numeric references to C1 controls (windows-1252 view).
_C1_REPLACEMENTS: dict[int, str] = {
    0x80: "\u20ac",
    0x82: "\u201a",
    0x83: "\u0192",
    0x84: "\u201e",
    0x85: "\u2026",
    0x86: "\u2020",
    0x87: "\u2021",
    0x88: "\u02c6",
    0x89: "\u2030",
    0x8A: "\u0160",
    0x8B: "\u2039",
    0x8C: "\u0152",
    0x8E: "\u017d",
    0x91: "\u2018",
    0x92: "\u2019",
    0x93: "\u201c",
    0x94: "\u201d",
    0x95: "\u2022",
    0x96: "\u2013",
    0x97: "\u2014",
    0x98: "\u02dc",
    0x99: "\u2122",
    0x9A: "\u0161",
    0x9B: "\u203a",
    0x9C: "\u0153",
    0x9E: "\u017e",
    0x9F: "\u0178",
}


@dataclass(slots=True, eq=False)
class Element:
    """A WebVTT internal node: tag is one of c, i, b, u, ruby, rt, v, lang."""

    tag: str
    classes: tuple[str, ...] = ()
    annotation: str = ""  # voice name for v, language tag for lang
    children: list[Node] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class Timestamp:
    """A timestamp tag (karaoke-style cue-internal time), in milliseconds."""

    ms: int


Node = str | Element | Timestamp


# -- character references ------------------------------------------------------------------------
def _numeric(digits: str, base: int) -> str:
    digits = digits.lstrip("0") or "0"
    # Long digit runs are out of Unicode anyway; checking length avoids huge int conversions.
    if len(digits) > (7 if base == 10 else 6):
        return "\ufffd"
    cp = int(digits, base)
    if cp == 0 or cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
        return "\ufffd"
    return _C1_REPLACEMENTS.get(cp) or chr(cp)


def _named(name: str, attribute: bool, following: str) -> str | None:
    """Return the replacement for "&name" (name may end in ";"), or None when it is no reference."""
    value = html5.get(name)
    if value is not None and name.endswith(";"):
        return value
    alnum = name.rstrip(";")
    # Longest prefix that is a legacy name (these exist without ";" in the table).
    for k in range(len(alnum), 0, -1):
        value = html5.get(alnum[:k])
        if value is not None:
            rest = name[k:]
            nxt = rest[:1] or following
            # HTML's historical rule inside attributes: "&amp=" or "&ampx" stays literal.
            if attribute and (nxt == "=" or (nxt.isascii() and nxt.isalnum())):
                return None
            return value + rest
    return None


def decode_entities(text: str, attribute: bool = False) -> str:
    """Return `text` with HTML character references decoded as WebVTT does.

    `attribute` selects the annotation rules (a legacy name followed by "=" or an
    alphanumeric is left alone). Text without "&" is returned as is.
    """
    if "&" not in text:
        return text

    def replace(m: re.Match[str]) -> str:
        dec, hexa, name = m.groups()
        if dec is not None:
            return _numeric(dec, 10)
        if hexa is not None:
            return _numeric(hexa, 16)
        end = m.end()
        following = m.string[end : end + 1]
        value = _named(name, attribute, following)
        return m.group(0) if value is None else value

    return _CHARREF_RE.sub(replace, text)


def decode_escaped(text: str) -> str:
    """Return `decode_entities(text)`: with three replacements when every "&" opens "&amp;", "&lt;"
    or "&gt;" (all the WebVTT writer's escaping makes; a text of 100k cues holds ~10k, each a
    callback of the general decoding), else decoded in general. Tests compare the two."""
    if "&" not in text:
        return text
    if text.count("&") != text.count("&amp;") + text.count("&lt;") + text.count("&gt;"):
        return decode_entities(text)
    # "&amp;" last: the "&" it makes never opens another reference ("&amp;lt;" is "&lt;").
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# -- timestamps --------------------------------------------------------------------------------------
def parse_timestamp(text: str) -> int | None:
    """Return the ms of a whole WebVTT timestamp (`[hh:]mm:ss.ttt`), or None when invalid."""
    m = _TIMESTAMP_RE.fullmatch(text)
    if m is None:
        return None
    a, b, c, frac = m.groups()
    if len(a) > 9:
        return None  # over 100,000 years: corrupt (and int() refuses 4,300+ digits)
    if c is None:
        # Two fields: minutes:seconds; a first field that is not 2 digits or above 59 means hours.
        if len(a) != 2 or int(a) > 59:
            return None
        hours, minutes, seconds = 0, int(a), int(b)
    else:
        hours, minutes, seconds = int(a), int(b), int(c)
    if minutes > 59 or seconds > 59:
        return None
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + int(frac)


def format_timestamp(ms: int) -> str:
    """Return `ms` as HH:MM:SS.mmm (hours grow past two digits when needed)."""
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, frac = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{frac:03d}"


# -- the parser ----------------------------------------------------------------------------------------
def _collapse(annotation: str) -> str:
    return _SPACE_RUN_RE.sub(" ", annotation).strip(_SPACE_CHARS)


def parse_cue_text(raw: str) -> list[Node]:
    """Return the spec's node tree for cue text `raw` (a list of top-level nodes).

    Never raises for any input string. Adjacent text nodes are merged.
    """
    if "\0" in raw:
        raw = raw.replace("\0", "\ufffd")
    root = Element("root")
    stack: list[Element] = [root]
    current = root
    parts = _TAG_SPLIT_RE.split(raw)
    for index, part in enumerate(parts):
        if not part:
            continue
        if index % 2 == 0:  # string token
            text = decode_entities(part)
            kids = current.children
            if kids and type(kids[-1]) is str:
                kids[-1] += text
            else:
                kids.append(text)
            continue
        body = part[1:-1] if part.endswith(">") else part[1:]
        if not body:
            continue  # "<>" or "<" at the end: a start tag without a name, ignored
        first = body[0]
        if first == "/":
            name = body[1:]
            tag = current.tag
            if name == tag and name != "root":
                stack.pop()
            elif name == "ruby" and tag == "rt":
                stack.pop()
                stack.pop()
            else:
                continue
            current = stack[-1]
            continue
        if "0" <= first <= "9":
            ms = parse_timestamp(body)
            if ms is not None:
                current.children.append(Timestamp(ms))
            continue
        name = _NAME_RE.match(body).group(0)  # type: ignore[union-attr]
        if name not in _KNOWN or (name == "rt" and current.tag != "ruby"):
            continue
        rest = body[len(name) :]
        classes: tuple[str, ...] = ()
        annotation = ""
        if rest:
            ws_at = min((i for i in (rest.find(ch) for ch in _TAG_WS) if i >= 0), default=-1)
            class_part = rest if ws_at < 0 else rest[:ws_at]
            if class_part:
                classes = tuple(c for c in class_part.split(".") if c)
            if ws_at >= 0 and name in ("v", "lang"):
                annotation = _collapse(decode_entities(rest[ws_at + 1 :], attribute=True))
        element = Element(name, classes, annotation)
        current.children.append(element)
        stack.append(element)
        current = element
    return root.children


def text_content(nodes: list[Node]) -> str:
    """Return the concatenation of all text nodes (the spec's plain-text rendering)."""
    out: list[str] = []
    stack: list[Any] = [iter(nodes)]
    while stack:
        for node in stack[-1]:
            if type(node) is str:
                out.append(node)
            elif type(node) is Element:
                stack.append(iter(node.children))
                break
        else:
            stack.pop()
    return "".join(out)


def to_dom(nodes: list[Node]) -> list[dict[str, Any]]:
    """Return the tree as getCueAsHTML() would build it, as JSON-like dicts.

    `<c>`, `<v>` and `<lang>` become "span" (v with a "title", lang with a "lang" attribute);
    adjacent text nodes are merged.
    """
    result: list[dict[str, Any]] = []
    stack: list[tuple[Any, list[dict[str, Any]]]] = [(iter(nodes), result)]
    while stack:
        it, out = stack[-1]
        for node in it:
            if type(node) is str:
                if out and out[-1]["type"] == "text":
                    out[-1]["data"] += node
                else:
                    out.append({"type": "text", "data": node})
            elif type(node) is Timestamp:
                out.append({"type": "timestamp", "value": format_timestamp(node.ms)})
            else:
                attrs: dict[str, str] = {}
                if node.classes:
                    attrs["class"] = " ".join(node.classes)
                if node.tag == "v":
                    attrs["title"] = node.annotation
                elif node.tag == "lang":
                    attrs["lang"] = node.annotation
                name = "span" if node.tag in ("c", "v", "lang") else node.tag
                children: list[dict[str, Any]] = []
                out.append({"type": "element", "name": name, "attributes": attrs, "children": children})
                stack.append((iter(node.children), children))
                break
        else:
            stack.pop()
    return result


# -- canonical text ------------------------------------------------------------------------------------
# The common shapes: an optional leading "<v Name>", text with only <i>/<b>/<u> tags, an
# optional "</v>". Possessive quantifiers keep the match linear on text that does not fit.
_SIMPLE_RE = re.compile(f"(?:<v[ \\t]([^>&\\n\\t]*)>)?((?:[^<]++|{TAG_PATTERN})*+)(?:</v>)?")


def _well_nested(body: str) -> bool:
    stack: list[str] = []
    for closing, tag in TAG_RE.findall(body):
        if not closing:
            stack.append(tag)
        elif not stack or stack.pop() != tag:
            return False
    return not stack


def to_canonical(raw: str) -> tuple[str, str | None]:
    """Return (canonical text, speaker name or None) for raw WebVTT cue text.

    The first voice with a non-empty name is the speaker; later voices are not shown as text
    (a browser does not show voice names; `read_cue_text` says when the raw text is needed to
    keep them). A leading "Name: " equal to the speaker (what our writer emits with
    speakers="both") is removed, so that style round-trips. Never raises.
    """
    text, speaker, _ = read_cue_text(raw)
    return text, speaker


def read_cue_text(raw: str) -> tuple[str, str | None, bool]:
    """Return (canonical text, speaker, simple) for raw WebVTT cue text (see to_canonical).

    `simple` is False when the cue has markup the canonical text and one speaker cannot give
    back (classes, <c>, <lang>, <ruby>, timestamps, more voices, tags left open): a writer
    must keep the raw text to lose nothing.
    """
    if "\0" in raw:
        raw = raw.replace("\0", "\ufffd")
    simple = canonical_text_simple(raw)
    if simple is not None:
        return (*simple, True)
    return (*canonical_text_full(raw), False)


def canonical_text_simple(raw: str) -> tuple[str, str | None] | None:
    """Return (canonical text, speaker) of a cue in the common shapes without building its
    tree, or None for any other cue. The fast path of `read_cue_text`: where it answers, its
    answer is `canonical_text_full`'s (tests compare the two)."""
    if "<" not in raw:
        # No tags: the tree is one text node.
        return (decode_entities(raw) if "&" in raw else raw), None
    m = _SIMPLE_RE.fullmatch(raw)
    if m is None:
        return None
    # Well-nested <i>/<b>/<u> stay as written, and entities cannot span a tag, so decoding
    # the whole body equals decoding each text node.
    voice, body = m.groups()
    if "<" in body and not _well_nested(body):
        return None
    if "&" in body:
        body = decode_entities(body)
    name = _collapse(voice) if voice else ""
    if not name:
        return body, None
    return _strip_own_prefix(body, name), name


def canonical_text_full(raw: str) -> tuple[str, str | None]:
    """Return (canonical text, speaker) of any cue by walking its parsed tree: the reference
    that `canonical_text_simple` must agree with."""
    return _render(parse_cue_text(raw))


def _strip_own_prefix(text: str, speaker: str) -> str:
    prefix = speaker + ": "
    return text[len(prefix) :] if text.startswith(prefix) else text


def _render(nodes: list[Node]) -> tuple[str, str | None]:
    out: list[str] = []
    speaker: str | None = None
    closers: list[str] = []
    stack: list[Any] = [iter(nodes)]
    while stack:
        for node in stack[-1]:
            if type(node) is str:
                out.append(node)
                continue
            if type(node) is Timestamp:
                continue
            tag = node.tag
            opening = closing = ""
            if tag in ("i", "b", "u"):
                opening, closing = f"<{tag}>", f"</{tag}>"
            elif tag == "rt":
                opening, closing = "(", ")"
            elif tag == "v" and node.annotation:
                if speaker is None:
                    speaker = node.annotation
                    opening = "\x00voice\x00"  # marks where the speaker's text starts
            out.append(opening)
            closers.append(closing)
            stack.append(iter(node.children))
            break
        else:
            stack.pop()
            if closers:
                out.append(closers.pop())
    text = "".join(out)
    if speaker is None:
        return text, None
    before, _, after = text.partition("\x00voice\x00")
    return before + _strip_own_prefix(after, speaker), speaker
