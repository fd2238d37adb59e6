"""WebVTT read/write speed and memory: our reader/writer next to bare webvtt-py and Gaupol's aeidon.

Run: `python benchmarks/bench_vtt.py [--sizes 1000,10000,100000] [--repeat 3]`.
Prints one table (best of `--repeat` runs, seconds) and the memory kept per cue.
Targets at 100k cues: read <= 2.0 s, write <= 0.7 s, <= 600 bytes kept per cue.

"ours" reads from a string (`FORMAT.read`: the W3C file parser, the cue text parser, the
Document); "load" adds reading and decoding the file (`documents.load`). "webvtt-py" is the bare
library on a file (`webvtt.read`) and on a buffer (`webvtt.from_buffer`): it does not parse cue
text at all (no entities, no voices), so it does less work than ours. "webvtt-py+cuetext" is
the adapter design that was measured and rejected: webvtt-py parses, then each caption's raw
text goes through our cue text parser, which is what the editor would need.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import webvtt

from editor.core import documents
from editor.core.formats.vtt import FORMAT
from editor.core.formats.vtt_cuetext import to_canonical
from editor.core.timecode import format_vtt

_NAMES = ("Anna", "Bob", "李雷", "Dr. Who", "韩梅梅")
_ENGLISH = (
    "Hello there, how are you today?",
    "I think <i>this</i> is &lt; that &amp; more &gt;",
    "We don't belong in this place.",
    "Fish &amp; chips, 3 &lt; 4 &gt; 2",
    "Where did you put the <b>keys</b>?",
)
_CHINESE = ("你好，世界。", "我们今天去公园吧！", "这是第二行字幕", "他说：“别走。”")


def make_vtt(cues: int, seed: int = 1) -> str:
    """Return WebVTT text with `cues` cues: English/Chinese, `<v>` speakers, `&lt; &amp; &gt;`, ids."""
    rnd = random.Random(seed)
    out = ["WEBVTT", ""]
    t = 0
    for i in range(1, cues + 1):
        start = t
        end = t + rnd.randint(800, 4000)
        t = end + rnd.randint(0, 500)
        line = rnd.choice(_ENGLISH if rnd.random() < 0.6 else _CHINESE)
        if rnd.random() < 0.8:
            line = f"<v {rnd.choice(_NAMES)}>{line}"
        body = line + ("\n" + rnd.choice(_CHINESE) if rnd.random() < 0.5 else "")
        if i % 2:
            out.append(str(i))
        out.append(f"{format_vtt(start)} --> {format_vtt(end)}")
        out.append(body)
        out.append("")
    return "\n".join(out)


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _webvtt_cuetext_read(text: str) -> list[tuple[str, str | None]]:
    captions = webvtt.from_buffer(io.StringIO(text))
    return [to_canonical(c.raw_text) for c in captions]


def _aeidon_available() -> bool:
    try:
        import aeidon  # noqa: F401
    except Exception:
        return False
    return True


def _aeidon_read(path: str) -> list[object]:
    import aeidon

    return aeidon.files.new(aeidon.formats.WEBVTT, path, "utf_8").read()


def _aeidon_write(subtitles: list[object], path: str) -> None:
    import aeidon

    aeidon.files.new(aeidon.formats.WEBVTT, path, "utf_8").write(subtitles, aeidon.documents.MAIN)


def memory_per_cue(text: str) -> tuple[float, float]:
    """Return (bytes kept alive by the Document, peak bytes during the read), both per cue."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    doc = FORMAT.read(text)
    gc.collect()
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n = max(1, len(doc.cues))
    return (after - before) / n, (peak - before) / n


CONFORMANCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "conformance")


def _file_case_ok(cues: list[tuple[str, int, int, str]] | None, exp: dict) -> bool:
    """Compare (id, start_ms, end_ms, raw text) tuples with a corpus expectation (None = rejected)."""
    if not exp["valid"]:
        return cues is None
    if cues is None or len(cues) != len(exp["cues"]):
        return False
    for (cue_id, start, end, text), want in zip(cues, exp["cues"], strict=True):
        if "id" in want and cue_id != want["id"]:
            return False
        if "text" in want and text != want["text"]:
            return False
        if "start" in want and start != round(want["start"] * 1000):
            return False
        if "end" in want and end != round(want["end"] * 1000):
            return False
    return True


def _webvtt_py_cues(path: str) -> list[tuple[str, int, int, str]] | None:
    try:
        captions = webvtt.read(path)
    except Exception:  # webvtt-py signals a rejected file with its own exception types
        return None
    return [
        (c.identifier or "", c.start_time.in_milliseconds(), c.end_time.in_milliseconds(), c.raw_text)
        for c in captions
    ]


def _our_cues(path: str) -> list[tuple[str, int, int, str]] | None:
    from editor.core import textio
    from editor.core.errors import ParseError
    from editor.core.formats.vtt import parse_vtt

    try:
        parsed = parse_vtt(textio.read(path).text)
    except ParseError:
        return None
    return [(c.id, c.start_ms, c.end_ms, c.text) for c in parsed.cues]


def conformance() -> dict[str, tuple[int, int]] | None:
    """Return {reader: (passed, total)} on the corpus (file cases: count/id/text/timing/validity;
    cue text: plain rendering vs text_content). None when the corpus is absent."""
    import glob
    import json

    from editor.core.formats.vtt_cuetext import parse_cue_text, text_content

    files = sorted(glob.glob(os.path.join(CONFORMANCE, "webvtt", "*.vtt")))
    cases_path = os.path.join(CONFORMANCE, "webvtt-cuetext", "cases.json")
    if not files or not os.path.isfile(cases_path):
        return None
    expected = {p: json.load(open(p[:-4] + ".expected.json", encoding="utf-8")) for p in files}
    cases = json.load(open(cases_path, encoding="utf-8"))
    result = {
        "webvtt-py files": (sum(_file_case_ok(_webvtt_py_cues(p), expected[p]) for p in files), len(files)),
        "ours files": (sum(_file_case_ok(_our_cues(p), expected[p]) for p in files), len(files)),
    }
    py_text = 0
    for case in cases:
        try:
            captions = webvtt.from_buffer(io.StringIO(case["vtt_file"]))
            py_text += bool(captions) and captions[0].text == case["text_content"]
        except Exception:
            pass
    ours = sum(text_content(parse_cue_text(c["cue_text"])) == c["text_content"] for c in cases)
    result["webvtt-py cue text"] = (py_text, len(cases))
    result["ours cue text"] = (ours, len(cases))
    return result


def run(sizes: list[int], repeat: int) -> list[dict[str, object]]:
    """Measure every size; returns one row per size (seconds, bytes/cue)."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            text = make_vtt(n)
            path = os.path.join(tmp, f"{n}.vtt")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            row: dict[str, object] = {"cues": n, "MB": len(text.encode()) / 1e6}
            # Ours first, with nothing else alive: other libraries' objects would make every
            # garbage-collector pass slower and bill it to whoever runs next.
            row["read"] = _best(lambda text=text: FORMAT.read(text), repeat)
            row["load"] = _best(lambda path=path: documents.load(path), repeat)
            doc = FORMAT.read(text)
            row["write"] = _best(lambda doc=doc: FORMAT.write(doc), repeat)
            del doc
            row["kept B/cue"], row["peak B/cue"] = memory_per_cue(text)
            row["webvtt-py read"] = _best(lambda path=path: webvtt.read(path), repeat)
            row["webvtt-py buffer"] = _best(lambda text=text: webvtt.from_buffer(io.StringIO(text)), repeat)
            row["webvtt-py+cuetext"] = _best(lambda text=text: _webvtt_cuetext_read(text), repeat)
            captions = webvtt.read(path)
            row["webvtt-py write"] = _best(lambda captions=captions: captions.content, repeat)
            del captions
            if _aeidon_available():
                subtitles = _aeidon_read(path)
                out = os.path.join(tmp, f"{n}.out.vtt")
                row["aeidon read"] = _best(lambda path=path: _aeidon_read(path), repeat)
                row["aeidon write"] = _best(
                    lambda subtitles=subtitles, out=out: _aeidon_write(subtitles, out), repeat
                )
                del subtitles
            rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    results = conformance()
    if results is None:
        print("conformance corpus absent: skipping the correctness comparison")
    else:
        print("conformance (passed/total):")
        for name, (passed, total) in results.items():
            print(f"  {name:>18}: {passed}/{total}")
    rows = run([int(x) for x in args.sizes.split(",")], args.repeat)
    columns = list(rows[0])
    for row in rows:
        print(f"--- {row['cues']} cues")
        for c in columns[1:]:
            v = row.get(c, "-")
            print(f"  {c:>18}: {v:10.3f}" if isinstance(v, float) else f"  {c:>18}: {v!s:>10}")
    print("targets at 100k cues: read <= 2.000 s, write <= 0.700 s, <= 600 bytes/cue kept")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
