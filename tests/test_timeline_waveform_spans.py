"""With media loaded the timeline's cue blocks are see-through: the waveform shows inside
them, each block keeps a full-colour outline (its bounds). Checked on rendered pixels."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from editor.core.model import Document
from editor.qt.controller import Controller
from editor.qt.views.timeline import TimelineView
from editor.qt.views.timeline_geometry import luminance

MPP = 10.0  # ms per pixel


class FlatWave:
    """A waveform of constant loudness: peaks at ±0.5 everywhere."""

    def peaks(self, start_ms: int, end_ms: int, n_columns: int):
        return [(-0.5, 0.5)] * n_columns


@pytest.fixture
def timeline(qtbot):
    doc = Document()
    alice = doc.ensure_speaker("Alice")
    doc.append(doc.new_cue(1000, 3000, "one", speaker_id=alice.id))
    doc.append(doc.new_cue(5000, 7000, "two", speaker_id=alice.id))
    view = TimelineView(Controller(doc))
    qtbot.addWidget(view)
    view.resize(1000, 200)
    view.show()
    qtbot.waitExposed(view)
    view.set_scale(0, MPP)
    return view


def _rgb(color: QColor) -> tuple[int, int, int]:
    return color.red(), color.green(), color.blue()


def _render(view: TimelineView):
    return view.render_to_image(view.viewport().width(), view.viewport().height())


def test_waveform_shows_through_cue_blocks_with_their_bounds(timeline):
    cue = timeline.controller.document.cues[0]
    rect = timeline.cue_rect(cue.id)
    x = int(timeline.x_of(2700))  # right part of the block: clear of its text
    y_mid = int(rect.center().y())  # inside the waveform's ±0.5
    y_quiet = int(rect.top()) + 4  # inside the block, above the waveform
    x_left = round(rect.left())
    gap_x = int(timeline.x_of(4000))

    opaque = _render(timeline)
    fill = _rgb(opaque.pixelColor(x, y_mid))
    assert fill == _rgb(opaque.pixelColor(x, y_quiet))  # no waveform: one opaque fill

    timeline.set_waveform(FlatWave())
    shown = _render(timeline)
    wave_in_block = _rgb(shown.pixelColor(x, y_mid))
    washed = _rgb(shown.pixelColor(x, y_quiet))
    base = _rgb(timeline.palette().base().color())
    # The fill is translucent: between the speaker's colour and the background.
    assert luminance(washed) > luminance(fill) + 30 and washed != base
    # The waveform inside the block stands out from the block's fill, as it does in a gap.
    assert abs(luminance(washed) - luminance(wave_in_block)) > 60
    wave_in_gap = _rgb(shown.pixelColor(gap_x, y_mid))
    assert abs(luminance(base) - luminance(wave_in_gap)) > 60
    # The block's bounds: a line in the speaker's colour at its left edge, darker than its fill.
    edge = _rgb(shown.pixelColor(x_left, y_quiet))
    assert luminance(edge) < luminance(washed) - 40
    assert luminance(edge) <= luminance(fill)

    timeline.set_waveform(None)  # media unloaded: opaque blocks again
    assert _rgb(_render(timeline).pixelColor(x, y_mid)) == fill
