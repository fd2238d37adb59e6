"""Style limits a subtitler works to: one `StyleProfile` per track, from per-language presets.

A profile holds the reading speed, line width, lines per cue, shortest and longest
duration, minimum gap between cues and the frame rate used when neither the media nor
the file gives one. The presets follow Netflix's Timed Text Style Guides (general
requirements plus each language's guide): 5/6 s minimum and 7 s maximum duration, two
frames between cues, two lines, and per language:

    preset        chars/line  chars/s   half-width characters count
    en (adult)        42        20        1
    en-children       42        17        1
    zh-hans (simp.)   16         9        0.5
    zh-hant (trad.)   16         9        0.5
    ja                13         4        0.5
    ko                16        12        0.5
    ru                39        17        1
    fr, de, es        42        17        1
    default           42        17        1   (any other language, or none known)

The user's choices (`StyleSettings`: a preset per track, "auto" = the preset of the
track's language, plus any limits they changed) are plain data the Qt settings store;
`profile_for(language, settings, track)` turns them into the profile QC, segmentation,
the operations, the timeline and the export linter use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field, fields, replace
from typing import Any

from editor.core.records import record
from editor.core.script import (
    IDEOGRAPHIC_RE,
    cjk_language_of,
    primary_language,
    script_is_cjk,
    stacked_parts,
    text_width,
)

AUTO = "auto"
SOURCE = "source"
TRANSLATION = "translation"


@record(frozen=True, slots=True)
class StyleProfile:
    """The limits of one track. `half_width` is what a half-width character counts for
    in line length and reading speed (0.5 in CJK presets, 1 elsewhere)."""

    preset: str = "default"
    max_cps: float = 17.0
    max_chars: int = 42
    max_lines: int = 2
    min_duration_ms: int = 833
    max_duration_ms: int = 7000
    min_gap_ms: int = 83
    frame_rate: float = 25.0
    half_width: float = 1.0

    @property
    def cjk(self) -> bool:
        """Return True for a profile of Chinese, Japanese or Korean (half-width counts less)."""
        return self.half_width < 1.0

    def line_width(self, line: str) -> float:
        """Return the length of one plain-text line as this profile counts it."""
        return text_width(line, self.half_width)

    def reading_chars(self, plain: str) -> float:
        """Return the characters read in `plain` (line breaks are not read)."""
        return text_width(plain.replace("\n", "") if "\n" in plain else plain, self.half_width)


# Fields a user may change (the preset id and the half-width weight come with the preset).
EDITABLE_FIELDS: tuple[str, ...] = (
    "max_cps",
    "max_chars",
    "max_lines",
    "min_duration_ms",
    "max_duration_ms",
    "min_gap_ms",
    "frame_rate",
)
_FIELD_TYPES: dict[str, type] = {
    f.name: (float if f.type in ("float", float) else int) for f in fields(StyleProfile)
}

_BASE = StyleProfile()
_CJK = replace(_BASE, half_width=0.5)

PRESETS: dict[str, StyleProfile] = {
    "default": _BASE,
    "en": replace(_BASE, preset="en", max_cps=20.0),
    "en-children": replace(_BASE, preset="en-children", max_cps=17.0),
    "zh-hans": replace(_CJK, preset="zh-hans", max_chars=16, max_cps=9.0),
    "zh-hant": replace(_CJK, preset="zh-hant", max_chars=16, max_cps=9.0),
    "ja": replace(_CJK, preset="ja", max_chars=13, max_cps=4.0),
    "ko": replace(_CJK, preset="ko", max_chars=16, max_cps=12.0),
    "ru": replace(_BASE, preset="ru", max_chars=39, max_cps=17.0),
    "fr": replace(_BASE, preset="fr"),
    "de": replace(_BASE, preset="de"),
    "es": replace(_BASE, preset="es"),
}

PRESET_NAMES: dict[str, str] = {
    "default": "Default (42 characters, 17 per second)",
    "en": "English, adult (Netflix)",
    "en-children": "English, children (Netflix)",
    "zh-hans": "Chinese, Simplified (Netflix)",
    "zh-hant": "Chinese, Traditional (Netflix)",
    "ja": "Japanese (Netflix)",
    "ko": "Korean (Netflix)",
    "ru": "Russian (Netflix)",
    "fr": "French (Netflix)",
    "de": "German (Netflix)",
    "es": "Spanish (Netflix)",
}

_TRADITIONAL_REGIONS = frozenset({"tw", "hk", "mo", "hant"})


def preset_for_language(language: str | None) -> str:
    """Return the id of the preset for a language code ("zh-TW" → "zh-hant"; unknown → "default")."""
    primary = primary_language(language)
    if primary is None:
        return "default"
    if primary in ("zh", "cmn", "wuu", "yue"):
        parts = set(language.lower().replace("_", "-").split("-")[1:])  # type: ignore[union-attr]
        return "zh-hant" if parts & _TRADITIONAL_REGIONS or primary == "yue" else "zh-hans"
    return primary if primary in PRESETS else "default"


# The preset of each language cjk_language_of answers (part_profile asks it for ~20k cues of a
# bilingual 100k-cue document: the code parsed once, not per cue).
_CJK_PRESETS = {code: preset_for_language(code) for code in ("zh", "ja", "ko")}


@record(frozen=True)
class TrackStyle:
    """What the user chose for one track: a preset id (or AUTO) and the limits they changed."""

    preset: str = AUTO
    overrides: Mapping[str, float] = field(default_factory=dict)


@record(frozen=True)
class StyleSettings:
    """The user's style choices for the source track and the translation."""

    source: TrackStyle = field(default_factory=TrackStyle)
    translation: TrackStyle = field(default_factory=TrackStyle)

    def track(self, track: str) -> TrackStyle:
        """Return the choice for "source" or "translation"."""
        return self.translation if track == TRANSLATION else self.source

    def with_track(self, track: str, style: TrackStyle) -> StyleSettings:
        """Return a copy with `track`'s choice replaced."""
        return replace(self, translation=style) if track == TRANSLATION else replace(self, source=style)

    def to_dict(self) -> dict[str, Any]:
        """Return plain data for a settings file (see `from_dict`)."""
        return {
            name: {"preset": style.preset, "overrides": dict(style.overrides)}
            for name, style in ((SOURCE, self.source), (TRANSLATION, self.translation))
        }

    @classmethod
    def from_dict(cls, data: object) -> StyleSettings:
        """Return settings from `to_dict` data; anything unreadable falls back to the default."""
        if not isinstance(data, dict):
            return cls()
        tracks: dict[str, TrackStyle] = {}
        for name in (SOURCE, TRANSLATION):
            raw = data.get(name)
            if not isinstance(raw, dict):
                continue
            preset = raw.get("preset")
            preset = preset if isinstance(preset, str) and (preset == AUTO or preset in PRESETS) else AUTO
            overrides = raw.get("overrides")
            clean = {}
            if isinstance(overrides, dict):
                for key, value in overrides.items():
                    number = isinstance(value, int | float) and not isinstance(value, bool)
                    if key in EDITABLE_FIELDS and number and value >= 0:
                        clean[key] = value
            tracks[name] = TrackStyle(preset, clean)
        return cls(**tracks)


DEFAULT_SETTINGS = StyleSettings()


def apply_overrides(profile: StyleProfile, overrides: Mapping[str, float]) -> StyleProfile:
    """Return `profile` with the user's changed limits (unknown names are ignored)."""
    changes = {k: _FIELD_TYPES[k](v) for k, v in overrides.items() if k in EDITABLE_FIELDS}
    return replace(profile, **changes) if changes else profile


def profile_for(
    language: str | None, settings: StyleSettings | None = None, track: str = SOURCE
) -> StyleProfile:
    """Return the profile for a track written in `language` under the user's `settings`.

    The track's preset is the user's choice, or with AUTO the preset of `language`;
    the limits the user changed apply on top.
    """
    style = (settings or DEFAULT_SETTINGS).track(track)
    preset = style.preset if style.preset in PRESETS else preset_for_language(language)
    return apply_overrides(PRESETS[preset], style.overrides)


def language_for_text(language: str | None, text: str) -> str | None:
    """Return `language`, or when it is unknown the CJK language `text`'s script shows (else None)."""
    if language:
        return language
    return cjk_language_of(text) if script_is_cjk(text) else None


def profile_for_text(
    language: str | None, text: str, settings: StyleSettings | None = None, track: str = SOURCE
) -> StyleProfile:
    """Return `profile_for` the track's language; when it is unknown, the script of `text` decides."""
    return profile_for(language_for_text(language, text), settings, track)


def default_profile(cjk: bool = False) -> StyleProfile:
    """Return the preset used when a track's language is unknown: the default, or for CJK text Chinese."""
    return PRESETS["zh-hans"] if cjk else PRESETS["default"]


def part_profile(profile: StyleProfile, part: str) -> StyleProfile:
    """Return the profile one part of a stacked bilingual cue is laid out and checked to: the
    track's `profile` when the part is of its kind of script (CJK or not), else the preset of
    the part's own script (Chinese/Japanese/Korean by its characters, else the default's 42).
    The part holding Chinese or Japanese characters is CJK even with Latin words in it."""
    # (ASCII first: an English part is told without a pattern scan of it)
    cjk = not part.isascii() and (IDEOGRAPHIC_RE.search(part) is not None or script_is_cjk(part))
    if cjk == profile.cjk:
        return profile
    return PRESETS[_CJK_PRESETS[cjk_language_of(part)] if cjk else "default"]


def stacked_profiles(text: str, profile: StyleProfile) -> list[tuple[str, StyleProfile]] | None:
    """Return [(part, its profile)] for a stacked bilingual cue (script.stacked_parts), else None.

    The one rule line layout, QC and the export linter share: each language of a stacked cue
    is its own block of lines, laid out and checked to its own script's profile (part_profile:
    up to that profile's lines of its width each, one line per part when it fits), so such a
    cue may have up to the two profiles' lines together (four with the presets) and no more.
    """
    parts = stacked_parts(text)
    if parts is None:
        return None
    first, second = parts
    return [(first, part_profile(profile, first)), (second, part_profile(profile, second))]
