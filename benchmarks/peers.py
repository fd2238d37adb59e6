"""Cueline beside the subtitle editors people use (Aegisub, Subtitle Composer, Gaupol): launch with a
file until its window names it, idle, peak memory. A wrapper around ../shared/bench/peers/peers.sh.

Run as root (it installs the Debian editors and Xvfb):
    python benchmarks/peers.py [--editors aegisub,cueline] [--sizes 0,1000,10000,100000] [--runs 3]
It runs this checkout (`main.py` with this interpreter) beside the editors, interleaved, and prints
the shared script's table ($TMPDIR/peers/results.txt). Only ratios within one run mean anything.
Skipped (exit 0, a message) when the shared script or root is not there. Not a bench_*.py: run.py
does not start it (it installs packages and takes minutes).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPT = ROOT.parent / "shared" / "bench" / "peers" / "peers.sh"


PEER_PACKAGES = ("gaupol", "subtitlecomposer", "aegisub", "subtitleeditor")


def _installed(package: str) -> bool:
    res = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
    )
    return res.returncode == 0 and res.stdout.endswith("installed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editors", default="aegisub,cueline")
    parser.add_argument("--sizes", default="0,1000,10000,100000")
    parser.add_argument("--runs", default="3")
    parser.add_argument("--display", default=":99")
    parser.add_argument("--skip-apt", action="store_true", help="the editors are installed already")
    args = parser.parse_args(argv)
    if not SCRIPT.exists():
        print(f"skipped: {SCRIPT} is not there")
        return 0
    if os.geteuid() != 0:
        print("skipped: peers.sh installs Debian packages and needs root")
        return 0
    env = dict(
        os.environ,
        EDITORS=args.editors,
        SIZES=args.sizes,
        RUNS=args.runs,
        DISP=args.display,
        CUELINE_DIR=str(ROOT),
        CUELINE_PY=sys.executable,
        SKIP_APT="1" if args.skip_apt else os.environ.get("SKIP_APT", "0"),
    )
    env.pop("QT_QPA_PLATFORM", None)  # the editors show real windows on the script's Xvfb
    if env["SKIP_APT"] == "1":
        # The script lists the four Debian editors with dpkg-query under `set -e`: one missing
        # ends it there, whichever editors were asked for.
        missing = [p for p in PEER_PACKAGES if not _installed(p)]
        if missing:
            print(f"not installed: {' '.join(missing)} (run once without --skip-apt, as root)")
            return 1
    compile_bytecode()
    return subprocess.run(["sh", str(SCRIPT)], cwd=ROOT, env=env).returncode


def compile_bytecode() -> None:
    """Compile the checkout's modules to bytecode (__pycache__), as installing Cueline does.

    An installed Cueline (pip's wheel install, the PyInstaller bundle) carries its modules
    compiled, and a checkout run writes them on its first launch, unless PYTHONDONTWRITEBYTECODE
    is set, as it is in this machine's shells (and so in the editors' environment): then every
    launch compiled each of the ~60 modules it imports from source, ~130 ms of a 1k launch,
    which is the compiler and not the editor. Python only reads the files, whatever the setting.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "editor")], check=False)


if __name__ == "__main__":
    sys.exit(main())
