"""The sync end to end against the sandbox server over a real socket."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mapbridge.mindmanager import open_map
from mapbridge.runner import Runner
from mapbridge.sandbox import SANDBOX_LOCATION_ID, RunningServer
from tests.sync.conftest import run_sync, topic_named

CONTACT_ID = "HighLevel Contact ID"
TASK_ID = "HighLevel Task ID"


def all_contacts(api: Runner) -> list[dict]:
    return api.run("search_contacts", {})["contacts"]


def test_first_sync_creates_everything(
    connected: RunningServer, leads_map: Path, api: Runner
) -> None:
    result = run_sync(leads_map)
    assert result.exit_code == 0, result.output
    assert result.count("contacts_created") == 6
    assert result.count("tasks_created") == 6
    assert result.count("notes_created") == 6
    assert result.report["mapSaved"] is True
    assert {call["operation"] for call in result.writes} == {
        "create_contact",
        "create_contact_task",
        "create_contact_note",
    }
    contacts = {c["email"]: c for c in all_contacts(api)}
    assert len(contacts) == 6
    ada = contacts["ada@analytical-engines.example"]
    assert sorted(ada["tags"]) == ["hot", "newsletter"]
    assert ada["phone"] == "+14155550100"
    _, topic = topic_named(leads_map, "Ada Lovelace")
    assert topic.properties[CONTACT_ID].value == ada["id"]
    tasks = api.run("list_contact_tasks", {"contactId": ada["id"]})["tasks"]
    assert sorted(t["title"] for t in tasks) == ["Call about renewal", "Send pricing sheet"]
    assert {t["title"]: t["completed"] for t in tasks}["Send pricing sheet"] is True
    for task_topic in topic.subtopics:
        assert task_topic.properties[TASK_ID].value in {t["id"] for t in tasks}


def test_contact_with_labels_costs_one_request(connected: RunningServer, leads_map: Path) -> None:
    result = run_sync(leads_map)
    ada_calls = [c for c in result.writes if c["operation"] == "create_contact"]
    assert len(ada_calls) == 6
    assert not [c for c in result.writes if c["operation"] == "add_contact_tags"]


def test_rerun_makes_no_write(connected: RunningServer, leads_map: Path) -> None:
    first = run_sync(leads_map)
    before = leads_map.read_bytes()
    second = run_sync(leads_map)
    third = run_sync(leads_map)
    assert first.exit_code == 0
    assert second.exit_code == 0
    assert second.writes == []
    assert third.writes == []
    assert second.report["mapEdits"] == 0
    assert second.report["mapSaved"] is False
    assert leads_map.read_bytes() == before
    assert "No changes" in run_sync(leads_map, "--text").output


def test_map_edits_flow_to_api(connected: RunningServer, leads_map: Path, api: Runner) -> None:
    run_sync(leads_map)
    mindmap, topic = topic_named(leads_map, "Ada Lovelace")
    contact_id = topic.properties[CONTACT_ID].value
    topic.set_properties({"Email": "ada@lovelace.example"})
    topic.add_labels(["vip"])
    topic.remove_labels(["newsletter"])
    call_task = next(t for t in topic.subtopics if t.text == "Call about renewal")
    call_task.set_task(percentage=100)
    mindmap.save()

    result = run_sync(leads_map)
    assert result.exit_code == 0, result.output
    operations = sorted(call["operation"] for call in result.writes)
    assert operations == [
        "add_contact_tags",
        "remove_contact_tags",
        "set_contact_task_completed",
        "update_contact",
    ]
    contact = api.run("get_contact", {"contactId": contact_id})
    assert contact["email"] == "ada@lovelace.example"
    assert sorted(contact["tags"]) == ["hot", "vip"]
    task_id = call_task.properties[TASK_ID].value
    assert api.run("get_contact_task", {"contactId": contact_id, "taskId": task_id})["completed"]
    assert run_sync(leads_map).writes == []


def test_api_changes_flow_to_map(connected: RunningServer, leads_map: Path, api: Runner) -> None:
    run_sync(leads_map)
    _, topic = topic_named(leads_map, "Grace Hopper")
    contact_id = topic.properties[CONTACT_ID].value
    api.run(
        "update_contact", {"contactId": contact_id, "phone": "+12025550199", "tags": ["speaker"]}
    )
    api.run("remove_contact_tags", {"contactId": contact_id, "tags": ["partner"]})
    task_id = topic.subtopics[0].properties[TASK_ID].value
    api.run("set_contact_task_completed", {"contactId": contact_id, "taskId": task_id})
    api.run(
        "create_contact_task",
        {
            "contactId": contact_id,
            "title": "Send conference slides",
            "dueDate": "2026-12-20T10:00:00Z",
        },
    )
    api.run("create_contact_note", {"contactId": contact_id, "body": "Keynote booked for May."})

    result = run_sync(leads_map)
    assert result.exit_code == 0, result.output
    assert result.writes == []
    _, topic = topic_named(leads_map, "Grace Hopper")
    assert topic.properties["Phone"].value == "+12025550199"
    assert sorted(topic.labels) == ["speaker"]
    texts = {child.text: child for child in topic.subtopics}
    assert texts["Call about renewal"].task.percentage == 100
    assert "Send conference slides" in texts
    assert texts["Send conference slides"].task.due is not None
    assert "Keynote booked for May." in texts
    assert run_sync(leads_map).writes == []


@pytest.mark.parametrize(
    ("prefer", "expected_email"),
    [(None, None), ("map", "map@example.com"), ("api", "api@example.com")],
)
def test_conflict_resolution(
    connected: RunningServer,
    leads_map: Path,
    api: Runner,
    prefer: str | None,
    expected_email: str | None,
) -> None:
    run_sync(leads_map)
    mindmap, topic = topic_named(leads_map, "Alan Turing")
    contact_id = topic.properties[CONTACT_ID].value
    topic.set_properties({"Email": "map@example.com"})
    mindmap.save()
    api.run("update_contact", {"contactId": contact_id, "email": "api@example.com"})

    args = ["--prefer", prefer] if prefer else []
    result = run_sync(leads_map, *args)
    _, topic = topic_named(leads_map, "Alan Turing")
    contact = api.run("get_contact", {"contactId": contact_id})
    if prefer is None:
        assert result.exit_code == 12
        assert [c["field"] for c in result.report["conflicts"]] == ["email"]
        assert topic.properties["Email"].value == "map@example.com"
        assert contact["email"] == "api@example.com"
    else:
        assert result.exit_code == 0, result.output
        assert topic.properties["Email"].value == expected_email
        assert contact["email"] == expected_email


def test_bad_topics_reported_rest_synced(
    connected: RunningServer, leads_map: Path, api: Runner
) -> None:
    mindmap = open_map(leads_map)
    leads = next(t for t in mindmap.central_topic.subtopics if t.text == "Leads")
    leads.add_subtopic("Bad Email", properties={"Email": "not-an-email"})
    leads.add_subtopic("Bad Phone", properties={"Phone": "12"})
    no_due = leads.add_subtopic("Linus Torvalds", properties={"Email": "linus@example.com"})
    no_due.add_subtopic("Review patches", task={"percentage": 0})
    mindmap.save()

    result = run_sync(leads_map)
    assert result.exit_code == 12
    messages = {p["topic"]: p["message"] for p in result.report["problems"]}
    assert "invalid email 'not-an-email'" in messages["Leads / Bad Email"]
    assert "cannot be made E.164" in messages["Leads / Bad Phone"]
    assert "no due date" in messages["Leads / Linus Torvalds / Review patches"]
    emails = {c["email"] for c in all_contacts(api)}
    assert "linus@example.com" in emails
    assert len(emails) == 7
    mindmap = open_map(leads_map)
    texts = [t.text for t in mindmap.iter_topics()]
    assert "Bad Email" in texts
    assert "Review patches" in texts


def test_map_without_contact_branch(connected: RunningServer, tmp_path: Path) -> None:
    empty = tmp_path / "empty.mmap"
    empty.write_bytes((Path(__file__).resolve().parents[2] / "examples/empty.mmap").read_bytes())
    result = run_sync(empty)
    assert result.exit_code == 12
    assert "no contact branch" in result.report["problems"][0]["message"]
    assert result.report["calls"] == []


def test_contact_deleted_in_api(connected: RunningServer, leads_map: Path, api: Runner) -> None:
    run_sync(leads_map)
    _, topic = topic_named(leads_map, "Katherine Johnson")
    contact_id = topic.properties[CONTACT_ID].value
    api.run("delete_contact", {"contactId": contact_id})
    result = run_sync(leads_map, "--full")
    assert result.exit_code == 12
    assert any("deleted in HighLevel" in p["message"] for p in result.report["problems"])
    assert not [c for c in result.writes if c["operation"] == "create_contact"]
    _, topic = topic_named(leads_map, "Katherine Johnson")
    assert topic.properties[CONTACT_ID].value == contact_id


def test_topic_with_new_oid_keeps_link(
    connected: RunningServer, leads_map: Path, api: Runner
) -> None:
    run_sync(leads_map)
    mindmap, topic = topic_named(leads_map, "Edsger Dijkstra")
    topic.element.set("OId", mindmap.new_oid())
    mindmap.mark_changed()
    mindmap.save()
    result = run_sync(leads_map)
    assert result.exit_code == 0, result.output
    assert not [c for c in result.writes if c["operation"] == "create_contact"]
    assert len(all_contacts(api)) == 6


def test_dry_run_changes_nothing(connected: RunningServer, leads_map: Path, api: Runner) -> None:
    before = leads_map.read_bytes()
    result = run_sync(leads_map, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.report["dryRun"] is True
    assert len(result.writes) == 18
    assert all(call["planned"] for call in result.report["calls"])
    assert leads_map.read_bytes() == before
    assert all_contacts(api) == []
    text = run_sync(leads_map, "--dry-run", "--text").output
    assert "POST   /contacts/" in text
    assert "nothing was changed" in text


def test_second_map_links_existing_records(
    connected: RunningServer, leads_map: Path, api: Runner, tmp_path: Path
) -> None:
    run_sync(leads_map)
    copy = tmp_path / "copy-of-leads.mmap"
    copy.write_bytes((Path(__file__).resolve().parents[2] / "examples/leads.mmap").read_bytes())
    result = run_sync(copy)
    assert result.exit_code == 0, result.output
    assert result.count("contacts_matched") == 6
    assert result.count("tasks_matched") == 6
    assert result.count("notes_matched") == 6
    assert [c for c in result.writes if c["operation"] != "create_contact"] == []
    assert len(all_contacts(api)) == 6
    assert len(api.run("search_location_tasks", {})["tasks"]) == 6
    assert run_sync(copy).writes == []


def test_dry_run_plans_matches(connected: RunningServer, leads_map: Path, tmp_path: Path) -> None:
    run_sync(leads_map)
    copy = tmp_path / "copy-of-leads.mmap"
    copy.write_bytes((Path(__file__).resolve().parents[2] / "examples/leads.mmap").read_bytes())
    plan = run_sync(copy, "--dry-run")
    assert plan.count("contacts_matched") == 6
    assert plan.count("contacts_created") == 0
    assert [c for c in plan.writes if c["operation"] == "create_contact"] == []
    done = run_sync(copy)
    assert done.count("contacts_matched") == 6


def test_real_run_calls_name_topics(connected: RunningServer, leads_map: Path) -> None:
    result = run_sync(leads_map)
    creates = [c for c in result.writes if c["operation"] == "create_contact"]
    assert "Leads / Ada Lovelace" in {c["topic"] for c in creates}
    task_topics = {c["topic"] for c in result.writes if c["operation"] == "create_contact_task"}
    assert "Leads / Ada Lovelace / Call about renewal" in task_topics


def test_custom_fields_sync_both_ways(
    connected: RunningServer, leads_map: Path, api: Runner, tmp_path: Path
) -> None:
    field = connected.store.create_custom_field(
        SANDBOX_LOCATION_ID, "Budget", "TEXT", field_key="contact.budget"
    )
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps({"custom_fields": {"Budget": "contact.budget", "Region": "contact.region"}})
    )
    mindmap, topic = topic_named(leads_map, "Ada Lovelace")
    topic.set_properties({"Budget": "25000"})
    mindmap.save()

    first = run_sync(leads_map, "--mapping", str(mapping))
    assert first.exit_code == 12
    assert ["custom field 'contact.region'" in p["message"] for p in first.report["problems"]] == [
        True
    ]
    _, topic = topic_named(leads_map, "Ada Lovelace")
    contact_id = topic.properties[CONTACT_ID].value
    contact = api.run("get_contact", {"contactId": contact_id})
    assert {"id": field["id"], "value": "25000"} in contact["customFields"]

    api.run(
        "update_contact",
        {"contactId": contact_id, "customFields": [{"id": field["id"], "field_value": "30000"}]},
    )
    run_sync(leads_map, "--mapping", str(mapping))
    _, topic = topic_named(leads_map, "Ada Lovelace")
    assert topic.properties["Budget"].value == "30000"
