"""The parsed-dictionary cache: a later load reads it instead of parsing, answers exactly as a
fresh parse does, follows a changed dictionary, and survives a damaged cache file."""

from __future__ import annotations

import os
import pathlib
import shutil

from spylls.hunspell import Dictionary

from editor.core import dictionary_cache, spelling

WORDS = ["colour", "running", "wasn't", "unbelievably", "Teh", "recieve", "London", "cats", "xyzzyq"]


def _never_parse(*_a, **_k):
    raise AssertionError("parsed although a cache was there")


def test_second_load_comes_from_the_cache_and_answers_alike(en_copy, monkeypatch):
    fresh = dictionary_cache.load_dictionary(en_copy)
    cached_file = dictionary_cache.cache_path(en_copy)
    assert cached_file is not None and os.path.exists(cached_file)
    monkeypatch.setattr(Dictionary, "from_files", _never_parse)
    cached = dictionary_cache.load_dictionary(en_copy)
    assert cached is not fresh
    assert [cached.lookup(w) for w in WORDS] == [fresh.lookup(w) for w in WORDS]
    assert list(cached.suggest("recieve")) == list(fresh.suggest("recieve"))
    # The app's wrapper works on it too (its fast suggester is a copy of spylls' own).
    dic = spelling.HunspellDictionary(en_copy)
    assert dic.check("running") and not dic.check("recieve")
    assert "receive" in dic.suggest("recieve")


def test_a_changed_dictionary_is_parsed_again_and_the_old_cache_removed(en_copy):
    dictionary_cache.load_dictionary(en_copy)
    old_file = dictionary_cache.cache_path(en_copy)
    with open(en_copy + ".dic", "a", encoding="utf-8") as f:
        f.write("Cuelinish\n")
    st = os.stat(en_copy + ".dic")
    os.utime(en_copy + ".dic", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    new_file = dictionary_cache.cache_path(en_copy)
    assert new_file != old_file
    assert dictionary_cache.load_dictionary(en_copy).lookup("Cuelinish")
    assert os.path.exists(new_file) and not os.path.exists(old_file)


def test_a_damaged_cache_file_means_parsing_again(en_copy):
    dictionary_cache.load_dictionary(en_copy)
    target = dictionary_cache.cache_path(en_copy)
    data = pathlib.Path(target).read_bytes()
    pathlib.Path(target).write_bytes(data[: len(data) // 2])
    assert dictionary_cache.load_cached(en_copy) is None
    assert dictionary_cache.load_dictionary(en_copy).lookup("running")
    assert dictionary_cache.load_cached(en_copy) is not None  # written again, whole


def test_an_unwritable_cache_folder_does_not_stop_the_load(en_copy, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr(dictionary_cache, "cache_dir", lambda: str(blocker / "dictionaries"))
    assert dictionary_cache.load_dictionary(en_copy).lookup("running")
    assert dictionary_cache.load_cached(en_copy) is None


def test_two_folders_with_the_same_dictionary_name_keep_their_own_caches(en_copy, tmp_path):
    other = tmp_path / "elsewhere" / "en_US"
    other.parent.mkdir()
    for ext in (".aff", ".dic"):
        shutil.copy(en_copy + ext, str(other) + ext)
    dictionary_cache.load_dictionary(en_copy)
    dictionary_cache.load_dictionary(str(other))
    assert dictionary_cache.load_cached(en_copy) is not None
    assert dictionary_cache.load_cached(str(other)) is not None


def test_a_cache_write_that_fails_midway_keeps_the_old_cache(en_copy, capsys):
    dictionary_cache.load_dictionary(en_copy)  # parses and writes the cache
    target = dictionary_cache.cache_path(en_copy)
    assert os.stat(target).st_mode & 0o777 == 0o600  # private to the user, as it always was
    before = pathlib.Path(target).read_bytes()

    def half_then_full(f):
        f.write(before[: len(before) // 2])
        raise OSError(28, "No space left on device")

    dictionary_cache._write(en_copy, "pickle", half_then_full)  # never raises
    assert pathlib.Path(target).read_bytes() == before
    assert not [n for n in os.listdir(os.path.dirname(target)) if n.endswith(".tmp")]
    err = capsys.readouterr().err
    assert en_copy in err and target in err and "No space left" in err  # names the files
    assert dictionary_cache.load_cached(en_copy) is not None
