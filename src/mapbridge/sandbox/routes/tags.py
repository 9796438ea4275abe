"""Tag routes: tags of one contact, and the tag definitions of a location."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from mapbridge.sandbox.auth import authorize, check_location
from mapbridge.sandbox.bodies import NoQuery, TagNameBody, TagsBody
from mapbridge.sandbox.routes.common import answer, owned_contact, path_value, store_of
from mapbridge.sandbox.validation import read_body, read_query


async def add_contact_tags(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.write")
    body = await read_body(request, TagsBody)
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    return answer({"tags": store_of(request).add_contact_tags(contact_id, body.tags)}, 201)


async def remove_contact_tags(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.write")
    body = await read_body(request, TagsBody)
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    return answer({"tags": store_of(request).remove_contact_tags(contact_id, body.tags)})


async def list_location_tags(request: Request) -> JSONResponse:
    grant = authorize(request, "locations/tags.readonly")
    read_query(request, NoQuery)
    location_id = path_value(request, "locationId")
    check_location(grant, location_id)
    return answer({"tags": store_of(request).list_tags(location_id)})


async def create_location_tag(request: Request) -> JSONResponse:
    grant = authorize(request, "locations/tags.write")
    body = await read_body(request, TagNameBody)
    location_id = path_value(request, "locationId")
    check_location(grant, location_id)
    return answer({"tag": store_of(request).create_tag(location_id, body.name)})


# The OpenAPI document lists no scope for the single-tag operations, so any token of the
# location may call them.


async def get_location_tag(request: Request) -> JSONResponse:
    grant = authorize(request, None)
    read_query(request, NoQuery)
    location_id = path_value(request, "locationId")
    check_location(grant, location_id)
    return answer({"tag": store_of(request).get_tag(location_id, path_value(request, "tagId"))})


async def rename_location_tag(request: Request) -> JSONResponse:
    grant = authorize(request, None)
    body = await read_body(request, TagNameBody)
    location_id = path_value(request, "locationId")
    check_location(grant, location_id)
    tag = store_of(request).rename_tag(location_id, path_value(request, "tagId"), body.name)
    return answer({"tag": tag})


async def delete_location_tag(request: Request) -> JSONResponse:
    grant = authorize(request, None)
    location_id = path_value(request, "locationId")
    check_location(grant, location_id)
    store_of(request).delete_tag(location_id, path_value(request, "tagId"))
    return answer({"succeded": True})


ROUTES = [
    Route("/contacts/{contactId}/tags", add_contact_tags, methods=["POST"]),
    Route("/contacts/{contactId}/tags", remove_contact_tags, methods=["DELETE"]),
    Route("/locations/{locationId}/tags", list_location_tags, methods=["GET"]),
    Route("/locations/{locationId}/tags", create_location_tag, methods=["POST"]),
    Route("/locations/{locationId}/tags/{tagId}", get_location_tag, methods=["GET"]),
    Route("/locations/{locationId}/tags/{tagId}", rename_location_tag, methods=["PUT"]),
    Route("/locations/{locationId}/tags/{tagId}", delete_location_tag, methods=["DELETE"]),
]
