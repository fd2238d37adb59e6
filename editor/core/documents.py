"""Opening and saving documents: textio + format registry, with SourceInfo kept.

`open_document` is the one way to open a file with a translation, for the window and
the CLI alike: read, align the translation (`plan_translation`), attach it through the
edit path (`attach_translation_edit`, one undoable edit that also records the
translation's file and language), then detect what languages are still unknown.
"""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING

from editor.core import formats, textio
from editor.core.errors import ParseError, WriteError
from editor.core.formats import ReadOptions, WriteOptions
from editor.core.model import Document, SourceInfo

if TYPE_CHECKING:
    from editor.core import edits
    from editor.core.alignment import AlignmentPlan
    from editor.core.style import StyleSettings


def pick_format(text: str, path: str | None, format_id: str | None = None) -> formats.Format:
    """Return the format to read `text` with: an explicit id, a deciding extension, or detection."""
    if format_id is not None:
        try:
            return formats.get(format_id)
        except KeyError:
            raise ParseError(f"unknown format {format_id!r}", None, path) from None
    if path is not None:
        deciding = formats.format_id_for(path, deciding_only=True)
        if deciding is not None:
            return formats.get(deciding)
    return formats.detect(text, path)


def load(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    format_id: str | None = None,
    options: ReadOptions | None = None,
) -> Document:
    """Read a file into a new Document with its SourceInfo under doc.sources["source"].

    Raises ParseError (with path and line where known).
    """
    p = os.fspath(path)
    decoded = textio.read(p, encoding)
    fmt = pick_format(decoded.text, p, format_id)
    options = dataclasses.replace(options or ReadOptions(), base_dir=os.path.dirname(os.path.abspath(p)))
    try:
        doc = fmt.read(decoded.text, options)
    except ParseError as exc:
        raise exc.with_path(p) from None
    except RecursionError:
        raise ParseError("input is nested too deeply", None, p) from None
    info = decoded.info
    info.format = fmt.id
    doc.sources["source"] = info
    return doc


def read_translation(
    path: str | os.PathLike[str], *, encoding: str | None = None, options: ReadOptions | None = None
) -> Document:
    """Return a translation file read for attaching (see alignment.read_translation)."""
    from editor.core import alignment

    return alignment.read_translation(path, encoding=encoding, options=options)


def plan_translation(
    doc: Document, translation: Document, *, carry_speakers: bool | None = None
) -> AlignmentPlan:
    """Return how `translation` pairs with the cues of `doc` (nothing changes yet).

    `carry_speakers` None: the translation's speakers are carried over when the document
    has none of its own and the translation has some. Raises LimitError for inputs too
    large to align.
    """
    from editor.core import alignment

    carry = (not doc.speakers) if carry_speakers is None else carry_speakers
    return alignment.align(doc, translation, carry_speakers=carry and bool(translation.speakers))


def attach_translation_edit(
    doc: Document, translation: Document, plan: AlignmentPlan, *, styles: StyleSettings | None = None
) -> edits.Edit:
    """Return the one undoable edit attaching a planned translation: texts laid out in lines
    to the translation's style profile under `styles` (layout.lay_out_plan) and review
    states (alignment.attach_edit), the translation's language and the file it came from;
    then every cue whose translation is too long for its lines, or whose estimated source
    (not timed by its file) is, split into cues that fit (fitting.split_to_fit). Raises
    ValidationError when the plan names unknown cues."""
    from editor.core import alignment, edits, fitting, layout

    parts: list[edits.Edit] = [alignment.attach_edit(doc, layout.lay_out_plan(plan, doc, styles))]
    if "source" in translation.sources:
        parts.append(edits.SetSource("translation", translation.sources["source"]))
    attach = edits.Batch(parts)
    # Which cues need splitting shows only once the translation (and its speakers) is in.
    inverse, _ = edits.apply(doc, attach)
    try:
        fit = fitting.split_to_fit(doc, styles=styles, exact_sources=False)
    finally:
        edits.apply(doc, inverse)
    return edits.Batch([attach, fit]) if fit.edits else attach


def detect_languages(doc: Document) -> None:
    """Fill in the source language, and the translation's when the document has one, when unknown."""
    has_translation = doc.has_translation()
    if doc.source_language is not None and (doc.translation_language is not None or not has_translation):
        return
    from editor.core import language

    src, dst = language.detect_document(doc, translated=has_translation)
    doc.source_language = doc.source_language or src
    if has_translation:
        doc.translation_language = doc.translation_language or dst


def open_document(
    path: str | os.PathLike[str],
    translation: str | os.PathLike[str] | None = None,
    *,
    encoding: str | None = None,
    options: ReadOptions | None = None,
    carry_speakers: bool | None = None,
    styles: StyleSettings | None = None,
    detect: bool = True,
) -> Document:
    """Return a file opened as a new Document, with `translation` attached when given (its
    lines laid out to its style profile under `styles`).

    The translation is part of the opened state (not an undo step); languages still
    unknown afterwards are detected (unless `detect` is False: see detect_languages). Raises
    ParseError/OSError for unreadable files, LimitError for a translation too large to align.
    """
    doc = load(path, encoding=encoding, options=options)
    if translation is not None:
        from editor.core import edits  # only with a translation: convert loads no edits otherwise

        other = read_translation(translation, encoding=encoding, options=options)
        plan = plan_translation(doc, other, carry_speakers=carry_speakers)
        edits.apply(doc, attach_translation_edit(doc, other, plan, styles=styles))
        if doc.translation_language is None:
            doc.translation_language = other.source_language
    if detect:
        detect_languages(doc)
    return doc


def render(doc: Document, format_id: str, options: WriteOptions | None = None) -> str:
    """Return the document as text in `format_id` ("\\n" newlines). Raises WriteError."""
    fmt = formats.get(format_id)
    if not fmt.can_write:
        raise WriteError("<output>", f"{fmt.name} files can be read but not written")
    return fmt.write(doc, options)


def format_for_output(path: str, format_id: str | None = None) -> str:
    """Return the format id to write `path` in: explicit, else from the extension.

    Raises WriteError when neither names a writable format.
    """
    if format_id is not None:
        return format_id
    found = formats.format_id_for(path)
    if found is None or not formats.get(found).can_write:
        raise WriteError(path, f"cannot tell the output format from '.{formats.extension(path)}'; name one")
    return found


def save(
    doc: Document,
    path: str | os.PathLike[str],
    format_id: str | None = None,
    options: WriteOptions | None = None,
    info: SourceInfo | None = None,
) -> SourceInfo:
    """Render and atomically write `doc`; returns the SourceInfo written.

    `info` gives encoding, BOM and newline (default: UTF-8, no BOM, "\\n"). Rendering
    happens before the file is touched, so a failing writer leaves the old file intact.
    Raises WriteError.
    """
    p = os.fspath(path)
    fid = format_for_output(p, format_id)
    options = dataclasses.replace(options or WriteOptions(), base_dir=os.path.dirname(os.path.abspath(p)))
    text = render(doc, fid, options)
    out = SourceInfo(
        path=p,
        format=fid,
        encoding=info.encoding if info else "utf-8",
        bom=info.bom if info else False,
        newline=info.newline if info else "\n",
    )
    textio.atomic_write(p, text, out)
    return out
