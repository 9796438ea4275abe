"""Bad input to the map actions: a clear message, a documented exit code, never a traceback.

Exit code 2 means that the input must change, for example an unknown or ambiguous topic or
an invalid value. Exit code 10 means that the map file cannot be read or written.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from map_cli import invoke, run, run_failing, topic_oid

from mapbridge.mindmanager import open_map


def test_unknown_oid(leads: Path) -> None:
    result = run_failing("get_topic", {"map": str(leads), "oid": "bm90VGhlcmUwMDAwMDAwMQ=="})
    assert result.exit_code == 2
    assert "No topic has the OId 'bm90VGhlcmUwMDAwMDAwMQ=='" in result.output
    assert "read_map or find_topics" in result.output


def test_unknown_path_names_missing_part(leads: Path) -> None:
    result = run_failing("get_topic", {"map": str(leads), "path": "Leads / Ada Byron"})
    assert result.exit_code == 2
    assert "No topic 'Ada Byron' under Leads" in result.output


def test_ambiguous_path_lists_oids(twins: Path) -> None:
    result = run_failing("update_topic", {"map": str(twins), "path": "Website / Review", "text": "x"})
    assert result.exit_code == 2
    assert "matches 2 topics" in result.output
    assert "Address the topic by its oid" in result.output
    for review in open_map(twins).central_topic.subtopics[0].subtopics[:2]:
        assert str(review.oid) in result.output


def test_unknown_contact_id(leads: Path) -> None:
    result = run_failing("get_topic", {"map": str(leads), "contactId": "nobody42"})
    assert result.exit_code == 2
    assert "'nobody42'" in result.output
    assert "'HighLevel Contact ID'" in result.output


def test_contact_id_on_two_topics(leads: Path) -> None:
    for name in ("Ada Lovelace", "Alan Turing"):
        run("set_topic_properties", {
            "map": str(leads), "path": f"Leads / {name}",
            "properties": {"HighLevel Contact ID": "same1"},
        })
    result = run_failing("get_topic", {"map": str(leads), "contactId": "same1"})
    assert result.exit_code == 2
    assert "2 topics" in result.output
    assert "copied topic" in result.output


@pytest.mark.parametrize(
    ("address", "found"),
    [({}, "none of them"), ({"oid": "x", "path": "Leads"}, "oid and path")],
)
def test_address_needs_exactly_one(leads: Path, address: dict[str, str], found: str) -> None:
    result = run_failing("get_topic", {"map": str(leads), **address})
    assert result.exit_code == 2
    assert "exactly one of oid, path or contactId" in result.output
    assert found in result.output


def test_parent_address_named_in_message(leads: Path) -> None:
    result = run_failing("add_topic", {"map": str(leads), "parent": {"path": "Nowhere"}, "text": "x"})
    assert result.exit_code == 2
    assert "No topic 'Nowhere'" in result.output


def test_missing_map_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.mmap"
    result = run_failing("read_map", {"map": str(missing)})
    assert result.exit_code == 10
    assert f"Map file {missing} was not found" in result.output


def test_file_that_is_not_a_map(tmp_path: Path) -> None:
    notes = tmp_path / "notes.mmap"
    notes.write_text("just some text", encoding="utf-8")
    result = run_failing("read_map", {"map": str(notes)})
    assert result.exit_code == 10
    assert "not a MindManager map" in result.output


def test_password_protected_map(tmp_path: Path) -> None:
    locked = tmp_path / "locked.mmap"
    with zipfile.ZipFile(locked, "w") as archive:
        archive.writestr("Document.xml.zencr", b"\x8a" * 64)
        archive.writestr("bin/image.bin.zencr", b"\x01" * 16)
    result = run_failing("add_topic", {"map": str(locked), "text": "x"})
    assert result.exit_code == 10
    assert "protected with a password" in result.output


def test_move_into_own_subtree(leads: Path) -> None:
    before = leads.read_bytes()
    result = run_failing("move_topic", {
        "map": str(leads), "path": "Leads",
        "parent": {"path": "Leads / Ada Lovelace / Call about renewal"},
    })
    assert result.exit_code == 2
    assert "lies in its own subtree" in result.output
    assert leads.read_bytes() == before


def test_delete_central_topic(leads: Path) -> None:
    oid = topic_oid(leads)
    result = run_failing("delete_topic", {"map": str(leads), "oid": oid})
    assert result.exit_code == 2
    assert "central topic cannot be deleted" in result.output


def test_create_map_refuses_existing_file(leads: Path) -> None:
    before = leads.read_bytes()
    result = run_failing("create_map", {"map": str(leads), "centralTopic": "New"})
    assert result.exit_code == 2
    assert "exists already" in result.output
    assert '"overwrite": true' in result.output
    assert leads.read_bytes() == before


def test_create_map_in_missing_folder(tmp_path: Path) -> None:
    result = run_failing("create_map", {"map": str(tmp_path / "no" / "x.mmap"), "centralTopic": "New"})
    assert result.exit_code == 10
    assert "cannot be created" in result.output


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"due": "next week"}, "'next week' is not an ISO 8601 date"),
        ({"resources": ["Smith, John"]}, "contains a comma"),
        ({}, "give at least one of priority"),
    ],
)
def test_set_topic_task_bad_values(leads: Path, data: dict[str, object], expected: str) -> None:
    result = run_failing("set_topic_task", {"map": str(leads), "path": "Ideas", **data})
    assert result.exit_code == 2
    assert expected in result.output


def test_schema_violations_all_listed(leads: Path) -> None:
    result = run_failing("set_topic_task", {
        "map": str(leads), "path": "Ideas", "priority": 12, "colour": "red",
    })
    assert result.exit_code == 2
    assert "input.priority" in result.output
    assert "unknown property 'colour'" in result.output


def test_unsafe_hyperlink(leads: Path) -> None:
    result = run_failing("set_topic_hyperlink", {
        "map": str(leads), "path": "Ideas", "url": "javascript:alert(1)",
    })
    assert result.exit_code == 2
    assert "script or data scheme" in result.output


def test_property_value_needs_name(leads: Path) -> None:
    result = run_failing("find_topics", {"map": str(leads), "propertyValue": "x"})
    assert result.exit_code == 2
    assert "propertyValue without property" in result.output


def test_error_as_json(leads: Path) -> None:
    data = {"map": str(leads), "oid": "bm90VGhlcmUwMDAwMDAwMQ=="}
    result = invoke("run", "get_topic", "--json", "--input", json.dumps(data))
    assert result.exit_code == 2
    error = json.loads(result.output)
    assert error["error"] == "TopicNotFoundError"
    assert "bm90VGhlcmUwMDAwMDAwMQ==" in error["message"]
