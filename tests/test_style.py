"""Style profiles and script knowledge: the presets subtitlers know, the user's changes on
top, half-width characters counting half in CJK, one tag pattern for markup."""

from __future__ import annotations

import pytest

from editor.core import script
from editor.core.style import (
    AUTO,
    PRESETS,
    StyleProfile,
    StyleSettings,
    TrackStyle,
    preset_for_language,
    profile_for,
    profile_for_text,
)


@pytest.mark.parametrize(
    ("language", "preset", "max_chars", "max_cps"),
    [
        ("en", "en", 42, 20.0),
        ("en-US", "en", 42, 20.0),
        ("zh-cn", "zh-hans", 16, 9.0),
        ("zh-TW", "zh-hant", 16, 9.0),
        ("zh-Hant-HK", "zh-hant", 16, 9.0),
        ("ja", "ja", 13, 4.0),
        ("ko", "ko", 16, 12.0),
        ("ru", "ru", 39, 17.0),
        ("fr", "fr", 42, 17.0),
        ("de", "de", 42, 17.0),
        ("es", "es", 42, 17.0),
        ("nl", "default", 42, 17.0),
        (None, "default", 42, 17.0),
    ],
)
def test_each_language_gets_its_netflix_preset(language, preset, max_chars, max_cps):
    assert preset_for_language(language) == preset
    profile = profile_for(language)
    assert (profile.preset, profile.max_chars, profile.max_cps) == (preset, max_chars, max_cps)
    assert (profile.min_duration_ms, profile.max_duration_ms, profile.min_gap_ms, profile.max_lines) == (
        833,
        7000,
        83,
        2,
    )


def test_japanese_and_korean_do_not_borrow_the_chinese_numbers():
    assert profile_for("ja") != profile_for("zh")
    assert profile_for("ko") != profile_for("zh")
    assert profile_for("en-children", StyleSettings(TrackStyle("en-children"))).max_cps == 17.0


def test_half_width_characters_count_half_in_cjk_profiles():
    zh, en = PRESETS["zh-hans"], PRESETS["en"]
    assert zh.line_width("我们发布了GPT-5") == 5 + 5 * 0.5
    assert en.line_width("我们发布了GPT-5") == 10
    assert zh.line_width("ＧＰＴ") == 3  # full-width Latin counts as full
    assert zh.reading_chars("你好\nhello") == 2 + 2.5  # the line break is not read
    assert zh.cjk and not en.cjk


def test_user_choice_per_track_and_changed_limits_apply_on_top():
    settings = StyleSettings(
        source=TrackStyle(AUTO, {"max_cps": 15, "min_gap_ms": 120}),
        translation=TrackStyle("ja"),
    )
    src = profile_for("en", settings, "source")
    assert (src.preset, src.max_cps, src.max_chars, src.min_gap_ms) == ("en", 15.0, 42, 120)
    assert isinstance(src.max_cps, float) and isinstance(src.min_gap_ms, int)
    tr = profile_for("fr", settings, "translation")  # the user's preset beats the language
    assert (tr.preset, tr.max_chars) == ("ja", 13)


def test_unknown_language_lets_the_script_decide():
    assert profile_for_text(None, "今日はいい天気").preset == "ja"
    assert profile_for_text(None, "오늘 날씨가 좋네요").preset == "ko"
    assert profile_for_text(None, "今天天气很好").preset == "zh-hans"
    assert profile_for_text(None, "Nice weather").preset == "default"
    assert profile_for_text("de", "今天天气很好").preset == "de"  # a known language wins


def test_settings_round_trip_and_bad_data_falls_back():
    settings = StyleSettings(TrackStyle("ru", {"max_chars": 37}), TrackStyle(AUTO, {"max_cps": 13.5}))
    assert StyleSettings.from_dict(settings.to_dict()) == settings
    assert StyleSettings.from_dict("junk") == StyleSettings()
    broken = {"source": {"preset": "klingon", "overrides": {"max_chars": "x", "bogus": 3, "max_cps": -1}}}
    assert StyleSettings.from_dict(broken) == StyleSettings()


def test_profile_is_frozen_data():
    with pytest.raises(AttributeError):
        StyleProfile().max_cps = 3  # type: ignore[misc]


def test_script_ranges_and_markup_live_in_one_place():
    assert script.script_is_cjk("我们今天发布两个模型 GPT")
    assert not script.script_is_cjk("We release two models 今日")
    assert script.count_cjk("你好，world") == 3
    assert script.join_text("你好", "世界") == "你好世界"
    assert script.join_text("안녕", "하세요") == "안녕 하세요"  # Korean spaces its words
    assert script.plain_text("<i>a</i> <b>b</b> <u>c</u> <s>d</s>") == "a b c <s>d</s>"
    assert script.split_markup("x<i>y</i>") == ["x", "<i>", "y", "</i>", ""]
    assert [m.groups() for m in script.TAG_RE.finditer("<b></b>")] == [("", "b"), ("/", "b")]
    assert script.language_is_cjk("zh-TW") and script.language_is_cjk("en") is False
    assert script.language_is_cjk(None) is None


def test_no_module_defines_its_own_cjk_ranges_or_tag_pattern():
    """The ranges and the tag pattern are defined in editor/core/script.py only."""
    import pathlib

    root = pathlib.Path(script.__file__).resolve().parents[1]
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "script.py":
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("\\u4e00-\\u9fff", "\\uac00-\\ud7af", "</?[ibu]>", "<(/?)([ibu])>"):
            if needle in text:
                offenders.append(f"{path.relative_to(root)}: {needle}")
    assert offenders == []


def test_export_linter_checks_line_widths_against_the_users_style():
    from editor.core import documents, lint
    from editor.core.formats import WriteOptions
    from editor.core.model import Document

    doc = Document(source_language="en")
    doc.append(doc.new_cue(0, 3000, "x" * 35))
    options = WriteOptions(track="source", speakers="none")
    text = documents.render(doc, "srt", options)
    assert [f.code for f in lint.lint(text, "srt", doc, options)] == []
    narrow = StyleSettings(TrackStyle(AUTO, {"max_chars": 30}))
    found = lint.lint(text, "srt", doc, options, narrow)
    assert [(f.code, f.line) for f in found] == [("line-length", 3)]


def test_transcripts_are_cut_to_the_users_style():
    from editor.core.formats import ReadOptions
    from editor.core.segmentation import Segment
    from editor.core.transcripts import build_document

    text = "This sentence is long enough that it will need more than one line to be shown at all. " * 3
    narrow = StyleSettings(TrackStyle(AUTO, {"max_chars": 30}))
    doc = build_document([Segment(text)], options=ReadOptions(styles=narrow))
    assert max(len(line) for c in doc.cues for line in c.text.split("\n")) <= 30
    wide = build_document([Segment(text)], options=ReadOptions(styles=StyleSettings()))
    assert max(len(line) for c in wide.cues for line in c.text.split("\n")) > 30
    japanese = "今日はとても良い天気ですね。私たちは公園に行って、長い時間散歩をしました。" * 2
    ja = build_document([Segment(japanese)], options=ReadOptions(styles=StyleSettings()))
    assert max(len(line) for c in ja.cues for line in c.text.split("\n")) <= 13  # not Chinese's 16
