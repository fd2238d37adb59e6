"""Cueline's per-user folders (settings, data, caches), as platformdirs names them.

`user_dir` is what every module asks. platformdirs (`platformdirs_dir`, the plain version) is
the authority, but importing it costs ~5 ms of every launch (its platform classes and their
checks) while on Linux its answer is a few environment look-ups: `_linux_dir` gives that answer
without importing it, and declines (None) whenever platformdirs might see more than it does
(no absolute HOME, an Android-like environment, another platform). Tests compare the two.
"""

from __future__ import annotations

import os
import posixpath
import sys
from typing import Literal

APP = "cueline"
Kind = Literal["config", "data", "cache"]

# The XDG variable of each kind and the folder under HOME used when it is unset or relative.
_XDG: dict[str, tuple[str, str]] = {
    "config": ("XDG_CONFIG_HOME", "~/.config"),
    "data": ("XDG_DATA_HOME", "~/.local/share"),
    "cache": ("XDG_CACHE_HOME", "~/.cache"),
}


def user_dir(kind: Kind) -> str:
    """Return Cueline's user folder of `kind` (not created)."""
    return _linux_dir(kind) or platformdirs_dir(kind)


def platformdirs_dir(kind: Kind) -> str:
    """Return platformdirs' user_{kind}_dir for Cueline (the plain version of user_dir)."""
    import platformdirs

    return getattr(platformdirs, f"user_{kind}_dir")(APP, appauthor=False)


def _linux_dir(kind: Kind) -> str | None:
    """Return platformdirs' answer on Linux without importing it (its XDG rules: an absolute
    XDG_*_HOME, else the default under an absolute HOME), or None to leave it to platformdirs."""
    if sys.platform != "linux" or "ANDROID_DATA" in os.environ or "ANDROID_ROOT" in os.environ:
        return None
    variable, default = _XDG[kind]
    base = os.environ.get(variable, "")
    if posixpath.isabs(base):
        return os.path.join(base, APP)
    if not posixpath.isabs(os.environ.get("HOME", "")):
        return None  # platformdirs falls back to the password database, or refuses
    return os.path.join(os.path.expanduser(default), APP)
