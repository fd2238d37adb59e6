"""Ask a fresh interpreter which modules a piece of code imports (launch-cost tests)."""

from __future__ import annotations

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def imported_after(code: str, module: str) -> bool:
    """Return True when running `code` in a fresh interpreter (offscreen Qt, from the repository)
    leaves `module` in sys.modules; a failure of `code` fails the test with its stderr."""
    probe = f"{code}\nimport sys\nprint({module!r} in sys.modules)\n"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1] == "True"
