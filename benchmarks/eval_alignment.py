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


def variants(data: dict) -> dict[str, list[str]]:
    """Return translations built from the truth's Chinese cues, in paragraphs as the
    shared tasks are built, under other conventions."""
    items = [it for it in data["zh_items"]]
    out: dict[str, list[str]] = {}

    def paras(texts: list[str], sep_fn) -> list[str]:
        res, cur = [], ""
        for i, t in enumerate(texts):
            cur = t if not cur else cur + sep_fn(cur) + t
            if (i + 1) % 5 == 0:
                res.append(cur)
                cur = ""
        if cur:
            res.append(cur)
        return res

    strip = "，。！？；、,.!?;"
    bare = [it["text"].strip().rstrip(strip) for it in items]
    out["unpunct"] = paras(bare, lambda cur: " ")
    out["punct"] = paras([t + ("。" if (i % 3 == 2) else "，") for i, t in enumerate(bare)], lambda cur: "")
    out["lines"] = ["\n".join(bare[i : i + 5]) for i in range(0, len(bare), 5)]
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
    tot_c = tot_e = 0
    f1 = 0.0
    rows = []
    for n in pairs:
        data = json.loads((SHARED / f"truth_{n}.json").read_text(encoding="utf-8"))
        truth = chk.Truth(data)
        src = documents.load(SHARED / f"en_{n}.srt")
        tr = alignment.read_translation(SHARED / f"zh_{n}.txt")
        tasks = [("shared", tr)]
        if "--variants" in sys.argv:
            tasks += [(k, text_doc(v)) for k, v in variants(data).items()]
        for name, t in tasks:
            s = run(chk, truth, src, t, params)
            rows.append((n, name, s))
            print(
                f"pair {n} {name:8s}: exact {s['exact']}/{s['cues']} ({100 * s['exact'] / s['cues']:.0f}%), "
                f"overlap {s['overlap']:.2f}, has {s['has_text']}/{s['should_have']}, "
                f"leftover right {s['leftover_right']}/{s['sentences']}, {s['time'] * 1000:.0f} ms"
            )
            if "-v" in sys.argv:
                for line in s["wrong"]:
                    print(line)
            if name == "shared":
                tot_c += s["cues"]
                tot_e += s["exact"]
                f1 += s["overlap"] * s["cues"]
    if tot_c:
        print(f"TOTAL shared: exact {tot_e}/{tot_c} ({100 * tot_e / tot_c:.1f}%), overlap {f1 / tot_c:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
