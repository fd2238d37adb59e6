"""Score the length alignment on real and built bilingual material, in process.

Run: `python benchmarks/eval_alignment.py [--pairs=1,2] [--variants] [-v]`. Uses the scorer of
../shared/bilingual/check.py (same rules) on the pairs there and on variants built from them
here (re-punctuated, unpunctuated, with extra turns at the edges, with English cues dropped
from the translation). Prints exact/overlap per task and the total.
"""

from __future__ import annotations

import importlib.util
import json
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from editor.core import alignment, documents  # noqa: E402
from editor.core.model import Document, Timing  # noqa: E402

SHARED = ROOT.parent / "shared" / "bilingual"


def load_checker():
    spec = importlib.util.spec_from_file_location("bilingual_check", SHARED / "check.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def cues_json(doc: Document) -> list[dict]:
    return [
        {
            "id": c.id,
            "plain": c.text,
            "text": c.text,
            "translation": c.translation,
            "speaker": doc.speaker_name(c.speaker_id),
        }
        for c in doc.cues
    ]


def text_doc(paragraphs: list[str]) -> Document:
    doc = Document()
    for p in paragraphs:
        doc.append(doc.new_cue(0, 0, p, timing=Timing.ESTIMATED))
    return doc


def run(chk, truth, src: Document, tr: Document, params=None) -> dict:
    from editor.core import edits

    src = src.clone()
    t0 = time.perf_counter()
    plan = alignment.align(src, tr, carry_speakers=True, method="length", params=params)
    dt = time.perf_counter() - t0
    edits.apply(src, alignment.attach_edit(src, plan))
    s = chk.score_pair(truth, cues_json(src), verbose="-v" in sys.argv)
    s["time"] = dt
    return s


def _paragraphs(texts: list[str], joiner) -> list[str]:
    """Group Chinese cue texts into paragraphs of five, joined by `joiner(previous, next)`."""
    res, cur = [], ""
    for i, t in enumerate(texts):
        cur = t if not cur else cur + joiner(cur, t) + t
        if (i + 1) % 5 == 0:
            res.append(cur)
            cur = ""
    if cur:
        res.append(cur)
    return res


_STRIP = "，。！？；、,.!?;"
_OTHER = (
    "大家好，欢迎回到我们的节目。今天我们请到了几位嘉宾，先请他们做个自我介绍。",
    "在开始之前，感谢本期节目的赞助商，他们的支持让我们能够继续制作。",
    "好的，今天就到这里。感谢收看，如果喜欢请订阅我们的频道，我们下期再见。",
    "以上内容由志愿者翻译，如有错误欢迎指正。",
)


def variants(data: dict) -> list[tuple[str, dict, list[str]]]:
    """Return (name, truth data, translation paragraphs) built from a pair's truth.

    unpunct: cue-final punctuation removed, cues joined by spaces (subtitle style);
    punct: re-punctuated (a comma after each cue, a full stop after every third);
    lines: one Chinese cue per line, five to a paragraph, no punctuation at line ends;
    edges: unrelated paragraphs added before and after (they must be left over);
    dropped: the Chinese of a stretch of English cues removed (those cues must stay empty).
    """
    items = data["zh_items"]
    bare = [it["text"].strip().rstrip(_STRIP) for it in items]
    out: list[tuple[str, dict, list[str]]] = []
    out.append(("unpunct", data, _paragraphs(bare, lambda a, b: " ")))
    punct = [t + ("。" if i % 3 == 2 else "，") for i, t in enumerate(bare)]
    out.append(("punct", data, _paragraphs(punct, lambda a, b: "")))
    out.append(("lines", data, _paragraphs(bare, lambda a, b: "\n")))
    plain = [it["text"] for it in items]
    base = _paragraphs(plain, lambda a, b: "" if a[-1] in _STRIP else " ")
    out.append(("edges", data, [_OTHER[0], _OTHER[1], *base, _OTHER[2], _OTHER[3]]))
    # Drop the Chinese of the beads in the middle fifth (at least three beads).
    beads = data["beads"]
    k0, k1 = len(beads) * 2 // 5, max(len(beads) * 2 // 5 + 3, len(beads) * 3 // 5)
    dropped_beads = set(range(k0, k1))
    d2 = dict(data)
    d2["beads"] = [dict(b, zh="") if k in dropped_beads else b for k, b in enumerate(beads)]
    d2["zh_items"] = [it for it in items if it["bead"] not in dropped_beads]
    kept = [it["text"] for it in d2["zh_items"]]
    out.append(("dropped", d2, _paragraphs(kept, lambda a, b: "" if a[-1] in _STRIP else " ")))
    return out


def main() -> int:
    chk = load_checker()
    pairs = chk.PAIRS
    for a in sys.argv:
        if a.startswith("--pairs="):
            pairs = tuple(int(x) for x in a.split("=", 1)[1].split(","))
    params = alignment.LengthParams()
    import ast
    from dataclasses import replace

    for a in sys.argv:
        if a.startswith("--set="):
            for kv in a.split("=", 1)[1].split(";"):
                k, v = kv.split(":", 1)
                params = replace(params, **{k: ast.literal_eval(v)})
    totals: dict[str, list] = {}
    rows = []
    for n in pairs:
        data = json.loads((SHARED / f"truth_{n}.json").read_text(encoding="utf-8"))
        src = documents.load(SHARED / f"en_{n}.srt")
        tr = alignment.read_translation(SHARED / f"zh_{n}.txt")
        tasks = [("shared", data, tr)]
        if "--variants" in sys.argv:
            tasks += [(k, d, text_doc(v)) for k, d, v in variants(data)]
        for name, d, t in tasks:
            s = run(chk, chk.Truth(d), src, t, params)
            rows.append((n, name, s))
            print(
                f"pair {n} {name:8s}: exact {s['exact']}/{s['cues']} ({100 * s['exact'] / s['cues']:.0f}%), "
                f"overlap {s['overlap']:.2f}, has {s['has_text']}/{s['should_have']}, "
                f"leftover right {s['leftover_right']}/{s['sentences']}, {s['time'] * 1000:.0f} ms"
            )
            if "-v" in sys.argv:
                for line in s["wrong"]:
                    print(line)
            agg = totals.setdefault(name, [0, 0, 0.0])
            agg[0] += s["cues"]
            agg[1] += s["exact"]
            agg[2] += s["overlap"] * s["cues"]
    for name, (c, e, f) in totals.items():
        print(f"TOTAL {name}: exact {e}/{c} ({100 * e / c:.1f}%), overlap {f / c:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
