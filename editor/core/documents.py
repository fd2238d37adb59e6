"""Opening and saving documents: textio + format registry, with SourceInfo kept."""

from __future__ import annotations

import os

from editor.core import formats, textio
from editor.core.errors import ParseError, WriteError
from editor.core.formats import ReadOptions, WriteOptions
from editor.core.model import Document, SourceInfo

# Extensions that name one format for sure; anything else is detected from content.
_DECIDING_EXTENSIONS = {
    "srt": "srt",
    "vtt": "vtt",
    "webvtt": "vtt",
    "cueline": "cueline",
    "ass": "ass",
    "ssa": "ass",
    "sbv": "sbv",
}


def pick_format(text: str, path: str | None, format_id: str | None = None) -> formats.Format:
    """Return the format to read `text` with: an explicit id, a deciding extension, or detection."""
    if format_id is not None:
        try:
            return formats.get(format_id)
        except KeyError:
            raise ParseError(f"unknown format {format_id!r}", None, path) from None
    if path is not None:
        ext = os.path.splitext(path)[1].lower().lstrip(".")
        if ext in _DECIDING_EXTENSIONS:
            return formats.get(_DECIDING_EXTENSIONS[ext])
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
    try:
        doc = fmt.read(decoded.text, options)
    except ParseError as exc:
        raise exc.with_path(p) from None
    except RecursionError:
        raise ParseError("input is nested too deeply", None, p) from None
    info = decoded.info
    info.format = fmt.id
    if fmt.id == "cueline":
        from editor.core.formats import project

        # A relative media path is relative to the project's folder; only the string changes.
        base = os.path.dirname(os.path.abspath(p))
        doc.metadata.media_path = project.resolve_media_path(doc.metadata.media_path, base)
        if "source" in doc.sources:
            # A project remembers the file it was made from; Save must write the project itself.
            doc.sources.setdefault("origin", doc.sources["source"])
    doc.sources["source"] = info
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
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    by_ext = {
        "srt": "srt",
        "vtt": "vtt",
        "webvtt": "vtt",
        "cueline": "cueline",
        "txt": "transcript",
        "ass": "ass",
        "ssa": "ass",
        "sbv": "sbv",
    }
    if ext not in by_ext:
        raise WriteError(path, f"cannot tell the output format from '.{ext}'; name one")
    return by_ext[ext]


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
    if fid == "cueline":
        from editor.core.formats import project

        # Media beside the project is stored relative to it, so the folder can move.
        text = project.write_project(doc, os.path.dirname(os.path.abspath(p)))
    else:
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
