"""Bytes to text and back: BOMs, encoding detection, newline style, atomic writes."""

from __future__ import annotations

import codecs
import os
import tempfile
import time
from collections.abc import Callable
from typing import BinaryIO

from editor.core.errors import EncodingError, LimitError, WriteError
from editor.core.model import SourceInfo
from editor.core.records import record

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_LINE_CHARS = 1024 * 1024
# Every reader stops at this many cues (the GUI and the undo stack are sized for it).
MAX_CUES = 1_000_000

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOM_OF = {name: bom for bom, name in _BOMS}
# Codecs that read (and write) their own BOM, and the explicit codec used in their place.
_SELF_MARKING = {"utf-16": "utf-16-le", "utf-32": "utf-32-le", "utf-8-sig": "utf-8"}


@record(slots=True)
class DecodedText:
    text: str  # newlines normalised to "\n"
    info: SourceInfo


def detect_newline(text: str) -> str:
    """Return the first newline style used in `text` ("\\r\\n", "\\r" or "\\n")."""
    i = text.find("\n")
    j = text.find("\r")
    if j == -1:
        return "\n"
    if i == j + 1:
        return "\r\n"
    if i == -1 or j < i:
        return "\r"
    return "\n"


def normalise_newlines(text: str) -> str:
    """Return `text` with "\\r\\n" and "\\r" newlines made "\\n"."""
    if "\r" not in text:  # the usual file: one scan instead of two replace() scans (~9 ms at 10 MB)
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, encoding: str | None = None, path: str | None = None) -> DecodedText:
    """Decode file bytes; returns text with "\\n" newlines and how it was stored.

    Order: an explicit `encoding`; else a BOM; else strict UTF-8; else
    charset-normalizer's best guess. Raises EncodingError (naming the line of the
    first bad byte where known) and LimitError for oversize input.
    """
    if len(data) > MAX_FILE_BYTES:
        raise LimitError(f"file is {len(data) // (1024 * 1024)} MB; the limit is 200 MB", None, path)
    bom = False
    if encoding is None:
        for mark, name in _BOMS:
            if data.startswith(mark):
                encoding, bom, data = name, True, data[len(mark) :]
                break
    else:
        encoding = _canonical_name(encoding, path)
        if encoding in _SELF_MARKING:
            # "utf-16", "utf-32" and "utf-8-sig" handle a BOM themselves, and Python's
            # "utf-16"/"utf-32" read BOM-less text in the machine's byte order. Pin the
            # byte order from the BOM (little-endian without one) so that SourceInfo says
            # exactly how to write the file back.
            encoding = next(
                (name for mark, name in _BOMS if data.startswith(mark) and name.startswith(encoding[:6])),
                _SELF_MARKING[encoding],
            )
        if encoding in _BOM_OF:
            mark = _BOM_OF[encoding]
            if data.startswith(mark):
                bom, data = True, data[len(mark) :]
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise EncodingError(
                f"not valid {encoding}: byte 0x{data[exc.start]:02x} at offset {exc.start}",
                _line_of_offset(data, exc.start),
                path,
            ) from None
    else:
        encoding, text = _guess(data, path)
    newline = detect_newline(text)
    text = normalise_newlines(text)
    _check_lines(text, path)
    return DecodedText(text, SourceInfo(path=path, encoding=encoding, bom=bom, newline=newline))


def _canonical_name(encoding: str, path: str | None) -> str:
    """Return Python's name for `encoding` ("UTF_16LE" -> "utf-16-le"); raises EncodingError."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise EncodingError(f"unknown encoding {encoding!r}", None, path) from None
    return name


def _looks_like_utf16(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    half = len(sample) // 2
    return max(zeros_even, zeros_odd) > 0.3 * half and min(zeros_even, zeros_odd) < 0.05 * half


def _looks_like_utf32(data: bytes) -> bool:
    sample = data[: 4096 - 4096 % 4]
    if len(sample) < 8:
        return False
    quarter = len(sample) // 4
    # Text below U+10000 has its two high bytes zero in every 4-byte unit: bytes 2 and 3
    # (LE) or 0 and 1 (BE). UTF-16 ASCII text has zeros at 1 and 3, never a pair.
    zeros = [sample[k::4].count(0) for k in range(4)]
    limit = 0.9 * quarter
    return (zeros[2] > limit and zeros[3] > limit) or (zeros[0] > limit and zeros[1] > limit)


def _guess(data: bytes, path: str | None) -> tuple[str, str]:
    # NUL bytes are valid UTF-8, so UTF-16/32 text of ASCII characters would decode
    # "successfully" into a string full of NULs: check the byte pattern first.
    if b"\x00" in data[:4096] and (_looks_like_utf32(data) or _looks_like_utf16(data)):
        width = "UTF-32" if _looks_like_utf32(data) else "UTF-16"
        raise EncodingError(
            f"looks like {width} without a byte-order mark; open it with an explicit encoding "
            f"({width.lower()}-le or {width.lower()}-be)",
            None,
            path,
        )
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is not None:
        # charset-normalizer often finds several code pages equally plausible (French
        # text scores the same in cp1250 and cp1252, and it lists cp1250 first, turning
        # "crêpes" into "crępes"). Among equal scores, take the code page most files use.
        ties = [m for m in matches if m.chaos == best.chaos and m.coherence == best.coherence]
        best = min(ties, key=_tie_key)
    if best is None or best.encoding is None:
        raise EncodingError(
            f"cannot tell the text encoding (first non-UTF-8 byte 0x{data[first_bad]:02x}); "
            "choose one explicitly",
            _line_of_offset(data, first_bad),
            path,
        )
    encoding = _preferred_name(best.encoding)
    try:
        return encoding, data.decode(encoding, errors="strict")
    except (UnicodeDecodeError, LookupError):
        # The superset we prefer (or the guess itself) still cannot take these bytes.
        raise EncodingError(
            f"cannot tell the text encoding (it is not {encoding}); choose one explicitly",
            _line_of_offset(data, first_bad),
            path,
        ) from None


# Tie-break order for legacy encodings that charset-normalizer scores equally: the
# code pages subtitle files are most often stored in come first.
_TIE_RANK = {
    name: rank
    for rank, name in enumerate(
        ("cp1252", "gb18030", "big5", "cp932", "shift_jis", "cp1251", "euc_kr", "cp1250", "iso8859-1")
    )
}


# The 8-bit code pages each written language is stored in, most used first. Tied guesses
# are broken by the language charset-normalizer hears in the decoded text: Hungarian text
# scores the same in cp1250 and cp1252, but only cp1250 gives it its ő and ű.
_CENTRAL = ("cp1250", "iso8859-2", "mac-latin2")
_WESTERN = ("cp1252", "iso8859-1", "iso8859-15", "mac-roman")
_BALTIC = ("cp1257", "iso8859-13", "iso8859-4")
_CYRILLIC = ("cp1251", "koi8-r", "koi8-u", "iso8859-5", "cp866", "mac-cyrillic")
_LANGUAGE_PAGES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("Hungarian", "Polish", "Czech", "Slovak", "Slovene", "Croatian", "Romanian", "Bosnian", "Albanian"),
        _CENTRAL,
    ),
    **dict.fromkeys(
        (
            "English",
            "French",
            "German",
            "Spanish",
            "Italian",
            "Portuguese",
            "Dutch",
            "Danish",
            "Swedish",
            "Norwegian",
            "Finnish",
            "Catalan",
            "Indonesian",
            "Malay",
            "Icelandic",
            "Galician",
            "Basque",
            "Irish",
            "Afrikaans",
        ),
        _WESTERN,
    ),
    **dict.fromkeys(("Lithuanian", "Latvian", "Estonian"), _BALTIC),
    **dict.fromkeys(
        ("Russian", "Ukrainian", "Bulgarian", "Serbian", "Macedonian", "Belarusian", "Kazakh"), _CYRILLIC
    ),
    "Greek": ("cp1253", "iso8859-7"),
    "Turkish": ("cp1254", "iso8859-9"),
    "Hebrew": ("cp1255", "iso8859-8"),
    "Arabic": ("cp1256", "iso8859-6"),
    "Persian": ("cp1256",),
    "Vietnamese": ("cp1258",),
    "Thai": ("cp874", "tis-620"),
}


def _tie_key(match: object) -> tuple[int, int]:
    """Sort key among equally scored guesses: a code page of the text's language first, in
    that language's order of use; then the general rank of subtitle code pages."""
    name = _preferred_name(match.encoding)  # type: ignore[attr-defined]
    pages = _LANGUAGE_PAGES.get(getattr(match, "language", "") or "", ())
    by_language = pages.index(name) if name in pages else len(pages) + 1
    return by_language, _TIE_RANK.get(name, len(_TIE_RANK))


def _preferred_name(name: str) -> str:
    """Map charset-normalizer's names onto the supersets editors should write back."""
    name = codecs.lookup(name).name
    # GB2312 and GBK text is valid GB18030; decoding with the superset never loses a character.
    return {"gb2312": "gb18030", "gbk": "gb18030"}.get(name, name)


def _check_lines(text: str, path: str | None) -> None:
    if len(text) <= MAX_LINE_CHARS:
        return
    # Jump from the last newline of each window of MAX_LINE_CHARS + 1 characters: a window with
    # no newline holds a line over the limit (lines are counted only then).
    start = 0
    n = len(text)
    while n - start > MAX_LINE_CHARS:
        last = text.rfind("\n", start, start + MAX_LINE_CHARS + 1)
        if last < 0:
            end = text.find("\n", start)
            end = n if end < 0 else end
            line = text.count("\n", 0, start) + 1
            raise LimitError(
                f"line is {end - start:,} characters long; the limit is 1 MB per line", line, path
            )
        start = last + 1


# The largest piece split_lines splits at once (characters).
SPLIT_SLICE = 1 << 18


def split_lines(text: str, slice_chars: int = SPLIT_SLICE) -> list[str]:
    """Return `text.split("\\n")`, splitting a slice of about `slice_chars` at a time.

    One split of a 6 MB file holds the GIL for ~40 ms while it builds 500k strings, and
    the GUI thread cannot run meanwhile (readers run on a worker); between slices the
    interpreter can switch threads. Same result, same speed.
    """
    if len(text) <= slice_chars:
        return text.split("\n")
    out: list[str] = []
    start = 0
    while True:
        end = text.find("\n", start + slice_chars)
        if end < 0:
            out.extend(text[start:].split("\n"))
            return out
        out.extend(text[start:end].split("\n"))
        start = end + 1


def too_many_cues(line: int | None = None) -> LimitError:
    """Return the error a reader raises on its (MAX_CUES + 1)th cue, found at `line`."""
    return LimitError(f"more than {MAX_CUES:,} cues; the limit is {MAX_CUES:,} per file", line)


def read(path: str | os.PathLike[str], encoding: str | None = None) -> DecodedText:
    """Read and decode a file. Raises ParseError subclasses (never OSError for bad input).

    OSError (missing file, permission) is raised as EncodingError's sibling ParseError
    so front ends have one thing to catch.
    """
    from editor.core.errors import ParseError

    p = os.fspath(path)
    try:
        size = os.path.getsize(p)
        if size > MAX_FILE_BYTES:
            raise LimitError(f"file is {size // (1024 * 1024)} MB; the limit is 200 MB", None, p)
        with open(p, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise ParseError(exc.strerror or str(exc), None, p) from None
    return decode(data, encoding, p)


def encode(text: str, info: SourceInfo) -> bytes:
    """Encode "\\n"-newline text with the newline style, encoding and BOM of `info`.

    Raises WriteError when a character cannot be stored in the encoding.
    """
    if info.newline != "\n":
        text = text.replace("\n", info.newline)
    encoding = info.encoding or "utf-8"
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end]
        raise WriteError(
            info.path or "<output>", f"{bad!r} cannot be written in {encoding}; choose UTF-8"
        ) from None
    except LookupError:
        raise WriteError(info.path or "<output>", f"unknown encoding {encoding!r}") from None
    if info.bom:
        key = codecs.lookup(encoding).name.replace("_", "-")
        key = {"utf-16": "utf-16-le", "utf-32": "utf-32-le"}.get(key, key)
        mark = _BOM_OF.get(key, b"")
        # Python's plain "utf-16"/"utf-32" codecs already write a BOM.
        if mark and not data.startswith(mark):
            data = mark + data
    return data


def atomic_write(path: str | os.PathLike[str], text: str, info: SourceInfo | None = None) -> None:
    """Write `text` to `path` so that the file is always either the old or the new one.

    Encodes first (an unencodable text never touches the disk), writes a temporary
    file in the same folder, fsyncs it and renames it over the target.
    Raises WriteError; the old file is then untouched.
    """
    p = os.fspath(path)
    data = encode(text, info or SourceInfo(path=p))
    write_bytes_atomic(p, data)


def current_umask() -> int:
    """Return the process's file mode creation mask (022 on most desktops)."""
    try:  # Linux ≥ 4.7 reports it without changing it
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    # Elsewhere the only way to read it is to set it and put it back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(path: str) -> int:
    """The mode the written file gets: an existing file keeps its own; a new file gets what
    open() would have given it (0666 less the umask), not mkstemp's private 0600."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return 0o666 & ~current_umask()


def write_bytes_atomic(path: str, data: bytes, *, mode: int | None = None) -> None:
    """Atomically replace `path` with `data` (see atomic_write, write_atomic). Raises WriteError."""
    write_atomic(path, lambda fh: fh.write(data), mode=mode)


def write_atomic(path: str, write: Callable[[BinaryIO], object], *, mode: int | None = None) -> None:
    """Atomically replace `path` with what `write` writes into the binary file it is given (a
    pickle, an .npz streamed without a copy in memory): a temporary file beside `path`, flushed
    and fsynced, then renamed over it. The project's one atomic writer (write_bytes_atomic and
    atomic_write go through it).

    `mode`: the file's permission bits; by default an existing file keeps its own and a new one
    gets what open() would give it (0666 less the umask). Raises WriteError (naming `path`) for
    a failure of the disk; an exception of `write` itself propagates. Either way the old file is
    untouched and the temporary file removed.
    """
    folder = os.path.dirname(os.path.abspath(path))
    tmp_name = None
    try:
        prefix = f".~{os.path.basename(path)}."
        fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if os.name != "nt":  # (Windows has no mode bits beyond read-only)
            try:
                os.chmod(tmp_name, _mode_for(path) if mode is None else mode)
            except OSError:
                pass
        os.replace(tmp_name, path)
        tmp_name = None
        _fsync_dir(folder)
        _remove_stale_temporaries(folder, prefix)
    except OSError as exc:
        raise WriteError(path, exc.strerror or str(exc)) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


STALE_TEMPORARY_S = 600  # older than any write in progress: left by a process that was killed


def _remove_stale_temporaries(folder: str, prefix: str) -> None:
    """Delete this file's temporaries that a killed writer left behind (best effort)."""
    limit = time.time() - STALE_TEMPORARY_S
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
            try:
                if entry.stat().st_mtime < limit:
                    os.unlink(entry.path)
            except OSError:
                pass


def _fsync_dir(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def breaks_in_texts(joined: str) -> bool:
    """Return True when one of the texts `joined` by NUL holds an empty line, or starts or ends
    (before the last) with a newline: "\\n\\n", "\\0\\n" or "\\n\\0" in `joined`."""
    return "\n\n" in joined or "\0\n" in joined or "\n\0" in joined


def breaks_in_texts_bulk(joined: str) -> bool:
    """Return `breaks_in_texts(joined)` from one NumPy pass over the text's units (a newline after
    a newline or NUL, or before one) instead of three substring scans, each slowed by the
    newlines it keeps matching halfway: half the time on a 100k-cue text. Tests compare them."""
    import numpy as np

    # 16-bit units when no character is beyond the BMP (a surrogate pair cannot hold 10 or 0).
    units = np.frombuffer(joined.encode("utf-16-le", "surrogatepass"), np.uint16)
    newline = units == 10
    ends = newline | (units == 0)
    return bool((newline[1:] & ends[:-1]).any() or (ends[1:] & newline[:-1]).any())
