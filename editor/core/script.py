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



class _CompiledOnFirstUse:
    """Stands for the module's compiled pattern `name` until first used, then puts the real
    re.Pattern in its place (so the functions here, which look it up each call, use it
    directly) and answers with its methods from then on.

    re's compiler walks every character of these large ranges in Python: ~15 ms for the six
    below, at every start-up, before any text needs them.
    """

    _METHODS = ("search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split")

    def __init__(self, name: str, pattern: str) -> None:
        self.name = name
        self.pattern = pattern

    def __getattr__(self, attr: str):
        compiled = re.compile(self.pattern)
        for method in self._METHODS:
            setattr(self, method, getattr(compiled, method))
        globals()[self.name] = compiled
        return getattr(compiled, attr)


CJK_LETTER_RE: re.Pattern[str] = _CompiledOnFirstUse("CJK_LETTER_RE", f"[{CJK_LETTERS}]")  # type: ignore[assignment]
IDEOGRAPHIC_RE: re.Pattern[str] = _CompiledOnFirstUse("IDEOGRAPHIC_RE", f"[{IDEOGRAPHIC}]")  # type: ignore[assignment]
UNSPACED_CJK_RE: re.Pattern[str] = _CompiledOnFirstUse("UNSPACED_CJK_RE", f"[{UNSPACED_CJK}]")  # type: ignore[assignment]
_UNSPACED_END_RE: re.Pattern[str] = _CompiledOnFirstUse("_UNSPACED_END_RE", f"[{UNSPACED_CJK}]$")  # type: ignore[assignment]
_KANA_RE: re.Pattern[str] = _CompiledOnFirstUse("_KANA_RE", f"[{KANA}{HALFWIDTH_KANA}]")  # type: ignore[assignment]
_HANGUL_RE: re.Pattern[str] = _CompiledOnFirstUse("_HANGUL_RE", f"[{HANGUL}]")  # type: ignore[assignment]
_LETTER_RE = re.compile(r"[^\W\d_]")

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
    cjk = len(CJK_LETTER_RE.findall(text))
    if cjk == 0:
        return False
    if cjk * 4 >= len(text):
        return True  # the rule below holds whatever the other characters are (letters ≤ len)
    letters = len(_LETTER_RE.findall(text))  # CJK characters are letters too
    return cjk * 3 >= letters - cjk


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


def wide_bmp() -> re.Pattern[str]:
    """Return a pattern matching each wide character of the Basic Multilingual Plane, built once
    from unicodedata (~10 ms): counting them is then one C-speed scan instead of a call per character."""
    global _WIDE_BMP
    if _WIDE_BMP is None:
        width = unicodedata.east_asian_width
        flags = [width(chr(code)) in ("W", "F") for code in range(0x80, 0x10000)] + [False]
        runs: list[str] = []
        start = None
        for code, wide in enumerate(flags, 0x80):
            if wide and start is None:
                start = code
            elif not wide and start is not None:
                runs.append(f"\\u{start:04x}-\\u{code - 1:04x}")
                start = None
        _WIDE_BMP = re.compile(f"[{''.join(runs)}]")
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
