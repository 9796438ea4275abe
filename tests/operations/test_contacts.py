"""The contact core of the catalog, replayed from cassettes recorded over a real socket."""

from __future__ import annotations

import pytest

from mapbridge.errors import DuplicateContact, NotFound, Unprocessable
from mapbridge.runner import Runner
from tests.operations.conftest import LiveTarget

pytestmark = pytest.mark.vcr

ADA = {
    "firstName": "Ada",
    "lastName": "Lovelace",
    "email": "ada@example.com",
    "phone": "+1 415-555-0100",
    "tags": ["hot"],
}


def test_create_then_get_contact(api: Runner) -> None:
    created = api.run("create_contact", ADA)
    fetched = api.run("get_contact", {"contactId": created["id"]})
    assert fetched["id"] == created["id"]
    assert fetched["email"] == "ada@example.com"
    assert fetched["phone"] == "+14155550100"
    assert fetched["tags"] == ["hot"]


def test_create_duplicate_names_existing(api: Runner) -> None:
    created = api.run("create_contact", ADA)
    with pytest.raises(DuplicateContact) as caught:
        api.run("create_contact", {"firstName": "Augusta", "email": "ADA@example.com"})
    assert caught.value.contact_id == created["id"]
    assert caught.value.matching_field == "email"
    assert created["id"] in caught.value.message


def test_update_contact_adds_tags(api: Runner) -> None:
    created = api.run("create_contact", ADA)
    updated = api.run(
        "update_contact", {"contactId": created["id"], "city": "London", "tags": ["vip"]}
    )
    assert updated["city"] == "London"
    assert sorted(updated["tags"]) == ["hot", "vip"]


def test_update_contact_replaces_tags(api: Runner) -> None:
    created = api.run("create_contact", ADA)
    updated = api.run(
        "update_contact", {"contactId": created["id"], "tags": ["cold"], "replaceTags": True}
    )
    assert updated["tags"] == ["cold"]


def test_update_contact_rejected_phone(api: Runner) -> None:
    created = api.run("create_contact", ADA)
    with pytest.raises(Unprocessable) as caught:
        api.run("update_contact", {"contactId": created["id"], "phone": "+1 (000) 0"})
    assert caught.value.status == 422
    assert caught.value.exit_code == 6
    assert "update_contact" in caught.value.message


def test_delete_contact_then_not_found(api: Runner) -> None:
    created = api.run("create_contact", ADA)
    assert api.run("delete_contact", {"contactId": created["id"]}) == {"succeded": True}
    with pytest.raises(NotFound) as caught:
        api.run("get_contact", {"contactId": created["id"]})
    assert caught.value.exit_code == 5


def test_upsert_contact_creates_then_updates(api: Runner) -> None:
    first = api.run("upsert_contact", {"email": "grace@example.com", "firstName": "Grace"})
    second = api.run("upsert_contact", {"email": "grace@example.com", "lastName": "Hopper"})
    assert first["new"] is True
    assert second["new"] is False
    assert second["contact"]["id"] == first["contact"]["id"]
    assert second["contact"]["lastName"] == "Hopper"


def test_search_contacts_filters_and_limit(api: Runner) -> None:
    for index in range(3):
        api.run(
            "create_contact",
            {
                "firstName": f"Searchable{index}",
                "lastName": "Person",
                "email": f"s{index}@example.com",
                "tags": ["search-me"],
            },
        )
    api.run("create_contact", {"firstName": "Other", "email": "other@example.com"})
    tagged = api.run(
        "search_contacts",
        {
            "filters": [{"field": "tags", "operator": "eq", "value": "search-me"}],
            "sort": [{"field": "dateAdded", "direction": "asc"}],
        },
    )
    limited = api.run("search_contacts", {"query": "Searchable", "limit": 2})
    assert tagged["count"] == 3
    assert [c["firstName"] for c in tagged["contacts"]] == [
        "Searchable0",
        "Searchable1",
        "Searchable2",
    ]
    assert limited["count"] == 2


def test_find_duplicate_contact(api: Runner) -> None:
    created = api.run("create_contact", ADA)
    by_email = api.run("find_duplicate_contact", {"email": "ada@example.com"})
    by_phone = api.run("find_duplicate_contact", {"phone": "+14155550100"})
    nobody = api.run("find_duplicate_contact", {"email": "nobody@example.com"})
    assert by_email["contact"]["id"] == created["id"]
    assert by_phone["contact"]["id"] == created["id"]
    assert nobody["contact"] is None


def test_find_or_create_contact(api: Runner) -> None:
    first = api.run("find_or_create_contact", {"email": "alan@example.com", "firstName": "Alan"})
    second = api.run("find_or_create_contact", {"email": "alan@example.com", "firstName": "Alan"})
    assert first["created"] is True
    assert second["created"] is False
    assert second["contact"]["id"] == first["contact"]["id"]


def test_add_and_remove_contact_tags(api: Runner) -> None:
    created = api.run("create_contact", ADA)
    added = api.run("add_contact_tags", {"contactId": created["id"], "tags": ["vip", "newsletter"]})
    removed = api.run("remove_contact_tags", {"contactId": created["id"], "tags": ["hot"]})
    assert sorted(added["tags"]) == ["hot", "newsletter", "vip"]
    assert sorted(removed["tags"]) == ["newsletter", "vip"]


def test_contact_task_lifecycle(api: Runner) -> None:
    contact = api.run("create_contact", ADA)
    cid = contact["id"]
    task = api.run(
        "create_contact_task",
        {"contactId": cid, "title": "Call Ada", "dueDate": "2026-12-10T15:00:00Z"},
    )
    assert task["completed"] is False
    listed = api.run("list_contact_tasks", {"contactId": cid})
    assert [t["id"] for t in listed["tasks"]] == [task["id"]]
    fetched = api.run("get_contact_task", {"contactId": cid, "taskId": task["id"]})
    assert fetched["title"] == "Call Ada"
    updated = api.run(
        "update_contact_task",
        {"contactId": cid, "taskId": task["id"], "title": "Call Ada about renewal"},
    )
    assert updated["title"] == "Call Ada about renewal"
    completed = api.run("set_contact_task_completed", {"contactId": cid, "taskId": task["id"]})
    assert completed["completed"] is True
    reopened = api.run(
        "set_contact_task_completed", {"contactId": cid, "taskId": task["id"], "completed": False}
    )
    assert reopened["completed"] is False
    found = api.run("search_location_tasks", {"contactId": [cid]})
    assert [t["id"] for t in found["tasks"]] == [task["id"]]
    assert api.run("delete_contact_task", {"contactId": cid, "taskId": task["id"]}) == {
        "succeded": True
    }
    assert api.run("list_contact_tasks", {"contactId": cid})["tasks"] == []


def test_contact_note_lifecycle(api: Runner) -> None:
    contact = api.run("create_contact", ADA)
    cid = contact["id"]
    note = api.run("create_contact_note", {"contactId": cid, "body": "Met at the fair."})
    listed = api.run("list_contact_notes", {"contactId": cid})
    assert [n["id"] for n in listed["notes"]] == [note["id"]]
    fetched = api.run("get_contact_note", {"contactId": cid, "noteId": note["id"]})
    assert fetched["body"] == "Met at the fair."
    updated = api.run(
        "update_contact_note",
        {"contactId": cid, "noteId": note["id"], "body": "Met at the fair; wants a demo."},
    )
    assert updated["body"] == "Met at the fair; wants a demo."
    assert api.run("delete_contact_note", {"contactId": cid, "noteId": note["id"]}) == {
        "succeded": True
    }
    with pytest.raises(NotFound):
        api.run("get_contact_note", {"contactId": cid, "noteId": note["id"]})


def test_list_contact_appointments(api: Runner, live_target: LiveTarget | None) -> None:
    contact = api.run("create_contact", ADA)
    if live_target is not None and live_target.store is not None:
        live_target.store.create_appointment(
            contact["id"],
            calendar_id="BqTwX8QFwXzpegMve9EP",
            title="Demo call",
            start_time="2026-12-12T15:00:00+00:00",
            end_time="2026-12-12T15:30:00+00:00",
        )
    listed = api.run("list_contact_appointments", {"contactId": contact["id"]})
    assert [event["title"] for event in listed["events"]] == ["Demo call"]
    assert listed["events"][0]["contactId"] == contact["id"]


def test_custom_field_definitions_and_values(api: Runner, live_target: LiveTarget | None) -> None:
    if live_target is not None and live_target.store is not None:
        live_target.store.create_custom_field(
            live_target.connection.location_id, "Budget", "TEXT", field_key="contact.budget"
        )
    fields = api.run("list_custom_fields", {"model": "contact"})["customFields"]
    budget = next(field for field in fields if field["fieldKey"] == "contact.budget")
    created = api.run(
        "create_contact",
        {
            "firstName": "Ada",
            "email": "ada@example.com",
            "customFields": [{"id": budget["id"], "field_value": "25000"}],
        },
    )
    fetched = api.run("get_contact", {"contactId": created["id"]})
    assert {"id": budget["id"], "value": "25000"} in fetched["customFields"]
