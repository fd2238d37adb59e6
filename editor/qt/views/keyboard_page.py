"""Custom shortcuts: Preferences → Keyboard lists every action with its keys, each rebindable.

The keymap of a window (`Keymap`) knows each action's default keys (actions.SPECS, and the
keys a feature gave its own action, Spelling's Ctrl+F7 say) and the user's own, kept in the
settings (Key.CUSTOM_KEYS: only those that differ from the default). A change applies at once:
the actions' shortcuts (so the menus), their tooltips, the F1 list and the first-run tips all
read the keys in use. A key already taken by another action is refused with the name of its
owner, and one click moves it over. Keys the user never sees in the list (a keyboard's media
keys on Play / Pause) stay as they are. Ctrl+Space is the input-method key on CJK desktops:
the playback keys are in the list like every other.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.core.records import record
from editor.qt.actions import SPECS, action_tip, key_sequences, set_custom_keys, shortcut_text, tr
from editor.qt.host import Feature, Host
from editor.qt.settings import Key
from editor.qt.views.preferences import PreferencesContext, register_page

PORTABLE = QKeySequence.SequenceFormat.PortableText
ID_ROLE = Qt.ItemDataRole.UserRole


def portable(sequences: list[QKeySequence]) -> str:
    """Return key sequences in the specs' portable form ("Ctrl+Y, Ctrl+Shift+Z")."""
    return ", ".join(seq.toString(PORTABLE) for seq in sequences if not seq.isEmpty())


# Keys the widgets answer themselves (the table, the text boxes, dialogs): bound to an action
# they would stop working there, or the action would never fire.
RESERVED = {
    "Return": "Enter (edits a cell, ends a line)",
    "Enter": "Enter (edits a cell, ends a line)",
    "Shift+Return": "Shift+Enter (a new line in a cell)",
    "Escape": "Esc (cancels an edit, closes a dialog)",
    "Tab": "Tab (the next field)",
    "Shift+Tab": "Shift+Tab (the previous field)",
    "Backspace": "Backspace",
    "Del": "Delete",
    "F2": "F2 (edits the current cell)",
    "Ctrl+Home": "Ctrl+Home (the first cue)",
    "Ctrl+End": "Ctrl+End (the last cue)",
    "Ctrl+A": "Select All",
    "Ctrl+C": "Copy",
    "Ctrl+X": "Cut",
    "Ctrl+V": "Paste",
}


def types_text(sequence: QKeySequence) -> bool:
    """Return True for a key that types a character (a letter, digit, sign or space, alone or
    with Shift): bound window-wide, it would be taken from every text box."""
    if sequence.isEmpty():
        return False
    combination = sequence[0]
    modifiers = combination.keyboardModifiers() & ~Qt.KeyboardModifier.ShiftModifier
    # Keys below 0x01000000 are characters; the others (F1, Ins, arrows…) have their own codes.
    return int(combination.key().value) < 0x01000000 and modifiers == Qt.KeyboardModifier.NoModifier


@record
class Binding:
    """One rebindable action: its id, where it lives, its default keys and the keys kept aside."""

    id: str
    menu: str
    label: str
    action: QAction
    default: str
    extra: tuple[QKeySequence, ...] = ()  # not shown nor changed (media keys)
    spec_tip: str | None = None  # the tooltip without keys, for the actions of SPECS


@record(frozen=True)
class Conflict:
    """`key` is taken by `owner` (a binding's id, or None for a key that cannot move)."""

    key: QKeySequence
    owner: str | None
    label: str


_KEYMAPS: weakref.WeakValueDictionary[int, Keymap] = weakref.WeakValueDictionary()


class Keymap(QObject):
    """The keys of one window's actions. `changed()` fires after keys changed."""

    changed = Signal()

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self._bindings: dict[str, Binding] | None = None
        self._shown: dict[str, str] = {}  # the keys each action has now (its tooltip names them)
        _KEYMAPS[id(window.controller)] = self
        stored = self.settings.get(Key.CUSTOM_KEYS)
        if not stored:
            # The actions have their default keys already (build_actions): nothing to apply,
            # and the list of bindings is made when first needed (Preferences → Keyboard, a
            # key's conflicts): reading every action's keys costs ~4-8 ms of each launch.
            self.custom: dict[str, str] = {}
            set_custom_keys({})
            return
        self.custom = {k: v for k, v in stored.items() if k in self.bindings and isinstance(v, str)}
        self.apply()

    @property
    def bindings(self) -> dict[str, Binding]:
        """Every action with keys, by id: SPECS' and the features' own (made on first use)."""
        if self._bindings is None:
            self._bindings = self._read_bindings()
        return self._bindings

    def _read_bindings(self) -> dict[str, Binding]:
        window = self.window
        bindings: dict[str, Binding] = {}
        for spec in SPECS:
            action = window.actions[spec.id]
            built = key_sequences(spec.keys())  # what build_actions gave it
            extra = tuple(seq for seq in action.shortcuts() if seq not in built)
            self._shown[str(spec.id)] = spec.keys()
            bindings[str(spec.id)] = Binding(
                str(spec.id),
                tr(spec.menu),
                tr(spec.text).replace("&", "").rstrip("…"),
                action,
                spec.default_keys(),
                extra,
                action_tip(spec),
            )
        menus = window.menus
        for action in window.findChildren(QAction):
            name = action.objectName().removeprefix("action_")
            if not action.objectName().startswith("action_") or name in bindings or not action.shortcuts():
                continue
            menu = next((title for title, m in menus.items() if action in m.actions()), "View")
            label = action.text().replace("&", "").rstrip("…")
            bindings[name] = Binding(name, tr(menu), label, action, portable(action.shortcuts()))
        return bindings

    # -- reading ---------------------------------------------------------------------------
    def keys(self, binding_id: str) -> str:
        """Return the keys in use for an action ("" for none)."""
        return self.custom.get(binding_id, self.bindings[binding_id].default)

    def is_custom(self, binding_id: str) -> bool:
        return binding_id in self.custom

    def conflict(self, binding_id: str, key: QKeySequence) -> Conflict | None:
        """Return who else uses `key`, or None when it is free."""
        for other in self.bindings.values():
            if other.id != binding_id and key in key_sequences(self.keys(other.id)) + list(other.extra):
                return Conflict(key, other.id, f"{other.label} ({other.menu})")
        reserved = RESERVED.get(key.toString(PORTABLE))
        if reserved is not None:
            return Conflict(key, None, reserved)
        own = {b.action for b in self.bindings.values()}
        for action in self.window.findChildren(QAction):
            if action not in own and key in action.shortcuts():
                return Conflict(key, None, action.text().replace("&", ""))
        return None

    # -- changing ----------------------------------------------------------------------------
    def set_keys(self, binding_id: str, keys: str) -> Conflict | None:
        """Bind `keys` to an action; refused (returns the conflict) when one is taken."""
        for key in key_sequences(keys):
            found = self.conflict(binding_id, key)
            if found is not None:
                return found
        self._store(binding_id, keys)
        return None

    def take(self, binding_id: str, keys: str) -> bool:
        """Bind `keys`, taking each from the action that has it; False when one cannot move."""
        for key in key_sequences(keys):
            found = self.conflict(binding_id, key)
            if found is None:
                continue
            if found.owner is None:
                return False
            left = [seq for seq in key_sequences(self.keys(found.owner)) if seq != key]
            self._store(found.owner, portable(left), apply=False)
        self._store(binding_id, keys)
        return True

    def reset(self, binding_id: str) -> Conflict | None:
        """Give an action its default keys back (refused when another took one of them)."""
        return self.set_keys(binding_id, self.bindings[binding_id].default)

    def reset_all(self) -> None:
        """Every action gets its default keys."""
        self.custom.clear()
        self._save()
        self.apply()

    def _store(self, binding_id: str, keys: str, *, apply: bool = True) -> None:
        if keys == self.bindings[binding_id].default:
            self.custom.pop(binding_id, None)
        else:
            self.custom[binding_id] = keys
        self._save()
        if apply:
            self.apply()

    def _save(self) -> None:
        self.settings.set(Key.CUSTOM_KEYS, dict(self.custom))
        self.settings.sync()

    def apply(self) -> None:
        """Give every action its keys; tooltips, tips and the F1 list follow.

        Only the actions whose keys change are touched: with the default keys, installing the
        keymap costs no more than reading the settings."""
        set_custom_keys(dict(self.custom))
        changed = False
        for binding in self.bindings.values():
            keys = self.keys(binding.id)
            before_keys = self._shown.get(binding.id, binding.default)
            if keys == before_keys:
                continue
            changed = True
            binding.action.setShortcuts(key_sequences(keys) + list(binding.extra))
            if binding.spec_tip is not None:
                old, text = shortcut_text(before_keys), shortcut_text(keys)
                before = f"{binding.spec_tip} ({old})" if old else binding.spec_tip
                if binding.action.toolTip() == before:  # else it says something else (unavailable)
                    binding.action.setToolTip(f"{binding.spec_tip} ({text})" if text else binding.spec_tip)
            self._shown[binding.id] = keys
        if changed or self.custom:
            self._refresh_texts()
        self.changed.emit()

    def _refresh_texts(self) -> None:
        """Texts outside the actions that name keys: buttons' tooltips, the tips."""
        for widget, binding_id, text in self._key_tips():
            keys = shortcut_text(self.keys(binding_id))
            widget.setToolTip(f"{text} ({keys})" if keys else text)
        from editor.qt.views.first_run import TipsPanel

        for tips in self.window.findChildren(TipsPanel):
            tips.tips.setText(tips.tips_text())

    def _key_tips(self) -> list[tuple[QWidget, str, str]]:
        """Return (widget, action id, tooltip without keys) for the widgets that do an action."""
        w = self.window
        out: list[tuple[QWidget, str, str]] = [
            (w.edit_panel.prev_button, "prev_cue", w.tr("Previous cue")),
            (w.edit_panel.next_button, "next_cue", w.tr("Next cue")),
            (w.status_qc, "next_problem", w.tr("Jump to the next cue with a problem")),
        ]
        from editor.qt.views.review_panel import ReviewMode
        from editor.qt.views.speakers_panel import SpeakersPanel

        review = w.parts.get(ReviewMode)
        if review is not None:
            panel = review.panel
            out += [
                (panel.prev_button, "prev_needs_review", w.tr("Previous cue needing review")),
                (panel.next_button, "next_needs_review", w.tr("Next cue needing review")),
                (
                    panel.reviewed_button,
                    "mark_reviewed",
                    w.tr("Mark reviewed, go to the next cue needing review"),
                ),
                (panel.needs_button, "mark_needs_review", w.tr("Send this translation back to review")),
            ]
        speakers = w.parts.get(SpeakersPanel)
        if speakers is not None:
            out.append(
                (speakers.clear_button, "clear_speaker", w.tr("Remove the speaker from the selected cues"))
            )
        return [(widget, i, text) for widget, i, text in out if i in self.bindings]


def keymap_for(controller) -> Keymap | None:
    """Return the keymap of the window whose controller this is."""
    return _KEYMAPS.get(id(controller))


class KeyboardPage(QWidget):
    """Preferences → Keyboard: the actions and their keys; pick one, press its new key."""

    def __init__(self, keymap: Keymap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboardPage")
        self.keymap = keymap
        self._loading = False
        self._pending: tuple[str, str] | None = None  # (action, keys) waiting on "Use Here"
        layout = QVBoxLayout(self)
        self.search = QLineEdit(self)
        self.search.setObjectName("keySearch")
        self.search.setPlaceholderText(self.tr("Search actions or keys…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search shortcuts"))
        layout.addWidget(self.search)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("keyList")
        self.tree.setAccessibleName(self.tr("Actions and their keys"))
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("Menu"), self.tr("Action"), self.tr("Keys")])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.items: dict[str, QTreeWidgetItem] = {}
        for binding in keymap.bindings.values():
            item = QTreeWidgetItem([binding.menu, binding.label, ""])
            item.setData(0, ID_ROLE, binding.id)
            self.tree.addTopLevelItem(item)
            self.items[binding.id] = item
        layout.addWidget(self.tree, 1)
        row = QHBoxLayout()
        caption = QLabel(self.tr("&Shortcut:"), self)
        self.editor = QKeySequenceEdit(self)
        self.editor.setObjectName("keyEditor")
        self.editor.setMaximumSequenceLength(1)  # one chord: ", " separates a key's alternatives
        self.editor.setClearButtonEnabled(True)
        self.editor.setAccessibleName(self.tr("New shortcut"))
        self.editor.setToolTip(self.tr("Press the new key; the clear button leaves the action without a key"))
        caption.setBuddy(self.editor)
        self.reset_button = QPushButton(self.tr("&Reset"), self)
        self.reset_button.setObjectName("keyReset")
        self.reset_button.setToolTip(self.tr("Give this action its default keys back"))
        self.reset_all_button = QPushButton(self.tr("Reset &All"), self)
        self.reset_all_button.setObjectName("keyResetAll")
        self.reset_all_button.setToolTip(self.tr("Every action gets its default keys back"))
        row.addWidget(caption)
        row.addWidget(self.editor, 1)
        row.addWidget(self.reset_button)
        row.addWidget(self.reset_all_button)
        layout.addLayout(row)
        conflict_row = QHBoxLayout()
        self.conflict = QLabel(self)
        self.conflict.setObjectName("keyConflict")
        self.conflict.setTextFormat(Qt.TextFormat.PlainText)
        self.conflict.setWordWrap(True)
        self.use_here = QPushButton(self.tr("&Use It Here"), self)
        self.use_here.setObjectName("keyUseHere")
        self.use_here.setToolTip(self.tr("Take the key from the other action"))
        conflict_row.addWidget(self.conflict, 1)
        conflict_row.addWidget(self.use_here)
        layout.addLayout(conflict_row)
        self._show_conflict(None)
        self.search.textChanged.connect(self._filter)
        self.tree.currentItemChanged.connect(lambda *_a: self._show_current())
        self.editor.installEventFilter(self)
        self.editor.editingFinished.connect(self._on_key)
        self.editor.keySequenceChanged.connect(self._on_sequence)
        self.reset_button.clicked.connect(self._on_reset)
        self.reset_all_button.clicked.connect(self._on_reset_all)
        self.use_here.clicked.connect(self._on_use_here)
        keymap.changed.connect(self._refresh)
        self._refresh()
        self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def select(self, binding_id: str) -> None:
        """Make `binding_id` the action being edited."""
        self.tree.setCurrentItem(self.items[binding_id])
        self.tree.scrollToItem(self.items[binding_id])

    def current_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, ID_ROLE) if item is not None else None

    def _refresh(self) -> None:
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for binding_id, item in self.items.items():
            item.setText(2, shortcut_text(self.keymap.keys(binding_id)))
            custom = self.keymap.is_custom(binding_id)
            item.setFont(2, bold if custom else self.tree.font())
            item.setToolTip(2, self.tr("Changed from the default") if custom else "")
        self._show_current()

    def _show_current(self) -> None:
        binding_id = self.current_id()
        self._loading = True
        keys = key_sequences(self.keymap.keys(binding_id)) if binding_id else []
        self.editor.setKeySequence(keys[0] if keys else QKeySequence())
        self._loading = False
        self.reset_button.setEnabled(binding_id is not None and self.keymap.is_custom(binding_id))
        if self._pending is not None and self._pending[0] != binding_id:
            self._show_conflict(None)

    def _filter(self, text: str) -> None:
        needle = text.casefold().strip()
        for item in self.items.values():
            shown = " ".join(item.text(c) for c in range(3)).casefold()
            item.setHidden(bool(needle) and needle not in shown)
        current = self.tree.currentItem()
        if current is None or current.isHidden():
            # A key pressed now must not go to an action the list no longer shows.
            visible = [item for item in self.items.values() if not item.isHidden()]
            self.tree.setCurrentItem(visible[0] if visible else None)
            self.editor.setEnabled(bool(visible))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Esc closes the dialog and Tab moves on, as everywhere else, instead of being recorded.
        if obj is self.editor and event.type() == QEvent.Type.KeyPress and not event.modifiers():
            if event.key() == Qt.Key.Key_Escape:
                dialog = self.window()
                if isinstance(dialog, QDialog):
                    dialog.reject()
                return True
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                self.focusNextPrevChild(event.key() == Qt.Key.Key_Tab)
                return True
        return super().eventFilter(obj, event)

    def _on_sequence(self, sequence: QKeySequence) -> None:
        # Recording a key first empties the editor; only a clear (its button) leaves it empty.
        if sequence.isEmpty() and not self._loading:
            QTimer.singleShot(0, self, self._on_key)

    def _on_key(self) -> None:
        binding_id = self.current_id()
        if self._loading or binding_id is None:
            return
        sequence = self.editor.keySequence()
        keys = sequence.toString(PORTABLE)
        if keys == self.keymap.keys(binding_id).split(", ")[0]:
            return
        if types_text(sequence):
            self._show_refusal(
                self.tr("{key} alone types a character: use it with Ctrl or Alt.").format(
                    key=sequence.toString(QKeySequence.SequenceFormat.NativeText)
                )
            )
            self._show_current()
            return
        found = self.keymap.set_keys(binding_id, keys)
        if found is None:
            self._show_conflict(None)
            return
        self._pending = (binding_id, keys)
        self._show_conflict(found)
        self._show_current()  # the editor shows the keys the action still has

    def _show_refusal(self, text: str) -> None:
        self._pending = None
        self.conflict.setText(text)
        self.conflict.show()
        self.use_here.hide()

    def _show_conflict(self, found: Conflict | None) -> None:
        if found is None:
            self._pending = None
            self.conflict.setText("")
            self.conflict.hide()
            self.use_here.hide()
            return
        key = found.key.toString(QKeySequence.SequenceFormat.NativeText)
        if found.owner is None:
            text = self.tr("{key} is already {owner}, which cannot move.")
        else:
            text = self.tr("{key} is already used by {owner}. Use it here instead?")
        self.conflict.setText(text.format(key=key, owner=found.label))
        self.conflict.show()
        self.use_here.setVisible(found.owner is not None)

    def _on_use_here(self) -> None:
        if self._pending is not None:
            binding_id, keys = self._pending
            self.keymap.take(binding_id, keys)
        self._show_conflict(None)

    def _on_reset(self) -> None:
        binding_id = self.current_id()
        if binding_id is None:
            return
        found = self.keymap.reset(binding_id)
        if found is not None:
            self._pending = (binding_id, self.keymap.bindings[binding_id].default)
        self._show_conflict(found)

    def _on_reset_all(self) -> None:
        self.keymap.reset_all()
        self._show_conflict(None)


def _page(context: PreferencesContext) -> QWidget:
    keymap = keymap_for(context.controller)
    if keymap is None:
        return QLabel(tr("Shortcuts cannot be changed in this window."))
    return KeyboardPage(keymap)


register_page("Keyboard", _page, order=30)


def install(window: Host) -> None:
    """Give the window its keymap (the user's keys applied) and Preferences its Keyboard page."""
    window.parts.add(Keymap(window))


# After every other feature: their actions and the keys they add are in the list.
FEATURE = Feature("keyboard_page", install, after=("*",))
