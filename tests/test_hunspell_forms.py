"""The compact word forms answer as spylls does (they replace it for checking), from a cache
that follows the dictionary and survives damage, and a document is checked without loading
spylls at all."""

from __future__ import annotations

import os
import pathlib
import random
import re

import pytest
import spylls.hunspell
from conftest import SEEDS, SHARED
from spylls.hunspell import Dictionary

from editor.core import dictionary_cache, documents, hunspell_forms, spelling
from editor.core.model import Document

BUNDLED_EN = pathlib.Path(spylls.hunspell.data.__file__).parent / "en" / "en_US"
DEBIAN_EN = pathlib.Path("/usr/share/hunspell/en_US")
DICTIONARIES = [BUNDLED_EN] + ([DEBIAN_EN] if DEBIAN_EN.with_suffix(".dic").exists() else [])
REALWORLD = SHARED / "realworld" / "files"

# Apostrophes, casings, names, acronyms, numbers and ordinals, hyphens, foreign letters.
TRICKY = """don't don’t DON'T Don't o'clock O'Clock isn't Isn’t they're we'd y'all
McDonald McDonald's MCDONALD'S Mcdonald mcdonald iPhone IPHONE Iphone Paris paris PARIS
NASA Nasa nasa NASA's GPUs AI ai Ai I i a A café cafe CAFÉ naïve naive résumé
1st 2nd 3rd 4th 11th 21st 22nd 101st 11st 2th 1th 3:16 20% 42 3.14 well-known Well-Known -ish
re-enter mother-in-law co-operate e-mail x y zz aaa colour color unbelievably teh recieve
thinking THINKING Thinking ThInKiNg thinkING abc'def can't've 'tis rock'n'roll
""".split()


def _corpus(dic: Dictionary, entries: list[str], n: int, seed: int) -> list[str]:
    """Return words to compare on: a sample of the dictionary's own forms in four casings, one
    misspelling of each (dropped, doubled, swapped or replaced letter), seed and real-world
    subtitle words, and the tricky list."""
    rng = random.Random(seed)
    plain = sorted(e for e in entries if "\x1e" not in e and "\x1f" not in e)
    words = set(TRICKY)
    for w in rng.sample(plain, min(n, len(plain))):
        words.update((w, w.lower(), w.capitalize(), w.upper()))
        i = rng.randrange(len(w))
        bad = rng.choice(
            [
                w[:i] + w[i + 1 :],
                w[:i] + w[i] + w[i:],
                w[:i] + w[i + 1 : i + 2] + w[i : i + 1] + w[i + 2 :],
                w[:i] + rng.choice("aeiost'") + w[i + 1 :],
            ]
        )
        words.update((bad, bad.capitalize(), bad.upper()))
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS.glob("*.txt"))]
    for path in sorted(REALWORLD.glob("*.srt"))[:20]:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, OSError):
            continue
    for text in texts:
        words.update(w for _s, _e, w in spelling.candidate_words(text))
        words.update(re.findall(r"\S+", text)[:2000])  # raw chunks too: punctuation, digits
    return sorted(w for w in words if w)


@pytest.mark.parametrize("path", DICTIONARIES, ids=lambda p: p.parent.name)
def test_the_forms_answer_as_spylls_does(path):
    dic = Dictionary.from_files(str(path))
    expanded = hunspell_forms.expand(dic)
    assert expanded is not None  # en_US is expressible as forms
    forms = hunspell_forms.WordForms.build(*expanded)
    decided = 0
    words = _corpus(dic, expanded[0], 2500, seed=len(str(path)))
    assert len(words) > 10_000
    for word in words:
        verdict = forms.check(word)
        if verdict is not None:
            decided += 1
            assert verdict == dic.lookup(word), word
    # The forms decide nearly everything (not hyphens, digits): spylls stays unloaded.
    assert decided > 0.9 * len(words)
    # Hunspell's casing rules, as examples.
    assert forms.check("Thinking") and forms.check("THINKING") and not forms.check("ThInKiNg")
    assert forms.check("Paris") and not forms.check("paris") and forms.check("PARIS")
    assert forms.check("don’t") and forms.check("don't") and not forms.check("recieve")
    assert forms.check("well-known") is None and forms.check("21st") is None
    assert forms.check("") is dic.lookup("") is True


def test_the_checker_agrees_with_spylls_everywhere(tmp_path):
    """HunspellDictionary.check (forms first, spylls for the rest) == spylls, on the same corpus,
    hyphens and digits included."""
    dic = spelling.HunspellDictionary(str(BUNDLED_EN))
    reference = Dictionary.from_files(str(BUNDLED_EN))
    expanded = hunspell_forms.expand(reference)
    assert expanded is not None
    for word in _corpus(reference, expanded[0], 300, seed=7):
        assert dic.check(word) == dic.check_with_spylls(word) == reference.lookup(word), word


# A made-up dictionary with the affix features the expansion follows: KEEPCASE, NEEDAFFIX,
# ONLYINCOMPOUND, a suffix on a suffix (continuation class), prefix + suffix cross products, a
# prefix allowed by a suffix's flags, and conditions with strip.
AFF = """SET UTF-8
TRY abcdefghijklmnopqrstuvwxyz
KEEPCASE K
NEEDAFFIX N
ONLYINCOMPOUND O
ICONV 1
ICONV ’ '
PFX A Y 1
PFX A 0 re .
PFX B N 1
PFX B 0 un .
PFX C Y 1
PFX C 0 over [^o]
SFX S Y 2
SFX S 0 s [^sy]
SFX S y ies y
SFX D Y 1
SFX D 0 ed/T [^e]
SFX T Y 1
SFX T 0 ly .
SFX G Y 1
SFX G e ing/C e
SFX X N 1
SFX X 0 ness/N .
SFX Z Y 1
SFX Z 0 ful/O .
"""
DIC = """12
walk/SDA
carry/S
make/G
KDE/K
iPod/KS
Bach/S
kind/XB
stem/N
stemma/NS
bind/Z
happy/XB
Hello
"""


def _write_dictionary(folder: pathlib.Path, aff: str = AFF, dic: str = DIC) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "xx_XX.aff").write_text(aff, encoding="utf-8")
    (folder / "xx_XX.dic").write_text(dic, encoding="utf-8")
    return str(folder / "xx_XX")


def test_affix_features_expand_as_spylls_analyses_them(tmp_path):
    path = _write_dictionary(tmp_path / "d")
    dic = Dictionary.from_files(path)
    expanded = hunspell_forms.expand(dic)
    assert expanded is not None
    forms = hunspell_forms.WordForms.build(*expanded)
    plain = [e for e in expanded[0] if "\x1e" not in e and "\x1f" not in e]
    stems = "walk carry make KDE iPod Bach kind stem stemma bind happy Hello".split()
    affixes = ["", "s", "ies", "ed", "edly", "ing", "ness", "nessness", "ful", "ly", "y"]
    prefixes = ["", "re", "un", "over", "unre"]
    words = set(plain)
    for stem in stems + [re.split("[\x1e\x1f]", e)[0] for e in expanded[0]]:
        for p in prefixes:
            for s in affixes:
                words.add(p + stem + s)
                words.add(p + stem[:-1] + s)
    for w in list(words):
        words.update((w.lower(), w.upper(), w.capitalize(), w.replace("'", "’")))
    for word in sorted(words):
        verdict = forms.check(word)
        if word and verdict is not None:
            assert verdict == dic.lookup(word), word
    for word in ["walked", "walkedly", "rewalkedly", "carries", "overmaking", "unkind", "KDE", "iPods"]:
        assert forms.check(word), word
    for word in ["Kde", "kde", "stem", "kindnessness", "bindful", "unwalk", "overmake", "unkindness"]:
        assert not forms.check(word), word


def test_a_compounding_dictionary_is_left_to_spylls(tmp_path):
    path = _write_dictionary(tmp_path / "c", AFF + "COMPOUNDFLAG W\n", DIC.replace("walk/SDA", "walk/SDAW"))
    assert hunspell_forms.expand(Dictionary.from_files(path)) is None
    dic = spelling.HunspellDictionary(path)
    assert dic.forms is None and dic.spylls_loaded
    assert dic.check("walkwalk") and dic.check("walks") and not dic.check("walkz")
    # The cache remembers it: the next load does not try to expand again.
    assert dictionary_cache.load_forms(path) is False


def test_compound_rules_over_letters_are_left_to_spylls(tmp_path):
    # en_US's rules join digits ("21st": the forms leave words with digits to spylls); a rule
    # joining words of letters makes words no list of forms holds.
    aff = AFF + "COMPOUNDRULE 1\nCOMPOUNDRULE QR\n"
    dic = DIC.replace("12\n", "14\n") + "sun/Q\nflower/R\n"
    path = _write_dictionary(tmp_path / "r", aff, dic)
    parsed = Dictionary.from_files(path)
    assert parsed.lookup("sunflower")
    assert hunspell_forms.expand(parsed) is None
    checker = spelling.HunspellDictionary(path)
    assert checker.check("sunflower") and not checker.check("flowersun")


# ---------------------------------------------------------------------------
# The cache
# ---------------------------------------------------------------------------



def _never(*_a, **_k):
    raise AssertionError("spylls loaded although the forms were cached")


def test_a_later_load_reads_the_forms_and_never_spylls(en_copy, monkeypatch):
    first = spelling.HunspellDictionary(en_copy)
    target = dictionary_cache.cache_path(en_copy, "forms")
    assert target is not None and os.path.exists(target)
    monkeypatch.setattr(Dictionary, "from_files", _never)
    monkeypatch.setattr(dictionary_cache, "load_dictionary", _never)
    again = spelling.HunspellDictionary(en_copy)
    assert again.forms is not None and not again.spylls_loaded
    words = ["colour", "running", "wasn't", "Teh", "recieve", "London", "cats", "xyzzyq", "THINKING"]
    assert [again.check(w) for w in words] == [first.check(w) for w in words]


def test_checking_a_document_never_loads_spylls(en_copy):
    spelling.HunspellDictionary(en_copy)  # builds the cache
    store = spelling.DictionaryStore(dirs=[os.path.dirname(en_copy)])
    doc = documents.open_document(str(sorted(SEEDS.glob("000_*.txt"))[0]))
    doc.source_language = "en"
    checker = spelling.SpellChecker(doc, store)
    unknown = [w for cue in doc.cues for _t, w in checker.cue_unknown(cue)]
    dic = store.get("en")
    assert dic is not None and not dic.spylls_loaded
    assert "reasonning" not in unknown  # (sanity: the seed is spelt well)
    # Suggestions load it, once.
    assert "reasoning" in checker.suggest("reasonning", "en")
    assert dic.spylls_loaded


DAMAGES = [
    lambda data: data[: len(data) // 2],  # truncated
    lambda data: data[:-10] + b"0123456789",  # changed bytes: the checksum fails
    lambda data: b"",  # empty
    lambda data: b"garbage" * 100,
    lambda data: data.replace(b'"format": 1', b'"format": 99'),  # another version
    lambda data: data.replace(b'"count": ', b'"count": "x", "c": '),  # a header that lies
]


def test_a_damaged_forms_file_is_ignored_and_rebuilt_not_a_crash(en_copy):
    spelling.HunspellDictionary(en_copy)
    target = pathlib.Path(dictionary_cache.cache_path(en_copy, "forms"))
    whole = target.read_bytes()
    for damage in DAMAGES:
        target.write_bytes(damage(whole))
        assert dictionary_cache.load_forms(en_copy) is None
    dic = spelling.HunspellDictionary(en_copy)
    assert dic.check("running") and not dic.check("recieve")
    assert isinstance(dictionary_cache.load_forms(en_copy), hunspell_forms.WordForms)  # written again
    assert target.read_bytes() == whole


def test_a_changed_dictionary_gets_new_forms(en_copy):
    spelling.HunspellDictionary(en_copy)
    old = dictionary_cache.cache_path(en_copy, "forms")
    with open(en_copy + ".dic", "a", encoding="utf-8") as f:
        f.write("Cuelinish/S\n")
    st = os.stat(en_copy + ".dic")
    os.utime(en_copy + ".dic", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    new = dictionary_cache.cache_path(en_copy, "forms")
    assert new != old
    dic = spelling.HunspellDictionary(en_copy)
    assert dic.check("Cuelinish") and dic.check("Cuelinishes") and not dic.check("Cuelinishs")
    assert os.path.exists(new) and not os.path.exists(old)


def test_an_unwritable_cache_still_checks(en_copy, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr(dictionary_cache, "cache_dir", lambda: str(blocker / "dictionaries"))
    dic = spelling.HunspellDictionary(en_copy)
    assert dic.check("running") and not dic.check("recieve")
    assert dictionary_cache.load_forms(en_copy) is None


# ---------------------------------------------------------------------------
# The QC's fast path over texts == the markup-aware scan
# ---------------------------------------------------------------------------

PIECES = [
    "hello",
    "world",
    "reasonning",
    "thinkign",
    "don't",
    "don’t",
    "o'",
    "'tis",
    "well-known",
    "re-",
    "<i>",
    "</i>",
    "<b>",
    '<font color="red">',
    "{\\an8}",
    "{\\pos(10, 20)}",
    "<",
    ">",
    "{",
    "}",
    "http://example.com/x",
    "www.example.org",
    "mail@example.com",
    "openai.com/o1",
    "e.g.",
    "U.S.",
    "AT&T",
    "&amp;",
    "&#39;",
    "and/or",
    "I <3 this",
    "GPT-4o",
    "3:16",
    "20%",
    "NASA's",
    "AI",
    "李明",
    "收过完列",
    "。",
    "！",
    "Привет",
    "café",
    "naïve",
    "x",
    "—",
    "...",
    "?",
    ",",
    ".com",
    "teh",
    "recieve",
    "Hello",
    "WORLD",
    "\n",
    " ",
    " ",
    " ",
    "-",
    "'",
    "’",
    "@",
    "&",
    "/",
    ".",
]


def test_the_qc_fast_path_finds_what_the_scan_finds(en_copy):
    store = spelling.DictionaryStore(dirs=[os.path.dirname(en_copy)])
    doc = Document(source_language="en")
    rng = random.Random(24)
    texts = []
    for _ in range(4000):
        parts = [rng.choice(PIECES) for _ in range(rng.randrange(1, 12))]
        joins = [rng.choice(["", " ", " ", "\n"]) for _ in parts]
        texts.append("".join(p + j for p, j in zip(parts, joins, strict=True)))
    fast = spelling.SpellChecker(doc, store)
    plain = spelling.SpellChecker(doc, store)
    for text in texts + texts:  # twice: the second time from the remembered verdicts
        expected = [w for _s, _e, w in spelling.candidate_words(text) if not plain.is_known(w, "en")]
        assert fast.unknown_in(text, "en") == expected, text
        assert [m.word for m in fast.misspellings(text, "en")] == expected, text


def test_caches_named_the_old_way_are_removed_when_new_ones_are_written(en_copy):
    import hashlib

    # How they were named: sha1 of the dictionary's path.
    legacy = f"en_US-{hashlib.sha1(os.path.abspath(en_copy).encode()).hexdigest()[:8]}-"
    folder = pathlib.Path(dictionary_cache.cache_dir())
    folder.mkdir(parents=True, exist_ok=True)
    old = folder / f"{legacy}0123456789abcdef.pickle"
    old.write_bytes(b"old parse")
    other = folder / "en_US-00000000-0123456789abcdef.pickle"  # another folder's en_US: kept
    other.write_bytes(b"other")
    spelling.HunspellDictionary(en_copy)
    assert not old.exists() and other.exists()


def test_a_dictionary_the_expansion_trips_on_is_checked_by_spylls(en_copy, monkeypatch):
    def broken(_dictionary):
        raise RuntimeError("an affix rule nobody thought of")

    monkeypatch.setattr(hunspell_forms, "expand", broken)
    dic = spelling.HunspellDictionary(en_copy)
    assert dic.forms is None and dic.spylls_loaded
    assert dic.check("running") and not dic.check("recieve")
