"""Language detection for cue text and whole documents (langdetect, seeded, guarded).

langdetect is probabilistic; `DetectorFactory.seed = 0` makes its answers repeatable.
Short text is where it guesses wildly, so `detect` refuses text with too few letters
unless the script alone decides (kana → Japanese, hangul → Korean). Documents are
sampled, never scanned whole, so detection stays fast on 100k cues, and their samples go
through `detect_scoped`, which loads langdetect's figures for the samples' n-grams only
(~0.07 s and no lasting memory at 100k cues, against ~0.28 s and ~57 MB for the whole table).
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence

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
    return _decide(text, min_letters, _langdetect_all)


def _decide(text: str, min_letters: int, run: Callable[[str], str | None]) -> str | None:
    """The rules of `detect` around langdetect: the script settles what it can, short text is
    refused, and `run` (langdetect over the plain text) decides the rest."""
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
    code = run(text)
    if code is None:
        return None
    # Han-only text: langdetect may say "ko"/"ja" on a few characters; the script says Chinese.
    if han * 2 >= letters and not code.startswith("zh"):
        return "zh-cn"
    return code


def _langdetect_all(text: str) -> str | None:
    """langdetect with every language profile loaded (kept for the next call; see release)."""
    _init()
    from langdetect import detect as _ld_detect
    from langdetect.lang_detect_exception import LangDetectException

    try:
        return _ld_detect(text)
    except LangDetectException:
        return None


def detect_scoped(texts: Sequence[str], *, min_letters: int = MIN_LETTERS) -> list[str | None]:
    """Return `detect` of each text, without loading langdetect's whole profile table.

    The fast path beside `detect` (tests compare them): langdetect only ever looks up the
    n-grams of the text it is given, so a table holding every language's figures for just
    those n-grams gives the very same answers. Building it reads the profiles once (~50 ms)
    and keeps a few thousand entries instead of ~88,000 (~0.25 s and ~57 MB). For a few
    document-sized samples; many short texts are cheaper with `detect`'s resident table.
    """
    pending: list[str] = []

    def record(text: str) -> None:
        pending.append(text)

    first = [_decide(t, min_letters, record) for t in texts]
    if not pending:
        return first  # the script or the length decided every text
    from langdetect.lang_detect_exception import LangDetectException

    try:
        factory = _factory_for(pending)
    except (OSError, ValueError, LookupError, TypeError):
        # Profiles missing or damaged: no answer, as langdetect's own loader gives (its error
        # is caught in `detect`), never a crash of the document's checks.
        return first

    def run(text: str) -> str | None:
        try:
            detector = factory.create()
            detector.append(text)
            return detector.detect()
        except LangDetectException:
            return None

    return [_decide(t, min_letters, run) for t in texts]


def _factory_for(texts: Iterable[str]):  # -> langdetect DetectorFactory
    """Return a langdetect factory whose table holds only the n-grams `texts` can produce, with
    the same languages, order and probabilities as langdetect's own `load_profile`."""
    import json
    import os

    from langdetect.detector import Detector
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
    from langdetect.utils.ngram import NGram

    _init()
    # The n-grams langdetect's extraction would look up: the same text preparation (append,
    # cleaning_text) and the same sliding window, without the table's membership test.
    wanted: set[str] = set()
    probe = DetectorFactory()
    for text in texts:
        detector = Detector(probe)
        detector.append(text)
        detector.cleaning_text()
        ngram = NGram()
        for ch in detector.text:
            ngram.add_char(ch)
            if ngram.capitalword:
                continue
            grams = ngram.grams
            for n in range(1, NGram.N_GRAM + 1):
                if len(grams) < n:
                    break
                w = grams[-n:]
                if w and w != " ":
                    wanted.add(w)
    # As DetectorFactory.load_profile: files in directory order, vectors as long as the listing.
    names = os.listdir(PROFILES_DIRECTORY)
    langsize = len(names)
    table: dict[str, list[float]] = {}
    langlist: list[str] = []
    index = 0
    for name in names:
        if name.startswith("."):
            continue
        path = os.path.join(PROFILES_DIRECTORY, name)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        langlist.append(data["name"])
        freq = data["freq"]
        n_words = data["n_words"]
        for word in wanted.intersection(freq):
            row = table.get(word)
            if row is None:
                row = table[word] = [0.0] * langsize
            row[index] = 1.0 * freq[word] / n_words[len(word) - 1]
        index += 1
    factory = DetectorFactory()
    factory.word_lang_prob_map = table
    factory.langlist = langlist
    return factory


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
    return detect_scoped([sample_text(texts)])[0]


def detect_document(doc: Document) -> tuple[str | None, str | None]:
    """Return (source_language, translation_language) detected on a sample of the cues.

    Either is None when that track is empty or too short to tell.
    """
    # One pass over the profiles for both samples (see detect_scoped): the whole table is
    # never loaded for a document's languages.
    # (A document without a translation: no walk over its 100k empty translations.)
    translated = any(c.translation for c in doc.cues)
    samples = [
        sample_text(_Lazy(doc.cues, "text")),
        sample_text(_Lazy(doc.cues, "translation")) if translated else "",
    ]
    src, tr = detect_scoped(samples)
    return src, tr


def detect_many(texts: Iterable[str]) -> list[str | None]:
    """Return `detect` of each text (for per-cue checks such as "left untranslated")."""
    return [detect(t) for t in texts]
