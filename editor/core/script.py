"""What the editor knows about scripts and inline markup, defined once.

- Character ranges: Han ideographs, kana, hangul, CJK punctuation and full-width forms, as
  strings for building regular expressions and as ready compiled searches.
- Widths: East Asian wide and full-width characters are one cell, every other character is
  "half-width"; `text_width` weighs half-width characters as a style profile says (1 in
  Latin scripts, 0.5 in Chinese, Japanese and Korean per Netflix's style guides).
- Markup: the `<i>`, `<b>`, `<u>` tags kept in cue text (`TAG_RE`, `plain_text`,
  `split_markup`).

Pure Python; everything here is cheap enough to call per cue on 100k-cue documents.
"""

from __future__ import annotations

import re
import unicodedata

from editor.core.patterns import CompiledOnFirstUse

# ---------------------------------------------------------------------------
# Character ranges (regular expression class bodies)
# ---------------------------------------------------------------------------

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
KANA = "\u3040-\u30ff\u31f0-\u31ff"
HALFWIDTH_KANA = "\uff66-\uff9f"
HANGUL = "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
# Characters a line may be broken between (Han and kana). Korean puts spaces between
# words, so hangul is CJK for limits and speaking rates but is not broken inside words.
IDEOGRAPHIC = KANA + HAN
# Letters of Chinese, Japanese and Korean.
CJK_LETTERS = IDEOGRAPHIC + HANGUL
# CJK symbols and punctuation (the ideographic space, 、。「」…) and full-width forms.
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
FULLWIDTH_FORMS = "\uff01-\uff60\uffe0-\uffe6"
# Chinese and Japanese text with its punctuation: written without spaces between words,
# spoken at the slow CJK rate (Korean spaces its words, so hangul is not in it).
UNSPACED_CJK = IDEOGRAPHIC + "\u3000-\u303f" + FULLWIDTH_FORMS


def _compiled_on_first_use(name: str, pattern: str) -> re.Pattern[str]:
    """Return a stand-in for the module's pattern `name` that compiles it when first used and
    then puts the real re.Pattern in its place (the functions here look it up each call).

    re's compiler walks every character of these large ranges in Python: ~15 ms for the six
    below, at every start-up, before any text needs them.
    """
    return CompiledOnFirstUse(pattern, namespace=globals(), name=name)  # type: ignore[return-value]


CJK_LETTER_RE: re.Pattern[str] = _compiled_on_first_use("CJK_LETTER_RE", f"[{CJK_LETTERS}]")
IDEOGRAPHIC_RE: re.Pattern[str] = _compiled_on_first_use("IDEOGRAPHIC_RE", f"[{IDEOGRAPHIC}]")
UNSPACED_CJK_RE: re.Pattern[str] = _compiled_on_first_use("UNSPACED_CJK_RE", f"[{UNSPACED_CJK}]")
_UNSPACED_END_RE: re.Pattern[str] = _compiled_on_first_use("_UNSPACED_END_RE", f"[{UNSPACED_CJK}]$")
_KANA_RE: re.Pattern[str] = _compiled_on_first_use("_KANA_RE", f"[{KANA}{HALFWIDTH_KANA}]")
_HANGUL_RE: re.Pattern[str] = _compiled_on_first_use("_HANGUL_RE", f"[{HANGUL}]")
_LETTER_RE = re.compile(r"[^\W\d_]")
# Runs of them: counting a text's letters as the length of its runs asks the pattern once a
# run, not once a character (script_is_cjk, for every cue a Rebalance groups by script).
_CJK_LETTER_RUN_RE: re.Pattern[str] = _compiled_on_first_use("_CJK_LETTER_RUN_RE", f"[{CJK_LETTERS}]+")
_LETTER_RUN_RE = re.compile(r"[^\W\d_]+")

CJK_LANGUAGES = frozenset({"zh", "ja", "ko", "yue", "cmn", "wuu"})


def primary_language(code: str | None) -> str | None:
    """Return the primary subtag of a language code in lower case ("zh-TW" → "zh"), or None."""
    if not code:
        return None
    return code.lower().replace("_", "-").split("-")[0] or None


def language_is_cjk(code: str | None) -> bool | None:
    """Return True for Chinese/Japanese/Korean codes, False for others, None when unknown."""
    primary = primary_language(code)
    if primary is None:
        return None
    return primary in CJK_LANGUAGES


def count_cjk(text: str) -> int:
    """Return how many characters of `text` are Chinese/Japanese (Han, kana, CJK punctuation,
    full-width forms)."""
    return len(UNSPACED_CJK_RE.findall(text))


def join_text(a: str, b: str) -> str:
    """Return `a` and `b` joined: without a space between two Chinese/Japanese characters, else with one."""
    if not a:
        return b
    if not b:
        return a
    if _UNSPACED_END_RE.search(a) and UNSPACED_CJK_RE.match(b):
        return a + b
    return f"{a} {b}"


def has_cjk(text: str) -> bool:
    """Return True when `text` holds at least one Chinese, Japanese or Korean letter."""
    return CJK_LETTER_RE.search(text) is not None


def script_is_cjk(text: str) -> bool:
    """Return True when `text` is mainly Chinese, Japanese or Korean.

    A CJK character carries about as much text as three Latin letters, so a
    sentence of Chinese with a few English names still counts as CJK.
    """
    if len(text) > 8000:
        text = text[:: len(text) // 4000]  # an even sample is enough to tell the script
    cjk = len("".join(_CJK_LETTER_RUN_RE.findall(text)))
    if cjk == 0:
        return False
    if cjk * 4 >= len(text):
        return True  # the rule below holds whatever the other characters are (letters ≤ len)
    letters = len("".join(_LETTER_RUN_RE.findall(text)))  # CJK characters are letters too
    return cjk * 3 >= letters - cjk


def code_units(text: str):  # -> a 1-D NumPy array, one unsigned element per character of `text`
    """Return the code points of `text`, one array element per character so that an array index
    is a string index: 16-bit units when no character is beyond the BMP (the usual text: half
    the memory of 32 bits and of its scans), else 32 bits."""
    import numpy as np

    units = text.encode("utf-16-le", "surrogatepass")
    if len(units) == 2 * len(text):
        return np.frombuffer(units, np.uint16)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)


def cjk_languages(texts: list[str]) -> list[str | None]:
    """Return [cjk_language_of(t) if script_is_cjk(t) else None for t in texts] (what
    style.language_for_text tells of a text when the language is unknown), for many texts at
    once: each character's class (CJK letter, letter, kana, hangul: the patterns of
    script_is_cjk and cjk_language_of, asked once per distinct character) counted per text
    with NumPy. A text over 8,000 characters (script_is_cjk samples it) is asked alone."""
    import numpy as np

    out: list[str | None] = [None] * len(texts)
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    if not lens.any():
        return out
    # (a "\0" after the last text, of no class: where an empty text at the end starts)
    codes = np.frombuffer(("".join(texts) + "\0").encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    present = np.flatnonzero(np.bincount(codes))
    # Per distinct character, one number adding up four counts: CJK letters (from bit 0),
    # letters (bit 16), kana (bit 32), hangul (bit 48); a cue's counts stay below 2 ** 16.
    table = np.zeros(int(present[-1]) + 1, dtype=np.int64)
    for code in present.tolist():
        ch = chr(code)
        table[code] = (
            (CJK_LETTER_RE.match(ch) is not None)
            | (_LETTER_RUN_RE.match(ch) is not None) << 16
            | (_KANA_RE.match(ch) is not None) << 32
            | (_HANGUL_RE.match(ch) is not None) << 48
        )
    # Each text's counts: the classes added up from where it starts to where the next does (one
    # pass; an empty text's sum, the next character's class, is not its own: set to 0).
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    counts = np.add.reduceat(table.take(codes), starts)  # (take: the same gather, ~2 ms quicker)
    counts[lens == 0] = 0
    mask = (1 << 16) - 1
    cjk, letters = counts & mask, (counts >> 16) & mask
    kana, hangul = (counts >> 32) & mask, counts >> 48
    # script_is_cjk: some CJK letters, and a quarter of the text or a third of its other letters.
    is_cjk = (cjk > 0) & ((cjk * 4 >= lens) | (cjk * 3 >= letters - cjk))
    which = np.where(kana > 0, 2, np.where(hangul > 0, 3, 1)) * is_cjk  # (0: not CJK)
    out = np.array([None, "zh", "ja", "ko"], dtype=object)[which].tolist()  # (str, not np.str_)
    for i in np.flatnonzero(lens > 8000).tolist():  # (script_is_cjk samples such a text)
        out[i] = cjk_language_of(texts[i]) if script_is_cjk(texts[i]) else None
    return out


def cjk_language_of(text: str) -> str:
    """Return "ja" when `text` holds kana, "ko" when it holds hangul, else "zh" (for CJK text)."""
    if _KANA_RE.search(text):
        return "ja"
    if _HANGUL_RE.search(text):
        return "ko"
    return "zh"


# ---------------------------------------------------------------------------
# Widths
# ---------------------------------------------------------------------------


def is_wide(ch: str) -> bool:
    """Return True for an East Asian wide or full-width character (one full cell)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


_WIDE_BMP: re.Pattern[str] | None = None
# The runs of wide characters of the Basic Multilingual Plane in Unicode 14.0.0 (Python 3.11's
# unicodedata), each as its first and last code point in 4 hex digits: reading them costs ~1 ms,
# asking unicodedata about each of 65k characters ~20 ms of every `cueline convert`. Under another
# Unicode version they are asked again (tests/test_script.py checks the table against unicodedata).
_WIDE_BMP_VERSION = "14.0.0"
_WIDE_BMP_RUNS = (
    "0378037903800383038b038b038d038d03a203a20530053005570558058b058c0590059005c805cf05eb05ee05f505ff"
    "070e070e074b074c07b207bf07fb07fc082e082f083f083f085c085d085f085f086b086f088f088f0892089709840984"
    "098d098e0991099209a909a909b109b109b309b509ba09bb09c509c609c909ca09cf09d609d809db09de09de09e409e5"
    "09ff0a000a040a040a0b0a0e0a110a120a290a290a310a310a340a340a370a370a3a0a3b0a3d0a3d0a430a460a490a4a"
    "0a4e0a500a520a580a5d0a5d0a5f0a650a770a800a840a840a8e0a8e0a920a920aa90aa90ab10ab10ab40ab40aba0abb"
    "0ac60ac60aca0aca0ace0acf0ad10adf0ae40ae50af20af80b000b000b040b040b0d0b0e0b110b120b290b290b310b31"
    "0b340b340b3a0b3b0b450b460b490b4a0b4e0b540b580b5b0b5e0b5e0b640b650b780b810b840b840b8b0b8d0b910b91"
    "0b960b980b9b0b9b0b9d0b9d0ba00ba20ba50ba70bab0bad0bba0bbd0bc30bc50bc90bc90bce0bcf0bd10bd60bd80be5"
    "0bfb0bff0c0d0c0d0c110c110c290c290c3a0c3b0c450c450c490c490c4e0c540c570c570c5b0c5c0c5e0c5f0c640c65"
    "0c700c760c8d0c8d0c910c910ca90ca90cb40cb40cba0cbb0cc50cc50cc90cc90cce0cd40cd70cdc0cdf0cdf0ce40ce5"
    "0cf00cf00cf30cff0d0d0d0d0d110d110d450d450d490d490d500d530d640d650d800d800d840d840d970d990db20db2"
    "0dbc0dbc0dbe0dbf0dc70dc90dcb0dce0dd50dd50dd70dd70de00de50df00df10df50e000e3b0e3e0e5c0e800e830e83"
    "0e850e850e8b0e8b0ea40ea40ea60ea60ebe0ebf0ec50ec50ec70ec70ece0ecf0eda0edb0ee00eff0f480f480f6d0f70"
    "0f980f980fbd0fbd0fcd0fcd0fdb0fff10c610c610c810cc10ce10cf1100115f12491249124e124f1257125712591259"
    "125e125f12891289128e128f12b112b112b612b712bf12bf12c112c112c612c712d712d71311131113161317135b135c"
    "137d137f139a139f13f613f713fe13ff169d169f16f916ff1716171e1737173f1754175f176d176d177117711774177f"
    "17de17df17ea17ef17fa17ff181a181f1879187f18ab18af18f618ff191f191f192c192f193c193f19411943196e196f"
    "1975197f19ac19af19ca19cf19db19dd1a1c1a1d1a5f1a5f1a7d1a7e1a8a1a8f1a9a1a9f1aae1aaf1acf1aff1b4d1b4f"
    "1b7f1b7f1bf41bfb1c381c3a1c4a1c4c1c891c8f1cbb1cbc1cc81ccf1cfb1cff1f161f171f1e1f1f1f461f471f4e1f4f"
    "1f581f581f5a1f5a1f5c1f5c1f5e1f5e1f7e1f7f1fb51fb51fc51fc51fd41fd51fdc1fdc1ff01ff11ff51ff51fff1fff"
    "2065206520722073208f208f209d209f20c120cf20f120ff218c218f231a231b2329232a23e923ec23f023f023f323f3"
    "2427243f244b245f25fd25fe2614261526482653267f267f2693269326a126a126aa26ab26bd26be26c426c526ce26ce"
    "26d426d426ea26ea26f226f326f526f526fa26fa26fd26fd27052705270a270b27282728274c274c274e274e27532755"
    "275727572795279727b027b027bf27bf2b1b2b1c2b502b502b552b552b742b752b962b962cf42cf82d262d262d282d2c"
    "2d2e2d2f2d682d6e2d712d7e2d972d9f2da72da72daf2daf2db72db72dbf2dbf2dc72dc72dcf2dcf2dd72dd72ddf2ddf"
    "2e5e303e3040324732504dbf4e00a4cfa62ca63fa6f8a6ffa7cba7cfa7d2a7d2a7d4a7d4a7daa7f1a82da82fa83aa83f"
    "a878a87fa8c6a8cda8daa8dfa954a95ea960a97fa9cea9cea9daa9dda9ffa9ffaa37aa3faa4eaa4faa5aaa5baac3aada"
    "aaf7ab00ab07ab08ab0fab10ab17ab1fab27ab27ab2fab2fab6cab6fabeeabefabfad7afd7c7d7cad7fcd7fff900faff"
    "fb07fb12fb18fb1cfb37fb37fb3dfb3dfb3ffb3ffb42fb42fb45fb45fbc3fbd2fd90fd91fdc8fdcefdd0fdeffe10fe1f"
    "fe30fe6ffe75fe75fefdfefeff00ff60ffbfffc1ffc8ffc9ffd0ffd1ffd8ffd9ffddffe7ffeffff8fffeffff"
)


def wide_bmp_runs() -> list[tuple[int, int]]:
    """Return (first, last) code points of each run of wide characters from U+0080 to U+FFFF."""
    if unicodedata.unidata_version == _WIDE_BMP_VERSION:
        table = "".join(_WIDE_BMP_RUNS)
        return [(int(table[k : k + 4], 16), int(table[k + 4 : k + 8], 16)) for k in range(0, len(table), 8)]
    return _wide_bmp_runs_of_unicodedata()


def _wide_bmp_runs_of_unicodedata() -> list[tuple[int, int]]:
    width = unicodedata.east_asian_width
    flags = [width(chr(code)) in ("W", "F") for code in range(0x80, 0x10000)] + [False]
    runs: list[tuple[int, int]] = []
    start = None
    for code, wide in enumerate(flags, 0x80):
        if wide and start is None:
            start = code
        elif not wide and start is not None:
            runs.append((start, code - 1))
            start = None
    return runs


def wide_bmp() -> re.Pattern[str]:
    """Return a pattern matching each wide character of the Basic Multilingual Plane, built once
    (wide_bmp_runs): counting them is then one C-speed scan instead of a call per character."""
    global _WIDE_BMP
    if _WIDE_BMP is None:
        _WIDE_BMP = re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in wide_bmp_runs()) + "]")
    return _WIDE_BMP


def wide_count(text: str) -> int:
    """Return how many characters of `text` are wide (`is_wide`)."""
    if text.isascii():
        return 0
    wide = len(wide_bmp().findall(text))
    if max(text) > "\uffff":  # beyond the BMP (rare): one by one
        wide += sum(1 for ch in text if ch > "\uffff" and is_wide(ch))
    return wide


def text_width(text: str, half_width: float = 1.0) -> float:
    """Return the length of one line: wide characters count 1, the others `half_width`.

    With `half_width=1.0` this is `len(text)`. Tags are not removed: pass plain text.
    """
    if text.isascii():
        return len(text) * half_width
    if half_width == 1.0:
        return float(len(text))
    wide = wide_count(text)
    return wide + (len(text) - wide) * half_width


# ---------------------------------------------------------------------------
# Inline markup
# ---------------------------------------------------------------------------

TAG_NAMES = "ibu"
# One tag: group 1 is "/" for a closing tag (else ""), group 2 the tag name.
TAG_RE = re.compile(f"<(/?)([{TAG_NAMES}])>")
# Pattern pieces for engines that build bigger expressions around tags.
TAG_PATTERN = f"</?[{TAG_NAMES}]>"
OPEN_TAG_PATTERN = f"<[{TAG_NAMES}]>"
CLOSE_TAG_PATTERN = f"</[{TAG_NAMES}]>"
# An empty pair "<i> </i>" and a closing tag reopened at once "</i> <i>" (group 1: name, 2: space).
EMPTY_PAIR_RE = re.compile(f"<([{TAG_NAMES}])>(\\s*)</\\1>")
ADJACENT_PAIR_RE = re.compile(f"</([{TAG_NAMES}])>( ?)<\\1>")
_SPLIT_RE = re.compile(f"({TAG_PATTERN})")


def plain_text(text: str) -> str:
    """Return cue text without its <i>/<b>/<u> tags."""
    return TAG_RE.sub("", text) if "<" in text else text


def split_markup(text: str) -> list[str]:
    """Return `text` cut into pieces: text at even positions, one tag at each odd position."""
    return _SPLIT_RE.split(text)


# ---------------------------------------------------------------------------
# Stacked bilingual cues
# ---------------------------------------------------------------------------

_SENTENCE_TAIL = ".?!…"
_DASHES = "-–—‐"
_TAIL_STRIP = "\"'”’»)]}*"


def _reads_as_language(lines: list[str]) -> bool:
    """Return True when non-CJK `lines` read as a line of a language rather than a Latin name or
    code ending a Chinese sentence ("GPT-4", "OpenAI API", "O1"): two words of letters that are
    not all capitals, or one such word and a sentence end ("Yes.", "Да!")."""
    joined = " ".join(lines)
    text = TAG_RE.sub("", joined) if "<" in joined else joined
    words = 0
    for word in text.split():
        # (isalpha first: most words are letters only, and map keeps the scan in C)
        if not word.isupper() and (word.isalpha() or any(map(str.isalpha, word))):
            words += 1
            if words >= 2:
                return True
    return words == 1 and text.rstrip(_TAIL_STRIP)[-1:] in _SENTENCE_TAIL


def stacked_parts(text: str) -> tuple[str, str] | None:
    """Return the two parts of a stacked bilingual cue, in their order, else None.

    A stacked cue (as in fan-made bilingual SubRip files: an English line, then its Chinese)
    is one cue whose lines are a run of lines without any Chinese/Japanese character (Latin,
    Cyrillic, Korean...) and a run of lines with some (Chinese or Japanese, Latin words inside
    them allowed), in either order; the non-CJK run must read as a language (_reads_as_language:
    "中文\\nGPT-4" is one Chinese sentence broken before a name, not two languages). Each part
    is its lines joined by newlines (empty lines dropped); a dialogue cue (every line opens
    with a dash) is no stacked cue. Mixed text within one line ("咱们将使用新称号 O1 推出")
    never is: one line is one part.
    """
    if "\n" not in text or text.isascii():
        return None
    search = IDEOGRAPHIC_RE.search
    a, _, b = text.partition("\n")
    if "\n" not in b:
        # Two lines (most cues): the same answer as the general steps below, without lists.
        # (an ASCII line holds no ideograph: told without scanning it, most English lines)
        latin_a = a.isascii() or search(a) is None
        if latin_a == (b.isascii() or search(b) is None):
            return None  # both Chinese, or both without (a blank line is without)
        latin = a if latin_a else b
        if a.lstrip()[:1] in _DASHES and b.lstrip()[:1] in _DASHES:
            return None  # a dialogue cue
        return (a, b) if _reads_as_language([latin]) else None
    return stacked_parts_plain(text)


def stacked_parts_plain(text: str) -> tuple[str, str] | None:
    """Return stacked_parts(text) by its general steps, for any number of lines (the plain
    version stacked_parts' two-line shortcut must agree with; a test compares them)."""
    search = IDEOGRAPHIC_RE.search
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) < 2 or all(ln.lstrip()[:1] in _DASHES for ln in lines):
        return None
    kinds = [search(ln) is not None for ln in lines]
    switch = next(i for i in range(1, len(kinds)) if kinds[i] != kinds[0]) if kinds[0] != kinds[-1] else 0
    if not switch or kinds[switch:] != [kinds[-1]] * (len(kinds) - switch):
        return None
    latin = lines[switch:] if kinds[0] else lines[:switch]
    if not _reads_as_language(latin):
        return None
    return "\n".join(lines[:switch]), "\n".join(lines[switch:])
