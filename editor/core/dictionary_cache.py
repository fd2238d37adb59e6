"""Hunspell dictionaries kept in the user's cache folder, in two forms: the word forms a
dictionary accepts (`hunspell_forms.WordForms`, ~2 MB for en_US, read in a few milliseconds:
what checking needs), and spylls' parse of the .aff/.dic pair (pickled, ~10 MB, ~0.15 s to read
instead of ~0.5–1 s to parse: what suggestions need, loaded only when asked for).

A cache file is named by the dictionary and a key of everything its content depends on (the
pair's sizes and modification times, spylls' and Python's versions, this format's version):
a changed dictionary or library gets a new file, and the old one is removed when it is written.
Anything wrong with a cache file (unreadable, truncated, from another version) means parsing
the dictionary again; caching never makes a load fail.
"""

from __future__ import annotations

import os
import pickle
import sys
import zlib
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from editor.core import textio

if TYPE_CHECKING:
    from editor.core.hunspell_forms import WordForms

FORMAT = 2


def cache_dir() -> str:
    """Return the folder of cached dictionaries (not created)."""
    from editor.core.userdirs import user_dir

    return os.path.join(user_dir("cache"), "dictionaries")


def _digest(text: str) -> str:
    """Return a short stable digest of `text` for file names (zlib's, not hashlib's: hashlib
    loads OpenSSL, ~3.5 MB, for what needs no cryptography)."""
    data = text.encode("utf-8", "surrogatepass")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def _identity(path: str, kind: str = "pickle") -> str | None:
    """Return everything the cache of that `kind` for the dictionary at `path` (.aff/.dic without
    extension) depends on, as one string, or None when it is not a plain pair of files. The
    forms file holds it whole and is used only when it matches exactly."""
    import spylls

    from editor.core import hunspell_forms

    version = f"{FORMAT}" if kind == "pickle" else f"forms{hunspell_forms.FORMAT}"
    parts = [version, getattr(spylls, "__version__", "?"), sys.version, os.path.abspath(path)]
    for ext in (".aff", ".dic"):
        try:
            st = os.stat(path + ext)
        except OSError:
            return None
        parts += [str(st.st_size), str(st.st_mtime_ns)]
    return "\0".join(parts)


def _key(path: str, kind: str = "pickle") -> str | None:
    """Return the cache key (in the file name) of the dictionary at `path`, or None."""
    identity = _identity(path, kind)
    return None if identity is None else _digest(identity)


def _prefix(path: str) -> str:
    """Return the start of the cache names of the dictionary at `path` (the same name may be
    installed in several folders: each has its own cache)."""
    return f"{os.path.basename(path)}-{_digest(os.path.abspath(path))[:8]}-"


def _legacy_prefix(path: str) -> str:
    """Return the start of the names this dictionary's caches had before they were named with
    zlib (sha1): removed when the new ones are written, so an upgrade leaves no ~10 MB behind."""
    import hashlib  # only when a cache is written (once per dictionary version)

    where = hashlib.sha1(os.path.abspath(path).encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{os.path.basename(path)}-{where}-"


def cache_path(path: str, kind: str = "pickle") -> str | None:
    """Return the cache file of that `kind` ("pickle": spylls' parse, "forms": the word forms)
    for the dictionary at `path`, or None when it cannot be cached."""
    key = _key(path, kind)
    return None if key is None else os.path.join(cache_dir(), f"{_prefix(path)}{key}.{kind}")


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


def _write(path: str, kind: str, write: Callable[[IO[bytes]], None]) -> None:
    """Write the cache file of that `kind` for the dictionary at `path` through `write`,
    atomically (a temporary file renamed over it), and remove the older ones of the same
    dictionary. Never raises."""
    target = cache_path(path, kind)
    if target is None:
        return
    folder = os.path.dirname(target)
    try:
        os.makedirs(folder, exist_ok=True)
        # (private to the user, as the temporary file it used to be renamed from: mkstemp's 0600)
        textio.write_atomic(target, write, mode=0o600)
        current = os.path.basename(target)
        prefixes = (_prefix(path), _legacy_prefix(path))
        for name in os.listdir(folder):
            if name.startswith(prefixes) and name.endswith(f".{kind}") and name != current:
                os.unlink(os.path.join(folder, name))
    except Exception as exc:  # a read-only or full disk: next launch builds it again
        print(f"cueline: could not cache the dictionary {path}: {exc}", file=sys.stderr)


def store(path: str, dictionary: Any) -> None:
    """Write `dictionary` (a spylls Dictionary parsed from `path`) to the cache, atomically, and
    remove the older caches of the same dictionary. Never raises."""
    _write(path, "pickle", lambda f: _pickler(f).dump(dictionary))


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


# The word forms --------------------------------------------------------------------------------

# Written in place of the forms of a dictionary they cannot answer for (it compounds words by
# flags, say), so that later launches load spylls at once instead of trying again.
_UNSUPPORTED = b"CUELINE-WORDFORMS-UNSUPPORTED\n"


def load_forms(path: str) -> WordForms | bool | None:
    """Return the cached word forms of the dictionary at `path`; False when the cache says the
    dictionary cannot be expressed as forms (spylls checks it); None when there is no usable
    cache (none yet, another version, damaged)."""
    from editor.core.hunspell_forms import WordForms

    target = cache_path(path, "forms")
    key = _identity(path, "forms")
    if target is None or key is None:
        return None
    unsupported = _UNSUPPORTED + key.encode("utf-8", "surrogatepass")
    try:
        with open(target, "rb") as f:
            if f.read(len(unsupported) + 1) == unsupported:
                return False
            f.seek(0)
            return WordForms.from_file(f, key)
    except OSError:
        return None


def build_forms(path: str, dictionary: Any) -> WordForms | bool:
    """Expand `dictionary` (spylls' parse of `path`) into its word forms and cache them; False
    when it cannot be expanded (that is cached too). Never raises on a cache it cannot write."""
    from editor.core import hunspell_forms

    key = _identity(path, "forms")
    try:
        expanded = hunspell_forms.expand(dictionary)
    except Exception as exc:  # a dictionary spylls reads but the expansion trips on: spylls checks
        print(f"cueline: checking {path} with spylls ({type(exc).__name__}: {exc})", file=sys.stderr)
        expanded = None
    if expanded is None:
        if key is not None:
            marker = _UNSUPPORTED + key.encode("utf-8", "surrogatepass")
            _write(path, "forms", lambda f: f.write(marker))
        return False
    forms = hunspell_forms.WordForms.build(*expanded)
    if key is not None:
        _write(path, "forms", lambda f: f.write(forms.to_bytes(key)))
    return forms


def load_forms_or_build(path: str) -> tuple[WordForms | bool, Any | None]:
    """Return (the word forms of the dictionary at `path` or False, spylls' Dictionary when it
    had to be loaded to build them, else None): from the cache, or built and cached."""
    forms = load_forms(path)
    if forms is not None:
        return forms, None
    dictionary = load_dictionary(path)
    return build_forms(path, dictionary), dictionary
