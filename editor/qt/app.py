"""GUI entry point: `main(argv) -> exit code`.

`[FILE] [--translation FILE] [--media FILE] [--screenshot PATH] [--size WxH] [--version]`.
No FILE opens the bundled sample. `--screenshot` renders the window offscreen with the
files loaded, saves a PNG and exits (exit 2 with an `error:` line on stderr for bad input).
Heavy modules (formats, alignment, language detection) are imported lazily.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    import argparse

    from PySide6.QtWidgets import QApplication

    from editor.qt.views.main_window import MainWindow


def parse_args(argv: list[str]) -> argparse.Namespace | SimpleNamespace:
    """Return the parsed command line; argparse exits with code 2 on bad usage."""
    return parse_file_only(argv) or parse_args_argparse(argv)


def parse_file_only(argv: list[str]) -> SimpleNamespace | None:
    """Return what parse_args_argparse gives for the usual launch, nothing or one file name (an
    argument not starting with "-"), else None (tests compare the two). Importing argparse and
    building its parser costs ~3 ms of every launch, for options most launches never pass."""
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        return None
    file = argv[0] if argv else None
    return SimpleNamespace(file=file, translation=None, media=None, screenshot=None, size=None, restore="ask")


def parse_args_argparse(argv: list[str]) -> argparse.Namespace:
    """Return the command line as argparse parses it (the plain version of parse_args)."""
    import argparse

    from editor import __version__

    parser = argparse.ArgumentParser(
        prog="cueline",
        description="Cueline subtitle and transcript editor",
        epilog="Without a window: cueline convert|inspect|check FILE … (see cueline convert --help).",
    )
    parser.add_argument("file", nargs="?", help="subtitle, transcript or .cueline project to open")
    parser.add_argument("--translation", metavar="FILE", help="a translation to attach to the cues")
    parser.add_argument(
        "--media", metavar="FILE", help="media to play with it (default: one named like FILE beside it)"
    )
    parser.add_argument("--screenshot", metavar="PATH", help="render the window to a PNG and exit")
    parser.add_argument("--size", metavar="WxH", help="window size (screenshots default to 1600x1000)")
    parser.add_argument(
        "--restore",
        choices=("ask", "yes", "no"),
        default="ask",
        help="what to do with autosaved work of a session that crashed (default: ask)",
    )
    parser.add_argument("--version", action="version", version=f"cueline {__version__}")
    return parser.parse_args(argv)


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise SystemExit(f"error: --size must look like 1600x1000, not {text!r}") from None
    if not (200 <= w <= 10000 and 200 <= h <= 10000):
        raise SystemExit(f"error: --size {text} is out of range (200–10000 each way)")
    return w, h


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def main(
    argv: list[str] | None = None, on_window: Callable[[MainWindow], object] | None = None
) -> int:
    """Run the editor; returns the process exit code. `on_window(window)` runs once the
    window exists (the test entry point attaches its control channel there)."""
    from editor.core import runtime

    runtime.single_thread_blas()  # before the file's read or the timeline imports NumPy
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        size = _size(args.size or "1600x1000") if (args.size or args.screenshot) else None
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    # No cyclic collections while Qt, the modules and the window are made: ~40k objects that
    # live as long as the process, and the collector's young passes over them cost ~12 ms of
    # every launch. Once the window is up they are frozen (runtime.resume_gc), so no later
    # collection walks them either.
    runtime.pause_gc()
    try:
        started = _start(args, size, on_window)
    finally:
        runtime.resume_gc(freeze=True)
    return started if isinstance(started, int) else started.exec()


def _start(
    args: argparse.Namespace | SimpleNamespace,
    size: tuple[int, int] | None,
    on_window: Callable[[MainWindow], object] | None,
) -> QApplication | int:
    """Make the application and its window, show it and start opening the file; returns the
    application to run, or an exit code when there is nothing to run (an error, a screenshot)."""
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    )
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    elif headless:
        # Qt would abort with a platform-plugin message; say what to do instead.
        return _fail("no display to show the window on (set DISPLAY, or use --screenshot PATH)")

    from PySide6.QtWidgets import QApplication

    _skip_pyside_source_scan()
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "cueline"])
    app.setApplicationName("Cueline")
    app.setOrganizationName("Cueline")
    app.setApplicationDisplayName("Cueline")
    configure_app(app)
    if args.file and not (args.translation or args.screenshot) and _small(args.file):
        _prefetch(args.file)

    from editor.qt import errors
    from editor.qt.views.main_window import MainWindow

    # Features (docks, their menus, the toolbar) install just after the first frame; the
    # file is shown once they are there, so they see it arrive like any later document.
    window = MainWindow(defer_features=not args.screenshot)
    if size is not None:
        window.resize(*size)
    if args.screenshot:
        return _screenshot(app, window, args)

    _install_excepthook(window)
    if on_window is not None:
        on_window(window)

    def start() -> None:
        if _offer_restore(window, args.restore):
            from editor.qt import session

            session.drop_prefetch()
            return
        try:
            if args.file:
                window.open_path(args.file, args.translation, args.media)
            else:
                window.open_sample()
        except (
            Exception
        ) as exc:  # an unexpected failure while starting must still show words, not a traceback
            errors.show_error(window, window.tr("Could not open file"), exc)

    window.show()
    # The file loads while the first frame paints and the features install; the window shows it
    # once both are done (a long file's first rows show even sooner: see MainWindow.open_path).
    from editor.qt import autosave

    if autosave.find_recoverable(window.autosaver.folder):
        window.after_features(start)  # a crashed session's work is offered in the full window
    else:
        start()
    return app


# Read while the window is built only what reads in a few tens of ms (~2,500 cues of SRT): the read
# shares the GIL with the window's imports and construction, so a longer one would hold the first
# window back (10k cues: 100-300 ms measured); longer files are read once the window is shown.
PREFETCH_MAX_BYTES = 256 * 1024


def _small(path: str) -> bool:
    try:
        return os.path.getsize(path) <= PREFETCH_MAX_BYTES
    except OSError:
        return False  # the open reports it


def _prefetch(path: str) -> None:
    """Start reading the file named at launch while the window is built (editor.qt.session.Prefetch),
    under the style settings the window will have."""
    from editor.core.style import StyleSettings
    from editor.qt import session
    from editor.qt.settings import Key, Settings

    session.prefetch(path, StyleSettings.from_dict(Settings().get(Key.STYLES)))


def _skip_pyside_source_scan() -> None:
    """Answer PySide6's question of each newly imported module without reading its source.

    PySide6 (6.4 and later) asks of every module imported after it whether its source says
    "PySide6", with inspect.getsource (each file tokenized into lines that linecache keeps):
    modules that do are switched to the default set of `from __feature__ import …` switches
    (snake_case, true_property) when they call into Qt, the others are left out of switching.
    The answer only matters once some module selects a feature; nothing here does, so every
    module sees the default set either way, and "leave it out" is given without opening ~300
    files of numpy, spylls and ours (even reading only their bytes, 6-11 ms of every launch).
    """
    feature = sys.modules.get("shibokensupport.feature")
    try:
        feature._mod_uses_pyside  # noqa: B018 (is the question asked here?)
    except AttributeError:  # another PySide6 (or none loaded): leave it as it is
        return

    def uses_pyside(_module) -> bool:
        return False

    feature._mod_uses_pyside = uses_pyside


def end_process(code: int) -> NoReturn:
    """End the process with `code` right after the event loop has returned.

    The window's close has already saved the settings and cleared the autosave; what still runs
    is background work whose result nobody will see (QC or language detection of a long file,
    a waveform decode). Python's normal shutdown would wait for it in the thread pool and then
    free every cue one by one: seconds on a 100k-cue document.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


APP_ID = "io.github.cueline.Cueline"


def app_icon():
    """Return the application icon (resources/icons/cueline.svg), or a null QIcon when it is missing."""
    from PySide6.QtGui import QIcon

    from editor.resources import resource_path

    try:
        return QIcon(str(resource_path("icons/cueline.svg")))
    except FileNotFoundError:
        return QIcon()


def configure_app(app) -> None:
    """Give the application its icon and desktop identity; returns nothing.

    The desktop file name lets Wayland compositors and GNOME match windows to
    io.github.cueline.Cueline.desktop (its icon and name in the dock); X11 uses the window icon.
    """
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.setDesktopFileName(APP_ID)
    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)


def _screenshot(app, window, args: argparse.Namespace | SimpleNamespace) -> int:
    from editor.qt import errors, workers

    try:
        if args.file:
            window.open_path(args.file, args.translation, args.media, wait=True)
        elif not window.open_sample(wait=True):
            return _fail("the bundled sample project is missing")
    except Exception as exc:
        if not errors.is_expected(exc):
            raise
        return _fail(errors.describe(exc))
    window.show()
    for _ in range(5):  # let layouts and the first paint settle
        app.processEvents()
    while workers.running_count():
        app.processEvents()
    pixmap = window.grab()
    if not pixmap.save(args.screenshot, "PNG"):
        return _fail(f"could not write {args.screenshot}")
    window.controller.undo_stack.setClean()  # nothing to ask on close
    window.autosaver.clear()
    window.close()
    return 0


def _offer_restore(window, answer: str = "ask") -> bool:
    """Offer the newest autosave of a crashed session; returns True when one was restored.

    `answer` "yes" or "no" restores or discards without asking (`--restore`); a discarded
    autosave is set aside for a while (autosave.discard), one kept for later is asked again.
    """
    from editor.qt import autosave, errors

    folder = window.autosaver.folder
    found = autosave.find_recoverable(folder)
    if not found:
        return False
    # Only when there is something to offer: the prompt's module is not on a plain launch's path.
    from editor.qt.views import restore_prompt
    from editor.qt.views.restore_prompt import RestoreChoice

    newest = found[0]
    if answer == "yes":
        choice = RestoreChoice.RESTORE
    elif answer == "no":
        choice = RestoreChoice.DISCARD
    else:
        choice = restore_prompt.ask_restore(
            window, newest.when, newest.cue_count, newest.original_path, autosave.discarded_dir(folder)
        )
    if choice == RestoreChoice.KEEP:
        return False
    if choice == RestoreChoice.DISCARD:
        for recovery in found:
            autosave.discard(recovery)
        return False
    try:
        restore_into(window, newest)
    except Exception as exc:
        if not errors.is_expected(exc):
            raise
        errors.show_error(window, window.tr("Could not restore"), exc)
        return False
    return True


def restore_into(window, recovery) -> None:
    """Show an autosaved document in `window`, marked unsaved, and take over its files."""
    from editor.qt import autosave

    doc = autosave.load_recovery(recovery)
    window.is_sample = False
    window.controller.set_document(doc)
    window.controller.undo_stack.resetClean()  # restored work is not on disk yet
    window.autosaver.adopt(recovery)
    window.show_message(window.tr("Restored autosaved work from {when}.").format(when=recovery.when))


def _install_excepthook(window) -> None:
    """Show unexpected errors in a dialog (and on stderr) instead of losing them."""
    from editor.qt import errors

    previous = sys.excepthook

    def hook(kind, value, tb) -> None:
        previous(kind, value, tb)
        try:
            errors.show_error(window, window.tr("Unexpected error"), value)
        except Exception:  # the hook itself must never raise
            pass

    sys.excepthook = hook
