"""Contacts in the sandbox: create, read, update, delete, upsert and the duplicate rule."""

from __future__ import annotations

import re

import httpx
import pytest
from sandbox_client import LOCATION, api_headers, create_contact

from mapbridge.sandbox import RunningServer

ID = re.compile(r"^[A-Za-z0-9]{20}$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def test_create_returns_201_and_record(api: httpx.Client) -> None:
    response = api.post(
        "/contacts/",
        json={
            "locationId": LOCATION,
            "firstName": "Rosan",
            "lastName": "Deo",
            "email": "Rosan@Deos.com",
            "phone": "+1 888-888-8888",
            "tags": ["VIP", "newsletter"],
        },
    )
    contact = response.json()["contact"]

    assert response.status_code == 201
    assert ID.match(contact["id"])
    assert contact["locationId"] == LOCATION
    assert contact["email"] == "Rosan@Deos.com"
    assert contact["emailLowerCase"] == "rosan@deos.com"
    assert contact["phone"] == "+18888888888"
    assert contact["tags"] == ["VIP", "newsletter"]
    assert contact["fullNameLowerCase"] == "rosan deo"
    assert TIMESTAMP.match(contact["dateAdded"])
    assert contact["dateUpdated"] == contact["dateAdded"]


def test_get_returns_created_contact(api: httpx.Client) -> None:
    created = create_contact(api, firstName="Ann", email="ann@example.com")

    response = api.get(f"/contacts/{created['id']}")

    assert response.status_code == 200
    assert response.json() == {"contact": {k: v for k, v in created.items() if k != "deleted"}}


def test_get_unknown_contact_is_404(api: httpx.Client) -> None:
    response = api.get("/contacts/AAAAAAAAAAAAAAAAAAAA")
    body = response.json()

    assert response.status_code == 404
    assert body["statusCode"] == 404
    assert "AAAAAAAAAAAAAAAAAAAA" in body["message"]
    assert body["traceId"]


def test_update_changes_fields_and_date(api: httpx.Client) -> None:
    created = create_contact(api, firstName="Ann", email="ann@example.com", tags=["a", "b"])

    response = api.put(
        f"/contacts/{created['id']}",
        json={"lastName": "Lee", "companyName": "Acme", "tags": ["c"], "email": None},
    )
    body = response.json()

    assert response.status_code == 200
    assert body["succeded"] is True
    assert body["contact"]["lastName"] == "Lee"
    assert body["contact"]["name"] == "Ann Lee"
    assert body["contact"]["companyName"] == "Acme"
    assert body["contact"]["tags"] == ["c"]
    assert "email" not in body["contact"]
    assert body["contact"]["dateUpdated"] >= created["dateUpdated"]


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("PUT", "/contacts/{id}", {"gender": "male"}, "property gender should not exist"),
        (
            "PUT",
            "/contacts/{id}",
            {"additionalEmails": ["b@example.com"]},
            "property additionalEmails should not exist",
        ),
        ("PUT", "/contacts/{id}", {"locationId": LOCATION}, "property locationId should not exist"),
        (
            "POST",
            "/contacts/",
            {"locationId": LOCATION, "additionalEmails": []},
            "property additionalEmails should not exist",
        ),
        ("POST", "/contacts/", {"locationId": LOCATION, "email": "nope"}, "email must be an email"),
        (
            "POST",
            "/contacts/",
            {"locationId": LOCATION, "dnd": "yes"},
            "dnd must be a boolean value",
        ),
        ("POST", "/contacts/", {"firstName": "Ann"}, "locationId should not be empty"),
        (
            "POST",
            "/contacts/",
            {"locationId": LOCATION, "postalCode": None},
            "postalCode should not be null",
        ),
    ],
)
def test_invalid_body_is_422(
    api: httpx.Client, method: str, path: str, body: dict[str, object], message: str
) -> None:
    contact = create_contact(api, firstName="Ann")

    response = api.request(method, path.format(id=contact["id"]), json=body)
    answer = response.json()

    assert response.status_code == 422
    assert answer["statusCode"] == 422
    assert answer["error"] == "Unprocessable Entity"
    assert message in answer["message"]
    assert answer["traceId"]


def test_unknown_query_parameter_is_422(api: httpx.Client) -> None:
    contact = create_contact(api, firstName="Ann")

    response = api.get(f"/contacts/{contact['id']}", params={"locationId": LOCATION})

    assert response.status_code == 422
    assert response.json()["message"] == ["property locationId should not exist"]


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("+1 888-888-8888", "+18888888888"),
        ("(312) 555-0100", "+13125550100"),
        ("+49 30 901820", "+4930901820"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_stored_as_e164(api: httpx.Client, given: str, stored: str) -> None:
    assert create_contact(api, phone=given)["phone"] == stored


@pytest.mark.parametrize("phone", ["12", "call me", "+1 555"])
def test_unreadable_phone_is_422(api: httpx.Client, phone: str) -> None:
    response = api.post("/contacts/", json={"locationId": LOCATION, "phone": phone})

    assert response.status_code == 422
    assert response.json()["message"][0].startswith("phone must be a valid phone number")


def test_delete_removes_contact(api: httpx.Client) -> None:
    contact = create_contact(api, firstName="Ann")

    deleted = api.delete(f"/contacts/{contact['id']}")
    fetched = api.get(f"/contacts/{contact['id']}")

    assert deleted.status_code == 200
    assert deleted.json() == {"succeded": True}
    assert fetched.status_code == 404


@pytest.mark.parametrize(
    ("existing", "new", "field"),
    [
        ({"email": "ann@example.com"}, {"email": "ANN@example.com"}, "email"),
        ({"phone": "+13125550100"}, {"phone": "(312) 555-0100"}, "phone"),
    ],
)
def test_duplicate_create_is_400_with_meta(
    api: httpx.Client, existing: dict[str, str], new: dict[str, str], field: str
) -> None:
    first = create_contact(api, firstName="Ann", lastName="Lee", **existing)

    response = api.post("/contacts/", json={"locationId": LOCATION, **new})
    body = response.json()

    assert response.status_code == 400
    assert body["message"] == "This location does not allow duplicated contacts."
    assert body["meta"] == {
        "contactId": first["id"],
        "contactName": "Ann Lee",
        "matchingField": field,
    }


def test_duplicates_allowed_when_location_allows(api: httpx.Client, sandbox: RunningServer) -> None:
    sandbox.store.set_allow_duplicates(LOCATION, True)
    first = create_contact(api, email="ann@example.com")

    second = create_contact(api, email="ann@example.com")

    assert second["id"] != first["id"]


def test_upsert_creates_when_nothing_matches(api: httpx.Client) -> None:
    response = api.post(
        "/contacts/upsert", json={"locationId": LOCATION, "email": "new@example.com"}
    )
    body = response.json()

    assert response.status_code == 200
    assert body["new"] is True
    assert body["contact"]["email"] == "new@example.com"
    assert body["traceId"]


@pytest.mark.parametrize(
    "match", [{"email": "ANN@example.com"}, {"phone": "+13125550100"}], ids=["email", "phone"]
)
def test_upsert_updates_matching_contact(api: httpx.Client, match: dict[str, str]) -> None:
    existing = create_contact(api, email="ann@example.com", phone="+13125550100")

    response = api.post(
        "/contacts/upsert", json={"locationId": LOCATION, "firstName": "Annie", **match}
    )
    body = response.json()

    assert body["new"] is False
    assert body["contact"]["id"] == existing["id"]
    assert body["contact"]["firstName"] == "Annie"


def test_upsert_prefers_email_and_ignores_phone(api: httpx.Client) -> None:
    by_email = create_contact(api, email="ann@example.com", phone="+13125550100")
    by_phone = create_contact(api, email="bob@example.com", phone="+13125550199")

    response = api.post(
        "/contacts/upsert",
        json={"locationId": LOCATION, "email": "ann@example.com", "phone": "+13125550199"},
    )
    body = response.json()

    assert body["new"] is False
    assert body["contact"]["id"] == by_email["id"]
    assert body["contact"]["phone"] == "+13125550100"
    assert api.get(f"/contacts/{by_phone['id']}").json()["contact"]["phone"] == "+13125550199"


def test_upsert_keeps_gender_of_existing(api: httpx.Client) -> None:
    existing = create_contact(api, email="ann@example.com", gender="female")

    response = api.post(
        "/contacts/upsert",
        json={"locationId": LOCATION, "email": "ann@example.com", "gender": "male"},
    )

    assert response.json()["contact"]["id"] == existing["id"]
    assert response.json()["contact"]["gender"] == "female"


def test_upsert_create_new_if_allowed(api: httpx.Client, sandbox: RunningServer) -> None:
    existing = create_contact(api, email="ann@example.com")
    body = {"locationId": LOCATION, "email": "ann@example.com", "createNewIfDuplicateAllowed": True}

    forbidden = api.post("/contacts/upsert", json=body).json()
    sandbox.store.set_allow_duplicates(LOCATION, True)
    allowed = api.post("/contacts/upsert", json=body).json()

    assert forbidden["new"] is False
    assert forbidden["contact"]["id"] == existing["id"]
    assert allowed["new"] is True
    assert allowed["contact"]["id"] != existing["id"]


def test_upsert_replaces_tags(api: httpx.Client) -> None:
    create_contact(api, email="ann@example.com", tags=["a", "b"])

    response = api.post(
        "/contacts/upsert", json={"locationId": LOCATION, "email": "ann@example.com", "tags": ["c"]}
    )

    assert response.json()["contact"]["tags"] == ["c"]


@pytest.mark.parametrize(
    ("params", "expect_match"),
    [
        ({"email": "ANN@example.com"}, True),
        ({"number": "+1 312 555 0100"}, True),
        ({"email": "nobody@example.com"}, False),
        ({"number": "+13125550111"}, False),
    ],
)
def test_duplicate_lookup(api: httpx.Client, params: dict[str, str], expect_match: bool) -> None:
    existing = create_contact(api, email="ann@example.com", phone="+13125550100")

    response = api.get("/contacts/search/duplicate", params={"locationId": LOCATION, **params})

    assert response.status_code == 200
    found = response.json()["contact"]
    assert (found["id"] if found else None) == (existing["id"] if expect_match else None)


def test_duplicate_lookup_needs_email_or_number(api: httpx.Client) -> None:
    response = api.get("/contacts/search/duplicate", params={"locationId": LOCATION})

    assert response.status_code == 400
    assert response.json()["message"] == "Pass at least one of number, email query parameter"


def test_custom_fields_by_id_and_key(api: httpx.Client, sandbox: RunningServer) -> None:
    level = sandbox.store.create_custom_field(LOCATION, "Membership Level", "SINGLE_OPTIONS")
    score = sandbox.store.create_custom_field(LOCATION, "Lead Score", "NUMERICAL")

    contact = create_contact(
        api,
        customFields=[
            {"id": level["id"], "field_value": "Gold"},
            {"key": "lead_score", "fieldValue": 42},
        ],
    )
    cleared = api.put(
        f"/contacts/{contact['id']}",
        json={"customFields": [{"id": score["id"], "field_value": None}]},
    ).json()["contact"]

    assert contact["customFields"] == [
        {"id": level["id"], "value": "Gold"},
        {"id": score["id"], "value": 42},
    ]
    assert cleared["customFields"] == [{"id": level["id"], "value": "Gold"}]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"id": "NoSuchField000000000", "field_value": "x"}, "does not define"),
        ({"key": "lead_score", "field_value": "many"}, "must be a number"),
        ({"field_value": "x"}, "needs the id or the key"),
    ],
)
def test_bad_custom_field_is_422(
    api: httpx.Client, sandbox: RunningServer, entry: dict[str, object], message: str
) -> None:
    sandbox.store.create_custom_field(LOCATION, "Lead Score", "NUMERICAL")

    response = api.post("/contacts/", json={"locationId": LOCATION, "customFields": [entry]})

    assert response.status_code == 422
    assert message in response.json()["message"][0]


def test_collection_path_without_slash(api: httpx.Client) -> None:
    response = api.post("/contacts", json={"locationId": LOCATION, "firstName": "Ann"})

    assert response.status_code == 201


def test_contact_of_other_location_is_403(api: httpx.Client, sandbox: RunningServer) -> None:
    other = sandbox.store.create_location()
    other_token = sandbox.store.create_token(other)
    with httpx.Client(base_url=sandbox.base_url, headers=api_headers(other_token)) as other_api:
        foreign = other_api.post("/contacts/", json={"locationId": other, "firstName": "Zed"})

    response = api.get(f"/contacts/{foreign.json()['contact']['id']}")

    assert response.status_code == 403
    assert response.json()["message"] == "The token does not have access to this location."
