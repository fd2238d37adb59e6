"""Terminology glossary: agreed renderings of source terms, their QC check, CSV/TSV exchange.

A glossary is the document's tuple of `GlossaryEntry(term, renderings, note)`. The
`glossary` check flags a cue whose source contains a term but whose translation (when
it has one) contains none of the term's renderings; the message names the expected
rendering. Terms match as whole words, case-insensitively for Latin scripts, with simple
English plurals (term+s, term+es, consonant+y -> ies); terms in Chinese or Japanese
match anywhere (those scripts put no spaces between words). An entry with no rendering
means "keep the term as it is": the term itself is expected in the translation.

CSV/TSV: one entry per row: term, translation(s), note. Several agreed translations go
in one cell separated by "|" or ";", or on rows of their own with the same term (they
are merged). A first row naming its columns (term/source, translation/target…) is a
header and skipped; the delimiter (tab, comma or semicolon) is found from the text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from typing import Any

from editor.core import script
from editor.core.errors import ParseError
from editor.core.model import Cue, Document, GlossaryEntry

_HEADER_WORDS = frozenset(
    {"term", "source", "source term", "source_term", "translation", "target", "target term", "rendering"}
)


def _plural_forms(term: str) -> list[str]:
    """Return regex alternatives for `term` and its simple English plurals."""
    t = re.escape(term)
    forms = [t + "(?:s|es)?"]
    if len(term) > 2 and term[-1] in "yY" and term[-2].lower() not in "aeiou":
        forms.append(re.escape(term[:-1]) + "ies")
    return forms


def _pattern(term: str) -> str:
    """Return the regex finding `term` in a text (whole words for Latin, anywhere for CJK)."""
    term = " ".join(term.split())
    if script.has_cjk(term):
        return re.escape(term)
    body = "|".join(_plural_forms(term)).replace(r"\ ", r"\s+")
    return rf"(?<!\w)(?:{body})(?!\w)"


class GlossaryMatcher:
    """Finds a glossary's terms in source texts and its renderings in translations."""

    def __init__(self, entries: Iterable[GlossaryEntry]) -> None:
        self.entries = tuple(e for e in entries if e.term.strip())
        self._terms = [re.compile(_pattern(e.term), re.IGNORECASE) for e in self.entries]
        self._renderings = [
            [re.compile(_pattern(r), re.IGNORECASE) for r in (e.renderings or (e.term,)) if r.strip()]
            for e in self.entries
        ]
        # One pass over the text decides whether any term is there at all.
        joined = "|".join(f"(?:{p.pattern})" for p in self._terms)
        self._any = re.compile(joined, re.IGNORECASE) if joined else None

    def entries_in(self, text: str) -> list[GlossaryEntry]:
        """Return the entries whose term occurs in `text`, in glossary order."""
        if self._any is None or not text:
            return []
        text = script.plain_text(text)
        if self._any.search(text) is None:
            return []
        return [e for e, rx in zip(self.entries, self._terms, strict=True) if rx.search(text)]

    def missing_renderings(self, source: str, translation: str) -> list[GlossaryEntry]:
        """Return the entries found in `source` none of whose renderings is in `translation`."""
        found = self.entries_in(source)
        if not found:
            return []
        translation = script.plain_text(translation)
        out = []
        for entry in found:
            i = self.entries.index(entry)
            if not any(rx.search(translation) for rx in self._renderings[i]):
                out.append(entry)
        return out


def expected(entry: GlossaryEntry) -> str:
    """Return the expected rendering(s) of an entry as words for a message."""
    renderings = entry.renderings or (entry.term,)
    return " or ".join(f"“{r}”" for r in renderings)


def problem_message(missing: list[GlossaryEntry]) -> str:
    """Return the QC message for the entries a cue's translation does not render."""
    return "; ".join(f"“{e.term}” should be translated as {expected(e)}" for e in missing)


def qc_check(doc: Document) -> Callable[[Cue], list[Any]]:
    """Return the per-cue `glossary` check for `doc` (qc.py calls it for every cue)."""
    from editor.core.qc import Problem, Severity

    matcher = GlossaryMatcher(doc.glossary)

    def check(cue: Cue) -> list[Any]:
        tr = cue.translation
        if not tr or tr.isspace():
            return []  # no translation yet: `tr_missing` says so
        missing = matcher.missing_renderings(cue.text, tr)
        if not missing:
            return []
        return [Problem(cue.id, "glossary", Severity.WARNING, problem_message(missing))]

    return check


# ---------------------------------------------------------------------------
# Editing helpers
# ---------------------------------------------------------------------------


def with_entry(entries: Iterable[GlossaryEntry], entry: GlossaryEntry) -> tuple[GlossaryEntry, ...]:
    """Return `entries` with `entry` added, or merged into the entry with the same term."""
    out = list(entries)
    key = entry.term.casefold()
    for i, old in enumerate(out):
        if old.term.casefold() == key:
            renderings = tuple(dict.fromkeys((*old.renderings, *entry.renderings)))
            note = (
                old.note
                if not entry.note or entry.note == old.note
                else "; ".join(n for n in (old.note, entry.note) if n)
            )
            out[i] = GlossaryEntry(old.term, renderings, note)
            return tuple(out)
    out.append(entry)
    return tuple(out)


def split_renderings(cell: str) -> tuple[str, ...]:
    """Return the renderings typed in one cell ("推理 | 推断" or "推理; 推断")."""
    return tuple(dict.fromkeys(p.strip() for p in re.split(r"[|;]", cell) if p.strip()))


# ---------------------------------------------------------------------------
# CSV / TSV
# ---------------------------------------------------------------------------


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first:
        return "\t"
    if ";" in first and "," not in first:
        return ";"
    return ","


def read_csv(text: str) -> tuple[GlossaryEntry, ...]:
    """Return the entries of a CSV or TSV glossary. Raises ParseError (with the line) when a
    row has no term but has a translation, or when the text holds no entry at all."""
    import csv  # (here: a launch reads no glossary file; ~1 ms)

    if text.startswith("\ufeff"):
        text = text[1:]
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    entries: tuple[GlossaryEntry, ...] = ()
    try:
        for row_no, row in enumerate(reader, 1):
            cells = [c.strip() for c in row]
            if not any(cells):
                continue
            if row_no == 1 and cells[0].casefold() in _HEADER_WORDS:
                continue
            term = cells[0]
            if not term:
                raise ParseError("a translation without a term", reader.line_num)
            renderings = split_renderings(cells[1]) if len(cells) > 1 else ()
            note = cells[2] if len(cells) > 2 else ""
            entries = with_entry(entries, GlossaryEntry(term, renderings, note))
    except csv.Error as exc:
        raise ParseError(f"not a CSV/TSV glossary: {exc}", reader.line_num) from None
    if not entries:
        raise ParseError("no glossary entries found (expected rows of: term, translation, note)", None)
    return entries


def write_csv(entries: Iterable[GlossaryEntry], delimiter: str = ",") -> str:
    """Return `entries` as CSV (or TSV with delimiter "\\t") with a header row."""
    import csv  # (here: a launch reads no glossary file; ~1 ms)

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["term", "translation", "note"])
    for e in entries:
        writer.writerow([e.term, " | ".join(e.renderings), e.note])
    return out.getvalue()


def read_file(path: str) -> tuple[GlossaryEntry, ...]:
    """Return the entries of the CSV/TSV glossary at `path`. Raises ParseError, OSError."""
    from editor.core import textio

    decoded = textio.read(path)
    try:
        return read_csv(decoded.text)
    except ParseError as exc:
        raise ParseError(exc.reason, exc.line, path) from None
