"""The six sync actions of the catalog, each run through the runner against the sandbox."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mapbridge.cli import cli
from mapbridge.runner import Runner
from mapbridge.sandbox import RunningServer
from tests.sync.conftest import run_sync, topic_named, write_mapping

CONTACT_ID = "HighLevel Contact ID"


def run_action(key: str, data: dict) -> dict:
    result = CliRunner().invoke(cli, ["run", key, "--json", "--input", json.dumps(data)])
    assert result.exit_code == 0, result.output
    report: dict = json.loads(result.stdout)
    return report


def test_push_contact_topic_one_topic(
    connected: RunningServer, leads_map: Path, api: Runner
) -> None:
    report = run_action(
        "push_contact_topic", {"map": str(leads_map), "topic": "Leads / Ada Lovelace"}
    )
    assert report["summary"] == {"contacts_created": 1, "tags_added": 2}
    assert report["apiWrites"] == 1
    contacts = api.run("search_contacts", {})["contacts"]
    assert [c["firstName"] for c in contacts] == ["Ada"]
    _, topic = topic_named(leads_map, "Ada Lovelace")
    assert topic.properties[CONTACT_ID].value == contacts[0]["id"]
    again = run_action(
        "push_contact_topic", {"map": str(leads_map), "topic": "Leads / Ada Lovelace"}
    )
    assert again["apiWrites"] == 0


def test_tag_contacts_from_map(connected: RunningServer, leads_map: Path, api: Runner) -> None:
    run_sync(leads_map)
    mindmap, topic = topic_named(leads_map, "Margaret Hamilton")
    topic.add_labels(["speaker"])
    topic.remove_labels(["partner"])
    mindmap.save()
    report = run_action("tag_contacts_from_map", {"map": str(leads_map)})
    assert report["summary"]["tags_added"] == 1
    assert report["summary"]["tags_removed"] == 1
    operations = sorted(call["operation"] for call in report["calls"] if call["write"])
    assert operations == ["add_contact_tags", "remove_contact_tags"]
    contact = api.run("get_contact", {"contactId": topic.properties[CONTACT_ID].value})
    assert sorted(contact["tags"]) == ["hot", "speaker"]


def test_pull_contact_into_topic(connected: RunningServer, leads_map: Path, api: Runner) -> None:
    run_sync(leads_map)
    _, topic = topic_named(leads_map, "Alan Turing")
    contact_id = topic.properties[CONTACT_ID].value
    api.run("update_contact", {"contactId": contact_id, "city": "Manchester"})
    api.run("create_contact_note", {"contactId": contact_id, "body": "Prefers mornings."})
    report = run_action(
        "pull_contact_into_topic", {"map": str(leads_map), "topic": "Leads / Alan Turing"}
    )
    assert report["apiWrites"] == 0
    mapping = write_mapping(leads_map.parent, {"properties": {"Email": "email", "City": "city"}})
    report = run_action(
        "pull_contact_into_topic",
        {"map": str(leads_map), "mapping": str(mapping), "topic": "Leads / Alan Turing"},
    )
    assert report["apiWrites"] == 0
    _, topic = topic_named(leads_map, "Alan Turing")
    assert topic.properties["City"].value == "Manchester"
    assert "Prefers mornings." in [child.text for child in topic.subtopics]


def test_push_task_topic(connected: RunningServer, leads_map: Path, api: Runner) -> None:
    run_sync(leads_map)
    mindmap, task = topic_named(leads_map, "Prepare contract draft")
    task.text = "Prepare contract draft v2"
    mindmap.save()
    report = run_action("push_task_topic", {"map": str(leads_map), "topic": task.oid})
    assert [c["operation"] for c in report["calls"] if c["write"]] == ["update_contact_task"]
    contact_id = task.parent.properties[CONTACT_ID].value
    tasks = api.run("list_contact_tasks", {"contactId": contact_id})["tasks"]
    assert [t["title"] for t in tasks] == ["Prepare contract draft v2"]


def test_create_milestone_tasks(connected: RunningServer, leads_map: Path, api: Runner) -> None:
    run_sync(leads_map)
    mapping = write_mapping(
        leads_map.parent,
        {
            "milestones": [
                {
                    "name": "vip",
                    "tag": "vip",
                    "task_title": "Send welcome pack to {firstName}",
                    "due_in_days": 2,
                    "priority": 1,
                }
            ]
        },
    )
    _, topic = topic_named(leads_map, "Katherine Johnson")
    api.run("add_contact_tags", {"contactId": topic.properties[CONTACT_ID].value, "tags": ["vip"]})

    report = run_action("create_milestone_tasks", {"map": str(leads_map), "mapping": str(mapping)})
    assert report["summary"] == {"contacts_unchanged": 6, "milestone_tasks": 1}
    _, topic = topic_named(leads_map, "Katherine Johnson")
    added = [child for child in topic.subtopics if child.text == "Send welcome pack to Katherine"]
    assert len(added) == 1
    assert added[0].task.priority == 1
    assert added[0].task.due is not None

    again = run_action(
        "create_milestone_tasks", {"map": str(leads_map), "mapping": str(mapping), "full": True}
    )
    assert again["summary"].get("milestone_tasks", 0) == 0
    synced = run_sync(leads_map, "--mapping", str(mapping))
    assert synced.count("tasks_created") == 1


def test_milestone_on_contact_created_same_run(connected: RunningServer, leads_map: Path) -> None:
    mapping = write_mapping(
        leads_map.parent,
        {"milestones": [{"name": "hot", "tag": "hot", "task_title": "Call {firstName} this week"}]},
    )
    first = run_sync(leads_map, "--mapping", str(mapping))
    assert first.count("milestone_tasks") == 3
    assert first.count("tasks_created") == 6 + 3
    second = run_sync(leads_map, "--mapping", str(mapping))
    assert second.count("milestone_tasks") == 0
    assert second.writes == []
