"""The video overlay draws a cue as a player does: its own lines (never re-wrapped), sized to the
picture (a fixed fraction of its height), bottom centre unless its settings place it elsewhere."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from editor.core.placement import BOTTOM_CENTRE, Placement, placement, shown_text
from editor.qt.views.player_widgets import SUBTITLE_HEIGHT, SUBTITLE_MARGIN, VideoCanvas, markup_lines

TWO_LINES = "We have been trying to make the models\nbetter at solving math problems"


def test_placement_from_cue_settings_and_alignment_tags():
    assert placement("") == BOTTOM_CENTRE
    assert placement("line:0") == Placement(line=0.0, snap=True)
    assert placement("line:80% align:left position:10%") == Placement(
        line=80.0, snap=False, align="left", position=10.0
    )
    assert placement("", "{\\an8}At the top") == Placement(line=0.0, snap=True)
    assert placement("", "{\\an3}Bottom right").align == "right"
    assert placement("line:nonsense") == Placement()  # invalid settings are ignored
    assert shown_text("{\\an8}At the top") == "At the top"
    assert shown_text("<i>kept</i> {not a tag at the start}") == "<i>kept</i> {not a tag at the start}"


def test_markup_styles_runs_and_keeps_other_text_literal():
    assert markup_lines("<i>one\ntwo</i> & <x>") == [
        [("one", True, False, False)],
        [("two", True, False, False), (" & <x>", False, False, False)],
    ]


@pytest.fixture
def canvas(qtbot):
    view = VideoCanvas()
    qtbot.addWidget(view)
    frame = QImage(640, 360, QImage.Format.Format_RGB32)
    frame.fill(QColor(90, 90, 90))
    view.set_frame(frame)
    view.show()
    qtbot.waitExposed(view)
    return view


def _white_pixels(image: QImage, rect) -> int:
    r = rect.toAlignedRect().intersected(image.rect())
    return sum(
        1
        for y in range(r.top(), r.bottom() + 1)
        for x in range(r.left(), r.right() + 1)
        if QColor(image.pixel(x, y)).lightness() > 200
    )


@pytest.mark.parametrize("size", [(240, 170), (960, 600)])
def test_two_line_cue_stays_two_lines_sized_to_the_picture(canvas, size):
    canvas.resize(*size)
    canvas.set_subtitle(TWO_LINES)
    QApplication.processEvents()
    picture = canvas.picture_rect()
    assert picture.width() == size[0] and picture.height() == round(size[0] * 9 / 16)  # letterboxed
    font_px, rects = canvas.subtitle_layout()
    assert canvas.shown_lines() == TWO_LINES.split("\n")
    assert len(rects) == 2  # the cue's own two lines, in a small dock too
    assert font_px == round(picture.height() * SUBTITLE_HEIGHT)  # a fixed fraction of the picture
    # Bottom centre: each line centred on the picture, the last one a margin above its bottom.
    for rect in rects:
        assert abs(rect.center().x() - picture.center().x()) <= 1.5
        assert picture.contains(rect.toAlignedRect())
    assert rects[0].bottom() <= rects[1].top() + 0.5
    assert abs(rects[1].bottom() - (picture.bottom() - picture.height() * SUBTITLE_MARGIN)) <= 2
    # Painted: white text in each line's box, none in the picture's upper half.
    image = canvas.grab().toImage()
    assert all(_white_pixels(image, rect) > 3 for rect in rects)
    upper = QRectF(picture.adjusted(0, 0, 0, -picture.height() // 2))
    assert _white_pixels(image, upper) == 0


def test_a_positioned_cue_is_drawn_where_its_settings_put_it(canvas):
    canvas.resize(640, 360)
    picture = canvas.picture_rect()
    canvas.set_subtitle("{\\an8}Sign on the wall")
    _px, rects = canvas.subtitle_layout()
    assert canvas.shown_lines() == ["Sign on the wall"]
    assert rects[0].top() < picture.top() + picture.height() * 0.2  # at the top
    canvas.set_subtitle("Left", "line:50% align:left")
    _px, rects = canvas.subtitle_layout()
    assert abs(rects[0].top() - (picture.top() + picture.height() / 2)) <= 1
    assert rects[0].left() < picture.left() + picture.width() * 0.1
    canvas.set_subtitle("")
    assert canvas.subtitle_layout() == (0, [])


def test_a_line_wider_than_the_picture_gets_smaller_not_rewrapped(canvas):
    canvas.resize(320, 180)
    long_line = "This line is far too long to fit on such a small picture at the usual size"
    canvas.set_subtitle(long_line + "\nsecond")
    font_px, rects = canvas.subtitle_layout()
    assert len(rects) == 2
    assert font_px < round(canvas.picture_rect().height() * SUBTITLE_HEIGHT)
    assert all(canvas.picture_rect().adjusted(-1, -1, 1, 1).contains(r.toAlignedRect()) for r in rects)
