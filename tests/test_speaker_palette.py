"""Twenty speakers get twenty colours no two of which are close (CIELAB ΔE)."""

from __future__ import annotations

from editor.core.model import SPEAKER_COLORS, Document


def _lab(hex_colour: str) -> tuple[float, float, float]:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92 for c in rgb)
    x = (r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047
    y = r * 0.2126 + g * 0.7152 + b * 0.0722
    z = (r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883

    def f(v: float) -> float:
        return v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def test_the_palette_has_twenty_distinguishable_colours():
    assert len(SPEAKER_COLORS) >= 20
    labs = [_lab(c) for c in SPEAKER_COLORS]
    closest = min(
        sum((p - q) ** 2 for p, q in zip(a, b, strict=True)) ** 0.5
        for i, a in enumerate(labs)
        for b in labs[i + 1 :]
    )
    assert closest >= 20


def test_twenty_speakers_added_to_a_document_get_twenty_colours():
    doc = Document()
    assert len({doc.ensure_speaker(f"Person {n}").color for n in range(20)}) == 20
