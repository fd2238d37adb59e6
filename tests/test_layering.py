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


# Accesses to another object's "_name" that Python requires: the standard library's way to end
# a process without its shutdown (app.end_process), and PySide6's per-import source scan, which
# has no public switch (app._skip_pyside_source_scan answers it without reading the file).
_PRIVATE_ALLOWED = {
    ("editor/qt/app.py", "os._exit"),
    ("editor/qt/app.py", "feature._mod_uses_pyside"),
}


def test_qt_code_touches_no_other_objects_private_names():
    """A feature talks to the window through its typed host, never through `x._name`."""
    import re

    pattern = re.compile(r"((?:[A-Za-z_]\w*|\))(?:\.[A-Za-z_]\w*)*)\.(_[a-z]\w*)")
    string = re.compile(r"(\"[^\"\n]*\"|'[^'\n]*')")
    found = []
    for path in sorted((REPO / "editor" / "qt").rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = string.sub('""', line.split("#", 1)[0])
            for m in pattern.finditer(code):
                owner = m.group(1)
                if owner in ("self", "cls"):
                    continue
                access = f"{owner.rsplit('.', 1)[-1] if owner.startswith('self.') else owner}.{m.group(2)}"
                if (rel, access) not in _PRIVATE_ALLOWED:
                    found.append(f"{rel}:{number}: {owner}.{m.group(2)}")
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"(?:get|set|has)attr\((?!self\b|cls\b)[^,()]+, \"_[a-z]", text):
            found.append(f"{rel}: {m.group()}")
    assert found == []


def test_features_leave_nothing_on_the_window_and_look_nothing_up_by_name():
    """A feature adds what it makes to `host.parts` and finds others there by type: no
    `window.x = …` from outside the window, no `getattr(window, "x")` lookups."""
    import re

    assign = re.compile(r"\b(?:self\.)?(?:window|host)\.([a-z_]\w*)\s*=[^=]")
    lookup = re.compile(r"\b(?:get|set|has)attr\(\s*(?:self\.)?(?:window|host)\b")
    # Host declares is_sample as settable (the application opens a file over the sample).
    allowed = {"is_sample"}
    found = []
    for path in sorted((REPO / "editor").rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        if rel == "editor/qt/views/main_window.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            for m in assign.finditer(code):
                if m.group(1) not in allowed:
                    found.append(f"{rel}:{number}: {m.group()}")
            if lookup.search(code):
                found.append(f"{rel}:{number}: {code.strip()}")
    assert found == []
