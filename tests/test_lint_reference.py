"""The export linter's fast paths against its plain reference path, finding for finding.

`lint.lint()` proves clean exports with one scan (editor.core.lint_fast) and measures long lines
with whole-text scans (linewidth.long_lines). The reference is the full line-by-line checks
(`lint.lint_vtt` / `lint.lint_srt`) plus the per-line rule for widths (the profile of each line's
script, `profile_for_text(None, line).line_width(line)`). Every finding must be the same, on the
real-world corpus (as exported, and as the files are), on a mixed English/Chinese/Japanese export,
and on damaged copies of them.
"""

from __future__ import annotations

import random

import pytest

from editor.core import documents, linewidth, lint, timecode
from editor.core.errors import EditorError
from editor.core.formats import WriteOptions
from editor.core.model import Document
from editor.core.style import StyleSettings, TrackStyle, profile_for_text
from tests.support import fuzz

_FULL = {"vtt": lint.lint_vtt, "srt": lint.lint_srt}
_OPTIONS = [WriteOptions(), WriteOptions(speakers="prefix"), WriteOptions(track="bilingual")]
_STYLES = [None, StyleSettings(source=TrackStyle("auto", {"max_chars": 30}))]


def _reference_long_lines(text: str, styles: StyleSettings | None) -> list[lint.Finding]:
    out = []
    in_cue = False
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            in_cue = False
        elif "-->" in line and not in_cue:
            in_cue = True
        elif in_cue:
            shown = linewidth._MARKUP_RE.sub("", line)
            shown = linewidth._ENTITY_RE.sub(lambda m: linewidth._ENTITIES[m.group()], shown).rstrip("\r")
            name, colon, rest = shown.partition(": ")
            probe = rest if colon and len(name) <= 40 and rest else shown
            profile = profile_for_text(None, probe, styles)
            width = profile.line_width(shown)
            if len(shown) > 13 and width > profile.max_chars:
                why = f"a line of {width:g} characters (limit {profile.max_chars})"
                out.append(lint.Finding("warning", number, "line-length", why))
    return out


def _reference(text, format_id, doc, options, styles):
    found = _FULL[format_id](text, doc, options) + _reference_long_lines(text, styles)
    return sorted(found, key=lambda f: -1 if f.line is None else f.line)


def _mixed() -> Document:
    doc = Document()
    lines = [
        "A: this English line is clearly far longer than the limit allows",
        "这是一个非常非常长的中文字幕行超过了限制\n短",
        "<i>Bob: 这是一行中文字幕，而且相当长，长到超过</i>",
        "Tom &amp; Jerry & friends < enemies, a line of fair length > 42 characters",
        "これはとても長い日本語の字幕の行です",
        "한국어 자막 줄이 아주 길어서 제한을 넘습니다 정말로",
        "Ünïcödé Latin line that is also longer than forty-two characters",
        "𠀀𠀁𠀂 astral ideographs in a line 𠀃𠀄𠀅𠀆𠀇𠀈𠀉",
        "中文 with some English words mixed in the middle",
    ]
    for k, text in enumerate(lines * 3):
        doc.append(doc.new_cue(k * 1000, k * 1000 + 900, text))
    return doc


def _cases() -> list[tuple[str, str, Document | None, WriteOptions | None]]:
    cases: list[tuple[str, str, Document | None, WriteOptions | None]] = []
    docs = [_mixed()]
    for path in sorted(fuzz.REALWORLD.iterdir()):
        try:
            docs.append(documents.load(path))
        except EditorError:
            continue
        if path.suffix in (".srt", ".vtt"):  # the file as it is, often with problems of its own
            try:
                raw = path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                continue
            cases.append((raw, path.suffix[1:], None, None))
    for doc in docs:
        for format_id in ("vtt", "srt"):
            for options in _OPTIONS:
                try:
                    cases.append((documents.render(doc, format_id, options), format_id, doc, options))
                except EditorError:
                    continue
    return cases


def test_the_fast_paths_find_what_the_reference_finds_on_the_corpus() -> None:
    cases = _cases()
    assert len(cases) > 60
    found_any = 0
    for text, format_id, doc, options in cases:
        for styles in _STYLES:
            got = lint.lint(text, format_id, doc, options, styles)
            assert got == _reference(text, format_id, doc, options, styles), (format_id, text[:200])
            found_any += bool(got)
    assert found_any > 20  # the comparison covers texts with findings, not only clean ones


@pytest.mark.parametrize("format_id", ["vtt", "srt"])
def test_the_fast_paths_find_what_the_reference_finds_on_damaged_exports(format_id: str) -> None:
    from tests.test_lint_fast import _damaged

    rnd = random.Random(2024)
    doc = _mixed()
    options = WriteOptions()
    text = documents.render(doc, format_id, options)
    for _ in range(300):
        bad = _damaged(text, rnd)
        with_doc = rnd.random() < 0.7
        args = (doc, options) if with_doc else (None, None)
        assert lint.lint(bad, format_id, *args) == _reference(bad, format_id, *args, None), bad[:300]


def test_the_webvtt_writers_plain_path_writes_what_the_general_loop_writes(monkeypatch) -> None:
    from editor.core.formats import vtt

    docs = [_mixed()]
    for doc in fuzz.corpus_documents():
        bare = doc.clone()  # the plain path takes cues without speakers, ids, notes or settings
        for cue in bare.cues:
            cue.speaker_id, cue.vtt_id, cue.note, cue.vtt_settings = None, "", "", ""
        docs += [doc, bare]
    assert sum(vtt._plain(doc.cues, False) for doc in docs) > 10
    options = [WriteOptions(), WriteOptions(compatible=True), WriteOptions(speakers="none")]
    fast = [vtt.FORMAT.write(doc, o) for doc in docs for o in options]
    monkeypatch.setattr(vtt, "_plain", lambda cues, compatible: False)
    general = [vtt.FORMAT.write(doc, o) for doc in docs for o in options]
    assert fast == general


# -- checking while writing (lint.export) ------------------------------------------------------------------
def _bare(doc: Document) -> Document:
    """`doc` without what keeps the WebVTT writer off its plain path (speakers, ids, notes, settings)."""
    bare = doc.clone()
    for cue in bare.cues:
        cue.speaker_id, cue.vtt_id, cue.note, cue.vtt_settings = None, "", "", ""
    return bare


def _export_documents() -> list[Document]:
    docs = [_mixed(), _bare(_mixed())]
    for path in sorted(fuzz.REALWORLD.iterdir()):
        try:
            doc = documents.load(path)
        except EditorError:
            continue
        docs += [doc, _bare(doc)]
    for doc in fuzz.corpus_documents():
        docs += [doc, _bare(doc)]
    return docs


@pytest.mark.parametrize("numpy", [False, True])
def test_export_finds_what_rendering_and_linting_find(numpy: bool, monkeypatch) -> None:
    from editor.core.formats import vtt

    # NumPy's paths (timing lines, line widths) as a long file takes them, or the plain ones.
    monkeypatch.setattr(timecode, "numpy_pays", lambda k: numpy)

    docs = _export_documents()
    pieces = 0
    for doc in docs:
        for format_id in ("vtt", "srt"):
            for options in [*_OPTIONS, WriteOptions(compatible=True), WriteOptions(speakers="none")]:
                for styles in _STYLES:
                    try:
                        text = documents.render(doc, format_id, options)
                    except EditorError:
                        continue
                    assert lint.export(doc, format_id, options, styles) == (
                        text,
                        _reference(text, format_id, doc, options, styles),
                    ), (format_id, text[:200])
                    if format_id == "vtt":
                        pieces += vtt.FORMAT.write_with_pieces(doc, options)[1] is not None
    assert pieces > 40  # the check while writing is what most of these took


def test_the_webvtt_plain_pieces_write_what_the_plain_blocks_write(monkeypatch) -> None:
    from editor.core.formats import vtt

    docs = [d for d in _export_documents() if all(c.start_ms >= 0 and c.end_ms >= 0 for c in d.cues)]
    options = [WriteOptions(), WriteOptions(compatible=True)]
    fast = [vtt.FORMAT.write_with_pieces(doc, o) for doc in docs for o in options]
    assert sum(p is not None for _, p in fast) > 40
    monkeypatch.setattr(vtt, "plain_pieces", lambda *args: None)
    assert [text for text, _ in fast] == [vtt.FORMAT.write(doc, o) for doc in docs for o in options]


def _damaged_cue_texts(rnd: random.Random) -> list[Document]:
    """The mixed document with cue texts a writer must clean or escape: NUL, CR, empty lines,
    markup, entities, arrows, lines of spaces, negative and unordered times."""
    from tests.test_lint_fast import _DAMAGE

    out = []
    for _ in range(200):
        doc = _bare(_mixed())
        for cue in rnd.sample(doc.cues, 3):
            at = rnd.randrange(len(cue.text) + 1)
            snippet = rnd.choice([*_DAMAGE, "\n", " \n", "\n\u3000\n", "<b>", "</i>"])
            cue.text = cue.text[:at] + snippet + cue.text[at:]
        if rnd.random() < 0.2:
            cue = rnd.choice(doc.cues)
            cue.start_ms, cue.end_ms = cue.end_ms, cue.start_ms - rnd.randrange(2000)
        out.append(doc)
    return out


def test_export_finds_what_rendering_and_linting_find_on_damaged_cue_texts() -> None:
    rnd = random.Random(24)
    for doc in _damaged_cue_texts(rnd):
        options = WriteOptions(speakers=rnd.choice(["voice", "none"]))
        try:
            text = documents.render(doc, "vtt", options)
        except EditorError:
            continue
        found = _reference(text, "vtt", doc, options, None)
        assert lint.export(doc, "vtt", options) == (text, found), text[:300]


def test_the_fixed_width_timing_check_agrees_with_the_timing_pattern() -> None:
    from editor.core import lint_fast

    rnd = random.Random(7)
    line = "00:01:02.345 --> 12:59:59.999"
    for _ in range(3000):
        lines = [line] * rnd.randrange(1, 4)
        k = rnd.randrange(len(lines))
        at = rnd.randrange(len(line) + 1)
        bad = lines[k][:at] + rnd.choice("0159:.-> \t\u0661a") + lines[k][at + rnd.randrange(2) :]
        joined = "\n".join([*lines[:k], bad, *lines[k + 1 :]])
        if lint_fast._fixed_timings(joined, len(lines)):
            assert lint_fast._VTT_TIMINGS.fullmatch(joined) is not None, joined
        # vtt_pieces_clean takes NumPy's reading of the times as this check passed.
        if timecode.fixed_timing_ms(joined, len(lines), ".") is not None:
            assert lint_fast._fixed_timings(joined, len(lines)), joined


def test_letters_are_counted_as_the_plain_pattern_counts_them() -> None:
    for text in ["abc\n12 d\n\n_x_\nä中文\u2028y\n", "ꟿ\nab", "", "\n", "日本語 mixed 한국어 9\nx"]:
        assert linewidth._letter_counts(text) == linewidth._counts(linewidth._NOT_LETTER, text)


def test_the_name_prefix_pattern_cuts_where_partition_cuts() -> None:
    lines = [
        "A: b",
        "A:b",
        ": x",
        "A: ",
        "a: b: c",
        "x" * 40 + ": y",
        "x" * 41 + ": y",
        "时间: 中文",
        "no prefix",
    ]
    for line in lines:
        name, colon, rest = line.partition(": ")
        probe = rest if colon and len(name) <= 40 and rest else line
        assert linewidth._NAME_PREFIX.sub("\n", "\n" + line)[1:] == probe, line
    joined = linewidth._NAME_PREFIX.sub("\n", "\n" + "\n".join(lines))[1:]
    assert joined.split("\n") == [linewidth._NAME_PREFIX.sub("\n", "\n" + line)[1:] for line in lines]


def test_texts_read_back_together_as_one_by_one() -> None:
    from editor.core import lint_fast
    from editor.core.formats import vtt

    rnd = random.Random(5)
    pieces = [
        "a",
        "<i>",
        "</i>",
        "<b>",
        "</b>",
        "<u>",
        "</u>",
        "&",
        "<",
        ">",
        "&amp;",
        "&lt;i&gt;",
        "\n",
        " ",
        "中",
    ]
    pieces += ["&amp", "&#", "&notin;", "<3", "</ i>", "<I>"]
    for _ in range(400):
        originals = ["".join(rnd.choices(pieces, k=rnd.randrange(1, 9))).strip("\n") or "x" for _ in range(5)]
        originals = ["\n".join(line for line in t.split("\n") if line) for t in originals]
        raws = [vtt._escape_text(t) for t in originals]
        if rnd.random() < 0.3:  # a raw text the reader reads otherwise
            k = rnd.randrange(5)
            raws[k] = raws[k] + rnd.choice(["<i>", "</b>", "&lt;", "x", "&#65;"])
        expected = all(lint_fast._vtt_text_reads_back(r, t) for r, t in zip(raws, originals, strict=True))
        assert lint_fast._texts_read_back(raws, originals) == expected, (raws, originals)


def _bulk_cases() -> list[list[str]]:
    """Cue texts as the WebVTT writer's plain path writes them: the corpus, the mixed document,
    damaged copies, and lines that reach each branch of the measure."""
    from editor.core.formats import vtt

    cases = []
    docs = [*_export_documents(), *_damaged_cue_texts(random.Random(3))]
    for doc in docs:
        if all(c.start_ms >= 0 and c.end_ms >= 0 for c in doc.cues):
            pieces = vtt.plain_pieces(doc.cues)
            if pieces is not None:
                cases.append(pieces.texts)
    rnd = random.Random(11)
    parts = [
        "a", "word ", "中", "文字", "か", "カ", "ｶ", "한", "𠀀", "😀", "ｈ", "é", ": ", "A: ",
        "x" * 40 + ": ", "x" * 41 + ": ", "<i>", "</i>", "&amp;", "&lt;", "&nbsp;", "&lrm;", " ",
        "\u3000", "1", "_", "\n", "<", ">", "\ud800", "\u0301", "\x85", "&",
    ]  # fmt: skip
    for _ in range(300):
        texts = []
        for _ in range(rnd.randrange(1, 6)):
            text = "".join(rnd.choices(parts, k=rnd.randrange(1, 30)))
            texts.append("\n".join(line for line in text.split("\n") if line.strip()) or "x")
        cases.append(texts)
    cases.append(["中" * 9000 + " mixed " * 2000, "名: " + "한" * 20, "ab" * 10 + "か" * 3, "中" * 20 + ": "])
    return cases


def test_the_bulk_line_measure_finds_what_the_plain_one_finds() -> None:
    found_any = 0
    for texts in _bulk_cases():
        joined = "\0".join(texts)
        for styles in _STYLES:
            plain = linewidth.long_lines_plain(texts, joined, styles)
            assert linewidth.long_lines_plain_bulk(texts, joined, styles) == plain, texts[:5]
            # What the quick pass proved before the export measures with checked=True.
            proven = not any(bad in joined for bad in ("\r", "-->", "\n\n", "\0\n", "\n\0"))
            if proven and not joined.startswith("\n") and not joined.endswith("\n"):
                assert linewidth.long_lines_plain_bulk(texts, joined, styles, checked=True) == plain
            found_any += bool(plain)
    assert found_any > 200  # the comparison covers texts with long lines, not only short ones
    assert linewidth.long_lines_plain_bulk(["a", ""], "a\0") is None
    # A "<" in one text and a ">" in the next is no tag: the lines between cues part them.
    texts = ["ab <x" + "c" * 40, "y> " + "d" * 40, "中<" * 12, ">文" * 12]
    text = "WEBVTT\n\n" + "\n".join(f"00:00:00.000 --> 00:00:01.000\n{t}\n" for t in texts)
    expected = linewidth.long_lines(text)
    assert len(expected) == 4
    assert linewidth.long_lines_plain(texts, "\0".join(texts)) == expected
    assert linewidth.long_lines_plain_bulk(texts, "\0".join(texts)) == expected


def test_the_check_while_writing_never_calls_a_wrong_piece_clean() -> None:
    # A writer bug would hand lint_fast.vtt_pieces_clean pieces that are not what the document
    # says (a text left unescaped, a broken entity, times changed): it must say "not proven"
    # whenever the full checks find anything in the text those pieces make.
    from dataclasses import replace

    from editor.core import lint_fast
    from editor.core.formats import vtt

    rnd = random.Random(8)
    doc = _bare(_mixed())
    doc.cues[0].text = "Tom & Jerry <i>run</i> > 3"
    doc.cues[1].text = "5 > 3"
    doc.cues[2].text = "R&D"
    options = WriteOptions()
    _, pieces = vtt.FORMAT.write_with_pieces(doc, options)
    assert pieces is not None
    snippets = ["&", "<", ">", "&amp;", "&lt;", "<i>", "</i>", "<b", "-->", "&#38;", "\n", "x", "&amp"]
    proven = 0
    for _ in range(400):
        texts = list(pieces.texts)
        k = rnd.randrange(len(texts))
        at = rnd.randrange(len(texts[k]) + 1)
        if rnd.random() < 0.3:  # an escape left out: the text is the cue's own again
            k = rnd.randrange(3)
            entity, raw = rnd.choice([("&gt;", ">"), ("&lt;", "<"), ("&amp;", "&")])
            texts[k] = texts[k].replace(entity, raw)
        else:
            texts[k] = texts[k][:at] + rnd.choice(snippets) + texts[k][at + rnd.randrange(3) :]
        bad = replace(pieces, texts=texts, joined="\0".join(texts))
        text = "WEBVTT\n\n" + bad.body()
        if lint_fast.vtt_pieces_clean(text, bad, doc, options):
            proven += 1
            assert lint.lint_vtt(text, doc, options) == [], texts[k]
    assert proven > 10  # some damage leaves a valid export (an "x" added is a changed text only)


def test_text_counted_as_escaped_leaves_nothing_to_escape() -> None:
    # The quick pass skips its token scan where counting shows only the writer's escapes and tags.
    from editor.core import lint_fast

    rnd = random.Random(9)
    parts = ["a", " ", "&amp;", "&lt;", "&gt;", "&", "<", ">", "<i>", "</i>", "<b>", "</u>", "<i", "&amp"]
    parts += ["\n", "&#60;", "<v Bob>", "<c.x>", "-->", "&lt;i&gt;", "<<i>", "</i>>"]
    counted = 0
    for _ in range(4000):
        text = "".join(rnd.choices(parts, k=rnd.randrange(0, 10)))
        if lint_fast._escaped_only(text):
            counted += 1
            leftover = lint_fast._tokens().sub("", text)
            assert not any(c in leftover for c in "&<>"), text
    assert counted > 200
