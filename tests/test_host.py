"""Features declare what they need; the installer orders them by it, not by a list."""

from __future__ import annotations

import pytest

from editor.qt.host import Feature, install_features, ordered


def _f(name: str, *after: str, log: list[str] | None = None) -> Feature:
    return Feature(name, lambda _host: (log.append(name) if log is not None else None), after=after)


def test_a_feature_comes_after_those_it_names_and_star_means_last():
    features = [_f("names", "*"), _f("keys", "player"), _f("player"), _f("review")]
    assert [f.name for f in ordered(features)] == ["player", "keys", "review", "names"]


def test_missing_features_are_no_constraint_and_cycles_are_refused():
    assert [f.name for f in ordered([_f("keys", "player")])] == ["keys"]
    with pytest.raises(ValueError, match="cycle"):
        ordered([_f("a", "b"), _f("b", "a")])


def test_install_skips_a_feature_that_cannot_import(capsys):
    log: list[str] = []

    def broken(_host) -> None:
        raise ImportError("no QtMultimedia")

    installed = install_features(object(), [Feature("player", broken), _f("keys", "player", log=log)])
    assert installed == ["keys"] and log == ["keys"]
    assert "player unavailable: no QtMultimedia" in capsys.readouterr().err


def test_every_feature_module_declares_a_feature():
    from editor.qt.views.extensions import FEATURE_MODULES, features

    found = features()
    assert len(found) == len(FEATURE_MODULES)
    assert [f.name for f in ordered(found)][-1] == "accessible_names"


def test_the_window_offers_everything_the_host_declares(qtbot, tmp_path, monkeypatch):
    # The typed seam is honest: every attribute and method of Host exists on the real window.
    from conftest import make_window

    from editor.qt.host import Host

    window = make_window(qtbot, tmp_path, monkeypatch, show=False)
    declared = set(Host.__annotations__) | {
        name for name, value in vars(Host).items() if callable(value) and not name.startswith("_")
    }
    declared |= {name for name, value in vars(Host).items() if isinstance(value, property)}
    missing = sorted(name for name in declared if not hasattr(window, name))
    assert missing == []


def test_a_part_offered_on_demand_is_made_once_when_first_asked_for():
    from editor.qt.host import Parts

    class Panel:
        pass

    class Special(Panel):
        pass

    made: list[Special] = []
    parts = Parts()
    parts.add_on_demand(Special, lambda: made.append(Special()) or made[-1])
    assert made == []  # offered, not made
    first = parts.get(Panel)  # asked for by a base type too
    assert isinstance(first, Special) and made == [first]
    assert parts[Special] is first and parts.get(Special) is first and len(made) == 1
    with pytest.raises(ValueError):
        parts.add(Special())
    with pytest.raises(ValueError):
        parts.add_on_demand(Special, Special)
