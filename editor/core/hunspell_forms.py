"""A Hunspell dictionary as the word forms it accepts, stored compactly: spelling without spylls.

spylls answers "is this word correct?" by analysing the word (stripping affixes, trying casings,
compounding) against ~65 MB of parsed dictionary objects. Most dictionaries (en_US among them)
accept exactly the forms their stems make with their affixes, in a few casings: this module
expands a parsed dictionary once into those forms (`expand`), keeps them as one UTF-8 blob in
hash buckets (`WordForms`, ~2-4 MB) and answers a word with Hunspell's casing rules and a
bucket search, the same verdict as spylls' `lookup` (tests/test_hunspell_forms.py compares
both over the dictionaries' own forms in several casings and over real subtitles' words).

What the forms cannot decide is left to spylls (`WordForms.check` returns None): dictionaries
that compound words by flags, forbid words, ignore characters, prefix twice, use circumfixes
or language-specific casing (German ß, Turkish i) are not expanded at all (`expand` returns
None), and words holding a character that may break a word (BREAK: "-"), take part in a
compound rule (en_US's "21st": digits) or that an ICONV rule of more than one letter rewrites
go to spylls one by one.

The expansion follows spylls' `Lookup` (affix_forms, produce_affix_forms, desuffix, deprefix,
is_good_form) read backwards: a form is valid when spylls' analysis of it finds that stem
with those affixes and accepts the combination.
"""

from __future__ import annotations

import array
import itertools
import json
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

FORMAT = 1  # of the cache file; bump it whenever `expand` or the file's layout changes
MAGIC = b"CUELINE-WORDFORMS\n"

# Word capitalisation, as spylls' Casing.guess names it (NO: "foo", INIT: "Foo", ALL: "FOO",
# HUHINIT: "FooBar", HUH: "fooBar"); stored as these digits.
NO, INIT, ALL, HUHINIT, HUH = "0", "1", "2", "3", "4"
_KEEP = "\x1f"  # "form\x1f<captype>": a KEEPCASE stem's form, valid only in the stem's own casing
_UPPER_ONLY = "\x1e"  # "form\x1e": valid for an ALL-CAPS word only (stems like "McDonald")


def guess(word: str) -> str:
    """Return the capitalisation type of `word` (spylls' Casing.guess)."""
    if word.islower():
        return NO
    if word.isupper():
        return ALL
    if word[:1].isupper():
        return INIT if word[1:].islower() else HUHINIT
    return HUH


def _lower(word: str) -> list[str]:
    if not word or word[0] == "İ":
        return []
    return [word.lower().replace("i̇", "i")]


def variants(word: str, captype: str) -> list[str]:
    """Return the spellings the dictionary may hold `word` as (spylls' Casing.variants)."""
    if captype == INIT:
        return [word, *_lower(word)]
    if captype == HUHINIT:
        return [word, *(c + word[1:] for c in _lower(word[0]))]
    if captype == ALL:
        if len(word) == 1:
            capitalized = list(word.upper())
        else:
            capitalized = [word[0].upper() + low for low in _lower(word[1:])]
        return [word, *_lower(word), *capitalized]
    return [word]


# ---------------------------------------------------------------------------
# Expanding a parsed dictionary
# ---------------------------------------------------------------------------


def unsupported(aff: Any) -> str | None:
    """Return why the forms of the dictionary with this .aff cannot answer for spylls, or None."""
    from spylls.hunspell.algo.capitalization import Casing

    if type(aff.casing) is not Casing:
        return "language-specific casing"
    for name in (
        "COMPOUNDFLAG",
        "COMPOUNDBEGIN",
        "COMPOUNDMIDDLE",
        "COMPOUNDEND",
        "FORBIDDENWORD",
        "IGNORE",
        "COMPLEXPREFIXES",
        "CIRCUMFIX",
        "CHECKSHARPS",
        "FORCEUCASE",
    ):
        if getattr(aff, name, None):
            return name
    return None


def _undecided(aff: Any, dic: Any) -> tuple[str, dict[str, str]] | None:
    """Return (characters whose words go to spylls, the ICONV table as single characters), or None
    when a compound rule could make a word of letters."""
    chars = {c for pat in aff.BREAK for c in pat.pattern if c not in "^$"}
    translate: dict[str, str] = {}
    if aff.ICONV:
        for pat, rep in aff.ICONV.pairs:
            # A plain character (not "_", Hunspell's anchor, nor a regex metacharacter: spylls
            # compiles the pattern) rewritten alone: the same as str.translate.
            if len(pat) == 1 and pat != "_" and pat not in translate and re.escape(pat) == pat:
                translate[pat] = rep.replace("_", " ")
            else:
                chars.update(pat.replace("_", ""))
    if aff.COMPOUNDRULE:
        flags = {f for rule in aff.COMPOUNDRULE for f in rule.flags}  # spylls' parse of each rule
        for word in dic.words:
            if word.flags & flags:
                odd = {c for c in word.stem if not c.isalpha()}
                if not odd:
                    return None  # a compound of letters: only spylls can tell
                chars |= odd
    return "".join(sorted(chars)), translate


def _affixes_by_flag(table: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {flag: list(entries) for flag, entries in table.items()}


def _suffixed(stem: str, sfx: Any) -> str | None:
    if not stem.endswith(sfx.strip) or not sfx.cond_regexp.search(stem):
        return None
    return stem[: len(stem) - len(sfx.strip)] + sfx.add


def _prefixed(stem: str, pfx: Any) -> str | None:
    if not stem.startswith(pfx.strip) or not pfx.cond_regexp.search(stem):
        return None
    return pfx.add + stem[len(pfx.strip) :]


def _forms_of(
    stem: str,
    flags: frozenset[str],
    aff: Any,
    sfx: dict[str, list[Any]],
    pfx: dict[str, list[Any]],
    extra_flags: frozenset[str],
) -> Iterator[str]:
    """Yield every text spylls' affix analysis accepts with this stem and flags as its root."""
    need, only = aff.NEEDAFFIX, aff.ONLYINCOMPOUND

    def good(all_flags: set[str] | frozenset[str], affixes: list[Any]) -> bool:
        if need and affixes and all(need in a.flags for a in affixes):
            return False
        return not (only and only in all_flags)

    if not (need and need in flags) and good(flags, []):
        yield stem
    # Affixes a flag of the stem (or of another affix) allows: spylls accepts an affix whose
    # flag is among the stem's, the prefix's or the suffix's flags.
    usable = flags | extra_flags
    suffixes = [s for f in usable for s in sfx.get(f, ())]
    prefixes = [p for f in usable for p in pfx.get(f, ())]
    for s in suffixes:
        once = _suffixed(stem, s)
        if once is None:
            continue
        single = flags | s.flags
        if s.flag in single and good(single, [s]):
            yield once
        # A second suffix outside the first: its flag must be among the first one's flags.
        outer = [o for f in s.flags for o in sfx.get(f, ())]
        twice = [(o, t) for o in outer if (t := _suffixed(once, o)) is not None]
        if s.flag in single:
            for o, t in twice:
                if good(single, [s, o]):
                    yield t
        if not s.crossproduct:
            continue
        for p in prefixes:
            if not p.crossproduct:
                continue
            both = flags | s.flags | p.flags
            if p.flag not in both or s.flag not in both:
                continue
            text = _prefixed(once, p)
            if text is not None and good(both, [p, s]):
                yield text
            for o, t in twice:
                if o.crossproduct and (text := _prefixed(t, p)) is not None and good(both, [p, s, o]):
                    yield text
    for p in prefixes:
        text = _prefixed(stem, p)
        alone = flags | p.flags
        if text is not None and p.flag in alone and good(alone, [p]):
            yield text


def expand(dictionary: Any) -> tuple[list[str], dict[str, Any]] | None:
    """Return (the entries of the compact form, its settings) for a parsed spylls Dictionary, or
    None when the dictionary uses a feature the forms cannot answer for (see `unsupported`)."""
    aff, dic = dictionary.aff, dictionary.dic
    if unsupported(aff) is not None:
        return None
    undecided = _undecided(aff, dic)
    if undecided is None:
        return None
    chars, translate = undecided
    sfx, pfx = _affixes_by_flag(aff.SFX), _affixes_by_flag(aff.PFX)
    # Flags that affixes carry (continuation classes) may allow other affixes on any stem.
    extra = frozenset(
        f for table in (aff.SFX, aff.PFX) for entries in table.values() for a in entries for f in a.flags
    )
    keep = aff.KEEPCASE
    plain: set[str] = set()
    kept: set[str] = set()
    lowered: set[tuple[str, frozenset[str]]] = set()
    for word in dic.words:
        flags = frozenset(word.flags)
        captype = guess(word.stem)
        forms = set(_forms_of(word.stem, flags, aff, sfx, pfx, extra))
        keeps = bool(keep and keep in flags)
        if keeps:
            kept.update(f + _KEEP + captype for f in forms)
        else:
            plain |= forms
        # An ALL-CAPS word is also looked up lowercased against spylls' index of lowercased stems
        # ("MCDONALD'S" finds "McDonald" + "'s"), with affix conditions tested on the lowercased
        # stem. spylls' reader indexes an all-lowercase stem under each of its letters (it
        # iterates the string where it means a list of one), so "WS" is "w" + "s" through any
        # lowercase word holding a "w" with the S flag: same verdicts, so the same entries.
        # (The checker never asks about ALL-CAPS words: they are acronyms to it.)
        if keeps and captype != ALL:
            continue
        if captype == NO:
            lowered.update((c, flags) for c in set(word.stem))
        else:
            lowered.update((low, flags) for low in _lower(word.stem))
    upper: set[str] = set()
    for key, flags in lowered:
        upper.update(_forms_of(key, flags, aff, sfx, pfx, extra))
    entries = [*plain, *kept, *(f + _UPPER_ONLY for f in upper - plain)]
    return entries, {"undecided": chars, "iconv": translate, "keepcase": bool(kept)}


# ---------------------------------------------------------------------------
# The compact form
# ---------------------------------------------------------------------------


class WordForms:
    """The accepted forms of one dictionary, in hash buckets of one UTF-8 blob. Read-only,
    thread-safe. `check(word)` is spylls' verdict, or None when only spylls can tell."""

    __slots__ = ("_blob", "_iconv", "_keepcase", "_mask", "_offsets", "_undecided", "count")

    def __init__(self, blob: bytes, offsets: array.array, settings: dict[str, Any], count: int) -> None:
        self._blob = blob
        self._offsets = offsets
        self._mask = len(offsets) - 2
        # Words holding these go to spylls; "\n" and the tags would confuse the bucket search.
        self._undecided = frozenset(settings.get("undecided", "")) | {"\n", _KEEP, _UPPER_ONLY}
        self._keepcase = bool(settings.get("keepcase", True))  # any KEEPCASE forms to look for
        iconv = settings.get("iconv") or {}
        self._iconv = str.maketrans(iconv) if iconv else None
        self.count = count

    @classmethod
    def build(cls, entries: Iterable[str], settings: dict[str, Any]) -> WordForms:
        """Return the compact form of `entries` (forms, tagged as `expand` makes them)."""
        encoded = sorted({e.encode("utf-8", "surrogatepass") for e in entries})
        size = 1
        while size * 4 < len(encoded):
            size *= 2
        mask = size - 1
        where = [zlib.crc32(e) & mask for e in encoded]
        # Each bucket is "\nform\nform…", buckets one after the other; the next bucket's leading
        # "\n" (or the final one) closes a bucket's last form, so b"\nform\n" is found only as a
        # whole form. (A stable sort by bucket keeps each bucket's forms sorted.)
        order = sorted(range(len(encoded)), key=where.__getitem__)
        lengths = [0] * size
        for i, e in zip(where, encoded, strict=True):
            lengths[i] += len(e) + 1
        offsets = array.array("I", [0])
        offsets.extend(itertools.accumulate(lengths))
        blob = b"".join([b"\n" + encoded[k] for k in order]) + b"\n"
        return cls(blob, offsets, settings, len(encoded))

    def _has(self, entry: str) -> bool:
        data = entry.encode("utf-8", "surrogatepass")
        i = zlib.crc32(data) & self._mask
        offsets = self._offsets
        return self._blob.find(b"\n" + data + b"\n", offsets[i], offsets[i + 1] + 1) >= 0

    def check(self, word: str) -> bool | None:
        """Return spylls' `lookup(word)`, or None when the forms cannot decide it."""
        if not word:
            return True  # spylls: no part of it is wrong
        if not self._undecided.isdisjoint(word):
            return None
        if self._iconv is not None:
            word = word.translate(self._iconv)
            if not self._undecided.isdisjoint(word):
                return None
        if word.isdigit():
            return None  # spylls' number rule (and compound rules for ordinals)
        captype = guess(word)
        has = self._has
        keepcase = self._keepcase
        for variant in variants(word, captype):
            if has(variant) or (keepcase and has(variant + _KEEP + captype)):
                return True
        if captype == ALL:
            return any(has(low + _UPPER_ONLY) for low in _lower(word))
        return False

    # -- the cache file ---------------------------------------------------------------------------
    def to_bytes(self, key: str) -> bytes:
        """Return the file form: magic, a JSON header (key, sizes, checksum), offsets, blob."""
        offsets = self._offsets.tobytes()
        settings = {
            "undecided": "".join(sorted(self._undecided - {"\n", _KEEP, _UPPER_ONLY})),
            "iconv": self._iconv_table(),
            "keepcase": self._keepcase,
        }
        header = {
            "format": FORMAT,
            "key": key,
            "count": self.count,
            "offsets": len(offsets),
            "blob": len(self._blob),
            "crc": _checksum(offsets, self._blob, settings),
            "itemsize": array.array("I").itemsize,
            "byteorder": sys.byteorder,
            **settings,
        }
        head = json.dumps(header, ensure_ascii=True).encode("ascii")
        return MAGIC + head + b"\n" + offsets + self._blob

    def _iconv_table(self) -> dict[str, str]:
        if self._iconv is None:
            return {}
        return {chr(k): v for k, v in self._iconv.items()}  # type: ignore[dict-item]

    @classmethod
    def from_file(cls, f: BinaryIO, key: str) -> WordForms | None:
        """Return the forms `to_bytes` wrote to the file `f` under `key`, or None (another key or
        version, damaged). Reads the blob straight into its own bytes (no second copy)."""
        try:
            if f.read(len(MAGIC)) != MAGIC:
                return None
            header = json.loads(f.readline(1 << 16))
            if header.get("format") != FORMAT or header.get("key") != key:
                return None
            machine = (array.array("I").itemsize, sys.byteorder)
            if (header.get("itemsize"), header.get("byteorder")) != machine:
                return None
            n_off, n_blob = int(header["offsets"]), int(header["blob"])
            raw_offsets = f.read(n_off)
            blob = f.read(n_blob)
            if len(raw_offsets) != n_off or len(blob) != n_blob or f.read(1):
                return None
            settings = {k: header[k] for k in ("undecided", "iconv", "keepcase")}
            if _checksum(raw_offsets, blob, settings) != header["crc"]:
                return None
            offsets = array.array("I")
            offsets.frombytes(raw_offsets)
            size = len(offsets) - 1
            if size < 1 or size & (size - 1) or offsets[-1] + 1 != len(blob):
                return None
            return cls(blob, offsets, settings, int(header["count"]))
        except (ValueError, KeyError, TypeError, AttributeError, OSError):
            return None


def _checksum(offsets: bytes, blob: bytes, settings: dict[str, Any]) -> int:
    """Return the CRC-32 of everything the verdicts depend on (a damaged byte anywhere shows)."""
    described = json.dumps(settings, sort_keys=True).encode("utf-8")
    return zlib.crc32(described, zlib.crc32(blob, zlib.crc32(offsets)))
