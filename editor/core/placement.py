"""Where a player shows a cue on the picture, from the cue's own settings.

WebVTT cue settings (`line`, `align`, `position`, kept in `Cue.vtt_settings`) and the SubRip /
ASS alignment override at the start of the text (`{\\an8}`: top centre) say where a cue goes;
without them a cue sits at the bottom, centred. The video overlay draws the cue there, so a
positioned cue is seen where viewers will see it. Pure; never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from editor.core.formats import markup
from editor.core.formats.vtt import parse_settings

# Override blocks such as {\an8} or {\pos(10,20)} at the start of SubRip/ASS text: a player
# shows none of them.
_LEADING_OVERRIDES_RE = re.compile(r"^(?:\{[^{}]*\})+")
_AN_TAG_RE = re.compile(r"\\(an?)(\d{1,2})")


@dataclass(frozen=True, slots=True)
class Placement:
    """Where the cue's box goes.

    Vertically: `line` None is the default (bottom); a float with `snap` False is a percentage of
    the picture's height where the box's `line_align` edge ("start" top, "center", "end"
    bottom) lies; with `snap` True it is a line number (0 the top line, -1 the bottom one).
    Horizontally: `align` is "left", "center" or "right" (each line within the box), and
    `position` a percentage of the width for the box's anchor, None for the default.
    """

    line: float | None = None
    snap: bool = True
    line_align: str = "start"
    align: str = "center"
    position: float | None = None


BOTTOM_CENTRE = Placement()

_ALIGN = {"start": "left", "left": "left", "end": "right", "right": "right", "center": "center"}


def shown_text(text: str) -> str:
    """Return `text` without the override blocks a player hides ({\\an8} and the like)."""
    return _LEADING_OVERRIDES_RE.sub("", text) if text.startswith("{") else text


def placement(settings: str, text: str = "") -> Placement:
    """Return where a cue with WebVTT `settings` and cue `text` is shown.

    The cue's own settings win; else an alignment override at the start of the text; else
    bottom centre."""
    if not settings and text.startswith("{"):
        block = _LEADING_OVERRIDES_RE.match(text)
        found = _AN_TAG_RE.search(block.group()) if block else None
        if found is not None:
            settings = markup.alignment_settings(found.group(1), int(found.group(2))) or ""
    if not settings.strip():
        return BOTTOM_CENTRE
    parsed = parse_settings(settings)
    line = None if parsed.line == "auto" else float(parsed.line)
    position = None if parsed.position == "auto" else float(parsed.position)
    return Placement(
        line=line,
        snap=parsed.snapToLines,
        line_align=parsed.lineAlign,
        align=_ALIGN.get(parsed.align, "center"),
        position=position,
    )
