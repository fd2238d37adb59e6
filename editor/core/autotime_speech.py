"""Align to Audio, speech-model layer for English: forced alignment with pocketsphinx.

pocketsphinx (>= 5; its wheel ships the US English acoustic model and dictionary, nothing is
downloaded) is imported only here and only when alignment runs, so the editor works without it.

The known words are aligned chunk by chunk (`Decoder.set_align_text`, `process_raw(full_utt=
True)`, `seg()`): a whole file as one utterance does not match its grammar, and a window much
longer than its speech drifts. A chunk holds ~CHUNK_WORDS words; its audio starts where the
previous chunk placed its first word and is as long as the pause layer's estimate of the
chunk's speech ×1.1 + 1.5 s; the last OVERLAP_WORDS words of a chunk are aligned again by the
next one (a chunk's end is its least sure part). Each chunk gets ±2 LSB of dither (digital
silence breaks the acoustic features). A chunk that fails is retried with wide beams, then as
two half-size chunks; words that still fail keep the pause layer's time. A word start that lies
inside a detected pause moves to the pause's end.

Text is normalised first: lower case, numbers spelled out ("2024", "4o", "3.5", "1st"), short
all-capital acronyms spelled letter by letter, and words missing from the dictionary added with
a letter-to-sound guess.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from editor.core.autotime import (
    AudioTrack,
    Progress,
    Token,
    WordTimes,
    _check,
    _speech_span,
    _spread,
)
from editor.core.pauses import Pause

CHUNK_WORDS = 120
OVERLAP_WORDS = 15
MIN_CHUNK_WORDS = 8
WINDOW_STRETCH = 1.1
WINDOW_EXTRA_MS = 1500
LEAD_MS = 300  # a chunk's audio starts this long before its first word's expected start
FRAME_MS = 10
CHILD_NICE = 10  # the model's process runs this much below the window's priority
INSIDE_PAUSE_MS = 60  # a word start this far inside a pause is the model's mistake, not a soft onset
_FILLERS = frozenset({"<s>", "</s>", "<sil>", "[NOISE]", "[noise]", "<unk>"})


def unavailable_reason(track: AudioTrack) -> str:
    """Return why the speech model cannot align this track ("" when it can)."""
    try:
        import pocketsphinx  # noqa: F401
    except Exception as exc:  # an import error or a broken native library: the pause layer stands in
        return f"the speech model (pocketsphinx) cannot be loaded: {exc}"
    if track.pcm16k is None or not len(track.pcm16k):
        return "the media's audio is not available at 16 kHz for the speech model"
    return ""


# -- text normalisation ------------------------------------------------------------------

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()  # noqa: E501
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


def number_words(n: int) -> list[str]:
    """Return a whole number 0..999,999,999,999 in English words."""
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + ([_ONES[n % 10]] if n % 10 else [])
    if n < 1000:
        return [_ONES[n // 100], "hundred"] + (number_words(n % 100) if n % 100 else [])
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            return number_words(n // size) + [name] + (number_words(n % size) if n % size else [])
    return [str(n)]


def _digits(text: str) -> list[str]:
    """Return the words for a run of digits as said: years in pairs, leading zeros digit by digit."""
    if len(text) > 1 and text.startswith("0"):
        return [_ONES[int(d)] for d in text]
    n = int(text)
    if len(text) == 4 and 1100 <= n <= 2099 and n % 100 and not 2001 <= n <= 2009:
        tail = n % 100
        return number_words(n // 100) + (["oh", _ONES[tail]] if tail < 10 else number_words(tail))
    if len(text) > 12:
        return [_ONES[int(d)] for d in text]
    return number_words(n)


def _ordinal(words: list[str]) -> list[str]:
    last = words[-1]
    if last in _ORDINAL:
        return [*words[:-1], _ORDINAL[last]]
    if last.endswith("y"):
        return [*words[:-1], last[:-1] + "ieth"]
    return [*words[:-1], last + "th"]


_PIECE_RE = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+(?:'[^\W\d_]+)*", re.UNICODE)
_SYMBOLS = {"&": "and", "%": "percent", "+": "plus", "=": "equals", "@": "at", "$": "dollars", "€": "euros"}


def normalise(word: str, in_dictionary) -> list[str]:  # type: ignore[no-untyped-def]
    """Return what the speech model should hear for one written word (possibly nothing):
    lower-case dictionary words, numbers spelled out, short acronyms letter by letter."""
    out: list[str] = []
    for sym, said in _SYMBOLS.items():
        if sym in word and not any(ch.isalnum() for ch in word.replace(sym, "")):
            return [said]
    pieces = _PIECE_RE.findall(word)
    for k, piece in enumerate(pieces):
        if piece[0].isdigit():
            if "." in piece:
                whole, frac = piece.split(".", 1)
                out += _digits(whole) + ["point"] + [_ONES[int(d)] for d in frac]
            else:
                said = _digits(piece)
                nxt = pieces[k + 1].lower() if k + 1 < len(pieces) else ""
                if nxt in ("st", "nd", "rd", "th"):
                    said = _ordinal(said)
                out += said
            if "%" in word:
                out.append("percent")
            continue
        low = piece.lower()
        if low in ("st", "nd", "rd", "th") and k and pieces[k - 1][0].isdigit():
            continue
        acronym = piece.isupper() and 1 < len(piece) <= 5
        if acronym and not (in_dictionary(low) and len(piece) > 3):
            out += list(low)  # letters are dictionary words ("b" → B IY)
        elif k and pieces[k - 1][0].isdigit() and len(low) <= 2 and not in_dictionary(low):
            out += list(low)  # "4o" → four o
        else:
            out.append(low)
    return out


# -- letter to sound ---------------------------------------------------------------------

_LTS = [
    ("tion", "SH AH N"),
    ("sion", "ZH AH N"),
    ("ough", "AO"),
    ("igh", "AY"),
    ("tch", "CH"),
    ("dge", "JH"),
    ("sch", "S K"),
    ("ch", "CH"),
    ("sh", "SH"),
    ("th", "TH"),
    ("ph", "F"),
    ("wh", "W"),
    ("ng", "NG"),
    ("ck", "K"),
    ("qu", "K W"),
    ("kn", "N"),
    ("ee", "IY"),
    ("ea", "IY"),
    ("oo", "UW"),
    ("ou", "AW"),
    ("ow", "OW"),
    ("oi", "OY"),
    ("oy", "OY"),
    ("ai", "EY"),
    ("ay", "EY"),
    ("ei", "EY"),
    ("ey", "EY"),
    ("oa", "OW"),
    ("au", "AO"),
    ("aw", "AO"),
    ("ie", "IY"),
    ("ue", "UW"),
    ("ew", "UW"),
    ("er", "ER"),
    ("ir", "ER"),
    ("ur", "ER"),
    ("ar", "AA R"),
    ("or", "AO R"),
    ("a", "AE"),
    ("e", "EH"),
    ("i", "IH"),
    ("o", "AA"),
    ("u", "AH"),
    ("b", "B"),
    ("c", "K"),
    ("d", "D"),
    ("f", "F"),
    ("g", "G"),
    ("h", "HH"),
    ("j", "JH"),
    ("k", "K"),
    ("l", "L"),
    ("m", "M"),
    ("n", "N"),
    ("p", "P"),
    ("q", "K"),
    ("r", "R"),
    ("s", "S"),
    ("t", "T"),
    ("v", "V"),
    ("w", "W"),
    ("x", "K S"),
    ("z", "Z"),
]


def _fold(word: str) -> str:
    """Return `word` in plain a-z letters (accents dropped, "ł" as "l")."""
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("ł", "l").replace("ß", "ss"))
    return re.sub(r"[^a-z]", "", decomposed)


def letter_to_sound(word: str) -> str:
    """Return a guess of `word`'s pronunciation in the CMU phone set (never empty)."""
    w = _fold(word)
    if not w:
        return "AH"
    if len(w) > 3 and w.endswith("e") and w[-2] not in "aeiouy":
        w = w[:-1]  # a silent final e
    phones: list[str] = []
    i = 0
    while i < len(w):
        if i + 1 < len(w) and w[i] == w[i + 1] and w[i] not in "aeiou":
            i += 1  # a double consonant is one sound
            continue
        if w[i] == "y":
            phones.append("Y" if i == 0 else "IY")
            i += 1
            continue
        if w[i] == "c" and i + 1 < len(w) and w[i + 1] in "eiy":
            phones.append("S")
            i += 1
            continue
        for graph, sound in _LTS:
            if w.startswith(graph, i):
                phones.append(sound)
                i += len(graph)
                break
        else:
            i += 1
    return " ".join(phones) or "AH"


# -- the aligner -------------------------------------------------------------------------


@dataclass
class _Chunk:
    first: int  # token range [first, last)
    last: int
    start_ms: float  # audio window
    end_ms: float


class SpeechAligner:
    """One pocketsphinx decoder (and, on first need, a wide-beam one) aligning chunks of words."""

    def __init__(self) -> None:
        from pocketsphinx import Decoder

        self._make = lambda **kw: Decoder(lm=None, loglevel="FATAL", **kw)
        self.decoder = self._make()
        self._wide = None
        self._added: set[str] = set()
        self.prefer_wide = False

    def in_dictionary(self, word: str) -> bool:
        return word in self._added or self.decoder.lookup_word(word) is not None

    def prepare(self, words: Sequence[str]) -> None:
        """Add the words the dictionary lacks, with a letter-to-sound guess."""
        missing = sorted({w for w in words if not self.in_dictionary(w)})
        for k, word in enumerate(missing):
            phones = letter_to_sound(word)
            for dec in (self.decoder, self._wide):
                if dec is not None:
                    dec.add_word(word, phones, k == len(missing) - 1)
            self._added.add(word)

    def wide(self):  # type: ignore[no-untyped-def]
        if self._wide is None:
            self._wide = self._make(beam=1e-80, wbeam=1e-60, pbeam=1e-80)

            for word in sorted(self._added):
                self._wide.add_word(word, letter_to_sound(word), True)
        return self._wide

    def align_either(self, words: Sequence[str], pcm: np.ndarray) -> list[tuple[int, int] | None] | None:
        """Align with the usual beams, then the wide ones; once the wide ones were needed in
        this recording they go first (clean synthetic or studio audio tends to need them)."""
        order = (True, False) if self.prefer_wide else (False, True)
        for wide in order:
            got = self.align(words, pcm, wide)
            if got is not None:
                if wide and not self.prefer_wide:
                    self.prefer_wide = True
                return got
        return None

    def align(
        self, words: Sequence[str], pcm: np.ndarray, wide: bool = False
    ) -> list[tuple[int, int] | None] | None:
        """Return (start, end) frame of each word in `pcm` (None for a word the model skipped),
        or None when the model cannot align them (no result, or more than a tenth skipped)."""
        dec = self.wide() if wide else self.decoder
        try:
            dec.set_align_text(" ".join(words))
            dec.start_utt()
            dec.process_raw(pcm.tobytes(), False, True)
            dec.end_utt()
        except RuntimeError:
            return None
        if dec.hyp() is None:
            return None
        out: list[tuple[int, int] | None] = [None] * len(words)
        j = 0
        for seg in dec.seg():
            word = seg.word.split("(")[0]
            if word in _FILLERS or not word:
                continue
            # Segments come in text order; now and then one is left out.
            k = j
            while k < len(words) and k - j <= 3 and words[k] != word:
                k += 1
            if k < len(words) and words[k] == word:
                out[k] = (seg.start_frame, seg.end_frame)
                j = k + 1
        if sum(x is None for x in out) * 10 > len(words):
            return None
        return out


def _dither(pcm: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    noisy = pcm.astype(np.int32) + rng.integers(-2, 3, len(pcm))
    return np.clip(noisy, -32768, 32767).astype(np.int16)


def align_words(
    tokens: Sequence[Token],
    track: AudioTrack,
    pauses: list[Pause],
    guide: WordTimes | None,
    lo_ms: int,
    hi_ms: int,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    isolate: bool = False,
) -> WordTimes:
    """Return word times for `tokens` from the speech model; `anchored` marks the words it placed
    (the others keep the guide's time: the pause layer's, or an even syllable spread).

    With `isolate`, the model runs in a child process: loading it holds the interpreter lock
    for most of a second (a window on the main thread would freeze), and a cancel kills the
    child at once. Raises Cancelled; AutotimeError when the child fails.
    """
    args = (list(tokens), track, pauses, guide, lo_ms, hi_ms)
    if not isolate:
        return _align_words(*args, progress, cancel)
    return _in_child(args, progress, cancel)


def _in_child(args: tuple, progress: Progress | None, cancel: threading.Event | None) -> WordTimes:
    import multiprocessing

    from editor.core.autotime import AutotimeError, Cancelled

    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_child_main, args=(child,), daemon=True)
    proc.start()
    child.close()
    try:
        parent.send(args)
        while True:
            if cancel is not None and cancel.is_set():
                raise Cancelled("cancelled")
            if not parent.poll(0.1):
                if not proc.is_alive():
                    raise AutotimeError(f"the speech model stopped (exit code {proc.exitcode})")
                continue
            kind, value = parent.recv()
            if kind == "progress":
                if progress is not None:
                    progress(value)
            elif kind == "done":
                return value
            else:
                raise AutotimeError(f"the speech model failed: {value}")
    except EOFError:
        raise AutotimeError(f"the speech model stopped (exit code {proc.exitcode})") from None
    finally:
        parent.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)


def _child_main(conn) -> None:  # type: ignore[no-untyped-def]
    """Run in the child process: align what the parent sends, reporting progress."""
    # Below the window's priority: on two cores the decoder would take the CPU the GUI
    # thread needs to wake every few milliseconds. (A thread of the window's own process is
    # not lowered: holding the GIL while descheduled, it stalled the window for longer.)
    with contextlib.suppress(AttributeError, OSError):
        os.nice(CHILD_NICE)
    try:
        args = conn.recv()
        result = _align_words(*args, lambda f: conn.send(("progress", f)), None)
        conn.send(("done", result))
    except Exception as exc:  # reported to the parent, which raises it as an AutotimeError
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _align_words(
    tokens: Sequence[Token],
    track: AudioTrack,
    pauses: list[Pause],
    guide: WordTimes | None,
    lo_ms: int,
    hi_ms: int,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> WordTimes:
    assert track.pcm16k is not None
    pcm = track.pcm16k
    n = len(tokens)
    if guide is None:
        on, off, inner = _speech_span(pauses, lo_ms, hi_ms)
        cum = np.concatenate(([0.0], np.cumsum([t.syllables for t in tokens])))
        starts, ends = _spread(
            cum,
            np.array([on] + [p.end_ms for p in inner], float),
            np.array([p.start_ms for p in inner] + [off], float),
        )
        guide = WordTimes(starts, ends, np.zeros(n, bool))
    aligner = SpeechAligner()
    said = [normalise(t.text, aligner.in_dictionary) for t in tokens]
    aligner.prepare([w for ws in said for w in ws])
    starts = guide.starts.copy()
    ends = guide.ends.copy()
    placed = np.zeros(n, bool)
    rng = np.random.default_rng(0)
    pause_starts = np.array([p.start_ms for p in pauses], float)

    def decode(first: int, last: int, window_start: float, depth: int) -> float | None:
        """Align tokens [first, last) in audio from window_start; return where token `last`
        would start by the guide shifted onto the model's times (None when nothing was placed)."""
        _check(cancel)
        span = guide.ends[last - 1] - guide.starts[first]
        window_end = min(hi_ms, window_start + span * WINDOW_STRETCH + WINDOW_EXTRA_MS)
        a = max(0, int(window_start * 16))
        b = min(len(pcm), int(window_end * 16))
        index: list[int] = []
        words: list[str] = []
        for i in range(first, last):
            for w in said[i]:
                index.append(i)
                words.append(w)
        if not words or b - a < 1600:
            return None
        chunk = _dither(pcm[a:b], rng)
        frames = aligner.align_either(words, chunk)
        if frames is None:
            if last - first >= 2 * MIN_CHUNK_WORDS and depth < 3:
                mid = (first + last) // 2
                got = decode(first, mid, window_start, depth + 1)
                nxt = got if got is not None else guide.starts[mid] - LEAD_MS
                return decode(mid, last, max(window_start, nxt - LEAD_MS), depth + 1)
            return None
        seen: set[int] = set()
        for frame, i in zip(frames, index, strict=True):
            if frame is None:
                continue
            f0, f1 = frame
            t0 = a / 16 + f0 * FRAME_MS
            t1 = a / 16 + (f1 + 1) * FRAME_MS
            if i not in seen:
                seen.add(i)
                starts[i] = t0
                placed[i] = True
            ends[i] = t1
        return float(ends[last - 1])

    first = 0
    window_start = max(lo_ms, guide.starts[0] - 1000)
    while first < n:
        _check(cancel)
        last = min(n, first + CHUNK_WORDS)
        if n - last < OVERLAP_WORDS * 2:
            last = n
        decode(first, last, window_start, 0)
        if last >= n:
            break
        nxt = last - OVERLAP_WORDS
        if placed[nxt - 1] and placed[nxt]:
            window_start = max(lo_ms, starts[nxt] - LEAD_MS)
        else:
            # Shift the guide by how far the model moved the chunk's last placed word.
            done = np.flatnonzero(placed[first:nxt])
            shift = (starts[first + done[-1]] - guide.starts[first + done[-1]]) if len(done) else 0.0
            window_start = max(lo_ms, guide.starts[nxt] + shift - LEAD_MS)
        placed[nxt:last] = False
        starts[nxt:last] = guide.starts[nxt:last]
        ends[nxt:last] = guide.ends[nxt:last]
        first = nxt
        if progress is not None:
            progress(0.05 + 0.95 * first / n)
    # Unplaced words: the guide's times, moved with the placed words around them.
    _fit_unplaced(starts, ends, placed, guide)
    # A word start inside a pause moves to the pause's end; so does one just before a pause
    # that the word then spans (the model let the word swallow the silence before it).
    if len(pauses):
        k = np.searchsorted(pause_starts, starts + INSIDE_PAUSE_MS, "right") - 1
        for i in np.flatnonzero(k >= 0):
            p = pauses[k[i]]
            inside = p.start_ms <= starts[i]
            swallowed = starts[i] < p.start_ms and ends[i] > p.end_ms
            if (inside or swallowed) and starts[i] < p.end_ms - INSIDE_PAUSE_MS and (
                i + 1 >= n or p.end_ms < starts[i + 1]
            ):
                starts[i] = p.end_ms
                ends[i] = max(ends[i], starts[i] + 1)
    if progress is not None:
        progress(1.0)
    return WordTimes(starts, ends, placed)


def _fit_unplaced(starts: np.ndarray, ends: np.ndarray, placed: np.ndarray, guide: WordTimes) -> None:
    """Give each run of unplaced words the guide's times, shifted to sit between the placed
    words around it and kept in order."""
    n = len(starts)
    i = 0
    while i < n:
        if placed[i]:
            i += 1
            continue
        j = i
        while j < n and not placed[j]:
            j += 1
        lo = ends[i - 1] if i > 0 else -np.inf
        hi = starts[j] if j < n else np.inf
        s, e = guide.starts[i:j].copy(), guide.ends[i:j].copy()
        if np.isfinite(lo) and np.isfinite(hi) and hi > lo:
            # Squeeze the run into the gap between its placed neighbours, keeping proportions.
            g0, g1 = s[0], e[-1]
            scale = (hi - lo) / max(g1 - g0, 1.0)
            s, e = lo + (s - g0) * scale, lo + (e - g0) * scale
        starts[i:j] = np.maximum(s, lo if np.isfinite(lo) else s)
        ends[i:j] = np.maximum(e, starts[i:j])
        i = j


__all__ = [
    "SpeechAligner",
    "align_words",
    "letter_to_sound",
    "normalise",
    "number_words",
    "unavailable_reason",
]
