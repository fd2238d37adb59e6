"""Every setting the editor stores, declared once with its type and default.

Values live in an INI file under platformdirs' user config folder ("cueline"), written
through QSettings. Each value is stored as JSON (bytes as base64) so that lists, booleans
and numbers come back with the type they went in with, whatever QSettings' INI quirks.
"""

from __future__ import annotations

import base64
import json
import os
from enum import Enum
from typing import Any

from PySide6.QtCore import QSettings


class Key(Enum):
    """A setting: (INI key, Python type, default)."""

    RECENT_FILES = ("files/recent", list, [])
    LAST_DIR = ("files/last_dir", str, "")
    WINDOW_GEOMETRY = ("window/geometry", bytes, b"")
    WINDOW_STATE = ("window/state", bytes, b"")
    TABLE_HEADER_STATE = ("window/table_header", bytes, b"")
    AUTOSAVE_DELAY_MS = ("autosave/delay_ms", int, 3000)
    WAVEFORM_CACHE_MB = ("waveform/cache_mb", int, 1024)
    SMALL_GAP_MS = ("timing/small_gap_ms", int, 500)
    # Style limits per track (editor.core.style.StyleSettings.to_dict).
    STYLES = ("style/tracks", dict, {})
    LAST_SHIFT_MS = ("timing/last_shift_ms", int, 0)
    EXPORT_FORMAT = ("export/format", str, "srt")
    EXPORT_TRACK = ("export/track", str, "source")
    EXPORT_SPEAKERS = ("export/speakers", str, "voice")
    EXPORT_ENCODING = ("export/encoding", str, "utf-8")
    EXPORT_BOM = ("export/bom", bool, False)
    EXPORT_NEWLINE = ("export/newline", str, "\n")
    FIRST_RUN_HINT_SHOWN = ("app/first_run_hint_shown", bool, False)
    WARN_LOSSY_SAVE = ("files/warn_lossy_save", bool, True)
    # Align a transcript with estimated times as soon as its media is read (else: offer it).
    ALIGN_ON_OPEN = ("timing/align_on_open", bool, False)
    # The user's own shortcuts: action id → keys ("Ctrl+J, F5"; "" for none), only those changed.
    CUSTOM_KEYS = ("keys/custom", dict, {})

    @property
    def ini_key(self) -> str:
        return self.value[0]

    @property
    def kind(self) -> type:
        return self.value[1]

    @property
    def default(self) -> Any:
        # Copy mutable defaults so that callers can never change the declared one.
        default = self.value[2]
        return type(default)(default) if isinstance(default, list | dict) else default


RECENT_FILES_MAX = 10
AUTOSAVE_DELAY_RANGE_MS = (500, 30_000)  # the promise: at most a few seconds of work at risk
WAVEFORM_CACHE_RANGE_MB = (0, 100_000)


def autosave_delay(settings: Settings) -> int:
    """Return the autosave delay the user set, kept within AUTOSAVE_DELAY_RANGE_MS."""
    low, high = AUTOSAVE_DELAY_RANGE_MS
    return max(low, min(high, int(settings.get(Key.AUTOSAVE_DELAY_MS))))


def config_dir() -> str:
    """Return the folder of the settings file (created on demand)."""
    from editor.core.userdirs import user_dir

    return user_dir("config")


class Settings:
    """Typed access to the INI file. `path` defaults to <user config dir>/cueline.ini."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path or os.path.join(config_dir(), "cueline.ini")
        self._qs = QSettings(self.path, QSettings.Format.IniFormat)

    def get(self, key: Key) -> Any:
        """Return the stored value converted to the key's type, or the default when absent or unreadable."""
        raw = self._qs.value(key.ini_key)
        if raw is None:
            return key.default
        try:
            value = json.loads(str(raw))
            if key.kind is bytes:
                return base64.b64decode(value)
            if key.kind is float and isinstance(value, int):
                return float(value)
            if not isinstance(value, key.kind) or (key.kind is int and isinstance(value, bool)):
                return key.default
            return value
        except (ValueError, TypeError):
            # A hand-edited or corrupt value must never stop the editor from starting.
            return key.default

    def set(self, key: Key, value: Any) -> None:
        """Store `value` for `key` (converted with the key's type)."""
        if key.kind is bytes:
            encoded = json.dumps(base64.b64encode(bytes(value)).decode("ascii"))
        else:
            encoded = json.dumps(key.kind(value))
        self._qs.setValue(key.ini_key, encoded)

    def sync(self) -> None:
        """Write pending values to disk."""
        self._qs.sync()

    # -- recent files -------------------------------------------------------------
    def add_recent(self, path: str) -> list[str]:
        """Put `path` first in the recent-files list; returns the new list."""
        path = os.path.abspath(path)
        recent = [p for p in self.get(Key.RECENT_FILES) if isinstance(p, str) and p != path]
        recent.insert(0, path)
        del recent[RECENT_FILES_MAX:]
        self.set(Key.RECENT_FILES, recent)
        return recent
