"""Every user-visible string of the Qt layer goes through tr(), and a translator reaches the menus.

(a) A static scan (AST) of editor/qt: the calls that put words on screen (setText, setToolTip,
QLabel(…), QMessageBox.warning(…), addAction(…), …) must not get a bare string literal; the words
must come from tr()/translate() (or be built from a value, which the scan cannot judge).
(b) A QTranslator whose translate() marks every string it is asked for is installed before the
window is built; the menu titles, actions and toolbar must then show the marked strings.
"""

from __future__ import annotations

import ast
import re

import pytest
from conftest import REPO
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QMessageBox, QToolBar

from editor.qt.views.first_run import FirstRunTips

QT_LAYER = REPO / "editor" / "qt"

# Methods whose string arguments are shown to the user.
TEXT_METHODS = {
    "setText",
    "setWindowTitle",
    "setToolTip",
    "setStatusTip",
    "setWhatsThis",
    "setPlaceholderText",
    "setEmptyLabel",
    "setLabelText",
    "setInformativeText",
    "setDetailedText",
    "setAccessibleName",
    "setAccessibleDescription",
    "setTitle",
    "setTabText",
    "setFormat",
    "addAction",
    "addMenu",
    "addTab",
    "addRow",
    "showMessage",
    "show_message",
    "show_error",
    "setHorizontalHeaderLabels",
    "setHeaderLabels",
    "getSaveFileName",
    "getOpenFileName",
    "getText",
    "getItem",
    "warning",
    "information",
    "question",
    "critical",
    "about",
}
# Widgets whose constructor's string argument is shown.
TEXT_WIDGETS = {
    "QLabel",
    "QPushButton",
    "QCheckBox",
    "QRadioButton",
    "QAction",
    "QGroupBox",
    "QDockWidget",
    "QToolBar",
    "QMenu",
    "QMessageBox",
    "QToolButton",
}
# Calls whose arguments are translated (or not text): strings inside them are fine.
TRANSLATING = {"tr", "translate", "_tr", "qsTr"}
# Literal text that needs no translation: no words at all ("", "→", "•", "0:00"), or only names
# and symbols that are the same in every language.
WORD = re.compile(r"[^\W\d_]+")
SAME_IN_EVERY_LANGUAGE = {
    "Cueline",
    "cueline",
    "srt",
    "vtt",
    "UTF",
    "s",
    "ms",
    "LF",
    "CRLF",
    "CR",
    "BOM",
    "Qt",
}


def _is_words(text: str) -> bool:
    return any(word not in SAME_IN_EVERY_LANGUAGE for word in WORD.findall(text))


# Arguments that are not text even in the calls above (file-dialog filters are built by name
# elsewhere; the format string of a progress bar is "%p%"; Qt object names; key sequences).
NOT_TEXT_KEYWORDS = {"filter", "selectedFilter", "dir", "options", "shortcut"}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _literal_words(node: ast.expr) -> str | None:
    """Return the words of a bare string literal (or f-string / list of them), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if _is_words(node.value) else None
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return text if _is_words(text) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal_words(node.left) or _literal_words(node.right)
    if isinstance(node, ast.List | ast.Tuple):
        for element in node.elts:
            found = _literal_words(element)
            if found:
                return found
    if isinstance(node, ast.IfExp):
        return _literal_words(node.body) or _literal_words(node.orelse)
    return None


def untranslated_literals(source: str, name: str) -> list[str]:
    """Return "name:line: call('words')" for each user-visible literal not passed through tr()."""
    tree = ast.parse(source, filename=name)
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        call = _name(node.func)
        if call not in TEXT_METHODS and call not in TEXT_WIDGETS:
            continue
        if call == "setFormat" and all(
            isinstance(a, ast.Constant) and "%" in str(a.value) for a in node.args
        ):
            continue  # QProgressBar.setFormat("%p%"): a placeholder, not words
        arguments = list(node.args) + [k.value for k in node.keywords if k.arg not in NOT_TEXT_KEYWORDS]
        for argument in arguments:
            words = _literal_words(argument)
            if words:
                found.append(f"{name}:{argument.lineno}: {call}({words!r})")
    return found


def test_the_scan_finds_bare_literals():
    """The scanner itself: flags bare words, leaves tr() and word-less strings alone."""
    code = (
        "label.setText('Hello')\n"
        "label.setText(self.tr('Hello'))\n"
        "QMessageBox.warning(self, 'Oops', self.tr('Bad'))\n"
        "QLabel(f'{n} cues', self)\n"
        "QLabel(f'{n} → {m}', self)\n"
        "menu.addAction(self.tr('&Open'))\n"
        "box.setText('')\n"
        "bar.setFormat('%p%')\n"
    )
    found = untranslated_literals(code, "probe.py")
    assert found == [
        "probe.py:1: setText('Hello')",
        "probe.py:3: warning('Oops')",
        "probe.py:4: QLabel(' cues')",
    ]


def test_qt_layer_has_no_bare_user_visible_strings():
    found: list[str] = []
    for path in sorted(QT_LAYER.rglob("*.py")):
        found += untranslated_literals(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))
    assert not found, "strings shown without tr():\n" + "\n".join(found)


# --- a translator reaches the window ---------------------------------------------------------------


class MarkingTranslator(QTranslator):
    """Translates every string to «string», so untranslated text stands out."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[tuple[str, str]] = set()

    def isEmpty(self) -> bool:
        return False

    def translate(self, context, source_text, disambiguation=None, n=-1):
        self.asked.add((context, source_text))
        return f"«{source_text}»"


@pytest.fixture
def marking_translator(qapp):
    translator = MarkingTranslator()
    assert QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def test_menus_toolbar_and_actions_show_translated_text(marking_translator, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    from editor.qt.views.main_window import MainWindow

    window = MainWindow(autosave_folder=str(tmp_path / "autosave"))
    qtbot.addWidget(window)
    titles = [menu.title() for menu in window.menus.values()]
    assert titles and all(t.startswith("«") and t.endswith("»") for t in titles), titles
    assert "«&File»" in titles and "«&Help»" in titles
    # Every action in every menu (built-in and from feature modules) is translated.
    untranslated = []
    for menu in window.menus.values():
        for action in menu.actions():
            if action.isSeparator() or action.menu() is not None:
                continue
            if not action.text().startswith("«"):
                untranslated.append(f"{menu.objectName()}: {action.text()}")
    assert not untranslated, untranslated
    # Tooltips are built from translated pieces; the toolbar's buttons show them.
    bar = window.findChild(QToolBar, "mainToolBar")
    for action in bar.actions():
        if not action.isSeparator():
            assert action.toolTip().startswith("«"), action.toolTip()
    assert window.status_modified.text().startswith("«")
    # The table's column headers and the first-run tips too.
    from PySide6.QtCore import Qt

    from editor.qt.cue_model import Column

    header = window.table_pane.model.headerData(Column.START, Qt.Orientation.Horizontal)
    assert header == "«Start»"
    assert window.parts[FirstRunTips].panel.dismiss_button.text() == "«Got it»"
    assert any(context == "actions" for context, _ in marking_translator.asked)


def test_about_box_is_translated(marking_translator, qtbot):
    from editor.qt.views.dialogs import about_text, show_about

    text = about_text()
    assert text.splitlines()[0].startswith("«Cueline")
    box = show_about(None)
    qtbot.addWidget(box)
    assert box.windowTitle().startswith("«")


def test_shortcut_list_is_translated(marking_translator, qtbot):
    from editor.qt.actions import shortcut_table
    from editor.qt.views.dialogs import ShortcutsDialog

    rows = shortcut_table()
    assert rows and all(menu.startswith("«") and action.startswith("«") for menu, action, _keys in rows)
    dialog = ShortcutsDialog(rows)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "«Keyboard Shortcuts»"
    assert dialog.table.horizontalHeaderItem(0).text() == "«Menu»"
