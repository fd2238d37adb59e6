#!/usr/bin/env bash
# Register Cueline with a Linux desktop: menu entry, icon, file types and AppStream metadata.
#
#   bash packaging/install-desktop.sh [--prefix DIR] [--exec COMMAND]
#
# --prefix  where to install (default ~/.local; /usr/local for all users, run as root)
# --exec    the command the menu entry runs (default: cueline, found on PATH). For the PyInstaller
#           bundle give its absolute path, e.g. --exec /opt/cueline/cueline
# The caches (MIME database, desktop database, icon cache) are refreshed when their tools exist.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
prefix="${HOME}/.local"
exec_cmd="cueline"
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="$2"; shift 2 ;;
        --exec) exec_cmd="$2"; shift 2 ;;
        -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "install-desktop.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
case "$exec_cmd" in
    *[[:space:]\"\'\\\`\$]*) echo "install-desktop.sh: --exec must be a path without spaces or quotes" >&2; exit 2 ;;
esac

app_id="io.github.cueline.Cueline"
share="$prefix/share"
install -d "$share/applications" "$share/metainfo" "$share/mime/packages" "$share/icons/hicolor/scalable/apps"
# Exec/TryExec name the command; everything else is the validated file as it is in the repository.
sed -e "s|^Exec=cueline |Exec=$exec_cmd |" -e "s|^TryExec=cueline\$|TryExec=$exec_cmd|" \
    "$here/$app_id.desktop" > "$share/applications/$app_id.desktop"
chmod 644 "$share/applications/$app_id.desktop"
install -m 644 "$here/$app_id.metainfo.xml" "$share/metainfo/$app_id.metainfo.xml"
install -m 644 "$here/cueline-mime.xml" "$share/mime/packages/cueline-mime.xml"
# Icon themes look the icon up by the name in the desktop file's Icon= key: the app id.
install -m 644 "$repo/resources/icons/cueline.svg" "$share/icons/hicolor/scalable/apps/$app_id.svg"

if command -v update-mime-database >/dev/null; then
    update-mime-database "$share/mime"
fi
if command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$share/applications" || true  # only a cache; the entry works without it
fi
if command -v gtk-update-icon-cache >/dev/null && [ -f "$share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
fi
echo "install-desktop.sh: installed $app_id under $share (Exec=$exec_cmd)"
