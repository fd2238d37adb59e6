"""The NumPy readers and writer of fixed-width timing lines (timecode.fixed_timing_ms,
timecode.fixed_vtt_timing_lines) against the plain ones they stand in for (srt._timing_ms,
lint_fast._times' line-by-line reading, vtt._timing_lines_plain, timecode.format_vtt): generated
times, damaged lines, hours over 99, negative times, and the times of the conformance and
real-world files."""

from __future__ import annotations

import random
import re

from editor.core import lint_fast, textio, timecode
from editor.core.formats import srt, vtt
from tests.support import fuzz

_MS_100H = 360_000_000


def _times(rnd: random.Random, n: int, top: int = _MS_100H - 1) -> list[int]:
    edges = [0, 1, 999, 1000, 59_999, 60_000, 3_599_999, 3_600_000, top]
    return [rnd.choice(edges) if rnd.random() < 0.2 else rnd.randint(0, top) for _ in range(n)]


def _corpus_times() -> list[tuple[list[int], list[int]]]:
    """The cue times of every SubRip and WebVTT file of the conformance and real-world corpora."""
    out = []
    folders = [fuzz.CONFORMANCE / "srt", fuzz.CONFORMANCE / "webvtt", fuzz.REALWORLD]
    for folder in folders:
        for path in sorted([*folder.glob("*.srt"), *folder.glob("*.vtt")]):
            text = textio.decode(path.read_bytes()).text
            fmt = srt.FORMAT if path.suffix == ".srt" else vtt.FORMAT
            try:
                doc = fmt.read(text)
            except Exception:  # a file that holds no cue: nothing to compare
                continue
            out.append(([c.start_ms for c in doc.cues], [c.end_ms for c in doc.cues]))
    return out


def test_fixed_writer_writes_what_the_plain_writer_writes() -> None:
    rnd = random.Random(6)
    cases = [(_times(rnd, n), _times(rnd, n)) for n in (1, 2, 7, 500, 5000)]
    corpus = [(s, e) for s, e in _corpus_times() if s and min(s + e) >= 0]
    cases += [(s, e) for s, e in corpus if max(s + e) < _MS_100H]
    assert len(cases) > 50
    for starts, ends in cases:
        fixed = timecode.fixed_vtt_timing_lines(starts, ends)
        plain = vtt._timing_lines_plain(starts, ends)
        assert fixed == plain
        pairs = zip(starts, ends, strict=True)
        assert fixed == [f"{timecode.format_vtt(s)} --> {timecode.format_vtt(e)}" for s, e in pairs]
    # Files with times of 100 hours or more: written one by one, as before.
    long_files = [(s, e) for s, e in corpus if max(s + e) >= _MS_100H]
    for starts, ends in long_files:
        assert timecode.fixed_vtt_timing_lines(starts, ends) is None
        assert vtt._timing_lines(starts, ends) == vtt._timing_lines_plain(starts, ends)


def test_fixed_writer_leaves_hours_over_99_and_negative_times_to_the_plain_writer() -> None:
    assert timecode.fixed_vtt_timing_lines([], []) is None
    assert timecode.fixed_vtt_timing_lines([0, 2**70], [1, 2]) is None  # beyond 64 bits
    assert timecode.fixed_vtt_timing_lines([0, _MS_100H], [1, _MS_100H + 5]) is None
    assert timecode.fixed_vtt_timing_lines([0], [_MS_100H]) is None
    assert timecode.fixed_vtt_timing_lines([-1], [5]) is None
    assert timecode.fixed_vtt_timing_lines([1], [2, 3]) is None
    # The writer then formats them one by one, three-digit hours included.
    starts, ends = [5, _MS_100H + 61_001], [_MS_100H, 999 * 3_600_000]
    lines = vtt._timing_lines(starts, ends)
    assert lines == vtt._timing_lines_plain(starts, ends)
    assert lines[1] == "100:01:01.001 --> 999:00:00.000"


def test_fixed_reader_reads_what_the_plain_readers_read() -> None:
    rnd = random.Random(7)
    cases = [(_times(rnd, n), _times(rnd, n)) for n in (1, 3, 400, 4000)]
    cases += [(s, e) for s, e in _corpus_times() if s and min(s + e) >= 0 and max(s + e) < _MS_100H]
    for starts, ends in cases:
        k = len(starts)
        lines = vtt._timing_lines_plain(starts, ends)
        joined_vtt = "\n".join(lines)
        joined_srt = joined_vtt.replace(".", ",")
        assert timecode.fixed_timing_ms(joined_vtt, k, ".") == (starts, ends)
        assert timecode.fixed_timing_ms(joined_srt, k, ",") == (starts, ends) == srt._timing_ms(joined_srt)
        assert lint_fast._times(joined_vtt, k) == (starts, ends)
        # The line-by-line reading of lint_fast (settings after the times take it there).
        with_settings = "\n".join(line + " align:start" for line in lines)
        assert lint_fast._times(with_settings, k) == (starts, ends)


def test_fixed_reader_refuses_every_line_that_is_not_exactly_the_fixed_shape() -> None:
    good = "00:01:02.345 --> 01:59:59.999"
    assert timecode.fixed_timing_ms(good, 1, ".") == ([62_345], [7_199_999])
    assert timecode.fixed_timing_ms(good, 1, ",") is None  # the other separator
    assert timecode.fixed_timing_ms(good, 2, ".") is None  # the count does not fit the length
    assert timecode.fixed_timing_ms("", 0, ".") is None
    bad = []
    for pos, ch in enumerate(good):
        for repl in ("x", "/", ":", ";", " ", "\n", "\0", "5", "6", "9", "-", "é"):
            if repl != ch:
                bad.append(good[:pos] + repl + good[pos + 1 :])
    bad += [
        "100:01:02.345 --> 01:59:59.99",  # three-digit hours, same length
        "00:60:02.345 --> 01:59:59.999",
        "00:01:60.345 --> 01:59:59.999",
        "-0:01:02.345 --> 01:59:59.999",
        "00:01:02.345 -> 001:59:59.999",
        "٠٠:01:02.345 --> 01:59:59.999",  # digits, but not ASCII ones
    ]
    time_re = r"[0-9]{2}:[0-5][0-9]:[0-5][0-9]\.[0-9]{3}"
    plain_reading = re.compile(f"{time_re} --> {time_re}")
    refused = 0
    for line in bad:
        for joined in (line, f"{good}\n{line}", f"{line}\n{good}"):
            got = timecode.fixed_timing_ms(joined, joined.count("\n") + 1, ".")
            lines = joined.split("\n")
            if all(plain_reading.fullmatch(x) for x in lines):
                # Still the fixed shape (a digit for a digit): read as the plain reader reads it.
                assert got == srt._timing_ms(joined.replace(".", ","))
            else:
                assert got is None, joined
                refused += 1
    assert refused > 500
    # The same lines as rows of 16- and 32-bit code points (how the SubRip reader's NumPy pass
    # hands them over, non-ASCII characters included) are read or refused alike.
    import numpy as np

    for line in [good, *bad]:
        if len(line) != len(good) or "\n" in line:
            continue
        want = timecode.fixed_timing_ms(line, 1, ".")
        for dtype, codec in ((np.uint16, "utf-16-le"), (np.uint32, "utf-32-le")):
            rows = np.frombuffer(line.encode(codec), dtype).reshape(1, -1)
            assert timecode.fixed_rows_ms(rows, ".") == want, line


def test_a_short_file_is_read_and_written_without_importing_numpy(tmp_path) -> None:
    # NumPy's import (~0.1 s) would be most of a 1k-cue file's read, and that read runs while the
    # window is built at launch: below timecode.NUMPY_MIN_LINES it is used only when loaded already.
    import subprocess
    import sys

    lines = []
    for i in range(1000):
        start = i * 3000
        lines.append(
            f"{i + 1}\n{timecode.format_srt(start)} --> {timecode.format_srt(start + 2000)}\nLine {i}\n"
        )
    source = tmp_path / "short.srt"
    source.write_text("\n".join(lines), encoding="utf-8")
    probe = (
        "import sys\n"
        "from editor.core import documents, lint\n"
        "from editor.core.formats import vtt\n"
        f"doc = documents.load({str(source)!r})\n"
        "text = vtt.FORMAT.write(doc)\n"
        "assert len(doc.cues) == 1000 and text.count('-->') == 1000\n"
        "print('numpy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert timecode.numpy_pays(timecode.NUMPY_MIN_LINES)
