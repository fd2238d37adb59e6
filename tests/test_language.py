"""Language detection: seeded, guarded for short text, sampled on documents."""

from __future__ import annotations

import pytest

from editor.core import language
from editor.core.model import Document

EN = "The quick brown fox jumps over the lazy dog while the farmer watches from his porch."
ZH = "我们今天发布了一个新的模型系列，它会在回答问题之前进行更多的思考，从而给出更好的答案。"
RU = "Сегодня мы выпускаем новую серию моделей, которые думают дольше перед тем, как ответить."


def test_detect_common_languages():
    assert language.detect(EN) == "en"
    assert language.detect(ZH) in ("zh-cn", "zh-tw")
    assert language.detect(RU) == "ru"


def test_detect_is_repeatable():
    # langdetect is random unless seeded; the same text must give the same answer.
    mixed = "ok so this is kind of hmm bonjour merci yes"
    assert len({language.detect(mixed) for _ in range(10)}) == 1


def test_short_text_is_not_guessed():
    assert language.detect("ok") is None
    assert language.detect("Thank you.") is None
    assert language.detect("") is None
    assert language.detect("12:30 — 14:00 !!!") is None


def test_short_chinese_with_enough_han_is_chinese():
    assert language.detect("我们今天发布了新模型。") in ("zh-cn", "zh-tw")
    assert language.detect("谢谢大家。") is None  # five characters: too few


def test_script_decides_short_japanese_and_korean():
    assert language.detect("ありがとう") == "ja"
    assert language.detect("감사합니다") == "ko"


def test_markup_is_ignored():
    assert language.detect("<i>" + EN + "</i>") == "en"


def test_script_of():
    assert language.script_of("你好，世界") == "cjk"
    assert language.script_of("Hello world") == "latin"
    assert language.script_of("Привет мир") == "cyrillic"
    assert language.script_of("12 34 !") is None
    # A few Latin letters inside Chinese text do not make it Latin.
    assert language.script_of("我们发布了 O1 Preview 模型") == "cjk"


def test_detect_document_both_tracks():
    doc = Document()
    for i in range(200):
        doc.append(doc.new_cue(i * 1000, i * 1000 + 900, EN, translation=ZH))
    src, tr = language.detect_document(doc)
    assert src == "en"
    assert tr in ("zh-cn", "zh-tw")


def test_detect_document_empty_translation_is_none():
    doc = Document()
    doc.append(doc.new_cue(0, 1000, EN))
    assert language.detect_document(doc) == ("en", None)


def test_detect_document_samples_instead_of_scanning(monkeypatch):
    doc = Document()
    for i in range(20_000):
        doc.append(doc.new_cue(i * 1000, i * 1000 + 900, f"{EN} {i}", translation=""))
    # Only a few cues carry a translation: the sampler must still find them.
    for i in (5, 9_000, 19_999):
        doc.cues[i].translation = ZH
    seen: list[str] = []
    real = language.detect_scoped

    def spy(texts, **kw):
        seen.extend(texts)
        return real(texts, **kw)

    monkeypatch.setattr(language, "detect_scoped", spy)
    src, tr = language.detect_document(doc)
    assert src == "en" and tr in ("zh-cn", "zh-tw")
    assert len(seen) == 2 and all(len(t) <= language.SAMPLE_CHARS for t in seen)


def test_sample_text_spreads_over_the_document():
    texts = [f"w{i}" for i in range(1000)]
    sample = language.sample_text(texts, cues=10, chars=10_000)
    picked = sample.split()
    assert len(picked) == 10
    assert picked[0] == "w0" and int(picked[-1][1:]) >= 900


def test_preload_is_idempotent():
    language.preload()
    language.preload()
    assert language.detect(EN) == "en"


def test_release_frees_the_profiles_and_detect_loads_them_again():
    from langdetect import detector_factory

    language.preload()
    assert detector_factory._factory is not None
    language.release()
    assert detector_factory._factory is None
    assert language.detect(EN) == "en"  # loaded again on demand, same seeded answer
    assert detector_factory._factory is not None


def _real_texts() -> list[str]:
    """Document samples and cue texts of the shared seeds, realworld and bilingual files."""
    import pathlib

    from editor.core import documents
    from editor.core.errors import EditorError

    shared = pathlib.Path(__file__).resolve().parents[2] / "shared"
    texts: list[str] = []
    for folder in ("seeds", "realworld/files", "bilingual"):
        for path in sorted((shared / folder).rglob("*")):
            if not path.is_file():
                continue
            try:
                doc = documents.load(path)
            except (EditorError, OSError, ValueError):
                continue
            texts.append(language.sample_text([c.text for c in doc.cues]))
            texts.append(language.sample_text([c.translation for c in doc.cues]))
            texts.extend(c.text for c in doc.cues[:10])
    return texts


def test_scoped_detection_agrees_with_the_whole_table():
    """detect_scoped (a table of only the text's n-grams) answers exactly as detect (every
    profile loaded) on the shared files' samples and cues, and on the languages above."""
    texts = [*_real_texts(), EN, ZH, RU, f"{EN} {ZH}", "ok", "こんにちは", "안녕하세요", ""]
    assert len(texts) > 500
    expected = [language.detect(t) for t in texts]
    assert language.detect_scoped(texts) == expected
    assert {"en", "zh-cn", "ru", "fr"} <= set(expected)


def test_document_detection_leaves_the_whole_table_unloaded():
    from langdetect import detector_factory

    language.release()
    doc = Document()
    for i in range(100):
        doc.append(doc.new_cue(i * 1000, i * 1000 + 900, RU, translation=EN))
    assert language.detect_document(doc) == ("ru", "en")
    assert detector_factory._factory is None


def test_scoped_detection_without_readable_profiles_answers_none(tmp_path, monkeypatch):
    from langdetect import detector_factory

    monkeypatch.setattr(detector_factory, "PROFILES_DIRECTORY", str(tmp_path / "missing"))
    assert language.detect_scoped([EN, "こんにちは"]) == [None, "ja"]
    (tmp_path / "empty").mkdir()
    monkeypatch.setattr(detector_factory, "PROFILES_DIRECTORY", str(tmp_path / "empty"))
    assert language.detect_scoped([EN]) == [None]
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "en").write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(detector_factory, "PROFILES_DIRECTORY", str(tmp_path / "bad"))
    assert language.detect_scoped([EN]) == [None]


def test_cached_profiles_give_the_plain_tables(tmp_path, monkeypatch):
    """The fast path (`_factory_cached`, the profiles pre-parsed in the user's cache) builds the
    very table and language list the plain one (`_factory_for`, every JSON profile parsed) does,
    on real samples and on several scripts; the second call reads the cache, not the JSON."""
    import json

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    texts = [*_real_texts()[:200:7], EN, ZH, RU, f"{EN} {ZH}", "ok", "こんにちは", "안녕하세요", ""]
    for chunk in ([t] for t in texts):
        plain = language._factory_for(chunk)
        fast = language._factory_cached(chunk)
        assert fast.word_lang_prob_map == plain.word_lang_prob_map
        assert fast.langlist == plain.langlist
    cached = list((tmp_path / "cache" / "cueline" / "language").glob("profiles-*.bin"))
    assert len(cached) == 1

    def no_json(*_args, **_kwargs):
        raise AssertionError("the profiles were parsed again")

    monkeypatch.setattr(json, "load", no_json)
    assert language.detect_scoped([EN, RU]) == ["en", "ru"]


def test_profiles_table_in_bulk_is_the_plain_table(tmp_path, monkeypatch):
    """`_Profiles.table_bulk` (one NumPy search) gives `table`'s rows, for the profiles read in place
    from the cache and as parsed from JSON: on real samples' n-grams, every n-gram at the ends of
    the sorted list, n-grams no profile has, and keys no n-gram can be."""
    import random

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    language._factory_cached([EN])  # writes the cache
    cached = language._cached_profiles()
    assert cached is not None
    parsed = language._profiles_from_json()
    rng = random.Random(3)
    grams = [parsed.grams[i : i + 3].rstrip("\0") for i in range(0, len(parsed.grams), 3)]
    samples = [language._wanted_ngrams([t]) for t in [*_real_texts()[:300:11], EN, ZH, RU, "こんにちは"]]
    samples += [
        set(grams[:50] + grams[-50:]),
        set(rng.sample(grams, 500)),
        {"", "\0", "a\0", "abcd", "zzz", "\U0001f600", "\ud800", "qqq", " ", "  a"},
        set(),
    ]
    for profiles in (cached, parsed):
        for wanted in samples:
            assert profiles.table_bulk(wanted) == profiles.table(wanted)
    assert sum(len(cached.table_bulk(w)) for w in samples) > 1000


def test_profiles_reached_through_a_symlink_share_the_cache(tmp_path, monkeypatch):
    """The cache is keyed by the profiles' real folder: an app run from a checkout whose virtual
    environment is a symlink reads the cache the installed one wrote, not a second copy."""
    import os

    from langdetect import detector_factory

    real = detector_factory.PROFILES_DIRECTORY
    installed = language._profile_identity()
    link = tmp_path / "venv-link"
    os.symlink(os.path.dirname(os.path.realpath(real)), link)
    monkeypatch.setattr(detector_factory, "PROFILES_DIRECTORY", str(link / os.path.basename(real)))
    assert language._profile_identity() == installed


def test_damaged_profile_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert language.detect_scoped([RU]) == ["ru"]
    (cached,) = (tmp_path / "cache" / "cueline" / "language").glob("profiles-*.bin")
    whole = cached.read_bytes()
    for damaged in (whole[: len(whole) // 2], b"", b"\x00" * 64, whole[:-9] + b"\x01" * 9):
        cached.write_bytes(damaged)
        assert language.detect_scoped([EN, RU]) == ["en", "ru"]
        assert cached.read_bytes() == whole  # written again, whole


def test_an_unwritable_cache_folder_takes_the_plain_path(tmp_path, monkeypatch):
    """Where no cache can be kept, the sorted form (~0.3 s to build) is built once, then the
    plain path answers (the same answers): no document pays for a cache it never gets."""
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    built: list[int] = []
    real = language._profiles_from_json
    monkeypatch.setattr(language, "_profiles_from_json", lambda: built.append(1) or real())
    monkeypatch.setattr(language, "_unwritable", set())
    for _ in range(3):
        assert language.detect_scoped([EN, RU]) == ["en", "ru"]
    assert built == [1]


def test_prepared_detector_answers_as_langdetects_own():
    """detect_scoped lists each text's n-grams once (_listed_ngrams) for both the table and the
    detector (_prepared_detector): its probabilities are langdetect's own detector's, number for
    number, on the shared files' samples and cues and the peers' generated mixed cues."""
    from langdetect.lang_detect_exception import LangDetectException

    from tests.test_qc_fast import generated_doc

    texts = [*_real_texts(), EN, ZH, RU, f"{EN} {ZH}", "ok", "http://x.org a@b.cc", "ǅ Ǆ"]
    doc = generated_doc(3000)
    if doc is not None:
        texts.append(language.sample_text([c.text for c in doc.cues]))
        texts.extend(c.text for c in doc.cues[:50])
    factory = language._factory_cached(texts)
    answered = 0
    for text in texts:
        plain = factory.create()
        plain.append(text)
        fast = language._prepared_detector(factory, language._listed_ngrams(text))
        try:
            want = [(p.lang, p.prob) for p in plain.get_probabilities()]
        except LangDetectException:
            with pytest.raises(LangDetectException):
                fast.get_probabilities()
            continue
        assert [(p.lang, p.prob) for p in fast.get_probabilities()] == want
        answered += 1
    assert answered > 500
    assert language._wanted_ngrams(texts[:40]) == set().union(*map(language._listed_ngrams, texts[:40]))
