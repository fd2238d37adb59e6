"""Patterns compiled on first use answer exactly as the compiled patterns do."""

from __future__ import annotations

import pathlib
import re

import pytest

from editor.core import linewidth, patterns, qc, script, speakers, spelling, timecode
from editor.core.formats import markup, srt

SHARED = pathlib.Path(__file__).resolve().parents[2] / "shared"


def _texts() -> list[str]:
    """Lines of real subtitle files (seeds, real-world) and a few made to hit every pattern."""
    texts = [
        "",
        "Hello, world!",
        "JOHN: Where are you going?",
        "- Dash dialogue\n- Second speaker",
        '<font color="#ff0000" face="Arial">red</font> and {\\an8}top {\\i1}it{\\i0}',
        "<FONT COLOR=red>shout</FONT> <s>struck</s>",
        "01:02:03,456 --> 01:02:04,000",
        "-1:02.5",
        "12.5 s",
        "https://example.com and www.example.org, mail@example.com, &amp; &#39;",
        "中文字幕，日本語のテキスト、한국어 자막",
        "zh-TW",
        "en",
        "x-y-zzzzzzzzz",
    ]
    for folder in (SHARED / "seeds", SHARED / "realworld" / "files"):
        for path in sorted(folder.glob("*"))[:40]:
            if path.is_file() and path.stat().st_size < 2_000_000:
                texts.extend(path.read_text("utf-8", errors="replace").splitlines()[:400])
    return texts


TEXTS = _texts()

MODULE_PATTERNS = [
    (spelling, "_CJK_RUN_RE"),
    (spelling, "_SKIPPED_RE"),
    (spelling, "_NAME_WORD_RE"),
    (spelling, "_MARKUP_RE"),
    (speakers, "_PREFIX_RE"),
    (speakers, "_NOT_IN_NAME"),
    (speakers, "_URL_RE"),
    (speakers, "_DASH_RE"),
    (timecode, "_USER_RE"),
    (timecode, "_SECONDS_RE"),
    (markup, "SRT_MARKUP_RE"),
    (markup, "_SRT_TOKEN_RE"),
    (markup, "_COLOR_ATTR_RE"),
    (markup, "_ATTR_RE"),
    (markup, "_OVERRIDE_RE"),
    (markup, "_AN_TAG_RE"),
    (srt, "_STRICT_TIMING_RE"),
    (srt, "_ANY_TIMING_RE"),
    (srt, "_TIME_LIKE_RE"),
    (srt, "_UPPER_TAG_RE"),
    (srt, "_SPEAKER_RE"),
    (srt, "_DIRTY_RE"),
    (srt, "_CANONICAL_BLOCK"),
    (linewidth, "_MARKUP_RE"),
    (linewidth, "_ENTITY_RE"),
    (linewidth, "_SPACE_ONLY_AFTER_NEWLINE"),
    (linewidth, "_SPACE_ONLY_AFTER_NUL"),
    (linewidth, "_SPACE_ONLY_FIRST_LINE"),
    (linewidth, "_NAME_PREFIX"),
    (linewidth, "_MARKUP_IN_TEXT_RE"),
    (linewidth, "_NOT_LETTER"),
    (linewidth, "_ASTRAL"),
    (qc, "_NUMBER_RE"),
    (script, "CJK_LETTER_RE"),
    (script, "IDEOGRAPHIC_RE"),
    (script, "UNSPACED_CJK_RE"),
    (script, "_UNSPACED_END_RE"),
    (script, "_KANA_RE"),
    (script, "_HANGUL_RE"),
    (script, "_CJK_LETTER_RUN_RE"),
]
IDS = [f"{module.__name__}.{name}" for module, name in MODULE_PATTERNS]


def _answers(pattern, text: str) -> tuple:
    def spans(matches):
        return [(m.span(), m.groups(), m.groupdict()) for m in matches]

    return (
        spans([pattern.search(text)] if pattern.search(text) else []),
        spans([pattern.match(text)] if pattern.match(text) else []),
        spans([pattern.fullmatch(text)] if pattern.fullmatch(text) else []),
        pattern.findall(text),
        spans(pattern.finditer(text)),
        pattern.sub("§", text),
        pattern.subn(lambda m: m.group().upper(), text),
        pattern.split(text),
    )


@pytest.mark.parametrize(("module", "name"), MODULE_PATTERNS, ids=IDS)
def test_module_patterns_answer_as_compiled(module, name):
    stand_in = getattr(module, name)
    assert isinstance(stand_in, patterns.CompiledOnFirstUse | re.Pattern)
    plain = re.compile(stand_in.pattern, stand_in.flags & ~re.UNICODE)
    assert stand_in.flags == plain.flags and stand_in.groups == plain.groups
    for text in TEXTS:
        assert _answers(stand_in, text) == _answers(plain, text), text


def test_a_stand_in_compiles_once_and_only_when_used(monkeypatch):
    compiled: list[str] = []
    real_compile = re.compile
    monkeypatch.setattr(re, "compile", lambda p, f=0: compiled.append(p) or real_compile(p, f))
    stand_in = patterns.CompiledOnFirstUse(r"(\w+)@(\w+)", re.IGNORECASE)
    assert stand_in.pattern == r"(\w+)@(\w+)" and compiled == []
    assert stand_in.search("write to ANA@Home").groups() == ("ANA", "Home")
    assert stand_in.groups == 2 and stand_in.groupindex == {}
    assert stand_in.sub(r"\2", "a@b c@d") == "b d"
    assert compiled == [r"(\w+)@(\w+)"]
    assert stand_in.compiled() is stand_in.compiled()


def test_a_named_stand_in_puts_the_compiled_pattern_in_its_place():
    namespace: dict[str, object] = {}
    namespace["P"] = patterns.CompiledOnFirstUse("[0-9]+", namespace=namespace, name="P")
    assert isinstance(namespace["P"], patterns.CompiledOnFirstUse)
    assert namespace["P"].findall("a1b22") == ["1", "22"]
    assert isinstance(namespace["P"], re.Pattern)

