"""The core and the CLI must never import Qt (DESIGN.md: two layers, one direction)."""

import subprocess
import sys

from conftest import REPO


def _imports_pyside(module: str) -> bool:
    code = (
        f"import sys, importlib, pkgutil; import {module} as m\n"
        "if hasattr(m, '__path__'):\n"
        "    for info in pkgutil.walk_packages(m.__path__, m.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "print(any(k.startswith('PySide6') for k in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return out.stdout.strip() == "True"


def test_core_does_not_import_qt():
    assert not _imports_pyside("editor.core")


def test_cli_does_not_import_qt():
    assert not _imports_pyside("editor.cli")
