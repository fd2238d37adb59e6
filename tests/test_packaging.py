"""Desktop packaging: the .desktop entry, AppStream metainfo, MIME types, app icon and the bundle.

The PyInstaller build and the wheel build take a minute each and need PyPI: they run only with
CUELINE_BUILD_BUNDLE=1 (see packaging/README.md).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import REPO

import editor
from editor.core import formats
from editor.core.model import Document

PACKAGING = REPO / "packaging"
APP_ID = "io.github.cueline.Cueline"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
MIME = PACKAGING / "cueline-mime.xml"
ICON = REPO / "resources" / "icons" / "cueline.svg"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
MIME_TYPES = {"application/x-subrip", "text/vtt", "application/x-cueline"}

BUILD = os.environ.get("CUELINE_BUILD_BUNDLE") == "1"
needs_build = pytest.mark.skipif(
    not BUILD, reason="set CUELINE_BUILD_BUNDLE=1 to build (see packaging/README.md)"
)


def _desktop_entry(path: Path) -> dict[str, str]:
    """Return the keys of the [Desktop Entry] group; raises AssertionError on a malformed line."""
    group = None
    entry: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("["):
            group = line.strip()
            continue
        assert "=" in line, f"{path.name}:{number}: not a key=value line"
        key, value = line.split("=", 1)
        assert key == key.strip(), f"{path.name}:{number}: space around the key"
        if group == "[Desktop Entry]":
            assert key not in entry, f"{path.name}:{number}: duplicate key {key}"
            entry[key] = value
    return entry


def _list(value: str) -> list[str]:
    """Return the items of a desktop-entry list value ("a;b;")."""
    return [item for item in value.split(";") if item]


# --- desktop entry ---------------------------------------------------------------------------------


def test_desktop_entry_keys():
    entry = _desktop_entry(DESKTOP)
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Cueline"
    assert entry["Icon"] == APP_ID  # the icon theme name is the app id (install-desktop.sh installs it so)
    # %F: several files may be opened; the app takes FILE arguments.
    assert entry["Exec"].split() == ["cueline", "%F"]
    assert entry["TryExec"] == "cueline"
    assert entry["Terminal"] == "false"
    assert set(_list(entry["MimeType"])) == MIME_TYPES
    assert "AudioVideo" in _list(entry["Categories"])
    assert entry["MimeType"].endswith(";") and entry["Categories"].endswith(";")


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_desktop_file_validate():
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


# --- AppStream metainfo ----------------------------------------------------------------------------


def test_metainfo_fields():
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("name") == "Cueline"
    assert root.findtext("summary") and len(root.findtext("summary")) <= 35  # AppStream's summary limit
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "GPL-3.0-or-later"
    paragraphs = root.findall("description/p")
    assert paragraphs and all((p.text or "").strip() for p in paragraphs)
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert {m.text for m in root.findall("provides/mediatype")} == MIME_TYPES
    assert root.findtext("provides/binary") == "cueline"
    # The newest release listed must be the version the app reports.
    assert root.find("releases/release").get("version") == editor.__version__


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_appstreamcli_validate():
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- MIME types ------------------------------------------------------------------------------------


def _mime_types() -> dict[str, ET.Element]:
    root = ET.parse(MIME).getroot()
    assert root.tag == f"{MIME_NS}mime-info"
    return {node.get("type"): node for node in root.findall(f"{MIME_NS}mime-type")}


def _unescape(value: str) -> bytes:
    """Return the bytes of a shared-mime-info string value (which may hold \\xNN escapes)."""
    return value.encode("utf-8").decode("unicode_escape").encode("latin-1")


def _match(node: ET.Element, data: bytes) -> bool:
    """Return True when a <match type="string"> rule (and one of its nested rules, if any) matches."""
    assert node.get("type") == "string", "only string rules are used"
    value = _unescape(node.get("value"))
    first, _, last = node.get("offset").partition(":")
    start, end = int(first), int(last or first)
    hit = any(data[offset : offset + len(value)] == value for offset in range(start, end + 1))
    children = node.findall(f"{MIME_NS}match")
    return hit and (not children or any(_match(child, data) for child in children))


def _magic_matches(mime_type: ET.Element, data: bytes) -> bool:
    return any(_match(rule, data) for rule in mime_type.findall(f"{MIME_NS}magic/{MIME_NS}match"))


def test_mime_types_and_globs():
    types = _mime_types()
    assert set(types) == MIME_TYPES
    globs = {t: {g.get("pattern") for g in node.findall(f"{MIME_NS}glob")} for t, node in types.items()}
    assert globs == {
        "application/x-subrip": {"*.srt"},
        "text/vtt": {"*.vtt"},
        "application/x-cueline": {"*.cueline"},
    }
    cueline = types["application/x-cueline"]
    assert cueline.findtext(f"{MIME_NS}comment") == "Cueline project"
    assert cueline.find(f"{MIME_NS}sub-class-of").get("type") == "application/json"


def test_mime_magic_recognises_what_the_writers_write():
    types = _mime_types()
    doc = Document()
    doc.append(doc.new_cue(0, 1000, "Hello"))
    project = formats.get("cueline").write(doc).encode("utf-8")
    vtt = formats.get("vtt").write(doc).encode("utf-8")
    sample = (REPO / "resources" / "sample.cueline").read_bytes()
    assert _magic_matches(types["application/x-cueline"], project)
    assert _magic_matches(types["application/x-cueline"], sample)
    assert _magic_matches(types["text/vtt"], vtt)
    assert _magic_matches(types["text/vtt"], b"\xef\xbb\xbf" + vtt)
    # Other JSON and other text are not claimed.
    assert not _magic_matches(types["application/x-cueline"], b'{"segments": [{"text": "cueline"}]}')
    assert not _magic_matches(types["application/x-cueline"], b'{"title": "x", "cueline": 1}')
    assert not _magic_matches(types["text/vtt"], b"1\n00:00:00,000 --> 00:00:01,000\nWEBVTT\n")


@pytest.mark.skipif(shutil.which("update-mime-database") is None, reason="shared-mime-info not installed")
def test_mime_database_builds_and_detects(tmp_path):
    mime_dir = tmp_path / "share" / "mime"
    (mime_dir / "packages").mkdir(parents=True)
    shutil.copy(MIME, mime_dir / "packages")
    result = subprocess.run(["update-mime-database", str(mime_dir)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    globs = (mime_dir / "globs2").read_text(encoding="utf-8")
    for line in ("application/x-cueline:*.cueline", "text/vtt:*.vtt", "application/x-subrip:*.srt"):
        assert line in globs
    if shutil.which("gio") is None:
        return
    # A project saved without its extension is still recognised by its content.
    unnamed = tmp_path / "project-backup"
    shutil.copy(REPO / "resources" / "sample.cueline", unnamed)
    env = {**os.environ, "XDG_DATA_DIRS": str(tmp_path / "share"), "XDG_DATA_HOME": str(tmp_path / "none")}
    result = subprocess.run(
        ["gio", "info", "-a", "standard::content-type", str(unnamed)], capture_output=True, text=True, env=env
    )
    assert "application/x-cueline" in result.stdout, result.stdout + result.stderr


def test_desktop_metainfo_and_mime_agree():
    entry_types = set(_list(_desktop_entry(DESKTOP)["MimeType"]))
    metainfo_types = {m.text for m in ET.parse(METAINFO).getroot().findall("provides/mediatype")}
    assert entry_types == metainfo_types == set(_mime_types())


# --- icon ------------------------------------------------------------------------------------------


def test_icon_renders(qapp):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ICON))
    assert renderer.isValid()
    size = renderer.defaultSize()
    assert size.width() == size.height() == 256
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    # Rounded tile: transparent corners, opaque middle, and more than a flat fill inside.
    assert image.pixelColor(0, 0).alpha() == 0 and image.pixelColor(63, 63).alpha() == 0
    assert image.pixelColor(32, 32).alpha() == 255
    colours = {image.pixel(x, y) for x in range(8, 56) for y in range(8, 56)}
    assert len(colours) > 8


# --- install scripts -------------------------------------------------------------------------------


def test_install_desktop_script(tmp_path):
    exe = "/opt/cueline/cueline"
    result = subprocess.run(
        ["bash", str(PACKAGING / "install-desktop.sh"), "--prefix", str(tmp_path), "--exec", exe],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    share = tmp_path / "share"
    entry = _desktop_entry(share / "applications" / DESKTOP.name)
    assert entry["Exec"] == f"{exe} %F" and entry["TryExec"] == exe
    assert entry["MimeType"] == _desktop_entry(DESKTOP)["MimeType"]
    assert (share / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg").read_bytes() == ICON.read_bytes()
    assert (share / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    assert (share / "mime/packages/cueline-mime.xml").read_bytes() == MIME.read_bytes()
    bad = subprocess.run(
        ["bash", str(PACKAGING / "install-desktop.sh"), "--prefix", str(tmp_path), "--exec", "a b"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "--exec" in bad.stderr


def test_build_script_syntax():
    result = subprocess.run(["bash", "-n", str(PACKAGING / "build.sh")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- builds (opt-in) -------------------------------------------------------------------------------


def _is_rendered_window(path: Path, width: int, height: int, step: int = 50) -> bool:
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    if image.isNull() or (image.width(), image.height()) != (width, height):
        return False
    colours = {image.pixel(x, y) for x in range(0, width, step) for y in range(0, height, step)}
    return len(colours) > 5


@pytest.mark.slow
@needs_build
@pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None, reason="PyInstaller not installed")
def test_pyinstaller_bundle_starts(tmp_path, qapp):
    dist, build = tmp_path / "dist", tmp_path / "build"
    env = {**os.environ, "DIST_DIR": str(dist), "BUILD_DIR": str(build), "PYTHON": sys.executable}
    result = subprocess.run(
        ["bash", str(PACKAGING / "build.sh"), "--log-level", "WARN"],
        capture_output=True,
        text=True,
        env=env,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    app = dist / "cueline" / "cueline"
    assert app.is_file() and os.access(app, os.X_OK)

    run_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run_env.pop("CUELINE_RESOURCES", None)  # the bundle must find its own resources

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(app), *args], capture_output=True, text=True, env=run_env, timeout=120)

    version = run("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"cueline {editor.__version__}"

    # No FILE: the bundled sample project opens (resources found through sys._MEIPASS).
    shot = tmp_path / "out.png"
    started = run("--screenshot", str(shot), "--size", "1800x1000")
    assert started.returncode == 0, started.stderr
    assert _is_rendered_window(shot, 1800, 1000)

    # Formats are imported lazily by name: each must be in the bundle.
    doc = Document()
    doc.append(doc.new_cue(0, 1500, "Hello there"))
    srt = tmp_path / "a.srt"
    srt.write_text(formats.get("srt").write(doc), encoding="utf-8")
    vtt = tmp_path / "a.vtt"
    converted = run("convert", str(srt), "-o", str(vtt))
    assert converted.returncode == 0, converted.stderr
    assert vtt.read_text(encoding="utf-8").startswith("WEBVTT")
    inspected = run("inspect", str(vtt))
    assert inspected.returncode == 0 and "vtt" in inspected.stdout, inspected.stderr
    opened = run("--screenshot", str(tmp_path / "srt.png"), "--size", "1800x1000", str(srt))
    assert opened.returncode == 0, opened.stderr
    assert _is_rendered_window(tmp_path / "srt.png", 1800, 1000)


@pytest.mark.slow
@needs_build
def test_wheel_installs_resources(tmp_path):
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = wheels.glob("cueline-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    # PySide6 and the libraries come from this interpreter's site-packages, appended by a plain
    # path line: site does not run the .pth files of such a folder, so an editable install of this
    # checkout there stays invisible, and only the wheel's copy of Cueline can be imported.
    purelib = sysconfig.get_paths()["purelib"]
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(target, "zz_borrowed_libraries.pth").write_text(purelib + "\n", encoding="utf-8")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "CUELINE_RESOURCES"}}
    probe = "import editor, editor.resources as r; print(editor.__file__); print(r.sample_path())"
    found = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert found.returncode == 0, found.stderr
    module_file, sample = found.stdout.split()
    assert str(env_dir) in module_file  # the installed copy, not this checkout
    assert Path(sample) == env_dir / "share" / "cueline" / "resources" / "sample.cueline"
    assert (env_dir / "share" / "cueline" / "resources" / "icons" / "cueline.svg").is_file()
    version = subprocess.run(
        [str(env_dir / "bin" / "cueline"), "--version"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert version.stdout.strip() == f"cueline {editor.__version__}", version.stderr
    module = subprocess.run(
        [str(python), "-m", "editor", "--version"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert module.stdout.strip() == f"cueline {editor.__version__}", module.stderr
    # `cueline FILE` opens the file: the installed command renders it offscreen.
    doc = Document()
    doc.append(doc.new_cue(0, 1500, "Hello there"))
    srt = tmp_path / "hello.srt"
    srt.write_text(formats.get("srt").write(doc), encoding="utf-8")
    shot = tmp_path / "hello.png"
    opened = subprocess.run(
        [str(env_dir / "bin" / "cueline"), str(srt), "--screenshot", str(shot), "--size", "1800x1000"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert opened.returncode == 0, opened.stderr
    assert _is_rendered_window(shot, 1800, 1000)


# --- README pictures -------------------------------------------------------------------------------


def test_screenshots_script_syntax():
    result = subprocess.run(["bash", "-n", str(PACKAGING / "screenshots.sh")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_readme_pictures_exist_and_show_a_window(qapp):
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\((docs/screenshots/[^)]+\.png)\)", readme)
    assert "docs/screenshots/seeds.png" in pictures and "docs/screenshots/sample.png" in pictures
    from PySide6.QtGui import QImage

    # The whole-window pictures are the ones packaging/screenshots.sh makes; the others are
    # details cropped from a window (a context menu open, say), smaller but real renders.
    script = (PACKAGING / "screenshots.sh").read_text(encoding="utf-8")
    for picture in pictures:
        image = QImage(str(REPO / picture))
        assert not image.isNull(), picture
        whole = Path(picture).name in script
        if whole:
            assert image.width() >= 1200 and image.height() >= 700, picture
        else:
            assert image.width() >= 320 and image.height() >= 200, picture
        step = 50 if whole else 10
        assert _is_rendered_window(REPO / picture, image.width(), image.height(), step), picture
