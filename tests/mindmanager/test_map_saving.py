"""Saving: atomic writes, conflict detection, and the .mmap and .xmmap formats."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from mapfactory import OIDS, rich_map_xml

from mapbridge.errors import MapError
from mapbridge.mindmanager import MapConflictError, new_map, open_map


def test_changed_file_is_not_overwritten(rich_map: Path) -> None:
    mindmap = open_map(rich_map)
    other = open_map(rich_map)
    other.central_topic.add_subtopic("Saved elsewhere first")
    other.save()

    mindmap.central_topic.add_subtopic("Second writer")
    with pytest.raises(MapConflictError, match="force=True") as caught:
        mindmap.save()

    assert caught.value.exit_code == 11
    texts = [topic.text for topic in open_map(rich_map).central_topic.subtopics]
    assert "Saved elsewhere first" in texts
    assert "Second writer" not in texts


def test_force_overwrites_changed_file(rich_map: Path) -> None:
    mindmap = open_map(rich_map)
    rich_map.write_bytes(rich_map.read_bytes() + b"")
    os.utime(rich_map, ns=(1, 1))
    other = open_map(rich_map)
    other.central_topic.text = "Changed elsewhere"
    other.save()

    mindmap.central_topic.text = "Mine"
    mindmap.save(force=True)

    assert open_map(rich_map).central_topic.text == "Mine"


def test_touched_but_same_content_is_no_conflict(rich_map: Path) -> None:
    mindmap = open_map(rich_map)
    os.utime(rich_map, ns=(10**18, 10**18))
    mindmap.central_topic.text = "Mine"
    mindmap.save()
    assert open_map(rich_map).central_topic.text == "Mine"


def test_saving_twice_is_no_conflict(rich_map: Path) -> None:
    mindmap = open_map(rich_map)
    mindmap.central_topic.text = "First"
    mindmap.save()
    mindmap.central_topic.text = "Second"
    mindmap.save()
    assert open_map(rich_map).central_topic.text == "Second"


def test_save_leaves_no_temporary_file_and_keeps_mode(rich_map: Path) -> None:
    rich_map.chmod(0o640)
    mindmap = open_map(rich_map)
    mindmap.central_topic.add_subtopic("New")
    mindmap.save()

    assert sorted(path.name for path in rich_map.parent.iterdir()) == ["rich.mmap"]
    assert rich_map.stat().st_mode & 0o777 == 0o640


def test_failed_write_keeps_original(rich_map: Path, tmp_path: Path) -> None:
    original = rich_map.read_bytes()
    mindmap = open_map(rich_map)
    mindmap.central_topic.add_subtopic("New")

    with pytest.raises(MapError, match="cannot be written"):
        mindmap.save(tmp_path / "missing-folder" / "copy.mmap")
    assert rich_map.read_bytes() == original


def test_save_through_symlink_updates_target(rich_map: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.mmap"
    link.symlink_to(rich_map)
    mindmap = open_map(link)
    mindmap.central_topic.text = "Via link"
    mindmap.save()

    assert link.is_symlink()
    assert open_map(rich_map).central_topic.text == "Via link"


def test_new_map_needs_a_path(tmp_path: Path) -> None:
    mindmap = new_map("Sales pipeline")
    with pytest.raises(MapError, match="no path"):
        mindmap.save()

    written = mindmap.save(tmp_path / "new.mmap")

    assert mindmap.path == written
    with zipfile.ZipFile(written) as archive:
        assert archive.namelist() == ["Document.xml"]
        assert archive.testzip() is None
    assert open_map(written).central_topic.text == "Sales pipeline"


def test_xmmap_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "plain.xmmap"
    path.write_bytes(rich_map_xml())
    mindmap = open_map(path)

    mindmap.find_by_oid(OIDS["grace"]).add_labels("hot")  # type: ignore[union-attr]
    mindmap.save()

    data = path.read_bytes()
    assert data.startswith(
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\r\n<?xml-client'
    )
    assert open_map(path).find_by_oid(OIDS["grace"]).labels == ["hot"]  # type: ignore[union-attr]


def test_xmmap_saved_as_mmap_and_back(tmp_path: Path) -> None:
    path = tmp_path / "plain.xmmap"
    path.write_bytes(rich_map_xml())

    archive = open_map(path).save(tmp_path / "packed.mmap")
    plain = open_map(archive).save(tmp_path / "again.xmmap")

    with zipfile.ZipFile(archive) as packed:
        assert packed.read("Document.xml") == rich_map_xml()
    assert plain.read_bytes() == rich_map_xml()


def test_document_xml_changes_only_after_edit(rich_map: Path) -> None:
    mindmap = open_map(rich_map)
    unchanged = mindmap.document_xml()
    assert unchanged == rich_map_xml()

    mindmap.find_by_oid(OIDS["grace"]).text = "Grace"  # type: ignore[union-attr]
    assert mindmap.document_xml() != unchanged
    assert mindmap.document_xml().startswith(unchanged[: unchanged.index(b"<ap:Map")])
