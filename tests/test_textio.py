"""Bytes to text and back (editor.core.textio): BOMs, legacy encodings, newlines, atomic writes."""

from __future__ import annotations

import codecs
import gc
import os
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core import runtime, textio
from editor.core.errors import EncodingError, LimitError, ParseError, WriteError
from editor.core.model import SourceInfo

SRT = "1\n00:00:01,000 --> 00:00:02,500\nHello, 你好 — ça va?\n\n2\n00:00:03,000 --> 00:00:04,000\nBye\n"


@pytest.mark.parametrize(
    "bom,encoding",
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_bom_is_detected_stripped_and_remembered(bom, encoding):
    decoded = textio.decode(bom + SRT.encode(encoding))
    assert decoded.text == SRT
    assert "\ufeff" not in decoded.text
    assert (decoded.info.encoding, decoded.info.bom) == (encoding, True)
    # Written back with the remembered info, the bytes are identical.
    assert textio.encode(decoded.text, decoded.info) == bom + SRT.encode(encoding)


def test_utf8_without_bom():
    decoded = textio.decode(SRT.encode("utf-8"))
    assert decoded.text == SRT
    assert (decoded.info.encoding, decoded.info.bom, decoded.info.newline) == ("utf-8", False, "\n")


# Realistic subtitle text of a few hundred characters per language: detection of
# a short string is a coin toss, detection of a real file must not be.
LEGACY = {
    "gb18030": (
        "我们今天早上七点钟出发，先去火车站买票。",
        "天气预报说下午会下雨，记得带上雨伞和外套。",
        "这家饭馆的饺子非常好吃，价格也很便宜。",
        "他说明天要去北京开会，大概下个星期才回来。",
        "孩子们在公园里放风筝，老人们坐在树下聊天。",
    ),
    "big5": (
        "我們今天早上七點鐘出發，先去火車站買票。",
        "天氣預報說下午會下雨，記得帶上雨傘和外套。",
        "這家飯館的餃子非常好吃，價格也很便宜。",
        "他說明天要去臺北開會，大概下個星期才回來。",
        "孩子們在公園裡放風箏，老人們坐在樹下聊天。",
    ),
    "shift_jis": (
        "今日は朝七時に出発して、まず駅で切符を買います。",
        "天気予報によると、午後は雨が降るそうです。傘を忘れないでください。",
        "このレストランの餃子はとても美味しくて、値段も安いです。",
        "彼は明日東京で会議があるので、来週まで戻りません。",
        "子供たちは公園で凧をあげて、お年寄りは木の下で話しています。",
    ),
    "cp1251": (
        "Сегодня утром мы выехали в семь часов и сначала поехали на вокзал.",
        "По прогнозу погоды после обеда пойдёт дождь, не забудь зонтик.",
        "В этом ресторане очень вкусные пельмени, и цены совсем невысокие.",
        "Он сказал, что завтра едет в Москву на совещание и вернётся через неделю.",
        "Дети запускают воздушного змея в парке, а старики беседуют под деревом.",
    ),
    "cp1252": (
        "Ce matin, nous sommes partis à sept heures pour aller à la gare.",
        "La météo annonce de la pluie cet après-midi : n’oublie pas ton parapluie !",
        "Dans ce café, les crêpes sont délicieuses et les prix très raisonnables.",
        "Il a déclaré qu’il irait à Genève pour une réunion – il reviendra lundi.",
        "Les enfants jouent dans le jardin, les grands-pères bavardent à l’ombre.",
    ),
}
# What a correct detection may call each encoding (a superset decodes the same bytes the same way).
ACCEPTED = {
    "gb18030": {"gb18030"},
    "big5": {"big5", "cp950", "big5hkscs"},
    "shift_jis": {"shift_jis", "cp932"},
    "cp1251": {"cp1251"},
    "cp1252": {"cp1252"},
}


def _srt_of(lines: tuple[str, ...]) -> str:
    blocks = [f"{i}\n00:00:{i:02d},000 --> 00:00:{i:02d},900\n{line}\n" for i, line in enumerate(lines, 1)]
    return "\n".join(blocks)


@pytest.mark.parametrize("encoding", sorted(LEGACY))
def test_legacy_encoding_is_detected(encoding):
    text = _srt_of(LEGACY[encoding])
    assert len(text) > 250
    data = text.encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test is only meaningful for non-UTF-8 bytes
    decoded = textio.decode(data)
    assert decoded.text == text
    assert decoded.info.encoding in ACCEPTED[encoding]
    assert decoded.info.bom is False
    # Saving with the remembered encoding gives the original bytes back.
    assert textio.encode(decoded.text, decoded.info) == data


def test_explicit_encoding_overrides_detection():
    text = _srt_of(LEGACY["cp1251"])
    data = text.encode("cp1251")
    # Bytes that are valid in both: the caller's choice wins, even when detection would differ.
    assert textio.decode(data, "cp1251").text == text
    assert textio.decode(data, "koi8_r").info.encoding == "koi8-r"
    assert textio.decode(data, "koi8_r").text != text
    # Python's aliases are accepted and remembered under their canonical name.
    assert textio.decode("héllo".encode("utf-16-le"), "UTF_16_LE").info.encoding == "utf-16-le"


def test_explicit_encoding_that_does_not_fit_names_the_line():
    data = b"1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 --> 00:00:04,000\n\xff\xfe bad\n"
    with pytest.raises(EncodingError) as info:
        textio.decode(data, "utf-8", path="x.srt")
    assert info.value.line == 7
    assert str(info.value).startswith("x.srt:7: not valid utf-8")


def test_unknown_explicit_encoding():
    with pytest.raises(EncodingError, match="unknown encoding"):
        textio.decode(b"abc", "no-such-codec")


@pytest.mark.parametrize(
    "codec,data,encoding",
    [
        ("utf-16", codecs.BOM_UTF16_BE + "héllo".encode("utf-16-be"), "utf-16-be"),
        ("utf-16", codecs.BOM_UTF16_LE + "héllo".encode("utf-16-le"), "utf-16-le"),
        ("utf-8-sig", codecs.BOM_UTF8 + "héllo".encode(), "utf-8"),
    ],
)
def test_explicit_self_marking_codec_remembers_byte_order_and_bom(codec, data, encoding):
    # "utf-16" and "utf-8-sig" eat the BOM themselves; SourceInfo must still say it was there.
    decoded = textio.decode(data, codec)
    assert decoded.text == "héllo"
    assert (decoded.info.encoding, decoded.info.bom) == (encoding, True)
    assert textio.encode(decoded.text, decoded.info) == data


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_bom_is_an_encoding_error(encoding):
    # ASCII in UTF-16 is valid UTF-8 (NUL is a valid byte): it must not be read as text with NULs.
    data = SRT.replace("你好 — ça", "ca").encode(encoding)
    with pytest.raises(EncodingError, match="without a byte-order mark"):
        textio.decode(data, path="x.srt")
    # With the encoding named, the same bytes read fine.
    assert textio.decode(data, encoding).text == SRT.replace("你好 — ça", "ca")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_newline_style_is_remembered_and_written_back(newline):
    data = SRT.replace("\n", newline).encode("utf-8")
    decoded = textio.decode(data)
    assert decoded.text == SRT
    assert decoded.info.newline == newline
    assert textio.encode(decoded.text, decoded.info) == data


def test_round_trip_of_encoding_bom_and_crlf_through_a_file(tmp_path):
    path = tmp_path / "sub.srt"
    original = codecs.BOM_UTF16_BE + SRT.replace("\n", "\r\n").encode("utf-16-be")
    path.write_bytes(original)
    decoded = textio.read(path)
    assert (decoded.info.encoding, decoded.info.bom, decoded.info.newline) == ("utf-16-be", True, "\r\n")
    assert decoded.info.path == str(path)
    out = tmp_path / "copy.srt"
    textio.atomic_write(out, decoded.text, decoded.info)
    assert out.read_bytes() == original


def test_line_longer_than_the_limit_is_a_limit_error():
    data = b"1\n00:00:01,000 --> 00:00:02,000\n" + b"x" * (textio.MAX_LINE_CHARS + 1) + b"\n"
    with pytest.raises(LimitError) as info:
        textio.decode(data)
    assert info.value.line == 3


def test_missing_file_is_a_parse_error(tmp_path):
    with pytest.raises(ParseError) as info:
        textio.read(tmp_path / "nope.srt")
    assert info.value.path == str(tmp_path / "nope.srt")


def test_atomic_write_keeps_old_file_when_encoding_fails(tmp_path):
    path = tmp_path / "sub.srt"
    path.write_bytes(b"old contents\n")
    with pytest.raises(WriteError, match="cannot be written in cp1252"):
        textio.atomic_write(path, "你好", SourceInfo(path=str(path), encoding="cp1252"))
    assert path.read_bytes() == b"old contents\n"
    assert os.listdir(tmp_path) == ["sub.srt"]  # no temporary file left behind


def test_atomic_write_keeps_old_file_when_the_rename_fails(tmp_path, monkeypatch):
    path = tmp_path / "sub.srt"
    path.write_bytes(b"old contents\n")

    def fail(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(WriteError, match="Permission denied"):
        textio.atomic_write(path, "new contents\n")
    assert path.read_bytes() == b"old contents\n"
    assert os.listdir(tmp_path) == ["sub.srt"]


def test_atomic_write_into_a_missing_folder_is_a_write_error(tmp_path):
    with pytest.raises(WriteError):
        textio.atomic_write(tmp_path / "no" / "such" / "sub.srt", "text")


def test_atomic_write_replaces_and_keeps_permissions(tmp_path):
    path = tmp_path / "sub.srt"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    textio.atomic_write(path, "new\n", SourceInfo(encoding="utf-8", newline="\r\n", bom=True))
    assert path.read_bytes() == codecs.BOM_UTF8 + b"new\r\n"
    assert os.stat(path).st_mode & 0o777 == 0o640


def test_atomic_write_removes_temporaries_a_killed_writer_left(tmp_path):
    target = tmp_path / "talk.srt"
    stale = tmp_path / ".~talk.srt.abc123.tmp"
    fresh = tmp_path / ".~talk.srt.def456.tmp"  # may belong to a write still in progress
    other = tmp_path / ".~notes.srt.xyz.tmp"
    for f in (stale, fresh, other):
        f.write_bytes(b"half a file")
    old = time.time() - textio.STALE_TEMPORARY_S - 5
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    textio.atomic_write(target, "1\n00:00:01,000 --> 00:00:02,000\nhi\n")
    assert target.read_text() == "1\n00:00:01,000 --> 00:00:02,000\nhi\n"
    assert not stale.exists()
    assert fresh.exists() and other.exists()  # not ours to judge


@settings(max_examples=300, deadline=None, derandomize=True)
@given(text=st.text(alphabet="ab\n\r\u2028 ", max_size=60), slice_chars=st.integers(1, 8))
def test_split_lines_in_slices_gives_what_str_split_gives(text, slice_chars):
    assert textio.split_lines(text, slice_chars) == text.split("\n")


def test_split_lines_of_a_long_text_matches_str_split():
    text = "".join(f"line {i}\n" if i % 7 else "\n" for i in range(100_000))
    assert len(text) > textio.SPLIT_SLICE
    assert textio.split_lines(text) == text.split("\n")
    assert textio.split_lines(text + "tail") == (text + "tail").split("\n")


def test_gc_paused_leaves_what_was_built_out_of_the_young_generation():
    gc.unfreeze()  # what earlier tests' loads froze (runtime.resume_gc) is not this test's
    gc.collect()
    with runtime.gc_paused():
        assert not gc.isenabled()
        built = [[i] for i in range(50_000)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    # In the oldest generation: no young collection walks these 50,000 lists again.
    assert any(obj is built for obj in gc.get_objects(generation=2))


def test_gc_paused_keeps_frozen_objects_frozen():
    gc.collect()
    frozen = [[i] for i in range(1000)]
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with runtime.gc_paused():
            [[i] for i in range(1000)]
        assert gc.get_freeze_count() == before and gc.isenabled()
    finally:
        gc.unfreeze()
    assert frozen


def test_newlines_normalised_in_every_style():
    from editor.core.textio import normalise_newlines

    plain = "a\nb\n\nc"
    assert normalise_newlines(plain) is plain  # nothing to change: the same string back
    assert normalise_newlines("a\r\nb\rc\n\r\nd\r") == "a\nb\nc\n\nd\n"
    assert normalise_newlines("") == ""


def test_breaks_in_texts_are_found_in_bulk_as_by_the_substring_scans() -> None:
    import random

    rnd = random.Random(12)
    parts = ["\n", "\0", "a", "中", "😀", "\ud800", "\udc00", "\r", " ", "\n\n", "\0\n", "\n\0", "\0\0"]
    cases = ["", "\n", "\0", "a\nb\0c", "a\n\0b", "a\0\nb", "a\n\nb", "\0\0", "😀\n😀\0😀"]
    cases += ["".join(rnd.choices(parts, k=rnd.randrange(0, 12))) for _ in range(3000)]
    found = 0
    for text in cases:
        expected = textio.breaks_in_texts(text)
        assert textio.breaks_in_texts_bulk(text) == expected, repr(text)
        found += expected
    assert 100 < found < len(cases) - 100


def test_the_atomic_writer_keeps_the_old_file_when_a_write_fails_midway(tmp_path, monkeypatch):
    # textio.write_atomic is the one atomic writer (caches of dictionaries, waveforms, the
    # lexicon and language profiles go through it): half a new file never replaces a whole one.
    path = tmp_path / "cache.bin"
    path.write_bytes(b"old contents")

    def half_then_fail(fh):
        fh.write(b"half of the new")
        raise ValueError("the writer broke")

    with pytest.raises(ValueError, match="the writer broke"):
        textio.write_atomic(str(path), half_then_fail)
    assert path.read_bytes() == b"old contents"
    assert os.listdir(tmp_path) == ["cache.bin"]  # no temporary file left behind

    def no_space(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)  # the disk fills up while the new file is flushed
    with pytest.raises(WriteError, match="No space left") as info:
        textio.write_bytes_atomic(str(path), b"new contents")
    assert info.value.path == str(path)  # the message names the file
    assert path.read_bytes() == b"old contents"
    assert os.listdir(tmp_path) == ["cache.bin"]


def test_the_atomic_writer_gives_the_mode_asked_for(tmp_path):
    private = tmp_path / "private.bin"
    textio.write_bytes_atomic(str(private), b"x", mode=0o600)
    assert os.stat(private).st_mode & 0o777 == 0o600
    kept = tmp_path / "kept.bin"
    kept.write_bytes(b"old")
    os.chmod(kept, 0o640)
    textio.write_atomic(str(kept), lambda fh: fh.write(b"new"))
    assert kept.read_bytes() == b"new" and os.stat(kept).st_mode & 0o777 == 0o640
