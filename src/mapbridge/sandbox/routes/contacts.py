"""Contact routes: create, get, update, delete and upsert."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from mapbridge.sandbox.auth import authorize, check_location
from mapbridge.sandbox.bodies import (
    CreateContactBody,
    NoQuery,
    UpdateContactBody,
    UpsertContactBody,
)
from mapbridge.sandbox.routes.common import (
    answer,
    owned_contact,
    path_value,
    phone_region,
    store_of,
    trace_id,
)
from mapbridge.sandbox.validation import read_body, read_query


async def create_contact(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.write")
    body = await read_body(request, CreateContactBody, phone_region(request, grant))
    check_location(grant, body.locationId)
    contact = store_of(request).create_contact(body.locationId, body.to_changes())
    return answer({"contact": {**contact, "deleted": False}}, 201)


async def get_contact(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.readonly")
    read_query(request, NoQuery)
    return answer({"contact": owned_contact(request, grant, path_value(request, "contactId"))})


async def update_contact(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.write")
    body = await read_body(request, UpdateContactBody, phone_region(request, grant))
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    contact = store_of(request).update_contact(contact_id, body.to_changes())
    return answer({"succeded": True, "contact": contact})


async def delete_contact(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.write")
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    store_of(request).delete_contact(contact_id)
    return answer({"succeded": True})


async def upsert_contact(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.write")
    body = await read_body(request, UpsertContactBody, phone_region(request, grant))
    check_location(grant, body.locationId)
    new, contact = store_of(request).upsert_contact(
        body.locationId,
        body.to_changes(),
        create_new_if_allowed=body.createNewIfDuplicateAllowed,
    )
    return answer({"new": new, "contact": contact, "traceId": trace_id(request)})


ROUTES = [
    Route("/contacts/", create_contact, methods=["POST"]),
    Route("/contacts", create_contact, methods=["POST"]),
    Route("/contacts/upsert", upsert_contact, methods=["POST"]),
    Route("/contacts/{contactId}", get_contact, methods=["GET"]),
    Route("/contacts/{contactId}", update_contact, methods=["PUT"]),
    Route("/contacts/{contactId}", delete_contact, methods=["DELETE"]),
]
