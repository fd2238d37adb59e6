"""`record`: dataclasses.dataclass for the classes every launch creates, made for less.

dataclasses.dataclass writes each method it adds (__init__, __repr__, __eq__, __hash__, a frozen
class's __setattr__ and __delattr__) as source text and compiles it: ~0.08 ms a method, 0.36 ms a
plain class and 0.72 ms a frozen one with slots; the ~40 dataclasses a launch imports cost 21-28 ms
of its CPU. `record` leaves __init__ and the frozen guards to dataclasses (their exact semantics:
defaults, factories, __post_init__, object.__setattr__ under frozen). __repr__ is a closure giving
the same text; __eq__ and __hash__ are stand-ins that compile dataclasses' own source for them on
their first call and put it in their place (a launch compares a few of these classes, and then at
the speed of a dataclass), with the same rules for when a class is hashable. `dataclass_twin`
builds the plain dataclass from the same class body, and tests compare every record with its twin.
Only the options the project uses are offered (frozen, slots).
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T", bound=type)

# Each record's class body and options, for dataclass_twin (the tests' plain version).
RECORDS: list[tuple[type, str, tuple[type, ...], dict[str, Any], dict[str, bool]]] = []


def record(cls: T | None = None, /, *, frozen: bool = False, slots: bool = False) -> Any:
    """Return `cls` as `dataclasses.dataclass(cls, frozen=frozen, slots=slots)` would (usable
    bare, `@record`, or with options, `@record(frozen=True)`)."""

    def wrap(cls: T) -> T:
        return _record(cls, frozen=frozen, slots=slots)

    return wrap if cls is None else wrap(cls)


def dataclass_twin(cls: type) -> type:
    """Return the plain dataclass made from record `cls`'s class body and options."""
    for made, name, bases, namespace, options in RECORDS:
        if made is cls:
            return dataclasses.dataclass(**options)(type(name, bases, dict(namespace)))
    raise KeyError(cls)


def _record(cls: T, *, frozen: bool, slots: bool) -> T:
    namespace = cls.__dict__
    body = {k: v for k, v in namespace.items() if k not in ("__dict__", "__weakref__")}
    own_repr = "__repr__" in namespace
    own_eq = "__eq__" in namespace
    # dataclasses' test for a __hash__ written in the class (Python sets __hash__ to None in a
    # class that defines __eq__: that one does not count).
    class_hash = namespace.get("__hash__", dataclasses.MISSING)
    explicit_hash = not (class_hash is dataclasses.MISSING or (class_hash is None and "__eq__" in namespace))
    made = dataclasses.dataclass(cls, repr=False, eq=False, frozen=frozen, slots=slots)
    fields = dataclasses.fields(made)
    if not own_repr:
        made.__repr__ = _repr_fn(made, [f.name for f in fields if f.repr])
    if not own_eq:
        made.__eq__ = _eq_fn(made, [f.name for f in fields if f.compare])
    if not explicit_hash:
        # eq=True: a frozen class hashes its fields, a mutable one is unhashable.
        hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
        made.__hash__ = _hash_fn(made, hashed) if frozen else None  # type: ignore[assignment]
    params = made.__dataclass_params__  # type: ignore[attr-defined]
    params.repr = True
    params.eq = True
    RECORDS.append((made, cls.__name__, cls.__bases__, body, {"frozen": frozen, "slots": slots}))
    return made


def _values(names: list[str]) -> Callable[[Any], tuple]:
    """Return a function giving an object's values of `names` as a tuple (as `(self.a,self.b,)`)."""
    if not names:
        return lambda obj: ()
    if len(names) == 1:
        get_one = attrgetter(names[0])
        return lambda obj: (get_one(obj),)
    return attrgetter(*names)


def _repr_fn(cls: type, names: list[str]) -> Callable[[Any], str]:
    get = _values(names)

    @reprlib.recursive_repr()  # "..." for a record met again inside its own repr, as dataclasses'
    def __repr__(self: Any) -> str:
        values = get(self)
        inner = ", ".join([f"{name}={value!r}" for name, value in zip(names, values, strict=True)])
        return f"{self.__class__.__qualname__}({inner})"

    __repr__.__qualname__ = f"{cls.__qualname__}.__repr__"
    return __repr__


def _tuple_source(obj: str, names: list[str]) -> str:
    """Return `(obj.a,obj.b,)` for `names`, as dataclasses writes a field tuple."""
    return f"({','.join(f'{obj}.{name}' for name in names)},)" if names else "()"


def _compiled(cls: type, name: str, source: str) -> Callable[..., Any]:
    """Return the method `name` compiled from `source` (its body's lines), put in `cls` in place
    of the stand-in that asked for it."""
    namespace: dict[str, Any] = {}
    exec(source, {}, namespace)  # the text is made here from the class's field names
    method = namespace[name]
    method.__qualname__ = f"{cls.__qualname__}.{name}"
    setattr(cls, name, method)
    return method


def _eq_fn(cls: type, names: list[str]) -> Callable[[Any, Any], Any]:
    # A stand-in that compiles dataclasses' own __eq__ on its first call: comparing is then as fast
    # as a dataclass's (its attribute loads are specialised bytecode), and a launch that never
    # compares the class never compiles it.
    source = (
        "def __eq__(self, other):\n"
        "    if other.__class__ is self.__class__:\n"
        f"        return {_tuple_source('self', names)} == {_tuple_source('other', names)}\n"
        "    return NotImplemented\n"
    )

    def __eq__(self: Any, other: Any) -> Any:
        return _compiled(cls, "__eq__", source)(self, other)

    __eq__.__qualname__ = f"{cls.__qualname__}.__eq__"
    return __eq__


def _hash_fn(cls: type, names: list[str]) -> Callable[[Any], int]:
    source = f"def __hash__(self):\n    return hash({_tuple_source('self', names)})\n"

    def __hash__(self: Any) -> int:
        return _compiled(cls, "__hash__", source)(self)

    __hash__.__qualname__ = f"{cls.__qualname__}.__hash__"
    return __hash__
