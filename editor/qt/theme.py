"""Colours that stay readable in light and dark palettes.

The views draw on the system palette (Base, Text, Window…). Where they add a colour of their
own, a tint for a QC problem or a warning text, a light-palette pick is unreadable on a dark
palette (pale pink behind white text, dark brown text on a dark base). Each colour here
therefore has a light and a dark variant, chosen by the lightness of the palette in force at
the time it is asked for, so a palette change at run time is followed by the next repaint.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

# (light palette, dark palette). Light tints are pale behind dark text; dark tints are deep
# behind light text. Both keep a contrast ratio of at least 7:1 with the palette's text.
_TINTS: dict[str, tuple[str, str]] = {
    "error": ("#f7c6c6", "#6b2323"),
    "warning": ("#fbe3b5", "#5c4313"),
    "info": ("#dbe8f7", "#243c5c"),
    "invalid": ("#f4b6b6", "#7a1f1f"),
}
# Text colours used on the palette's own Window/Base background.
_TEXTS: dict[str, tuple[str, str]] = {
    "error": ("#b00000", "#ff8a80"),
    "warning": ("#8a4b00", "#ffc46b"),
    "estimated": ("#7a5c00", "#e8c15a"),
    "reviewed": ("#1b6e20", "#81c784"),
}
# Where Align to Audio took a cue's times from: a strip along the foot of its timeline block
# (strong colours that stand out on any speaker's fill).
_TIME_SOURCES: dict[str, tuple[str, str]] = {
    "speech": ("#1b7f3b", "#5fd38a"),
    "pauses": ("#c77700", "#ffb347"),
    "unaligned": ("#c0392b", "#ff7b6b"),
}


def palette() -> QPalette:
    """Return the application's current palette (a default one before any app exists)."""
    app = QGuiApplication.instance()
    return QGuiApplication.palette() if app is not None else QPalette()


def is_dark(pal: QPalette | None = None) -> bool:
    """Return True when the palette draws light text on a dark background."""
    pal = pal or palette()
    base = pal.color(QPalette.ColorRole.Base)
    text = pal.color(QPalette.ColorRole.Text)
    return base.lightness() < text.lightness()


def _pick(table: dict[str, tuple[str, str]], name: str, pal: QPalette | None) -> QColor:
    light, dark = table[name]
    return QColor(dark if is_dark(pal) else light)


def tint(name: str, pal: QPalette | None = None) -> QColor:
    """Return the background tint `name` ("error", "warning", "info", "invalid") for this palette."""
    return _pick(_TINTS, name, pal)


def text_color(name: str, pal: QPalette | None = None) -> QColor:
    """Return the text colour `name` ("error", "warning", "estimated", "reviewed") for this palette."""
    return _pick(_TEXTS, name, pal)


def time_source_color(name: str, pal: QPalette | None = None) -> QColor:
    """Return the timeline mark of a time source `name` ("speech", "pauses", "unaligned")."""
    return _pick(_TIME_SOURCES, name, pal)


def muted_text(pal: QPalette | None = None) -> QColor:
    """Return a secondary text colour: the palette's text halfway towards its background."""
    pal = pal or palette()
    text = pal.color(QPalette.ColorRole.WindowText)
    back = pal.color(QPalette.ColorRole.Window)
    return QColor(
        (text.red() * 3 + back.red() * 2) // 5,
        (text.green() * 3 + back.green() * 2) // 5,
        (text.blue() * 3 + back.blue() * 2) // 5,
    )


def label_style(name: str, pal: QPalette | None = None) -> str:
    """Return a QLabel style sheet that colours its text with text_color(name)."""
    return f"QLabel {{ color: {text_color(name, pal).name()}; }}"


def invalid_field_style(widget: str = "QLineEdit", pal: QPalette | None = None) -> str:
    """Return the style sheet that marks an input field holding a value that was refused."""
    back = tint("invalid", pal).name()
    fore = "#ffffff" if is_dark(pal) else "#5a0000"
    return f"{widget} {{ background: {back}; color: {fore}; }}"


def readable_on(color: QColor, background: QColor, minimum: float = 4.5) -> QColor:
    """Return `color`, lightened or darkened in steps until it reaches `minimum` contrast on `background`.

    Speaker colours are picked for blocks on the timeline; as text on a dark window some are too dark.
    """
    result = QColor(color)
    lighten = background.lightnessF() < 0.5
    for _ in range(20):
        if contrast_ratio(result, background) >= minimum:
            break
        result = result.lighter(115) if lighten else result.darker(115)
        if lighten and result.lightness() >= 250:
            return QColor("#ffffff")
    return result


def contrast_ratio(first: QColor, second: QColor) -> float:
    """Return the WCAG 2 contrast ratio of two colours (1.0 … 21.0)."""

    def luminance(color: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(color.redF())
            + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF())
        )

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)
