"""Spelling: Hunspell lookups through spylls, words that are never mistakes, the QC check, the CLI."""

from __future__ import annotations

import json
import re

import pytest
from conftest import seed_path

from editor.core import qc, spelling
from editor.core.model import Cue, Document, GlossaryEntry, Speaker

# (correct word in seed 000, corruption): doubled, swapped and dropped letters.
CORRUPTIONS = [
    ("reasoning", "reasonning"),
    ("question", "quesstion"),
    ("similar", "simillar"),
    ("framework", "frammework"),
    ("thinking", "thinkign"),
    ("highlight", "hihglight"),
    ("previous", "prevoius"),
    ("answering", "answreing"),
    ("releasing", "releasng"),
    ("explain", "explin"),
    ("starting", "startng"),
    ("different", "diffrent"),
]


def _load(path, translation=None):
    from editor import cli

    argv = ["check", str(path)] + (["--translation", str(translation)] if translation else [])
    return cli.load_with_translation(cli.build_parser().parse_args(argv))


def _doc(*texts: str, lang: str | None = "en", tr_lang: str | None = None, translations=()) -> Document:
    doc = Document(source_language=lang, translation_language=tr_lang)
    for i, text in enumerate(texts):
        tr = translations[i] if i < len(translations) else ""
        doc.append(Cue(i + 1, i * 2000, i * 2000 + 1500, text, translation=tr))
    return doc


def _unknown(doc: Document) -> list[str]:
    return [m.word for _cue, _track, m in spelling.SpellChecker(doc).unknown_words()]


def test_english_dictionary_ships_with_the_dependency():
    path = spelling.find_dictionary("en")
    assert path is not None
    dic = spelling.STORE.get("en")
    assert dic.check("reasoning") and not dic.check("reasonning")


def test_corrupted_seed_words_are_each_reported_with_the_right_suggestion(tmp_path):
    text = seed_path("000").read_text(encoding="utf-8")
    # Only the spoken text is corrupted (a header or description, when the seed has one, stays).
    head, sep, body = text.rpartition("## Транскрипт")
    for word, bad in CORRUPTIONS:
        body, n = re.subn(rf"\b{word}\b", bad, body, count=1)
        assert n == 1, f"{word!r} not found in seed 000"
    copy = tmp_path / "000_corrupted.txt"
    copy.write_text(head + sep + body, encoding="utf-8")
    doc = _load(copy)
    checker = spelling.SpellChecker(doc)
    found = {m.word: m for _c, _t, m in checker.unknown_words()}
    for word, bad in CORRUPTIONS:
        assert bad in found, f"{bad!r} not reported"
        suggestions = checker.suggest(bad, found[bad].lang, 3)
        assert word in suggestions, f"{bad!r}: {suggestions}"
    # The QC check names the word in its message, one problem per cue.
    problems = [p for p in qc.check(doc) if p.check == "spelling"]
    messages = " ".join(p.message for p in problems)
    assert all(bad in messages for _w, bad in CORRUPTIONS)


def test_untouched_seed_has_at_most_a_handful_of_false_positives():
    doc = _load(seed_path("000"), seed_path("001"))
    assert doc.source_language == "en" and spelling.is_cjk_language(doc.translation_language)
    unknown = _unknown(doc)
    assert len(unknown) <= 5, unknown


def test_words_that_are_not_mistakes():
    doc = _doc(
        "<i>GPT-4o</i> and o1-preview at 3:16, 20% of NASA's GPUs {\\an8}",
        "See https://openai.com/o1 or www.example.org, mail bob@example.com, openai.com/o1",
        "Łukasz told Parascandolo about the Zorblat",
        "I'm sure it's the model's answer, isn't it?",
    )
    doc.speakers = {"s1": Speaker("s1", "Giambattista Parascandolo")}
    doc.glossary = (GlossaryEntry("Zorblat", ("佐布拉",)),)
    assert _unknown(doc) == ["Łukasz"]
    doc.spelling_ignore = ("Łukasz",)
    assert _unknown(doc) == []


def test_user_dictionary_is_one_file_per_language_under_the_data_folder():
    doc = _doc("The Frobnicator frobnicates")
    checker = spelling.SpellChecker(doc)
    assert [m.word for m in checker.misspellings(doc.cues[0].text, "en")] == ["Frobnicator", "frobnicates"]
    checker.add_user_word("en", "Frobnicator")
    assert spelling.user_words_path("en").startswith(spelling.user_data_dir())
    with open(spelling.user_words_path("en"), encoding="utf-8") as f:
        assert f.read() == "Frobnicator\n"
    assert _unknown(doc) == ["frobnicates"]  # a fresh checker reads the file


def test_each_track_in_its_own_language_and_latin_words_inside_chinese():
    doc = _doc(
        "the reasonning model",
        lang="en",
        tr_lang="zh-cn",
        translations=["推理模子 reasonning 和 Preview"],
    )
    found = [(t, m.word, m.lang) for _c, t, m in spelling.SpellChecker(doc).unknown_words()]
    assert found == [("text", "reasonning", "en"), ("translation", "reasonning", "en")]


def test_language_without_dictionary_is_named_not_an_error(tmp_path):
    store = spelling.DictionaryStore(dirs=[str(tmp_path)])
    doc = _doc("le modèle de raisonnement", lang="fr")
    checker = spelling.SpellChecker(doc, store)
    assert checker.missing_languages() == ["fr"]
    assert checker.misspellings(doc.cues[0].text, "fr") == []
    assert spelling.missing_dictionary_message("fr") == "no spelling dictionary for fr — install hunspell-fr"


def test_dictionary_dropped_into_the_data_folder_is_found(tmp_path, monkeypatch):
    folder = spelling.user_dictionary_dir()
    import os
    import shutil

    os.makedirs(folder)
    bundled = spelling.find_dictionary("en")
    for ext in (".dic", ".aff"):
        shutil.copy(bundled + ext, os.path.join(folder, "xx_XX" + ext))
    assert spelling.find_dictionary("xx") == os.path.join(folder, "xx_XX")


def test_qc_index_rechecks_when_the_ignore_list_changes():
    from editor.core import edits

    doc = _doc("The Zorblat speaks", "Nothing wrong here")
    index = qc.QcIndex(doc)
    assert index.counts().get("spelling") == 1
    _inv, changes = edits.apply(doc, edits.SetDocumentField("spelling_ignore", ("Zorblat",)))
    index.update(changes)
    assert "spelling" not in index.counts()
    assert "spelling" not in qc.QcIndex(doc, qc.QcProfile(disabled=frozenset({"spelling"}))).counts()


def test_cli_check_reports_word_and_suggestions_and_can_turn_spelling_off(tmp_path, capsys):
    from editor import cli

    srt = tmp_path / "a.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:03,000\nA reasonning model thinks\n", encoding="utf-8")
    assert cli.main(["check", str(srt)]) == 0
    out = capsys.readouterr().out
    assert "cue 1: warning: unknown word “reasonning” (suggestions: reasoning" in out
    assert cli.main(["check", str(srt), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (problem,) = [p for p in data["problems"] if p["check"] == "spelling"]
    assert problem["words"][0]["word"] == "reasonning"
    assert problem["words"][0]["suggestions"][0] == "reasoning"
    assert cli.main(["check", str(srt), "--no-spelling"]) == 0
    assert "[spelling]" not in capsys.readouterr().out


@pytest.mark.parametrize("text", ["", "   ", "<i></i>", "推理模型", "123 456"])
def test_nothing_to_check(text):
    assert _unknown(_doc(text)) == []


def test_a_dictionary_loads_once_while_threads_wait_for_it(tmp_path):
    import os
    import shutil
    import threading

    bundled = spelling.find_dictionary("en")
    for ext in (".dic", ".aff"):
        shutil.copy(bundled + ext, os.path.join(tmp_path, "en_US" + ext))
    store = spelling.DictionaryStore(dirs=[str(tmp_path)])
    loaded: list[str] = []
    store.on_loaded.append(loaded.append)
    store.never_block.add(threading.get_ident())
    assert store.get("en") is None  # this thread does not wait: loading starts on another
    results: list[object] = []
    waiters = [threading.Thread(target=lambda: results.append(store.get("en"))) for _ in range(3)]
    for t in waiters:
        t.start()
    for t in waiters:
        t.join(60)
    assert len(results) == 3 and all(r is results[0] and r is not None for r in results)
    assert loaded == ["en"]  # loaded once
    assert store.get("en") is results[0]


def test_speaker_table_changes_recheck_only_the_cues_a_name_concerns(monkeypatch):
    from editor.core import edits

    doc = _doc("Zorblat speaks first", "Then Quixley answers", "Nothing wrong here")
    doc.speakers = {"s1": Speaker("s1", "Speaker 1", "#111111")}
    index = qc.QcIndex(doc)
    assert index.counts().get("spelling") == 2
    checked: list[int] = []
    real = qc._cue_problems
    monkeypatch.setattr(qc, "_cue_problems", lambda cue, ctx: checked.append(cue.id) or real(cue, ctx))
    # A full pass through the plain version, which sends every cue through _cue_problems.
    monkeypatch.setattr(qc, "local_problems_fast", qc.local_problems)

    def table(*names: str) -> None:
        speakers = [Speaker(f"s{i + 1}", name, "#222222") for i, name in enumerate(names)]
        _inv, changes = edits.apply(doc, edits.SetSpeakers(speakers))
        assert not index.speakers_need_rebuild() or names == ("Anna",)
        index.update(changes)

    table("Speaker 1")  # a recolour: no name word changed, nothing re-checked
    assert checked == [] and index.counts().get("spelling") == 2
    table("Zorblat")  # renamed: "speaker" is a dictionary word, so only the cue flagged with Zorblat
    assert checked == [1]
    assert [p.cue_id for c in doc.cues for p in index.problems_for(c.id) if p.check == "spelling"] == [2]
    checked.clear()
    table("Anna")  # "Zorblat" is no longer a name and no dictionary knows it: everything again
    assert len(checked) == len(doc.cues)
    assert index.counts().get("spelling") == 2
    assert index.problems_for(1)[0].message == qc.QcIndex(doc).problems_for(1)[0].message


def test_unknown_words_from_the_chunk_cache_match_the_full_scan():
    doc = _doc(
        "A reasonning model, thinks (twice) — befor answering.\nGPT-4o and o1-preview: 20% faster",
        "<i>Italic wrold</i> at openai.com/o1 and wrold’s end",
        "reasonning, reasonning. Reasonning!",
        lang="en",
    )
    checker = spelling.SpellChecker(doc)
    for _ in range(2):  # cold, then answered from the caches
        for cue in doc.cues:
            full = [m.word for m in checker.misspellings(cue.text, "en")]
            assert checker.unknown_in(cue.text, "en") == full
    assert checker.unknown_in(doc.cues[0].text, "en") == ["reasonning", "befor"]


def test_a_discarded_index_is_emptied_and_leaves_the_document_alone():
    doc = _doc("The Zorblat speaks", "Nothing wrong here", "A reasonning model")
    index = qc.QcIndex(doc)
    texts = [c.text for c in doc.cues]
    index.discard()
    assert not index._local and not index._next  # its tables emptied (on a worker in the window)
    assert [c.text for c in doc.cues] == texts and len(doc) == 3
    assert qc.QcIndex(doc).counts().get("spelling") == 2


def test_suggestions_are_quick_only_once_hunspell_suggester_is_loaded_or_remembered():
    path = spelling.find_dictionary("en")
    assert path is not None
    dic = spelling.HunspellDictionary(path)  # its own, not the store's: spylls not loaded
    if dic.spylls_loaded:
        pytest.skip("this dictionary is checked by spylls itself")
    assert not dic.suggest_is_quick("reasonning")
    assert dic.suggest("reasonning")[0] == "reasoning"
    assert dic.spylls_loaded and dic.suggest_is_quick("reasonning") and dic.suggest_is_quick("teh")
    doc = Document(source_language="en")
    checker = spelling.SpellChecker(doc, spelling.DictionaryStore(dirs=[]))
    assert checker.suggest_is_quick("reasonning", "en")  # no dictionary at all: [] at once
    assert checker.suggest("reasonning", "en") == []


def test_words_found_with_cjk_blanked_are_those_of_the_letters_that_are_not_cjk():
    """`_words_in` (CJK runs blanked, then a pattern over letters and digits: cheap for re to
    compile) against the same patterns over `_L`, the letters that are not CJK (plain): the
    words of the seeds, the real-world files and random mixes of letters, CJK, marks and spaces."""
    import random

    from editor.core import textio
    from tests.support import fuzz

    plain_word = re.compile(rf"{spelling._L}(?:{spelling._L}|['’](?={spelling._L})|[-‐](?={spelling._L}))*")
    plain_name = re.compile(rf"{spelling._L}+(?:['’]{spelling._L}+)*")
    texts = [p.read_text("utf-8") for p in sorted(fuzz.SEEDS.glob("*.txt"))]
    texts += [textio.decode(p.read_bytes()).text for p in sorted(fuzz.REALWORLD.glob("*")) if p.is_file()]
    rnd = random.Random(7)
    alphabet = "ab1_'’-‐ 中文かなカナ한글！ｶ\u3000éß\U00020000x."
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 30))) for _ in range(3000)]
    assert any(not t.isascii() for t in texts)
    for text in texts:
        assert spelling._words_in(spelling._WORD_RE, text) == plain_word.findall(text), text[:80]
        assert spelling._words_in(spelling._NAME_WORD_RE, text) == plain_name.findall(text), text[:80]
