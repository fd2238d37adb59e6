"""Glossary: the `glossary` QC check on seed 001, term matching, CSV/TSV, project round trip, CLI."""

from __future__ import annotations

import re

import pytest
from conftest import seed_path

from editor.core import edits, glossary, qc
from editor.core.errors import ParseError
from editor.core.formats import project
from editor.core.model import Cue, Document, GlossaryEntry

REASONING = GlossaryEntry("reasoning", ("推理",), "o1 is a reasoning model")


def _seed_doc():
    from editor import cli

    argv = ["check", str(seed_path("000")), "--translation", str(seed_path("001"))]
    return cli.load_with_translation(cli.build_parser().parse_args(argv))


def test_seed_001_flags_exactly_the_cues_whose_translation_lacks_the_rendering():
    doc = _seed_doc()
    doc.glossary = (REASONING,)
    flagged = {p.cue_id for p in qc.check(doc) if p.check == "glossary"}
    expected = {
        c.id
        for c in doc.cues
        if re.search(r"\breasoning\b", c.text, re.IGNORECASE)
        and c.translation.strip()
        and "推理" not in c.translation
    }
    with_term = [c for c in doc.cues if re.search(r"\breasoning\b", c.text, re.IGNORECASE)]
    assert expected and len(expected) < len(with_term)  # some cues render it, some do not
    assert flagged == expected
    message = next(p.message for p in qc.check(doc) if p.check == "glossary")
    assert message == "“reasoning” should be translated as “推理”"


def test_whole_words_case_and_plurals():
    m = glossary.GlossaryMatcher(
        [
            GlossaryEntry("model", ("模型",)),
            GlossaryEntry("query", ("查询",)),
            GlossaryEntry("推理", ("reasoning",)),
        ]
    )
    assert [e.term for e in m.entries_in("Two MODELS answer")] == ["model"]
    assert [e.term for e in m.entries_in("the modelling team")] == []
    assert [e.term for e in m.entries_in("many queries")] == ["query"]
    assert [e.term for e in m.entries_in("这是推理模型")] == ["推理"]
    assert m.missing_renderings("the model", "这个模型") == []
    assert [e.term for e in m.missing_renderings("the model", "这个模子")] == ["model"]


def test_untranslated_cues_are_left_to_tr_missing():
    doc = Document(source_language="en", translation_language="zh")
    doc.append(Cue(1, 0, 1000, "a reasoning model"))
    doc.glossary = (REASONING,)
    assert not [p for p in qc.check(doc) if p.check == "glossary"]


def test_glossary_edit_rechecks_the_index():
    doc = Document(source_language="en", translation_language="zh")
    doc.append(Cue(1, 0, 1000, "a reasoning model", translation="一个模型"))
    index = qc.QcIndex(doc)
    assert "glossary" not in index.counts()
    _inv, changes = edits.apply(doc, edits.SetDocumentField("glossary", (REASONING,)))
    index.update(changes)
    assert index.counts()["glossary"] == 1


def test_csv_and_tsv_round_trip_and_merging():
    entries = (REASONING, GlossaryEntry("chain of thought", ("思维链", "思路链"), ""))
    for delimiter in (",", "\t"):
        assert glossary.read_csv(glossary.write_csv(entries, delimiter)) == entries
    text = "reasoning\t推理\nreasoning\t推断\tsecond\n"
    (entry,) = glossary.read_csv(text)
    assert entry.renderings == ("推理", "推断") and entry.note == "second"
    assert glossary.read_csv("source;target\nmodel;模型|模子\n")[0].renderings == ("模型", "模子")
    with pytest.raises(ParseError) as info:
        glossary.read_csv("term,translation\n,推理\n")
    assert info.value.line == 2
    with pytest.raises(ParseError):
        glossary.read_csv("\n\n")


def test_project_keeps_glossary_and_ignore_list():
    doc = Document()
    doc.append(Cue(1, 0, 1000, "hi"))
    doc.glossary = (REASONING,)
    doc.spelling_ignore = ("Parascandolo",)
    back = project.FORMAT.read(project.FORMAT.write(doc))
    assert back.glossary == doc.glossary and back.spelling_ignore == doc.spelling_ignore
    plain = Document()
    plain.append(Cue(1, 0, 1000, "hi"))
    assert "glossary" not in project.FORMAT.write(plain)  # earlier versions can still read it


def test_cli_glossary_option(tmp_path, capsys):
    from editor import cli

    csv_path = tmp_path / "terms.csv"
    csv_path.write_text("term,translation\nreasoning,推理\n", encoding="utf-8")
    argv = ["check", str(seed_path("000")), "--translation", str(seed_path("001")), "--no-spelling"]
    assert cli.main([*argv, "--glossary", str(csv_path)]) == 0
    out = capsys.readouterr().out
    assert "should be translated as “推理” [glossary]" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("term,translation\n,推理\n", encoding="utf-8")
    assert cli.main([*argv, "--glossary", str(bad)]) == 2
    assert f"{bad}:2:" in capsys.readouterr().err
