"""What text a writer puts in a cue for a chosen track and speaker style (shared by writers)."""

from __future__ import annotations

from editor.core.formats import Track
from editor.core.model import Cue, Document


def track_text(cue: Cue, track: Track) -> str:
    """Return the cue's text for `track`: source, translation, or source lines above translation."""
    if track == "source":
        return cue.text
    if track == "translation":
        return cue.translation
    if cue.translation and cue.text:
        return f"{cue.text}\n{cue.translation}"
    return cue.text or cue.translation


def prefix_speaker(name: str | None, text: str) -> str:
    """Return `text` with a visible "Name: " prefix on its first line (unchanged without a name)."""
    if not name:
        return text
    return f"{name}: {text}"


def speaker_of(doc: Document, cue: Cue) -> str | None:
    """Return the name of the cue's speaker, or None."""
    return doc.speaker_name(cue.speaker_id)
