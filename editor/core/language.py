"""Language detection for cue text and whole documents (langdetect, seeded, guarded).

langdetect is probabilistic; `DetectorFactory.seed = 0` makes its answers repeatable.
Short text is where it guesses wildly, so `detect` refuses text with too few letters
unless the script alone decides (kana → Japanese, hangul → Korean). Documents are
sampled, never scanned whole, so detection stays fast on 100k cues.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable, Sequence

from editor.core.model import Document, plain_text

# Below this many letters langdetect's answer is noise (it confuses e.g. "ok" with
# Slovak); CJK characters count as letters, so 20 Han characters is enough.
MIN_LETTERS = 20
MIN_HAN = 8
SAMPLE_CUES = 40
SAMPLE_CHARS = 3000

_lock = threading.Lock()
_ready = False


def _init() -> None:
    """Seed langdetect once (its profiles load lazily on the first detect)."""
    global _ready
    if _ready:
        return
    with _lock:
        from langdetect import DetectorFactory

        DetectorFactory.seed = 0
        _ready = True


def preload() -> None:
    """Load langdetect's language profiles now (≈ 0.3–1 s) so later calls are fast.

    Meant for a background worker at start-up; safe to call more than once.
    """
    _init()
    from langdetect.detector_factory import init_factory

    init_factory()


def release() -> None:
    """Drop langdetect's language profiles (~57 MB); the next `detect` loads them again.

    For a document whose languages are known and that has nothing left to detect (no
    translation track whose cues the QC checks for "left untranslated")."""
    with _lock:
        from langdetect import detector_factory

        detector_factory._factory = None


def char_script(ch: str) -> str | None:
    """Return the script family of one character: "han", "kana", "hangul", "latin",
    "cyrillic", "greek", "arabic", "hebrew", "thai", "other" for other letters,
    or None for digits, punctuation and spaces."""
    o = ord(ch)
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FA1F or 0xF900 <= o <= 0xFAFF:
        return "han"
    if 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9F:
        return "kana"
    if 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
        return "hangul"
    if not ch.isalpha():
        return None
    if o < 0x250 or 0x1E00 <= o <= 0x1EFF or 0xFF21 <= o <= 0xFF5A:
        return "latin"
    if 0x0400 <= o <= 0x052F:
        return "cyrillic"
    if 0x0370 <= o <= 0x03FF:
        return "greek"
    if 0x0600 <= o <= 0x06FF:
        return "arabic"
    if 0x0590 <= o <= 0x05FF:
        return "hebrew"
    if 0x0E00 <= o <= 0x0E7F:
        return "thai"
    name = unicodedata.name(ch, "")
    return "latin" if name.startswith("LATIN") else "other"


def script_counts(text: str) -> dict[str, int]:
    """Return how many characters of each script family `text` holds (see char_script)."""
    counts: dict[str, int] = {}
    for ch in text:
        s = char_script(ch)
        if s is not None:
            counts[s] = counts.get(s, 0) + 1
    return counts


def script_of(text: str) -> str | None:
    """Return the dominant script of `text`: "cjk" (Han, kana or hangul), "latin",
    "cyrillic", …, or None when it has no letters."""
    counts = script_counts(text)
    if not counts:
        return None
    cjk = counts.pop("han", 0) + counts.pop("kana", 0) + counts.pop("hangul", 0)
    best, n = max(counts.items(), key=lambda kv: kv[1], default=(None, 0))
    # A CJK character carries about as much text as 3–4 Latin letters.
    if cjk * 3 >= n:
        return "cjk"
    return best


def is_cjk(ch: str) -> bool:
    """Return True for a Han, kana or hangul character (these weigh ~3.5 Latin letters)."""
    return char_script(ch) in ("han", "kana", "hangul")


def detect(text: str, *, min_letters: int = MIN_LETTERS) -> str | None:
    """Return langdetect's language code for `text` ("en", "zh-cn", "zh-tw", "ru", …).

    Returns None when the text is too short to tell (fewer than `min_letters`
    letters, unless kana or hangul decide it or it holds `MIN_HAN` Han characters) or
    langdetect finds no features.
    Never raises on any string.
    """
    text = plain_text(text)
    counts = script_counts(text)
    letters = sum(counts.values())
    kana = counts.get("kana", 0)
    hangul = counts.get("hangul", 0)
    han = counts.get("han", 0)
    # The script settles Japanese and Korean even for a short line.
    if kana >= 2 and kana + han >= letters / 2:
        return "ja"
    if hangul >= 2 and hangul + han >= letters / 2:
        return "ko"
    # Han characters carry a word's worth each: eight of them, with no kana, are Chinese.
    if letters < min_letters and not (han >= MIN_HAN and han * 2 >= letters):
        return None
    _init()
    from langdetect import detect as _ld_detect
    from langdetect.lang_detect_exception import LangDetectException

    try:
        code = _ld_detect(text)
    except LangDetectException:
        return None
    # Han-only text: langdetect may say "ko"/"ja" on a few characters; the script says Chinese.
    if han * 2 >= letters and not code.startswith("zh"):
        return "zh-cn"
    return code


def sample_text(texts: Sequence[str], *, cues: int = SAMPLE_CUES, chars: int = SAMPLE_CHARS) -> str:
    """Return up to `chars` characters joined from up to `cues` evenly spaced non-empty texts."""
    n = len(texts)
    if n == 0:
        return ""
    step = max(1, n // cues)
    parts: list[str] = []
    total = 0
    # Evenly spaced picks; an empty pick is replaced by the next non-empty text.
    for start in range(0, n, step):
        i = start
        while i < n and i < start + step and not texts[i].strip():
            i += 1
        if i >= n or i >= start + step:
            continue
        t = plain_text(texts[i]).strip()
        parts.append(t)
        total += len(t) + 1
        if total >= chars:
            break
    return " ".join(parts)[:chars]


class _Lazy(Sequence[str]):
    """A read-only view of one text field of the cues (no copy of 100k strings)."""

    def __init__(self, cues: Sequence, attr: str) -> None:
        self._cues = cues
        self._attr = attr

    def __len__(self) -> int:
        return len(self._cues)

    def __getitem__(self, i):  # type: ignore[override]
        return getattr(self._cues[i], self._attr)


def detect_texts(texts: Sequence[str]) -> str | None:
    """Return the language of a sample of `texts`, or None when too little text."""
    return detect(sample_text(texts))


def detect_document(doc: Document) -> tuple[str | None, str | None]:
    """Return (source_language, translation_language) detected on a sample of the cues.

    Either is None when that track is empty or too short to tell.
    """
    return detect_texts(_Lazy(doc.cues, "text")), detect_texts(_Lazy(doc.cues, "translation"))


def detect_many(texts: Iterable[str]) -> list[str | None]:
    """Return `detect` of each text (for per-cue checks such as "left untranslated")."""
    return [detect(t) for t in texts]
