"""Every sandbox endpoint against HighLevel's official OpenAPI documents.

One realistic exchange per endpoint, plus the documented error statuses, is checked with
:func:`openapi_contract.assert_conforms`. The tests skip without ``MAPBRIDGE_OPENAPI_DIR``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from openapi_contract import assert_conforms, require_openapi_dir
from sandbox_client import LOCATION, api_headers

from mapbridge.sandbox import RunningServer


@pytest.fixture
def exchanges() -> list[httpx.Response]:
    """The responses a test received, to be checked after its calls."""
    require_openapi_dir()
    return []


@pytest.fixture
def client(sandbox: RunningServer, exchanges: list[httpx.Response]) -> Iterator[httpx.Client]:
    """A client of the default location that records each response in ``exchanges``."""

    def collect(response: httpx.Response) -> None:
        response.read()
        exchanges.append(response)

    with httpx.Client(
        base_url=sandbox.base_url, headers=api_headers(), event_hooks={"response": [collect]}
    ) as client:
        yield client


def check_all(exchanges: list[httpx.Response], *, check_requests: bool = True) -> None:
    assert exchanges
    for response in exchanges:
        assert_conforms(response.request, response, check_request=check_requests)


def test_contact_endpoints_conform(
    client: httpx.Client, sandbox: RunningServer, exchanges: list[httpx.Response]
) -> None:
    level = sandbox.store.create_custom_field(LOCATION, "Membership Level", "SINGLE_OPTIONS")
    body: dict[str, Any] = {
        "locationId": LOCATION,
        "firstName": "Rosan",
        "lastName": "Deo",
        "email": "rosan@deos.example",
        "phone": "+1 888-888-8888",
        "address1": "3535 1st St N",
        "city": "Dolomite",
        "state": "AL",
        "postalCode": "35061",
        "country": "US",
        "website": "https://deos.example",
        "timezone": "America/Chicago",
        "dnd": False,
        "dndSettings": {"Email": {"status": "inactive", "message": "", "code": ""}},
        "tags": ["VIP", "newsletter"],
        "customFields": [{"id": level["id"], "field_value": "Gold"}],
        "source": "public api",
        "companyName": "DGS VolMAX",
    }
    # dateOfBirth is left out: the document types it as an object, although its description
    # and example give a date string.
    contact = client.post("/contacts/", json=body).json()["contact"]
    contact_id = contact["id"]

    client.get(f"/contacts/{contact_id}")
    client.put(f"/contacts/{contact_id}", json={"lastName": "Doe", "tags": ["VIP"]})
    client.post(
        "/contacts/upsert",
        json={"locationId": LOCATION, "email": "rosan@deos.example", "city": "Austin"},
    )
    client.post("/contacts/upsert", json={"locationId": LOCATION, "email": "new@deos.example"})
    client.post("/contacts/search", json={
        "locationId": LOCATION, "pageLimit": 10, "page": 1,
        "filters": [{"field": "tags", "operator": "eq", "value": "vip"}],
        "sort": [{"field": "dateAdded", "direction": "desc"}],
    })  # fmt: skip
    client.get(
        "/contacts/search/duplicate", params={"locationId": LOCATION, "email": "rosan@deos.example"}
    )
    client.get("/contacts/", params={"locationId": LOCATION, "limit": 1})
    client.post(f"/contacts/{contact_id}/tags", json={"tags": ["webinar"]})
    client.request("DELETE", f"/contacts/{contact_id}/tags", json={"tags": ["webinar"]})
    client.post(f"/contacts/{contact_id}/followers", json={"followers": ["User0000000000000001"]})
    client.request(
        "DELETE", f"/contacts/{contact_id}/followers", json={"followers": ["User0000000000000001"]}
    )
    sandbox.store.create_appointment(
        contact_id,
        calendar_id="Calendar000000000001",
        title="Consultation",
        start_time="2030-07-16T11:00:00-05:00",
        end_time="2030-07-16T11:30:00-05:00",
    )
    client.get(f"/contacts/{contact_id}/appointments")
    client.delete(f"/contacts/{contact_id}")

    check_all(exchanges)


def test_task_and_note_endpoints_conform(
    client: httpx.Client, sandbox: RunningServer, exchanges: list[httpx.Response]
) -> None:
    contact_id = sandbox.store.create_contact(LOCATION, {"firstName": "Ann"})["id"]
    tasks = f"/contacts/{contact_id}/tasks"
    notes = f"/contacts/{contact_id}/notes"

    task = client.post(tasks, json={"title": "Call", "body": "About the quote", "dueDate": "2030-10-25T11:00:00Z", "completed": False}).json()["task"]  # fmt: skip
    client.get(tasks)
    client.get(f"{tasks}/{task['id']}")
    client.put(
        f"{tasks}/{task['id']}", json={"title": "Call back", "assignedTo": "User0000000000000001"}
    )
    client.put(f"{tasks}/{task['id']}/completed", json={"completed": True})
    client.post(
        f"/locations/{LOCATION}/tasks/search", json={"completed": True, "limit": 10, "skip": 0}
    )
    client.delete(f"{tasks}/{task['id']}")
    note = client.post(notes, json={"body": "Prefers email.", "title": "Summary", "color": "#FFAA00", "pinned": False}).json()["note"]  # fmt: skip
    client.get(notes)
    client.get(f"{notes}/{note['id']}")
    client.put(f"{notes}/{note['id']}", json={"body": "Prefers SMS."})
    client.delete(f"{notes}/{note['id']}")

    check_all(exchanges)


def test_location_endpoints_conform(client: httpx.Client, exchanges: list[httpx.Response]) -> None:
    base = f"/locations/{LOCATION}/tags"

    client.get(f"/locations/{LOCATION}")
    tag = client.post(base, json={"name": "Partner"}).json()["tag"]
    client.get(base)
    client.get(f"{base}/{tag['id']}")
    client.put(f"{base}/{tag['id']}", json={"name": "Partners"})
    client.delete(f"{base}/{tag['id']}")

    check_all(exchanges)


def test_error_responses_conform(
    client: httpx.Client, sandbox: RunningServer, exchanges: list[httpx.Response]
) -> None:
    contact_id = sandbox.store.create_contact(LOCATION, {"email": "ann@example.com"})["id"]

    client.post("/contacts/", json={"locationId": LOCATION, "email": "ann@example.com"})
    client.put(f"/contacts/{contact_id}", json={"gender": "male"})
    client.post(f"/contacts/{contact_id}/tasks", json={"title": "Call"})
    client.get(f"/contacts/{contact_id}", headers={"Authorization": "Bearer wrong"})
    client.get("/contacts/search/duplicate", params={"locationId": LOCATION})

    assert [r.status_code for r in exchanges] == [400, 422, 422, 401, 400]
    check_all(exchanges, check_requests=False)
