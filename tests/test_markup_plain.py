"""Cue text is data, never markup: `<img src=…>` or `<a href>` in a file shows as typed.

A .cueline project whose cue text, translation, notes, speaker names, languages and title all
hold HTML is opened; then every label and tooltip the window shows (main window, edit panel,
speakers panel, review panel, timeline, status bar, the cue table's cells and tooltips, the
translation preview dialog) is checked: where a hostile string's visible part appears, the
whole string appears literally, i.e. Qt did not render it as rich text. A .cueline file also
cannot make the app open any file other than its own media: source paths pointing elsewhere
are never opened.
"""

from __future__ import annotations

import pathlib

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractButton, QLabel, QTreeWidget, QWidget

from editor.core import documents
from editor.core.formats import project
from editor.core.model import Document, SourceInfo

# Each hostile string carries a marker that survives only if the string is shown literally
# (or, for the link and bold, a visible part that shows the string was rendered as HTML).
HOSTILE = {
    "IMGMARK": "<img src=IMGMARK>",
    "LINKTEXT": "<a href='LINKHREF'>LINKTEXT</a>",
    "BOLDTEXT": "<b>BOLDTEXT</b>",
    "FONTTEXT": "<font color=red>FONTTEXT</font>",
}


def _rendered(text: str, fmt: Qt.TextFormat) -> str:
    """Return what a person sees for `text` shown in format `fmt` (Qt's own decision for AutoText)."""
    rich = fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and QtGuiNamespace.mightBeRichText(text)
    )
    if not rich:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def _check(where: str, text: str, fmt: Qt.TextFormat) -> list[str]:
    """Return problems: a hostile marker in `text` whose string was not shown literally."""
    shown = _rendered(text, fmt)
    problems = []
    for marker, hostile in HOSTILE.items():
        if marker in text and hostile not in shown:
            problems.append(f"{where}: {text[:120]!r} shows as {shown[:120]!r}")
    return problems


def _hostile_project(tmp_path: pathlib.Path, elsewhere: pathlib.Path) -> pathlib.Path:
    doc = Document()
    speaker = doc.ensure_speaker("<b>BOLDTEXT</b> <img src=IMGMARK>").id
    for k, (marker, hostile) in enumerate(HOSTILE.items()):
        cue = doc.new_cue(k * 2000, k * 2000 + 1500, f"{hostile} said {marker}", speaker_id=speaker)
        cue.translation = f"T {hostile}"
        cue.note = f"note {hostile}"
        doc.append(cue)
    doc.metadata.title = "<a href='LINKHREF'>LINKTEXT</a>"
    # Language codes are free text in a project file, and so is its file name.
    doc.source_language = "<b>BOLDTEXT</b>"
    doc.translation_language = "<img src=IMGMARK>"
    # Source paths that point at other files: a project must never make the app read them.
    doc.sources["source"] = SourceInfo(path=str(elsewhere / "secret.srt"), format="srt")
    doc.sources["translation"] = SourceInfo(path=str(elsewhere / "other.srt"), format="srt")
    path = tmp_path / "<img src=IMGMARK>.cueline"
    path.write_text(project.write_project(doc), encoding="utf-8")
    return path


def _widget_problems(root: QWidget) -> list[str]:
    problems: list[str] = []
    for label in root.findChildren(QLabel):
        problems += _check(
            f"label {label.objectName() or type(label.parent()).__name__}", label.text(), label.textFormat()
        )
    for widget in [root, *root.findChildren(QWidget)]:
        # Qt renders a tooltip as rich text whenever it might be rich text.
        problems += _check(f"tooltip of {type(widget).__name__}", widget.toolTip(), Qt.TextFormat.AutoText)
        if isinstance(widget, QAbstractButton):
            problems += _check("button", widget.text(), Qt.TextFormat.PlainText)
    for tree in root.findChildren(QTreeWidget):
        for k in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(k)
            for col in range(tree.columnCount()):
                problems += _check("tree item tooltip", item.toolTip(col), Qt.TextFormat.AutoText)
    return problems


def test_hostile_cue_text_is_shown_as_plain_text_everywhere(window, qtbot, tmp_path) -> None:
    path = _hostile_project(tmp_path, tmp_path / "elsewhere")
    window.open_path(str(path), wait=True)
    doc = window.controller.document
    assert doc.cues[0].text.startswith("<img src=IMGMARK>")
    problems: list[str] = []

    # The cue table: what the cells show and their tooltips (QC problems quote text).
    model = window.table_pane.view.model()
    seen_hostile_cell = False
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            index = model.index(row, col)
            display = model.data(index, Qt.ItemDataRole.DisplayRole)
            seen_hostile_cell |= isinstance(display, str) and "<img src=IMGMARK>" in display
            tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str):
                problems += _check(f"cell tooltip {row},{col}", tip, Qt.TextFormat.AutoText)
    assert seen_hostile_cell, "the table shows the cue text as typed"

    # Every cue selected in turn: the edit panel, review panel, timeline and status bar follow.
    review = window.actions.get(_review_action())
    if review is not None and review.isEnabled():
        review.trigger()
    for row in range(len(doc.cues)):
        window.table_pane.view.selectRow(row)
        qtbot.wait(20)
        problems += _widget_problems(window)
        timeline = window.ensure_timeline()
        if hasattr(timeline, "tooltip_html"):
            problems += _check(
                "timeline tooltip", timeline.tooltip_html(doc.cues[row].id), Qt.TextFormat.AutoText
            )
    for action in window.findChildren(type(review)) if review is not None else []:
        problems += _check(f"action {action.text()}", action.toolTip(), Qt.TextFormat.AutoText)
    assert not problems, "\n".join(problems)


def _review_action():
    from editor.qt.actions import ActionId

    return ActionId.REVIEW_MODE


def test_translation_preview_shows_hostile_text_plainly(window, qtbot, tmp_path, monkeypatch) -> None:
    from editor.qt.views import translation_preview

    src = tmp_path / "src.srt"
    src.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\nBye\n")
    tr = tmp_path / "tr.srt"
    tr.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\n<img src=IMGMARK> <b>BOLDTEXT</b>\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\n<a href='LINKHREF'>LINKTEXT</a>\n\n"
        "3\n00:00:09,000 --> 00:00:10,000\n<font color=red>FONTTEXT</font>\n"
    )
    window.open_path(str(src), wait=True)
    problems: list[str] = []

    def inspect(dialog) -> int:
        problems.extend(_widget_problems(dialog))
        return 0  # cancel

    monkeypatch.setattr(translation_preview.TranslationPreviewDialog, "exec", inspect)
    window.attach_translation(str(tr))
    assert not problems, "\n".join(problems)


def test_project_source_paths_are_never_opened(window, tmp_path, monkeypatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nsecret\n")
    (elsewhere / "other.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nother\n")
    path = _hostile_project(tmp_path, elsewhere)
    opened: list[str] = []
    import builtins
    import io
    import os

    real_open, real_io_open, real_os_open = builtins.open, io.open, os.open

    def spy(name, *args, **kwargs):
        opened.append(os.fspath(name) if not isinstance(name, int) else str(name))
        return real_open(name, *args, **kwargs)

    def os_spy(name, *args, **kwargs):
        opened.append(os.fspath(name))
        return real_os_open(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    monkeypatch.setattr(os, "open", os_spy)
    window.open_path(str(path), wait=True)
    doc = window.controller.document
    window.save()  # Save writes the project itself, never the source it names
    monkeypatch.setattr(builtins, "open", real_open)
    monkeypatch.setattr(io, "open", real_io_open)
    monkeypatch.setattr(os, "open", real_os_open)
    assert not [p for p in opened if "elsewhere" in p], opened
    assert (elsewhere / "secret.srt").read_text().endswith("secret\n")
    assert doc.sources["source"].path == str(path)
    assert documents.load(path).cues[0].text.startswith("<img src=IMGMARK>")
