"""Synthetic speech with known word start times, made at test and benchmark time (never committed).

espeak-ng is driven through libespeak-ng's C API (ctypes): its word events give the exact
sample at which each word starts. Sentences are synthesized one at a time and joined with
random pauses; pink noise or a music bed can be mixed in at a given signal-to-noise ratio.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import random
import wave
from dataclasses import dataclass, field

import numpy as np

_EVENT_WORD = 1
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_OUTPUT_SYNCHRONOUS = 2
_INIT_DONT_EXIT = 0x8000
_RATE = 1


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


class Espeak:
    """One libespeak-ng instance in synchronous mode (not thread-safe; one per process)."""

    _lib: ctypes.CDLL | None = None
    _rate = 0

    def __init__(self) -> None:
        if Espeak._lib is None:
            name = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
            lib = ctypes.CDLL(name)
            lib.espeak_Initialize.restype = ctypes.c_int
            rate = lib.espeak_Initialize(_OUTPUT_SYNCHRONOUS, 0, None, _INIT_DONT_EXIT)
            if rate <= 0:
                raise OSError("espeak-ng could not start")
            Espeak._lib, Espeak._rate = lib, rate
        self.lib = Espeak._lib
        self.sample_rate = Espeak._rate
        self._samples: list[np.ndarray] = []
        self._events: list[tuple[int, int]] = []  # (text position, sample)
        self._callback = _CALLBACK(self._on_audio)
        self.lib.espeak_SetSynthCallback(self._callback)

    def _on_audio(self, wav, n, events) -> int:  # type: ignore[no-untyped-def]
        if n > 0 and wav:
            self._samples.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
        i = 0
        while events[i].type != 0:
            ev = events[i]
            if ev.type == _EVENT_WORD:
                self._events.append((ev.text_position, ev.sample))
            i += 1
        return 0

    def say(
        self, text: str, voice: str = "en-us", rate_wpm: int = 165
    ) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """Return (int16 samples, [(character offset, start sample)] of each word event) for `text`."""
        self.lib.espeak_SetVoiceByName(voice.encode())
        self.lib.espeak_SetParameter(_RATE, rate_wpm, 0)
        self._samples, self._events = [], []
        raw = text.encode("utf-8") + b"\0"
        self.lib.espeak_Synth(raw, len(raw), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        self.lib.espeak_Synchronize()
        audio = np.concatenate(self._samples) if self._samples else np.zeros(0, np.int16)
        return audio, [(pos - 1, s) for pos, s in sorted(self._events)]


def _word_starts(text: str, events: list[tuple[int, int]]) -> list[int | None]:
    """Return the start sample of each white-space separated word of `text`: the earliest
    event inside it (espeak counts characters, not bytes); None for a word espeak read
    together with the one before ("there are"), whose start nobody knows."""
    out: list[int | None] = []
    pos = 0
    for word in text.split():
        begin = text.index(word, pos)
        end = begin + len(word)
        pos = end
        inside = [s for p, s in events if begin <= p < end]
        out.append(min(inside) if inside else None)
    return out


def espeak_available() -> bool:
    try:
        Espeak()
    except OSError:
        return False
    return True


@dataclass
class Reading:
    """A synthesized reading: int16 mono audio and the start (ms) of every word of the text."""

    audio: np.ndarray
    sample_rate: int
    word_starts_ms: list[float | None] = field(default_factory=list)  # None: not known

    def write(self, path: str) -> None:
        with wave.open(path, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(self.sample_rate)
            w.writeframes(self.audio.astype("<i2").tobytes())


def read_sentences(
    sentences: list[str],
    *,
    spoken: list[str] | None = None,
    voice: str = "en-us",
    seed: int = 0,
    pause_ms: tuple[int, int] = (100, 900),
    rate_wpm: int = 165,
) -> Reading:
    """Return a reading of `sentences`, each synthesized alone and joined by random pauses.

    `spoken` (same length) is what espeak reads instead (pinyin for Chinese text); each of its
    words must stand for one word of the matching sentence.
    """
    engine = Espeak()
    rng = random.Random(seed)
    rate = engine.sample_rate
    parts = [np.zeros(int(0.6 * rate), np.int16)]
    pos = len(parts[0])
    starts: list[float | None] = []
    for k, sentence in enumerate(sentences):
        text = spoken[k] if spoken is not None else sentence
        audio, events = engine.say(text, voice, rate_wpm)
        starts += [None if s is None else (pos + s) * 1000.0 / rate for s in _word_starts(text, events)]
        parts.append(audio)
        pos += len(audio)
        gap = np.zeros(int(rng.uniform(*pause_ms) * rate / 1000), np.int16)
        parts.append(gap)
        pos += len(gap)
    parts.append(np.zeros(int(0.8 * rate), np.int16))
    return Reading(np.concatenate(parts), rate, starts)


def pink_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """Return n samples of pink (1/f) noise, unit RMS."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spectrum), dtype=np.float64)
    f[0] = 1.0
    noise = np.fft.irfft(spectrum / np.sqrt(f), n)
    return noise / (np.sqrt(np.mean(noise**2)) + 1e-12)


def music_bed(n: int, rate: int, rng: np.random.Generator) -> np.ndarray:
    """Return n samples of a simple music bed (chords of harmonic tones and a soft beat), unit RMS."""
    t = np.arange(n) / rate
    out = np.zeros(n)
    roots = [220.0, 196.0, 246.9, 174.6]
    bar = int(2.0 * rate)
    for b0 in range(0, n, bar):
        root = roots[(b0 // bar) % len(roots)] * (1.0 + 0.01 * rng.standard_normal())
        seg = slice(b0, min(n, b0 + bar))
        for ratio in (1.0, 1.25, 1.5, 2.0):
            for h in (1, 2, 3):
                out[seg] += np.sin(2 * np.pi * root * ratio * h * t[seg]) / (h * h)
    beat = int(0.5 * rate)
    env = np.exp(-np.arange(beat) / (0.04 * rate))
    kick = np.sin(2 * np.pi * 60 * np.arange(beat) / rate) * env * 3
    for b0 in range(0, n - beat, beat):
        out[b0 : b0 + beat] += kick
    return out / (np.sqrt(np.mean(out**2)) + 1e-12)


def mix(reading: Reading, kind: str, snr_db: float, seed: int = 0) -> Reading:
    """Return `reading` with pink noise ("noise") or a music bed ("music") at `snr_db` below
    the speech level (RMS of the speech while it sounds)."""
    rng = np.random.default_rng(seed)
    speech = reading.audio.astype(np.float64)
    active = np.abs(speech) > 300
    level = np.sqrt(np.mean(speech[active] ** 2)) if active.any() else 1000.0
    bed = (
        pink_noise(len(speech), rng) if kind == "noise" else music_bed(len(speech), reading.sample_rate, rng)
    )
    mixed = speech + bed * level / (10 ** (snr_db / 20))
    peak = np.abs(mixed).max()
    if peak > 32000:
        mixed *= 32000 / peak
    return Reading(
        np.clip(np.rint(mixed), -32768, 32767).astype(np.int16), reading.sample_rate, reading.word_starts_ms
    )


# Common characters with their pinyin (tone numbers), for Chinese sentences whose reading
# espeak-ng's cmn-latn-pinyin voice gives one word event per character.
HANZI_PINYIN = {
    "我": "wo3",
    "们": "men5",
    "今": "jin1",
    "天": "tian1",
    "要": "yao4",
    "讨": "tao3",
    "论": "lun4",
    "一": "yi1",
    "个": "ge4",
    "新": "xin1",
    "的": "de5",
    "模": "mo2",
    "型": "xing2",
    "它": "ta1",
    "会": "hui4",
    "先": "xian1",
    "想": "xiang3",
    "再": "zai4",
    "回": "hui2",
    "答": "da2",
    "问": "wen4",
    "题": "ti2",
    "这": "zhe4",
    "是": "shi4",
    "很": "hen3",
    "好": "hao3",
    "大": "da4",
    "家": "jia1",
    "都": "dou1",
    "喜": "xi3",
    "欢": "huan1",
    "学": "xue2",
    "习": "xi2",
    "时": "shi2",
    "间": "jian1",
    "长": "chang2",
    "短": "duan3",
    "人": "ren2",
    "说": "shuo1",
    "话": "hua4",
    "看": "kan4",
    "书": "shu1",
    "做": "zuo4",
    "事": "shi4",
    "情": "qing2",
    "快": "kuai4",
    "慢": "man4",
    "明": "ming2",
    "白": "bai2",
}


def chinese_sentences(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """Return n random Chinese sentences (with clause commas and full stops) and their pinyin."""
    rng = random.Random(seed)
    chars = list(HANZI_PINYIN)
    texts: list[str] = []
    spoken: list[str] = []
    for _ in range(n):
        clauses = [rng.sample(chars, rng.randint(4, 9)) for _ in range(rng.randint(1, 3))]
        texts.append("，".join("".join(c) for c in clauses) + "。")
        spoken.append(", ".join(" ".join(HANZI_PINYIN[ch] for ch in c) for c in clauses) + ".")
    return texts, spoken
