#!/usr/bin/env bash
# Build the one-folder Cueline app into dist/cueline/ (run from anywhere: bash packaging/build.sh).
#
# Uses the active Python (a venv when one is active) and installs PyInstaller into it when it is
# missing. Extra arguments go to PyInstaller, e.g. `bash packaging/build.sh --log-level WARN`.
# Environment: PYTHON (interpreter, default python3 or python), DIST_DIR (default <repo>/dist),
# BUILD_DIR (default <repo>/build/pyinstaller).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
python="${PYTHON:-$(command -v python3 || command -v python)}"
dist_dir="${DIST_DIR:-$repo/dist}"
build_dir="${BUILD_DIR:-$repo/build/pyinstaller}"

if ! "$python" -c "import PyInstaller" 2>/dev/null; then
    echo "build.sh: installing PyInstaller into $("$python" -c 'import sys; print(sys.prefix)')"
    "$python" -m pip install --quiet "pyinstaller>=6.10"
fi
# The app itself must import: fail early with a clear message rather than deep inside the analysis.
if ! (cd "$repo" && "$python" -c "import PySide6, editor.qt.app") ; then
    echo "build.sh: the app does not import; install it first: $python -m pip install -e '$repo'" >&2
    exit 1
fi

start=$(date +%s)
cd "$repo"
"$python" -m PyInstaller --noconfirm --clean \
    --distpath "$dist_dir" --workpath "$build_dir" \
    "$@" packaging/cueline.spec
end=$(date +%s)

app="$dist_dir/cueline/cueline"
[ -x "$app" ] || app="$dist_dir/cueline/cueline.exe"
echo "build.sh: built $app in $((end - start)) s; bundle size $(du -sh "$dist_dir/cueline" | cut -f1)"
