"""Attach a translation document to a source document's cues.

Two methods, chosen from the timing of the two documents:

* **time** — both documents have exact timing: each translation cue goes to the source
  cues it overlaps; a translation cue spanning several source cues is split across them
  at punctuation in proportion to the overlap, several translation cues over one source
  cue are joined.
* **length** — the translation has no meaningful times (plain or speaker-labelled text,
  or cues whose timing was only estimated): a Gale–Church style dynamic programme on
  lengths, where a CJK character weighs about 3.5 Latin characters. Subtitle cues are
  shorter than sentences, so match types run from 1–1 up to 5 cues per 1–2 sentences
  and 3–4 cues per 3 sentences; gaps on both sides are affine, and the translation side
  has a second, "long" gap kind (two-piece affine, dear to open, nearly free to extend)
  so that a translation of a whole interview against a transcript of its first minutes
  and its last line costs little however much is skipped. Cheap anchors pin the path:
  numbers, Latin-script tokens and names shared by a cue and a sentence (weighted by
  rarity) give a bonus and translation tokens the cue lacks a cost; a speaker turn in
  the translation should start where a source sentence starts; gaps that start and end
  at turn boundaries cost less. Pass 1 aligns to whole sentences and decides what is
  matched and what is left over; pass 2 re-cuts long sentences at clause marks and
  realigns inside a narrow band around pass 1 to place the cuts between cues. Large
  inputs run in a band around a coarse (blocked) alignment; the DP works a row at a time
  on numpy arrays.

`align` returns an `AlignmentPlan` (nothing is changed); `attach_edit` turns a plan into
one undoable edit.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

import numpy as np

from editor.core import edits
from editor.core.errors import LimitError
from editor.core.language import char_script, detect_texts, script_of
from editor.core.model import SPEAKER_COLORS, Document, Review, Speaker, Timing
from editor.core.script import CJK_LETTER_RE, plain_text
from editor.core.speakers import label_key

CJK_WEIGHT = 3.5  # a CJK character carries about as much text as 3–4 Latin characters


# ----------------------------------------------------------------------------------------
# Plan


@dataclass
class LeftoverRun:
    """A run of consecutive translation sentences that matched no source cue.

    `first`/`last` are sentence numbers (0-based, translation order), `rows` the
    translation document's cue rows they came from, `after_cue` the id of the last
    source cue before the run (None when it comes before every matched cue).
    """

    first: int
    last: int
    rows: tuple[int, int]
    after_cue: int | None
    preview: str

    @property
    def sentences(self) -> int:
        return self.last - self.first + 1


@dataclass
class AlignmentPlan:
    """What attaching a translation would do; applying it is `attach_edit`.

    `pairs` maps source cue id → translation text, `speakers` source cue id → speaker
    name (only when speakers are carried over).
    """

    method: str  # "time" or "length"
    pairs: dict[int, str] = field(default_factory=dict)
    speakers: dict[int, str] = field(default_factory=dict)
    translation_sentences: int = 0
    leftover_sentences: int = 0
    leftovers: list[LeftoverRun] = field(default_factory=list)
    unmatched_cues: int = 0
    translation_language: str | None = None

    @property
    def cues_with_text(self) -> int:
        """Return how many source cues get a non-empty translation."""
        return sum(1 for t in self.pairs.values() if t)

    def summary(self) -> str:
        """Return a one-paragraph description for a preview dialog or the CLI."""
        where = "; ".join(
            f"sentences {r.first + 1}–{r.last + 1} ({r.sentences}) “{r.preview}”" for r in self.leftovers[:5]
        )
        more = f" and {len(self.leftovers) - 5} more runs" if len(self.leftovers) > 5 else ""
        text = (
            f"{self.cues_with_text} cues get a translation (by {self.method}); "
            f"{self.leftover_sentences} of {self.translation_sentences} translation sentences are left over"
        )
        if where:
            text += f": {where}{more}"
        if self.speakers:
            text += f"; {len(self.speakers)} cues get a speaker"
        return text + "."


# ----------------------------------------------------------------------------------------
# Text helpers

_SENT_END = "。！？!?…"
_CLAUSE = "，,；;：:、"
_CLOSERS = "”’\"'」』）)】》"
_SENT_RE = re.compile(r"(?:[。！？!?…]+|\.(?=[”’\"'」』）)】》]*(?:\s|$)))[”’\"'」』）)】》]*\s*")
_TOKEN_RE = re.compile(r"[A-Za-z0-9]+")
_DIGITS_RE = re.compile(r"\d+")


_CJK_RE = CJK_LETTER_RE


def text_weight(text: str) -> float:
    """Return the length of `text` in Latin-character units (a CJK character counts 3.5)."""
    return len(text) + (CJK_WEIGHT - 1.0) * len(_CJK_RE.findall(text))


def _is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80 and char_script(ch) in ("han", "kana", "hangul")


_CJK_PUNCT = "。，！？：；、「」『』（）“”《》【】"


def join_texts(parts: list[str]) -> str:
    """Return `parts` joined: nothing between two CJK ends or next to CJK punctuation,
    one space elsewhere (Latin words, and Latin next to CJK as in "用 O1 推出")."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out:
            left, right = out[-1], p[0]
            cjk_l = _is_cjk(left) or left in _CJK_PUNCT
            cjk_r = _is_cjk(right) or right in _CJK_PUNCT
            # ASCII punctuation inside Chinese text ("比较,您") binds like CJK punctuation.
            tight = (
                (cjk_l and cjk_r)
                or left in _CJK_PUNCT
                or right in _CJK_PUNCT
                or (left in ",.!?:;" and cjk_r)
                or (cjk_l and right in ",.!?:;")
            )
            if not tight:
                out += " "
        out += p
    return out


def _one_line(text: str) -> str:
    """Return cue text without markup, its lines joined (no space between CJK lines)."""
    return join_texts(plain_text(text).split("\n"))


def split_sentences(text: str) -> list[str]:
    """Return the sentences of `text` (ending at 。！？!?… or a period before a space)."""
    out: list[str] = []
    pos = 0
    for m in _SENT_RE.finditer(text):
        s = text[pos : m.end()].strip()
        if s:
            out.append(s)
        pos = m.end()
    rest = text[pos:].strip()
    if rest:
        out.append(rest)
    return out


def _break_candidates(text: str) -> list[tuple[int, float]]:
    """Return (position, penalty) of places where `text` may be cut.

    After sentence punctuation is best, then clause marks, then spaces, then between two
    CJK characters; never inside a Latin word or a number.
    """
    cands: list[tuple[int, float]] = []
    n = len(text)
    for p in range(1, n):
        prev, nxt = text[p - 1], text[p]
        if prev in _SENT_END or (prev == "." and nxt == " "):
            cands.append((p, 0.0))
        elif prev in _CLOSERS and p >= 2 and text[p - 2] in _SENT_END:
            cands.append((p, 0.0))
        elif prev in _CLAUSE:
            cands.append((p, 0.08))
        elif prev == " " and nxt != " ":
            cands.append((p, 0.15))
        elif _is_cjk(prev) and _is_cjk(nxt):
            cands.append((p, 0.35))
    return cands


def split_proportional(text: str, weights: list[float]) -> list[str]:
    """Return `text` cut into len(weights) parts whose lengths follow `weights`.

    Cuts prefer sentence punctuation, then clause marks, spaces, CJK character
    boundaries; a part may be empty when the text has too few places to cut.
    """
    k = len(weights)
    if k <= 1:
        return [text.strip()] if k == 1 else []
    total_w = sum(max(w, 0.0) for w in weights) or float(k)
    cum = 0.0
    targets: list[float] = []
    for w in weights[:-1]:
        cum += max(w, 0.0) if total_w else 1.0
        targets.append(cum / total_w)
    cands = _break_candidates(text)
    if not cands:
        return [text.strip()] + [""] * (k - 1)
    # Weighted offset of every candidate as a fraction of the text.
    prefix = [0.0]
    for ch in text:
        prefix.append(prefix[-1] + (CJK_WEIGHT if _is_cjk(ch) else 1.0))
    tw = prefix[-1] or 1.0
    cuts: list[int] = []
    lo = 0  # index into cands: cuts stay in order
    for t in targets:
        best_i, best_c = -1, math.inf
        for ci in range(lo, len(cands)):
            p, pen = cands[ci]
            frac = prefix[p] / tw
            # Distance from the target share of the text, plus the cut's penalty: a
            # clause mark a fifth of the text away beats a cut between two characters.
            c = abs(frac - t) + pen
            if c < best_c:
                best_c, best_i = c, ci
            elif frac > t + 0.5:
                break
        if best_i < 0:
            cuts.append(len(text))
            continue
        cuts.append(cands[best_i][0])
        lo = best_i + 1
    parts: list[str] = []
    prev = 0
    for c in cuts:
        c = max(c, prev)
        parts.append(text[prev:c].strip())
        prev = c
    parts.append(text[prev:].strip())
    return parts


def _tokens(text: str, latin_words: bool) -> set[str]:
    """Return the anchor tokens of `text`: numbers, and Latin-script words when wanted."""
    toks: set[str] = set()
    for m in _TOKEN_RE.finditer(text):
        t = m.group(0).casefold()
        has_digit = any(ch.isdigit() for ch in t)
        if has_digit:
            toks.update(_DIGITS_RE.findall(t))
            if latin_words and len(t) >= 2:
                toks.add(t)
        elif latin_words and len(t) >= 2:
            toks.add(t)
    # A question in both texts is as good a clue as a shared number.
    if "?" in text or "？" in text:
        toks.add("?")
    return toks


# ----------------------------------------------------------------------------------------
# Translation units


@dataclass
class _Unit:
    text: str
    speaker: str | None
    sentence: int
    row: int  # translation cue row where the unit starts
    weight: float
    turn_start: bool
    sent_start: bool = True
    key: int = 0  # position in the translation (sentence, offset), comparable across cuts


def _translation_units(
    translation: Document, target_w: float, chunk_factor: float = 1.5
) -> tuple[list[_Unit], int]:
    """Return the translation cut into sentence/clause units, and the number of sentences.

    Consecutive cues of one speaker form one stream (a segmented translation is
    re-joined so units don't depend on its cue cuts); a speaker change is always a
    sentence boundary and a turn start.
    """
    units: list[_Unit] = []
    n_sent = 0
    # Streams: (speaker, [(row, text)]).
    streams: list[tuple[str | None, list[tuple[int, str]]]] = []
    for row, cue in enumerate(translation.cues):
        text = _one_line(cue.text)
        if not text:
            continue
        name = translation.speaker_name(cue.speaker_id)
        if streams and streams[-1][0] == name and cue.speaker_id is not None:
            streams[-1][1].append((row, text))
        elif streams and name is None and streams[-1][0] is None:
            streams[-1][1].append((row, text))
        else:
            streams.append((name, [(row, text)]))
    for name, pieces in streams:
        # Join the pieces, remembering where each row starts.
        starts: list[int] = []
        rows: list[int] = []
        joined = ""
        for row, text in pieces:
            joined = join_texts([joined, text]) if joined else text
            starts.append(len(joined) - len(text))
            rows.append(row)
        first_in_turn = True
        pos = 0
        for sent in split_sentences(joined):
            at = joined.find(sent, pos)
            at = pos if at < 0 else at
            pos = at + len(sent)
            row = rows[max(0, bisect.bisect_right(starts, at) - 1)]
            sw = text_weight(sent)
            chunks = [sent] if sw <= chunk_factor * target_w else _chunk_clauses(sent, target_w)
            in_sent = 0
            for ci, chunk in enumerate(chunks):
                key = n_sent * 1_000_000 + in_sent
                in_sent += len(chunk)
                units.append(_Unit(chunk, name, n_sent, row, text_weight(chunk), first_in_turn, ci == 0, key))
                first_in_turn = False
            n_sent += 1
    return units, n_sent


def _chunk_clauses(sentence: str, target_w: float) -> list[str]:
    """Return a long sentence cut at clause marks into chunks of about `target_w`."""
    clauses: list[str] = []
    start = 0
    for i, ch in enumerate(sentence):
        if ch in _CLAUSE:
            clauses.append(sentence[start : i + 1])
            start = i + 1
    if start < len(sentence):
        clauses.append(sentence[start:])
    chunks: list[str] = []
    cur = ""
    for c in clauses:
        if cur and text_weight(cur) >= 0.8 * target_w:
            chunks.append(cur.strip())
            cur = ""
        cur += c
    if cur.strip():
        if chunks and text_weight(cur) < 0.3 * target_w:
            chunks[-1] = chunks[-1] + cur.strip()
        else:
            chunks.append(cur.strip())
    return chunks or [sentence]


# ----------------------------------------------------------------------------------------
# Length alignment (dynamic programme)


@dataclass
class LengthParams:
    """Costs of the length alignment (negative log-probabilities, roughly)."""

    ratio: float | None = None  # translation weight per source weight; None = estimate
    # Sentences longer than this many median cue lengths are cut at clause marks.
    chunk_factor: float = 3.0
    variance: float = 6.0  # Gale–Church s² per Latin character
    # Match types (source cues, translation units) and their prior costs. Subtitle cues
    # are shorter than sentences, so several cues per sentence is the common case.
    types: tuple[tuple[int, int, float], ...] = (
        (1, 1, 0.0),
        (2, 1, 1.0),
        (3, 1, 2.0),
        (4, 1, 3.0),
        (5, 1, 4.0),
        (1, 2, 1.2),
        (2, 2, 2.5),
        (3, 2, 3.0),
        (4, 2, 4.0),
        (5, 2, 5.0),
        (3, 3, 3.0),
        (4, 3, 3.5),
    )
    gap_open: float = 6.0  # opening a run of unmatched translation
    gap_extend: float = 0.3  # per unmatched translation unit once open
    gap_extend_per_char: float = 0.0  # … plus this per Latin character (both gap kinds)
    # A second, "long" gap kind (two-piece affine gap cost, as minimap2 uses for long
    # deletions): dear to open, nearly free to extend, so one long skip of translation
    # text (the rest of an interview) costs about the same however long it is.
    long_gap_open: float = 16.0
    long_gap_extend: float = 0.02
    src_gap_open: float = 6.0  # opening a run of unmatched source cues
    src_gap_extend: float = 2.5  # per unmatched source cue
    turn_cross: float = 3.0  # a match whose translation units cross a speaker turn
    turn_gap_bonus: float = 1.5  # a gap starting (or ending) at a turn boundary
    # Boundary agreement: a match starting a source sentence should start a translation
    # sentence; one starting a translation speaker turn should start a source sentence.
    soft_turn_weight: float = 60.0
    boundary_mismatch: float = 1.5
    turn_agree: float = 1.5
    turn_mid: float = 1.5
    anchor_weight: float = 4.0  # bonus of a token unique in both texts
    anchor_cap: float = 8.0  # at most this bonus per cue–unit pair
    token_miss: float = 0.75  # a translation token (name, number) the matched cues lack
    # Second pass: sentences longer than this many median cue lengths are cut at clause
    # marks, aligned within `refine_margin` units of the first path (None: no second pass).
    refine_chunk_factor: float | None = 1.2
    refine_margin: int = 2
    full_cells: int = 2_500_000  # above this many cells the DP runs in a band
    max_cells: int = 25_000_000  # past this (≈ 300 MB of back-pointers) it refuses: LimitError
    band_margin: int = 3  # coarse blocks either side of the coarse path


_INF = np.float64(1e18)
_FORBID = 1e9


def _anchor_rows(
    src_texts: list[str], units: list[_Unit], latin_words: bool, p: LengthParams
) -> tuple[dict[int, dict[int, float]], np.ndarray]:
    """Return anchor bonuses {source index: {unit index: bonus}} and per-unit miss costs.

    A cue–unit pair sharing a rare token gets a bonus (rarer = larger). Each token of a
    translation unit costs `token_miss` when the unit is matched, refunded per source
    cue of the match that has it: names and numbers are carried over verbatim, so a
    translation sentence naming "AlphaGo" rarely belongs to a cue that doesn't.
    """
    unit_toks: dict[str, list[int]] = {}
    unit_sets = [_tokens(u.text, latin_words) for u in units]
    for j, toks in enumerate(unit_sets):
        for t in toks:
            unit_toks.setdefault(t, []).append(j)
    miss = np.zeros(len(units))
    if not unit_toks:
        return {}, miss
    limit = max(50, len(units) // 20)
    for j, toks in enumerate(unit_sets):
        miss[j] = p.token_miss * sum(1 for t in toks if len(unit_toks[t]) <= limit)
    src_toks = [_tokens(t, latin_words) & unit_toks.keys() for t in src_texts]
    df_src: dict[str, int] = {}
    for toks in src_toks:
        for t in toks:
            df_src[t] = df_src.get(t, 0) + 1
    out: dict[int, dict[int, float]] = {}
    for i, toks in enumerate(src_toks):
        for t in toks:
            js = unit_toks[t]
            if len(js) > limit:
                continue
            w = min(p.anchor_cap, p.anchor_weight / math.sqrt(len(js) * df_src[t])) + p.token_miss
            row = out.setdefault(i, {})
            for j in js:
                row[j] = row.get(j, 0.0) + w
    return out, miss


def _dp(
    sw: np.ndarray,
    tw: np.ndarray,
    ts: np.ndarray,
    anchors: dict[int, dict[int, float]],
    p: LengthParams,
    ratio: float,
    lo: np.ndarray,
    hi: np.ndarray,
    ss: np.ndarray | None = None,
    us: np.ndarray | None = None,
    miss: np.ndarray | None = None,
    gap_unit: np.ndarray | None = None,
) -> tuple[list[tuple[str, int, int, int, int]], float]:
    """Run the alignment DP inside column windows [lo[i], hi[i]] of each row i.

    `sw` source weights (N), `tw` translation unit weights (M), `ts` turn starts (M, 0/1),
    `ss`/`us` sentence starts of source cues (N) and translation units (M), 0/1.
    `miss` is an extra cost per unit when matched, `gap_unit` one when left unmatched.
    Returns (steps, cost): steps in order as (kind, i0, i1, j0, j1) with kind "m"
    (match source i0:i1 ↔ units j0:j1), "s" (source i0:i1 unmatched) or "g" (units
    j0:j1 unmatched). Raises LimitError when the windows hold more than `p.max_cells`.
    """
    n, m = len(sw), len(tw)
    cells = int((np.asarray(hi) - np.asarray(lo) + 1).sum())
    if cells > p.max_cells:
        raise LimitError(
            f"aligning {n} cues with {m} translation sentences needs {cells:,} steps "
            f"(limit {p.max_cells:,}); attach the translation in parts",
            None,
        )
    pad = max(t[1] for t in p.types)
    maxk = max(t[0] for t in p.types)
    scum = np.concatenate([[0.0], np.cumsum(sw)])
    tcum = np.concatenate([[0.0], np.cumsum(tw)])
    mcum = np.concatenate([[0.0], np.cumsum(miss if miss is not None else np.zeros(m))])
    types = p.types
    maxl = max(t[1] for t in types)
    cols_all = np.arange(m + 1)
    # Per translation-run length nl: weight of units j-nl..j-1 ending at column j, and
    # whether they cross a turn start (unit j-nl+1..j-1 starting a turn).
    lt_by_l: dict[int, np.ndarray] = {}
    miss_by_l: dict[int, np.ndarray] = {}
    cross_by_l: dict[int, np.ndarray] = {}
    tsf = ts.astype(np.float64)
    # A turn that follows a very short one (an interjection such as "So what is it?")
    # is a soft boundary: speech often runs the two into one sentence, so crossing it
    # costs nothing.
    hard = tsf.copy()
    turn_w = 0.0
    for u in range(m):
        if tsf[u] and u and turn_w < p.soft_turn_weight:
            hard[u] = 0.0
        turn_w = tw[u] if tsf[u] else turn_w + tw[u]
    tscum = np.concatenate([[0.0], np.cumsum(hard)])
    for nl in range(1, maxl + 1):
        j0 = np.maximum(cols_all - nl, 0)
        lt_by_l[nl] = tcum - tcum[j0]
        miss_by_l[nl] = mcum - mcum[j0]
        inner = tscum - tscum[np.minimum(j0 + 1, cols_all)]
        cross_by_l[nl] = (inner > 0).astype(np.float64) * p.turn_cross
    # Boundary agreement cost of a match whose first unit is j - nl, by whether the
    # first source cue starts a sentence (index 1) or not (index 0).
    if ss is None:
        ss = np.zeros(n, dtype=np.int64)
    if us is None:
        us = np.zeros(m, dtype=np.int64)
    usf = us.astype(np.float64)
    bound_by_l: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for nl in range(1, maxl + 1):
        first = np.clip(cols_all - nl, 0, max(m - 1, 0))
        u_s = usf[first] if m else np.zeros(m + 1)
        t_s = tsf[first] if m else np.zeros(m + 1)
        h_s = hard[first] if m else np.zeros(m + 1)
        if_src0 = p.boundary_mismatch * u_s + p.turn_mid * h_s
        if_src1 = p.boundary_mismatch * (1.0 - u_s) - p.turn_agree * t_s
        bound_by_l[nl] = (if_src0, if_src1)
    # Gap costs along the columns: opening before unit j' (cheaper at a turn start),
    # extension prefix sums, and the closing discount when the next unit starts a turn.
    gap_kinds: list[tuple[np.ndarray, np.ndarray]] = []
    kinds = (
        (p.gap_open, p.gap_extend, p.gap_extend_per_char),
        (p.long_gap_open, p.long_gap_extend, p.gap_extend_per_char),
    )
    for g_open, g_ext, g_char in kinds:
        per_unit = g_ext + g_char * tw + (gap_unit if gap_unit is not None else 0.0)
        ext = np.concatenate([[0.0], np.cumsum(per_unit)])
        open_cost = np.full(m + 1, float(g_open))
        open_cost[:m] -= p.turn_gap_bonus * tsf
        open_cost[0] = g_open  # the document edges get no turn bonus: they would favour
        gap_kinds.append((ext, open_cost))  # leading/trailing gaps over inner ones
    tnext = np.zeros(m + 1)
    tnext[:m] = tsf
    close_bonus = p.turn_gap_bonus * tnext
    # Anchor bonus rows as column prefix sums.
    anchor_cum: dict[int, np.ndarray] = {}
    for i, row in anchors.items():
        a = np.zeros(m + 1)
        for j, b in row.items():
            a[j + 1] += b
        anchor_cum[i] = np.cumsum(a)

    inv_s2 = 1.0 / p.variance
    rinv = 1.0 / ratio
    # Per type: rows back (k), units (l), and the cost terms that depend only on the
    # column, stacked so one row of the DP is a handful of array operations.
    k_arr = np.array([t[0] for t in types])
    l_arr = np.array([t[1] for t in types])
    prior_arr = np.array([t[2] for t in types])
    lt2 = np.stack([lt_by_l[nl] for nl in l_arr])
    extra2 = np.stack([cross_by_l[nl] + miss_by_l[nl] for nl in l_arr]) + prior_arr[:, None]
    bound0 = np.stack([bound_by_l[nl][0] for nl in l_arr])
    bound_d = np.stack([bound_by_l[nl][1] for nl in l_arr]) - bound0
    ss_f = ss.astype(np.float64)
    ring = maxk + 1
    best_buf = np.full((ring, m + 1 + pad), _INF)  # best (any state, gap closed) of recent rows
    best_rows: list[np.ndarray] = []
    # Match / source-gap / translation-gap values of the previous row, full width. Windows
    # never move left, so a cell is read only after the previous row wrote it (or never
    # written: still infinite).
    prev_buf = np.full((3, m + 1), _INF)
    prev_gk_buf = np.zeros(m + 1, dtype=np.int8)
    mk_rows: list[np.ndarray] = []
    sfrom_rows: list[np.ndarray] = []
    gstart_rows: list[list[np.ndarray]] = []
    gxs_rows: list[np.ndarray] = []
    state_rows: list[np.ndarray] = []
    for i in range(n + 1):
        a, b = int(lo[i]), int(hi[i])
        width = b - a + 1
        cols = np.arange(a, b + 1)
        mrow = np.full(width, _INF)
        mk = np.zeros(width, dtype=np.int8)
        if i == 0:
            if a == 0:
                mrow[0] = 0.0
        else:
            # All match types at once: a (types × width) array of candidates.
            k_back = np.maximum(i - k_arr, 0)
            prev = best_buf[(k_back % ring)[:, None], cols[None, :] + (pad - l_arr)[:, None]]
            ls = (scum[i] - scum[k_back])[:, None]
            lt = lt2[:, a : b + 1]
            diff = lt - ratio * ls
            cost = (
                diff * diff / (ls + lt * rinv + 1.0) * inv_s2
                + extra2[:, a : b + 1]
                + bound0[:, a : b + 1]
                + ss_f[k_back][:, None] * bound_d[:, a : b + 1]
            )
            if anchor_cum and any((i - 1 - kk) in anchor_cum for kk in range(maxk)):
                for ti, (k, nl, _prior) in enumerate(types):
                    for kk in range(min(k, i)):
                        ac = anchor_cum.get(i - 1 - kk)
                        if ac is not None:
                            cost[ti] -= ac[cols] - ac[np.maximum(cols - nl, 0)]
            cand = prev + cost
            if i < maxk:
                cand[k_arr > i] = _INF
            mk = np.argmin(cand, axis=0).astype(np.int8)
            mrow = cand.min(axis=0)
        # Source gap: from the row above.
        if i == 0:
            srow = np.full(width, _INF)
            sfrom = np.zeros(width, dtype=np.int8)
        else:
            prev_m = prev_buf[0, a : b + 1]
            prev_s = prev_buf[1, a : b + 1]
            prev_g = prev_buf[2, a : b + 1] - close_bonus[a : b + 1]
            prev_gk = prev_gk_buf[a : b + 1]
            open_from_g = prev_g < prev_m
            opened = np.where(open_from_g, prev_g, prev_m) + p.src_gap_open + p.src_gap_extend
            ext_s = prev_s + p.src_gap_extend
            use_ext = ext_s <= opened
            srow = np.where(use_ext, ext_s, opened)
            # 1 = extend, 0 = opened after a match, 2/3 = opened after a short/long gap.
            sfrom = np.where(
                use_ext, np.int8(1), np.where(open_from_g, (2 + prev_gk).astype(np.int8), np.int8(0))
            )
        # Translation gap within the row: G[j] = ext[j] + min_{j'<j} (X[j'] + open[j'] - ext[j']).
        x = np.minimum(mrow, srow)
        xs = (srow < mrow).astype(np.int8)
        g_rows: list[np.ndarray] = []
        g_starts: list[np.ndarray] = []
        for ext, open_cost in gap_kinds:
            y = x + open_cost[a : b + 1] - ext[a : b + 1]
            cm = np.minimum.accumulate(y)
            arg = np.maximum.accumulate(np.where(y <= cm, cols, -1))
            grow = np.full(width, _INF)
            gstart = np.full(width, -1, dtype=np.int32)
            if width > 1:
                grow[1:] = cm[:-1] + ext[a + 1 : b + 1]
                gstart[1:] = arg[:-1]
            g_rows.append(grow)
            g_starts.append(gstart)
        gkind = (g_rows[1] < g_rows[0]).astype(np.int8)
        grow = np.minimum(g_rows[0], g_rows[1])
        gx = grow - close_bonus[a : b + 1]
        # State of the best way into each cell: 0 match, 1 source gap, 2/3 short/long gap.
        s_better = srow < mrow
        best = np.where(s_better, srow, mrow)
        g_better = gx < best
        best = np.where(g_better, gx, best)
        state = np.where(g_better, 2 + gkind, s_better.astype(np.int8)).astype(np.int8)
        slot = best_buf[i % ring]
        slot.fill(_INF)
        slot[a + pad : b + 1 + pad] = best
        if i == n:
            best_rows.append(slot.copy())
        prev_buf[0, a : b + 1] = mrow
        prev_buf[1, a : b + 1] = srow
        prev_buf[2, a : b + 1] = grow
        prev_gk_buf[a : b + 1] = gkind
        mk_rows.append(mk)
        sfrom_rows.append(sfrom)
        gstart_rows.append(g_starts)
        gxs_rows.append(xs)
        state_rows.append(state)
    total = float(best_rows[-1][m + pad])
    # Traceback.
    steps: list[tuple[str, int, int, int, int]] = []
    i, j = n, m
    st = int(state_rows[n][m - int(lo[n])])
    while i > 0 or j > 0:
        off = j - int(lo[i])
        if st == 0:
            k, nl, _ = types[int(mk_rows[i][off])]
            steps.append(("m", i - k, i, j - nl, j))
            i, j = i - k, j - nl
            st = int(state_rows[i][j - int(lo[i])])
        elif st == 1:
            steps.append(("s", i - 1, i, j, j))
            f = int(sfrom_rows[i][off])
            i -= 1
            st = f
        else:
            j0 = int(gstart_rows[i][st - 2][off])
            steps.append(("g", i, i, j0, j))
            st = int(gxs_rows[i][j0 - int(lo[i])])  # a gap opens after a match (0) or source gap (1)
            j = j0
            if i == 0 and j == 0:
                break
        if i == 0 and j == 0:
            break
    steps.reverse()
    return steps, total


def _band_from_coarse(
    sw: np.ndarray, tw: np.ndarray, ts: np.ndarray, p: LengthParams, ratio: float
) -> tuple[np.ndarray, np.ndarray]:
    """Return per-row column windows around the path of a coarse (blocked) alignment."""
    n, m = len(sw), len(tw)
    block = max(2, math.ceil(math.sqrt(n * m / 400_000)))
    nb, mb = math.ceil(n / block), math.ceil(m / block)
    csw = np.add.reduceat(sw, np.arange(0, n, block))
    ctw = np.add.reduceat(tw, np.arange(0, m, block))
    cts = np.maximum.reduceat(ts, np.arange(0, m, block))
    coarse = LengthParams(
        variance=p.variance,
        gap_open=p.gap_open,
        gap_extend=p.gap_extend * block,
        src_gap_open=p.src_gap_open,
        src_gap_extend=p.src_gap_extend * block,
        turn_cross=0.0,
        turn_gap_bonus=p.turn_gap_bonus,
    )
    steps, _ = _dp(csw, ctw, cts, {}, coarse, ratio, np.zeros(nb + 1, int), np.full(nb + 1, mb))
    # Coarse columns visited per coarse row.
    cmin = np.full(nb + 1, mb)
    cmax = np.zeros(nb + 1, dtype=int)
    for _kind, i0, i1, j0, j1 in steps:
        for ci in range(i0, i1 + 1):
            cmin[ci] = min(cmin[ci], j0)
            cmax[ci] = max(cmax[ci], j1)
    cmin[0], cmax[nb] = 0, mb
    lo = np.zeros(n + 1, dtype=int)
    hi = np.zeros(n + 1, dtype=int)
    mg = p.band_margin
    for i in range(n + 1):
        ci = min(i // block, nb)
        c0 = min(cmin[ci], cmin[max(ci - 1, 0)])
        c1 = max(cmax[ci], cmax[min(ci + 1, nb)])
        lo[i] = max(0, (c0 - mg) * block)
        hi[i] = min(m, (c1 + 1 + mg) * block)
    lo = np.minimum.accumulate(lo[::-1])[::-1]  # windows never move left going down
    hi = np.maximum.accumulate(hi)
    lo[0], hi[n] = 0, m
    return lo, hi


def _unit_arrays(src_texts: list[str], units: list[_Unit]) -> tuple[np.ndarray, ...]:
    """Return (source weights, unit weights, turn starts, unit sentence starts, source sentence starts)."""
    n = len(src_texts)
    sw = np.array([max(1.0, text_weight(t)) for t in src_texts])
    tw = np.array([max(1.0, u.weight) for u in units])
    ts = np.array([1 if u.turn_start else 0 for u in units], dtype=np.int64)
    us = np.array([1 if u.sent_start else 0 for u in units], dtype=np.int64)
    ss = np.ones(n, dtype=np.int64)
    for i in range(1, n):
        prev = src_texts[i - 1].rstrip().rstrip(_CLOSERS)
        ss[i] = 1 if prev and (prev[-1] in _SENT_END or prev[-1] == ".") else 0
    if len(units):
        ts[0] = 1  # the start of the text is a boundary as good as a turn
    return sw, tw, ts, us, ss


def align_lengths(
    src_texts: list[str],
    units: list[_Unit],
    params: LengthParams | None = None,
    *,
    latin_words: bool = True,
    refine: list[_Unit] | None = None,
) -> tuple[list[tuple[str, int, int, int, int]], float]:
    """Return the DP steps aligning source texts to translation units, and the ratio used.

    Steps are (kind, i0, i1, j0, j1) as in `_dp`. With `refine` (the same translation cut
    into finer units), a second pass aligns to those units inside a narrow band around
    the first path and its steps are returned instead: sentence-sized units find the
    region robustly, clause-sized ones place the cuts between cues better. Raises
    nothing on empty input (returns no steps).
    """
    p = params or LengthParams()
    n, m = len(src_texts), len(units)
    if n == 0 or m == 0:
        target = refine if refine is not None else units
        steps: list[tuple[str, int, int, int, int]] = []
        if n:
            steps.append(("s", 0, n, 0, 0))
        if target:
            steps.append(("g", 0, 0, 0, len(target)))
        return steps, 1.0
    sw, tw, ts, us, ss = _unit_arrays(src_texts, units)
    anchors, miss = _anchor_rows(src_texts, units, latin_words, p)
    ratio = p.ratio or 1.0

    def run(r: float) -> list[tuple[str, int, int, int, int]]:
        if (n + 1) * (m + 1) <= p.full_cells:
            lo, hi = np.zeros(n + 1, dtype=int), np.full(n + 1, m)
        else:
            lo, hi = _band_from_coarse(sw, tw, ts, p, r)
        return _dp(sw, tw, ts, anchors, p, r, lo, hi, ss, us, miss)[0]

    steps = run(ratio)
    if p.ratio is None:
        # Re-estimate the length ratio on what matched; rerun when it is clearly off.
        ms = sum(float(sw[i0:i1].sum()) for k, i0, i1, _, _ in steps if k == "m")
        mt = sum(float(tw[j0:j1].sum()) for k, _, _, j0, j1 in steps if k == "m")
        if ms > 0 and mt > 0:
            est = min(3.0, max(1 / 3, mt / ms))
            if abs(math.log(est / ratio)) > 0.12:
                ratio = est
                steps = run(ratio)
    if not refine or [u.key for u in refine] == [u.key for u in units]:
        # No finer cuts than pass 1's (every sentence short): pass 2 would repeat it.
        return steps, ratio
    # Second pass on the finer units, in a band around the first path.
    keys2 = [u.key for u in refine]
    col2 = [bisect.bisect_left(keys2, u.key) for u in units] + [len(refine)]
    cmin = np.full(n + 1, m)
    cmax = np.zeros(n + 1, dtype=int)
    for _kind, i0, i1, j0, j1 in steps:
        cmin[i0 : i1 + 1] = np.minimum(cmin[i0 : i1 + 1], j0)
        cmax[i0 : i1 + 1] = np.maximum(cmax[i0 : i1 + 1], j1)
    m2 = len(refine)
    col2a = np.array(col2)
    lo = np.clip(col2a[np.minimum(cmin, m)] - p.refine_margin, 0, m2)
    hi = np.clip(col2a[cmax] + p.refine_margin, 0, m2)
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    lo[0], hi[n] = 0, m2
    sw2, tw2, ts2, us2, ss2 = _unit_arrays(src_texts, refine)
    anchors2, miss2 = _anchor_rows(src_texts, refine, latin_words, p)
    # The second pass only moves cuts: a sentence the first pass matched stays matched,
    # one it left over stays left over (forbidding the other choice costs `_FORBID`).
    matched_sent: set[int] = set()
    for kind, _i0, _i1, j0, j1 in steps:
        if kind == "m":
            matched_sent.update(units[j].sentence for j in range(j0, j1))
    in_match = np.array([u.sentence in matched_sent for u in refine])
    miss2 = miss2 + np.where(in_match, 0.0, _FORBID)
    gap_unit = np.where(in_match, _FORBID, 0.0)
    steps2, _ = _dp(sw2, tw2, ts2, anchors2, p, ratio, lo, hi, ss2, us2, miss2, gap_unit)
    return steps2, ratio


# ----------------------------------------------------------------------------------------
# Public API


def _all_exact(doc: Document) -> bool:
    return bool(doc.cues) and all(c.timing == Timing.EXACT for c in doc.cues)


def _meaningful_times(doc: Document) -> bool:
    return any(c.end_ms > 0 for c in doc.cues) and len({c.start_ms for c in doc.cues}) > min(1, len(doc) - 1)


def choose_method(source: Document, translation: Document) -> str:
    """Return "time" when both documents have exact, meaningful timing, else "length"."""
    if (
        _all_exact(source)
        and _all_exact(translation)
        and _meaningful_times(source)
        and _meaningful_times(translation)
    ):
        return "time"
    return "length"


def align(
    source: Document,
    translation: Document,
    *,
    carry_speakers: bool = False,
    method: str | None = None,
    params: LengthParams | None = None,
) -> AlignmentPlan:
    """Return the plan that attaches `translation`'s text to `source`'s cues (no mutation).

    `method` forces "time" or "length" (default: `choose_method`). With
    `carry_speakers`, cues also get the speaker of the translation text they received
    (when the translation has speakers). Raises ValueError for an unknown method and
    LimitError when a length alignment would be too large to hold in memory.
    """
    method = method or choose_method(source, translation)
    if method == "time":
        plan = _align_time(source, translation, carry_speakers)
    elif method == "length":
        plan = _align_length(source, translation, carry_speakers, params)
    else:
        raise ValueError(f"unknown alignment method {method!r}")
    plan.translation_language = translation.source_language or detect_texts(
        [c.text for c in translation.cues]
    )
    return plan


def _carry(
    source: Document, cue_speakers: list[str | None], matched: list[bool], plan: AlignmentPlan
) -> None:
    """Fill plan.speakers; an unmatched cue between two cues of one speaker gets that speaker."""
    n = len(cue_speakers)
    prev: list[str | None] = [None] * n
    last = None
    for i in range(n):
        if matched[i]:
            last = cue_speakers[i]
        prev[i] = last
    nxt: list[str | None] = [None] * n
    last = None
    for i in range(n - 1, -1, -1):
        if matched[i]:
            last = cue_speakers[i]
        nxt[i] = last
    for i, cue in enumerate(source.cues):
        name = cue_speakers[i] if matched[i] else (prev[i] if prev[i] == nxt[i] else None)
        if name:
            plan.speakers[cue.id] = name


def _align_length(
    source: Document, translation: Document, carry_speakers: bool, params: LengthParams | None
) -> AlignmentPlan:
    src_texts = [_one_line(c.text) for c in source.cues]
    weights = [text_weight(t) for t in src_texts if t.strip()]
    target = float(np.median(weights)) if weights else 60.0
    p = params or LengthParams()
    coarse_units, n_sent = _translation_units(translation, target, p.chunk_factor)
    fine_units = None
    if p.refine_chunk_factor is not None:
        fine_units, _ = _translation_units(translation, target, p.refine_chunk_factor)
    units = fine_units if fine_units is not None else coarse_units
    latin_words = script_of(" ".join(u.text for u in units[:200])) != script_of(" ".join(src_texts[:200]))
    steps, _ratio = align_lengths(src_texts, coarse_units, p, latin_words=latin_words, refine=fine_units)
    plan = AlignmentPlan("length", translation_sentences=n_sent)
    n = len(source.cues)
    cue_speakers: list[str | None] = [None] * n
    matched = [False] * n
    unit_used = [False] * len(units)
    for kind, i0, i1, j0, j1 in steps:
        if kind == "s":
            plan.unmatched_cues += i1 - i0
            continue
        if kind != "m":
            continue
        for j in range(j0, j1):
            unit_used[j] = True
        texts = [units[j].text for j in range(j0, j1)]
        if i1 - i0 == 1:
            parts = [join_texts(texts)]
            spk = [_majority([(units[j].speaker, units[j].weight) for j in range(j0, j1)])]
        else:
            parts, spk = _distribute(
                [units[j] for j in range(j0, j1)], [text_weight(src_texts[i]) for i in range(i0, i1)]
            )
        for off, i in enumerate(range(i0, i1)):
            cue = source.cues[i]
            plan.pairs[cue.id] = parts[off]
            cue_speakers[i] = spk[off]
            matched[i] = bool(parts[off])
    if carry_speakers and any(u.speaker for u in units):
        _carry(source, cue_speakers, matched, plan)
    # Leftover sentences: those none of whose units matched.
    sent_used: dict[int, bool] = {}
    sent_first: dict[int, _Unit] = {}
    for j, u in enumerate(units):
        sent_used[u.sentence] = sent_used.get(u.sentence, False) or unit_used[j]
        sent_first.setdefault(u.sentence, u)
    # Where each leftover run falls: after the last source cue matched to an earlier unit.
    after_by_unit: list[int | None] = [None] * (len(units) + 1)
    marks: list[tuple[int, int | None]] = []
    for kind, _i0, i1, _j0, j1 in steps:
        if kind == "m":
            marks.append((j1, source.cues[i1 - 1].id))
    mi = 0
    cur: int | None = None
    for j in range(len(units) + 1):
        while mi < len(marks) and marks[mi][0] <= j:
            cur = marks[mi][1]
            mi += 1
        after_by_unit[j] = cur
    first_unit_of_sent: dict[int, int] = {}
    for j, u in enumerate(units):
        first_unit_of_sent.setdefault(u.sentence, j)
    run: list[int] = []

    def close_run() -> None:
        if not run:
            return
        fu = sent_first[run[0]]
        lu = sent_first[run[-1]]
        preview = fu.text[:40] + ("…" if len(fu.text) > 40 else "")
        after = after_by_unit[first_unit_of_sent[run[0]]]
        plan.leftovers.append(LeftoverRun(run[0], run[-1], (fu.row, lu.row), after, preview))
        run.clear()

    for s in range(n_sent):
        if not sent_used.get(s, False):
            run.append(s)
            plan.leftover_sentences += 1
        else:
            close_run()
    close_run()
    return plan


def _majority(weighted: list[tuple[str | None, float]]) -> str | None:
    tally: dict[str | None, float] = {}
    for name, w in weighted:
        tally[name] = tally.get(name, 0.0) + w
    return max(tally.items(), key=lambda kv: kv[1])[0] if tally else None


def _distribute(units: list[_Unit], cue_weights: list[float]) -> tuple[list[str], list[str | None]]:
    """Return the units' text cut over several cues by their weights, and each part's speaker."""
    joined = ""
    spans: list[tuple[int, int, _Unit]] = []
    for u in units:
        joined = join_texts([joined, u.text]) if joined else u.text
        spans.append((len(joined) - len(u.text), len(joined), u))
    parts = split_proportional(joined, cue_weights)
    speakers: list[str | None] = []
    pos = 0
    for part in parts:
        at = joined.find(part, pos) if part else pos
        at = pos if at < 0 else at
        end = at + len(part)
        pos = end
        tally: list[tuple[str | None, float]] = []
        for s, e, u in spans:
            ov = min(e, end) - max(s, at)
            if ov > 0:
                tally.append((u.speaker, float(ov)))
        speakers.append(_majority(tally))
    return parts, speakers


def _align_time(source: Document, translation: Document, carry_speakers: bool) -> AlignmentPlan:
    """Attach by time overlap (both documents exactly timed)."""
    plan = AlignmentPlan("time")
    src = sorted(source.cues, key=lambda c: (c.start_ms, c.end_ms))
    starts = [c.start_ms for c in src]
    max_dur = max((c.end_ms - c.start_ms for c in src), default=0)
    collected: dict[int, list[tuple[int, str, str | None, float]]] = {}
    n_sent = 0
    leftover_rows: list[int] = []
    for row, tcue in enumerate(translation.cues):
        text = plain_text(tcue.text).strip()
        if not text:
            continue
        n_sent += 1
        ts, te = tcue.start_ms, tcue.end_ms
        # Candidates: source cues starting before te and not earlier than te - longest cue.
        lo_i = bisect.bisect_left(starts, ts - max_dur)
        hi_i = bisect.bisect_left(starts, te)
        overlaps: list[tuple[int, int]] = []  # (index in src, overlap ms)
        for k in range(lo_i, hi_i):
            c = src[k]
            ov = min(te, c.end_ms) - max(ts, c.start_ms)
            if ov > 0:
                overlaps.append((k, ov))
        if not overlaps:
            leftover_rows.append(row)
            continue
        tdur = max(1, te - ts)
        # Drop grazing overlaps: under 20% of both the source cue and the translation cue.
        kept = [
            (k, ov)
            for k, ov in overlaps
            if ov >= 0.2 * tdur or ov >= 0.2 * max(1, src[k].end_ms - src[k].start_ms)
        ]
        if not kept:
            kept = [max(overlaps, key=lambda kv: kv[1])]
        name = translation.speaker_name(tcue.speaker_id)
        if len(kept) == 1:
            k, ov = kept[0]
            collected.setdefault(src[k].id, []).append((ts, text, name, float(ov)))
        else:
            parts = split_proportional(text, [float(ov) for _, ov in kept])
            for (k, ov), part in zip(kept, parts, strict=True):
                if part:
                    collected.setdefault(src[k].id, []).append((ts, part, name, float(ov)))
    cue_speakers: list[str | None] = []
    matched: list[bool] = []
    for cue in source.cues:
        items = sorted(collected.get(cue.id, []), key=lambda t: t[0])
        if items:
            plan.pairs[cue.id] = join_texts([t for _, t, _, _ in items])
        cue_speakers.append(_majority([(nm, ov) for _, _, nm, ov in items]) if items else None)
        matched.append(bool(items))
    plan.unmatched_cues = sum(1 for x in matched if not x)
    plan.translation_sentences = n_sent
    plan.leftover_sentences = len(leftover_rows)
    # Group leftover translation cues into runs of consecutive rows.
    idx_of_row = {}
    count = 0
    for row, tcue in enumerate(translation.cues):
        if plain_text(tcue.text).strip():
            idx_of_row[row] = count
            count += 1
    run: list[int] = []
    for row in [*leftover_rows, None]:
        if row is not None and run and idx_of_row[row] == idx_of_row[run[-1]] + 1:
            run.append(row)
            continue
        if run:
            first = translation.cues[run[0]]
            i_after = bisect.bisect_right(starts, first.start_ms) - 1
            preview = plain_text(first.text).strip()
            plan.leftovers.append(
                LeftoverRun(
                    idx_of_row[run[0]],
                    idx_of_row[run[-1]],
                    (run[0], run[-1]),
                    src[i_after].id if i_after >= 0 else None,
                    preview[:40] + ("…" if len(preview) > 40 else ""),
                )
            )
        run = [row] if row is not None else []
    if carry_speakers and translation.speakers:
        _carry(source, cue_speakers, matched, plan)
    return plan


def attach_edit(source: Document, plan: AlignmentPlan) -> edits.Edit:
    """Return one undoable edit that applies `plan` to `source`.

    It replaces the translation track: cues in the plan get their text and review
    state "needs review"; other cues that had a translation lose it (state
    "untranslated"). Carried speakers are added to the speaker table (an existing
    speaker whose label has the same `label_key` is reused) and assigned to their cues.
    The translation language is set when known.
    """
    texts: dict[int, str] = {}
    review: dict[int, Review] = {}
    for cue in source.cues:
        new = plan.pairs.get(cue.id, "")
        if new != cue.translation:
            texts[cue.id] = new
        state = Review.NEEDS_REVIEW if new else Review.UNTRANSLATED
        if state != cue.review or cue.id in texts:
            review[cue.id] = state
    batch: list[edits.Edit] = [edits.SetCueValues("translation", texts), edits.SetCueValues("review", review)]
    if plan.speakers:
        table = [Speaker(s.id, s.name, s.color) for s in source.speakers.values()]
        by_key = {label_key(s.name): s.id for s in table}
        used_ids = {s.id for s in table}
        assign: dict[int, str] = {}
        n = 0
        for cue_id, name in plan.speakers.items():
            key = label_key(name)
            sp_id = by_key.get(key)
            if sp_id is None:
                while f"s{n + 1}" in used_ids:
                    n += 1
                sp_id = f"s{n + 1}"
                used_ids.add(sp_id)
                table.append(Speaker(sp_id, name, SPEAKER_COLORS[(len(table)) % len(SPEAKER_COLORS)]))
                by_key[key] = sp_id
            if source.cue(cue_id).speaker_id != sp_id:
                assign[cue_id] = sp_id
        batch.append(edits.SetSpeakers(table))
        batch.append(edits.SetCueValues("speaker_id", assign))
    if plan.translation_language and plan.translation_language != source.translation_language:
        batch.append(edits.SetDocumentField("translation_language", plan.translation_language))
    return edits.Batch(batch)
