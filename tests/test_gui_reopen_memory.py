"""Opening the same long file again and again in one session keeps memory flat (issue 24).

A big load pauses the cyclic collector and then freezes what it built (editor.core.runtime):
frozen objects are never walked again, so a document that only a reference cycle keeps alive
after it was replaced would never be freed. These tests open a real file, replicated to 20k
cues, ten times in one window and check that each replaced document is freed by reference
counting alone (no collection asked for) and that the process's memory does not grow.
"""

from __future__ import annotations

import gc
import os
import pathlib
import weakref

import pytest
from conftest import SHARED, make_window

SOURCE = SHARED / "bilingual" / "en_1.srt"
CUES = 20_000


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _long_copy(folder: pathlib.Path) -> pathlib.Path:
    """Write SOURCE's cues again and again, shifted in time, until CUES cues: a long real file."""
    from editor.core import documents

    doc = documents.open_document(SOURCE, detect=False)
    span = max(c.end_ms for c in doc.cues) + 1000
    blocks = []
    for k in range(CUES):
        cue = doc.cues[k % len(doc.cues)]
        shift = (k // len(doc.cues)) * span

        def stamp(ms: int) -> str:
            h, rest = divmod(ms, 3_600_000)
            m, rest = divmod(rest, 60_000)
            s, f = divmod(rest, 1000)
            return f"{h:02d}:{m:02d}:{s:02d},{f:03d}"

        blocks.append(f"{k + 1}\n{stamp(cue.start_ms + shift)} --> {stamp(cue.end_ms + shift)}\n{cue.text}\n")
    path = folder / "long.srt"
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


@pytest.mark.skipif(
    not SOURCE.exists() or not os.path.exists("/proc/self/status"), reason="needs ../shared and /proc"
)
def test_the_same_long_file_opened_ten_times_frees_each_document_and_memory_stays_flat(
    qtbot, tmp_path, monkeypatch
):
    from editor.qt import workers

    path = _long_copy(tmp_path)
    window = make_window(qtbot, tmp_path, monkeypatch)
    gone: list[weakref.ref] = []
    rss: list[float] = []
    for _ in range(10):
        before = window.controller.document
        with qtbot.waitSignal(window.loaded, timeout=60_000):
            window.open_path(str(path))
        qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=60_000)  # languages and QC too
        assert len(window.controller.document) == CUES
        if len(before):
            gone.append(weakref.ref(before))
        del before
        # Reference counting alone must free a replaced document: the collector may never walk
        # it again (it was frozen after the load). Its QC index is emptied on a worker a second
        # after the new one arrives (cue_model.QcTracker.replace_index), so allow for that.
        qtbot.waitUntil(lambda: all(ref() is None for ref in gone), timeout=10_000)
        rss.append(_rss_mb())
    gc.collect()
    # From the third open on (caches, dictionaries and fonts are loaded by then) memory is flat:
    # one document of this size takes about 20 MB, so a leak per open would add that each time.
    assert rss[-1] - rss[2] < 12, f"memory grew from {rss[2]:.0f} to {rss[-1]:.0f} MB over 7 opens: {rss}"
    window.controller.undo_stack.setClean()
