"""The seam between the main window and its features.

A feature (the speakers panel, review mode, the player, timing by ear, the waveform, disk
watch, the toolbar, first-run tips, accessible names, …) is a module that declares a
`Feature`: its name, its `install(host)` and the features it must come after. It installs
itself through `Host`, the part of the window a feature may use: the controller, the
settings, actions and menus, docks, running an edit as one undo step, messages, the
timeline and the window's signals. Nothing else of the window, and never a name that starts
with "_" on another object (tests/test_layering.py scans for it).

What a feature makes that others may use (the review mode, the player, the waveform, …) it
adds to `host.parts`, where others find it by its type: a feature never sets attributes on the
window, and never looks another up by a name in a string.

`install_features(host, features)` orders the features by what they declare (a feature
named in another's `after` installs first; "*" means after every other feature), so no
feature depends on its place in a list.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import QByteArray, QObject, Qt, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QLabel, QMenu, QMenuBar, QStatusBar, QToolBar, QWidget

from editor.core.records import record

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyle  # realizing QStyle's enums costs ~20 ms at start-up

    from editor.qt.actions import ActionId
    from editor.qt.bindings import Commands
    from editor.qt.controller import Controller
    from editor.qt.session import DocumentSession
    from editor.qt.settings import Settings
    from editor.qt.views.cue_table import CueTablePane
    from editor.qt.views.edit_panel import EditPanel
    from editor.qt.views.timeline import TimelineView

T = TypeVar("T")


class Parts:
    """The objects installed features made for others to use, found by their type."""

    def __init__(self) -> None:
        self._parts: list[object] = []
        self._on_demand: list[tuple[type, Callable[[], object]]] = []

    def add(self, part: T) -> T:
        """Offer `part` to the other features (one part of each type); returns it."""
        if self._made(type(part)) is not None or self._makes(type(part)):
            raise ValueError(f"a {type(part).__name__} is already installed")
        self._parts.append(part)
        return part

    def add_on_demand(self, kind: type[T], make: Callable[[], T]) -> None:
        """Offer a part of type `kind` that `make()` builds the first time it is asked for (a
        panel of a closed dock: nobody may ever need it)."""
        if self._made(kind) is not None or self._makes(kind):
            raise ValueError(f"a {kind.__name__} is already installed")
        self._on_demand.append((kind, make))

    def get(self, kind: type[T]) -> T | None:
        """Return the installed part of type `kind`, or None when its feature is not installed."""
        found = self._made(kind)
        if found is not None:
            return found
        for i, (made_kind, make) in enumerate(self._on_demand):
            if issubclass(made_kind, kind):
                del self._on_demand[i]
                part = make()
                self._parts.append(part)
                return part  # type: ignore[return-value]
        return None

    def _made(self, kind: type[T]) -> T | None:
        for part in self._parts:
            if isinstance(part, kind):
                return part
        return None

    def _makes(self, kind: type) -> bool:
        return any(issubclass(made_kind, kind) for made_kind, _make in self._on_demand)

    def __getitem__(self, kind: type[T]) -> T:
        """Return the installed part of type `kind`; raises KeyError when there is none."""
        part = self.get(kind)
        if part is None:
            raise KeyError(kind.__name__)
        return part


class Host(Protocol):
    """What a feature may use of the window it installs into.

    Signals (Qt signal instances): `loaded(path)` after a document is shown, `load_failed(str)`,
    `media_changed(path)` when the document's media file changes ("" for none), `closed()`
    once the window has agreed to close (nothing unsaved is kept back), `dock_built(dock, widget)`
    when the contents of a dock added with a function for its widget were just made (fired
    before they go into the dock: a listener may place them itself, in a scroll area say).
    """

    controller: Controller
    settings: Settings
    session: DocumentSession
    commands: Commands
    actions: dict[ActionId, QAction]
    menus: dict[str, QMenu]
    parts: Parts
    table_pane: CueTablePane
    edit_panel: EditPanel
    status_languages: QLabel
    is_sample: bool
    loaded: SignalInstance
    load_failed: SignalInstance
    media_changed: SignalInstance
    closed: SignalInstance
    dock_built: SignalInstance

    @property
    def previewing(self) -> bool:
        """True while a large file's first part is shown read-only, before the whole file."""
        ...

    def add_dock(
        self,
        name: str,
        title: str,
        widget: QWidget | Callable[[], QWidget],
        area: Qt.DockWidgetArea,
        *,
        hidden: bool = False,
    ) -> QDockWidget:
        """Add a dock (`name` is its object name, kept in the saved window state); `hidden`: closed
        until the user (or the feature) opens it. `widget` may be a function that makes it: the
        dock is then closed, and its contents are made the first time it is shown or
        `dock_contents` asks for them (`dock_built(dock, widget)` fires then, just before the
        widget goes into the dock: a listener may put it there itself)."""
        ...

    def dock_contents(self, dock: QDockWidget) -> QWidget:
        """Return the widget a feature put in `dock`, made now if the dock was never shown."""
        ...

    def run_edit(self, label: str, build: Callable[[], object]) -> object:
        """Build an edit with a core operation and apply it as one undo step named `label`.

        `build` returns an Edit or (Edit, extra); returns the extra (True for a plain Edit),
        or None when the operation refused (its reason is shown as a message)."""
        ...

    def show_message(self, text: str, timeout_ms: int = 8000) -> None:
        """Show `text` in the status bar."""
        ...

    def ensure_timeline(self) -> TimelineView:
        """Return the timeline view, built now if it is not there yet."""
        ...

    def timeline_built(self) -> TimelineView | None:
        """Return the timeline view if it is built already (None: not yet; nothing is built)."""
        ...

    def after_features(self, callback: Callable[[], object]) -> None:
        """Call `callback` once every feature is installed."""
        ...

    def assign_speaker(self, speaker_id: str | None) -> None:
        """Give the selected cues a speaker (None: no speaker)."""
        ...

    def open_path(
        self, path: str, translation: str | None = None, media: str | None = None, **how: object
    ) -> bool:
        """Open a file (as File → Open does; `how`: encoding, fps, wait)."""
        ...

    def confirm_discard(self) -> bool:
        """Ask what to do with unsaved changes; True when it is fine to replace the document."""
        ...

    # The QMainWindow calls features make to place their widgets.
    def tr(self, text: str) -> str: ...
    def statusBar(self) -> QStatusBar: ...
    def menuBar(self) -> QMenuBar: ...
    def addToolBar(self, toolbar: QToolBar) -> None: ...
    def addAction(self, action: QAction) -> None: ...
    def restoreDockWidget(self, dock: QDockWidget) -> bool: ...
    def addDockWidget(self, area: Qt.DockWidgetArea, dock: QDockWidget) -> None: ...
    def splitDockWidget(self, first: QDockWidget, second: QDockWidget, how: Qt.Orientation) -> None: ...
    def tabifyDockWidget(self, first: QDockWidget, second: QDockWidget) -> None: ...
    def resizeDocks(self, docks: list[QDockWidget], sizes: list[int], how: Qt.Orientation) -> None: ...
    def dockWidgetArea(self, dock: QDockWidget) -> Qt.DockWidgetArea: ...
    def findChildren(self, kind: type[T]) -> list[T]: ...
    def findChild(self, kind: type[T], name: str = "") -> T | None: ...
    def centralWidget(self) -> QWidget: ...
    def saveState(self) -> QByteArray: ...
    def restoreState(self, state: QByteArray | bytes) -> bool: ...
    def installEventFilter(self, watcher: QObject) -> None: ...
    def isVisible(self) -> bool: ...
    def style(self) -> QStyle: ...


@record(frozen=True)
class Feature:
    """A feature module's declaration: `install(host)` adds it to a window; `after` names the
    features it needs installed first ("*": after all the others)."""

    name: str
    install: Callable[[Host], object]
    after: tuple[str, ...] = ()


def ordered(features: Iterable[Feature]) -> list[Feature]:
    """Return `features` in an order where each comes after those it names.

    Features that do not depend on each other keep their given order. A feature named in
    `after` that is not there (an optional one that could not load) is no constraint.
    Raises ValueError for a cycle.
    """
    features = list(features)
    by_name = {f.name: f for f in features}
    everyone = [f.name for f in features if "*" not in f.after]
    needs: dict[str, list[str]] = {}
    for f in features:
        wanted = [n for n in f.after if n != "*"] + (everyone if "*" in f.after else [])
        needs[f.name] = [n for n in wanted if n != f.name and n in by_name]
    out: list[Feature] = []
    done: set[str] = set()
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        if name in visiting:
            raise ValueError(f"features depend on each other in a cycle through {name!r}")
        visiting.add(name)
        for other in needs[name]:
            visit(other)
        visiting.discard(name)
        done.add(name)
        out.append(by_name[name])

    for f in features:
        visit(f.name)
    return out


def install_features(host: Host, features: Iterable[Feature]) -> list[str]:
    """Install `features` into `host` in dependency order; returns the names installed.

    A feature whose install raises ImportError (an optional Qt module that cannot load, such
    as QtMultimedia without libpulse) is skipped with one line on stderr.
    """
    installed: list[str] = []
    for feature in ordered(features):
        try:
            feature.install(host)
        except ImportError as exc:
            print(f"cueline: {feature.name} unavailable: {exc}", file=sys.stderr)
            continue
        installed.append(feature.name)
    return installed
