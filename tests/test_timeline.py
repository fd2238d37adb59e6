"""Timeline: geometry maths (pure) and the widget driven with pytest-qt (offscreen)."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtWidgets import QApplication

from editor.core.edits import SetTimes, set_field
from editor.core.model import Document, Timing
from editor.qt.controller import Controller
from editor.qt.views.timeline import TimelineView
from editor.qt.views.timeline_geometry import (
    CODE_BG,
    HATCH_BIT,
    MIN_DURATION_MS,
    MIN_GAP_MS,
    ColumnLevel,
    CueIndex,
    LaneLayout,
    Neighbours,
    Part,
    TimeScale,
    build_lut,
    columns_direct,
    display_lines,
    display_text,
    drag_times,
    fill_code,
    format_tick,
    pick,
    snap,
    snap_targets,
    tick_steps,
    ticks,
)

# -- geometry -------------------------------------------------------------------------------


def test_time_scale_maps_both_ways_and_zoom_keeps_the_anchor():
    scale = TimeScale(1000.0, 10.0)
    assert scale.ms_to_x(1500) == 50
    assert scale.x_to_ms(50) == 1500
    zoomed = scale.zoomed(2.0, 50, 0.25, 1000)
    assert zoomed.ms_per_px == 5.0
    assert zoomed.x_to_ms(50) == pytest.approx(1500)
    # Clamped at both ends.
    assert scale.zoomed(1000, 0, 0.25, 1000).ms_per_px == 0.25
    assert scale.zoomed(1e-6, 0, 0.25, 1000).ms_per_px == 1000


@pytest.mark.parametrize("mpp", [0.25, 1, 7, 50, 333, 2000, 60_000, 500_000])
def test_ruler_ticks_adapt_to_the_zoom(mpp):
    major, minor = tick_steps(mpp)
    assert major % minor == 0
    assert major / mpp >= 90 or major == 120 * 3_600_000  # labels never crowd
    scale = TimeScale(12_345, mpp)
    tks = ticks(scale, 1600)
    assert tks and all(t % minor == 0 for t, _ in tks)
    assert all(is_major == (t % major == 0) for t, is_major in tks)
    assert tks[0][0] >= 0 and scale.ms_to_x(tks[0][0]) > -minor / mpp


def test_tick_labels_show_the_needed_precision():
    assert format_tick(5_000, 5_000) == "0:05"
    assert format_tick(3_750_000, 60_000) == "1:02:30"
    assert format_tick(1_500, 500) == "0:01.5"
    assert format_tick(250, 50) == "0:00.25"
    assert format_tick(1_002, 2) == "0:01.002"


def test_tooltip_shows_cue_text_literally(timeline):
    view = timeline
    view.controller.apply(set_field(2, "text", "<b>x</b><img src=y>\nA & B"), "Edit")
    tip = view.tooltip_html(2)
    assert "x&lt;img src=y&gt;<br>A &amp; B" in tip
    assert "<img" not in tip and "<b>" not in tip
    assert "Bob:" in tip and "0:03.000 – 0:04.000" in tip


def test_cue_text_is_prepared_as_plain_text_never_html():
    assert display_text("<b>x</b><img src=y>") == "x<img src=y>"
    assert display_text("<i>one</i>\ntwo &amp; <u>three</u>") == "one / two &amp; three"
    lines = display_lines("<b>Hi</b>\n\n<font color=red>there</font>\t!")
    assert lines == ["Hi", "<font color=red>there</font> !"]


def _random_index(seed: int, n: int = 400) -> tuple[Document, CueIndex]:
    rng = random.Random(seed)
    doc = Document()
    for _ in range(n):
        s = rng.randrange(0, 200_000)
        d = rng.choice([1, 500, 2000, 5000, 90_000])  # some very long cues overlap many others
        doc.append(doc.new_cue(s, s + d, "x"))
    return doc, CueIndex.build(doc)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_visible_range_is_exact_with_overlapping_and_long_cues(seed):
    doc, index = _random_index(seed)
    rng = random.Random(seed * 7)
    for _ in range(200):
        t0 = rng.uniform(-1000, 210_000)
        t1 = t0 + rng.choice([1, 100, 5000, 50_000])
        got = sorted(index.ids[index.visible(t0, t1)].tolist())
        want = sorted(c.id for c in doc.cues if c.end_ms >= t0 and c.start_ms <= t1)
        assert got == want


def test_index_refresh_follows_time_edits():
    doc, index = _random_index(4, 50)
    cue = doc.cues[10]
    cue.start_ms, cue.end_ms = 300_000, 301_000
    index.refresh(doc, [cue.id])
    assert np.all(np.diff(index.starts) >= 0)
    assert cue.id in index.ids[index.visible(300_500, 300_600)].tolist()
    assert index.ids[index.position(cue.id)] == cue.id


def test_neighbours_ignore_cues_that_already_overlap():
    doc = Document()
    a = doc.new_cue(0, 1000)
    b = doc.new_cue(2000, 3000)
    c = doc.new_cue(2500, 2600)  # overlaps b
    d = doc.new_cue(5000, 6000)
    for cue in (a, b, c, d):
        doc.append(cue)
    index = CueIndex.build(doc)
    assert index.neighbours(b.id) == Neighbours(1000, 5000)
    assert index.neighbours(a.id) == Neighbours(None, 2000)


def test_drag_right_edge_snaps_and_keeps_the_minimum_gap():
    nb = Neighbours(prev_end=0, next_start=5000)
    targets = snap_targets([5000], playhead_ms=None)
    # Dragged to 4950 (50 ms before the next cue): snaps to one gap before it.
    assert drag_times(Part.RIGHT, (1000, 3000), 1950, nb, targets, 80) == (1000, 5000 - MIN_GAP_MS)
    # Dragged past the next cue: clamped at the gap, never over it.
    assert drag_times(Part.RIGHT, (1000, 3000), 9000, nb, targets, 80) == (1000, 5000 - MIN_GAP_MS)
    # Dragged across its own start: clamped to the minimum duration (end > start).
    assert drag_times(Part.RIGHT, (1000, 3000), -5000, nb) == (1000, 1000 + MIN_DURATION_MS)


def test_drag_left_edge_and_body():
    nb = Neighbours(prev_end=500, next_start=5000)
    assert drag_times(Part.LEFT, (1000, 3000), -2000, nb) == (500 + MIN_GAP_MS, 3000)
    assert drag_times(Part.LEFT, (1000, 3000), 5000, nb) == (3000 - MIN_DURATION_MS, 3000)
    assert drag_times(Part.LEFT, (100, 3000), -5000, Neighbours()) == (0, 3000)
    # The body keeps the duration and stops at either neighbour's gap.
    assert drag_times(Part.BODY, (1000, 3000), 10_000, nb) == (5000 - MIN_GAP_MS - 2000, 5000 - MIN_GAP_MS)
    assert drag_times(Part.BODY, (1000, 3000), -10_000, nb) == (500 + MIN_GAP_MS, 2500 + MIN_GAP_MS)
    # Snapping to the playhead with the end edge.
    assert drag_times(Part.BODY, (1000, 3000), 430, nb, [3500.0], 80) == (1500, 3500)
    # A cue already closer than the gap to its neighbour is not pushed away by a small drag.
    tight = Neighbours(prev_end=980, next_start=None)
    assert drag_times(Part.BODY, (1000, 2000), 10, tight) == (1010, 2010)
    assert drag_times(Part.BODY, (1000, 2000), -10, tight) == (1000, 2000)


def test_snap_picks_the_nearest_target_within_tolerance():
    assert snap(103, [0, 100, 110], 5) == (100, 3)
    assert snap(107, [0, 100, 110], 5) == (110, 3)
    assert snap(150, [0, 100, 110], 5) == (150, None)


def test_pick_prefers_edges_then_the_topmost_body():
    blocks = [(1, 0.0, 100.0), (2, 102.0, 200.0)]
    assert pick(50, blocks) == (1, Part.BODY)
    assert pick(2, blocks) == (1, Part.LEFT)
    assert pick(99, blocks) == (1, Part.RIGHT)
    assert pick(103, blocks) == (2, Part.LEFT)  # nearest edge of two abutting blocks
    assert pick(300, blocks) is None
    assert pick(150, [(1, 0.0, 300.0), (2, 100.0, 200.0)]) == (2, Part.BODY)


def test_lane_layout_splits_the_height():
    layout = LaneLayout(200, 3)
    spans = [layout.lane_span(i) for i in range(3)]
    assert spans[0][0] == layout.ruler_px + layout.margin_px
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert layout.lane_at(5) is None
    assert [layout.lane_at((y0 + y1) / 2) for y0, y1 in spans] == [0, 1, 2]


def test_column_level_agrees_with_the_direct_summary():
    _doc, index = _random_index(5, 3000)
    w = 800
    scale = TimeScale(0, 300_000 / w)
    direct = columns_direct(index, index.visible(0, 300_000), None, 1, scale, w)
    level = ColumnLevel(index, None, 1, int(np.log2(scale.ms_per_px))).columns(scale, w)
    # Bins are at most one column wide, so edges may differ by one column at most.
    diff = direct.cover[0] != level.cover[0]
    assert diff.sum() <= 0.02 * w
    assert direct.cover.sum() > 0


def test_lut_hatch_bit_darkens_the_fill():
    lut = build_lut([(78, 121, 167)], [False], (255, 255, 255), (240, 240, 240))
    plain = int(lut[fill_code(0)])
    hatched = int(lut[fill_code(0) | HATCH_BIT])
    assert plain == 0xFF4E79A7
    assert hatched != plain and (hatched & 0xFF) < (plain & 0xFF)
    assert int(lut[CODE_BG]) == 0xFFFFFFFF


# -- the widget -------------------------------------------------------------------------------

MPP = 10.0  # 10 ms per pixel in the widget tests


@pytest.fixture
def timeline(qtbot):
    doc = Document()
    alice = doc.ensure_speaker("Alice")
    bob = doc.ensure_speaker("Bob")
    doc.append(doc.new_cue(1000, 2000, "<b>one</b>", speaker_id=alice.id))
    doc.append(doc.new_cue(3000, 4000, "two", speaker_id=bob.id))
    doc.append(doc.new_cue(6000, 7000, "three", speaker_id=alice.id, timing=Timing.ESTIMATED))
    doc.append(doc.new_cue(3700, 5000, "overlap", speaker_id=alice.id))
    controller = Controller(doc)
    view = TimelineView(controller)
    qtbot.addWidget(view)
    view.resize(1000, 180)
    view.show()
    qtbot.waitExposed(view)
    view.set_scale(0, MPP)
    return view


def _render(view: TimelineView):
    return view.render_to_image(view.viewport().width(), view.viewport().height())


def _center(view: TimelineView, cue_id: int) -> QPoint:
    return view.cue_rect(cue_id).center().toPoint()


def _drag(qtbot, view, start: QPoint, end: QPoint, *, release: bool = True) -> None:
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    mid = QPoint((start.x() + end.x()) // 2, start.y())
    qtbot.mouseMove(vp, mid)
    qtbot.mouseMove(vp, end)
    if release:
        qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)


def test_dragging_the_right_edge_retimes_through_one_undoable_edit(qtbot, timeline):
    view = timeline
    doc = view.controller.document
    before = doc.snapshot()
    rect = view.cue_rect(1)
    y = int(rect.center().y())
    _drag(qtbot, view, QPoint(int(rect.right()) - 1, y), QPoint(int(rect.right()) + 49, y))
    cue = doc.cue(1)
    assert cue.start_ms == 1000
    assert 2450 <= cue.end_ms <= 2550  # moved ~50 px at 10 ms/px
    stack = view.controller.undo_stack
    assert stack.count() == 1 and stack.undoText() == "Retime cue"
    stack.undo()
    assert doc.snapshot() == before
    assert view.cue_rect(1).right() == pytest.approx(view.x_of(2000))


def test_moving_a_body_keeps_duration_and_stops_at_the_minimum_gap(qtbot, timeline):
    view = timeline
    doc = view.controller.document
    start = QPoint(int(view.x_of(3200)), _center(view, 2).y())  # cue 2: 3000-4000, cue 1 ends at 2000
    _drag(qtbot, view, start, start - QPoint(300, 0))  # 3 s to the left
    cue = doc.cue(2)
    assert (cue.start_ms, cue.end_ms) == (2000 + MIN_GAP_MS, 3000 + MIN_GAP_MS)
    assert view.controller.undo_stack.undoText() == "Move cue"


def test_moving_a_body_snaps_to_the_playhead(qtbot, timeline):
    view = timeline
    doc = view.controller.document
    view.set_playhead_ms(8500)
    start = _center(view, 3)  # cue 3: 6000-7000
    _drag(qtbot, view, start, start + QPoint(146, 0))  # end would land at 8460: 4 px from the playhead
    cue = doc.cue(3)
    assert (cue.start_ms, cue.end_ms) == (7500, 8500)


def test_dragging_past_the_view_edge_scrolls(qtbot, timeline):
    view = timeline
    view.set_scale(0, 5.0)  # 0-5 s visible at 1000 px
    w = view.viewport().width()
    start = QPoint(int(view.x_of(1500)), _center(view, 1).y())  # cue 1: 1000-2000
    _drag(qtbot, view, start, QPoint(w - 2, start.y()), release=False)
    assert view.scale().origin_ms > 0  # scrolled right
    end = QPoint(w - 2, start.y())
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    cue = view.controller.document.cue(1)
    assert cue.end_ms - cue.start_ms == 1000
    # Moved by the pointer's travel in time, scrolling included, stopped by cue 2's gap.
    assert cue.end_ms == 3000 - MIN_GAP_MS


def test_drag_previews_live_and_escape_cancels(qtbot, timeline):
    view = timeline
    doc = view.controller.document
    start = _center(view, 3)
    _drag(qtbot, view, start, start + QPoint(100, 0), release=False)
    assert view.is_dragging()
    assert view.cue_rect(3).left() == pytest.approx(view.x_of(7000), abs=1)  # live preview
    assert doc.cue(3).start_ms == 6000  # the document is untouched until release
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(100, 0))
    assert not view.is_dragging()
    assert doc.cue(3).start_ms == 6000
    assert view.controller.undo_stack.count() == 0


def test_click_selects_and_selection_is_shared_both_ways(qtbot, timeline):
    view = timeline
    ctl = view.controller
    vp, left = view.viewport(), Qt.MouseButton.LeftButton
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    qtbot.mouseClick(vp, left, pos=_center(view, 1))
    assert ctl.selected_ids == [1] and ctl.current_id == 1
    qtbot.mouseClick(vp, left, ctrl, _center(view, 3))
    assert sorted(ctl.selected_ids) == [1, 3]
    qtbot.mouseClick(vp, left, ctrl, _center(view, 3))
    assert ctl.selected_ids == [1]
    qtbot.mouseClick(vp, left, shift, _center(view, 2))
    assert sorted(ctl.selected_ids) == [1, 2]  # time order from cue 1 to cue 2
    # A plain click on a member of a multi-selection selects just that cue.
    qtbot.mouseClick(vp, left, pos=_center(view, 2))
    assert ctl.selected_ids == [2]
    # The other way: a selection made elsewhere (the table) shows here and scrolls into view.
    ctl.select([3], 3)
    assert view.block_style(3).selected and view.block_style(3).current
    assert not view.block_style(1).selected
    view.set_scale(60_000, MPP)
    ctl.select([2], 2)
    lo, hi = view.scale().visible_ms(view.viewport().width())
    assert lo <= 3000 <= hi
    # Clicking empty space clears the selection.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(view.viewport().width() - 3, 100))
    assert ctl.selected_ids == []


def test_selected_block_is_drawn_highlighted(timeline):
    view = timeline
    rect = view.cue_rect(2)
    x, y = int(rect.left()) + 1, int(rect.center().y())
    before = _render(view).pixelColor(x, y)
    view.controller.select([2], 2)
    after = _render(view).pixelColor(x, y)
    assert before != after
    assert after.lightness() < 60  # the dark selection border


def test_double_click_requests_editing(qtbot, timeline):
    view = timeline
    with qtbot.waitSignal(view.edit_requested) as sig:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_center(view, 2))
    assert sig.args == [2]


def test_ruler_click_seeks_and_moves_the_playhead(qtbot, timeline):
    view = timeline
    with qtbot.waitSignal(view.seek_requested) as sig:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(250, 8))
    assert sig.args == [2500]
    assert view.playhead_ms() == 2500
    assert view.controller.selected_ids == []


def test_estimated_cues_are_hatched(timeline):
    view = timeline
    img = _render(view)

    def interior_colors(cue_id: int) -> set[int]:
        # A row near the bottom of the block, below the text line.
        r = view.cue_rect(cue_id).adjusted(4, 4, -4, -4)
        return {img.pixel(x, int(r.bottom()) - 1) for x in range(int(r.left()), int(r.right()))}

    assert len(interior_colors(1)) == 1  # exact timing: one flat fill
    hatched = interior_colors(3)
    assert len(hatched) >= 2  # fill and the diagonal hatch lines
    assert view.block_style(3).hatched and not view.block_style(1).hatched


def test_blocks_are_coloured_by_speaker_and_dimmed_by_the_filter(timeline):
    view = timeline
    doc = view.controller.document
    rect = view.cue_rect(2)
    px = QPoint(int(rect.left()) + 3, int(rect.bottom()) - 3)
    assert _render(view).pixelColor(px) == QColor(doc.speakers["s2"].color)
    view.set_filter_speaker("s1")
    dimmed = _render(view).pixelColor(px)
    assert dimmed.lightness() > QColor(doc.speakers["s2"].color).lightness()
    assert view.block_style(2).dimmed and not view.block_style(1).dimmed


def test_overlap_is_drawn_red_on_the_ruler(timeline):
    view = timeline
    img = _render(view)
    ruler_y = 22 - 2
    in_overlap = img.pixelColor(int(view.x_of(3750)), ruler_y)
    outside = img.pixelColor(int(view.x_of(2500)), ruler_y)
    assert in_overlap.red() > 180 and in_overlap.green() < 80
    assert outside != in_overlap


def test_zoom_keys_wheel_and_scrolling(qtbot, timeline):
    view = timeline
    view.set_playhead_ms(3000)
    before = view.ms_per_px()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.ms_per_px() < before
    assert view.x_of(3000) == pytest.approx(300)  # zoomed around the playhead
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.ms_per_px() > before
    # Ctrl+wheel zooms around the mouse.
    view.set_scale(0, MPP)
    at = QPointF(400, 100)
    t_at = view.ms_at(400)
    ev = QWheelEvent(
        at,
        view.viewport().mapToGlobal(at),
        QPoint(),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), ev)
    assert view.ms_per_px() < MPP
    assert view.ms_at(400) == pytest.approx(t_at)
    # A plain wheel scrolls, and the scroll bar follows.
    view.set_scale(0, 1.0)
    ev = QWheelEvent(
        at,
        view.viewport().mapToGlobal(at),
        QPoint(),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), ev)
    assert view.scale().origin_ms > 0
    assert view.horizontalScrollBar().value() == int(view.scale().origin_ms)
    view.horizontalScrollBar().setValue(1500)
    assert view.scale().origin_ms == 1500


def test_a_very_long_document_still_scrolls(qtbot):
    doc = Document()
    doc.append(doc.new_cue(0, 1000, "first"))
    doc.append(doc.new_cue(3_000_000_000, 3_000_001_000, "after 833 hours"))
    view = TimelineView(Controller(doc))
    qtbot.addWidget(view)
    view.resize(800, 150)
    view.show()
    view.ensure_visible(3_000_000_500)
    assert view.scale().visible_ms(view.viewport().width())[1] > 3_000_000_500
    bar = view.horizontalScrollBar()
    assert bar.value() <= bar.maximum() < 2**31
    bar.setValue(0)
    assert view.scale().origin_ms == 0


def test_ensure_visible_scrolls_only_when_needed(timeline):
    view = timeline
    view.ensure_visible(3000)
    assert view.scale().origin_ms == 0
    view.controller.document.metadata.duration_ms = 600_000
    view.ensure_visible(300_000)
    lo, hi = view.scale().visible_ms(view.viewport().width())
    assert lo < 300_000 < hi


def test_lanes_by_speaker_separate_overlapping_speech(timeline):
    view = timeline
    assert view.cue_rect(2).top() == view.cue_rect(4).top()  # one lane: same row
    view.set_lanes_by_speaker(True)
    assert view.cue_rect(2).top() != view.cue_rect(4).top()  # Bob and Alice in their own lanes
    assert view.cue_rect(1).top() == view.cue_rect(4).top()  # both Alice
    assert view.hit(view.cue_rect(2).center().x(), view.cue_rect(2).center().y()) == (2, Part.BODY)


def test_edits_from_elsewhere_update_the_timeline(timeline):
    view = timeline
    ctl = view.controller
    ctl.apply(SetTimes({1: (8000, 9000)}), "Set times")
    r = view.cue_rect(1)
    assert r.left() == pytest.approx(800)
    assert view.hit(r.center().x(), r.center().y()) == (1, Part.BODY)
    ctl.apply(set_field(1, "timing", Timing.ESTIMATED), "Estimate")
    assert view.block_style(1).hatched
    ctl.undo_stack.undo()
    ctl.undo_stack.undo()
    assert view.cue_rect(1).left() == pytest.approx(100)


def test_waveform_provider_is_painted_under_the_blocks(timeline):
    view = timeline
    calls = []

    class Flat:
        def peaks(self, start_ms, end_ms, n_columns):
            calls.append((start_ms, end_ms, n_columns))
            return [(-0.5, 0.5)] * n_columns

    plain = _render(view)
    view.set_waveform(Flat())
    with_wave = _render(view)
    assert calls and calls[-1] == (0, int(MPP * view.viewport().width()), view.viewport().width())
    gap_x = int(view.x_of(5500))  # between cues: background shaded by the waveform
    mid_y = int(view.cue_rect(1).center().y())
    assert plain.pixelColor(gap_x, mid_y) != with_wave.pixelColor(gap_x, mid_y)
    view.set_waveform(None)
    assert _render(view).pixelColor(gap_x, mid_y) == plain.pixelColor(gap_x, mid_y)


def test_many_cues_are_aggregated_per_column(qtbot):
    doc = Document()
    sp = doc.ensure_speaker("A")
    for i in range(30_000):
        doc.append(doc.new_cue(i * 1000, i * 1000 + 800, f"c{i}", speaker_id=sp.id if i % 2 else None))
    ctl = Controller(doc)
    view = TimelineView(ctl)
    qtbot.addWidget(view)
    view.resize(800, 150)
    view.show()
    ctl.select([doc.cues[15_000].id])
    for lanes in (False, True):
        view.set_lanes_by_speaker(lanes)
        view.zoom_to_fit()
        img = view.render_to_image(800, 150)
        y = int(view.cue_rect(doc.cues[1].id).center().y())
        colors = {img.pixelColor(x, y).name() for x in range(0, 780, 7)}
        assert QColor(sp.color).name() in colors or len(colors) > 1
        view.set_scale(0, 500)  # ~60 cues in view: still aggregated per column
        view.render_to_image(800, 150)


def _assert_index_matches_document(view: TimelineView) -> None:
    index = view._ensure_index()
    fresh = CueIndex.build(view.controller.document)

    def rows(ix: CueIndex) -> list:
        cols = (ix.ids, ix.starts, ix.ends, ix.speaker)
        return sorted(zip(*(c.tolist() for c in cols), strict=True))

    assert rows(index) == rows(fresh)
    assert np.all(np.diff(index.starts) >= 0)


def test_inserts_removals_and_speaker_changes_keep_the_timeline_in_step(timeline):
    from editor.core.edits import Batch, InsertCues, RemoveCues, SetSpeakers
    from editor.core.model import Speaker

    view = timeline
    ctl = view.controller
    doc = ctl.document
    _render(view)  # the index exists, so the changes below are applied to it incrementally
    index = view._index
    new = doc.new_cue(8000, 9000, "new", speaker_id="s2")
    ctl.apply(Batch([InsertCues([(doc.insertion_row(8000), new)]), SetTimes({1: (500, 900)})]), "Insert")
    _assert_index_matches_document(view)
    assert view.hit(view.x_of(8500), view.cue_rect(new.id).center().y()) == (new.id, Part.BODY)
    ctl.apply(RemoveCues([2]), "Delete")
    _assert_index_matches_document(view)
    ctl.undo_stack.undo()
    ctl.undo_stack.undo()
    _assert_index_matches_document(view)
    assert view._index is index  # updated in place, never rebuilt from the cue objects
    # Recolouring a speaker repaints its blocks in the new colour.
    rect = view.cue_rect(2)
    px = QPoint(int(rect.left()) + 3, int(rect.bottom()) - 3)
    ctl.apply(SetSpeakers([doc.speakers["s1"], Speaker("s2", "Bob", "#00ff00")]), "Recolour")
    assert _render(view).pixelColor(px) == QColor("#00ff00")
    # A new speaker numbering (a speaker removed) renumbers the index in place: Alice's cues
    # (still naming her id) now have no known speaker, as in a fresh build.
    assert view._index is index
    ctl.apply(SetSpeakers([Speaker("s2", "Bob", "#00ff00")]), "Remove Alice")
    assert view._index is index
    _assert_index_matches_document(view)
    ctl.undo_stack.undo()  # Alice back: her cues, dangling meanwhile, get her slot again
    assert view._index is index
    _assert_index_matches_document(view)


def test_retimed_index_equals_a_fresh_build_after_shifting_times():
    doc, index = _random_index(5, 300)
    speakers = [doc.ensure_speaker(name).id for name in ("A", "B")]
    for i, cue in enumerate(doc.cues):
        cue.speaker_id = speakers[i % 2] if i % 3 else None
        cue.timing = Timing.ESTIMATED if i % 5 == 0 else Timing.EXACT
    index = CueIndex.build(doc)
    rng = random.Random(9)
    for cue in doc.cues:  # every cue moves, some past their neighbours
        cue.start_ms += rng.randrange(-5000, 5000) + 10_000
        cue.end_ms = cue.start_ms + rng.randrange(0, 4000)
    retimed = index.retimed(doc)
    fresh = CueIndex.build(doc)
    for name in ("starts", "ends", "ids", "speaker", "estimated", "prev_max_end"):
        assert np.array_equal(getattr(retimed, name), getattr(fresh, name)), name
    assert retimed.position(doc.cues[7].id) == fresh.position(doc.cues[7].id)


def test_retimed_refuses_a_document_with_other_cues():
    doc, index = _random_index(6, 50)
    doc.append(doc.new_cue(1, 2, "new"))
    with pytest.raises(KeyError):
        index.retimed(doc)


def test_prebuilt_index_is_handed_over_once_and_only_for_its_document():
    doc, _ = _random_index(7, 30)
    other, _ = _random_index(8, 30)
    CueIndex.prebuild(doc)
    assert CueIndex.take_prebuilt(other) is None
    index = CueIndex.take_prebuilt(doc)
    assert index is not None and len(index) == 30
    assert CueIndex.take_prebuilt(doc) is None


def test_timeline_uses_the_prebuilt_index_of_an_opened_document(qtbot):
    doc, _ = _random_index(10, 40)
    CueIndex.prebuild(doc)
    controller = Controller()
    view = TimelineView(controller)
    qtbot.addWidget(view)
    controller.set_document(doc)
    assert CueIndex.take_prebuilt(doc) is None  # the view took it
    assert view.cues_end_ms() == doc.duration_ms


def test_shifting_many_cues_moves_the_blocks_and_undo_moves_them_back(qtbot):
    from editor.core import operations

    doc = Document()
    for i in range(3000):  # more than the incremental limit: the index is re-timed
        doc.append(doc.new_cue(i * 1000, i * 1000 + 800, f"cue {i}"))
    controller = Controller(doc)
    view = TimelineView(controller)
    qtbot.addWidget(view)
    view.resize(800, 150)
    view.show()
    view.set_scale(0, 10.0)
    first = doc.cues[0].id
    before = view.cue_rect(first)
    controller.apply(operations.shift_cues(doc, None, 2000), "shift all")
    _render(view)
    assert view.cue_rect(first).left() == pytest.approx(before.left() + 200)
    assert view.cues_end_ms() == doc.duration_ms
    fresh = CueIndex.build(doc)
    assert np.array_equal(view._ensure_index().starts, fresh.starts)
    controller.undo_stack.undo()
    _render(view)
    assert view.cue_rect(first).left() == pytest.approx(before.left())
    assert view.cues_end_ms() == doc.duration_ms


def test_scroll_bar_hides_while_everything_is_in_view_and_the_canvas_keeps_its_place(qtbot, timeline):
    # A slider as long as its track is the most expensive part of a repaint at the fit-all
    # zoom; hidden then, its height is kept as a margin so the canvas does not jump.
    timeline.zoom_to_fit()
    qtbot.wait(20)
    bar = timeline.horizontalScrollBar()
    fit_geometry = timeline.viewport().geometry()
    assert bar.maximum() == 0 and not bar.isVisible()
    timeline.set_scale(1000, 1.0)  # 1 ms per pixel: the cues no longer fit
    qtbot.wait(20)
    assert bar.maximum() > 0 and bar.isVisible()
    assert timeline.viewport().geometry() == fit_geometry
    timeline.zoom_to_fit()
    qtbot.wait(20)
    assert not bar.isVisible() and timeline.viewport().geometry() == fit_geometry


def test_index_speaker_slots_with_and_without_a_speaker_table():
    """A cue's speaker slot is its speaker's place in the table, -1 for none or an id the table
    lacks; with no table at all (the usual SRT) every slot is -1 without reading the cues."""
    from editor.core.model import Speaker

    doc = Document(speakers=[Speaker("s1", "Ann"), Speaker("s2", "Bo")])
    for i, sid in enumerate(["s2", None, "s1", "gone", "s2"]):
        doc.append(doc.new_cue(i * 1000, i * 1000 + 500, "x", speaker_id=sid))
    index = CueIndex.build(doc)
    assert index.speaker_ids == ["s1", "s2"]
    assert index.speaker.tolist() == [1, -1, 0, -1, 1]
    bare = Document()
    for i, sid in enumerate(["s2", None, "gone"]):
        bare.append(bare.new_cue(i * 1000, i * 1000 + 500, "x", speaker_id=sid))
    index = CueIndex.build(bare)
    assert index.speaker.tolist() == [-1, -1, -1] and index.speaker.dtype == np.int32


def test_positions_by_id_agree_with_a_search_of_the_ids():
    doc, index = _random_index(11, 300)
    for cue in doc.cues:
        assert index.position(cue.id) == index.position_plain(cue.id)
    ids = [c.id for c in doc.cues]
    assert index.positions(ids).tolist() == [index.position_plain(i) for i in ids]
    for absent in (-1, 10**9, max(c.id for c in doc.cues) + 1):
        with pytest.raises(KeyError):
            index.position(absent)
        with pytest.raises(KeyError):
            index.positions([ids[0], absent])
        with pytest.raises(KeyError):
            index.position_plain(absent)
    # Ids too sparse for an array by id: a dict answers the same.
    for i, cue in enumerate(doc.cues):
        cue.id = 10**7 * (i + 1)
    sparse = CueIndex.build(doc)
    assert all(sparse.position(c.id) == sparse.position_plain(c.id) for c in doc.cues)
    sparse_ids = [c.id for c in doc.cues]
    assert sparse.positions(sparse_ids).tolist() == [sparse.position_plain(i) for i in sparse_ids]


def test_fill_paints_the_pixels_fill_rect_paints(qtbot):
    """timeline._fill (drawRect without a pen) against QPainter.fillRect, the plain way: empty,
    negative and off-image rectangles, a palette brush and a colour, the painter's pen kept."""
    from PySide6.QtGui import QImage, QPainter, QPen
    from PySide6.QtWidgets import QWidget

    from editor.qt.views.timeline import _fill

    palette = QWidget().palette()
    brushes = (palette.base(), palette.window(), QColor(200, 30, 60, 128))
    rects = ((0, 0, 10, 10), (3, 5, 0, 4), (3, 5, 4, 0), (10, 10, -4, 5), (10, 10, 5, -4), (-5, -5, 20, 20))
    for brush, rect in itertools.product(brushes, rects):
        images = []
        for plain in (True, False):
            image = QImage(40, 40, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(QColor(10, 200, 30))
            painter = QPainter(image)
            painter.setPen(QPen(QColor(1, 2, 3), 3))
            if plain:
                painter.fillRect(*rect, brush)
            else:
                _fill(painter, *rect, brush)
            painter.drawLine(0, 39, 39, 0)
            painter.end()
            images.append(image)
        assert images[0] == images[1], (brush, rect)
