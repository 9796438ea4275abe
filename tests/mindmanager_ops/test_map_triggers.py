"""The map-watch triggers through the Runner, each check with a new Runner and state store
on the same state file, as after a restart.

Edits go through the map library, as MindManager's own saves would change the file.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from map_cli import invoke

from mapbridge.maps import TRIGGERS
from mapbridge.mindmanager import MindMap, Topic, open_map

Check = Callable[[str, dict[str, Any]], list[dict[str, Any]]]


def edit(path: Path, change: Callable[[MindMap], object]) -> None:
    mindmap = open_map(path)
    change(mindmap)
    mindmap.save()


def at(mindmap: MindMap, *texts: str) -> Topic:
    topic = mindmap.central_topic
    for text in texts:
        topic = next(child for child in topic.subtopics if child.text == text)
    return topic


def give_new_oids(topic: Topic) -> None:
    """Give a topic and its subtopics new OIds, as MindManager does for a copied topic."""
    for element in topic.element.iter(topic.element.tag):
        element.set("OId", base64.b64encode(os.urandom(16)).decode())


def renew_oids(*texts: str) -> Callable[[MindMap], None]:
    def change(mindmap: MindMap) -> None:
        give_new_oids(at(mindmap, *texts))
        mindmap.mark_changed()

    return change


@pytest.mark.parametrize("key", sorted(TRIGGERS))
def test_first_check_is_empty(key: str, leads: Path, check: Check) -> None:
    data = {"map": str(leads)}
    assert check(key, data) == []
    assert check(key, data) == []


def test_new_topic_fires_once(leads: Path, check: Check) -> None:
    data = {"map": str(leads)}
    check("new_topic", data)
    edit(leads, lambda m: at(m, "Leads").add_subtopic("Grace Brewster", labels=["warm"]))
    items = check("new_topic", data)
    assert len(items) == 1
    item = items[0]
    assert item["change"] == "new"
    assert item["topic"]["path"] == ["Sales pipeline", "Leads", "Grace Brewster"]
    assert item["previous"] is None
    assert item["id"].startswith(item["oid"] + ":new:")
    assert check("new_topic", data) == []


def test_new_topics_newest_first(leads: Path, check: Check) -> None:
    data = {"map": str(leads)}
    check("new_topic", data)

    def add_two(mindmap: MindMap) -> None:
        at(mindmap, "Ideas").add_subtopic("First idea")
        at(mindmap, "Ideas").add_subtopic("Second idea")

    edit(leads, add_two)
    items = check("new_topic", data)
    assert [item["topic"]["text"] for item in items] == ["Second idea", "First idea"]
    assert len({item["id"] for item in items}) == 2


def test_updated_topic_names_fields(leads: Path, check: Check) -> None:
    data = {"map": str(leads)}
    check("updated_topic", data)

    def change(mindmap: MindMap) -> None:
        alan = at(mindmap, "Leads", "Alan Turing")
        alan.notes = "Review booked."
        alan.set_properties({"Phone": "+44 20 7946 0000"})
        alan.add_labels(["vip"])

    edit(leads, change)
    [item] = check("updated_topic", data)
    assert item["change"] == "updated"
    assert item["changed"] == ["notes", "labels", "properties.Phone"]
    assert item["previous"]["properties"]["Phone"] == "+44 20 7946 0958"
    assert item["previous"]["labels"] == ["hot"]
    assert item["topic"]["notes"] == "Review booked."
    assert check("updated_topic", data) == []


def test_updated_topic_reports_move(leads: Path, check: Check) -> None:
    data = {"map": str(leads)}
    check("updated_topic", data)
    edit(leads, lambda m: at(m, "Ideas", "Referral bonus").move_to(at(m, "Leads")))
    [item] = check("updated_topic", data)
    assert item["changed"] == ["parent"]
    assert item["previous"]["path"] == ["Sales pipeline", "Ideas", "Referral bonus"]
    assert item["topic"]["path"] == ["Sales pipeline", "Leads", "Referral bonus"]


def test_same_change_twice_fires_twice(leads: Path, check: Check) -> None:
    data = {"map": str(leads)}
    check("updated_topic", data)
    ids = []
    for text in ("Ideas 2025", "Ideas", "Ideas 2025"):
        edit(leads, lambda m, text=text: setattr(at(m, m.central_topic.subtopics[1].text), "text", text))
        [item] = check("updated_topic", data)
        ids.append(item["id"])
    assert len(set(ids)) == 3


def test_deleted_topic_keeps_previous(leads: Path, check: Check) -> None:
    data = {"map": str(leads)}
    check("deleted_topic", data)
    edit(leads, lambda m: at(m, "Leads", "Ada Lovelace").delete())
    items = check("deleted_topic", data)
    assert {item["previous"]["text"] for item in items} == {
        "Ada Lovelace", "Call about renewal", "Send pricing sheet",
    }
    ada = next(item for item in items if item["previous"]["text"] == "Ada Lovelace")
    assert ada["topic"] is None
    assert ada["change"] == "deleted"
    assert ada["id"] == f"{ada['oid']}:deleted:1"
    assert ada["previous"]["path"] == ["Sales pipeline", "Leads", "Ada Lovelace"]
    assert ada["previous"]["hasNotes"] is True
    assert check("deleted_topic", data) == []


def test_new_contact_topic_reads_contact(leads: Path, check: Check) -> None:
    data = {"map": str(leads)}
    check("new_contact_topic", data)

    def add(mindmap: MindMap) -> None:
        at(mindmap, "Leads").add_subtopic(
            "Grace Brewster", labels=["warm"],
            properties={"Email": "Grace@Example.com", "Phone": "(202) 555-0147"},
        )
        at(mindmap, "Ideas").add_subtopic("Not a contact")
        at(mindmap, "Leads", "Ada Lovelace").add_subtopic("A task, not a contact")

    edit(leads, add)
    [item] = check("new_contact_topic", data)
    assert item["topic"]["text"] == "Grace Brewster"
    assert item["contact"]["fields"] == {
        "firstName": "Grace", "lastName": "Brewster", "email": "grace@example.com",
        "phone": "+12025550147",
    }
    assert item["contact"]["tags"] == ["warm"]
    assert item["contact"]["contactId"] is None
    assert check("new_contact_topic", data) == []


def test_updated_contact_topic_only_mapped_fields(leads: Path, check: Check) -> None:
    data = {"map": str(leads)}
    check("updated_contact_topic", data)
    edit(leads, lambda m: setattr(at(m, "Leads", "Ada Lovelace"), "notes", "Not a mapped field."))
    assert check("updated_contact_topic", data) == []

    def change(mindmap: MindMap) -> None:
        ada = at(mindmap, "Leads", "Ada Lovelace")
        ada.set_properties({"Email": "ada@example.org"})
        ada.add_labels(["vip"])

    edit(leads, change)
    [item] = check("updated_contact_topic", data)
    assert item["changed"] == ["email", "tags"]
    assert item["contact"]["fields"]["email"] == "ada@example.org"
    assert item["previous"]["contact"]["fields"]["email"] == "ada@analytical-engines.example"


def test_contact_trigger_with_mapping_file(twins: Path, tmp_path: Path, check: Check) -> None:
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"contacts_branch": ["Website"]}), encoding="utf-8")
    data = {"map": str(twins), "mapping": str(mapping)}
    check("new_contact_topic", data)
    edit(twins, lambda m: at(m, "Website").add_subtopic("Ada Lovelace"))
    [item] = check("new_contact_topic", data)
    assert item["contact"]["fields"] == {"firstName": "Ada", "lastName": "Lovelace"}


def test_updated_task_topic(leads: Path, check: Check) -> None:
    data = {"map": str(leads)}
    check("updated_task_topic", data)
    edit(leads, lambda m: at(m, "Leads", "Katherine Johnson").add_labels(["vip"]))
    edit(leads, lambda m: at(m, "Leads", "Ada Lovelace", "Call about renewal").add_labels(["x"]))
    assert check("updated_task_topic", data) == []

    def change(mindmap: MindMap) -> None:
        call = at(mindmap, "Leads", "Ada Lovelace", "Call about renewal")
        call.set_task(due="2025-03-21T10:00:00", priority=2)
        call.text = "Call about the renewal"

    edit(leads, change)
    [item] = check("updated_task_topic", data)
    assert item["changed"] == ["text", "task.priority", "task.due"]
    assert item["previous"]["task"]["due"] == "2025-03-14T10:00:00"


def test_completed_task_topic(leads: Path, check: Check) -> None:
    data = {"map": str(leads)}
    check("completed_task_topic", data)
    call = ("Leads", "Grace Hopper", "Call about renewal")
    ids = []
    for percentage, fires in ((100, True), (50, False), (100, True), (100, False)):
        edit(leads, lambda m, value=percentage: at(m, *call).set_task(percentage=value))
        items = check("completed_task_topic", data)
        assert len(items) == (1 if fires else 0), percentage
        ids += [item["id"] for item in items]
    assert len(set(ids)) == 2

    edit(leads, lambda m: at(m, "Ideas").add_subtopic("Done already", task={"percentage": 100}))
    [item] = check("completed_task_topic", data)
    assert item["change"] == "completed"
    assert item["topic"]["text"] == "Done already"


def test_topic_labels_changed(leads: Path, check: Check) -> None:
    data = {"map": str(leads)}
    check("topic_labels_changed", data)

    def change(mindmap: MindMap) -> None:
        edsger = at(mindmap, "Leads", "Edsger Dijkstra")
        edsger.remove_labels(["newsletter"])
        edsger.add_labels(["vip"])
        at(mindmap, "Leads", "Alan Turing").notes = "No label change."

    edit(leads, change)
    [item] = check("topic_labels_changed", data)
    assert item["labelsAdded"] == ["vip"]
    assert item["labelsRemoved"] == ["newsletter"]
    assert item["changed"] == ["labels"]


def test_new_oid_is_no_delete_and_new(leads: Path, check: Check) -> None:
    data = {"map": str(leads)}
    for key in ("new_topic", "deleted_topic", "updated_topic"):
        check(key, data)
    edit(leads, renew_oids("Leads", "Ada Lovelace"))
    for key in ("new_topic", "deleted_topic", "updated_topic"):
        assert check(key, data) == [], key


def test_new_oid_with_edit_is_update(leads: Path, check: Check) -> None:
    data = {"map": str(leads)}
    check("updated_topic", data)
    old_oid = at(open_map(leads), "Ideas", "Referral bonus").oid

    def change(mindmap: MindMap) -> None:
        idea = at(mindmap, "Ideas", "Referral bonus")
        give_new_oids(idea)
        idea.notes = "Pay 10 % of the first year."
        mindmap.mark_changed()

    edit(leads, change)
    [item] = check("updated_topic", data)
    assert item["previousOid"] == old_oid
    assert item["oid"] != old_oid
    assert item["changed"] == ["notes"]


def test_copied_whole_map_matches_by_text(leads: Path, check: Check) -> None:
    data = {"map": str(leads)}
    check("deleted_topic", data)
    check("new_topic", data)

    def copy_all(mindmap: MindMap) -> None:
        give_new_oids(mindmap.central_topic)
        mindmap.mark_changed()

    edit(leads, copy_all)
    assert check("deleted_topic", data) == []
    assert check("new_topic", data) == []


def test_contact_with_new_oid_matches_by_email(leads: Path, check: Check) -> None:
    data = {"map": str(leads)}
    check("new_contact_topic", data)
    check("updated_contact_topic", data)

    def rename_copy(mindmap: MindMap) -> None:
        ada = at(mindmap, "Leads", "Ada Lovelace")
        give_new_oids(ada)
        ada.text = "Ada King"
        mindmap.mark_changed()

    edit(leads, rename_copy)
    assert check("new_contact_topic", data) == []
    [item] = check("updated_contact_topic", data)
    assert item["changed"] == ["lastName"]
    assert item["previousOid"] != item["oid"]


def test_branch_limits_scope(leads: Path, check: Check) -> None:
    data = {"map": str(leads), "branch": "Ideas"}
    check("new_topic", data)
    edit(leads, lambda m: at(m, "Leads").add_subtopic("Outside"))
    assert check("new_topic", data) == []
    edit(leads, lambda m: at(m, "Ideas").add_subtopic("Inside"))
    [item] = check("new_topic", data)
    assert item["topic"]["text"] == "Inside"


def test_renamed_branch_followed_by_oid(leads: Path, check: Check) -> None:
    data = {"map": str(leads), "branch": ["Ideas"]}
    check("new_topic", data)

    def rename_and_add(mindmap: MindMap) -> None:
        ideas = at(mindmap, "Ideas")
        ideas.text = "Ideas 2025"
        ideas.add_subtopic("Inside the renamed branch")

    edit(leads, rename_and_add)
    [item] = check("new_topic", data)
    assert item["topic"]["path"] == ["Sales pipeline", "Ideas 2025", "Inside the renamed branch"]


def test_missing_contacts_branch(twins: Path) -> None:
    result = invoke("poll", "new_contact_topic", "--text", "--input", json.dumps({"map": str(twins)}))
    assert result.exit_code == 2
    assert "has no contacts branch" in result.output
    assert "Traceback" not in result.output


def test_missing_watched_branch(leads: Path) -> None:
    data = {"map": str(leads), "branch": "Archive"}
    result = invoke("poll", "new_topic", "--text", "--input", json.dumps(data))
    assert result.exit_code == 2
    assert "No topic 'Archive'" in result.output
