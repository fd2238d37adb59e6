"""Command-line front end: convert, inspect, check. Imports the core only, never Qt.

Every error a user can cause ends as one stderr line `cueline: error: FILE:LINE: reason`
and exit status 2; nothing is written when anything fails. `convert` lints what it is about
to write (editor.core.lint): each finding is a `cueline: lint: FILE:LINE: severity: message`
line on stderr, and an export with errors is not written (exit 2).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from editor import __version__
from editor.core import documents, lint, runtime, textio
from editor.core.errors import EditorError
from editor.core.formats import ReadOptions, WriteOptions, readlog
from editor.core.model import Document, SourceInfo, plain_text

if TYPE_CHECKING:
    from editor.core import qc

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2

_TO_FORMAT = {
    "srt": "srt",
    "vtt": "vtt",
    "txt": "transcript",
    "cueline": "cueline",
    "ass": "ass",
    "sbv": "sbv",
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in our one-line style (exit 2, no traceback)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"cueline: error: {message}\n")
        raise SystemExit(EXIT_ERROR)


def _add_read_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", help="subtitle, transcript, Whisper JSON or .cueline file")
    p.add_argument("--translation", metavar="FILE", help="attach this file as the translation")
    p.add_argument(
        "--carry-speakers",
        action="store_true",
        help="copy the translation's speakers over (without it: only when the input has none)",
    )
    p.add_argument("--encoding", metavar="ENC", help="decode the input(s) with this encoding")
    p.add_argument(
        "--speaker-prefixes", action="store_true", help="turn 'Name: text' prefixes into speakers (SRT)"
    )
    p.add_argument("--max-chars", type=int, metavar="N", help="characters per line when segmenting")
    p.add_argument("--max-lines", type=int, default=2, metavar="N", help="lines per cue when segmenting")
    p.add_argument("--max-cps", type=float, metavar="X", help="reading speed when segmenting")
    p.add_argument("--no-segment", action="store_true", help="keep transcript segments as they are")
    p.add_argument("--fps", type=float, metavar="RATE", help="frame rate of a MicroDVD (frame-based) input")
    p.add_argument("--media", metavar="AUDIO", help="the recording the document belongs to (for --align)")
    p.add_argument(
        "--align",
        action="store_true",
        help="time the estimated cues from the media (speech model for English, else pauses)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cueline", description="Cueline subtitle editor: command-line tools.")
    parser.add_argument("--version", "-V", action="version", version=f"cueline {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    conv = sub.add_parser("convert", help="read a file and write it in another format or track")
    _add_read_options(conv)
    conv.add_argument("-o", "--output", required=True, metavar="OUTPUT")
    conv.add_argument("--to", choices=sorted(_TO_FORMAT), help="output format (default: from -o)")
    conv.add_argument("--track", choices=["source", "translation", "bilingual"], default="source")
    conv.add_argument(
        "--speakers",
        choices=["voice", "prefix", "both", "changes", "dashes", "none"],
        default="voice",
        help="voice: <v Name> in WebVTT, in SRT (no voice tags) a name where the speaker changes",
    )
    conv.add_argument("--output-encoding", metavar="ENC", default="utf-8")
    conv.add_argument("--bom", action="store_true", help="write a byte-order mark")
    conv.add_argument("--crlf", action="store_true", help="write CRLF line endings")
    conv.add_argument(
        "--compatible",
        action="store_true",
        help="WebVTT for players that read only cues: no STYLE/REGION/NOTE blocks, no cue settings",
    )

    insp = sub.add_parser("inspect", help="describe a file (cues, speakers, languages)")
    _add_read_options(insp)
    insp.add_argument("--json", action="store_true", help="print one JSON object")

    chk = sub.add_parser("check", help="run quality checks")
    _add_read_options(chk)
    chk.add_argument("--json", action="store_true", help="print one JSON object")
    chk.add_argument("--strict", action="store_true", help="exit 1 when any problem is found")
    chk.add_argument("--no-spelling", action="store_true", help="do not check spelling")
    chk.add_argument("--glossary", metavar="FILE", help="check the translation against this CSV/TSV glossary")
    return parser


def _read_options(args: argparse.Namespace) -> ReadOptions:
    return ReadOptions(
        speaker_prefixes=args.speaker_prefixes,
        segment=not args.no_segment,
        max_chars=args.max_chars,
        max_lines=args.max_lines,
        max_cps=args.max_cps,
        fps=args.fps,
    )


def load_with_translation(args: argparse.Namespace, *, languages: bool = True) -> Document:
    """Load the input and, when asked, attach the translation; returns the document.

    With `languages`, languages the files do not name are detected (langdetect loads its
    profiles, ~0.4 s): for commands whose result shows or uses them.
    Raises EditorError subclasses (ParseError carries file and line).
    """
    doc = documents.open_document(
        args.input,
        args.translation or None,
        encoding=args.encoding,
        options=_read_options(args),
        carry_speakers=True if args.carry_speakers else None,
        detect=languages,
    )
    if getattr(args, "align", False):
        _align(doc, args)
    return doc


def _align(doc: Document, args: argparse.Namespace) -> None:
    """Align the document's estimated cues to --media; says which layer did it on stderr.

    Raises EditorError (no --media, unreadable media, nothing to align and why)."""
    from editor.core import autotime, edits
    from editor.core.errors import ValidationError

    if not args.media:
        raise ValidationError("media", "--align needs --media AUDIO")
    plan = autotime.align_media(doc, args.media)
    edits.apply(doc, plan.edit())
    sys.stderr.write(f"cueline: align: {args.media}: {plan.message}; {plan.summary()}\n")


def inspect_dict(doc: Document) -> dict[str, Any]:
    """Return the `inspect --json` object. Its keys are a stable interface."""
    info = doc.sources.get("source", SourceInfo())
    counts: dict[str, int] = {}
    for cue in doc.cues:
        if cue.speaker_id is not None:
            counts[cue.speaker_id] = counts.get(cue.speaker_id, 0) + 1
    return {
        "format": info.format,
        "encoding": info.encoding,
        "language": doc.source_language,
        "translation_language": doc.translation_language,
        "metadata": {
            "title": doc.metadata.title,
            "duration_ms": doc.metadata.duration_ms,
            "url": doc.metadata.url,
        },
        "notes": doc.notes,
        "skipped": [{"line": s.line, "message": s.message} for s in readlog.skipped(doc)],
        "translation_report": doc.translation_report,
        "speakers": [
            {"id": s.id, "name": s.name, "cues": counts.get(s.id, 0)} for s in doc.speakers.values()
        ],
        "cues": [
            {
                "id": c.id,
                "start_ms": c.start_ms,
                "end_ms": c.end_ms,
                "speaker": doc.speaker_name(c.speaker_id),
                "text": c.text,
                "plain": plain_text(c.text),
                "translation": c.translation,
                "timing": c.timing.value,
                "time_source": c.time_source.value,
            }
            for c in doc.cues
        ],
    }


def _writes_languages(doc: Document, format_id: str, speakers: str) -> bool:
    """Return whether writing `doc` depends on its languages: a project keeps them, and a
    visible "Name: " prefix is laid out to the language's line limit (tracks.with_prefix)."""
    if format_id not in ("srt", "vtt"):
        return True
    prefixes = speakers != "none" if format_id == "srt" else speakers in ("prefix", "both")
    return prefixes and bool(doc.speakers)


def _cmd_convert(args: argparse.Namespace) -> int:
    # Reading, rendering and linting build many small acyclic objects: the collector's passes over
    # them cost ~0.15 s of a 100k-cue convert, ~0.08 s of it while reading (editor.core.runtime).
    # The timing lines are read and written with NumPy (timecode.fixed_timing_ms): its BLAS thread
    # pool, unused here, would cost ~0.05 s of CPU starting up on every core.
    runtime.single_thread_blas()
    with runtime.gc_paused():
        return _convert(args)


def _convert(args: argparse.Namespace) -> int:
    doc = load_with_translation(args, languages=False)
    format_id = _TO_FORMAT[args.to] if args.to else documents.format_for_output(args.output)
    if _writes_languages(doc, format_id, args.speakers):
        documents.detect_languages(doc)
    info = SourceInfo(
        path=args.output, encoding=args.output_encoding, bom=args.bom, newline="\r\n" if args.crlf else "\n"
    )
    options = WriteOptions(track=args.track, speakers=args.speakers, compatible=args.compatible)
    for entry in readlog.skipped(doc):
        sys.stderr.write(f"cueline: warning: {entry.describe(args.input)}\n")
    if not doc.cues and format_id in ("srt", "sbv"):
        # SubRip cannot say "no cues" in any other way; ffmpeg refuses the empty file it gets.
        sys.stderr.write(
            f"cueline: warning: {args.output}: the document has no cues, so the file is empty "
            "(ffmpeg and most players refuse an empty SubRip file)\n"
        )
    # The linter looks at exactly what would be written (checked while writing where the writer
    # allows, lint.export); an export it finds wrong is not written.
    text, findings = lint.export(doc, format_id, options)
    # One write: stderr is line-buffered, and a long file can have tens of thousands of findings.
    sys.stderr.write(lint.report(findings, args.output, "cueline: lint: "))
    if lint.errors(findings):
        sys.stderr.write(f"cueline: error: {args.output}: not written, the export has errors (see above)\n")
        return EXIT_ERROR
    textio.atomic_write(args.output, text, info)
    return EXIT_OK


def _cmd_inspect(args: argparse.Namespace) -> int:
    doc = load_with_translation(args)
    data = inspect_dict(doc)
    if args.json:
        import json

        json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return EXIT_OK
    meta = data["metadata"]
    print(f"{args.input}: {data['format']}, {data['encoding']}, {len(doc.cues)} cues")
    for entry in readlog.skipped(doc):
        print(f"skipped: {entry.describe(args.input)}")
    if meta["title"]:
        print(f"title: {meta['title']}")
    print(f"language: {data['language']}  translation: {data['translation_language']}")
    for sp in data["speakers"]:
        print(f"speaker {sp['name']}: {sp['cues']} cues")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from editor.core import qc

    doc = load_with_translation(args)
    if args.glossary:
        from editor.core import glossary

        for entry in glossary.read_file(args.glossary):
            doc.glossary = glossary.with_entry(doc.glossary, entry)
    profile = qc.QcProfile(disabled=frozenset({"spelling"}) if args.no_spelling else frozenset())
    problems = qc.check(doc, profile)
    words = _spelling_report(doc, problems, args)
    if args.json:
        import json

        out = {
            "problems": [
                {"cue": p.cue_id, "check": p.check, "severity": p.severity.value, "message": p.message}
                | ({"words": words[p.cue_id]} if p.check == "spelling" and p.cue_id in words else {})
                for p in problems
            ],
            "counts": qc.counts(problems),
        }
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        rows = {c.id: i + 1 for i, c in enumerate(doc.cues)}
        for p in problems:
            where = f"cue {rows.get(p.cue_id, '?')}" if p.cue_id is not None else "document"
            if p.check == "spelling" and words.get(p.cue_id):
                for w in words[p.cue_id]:
                    track = "translation: " if w["track"] == "translation" else ""
                    hint = f" (suggestions: {', '.join(w['suggestions'])})" if w["suggestions"] else ""
                    word = f"{track}unknown word “{w['word']}”{hint}"
                    print(f"{args.input}: {where}: {p.severity.value}: {word} [spelling]")
                continue
            print(f"{args.input}: {where}: {p.severity.value}: {p.message} [{p.check}]")
        print(f"{len(problems)} problem(s)")
    return EXIT_PROBLEMS if (args.strict and problems) else EXIT_OK


def _spelling_report(
    doc: Document, problems: list[qc.Problem], args: argparse.Namespace
) -> dict[int, list[dict[str, Any]]]:
    """Return the unknown words (with suggestions) of the cues flagged by `spelling`; a language
    without a dictionary is named once on stderr."""
    if args.no_spelling:
        return {}
    from editor.core import spelling

    for lang in spelling.SpellChecker(doc).missing_languages():
        sys.stderr.write(f"cueline: note: {spelling.missing_dictionary_message(lang)}\n")
    flagged = [p.cue_id for p in problems if p.check == "spelling" and p.cue_id is not None]
    return spelling.report(doc, flagged)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 problems with --strict, 2 error)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    handler = {"convert": _cmd_convert, "inspect": _cmd_inspect, "check": _cmd_check}[args.command]
    try:
        return handler(args)
    except EditorError as exc:
        sys.stderr.write(f"cueline: error: {exc}\n")
        return EXIT_ERROR
    except MemoryError:
        sys.stderr.write(f"cueline: error: {args.input}: not enough memory to read this file\n")
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader of our output (`| head`) stopped reading: not an error of ours. Point
        # stdout at devnull so that the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
