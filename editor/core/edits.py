"""The closed set of primitive edits.

Every edit's `apply(doc)` changes the document and returns `(inverse, ChangeSet)`:
applying the inverse restores the document exactly, and the ChangeSet names what
was touched so that views refresh just that. Compound operations (split, merge,
shift, rename …) are `Batch`es of primitives and so are one undo step.
"""

from __future__ import annotations

import copy
from dataclasses import field
from typing import Any, Protocol

from editor.core.errors import ValidationError
from editor.core.model import DOC_FIELDS, EDITABLE_CUE_FIELDS, Cue, Document, SourceInfo, Speaker
from editor.core.records import record


@record
class ChangeSet:
    """What an edit touched. `structure` is True when cues were inserted or removed."""

    cue_ids: set[int] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)
    structure: bool = False
    inserted: set[int] = field(default_factory=set)
    removed: set[int] = field(default_factory=set)
    speakers: bool = False
    document: set[str] = field(default_factory=set)
    # Field name -> {cue id: value before the edit} for the fields SetCueValues sets (the only
    # edit that sets speaker_id, text, ...; not times), so a view can update a tally (speaker
    # counts) by difference instead of scanning every cue.
    previous: dict[str, dict[int, Any]] = field(default_factory=dict)

    def merge(self, other: ChangeSet) -> ChangeSet:
        """Fold `other` into self and return self."""
        for name, values in other.previous.items():
            mine = self.previous.setdefault(name, {})
            for cue_id, value in values.items():
                mine.setdefault(cue_id, value)  # the value before the first edit counts
        self.cue_ids |= other.cue_ids
        self.fields |= other.fields
        self.structure |= other.structure
        self.inserted = (self.inserted - other.removed) | other.inserted
        self.removed = (self.removed - other.inserted) | other.removed
        self.speakers |= other.speakers
        self.document |= other.document
        return self

    @property
    def empty(self) -> bool:
        return not (self.cue_ids or self.structure or self.speakers or self.document)


class Edit(Protocol):
    def apply(self, doc: Document) -> tuple[Edit, ChangeSet]: ...


@record
class SetCueValues:
    """Set one field on many cues: `values` maps cue id to the new value."""

    field_name: str
    values: dict[int, Any]

    def apply(self, doc: Document) -> tuple[Edit, ChangeSet]:
        if self.field_name not in EDITABLE_CUE_FIELDS:
            raise ValidationError(self.field_name, "not an editable cue field")
        doc.forget_read_columns()  # the reader's columns know the times, ids and translations
        old: dict[int, Any] = {}
        for cue_id, value in self.values.items():
            cue = doc.cue(cue_id)
            old[cue_id] = getattr(cue, self.field_name)
            setattr(cue, self.field_name, value)
        changes = ChangeSet(
            cue_ids=set(self.values), fields={self.field_name}, previous={self.field_name: old}
        )
        return SetCueValues(self.field_name, old), changes


def set_field(cue_id: int, field_name: str, value: Any) -> SetCueValues:
    """Return the edit that sets `field_name` of one cue."""
    return SetCueValues(field_name, {cue_id: value})


@record
class SetTimes:
    """Set start and end of many cues at once: `times` maps id to (start_ms, end_ms).

    Times are validated as a pair so that no cue ever ends before it starts.
    """

    times: dict[int, tuple[int, int]]

    def apply(self, doc: Document) -> tuple[Edit, ChangeSet]:
        for cue_id, (start, end) in self.times.items():
            if end < start:
                raise ValidationError(
                    "end", f"cue {cue_id} would end ({end} ms) before it starts ({start} ms)"
                )
            doc.cue(cue_id)  # raises KeyError for an unknown id before anything changes
        doc.forget_read_columns()  # the reader's columns know the times
        old: dict[int, tuple[int, int]] = {}
        for cue_id, (start, end) in self.times.items():
            cue = doc.cue(cue_id)
            old[cue_id] = (cue.start_ms, cue.end_ms)
            cue.start_ms, cue.end_ms = start, end
        return SetTimes(old), ChangeSet(cue_ids=set(self.times), fields={"start_ms", "end_ms"})


@record
class InsertCues:
    """Insert cues at rows: a list of (row, cue), applied in ascending row order."""

    items: list[tuple[int, Cue]]

    def apply(self, doc: Document) -> tuple[Edit, ChangeSet]:
        doc._insert_many([(row, copy.copy(cue)) for row, cue in sorted(self.items, key=lambda item: item[0])])
        ids = {cue.id for _, cue in self.items}
        return RemoveCues(sorted(ids)), ChangeSet(cue_ids=set(ids), structure=True, inserted=set(ids))


@record
class RemoveCues:
    """Remove the cues with these ids."""

    ids: list[int]

    def apply(self, doc: Document) -> tuple[Edit, ChangeSet]:
        removed = doc._remove_many(self.ids)  # ascending rows, so re-insertion restores positions
        ids = set(self.ids)
        return InsertCues(removed), ChangeSet(cue_ids=set(ids), structure=True, removed=ids)


@record
class SetSpeakers:
    """Replace the whole speaker table (rename, recolour, add, remove speakers)."""

    speakers: list[Speaker]

    def apply(self, doc: Document) -> tuple[Edit, ChangeSet]:
        old = [copy.copy(s) for s in doc.speakers.values()]
        doc.speakers = {s.id: copy.copy(s) for s in self.speakers}
        return SetSpeakers(old), ChangeSet(speakers=True)


@record
class SetDocumentField:
    """Set a document-level field: languages, notes or metadata (a Metadata object)."""

    name: str
    value: Any

    def apply(self, doc: Document) -> tuple[Edit, ChangeSet]:
        if self.name not in DOC_FIELDS:
            raise ValidationError(self.name, "not a document field")
        old = getattr(doc, self.name)
        setattr(doc, self.name, copy.deepcopy(self.value))
        return SetDocumentField(self.name, old), ChangeSet(document={self.name})


@record
class SetSource:
    """Record (or with None forget) the file a track was read from: doc.sources[role]."""

    role: str
    info: SourceInfo | None

    def apply(self, doc: Document) -> tuple[Edit, ChangeSet]:
        old = doc.sources.get(self.role)
        if self.info is None:
            doc.sources.pop(self.role, None)
        else:
            doc.sources[self.role] = copy.copy(self.info)
        return SetSource(self.role, old), ChangeSet(document={"sources"})


@record
class Batch:
    """Several edits as one: applied in order, undone in reverse order."""

    edits: list[Edit]

    def apply(self, doc: Document) -> tuple[Edit, ChangeSet]:
        inverses: list[Edit] = []
        changes = ChangeSet()
        try:
            for edit in self.edits:
                inverse, change = edit.apply(doc)
                inverses.append(inverse)
                changes.merge(change)
        except Exception:
            # Leave the document as it was: a half-applied batch would be a lost edit.
            for inverse in reversed(inverses):
                inverse.apply(doc)
            raise
        inverses.reverse()
        return Batch(inverses), changes


def apply(doc: Document, edit: Edit) -> tuple[Edit, ChangeSet]:
    """Apply `edit` to `doc`; returns (inverse, ChangeSet). Raises ValidationError/KeyError."""
    return edit.apply(doc)
