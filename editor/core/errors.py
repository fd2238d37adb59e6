"""Typed errors of the core; front ends turn them into words in one place each."""

from __future__ import annotations


class EditorError(Exception):
    """Base class of every error the core raises on purpose."""


class ParseError(EditorError):
    """A file could not be read. Carries the path, the 1-based line (or None) and the reason."""

    def __init__(self, reason: str, line: int | None = None, path: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.path = path

    def with_path(self, path: str) -> ParseError:
        """Return self with `path` filled in when the reader did not know it."""
        if self.path is None:
            self.path = path
        return self

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.reason}"


class EncodingError(ParseError):
    """Bytes that cannot be decoded as text in any supported or requested encoding."""


class LimitError(ParseError):
    """Input past a safety limit (file size, line length, cue count)."""


class ValidationError(EditorError):
    """A value a user typed or an edit asked for is not acceptable for `field`."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class WriteError(EditorError):
    """A file could not be written; the old file on disk is untouched."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class AmbiguousFormatError(ParseError):
    """More than one format claims the text; `candidates` lists their ids."""

    def __init__(self, candidates: list[str], path: str | None = None) -> None:
        super().__init__(f"ambiguous format, could be any of: {', '.join(candidates)}", None, path)
        self.candidates = candidates
