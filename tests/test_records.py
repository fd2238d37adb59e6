"""Every record (editor.core.records) behaves as the dataclass made from the same class body."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import pickle

import pytest

from editor.core import records
from editor.core.records import dataclass_twin, record

MODULES = (
    "editor.core.model",
    "editor.core.style",
    "editor.core.formats",
    "editor.core.formats.markup",
    "editor.core.formats.readlog",
    "editor.core.textio",
    "editor.core.edits",
    "editor.core.speakers",
    "editor.core.qc",
    "editor.core.spelling",
    "editor.qt.actions",
    "editor.qt.autosave",
    "editor.qt.host",
    "editor.qt.disk_watch",
    "editor.qt.views.cue_note",
    "editor.qt.views.preferences",
    "editor.qt.views.keyboard_page",
    "editor.qt.views.timeline_geometry",
    "editor.qt.views.timeline",
)
for _name in MODULES:
    importlib.import_module(_name)

CLASSES = [made for made, *_ in records.RECORDS if made.__module__.startswith("editor.")]


def test_every_launch_module_s_dataclasses_are_records():
    assert len(CLASSES) >= 43
    for name in MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == name and dataclasses.is_dataclass(value):
                assert value in CLASSES, value


def _field_facts(cls: type) -> list[tuple]:
    return [
        (f.name, f.type, f.default, f.default_factory, f.init, f.repr, f.compare, f.hash, f.kw_only)
        for f in dataclasses.fields(cls)
    ]


def _instances(cls: type) -> list:
    """Three instances made without __init__ (any class body): a, an equal b, and c differing in
    its last compared field."""
    names = [f.name for f in dataclasses.fields(cls)]
    made = []
    for variant in ("a", "b", "c"):
        obj = object.__new__(cls)
        for i, name in enumerate(names):
            value: object = f"v{i}" if (variant != "c" or i != len(names) - 1) else "other"
            object.__setattr__(obj, name, value)
        made.append(obj)
    return made


@pytest.mark.parametrize("cls", CLASSES, ids=[f"{c.__module__}.{c.__qualname__}" for c in CLASSES])
def test_a_record_behaves_as_its_dataclass_twin(cls):
    twin = dataclass_twin(cls)
    assert _field_facts(cls) == _field_facts(twin)
    for attr in ("init", "repr", "eq", "order", "unsafe_hash", "frozen"):
        assert getattr(cls.__dataclass_params__, attr) == getattr(twin.__dataclass_params__, attr)
    assert getattr(cls, "__match_args__", None) == getattr(twin, "__match_args__", None)
    assert getattr(cls, "__slots__", None) == getattr(twin, "__slots__", None)
    assert (cls.__hash__ is None) == (twin.__hash__ is None)
    assert str(inspect.signature(cls)) == str(inspect.signature(twin))
    assert cls.__doc__ == twin.__doc__
    mine, theirs = _instances(cls), _instances(twin)
    assert [repr(x) for x in mine] == [repr(x) for x in theirs]
    for i in range(3):
        for j in range(3):
            assert (mine[i] == mine[j]) == (theirs[i] == theirs[j])
            assert (mine[i] != mine[j]) == (theirs[i] != theirs[j])
        assert (mine[i] == object()) == (theirs[i] == object())
        assert mine[i].__eq__(theirs[i]) is NotImplemented  # another class, as dataclasses answers
    if twin.__hash__ is not None:
        assert [hash(x) for x in mine] == [hash(x) for x in theirs]
    if twin.__dataclass_params__.frozen and dataclasses.fields(cls):
        name = dataclasses.fields(cls)[0].name
        for obj in (mine[0], theirs[0]):
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(obj, name, 1)
    replaced = dataclasses.replace(mine[0]) if _inits_every_field(cls) else mine[0]
    assert replaced == mine[0]
    assert copy.copy(mine[0]) == mine[0] and copy.deepcopy(mine[0]) == mine[0]


def _inits_every_field(cls: type) -> bool:
    return all(f.init for f in dataclasses.fields(cls)) and "__post_init__" not in vars(cls)


def test_repr_of_a_record_inside_itself_is_cut_as_dataclasses_cuts_it():
    @record
    class Node:
        children: list

    node = Node([])
    node.children.append(node)
    twin = dataclass_twin(Node)
    twin_node = twin([])
    twin_node.children.append(twin_node)
    assert repr(node) == repr(twin_node).replace(twin.__qualname__, Node.__qualname__)
    assert repr(node).endswith("children=[...])")


def test_options_and_explicit_methods_are_kept():
    @record(frozen=True, slots=True)
    class Point:
        x: int
        y: int = 0

        def __repr__(self) -> str:
            return "P"

    @record
    class Keyed:
        key: str

        def __hash__(self) -> int:
            return 7

    assert repr(Point(1)) == "P" and Point(1) == Point(1, 0) and hash(Point(1, 2)) == hash((1, 2))
    assert copy.deepcopy(Point(3, 4)) == Point(3, 4)
    assert hash(Keyed("a")) == 7 and Keyed("a") == Keyed("a")

    @record
    class Mutable:
        a: int

    with pytest.raises(TypeError):
        hash(Mutable(1))


def test_records_pickle_as_dataclasses_do():
    from editor.core.model import Cue, Word

    word = Word(0, 500, "hi")
    assert pickle.loads(pickle.dumps(word)) == word
    cue = Cue(id=1, start_ms=0, end_ms=1000, text="hi")
    assert pickle.loads(pickle.dumps(cue)) == cue


def test_eq_and_hash_compile_on_first_use_then_stay():
    @record(frozen=True)
    class Pair:
        a: int
        b: str = ""

    stand_in_eq, stand_in_hash = Pair.__eq__, Pair.__hash__
    assert Pair(1, "x") == Pair(1, "x") and Pair(1, "x") != Pair(2, "x")
    assert hash(Pair(1, "x")) == hash((1, "x"))
    assert Pair.__eq__ is not stand_in_eq and Pair.__hash__ is not stand_in_hash
    compiled_eq = Pair.__eq__
    assert Pair(3) == Pair(3) and Pair.__eq__ is compiled_eq
    assert Pair.__eq__.__qualname__.endswith("Pair.__eq__")
