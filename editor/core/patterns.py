"""Regular expressions compiled when first used rather than when their module is imported.

re's compiler is written in Python: a pattern costs 0.05-1.5 ms to compile (a class of large
Unicode ranges the most), at every launch, although many serve only what a launch never runs
(a writer, a dialog's check, a speaker-name rule). `CompiledOnFirstUse` stands for such a
pattern until something uses it.
"""

from __future__ import annotations

import re
from typing import Any


class CompiledOnFirstUse:
    """Stands for `re.compile(pattern, flags)` until first used, then answers with the compiled
    pattern's methods and attributes. Given its module's globals and its name there, it also puts
    the compiled pattern in its own place, so that functions looking the name up each call use the
    re.Pattern directly from then on.

    `pattern` (the source text) answers without compiling; anything else compiles it once.
    A module-level name bound to one is annotated as re.Pattern: it behaves as one wherever a
    pattern's methods or attributes are used, but it is not one for isinstance or for re.sub(p, …).
    """

    _METHODS = ("search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split")

    def __init__(
        self,
        pattern: str,
        flags: int = 0,
        *,
        namespace: dict[str, Any] | None = None,
        name: str | None = None,
    ) -> None:
        self.pattern = pattern
        self._flags = flags
        self._namespace = namespace
        self._name = name
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        """Return the compiled pattern (compiling it the first time)."""
        compiled = self._compiled
        if compiled is None:
            compiled = re.compile(self.pattern, self._flags)
            for method in self._METHODS:
                setattr(self, method, getattr(compiled, method))
            self._compiled = compiled
            if self._namespace is not None and self._name is not None:
                self._namespace[self._name] = compiled
        return compiled

    def __getattr__(self, attr: str) -> Any:
        # Only names the instance does not have come here: the methods until the first use,
        # the pattern's other attributes (flags, groups, groupindex) always.
        if attr.startswith("_"):
            raise AttributeError(attr)
        return getattr(self.compiled(), attr)


def compile_on_first_use(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Return a stand-in for `re.compile(pattern, flags)` that compiles it when first used."""
    return CompiledOnFirstUse(pattern, flags)  # type: ignore[return-value]
