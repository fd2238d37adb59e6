"""Whole-document scans done on the loader thread when a file is opened (issue 4: no GUI stall).

The review counts, the speakers' cue counts and the file's fingerprint (disk watch) of a
document opened in the background are worked out on the loader; the GUI thread takes them.
Documents set any other way are still counted (on the GUI thread), with the same figures.
"""

from __future__ import annotations

import os
import threading

import pytest
from conftest import make_window, seed_path

from editor.core import documents, speakers
from editor.core.edits import set_field
from editor.core.formats import ReadOptions
from editor.core.model import Document, Review
from editor.qt import cue_model, disk_watch, prepared
from editor.qt.disk_watch import DiskWatch
from editor.qt.views import review_panel, speakers_panel
from editor.qt.views.review_panel import ReviewMode
from editor.qt.views.speakers_panel import SpeakersPanel


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    return make_window(qtbot, tmp_path, monkeypatch, size=None)


@pytest.fixture
def scan_threads(monkeypatch):
    """Record which thread ran each scan (True: the GUI thread)."""
    seen: dict[str, list[bool]] = {"review": [], "speakers": [], "hash": [], "ids": []}
    for key, prep in (
        ("ids", cue_model._CUE_IDS),
        ("review", review_panel._REVIEW_SETS),
        ("speakers", speakers_panel._CUE_COUNTS),
        ("hash", disk_watch._OPENED),
    ):
        original = prep.scan

        def scan(doc, original=original, key=key):
            seen[key].append(threading.current_thread() is threading.main_thread())
            return original(doc)

        monkeypatch.setattr(prep, "scan", scan)
    return seen


def test_background_open_counts_on_the_loader_and_shows_the_same_figures(qtbot, window, scan_threads):
    source, translation = seed_path("000"), seed_path("001")
    with qtbot.waitSignal(window.loaded, timeout=60_000):
        window.open_path(str(source), str(translation))
    doc = window.controller.document
    # The whole document was counted once, on the loader thread, for each of the two figures
    # (the quick preview shown while it loads is counted where it is shown).
    assert scan_threads["review"][-1] is False and scan_threads["speakers"][-1] is False
    assert scan_threads["review"].count(False) == 1 and scan_threads["speakers"].count(False) == 1
    # The table's row ids were listed there too, in document order.
    assert scan_threads["ids"][-1] is False and scan_threads["ids"].count(False) == 1
    model = window.table_pane.model
    assert model.rowCount() == len(doc)
    assert [model.cue_id_at(r) for r in (0, len(doc) // 2, len(doc) - 1)] == [
        doc.cues[r].id for r in (0, len(doc) // 2, len(doc) - 1)
    ]
    # The file was hashed there too, and the record is the file's.
    assert scan_threads["hash"] == [False]
    assert window.parts[DiskWatch].recorded == disk_watch.fingerprint(str(source))
    # As named: a symlinked folder stays itself.
    assert window.parts[DiskWatch].path == os.path.abspath(source)
    translated = [c for c in doc.cues if c.translation.strip()]
    reviewed = [c for c in translated if c.review == Review.REVIEWED]
    assert translated
    assert window.parts[ReviewMode].panel.progress_text() == f"{len(reviewed)} of {len(translated)} reviewed"
    counts = speakers.cue_counts(doc)
    assert doc.speakers and window.parts[SpeakersPanel].rows() == [
        (sp.name, counts.get(sp.id, 0)) for sp in doc.speakers.values()
    ]
    # Edits after the open are counted from the document, not from the prepared figures.
    cue = translated[0]
    window.controller.apply(set_field(cue.id, "translation", ""), "clear")
    assert window.parts[ReviewMode].panel.progress_text().endswith(f"of {len(translated) - 1} reviewed")


def test_documents_set_directly_are_counted_on_the_gui_thread(qtbot, window, scan_threads):
    doc = documents.load(str(seed_path("001")), options=ReadOptions(merge_speaker_spellings=False))
    window.controller.set_document(doc)
    assert scan_threads["speakers"] == [True]
    # The review counts are made when their progress bar is first needed (review mode off: not yet).
    assert scan_threads["review"] == []
    counts = speakers.cue_counts(doc)
    rows = [(sp.name, counts.get(sp.id, 0)) for sp in doc.speakers.values()]
    assert window.parts[SpeakersPanel].rows() == rows
    assert window.parts[ReviewMode].panel.progress_text().startswith("No translation yet")
    assert scan_threads["review"] == [True]


def test_a_prepared_result_belongs_to_one_document_and_a_failing_scan_is_dropped():
    calls: list[int] = []

    def scan(doc: Document) -> int:
        calls.append(len(doc))
        if len(doc) > 1:
            raise ValueError("boom")
        return len(doc)

    prep = prepared.Prepared(scan)
    one, other = Document(), Document()
    one.append(one.new_cue(0, 1000, "a"))
    prep.prepare(one)
    assert prep.take(other) is None  # another document: not its figures
    assert prep.take(one) == 1 and prep.take(one) is None  # taken once
    assert prep.take_or_scan(other) == 0
    two = Document()
    for k in range(2):
        two.append(two.new_cue(k * 1000, k * 1000 + 500, "b"))
    registered = prepared.register(scan)
    try:
        prep.prepare(one)
        prepared.prepare_all(two)  # the failing scan is forgotten, the loader goes on
        assert registered.take(two) is None
        registered.prepare(one)
        prepared.discard(two)  # another document's: kept
        prepared.discard(one)  # a superseded load: dropped
        assert registered.take(one) is None
    finally:
        prepared._registry.remove(registered)


def test_a_file_shown_before_the_features_install_is_hashed_off_the_gui_thread(qtbot, tmp_path, monkeypatch):
    # At launch a file's rows show before the disk watch is even imported, so the loader did not
    # hash it: the watch hashes it on a worker, and then notices another program's change.
    from editor.qt.views import main_window

    hashed_on: list[bool] = []
    original = disk_watch.fingerprint

    def fingerprint(path):
        hashed_on.append(threading.current_thread() is threading.main_thread())
        return original(path)

    monkeypatch.setattr(disk_watch, "fingerprint", fingerprint)
    source = tmp_path / "talk.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:02,500\nHello there.\n", encoding="utf-8")
    window = main_window.MainWindow(autosave_folder=str(tmp_path / "autosave"), defer_features=True)
    qtbot.addWidget(window)  # never shown: the features install after FEATURES_WAIT_MS
    window.controller.set_document(documents.load(str(source)))  # not through the loader
    wait_ms = main_window.FEATURES_WAIT_MS + 3000
    qtbot.waitUntil(lambda: window.parts.get(DiskWatch) is not None, timeout=wait_ms)
    watch = window.parts[DiskWatch]
    qtbot.waitUntil(lambda: watch.recorded is not None, timeout=5000)
    assert hashed_on == [False]
    assert watch.recorded == original(str(source)) and watch.path == os.path.abspath(source)
    assert not watch.changed_since_recorded()
    with open(source, "ab") as fh:
        fh.write(b"\n9\n00:09:00,000 --> 00:09:01,000\nAdded elsewhere.\n")
    assert watch.changed_since_recorded()
