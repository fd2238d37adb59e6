"""Locating the bundled resources (sample project, icons) in a checkout, a frozen app or an install.

Never imports Qt, so the CLI can use it too.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SAMPLE_NAME = "sample.cueline"


def _candidates() -> list[Path]:
    """Return the folders that may hold resources, most specific first."""
    found: list[Path] = []
    override = os.environ.get("CUELINE_RESOURCES")
    if override:
        found.append(Path(override))
    frozen_base = getattr(sys, "_MEIPASS", None)  # PyInstaller one-folder/one-file bundles
    if frozen_base:
        found.append(Path(frozen_base) / "resources")
    here = Path(__file__).resolve().parent
    found.append(here.parent / "resources")  # a source checkout: <repo>/resources
    found.append(here / "resources")  # installed as package data next to the code
    found.append(Path(sys.prefix) / "share" / "cueline" / "resources")  # data-files install
    return found


def resources_dir() -> Path | None:
    """Return the first existing resources folder, or None when none is found."""
    for folder in _candidates():
        if folder.is_dir():
            return folder
    return None


def resource_path(name: str) -> Path:
    """Return the path of resource `name`; raises FileNotFoundError naming where it looked."""
    for folder in _candidates():
        path = folder / name
        if path.is_file():
            return path
    looked = ", ".join(str(folder) for folder in _candidates())
    raise FileNotFoundError(f"resource {name!r} not found (looked in {looked})")


def sample_path() -> Path:
    """Return the bundled sample project; raises FileNotFoundError when it is not installed."""
    return resource_path(SAMPLE_NAME)
