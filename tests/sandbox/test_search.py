"""Finding contacts in the sandbox: advanced search and the deprecated list."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sandbox_client import LOCATION, create_contact

from mapbridge.sandbox import RunningServer

PEOPLE = [
    {"firstName": "Ann", "lastName": "Lee", "email": "ann@acme.example", "companyName": "Acme",
     "tags": ["VIP", "lead"], "source": "website form"},
    {"firstName": "Bob", "lastName": "Stone", "email": "bob@acme.example", "companyName": "Acme",
     "tags": ["lead"], "phone": "+13125550100"},
    {"firstName": "Cleo", "lastName": "Park", "email": "cleo@zen.example", "companyName": "Zen",
     "tags": [], "source": "referral"},
    {"firstName": "Dan", "lastName": "Annan", "companyName": "Zen", "tags": ["vip"]},
]  # fmt: skip


def search(api: httpx.Client, **body: Any) -> httpx.Response:
    return api.post("/contacts/search", json={"locationId": LOCATION, "pageLimit": 20, **body})


def first_names(response: httpx.Response) -> list[str]:
    return sorted(contact.get("firstName", "") for contact in response.json()["contacts"])


@pytest.fixture
def people(api: httpx.Client) -> list[dict[str, Any]]:
    return [create_contact(api, **person) for person in PEOPLE]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ([{"field": "email", "operator": "eq", "value": "ANN@acme.example"}], ["Ann"]),
        ([{"field": "companyName", "operator": "eq", "value": "acme"}], ["Ann", "Bob"]),
        ([{"field": "companyName", "operator": "not_eq", "value": "Acme"}], ["Cleo", "Dan"]),
        ([{"field": "firstName", "operator": "contains", "value": "an"}], ["Ann", "Dan"]),
        ([{"field": "lastName", "operator": "not_contains", "value": "an"}], ["Ann", "Bob", "Cleo"]),
        ([{"field": "tags", "operator": "eq", "value": "VIP"}], ["Ann", "Dan"]),
        ([{"field": "tags", "operator": "eq", "value": ["vip", "lead"]}], ["Ann", "Bob", "Dan"]),
        ([{"field": "tags", "operator": "not_exists"}], ["Cleo"]),
        ([{"field": "email", "operator": "exists"}], ["Ann", "Bob", "Cleo"]),
        ([{"field": "phone", "operator": "eq", "value": "(312) 555-0100"}], ["Bob"]),
        ([{"field": "source", "operator": "eq", "value": "referral"}], ["Cleo"]),
        (
            [
                {"field": "companyName", "operator": "eq", "value": "Acme"},
                {"field": "tags", "operator": "eq", "value": "vip"},
            ],
            ["Ann"],
        ),
        (
            [
                {
                    "group": "OR",
                    "filters": [
                        {"field": "firstName", "operator": "eq", "value": "Bob"},
                        {"field": "companyName", "operator": "eq", "value": "Zen"},
                    ],
                }
            ],
            ["Bob", "Cleo", "Dan"],
        ),
        ([{"field": "dateAdded", "operator": "range", "value": {"gte": "2000-01-01"}}], ["Ann", "Bob", "Cleo", "Dan"]),
        ([{"field": "dateAdded", "operator": "range", "value": {"lt": 946684800000}}], []),
    ],
)  # fmt: skip
def test_search_filters(
    api: httpx.Client, people: list[dict[str, Any]], filters: list[Any], expected: list[str]
) -> None:
    response = search(api, filters=filters)

    assert response.status_code == 200, response.text
    assert first_names(response) == expected
    assert response.json()["total"] == len(expected)


def test_search_filter_by_id_and_custom_field(api: httpx.Client, sandbox: RunningServer) -> None:
    level = sandbox.store.create_custom_field(LOCATION, "Membership Level", "SINGLE_OPTIONS")
    gold = create_contact(
        api, firstName="Gil", customFields=[{"id": level["id"], "field_value": "Gold"}]
    )
    create_contact(
        api, firstName="Sam", customFields=[{"id": level["id"], "field_value": "Silver"}]
    )

    by_field = search(
        api, filters=[{"field": f"customFields.{level['id']}", "operator": "eq", "value": "gold"}]
    )
    by_id = search(api, filters=[{"field": "id", "operator": "eq", "value": gold["id"]}])

    assert first_names(by_field) == ["Gil"]
    assert first_names(by_id) == ["Gil"]


def test_search_free_text_query(api: httpx.Client, people: list[dict[str, Any]]) -> None:
    assert first_names(search(api, query="ann")) == ["Ann", "Dan"]
    assert first_names(search(api, query="zen.example")) == ["Cleo"]
    assert first_names(search(api, query="555-0100")) == ["Bob"]


def test_search_sort_and_search_after(api: httpx.Client, people: list[dict[str, Any]]) -> None:
    body = {"sort": [{"field": "firstName", "direction": "desc"}], "pageLimit": 3}

    first = search(api, **body).json()
    second = search(api, **body, searchAfter=first["contacts"][-1]["searchAfter"]).json()

    assert [c["firstName"] for c in first["contacts"]] == ["Dan", "Cleo", "Bob"]
    assert [c["firstName"] for c in second["contacts"]] == ["Ann"]
    assert first["contacts"][0]["searchAfter"] == ["dan", first["contacts"][0]["id"]]
    assert first["total"] == 4
    assert first["traceId"]


def test_search_pages_reach_every_contact(api: httpx.Client, sandbox: RunningServer) -> None:
    for index in range(23):
        sandbox.store.create_contact(LOCATION, {"firstName": f"P{index:02d}"})

    by_page = [search(api, page=page, pageLimit=10).json()["contacts"] for page in (1, 2, 3)]
    cursor_ids: list[str] = []
    after = None
    while True:
        extra = {"searchAfter": after} if after else {}
        page = search(api, pageLimit=10, **extra).json()["contacts"]
        if not page:
            break
        cursor_ids += [contact["id"] for contact in page]
        after = page[-1]["searchAfter"]

    page_ids = [contact["id"] for page in by_page for contact in page]
    assert [len(page) for page in by_page] == [10, 10, 3]
    assert len(set(page_ids)) == 23
    assert cursor_ids == page_ids


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"pageLimit": 10}, "locationId should not be empty"),
        ({"locationId": LOCATION}, "pageLimit should not be empty"),
        ({"locationId": LOCATION, "pageLimit": 501}, "pageLimit must not be greater than 500"),
        ({"locationId": LOCATION, "pageLimit": 500, "page": 21}, "use searchAfter"),
        (
            {"locationId": LOCATION, "pageLimit": 10, "page": 2, "searchAfter": [1, "x"]},
            "page and searchAfter cannot be used together",
        ),
        (
            {"locationId": LOCATION, "pageLimit": 10, "filters": [{"field": "shoeSize", "operator": "eq", "value": 9}]},
            "is not a searchable field",
        ),
        (
            {"locationId": LOCATION, "pageLimit": 10, "filters": [{"field": "tags", "operator": "range", "value": {}}]},
            "is not supported for tags",
        ),
        ({"locationId": LOCATION, "pageLimit": 10, "query": "x" * 76}, "shorter than or equal to 75"),
        ({"locationId": LOCATION, "pageLimit": 10, "sort": [{"field": "phone", "direction": "asc"}]}, "cannot be sorted on"),
        ({"locationId": LOCATION, "pageLimit": 10, "searchAfter": ["x"]}, "searchAfter must hold 2 values"),
    ],
)  # fmt: skip
def test_search_rejects_bad_body(api: httpx.Client, body: dict[str, Any], message: str) -> None:
    response = api.post("/contacts/search", json=body)

    assert response.status_code == 422
    assert any(message in text for text in response.json()["message"]), response.json()


def test_search_reaches_10000_by_page(api: httpx.Client) -> None:
    assert search(api, page=20, pageLimit=500).status_code == 200
    assert search(api, page=10_000, pageLimit=1).status_code == 200
    assert search(api, page=10_001, pageLimit=1).status_code == 422


def test_list_pages_with_both_cursors(api: httpx.Client, sandbox: RunningServer) -> None:
    for index in range(7):
        sandbox.store.create_contact(LOCATION, {"firstName": f"P{index}"})
    params: dict[str, Any] = {"locationId": LOCATION, "limit": 3}

    seen: list[str] = []
    pages = []
    while True:
        body = api.get("/contacts/", params=params).json()
        pages.append(body["meta"])
        seen += [contact["id"] for contact in body["contacts"]]
        if "nextPageUrl" not in body["meta"]:
            break
        params.update(
            startAfter=body["meta"]["startAfter"], startAfterId=body["meta"]["startAfterId"]
        )

    assert len(seen) == len(set(seen)) == 7
    assert [meta["currentPage"] for meta in pages] == [1, 2, 3]
    assert [meta.get("nextPage") for meta in pages] == [2, 3, None]
    assert [meta["prevPage"] for meta in pages] == [None, 1, 2]
    assert all(meta["total"] == 7 for meta in pages)
    assert pages[0]["nextPageUrl"].startswith(sandbox.base_url + "/contacts/?locationId=")


def test_list_restarts_with_one_cursor(api: httpx.Client, sandbox: RunningServer) -> None:
    for index in range(4):
        sandbox.store.create_contact(LOCATION, {"firstName": f"P{index}"})
    first = api.get("/contacts/", params={"locationId": LOCATION, "limit": 2}).json()

    only_time = api.get(
        "/contacts/",
        params={"locationId": LOCATION, "limit": 2, "startAfter": first["meta"]["startAfter"]},
    ).json()

    assert [c["id"] for c in only_time["contacts"]] == [c["id"] for c in first["contacts"]]


def test_list_limit_over_100_is_422(api: httpx.Client) -> None:
    response = api.get("/contacts/", params={"locationId": LOCATION, "limit": 101})

    assert response.status_code == 422
    assert response.json()["message"] == ["limit must not be greater than 100"]
