"""Align to Audio: exact cue times from the media for cues whose times were estimated.

Two layers, both pure Python + NumPy here (the speech model is `editor.core.autotime_speech`):

Pause layer (any language). The pauses `pauses.find_pauses` finds on the waveform's energy
track are matched to the places in the text where a speaker is likely to pause — sentence
ends and clause marks — by a monotonic dynamic programme. Matching boundary b to pause p after
boundary a was matched to pause q costs the squared mismatch between the speech time between
the two pauses (less the unmatched pauses inside, which are hesitations) and what the
syllables between the boundaries take at the recording's own speaking rate; every boundary
left unmatched and every pause left unmatched costs too (a sentence end more than a comma; a
long pause more than a short one). The text's start and end are tied to the first and last
speech. Words between two matched pauses are then spread by syllables over the speech time
between them, skipping the unmatched pauses. Syllables come from the segmenter's own rule
(`segmentation.syllable_count`; a Chinese or Japanese character is one syllable and one word).

The result is an `AlignPlan`: new times, the aligned words (kept on the cues as `Word`s so
re-segmenting, splitting and merging use them) and where each cue's times came from
(`TimeSource`). `AlignPlan.edit()` applies it as one edit (one undo step).
"""

from __future__ import annotations

import contextlib
import itertools
import math
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from editor.core.edits import Batch, Edit, SetCueValues, SetTimes
from editor.core.errors import EditorError
from editor.core.model import Cue, Document, TimeSource, Timing, Word
from editor.core.pauses import MAX_BLIP_MS, Pause, find_pauses
from editor.core.segmentation import script_is_cjk, spoken_words, syllable_count
from editor.core.style import StyleProfile
from editor.core.voice_band import FRAME_MS as VOICE_FRAME_MS
from editor.core.voice_band import speech_activity

Progress = Callable[[float], None]

ONSET_REACH_MS = 200  # how far before a detected pause end the speech onset is looked for
ONSET_LEAD_MS = 30  # speech starts this much before its energy clears the floor (soft consonants)
ONSET_FLOOR_DB = -75.0
ONSET_RISE_DB = 1.5  # speech has started where the energy is this far above the pause's floor
VOICE_RISE_DB = 8.0  # ... the speech-band activity (near zero in a pause, so a ratio of tiny values)
VOICE_MAX_BLIP_MS = 50
BAND_CONTRAST_DB = 35.0  # speech within this of the floor (95th - 10th percentile): a bed under it
VOICE_LEAD_MS = 10  # its 25 ms window and smoothing already rise before the sound does
MIN_PAUSE_MS = 120  # shorter quiet stretches are not where a speaker stops between phrases
BAND_MIN_MS = 25_000  # a boundary looks for its pause this far around its proportional place...
BAND_FRACTION = 0.12  # ...or this share of the speech, whichever is more
MAX_SKIP = 7  # at most this many boundaries or pauses left unmatched between two matches
SENTENCE_SKIP = 2.2  # cost of a sentence end the speaker did not pause at
CLAUSE_SKIP = 0.5  # ... a clause mark
PAUSE_SKIP = 0.4  # ... of a pause left unmatched, plus PAUSE_SKIP_PER_S per second of it
PAUSE_SKIP_PER_S = 3.0
CUE_TAIL_MS = 250  # a cue ends this long after its last word (never into the next cue)
MIN_GAP_MS = StyleProfile().min_gap_ms
CONTEXT_CUES = 8  # neighbours aligned with a selection on each side (not written)
SELECTION_SLACK_MS = 3000  # a selection's audio: this far around its estimate (or a quarter of its span)
MIN_CUE_MS = 300

_SENTENCE_END = tuple(".?!…。？！")
_CLAUSE_END = tuple(",;:，；：、—–")
_CLOSERS = "\"'”’»)]）」』】"


class AutotimeError(EditorError):
    """Alignment cannot run on this input; `reason` says why in one sentence."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Cancelled(EditorError):
    """The alignment was cancelled; nothing was changed."""


@dataclass
class AudioTrack:
    """What alignment reads from the media: the energy track (mean square per frame), the
    length, and — for the speech model — 16 kHz mono int16 PCM when the decoder kept it."""

    energy: np.ndarray
    frame_ms: float
    duration_ms: int
    pcm16k: np.ndarray | None = None
    _activity: np.ndarray | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of_waveform(cls, waveform: object) -> AudioTrack:
        """Return the track of an `editor.core.waveform.Waveform` (duck-typed)."""
        return cls(
            np.asarray(waveform.energy, np.float32),  # type: ignore[attr-defined]
            float(waveform.energy_frame_ms),  # type: ignore[attr-defined]
            round(waveform.duration_ms),  # type: ignore[attr-defined]
            getattr(waveform, "speech_pcm", None),
        )

    def uses_band(self) -> bool:
        """Return True when pauses are better found on the speech band: the 16 kHz PCM is
        there and a bed of noise or music lies within BAND_CONTRAST_DB of the speech (on a
        quiet floor the energy track is exact, and the band misses fricatives above it)."""
        if self.pcm16k is None or not len(self.pcm16k) or not len(self.energy):
            return False
        db = 10.0 * np.log10(np.asarray(self.energy, np.float64) + 1e-12)
        return float(np.percentile(db, 95) - np.percentile(db, 10)) < BAND_CONTRAST_DB

    def activity(self, band: bool = True) -> tuple[np.ndarray, float]:
        """Return the track pauses are found on and its frame length in ms: the speech-band
        activity (`voice_band`) when `band` and `uses_band()` — it sees through a music bed
        or steady noise — else the energy track."""
        if not band or not self.uses_band():
            return np.asarray(self.energy, np.float64), self.frame_ms
        if self._activity is None:
            self._activity = speech_activity(self.pcm16k)
        return np.asarray(self._activity, np.float64), VOICE_FRAME_MS

    def pauses(self, min_pause_ms: int = MIN_PAUSE_MS, band: bool = True) -> list[Pause]:
        """Return the pauses, each ending where the speech after it rises out of the pause's
        own noise floor (the detector's threshold sits well above the floor, so in noise or
        music it ends a pause some tens of milliseconds after the speech has started). With
        `band` False, from the energy track even when the PCM is there."""
        voice = band and self.uses_band()
        track, frame_ms = self.activity(voice)
        # A drum hit in a music bed shows in the speech band as a 40 ms blip; a spoken
        # syllable lasts longer.
        blip, rise, lead = (
            (VOICE_MAX_BLIP_MS, VOICE_RISE_DB, VOICE_LEAD_MS)
            if voice
            else (MAX_BLIP_MS, ONSET_RISE_DB, ONSET_LEAD_MS)
        )
        pauses = find_pauses(track, frame_ms, min_pause_ms=min_pause_ms, max_blip_ms=blip)
        if not pauses:
            return pauses
        db = 10.0 * np.log10(track + 1e-12)
        out: list[Pause] = []
        reach = max(1, round(ONSET_REACH_MS / frame_ms))
        for p in pauses:
            a, b = round(p.start_ms / frame_ms), min(len(db), round(p.end_ms / frame_ms))
            if b - a < 3 or b >= len(db):
                out.append(p)
                continue
            # Digital silence has no floor to rise from: anything audible counts from -75 dB.
            floor = max(float(np.median(db[a:b])), ONSET_FLOOR_DB)
            k = b
            while k > max(a + 1, b - reach) and db[k - 1] > floor + rise:
                k -= 1
            # Speech begins a little before its energy rises out of the floor (a soft consonant).
            onset = k * frame_ms - lead
            out.append(Pause(p.start_ms, max(p.start_ms + 1, round(onset))))
        return out


@dataclass
class Token:
    """One spoken word of the text being aligned."""

    text: str
    syllables: int
    cue: int  # index into the aligned cues
    stop: float = 0.0  # cost of not pausing after it: SENTENCE_SKIP, CLAUSE_SKIP or 0


def tokenize(texts: Sequence[str]) -> list[Token]:
    """Return the words of `texts` (one text per cue) with their syllables and the cost of
    not pausing after each (sentence ends and clause marks)."""
    tokens: list[Token] = []
    for k, text in enumerate(texts):
        for word in spoken_words(text):
            core = word.rstrip(_CLOSERS)
            stop = (
                SENTENCE_SKIP
                if core.endswith(_SENTENCE_END)
                else CLAUSE_SKIP
                if core.endswith(_CLAUSE_END)
                else 0.0
            )
            tokens.append(Token(word, syllable_count(word), k, stop))
    return tokens


@dataclass
class WordTimes:
    """Start and end of every token, in ms; `anchored[i]` is True when a matched pause or the
    speech model fixed the word's start (not only the syllable share)."""

    starts: np.ndarray
    ends: np.ndarray
    anchored: np.ndarray


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled("cancelled")


def _speech_span(pauses: list[Pause], lo_ms: int, hi_ms: int) -> tuple[int, int, list[Pause]]:
    """Return (first speech, last speech, pauses strictly inside) within [lo_ms, hi_ms)."""
    on, off = lo_ms, hi_ms
    inner: list[Pause] = []
    for p in pauses:
        if p.end_ms <= lo_ms or p.start_ms >= hi_ms:
            continue
        if p.start_ms <= on:
            on = max(on, p.end_ms)
        elif p.end_ms >= off:
            off = min(off, p.start_ms)
        else:
            inner.append(p)
    inner = [p for p in inner if p.start_ms > on and p.end_ms < off]
    return on, off, inner


def align_by_pauses(
    tokens: Sequence[Token],
    pauses: list[Pause],
    lo_ms: int,
    hi_ms: int,
    cancel: threading.Event | None = None,
) -> WordTimes:
    """Return the times of `tokens` spoken between lo_ms and hi_ms, from the pauses there.

    Raises AutotimeError when there is no text, no speech, no pause inside the speech, or no
    sentence end or clause mark in the text; Cancelled.
    """
    n = len(tokens)
    if n == 0:
        raise AutotimeError("there is no text to align")
    on, off, inner = _speech_span(pauses, lo_ms, hi_ms)
    if off - on < 200:
        raise AutotimeError("the media holds no speech where these cues are")
    if not inner:
        raise AutotimeError("no pauses found in the media's speech (too noisy, or one continuous sound)")
    if not any(t.stop for t in tokens[:-1]):
        raise AutotimeError("the text has no punctuation to match the pauses to")
    syl = np.array([t.syllables for t in tokens], np.float64)
    cum_syl = np.concatenate(([0.0], np.cumsum(syl)))
    total_syl = cum_syl[-1]
    # Boundaries: 0 (text start), after each token that ends a sentence or clause, n (end).
    bounds = [0] + [i + 1 for i in range(n - 1) if tokens[i].stop] + [n]
    bskip = [0.0] + [tokens[i - 1].stop for i in bounds[1:-1]] + [0.0]
    # Pauses: a virtual one ending at the first speech, the inner ones, one starting at the last.
    q_start = np.array([on - 1] + [p.start_ms for p in inner] + [off], np.float64)
    q_end = np.array([on] + [p.end_ms for p in inner] + [off + 1], np.float64)
    q_len = q_end - q_start
    np_ = len(q_start)
    cum_quiet = np.concatenate(([0.0], np.cumsum(q_len)))  # cum_quiet[j] = length of pauses < j
    pskip = PAUSE_SKIP + PAUSE_SKIP_PER_S * q_len / 1000.0
    cum_pskip = np.concatenate(([0.0], np.cumsum(pskip)))
    speech_ms = (off - on) - float(q_len[1:-1].sum())
    rate = max(speech_ms, 1.0) / total_syl  # ms per syllable
    # Where each boundary would be at an even rate, and the pauses each may take.
    q_mid = (q_start + q_end) / 2
    band = max(BAND_MIN_MS, BAND_FRACTION * (off - on))
    nb = len(bounds)
    expected = on + cum_syl[bounds] / total_syl * (off - on)
    lo_idx = np.searchsorted(q_mid, expected - band, "left")
    hi_idx = np.searchsorted(q_mid, expected + band, "right")
    lo_idx[0], hi_idx[0] = 0, 1
    lo_idx[-1], hi_idx[-1] = np_ - 1, np_
    inf = math.inf
    cost: list[np.ndarray] = []  # cost[b][j - lo_idx[b]]: best cost with boundary b at pause j
    back: list[tuple[np.ndarray, np.ndarray]] = []
    cost.append(np.array([0.0]))
    back.append((np.array([-1]), np.array([-1])))
    for b in range(1, nb):
        if b % 64 == 0:
            _check(cancel)
        js = np.arange(lo_idx[b], hi_idx[b])
        best = np.full(len(js), inf)
        best_a = np.full(len(js), -1)
        best_q = np.full(len(js), -1)
        if len(js):
            skipped_b = 0.0
            for a in range(b - 1, max(-1, b - 2 - MAX_SKIP), -1):
                if a < b - 1:
                    skipped_b += bskip[a + 1]
                qs = np.arange(lo_idx[a], hi_idx[a])
                if len(qs) == 0 or not np.isfinite(cost[a]).any():
                    continue
                # Matrix over (q, j): pause q for boundary a, pause j for boundary b, q < j.
                qq, jj = qs[:, None], js[None, :]
                valid = (jj > qq) & (jj - qq - 1 <= MAX_SKIP)
                if not valid.any():
                    continue
                speech = (q_start[jj] - q_end[qq]) - (cum_quiet[jj] - cum_quiet[qq + 1])
                want = (cum_syl[bounds[b]] - cum_syl[bounds[a]]) * rate
                mismatch = ((speech - want) / (0.22 * want + 350.0)) ** 2
                total = cost[a][:, None] + mismatch + (cum_pskip[jj] - cum_pskip[qq + 1]) + skipped_b
                total = np.where(valid & (speech > 0), total, inf)
                k = np.argmin(total, axis=0)
                val = total[k, np.arange(len(js))]
                better = val < best
                best = np.where(better, val, best)
                best_a = np.where(better, a, best_a)
                best_q = np.where(better, qs[k], best_q)
        cost.append(best)
        back.append((best_a, best_q))
    if not np.isfinite(cost[-1]).any():
        raise AutotimeError("the text and the pauses in the media do not match")
    # Walk back the matches: (token index, pause index).
    matches: list[tuple[int, int]] = []
    b, j = nb - 1, np_ - 1
    while b >= 0:
        matches.append((bounds[b], j))
        k = j - lo_idx[b]
        a, q = int(back[b][0][k]), int(back[b][1][k])
        if a < 0:
            break
        b, j = a, q
    matches.reverse()
    starts = np.zeros(n)
    ends = np.zeros(n)
    anchored = np.zeros(n, bool)
    for (ta, qa), (tb, qb) in itertools.pairwise(matches):
        # Speech runs from the end of pause qa to the start of pause qb, less the pauses between.
        run_starts = q_end[qa:qb]
        run_ends = q_start[qa + 1 : qb + 1]
        local = cum_syl[ta : tb + 1] - cum_syl[ta]
        starts[ta:tb], ends[ta:tb] = _spread(local, run_starts, run_ends)
        anchored[ta] = True
    return WordTimes(starts, ends, anchored)


def _spread(
    cum_syl: np.ndarray, run_starts: np.ndarray, run_ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return (starts, ends) of words with cumulative syllables `cum_syl` (from 0) spread
    evenly by syllable over the speech runs [run_starts[k], run_ends[k])."""
    lens = np.maximum(run_ends - run_starts, 0.0)
    cum_len = np.concatenate(([0.0], np.cumsum(lens)))
    pos = cum_syl / max(float(cum_syl[-1]), 1e-9) * cum_len[-1]
    last = len(lens) - 1
    # A word that starts exactly where a run ends starts at the next run's start.
    k0 = np.clip(np.searchsorted(cum_len, pos[:-1], "right") - 1, 0, last)
    k1 = np.clip(np.searchsorted(cum_len, pos[1:], "left") - 1, 0, last)
    return run_starts[k0] + (pos[:-1] - cum_len[k0]), run_starts[k1] + (pos[1:] - cum_len[k1])


# -- plans -----------------------------------------------------------------------------


@dataclass
class AlignPlan:
    """What alignment would do: new times, words and time source per cue id."""

    times: dict[int, tuple[int, int]] = field(default_factory=dict)
    words: dict[int, tuple[Word, ...]] = field(default_factory=dict)
    sources: dict[int, TimeSource] = field(default_factory=dict)
    exact: list[int] = field(default_factory=list)  # cues the speech model timed: now exact
    layer: str = "pauses"  # "speech" or "pauses"
    message: str = ""  # which layer, and why not the other ("no speech model for zh")
    unplaced_words: int = 0  # words the speech model could not place
    total_words: int = 0
    moves_ms: list[int] = field(default_factory=list)  # |start change| per aligned cue

    @property
    def moved(self) -> int:
        return sum(1 for m in self.moves_ms if m > 0)

    @property
    def empty(self) -> bool:
        return not self.times and not self.words and not self.sources

    def summary(self) -> str:
        """Return one line: how many cues move and how far."""
        if not self.moves_ms:
            return "no cue moves"
        moves = sorted(self.moves_ms)
        median = moves[len(moves) // 2]
        text = (
            f"{self.moved} of {len(moves)} cues move "
            f"(median {median / 1000:.2f} s, largest {moves[-1] / 1000:.2f} s)"
        )
        if self.layer == "speech":
            text += f"; {self.unplaced_words} of {self.total_words} words not placed by the speech model"
        return text

    def edit(self) -> Edit:
        """Return the one edit applying the plan."""
        parts: list[Edit] = []
        if self.times:
            parts.append(SetTimes(dict(self.times)))
        if self.words:
            parts.append(SetCueValues("words", dict(self.words)))
        if self.sources:
            parts.append(SetCueValues("time_source", dict(self.sources)))
        if self.exact:
            parts.append(SetCueValues("timing", {i: Timing.EXACT for i in self.exact}))
        return Batch(parts)


def _target_cues(doc: Document, ids: Iterable[int] | None) -> list[Cue]:
    """Return the cues to align in time order: the given ones, else every estimated cue, else all."""
    order = sorted(doc.cues, key=lambda c: (c.start_ms, c.end_ms))
    if ids is not None:
        wanted = {doc.cue(i).id for i in ids}
        return [c for c in order if c.id in wanted]
    estimated = [c for c in order if c.timing is Timing.ESTIMATED]
    return estimated or order


def _first_with_text(doc: Document, last: bool = False) -> Cue | None:
    order = sorted(doc.cues, key=lambda c: (c.start_ms, c.end_ms))
    seq = reversed(order) if last else iter(order)
    return next((c for c in seq if c.text.strip()), None)


def _with_context(doc: Document, chosen: list[Cue]) -> list[Cue]:
    """Return `chosen` with up to CONTEXT_CUES estimated cues with text on each side (stopping
    at an exact cue: its times bound the audio instead)."""
    order = [c for c in sorted(doc.cues, key=lambda c: (c.start_ms, c.end_ms)) if c.text.strip()]
    pos = {c.id: k for k, c in enumerate(order)}
    a, b = pos[chosen[0].id], pos[chosen[-1].id] + 1
    while a > 0 and pos[chosen[0].id] - a < CONTEXT_CUES and order[a - 1].timing is not Timing.EXACT:
        a -= 1
    while (
        b < len(order) and b - pos[chosen[-1].id] - 1 < CONTEXT_CUES and order[b].timing is not Timing.EXACT
    ):
        b += 1
    return order[a:b]


def _window(doc: Document, cues: list[Cue], duration_ms: int, partial: bool = False) -> tuple[int, int]:
    """Return the stretch of audio the cues may take: between the exact cues around them and,
    for a selection (`partial`), not far beyond its own estimated times."""
    first, last = cues[0], cues[-1]
    lo, hi = 0, duration_ms
    if partial:
        slack = max(SELECTION_SLACK_MS, round(0.25 * (last.end_ms - first.start_ms)))
        lo, hi = max(0, first.start_ms - slack), min(duration_ms, last.end_ms + slack)
    for c in doc.cues:
        if c.timing is Timing.EXACT and c not in cues:
            if c.end_ms <= first.start_ms:
                lo = max(lo, c.end_ms)
            elif c.start_ms >= last.end_ms:
                hi = min(hi, c.start_ms)
    return lo, max(lo, hi)


def _cue_times(
    cues: list[Cue], tokens: list[Token], times: WordTimes, hi_ms: int
) -> list[tuple[int, int, tuple[Word, ...]] | None]:
    """Return per cue (start, end, words) from word times; None for a cue without words."""
    by_cue: list[list[int]] = [[] for _ in cues]
    for i, t in enumerate(tokens):
        by_cue[t.cue].append(i)
    out: list[tuple[int, int, tuple[Word, ...]] | None] = []
    for idx in by_cue:
        if not idx:
            out.append(None)
            continue
        words = tuple(
            Word(round(times.starts[i]), max(round(times.starts[i]), round(times.ends[i])), tokens[i].text)
            for i in idx
        )
        out.append((words[0].start_ms, words[-1].end_ms, words))
    # Ends: a little after the last word, never into the next cue; starts never before the previous end.
    starts = [o[0] if o else None for o in out]
    result: list[tuple[int, int, tuple[Word, ...]] | None] = []
    for k, o in enumerate(out):
        if o is None:
            result.append(None)
            continue
        s, e, words = o
        nxt = next((x for x in starts[k + 1 :] if x is not None), hi_ms + MIN_GAP_MS)
        # The style's minimum gap before the next cue, unless that would leave almost nothing.
        end = min(max(e + CUE_TAIL_MS, s + MIN_CUE_MS), nxt - MIN_GAP_MS)
        result.append((s, max(end, min(s + MIN_CUE_MS, nxt - 1), s + 1), words))
    return result


def _language(doc: Document, texts: Sequence[str], language: str | None) -> str | None:
    """Return the language code the cues are in: given, the document's, else detected."""
    lang = (language or doc.source_language or "").split("-")[0].lower() or None
    if lang is None:
        sample = " ".join(texts[:200])
        if script_is_cjk(sample):
            return "zh"
        from editor.core import language as language_mod

        lang = language_mod.detect(sample)
    return lang


def wants_speech_model(doc: Document, ids: Iterable[int] | None = None, language: str | None = None) -> bool:
    """Return True when aligning these cues would use the speech model (English, and the
    model installed): the caller then provides 16 kHz PCM. Imports nothing heavy."""
    import importlib.util

    cues = [c for c in _target_cues(doc, ids) if c.text.strip()]
    if not cues or _language(doc, [c.text for c in cues], language) != "en":
        return False
    return importlib.util.find_spec("pocketsphinx") is not None


def plan_alignment(
    doc: Document,
    track: AudioTrack,
    ids: Iterable[int] | None = None,
    *,
    language: str | None = None,
    use_speech_model: bool = True,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    isolate: bool = False,
) -> AlignPlan:
    """Return the plan aligning the cues `ids` (None: the estimated ones, else all) to the media
    (with `isolate`, the speech model runs in a child process: see autotime_speech.align_words).

    English (`language` "en", or detected as such) goes through the speech model when it can
    be loaded and the PCM is there, with the pause layer as guide and fallback; every other
    language through the pause layer. Chinese and Japanese text is aligned by characters.
    Raises AutotimeError (with the reason) when neither layer can run, Cancelled.
    """
    chosen = [c for c in _target_cues(doc, ids) if c.text.strip()]
    if not chosen:
        raise AutotimeError("there are no cues with text to align")
    # A selection is aligned together with some neighbours (not written), so that the edges
    # of its stretch of audio, which are only estimates, fall away from it.
    cues = _with_context(doc, chosen) if ids is not None else chosen
    lo, hi = _window(doc, cues, track.duration_ms, partial=ids is not None)
    if ids is not None and cues[0] is _first_with_text(doc):
        lo = _window(doc, cues, track.duration_ms)[0]
    if ids is not None and cues[-1] is _first_with_text(doc, last=True):
        hi = _window(doc, cues, track.duration_ms)[1]
    if hi - lo < 500:
        raise AutotimeError("the media is too short for these cues")
    texts = [c.text for c in cues]
    lang = _language(doc, texts, language)
    tokens = tokenize(texts)
    pauses = track.pauses()
    if progress is not None:
        progress(0.02)
    pause_error: AutotimeError | None = None
    try:
        guide = align_by_pauses(tokens, pauses, lo, hi, cancel)
    except AutotimeError as exc:
        pause_error, guide = exc, None
    if guide is None and track.uses_band():
        # The speech band can find short pauses inside words that sparse punctuation cannot
        # absorb; the energy track's pauses may still match.
        with contextlib.suppress(AutotimeError):
            guide = align_by_pauses(tokens, track.pauses(band=False), lo, hi, cancel)
    chosen_ids = {c.id for c in chosen}
    counted = np.array([cues[t.cue].id in chosen_ids for t in tokens], bool)  # not the context
    plan = AlignPlan(total_words=int(counted.sum()))
    model_reason = ""
    if use_speech_model and lang == "en":
        from editor.core import autotime_speech

        model_reason = autotime_speech.unavailable_reason(track)
        if not model_reason:
            # The model's own word starts are moved out of the energy track's pauses: the
            # speech-band ones, better for matching punctuation under music, cost it 2 % of
            # cues within 250 ms on festival's voice under music.
            speech = autotime_speech.align_words(
                tokens, track, track.pauses(band=False), guide, lo, hi, progress, cancel, isolate
            )
            plan.layer = "speech"
            plan.unplaced_words = int((~speech.anchored & counted).sum())
            plan.message = "aligned by the English speech model (pocketsphinx), guided by pauses"
            fallback = TimeSource.PAUSES if guide is not None else TimeSource.ESTIMATED
            _fill(plan, cues, tokens, speech, hi, speech_layer=True, fallback=fallback, keep=chosen)
            return plan
    elif use_speech_model:
        model_reason = f"no speech model for {lang or 'this language'}"
    if guide is None:
        assert pause_error is not None
        raise AutotimeError(pause_error.reason + (f" ({model_reason})" if model_reason else ""))
    plan.layer = "pauses"
    plan.message = "aligned by pauses and punctuation" + (f" — {model_reason}" if model_reason else "")
    _fill(plan, cues, tokens, guide, hi, speech_layer=False, keep=chosen)
    if progress is not None:
        progress(1.0)
    return plan


def align_media(
    doc: Document,
    media_path: str,
    ids: Iterable[int] | None = None,
    *,
    language: str | None = None,
    use_speech_model: bool = True,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> AlignPlan:
    """Return the plan aligning `doc` to the media file at `media_path` (decoded once, with
    the 16 kHz PCM the speech model takes). Raises MediaError, AutotimeError (the reason
    prefixed with the media path), Cancelled."""
    from editor.core.media import decode_speech

    waveform = decode_speech(media_path, cancel=cancel)
    try:
        return plan_alignment(
            doc,
            AudioTrack.of_waveform(waveform),
            ids,
            language=language,
            use_speech_model=use_speech_model,
            progress=progress,
            cancel=cancel,
        )
    except AutotimeError as exc:
        raise AutotimeError(f"{media_path}: cannot align: {exc.reason}") from None


def _fill(
    plan: AlignPlan,
    cues: list[Cue],
    tokens: list[Token],
    times: WordTimes,
    hi: int,
    speech_layer: bool,
    fallback: TimeSource = TimeSource.PAUSES,
    keep: list[Cue] | None = None,
) -> None:
    """Put the cue times that word `times` give into `plan`; with the speech model, a cue
    whose words it mostly placed is SPEECH (and becomes exact), else `fallback` (PAUSES when
    the pause layer guided it, ESTIMATED when there was only an even spread)."""
    per_cue = _cue_times(cues, tokens, times, hi)
    cue_of = np.array([t.cue for t in tokens])
    written = None if keep is None else {c.id for c in keep}
    for k, (cue, got) in enumerate(zip(cues, per_cue, strict=True)):
        if got is None or (written is not None and cue.id not in written):
            continue
        s, e, words = got
        source = fallback
        if speech_layer and times.anchored[cue_of == k].mean() >= 0.5:
            source = TimeSource.SPEECH
        if (s, e) != (cue.start_ms, cue.end_ms):
            plan.times[cue.id] = (s, e)
        if words != cue.words:
            plan.words[cue.id] = words
        if cue.time_source is not source:
            plan.sources[cue.id] = source
        if source is TimeSource.SPEECH and cue.timing is Timing.ESTIMATED:
            plan.exact.append(cue.id)
        plan.moves_ms.append(abs(s - cue.start_ms))


__all__ = [
    "AlignPlan",
    "AudioTrack",
    "AutotimeError",
    "Cancelled",
    "Token",
    "WordTimes",
    "align_by_pauses",
    "align_media",
    "plan_alignment",
    "tokenize",
    "wants_speech_model",
]
