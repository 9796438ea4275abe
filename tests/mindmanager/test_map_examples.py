"""The shipped example maps, the script that builds them, and the schema order table."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from mapbridge.mindmanager import Topic, open_map, validate_map
from mapbridge.mindmanager._names import TOPIC_CHILDREN

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
XSD = "{http://www.w3.org/2001/XMLSchema}"


def _branch(central: Topic, text: str) -> Topic:
    return next(topic for topic in central.subtopics if topic.text == text)


@pytest.fixture(params=["shipped", "rebuilt"])
def leads_map(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "shipped":
        return EXAMPLES / "leads.mmap"
    script = runpy.run_path(str(EXAMPLES / "make_examples.py"))
    script["main"](tmp_path)
    return tmp_path / "leads.mmap"


def test_leads_map_shape(leads_map: Path) -> None:
    central = open_map(leads_map).central_topic
    leads = _branch(central, "Leads")
    contacts = leads.subtopics

    assert central.text == "Sales pipeline"
    assert 5 <= len(contacts) <= 8
    for contact in contacts:
        assert len(contact.text.split()) >= 2
        assert {"Email", "Phone", "Company"} <= set(contact.properties)
        assert "@" in str(contact.properties["Email"].value)
        assert contact.labels and contact.notes
    labels = {label for contact in contacts for label in contact.labels}
    assert {"hot", "newsletter", "partner"} <= labels


def test_leads_map_tasks(leads_map: Path) -> None:
    leads = _branch(open_map(leads_map).central_topic, "Leads")
    tasks = [task for contact in leads.subtopics for task in contact.subtopics]

    assert any(task.text == "Call about renewal" for task in tasks)
    for task in tasks:
        assert task.task is not None and task.task.due is not None
        assert task.task.priority is not None
    assert any(task.task.percentage == 100 for task in tasks if task.task)
    assert any(task.task.percentage != 100 for task in tasks if task.task)


def test_leads_map_ideas_are_plain(leads_map: Path) -> None:
    ideas = _branch(open_map(leads_map).central_topic, "Ideas")
    assert ideas.subtopics
    for idea in ideas.subtopics:
        assert idea.properties == {}
        assert idea.task is None
        assert idea.labels == []


def test_empty_map_has_only_central_topic() -> None:
    mindmap = open_map(EXAMPLES / "empty.mmap")
    assert [topic.text for topic in mindmap.iter_topics()] == ["Sales pipeline"]


def test_examples_pass_schema(schema_folder: Path) -> None:
    for name in ("leads.mmap", "empty.mmap"):
        assert validate_map(open_map(EXAMPLES / name), schema_folder) == []


def test_make_examples_runs_as_script(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "make_examples.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "leads.mmap" in result.stdout
    assert (tmp_path / "empty.mmap").is_file()


def test_topic_child_order_matches_schema(schema_folder: Path) -> None:
    schema = etree.parse(str(schema_folder / "MindManagerApplication.xsd"))
    topic_type = schema.find(f"{XSD}complexType[@name='Topic']")
    sequence = topic_type.find(f".//{XSD}sequence")
    names = [element.get("name") for element in sequence.findall(f"{XSD}element")]

    expected = [tag.rsplit("}", 1)[1] for tag in TOPIC_CHILDREN[1:]]
    assert names == expected
