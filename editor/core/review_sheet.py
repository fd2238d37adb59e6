"""A review sheet: one row per cue (number, times, source, translation, review state, note),
as CSV for a spreadsheet or as a self-contained HTML page to print or send to a reviewer.

Text is written as plain text: markup stays as typed and HTML output is escaped.
"""

from __future__ import annotations

import csv
import html
import io

from editor.core import timecode
from editor.core.model import Document, Review

COLUMNS = ("Cue", "Start", "End", "Speaker", "Source", "Translation", "Review", "Note")
REVIEW_WORDS = {
    Review.UNTRANSLATED: "untranslated",
    Review.NEEDS_REVIEW: "needs review",
    Review.REVIEWED: "reviewed",
}


def rows(doc: Document) -> list[tuple[str, ...]]:
    """Return the sheet's rows (without the header), in cue order."""
    out = []
    for n, cue in enumerate(doc.cues, start=1):
        out.append(
            (
                str(n),
                timecode.format_srt(cue.start_ms),
                timecode.format_srt(cue.end_ms),
                doc.speaker_name(cue.speaker_id) or "",
                cue.text,
                cue.translation,
                REVIEW_WORDS.get(cue.review, str(cue.review)),
                cue.note,
            )
        )
    return out


def to_csv(doc: Document) -> str:
    """Return the sheet as CSV (a header row, then one row per cue; line breaks kept in cells)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(doc))
    return buffer.getvalue()


def to_html(doc: Document, title: str = "") -> str:
    """Return the sheet as one HTML page (escaped; line breaks shown as <br>)."""

    def cell(text: str) -> str:
        return html.escape(text).replace("\n", "<br>")

    title = title or doc.metadata.title or "Review sheet"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in COLUMNS)
    body = "\n".join(
        f'<tr class="{html.escape(row[6].replace(" ", "-"))}">'
        + "".join(f"<td>{cell(v)}</td>" for v in row)
        + "</tr>"
        for row in rows(doc)
    )
    languages = " → ".join(x for x in (doc.source_language, doc.translation_language) if x)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:4px;vertical-align:top;text-align:left}"
        "tr.needs-review td{background:#fff4d6}tr.reviewed td:nth-child(7){color:#2e7d32}</style>"
        f"</head><body><h1>{html.escape(title)}</h1><p>{html.escape(languages)}</p>\n"
        f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></body></html>\n"
    )
