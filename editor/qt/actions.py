"""Every window action in one table: id, menu, label, shortcut and tooltip.

The shortcut table shown in Help → Keyboard Shortcuts (and used to generate the
README's list) is derived from SPECS, so there is one place to change a key.
Keys are written out ("Ctrl+Y, Ctrl+Shift+Z"), not taken from QKeySequence.StandardKey: on X11
the standard keys are empty (Replace), odd (Find Next is Ctrl+G, Undo also F14) or named after
dedicated keys ("Exit"), so what the menus and F1 showed was not what worked. A spec may give
macOS its own keys (`mac`); Qt maps Ctrl to ⌘ there and Meta to the Control key.
Go to Cue is Ctrl+G (Subtitle Edit, VS Code, Kate, Sublime: "go to line"); Find Next is F3
(on macOS ⌘G, that platform's find-next, and Go to Cue is Control+G as in VS Code there).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence

from editor.core.records import record


class ActionId(StrEnum):
    OPEN = "open"
    OPEN_TRANSLATION = "open_translation"
    OPEN_MEDIA = "open_media"
    SAVE = "save"
    SAVE_AS = "save_as"
    SAVE_PROJECT = "save_project"
    EXPORT = "export"
    QUIT = "quit"
    UNDO = "undo"
    REDO = "redo"
    INSERT_BEFORE = "insert_before"
    INSERT_AFTER = "insert_after"
    DELETE = "delete"
    SPLIT = "split"
    MERGE = "merge"
    REBALANCE_LINES = "rebalance_lines"
    UNBREAK_LINES = "unbreak_lines"
    REBALANCE_ALL = "rebalance_all"
    FIND = "find"
    FIND_NEXT = "find_next"
    REPLACE = "replace"
    PREFERENCES = "preferences"
    SHIFT = "shift"
    SYNC = "sync"
    READING_SPEED = "reading_speed"
    FIX_OVERLAPS = "fix_overlaps"
    CLOSE_GAPS = "close_gaps"
    RESEGMENT = "resegment"
    SNAP_TO_PAUSES = "snap_to_pauses"
    ALIGN_TO_AUDIO = "align_to_audio"
    NEXT_UNCERTAIN_TIMING = "next_uncertain_timing"
    CONFIRM_TIMING = "confirm_timing"
    SET_START_AT_PLAYHEAD = "set_start_at_playhead"
    SET_END_AT_PLAYHEAD = "set_end_at_playhead"
    INSERT_AT_PLAYHEAD = "insert_at_playhead"
    SPLIT_AT_PLAYHEAD = "split_at_playhead"
    NUDGE_START_EARLIER_FRAME = "nudge_start_earlier_frame"
    NUDGE_START_LATER_FRAME = "nudge_start_later_frame"
    NUDGE_END_EARLIER_FRAME = "nudge_end_earlier_frame"
    NUDGE_END_LATER_FRAME = "nudge_end_later_frame"
    NUDGE_START_EARLIER = "nudge_start_earlier"
    NUDGE_START_LATER = "nudge_start_later"
    NUDGE_END_EARLIER = "nudge_end_earlier"
    NUDGE_END_LATER = "nudge_end_later"
    PLAY_PAUSE = "play_pause"
    PLAY_CUE = "play_cue"
    LOOP_SELECTION = "loop_selection"
    PLAY_AROUND_START = "play_around_start"
    PLAY_AROUND_END = "play_around_end"
    SLOWER = "slower"
    FASTER = "faster"
    NEXT_CUE = "next_cue"
    PREV_CUE = "prev_cue"
    NEXT_PROBLEM = "next_problem"
    PREV_PROBLEM = "prev_problem"
    GO_TO = "go_to"
    NEXT_ESTIMATED = "next_estimated"
    PREV_ESTIMATED = "prev_estimated"
    FOCUS_TABLE = "focus_table"
    FOCUS_TEXT = "focus_text"
    RENAME_SPEAKER = "rename_speaker"
    MERGE_SPEAKERS = "merge_speakers"
    CLEAR_SPEAKER = "clear_speaker"
    PICK_SPEAKER = "pick_speaker"
    SPEAKERS_PANEL = "speakers_panel"
    LANES_BY_SPEAKER = "lanes_by_speaker"
    REVIEW_MODE = "review_mode"
    MARK_REVIEWED = "mark_reviewed"
    MARK_NEEDS_REVIEW = "mark_needs_review"
    NEXT_NEEDS_REVIEW = "next_needs_review"
    PREV_NEEDS_REVIEW = "prev_needs_review"
    FILTER_NEEDS_REVIEW = "filter_needs_review"
    SET_LANGUAGES = "set_languages"
    SHOW_TIPS = "show_tips"
    SHORTCUTS = "shortcuts"
    ABOUT = "about"


@record(frozen=True)
class ActionSpec:
    id: ActionId
    menu: str
    text: str
    # Portable key strings separated by ", " ("Ctrl+Y, Ctrl+Shift+Z"); the first is the main one.
    # ("std:<StandardKey name>|<fallback>" is still understood, but every spec here spells its keys.)
    shortcut: str = ""
    tip: str = ""
    mac: str | None = None  # the keys on macOS when they differ

    def default_keys(self) -> str:
        """Return this platform's default key string."""
        return self.mac if (self.mac is not None and sys.platform == "darwin") else self.shortcut

    def keys(self) -> str:
        """Return the key string in use: the user's own (Preferences → Keyboard) or the default."""
        return _custom_keys.get(str(self.id), self.default_keys())


# The user's own keys by action id (Preferences → Keyboard, editor.qt.views.keyboard_page), in the
# spec's portable form; "" for an action the user left without a key. Set by the keymap.
_custom_keys: dict[str, str] = {}


def set_custom_keys(keys: dict[str, str]) -> None:
    """Use `keys` (action id → key string) instead of the defaults wherever keys are shown."""
    _custom_keys.clear()
    _custom_keys.update(keys)


def action_tip(spec: ActionSpec) -> str:
    """Return an action's tooltip without its keys."""
    return tr(spec.tip) if spec.tip else tr(spec.text).replace("&", "")


_S, A = ActionSpec, ActionId  # short names keep the table below readable

SPECS: tuple[ActionSpec, ...] = (
    _S(A.OPEN, "File", "&Open…", "Ctrl+O", "Open a subtitle, transcript or project file"),
    ActionSpec(
        ActionId.OPEN_TRANSLATION, "File", "Open &Translation…", "Ctrl+Shift+O", "Attach a translation file"
    ),
    _S(A.OPEN_MEDIA, "File", "Open &Media…", "", "Remember a media file with the document"),
    _S(A.SAVE, "File", "&Save", "Ctrl+S", "Save in the file's own format and encoding"),
    _S(A.SAVE_AS, "File", "Save &As…", "Ctrl+Shift+S", "Save under a new name or format"),
    _S(A.SAVE_PROJECT, "File", "Save &Project…", "Ctrl+Alt+S", "Save everything as .cueline"),
    _S(A.EXPORT, "File", "&Export…", "Ctrl+E", "Export SRT, WebVTT or text"),
    _S(A.QUIT, "File", "&Quit", "Ctrl+Q", "Quit Cueline"),
    _S(A.UNDO, "Edit", "&Undo", "Ctrl+Z", "Undo the last change"),
    _S(A.REDO, "Edit", "&Redo", "Ctrl+Y, Ctrl+Shift+Z", "Redo the last undone change"),
    ActionSpec(
        ActionId.INSERT_BEFORE, "Edit", "Insert Cue &Before", "Ctrl+Shift+Ins", "New cue before this one"
    ),
    _S(A.INSERT_AFTER, "Edit", "&Insert Cue After", "Ctrl+Ins", "New cue after this one"),
    _S(A.DELETE, "Edit", "&Delete Cues", "Ctrl+Del", "Delete the selected cues"),
    ActionSpec(
        ActionId.SPLIT, "Edit", "S&plit at Cursor", "Ctrl+Shift+Return", "Split the cue at the text cursor"
    ),
    ActionSpec(
        ActionId.MERGE, "Edit", "&Merge with Next", "Ctrl+M", "Merge the selected cues (or with the next)"
    ),
    # Line layout (editor.qt.views.line_layout).
    _S(A.REBALANCE_LINES, "Edit", "Re&balance Lines", "Ctrl+B", "Break the selected cues' lines anew"),
    _S(A.UNBREAK_LINES, "Edit", "U&nbreak Lines", "Ctrl+Shift+B", "Join the selected cues' lines into one"),
    _S(A.REBALANCE_ALL, "Edit", "Rebalance &All Lines…", "", "Break every cue's lines anew"),
    _S(A.FIND, "Edit", "&Find…", "Ctrl+F", "Find text in cues"),
    _S(A.FIND_NEXT, "Edit", "Find &Next", "F3", "Find the next match", mac="Ctrl+G, F3"),
    _S(A.REPLACE, "Edit", "R&eplace…", "Ctrl+H", "Find and replace, plain or regex", mac="Ctrl+Alt+F"),
    _S(A.PREFERENCES, "Edit", "Pre&ferences…", "Ctrl+,", "Style limits, autosave"),
    _S(A.SHIFT, "Timing", "&Shift Times…", "Ctrl+Shift+T", "Move selected or all cues"),
    _S(A.SYNC, "Timing", "&Two-Point Sync…", "", "Map two cues to two correct times"),
    ActionSpec(
        ActionId.READING_SPEED, "Timing", "Set Duration to &Reading Speed", "Ctrl+R", "Fit ends to CPS"
    ),
    _S(A.FIX_OVERLAPS, "Timing", "Fix &Overlaps", "", "End each cue before the next starts"),
    _S(A.CLOSE_GAPS, "Timing", "Close Small &Gaps", "", "Chain cues separated by short gaps"),
    ActionSpec(
        ActionId.RESEGMENT, "Timing", "Re-&segment Selection", "", "Cut selected cues into readable cues"
    ),
    _S(A.SNAP_TO_PAUSES, "Timing", "Snap to Pa&uses…", "", "Move estimated boundaries into speech pauses"),
    # Align to Audio (editor.qt.views.align_audio).
    _S(
        A.ALIGN_TO_AUDIO,
        "Timing",
        "&Align to Audio…",
        "Ctrl+Alt+A",
        "Time estimated cues from the media's speech",
    ),
    ActionSpec(
        ActionId.NEXT_UNCERTAIN_TIMING,
        "Timing",
        "Next Unc&ertain Timing",
        "Ctrl+Alt+U",
        "Go to the next cue that alignment timed by pauses only, or could not time",
    ),
    _S(A.CONFIRM_TIMING, "Timing", "&Confirm Timing", "Ctrl+Shift+C", "Mark times as exact"),
    # Timing by ear (editor.qt.views.timing_by_ear): the playhead is the media position.
    _S(A.SET_START_AT_PLAYHEAD, "Timing", "Set Start at &Playhead", "F9", "Start the cue at the playhead"),
    ActionSpec(
        ActionId.SET_END_AT_PLAYHEAD, "Timing", "Set E&nd at Playhead and Next", "F10", "End it, go on"
    ),
    _S(A.INSERT_AT_PLAYHEAD, "Timing", "&Insert Cue at Playhead", "Alt+Ins", "New cue at the playhead"),
    _S(A.SPLIT_AT_PLAYHEAD, "Timing", "Split at Pla&yhead", "Alt+Shift+Return", "Cut the cue in time there"),
    _S(A.NUDGE_START_EARLIER_FRAME, "Timing", "Start One Frame Earlier", "Alt+Left", "Move the start back"),
    _S(A.NUDGE_START_LATER_FRAME, "Timing", "Start One Frame Later", "Alt+Right", "Move the start on"),
    _S(A.NUDGE_END_EARLIER_FRAME, "Timing", "End One Frame Earlier", "Alt+Shift+Left", "Move the end back"),
    _S(A.NUDGE_END_LATER_FRAME, "Timing", "End One Frame Later", "Alt+Shift+Right", "Move the end on"),
    _S(A.NUDGE_START_EARLIER, "Timing", "Start 100 ms Earlier", "Ctrl+Alt+Left", "Move the start back"),
    _S(A.NUDGE_START_LATER, "Timing", "Start 100 ms Later", "Ctrl+Alt+Right", "Move the start on"),
    _S(A.NUDGE_END_EARLIER, "Timing", "End 100 ms Earlier", "Ctrl+Alt+Shift+Left", "Move the end back"),
    _S(A.NUDGE_END_LATER, "Timing", "End 100 ms Later", "Ctrl+Alt+Shift+Right", "Move the end on"),
    # Playback (editor.qt.views.player_panel).
    _S(A.PLAY_PAUSE, "Media", "&Play / Pause", "Ctrl+Space", "Play or pause the media"),
    _S(A.PLAY_CUE, "Media", "Play &Current Cue", "Ctrl+P", "Play the current cue once"),
    _S(A.LOOP_SELECTION, "Media", "&Loop Selection", "Ctrl+L", "Play the selected cues again and again"),
    _S(A.PLAY_AROUND_START, "Media", "Play Around &Start", "Ctrl+F9", "Half a second either side"),
    _S(A.PLAY_AROUND_END, "Media", "Play Around &End", "Ctrl+F10", "Half a second either side"),
    _S(A.SLOWER, "Media", "&Slower", "Ctrl+[", "Play slower (pitch kept)"),
    _S(A.FASTER, "Media", "&Faster", "Ctrl+]", "Play faster (pitch kept)"),
    _S(A.NEXT_CUE, "Go", "&Next Cue", "Alt+Down", "Select the next cue"),
    _S(A.PREV_CUE, "Go", "&Previous Cue", "Alt+Up", "Select the previous cue"),
    _S(A.NEXT_PROBLEM, "Go", "Next &Problem", "F8", "Jump to the next cue with a QC problem"),
    _S(A.PREV_PROBLEM, "Go", "Previous Pro&blem", "Shift+F8", "Jump to the previous cue with a QC problem"),
    _S(
        A.NEXT_ESTIMATED,
        "Go",
        "Next &Estimated Timing",
        "Ctrl+F8",
        "Jump to the next cue with estimated times",
    ),
    ActionSpec(
        ActionId.PREV_ESTIMATED, "Go", "Previous E&stimated Timing", "Ctrl+Shift+F8", "The previous one"
    ),
    _S(A.GO_TO, "Go", "&Go to Cue…", "Ctrl+G", "Go to a cue number or a time", mac="Meta+G"),
    _S(A.FOCUS_TABLE, "Go", "Focus &Table", "Ctrl+1", "Move keyboard focus to the cue table"),
    _S(A.FOCUS_TEXT, "Go", "Focus &Text", "Ctrl+2", "Move keyboard focus to the text editor"),
    _S(A.RENAME_SPEAKER, "Speakers", "&Rename Speaker…", "Ctrl+Shift+R", "Rename a speaker everywhere"),
    _S(A.MERGE_SPEAKERS, "Speakers", "&Merge Speakers…", "", "Merge speakers into one"),
    _S(A.CLEAR_SPEAKER, "Speakers", "&Clear Speaker", "Alt+0", "Remove the speaker from cues"),
    _S(A.PICK_SPEAKER, "Speakers", "Assign Speaker by &Name…", "Ctrl+K", "Type a speaker's name to assign"),
    _S(A.SPEAKERS_PANEL, "Speakers", "Speakers &Panel", "F6", "Show or hide the list of speakers"),
    _S(A.LANES_BY_SPEAKER, "View", "One &Lane per Speaker", "", "Timeline: one lane for each speaker"),
    _S(A.REVIEW_MODE, "Review", "Review &Mode", "F7", "Source above translation, large"),
    _S(A.MARK_REVIEWED, "Review", "Mark &Reviewed and Next", "Ctrl+Return", "Accept this translation"),
    _S(A.MARK_NEEDS_REVIEW, "Review", "Mark &Needs Review", "Ctrl+Alt+Return", "Send it back"),
    _S(A.NEXT_NEEDS_REVIEW, "Review", "Next Needing Re&view", "Ctrl+Alt+Down", "Next cue to review"),
    _S(A.PREV_NEEDS_REVIEW, "Review", "&Previous Needing Review", "Ctrl+Alt+Up", "Previous cue to review"),
    _S(A.FILTER_NEEDS_REVIEW, "Review", "Show Needs Review &Only", "", "Filter the table to cues to review"),
    _S(A.SET_LANGUAGES, "Review", "Set &Languages…", "", "Override the detected languages"),
    _S(A.SHOW_TIPS, "Help", "Show &Tips", "", "What you can do in Cueline, with the sample"),
    _S(A.SHORTCUTS, "Help", "&Keyboard Shortcuts", "F1", "List every shortcut"),
    _S(A.ABOUT, "Help", "&About Cueline", "", "Versions and licence"),
)

# Speakers 1–9 get "Alt+1" … "Alt+9" (assign to the selected cues); listed with the others.
SPEAKER_SHORTCUT = "Alt+{n}"
EXTRA_SHORTCUTS: tuple[tuple[str, str, str], ...] = (
    ("Speakers", "Assign speaker 1–9 to the selected cues", "Alt+1 … Alt+9"),
    ("Table", "Edit the current cell", "Enter / F2 / type"),
    ("Table", "New line inside a text cell", "Shift+Enter"),
    ("Table", "Cancel a cell edit", "Esc"),
    # Spelling and glossary (editor.qt.views.spelling_feature, glossary_panel).
    ("Review", "Spelling…", "Ctrl+F7"),
    ("Review", "Add Selection to Glossary…", "Ctrl+Shift+G"),
    ("View", "Glossary Panel", "Ctrl+Alt+G"),
)


_DEDICATED_KEYS = frozenset({"Open", "Save", "Undo", "Redo", "Find", "Close", "Copy", "Paste", "Cut", "Help"})


def tr(text: str) -> str:
    return QCoreApplication.translate("actions", text)


def key_sequences(shortcut: str) -> list[QKeySequence]:
    """Return the key sequences for a shortcut string ("Ctrl+Y, Ctrl+Shift+Z": two of them)."""
    if not shortcut:
        return []
    primary, _, fallback = shortcut.partition("|")
    if primary.startswith("std:"):
        # Some platforms bind nothing to a standard key (Quit on Windows): use the fallback.
        bindings = QKeySequence.keyBindings(getattr(QKeySequence.StandardKey, primary[4:]))
        return bindings or ([QKeySequence(fallback)] if fallback else [])
    return [QKeySequence(part.strip()) for part in shortcut.split(", ") if part.strip()]


def shortcut_text(shortcut: str) -> str:
    """Return a shortcut as the user reads it on this platform ("Ctrl+O")."""
    fmt = QKeySequence.SequenceFormat.NativeText
    texts = [seq.toString(fmt) for seq in key_sequences(shortcut)]
    # Leave out bindings to dedicated keyboard keys ("Open", "Shift+Save"): few keyboards have them.
    typed = [t for t in texts if t.split("+")[-1] not in _DEDICATED_KEYS]
    return ", ".join(typed or texts[:1])


# The features' own actions among the extra keys, by action id: the user may rebind them too.
_EXTRA_IDS = {
    "Spelling…": "spelling",
    "Add Selection to Glossary…": "add_to_glossary",
    "Glossary Panel": "glossary_panel",
}


def shortcut_table() -> list[tuple[str, str, str]]:
    """Return (menu, action, keys) for every action with a shortcut, plus the extra keys."""
    rows = [(tr(s.menu), tr(s.text).replace("&", "").rstrip("…"), shortcut_text(s.keys())) for s in SPECS]
    rows = [row for row in rows if row[2]]
    extra = []
    for menu, action, keys in EXTRA_SHORTCUTS:
        custom = _custom_keys.get(_EXTRA_IDS.get(action, ""))
        shown = tr(keys) if custom is None else shortcut_text(custom)
        if shown:
            extra.append((tr(menu), tr(action), shown))
    return rows + extra


def build_actions(parent: QObject, handlers: dict[ActionId, Callable[[], object]]) -> dict[ActionId, QAction]:
    """Create a QAction per spec, wired to its handler (actions without one are disabled)."""
    actions: dict[ActionId, QAction] = {}
    for spec in SPECS:
        action = QAction(tr(spec.text), parent)
        action.setObjectName(f"action_{spec.id}")
        sequences = key_sequences(spec.keys())
        if sequences:
            action.setShortcuts(sequences)
        tip = action_tip(spec)
        keys = shortcut_text(spec.keys())
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
        handler = handlers.get(spec.id)
        if handler is None:
            action.setEnabled(False)
        else:
            action.triggered.connect(lambda _checked=False, h=handler: h())
        actions[spec.id] = action
    return actions


def markdown_table() -> str:
    """Return the shortcut table as Markdown (for the README)."""
    lines = ["| Menu | Action | Keys |", "|---|---|---|"]
    lines += [f"| {menu} | {text} | {keys} |" for menu, text, keys in shortcut_table()]
    return "\n".join(lines) + "\n"


README_BEGIN, README_END = "<!-- shortcuts:begin -->", "<!-- shortcuts:end -->"


def with_readme_table(readme: str) -> str:
    """Return the README text with the table between its shortcut markers replaced."""
    head, _, rest = readme.partition(README_BEGIN)
    _, _, tail = rest.partition(README_END)
    return f"{head}{README_BEGIN}\n{markdown_table()}{README_END}{tail}"


if __name__ == "__main__":  # prints the shortcut table; `--readme FILE` rewrites it in the README
    import os
    import sys

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication([])
    if sys.argv[1:2] == ["--readme"]:
        with open(sys.argv[2], encoding="utf-8") as fh:
            text = fh.read()
        with open(sys.argv[2], "w", encoding="utf-8") as fh:
            fh.write(with_readme_table(text))
    else:
        print(markdown_table(), end="")
