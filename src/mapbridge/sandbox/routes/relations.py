"""A contact's followers and appointments, and the location itself."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from mapbridge.sandbox.auth import authorize, check_location
from mapbridge.sandbox.bodies import FollowersBody, NoQuery
from mapbridge.sandbox.routes.common import answer, owned_contact, path_value, store_of
from mapbridge.sandbox.validation import read_body, read_query


async def add_followers(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.write")
    body = await read_body(request, FollowersBody)
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    followers, added = store_of(request).add_followers(contact_id, body.followers)
    return answer({"followers": followers, "followersAdded": added}, 201)


async def remove_followers(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.write")
    body = await read_body(request, FollowersBody)
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    followers, removed = store_of(request).remove_followers(contact_id, body.followers)
    return answer({"followers": followers, "followersRemoved": removed})


async def list_appointments(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.readonly")
    read_query(request, NoQuery)
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    return answer({"events": store_of(request).list_appointments(contact_id)})


async def get_location(request: Request) -> JSONResponse:
    grant = authorize(request, "locations.readonly")
    read_query(request, NoQuery)
    location_id = path_value(request, "locationId")
    check_location(grant, location_id)
    return answer({"location": store_of(request).get_location(location_id)})


ROUTES = [
    Route("/contacts/{contactId}/followers", add_followers, methods=["POST"]),
    Route("/contacts/{contactId}/followers", remove_followers, methods=["DELETE"]),
    Route("/contacts/{contactId}/appointments", list_appointments, methods=["GET"]),
    Route("/locations/{locationId}", get_location, methods=["GET"]),
]
