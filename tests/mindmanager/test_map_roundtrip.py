"""Reading and writing sample maps: nothing changes that an edit does not touch."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from lxml import etree

from mapbridge.mindmanager import Topic, open_map, validate_map
from mapbridge.mindmanager._archive import MapLimits, ZipArchive, parse_archive

AP = "{http://schemas.mindjet.com/MindManager/Application/2003}"


def _archive(path: Path) -> ZipArchive | None:
    data = path.read_bytes()
    return parse_archive(data, str(path), MapLimits()) if data.startswith(b"PK") else None


def _member_records(archive: ZipArchive) -> dict[str, bytes]:
    return {m.name: archive.data[m.record_start : m.record_end] for m in archive.members}


def _document_tree(path: Path) -> Any:
    mindmap = open_map(path)
    return etree.fromstring(mindmap.document_xml()).getroottree()


def _canonical_without(tree: Any, oid: str) -> bytes:
    for topic in tree.getroot().iter(f"{AP}Topic"):
        if topic.get("OId") == oid:
            topic.getparent().replace(topic, etree.Element("edited-topic"))
            break
    else:
        raise AssertionError(f"topic {oid} not found")
    return etree.tostring(tree, method="c14n")


def _edit_target(path: Path) -> Topic:
    topics = [topic for topic in open_map(path).iter_topics() if topic.oid]
    leaves = [topic for topic in topics if not topic.subtopics and not topic.is_central]
    return (leaves or topics)[len(leaves or topics) // 2]


def test_every_sample_map_reads(sample_map: Path) -> None:
    mindmap = open_map(sample_map)
    topics = list(mindmap.iter_topics())

    assert topics[0] == mindmap.central_topic
    assert json.dumps([topic.to_dict(depth=0) for topic in topics])
    for topic in topics:
        if topic.oid:
            assert mindmap.find_by_oid(topic.oid) is not None
    assert json.dumps(mindmap.central_topic.to_dict())


def test_save_without_edit_keeps_every_byte(sample_map: Path, tmp_path: Path) -> None:
    original = sample_map.read_bytes()
    mindmap = open_map(sample_map)

    copy = mindmap.save(tmp_path / ("copy" + sample_map.suffix))
    mindmap.save()

    assert copy.read_bytes() == original
    assert sample_map.read_bytes() == original


def test_save_without_edit_keeps_document_xml(sample_map: Path) -> None:
    mindmap = open_map(sample_map)
    before = mindmap.document_xml()

    mindmap.save()

    assert open_map(sample_map).document_xml() == before


def test_edit_changes_only_that_topic(sample_map: Path, tmp_path: Path) -> None:
    before_tree = _document_tree(sample_map)
    before_archive = _archive(sample_map)
    mindmap = open_map(sample_map)
    target = mindmap.find_by_oid(_edit_target(sample_map).oid or "")
    assert target is not None
    oid = target.oid or ""

    target.text = "Edited topic\nsecond line"
    target.notes = "First paragraph\n\nThird line"
    target.set_task(priority=3, percentage=40, due=datetime(2025, 1, 31, 17, 0))
    target.add_labels(["hot", "newsletter"])
    target.set_properties({"Email": "edited@example.com", "Score": 7})
    target.set_hyperlink("https://example.com/edited", title="Edited")
    mindmap.save()

    after_tree = _document_tree(sample_map)
    assert _canonical_without(after_tree, oid) == _canonical_without(before_tree, oid)
    edited = open_map(sample_map).find_by_oid(oid)
    assert edited is not None
    assert edited.text == "Edited topic\nsecond line"
    assert edited.notes == "First paragraph\n\nThird line"
    assert edited.labels[-2:] == ["hot", "newsletter"]
    assert edited.properties["Score"].value == 7

    after_archive = _archive(sample_map)
    if before_archive is not None:
        assert after_archive is not None
        assert after_archive.names == before_archive.names
        assert after_archive.end_record[22:] == before_archive.end_record[22:]
        before_records = _member_records(before_archive)
        for name, record in _member_records(after_archive).items():
            if name != "Document.xml":
                assert record == before_records[name], name


def test_edited_map_passes_schema(sample_map: Path, schema_folder: Path) -> None:
    mindmap = open_map(sample_map)
    baseline = {error.split(": ", 1)[1] for error in validate_map(mindmap, schema_folder)}
    target = mindmap.find_by_oid(_edit_target(sample_map).oid or "")
    assert target is not None

    target.text = "Edited"
    target.notes = "Note line one\nline two"
    target.set_task(
        priority=1,
        percentage=100,
        start="2025-01-02",
        due="2025-01-03T12:00:00",
        resources=["Ada Lovelace"],
    )
    target.add_labels("hot")
    target.set_properties(
        {
            "Email": "a@example.com",
            "Seats": 3,
            "Ratio": 0.5,
            "Signed": True,
            "Since": datetime(2024, 1, 1),
        }
    )
    target.set_hyperlink("https://example.com")
    lead = mindmap.central_topic.add_subtopic(
        "Grace Hopper",
        0,
        notes="New lead",
        task={"due": "2025-02-01"},
        labels=["partner"],
        properties={"Phone": "+1 415-555-0100"},
    )
    follow_up = lead.add_subtopic("Call about renewal", task={"priority": 2})
    follow_up.move_to(mindmap.central_topic)
    if not target.is_central:
        target.move_to(lead)
    lead.add_subtopic("Temporary").delete()

    errors = {error.split(": ", 1)[1] for error in validate_map(mindmap, schema_folder)}
    assert errors <= baseline, sorted(errors - baseline)


def test_corpus_structures_survive_an_edit(sample_map: Path) -> None:
    """Images, relationships, floating topics and add-in data stay after an edit."""
    before = open_map(sample_map)
    counts = {
        tag: len(list(before.root.iter(f"{AP}{tag}")))
        for tag in ("OneImage", "Relationship", "FloatingTopics", "NotesXhtmlData", "Icon")
    }
    customs = len(
        list(before.root.iter("{http://schemas.mindjet.com/MindManager/Core/2003}Custom"))
    )
    before.central_topic.add_subtopic("Added")
    before.save()

    after = open_map(sample_map)
    for tag, count in counts.items():
        assert len(list(after.root.iter(f"{AP}{tag}"))) == count, tag
    custom_tag = "{http://schemas.mindjet.com/MindManager/Core/2003}Custom"
    assert len(list(after.root.iter(custom_tag))) == customs
