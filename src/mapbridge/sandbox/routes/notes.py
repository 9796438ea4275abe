"""Note routes: a contact's notes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from mapbridge.sandbox.auth import authorize
from mapbridge.sandbox.bodies import CreateNoteBody, NoQuery, UpdateNoteBody
from mapbridge.sandbox.routes.common import answer, owned_contact, path_value, store_of
from mapbridge.sandbox.validation import read_body, read_query


async def list_notes(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.readonly")
    read_query(request, NoQuery)
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    return answer({"notes": store_of(request).list_notes(contact_id)})


async def create_note(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.write")
    body = await read_body(request, CreateNoteBody)
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    note = store_of(request).create_note(contact_id, body.model_dump(exclude_unset=True))
    return answer({"note": note}, 201)


async def get_note(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.readonly")
    read_query(request, NoQuery)
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    return answer({"note": store_of(request).get_note(contact_id, path_value(request, "id"))})


async def update_note(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.write")
    body = await read_body(request, UpdateNoteBody)
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    note = store_of(request).update_note(
        contact_id, path_value(request, "id"), body.model_dump(exclude_unset=True)
    )
    return answer({"note": note})


async def delete_note(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.write")
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    store_of(request).delete_note(contact_id, path_value(request, "id"))
    return answer({"succeded": True})


ROUTES = [
    Route("/contacts/{contactId}/notes", list_notes, methods=["GET"]),
    Route("/contacts/{contactId}/notes", create_note, methods=["POST"]),
    Route("/contacts/{contactId}/notes/{id}", get_note, methods=["GET"]),
    Route("/contacts/{contactId}/notes/{id}", update_note, methods=["PUT"]),
    Route("/contacts/{contactId}/notes/{id}", delete_note, methods=["DELETE"]),
]
