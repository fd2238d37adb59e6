"""Opening a file frees langdetect's profiles once nothing else needs them (the window's peak
memory at 100k cues), and keeps them for a document with a translation to check. (Detecting the
document's languages does not load them: see language.detect_scoped.)"""

from __future__ import annotations

import pathlib
import shutil

from langdetect import detector_factory

from editor.core import language
from editor.qt import session

BILINGUAL = pathlib.Path(__file__).resolve().parents[2] / "shared" / "bilingual"


def test_open_without_translation_frees_the_detector(tmp_path):
    path = tmp_path / "en.srt"
    shutil.copy(BILINGUAL / "en_1.srt", path)
    language.preload()
    doc, index = session.load_job(str(path))
    assert doc.source_language == "en" and index is not None
    assert detector_factory._factory is None


def test_checks_job_frees_the_detector_after_detecting(tmp_path):
    path = tmp_path / "en.srt"
    shutil.copy(BILINGUAL / "en_2.srt", path)
    doc, _none = session.load_job(str(path), checks=False)
    assert doc.source_language is None
    session.checks_job(doc)
    assert doc.source_language == "en"
    assert detector_factory._factory is None


def test_open_with_translation_keeps_the_detector(tmp_path):
    path = tmp_path / "en.srt"
    shutil.copy(BILINGUAL / "en_3.srt", path)
    language.preload()  # as the window does for a document whose cues "left untranslated" checks
    doc, index = session.load_job(str(path), str(BILINGUAL / "zh_3.txt"))
    assert any(c.translation for c in doc.cues) and index is not None
    assert detector_factory._factory is not None


def _bilingual(source: str, translation: str, pairs: list[tuple[str, str]]):
    from editor.core.model import Document

    doc = Document(source_language=source, translation_language=translation)
    for i, (text, tr) in enumerate(pairs * 10):
        doc.append(doc.new_cue(i * 2000, i * 2000 + 1800, text, translation=tr))
    return doc


EN = "The quick brown fox jumps over the lazy dog while the farmer watches from his porch."
ZH = "我们今天发布了一个新的模型系列，它会在回答问题之前进行更多的思考。"
FR = "Le renard brun rapide saute par-dessus le chien paresseux pendant que le fermier regarde."


def test_untranslated_check_runs_the_detector_only_where_the_scripts_do_not_tell(monkeypatch):
    from editor.core import qc

    calls: list[str] = []
    real = language.detect
    monkeypatch.setattr(language, "detect", lambda text, **kw: calls.append(text) or real(text, **kw))
    monkeypatch.setattr(qc, "_LANG_CACHE", {})
    # English against Chinese: a translation left in English is told by its script alone.
    assert not qc.untranslated_detects("en", "zh-cn")
    doc = _bilingual("en", "zh-cn", [(EN, ZH), (EN, EN + " Still English.")])
    index = qc.QcIndex(doc, qc.QcProfile(disabled=frozenset({"spelling"})))
    assert index.counts().get("tr_untranslated") == 10 and calls == []
    # English against French: only langdetect tells.
    assert qc.untranslated_detects("en", "fr") and qc.untranslated_detects(None, "zh-cn")
    doc = _bilingual("en", "fr", [(EN, FR), (EN, EN + " Still English.")])
    index = qc.QcIndex(doc, qc.QcProfile(disabled=frozenset({"spelling"})))
    assert index.counts().get("tr_untranslated") == 10 and calls


def test_window_warms_the_detector_only_when_the_check_will_use_it(qtbot, tmp_path, monkeypatch):
    from conftest import make_window

    from editor.qt import workers

    window = make_window(qtbot, tmp_path, monkeypatch, show=False)
    started: list[object] = []
    real = workers.run_task
    monkeypatch.setattr(
        workers,
        "run_task",
        lambda fn, *a, **k: started.append(fn) if fn is language.preload else real(fn, *a, **k),
    )
    window.controller.set_document(_bilingual("en", "zh-cn", [(EN, ZH)]))
    window._warm_language()
    assert started == []
    window.controller.set_document(_bilingual("en", "fr", [(EN, FR)]))
    window._warm_language()
    assert started == [language.preload]
