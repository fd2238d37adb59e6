"""Timecodes: SRT ("HH:MM:SS,mmm"), WebVTT ("HH:MM:SS.mmm", hours optional) and frames.

All functions work on integer milliseconds.
"""

from __future__ import annotations

import re

from editor.core.errors import ValidationError

# Lenient form a user may type in a cell: [-][H:]MM:SS[.,]mmm, or plain seconds.
_USER_RE = re.compile(
    r"^\s*(?P<sign>-)?(?:(?:(?P<h>\d+):)?(?P<m>\d{1,2}):)?(?P<s>\d{1,2})(?:[.,](?P<f>\d{1,3}))?\s*$"
)
_SECONDS_RE = re.compile(r"^\s*(?P<sign>-)?(?P<s>\d+)(?:[.,](?P<f>\d{1,3}))?\s*s?\s*$")


def _split(ms: int) -> tuple[str, int, int, int, int]:
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, frac = divmod(rest, 1000)
    return sign, h, m, s, frac


def format_srt(ms: int) -> str:
    """Return `ms` as an SRT timecode, e.g. 01:02:03,004 (a minus sign when negative)."""
    sign, h, m, s, frac = _split(ms)
    return f"{sign}{h:02d}:{m:02d}:{s:02d},{frac:03d}"


def format_vtt(ms: int) -> str:
    """Return `ms` as a WebVTT timestamp, always with hours: 01:02:03.004.

    Raises ValidationError for negative times, which WebVTT cannot express.
    """
    if ms < 0:
        raise ValidationError("time", f"WebVTT cannot hold a negative time ({ms} ms)")
    _, h, m, s, frac = _split(ms)
    return f"{h:02d}:{m:02d}:{s:02d}.{frac:03d}"


def format_short(ms: int) -> str:
    """Return a compact display form: M:SS.mmm, or H:MM:SS.mmm past an hour."""
    sign, h, m, s, frac = _split(ms)
    if h:
        return f"{sign}{h}:{m:02d}:{s:02d}.{frac:03d}"
    return f"{sign}{m}:{s:02d}.{frac:03d}"


def parse_user(text: str) -> int:
    """Parse a time a user typed (`1:02.5`, `00:01:02,500`, `62.5`); returns ms.

    A fraction is decimal (`.5` = 500 ms). Raises ValidationError naming what is wrong.
    """
    match = _USER_RE.match(text)
    if match is None or (match["m"] is None and match["h"] is None):
        match = _SECONDS_RE.match(text) if match is None else match
    if match is None:
        raise ValidationError("time", f"not a time: {text.strip()!r} (use H:MM:SS.mmm)")
    groups = match.groupdict()
    hours = int(groups.get("h") or 0)
    minutes = int(groups.get("m") or 0)
    seconds = int(groups["s"])
    if groups.get("m") is not None and (seconds > 59):
        raise ValidationError("time", f"seconds must be below 60 in {text.strip()!r}")
    if groups.get("h") is not None and minutes > 59:
        raise ValidationError("time", f"minutes must be below 60 in {text.strip()!r}")
    frac = groups.get("f") or ""
    millis = int(frac.ljust(3, "0")) if frac else 0
    total = ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis
    return -total if groups.get("sign") else total


def ms_to_frames(ms: int, fps: float) -> int:
    """Return the frame number that contains time `ms` at `fps`."""
    return int(ms * fps // 1000)


def frames_to_ms(frames: int, fps: float) -> int:
    """Return the start time in ms of frame `frames` at `fps`."""
    return round(frames * 1000 / fps)
