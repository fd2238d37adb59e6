"""Spelling: Hunspell dictionaries, words worth checking, and the `spelling` QC check.

Dictionaries are real Hunspell `.dic`/`.aff` pairs read by spylls (a pure-Python port of
Hunspell, so it installs the same everywhere). They are looked for, first match wins, in
the user's folder (`<platformdirs user data>/cueline/dictionaries`), then the platform's
(Debian's `hunspell-*` packages in /usr/share/hunspell, myspell, LibreOffice's bundled
extensions, macOS ~/Library/Spelling), then the en_US, ru_RU and sv_SE dictionaries that
ship inside spylls, so English works with no set-up at all.

What is never a mistake: inline markup (`<i>`, `{\\an8}`), URLs and e-mail addresses,
tokens that contain a digit (GPT-4o, o1-preview, 3:16, 20%), ALL-CAPS acronyms (AI,
GPUs), single letters, CJK text (word segmentation is not spelling), speaker names,
glossary terms and renderings, the user's own words for the language (Add to Dictionary,
one file per language) and the document's ignore list (Ignore All, kept in the project).

Latin words inside a CJK track are checked in the language of the other, non-CJK track
when a dictionary for it exists (an English source with a Chinese translation: English).

Words are checked against the dictionary's accepted word forms (`hunspell_forms`, cached:
~10-35 ms and ~2 MB to load), spylls only loading for suggestions and for what the forms
cannot decide. Everything is cached per word and per chunk, so re-checking text costs a
lookup only for words never seen before. The first load of a dictionary (parse, expand,
cache) takes a second or two: the GUI loads on a worker thread (`DictionaryStore.never_block`
names the threads on which checks skip a language until its dictionary is ready).
"""

from __future__ import annotations

import copy
import functools
import glob
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress, islice
from operator import not_
from typing import Any

from editor.core import script
from editor.core.model import Cue, Document
from editor.core.patterns import compile_on_first_use
from editor.core.records import record

CJK_LANGUAGES = script.CJK_LANGUAGES
SUGGESTIONS = 5

# Hunspell's usual name for each language when the document says only "en", "fr"…
_REGION: dict[str, tuple[str, ...]] = {
    "en": ("en_US", "en_GB", "en_CA", "en_AU"),
    "fr": ("fr_FR", "fr"),
    "de": ("de_DE", "de_DE_frami", "de_AT", "de_CH"),
    "es": ("es_ES", "es_MX", "es"),
    "pt": ("pt_PT", "pt_BR"),
    "it": ("it_IT",),
    "nl": ("nl_NL", "nl"),
    "ru": ("ru_RU", "ru"),
    "sv": ("sv_SE", "sv"),
    "da": ("da_DK",),
    "nb": ("nb_NO", "no_NO"),
    "no": ("nb_NO", "no_NO"),
    "pl": ("pl_PL",),
    "cs": ("cs_CZ",),
    "uk": ("uk_UA",),
    "tr": ("tr_TR",),
    "el": ("el_GR",),
    "hu": ("hu_HU",),
    "ro": ("ro_RO",),
    "fi": ("fi_FI",),
}
# Debian package that provides a language's dictionary (for the status-bar hint).
DEBIAN_PACKAGE = "hunspell-{lang}"


primary = script.primary_language


@functools.lru_cache(maxsize=64)
def _key_of(lang: str) -> str:
    """Return the key a language's verdicts and user words are kept under ("en" for "en-GB")."""
    return primary(lang) or lang


def is_cjk_language(code: str | None) -> bool:
    """Return True for Chinese, Japanese and Korean codes."""
    return primary(code) in CJK_LANGUAGES


# ---------------------------------------------------------------------------
# Where dictionaries live
# ---------------------------------------------------------------------------


def user_data_dir() -> str:
    """Return Cueline's data folder under platformdirs (not created)."""
    from editor.core.userdirs import user_dir

    return user_dir("data")


def user_dictionary_dir() -> str:
    """Return the folder where users drop `.dic`/`.aff` pairs (not created)."""
    return os.path.join(user_data_dir(), "dictionaries")


def user_words_path(lang: str) -> str:
    """Return the file of the user's own words (Add to Dictionary) for `lang`."""
    return os.path.join(user_data_dir(), "spelling", f"{primary(lang) or lang}.txt")


def _bundled_dir() -> str:
    """Return the folder of the dictionaries spylls ships (en_US among them)."""
    # Found, not imported: importing spylls.hunspell imports all of spylls (~15 ms, ~5 MB),
    # which checking with the word forms never needs.
    import importlib.util

    spec = importlib.util.find_spec("spylls")
    root = os.path.dirname(spec.origin) if spec is not None and spec.origin else ""
    return os.path.join(root, "hunspell", "data")


def search_dirs() -> list[str]:
    """Return the folders searched for dictionaries, in order of preference."""
    dirs = [user_dictionary_dir()]
    home = os.path.expanduser("~")
    if sys.platform == "darwin":
        dirs += [os.path.join(home, "Library", "Spelling"), "/Library/Spelling"]
        dirs += glob.glob("/Applications/LibreOffice.app/Contents/Resources/extensions/dict-*")
    elif sys.platform == "win32":
        for root in (os.environ.get("PROGRAMFILES", ""), os.environ.get("PROGRAMFILES(X86)", "")):
            if root:
                dirs += glob.glob(os.path.join(root, "LibreOffice", "share", "extensions", "dict-*"))
    else:
        dirs += [
            "/usr/share/hunspell",
            "/usr/share/myspell",
            "/usr/share/myspell/dicts",
            "/usr/local/share/hunspell",
            os.path.join(home, ".local", "share", "hunspell"),
        ]
        dirs += glob.glob("/usr/lib/libreoffice/share/extensions/dict-*")
        dirs += glob.glob("/opt/libreoffice*/share/extensions/dict-*")
    dirs += sorted(glob.glob(os.path.join(_bundled_dir(), "*")))
    return [d for d in dirs if os.path.isdir(d)]


def find_dictionary(lang: str, dirs: Iterable[str] | None = None) -> str | None:
    """Return the path of the `.dic`/`.aff` pair for `lang` without its extension, or None.

    `lang` is a document language ("en", "en-GB", "zh-cn") or a Hunspell name ("en_GB").
    """
    code = lang.replace("-", "_")
    head = primary(lang) or ""
    names: list[str] = []
    if "_" in code:
        base, region = code.split("_", 1)
        names.append(f"{base.lower()}_{region.upper()}")
    names += [*_REGION.get(head, ()), head, f"{head}_{head.upper()}"]
    folders = list(dirs) if dirs is not None else search_dirs()
    for name in dict.fromkeys(names):
        for folder in folders:
            path = os.path.join(folder, name)
            if os.path.isfile(path + ".dic") and os.path.isfile(path + ".aff"):
                return path
    # Any regional variant at all ("en_ZA" when nothing above exists).
    for folder in folders:
        for dic in sorted(glob.glob(os.path.join(folder, f"{head}_*.dic"))):
            if os.path.isfile(dic[:-4] + ".aff"):
                return dic[:-4]
    return None


# ---------------------------------------------------------------------------
# One dictionary
# ---------------------------------------------------------------------------


class HunspellDictionary:
    """A loaded Hunspell dictionary with per-word caches. Thread-safe for reading.

    Words are checked against the dictionary's accepted word forms (`hunspell_forms`, ~2 MB,
    from the cache in milliseconds), which answer as spylls does; spylls itself (~65 MB, ~0.15 s
    from its cache) is loaded only for what the forms cannot decide (a word with a hyphen or a
    digit, a dictionary that compounds words) and for suggestions.
    """

    def __init__(self, path: str) -> None:
        from editor.core import dictionary_cache

        self.path = path
        self.name = os.path.basename(path)
        self._known: dict[str, bool] = {}
        self._suggestions: dict[str, list[str]] = {}
        self._spylls_lock = threading.Lock()
        self._dic: Any = None
        # spylls' plain stems (see _plain_stems), made when spylls first checks a word: not
        # for suggestions alone (~40 ms more before the first context menu shows).
        self._stems: tuple[frozenset[str], frozenset[str], frozenset[str]] | None = None
        forms, parsed = dictionary_cache.load_forms_or_build(path)
        self.forms = forms or None
        if self.forms is None:
            # Not expressible as forms: spylls checks every word, as it always did.
            self._use_spylls(parsed if parsed is not None else dictionary_cache.load_dictionary(path))

    @property
    def spylls_loaded(self) -> bool:
        """Return True once spylls' parse of the dictionary is in memory."""
        return self._dic is not None

    def _spylls(self) -> Any:
        """Return spylls' Dictionary, loading it (from its cache, or parsed) the first time."""
        dic = self._dic
        if dic is None:
            with self._spylls_lock:
                if self._dic is None:
                    from editor.core import dictionary_cache

                    self._use_spylls(dictionary_cache.load_dictionary(self.path))
                dic = self._dic
        return dic

    def _use_spylls(self, dic: Any) -> None:
        # Hunspell's edit-based suggestions (swapped, doubled, dropped, wrong letters, the
        # .aff's REP table) arrive in milliseconds; its n-gram and phonetic passes scan the
        # whole word list (a second or more per word), so they run only when asked for.
        fast = copy.copy(dic.suggester)
        fast.ngram_suggestions = lambda word, handled: iter(())  # type: ignore[method-assign]
        fast.phonet_suggestions = lambda word: iter(())  # type: ignore[method-assign]
        self._fast = fast
        self._dic = dic  # last: other threads take a set _dic as "ready"

    def check(self, word: str) -> bool:
        """Return True when `word` is spelt correctly (spylls' verdict)."""
        if self.forms is not None:
            known = self.forms.check(word)
            if known is not None:
                return known
        known = self._known.get(word)
        if known is None:
            known = self.check_with_spylls(word)
            if len(self._known) > 500_000:
                self._known.clear()
            self._known[word] = known
        return known

    def check_with_spylls(self, word: str) -> bool:
        """Return spylls' verdict on `word` (the plain version `check` agrees with; uncached)."""
        from editor.core.hunspell_forms import INIT, guess

        dic = self._spylls()
        stems = self._stems
        if stems is None:
            stems = self._stems = _plain_stems(dic)  # (made twice by two threads at worst)
        exact, lower, iconv = stems
        # ("O'Clock" is no INIT word to Hunspell, though str.istitle says it is title case.)
        if (word in exact or (guess(word) == INIT and word.lower() in lower)) and not (
            iconv and not iconv.isdisjoint(word)
        ):
            return True
        try:
            return bool(dic.lookup(word))
        except Exception:  # spylls on input it never expected: not worth a crash
            return True

    def suggest_is_quick(self, word: str, limit: int = SUGGESTIONS, *, thorough: bool = False) -> bool:
        """Return True when `suggest` will answer without loading spylls (loaded, or remembered).

        A window asks this before suggesting on its own thread: the first load costs ~0.3–0.9 s
        of CPU, which a context menu must not wait for.
        """
        return self._dic is not None or f"{int(thorough)}{limit}\0{word}" in self._suggestions

    def suggest(self, word: str, limit: int = SUGGESTIONS, *, thorough: bool = False) -> list[str]:
        """Return up to `limit` corrections for `word`, best first (cached). Loads spylls the
        first time (~0.15 s from its cache).

        Hunspell's edit suggestions only; with `thorough`, its slow n-gram and phonetic
        suggestions too when the edits found fewer than `limit`.
        """
        key = f"{int(thorough)}{limit}\0{word}"
        found = self._suggestions.get(key)
        if found is not None:
            return list(found)
        try:
            dic = self._spylls()
            out = [s for s in islice(self._fast(word), limit * 3) if s != word]
            out = list(dict.fromkeys(out))[:limit]
            if thorough and len(out) < limit:
                for s in dic.suggest(word):
                    if s not in out and s != word:
                        out.append(s)
                    if len(out) >= limit:
                        break
        except Exception:
            out = []
        self._suggestions[key] = out
        return list(out)


def _plain_stems(dic: Any) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Return the stems of spylls' Dictionary `dic` that are words as they stand (no flag
    restricting them), exact and all-lowercase, and the characters ICONV rewrites: most words
    of a text are such stems, and a set lookup is ~100x cheaper than Hunspell's affix analysis.
    No stems when the .aff ignores characters (IGNORE); words holding a character that ICONV
    rewrites always go to Hunspell (see `check_with_spylls`)."""
    aff = dic.aff
    iconv = frozenset(c for pattern, _ in (aff.ICONV.pairs if aff.ICONV else ()) for c in pattern)
    if aff.IGNORE:
        return frozenset(), frozenset(), iconv
    limiting = {f for f in (aff.FORBIDDENWORD, aff.NEEDAFFIX, aff.ONLYINCOMPOUND, aff.KEEPCASE) if f}
    exact: set[str] = set()
    barred: set[str] = set()
    for word in dic.dic.words:
        (barred if word.flags & limiting else exact).add(word.stem)
    exact -= barred
    return frozenset(exact), frozenset(w for w in exact if w.islower()), iconv


class DictionaryStore:
    """Loaded dictionaries by language, loaded once per process (the first time ever ~1-2 s).

    `get` loads a dictionary not yet loaded there and then, except on the threads named in
    `never_block` (the GUI thread): there it starts loading on a Python thread and returns
    None, and `on_loaded` callbacks (run on that loading thread) say when it is ready.
    """

    def __init__(self, dirs: list[str] | None = None) -> None:
        self.dirs = dirs
        self.never_block: set[int] = set()
        self.on_loaded: list[Callable[[str], None]] = []
        # Runs a load in the background (a daemon thread unless the GUI gives its worker pool,
        # which pauses the garbage collector: a load allocates millions of objects).
        self.spawn: Callable[[Callable[[], object], str], None] = _daemon_thread
        self._loaded: dict[str, HunspellDictionary | None] = {}
        self._loading: dict[str, threading.Event] = {}  # set when that language's load ends
        self._lock = threading.Lock()

    def load_in_background_for(self, thread: int, spawn: Callable[[Callable[[], object], str], None]) -> None:
        """Make `thread` (a window's) never wait for a load: loads start on `spawn` instead."""
        self.never_block.add(thread)
        self.spawn = spawn

    def release_thread(self, thread: int) -> None:
        """Undo `load_in_background_for` when that window closes (the store outlives it)."""
        self.never_block.discard(thread)
        if not self.never_block:
            self.spawn = _daemon_thread

    def path_for(self, lang: str) -> str | None:
        """Return the dictionary path for `lang`, or None when there is none."""
        return find_dictionary(lang, self.dirs)

    def get(self, lang: str | None, *, block: bool | None = None) -> HunspellDictionary | None:
        """Return the dictionary for `lang`, or None (none installed, or still loading)."""
        if not lang:
            return None
        key = lang.lower().replace("_", "-")
        with self._lock:
            if key in self._loaded:
                return self._loaded[key]
        if block is None:
            block = threading.get_ident() not in self.never_block
        with self._lock:
            done = self._loading.get(key)
            if done is None:
                done = self._loading[key] = threading.Event()
                start = True
            else:
                start = False  # another thread loads it already
        if start and block:
            return self._load(key)
        if start:
            self.spawn(lambda: self._load(key), f"dictionary-{key}")
            return None
        if block:
            done.wait()
            with self._lock:
                return self._loaded.get(key)
        return None

    def loaded(self, lang: str) -> HunspellDictionary | None:
        """Return the dictionary for `lang` when it is loaded already (never starts a load)."""
        with self._lock:
            return self._loaded.get(lang.lower().replace("_", "-"))

    def has_dictionary(self, lang: str | None) -> bool:
        """Return True when a dictionary for `lang` exists (loaded or not)."""
        if not lang:
            return False
        key = lang.lower().replace("_", "-")
        with self._lock:
            if key in self._loaded:
                return self._loaded[key] is not None
        return self.path_for(key) is not None

    def _load(self, key: str) -> HunspellDictionary | None:
        dic: HunspellDictionary | None = None
        try:
            path = self.path_for(key)
            if path is not None:
                dic = HunspellDictionary(path)
        except Exception as exc:  # a broken .aff/.dic pair (or folder) is no reason to stop
            print(f"cueline: spelling dictionary for {key} unreadable: {exc}", file=sys.stderr)
        finally:
            with self._lock:
                self._loaded[key] = dic
                done = self._loading.pop(key, None)
            if done is not None:
                done.set()  # threads waiting for this language go on
        for callback in list(self.on_loaded):
            callback(key)
        return dic

    def forget(self) -> None:
        """Drop every loaded dictionary (a dictionary was added to a folder)."""
        with self._lock:
            self._loaded.clear()


def _daemon_thread(fn: Callable[[], object], name: str) -> None:
    threading.Thread(target=fn, daemon=True, name=name).start()


STORE = DictionaryStore()


# ---------------------------------------------------------------------------
# The user's own words
# ---------------------------------------------------------------------------


def read_user_words(lang: str) -> set[str]:
    """Return the user's own words for `lang` (empty when the file does not exist)."""
    try:
        with open(user_words_path(lang), encoding="utf-8") as f:
            return {line.strip() for line in f if line.strip()}
    except OSError:
        return set()


def add_user_word(lang: str, word: str) -> None:
    """Add `word` to the user's dictionary for `lang` (one word per line, UTF-8). Raises OSError."""
    from editor.core import textio

    words = read_user_words(lang)
    if word in words:
        return
    words.add(word)
    path = user_words_path(lang)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    textio.atomic_write(path, "".join(w + "\n" for w in sorted(words)))


# ---------------------------------------------------------------------------
# Words worth checking
# ---------------------------------------------------------------------------

# CJK letters are not spell-checked (word segmentation is not spelling), nor are full-width forms.
_CJK = script.CJK_LETTERS + script.HALFWIDTH_KANA + script.FULLWIDTH_FORMS
_L = rf"[^\W_{_CJK}]"
_TLDS = "com|org|net|io|ai|dev|edu|gov|co|uk|de|fr|ru|cn|jp|app|tv|me|info"


# The full scan's pattern, compiled on first use (~6 ms of re's compiler): it reads only texts
# with a URL, an address or an entity, which a launch seldom meets.
@functools.cache
def _scan_re() -> re.Pattern[str]:
    return re.compile(
        rf"""(?P<skip>
            <[^<>\n]{{0,200}}>                          # HTML-like tags, VTT voice and timestamps
          | \{{[^{{}}\n]{{0,200}}\}}                      # ASS override blocks
          | (?:https?|ftp)://\S+ | www\.\S+             # URLs
          | [\w.+-]+@[\w-]+(?:\.[\w-]+)+               # e-mail addresses
          | \b[\w-]+(?:\.[\w-]+)*\.(?:{_TLDS})\b(?:/\S*)?  # bare domains: openai.com/o1
          | &\#?\w{{1,8}};                              # entities
        )
        | (?P<word>{_L}(?:{_L}|['’](?={_L})|[-‐](?={_L}))*)
        """,
        re.VERBOSE,
    )


# A word: letters (digits too) joined by apostrophes or hyphens, found in text whose CJK runs are
# blanked first (_words_in), which keeps the CJK ranges out of the class: re's compiler walks each
# character of a range in Python, ~3 ms of every launch per use of _L in a pattern.
_A = r"[^\W_]"
_WORD_RE = re.compile(rf"{_A}+(?:[-‐'’]{_A}+)*")
# Only text with one of these can hold markup, a URL or an address (the slow scan's concern).
_SPECIAL_RE = re.compile(r"[<{&@/]|\.\w")
# Runs of CJK letters: no word holds one (nor do they join words), so a space in their place
# leaves a text's words as they are, and its chunks few and often seen before.
_CJK_RUN_RE = compile_on_first_use(f"[{_CJK}]+")
_CJK_TABLE: list[Any] = []  # _cjk_table's, made on first use


def blank_cjk(text: str) -> str:
    """Return `text` with its runs of CJK letters (_CJK_RUN_RE) replaced by a space: the plain
    version of blank_words_bulk."""
    return _CJK_RUN_RE.sub(" ", text)


def _cjk_table():  # -> a NumPy bool array by BMP code point
    """Return which characters of the BMP are _CJK's letters (what _CJK_RUN_RE blanks), as a
    NumPy table made once: blank_words_bulk's lookup starts from it (a test compares it with the
    pattern on every BMP character)."""
    if not _CJK_TABLE:
        import numpy as np

        table = np.zeros(0x10000, bool)
        body = _CJK
        for k in range(0, len(body), 3):
            first, last = ord(body[k]), ord(body[k + 2])
            if first <= 0xFFFF:
                table[first : min(last, 0xFFFF) + 1] = True
        _CJK_TABLE.append(table)
    return _CJK_TABLE[0]


# What can be part of a word (_WORD_RE): its letters and digits, and the marks that join them.
_WORD_LETTER_RE = re.compile(_A)
_JOINERS = "-‐'’"
# blank_words_bulk's lookup (made on first use): each BMP character's replacement (itself, or a
# space), and the characters beyond ASCII it has decided (the others are not looked at yet).
_WORD_TABLE: list[Any] = []


def blank_words_bulk(text: str) -> str:
    """Return a text whose chunks hold the words of blank_cjk(text)'s chunks, chunk by chunk as
    _words_in finds them: each CJK letter a space (not each run; _cjk_table), and every other
    character that can be no part of a word (neither letter, digit, joiner nor whitespace: "。",
    "—", "«", a combining accent, ASCII's punctuation) a space too, as such a character ends a
    word as a space does. A text left with ASCII only comes back as an ASCII string, the fastest
    to split, and with fewer distinct chunks to judge ("word," and "word." are "word"): the QC's
    pass over a bilingual track, where "。" was a tenth of its chunks. An ASCII text comes back as
    it is. A test compares their words. Beyond the BMP: blank_cjk."""
    if text.isascii():
        return text
    units = _word_units(text)
    return blank_cjk(text) if units is None else _decoded(units)


def _word_units(text: str):  # -> NumPy uint8 or uint16 array | None
    """Return the UTF-16 units of `text` with blank_words_bulk's blanking (any whitespace kept,
    ASCII's punctuation blanked too), as uint8 when they are all ASCII; None for a text beyond
    the BMP or with a lone surrogate (blank_cjk's). A unit above 32 is a word's character; one
    of 32 or below is whitespace (str.split's: a control character that is not is blanked)."""
    import numpy as np

    if not _WORD_TABLE:
        cjk = _cjk_table()
        lookup = np.arange(0x10000, dtype=np.uint16)
        lookup[cjk] = 32
        # ASCII's punctuation too ("word," and "word." are then one chunk, judged once).
        for unit in range(0x80):
            ch = chr(unit)
            if not (_WORD_LETTER_RE.match(ch) or ch in _JOINERS or ch.isspace()):
                lookup[unit] = 32
        decided = np.array(cjk, bool)
        decided[:0x80] = True
        _WORD_TABLE[:] = [lookup, decided, lookup[:0x80].astype(np.uint8)]
    lookup, decided, ascii_lookup = _WORD_TABLE
    if text.isascii():
        return ascii_lookup.take(np.frombuffer(text.encode("ascii"), np.uint8))
    units = text.encode("utf-16-le", "surrogatepass")
    cp = np.frombuffer(units, np.uint16)
    if len(cp) != len(text):
        return None
    out = lookup.take(cp)
    if out.max() >= 0x80:
        # The characters met (a table of flags, not np.unique: that imports numpy.ma, ~10 ms).
        seen = np.zeros(0x10000, bool)
        seen[out] = True
        seen[:0x80] = False
        new = np.flatnonzero(seen & ~decided).tolist()
        if new:  # characters met for the first time (the answer never changes)
            if any(0xD800 <= unit <= 0xDFFF for unit in new):
                return None  # a lone surrogate
            for unit in new:
                ch = chr(unit)
                if not (_WORD_LETTER_RE.match(ch) or ch in _JOINERS):
                    lookup[unit] = 32
                decided[unit] = True
            out = lookup.take(cp)
        if out.max() >= 0x80:
            return out
    return out.astype(np.uint8)


# The texts of a track are joined with this character to be scanned at once: str.split() counts
# it as whitespace (so no chunk spans two texts), it is no CJK letter, and splitting on it gives
# the texts back (a text that holds it is checked alone).
_SEP = "\x1e"
_BLOCK = 8192  # texts checked together by SpellChecker.unknown_in_texts
# The scan's markup (its first two choices, so the same spans) ...
_MARKUP_RE = compile_on_first_use(r"<[^<>\n]{0,200}>|\{[^{}\n]{0,200}\}")
# ... and what must be there for its other skipped spans to start (URL, address, domain,
# entity): text without them, once its markup is blanked, has the words of its chunks.
_SKIPPED_RE = compile_on_first_use(rf"@|://|www\.|&\#?\w{{1,8}};|\.(?:{_TLDS})\b")
_DIGIT_RE = re.compile(r"\d")


def distinct_chunks(text: str) -> set[str]:
    """Return the distinct chunks of blank_words_bulk(text) with ASCII's punctuation blanked too:
    the plain version of _Chunks.distinct (a test compares them)."""
    units = _word_units(text)
    plain = blank_cjk(text) if units is None else _decoded(units)
    return set(plain.split())


def texts_holding(texts: Sequence[str], chunks: set[str]) -> list[int]:
    """Return the indices of `texts` holding one of `chunks` as distinct_chunks finds them: the
    plain version of _Chunks.texts_holding."""
    return [i for i, text in enumerate(texts) if not chunks.isdisjoint(distinct_chunks(text))]


def _decoded(units) -> str:
    return units.tobytes().decode("utf-16-le" if units.itemsize == 2 else "ascii")


# A chunk of up to 8 bytes of units is its one 64-bit key (its last unit, above 32, is never
# 0, so the zero padding tells its length); one of 9-24 bytes, its three keys and its length.
_KEY_BYTES = 24
_MIX = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5)
_ROUNDS = 12  # hash tables tried before the chunks still sharing a bucket are sliced as strings


class _Chunks:
    """The chunks of a text joined from many (blank_words_bulk's, ASCII's punctuation blanked
    too), found with NumPy rather than str.split: the QC's spelling pass over a 100k-cue track
    met ~550k chunk strings of which a few thousand differ, ~60 ns each to make and hash. Here
    a chunk string is made once per distinct chunk: the chunks of equal length and first 24
    bytes (up to three 64-bit keys, compared exactly) are one, found by a hash table of their
    keys (a bucket's chunks with other keys go round again); a longer chunk is sliced as a
    string. `distinct`: the chunks, each once; `group`: each chunk met, its index there (worked
    out when first asked, from what finding `distinct` kept: the QC's pass asks it only of a
    block holding an unknown word, and a 100k-cue track whose words are all known never does)."""

    __slots__ = ("_group", "_steps", "_units", "distinct", "starts")

    def __init__(self, text: str, units, bits: int = 0) -> None:
        """`units`: _word_units(text). `bits`: the hash table's size (a test makes it tiny)."""
        import numpy as np

        self._units = units
        word = np.zeros(len(units) + 2, bool)
        np.greater(units, 32, out=word[1:-1])
        # (A bool array's nonzero is several times quicker than an int8 difference's; positions
        # and indices are int32, half the memory: a block is far from 2**31 units.)
        edges = np.flatnonzero(word[1:] != word[:-1]).astype(np.int32)
        del word
        starts, ends = edges[0::2], edges[1::2]  # a chunk starts, ends, starts, …
        self.starts = starts
        width = units.itemsize
        nbytes = (ends - starts) * width
        first = starts * width
        size = len(units) * width
        pad = np.zeros(size + _KEY_BYTES + 8, np.uint8)
        pad[:size] = units.view(np.uint8)
        # Every byte offset's next 8 bytes as a 64-bit value (a strided, unaligned view).
        words = np.ndarray((size + _KEY_BYTES,), dtype="<u8", buffer=pad, strides=(1,))
        masks = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], np.uint64)
        self._group = None
        # How each chunk's group is found, kept for `group`: (positions, [(rest, rep, same,
        # won, first new index)] per hash round, None) from _dedupe, (positions, None, their
        # indices) from _sliced.
        self._steps: list[tuple] = []
        self.distinct: list[str] = []
        short = nbytes <= 8
        at = np.flatnonzero(short)
        self._dedupe(text, starts, ends, at, [words[first[at]] & masks[nbytes[at]]], None, bits)
        at = np.flatnonzero(~short & (nbytes <= _KEY_BYTES))
        if len(at):
            keys = [words[first[at] + 8 * k] & masks[np.clip(nbytes[at] - 8 * k, 0, 8)] for k in range(3)]
            self._dedupe(text, starts, ends, at, keys, nbytes[at], bits)
        # Long chunks: as strings.
        self._sliced(text, starts, ends, np.flatnonzero(nbytes > _KEY_BYTES))

    def _dedupe(self, text: str, starts, ends, at, keys, length, bits: int) -> None:
        """Give the chunks at `at` (their keys, and `length` when more than one key) their
        group, a new one to each chunk not met yet."""
        import numpy as np

        distinct = self.distinct
        if not bits:
            bits = max(8, min(22, len(at).bit_length() + 1))
        table = np.empty(1 << bits, np.int32)
        rounds: list[tuple] = []  # what _group_of replays to give each chunk at `at` its group
        every = rest = np.arange(len(at), dtype=np.int32)  # positions in `at` still to group
        for mix in _MIX * (_ROUNDS // len(_MIX)):
            if not len(rest):
                break
            whole = rest is every
            if length is None:
                h = (keys[0] if whole else keys[0][rest]) * np.uint64(mix)
            else:
                h = length[rest].astype(np.uint64) * np.uint64(mix)
                for k, key in enumerate(keys):
                    h ^= key[rest] * np.uint64(_MIX[k])
                    h = (h ^ (h >> np.uint64(31))) * np.uint64(mix)
            bucket = (h >> np.uint64(64 - bits)).astype(np.intp)
            table[bucket] = rest  # the last chunk of a bucket stands for it
            rep = table[bucket]
            same = keys[0][rep] == (keys[0] if whole else keys[0][rest])
            if length is not None:
                same &= length[rep] == length[rest]
                for key in keys[1:]:
                    same &= key[rep] == key[rest]
            won = rest[rep == rest]
            chosen = at[won]
            if whole and same.all():  # the usual first round: no two chunks' keys share a bucket
                rounds.append((rest, rep, None, won, len(distinct)))
                rest = rest[:0]
            else:
                rounds.append((rest, rep, same, won, len(distinct)))
                rest = rest[~same]
            distinct += [
                text[s:e] for s, e in zip(starts[chosen].tolist(), ends[chosen].tolist(), strict=True)
            ]
        self._steps.append((at, rounds, None))
        # Still sharing buckets after every round: as strings.
        self._sliced(text, starts, ends, at[rest])

    def _sliced(self, text: str, starts, ends, at) -> None:
        """Give the chunks at `at` their group, each sliced as a string."""
        if not len(at):
            return
        distinct = self.distinct
        index = {chunk: i for i, chunk in enumerate(distinct)}
        found = []
        for s, e in zip(starts[at].tolist(), ends[at].tolist(), strict=True):
            chunk = text[s:e]
            i = index.get(chunk)
            if i is None:
                i = index[chunk] = len(distinct)
                distinct.append(chunk)
            found.append(i)
        self._steps.append((at, None, found))

    @property
    def group(self):  # -> NumPy int32 array
        """Each chunk met, its index in `distinct`."""
        if self._group is None:
            import numpy as np

            group = np.full(len(self.starts), -1, np.int32)
            for at, rounds, found in self._steps:
                group[at] = found if rounds is None else self._group_of(len(at), rounds)
            self._group, self._steps = group, []
        return self._group

    @staticmethod
    def _group_of(n: int, rounds: list[tuple]):  # -> NumPy int32 array
        """Return the group of each of the n chunks a _dedupe grouped in `rounds`: those that
        won their bucket get the next new indices, the others with their keys take their
        bucket's winner's (same None: every chunk of the round; the rest go round again)."""
        import numpy as np

        local = np.empty(n, np.int32)
        for rest, rep, same, won, new in rounds:
            local[won] = np.arange(new, new + len(won), dtype=np.int32)
            if same is None:
                local = local[rep]
            else:
                local[rest[same]] = local[rep[same]]
        return local

    def texts_holding(self, chunks: set[str], lengths: Sequence[int]) -> list[int]:
        """Return the indices of the texts joined by one separator each (whitespace or NUL),
        their `lengths` given, that hold one of `chunks`, in order. (By the texts' lengths, not
        by finding the separators: a text may hold the separator itself.)"""
        import numpy as np

        wanted = np.array([chunk in chunks for chunk in self.distinct], bool)
        bounds = np.cumsum(np.array(lengths, np.int64) + 1)  # where each next text starts
        held = np.searchsorted(bounds, self.starts[wanted[self.group]], "right")
        return np.flatnonzero(np.bincount(held, minlength=len(lengths))).tolist()


@record(frozen=True, slots=True)
class Misspelling:
    """An unknown word at [start, end) of a text, checked in `lang`."""

    start: int
    end: int
    word: str
    lang: str


def candidate_words(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, word) for each word of `text` worth a dictionary lookup.

    Markup, URLs, e-mail addresses, tokens with digits, ALL-CAPS and single letters are
    left out; hyphenated words come as their parts.
    """
    for m in _scan_re().finditer(text):
        word = m.group("word")
        if word is None or len(word) < 2:
            continue
        if _DIGIT_RE.search(word):
            continue
        start = m.start()
        if "-" in word or "‐" in word:
            pos = start
            for part in re.split("[-‐]", word):
                if len(part) > 1 and not _is_caps(part):
                    yield pos, pos + len(part), part
                pos += len(part) + 1
            continue
        if _is_caps(word):
            continue
        yield start, m.end(), word


def _is_caps(word: str) -> bool:
    """Return True for acronyms: AI, GPUs, NASA's (two or more capitals and no lower case but a plural s)."""
    core = word[:-2] if word.endswith(("'s", "’s")) else word
    if core.isupper():
        return True
    return core.endswith("s") and len(core) > 2 and core[:-1].isupper()


def _words_of(texts: Iterable[str]) -> set[str]:
    """Return the casefolded words found in `texts` (names, glossary terms)."""
    out: set[str] = set()
    for text in texts:
        for word in _words_in(_NAME_WORD_RE, text):
            out.add(word.casefold().replace("’", "'"))
    return out


def _words_in(pattern: re.Pattern[str], text: str) -> list[str]:
    """Return `pattern.findall(text)` with CJK letters as separators: the words of `text` as the
    same pattern over `_L` (letters that are not CJK) finds them. Tests compare the two."""
    return pattern.findall(text if text.isascii() else blank_cjk(text))


# Compiled once: re's own cache of patterns, shared with every other module, let it go between
# two speaker renames. Over _A, like _WORD_RE, with CJK blanked by _words_in.
_NAME_WORD_RE = compile_on_first_use(rf"{_A}+(?:['’]{_A}+)*")


# ---------------------------------------------------------------------------
# Checking a document
# ---------------------------------------------------------------------------


class _TextsOf(Sequence[str]):
    """The texts of a list of cues, read when asked (a slice: a list of them)."""

    __slots__ = ("_cues",)

    def __init__(self, cues: Sequence[Cue]) -> None:
        self._cues = cues

    def __len__(self) -> int:
        return len(self._cues)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [c.text for c in self._cues[i]]
        return self._cues[i].text


_MAX_CACHED = 500_000  # chunks remembered per language before the caches start again


class _Verdicts:
    """One language's remembered answers: unknown words per token and per whitespace-free
    chunk of text ("answering," → ()), and the chunks known to hold no unknown word. (Not
    whole texts: the QC's checker meets each text once, and remembering 100k of them cost
    ~4 MB and more time than it saved.)"""

    __slots__ = ("chunks", "fine", "good", "tokens")

    def __init__(self) -> None:
        self.tokens: dict[str, tuple[str, ...]] = {}
        self.fine: set[str] = set()  # the tokens whose verdict is ()
        self.chunks: dict[str, tuple[str, ...]] = {}
        self.good: set[str] = set()

    def clear(self) -> None:
        self.tokens.clear()
        self.fine.clear()
        self.chunks.clear()
        self.good.clear()


class SpellChecker:
    """Checks the words of a document's two tracks, each in its own language.

    Built for one document (its languages, speaker names, glossary and ignore list); call
    `refresh()` after any of those changed. Raises nothing while checking.
    """

    def __init__(self, doc: Document, store: DictionaryStore | None = None) -> None:
        self.doc = doc
        self.store = store or STORE
        self._user: dict[str, set[str]] = {}
        self.refresh()

    def refresh(self) -> None:
        """Read the document's languages, names, glossary and ignore list again."""
        doc = self.doc
        self.source_language = doc.source_language
        self.translation_language = doc.translation_language
        glossary = [e.term for e in doc.glossary] + [r for e in doc.glossary for r in e.renderings]
        self._names = self._name_words()
        self._glossary_words = _words_of(glossary)
        self._ignored = {w.casefold().replace("’", "'") for w in doc.spelling_ignore}
        self._accepted = self._names | self._glossary_words | self._ignored
        self._dics: dict[str, HunspellDictionary] = {}
        self._user.clear()
        self._ok: dict[str, dict[str, bool]] = {}
        self._verdicts: dict[str, _Verdicts] = {}
        # Per track language: (language checked in, its verdicts), once its dictionary is loaded.
        self._tracks: dict[str | None, tuple[str, _Verdicts]] = {}

    def discard(self) -> None:
        """Empty the caches gradually (see runtime.empty_gradually); for a worker thread."""
        from editor.core import runtime

        for verdicts in self._verdicts.values():
            for table in (verdicts.tokens, verdicts.fine, verdicts.chunks, verdicts.good):
                runtime.empty_gradually(table)
        for table in self._ok.values():
            runtime.empty_gradually(table)

    def _name_words(self) -> set[str]:
        return _words_of(s.name for s in self.doc.speakers.values())

    def name_changes(self) -> tuple[set[str], set[str]]:
        """Return the words of speaker names gained and lost since the last `refresh`, the lost
        ones only when a loaded dictionary of the document does not know them either (a word
        that stays accepted changes nothing): after a recolour or a rename from "Speaker 1" to
        "Anna", ({"anna"}, set()), so only the cues flagged with "Anna" need checking again."""
        now = self._name_words()
        gained = now - self._names
        lost: set[str] = set()
        for word in self._names - now:
            if word in self._glossary_words or word in self._ignored:
                continue
            for lang in {
                self.latin_language(self.source_language),
                self.latin_language(self.translation_language),
            }:
                dic = self.store.loaded(lang) if lang else None
                known = word in self._user_words(lang) if lang else True
                if dic is not None and not known and not (dic.check(word) or dic.check(word.capitalize())):
                    lost.add(word)
        return gained, lost

    # -- languages ------------------------------------------------------------
    def track_language(self, track: str) -> str | None:
        """Return the language whose dictionary checks `track` ("text" or "translation")."""
        return self.source_language if track == "text" else self.translation_language

    def latin_language(self, lang: str | None) -> str | None:
        """Return the language Latin words are checked in for a track in `lang`.

        A CJK track borrows the other track's language when that one is not CJK.
        """
        if not is_cjk_language(lang):
            return lang
        for other in (self.source_language, self.translation_language):
            if other and not is_cjk_language(other):
                return other
        return None

    def missing_languages(self) -> list[str]:
        """Return the non-CJK languages of this document that have no dictionary."""
        out: list[str] = []
        for lang in (self.source_language, self.translation_language):
            code = primary(lang)
            if code and code not in CJK_LANGUAGES and code not in out and not self.store.has_dictionary(lang):
                out.append(code)
        return out

    # -- words ----------------------------------------------------------------
    def _user_words(self, lang: str) -> set[str]:
        key = _key_of(lang)
        words = self._user.get(key)
        if words is None:
            words = {w.casefold() for w in read_user_words(key)}
            self._user[key] = words
        return words

    def add_user_word(self, lang: str, word: str) -> None:
        """Add `word` to the user's dictionary for `lang` (saved at once). Raises OSError."""
        add_user_word(primary(lang) or lang, word)
        self._user_words(lang).add(word.casefold())
        self._ok.pop(primary(lang) or lang, None)
        self._verdicts.pop(primary(lang) or lang, None)
        self._tracks.clear()

    def is_known(self, word: str, lang: str) -> bool:
        """Return True when `word` is not a mistake in `lang` (False only with a dictionary)."""
        key = _key_of(lang)
        seen = self._ok.get(key)
        if seen is None:
            seen = self._ok[key] = {}
        ok = seen.get(word)
        if ok is None:
            # The loaded dictionary is kept here: asking the store takes its lock (per new word).
            dic = self._dics.get(key)
            if dic is None:
                dic = self.store.get(lang)
                if dic is None:
                    return True  # no dictionary (yet): nothing is a mistake
                self._dics[key] = dic
            ok = self._judge(word, key, dic)
            seen[word] = ok
        return ok

    def _judge(self, word: str, key: str, dic: HunspellDictionary) -> bool:
        plain = word.replace("’", "'")
        folded = plain.casefold()
        stem = folded[:-2] if folded.endswith("'s") else folded
        for accepted in (self._accepted, self._user_words(key)):
            if folded in accepted or stem in accepted:
                return True
        if dic.check(plain):
            return True
        # Hunspell knows "don't" but a dictionary may spell its apostrophe otherwise.
        return plain != word and dic.check(word)

    def _verdict(self, token: str, lang: str) -> tuple[str, ...]:
        """Return the unknown words of one raw token (its parts when hyphenated)."""
        if len(token) < 2 or _DIGIT_RE.search(token):
            return ()
        if "-" in token or "‐" in token:
            parts = re.split("[-‐]", token)
            return tuple(p for p in parts if len(p) > 1 and not _is_caps(p) and not self.is_known(p, lang))
        if _is_caps(token) or self.is_known(token, lang):
            return ()
        return (token,)

    def _track(self, lang: str | None) -> tuple[str, _Verdicts] | None:
        """Return (language Latin words of a track in `lang` are checked in, its remembered
        verdicts), or None without a loaded dictionary for it (asked again next time)."""
        track = self._tracks.get(lang)
        if track is None:
            latin = self.latin_language(lang)
            if latin is None or self.store.get(latin) is None:
                return None
            key = primary(latin) or latin
            track = self._tracks[lang] = (latin, self._verdicts.setdefault(key, _Verdicts()))
        return track

    def _chunk_verdict(self, chunk: str, lang: str, verdicts: _Verdicts) -> tuple[str, ...]:
        """Return the unknown words of one whitespace-free chunk of a text with no markup (cached)."""
        by_chunk = verdicts.chunks
        bad = by_chunk.get(chunk)
        if bad is None:
            bad = ()
            tokens = verdicts.tokens
            for token in _words_in(_WORD_RE, chunk):
                found = tokens.get(token)
                if found is None:
                    found = tokens[token] = self._verdict(token, lang)
                    if not found:
                        verdicts.fine.add(token)
                if found:
                    bad += found
            if len(by_chunk) > _MAX_CACHED:
                verdicts.clear()
            by_chunk[chunk] = bad
            if not bad:
                verdicts.good.add(chunk)
        return bad

    def _unclear(self, text: str, lang: str | None) -> tuple[str, _Verdicts, list[str]] | None:
        """Return (language, its verdicts, the text's chunks) when `text` may hold unknown words;
        None when it cannot (no dictionary for it yet, or every chunk known to be clean)."""
        track = self._track(lang) if text else None
        if track is None:
            return None
        chunks = text.split()
        return None if track[1].good.issuperset(chunks) else (*track, chunks)

    def unknown_in(self, text: str, lang: str | None) -> list[str]:
        """Return the unknown words of `text` checked as a track in `lang` (the QC's fast path)."""
        track = self._track(lang) if text else None
        return [] if track is None else self._unknown(text, *track)

    # Words never span whitespace (nor do the marks of markup, URLs and addresses that
    # _SPECIAL_RE looks for), so a text is its whitespace-separated chunks, and most texts are
    # made only of chunks already seen to hold no unknown word and no markup: one C-level
    # split and set test answers them, with no tokenising regex and no Python per word.

    def _unknown(self, text: str, latin: str, verdicts: _Verdicts) -> list[str]:
        """Return the unknown words of `text` in `latin`."""
        good = verdicts.good
        # CJK letters blanked first: what is left is short (punctuation, Latin words), and a
        # mark of markup, a URL or an address is still there for _SPECIAL_RE to see (only "."
        # before a CJK letter is lost, and no domain ends that way).
        plain = text if text.isascii() else blank_cjk(text)
        chunks = plain.split()
        if good.issuperset(chunks):
            return []
        if _SPECIAL_RE.search(plain):
            # Markup alone (tags, override blocks) separates words as a space does: with no
            # URL, address or entity besides, the text is its markup-free chunks.
            plain = _MARKUP_RE.sub(" ", text)
            if _SKIPPED_RE.search(plain):
                return [m.word for m in self._scan(text, latin, -1)]
            chunks = blank_cjk(plain).split()
        return [
            w for chunk in chunks if chunk not in good for w in self._chunk_verdict(chunk, latin, verdicts)
        ]

    def unknown_in_texts(self, texts: Sequence[str], lang: str | None) -> dict[int, list[str]]:
        """Return {i: unknown_in(texts[i], lang)} for the texts holding unknown words (a test
        compares them), all the texts checked at once: the QC's pass over a whole track.

        _unknown answers [] for a text all of whose chunks (CJK runs blanked) hold no unknown
        word, whatever marks of markup or URLs they hold, and otherwise depends only on the
        text. So a block of texts at a time is joined and blanked once (_word_units, whose
        chunks hold the words of the CJK-blanked texts' chunks), its distinct chunks found with
        NumPy (_Chunks: no string per chunk met, ~550k at 100k cues); the chunks not judged yet
        are judged, and only the texts holding a chunk with an unknown word go through
        _unknown: no Python call per text where the per-cue check made three. (By blocks, see
        _TrackPass: the arrays of a whole 100k-cue track at once took tens of MB.)
        """
        if not any(texts):
            return {}
        return self._track_pass(texts, lang).finish()

    def _track_pass(self, texts: Sequence[str], lang: str | None, block: int = _BLOCK) -> _TrackPass:
        track = self._tracks.get(lang) or self._track(lang)
        return _TrackPass(texts, block, track, self._chunk_verdict, self._unknown)

    def misspellings(self, text: str, lang: str | None, *, typing_at: int = -1) -> list[Misspelling]:
        """Return the unknown words of `text` checked as a track in `lang`, in order.

        The word touching offset `typing_at` (the one being typed) is not checked yet.
        """
        unclear = self._unclear(text, lang)
        if unclear is None:
            return []
        latin, verdicts, chunks = unclear
        if _SPECIAL_RE.search(text):
            return self._scan(text, latin, typing_at)
        out: list[Misspelling] = []
        good = verdicts.good
        pos = 0
        for chunk in chunks:
            pos = text.find(chunk, pos)
            if chunk not in good and self._chunk_verdict(chunk, latin, verdicts):
                out += self._scan(chunk, latin, typing_at - pos, pos)
            pos += len(chunk)
        return out

    def _scan(self, text: str, lang: str, typing_at: int, offset: int = 0) -> list[Misspelling]:
        is_known = self.is_known
        return [
            Misspelling(start + offset, end + offset, word, lang)
            for start, end, word in candidate_words(text)
            if not start <= typing_at <= end and not is_known(word, lang)
        ]

    def cue_unknown(self, cue: Cue) -> list[tuple[str, str]]:
        """Return (track, word) for the unknown words of both tracks of `cue`, source first."""
        # unknown_in for each track, inlined: the QC asks this of every cue of a document.
        out: list[tuple[str, str]] = []
        text = cue.text
        if text:
            track = self._tracks.get(self.source_language) or self._track(self.source_language)
            if track is not None and (bad := self._unknown(text, *track)):
                out = [("text", w) for w in bad]
        text = cue.translation
        if text:
            track = self._tracks.get(self.translation_language) or self._track(self.translation_language)
            if track is not None and (bad := self._unknown(text, *track)):
                out += [("translation", w) for w in bad]
        return out

    def cues_unknown(self, cues: Sequence[Cue]) -> dict[int, list[tuple[str, str]]]:
        """Return {i: cue_unknown(cues[i])} for the cues holding unknown words (a test compares
        them), each track checked at once (unknown_in_texts)."""
        return self.cues_pass(cues).finish()

    def cues_pass(self, cues: Sequence[Cue], block: int = _BLOCK) -> _CuesPass:
        """Return cues_unknown(cues) to be made by its `finish()`, the caller first feeding it
        the texts `block` cues at a time as it joins them by NUL (`feed(first, joined)`: the
        QC's own pass, qc.own_codes_bulk, joins them too), so that they are joined once and
        never all kept."""
        # (A track with no language to check it in has no unknown words: no list of its texts.)
        src = (
            self._track_pass(_TextsOf(cues), self.source_language, block)
            if self.latin_language(self.source_language) is not None
            else None
        )
        tr = None
        if self.latin_language(self.translation_language) is not None:

            def tr() -> dict[int, list[str]]:
                return self.unknown_in_texts([c.translation for c in cues], self.translation_language)

        return _CuesPass(src, tr)

    def cue_misspellings(self, cue: Cue) -> list[tuple[str, Misspelling]]:
        """Return (track, misspelling) for both tracks of `cue`, source first."""
        out = [("text", m) for m in self.misspellings(cue.text, self.source_language)]
        if cue.translation:
            out += [("translation", m) for m in self.misspellings(cue.translation, self.translation_language)]
        return out

    def suggest_is_quick(self, word: str, lang: str) -> bool:
        """Return True when `suggest(word, lang)` answers at once (no dictionary to load first)."""
        dic = self.store.loaded(lang)
        if dic is None:
            return not self.store.has_dictionary(lang)
        return dic.suggest_is_quick(word)

    def suggest(self, word: str, lang: str, limit: int = SUGGESTIONS, *, thorough: bool = False) -> list[str]:
        """Return up to `limit` corrections for `word` in `lang`, best first ([] without a dictionary)."""
        dic = self.store.get(lang)
        return dic.suggest(word, limit, thorough=thorough) if dic is not None else []

    def unknown_words(self) -> Iterator[tuple[Cue, str, Misspelling]]:
        """Yield (cue, track, misspelling) for every unknown word of the document, in order."""
        for cue in self.doc.cues:
            for track, m in self.cue_misspellings(cue):
                yield cue, track, m


class _TrackPass:
    """SpellChecker.unknown_in_texts of one track, a block of texts at a time: `feed(first,
    joined)` checks texts[first : first + block] (`joined`: them joined by NUL or _SEP, None to
    join them here), `finish()` checks the blocks not fed and returns the answer. (`track`,
    `chunk_verdict`, `unknown`: the checker's, SpellChecker._track_pass.)"""

    __slots__ = ("_bad", "_block", "_chunk_verdict", "_fed", "_out", "_texts", "_track", "_unknown")

    def __init__(
        self,
        texts: Sequence[str],
        block: int,
        track: tuple[str, _Verdicts] | None,
        chunk_verdict: Callable[[str, str, _Verdicts], tuple[str, ...]],
        unknown: Callable[[str, str, _Verdicts], list[str]],
    ) -> None:
        self._texts = texts
        self._block = block
        self._track = track
        self._chunk_verdict = chunk_verdict
        self._unknown = unknown
        self._bad: set[str] = set()  # the chunks seen holding an unknown word
        self._out: dict[int, list[str]] = {}
        self._fed: set[int] = set()

    def feed(self, first: int, joined: str | None = None) -> None:
        track = self._track
        if track is None or first in self._fed:
            return
        self._fed.add(first)
        latin, verdicts = track
        texts, block, bad = self._texts, self._block, self._bad
        part: Sequence[str] | None = None  # this block's texts, when sliced
        # One string per block, its CJK letters and other characters that end words blanked
        # (_word_units), its distinct chunks found at once (_Chunks). _SEP is whitespace (and
        # NUL is blanked), so its chunks are its texts' whatever they hold.
        if joined is None:
            part = texts[first : first + block]
            joined = _SEP.join(part)
        units = _word_units(joined)
        found = None
        if units is None:  # beyond the BMP: the strings' split
            if part is None:
                part = texts[first : first + block]
                joined = _SEP.join(part)
            plain = blank_cjk(joined)
            chunks = set(plain.split())
        else:
            found = _Chunks(joined, units)
            chunks = set(found.distinct)
        chunks.difference_update(verdicts.good)
        if not chunks:
            return
        chunk_verdict = self._chunk_verdict
        bad.update(chunk for chunk in chunks.difference(bad) if chunk_verdict(chunk, latin, verdicts))
        if bad.isdisjoint(chunks):
            return
        if part is None:
            part = texts[first : first + block]
        hits: Iterable[int]
        if found is not None:
            hits = found.texts_holding(bad, list(map(len, part)))
        else:
            plains = plain.split(_SEP)
            if len(plains) == len(part):
                hits = compress(range(len(part)), map(not_, map(bad.isdisjoint, map(str.split, plains))))
            else:  # a text holds the separator: each alone
                hits = (i for i, text in enumerate(part) if text)
        unknown, out = self._unknown, self._out
        for i in hits:
            words = unknown(part[i], latin, verdicts)
            if words:
                out[first + i] = words

    def finish(self) -> dict[int, list[str]]:
        for first in range(0, len(self._texts), self._block):
            self.feed(first)
        return dict(sorted(self._out.items()))


class _CuesPass:
    """SpellChecker.cues_pass: the source texts' pass fed a block at a time (`src`, None when
    that track is not checked), the translations checked at the end (`tr`, None: not checked)."""

    __slots__ = ("_src", "_tr", "feed")

    def __init__(self, src: _TrackPass | None, tr: Callable[[], dict[int, list[str]]] | None) -> None:
        self._src = src
        self._tr = tr
        self.feed: Callable[[int, str], None] = src.feed if src is not None else _ignore

    def finish(self) -> dict[int, list[tuple[str, str]]]:
        src = self._src.finish() if self._src is not None else {}
        tr = self._tr() if self._tr is not None else {}
        if not tr:
            return {i: [("text", w) for w in words] for i, words in src.items()}
        return {
            i: [("text", w) for w in src.get(i, ())] + [("translation", w) for w in tr.get(i, ())]
            for i in sorted(src.keys() | tr.keys())
        }


def _ignore(first: int, joined: str) -> None:
    """A _CuesPass's `feed` when its source track is not checked."""


# ---------------------------------------------------------------------------
# The QC check
# ---------------------------------------------------------------------------


def problem_message(found: list[tuple[str, str]]) -> str:
    """Return the QC message naming the unknown words (track, word) of one cue."""
    src = list(dict.fromkeys(w for track, w in found if track == "text"))
    tr = list(dict.fromkeys(w for track, w in found if track == "translation"))
    parts = []
    if src:
        parts.append(("unknown word: " if len(src) == 1 else "unknown words: ") + ", ".join(src))
    if tr:
        parts.append(
            ("translation: unknown word: " if len(tr) == 1 else "translation: unknown words: ")
            + ", ".join(tr)
        )
    return "; ".join(parts)


def qc_check(doc: Document, store: DictionaryStore | None = None) -> Callable[[Cue], list[Any]]:
    """Return the per-cue `spelling` check for `doc` (qc.py calls it for every cue)."""
    from editor.core.qc import Problem, Severity

    checker = SpellChecker(doc, store)
    flagged: set[int] = set()  # the cues this check last flagged (ids of removed cues may stay)

    def check(cue: Cue) -> list[Any]:
        found = checker.cue_unknown(cue)
        if not found:
            flagged.discard(cue.id)
            return []
        flagged.add(cue.id)
        return [Problem(cue.id, "spelling", Severity.WARNING, problem_message(found))]

    def bulk_pass(
        cues: Sequence[Cue], block: int = _BLOCK
    ) -> tuple[Callable[[int, str], None], Callable[[], dict[int, list[Any]]]]:
        """Return (feed, finish): `finish()` returns what bulk(cues) returns, the caller first
        feeding it their texts `block` at a time as it joins them by NUL (SpellChecker.cues_pass)."""
        cues_pass = checker.cues_pass(cues, block)

        def finish() -> dict[int, list[Any]]:
            if flagged:
                flagged.difference_update(c.id for c in cues)
            out: dict[int, list[Any]] = {}
            for i, found in cues_pass.finish().items():
                cid = cues[i].id
                flagged.add(cid)
                out[cid] = [Problem(cid, "spelling", Severity.WARNING, problem_message(found))]
            return out

        return cues_pass.feed, finish

    def bulk(cues: Sequence[Cue]) -> dict[int, list[Any]]:
        """Return {cue id: what check(cue) returns} for the cues of `cues` with a finding, all
        checked at once (SpellChecker.cues_unknown): the QC's first pass over a document."""
        return bulk_pass(cues)[1]()

    check.checker = checker  # type: ignore[attr-defined]
    check.flagged = flagged  # type: ignore[attr-defined]
    check.bulk = bulk  # type: ignore[attr-defined]
    check.bulk_pass = bulk_pass  # type: ignore[attr-defined]
    return check


def report(
    doc: Document, cue_ids: Iterable[int], store: DictionaryStore | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Return, for each cue id, its unknown words as {"word", "track", "suggestions"} (best first)."""
    checker = SpellChecker(doc, store)
    out: dict[int, list[dict[str, Any]]] = {}
    for cid in cue_ids:
        if not doc.has_cue(cid):
            continue
        seen: set[tuple[str, str]] = set()
        rows = []
        for track, m in checker.cue_misspellings(doc.cue(cid)):
            if (track, m.word) in seen:
                continue
            seen.add((track, m.word))
            rows.append({"word": m.word, "track": track, "suggestions": checker.suggest(m.word, m.lang, 3)})
        out[cid] = rows
    return out


def missing_dictionary_message(lang: str) -> str:
    """Return the one-line hint for a language without a dictionary."""
    return f"no spelling dictionary for {lang} — install {DEBIAN_PACKAGE.format(lang=lang)}"
