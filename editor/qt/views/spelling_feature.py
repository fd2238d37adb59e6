"""Spelling in the window: underlines while typing, suggestions on right-click, the Spelling dialog.

`SpellService` keeps a core `SpellChecker` in step with the document (languages, speaker
names, glossary, ignore list) and loads dictionaries off the GUI thread. A
`SpellHighlighter` sits on the QTextDocument of each cue editor (the edit panel's, the
review panel's and the table's in-place editor), so it works whatever the widget does
with wrapping or rulers. Right-click on an underlined word offers Hunspell's suggestions
(best first), Add to Dictionary and Ignore All. In the edit and review panels a chosen
suggestion is applied to the cue as one undo step of its own; in the table's in-place
editor it edits the editor's text, committed with the rest of the cell.

Review → Spelling… (Ctrl+F7) walks every unknown word of the document in order with
Replace, Replace All, Ignore, Ignore All and Add to Dictionary.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeySequence,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QPushButton,
)

from editor.core import edits, spelling
from editor.core.edits import ChangeSet
from editor.core.errors import EditorError
from editor.qt.host import Feature, Host
from editor.qt.views.review_panel import ReviewMode

# Document fields and events after which words may change status.
_REFRESH_FIELDS = frozenset({"source_language", "translation_language", "glossary", "spelling_ignore"})


class _Relay(QObject):
    """Carries "dictionary loaded" from the loading thread to the GUI thread (queued)."""

    loaded = Signal(str)


_relay: _Relay | None = None


def _loaded_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()
        spelling.STORE.on_loaded.append(_relay.loaded.emit)
    return _relay


def _load_on_worker(load: Callable[[], object], _name: str) -> None:
    from editor.qt import workers

    def failed(exc: BaseException) -> None:
        raise exc  # the store reports unreadable dictionaries itself: anything else is a bug

    workers.run_task(load, lambda _dic: None, failed, pause_gc=True)


class SpellService(QObject):
    """The window's spelling state. Signals: `changed()` when words may have changed status."""

    changed = Signal()

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.controller = window.controller
        # The GUI thread never waits for a dictionary: checks skip the language until it is
        # loaded, on the worker pool with the collector paused (its full passes over millions
        # of new objects held the GIL 150-400 ms at a time: the window froze).
        thread = threading.get_ident()
        spelling.STORE.load_in_background_for(thread, _load_on_worker)
        window.closed.connect(lambda: spelling.STORE.release_thread(thread))
        self.checker = spelling.SpellChecker(self.controller.document)
        self._announced: set[str] = set()
        _loaded_relay().loaded.connect(self._on_loaded)
        self.controller.changed.connect(self._on_changed)
        self.controller.document_replaced.connect(self._on_replaced)
        self._preload()

    # -- keeping up with the document -----------------------------------------------------
    def _preload(self) -> None:
        # Only the document's languages: a dictionary's word forms cost ~2 MB and milliseconds
        # from their cache, but 1–2 s of a worker the first time they are built.
        # Not for the preview of a large file: the loader reading the whole file needs the CPU.
        if self.window.previewing:
            return
        for lang in (self.checker.source_language, self.checker.translation_language):
            latin = self.checker.latin_language(lang)
            if latin:
                spelling.STORE.get(latin)  # starts loading on a thread when needed
        self._announce_missing()

    def _announce_missing(self) -> None:
        for lang in self.checker.missing_languages():
            if lang not in self._announced:
                self._announced.add(lang)
                self.window.show_message(self.tr(spelling.missing_dictionary_message(lang)), 15000)

    def _on_replaced(self) -> None:
        self.checker = spelling.SpellChecker(self.controller.document)
        self._preload()
        self.changed.emit()

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.document & _REFRESH_FIELDS or (changes.speakers and any(self.checker.name_changes())):
            self.checker.refresh()
            if changes.document & {"source_language", "translation_language"}:
                self._preload()
            self.changed.emit()

    def _on_loaded(self, _lang: str) -> None:
        self.checker.refresh()
        self.changed.emit()
        qc = self.window.table_pane.model.qc
        if qc.index is not None:
            qc.rebuild_in_background()

    # -- what the menus do ---------------------------------------------------------------
    def language_of(self, track: str) -> str | None:
        """Return the language Latin words of `track` are checked in."""
        return self.checker.latin_language(self.checker.track_language(track))

    def add_to_dictionary(self, word: str, lang: str) -> None:
        """Add `word` to the user's dictionary for `lang` and re-check."""
        try:
            self.checker.add_user_word(lang, word)
        except OSError as exc:
            self.window.show_message(self.tr("Could not save the word: {e}").format(e=exc))
            return
        self.changed.emit()
        self.window.table_pane.model.qc.rebuild_in_background()
        self.window.show_message(self.tr("“{w}” added to your {lang} dictionary.").format(w=word, lang=lang))

    def ignore_all(self, word: str) -> None:
        """Accept `word` in this document (saved in the project; one undo step)."""
        doc = self.controller.document
        if word in doc.spelling_ignore:
            return
        self.controller.apply(
            edits.SetDocumentField("spelling_ignore", (*doc.spelling_ignore, word)),
            self.tr("Ignore “{w}”").format(w=word),
        )

    def suggestions(
        self, word: str, lang: str, later: Callable[[list[str]], None], owner: QObject
    ) -> list[str] | None:
        """Return Hunspell's suggestions for `word` now when they need no load; else None, and
        `later(words)` gets them from a worker ([] if that fails) unless `owner` is gone by then.
        The session's first suggestions load the suggester (0.3-0.9 s): the window never waits."""
        checker = self.checker
        if checker.suggest_is_quick(word, lang):
            return checker.suggest(word, lang)
        from editor.qt import workers

        workers.run_task(lambda: checker.suggest(word, lang), later, lambda _exc: later([]), owner=owner)
        return None

    def replace_in_cue(self, cue_id: int, track: str, start: int, end: int, word: str) -> bool:
        """Replace [start, end) of a cue's track by `word` as one undo step; returns True when done."""
        doc = self.controller.document
        if not doc.has_cue(cue_id):
            return False
        text = getattr(doc.cue(cue_id), track)
        new = text[:start] + word + text[end:]
        try:
            self.controller.apply(edits.set_field(cue_id, track, new), self.tr("Correct Spelling"))
        except (EditorError, KeyError) as exc:
            self.window.show_message(str(exc))
            return False
        return True


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines unknown words of one editor's document (red wavy line)."""

    def __init__(
        self,
        document: QTextDocument,
        service: SpellService,
        track: Callable[[], str | None],
        typing_at: Callable[[], int] | None = None,
    ) -> None:
        super().__init__(document)
        self.service = service
        self.track = track
        # Where the user is typing (a document position, -1 for nowhere): that word is left
        # alone until the cursor leaves it, as word processors do.
        self.typing_at = typing_at
        self.format = QTextCharFormat()
        self.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self.format.setUnderlineColor(QColor("#d62728"))
        service.changed.connect(self.rehighlight)

    def highlightBlock(self, text: str) -> None:
        track = self.track()
        if track is None or not text:
            return
        checker = self.service.checker
        at = self.typing_at() - self.currentBlock().position() if self.typing_at is not None else -1
        for m in checker.misspellings(text, checker.track_language(track), typing_at=at):
            self.setFormat(m.start, m.end - m.start, self.format)


# ---------------------------------------------------------------------------
# Editors: highlighter + context menu
# ---------------------------------------------------------------------------


class _EditorHook(QObject):
    """Spelling for one QPlainTextEdit: its highlighter and its right-click menu."""

    def __init__(
        self,
        editor: QPlainTextEdit,
        service: SpellService,
        track: Callable[[], str | None],
        cue_id: Callable[[], int | None] | None,
    ) -> None:
        super().__init__(editor)
        self.editor = editor
        self.service = service
        self.track = track
        self.cue_id = cue_id  # None: edit the widget's text (the table's in-place editor)
        self._typing = -1
        # Connected before the highlighter connects its own: Qt calls slots in that order.
        editor.document().contentsChange.connect(self._typed)
        editor.cursorPositionChanged.connect(self._moved)
        self.highlighter = SpellHighlighter(editor.document(), service, track, lambda: self._typing)
        editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        editor.customContextMenuRequested.connect(self._menu)
        editor.setProperty("spellChecked", True)

    def _typed(self, position: int, removed: int, added: int) -> None:
        # Runs before the highlighter re-checks the changed block: the word typed into waits.
        one_key = (added, removed) in ((1, 0), (0, 1))
        self._typing = position + added if one_key else -1

    def _moved(self) -> None:
        if self._typing < 0:
            return
        doc = self.editor.document()
        old = doc.findBlock(min(self._typing, max(doc.characterCount() - 1, 0)))
        if self.editor.textCursor().position() == self._typing:
            return  # still typing that word
        self._typing = -1
        if old.isValid():
            self.highlighter.rehighlightBlock(old)

    def misspelling_at(self, position: int) -> spelling.Misspelling | None:
        """Return the unknown word under the document position, or None."""
        track = self.track()
        if track is None:
            return None
        block = self.editor.document().findBlock(position)
        offset = position - block.position()
        checker = self.service.checker
        for m in checker.misspellings(block.text(), checker.track_language(track)):
            if m.start <= offset <= m.end:
                return spelling.Misspelling(
                    m.start + block.position(), m.end + block.position(), m.word, m.lang
                )
        return None

    def build_menu(self, position: int) -> QMenu:
        """Return the context menu for the document position (spelling entries first)."""
        editor = self.editor
        menu = editor.createStandardContextMenu()
        found = self.misspelling_at(position)
        if found is None:
            return menu
        first = menu.actions()[0] if menu.actions() else None
        waiting = QAction(self.tr("Looking for suggestions…"), menu)
        waiting.setEnabled(False)

        def arrived(words: list[str]) -> None:  # the menu opened without them and fills in
            menu.insertActions(waiting, self._suggestion_actions(menu, found, words))
            menu.removeAction(waiting)

        words = self.service.suggestions(found.word, found.lang, arrived, menu)
        entries = [waiting] if words is None else self._suggestion_actions(menu, found, words)
        add = QAction(self.tr("Add “{w}” to Dictionary").format(w=found.word), menu)
        add.triggered.connect(lambda _c=False, f=found: self.service.add_to_dictionary(f.word, f.lang))
        ignore = QAction(self.tr("Ignore All"), menu)
        ignore.triggered.connect(lambda _c=False, f=found: self.service.ignore_all(f.word))
        separator = QAction(menu)
        separator.setSeparator(True)
        entries += [separator, add, ignore]
        if first is not None:
            separator2 = QAction(menu)
            separator2.setSeparator(True)
            entries.append(separator2)
        menu.insertActions(first, entries)
        menu.setObjectName("spellingMenu")
        return menu

    def _suggestion_actions(
        self, menu: QMenu, found: spelling.Misspelling, words: list[str]
    ) -> list[QAction]:
        entries: list[QAction] = []
        for word in words:
            action = QAction(word, menu)
            font = action.font()
            font.setBold(True)
            action.setFont(font)
            action.triggered.connect(lambda _c=False, w=word, f=found: self.replace(f, w))
            entries.append(action)
        if not words:
            none = QAction(self.tr("(no suggestions)"), menu)
            none.setEnabled(False)
            entries.append(none)
        return entries

    def _menu(self, pos) -> None:
        cursor = self.editor.cursorForPosition(pos)
        menu = self.build_menu(cursor.position())
        menu.exec(self.editor.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def replace(self, found: spelling.Misspelling, word: str) -> None:
        """Put `word` in place of the unknown word: one undo step in a panel, an edit of the widget
        in the table's in-place editor."""
        cue_id = self.cue_id() if self.cue_id is not None else None
        track = self.track()
        if cue_id is not None and track is not None:
            doc = self.service.controller.document
            if doc.has_cue(cue_id) and getattr(doc.cue(cue_id), track) == self.editor.toPlainText():
                self.service.replace_in_cue(cue_id, track, found.start, found.end, word)
                return
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(found.start)
        cursor.setPosition(found.end, QTextCursor.MoveMode.KeepAnchor)
        cursor.beginEditBlock()
        cursor.insertText(word)
        cursor.endEditBlock()


class _TableEditorWatcher(QObject):
    """Hooks spelling into the table's in-place text editors as the delegate creates them."""

    def __init__(self, window, service: SpellService) -> None:
        super().__init__(window)
        self.window = window
        self.service = service
        table = window.table_pane.view
        self.table = table
        table.viewport().installEventFilter(self)

    def _track(self) -> str | None:
        from editor.qt.cue_model import Column

        column = self.table.currentIndex().column()
        return {Column.TEXT: "text", Column.TRANSLATION: "translation"}.get(column)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ChildPolished:
            child = event.child()
            if isinstance(child, QPlainTextEdit) and not child.property("spellChecked"):
                track = self._track()
                if track is not None:
                    _EditorHook(child, self.service, lambda t=track: t, None)
        return False


# ---------------------------------------------------------------------------
# The Spelling dialog
# ---------------------------------------------------------------------------


class SpellingDialog(QDialog):
    """Walks the unknown words of the document in order: Replace, Replace All, Ignore, Ignore All, Add."""

    def __init__(self, window, service: SpellService) -> None:
        super().__init__(window)
        self.setObjectName("spellingDialog")
        self.setWindowTitle(self.tr("Spelling"))
        self.window_ = window
        self.service = service
        self.controller = window.controller
        self.skipped: set[tuple[int, str, int]] = set()  # (cue, track, start) ignored once
        self.current: tuple[int, str, spelling.Misspelling] | None = None

        self.context = QLabel(self)
        self.context.setTextFormat(Qt.TextFormat.RichText)
        self.context.setWordWrap(True)
        self.context.setMinimumWidth(420)
        self.word = QLineEdit(self)
        self.word.setObjectName("spellingReplacement")
        self.suggestions = QListWidget(self)
        self.suggestions.setObjectName("spellingSuggestions")
        self.suggestions.currentTextChanged.connect(self.word.setText)
        self.suggestions.itemDoubleClicked.connect(lambda _i: self.replace())
        self.buttons: dict[str, QPushButton] = {}
        box = QDialogButtonBox(Qt.Orientation.Vertical, self)
        for key, label, slot in (
            ("replace", self.tr("&Replace"), self.replace),
            ("replace_all", self.tr("Replace A&ll"), self.replace_all),
            ("ignore", self.tr("&Ignore"), self.ignore),
            ("ignore_all", self.tr("I&gnore All"), self.ignore_all),
            ("add", self.tr("&Add to Dictionary"), self.add),
            ("more", self.tr("&More Suggestions"), self.more_suggestions),
        ):
            button = box.addButton(label, QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(slot)
            self.buttons[key] = button
        close = box.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.close)
        self.status = QLabel(self)
        grid = QGridLayout(self)
        grid.addWidget(self.context, 0, 0, 1, 2)
        grid.addWidget(QLabel(self.tr("Change to:"), self), 1, 0, 1, 2)
        grid.addWidget(self.word, 2, 0)
        grid.addWidget(self.suggestions, 3, 0)
        grid.addWidget(box, 2, 1, 2, 1)
        grid.addWidget(self.status, 4, 0, 1, 2)

    def start(self) -> None:
        """Show the first unknown word from the current cue on."""
        self.skipped.clear()
        self.advance(from_current=True)

    def _candidates(self):
        doc = self.controller.document
        cues = doc.cues
        if not cues:
            return
        current = self.controller.current_id
        first = (
            doc.row_of(current) if self._from_current and current is not None and doc.has_cue(current) else 0
        )
        checker = self.service.checker
        for k in range(len(cues)):
            cue = cues[(first + k) % len(cues)]
            for track in ("text", "translation"):
                text = getattr(cue, track)
                if not text:
                    continue
                for m in checker.misspellings(text, checker.track_language(track)):
                    if (cue.id, track, m.start) not in self.skipped:
                        yield cue.id, track, m

    def advance(self, from_current: bool = False) -> None:
        """Move to the next unknown word (or say there is none)."""
        self._from_current = from_current or self.current is None
        if self.current is not None:
            self._from_current = True  # continue from the cue the last word was in
        found = next(self._candidates(), None)
        self.current = found
        for button in self.buttons.values():
            button.setEnabled(found is not None)
        if found is None:
            self.context.setText(self.tr("No unknown words."))
            self.word.clear()
            self.suggestions.clear()
            return
        cue_id, track, m = found
        self.controller.select([cue_id], cue_id)
        text = getattr(self.controller.document.cue(cue_id), track)
        html = (
            _escape(text[: m.start])
            + f'<b style="color:#d62728">{_escape(m.word)}</b>'
            + _escape(text[m.end :])
        ).replace("\n", "<br>")
        row = self.controller.document.row_of(cue_id) + 1
        where = self.tr("Cue {n}, translation") if track == "translation" else self.tr("Cue {n}")
        self.context.setText(self.tr("<i>{where}</i><br>{text}").format(where=where.format(n=row), text=html))
        self.suggestions.clear()
        words = self.service.suggestions(
            m.word, m.lang, lambda later: self._show_suggestions(found, later, waited=True), self
        )
        if words is not None:
            self._show_suggestions(found, words)
        else:  # the word shows now, its suggestions when they are there
            self.word.setText(m.word)
            self.status.setText(self.tr("Looking for suggestions…"))

    def _show_suggestions(self, found: tuple, words: list[str], *, waited: bool = False) -> None:
        if self.current is not found:
            return  # the dialog moved on while they were looked for
        if waited:
            self.status.clear()
        self.suggestions.clear()
        self.suggestions.addItems(words)
        if words:
            self.suggestions.setCurrentRow(0)
        else:
            self.word.setText(found[2].word)

    def more_suggestions(self) -> None:
        """Ask Hunspell's slow n-gram and phonetic passes too, on a worker thread."""
        if self.current is None:
            return
        from editor.qt import workers

        found = self.current
        m = found[2]
        checker = self.service.checker
        self.buttons["more"].setEnabled(False)
        self.status.setText(self.tr("Looking for more suggestions…"))

        def done(words: list[str]) -> None:
            if self.current is not found:
                return  # the dialog moved on meanwhile
            self.status.setText("")
            have = {self.suggestions.item(i).text() for i in range(self.suggestions.count())}
            new = [w for w in words if w not in have]
            self.suggestions.addItems(new)
            if new and self.suggestions.currentRow() < 0:
                self.suggestions.setCurrentRow(0)
            if not new:
                self.status.setText(self.tr("No other suggestions."))

        def failed(exc: BaseException) -> None:
            self.status.setText(str(exc))

        workers.run_task(lambda: checker.suggest(m.word, m.lang, 8, thorough=True), done, failed, owner=self)

    def replace(self) -> None:
        if self.current is None:
            return
        cue_id, track, m = self.current
        new = self.word.text()
        if new and new != m.word:
            self.service.replace_in_cue(cue_id, track, m.start, m.end, new)
        else:
            self.skipped.add((cue_id, track, m.start))
        self.advance()

    def replace_all(self) -> None:
        """Replace every occurrence of the word (whole word, same spelling) in one undo step."""
        if self.current is None:
            return
        m = self.current[2]
        new = self.word.text()
        if not new or new == m.word:
            return
        doc = self.controller.document
        rx = re.compile(rf"(?<!\w){re.escape(m.word)}(?!\w)")
        batch: list[edits.Edit] = []
        for cue in doc.cues:
            for field in ("text", "translation"):
                old = getattr(cue, field)
                if m.word in old:
                    changed = rx.sub(new, old)
                    if changed != old:
                        batch.append(edits.set_field(cue.id, field, changed))
        if batch:
            self.controller.apply(edits.Batch(batch), self.tr("Replace All “{w}”").format(w=m.word))
            self.status.setText(self.tr("{n} cues changed.").format(n=len(batch)))
        self.advance()

    def ignore(self) -> None:
        if self.current is not None:
            cue_id, track, m = self.current
            self.skipped.add((cue_id, track, m.start))
        self.advance()

    def ignore_all(self) -> None:
        if self.current is not None:
            self.service.ignore_all(self.current[2].word)
        self.advance()

    def add(self) -> None:
        if self.current is not None:
            m = self.current[2]
            self.service.add_to_dictionary(m.word, m.lang)
        self.advance()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------
# Installing
# ---------------------------------------------------------------------------


class SpellingFeature(QObject):
    """What `install` adds to a window (in its parts)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.service = SpellService(window)
        self.hooks: list[_EditorHook] = []
        panel = window.edit_panel
        self.hooks.append(_EditorHook(panel.text, self.service, lambda: "text", lambda: panel.cue_id))
        self.hooks.append(
            _EditorHook(panel.translation, self.service, lambda: "translation", lambda: panel.cue_id)
        )
        mode = window.parts.get(ReviewMode)
        review = mode.panel if mode is not None else None
        if review is not None:
            self.hooks.append(_EditorHook(review.source, self.service, lambda: "text", lambda: review.cue_id))
            self.hooks.append(
                _EditorHook(review.translation, self.service, lambda: "translation", lambda: review.cue_id)
            )
        self.table_watcher = _TableEditorWatcher(window, self.service)
        self.dialog: SpellingDialog | None = None
        self.action = QAction(self.tr("&Spelling…"), window)
        self.action.setObjectName("action_spelling")
        self.action.setShortcut(QKeySequence("Ctrl+F7"))
        self.action.setStatusTip(self.tr("Walk the unknown words of both tracks"))
        self.action.triggered.connect(self.show_dialog)
        menu = window.menus.get("Review")
        if menu is not None:
            menu.addSeparator()
            menu.addAction(self.action)
        window.addAction(self.action)
        self._build_status()

    def show_dialog(self) -> None:
        if self.dialog is None:
            self.dialog = SpellingDialog(self.window, self.service)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.start()

    # -- status bar: language checks under their own heading ------------------------------
    def _build_status(self) -> None:
        window = self.window
        self.status = QPushButton(window)
        self.status.setObjectName("statusLanguage")
        self.status.setFlat(True)
        self.status.setToolTip(self.tr("Spelling and glossary problems: jump to the next one"))
        self.status.clicked.connect(self.next_language_problem)
        window.statusBar().addPermanentWidget(self.status)
        qc = window.table_pane.model.qc
        qc.updated.connect(self.update_status)
        self.update_status()

    def counts(self) -> tuple[int, int]:
        """Return (cues with spelling problems, cues with glossary problems)."""
        qc = self.window.table_pane.model.qc
        if qc.index is None:
            return 0, 0
        counts = qc.index.counts()
        return counts.get("spelling", 0), counts.get("glossary", 0)

    def update_status(self) -> None:
        spell, gloss = self.counts()
        parts = [self.tr("Spelling: {n}").format(n=spell)]
        if self.window.controller.document.glossary or gloss:
            parts.append(self.tr("Glossary: {n}").format(n=gloss))
        self.status.setText("  ".join(parts))
        self.status.setEnabled(bool(spell or gloss))

    def next_language_problem(self) -> None:
        """Select the next cue with a spelling or glossary problem (wrapping)."""
        wanted = lambda p: p.check in ("spelling", "glossary")  # noqa: E731
        self.window.commands.go_to_problem(1, wanted, self.tr("No spelling or glossary problems."))


def install(window: Host) -> None:
    """Add spelling to the window's editors, the Spelling dialog and the status-bar count."""
    window.parts.add(SpellingFeature(window))


__all__ = ["SpellHighlighter", "SpellService", "SpellingDialog", "SpellingFeature", "install"]


# Hooks the review panel's editors too.
FEATURE = Feature("spelling", install, after=("review",))
