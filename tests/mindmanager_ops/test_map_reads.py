"""The reading map actions through ``mapbridge run``: read_map, get_topic, find_topics, outline."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from map_cli import run, topic_oid

LEAD_NAMES = [
    "Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra",
    "Margaret Hamilton",
]


def test_read_map_returns_whole_tree(leads: Path) -> None:
    output = run("read_map", {"map": str(leads)})
    central = output["topic"]
    assert central["text"] == "Sales pipeline"
    assert [topic["text"] for topic in central["subtopics"]] == ["Leads", "Ideas"]
    ada = central["subtopics"][0]["subtopics"][0]
    assert ada["properties"]["Email"]["value"] == "ada@analytical-engines.example"
    assert ada["subtopics"][0]["task"]["due"] == "2025-03-14T10:00:00"
    assert output["topicCount"] == 18
    assert output["repairs"] == []


def test_read_map_depth_limits_levels(leads: Path) -> None:
    central = run("read_map", {"map": str(leads), "depth": 1})["topic"]
    branches = central["subtopics"]
    assert [topic["text"] for topic in branches] == ["Leads", "Ideas"]
    assert "subtopics" not in branches[0]


@pytest.mark.parametrize(
    "address",
    [
        {"path": "Leads / Grace Hopper"},
        {"path": ["Leads", "Grace Hopper"]},
        {"path": "Sales pipeline / Leads / Grace Hopper"},
        {"path": "  leads/GRACE   hopper "},
    ],
)
def test_get_topic_by_path_forms(leads: Path, address: dict[str, object]) -> None:
    topic = run("get_topic", {"map": str(leads), **address})["topic"]
    assert topic["path"] == ["Sales pipeline", "Leads", "Grace Hopper"]
    assert topic["subtopics"][0]["text"] == "Call about renewal"


def test_get_topic_by_oid_with_depth(leads: Path) -> None:
    oid = topic_oid(leads, "Leads")
    topic = run("get_topic", {"map": str(leads), "oid": oid, "depth": 1})["topic"]
    assert topic["oid"] == oid
    assert [child["text"] for child in topic["subtopics"]] == LEAD_NAMES
    assert "subtopics" not in topic["subtopics"][0]


def test_get_topic_by_contact_id(leads: Path) -> None:
    run("set_topic_properties", {
        "map": str(leads), "path": "Leads / Alan Turing",
        "properties": {"HighLevel Contact ID": "ve9EPM428h8vShlRW1KT"},
    })
    topic = run("get_topic", {"map": str(leads), "contactId": "ve9EPM428h8vShlRW1KT"})["topic"]
    assert topic["text"] == "Alan Turing"


def texts(output: dict[str, object]) -> list[str]:
    return [topic["text"] for topic in output["topics"]]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"text": "RENEWAL"}, ["Call about renewal"] * 3),
        ({"label": "Hot"}, ["Ada Lovelace", "Alan Turing", "Margaret Hamilton"]),
        ({"property": "company", "propertyValue": "apollo software"}, ["Margaret Hamilton"]),
        ({"task": "completed"}, ["Send pricing sheet", "Call about renewal"]),
        ({"task": "open", "text": "call"}, ["Call about renewal", "Call about renewal"]),
        ({"text": "renewal", "branch": "Leads / Ada Lovelace"}, ["Call about renewal"]),
        ({"label": "partner", "property": "Email"}, ["Grace Hopper", "Edsger Dijkstra", "Margaret Hamilton"]),
        ({"text": "no such topic"}, []),
    ],
)
def test_find_topics_filters(leads: Path, filters: dict[str, str], expected: list[str]) -> None:
    output = run("find_topics", {"map": str(leads), **filters})
    assert texts(output) == expected
    assert output["count"] == output["total"] == len(expected)


def test_find_topics_property_name_alone(leads: Path) -> None:
    output = run("find_topics", {"map": str(leads), "property": "Phone"})
    assert texts(output) == LEAD_NAMES


def test_find_topics_limit_keeps_total(leads: Path) -> None:
    output = run("find_topics", {"map": str(leads), "label": "hot", "limit": 2})
    assert texts(output) == ["Ada Lovelace", "Alan Turing"]
    assert output["count"] == 2
    assert output["total"] == 3
    assert "subtopics" not in output["topics"][0]


def test_find_topics_overdue_and_due(leads: Path) -> None:
    now = datetime.now().replace(microsecond=0)
    for text, due, percentage in [
        ("Late call", now - timedelta(days=2), 0),
        ("Late but done", now - timedelta(days=2), 100),
        ("Call next week", now + timedelta(days=7), 0),
    ]:
        run("add_topic", {
            "map": str(leads), "parent": {"path": "Ideas"}, "text": text,
            "task": {"due": due.isoformat(), "percentage": percentage},
        })
    overdue = run("find_topics", {"map": str(leads), "task": "overdue", "branch": "Ideas"})
    assert texts(overdue) == ["Late call"]
    with_due = run("find_topics", {"map": str(leads), "task": "has_due", "branch": "Ideas"})
    assert texts(with_due) == ["Late call", "Late but done", "Call next week"]


def test_find_topics_by_contact_id(leads: Path) -> None:
    run("set_topic_properties", {
        "map": str(leads), "path": "Leads / Katherine Johnson",
        "properties": {"HighLevel Contact ID": "kj42"},
    })
    output = run("find_topics", {"map": str(leads), "contactId": "kj42"})
    assert texts(output) == ["Katherine Johnson"]


def test_outline_nests_labels_tasks_notes(leads: Path) -> None:
    markdown = run("export_map_outline", {"map": str(leads)})["markdown"]
    lines = markdown.splitlines()
    assert lines[0] == "# Sales pipeline"
    assert "- Leads" in lines
    assert "  - Ada Lovelace — labels: hot, newsletter" in lines
    assert "    Met at the London fintech fair." in lines
    assert "    Wants a demo for the whole analytics team." in lines
    assert (
        "    - Call about renewal — task: priority 1, 0 % complete, due 2025-03-14 10:00"
        in lines
    )
    assert "  - Referral bonus" in lines
    assert markdown.endswith("\n")


def test_outline_of_branch_without_notes(leads: Path) -> None:
    output = run("export_map_outline", {
        "map": str(leads), "path": "Leads", "depth": 1, "notes": False,
    })
    lines = output["markdown"].splitlines()
    assert lines[0] == "# Leads"
    assert lines[2:] == [
        "- Ada Lovelace — labels: hot, newsletter",
        "- Grace Hopper — labels: partner",
        "- Alan Turing — labels: hot",
        "- Katherine Johnson — labels: newsletter",
        "- Edsger Dijkstra — labels: partner, newsletter",
        "- Margaret Hamilton — labels: hot, partner",
    ]


def test_outline_escapes_markdown_and_links(leads: Path) -> None:
    run("add_topic", {
        "map": str(leads), "parent": {"path": "Ideas"}, "text": "Use *bold* [claims]",
        "hyperlink": "https://example.com/claims",
    })
    markdown = run("export_map_outline", {"map": str(leads), "path": "Ideas"})["markdown"]
    assert r"- [Use \*bold\* \[claims\]](<https://example.com/claims>)" in markdown
