"""Cueline's user folders: the Linux fast path gives platformdirs' own answer, or declines."""

from __future__ import annotations

import os
import sys

import pytest
from support.imports import imported_after

from editor.core import userdirs

KINDS = ("config", "data", "cache")
VARIABLES = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "HOME", "ANDROID_DATA", "ANDROID_ROOT")

ENVIRONMENTS = [
    {"HOME": "/home/ana"},
    {"HOME": "/home/ana/"},  # a trailing slash
    {"HOME": "/"},
    {"HOME": "/home/ana", "XDG_CONFIG_HOME": "/x/c", "XDG_DATA_HOME": "/x/d", "XDG_CACHE_HOME": "/x/cache"},
    {"HOME": "/home/ana", "XDG_CONFIG_HOME": "relative/conf", "XDG_DATA_HOME": "", "XDG_CACHE_HOME": " "},
    {"HOME": "/home/ana", "XDG_CONFIG_HOME": "/x/trailing/", "XDG_CACHE_HOME": "//x"},
    {"HOME": "/home/ana", "XDG_DATA_HOME": "/home/ana/.local/share/../share"},
    {"HOME": "/home/ana", "ANDROID_DATA": "/data", "ANDROID_ROOT": "/system"},
    {"HOME": "relative/home"},  # platformdirs asks the password database: the fast path declines
    {},  # no HOME at all: likewise
    {"XDG_CONFIG_HOME": "/x/conf", "XDG_DATA_HOME": "/x/data", "XDG_CACHE_HOME": "/x/cache"},
]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_fast_path_agrees_with_platformdirs(monkeypatch, environment):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    for kind in KINDS:
        plain = userdirs.platformdirs_dir(kind)
        fast = userdirs._linux_dir(kind)
        assert fast is None or fast == plain, (kind, environment)
        assert userdirs.user_dir(kind) == plain
        if sys.platform == "linux" and "ANDROID_DATA" not in environment:
            # The usual environments (an absolute HOME or XDG folder) never need platformdirs.
            home, own = environment.get("HOME", ""), environment.get(_variable(kind), "")
            usual = os.path.isabs(home) or os.path.isabs(own)
            assert (fast is not None) == usual, (kind, environment)


def _variable(kind: str) -> str:
    return {"config": "XDG_CONFIG_HOME", "data": "XDG_DATA_HOME", "cache": "XDG_CACHE_HOME"}[kind]


def test_the_folders_follow_the_test_environment():
    # conftest points the XDG folders at a temporary folder; every user of user_dir sees it.
    from editor.core import dictionary_cache, language, spelling
    from editor.qt import autosave, settings, waveform_loader

    assert settings.config_dir() == os.path.join(os.environ["XDG_CONFIG_HOME"], "cueline")
    assert autosave.autosave_dir() == os.path.join(os.environ["XDG_DATA_HOME"], "cueline", "autosave")
    assert spelling.user_data_dir() == os.path.join(os.environ["XDG_DATA_HOME"], "cueline")
    cache = os.path.join(os.environ["XDG_CACHE_HOME"], "cueline")
    assert dictionary_cache.cache_dir() == os.path.join(cache, "dictionaries")
    assert language.profile_cache_dir() == os.path.join(cache, "language")
    assert waveform_loader.default_cache_dir() == os.path.join(cache, "waveforms")


@pytest.mark.skipif(sys.platform != "linux", reason="the fast path is Linux's")
def test_settings_and_autosave_folders_do_not_import_platformdirs():
    code = "from editor.qt import autosave, settings\nsettings.Settings(); autosave.autosave_dir()"
    assert not imported_after(code, "platformdirs")
