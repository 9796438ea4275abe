"""The writing map actions through ``mapbridge run``, checked by reading the saved map back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from map_cli import invoke, run, topic_oid

from mapbridge.mindmanager import Topic, open_map


def topic_at(path: Path, *texts: str) -> Topic:
    topic = open_map(path).central_topic
    for text in texts:
        topic = next(child for child in topic.subtopics if child.text == text)
    return topic


def test_create_map_with_branches(tmp_path: Path) -> None:
    target = tmp_path / "pipeline.mmap"
    output = run("create_map", {
        "map": str(target),
        "centralTopic": "Q3 pipeline",
        "branches": [
            {"text": "Leads", "subtopics": [
                {"text": "Ada Lovelace", "labels": ["hot"], "notes": "Met at the fair.",
                 "properties": {"Email": "ada@example.com", "Seats": 12},
                 "subtopics": [{"text": "Call", "task": {"due": "2025-07-01", "priority": 1}}]},
            ]},
            {"text": "Ideas"},
        ],
    })
    assert output["map"] == str(target)
    assert [topic["text"] for topic in output["topic"]["subtopics"]] == ["Leads", "Ideas"]
    ada = topic_at(target, "Leads", "Ada Lovelace")
    assert ada.labels == ["hot"]
    assert ada.notes == "Met at the fair."
    assert ada.properties["Seats"].value == 12
    task = ada.subtopics[0].task
    assert task is not None
    assert task.due == datetime(2025, 7, 1)


def test_create_map_xmmap_is_plain_xml(tmp_path: Path) -> None:
    target = tmp_path / "plan.xmmap"
    run("create_map", {"map": str(target), "centralTopic": "Plan"})
    assert target.read_bytes().startswith(b"<?xml")
    assert open_map(target).central_topic.text == "Plan"


def test_create_map_overwrite_replaces(leads: Path) -> None:
    run("create_map", {"map": str(leads), "centralTopic": "Fresh start", "overwrite": True})
    mindmap = open_map(leads)
    assert mindmap.central_topic.text == "Fresh start"
    assert mindmap.central_topic.subtopics == []


def test_add_topic_with_everything(leads: Path) -> None:
    output = run("add_topic", {
        "map": str(leads),
        "parent": {"path": "Leads"},
        "index": 0,
        "text": "Grace Brewster",
        "notes": "Line one.\nLine two.",
        "task": {"priority": 3, "percentage": 10, "start": "2025-06-01", "due": "2025-06-05T17:00:00",
                 "resources": ["Sales team"]},
        "labels": ["warm"],
        "properties": {
            "Email": "grace@example.com",
            "Deal size": {"value": 1250.5, "type": "number", "format": "Currency"},
            "First contact": {"value": "2025-05-30", "type": "datetime"},
            "Signed": False,
        },
        "hyperlink": "https://example.com/grace",
        "subtopics": [{"text": "Send contract"}],
    })

    topic = output["topic"]
    assert topic["path"] == ["Sales pipeline", "Leads", "Grace Brewster"]
    assert topic["subtopics"][0]["text"] == "Send contract"

    saved = topic_at(leads, "Leads").subtopics[0]
    assert saved.oid == topic["oid"]
    assert saved.notes == "Line one.\nLine two."
    assert saved.task is not None
    assert (saved.task.priority, saved.task.percentage) == (3, 10)
    assert saved.task.resources == ["Sales team"]
    assert saved.labels == ["warm"]
    assert saved.properties["Deal size"].format == "Currency"
    assert saved.properties["First contact"].value == datetime(2025, 5, 30)
    assert saved.properties["Signed"].value is False
    assert saved.hyperlink == "https://example.com/grace"


def test_add_topic_defaults_to_central(leads: Path) -> None:
    run("add_topic", {"map": str(leads), "text": "Parking lot"})
    assert [topic.text for topic in topic_at(leads).subtopics] == ["Leads", "Ideas", "Parking lot"]


def test_update_topic_text(leads: Path) -> None:
    oid = topic_oid(leads, "Ideas", "Referral bonus")
    output = run("update_topic", {"map": str(leads), "oid": oid, "text": "Referral bonus 2.0"})
    assert output["topic"]["text"] == "Referral bonus 2.0"
    assert "subtopics" not in output["topic"]
    assert topic_at(leads, "Ideas").subtopics[1].text == "Referral bonus 2.0"


def test_delete_topic_counts_subtree(leads: Path) -> None:
    output = run("delete_topic", {"map": str(leads), "path": "Leads / Ada Lovelace"})
    assert output["topic"]["text"] == "Ada Lovelace"
    assert output["deletedTopics"] == 3
    names = [topic.text for topic in topic_at(leads, "Leads").subtopics]
    assert "Ada Lovelace" not in names
    assert len(names) == 5


def test_move_topic_to_index(leads: Path) -> None:
    output = run("move_topic", {
        "map": str(leads), "path": "Ideas / Case study with Apollo Software",
        "parent": {"path": "Leads / Margaret Hamilton"}, "index": 0,
    })
    assert output["topic"]["path"] == [
        "Sales pipeline", "Leads", "Margaret Hamilton", "Case study with Apollo Software",
    ]
    margaret = topic_at(leads, "Leads", "Margaret Hamilton")
    assert [topic.text for topic in margaret.subtopics] == [
        "Case study with Apollo Software", "Prepare contract draft",
    ]
    assert len(topic_at(leads, "Ideas").subtopics) == 2


def test_set_topic_notes_replace_append_clear(leads: Path) -> None:
    address = {"map": str(leads), "path": "Leads / Alan Turing"}
    run("set_topic_notes", {**address, "notes": "Review booked."})
    assert topic_at(leads, "Leads", "Alan Turing").notes == "Review booked."
    run("set_topic_notes", {**address, "notes": "Signed on March 30.", "mode": "append"})
    assert topic_at(leads, "Leads", "Alan Turing").notes == "Review booked.\nSigned on March 30."
    output = run("set_topic_notes", {**address, "notes": ""})
    assert output["topic"]["notes"] == ""


def test_set_topic_task_fields_and_clear(leads: Path) -> None:
    address = {"map": str(leads), "path": "Leads / Grace Hopper / Call about renewal"}
    output = run("set_topic_task", {**address, "percentage": 100, "due": None})
    assert output["topic"]["task"]["percentage"] == 100
    assert output["topic"]["task"]["due"] is None
    assert output["topic"]["task"]["priority"] == 2
    run("set_topic_task", {**address, "clear": True})
    assert topic_at(leads, "Leads", "Grace Hopper", "Call about renewal").task is None


def test_add_and_remove_labels(leads: Path) -> None:
    address = {"map": str(leads), "path": "Leads / Grace Hopper"}
    added = run("add_topic_labels", {**address, "labels": ["partner", "vip", "vip"]})
    assert added["added"] == ["vip"]
    assert added["topic"]["labels"] == ["partner", "vip"]
    removed = run("remove_topic_labels", {**address, "labels": ["PARTNER", "unknown"]})
    assert removed["removed"] == ["partner"]
    assert topic_at(leads, "Leads", "Grace Hopper").labels == ["vip"]


def test_remove_absent_label_leaves_file(leads: Path) -> None:
    before = leads.read_bytes()
    output = run("remove_topic_labels", {
        "map": str(leads), "path": "Leads / Grace Hopper", "labels": ["nothing"],
    })
    assert output["removed"] == []
    assert leads.read_bytes() == before


def test_set_topic_properties_and_remove(leads: Path) -> None:
    address = {"map": str(leads), "path": "Leads / Ada Lovelace"}
    output = run("set_topic_properties", {
        **address, "properties": {"Phone": "+1 415-555-0101", "Company": None, "Seats": 40},
    })
    properties = output["topic"]["properties"]
    assert properties["Phone"]["value"] == "+1 415-555-0101"
    assert "Company" not in properties
    assert properties["Seats"] == {"value": 40, "type": "integer", "format": "Integer"}


def test_set_and_clear_hyperlink(leads: Path) -> None:
    address = {"map": str(leads), "path": "Leads / Ada Lovelace"}
    output = run("set_topic_hyperlink", {**address, "url": "https://example.com", "title": "Site"})
    assert output["topic"]["hyperlink"] == "https://example.com"
    run("set_topic_hyperlink", {**address, "url": None})
    assert topic_at(leads, "Leads", "Ada Lovelace").hyperlink is None


def test_text_output_names_operation(leads: Path) -> None:
    result = invoke("run", "update_topic", "--text", "--input",
                    f'{{"map": "{leads}", "path": "Ideas", "text": "Ideas 2025"}}')
    assert result.exit_code == 0
    assert result.output.startswith("update_topic: done")
