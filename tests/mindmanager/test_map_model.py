"""The topic model read from a map the tests build (every field MindManager stores)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from mapfactory import OIDS

from mapbridge.mindmanager import MindMap, TaskInfo, Topic, TopicIcon, TopicProperty, open_map


@pytest.fixture
def mindmap(rich_map: Path) -> MindMap:
    return open_map(rich_map)


def _topic(mindmap: MindMap, key: str) -> Topic:
    topic = mindmap.find_by_oid(OIDS[key])
    assert topic is not None, key
    return topic


def test_central_topic(mindmap: MindMap) -> None:
    central = mindmap.central_topic
    assert central.oid == OIDS["central"]
    assert central.text == "Sales pipeline"
    assert central.is_central
    assert central.parent is None
    assert central.path == ("Sales pipeline",)


def test_text_keeps_newlines(mindmap: MindMap) -> None:
    assert _topic(mindmap, "grace").text == "Grace Hopper\n(Navy)"


def test_notes_read_from_xhtml_not_preview(mindmap: MindMap) -> None:
    assert _topic(mindmap, "ada").notes == "Met at the fair.\nWants a demo."
    assert _topic(mindmap, "grace").notes == ""


def test_task_info(mindmap: MindMap) -> None:
    assert _topic(mindmap, "call").task == TaskInfo(
        priority=2,
        percentage=100,
        start=datetime(2024, 5, 1, 8, 0),
        due=datetime(2024, 5, 3, 17, 0),
        resources=["Ada Lovelace", "Sales team"],
    )
    assert _topic(mindmap, "ada").task is None


def test_text_labels(mindmap: MindMap) -> None:
    assert _topic(mindmap, "ada").labels == ["hot", "partner"]
    assert _topic(mindmap, "central").labels == []


def test_marker_legend_is_not_topic_data(mindmap: MindMap) -> None:
    labelled = [topic.text for topic in mindmap.iter_topics() if "hot" in topic.labels]
    assert labelled == ["Ada Lovelace"]


def test_icons(mindmap: MindMap) -> None:
    assert _topic(mindmap, "ada").icons == [
        TopicIcon("stock", "FlagRed"),
        TopicIcon("custom", "Q+b4AQAAAAAAAAAAAAAAAA=="),
    ]


def test_hyperlink(mindmap: MindMap) -> None:
    assert _topic(mindmap, "ada").hyperlink == "https://example.com/ada"
    assert _topic(mindmap, "grace").hyperlink is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Email", TopicProperty("Email", "ada@example.com", "text", "Text")),
        ("Phone", TopicProperty("Phone", "+1 415-555-0100", "text", "MaskedField")),
        ("Deal size", TopicProperty("Deal size", 1250.5, "number", "Currency")),
        ("Seats", TopicProperty("Seats", 12, "integer", "Integer")),
        ("Signed", TopicProperty("Signed", True, "boolean", "Boolean")),
        ("First contact", TopicProperty("First contact", datetime(2024, 3, 1), "datetime", "Date")),
    ],
)
def test_topic_properties(mindmap: MindMap, name: str, expected: TopicProperty) -> None:
    assert _topic(mindmap, "ada").properties[name] == expected


def test_subtopics_in_order(mindmap: MindMap) -> None:
    leads = _topic(mindmap, "leads")
    assert [topic.text for topic in leads.subtopics] == ["Ada Lovelace", "Grace Hopper\n(Navy)"]
    assert leads.parent == mindmap.central_topic


def test_floating_topics(mindmap: MindMap) -> None:
    central = mindmap.central_topic
    parking = _topic(mindmap, "floating")
    callout = _topic(mindmap, "callout")

    assert central.floating_topics == [parking]
    assert parking.is_floating and parking.parent == central
    assert callout.is_floating and callout.parent == _topic(mindmap, "idea")
    assert callout.path == ("Sales pipeline", "Ideas", "Webinar series", "Check budget")
    assert not _topic(mindmap, "ada").is_floating


def test_iter_topics_depth_first_with_floating(mindmap: MindMap) -> None:
    assert [topic.oid for topic in mindmap.iter_topics()] == [
        OIDS[key]
        for key in (
            "central",
            "leads",
            "ada",
            "call",
            "grace",
            "ideas",
            "idea",
            "callout",
            "floating",
        )
    ]


def test_relationship_labels_are_not_topics_of_the_tree(mindmap: MindMap) -> None:
    assert OIDS["label"] not in {topic.oid for topic in mindmap.iter_topics()}


def test_find_by_oid_unknown(mindmap: MindMap) -> None:
    assert mindmap.find_by_oid("AAAAAAAAAAAAAAAAAAAAAA==") is None


def test_to_dict_of_contact(mindmap: MindMap) -> None:
    data = _topic(mindmap, "ada").to_dict()

    assert data["text"] == "Ada Lovelace"
    assert data["path"] == ["Sales pipeline", "Leads", "Ada Lovelace"]
    assert data["labels"] == ["hot", "partner"]
    assert data["icons"] == [
        {"kind": "stock", "name": "FlagRed"},
        {"kind": "custom", "name": "Q+b4AQAAAAAAAAAAAAAAAA=="},
    ]
    assert data["properties"]["First contact"] == {  # type: ignore[index]
        "value": "2024-03-01T00:00:00",
        "type": "datetime",
        "format": "Date",
    }
    assert [sub["text"] for sub in data["subtopics"]] == ["Call about renewal"]  # type: ignore[attr-defined]
    assert json.loads(json.dumps(data)) == data


def test_to_dict_depth_limits_levels(mindmap: MindMap) -> None:
    shallow = mindmap.central_topic.to_dict(depth=1)
    leads = shallow["subtopics"][0]  # type: ignore[index]

    assert "subtopics" not in leads
    assert [topic["text"] for topic in shallow["floatingTopics"]] == ["Parking lot"]  # type: ignore[attr-defined]
    assert "subtopics" not in mindmap.central_topic.to_dict(depth=0)


def test_to_dict_task(mindmap: MindMap) -> None:
    assert _topic(mindmap, "call").to_dict(depth=0)["task"] == {
        "priority": 2,
        "percentage": 100,
        "start": "2024-05-01T08:00:00",
        "due": "2024-05-03T17:00:00",
        "resources": ["Ada Lovelace", "Sales team"],
    }


def test_map_metadata(mindmap: MindMap, rich_map: Path) -> None:
    assert mindmap.path == rich_map
    assert mindmap.repairs == []
    assert not mindmap.changed
    assert mindmap.member_names[:2] == [
        "bin/4D3B1E0A-9C6B-4E5F-8A7D-2B1C0D9E8F7A.bin",
        "Document.xml",
    ]


def test_xmmap_reads_like_mmap(tmp_path: Path) -> None:
    from mapfactory import rich_map_xml

    path = tmp_path / "plain.xmmap"
    path.write_bytes(rich_map_xml())

    mindmap = open_map(path)
    assert mindmap.member_names == []
    assert _topic(mindmap, "ada").labels == ["hot", "partner"]
