"""Timecodes: SRT ("HH:MM:SS,mmm"), WebVTT ("HH:MM:SS.mmm", hours optional) and frames.

All functions work on integer milliseconds.
"""

from __future__ import annotations

import sys

from editor.core.errors import ValidationError
from editor.core.patterns import compile_on_first_use

# Lenient form a user may type in a cell: [-][H:]MM:SS[.,]mmm, or plain seconds.
_USER_RE = compile_on_first_use(
    r"^\s*(?P<sign>-)?(?:(?:(?P<h>\d+):)?(?P<m>\d{1,2}):)?(?P<s>\d{1,2})(?:[.,](?P<f>\d{1,3}))?\s*$"
)
_SECONDS_RE = compile_on_first_use(r"^\s*(?P<sign>-)?(?P<s>\d+)(?:[.,](?P<f>\d{1,3}))?\s*s?\s*$")


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


# Where each character of a fixed-width timing line "HH:MM:SS?mmm --> HH:MM:SS?mmm" is (two-digit
# hours, "?" the fraction's separator): the columns of the ten-digit places of each time, in the
# order hours, minutes, seconds, milliseconds, and each place's weight in milliseconds.
_FIXED_WIDTH = 29
_DIGIT_COLUMNS = (0, 1, 3, 4, 6, 7, 9, 10, 11)
_PLACE_MS = (36_000_000, 3_600_000, 600_000, 60_000, 10_000, 1000, 100, 10, 1)
_TENS_COLUMNS = (3, 6)  # minutes and seconds: their first digit is at most 5


# Importing NumPy costs ~0.1 s of CPU; reading or writing times with it saves ~0.2-0.45 µs each.
# Below this many timing lines it pays only when NumPy is loaded already: a 1k-cue file read while
# the window is built (or after it shows, for 10k) would otherwise hold its rows back ~0.1 s.
NUMPY_MIN_LINES = 50_000


def numpy_pays(k: int) -> bool:
    """Return True when `k` timing lines are worth reading or writing with NumPy."""
    return k >= NUMPY_MIN_LINES or "numpy" in sys.modules


def fixed_timing_ms(joined: str, k: int, sep: str) -> tuple[list[int], list[int]] | None:
    """Return the start and end times in ms of the `k` newline-joined timing lines `joined` when
    every one is exactly "HH:MM:SS{sep}mmm --> HH:MM:SS{sep}mmm" (two-digit hours, minutes and
    seconds below 60), else None (the caller's line-by-line reading decides then).

    NumPy reads all of them at once, a fixed-width column at a time: a 100k-cue file's 200k times
    in ~15 ms instead of ~60 ms of int() calls. Tests compare it with the plain readers.
    """
    if k <= 0 or len(joined) != (_FIXED_WIDTH + 1) * k - 1 or not joined.isascii():
        return None
    import numpy as np

    rows = np.empty((k, _FIXED_WIDTH + 1), np.uint8)  # the lines, each with its newline
    rows.reshape(-1)[:-1] = np.frombuffer(joined.encode("ascii"), np.uint8)
    rows[-1, -1] = ord("\n")
    if (rows[:, -1] != ord("\n")).any():
        return None
    return fixed_rows_ms(rows[:, :_FIXED_WIDTH], sep)


def fixed_rows_ms(rows, sep: str) -> tuple[list[int], list[int]] | None:  # rows: (k, 29) unsigned ints
    """Return the start and end times in ms of timing lines given as the rows of a (k, 29) array of
    their characters' code points (any unsigned integer type) when every one is exactly
    "HH:MM:SS{sep}mmm --> HH:MM:SS{sep}mmm" (as `fixed_timing_ms` checks), else None."""
    times = fixed_rows_ms_arrays(rows, sep)
    return None if times is None else (times[0].tolist(), times[1].tolist())


def fixed_rows_ms_arrays(rows, sep: str):  # -> tuple[np.ndarray, np.ndarray] | None
    """`fixed_rows_ms` as two NumPy int64 arrays (starts, ends), for a reader that keeps them."""
    import numpy as np

    template = np.frombuffer(f"00:00:00{sep}000 --> 00:00:00{sep}000".encode("ascii"), np.uint8)
    digit_cols = [c + off for off in (0, 17) for c in _DIGIT_COLUMNS]
    other = np.ones(_FIXED_WIDTH, bool)
    other[digit_cols] = False
    # Code points minus "0" in the rows' unsigned type (one below "0" wraps above 9); bytes take
    # an eighth of the memory of 64-bit digits, which a 100k-cue file's first pages would fault in.
    digits = rows[:, digit_cols] - rows.dtype.type(48)
    if (digits > 9).any() or (rows[:, other] != template[other]).any():
        return None
    if (digits[:, [2, 4, 11, 13]] > 5).any():  # the tens of minutes and of seconds
        return None
    weights = np.array(_PLACE_MS, np.int64)
    return digits[:, :9] @ weights, digits[:, 9:] @ weights


def fixed_vtt_timing_lines(starts: list[int], ends: list[int]) -> list[str] | None:
    """Return the WebVTT timing line "HH:MM:SS.mmm --> HH:MM:SS.mmm" of each (start, end) pair,
    formatted all at once with NumPy into a fixed-width byte array, or None when a time is
    negative or reaches 100 hours (no longer two-digit hours): the caller formats those.
    Tests compare it with the plain formatter (vtt._timing_lines_plain)."""
    if not starts or len(starts) != len(ends):
        return None
    import numpy as np

    try:
        times = np.array([starts, ends], np.int64)
    except OverflowError:  # beyond 64 bits: far beyond 100 hours
        return None
    if times.min() < 0 or times.max() >= 360_000_000:
        return None
    minutes, seconds = _vtt_tables()
    out = np.empty((len(starts), _FIXED_WIDTH + 1), np.uint8)
    out[:, 12:17] = np.frombuffer(b" --> ", np.uint8)
    out[:, _FIXED_WIDTH] = ord("\n")
    for offset, values in ((0, times[0]), (17, times[1])):
        minute, rest = np.divmod(values, 60_000)
        out[:, offset : offset + 6] = minutes[minute]  # "HH:MM:"
        out[:, offset + 6 : offset + 12] = seconds[rest]  # "SS.mmm"
    return out.tobytes().decode("ascii").split("\n")[:-1]


_VTT_TABLES: list = []  # NumPy tables of "HH:MM:" per minute and "SS.mmm" per ms of a minute


def _vtt_tables():  # -> (6000 x 6, 60000 x 6) uint8 arrays
    """Return the ASCII "HH:MM:" of each minute under 100 hours and "SS.mmm" of each ms of a
    minute, made once (~1 ms): a time is then written by one division and two table lookups
    instead of a division per digit."""
    if not _VTT_TABLES:
        import numpy as np

        def digits(values: np.ndarray, *places: int) -> list[np.ndarray]:
            return [values // place % 10 + 48 for place in places]

        colon, dot = np.full(6000, ord(":")), np.full(60_000, ord("."))
        h, m = np.divmod(np.arange(6000), 60)
        minutes = np.stack([*digits(h, 10, 1), colon, *digits(m, 10, 1), colon], axis=1)
        s, f = np.divmod(np.arange(60_000), 1000)
        seconds = np.stack([*digits(s, 10, 1), dot, *digits(f, 100, 10, 1)], axis=1)
        _VTT_TABLES.extend([minutes.astype(np.uint8), seconds.astype(np.uint8)])
    return _VTT_TABLES[0], _VTT_TABLES[1]
