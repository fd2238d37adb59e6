"""Language detection for cue text and whole documents (langdetect, seeded, guarded).

langdetect is probabilistic; `DetectorFactory.seed = 0` makes its answers repeatable.
Short text is where it guesses wildly, so `detect` refuses text with too few letters
unless the script alone decides (kana → Japanese, hangul → Korean). Documents are
sampled, never scanned whole, so detection stays fast on 100k cues, and their samples go
through `detect_scoped`, which loads langdetect's figures for the samples' n-grams only
(~0.03 s and no lasting memory at 100k cues, against ~0.28 s and ~57 MB for the whole table),
looked up in the profiles pre-parsed once into the user's cache folder.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from itertools import compress

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
    those n-grams gives the very same answers. Building it looks them up in the profiles'
    pre-parsed cache (~10 ms; parsing the JSON profiles, the first time, ~80 ms) and keeps a few
    thousand entries instead of ~88,000 (~0.25 s and ~57 MB). For a few
    document-sized samples; many short texts are cheaper with `detect`'s resident table.
    """
    pending: list[str] = []

    def record(text: str) -> None:
        pending.append(text)

    first = [_decide(t, min_letters, record) for t in texts]
    if not pending:
        return first  # the script or the length decided every text
    from langdetect.lang_detect_exception import LangDetectException

    # Each text's n-grams listed once: what the table needs, and (filtered by it) what the
    # detector draws from, instead of langdetect preparing and walking the text a second time.
    listed = {text: _listed_ngrams(text) for text in pending}
    try:
        factory = _factory_cached(pending, set().union(*listed.values()))
    except (OSError, ValueError, LookupError, TypeError):
        # Profiles missing or damaged: no answer, as langdetect's own loader gives (its error
        # is caught in `detect`), never a crash of the document's checks.
        return first

    def run(text: str) -> str | None:
        try:
            return _prepared_detector(factory, listed[text]).detect()
        except LangDetectException:
            return None

    return [_decide(t, min_letters, run) for t in texts]


def _prepared_detector(factory, grams: list[str]):  # -> langdetect Detector
    """Return factory.create() with a text appended (`grams`: _listed_ngrams(text)), its text
    already prepared and its n-grams already listed: its detect() answers as that detector's."""
    if not _PREPARED:
        from langdetect.detector import Detector

        class Prepared(Detector):
            def cleaning_text(self) -> None:
                pass  # done by _listed_ngrams

            def _extract_ngrams(self) -> list[str]:
                table = self.word_lang_prob_map
                return [w for w in self.listed if w in table]

        _PREPARED.append(Prepared)
    if not factory.langlist:  # as factory.create() refuses
        from langdetect.lang_detect_exception import ErrorCode, LangDetectException

        raise LangDetectException(ErrorCode.NeedLoadProfileError, "Need to load profiles.")
    detector = _PREPARED[0](factory)
    detector.listed = grams
    return detector


_PREPARED: list[type] = []  # _prepared_detector's class (langdetect is imported when first needed)


def _listed_ngrams(text: str) -> list[str]:
    """Return the n-grams langdetect's extraction meets in `text`, in order and repeated as met:
    the same text preparation (append, cleaning_text) and the same sliding window, without the
    table's membership test (Detector._extract_ngrams keeps those of them the table holds)."""
    from langdetect.detector import Detector
    from langdetect.detector_factory import DetectorFactory
    from langdetect.utils.ngram import NGram

    found: list[str] = []
    detector = Detector(DetectorFactory())
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
                found.append(w)
    return found


def _wanted_ngrams(texts: Iterable[str]) -> set[str]:
    """Return the n-grams langdetect's extraction would look up in `texts` (_listed_ngrams)."""
    wanted: set[str] = set()
    for text in texts:
        wanted.update(_listed_ngrams(text))
    return wanted


def _new_factory(table: dict[str, list[float]], langlist: list[str]):  # -> DetectorFactory
    from langdetect.detector_factory import DetectorFactory

    factory = DetectorFactory()
    factory.word_lang_prob_map = table
    factory.langlist = langlist
    return factory


def _profile_files() -> tuple[list[tuple[str, str]], int]:
    """Return ([(file name, path)] of langdetect's profiles in the order its `load_profile`
    reads them, the length of its probability vectors): directory order, vectors as long as
    the whole listing (dot files and folders included, as langdetect counts them)."""
    import os

    from langdetect.detector_factory import PROFILES_DIRECTORY

    names = os.listdir(PROFILES_DIRECTORY)
    files = []
    for name in names:
        if name.startswith("."):
            continue
        path = os.path.join(PROFILES_DIRECTORY, name)
        if os.path.isfile(path):
            files.append((name, path))
    return files, len(names)


def _read_profile(path: str) -> tuple[str, dict[str, int], list[int]]:
    """Return (language name, n-gram counts, n-grams counted per length) of one profile file."""
    import json

    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return data["name"], data["freq"], data["n_words"]


def _factory_for(texts: Iterable[str], wanted: set[str] | None = None):  # -> langdetect DetectorFactory
    """Return a langdetect factory whose table holds only the n-grams `texts` can produce, with
    the same languages, order and probabilities as langdetect's own `load_profile` (the plain
    version: every profile's JSON parsed, ~80 ms; `_factory_cached` is the fast path).
    `wanted`: _wanted_ngrams(texts), when the caller has them."""
    _init()
    if wanted is None:
        wanted = _wanted_ngrams(texts)
    files, langsize = _profile_files()
    table: dict[str, list[float]] = {}
    langlist: list[str] = []
    for index, (_name, path) in enumerate(files):
        lang, freq, n_words = _read_profile(path)
        langlist.append(lang)
        for word in wanted.intersection(freq):
            row = table.get(word)
            if row is None:
                row = table[word] = [0.0] * langsize
            row[index] = 1.0 * freq[word] / n_words[len(word) - 1]
    return _new_factory(table, langlist)


# The profiles pre-parsed, in the user's cache folder: every n-gram sorted, with each language's
# probability for it, as flat arrays (~2.5 MB) read in place. Reading it and looking a sample's
# ~1,200 n-grams up takes ~8 ms and ~4 MB at the peak, instead of parsing 55 JSON files on every
# document opened (~50-80 ms, ~6 MB).
PROFILE_CACHE_FORMAT = 2
# Every n-gram padded to this many characters with NULs (langdetect's are 1 to 3 long), so the
# sorted n-grams are one string searched in place: no list of ~88,000 strings to build.
_GRAM_WIDTH = 3


class _Profiles:
    """langdetect's profiles as `count` sorted n-grams (`grams`: each padded to _GRAM_WIDTH with
    NULs, one after the other) and, for the n-gram at i, the entries offsets[i]:offsets[i + 1]
    of `langs` (a language's index in `langlist`) and `probs` (its probability there, computed
    as `load_profile` computes it). The sequences may be arrays or views of the cache file."""

    def __init__(self, langsize: int, langlist: list[str], grams: str, offsets, langs, probs) -> None:
        self.langsize = langsize
        self.langlist = langlist
        self.grams = grams
        self.count = len(grams) // _GRAM_WIDTH
        self.offsets = offsets
        self.langs = langs
        self.probs = probs

    def table(self, wanted: Iterable[str]) -> dict[str, list[float]]:
        """Return langdetect's probability table for just the `wanted` n-grams it holds."""
        grams, offsets, langs, probs, count, w = (
            self.grams,
            self.offsets,
            self.langs,
            self.probs,
            self.count,
            _GRAM_WIDTH,
        )
        table: dict[str, list[float]] = {}
        for word in wanted:
            if not 0 < len(word) <= w or "\0" in word:
                continue
            key = word.ljust(w, "\0")
            lo, hi = 0, count
            while lo < hi:  # bisect over the padded n-grams, in place
                mid = (lo + hi) // 2
                if grams[mid * w : mid * w + w] < key:
                    lo = mid + 1
                else:
                    hi = mid
            if lo < count and grams[lo * w : lo * w + w] == key:
                row = table[word] = [0.0] * self.langsize
                for k in range(offsets[lo], offsets[lo + 1]):
                    row[langs[k]] = probs[k]
        return table

    def table_bulk(self, wanted: Iterable[str]) -> dict[str, list[float]]:
        """Return `table(wanted)` (a test compares them) with every n-gram found by one NumPy
        binary search over the padded n-grams and their entries gathered at once: ~2.5 ms for a
        document's ~1,200 n-grams where the searches in Python took ~6."""
        import numpy as np

        w = _GRAM_WIDTH
        keys = [word for word in wanted if 0 < len(word) <= w and "\0" not in word]
        if not keys or not self.count:
            return {}
        # The padded n-grams as fixed-width strings (NumPy orders them as Python orders their str).
        grams = np.frombuffer(self.grams.encode("utf-32-le", "surrogatepass"), f"<U{w}")
        probe = np.array([word.encode("utf-32-le", "surrogatepass").ljust(4 * w, b"\0") for word in keys])
        probe = probe.view(f"<U{w}")
        at = np.searchsorted(grams, probe)
        found = at < self.count
        found[found] = grams[at[found]] == probe[found]
        rows = at[found]
        offsets = np.asarray(self.offsets)
        starts = offsets[rows].astype(np.intp)
        counts = offsets[rows + 1].astype(np.intp) - starts
        # The entries of each found n-gram, all runs one after the other.
        entry = np.arange(int(counts.sum())) + np.repeat(starts - (np.cumsum(counts) - counts), counts)
        langs = np.asarray(self.langs)[entry].tolist()
        probs = np.asarray(self.probs)[entry].tolist()
        # Rows as `table` makes them (its zeros one shared float: ~1 MB less than NumPy's tolist).
        table: dict[str, list[float]] = {}
        size = self.langsize
        at_entry = 0
        for word, n in zip(compress(keys, found.tolist()), counts.tolist(), strict=True):
            row = table[word] = [0.0] * size
            for k in range(at_entry, at_entry + n):
                row[langs[k]] = probs[k]
            at_entry += n
        return table


def _profiles_from_json() -> _Profiles:
    """Return every profile parsed from langdetect's JSON files (the cache's source).
    Raises OSError/ValueError/LookupError/TypeError as reading them does."""
    from array import array

    files, langsize = _profile_files()
    if len(files) > 255:
        raise ValueError("more languages than a byte indexes")
    langlist: list[str] = []
    words: list[str] = []
    lang_of = array("B")
    prob_of = array("d")
    for index, (_name, path) in enumerate(files):
        lang, freq, n_words = _read_profile(path)
        langlist.append(lang)
        for word, count in freq.items():
            if not 0 < len(word) <= _GRAM_WIDTH or "\0" in word:
                raise ValueError(f"unexpected n-gram {word!r} in {path}")
            words.append(word)
            lang_of.append(index)
            prob_of.append(1.0 * count / n_words[len(word) - 1])
    order = sorted(range(len(words)), key=words.__getitem__)  # stable: languages in file order
    grams: list[str] = []
    offsets = array("I")
    langs = array("B", (lang_of[k] for k in order))
    probs = array("d", (prob_of[k] for k in order))
    for pos, k in enumerate(order):
        if not grams or grams[-1] != words[k]:
            grams.append(words[k])
            offsets.append(pos)
    offsets.append(len(order))
    # NUL sorts before every character, so the padded n-grams keep the order of the plain ones.
    blob = "".join(g.ljust(_GRAM_WIDTH, "\0") for g in grams)
    return _Profiles(langsize, langlist, blob, offsets, langs, probs)


def _profile_identity() -> str:
    """Return everything the cached profiles depend on: this format, the Python version
    (marshal's), the profiles folder (its real path: the same files reached through a symlinked
    virtual environment share one cache) and its listing in order with each file's size and time."""
    import os
    import sys

    from langdetect.detector_factory import PROFILES_DIRECTORY

    parts = [str(PROFILE_CACHE_FORMAT), sys.version, os.path.realpath(PROFILES_DIRECTORY)]
    for name in os.listdir(PROFILES_DIRECTORY):
        path = os.path.join(PROFILES_DIRECTORY, name)
        try:
            st = os.stat(path)
        except OSError:
            parts.append(name)
            continue
        parts += [name, str(st.st_size), str(st.st_mtime_ns)]
    return "\0".join(parts)


def profile_cache_dir() -> str:
    """Return the folder of the cached language profiles (not created)."""
    import os

    from editor.core.userdirs import user_dir

    return os.path.join(user_dir("cache"), "language")


def _profile_cache_path(identity: str) -> str:
    import os
    import zlib

    data = identity.encode("utf-8", "surrogatepass")
    return os.path.join(profile_cache_dir(), f"profiles-{zlib.crc32(data):08x}{zlib.adler32(data):08x}.bin")


def _read_profile_cache(path: str, identity: str) -> _Profiles | None:
    """Return the cached profiles at `path` if they are whole and made for `identity`, else None.

    The file: a checksum of the rest (4 bytes), the header's length (4 bytes), the header
    (marshal: identity, langsize, langlist, n-gram count, the padded n-grams), then offsets
    (uint32), probabilities (float64) and languages (uint8) read in place as views of it."""
    import marshal
    import zlib

    try:
        with open(path, "rb") as f:
            data = f.read()
        view = memoryview(data)
        # A damaged file could still unmarshal (a float's bytes changed): the checksum says.
        if len(data) < 8 or int.from_bytes(data[:4], "little") != zlib.adler32(view[4:]):
            return None
        size = int.from_bytes(data[4:8], "little")
        stored, langsize, langlist, count, grams = marshal.loads(view[8 : 8 + size])
        if stored != identity:
            return None
        at = 8 + size
        offsets = view[at : at + 4 * (count + 1)].cast("I")
        at += 4 * (count + 1)
        entries = offsets[-1] if count >= 0 and len(offsets) == count + 1 else -1
        probs = view[at : at + 8 * entries].cast("d")
        langs = view[at + 8 * entries :]
        ok = (
            entries >= 0
            and len(probs) == len(langs) == entries
            and len(grams) == count * _GRAM_WIDTH
            and all(isinstance(x, str) for x in langlist)
            and isinstance(langsize, int)
            and len(langlist) <= langsize
        )
    except (OSError, ValueError, EOFError, TypeError, IndexError):
        return None
    return _Profiles(langsize, langlist, grams, offsets, langs, probs) if ok else None


def _write_profile_cache(path: str, identity: str, profiles: _Profiles) -> bool:
    """Write the profiles to `path` atomically and remove older caches beside it; returns False
    when the cache could not be written (it is only not there next time)."""
    import marshal
    import os
    import sys
    import zlib

    from editor.core.errors import WriteError
    from editor.core.textio import write_bytes_atomic

    if sys.byteorder != "little":
        return False  # the views read the arrays in the machine's order; written little-endian
    folder = os.path.dirname(path)
    header = marshal.dumps((identity, profiles.langsize, profiles.langlist, profiles.count, profiles.grams))
    payload = b"".join(
        (
            len(header).to_bytes(4, "little"),
            header,
            bytes(profiles.offsets),
            bytes(profiles.probs),
            bytes(profiles.langs),
        )
    )
    data = zlib.adler32(payload).to_bytes(4, "little") + payload
    try:
        os.makedirs(folder, exist_ok=True)
        write_bytes_atomic(path, data)
    except (OSError, WriteError):
        return False
    try:
        for name in os.listdir(folder):
            if name.startswith("profiles-") and os.path.join(folder, name) != path:
                os.unlink(os.path.join(folder, name))
    except OSError:
        pass  # an old cache left behind (removed by another process, or read-only) wastes only disk
    return True


# Cache files that could not be written (a read-only cache folder): building the sorted form
# (~0.3 s) pays only when it is kept, so these documents take the plain path (~80 ms) instead.
_unwritable: set[str] = set()


def _cached_profiles() -> _Profiles | None:
    """Return the profiles from the user's cache, parsed from JSON and cached first when the
    cache is missing, damaged or from other profiles; None when no cache can be kept there.
    Raises as `_profiles_from_json`."""
    identity = _profile_identity()
    path = _profile_cache_path(identity)
    profiles = _read_profile_cache(path, identity)
    if profiles is None:
        if path in _unwritable:
            return None
        profiles = _profiles_from_json()
        if not _write_profile_cache(path, identity, profiles):
            _unwritable.add(path)
    return profiles


def _factory_cached(texts: Iterable[str], wanted: set[str] | None = None):  # -> langdetect DetectorFactory
    """The fast path beside `_factory_for` (tests compare their tables): the same factory, its
    table looked up in the pre-parsed profiles of the user's cache instead of the JSON files
    (`_factory_for` itself when the cache folder cannot keep them). `wanted`:
    _wanted_ngrams(texts), when the caller has them."""
    texts = list(texts)
    _init()
    profiles = _cached_profiles()
    if profiles is None:
        return _factory_for(texts, wanted)
    return _new_factory(
        profiles.table_bulk(_wanted_ngrams(texts) if wanted is None else wanted), list(profiles.langlist)
    )


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


def detect_document(doc: Document, *, translated: bool | None = None) -> tuple[str | None, str | None]:
    """Return (source_language, translation_language) detected on a sample of the cues.

    Either is None when that track is empty or too short to tell. `translated`: whether any cue
    has a translation, when the caller knows already (a walk over 100k cues saved).
    """
    # One pass over the profiles for both samples (see detect_scoped): the whole table is
    # never loaded for a document's languages.
    # (A document without a translation: no walk over its 100k empty translations.)
    if translated is None:
        translated = doc.has_translation()
    samples = [
        sample_text(_Lazy(doc.cues, "text")),
        sample_text(_Lazy(doc.cues, "translation")) if translated else "",
    ]
    src, tr = detect_scoped(samples)
    return src, tr


def detect_many(texts: Iterable[str]) -> list[str | None]:
    """Return `detect` of each text (for per-cue checks such as "left untranslated")."""
    return [detect(t) for t in texts]
