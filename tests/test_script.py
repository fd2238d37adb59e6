"""script.py's stored table of wide characters against unicodedata."""

from __future__ import annotations

import unicodedata

import pytest

from editor.core import script


def test_the_stored_wide_runs_are_unicodedatas() -> None:
    if unicodedata.unidata_version != script._WIDE_BMP_VERSION:
        pytest.skip("another Unicode version: the runs are asked of unicodedata")
    runs = script.wide_bmp_runs()
    assert runs == script._wide_bmp_runs_of_unicodedata()
    wide = script.wide_bmp()
    for code in range(0x80, 0x10000, 7):
        ch = chr(code)
        assert (wide.fullmatch(ch) is not None) == script.is_wide(ch), hex(code)
