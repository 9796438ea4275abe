"""Custom field definitions of a location (the list the sync uses to read values by key)."""

from __future__ import annotations

from typing import Literal

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from mapbridge.sandbox.auth import authorize, check_location
from mapbridge.sandbox.bodies import QueryDto
from mapbridge.sandbox.routes.common import answer, path_value, store_of
from mapbridge.sandbox.validation import read_query


class CustomFieldsQuery(QueryDto):
    model: Literal["contact", "opportunity", "all"] | None = None


async def list_custom_fields(request: Request) -> JSONResponse:
    grant = authorize(request, "locations/customFields.readonly")
    query = read_query(request, CustomFieldsQuery)
    location_id = path_value(request, "locationId")
    check_location(grant, location_id)
    fields = store_of(request).list_custom_fields(location_id)
    if query.model not in (None, "all"):
        fields = [field for field in fields if field.get("model") == query.model]
    return answer({"customFields": fields})


ROUTES = [
    Route("/locations/{locationId}/customFields", list_custom_fields, methods=["GET"]),
]
