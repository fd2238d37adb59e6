"""Quality checks over a document → [Problem]. Filled in by issue 3 (and 5 for translation checks)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: which cue, which check (a stable id like "cps"), how bad, and words for a human."""

    cue_id: int | None
    check: str
    severity: Severity
    message: str
