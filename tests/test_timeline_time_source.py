"""Timeline: a block aligned by Align to Audio shows where its times came from — a strip in
its foot in the speech, pauses or unaligned colour — and a cue never aligned has none."""

from __future__ import annotations

from editor.core.edits import SetCueValues
from editor.core.model import Document, TimeSource, Timing
from editor.qt import theme
from editor.qt.controller import Controller
from editor.qt.views.timeline import SOURCE_STRIP_PX, TimelineView


def test_aligned_blocks_carry_their_time_source_strip(qtbot):
    doc = Document()
    speaker = doc.ensure_speaker("Alice")
    for k in range(4):
        doc.append(
            doc.new_cue(
                1000 + k * 2000, 2500 + k * 2000, f"cue {k}", speaker_id=speaker.id, timing=Timing.ESTIMATED
            )
        )
    controller = Controller(doc)
    view = TimelineView(controller)
    qtbot.addWidget(view)
    view.resize(1000, 160)
    view.show()
    qtbot.waitExposed(view)
    view.set_scale(0, 10)
    ids = [c.id for c in doc.cues]
    sources = {ids[0]: TimeSource.SPEECH, ids[1]: TimeSource.PAUSES, ids[2]: TimeSource.ESTIMATED}
    controller.apply(SetCueValues("time_source", sources), "align")

    def foot_color(cue_id: int) -> str:
        img = view.render_to_image(view.viewport().width(), view.viewport().height())
        rect = view.cue_rect(cue_id)
        y = int(rect.bottom()) - 1 - SOURCE_STRIP_PX // 2 - 1
        return img.pixelColor(int(rect.center().x()), y).name()

    names = {TimeSource.SPEECH: "speech", TimeSource.PAUSES: "pauses", TimeSource.ESTIMATED: "unaligned"}
    marks = {theme.time_source_color(n).name() for n in names.values()}
    assert len(marks) == 3
    for cue_id, source in sources.items():
        assert foot_color(cue_id) == theme.time_source_color(names[source]).name(), source
    assert foot_color(ids[3]) not in marks  # never aligned: hatched as estimated, no strip
    # Undo takes the marks away with the sources.
    controller.undo_stack.undo()
    assert foot_color(ids[1]) not in marks
