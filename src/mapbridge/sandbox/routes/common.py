"""Helpers every route module uses: the store, owned records and JSON responses."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from mapbridge.sandbox.auth import check_location
from mapbridge.sandbox.state import sandbox_state
from mapbridge.sandbox.store import SandboxStore, TokenGrant


def store_of(request: Request) -> SandboxStore:
    return sandbox_state(request).store


def trace_id(request: Request) -> str:
    return str(request.state.trace_id)


def answer(data: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def path_value(request: Request, name: str) -> str:
    return str(request.path_params[name])


def owned_contact(request: Request, grant: TokenGrant, contact_id: str) -> dict[str, Any]:
    """Return the contact; 404 when unknown, 403 when it belongs to another location."""
    contact = store_of(request).get_contact(contact_id)
    check_location(grant, contact["locationId"])
    return contact


def phone_region(request: Request, grant: TokenGrant) -> dict[str, Any]:
    """Return the validation context: phones without ``+`` are read in the location's country."""
    location = store_of(request).get_location(grant.location_id)
    return {"region": location.get("country", "US")}
