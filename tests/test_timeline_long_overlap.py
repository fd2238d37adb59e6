"""Timeline: one cue stretched over thousands of others does not make a repaint rebuild a
whole-document summary (a fine zoom over a long document took 1.6-27 s per edit).

The cues that may reach into the view are then many (the long cue's start is far back), but
the cues really in view are few: they are drawn as blocks, the long one under the others.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from editor.core.edits import SetTimes
from editor.core.model import Document
from editor.qt.controller import Controller
from editor.qt.views import timeline as timeline_module
from editor.qt.views.timeline import TimelineView

N = 30_000  # cues of 1.5 s every 2 s: 1000 minutes


@pytest.fixture
def long_view(qtbot):
    doc = Document()
    for i in range(N):
        doc.append(doc.new_cue(i * 2000, i * 2000 + 1500, f"cue {i}"))
    view = TimelineView(Controller(doc))
    qtbot.addWidget(view)
    view.resize(1200, 160)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.mark.parametrize("lanes", [False, True])
def test_a_cue_over_ten_thousand_others_is_drawn_without_a_whole_document_level(long_view, lanes):
    view = long_view
    view.set_lanes_by_speaker(lanes)
    doc = view.controller.document
    mid = doc.cues[N // 2]
    view.set_scale(mid.start_ms - 1200 * 5, 10.0)  # 10 ms/px: 12 s around the middle
    long = doc.cues[N // 2 - 10_000]
    view.controller.apply(SetTimes({long.id: (long.start_ms, mid.end_ms + 60_000)}), "stretch")
    width, height = view.viewport().width(), view.viewport().height()
    image = view.render_to_image(width, height)
    index = view._ensure_index()
    lo, hi = index.bounds(*view._scale.visible_ms(width))
    assert hi - lo > 10_000  # the long cue makes every cue since its start a candidate
    # ... yet no bin level was built: at this zoom it would hold millions of bins.
    assert not index._levels
    assert index.level_bins(1, 3) > timeline_module.LEVEL_MAX_BINS
    # The long cue covers the whole view: no column of the lane's middle row is background.
    rect = view.cue_rect(long.id)
    y = int(rect.center().y())
    background = QColor(view.palette().base().color()).rgb()
    row = [image.pixel(x, y) for x in range(0, width, 7)]
    assert background not in row
    assert rect.left() < 0 and rect.right() > width  # drawn as a block reaching past both edges


def test_zoomed_out_many_cues_still_use_the_bin_level(long_view):
    view = long_view
    view.zoom_to_fit()
    view.render_to_image(view.viewport().width(), view.viewport().height())
    assert view._ensure_index()._levels  # O(width) summary of the 30k cues in view
