#!/usr/bin/env bash
# Regenerate the README's pictures in docs/screenshots/ with `cueline --screenshot` (offscreen).
#
#   seeds.png   the seed transcript with its Chinese translation attached (needs ../shared/seeds)
#   sample.png  the bundled sample project as a first run shows it, with the tips
#
# Run from anywhere: bash packaging/screenshots.sh. Environment: PYTHON (default: the repo's .venv,
# else python3), SEEDS (default <repo>/../shared/seeds), OUT (default <repo>/docs/screenshots),
# SIZE (default 1600x1000). A clean settings folder is used, so the pictures never show this
# machine's recent files or window layout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
python="${PYTHON:-}"
if [ -z "$python" ]; then
    if [ -x "$repo/.venv/bin/python" ]; then python="$repo/.venv/bin/python"; else python="$(command -v python3)"; fi
fi
seeds="${SEEDS:-$repo/../shared/seeds}"
out="${OUT:-$repo/docs/screenshots}"
size="${SIZE:-1600x1000}"
mkdir -p "$out"

home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
    XDG_CACHE_HOME="$home/cache" XDG_STATE_HOME="$home/state" CUELINE_HOME="$home"

shoot() {  # shoot NAME ARGS…: one window, one PNG
    local name="$1"
    shift
    (cd "$repo" && "$python" main.py "$@" --screenshot "$out/$name" --size "$size" 2> >(grep -v propagateSizeHints >&2))
    echo "screenshots.sh: wrote $out/$name"
}

shoot sample.png
transcript=$(ls "$seeds"/000_*.txt 2>/dev/null | head -n 1 || true)
translation=$(ls "$seeds"/001_*.txt 2>/dev/null | head -n 1 || true)
if [ -n "$transcript" ] && [ -n "$translation" ]; then
    shoot seeds.png "$transcript" --translation "$translation"
else
    echo "screenshots.sh: no seeds in $seeds; kept $out/seeds.png as it is" >&2
fi
