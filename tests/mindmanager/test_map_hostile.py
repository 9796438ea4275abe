"""Malicious and broken files give a clear MapError, or a clean read when recoverable."""

from __future__ import annotations

import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from mapfactory import OIDS, rich_map_xml, write_rich_map, write_web_app_archive

from mapbridge.errors import MapError
from mapbridge.mindmanager import (
    CorruptMapError,
    EncryptedMapError,
    MapLimits,
    NotAMindMapError,
    UnsafeMapError,
    open_map,
)

MINIMAL = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    b'<ap:Map xmlns:ap="http://schemas.mindjet.com/MindManager/Application/2003">'
    b'<ap:OneTopic><ap:Topic OId="c2VudHJhbFRvcGljMDAwMQ=="><ap:Text PlainText="TEXT"><ap:Font/>'
    b"</ap:Text></ap:Topic></ap:OneTopic></ap:Map>"
)


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _map_with_text(path: Path, text: bytes) -> Path:
    return _zip(path, {"Document.xml": MINIMAL.replace(b"TEXT", text)})


def test_external_entity_rejected(tmp_path: Path) -> None:
    document = (
        b'<?xml version="1.0"?>\n<!DOCTYPE ap:Map [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        + MINIMAL.split(b"\n", 1)[1].replace(b"TEXT", b"&secret;")
    )
    path = _zip(tmp_path / "xxe.mmap", {"Document.xml": document})

    with pytest.raises(UnsafeMapError, match="entities") as caught:
        open_map(path)
    assert "root:" not in str(caught.value)


def test_billion_laughs_rejected_quickly(tmp_path: Path) -> None:
    entities = b'<!ENTITY a0 "lol">' + b"".join(
        b'<!ENTITY a%d "%s">' % (level, b"&a%d;" % (level - 1) * 10) for level in range(1, 10)
    )
    document = (
        b"<!DOCTYPE ap:Map ["
        + entities
        + b"]>"
        + MINIMAL.split(b"\n", 1)[1].replace(b"TEXT", b"&a9;")
    )
    path = _zip(tmp_path / "laughs.mmap", {"Document.xml": document})
    started = time.monotonic()

    with pytest.raises(UnsafeMapError):
        open_map(path)
    assert time.monotonic() - started < 5


def test_zip_bomb_stopped_by_declared_size(tmp_path: Path) -> None:
    path = _zip(tmp_path / "bomb.mmap", {"Document.xml": b"\0" * (20 << 20)})

    with pytest.raises(UnsafeMapError, match="declares"):
        open_map(path, limits=MapLimits(max_document_bytes=1 << 20))


def test_zip_bomb_with_false_size_stops_reading(tmp_path: Path) -> None:
    path = _zip(tmp_path / "liar.mmap", {"Document.xml": b"<" + b"\0" * (40 << 20)})
    data = bytearray(path.read_bytes())
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        struct.pack_into("<I", data, at + size_at, 100)
    path.write_bytes(bytes(data))

    tracemalloc.start()
    try:
        with pytest.raises(UnsafeMapError, match="expands"):
            open_map(path, limits=MapLimits(max_document_bytes=1 << 20))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20


def test_overlapping_members_rejected(tmp_path: Path) -> None:
    path = _zip(tmp_path / "overlap.mmap", {"Document.xml": MINIMAL, "bin/a.bin": b"x" * 100})
    data = bytearray(path.read_bytes())
    central = data.find(b"PK\x01\x02")
    second = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, second + 42, 0)
    path.write_bytes(bytes(data))

    with pytest.raises((UnsafeMapError, CorruptMapError)):
        open_map(path)


def test_too_many_members_rejected(tmp_path: Path) -> None:
    members = {"Document.xml": MINIMAL} | {f"bin/{index}.bin": b"x" for index in range(20)}
    path = _zip(tmp_path / "many.mmap", members)

    with pytest.raises(UnsafeMapError, match="max_members"):
        open_map(path, limits=MapLimits(max_members=10))


@pytest.mark.parametrize(
    "name", ["../evil.txt", "/etc/cron.d/evil", "bin/../../evil", "C:\\evil.bin", "..\\evil"]
)
def test_path_traversal_member_rejected(tmp_path: Path, name: str) -> None:
    path = _zip(tmp_path / "traversal.mmap", {"Document.xml": MINIMAL, name: b"payload"})

    with pytest.raises(UnsafeMapError, match="outside the archive"):
        open_map(path)


def test_password_protected_map_reported(tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "locked.mmap",
        {"Document.xml.zencr": b"\x8a" * 64, "bin/x.bin.zencr": b"\x01" * 16, "xsd/a.xsd": b"<x/>"},
    )

    with pytest.raises(EncryptedMapError, match="password"):
        open_map(path)


def test_zip_encrypted_member_reported(tmp_path: Path) -> None:
    path = _zip(tmp_path / "flagged.mmap", {"Document.xml": MINIMAL})
    data = bytearray(path.read_bytes())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        struct.pack_into("<H", data, data.find(signature) + flags_at, 1)
    path.write_bytes(bytes(data))

    with pytest.raises(EncryptedMapError):
        open_map(path)


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_truncated_archive_reported(tmp_path: Path, keep: float) -> None:
    source = write_rich_map(tmp_path / "full.mmap").read_bytes()
    path = tmp_path / "cut.mmap"
    path.write_bytes(source[: int(len(source) * keep)])

    with pytest.raises(CorruptMapError, match="truncated"):
        open_map(path)


def test_damaged_compressed_data_reported(tmp_path: Path) -> None:
    path = _zip(tmp_path / "damaged.mmap", {"Document.xml": MINIMAL * 3})
    data = bytearray(path.read_bytes())
    start = data.find(b"Document.xml") + len(b"Document.xml")
    for offset in range(10, 30):
        data[start + offset] ^= 0xFF
    path.write_bytes(bytes(data))

    with pytest.raises(CorruptMapError):
        open_map(path)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "empty"),
        (b"\x7fELF\x02\x01\x01" + b"\0" * 200, "neither"),
        (b"MMAP\x00\x01memory-mapped test data" * 10, "neither"),
    ],
)
def test_not_a_map_reported(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "other.mmap"
    path.write_bytes(content)

    with pytest.raises(NotAMindMapError, match=match):
        open_map(path)


def test_zip_without_document_reported(tmp_path: Path) -> None:
    path = _zip(tmp_path / "report.mmap", {"word/document.xml": b"<w/>"})

    with pytest.raises(NotAMindMapError, match="without Document.xml"):
        open_map(path)


def test_other_xml_root_reported(tmp_path: Path) -> None:
    path = tmp_path / "other.xmmap"
    path.write_bytes(b'<?xml version="1.0"?><map version="freeplane 1.9"><node TEXT="x"/></map>')

    with pytest.raises(NotAMindMapError, match="ap:Map"):
        open_map(path)


def test_malformed_xml_reported(tmp_path: Path) -> None:
    path = _zip(tmp_path / "broken.mmap", {"Document.xml": MINIMAL[:-20]})

    with pytest.raises(CorruptMapError, match="not well-formed"):
        open_map(path)


def test_missing_file_reported(tmp_path: Path) -> None:
    with pytest.raises(MapError, match="not found"):
        open_map(tmp_path / "missing.mmap")


def test_control_characters_repaired(tmp_path: Path) -> None:
    path = _map_with_text(tmp_path / "control.mmap", b"Sea\x10World&#x1;&#16; tour")

    mindmap = open_map(path)

    assert mindmap.central_topic.text == "SeaWorld tour"
    assert len(mindmap.repairs) == 1
    assert "U+0010" in mindmap.repairs[0]
    assert "U+0001" in mindmap.repairs[0]


def test_repaired_map_saves_clean_xml(tmp_path: Path) -> None:
    path = _map_with_text(tmp_path / "control.mmap", b"Sea\x10World")
    mindmap = open_map(path)

    mindmap.central_topic.add_subtopic("Tickets")
    mindmap.save()

    reopened = open_map(path)
    assert reopened.repairs == []
    assert reopened.central_topic.text == "SeaWorld"


def test_web_app_archive_reads_and_keeps_extra_fields(tmp_path: Path) -> None:
    path = write_web_app_archive(
        tmp_path / "cloud.mmap",
        {"Document.xml": rich_map_xml(web_app_date=True), "bin/1.bin": b"image"},
        b"MindManager Cloud 23.0.103",
    )
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(path)

    mindmap = open_map(path)
    ada = mindmap.find_by_oid(OIDS["ada"])
    assert ada is not None
    assert ada.properties["Broken date"].value is None
    ada.text = "Ada King"
    mindmap.save()

    data = path.read_bytes()
    assert data.count(b"MJHI") == 4
    assert data.endswith(b"MindManager Cloud 23.0.103")
    assert open_map(path).find_by_oid(OIDS["ada"]).text == "Ada King"  # type: ignore[union-attr]


def test_every_failure_is_a_map_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.mmap"
    path.write_bytes(b"PK\x03\x04" + zlib.compress(b"junk"))

    with pytest.raises(MapError) as caught:
        open_map(path)
    assert caught.value.exit_code == 10
    assert str(path) in caught.value.message
