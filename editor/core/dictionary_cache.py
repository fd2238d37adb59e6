"""Parsed Hunspell dictionaries kept in the user's cache folder, so that a launch after the
first loads one in ~0.2 s instead of spylls' ~0.5–1 s parse of the .aff/.dic pair.

A cache file is named by the dictionary and a key of everything its content depends on (the
pair's sizes and modification times, spylls' and Python's versions, this format's version):
a changed dictionary or library gets a new file, and the old one is removed when it is written.
Anything wrong with a cache file (unreadable, truncated, from another version) means parsing
the dictionary again; caching never makes a load fail.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from typing import Any

FORMAT = 2


def cache_dir() -> str:
    """Return the folder of cached dictionaries (not created)."""
    import platformdirs

    return os.path.join(platformdirs.user_cache_dir("cueline", appauthor=False), "dictionaries")


def _key(path: str) -> str | None:
    """Return the cache key of the dictionary at `path` (.aff/.dic without extension), or None
    when it is not a plain pair of files."""
    import spylls

    parts = [str(FORMAT), getattr(spylls, "__version__", "?"), sys.version, os.path.abspath(path)]
    for ext in (".aff", ".dic"):
        try:
            st = os.stat(path + ext)
        except OSError:
            return None
        parts += [str(st.st_size), str(st.st_mtime_ns)]
    return hashlib.sha1("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _prefix(path: str) -> str:
    """Return the start of the cache names of the dictionary at `path` (the same name may be
    installed in several folders: each has its own cache)."""
    where = hashlib.sha1(os.path.abspath(path).encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{os.path.basename(path)}-{where}-"


def cache_path(path: str) -> str | None:
    """Return the cache file for the dictionary at `path`, or None when it cannot be cached."""
    key = _key(path)
    return None if key is None else os.path.join(cache_dir(), f"{_prefix(path)}{key}.pickle")


def load_cached(path: str) -> Any | None:
    """Return the cached parse of the dictionary at `path`, or None (none, or unusable)."""
    target = cache_path(path)
    if target is None:
        return None
    try:
        with open(target, "rb") as f:
            return pickle.load(f)
    except Exception:  # missing, truncated, or written by another version: parse again
        return None


def _pickler(f: Any) -> pickle.Pickler:
    """Return a pickler that writes each dictionary word as a call of its class: words rebuilt
    that way share their attribute names' table as parsed ones do (restored attribute by
    attribute, 79k words of en_US took ~18 MB more)."""
    import copyreg

    from spylls.hunspell.data.dic import Word

    pickler = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
    table = copyreg.dispatch_table.copy()
    table[Word] = lambda w: (Word, (w.stem, w.flags, w.data, w.alt_spellings, w.captype))
    pickler.dispatch_table = table  # type: ignore[attr-defined]
    return pickler


def store(path: str, dictionary: Any) -> None:
    """Write `dictionary` (a spylls Dictionary parsed from `path`) to the cache, atomically, and
    remove the older caches of the same dictionary. Never raises."""
    target = cache_path(path)
    if target is None:
        return
    folder = os.path.dirname(target)
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                _pickler(f).dump(dictionary)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
        current = os.path.basename(target)
        for name in os.listdir(folder):
            if name.startswith(_prefix(path)) and name.endswith(".pickle") and name != current:
                os.unlink(os.path.join(folder, name))
    except Exception as exc:  # a read-only or full disk: next launch parses again
        print(f"cueline: could not cache the dictionary {path}: {exc}", file=sys.stderr)


def load_dictionary(path: str) -> Any:
    """Return the spylls Dictionary at `path` (.aff/.dic without extension): from the cache
    when it holds this version of it, else parsed and then cached."""
    cached = load_cached(path)
    if cached is not None:
        return cached
    from spylls.hunspell import Dictionary

    dictionary = Dictionary.from_files(path)
    store(path, dictionary)
    return dictionary
