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
