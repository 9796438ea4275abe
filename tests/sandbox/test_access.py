"""Who may call the sandbox: tokens, scopes, locations and the Version header."""

from __future__ import annotations

import httpx
import pytest
from sandbox_client import LOCATION, api_headers, create_contact

from mapbridge.sandbox import SANDBOX_TOKEN, RunningServer

UNAUTHORIZED = {
    "statusCode": 401,
    "message": "Invalid token: access token is invalid",
    "error": "Unauthorized",
}


@pytest.mark.parametrize(
    "headers",
    [
        {"Version": "2021-07-28"},
        {"Version": "2021-07-28", "Authorization": "Bearer not-a-token"},
        {"Version": "2021-07-28", "Authorization": f"Basic {SANDBOX_TOKEN}"},
        {"Version": "2021-07-28", "Authorization": "Bearer"},
    ],
    ids=["missing", "unknown", "wrong-scheme", "empty"],
)
def test_bad_token_is_401(sandbox: RunningServer, headers: dict[str, str]) -> None:
    response = httpx.get(f"{sandbox.base_url}/contacts/AAAAAAAAAAAAAAAAAAAA", headers=headers)
    body = response.json()

    assert response.status_code == 401
    assert {key: body[key] for key in UNAUTHORIZED} == UNAUTHORIZED
    assert body["traceId"]
    assert "x-ratelimit-remaining" not in response.headers


@pytest.mark.parametrize(
    ("scopes", "method", "path", "body"),
    [
        ({"contacts.readonly"}, "POST", "/contacts/", {"locationId": LOCATION}),
        ({"contacts.write"}, "POST", "/contacts/search", {"locationId": LOCATION, "pageLimit": 1}),
        ({"contacts.readonly"}, "GET", f"/locations/{LOCATION}/tags", None),
        ({"locations/tags.readonly"}, "POST", f"/locations/{LOCATION}/tags", {"name": "x"}),
        ({"contacts.readonly"}, "POST", f"/locations/{LOCATION}/tasks/search", {}),
        ({"contacts.readonly"}, "GET", f"/locations/{LOCATION}", None),
    ],
)
def test_missing_scope_is_401(
    sandbox: RunningServer, scopes: set[str], method: str, path: str, body: object
) -> None:
    token = sandbox.store.create_token(LOCATION, scopes)

    response = httpx.request(method, sandbox.base_url + path, json=body, headers=api_headers(token))

    assert response.status_code == 401
    assert response.json()["message"] == "The token is not authorized for this scope."
    assert response.json()["error"] == "Unauthorized"


def test_scope_list_empty_endpoint_needs_no_scope(sandbox: RunningServer) -> None:
    tag = sandbox.store.create_tag(LOCATION, "Partner")
    token = sandbox.store.create_token(LOCATION, set())

    response = httpx.get(
        f"{sandbox.base_url}/locations/{LOCATION}/tags/{tag['id']}", headers=api_headers(token)
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body", "params"),
    [
        ("POST", "/contacts/", {"locationId": "{other}"}, None),
        ("POST", "/contacts/upsert", {"locationId": "{other}", "email": "a@b.co"}, None),
        ("POST", "/contacts/search", {"locationId": "{other}", "pageLimit": 1}, None),
        ("GET", "/contacts/", None, {"locationId": "{other}"}),
        ("GET", "/contacts/search/duplicate", None, {"locationId": "{other}", "email": "a@b.co"}),
        ("GET", "/locations/{other}", None, None),
        ("GET", "/locations/{other}/tags", None, None),
        ("POST", "/locations/{other}/tasks/search", {}, None),
    ],
)
def test_other_location_is_403(
    api: httpx.Client,
    sandbox: RunningServer,
    method: str,
    path: str,
    body: dict[str, object] | None,
    params: dict[str, object] | None,
) -> None:
    other = sandbox.store.create_location()

    def fill(values: dict[str, object] | None) -> dict[str, object] | None:
        if values is None:
            return None
        return {k: v.format(other=other) if isinstance(v, str) else v for k, v in values.items()}

    response = api.request(method, path.format(other=other), json=fill(body), params=fill(params))

    assert response.status_code == 403
    assert response.json()["statusCode"] == 403
    assert response.json()["message"] == "The token does not have access to this location."


@pytest.mark.parametrize(
    ("path", "version", "expected"),
    [
        ("/contacts/AAAAAAAAAAAAAAAAAAAA", None, "2021-07-28"),
        ("/contacts/AAAAAAAAAAAAAAAAAAAA", "2021-04-15", "2021-07-28"),
        ("/calendars/", "2021-07-28", "2021-04-15"),
    ],
)
def test_wrong_version_is_400(
    sandbox: RunningServer, path: str, version: str | None, expected: str
) -> None:
    headers = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}
    if version is not None:
        headers["Version"] = version

    response = httpx.get(sandbox.base_url + path, headers=headers)

    assert response.status_code == 400
    assert response.json()["statusCode"] == 400
    assert f"Version: {expected}" in response.json()["message"]


def test_calendar_version_passes_the_gate(sandbox: RunningServer) -> None:
    headers = {"Authorization": f"Bearer {SANDBOX_TOKEN}", "Version": "2021-04-15"}

    response = httpx.get(f"{sandbox.base_url}/calendars/", headers=headers)

    assert response.status_code == 404
    assert response.json()["message"] == "Cannot GET /calendars/"


def test_unknown_route_is_404_json(api: httpx.Client) -> None:
    response = api.patch("/contacts/AAAAAAAAAAAAAAAAAAAA", json={})

    assert response.status_code == 404
    assert response.json()["message"] == "Cannot PATCH /contacts/AAAAAAAAAAAAAAAAAAAA"
    assert response.json()["traceId"]


def test_invalid_json_is_400(api: httpx.Client) -> None:
    response = api.post(
        "/contacts/", content=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert "not valid JSON" in response.json()["message"]


def test_revoked_token_is_401(sandbox: RunningServer) -> None:
    token = sandbox.store.create_token(LOCATION, {"contacts.readonly"})
    sandbox.store.revoke_token(token)

    response = httpx.get(f"{sandbox.base_url}/locations/{LOCATION}", headers=api_headers(token))

    assert response.status_code == 401


def test_unknown_scope_is_rejected(sandbox: RunningServer) -> None:
    with pytest.raises(ValueError, match="contacts.everything"):
        sandbox.store.create_token(LOCATION, {"contacts.everything"})


def test_token_never_stored_in_clear(sandbox: RunningServer, api: httpx.Client) -> None:
    create_contact(api, firstName="Ann")
    with sandbox.store._db.read() as connection:
        dump = "\n".join(connection.iterdump())

    assert SANDBOX_TOKEN not in dump
