"""Plain-text transcripts, in four auto-detected forms, read into a Document.

Detection (`classify`) looks at the lines in this order and takes the first form
that fits:

1. **Segment page** – a Markdown-like page with at least one heading carrying a
   time range, e.g. `### Segment 1 (00:00 - 03:00) []`. The page may have a
   `# Title`, `- **Key:** value` metadata lines (keys in any language) and
   `## sections`. Text under a time-range heading is that segment's text; the
   text of every other section goes to `doc.notes`. A `[tag]` after the time range
   names the speaker only when it tags two or more segments; other tags are noted.
2. **Timestamped lines** – at least two lines (or every line) carry a start time
   and they make up at least a quarter of the non-empty lines: `[00:01:02] text`,
   `(1:02) text`, `00:01:02 text`, a time alone on its line followed by text (a
   video page's transcript copy), or an Otter-style `Name  M:SS` header followed
   by a paragraph. A segment ends where the next one starts; the last one after
   the time its text takes to say.
3. **Speaker-labelled paragraphs** – `Name: text` / `Name：text` turns (see
   `find_turns` for the exact rule that keeps headers, summaries and footers out
   of the speaker list).
4. **Plain text** – one paragraph per non-empty line, no times.

The writer emits `Name: text` paragraphs that read back as the same speakers and text.
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import compress, repeat

from editor.core import runtime, textio
from editor.core.errors import ParseError
from editor.core.formats import ModuleFormat, ReadOptions, WriteOptions
from editor.core.formats.tracks import speaker_of
from editor.core.model import Document, Metadata, plain_text
from editor.core.script import count_cjk, join_text
from editor.core.segmentation import Segment
from editor.core.transcripts import build_document

# Detection looks at no more than this much of a file, so guessing stays cheap.
_GUESS_CHARS = 200_000

SEGMENT_PAGE, TIMESTAMPED, SPEAKERS, PLAIN, EMPTY = "segments", "timestamped", "speakers", "plain", "empty"
_SCORES = {SEGMENT_PAGE: 70, TIMESTAMPED: 60, SPEAKERS: 50, PLAIN: 5, EMPTY: 0}


@dataclass
class Parsed:
    """What a form reader found: segments, document metadata and notes for the user."""

    segments: list[Segment] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Times
# ---------------------------------------------------------------------------

_TS = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
# _TS on a whole string, with groups: hours, minutes, seconds, fraction.
_TS_PARTS_RE = re.compile(r"^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$")


def parse_time(text: str) -> int | None:
    """Return `M:SS`, `MM:SS`, `H:MM:SS` (optional `.mmm`/`,mmm`) as ms, or None if it is not one.

    Minutes and seconds below an hour/minute field must be under 60.
    """
    match = _TS_PARTS_RE.match(text.strip())
    if match is None:
        return None
    hours, minutes, seconds, frac = match.groups()
    if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
        return None
    total = (int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)
    return total * 1000 + (int((frac + "000")[:3]) if frac else 0)


# ---------------------------------------------------------------------------
# Speaker labels
# ---------------------------------------------------------------------------

_TRAILING_PUNCT = ":：.。"
# Label checks are pure and a transcript repeats a few labels on every line: cached, they
# cost a dict lookup per line instead of ~10 µs (a 1 MB file of short turns has 90k lines).
_label_cache = functools.lru_cache(maxsize=4096)


@_label_cache
def label_key(name: str) -> str:
    """Return the comparison key of a speaker label.

    Labels that differ only in white space, letter case, full-width vs half-width
    forms or trailing punctuation get the same key (`团队成员 M` = `团队成员M` =
    `团队成员Ｍ`). Used to merge such spellings into one speaker.
    """
    key = unicodedata.normalize("NFKC", name).casefold()
    key = "".join(key.split())
    # Same rule as editor.core.speakers.label_key, so both agree on what is one speaker.
    return key.rstrip(_TRAILING_PUNCT)


# `Name: text`, `Name：text`, `**Name:** text`, `**Name**: text`. Matched against a stripped
# line whose first colon is near the start (see split_label), so it never backtracks far.
_LABEL_RE = re.compile(
    r"^(?:\*\*)?(?P<label>[^:：\n*]{1,40}?)\s*(?:\*\*\s*)?[:：]\s*(?:\*\*)?\s*(?P<text>.*)$"
)
# A label, its closing `**` and the white space around them fit in this many characters.
_LABEL_PREFIX_CHARS = 120
# Characters that never occur in a speaker label but do in a sentence or a list item.
_NOT_IN_LABEL = set(',;!?，。；！？、“”"|<>[]{}=+~`@#$%^&\\/')
_BULLET_START = ("-", "*", "•", "#", ">", "+")
_URL_RE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
# Footer and header words that label a reference, not a person, in the languages we see.
_NON_SPEAKER_WORDS = (
    "Reference, References, Source, Sources, Link, Links, URL, Note, Notes, Copyright, Transcript, "
    "Transcribed by, Translated by, Translation, Description, Summary, Tags, Keywords, Date, Duration, "
    "Title, Channel, Views, 来源, 起原, 参考, 参考资料, 原文, 原文链接, 链接, 注, 备注, 声明, 免责声明, "
    "出处, 内容导读, 导读, 摘要, 时长, 标题, Источник, Ссылка, Примечание, Описание, Quelle"
)
_NON_SPEAKER_KEYS = {label_key(w) for w in _NON_SPEAKER_WORDS.split(",")}
# `Anything: https://…` or a bare URL on its own line: a reference footer, never speech.
_REFERENCE_LINE_RE = re.compile(
    r"^\s*(?:[^:：\n]{1,40}[:：]\s*)?(?:https?://|www\.)\S+\s*$"
    # A tool's credit line ("Transcribed by https://otter.ai"): the tool's, never speech.
    r"|^\s*(?:transcribed|transcript|transcription|captioned|captions|subtitled|subtitles|generated|created)"
    r"\s+(?:by|with|using|via)\s+(?:https?://|www\.)\S+\s*$",
    re.IGNORECASE,
)
_MAX_LABEL_CHARS = 32
_MAX_LABEL_WORDS = 4
_MAX_CJK_LABEL = 12
_MAX_CJK_NAME = 4


def split_label(line: str) -> tuple[str, str] | None:
    """Return (label, text) when `line` starts with a label-like `Name:`; else None.

    A label is short (≤ 32 characters, ≤ 4 words, ≤ 12 CJK characters), has no
    sentence punctuation, is not a bullet or heading, a number, a time or a URL
    scheme, and is not a known reference word (`Reference`, `来源`, ...).
    """
    stripped = line.strip()
    if not stripped or (stripped.startswith(_BULLET_START) and not stripped.startswith("**")):
        return None
    head = stripped[:_LABEL_PREFIX_CHARS]
    if ":" not in head and "：" not in head:
        return None
    match = _LABEL_RE.match(stripped)
    if match is None:
        return None
    raw_label, raw_text = match.group("label", "text")
    label = " ".join(raw_label.split())
    if not _label_like(label):
        return None
    if label[-1].isdigit() and raw_text[:1].isdigit():
        return None  # a time or a ratio (`10:30`, `a0:01`), not a label
    text = " ".join(raw_text.split())  # also drops U+00A0 and other odd spaces
    if text.startswith("//"):
        return None
    return label, text


@_label_cache
def _label_like(label: str) -> bool:
    if not label or len(label) > _MAX_LABEL_CHARS or any(ch in _NOT_IN_LABEL for ch in label):
        return False
    if label.replace(" ", "").isdigit() or label.casefold().startswith(("http", "www.")):
        return False
    if len(label.split()) > _MAX_LABEL_WORDS or count_cjk(label) > _MAX_CJK_LABEL:
        return False
    return label_key(label) not in _NON_SPEAKER_KEYS


@_label_cache
def _label_base(label: str) -> str:
    """Return the key without a trailing ASCII letter/number (`团队成员J` → `团队成员`)."""
    return re.sub(r"[a-z0-9]{1,2}$", "", label_key(label))


@_label_cache
def _name_like(label: str) -> bool:
    """Return True when a label that occurs only once still looks like a person's label.

    Latin labels: every word of 4+ letters capitalised (`Bob McGrew`, `Q`, `Speaker 2`),
    so that `The point is:` is not a speaker. CJK labels: at most 4 characters (a
    Chinese personal name or a role), optionally followed by a 1–2 character id.
    """
    cjk = count_cjk(label)
    if cjk:
        # A name, or a role with a short id: `张三`, `嘉宾A`, `团队成员 B`.
        return cjk <= _MAX_CJK_NAME and re.fullmatch(r"[^\sA-Za-z0-9]+ ?[A-Za-z0-9]{0,2}", label) is not None
    words = label.split()
    return all(not (w.isalpha() and len(w) >= 4) or w[0].isupper() for w in words) and label[0].isupper()


# ---------------------------------------------------------------------------
# Speaker turns
# ---------------------------------------------------------------------------


@dataclass
class Turns:
    """Result of `find_turns`: turn line indices with labels, and where the body lies."""

    labels: dict[int, tuple[str, str]]  # line index → (label, text)
    body_start: int
    body_end: int  # exclusive


def find_turns(lines: list[str]) -> Turns | None:
    """Find speaker turns in `lines`; returns None when the text is not speaker-labelled.

    Rule (designed so that header, summary and footer lines never become speakers):
    - a *confirmed* label is a label-like `Name:` that starts two or more lines
      (compared by `label_key`);
    - the body runs from the first line with a confirmed label to the end; lines
      before it (source lines, summaries with colons, `内容导读:`) are a header;
    - inside the body a line is a turn when its label is confirmed, or when it
      occurs once but shares a confirmed label's stem (`团队成员J` next to
      `团队成员H`) or looks like a name (`_name_like`);
    - a labelled line whose text is only a URL (`Reference: https://…`) is never a turn;
    - with no recurring label, see `_short_dialogue`.
    """
    # A label needs a colon; lines without one are skipped at C speed (a long transcript's most).
    candidates = ((i, line) for i, line in enumerate(lines) if ":" in line or "：" in line)
    found = {
        i: lab
        for i, line in candidates
        if (lab := split_label(line)) and not (lab[1][:1] in "hHwW" and _URL_RE.match(lab[1]))
    }
    if not found:
        return None
    # Counted per spelling first: a long transcript repeats a handful of labels.
    counts: Counter[str] = Counter()
    for label, n in Counter(lab for lab, _ in found.values()).items():
        counts[label_key(label)] += n
    confirmed = {k for k, n in counts.items() if n >= 2}
    if not confirmed:
        non_empty = [i for i, line in enumerate(lines) if line.strip()]
        return _short_dialogue(found, non_empty, len(lines))
    start = next(i for i, (lab, _) in found.items() if label_key(lab) in confirmed)  # found is in line order
    bases = {_label_base(k) for k in confirmed} - {""}
    is_turn: dict[str, bool] = {}
    for label, _ in found.values():
        if label not in is_turn:
            is_turn[label] = label_key(label) in confirmed or _label_base(label) in bases or _name_like(label)
    labels = {i: lab for i, lab in found.items() if i >= start and is_turn[lab[0]]}
    return Turns(labels, start, len(lines))


def _short_dialogue(found: dict[int, tuple[str, str]], non_empty: list[int], n_lines: int) -> Turns | None:
    """Return turns for a dialogue where nobody speaks twice, or None.

    It qualifies when the first line is a turn, there are two or more turns, all with
    name-like labels, and turns are at least a third of the non-empty lines (the rest
    being continuation lines of the turns).
    """
    if len(found) < 2 or non_empty[0] not in found or 3 * len(found) < len(non_empty):
        return None
    if not all(_name_like(label) for label, _ in found.values()):
        return None
    return Turns(found, non_empty[0], n_lines)


def speaker_names(labels: list[str], merge: bool = True) -> tuple[dict[str, str], list[str]]:
    """Map every label spelling to one speaker name per `label_key`; returns (mapping, notes).

    The name is the most frequent spelling (the first seen on a tie). Each merge
    of two or more spellings is reported in a note, so it is never silent. With
    `merge` False every spelling stays a speaker of its own (no notes): the editor
    then offers the merges as suggestions (editor.core.speakers.merge_suggestions).
    """
    if not merge:
        return {label: label for label in labels}, []
    by_key: dict[str, Counter[str]] = {}
    for label, count in Counter(labels).items():  # first-seen order, as a Counter keeps it
        by_key.setdefault(label_key(label), Counter())[label] = count
    mapping: dict[str, str] = {}
    merged: list[str] = []
    for spellings in by_key.values():
        name = spellings.most_common(1)[0][0]  # Counter keeps first-seen order on ties
        for spelling in spellings:
            mapping[spelling] = name
        if len(spellings) > 1:
            others = ", ".join(f"“{s}” ×{n}" for s, n in spellings.items())
            merged.append(f"{name} ← {others}")
    notes = ["Speaker labels merged as one speaker: " + "; ".join(merged)] if merged else []
    return mapping, notes


def _read_speaker_turns(lines: list[str], turns: Turns, merge: bool = True) -> Parsed:
    """Return segments for speaker turns: one per paragraph, header/footer lines as notes.

    An unlabelled line inside the body continues the previous speaker's turn as a
    new paragraph; a `Name:` line with no text takes the following line as its text.
    """
    mapping, notes = speaker_names([lab for lab, _ in turns.labels.values()], merge)
    header = [ln for ln in lines[: turns.body_start] if ln.strip()]
    parsed = Parsed(notes=[])
    if header:
        parsed.notes.append("\n".join(header))
    footer: list[str] = []
    speaker: str | None = None
    for i in range(turns.body_start, turns.body_end):
        line = lines[i].strip()
        if i in turns.labels:
            label, text = turns.labels[i]
            speaker = mapping[label]
            parsed.segments.append(Segment(text, None, None, speaker))
        elif not line:
            continue
        elif _REFERENCE_LINE_RE.match(line):
            footer.append(line)  # `Reference: https://…`: a footer, not speech
        elif parsed.segments and not parsed.segments[-1].text:
            parsed.segments[-1].text = " ".join(line.split())
        else:
            parsed.segments.append(Segment(" ".join(line.split()), None, None, speaker))
    if footer:
        parsed.notes.append("\n".join(footer))
    parsed.notes.extend(notes)
    return parsed


# ---------------------------------------------------------------------------
# Caption marks (segment pages)
# ---------------------------------------------------------------------------

_WS_RUN = re.compile(r"\s+")
_NBSP = "\u00a0"


def clean_caption_text(raw: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """Return (text, caption_breaks, line_breaks) from text joined from caption lines.

    Every white-space run becomes one space. A run holding two or more U+00A0
    marks a caption boundary, a run with one U+00A0 a line break inside a
    caption. Offsets point at the first character after the space (the start of
    the next word) in the returned text.
    """
    out: list[str] = []
    captions: list[int] = []
    line_breaks: list[int] = []
    pos = 0
    length = 0
    text = raw.strip()
    for match in _WS_RUN.finditer(text):
        chunk = text[pos : match.start()]
        out.append(chunk)
        out.append(" ")
        length += len(chunk) + 1
        nbsp = match.group().count(_NBSP)
        if nbsp >= 2:
            captions.append(length)
        elif nbsp == 1:
            line_breaks.append(length)
        pos = match.end()
    out.append(text[pos:])
    return "".join(out), tuple(captions), tuple(line_breaks)


# ---------------------------------------------------------------------------
# Segment pages
# ---------------------------------------------------------------------------

# Matched against right-stripped lines no longer than _MAX_HEADING_CHARS (see _range_heading):
# the lazy label and the white-space runs around it would otherwise backtrack for seconds.
_RANGE_HEADING_RE = re.compile(
    rf"^#{{2,6}}(?P<label>.*?)[\(\[]\s*(?P<start>{_TS})\s*(?:-|–|—|-->|to)\s*(?P<end>{_TS})\s*[\)\]]"
    r"\s*(?:\[(?P<tag>[^\]]*)\])?$"
)
_MAX_HEADING_CHARS = 500
_RULE_RE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_META_RE = re.compile(r"^[-*•]\s+\*\*(?P<key>[^*]+)\*\*(?P<value>.*)$")


def _range_heading(line: str) -> re.Match[str] | None:
    """Return the match of a `## label (M:SS - M:SS) [tag]` heading, or None."""
    if not line.startswith("##") or len(line) > _MAX_HEADING_CHARS + 100:
        return None
    line = line.rstrip()
    if len(line) > _MAX_HEADING_CHARS or ("(" not in line and "[" not in line):
        return None
    return _RANGE_HEADING_RE.match(line)


def _heading(line: str, levels: range) -> str | None:
    """Return the text of a Markdown heading with a level in `levels` (closing #s dropped), or None."""
    if not line.startswith("#"):
        return None
    body = line.lstrip("#")
    if len(line) - len(body) not in levels or not body[:1].isspace():
        return None
    body = body.strip()
    if not body:
        return None
    return body.rstrip("#").rstrip() or body


def _meta_pair(line: str) -> tuple[str, str] | None:
    """Return (key, value) of a `- **Key:** value` metadata line, or None."""
    match = _META_RE.match(line.strip())
    if match is None:
        return None
    key = match["key"].strip()
    key = (key[:-1] if key.endswith((":", "：")) else key).strip()
    value = match["value"].strip()
    value = (value[1:] if value.startswith((":", "：")) else value).strip()
    return (key, value) if key else None


_URL_IN_RE = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_VIDEO_HOSTS = (
    "youtube.com",
    "youtu.be",
    "vimeo.com",
    "bilibili.com",
    "rutube.ru",
    "dailymotion.com",
    "vk.com/video",
    "ted.com/talks",
    "twitch.tv",
)
# Keys that name a duration, compared with `label_key` (any language the seeds or users use).
_DURATION_KEYS = {
    label_key(k)
    for k in (
        "Длительность Продолжительность Duration Length Runtime Dauer Länge Laufzeit Durée Duración "
        "Durata Duração Duur Czas trwania Тривалість Süre 时长 時長 长度 長さ 再生時間 길이 재생시간"
    ).split()
}
_DURATION_KEYS |= {label_key("Czas trwania"), label_key("Running time"), label_key("Video length")}


def _is_video_url(url: str) -> bool:
    return any(host in url.lower() for host in _VIDEO_HOSTS)


def metadata_from_pairs(title: str, pairs: list[tuple[str, str]]) -> Metadata:
    """Return Metadata from `- **Key:** value` pairs whatever the keys' language.

    A URL value becomes `url` (a video page such as YouTube wins over any other
    link); an `M:SS`/`H:MM:SS` value under a duration-like key (or the only such
    value when no key is recognised) becomes `duration_ms`. Every pair is also kept
    in `extra` under its own key.
    """
    meta = Metadata(title=title)
    urls: list[str] = []
    times: list[tuple[str, int]] = []
    for key, value in pairs:
        meta.extra[key] = value
        found = _URL_IN_RE.search(value)
        if found:
            urls.append(found.group().rstrip(").,;"))
        ms = parse_time(value)
        if ms is not None:
            times.append((key, ms))
    videos = [u for u in urls if _is_video_url(u)]
    if videos or urls:
        meta.url = (videos or urls)[0]
    by_key = [ms for key, ms in times if label_key(key) in _DURATION_KEYS]
    if by_key:
        meta.duration_ms = by_key[0]
    elif len(times) == 1:
        meta.duration_ms = times[0][1]
    return meta


@dataclass
class _Section:
    name: str
    line: int
    lines: list[str] = field(default_factory=list)


def _segment_from(match: re.Match[str], body: list[str], line_no: int) -> Segment:
    """Return the Segment of one time-range heading and the lines under it.

    Paragraphs under one heading are joined; a blank line between them counts as a
    caption boundary. Raises ParseError when the end is before the start.
    """
    start, end = parse_time(match["start"]), parse_time(match["end"])
    if start is None or end is None:
        raise ParseError(f"bad time in segment heading {match.group().strip()!r}", line_no)
    if end < start:
        raise ParseError(f"segment ends ({match['end']}) before it starts ({match['start']})", line_no)
    paragraphs = "\n\n".join(body).split("\n\n")
    raw = (_NBSP * 2 + " ").join(p for p in paragraphs if p.strip())
    text, captions, line_breaks = clean_caption_text(raw)
    return Segment(text, start, end, None, None, captions, line_breaks)


def _apply_tags(segments: list[Segment], tags: list[tuple[str, str]], merge: bool = True) -> list[str]:
    """Make recurring label-like heading tags (`[Jane]`) the segments' speakers; returns notes.

    A tag is a speaker only when it tags two or more segments (a chapter title
    tags one); every other non-empty tag is listed in a note with its heading.
    """
    counts = Counter(label_key(tag) for _, tag in tags if tag)
    names, merge_notes = speaker_names([tag for _, tag in tags if tag and counts[label_key(tag)] >= 2], merge)
    others: list[str] = []
    for seg, (heading, tag) in zip(segments, tags, strict=True):
        if tag in names and split_label(tag + ": x") is not None:
            seg.speaker = names[tag]
        elif tag:
            others.append(heading)
    notes = ["Segment heading tags:\n" + "\n".join(others)] if others else []
    return notes + merge_notes


def _read_segment_page(lines: list[str], merge: bool = True) -> Parsed:
    """Return segments, metadata and notes of a segment page (see the module docstring).

    Raises ParseError (with the line) for a time-range heading with impossible times.
    """
    title = ""
    pairs: list[tuple[str, str]] = []
    sections: list[_Section] = [_Section("", 0)]
    segments: list[Segment] = []
    tags: list[tuple[str, str]] = []  # (heading, tag) per segment
    current: tuple[re.Match[str], int, list[str]] | None = None

    def close_segment() -> None:
        nonlocal current
        if current is not None:
            match, line_no, body = current
            segments.append(_segment_from(match, body, line_no))
            tags.append((match.group().strip().lstrip("#").strip(), (match["tag"] or "").strip()))
            current = None

    for number, line in enumerate(lines, start=1):
        if (rng := _range_heading(line)) is not None:
            close_segment()
            current = (rng, number, [])
            continue
        if not title and (t := _heading(line, range(1, 2))) is not None:
            title = t
            continue
        if (sec := _heading(line, range(2, 7))) is not None:
            close_segment()
            sections.append(_Section(sec, number))
            continue
        if current is not None and _RULE_RE.match(line):
            close_segment()  # a horizontal rule ends the transcript; what follows is a footer
            sections.append(_Section("", number))
            continue
        if current is not None:
            current[2].append(line)
        elif (meta := _meta_pair(line)) is not None:
            pairs.append(meta)
        else:
            sections[-1].lines.append(line)
    close_segment()
    notes = [_section_note(s) for s in sections if any(x.strip() for x in s.lines)]
    notes += _apply_tags(segments, tags, merge)
    return Parsed(segments, metadata_from_pairs(title, pairs), notes)


def _section_note(section: _Section) -> str:
    body = "\n".join(section.lines).strip("\n")
    return f"## {section.name}\n\n{body}" if section.name else body


# ---------------------------------------------------------------------------
# Timestamped lines
# ---------------------------------------------------------------------------

_BRACKET_TS_RE = re.compile(
    rf"^\s*[\[(]\s*(?P<start>{_TS})(?:\s*(?:-|–|—|-->)\s*(?P<end>{_TS}))?\s*[\])]\s*[-–—:|]?\s*(?P<text>.*)$"
)
_BARE_TS_RE = re.compile(
    rf"^\s*(?P<start>{_TS})(?:\s*(?:-|–|—)\s*(?P<end>{_TS}))?(?:\s+[-–—:|]?\s*(?P<text>\S.*)|\s*)$"
)
_OTTER_RE = re.compile(rf"^\s*(?P<name>[^\W\d_][^:：]{{0,39}}?)\s+(?P<start>{_TS})\s*$")
# A Markdown transcript's turn: `**Name** [M:SS] text` (also `(M:SS)`, and `**Name:**`).
_BOLD_TURN_RE = re.compile(
    rf"^\s*\*\*(?P<name>[^*\n]{{1,40}}?)[:：]?\*\*[:：]?\s*[\[(]\s*(?P<start>{_TS})\s*[\])]\s*[-–—:|]?\s*(?P<text>.*)$"
)


_TS_HINT_RE = re.compile(r"\d:\d\d")
_MAX_OTTER_CHARS = 80
_SPOKEN_TIME_RE = re.compile(r"^\s*(?:\d+\s+(?:hours?|minutes?|seconds?)\s*,?\s*)+$", re.IGNORECASE)


@dataclass
class _Stamp:
    start_ms: int
    end_ms: int | None
    text: str
    speaker: str | None = None


def timestamp_of(line: str) -> _Stamp | None:
    """Return the time (and text) a line starts with, in any supported timestamped form, or None."""
    if ":" not in line or _TS_HINT_RE.search(line) is None:
        return None  # every form's time has `d:dd`; most lines of a long transcript do not
    # Stripped first: a trailing white-space run makes the optional text groups backtrack.
    line = line.strip()
    if "-->" in line and _BRACKET_TS_RE.match(line) is None:
        return None  # an SRT/VTT timing line, not a transcript
    if line.startswith("**") and (bold := _BOLD_TURN_RE.match(line)) is not None:
        name = " ".join(bold["name"].split())
        start = parse_time(bold["start"])
        if start is not None and _label_like(name):
            return _Stamp(start, None, html.unescape(bold["text"].strip()), name)
    for regex in (_BRACKET_TS_RE, _BARE_TS_RE):
        match = regex.match(line)
        if match is not None:
            start = parse_time(match["start"])
            end = parse_time(match["end"]) if match["end"] else None
            if start is not None:
                return _Stamp(start, end, (match["text"] or "").strip())
    # An Otter header is a short name and a time; longer lines would only cost backtracking.
    match = _OTTER_RE.match(line) if len(line) <= _MAX_OTTER_CHARS and line[-1:].isdigit() else None
    if match is not None and _label_like(match["name"].strip()) and _name_like(match["name"].strip()):
        start = parse_time(match["start"])
        if start is not None:
            return _Stamp(start, None, "", " ".join(match["name"].split()))
    return None


def _timestamps(lines: list[str]) -> dict[int, _Stamp] | None:
    """Return the timestamp of each stamped line by line index when `lines` are timestamped, else None.

    They are when ≥ 2 lines (or every line) have a timestamp, and ≥ 1/4 of non-empty lines.
    """
    non_empty = sum(1 for _ in filter(str.strip, lines))
    # Only lines with a colon can hold a time: the others are not looked at (C-speed filter).
    with_colon = compress(range(len(lines)), map(str.__contains__, lines, repeat(":")))
    stamps = {i: stamp for i in with_colon if (stamp := timestamp_of(lines[i])) is not None}
    stamped = len(stamps)
    if not non_empty or stamped == 0:
        return None
    if stamped == non_empty or (stamped >= 2 and stamped * 4 >= non_empty):
        return stamps
    return None


def _read_timestamped(lines: list[str], by_line: dict[int, _Stamp], merge: bool = True) -> Parsed:
    """Return one segment per timestamp; lines without one continue the current segment.

    `by_line`: the timestamp of each stamped line by line index (from _timestamps).
    Lines before the first timestamp go to the notes. `Name: text` labels inside
    the segments become speakers under the same rule as speaker-labelled text.
    """
    parsed = Parsed()
    header: list[str] = []
    footer: list[str] = []
    stamps: list[_Stamp] = []
    for i, line in enumerate(lines):
        stamp = by_line.get(i)
        if stamp is not None:
            stamp.text = " ".join(stamp.text.split())
            stamps.append(stamp)
        elif not line.strip():
            continue
        elif stamps and not stamps[-1].text and len(line) < 200 and _SPOKEN_TIME_RE.match(line.strip()):
            continue  # YouTube's screen-reader copy of the time ("1 minute, 5 seconds")
        elif stamps and len(line) < 200 and _REFERENCE_LINE_RE.match(line):
            footer.append(line.strip())  # a credit or link line, not speech
        elif stamps:
            stamps[-1].text = join_text(stamps[-1].text, " ".join(line.split()))
        else:
            header.append(line)
    if header:
        parsed.notes.append("\n".join(header))
    if footer:
        parsed.notes.append("\n".join(footer))
    _label_stamps(stamps, parsed.notes, merge)
    for st in stamps:
        if st.text:
            parsed.segments.append(Segment(st.text, st.start_ms, st.end_ms, st.speaker))
    return parsed


def _label_stamps(stamps: list[_Stamp], notes: list[str], merge: bool = True) -> None:
    """Move `Name:` labels at the start of timestamped texts into speakers (same rule as turns)."""
    texts = [st.text for st in stamps]
    turns = find_turns(texts)
    all_labels = [st.speaker for st in stamps if st.speaker]
    if turns is not None:
        all_labels += [lab for lab, _ in turns.labels.values()]
    if not all_labels:
        return
    mapping, merge_notes = speaker_names(all_labels, merge)
    notes.extend(merge_notes)
    for i, st in enumerate(stamps):
        if turns is not None and i in turns.labels:
            label, st.text = turns.labels[i]
            st.speaker = mapping[label]
        elif st.speaker:
            st.speaker = mapping[st.speaker]


# ---------------------------------------------------------------------------
# Detection and reading
# ---------------------------------------------------------------------------

# `[ \t]*`, not `\s*`: with re.MULTILINE `\s*` runs across newlines from every line start.
_SRT_TIMING_RE = re.compile(r"^[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*", re.MULTILINE)


def _is_json(text: str) -> bool:
    head = text.lstrip()[:1]
    if head not in ("{", "["):
        return False
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _is_subtitle(text: str) -> bool:
    return text.lstrip("\ufeff \t\n").startswith("WEBVTT") or _SRT_TIMING_RE.search(text) is not None


def classify(lines: list[str]) -> str:
    """Return which transcript form `lines` are in: SEGMENT_PAGE, TIMESTAMPED, SPEAKERS, PLAIN or EMPTY."""
    return _classify(lines)[0]


def _classify(lines: list[str]) -> tuple[str, Turns | dict[int, _Stamp] | None]:
    """Return the form of `lines` and what was found to tell it (turns for SPEAKERS, the
    stamps by line for TIMESTAMPED), so that reading does not find them again."""
    if not any(line.strip() for line in lines):
        return EMPTY, None
    if any(map(_range_heading, compress(lines, map(str.startswith, lines, repeat("##"))))):
        return SEGMENT_PAGE, None
    stamps = _timestamps(lines)
    if stamps is not None:
        return TIMESTAMPED, stamps
    turns = find_turns(lines)
    if turns is not None:
        return SPEAKERS, turns
    return PLAIN, None


def _lines(text: str) -> list[str]:
    """Return the lines of `text`, whatever its newline style, without a leading BOM."""
    return textio.split_lines(text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))


def guess(text: str) -> int:
    """Return how sure we are `text` is a transcript: 0 for WebVTT, SRT, JSON or empty text.

    Otherwise 70 for a segment page, 60 timestamped lines, 50 speaker turns, 5 plain text.
    Only the first 200,000 characters are looked at.
    """
    sample = text[:_GUESS_CHARS]
    if _is_subtitle(sample) or _is_json(text):
        return 0
    lines = _lines(sample)
    if len(text) > _GUESS_CHARS:
        lines = lines[:-1]  # the cut may have split the last line
    return _SCORES[classify(lines)]


def _read_plain(lines: list[str]) -> Parsed:
    """Return one untimed segment per non-empty line."""
    return Parsed(list(map(Segment, filter(None, map(" ".join, map(str.split, lines))))))


def parse(text: str, merge_spellings: bool = True) -> Parsed:
    """Return the segments, metadata and notes of a transcript in any of the four forms.

    `merge_spellings`: give label spellings that surely name one person one speaker.

    Raises ParseError for a segment page with impossible heading times.
    """
    lines = _lines(text)
    form, found = _classify(lines)
    if form == SEGMENT_PAGE:
        return _read_segment_page(lines, merge_spellings)
    if form == TIMESTAMPED:
        assert isinstance(found, dict)
        return _read_timestamped(lines, found, merge_spellings)
    if form == SPEAKERS:
        assert isinstance(found, Turns)
        return _read_speaker_turns(lines, found, merge_spellings)
    return _read_plain(lines)


def read(text: str, options: ReadOptions | None = None) -> Document:
    """Return a Document read from transcript `text` (see the module docstring). Raises ParseError."""
    with runtime.gc_paused():
        parsed = parse(text, options.merge_speaker_spellings if options is not None else True)
        if len(parsed.segments) > textio.MAX_CUES:
            raise textio.too_many_cues()
        doc = build_document(parsed.segments, metadata=parsed.metadata, notes=parsed.notes, options=options)
    if len(doc.cues) > textio.MAX_CUES:
        raise textio.too_many_cues()
    return doc


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def _one_line(text: str) -> str:
    lines = [ln.strip() for ln in plain_text(text).split("\n") if ln.strip()]
    joined = ""
    for ln in lines:
        joined = join_text(joined, ln)
    return joined


def _turns(doc: Document, track: str) -> list[tuple[str | None, str, str]]:
    """Return (speaker name, source, translation) paragraphs for the tracks `track` needs.

    Consecutive cues of one speaker make one paragraph; cues without a speaker stay
    one paragraph each, so that plain text reads back cue by cue. Cues with nothing
    to say on the chosen track are skipped.
    """
    out: list[tuple[str | None, str, str]] = []
    for cue in doc.cues:
        source = _one_line(cue.text) if track in ("source", "bilingual") else ""
        translation = _one_line(cue.translation) if track in ("translation", "bilingual") else ""
        if not source and not translation:
            continue
        name = speaker_of(doc, cue)
        if name and out and out[-1][0] == name:
            _, src, tr = out[-1]
            out[-1] = (name, join_text(src, source), join_text(tr, translation))
        else:
            out.append((name, source, translation))
    return out


def write(doc: Document, options: WriteOptions | None = None) -> str:
    """Return the document as `Name: text` paragraphs separated by blank lines.

    `options.track` picks source, translation or both. Bilingual: the translation
    follows its source on the next line without a label, so it reads back as part of
    the same turn. `options.speakers == "none"` leaves the names out.
    """
    options = options or WriteOptions()
    with_names = options.speakers != "none"
    paragraphs = []
    for name, source, translation in _turns(doc, options.track):
        body = "\n".join(t for t in (source, translation) if t)
        paragraphs.append(f"{name}: {body}" if name and with_names else body)
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


FORMAT = ModuleFormat("transcript", "Transcript text", __name__)
