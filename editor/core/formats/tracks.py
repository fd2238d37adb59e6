"""What text a writer puts in a cue for a chosen track and speaker style (shared by writers)."""

from __future__ import annotations

from editor.core.formats import Track
from editor.core.model import Cue, Document, plain_text


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


# The speaker styles each format can hold, the default first (see SpeakerStyle).
SPEAKER_STYLES: dict[str, tuple[str, ...]] = {
    "srt": ("changes", "prefix", "dashes", "none"),
    "vtt": ("voice", "prefix", "both", "changes", "none"),
    "transcript": ("prefix", "none"),
    "ass": ("voice", "none"),  # the event's Name field
    "sbv": ("prefix", "none"),
}


def speaker_styles(format_id: str) -> tuple[str, ...]:
    """Return the speaker styles `format_id` can write, its default first."""
    return SPEAKER_STYLES.get(format_id, ("none",))


def names_cue(style: str, cue: Cue, previous: Cue | None) -> bool:
    """Return True when a visible name prefix goes on `cue` under `style` (`previous`: the cue
    before it in the file)."""
    if style in ("prefix", "both"):
        return True
    if style == "changes":
        return previous is None or previous.speaker_id != cue.speaker_id
    return False


def with_prefix(prefix: str, cue: Cue, track: Track, doc: Document | None = None) -> str:
    """Return the cue's `track` text with `prefix` ("Name: ") before it, its first text laid out
    again with the prefix's width taken from the first line when that line would be too long
    for its track's style profile (the document's language, else the text's script)."""
    from editor.core import layout

    text = track_text(cue, track)
    if not prefix or not text:
        return prefix + text
    field = "translation" if track == "translation" or not cue.text else "text"
    head = cue.translation if field == "translation" else cue.text
    profile = layout.track_profile(doc, field, head)
    reserve = profile.line_width(prefix)
    first = text.split("\n", 1)[0]
    if profile.line_width(plain_text(first)) + reserve <= profile.max_chars:
        return prefix + text
    laid = layout.lay_out(head, profile, reserve=reserve)
    rest = cue.translation if track == "bilingual" and cue.text and cue.translation else ""
    return prefix + laid + ("\n" + rest if rest else "")
