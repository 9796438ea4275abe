"""Tasks, notes, tags, followers, appointments and the location in the sandbox."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sandbox_client import LOCATION, create_contact

from mapbridge.sandbox import RunningServer


@pytest.fixture
def contact(api: httpx.Client) -> dict[str, Any]:
    return create_contact(api, firstName="Ann", email="ann@example.com", tags=["VIP"])


def test_task_lifecycle(api: httpx.Client, contact: dict[str, Any]) -> None:
    base = f"/contacts/{contact['id']}/tasks"

    created = api.post(
        base, json={"title": "Call", "dueDate": "2030-10-25T11:00:00Z", "completed": False}
    )
    task = created.json()["task"]
    updated = api.put(
        f"{base}/{task['id']}", json={"title": "Call back", "assignedTo": "User0000000000000001"}
    )
    completed = api.put(f"{base}/{task['id']}/completed", json={"completed": True})
    listed = api.get(base)
    deleted = api.delete(f"{base}/{task['id']}")

    assert created.status_code == 201
    assert task["dueDate"] == "2030-10-25T11:00:00.000Z"
    assert task["contactId"] == contact["id"]
    assert updated.json()["task"]["title"] == "Call back"
    assert completed.json()["task"]["completed"] is True
    assert [t["id"] for t in listed.json()["tasks"]] == [task["id"]]
    assert deleted.json() == {"succeded": True}
    assert api.get(f"{base}/{task['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"title": "Call", "completed": False}, "dueDate should not be empty"),
        ({"title": "Call", "dueDate": "soon", "completed": False}, "dueDate must be a valid ISO 8601"),
        ({"title": "Call", "dueDate": "2030-01-01", "completed": "no"}, "completed must be a boolean value"),
        ({"title": "", "dueDate": "2030-01-01", "completed": True}, "title should not be empty"),
        ({"title": "Call", "dueDate": "2030-01-01", "completed": True, "status": "x"}, "property status should not exist"),
    ],
)  # fmt: skip
def test_bad_task_is_422(
    api: httpx.Client, contact: dict[str, Any], body: dict[str, Any], message: str
) -> None:
    response = api.post(f"/contacts/{contact['id']}/tasks", json=body)

    assert response.status_code == 422
    assert message in " | ".join(response.json()["message"])


def test_location_task_search(api: httpx.Client, contact: dict[str, Any]) -> None:
    other = create_contact(api, firstName="Bob")
    base = f"/contacts/{contact['id']}/tasks"
    api.post(
        base, json={"title": "Send quote", "dueDate": "2030-01-02T00:00:00Z", "completed": True}
    )
    api.post(base, json={"title": "Call", "dueDate": "2030-01-01T00:00:00Z", "completed": False})
    api.post(
        f"/contacts/{other['id']}/tasks",
        json={"title": "Call", "dueDate": "2030-01-03T00:00:00Z", "completed": False},
    )
    url = f"/locations/{LOCATION}/tasks/search"

    def titles(body: dict[str, Any]) -> list[str]:
        return [task["title"] for task in api.post(url, json=body).json()["tasks"]]

    assert titles({}) == ["Call", "Send quote", "Call"]
    assert titles({"contactId": [contact["id"]]}) == ["Call", "Send quote"]
    assert titles({"completed": True}) == ["Send quote"]
    assert titles({"query": "QUOTE"}) == ["Send quote"]
    assert titles({"limit": 1, "skip": 2}) == ["Call"]


def test_note_lifecycle(api: httpx.Client, contact: dict[str, Any]) -> None:
    base = f"/contacts/{contact['id']}/notes"

    created = api.post(
        base, json={"body": "Prefers email.", "title": "Summary", "color": "#FFAA00"}
    )
    note = created.json()["note"]
    updated = api.put(f"{base}/{note['id']}", json={"pinned": True})
    fetched = api.get(f"{base}/{note['id']}")
    listed = api.get(base)
    deleted = api.delete(f"{base}/{note['id']}")

    assert created.status_code == 201
    assert note["body"] == "Prefers email."
    assert note["contactId"] == contact["id"]
    assert updated.json()["note"]["pinned"] is True
    assert fetched.json()["note"]["title"] == "Summary"
    assert [n["id"] for n in listed.json()["notes"]] == [note["id"]]
    assert deleted.json() == {"succeded": True}
    assert api.get(f"{base}/{note['id']}").status_code == 404


def test_note_without_body_is_422(api: httpx.Client, contact: dict[str, Any]) -> None:
    response = api.post(f"/contacts/{contact['id']}/notes", json={"title": "Empty"})

    assert response.status_code == 422
    assert response.json()["message"] == ["body should not be empty"]


def test_contact_tags_add_and_remove(api: httpx.Client, contact: dict[str, Any]) -> None:
    base = f"/contacts/{contact['id']}/tags"

    added = api.post(base, json={"tags": ["vip", "Newsletter", "newsletter"]})
    removed = api.request("DELETE", base, json={"tags": ["NEWSLETTER"]})

    assert added.status_code == 201
    assert added.json() == {"tags": ["VIP", "Newsletter"]}
    assert removed.status_code == 200
    assert removed.json() == {"tags": ["VIP"]}


def test_tags_keep_first_spelling(api: httpx.Client) -> None:
    first = create_contact(api, tags=["Spring Promo"])

    second = create_contact(api, tags=["spring promo"])
    defined = api.get(f"/locations/{LOCATION}/tags").json()["tags"]

    assert first["tags"] == ["Spring Promo"]
    assert second["tags"] == ["Spring Promo"]
    assert [tag["name"] for tag in defined].count("Spring Promo") == 1


def test_location_tag_lifecycle(api: httpx.Client, contact: dict[str, Any]) -> None:
    base = f"/locations/{LOCATION}/tags"

    created = api.post(base, json={"name": "Partner"})
    tag = created.json()["tag"]
    clash = api.post(base, json={"name": "partner"})
    renamed = api.put(f"{base}/{tag['id']}", json={"name": "Partners"})
    vip = next(t for t in api.get(base).json()["tags"] if t["name"] == "VIP")
    deleted = api.delete(f"{base}/{vip['id']}")

    assert created.status_code == 200
    assert tag["locationId"] == LOCATION
    assert clash.status_code == 400
    assert renamed.json()["tag"]["name"] == "Partners"
    assert api.get(f"{base}/{tag['id']}").json()["tag"]["name"] == "Partners"
    assert deleted.json() == {"succeded": True}
    assert api.get(f"/contacts/{contact['id']}").json()["contact"]["tags"] == []


def test_followers_add_and_remove(api: httpx.Client, contact: dict[str, Any]) -> None:
    base = f"/contacts/{contact['id']}/followers"

    added = api.post(base, json={"followers": ["User0000000000000001", "User0000000000000002"]})
    again = api.post(base, json={"followers": ["User0000000000000002"]})
    removed = api.request("DELETE", base, json={"followers": ["User0000000000000001"]})

    assert added.status_code == 201
    assert added.json()["followersAdded"] == ["User0000000000000001", "User0000000000000002"]
    assert again.json()["followersAdded"] == []
    assert removed.json() == {
        "followers": ["User0000000000000002"],
        "followersRemoved": ["User0000000000000001"],
    }


def test_contact_appointments(
    api: httpx.Client, sandbox: RunningServer, contact: dict[str, Any]
) -> None:
    sandbox.store.create_appointment(
        contact["id"],
        calendar_id="Calendar000000000001",
        title="Consultation",
        start_time="2030-07-16T11:00:00-05:00",
        end_time="2030-07-16T11:30:00-05:00",
    )

    response = api.get(f"/contacts/{contact['id']}/appointments")
    events = response.json()["events"]

    assert response.status_code == 200
    assert [event["title"] for event in events] == ["Consultation"]
    assert events[0]["contactId"] == contact["id"]
    assert events[0]["locationId"] == LOCATION


def test_get_location(api: httpx.Client, sandbox: RunningServer) -> None:
    sandbox.store.set_allow_duplicates(LOCATION, True)

    location = api.get(f"/locations/{LOCATION}").json()["location"]

    assert location["id"] == LOCATION
    assert location["settings"]["allowDuplicateContact"] is True
    assert location["timezone"] == "America/Chicago"


def test_delete_contact_removes_its_tasks(api: httpx.Client, contact: dict[str, Any]) -> None:
    api.post(
        f"/contacts/{contact['id']}/tasks",
        json={"title": "Call", "dueDate": "2030-01-01", "completed": False},
    )

    api.delete(f"/contacts/{contact['id']}")

    assert api.post(f"/locations/{LOCATION}/tasks/search", json={}).json() == {"tasks": []}
