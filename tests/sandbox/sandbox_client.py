"""Small helpers the sandbox tests share: headers of a token and creating a contact."""

from __future__ import annotations

from typing import Any

import httpx

from mapbridge.sandbox import API_VERSION, SANDBOX_LOCATION_ID, SANDBOX_TOKEN

LOCATION = SANDBOX_LOCATION_ID


def api_headers(token: str = SANDBOX_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Version": API_VERSION}


def create_contact(api: httpx.Client, **fields: Any) -> dict[str, Any]:
    response = api.post("/contacts/", json={"locationId": LOCATION, **fields})
    assert response.status_code == 201, response.text
    contact: dict[str, Any] = response.json()["contact"]
    return contact
