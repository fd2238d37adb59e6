"""Line layout of cues: the limits each track is laid out to, and the edits that re-break lines.

`linebreak` decides where one text breaks; this module applies it to cues and tracks:
Rebalance Lines and Unbreak (each one undo step), and the re-break that attaching a
translation, merging and splitting do to the text they create.

Limits come per text from its script: Chinese, Japanese and Korean text gets
`max_chars_cjk` characters per line (half-width characters count half), other text
`max_chars`; both tracks get `max_lines` lines.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from editor.core import linebreak
from editor.core.edits import Batch, Edit, SetCueValues
from editor.core.errors import ValidationError
from editor.core.model import Cue, Document

if TYPE_CHECKING:
    from editor.core.alignment import AlignmentPlan

DEFAULT_MAX_CHARS = 42
DEFAULT_MAX_CHARS_CJK = 16
DEFAULT_MAX_LINES = 2

Track = Literal["text", "translation", "both"]
TRACK_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text",),
    "source": ("text",),
    "translation": ("translation",),
    "both": ("text", "translation"),
}


@dataclass(frozen=True)
class LineLimits:
    """Characters per line (Latin/Cyrillic and CJK) and lines per cue."""

    max_chars: int = DEFAULT_MAX_CHARS
    max_chars_cjk: int = DEFAULT_MAX_CHARS_CJK
    max_lines: int = DEFAULT_MAX_LINES

    def width_for(self, text: str) -> tuple[int, bool]:
        """Return (characters per line, is CJK) for `text`, told by its script."""
        cjk = not text.isascii() and linebreak.is_cjk_text(text)
        return (self.max_chars_cjk if cjk else self.max_chars), cjk

    def lay_out(self, text: str, reserve: float = 0.0) -> str:
        """Return `text` broken into lines to these limits (see linebreak.break_lines)."""
        if not text:
            return text
        if "\n" not in text and len(text) + reserve <= min(self.max_chars, self.max_chars_cjk):
            return text
        width, cjk = self.width_for(text)
        return linebreak.break_lines(text, width, self.max_lines, cjk=cjk, reserve=reserve)

    def fits(self, text: str) -> bool:
        """Return True when `text` has at most max_lines lines, none wider than its limit."""
        if not text:
            return True
        width, cjk = self.width_for(text)
        return linebreak.fits(text, width, self.max_lines, cjk)


DEFAULT_LIMITS = LineLimits()


def _fields(track: str) -> tuple[str, ...]:
    try:
        return TRACK_FIELDS[track]
    except KeyError:
        raise ValidationError("track", f"expected text, translation or both, got {track!r}") from None


def _cues(doc: Document, ids: Iterable[int] | None) -> list[Cue]:
    if ids is None:
        return doc.cues
    out: list[Cue] = []
    for cue_id in dict.fromkeys(ids):
        try:
            out.append(doc.cue(cue_id))
        except (KeyError, TypeError):
            raise ValidationError("ids", f"there is no cue with id {cue_id!r}") from None
    return out


def _reshape(doc: Document, ids: Iterable[int] | None, track: str, change) -> Edit:
    cues = _cues(doc, ids)
    parts: list[Edit] = []
    for name in _fields(track):
        values: dict[int, object] = {}
        for cue in cues:
            old = getattr(cue, name)
            if old:
                new = change(old)
                if new != old:
                    values[cue.id] = new
        if values:
            parts.append(SetCueValues(name, values))
    return Batch(parts)


def rebalance_lines(
    doc: Document, ids: Iterable[int] | None, track: str = "both", limits: LineLimits = DEFAULT_LIMITS
) -> Edit:
    """Return the edit laying out the lines of cues `ids` (None = all) anew, in one undo step.

    `track` is "text" (source), "translation" or "both". Each text is unbroken and broken
    again by linebreak's rules to `limits` (one line when it fits). Only cues whose text
    changes are in the edit; an empty Batch when none does. Raises ValidationError for an
    unknown id or track.
    """
    return _reshape(doc, ids, track, limits.lay_out)


def unbreak_lines(doc: Document, ids: Iterable[int] | None, track: str = "both") -> Edit:
    """Return the edit joining the lines of cues `ids` (None = all) into one line each.

    Dialogue cues (a dash per speaker line) keep their lines. Raises ValidationError for
    an unknown id or track.
    """
    return _reshape(doc, ids, track, linebreak.unbreak)


def lay_out_plan(plan: AlignmentPlan, limits: LineLimits = DEFAULT_LIMITS) -> AlignmentPlan:
    """Return `plan` with every translation text laid out in lines to `limits`.

    What attaching a translation does before it applies: the translation's own line
    breaks (or none, for a paragraph) are replaced by a layout for the translation's
    script; the characters of each cue's translation stay exactly what the plan gives it.
    """
    pairs = {cue_id: limits.lay_out(text) for cue_id, text in plan.pairs.items()}
    return dataclasses.replace(plan, pairs=pairs)


_MARKUP_RE = re.compile(r"<[^>\n]*>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": "\xa0", "&lrm;": "", "&rlm;": ""}
_ENTITY_RE = re.compile("|".join(map(re.escape, _ENTITIES)))


def long_lines(text: str, limits: LineLimits = DEFAULT_LIMITS) -> list[tuple[int, float, int]]:
    """Return (1-based line number, width, limit) of every cue-text line of an SRT or WebVTT
    file's `text` wider than `limits` allow for its script (markup and entities as shown)."""
    out: list[tuple[int, float, int]] = []
    in_cue = False
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            in_cue = False
            continue
        if "-->" in line and not in_cue:
            in_cue = True
            continue
        if not in_cue:
            continue
        shown = _MARKUP_RE.sub("", line) if "<" in line else line
        if "&" in shown:
            shown = _ENTITY_RE.sub(lambda m: _ENTITIES[m.group()], shown)
        shown = shown.rstrip("\r")
        if len(shown) <= limits.max_chars_cjk:
            continue
        # A "Name: " prefix does not decide the script of the line it opens.
        name, colon, rest = shown.partition(": ")
        width, cjk = limits.width_for(rest if colon and len(name) <= 40 and rest else shown)
        shown_width = linebreak.display_width(shown, cjk)
        if shown_width > width:
            out.append((number, shown_width, width))
    return out
