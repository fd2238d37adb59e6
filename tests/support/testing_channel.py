"""Test-only control channel: lets a test drive the real editor process through its GUI.

Nothing shipped loads it: the test entry point (`python -m tests.support.controlled_app
CONTROL_FOLDER [editor arguments]`, used by benchmarks/soak_kill.py and the kill-recovery
test) starts the editor with it. The window then polls the folder for command files
`cmd-<seq>.json` (written atomically by the test: temp file + rename), runs them in
sequence order on the GUI thread, marks the start of each with an empty `begin-<seq>`
file and answers each with `ack-<seq>.json` (also renamed into place) holding wall-clock
timestamps, so a test that kills the process knows which edits are older than the
autosave delay.

Commands (`{"cmd": name, ...}`):
- `state`: loaded flag, cue count, clean flag, source path, autosave delay and folder
- `edit`: `row`, `text`: select the cue and type the text into the edit panel
- `save`: trigger the Save action; `autosave-now`: start an autosave at once
- `texts`: the text of every cue, in order
An unknown command or one that raises is acknowledged with `ok: false` and the reason.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QTextCursor

POLL_MS = 10


def write_json_atomic(path: str, data: dict) -> None:
    """Write `data` as JSON so that a reader never sees a half-written file."""
    tmp = f"{path}.{os.getpid()}.part"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
    os.replace(tmp, path)


class TestingChannel(QObject):
    """Polls `folder` for commands and acknowledges each one (see the module docstring)."""

    def __init__(self, window, folder: str) -> None:
        super().__init__(window)
        self.window = window
        self.folder = folder
        self.next_seq = 0
        self._handlers: dict[str, Callable[[dict], dict]] = {
            "state": self._state,
            "edit": self._edit,
            "save": self._save,
            "autosave-now": self._autosave_now,
            "texts": self._texts,
        }
        os.makedirs(folder, exist_ok=True)
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self.poll)
        self._timer.start()

    def poll(self) -> None:
        """Run every command that is waiting, in sequence order."""
        while True:
            path = os.path.join(self.folder, f"cmd-{self.next_seq:06d}.json")
            try:
                with open(path, encoding="utf-8") as fh:
                    command = json.load(fh)
            except FileNotFoundError:
                return
            received = time.time()
            os.remove(path)
            # Lets a test time a kill from the moment the command really starts.
            open(os.path.join(self.folder, f"begin-{self.next_seq:06d}"), "wb").close()
            seq = self.next_seq
            self.next_seq += 1
            ack: dict = {"seq": seq, "cmd": command.get("cmd"), "t_received": received, "ok": True}
            handler = self._handlers.get(str(command.get("cmd")))
            try:
                if handler is None:
                    raise ValueError(f"unknown command {command.get('cmd')!r}")
                ack.update(handler(command))
            except Exception as exc:  # the test reads the reason; the editor keeps running
                ack.update(ok=False, error=f"{type(exc).__name__}: {exc}")
            ack["t_done"] = time.time()
            ack["revision"] = self.window.controller.revision
            write_json_atomic(os.path.join(self.folder, f"ack-{seq:06d}.json"), ack)

    # -- commands ---------------------------------------------------------------------
    def _state(self, _command: dict) -> dict:
        w = self.window
        info = w.controller.document.sources.get("source")
        return {
            "pid": os.getpid(),
            "loaded": not w.loading and len(w.controller.document) > 0,
            "cues": len(w.controller.document),
            "clean": w.controller.undo_stack.isClean(),
            "path": info.path if info else None,
            "autosave_delay_ms": w.autosaver.delay_ms,
            "autosave_folder": w.autosaver.folder,
        }

    def _edit(self, command: dict) -> dict:
        w = self.window
        doc = w.controller.document
        cue_id = doc.cues[int(command["row"])].id
        w.controller.select([cue_id], cue_id)
        editor = w.edit_panel.text
        cursor = editor.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(str(command["text"]))  # as typing or pasting would
        if doc.cue(cue_id).text != command["text"]:
            raise RuntimeError("the edit panel did not apply the text")
        return {"cue_id": cue_id}

    def _save(self, _command: dict) -> dict:
        from editor.qt.actions import ActionId

        self.window.actions[ActionId.SAVE].trigger()
        return {"clean": self.window.controller.undo_stack.isClean()}

    def _autosave_now(self, _command: dict) -> dict:
        self.window.autosaver.save_now()
        return {}

    def _texts(self, _command: dict) -> dict:
        return {"texts": [cue.text for cue in self.window.controller.document.cues]}

