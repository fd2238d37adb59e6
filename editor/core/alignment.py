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
import itertools
import math
import os
import re
from dataclasses import dataclass, field, replace

import numpy as np

from editor.core import edits
from editor.core.errors import LimitError
from editor.core.formats import ReadOptions
from editor.core.language import char_script, detect_texts, script_of
from editor.core.model import SPEAKER_COLORS, Document, Review, Speaker, Timing
from editor.core.script import CJK_LETTER_RE, plain_text
from editor.core.speakers import label_key

CJK_WEIGHT = 3.5  # a CJK character carries about as much text as 3–4 Latin characters


# ----------------------------------------------------------------------------------------
# Plan


@dataclass
class LeftoverRun:
    """A run of consecutive translation text that matched no source cue.

    `first`/`last` are sentence numbers (0-based, translation order), `rows` the
    translation document's cue rows it came from (it starts at character `column` of
    row `rows[0]`), `after_cue` the id of the last source cue before the run (None when
    it comes before every matched cue), `text` the whole run, `preview` its start.
    `turns` holds (offset in `text`, speaker name) where each speaker's turn starts in the
    run, so left-over text keeps who said it as attached text does (empty when the
    translation names no speakers).
    """

    first: int
    last: int
    rows: tuple[int, int]
    after_cue: int | None
    preview: str
    text: str = ""  # all of it (one line)
    column: int = 0  # character offset of its start in translation cue `rows[0]`
    turns: tuple[tuple[int, str], ...] = ()

    @property
    def sentences(self) -> int:
        return self.last - self.first + 1

    @property
    def speaker(self) -> str | None:
        """Return the speaker of the turn the run starts in (None without speakers)."""
        return self.turns[0][1] if self.turns and self.turns[0][0] == 0 else None

    @property
    def speakers(self) -> list[str]:
        """Return the speakers of the run's turns, each once, in order."""
        return list(dict.fromkeys(name for _off, name in self.turns))


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
    untranslated: list[int] = field(default_factory=list)  # source cue ids: no translation found
    translation_chars: int = 0
    leftover_chars: int = 0

    def report(self) -> dict[str, object]:
        """Return what attaching leaves for the user to see later (`Document.translation_report`):
        the method, every leftover run with its position and text, the cues with no
        translation found, and the character counts."""
        return {
            "method": self.method,
            "translation_chars": self.translation_chars,
            "leftover_chars": self.leftover_chars,
            "leftover_sentences": self.leftover_sentences,
            "translation_sentences": self.translation_sentences,
            "leftovers": self.leftover_list(),
            "no_translation": list(self.untranslated),
        }

    def leftover_list(self) -> list[dict[str, object]]:
        """Return the leftovers as plain data (for JSON and the project file)."""
        return [
            {
                "after_cue": r.after_cue,
                "row": r.rows[0],
                "column": r.column,
                "last_row": r.rows[1],
                "sentences": [r.first, r.last],
                "text": r.text or r.preview,
                **({"speaker": r.speaker, "turns": [list(t) for t in r.turns]} if r.turns else {}),
            }
            for r in self.leftovers
        ]

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
        if self.leftover_chars:
            text += f" ({self.leftover_chars} of {self.translation_chars} characters)"
        if self.untranslated:
            text += f"; no translation found for {len(self.untranslated)} cues"
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


def _break_candidates(text: str) -> list[tuple[int, float]]:
    """Return (position, penalty) of places where `text` may be cut.

    After sentence punctuation is best, then clause marks, then spaces, then between two
    CJK characters that do not belong to one dictionary word; never inside a Latin word,
    a number, a URL or an e-mail address.
    """
    from editor.core import lexicon

    protected = bytearray(len(text) + 1)
    for m in _PROTECTED_RE.finditer(text):
        for k in range(m.start() + 1, m.end()):
            protected[k] = 1
    lex = lexicon.peek()
    inside = lex.inside_words(text) if lex is not None else frozenset()
    cands: list[tuple[int, float]] = []
    n = len(text)
    for p in range(1, n):
        prev, nxt = text[p - 1], text[p]
        if protected[p - 1] and protected[p]:
            continue
        if prev in _SENT_END or (prev == "." and nxt == " "):
            cands.append((p, 0.0))
        elif prev in _CLOSERS and p >= 2 and text[p - 2] in _SENT_END:
            cands.append((p, 0.0))
        elif prev in _CLAUSE:
            cands.append((p, 0.08))
        elif prev == " " and nxt != " ":
            cands.append((p, 0.15))
        elif _is_cjk(prev) and _is_cjk(nxt):
            cands.append((p, 0.6 if p in inside else 0.35))
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

# Classes of the boundary before a piece of translation text, weakest first. A space
# next to Latin text ("使用 Expect 库") is ordinary spacing, not a boundary.
B_SPACE, B_CLAUSE, B_LINE, B_SENT, B_PARA, B_TURN = 1, 2, 3, 4, 5, 6
_SENT_PUNCT = "。！？!?…"
_CLAUSE_PUNCT = "，；：、,;:"
# Spans never cut: URLs, e-mail addresses, numbers with separators ("1,000", "3.5", "12:30").
_PROTECTED_RE = re.compile(
    r"(?:https?://|www\.)[^\s，。、；！？）》」』】]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\d+(?:[.,:/]\d+)+"
    r"|[A-Za-z]+(?:[.'’-][A-Za-z]+)+"
)


# Candidates for a boundary: a run of sentence punctuation (a full stop only before a space,
# a closing mark or the end) with its closing marks, one clause mark, or a run of whitespace.
_CANDIDATE_RE = re.compile(
    r"((?:[。！？!?…]|\.(?=\s|$|[”’\"'」』）)】》]))[。！？!?….]*[”’\"'」』）)】》]*|[，；：、,;:])|\s+"
)


def _latinish(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "()[]{}\"'+-*/=<>&%$#@_")


def boundaries(text: str) -> list[tuple[int, int]]:
    """Return the (position, class) of every place `text` may be cut between clauses.

    Positions are offsets where the next piece starts (after the punctuation and the
    whitespace that follow it). Classes (B_*): a blank line is a paragraph, a line break
    a line, 。！？ and a full stop before a space a sentence, ，；：、 a clause, a space
    between two Chinese characters (as unpunctuated subtitles use it) a space. Never
    inside a URL, an e-mail address, a number or a word.
    """
    n = len(text)
    protected = bytearray(n + 1)
    for m in _PROTECTED_RE.finditer(text):
        protected[m.start() + 1 : m.end()] = b"\x01" * (m.end() - m.start() - 1)
    out: list[tuple[int, int]] = []
    done = 0  # whitespace up to here was read with the punctuation before it
    for m in _CANDIDATE_RE.finditer(text):
        i, j = m.start(), m.end()
        if i < done:
            continue
        punct = m.group(1)
        if punct is not None:
            cls = B_CLAUSE if punct[0] in _CLAUSE_PUNCT else B_SENT
            k = j
            while k < n and text[k].isspace():
                k += 1
        else:
            cls, k = 0, j
        done = k
        if k <= i or k >= n or protected[i]:
            continue
        nl = text.count("\n", i, k)
        if nl >= 2:
            cls = max(cls, B_PARA)
        elif nl == 1:
            cls = max(cls, B_LINE)
        elif not cls and i and (
            (not _latinish(text[i - 1]) and not _latinish(text[k]))
            or (text[i - 1] in ")]）】" and text[k] in "([（【")  # "[…] […]": bracketed lines
        ):
            cls = B_SPACE
        if cls:
            out.append((k, cls))
    return _note_boundaries(text, out)


# A bracketed note holding an e-mail address or a URL (a translator's credit or contact
# line) is no translation of anything said: it becomes a sentence of its own, so the
# alignment can leave it over instead of gluing it to the speech around it.
_NOTE_RE = re.compile(r"[(（][^()（）\n]*?(?:@|https?://|www\.)[^()（）\n]*[)）]")


def _note_boundaries(text: str, out: list[tuple[int, int]]) -> list[tuple[int, int]]:
    notes = list(_NOTE_RE.finditer(text))
    if not notes:
        return out
    found = dict(out)
    for m in notes:
        a, b = m.start(), m.end()
        while b < len(text) and text[b].isspace():
            b += 1
        for pos in (a, b):
            if 0 < pos < len(text):
                found[pos] = max(found.get(pos, 0), B_SENT)
        for pos in [q for q in found if a < q < b]:
            del found[pos]  # no cuts inside the note
    return sorted(found.items())


@dataclass
class _Stream:
    """Consecutive translation cues of one speaker, joined by blank lines (paragraphs)."""

    speaker: str | None
    text: str
    rows: list[int]  # translation cue row of each paragraph
    starts: list[int]  # offset in `text` where each paragraph starts


@dataclass
class _Unit:
    text: str
    speaker: str | None
    sentence: int
    row: int  # translation cue row where the unit starts
    weight: float
    turn_start: bool
    sent_start: bool = True
    key: int = 0  # index of its first piece: comparable between coarse and fine units
    cls: int = B_SENT  # class of the boundary before it (B_*)
    stream: int = 0
    start: int = 0  # offsets of its text in the stream
    end: int = 0
    inner: tuple[int, ...] = ()  # classes of the piece boundaries inside it


def _streams(translation: Document) -> list[_Stream]:
    """Return the translation's text as speaker streams (cue texts kept as written)."""
    streams: list[_Stream] = []
    for row, cue in enumerate(translation.cues):
        text = plain_text(cue.text).strip()
        if not text:
            continue
        name = translation.speaker_name(cue.speaker_id)
        if streams and streams[-1].speaker == name:
            st = streams[-1]
            st.text += "\n\n"
            st.starts.append(len(st.text))
            st.rows.append(row)
            st.text += text
        else:
            streams.append(_Stream(name, text, [row], [0]))
    return streams


def _pieces(streams: list[_Stream], soft_turn_weight: float) -> list[_Unit]:
    """Return the smallest units: the streams cut at every boundary (see `boundaries`).

    A speaker change is a turn boundary, except after a very short turn (an interjection
    such as "So what is it?", which speech often runs into the next sentence).
    """
    pieces: list[_Unit] = []
    n_sent = 0
    turn_w = math.inf
    for si, st in enumerate(streams):
        cuts = [(0, B_TURN), *boundaries(st.text), (len(st.text), 0)]
        for (a, cls), (b, _next) in itertools.pairwise(cuts):
            raw = st.text[a:b]
            text = raw.strip()
            if not text:
                continue
            lead = len(raw) - len(raw.lstrip())
            start, end = a + lead, a + lead + len(text)
            if cls == B_TURN and si and turn_w < soft_turn_weight:
                cls = B_PARA
            if cls >= B_LINE and pieces:
                n_sent += 1
            row = st.rows[max(0, bisect.bisect_right(st.starts, start) - 1)]
            w = text_weight(text)
            turn = cls == B_TURN
            sent = cls >= B_LINE
            key = len(pieces)
            pieces.append(_Unit(text, st.speaker, n_sent, row, w, turn, sent, key, cls, si, start, end))
            turn_w = w if cls == B_TURN else turn_w + w
    return pieces


def _group(pieces: list[_Unit], streams: list[_Stream], target_w: float, chunk_factor: float) -> list[_Unit]:
    """Return sentence units (pieces joined up to the next line/sentence boundary), long
    sentences cut at their strongest inner boundaries into chunks of about `target_w`."""
    units: list[_Unit] = []
    k = 0
    while k < len(pieces):
        e = k + 1
        while e < len(pieces) and pieces[e].cls < B_LINE:
            e += 1
        sent = pieces[k:e]
        total = sum(p.weight for p in sent)
        if total <= chunk_factor * target_w:
            groups = [sent]
        else:
            groups = []
            cur: list[_Unit] = []
            for p in sent:
                if cur and sum(q.weight for q in cur) >= 0.8 * target_w:
                    groups.append(cur)
                    cur = []
                cur.append(p)
            if cur:
                if groups and sum(q.weight for q in cur) < 0.3 * target_w:
                    groups[-1].extend(cur)
                else:
                    groups.append(cur)
        for g in groups:
            units.append(_merge_pieces(g, streams))
        k = e
    return units


def _merge_pieces(group: list[_Unit], streams: list[_Stream]) -> _Unit:
    first, last = group[0], group[-1]
    if first.stream == last.stream:
        text = streams[first.stream].text[first.start : last.end]
    else:
        text = join_texts([p.text for p in group])
    return _Unit(
        text,
        first.speaker,
        first.sentence,
        first.row,
        sum(p.weight for p in group),
        first.turn_start,
        first.sent_start,
        first.key,
        first.cls,
        first.stream,
        first.start,
        last.end,
        tuple(p.cls for p in group[1:]),
    )


def split_sentences(text: str) -> list[str]:
    """Return the sentences of `text` (ending at 。！？!?… or a period before a space,
    or at a line break)."""
    out: list[str] = []
    prev = 0
    for pos, cls in boundaries(text):
        if cls >= B_LINE:
            out.append(text[prev:pos].strip())
            prev = pos
    out.append(text[prev:].strip())
    return [s for s in out if s]


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
    # Match types of the second pass, on clause-sized pieces: one cue takes several
    # pieces far more often than several cues share one (a cue's clause count says little
    # about it; a cut inside a clause is a guess).
    refine_types: tuple[tuple[int, int, float], ...] = (
        (1, 1, 0.0),
        (1, 2, 0.125),
        (1, 3, 0.25),
        (1, 4, 0.375),
        (1, 5, 0.55),
        (2, 1, 1.3),
        (2, 2, 2.34),
        (2, 3, 2.99),
        (3, 1, 2.6),
        (3, 2, 3.64),
        (4, 1, 3.9),
    )
    # Translation text before the first and after the last matched unit (a translation
    # of the whole programme against a clip of it) is skipped nearly for free.
    edge_open: float = 1.0
    edge_extend: float = 0.5
    gap_open: float = 6.0  # opening a run of unmatched translation
    gap_extend: float = 0.3  # per unmatched translation unit once open
    gap_extend_per_char: float = 0.0  # … plus this per Latin character (both gap kinds)
    # A second, "long" gap kind (two-piece affine gap cost, as minimap2 uses for long
    # deletions): dear to open, nearly free to extend, so one long skip of translation
    # text (the rest of an interview) costs about the same however long it is.
    long_gap_open: float = 16.0
    long_gap_extend: float = 0.02
    src_gap_open: float = 4.0  # opening a run of unmatched source cues
    src_gap_extend: float = 1.0  # per unmatched source cue
    turn_cross: float = 3.0  # a match whose translation units cross a speaker turn
    turn_gap_bonus: float = 1.5  # a gap starting (or ending) at a turn boundary
    # A turn after a shorter one (an interjection) is a soft boundary (a paragraph).
    soft_turn_weight: float = 60.0
    # Boundary agreement: the cost of a match that starts a source cue after a boundary of
    # class (row: none, clause, sentence, unknown — English without punctuation) at a
    # translation boundary of class (column: -, space, clause, line, sentence,
    # paragraph, turn), and of boundaries left inside a match.
    boundary: tuple[tuple[float, ...], ...] = (
        (0.0, 0.0, 0.0, 0.5, 0.5, 0.5, 1.5),
        (0.0, 0.0, 0.0, 0.5, 0.5, 0.5, 1.5),
        (0.0, 1.0, 1.0, 0.0, 0.0, 0.0, -1.5),
        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
        (0.0, 0.5, 1.0, 0.0, 0.0, 0.0, 0.0),
    )
    # A cue boundary a few words from an English sentence end ("…it looks like / this.
    # Here on…") is "near" one: translators end their line at the sentence end.
    near_words: int = 3
    inner: tuple[float, ...] = (0.0, 1.0, 0.0, 0.3, 0.6, 1.0, 3.0)
    space_style_share: float = 0.3
    space_style_clause: float = 0.7
    space_style_inner: float = 1.0  # a space inside a match, in space-style text
    line_style_inner: float = 0.5  # added to a line break inside a match, in line-style text
    src_inner: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0, 0.0)
    # Dictionary anchors (English words voting for the Chinese words that translate them):
    # bonus per shared word, scaled down by how many cues and pieces share it.
    dictionary: bool = True  # use the English–Chinese dictionary when both sides fit
    dict_weight: float = 2.0
    dict_cap: float = 6.0
    dict_idf: float = 0.5  # bonus / (cues × pieces sharing the word) ** dict_idf
    # A word so common that its vote weighs less than this says nothing (and costs time).
    dict_min: float = 0.02
    anchor_weight: float = 4.0  # bonus of a token unique in both texts
    anchor_cap: float = 8.0  # at most this bonus per cue–unit pair
    token_miss: float = 0.75  # a translation token (name, number) the matched cues lack
    note_cost: float = 6.0  # matching a bracketed note with an e-mail address or URL
    note_skip: float = 0.5  # … and leaving it over
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
    # A translator's note (a bracketed credit or contact line) translates nothing said.
    miss = np.array([p.note_cost if _NOTE_RE.fullmatch(u.text) else 0.0 for u in units])
    if not unit_toks:
        return {}, miss
    limit = max(50, len(units) // 20)
    for j, toks in enumerate(unit_sets):
        miss[j] += p.token_miss * sum(1 for t in toks if len(unit_toks[t]) <= limit)
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


def _lexical_rows(
    src_texts: list[str],
    units: list[_Unit],
    lex: object,
    p: LengthParams,
    lo: np.ndarray | None = None,
    hi: np.ndarray | None = None,
) -> dict[int, dict[int, float]]:
    """Return dictionary bonuses {source index: {unit index: bonus}} inside the windows.

    A cue and a unit score for every English content word of the cue that the dictionary
    translates by a Chinese word found in the unit, weighted by rarity (a word every cue
    has says nothing about which unit is which).
    """
    from editor.core import lexicon

    src_stems = [lexicon.english_stems(t) for t in src_texts]
    postings: dict[str, list[int]] = {}
    for j, u in enumerate(units):
        for st in lex.chinese_stems(u.text):  # type: ignore[attr-defined]
            postings.setdefault(st, []).append(j)
    df_src: dict[str, int] = {}
    for stems in src_stems:
        for st in stems:
            if st in postings:
                df_src[st] = df_src.get(st, 0) + 1
    out: dict[int, dict[int, float]] = {}
    m = len(units)
    for i, stems in enumerate(src_stems):
        a = int(lo[i]) if lo is not None else 0
        b = int(hi[i + 1]) if hi is not None else m
        row: dict[int, float] = {}
        for st in stems:
            js = postings.get(st)
            if not js:
                continue
            w = p.dict_weight / (df_src[st] * len(js)) ** p.dict_idf
            if w < p.dict_min:
                continue
            for j in js[bisect.bisect_left(js, a) : bisect.bisect_right(js, b)]:
                row[j] = min(p.dict_cap, row.get(j, 0.0) + w)
        if row:
            out[i] = row
    return out


def _merge_anchors(
    a: dict[int, dict[int, float]], b: dict[int, dict[int, float]]
) -> dict[int, dict[int, float]]:
    out = {i: dict(row) for i, row in a.items()}
    for i, row in b.items():
        dst = out.setdefault(i, {})
        for j, v in row.items():
            dst[j] = dst.get(j, 0.0) + v
    return out


def _dp(
    sw: np.ndarray,
    tw: np.ndarray,
    ts: np.ndarray,
    anchors: dict[int, dict[int, float]],
    p: LengthParams,
    ratio: float,
    lo: np.ndarray,
    hi: np.ndarray,
    scls: np.ndarray | None = None,
    ucls: np.ndarray | None = None,
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
    if scls is None:
        scls = np.full(n, 3, dtype=np.int64)
    if ucls is None:
        ucls = np.where(ts > 0, B_TURN, B_SENT).astype(np.int64)
    bm = np.array(p.boundary, dtype=np.float64)
    inner = np.array(p.inner, dtype=np.float64)
    # Subtitle-style Chinese marks the translator's lines with a space (or a line break)
    # where a comma or nothing would be: those marks are its cue ends, its commas sit
    # inside them, and a line break there is no sentence end.
    n_clause = int((ucls == B_CLAUSE).sum()) if m else 0
    for sep in (B_SPACE, B_LINE):
        n_sep = int((ucls == sep).sum()) if m else 0
        if n_sep >= 5 and n_sep >= p.space_style_share * (n_sep + n_clause):
            bm[:, B_CLAUSE] += p.space_style_clause
            # There a space is an ordinary cue end; elsewhere (`inner`) a space between two
            # Chinese characters is a line end whose punctuation was dropped.
            inner[sep] = p.space_style_inner if sep == B_SPACE else inner[sep] + p.line_style_inner
            if sep == B_LINE:
                bm[:, B_LINE] = bm[:, B_SPACE]
    inner_c = inner[ucls] if m else np.zeros(0)
    icum = np.concatenate([[0.0], np.cumsum(inner_c)])
    src_in = np.array(p.src_inner, dtype=np.float64)[scls] if n else np.zeros(0)
    sicum = np.concatenate([[0.0], np.cumsum(src_in)])
    src_inner_any = bool(np.any(src_in))
    for nl in range(1, maxl + 1):
        j0 = np.maximum(cols_all - nl, 0)
        lt_by_l[nl] = tcum - tcum[j0]
        miss_by_l[nl] = mcum - mcum[j0]
        cross_by_l[nl] = icum - icum[np.minimum(j0 + 1, cols_all)]
    # Boundary agreement cost of a match whose first unit is j - nl, by the class of the
    # boundary before its first source cue: (source classes × match length × columns).
    bound_by_l: dict[int, np.ndarray] = {}
    for nl in range(1, maxl + 1):
        first = np.clip(cols_all - nl, 0, max(m - 1, 0))
        u_c = ucls[first] if m else np.zeros(m + 1, dtype=np.int64)
        bound_by_l[nl] = bm[:, u_c]
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
    edge_ext = np.concatenate(
        [[0.0], np.cumsum(p.edge_extend + (gap_unit if gap_unit is not None else 0.0) * np.ones(m))]
    )
    edge_kind = (edge_ext, np.full(m + 1, float(p.edge_open)))
    edge_kinds = [edge_kind, edge_kind]
    # Both gap kinds side by side: (2, m+1) extension sums and open − extension.
    gap_ext2 = np.stack([k[0] for k in gap_kinds])
    gap_y2 = np.stack([k[1] - k[0] for k in gap_kinds])
    edge_ext2 = np.stack([k[0] for k in edge_kinds])
    edge_y2 = np.stack([k[1] - k[0] for k in edge_kinds])
    tnext = np.zeros(m + 1)
    tnext[:m] = tsf
    close_bonus = p.turn_gap_bonus * tnext
    # Anchor bonus rows as column prefix sums, each only over the columns the DP reads it
    # at (rows r+1 … r+maxk): (first column, sums). A constant offset cancels, since only
    # differences of one row's sums are used.
    anchor_cum: dict[int, tuple[int, np.ndarray]] = {}
    for r, row in anchors.items():
        if not row or r >= n:
            continue
        c_lo = max(0, int(lo[r + 1]) - maxl)
        c_hi = int(hi[min(n, r + maxk)])
        if c_hi < c_lo:
            continue
        cols_r = np.fromiter(row.keys(), dtype=np.int64, count=len(row)) + 1 - c_lo
        vals = np.fromiter(row.values(), dtype=np.float64, count=len(row))
        keep = (cols_r >= 0) & (cols_r <= c_hi - c_lo)
        inc = np.bincount(cols_r[keep], weights=vals[keep], minlength=c_hi - c_lo + 1)
        anchor_cum[r] = (c_lo, np.cumsum(inc))

    rinv = 1.0 / ratio
    src_open = p.src_gap_open + p.src_gap_extend
    # Per type: rows back (k), units (l), and the cost terms that depend only on the
    # column, stacked so one row of the DP is a handful of array operations.
    k_arr = np.array([t[0] for t in types])
    l_arr = np.array([t[1] for t in types])
    prior_arr = np.array([t[2] for t in types])
    lt2 = np.stack([lt_by_l[nl] for nl in l_arr])
    # Gale–Church denominator (times the variance) less its source part, added per row.
    den2 = lt2 * (rinv * p.variance)
    extra2 = np.stack([cross_by_l[nl] + miss_by_l[nl] for nl in l_arr]) + prior_arr[:, None]
    # Everything that depends on the column and the class of the match's first source cue:
    # (classes, types, cols).
    bound3 = np.stack([bound_by_l[nl] for nl in l_arr], axis=1) + extra2[None, :, :]
    t_idx = np.arange(len(types))
    ring = maxk + 1
    best_buf = np.full((ring, m + 1 + pad), _INF)  # best (any state, gap closed) of recent rows
    best_flat = best_buf.reshape(-1)  # a view: row r, column c is at r * stride + c
    stride = m + 1 + pad
    offs = pad - l_arr
    ar = np.arange(m + 1)
    best_rows: list[np.ndarray] = []
    # Match / source-gap / translation-gap values of the previous row, full width. Windows
    # never move left, so a cell is read only after the previous row wrote it (or never
    # written: still infinite).
    prev_buf = np.full((3, m + 1), _INF)
    prev_gk_buf = np.zeros(m + 1, dtype=np.int8)
    mk_rows: list[np.ndarray] = []
    sfrom_rows: list[np.ndarray] = []
    gstart_rows: list[np.ndarray] = []
    gxs_rows: list[np.ndarray] = []
    state_rows: list[np.ndarray] = []
    for i in range(n + 1):
        a, b = int(lo[i]), int(hi[i])
        width = b - a + 1
        cols = np.arange(a, b + 1)
        if i == 0:
            mrow = np.full(width, _INF)
            mk = np.zeros(width, dtype=np.int8)
            if a == 0:
                mrow[0] = 0.0
        else:
            # All match types at once: a (types × width) array of candidates.
            k_back = np.maximum(i - k_arr, 0)
            prev = best_flat[((k_back % ring) * stride + offs + a)[:, None] + ar[:width]]
            ls = scum[i] - scum[k_back]
            diff = lt2[:, a : b + 1] - (ratio * ls)[:, None]
            cost = np.square(diff)
            cost /= den2[:, a : b + 1] + ((ls + 1.0) * p.variance)[:, None]
            cost += bound3[scls[np.minimum(k_back, n - 1)], t_idx, a : b + 1]
            if src_inner_any:
                cost += (sicum[i] - sicum[np.minimum(k_back + 1, i)])[:, None]
            if anchor_cum and any((i - 1 - kk) in anchor_cum for kk in range(maxk)):
                # Bonus of type (k, nl) at column j: the anchors of source rows i-k..i-1
                # with units j-nl..j-1, from the rows' column prefix sums, all types at once.
                c0 = max(0, a - maxl)
                win = np.zeros((maxk, b + 1 - c0))
                for kk in range(min(maxk, i)):
                    ac = anchor_cum.get(i - 1 - kk)
                    if ac is not None:
                        win[kk] = ac[1][c0 - ac[0] : b + 1 - ac[0]]
                rows_sum = np.cumsum(win, axis=0)[np.minimum(k_arr, i) - 1]
                hi_idx = cols - c0
                lo_idx = np.maximum(cols[None, :] - l_arr[:, None], 0) - c0
                t_rows = np.arange(len(types))[:, None]
                cost -= rows_sum[:, hi_idx] - rows_sum[t_rows, lo_idx]
            cand = prev + cost
            if i < maxk:
                cand[k_arr > i] = _INF
            mk = np.argmin(cand, axis=0)
            mrow = cand[mk, ar[:width]]
            mk = mk.astype(np.int8)
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
            opened = np.where(open_from_g, prev_g, prev_m)
            opened += src_open
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
        ext2, y2 = (edge_ext2, edge_y2) if i in (0, n) else (gap_ext2, gap_y2)
        y = x + y2[:, a : b + 1]
        cm = np.minimum.accumulate(y, axis=1)
        arg = np.maximum.accumulate(np.where(y <= cm, cols, -1), axis=1)
        g_rows = np.full((2, width), _INF)
        g_starts = np.full((2, width), -1, dtype=np.int32)
        if width > 1:
            g_rows[:, 1:] = cm[:, :-1] + ext2[:, a + 1 : b + 1]
            g_starts[:, 1:] = arg[:, :-1]
        gkind = (g_rows[1] < g_rows[0]).astype(np.int8)
        grow = g_rows.min(axis=0)
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


_SRC_NONE, _SRC_CLAUSE, _SRC_SENT, _SRC_UNKNOWN, _SRC_NEAR = 0, 1, 2, 3, 4
_WORD_END_RE = re.compile(r"[.?!…][”’\"')\]]*$")


def _ends_sentence(word: str) -> bool:
    return bool(_WORD_END_RE.search(word)) and not _PROTECTED_RE.fullmatch(word.rstrip(".?!…”’\"')]"))


def source_classes(src_texts: list[str], near_words: int = 0) -> np.ndarray:
    """Return the class of the boundary before each source cue (_SRC_*).

    English that marks almost no boundaries (run-on captions) gets "unknown" everywhere:
    a missing full stop there says nothing about where a translation sentence starts.
    """
    n = len(src_texts)
    cls = np.full(n, _SRC_SENT, dtype=np.int64)
    punctuated = 0
    near = np.zeros(n, dtype=bool)
    for i in range(1, n):
        prev = src_texts[i - 1].rstrip().rstrip(_CLOSERS)
        last = prev[-1] if prev else ""
        if last in _SENT_END or last == ".":
            cls[i] = _SRC_SENT
        elif last in _CLAUSE or last in "-–—":
            cls[i] = _SRC_CLAUSE
        else:
            cls[i] = _SRC_NONE
        punctuated += last in _SENT_END or last in ".,;:?!"
        if near_words and cls[i] != _SRC_SENT:
            before = src_texts[i - 1].split()[-near_words - 1 : -1]
            words = src_texts[i].split()
            after = words[: min(near_words, len(words) - 1)]  # a cue that is all tail ("here.") is no start
            near[i] = any(_ends_sentence(w) for w in before + after)
    if n >= 8 and punctuated < 0.15 * (n - 1):
        cls[:] = _SRC_UNKNOWN
    # Captions cut at a fixed width with their sentences inside them: where a sentence
    # ends a word or two from a cue boundary the translator likely ended the line there.
    cls[near] = _SRC_NEAR
    if n:
        cls[0] = _SRC_UNKNOWN  # a clip may start anywhere in its translation
    return cls


def _note_gaps(units: list[_Unit], p: LengthParams) -> np.ndarray | None:
    """Return the cost of leaving each unit unmatched beyond the gap costs: a translator's
    note skipped alone costs about nothing (a gap opened for it must not swallow the
    sentence after it for free). None when the translation has no notes."""
    notes = np.array([bool(_NOTE_RE.fullmatch(u.text)) for u in units])
    if not notes.any():
        return None
    saved = p.gap_open + p.gap_extend - p.note_skip
    # The units either side pay back what the note saved when the same gap takes them.
    beside = np.zeros(len(units), dtype=bool)
    beside[1:] |= notes[:-1]
    beside[:-1] |= notes[1:]
    return np.where(notes, -saved, np.where(beside, saved, 0.0))


def _unit_arrays(src_texts: list[str], units: list[_Unit], near_words: int = 0) -> tuple[np.ndarray, ...]:
    """Return (source weights, unit weights, turn starts, unit boundary classes, source classes)."""
    sw = np.array([max(1.0, text_weight(t)) for t in src_texts])
    tw = np.array([max(1.0, u.weight) for u in units])
    ts = np.array([1 if u.cls == B_TURN else 0 for u in units], dtype=np.int64)
    ucls = np.array([u.cls for u in units], dtype=np.int64)
    if len(units):
        ts[0] = 1  # the start of the text is a boundary as good as a turn
        ucls[0] = B_TURN
    return sw, tw, ts, ucls, source_classes(src_texts, near_words)


def _align_large(
    src_texts: list[str], pieces: list[_Unit], p: LengthParams, latin_words: bool, lex: object | None
) -> tuple[list[tuple[str, int, int, int, int]], float]:
    """Return the steps of one banded pass on the pieces (see `align_lengths`)."""
    sw, tw, ts, ucls, scls = _unit_arrays(src_texts, pieces, p.near_words)
    whole = float(tw.sum()) / max(1.0, float(sw.sum()))
    ratio = p.ratio or (whole if 0.5 <= whole <= 2.0 else 1.0)
    coarse = replace(p, types=p.refine_types)
    lo, hi = _band_from_coarse(sw, tw, ts, coarse, ratio)
    anchors, miss = _anchor_rows(src_texts, pieces, latin_words, p)
    if lex is not None:
        anchors = _merge_anchors(anchors, _lexical_rows(src_texts, pieces, lex, p, lo, hi))
    return _dp(sw, tw, ts, anchors, coarse, ratio, lo, hi, scls, ucls, miss, _note_gaps(pieces, p))[0], ratio


def align_lengths(
    src_texts: list[str],
    units: list[_Unit],
    params: LengthParams | None = None,
    *,
    latin_words: bool = True,
    refine: list[_Unit] | None = None,
    lex: object | None = None,
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
    if refine is not None and (n + 1) * (m + 1) > p.full_cells:
        # A large input: one banded pass on the pieces, in a band around a coarse (blocked)
        # alignment of the pieces themselves (two banded passes would cost twice as much).
        return _align_large(src_texts, refine, p, latin_words, lex)
    sw, tw, ts, ucls, scls = _unit_arrays(src_texts, units, p.near_words)
    anchors, miss = _anchor_rows(src_texts, units, latin_words, p)
    if lex is not None and (n + 1) * (m + 1) <= p.full_cells:
        anchors = _merge_anchors(anchors, _lexical_rows(src_texts, units, lex, p))
    # Start from the overall length ratio when the two texts are of comparable size (a
    # translation of about the same material); the estimate below corrects it otherwise.
    whole = float(tw.sum()) / max(1.0, float(sw.sum()))
    ratio = p.ratio or (whole if 0.5 <= whole <= 2.0 else 1.0)

    def run(r: float) -> list[tuple[str, int, int, int, int]]:
        if (n + 1) * (m + 1) <= p.full_cells:
            lo, hi = np.zeros(n + 1, dtype=int), np.full(n + 1, m)
        else:
            lo, hi = _band_from_coarse(sw, tw, ts, p, r)
        return _dp(sw, tw, ts, anchors, p, r, lo, hi, scls, ucls, miss, note_gaps)[0]

    note_gaps = _note_gaps(units, p)

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
    sw2, tw2, ts2, ucls2, scls2 = _unit_arrays(src_texts, refine, p.near_words)
    anchors2, miss2 = _anchor_rows(src_texts, refine, latin_words, p)
    if lex is not None:
        anchors2 = _merge_anchors(anchors2, _lexical_rows(src_texts, refine, lex, p, lo, hi))
    # The second pass only moves cuts: a sentence the first pass matched stays matched,
    # one it left over stays left over (forbidding the other choice costs `_FORBID`).
    matched_sent: set[int] = set()
    for kind, _i0, _i1, j0, j1 in steps:
        if kind == "m":
            matched_sent.update(units[j].sentence for j in range(j0, j1))
    in_match = np.array([u.sentence in matched_sent for u in refine])
    miss2 = miss2 + np.where(in_match, 0.0, _FORBID)
    gap_unit = np.where(in_match, _FORBID, 0.0)
    p2 = replace(p, types=p.refine_types)
    steps2, _ = _dp(sw2, tw2, ts2, anchors2, p2, ratio, lo, hi, scls2, ucls2, miss2, gap_unit)
    return steps2, ratio


# ----------------------------------------------------------------------------------------
# Public API


def _all_exact(doc: Document) -> bool:
    return bool(doc.cues) and all(c.timing == Timing.EXACT for c in doc.cues)


def _meaningful_times(doc: Document) -> bool:
    return any(c.end_ms > 0 for c in doc.cues) and len({c.start_ms for c in doc.cues}) > min(1, len(doc) - 1)


def read_translation(
    path: str | os.PathLike[str], *, encoding: str | None = None, options: ReadOptions | None = None
) -> Document:
    """Return a translation file read for attaching: a plain-text translation is kept in
    its paragraphs and turns (not cut into subtitle cues), so spaces, line breaks and
    paragraph breaks still mark its clauses. Raises ParseError/OSError as `documents.load`."""
    from editor.core import documents

    opts = replace(options, segment=False) if options is not None else ReadOptions(segment=False)
    return documents.load(path, encoding=encoding, options=opts)


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


def _one_line_text(text: str) -> str:
    """Return translation text on one line: line breaks joined as `join_texts` joins cues."""
    return join_texts(text.split("\n")) if "\n" in text else text.strip()


def _units_text(units: list[_Unit], streams: list[_Stream]) -> tuple[str, list[tuple[int, int, _Unit]]]:
    """Return the text of consecutive units as written (their stream slices, on one line)
    and each unit's span in it."""
    parts: list[str] = []
    k = 0
    while k < len(units):
        e = k + 1
        while e < len(units) and units[e].stream == units[k].stream:
            e += 1
        parts.append(streams[units[k].stream].text[units[k].start : units[e - 1].end])
        k = e
    text = _one_line_text("\n".join(parts))
    spans: list[tuple[int, int, _Unit]] = []
    pos = 0
    for u in units:
        probe = _one_line_text(u.text)
        at = text.find(probe, pos)
        at = pos if at < 0 else at
        spans.append((at, at + len(probe), u))
        pos = at + len(probe)
    return text, spans


def _translation_units(
    translation: Document, target_w: float, p: LengthParams
) -> tuple[list[_Stream], list[_Unit], list[_Unit]]:
    """Return the translation's streams, its pieces and its sentence units (see `_group`)."""
    streams = _streams(translation)
    pieces = _pieces(streams, p.soft_turn_weight)
    return streams, pieces, _group(pieces, streams, target_w, p.chunk_factor)


def _align_length(
    source: Document, translation: Document, carry_speakers: bool, params: LengthParams | None
) -> AlignmentPlan:
    src_texts = [_one_line(c.text) for c in source.cues]
    weights = [text_weight(t) for t in src_texts if t.strip()]
    target = float(np.median(weights)) if weights else 60.0
    p = params or LengthParams()
    streams, pieces, coarse_units = _translation_units(translation, target, p)
    refine = pieces if p.refine_chunk_factor is not None else None
    units = refine if refine is not None else coarse_units
    src_script = script_of(" ".join(src_texts[:200]))
    tr_script = script_of(" ".join(u.text for u in units[:200]))
    latin_words = src_script != tr_script
    lex = None
    if p.dictionary and latin_words:
        from editor.core import lexicon

        if src_script == "latin" and tr_script == "cjk":
            lex = lexicon.load()
    steps, _ratio = align_lengths(src_texts, coarse_units, p, latin_words=latin_words, refine=refine, lex=lex)
    if refine is not None and steps and [u.key for u in refine] == [u.key for u in coarse_units]:
        units = coarse_units
    plan = AlignmentPlan("length", translation_sentences=len({u.sentence for u in pieces}))
    plan.translation_chars = sum(len(u.text) for u in pieces)
    n = len(source.cues)
    cue_speakers: list[str | None] = [None] * n
    matched = [False] * n
    piece_used = [False] * len(pieces)

    def end_key(j: int) -> int:
        return units[j].key if j < len(units) else len(pieces)

    for kind, i0, i1, j0, j1 in steps:
        if kind == "s":
            plan.unmatched_cues += i1 - i0
            plan.untranslated.extend(source.cues[i].id for i in range(i0, i1))
            continue
        if kind != "m":
            continue
        group = units[j0:j1]
        for k in range(units[j0].key, end_key(j1)):
            piece_used[k] = True
        text, spans = _units_text(group, streams)
        if i1 - i0 == 1:
            parts = [text]
            spk = [_majority([(u.speaker, u.weight) for u in group])]
        else:
            parts, spk = _distribute(text, spans, [text_weight(src_texts[i]) for i in range(i0, i1)])
        for off, i in enumerate(range(i0, i1)):
            cue = source.cues[i]
            plan.pairs[cue.id] = parts[off]
            cue_speakers[i] = spk[off]
            matched[i] = bool(parts[off])
            if not parts[off]:
                plan.untranslated.append(cue.id)
    if carry_speakers and any(u.speaker for u in pieces):
        _carry(source, cue_speakers, matched, plan)
    # Where each leftover run falls: after the last source cue matched to an earlier piece.
    marks = [(end_key(j1), source.cues[i1 - 1].id) for kind, _i0, i1, _j0, j1 in steps if kind == "m"]
    after_piece: list[int | None] = [None] * len(pieces)
    mi = 0
    cur: int | None = None
    for k in range(len(pieces)):
        while mi < len(marks) and marks[mi][0] <= k:
            cur = marks[mi][1]
            mi += 1
        after_piece[k] = cur
    left_sent: set[int] = set()
    k = 0
    while k < len(pieces):
        if piece_used[k]:
            k += 1
            continue
        e = k
        while e < len(pieces) and not piece_used[e]:
            e += 1
        run = pieces[k:e]
        text, spans = _units_text(run, streams)
        first = run[0]
        st = streams[first.stream]
        para = max(0, bisect.bisect_right(st.starts, first.start) - 1)
        preview = text[:40] + ("…" if len(text) > 40 else "")
        plan.leftovers.append(
            LeftoverRun(
                first.sentence,
                run[-1].sentence,
                (first.row, run[-1].row),
                after_piece[k],
                preview,
                text=text,
                column=first.start - st.starts[para],
                turns=_turns([(at, u.speaker) for at, _end, u in spans]),
            )
        )
        left_sent.update(u.sentence for u in run)
        plan.leftover_chars += sum(len(u.text) for u in run)
        k = e
    plan.leftover_sentences = len(left_sent)
    return plan


def _turns(starts: list[tuple[int, str | None]]) -> tuple[tuple[int, str], ...]:
    """Return (offset, speaker) where the speaker changes in a run of text whose pieces
    start at the given offsets with the given speakers (unnamed pieces start no turn)."""
    out: list[tuple[int, str]] = []
    prev: str | None = None
    for at, name in starts:
        if name and name != prev:
            out.append((at, name))
        prev = name
    return tuple(out)


def _offsets(joined: str, parts: list[str]) -> list[int]:
    """Return where each of `parts` starts in `joined` (their `join_texts`)."""
    out: list[int] = []
    pos = 0
    for part in parts:
        probe = part.strip()
        at = joined.find(probe, pos) if probe else -1
        at = pos if at < 0 else at
        out.append(at)
        pos = at + len(probe)
    return out


def _majority(weighted: list[tuple[str | None, float]]) -> str | None:
    tally: dict[str | None, float] = {}
    for name, w in weighted:
        tally[name] = tally.get(name, 0.0) + w
    return max(tally.items(), key=lambda kv: kv[1])[0] if tally else None


def _distribute(
    joined: str, spans: list[tuple[int, int, _Unit]], cue_weights: list[float]
) -> tuple[list[str], list[str | None]]:
    """Return `joined` (the text of `spans`' units) cut over several cues by their
    weights, and each part's speaker."""
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
    plan.translation_chars = sum(len(plain_text(c.text).strip()) for c in translation.cues)
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
                    text=join_texts(parts := [plain_text(translation.cues[r].text) for r in run]),
                    turns=_turns(
                        [
                            (at, translation.speaker_name(translation.cues[r].speaker_id))
                            for r, at in zip(run, _offsets(join_texts(parts), parts), strict=True)
                        ]
                    ),
                )
            )
            plan.leftover_chars += len(plan.leftovers[-1].text)
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
    The translation language is set when known, and `Document.translation_report`
    records the method, the leftovers and the cues with no translation found.
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
    batch.append(edits.SetDocumentField("translation_report", plan.report()))
    if plan.translation_language and plan.translation_language != source.translation_language:
        batch.append(edits.SetDocumentField("translation_language", plan.translation_language))
    return edits.Batch(batch)
