"""Finding contacts: advanced search, the duplicate lookup and the deprecated list."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from mapbridge.sandbox.auth import authorize, check_location
from mapbridge.sandbox.bodies import DuplicateQuery, ListContactsQuery, SearchBody, to_e164
from mapbridge.sandbox.ids import timestamp_to_ms
from mapbridge.sandbox.problems import BadRequestProblem, UnprocessableProblem
from mapbridge.sandbox.routes.common import answer, phone_region, store_of, trace_id
from mapbridge.sandbox.search import SearchRequest
from mapbridge.sandbox.validation import read_body, read_query


async def search_contacts(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.readonly")
    body = await read_body(request, SearchBody)
    check_location(grant, body.locationId)
    search = SearchRequest(
        location_id=body.locationId,
        page_limit=body.pageLimit,
        page=body.page,
        search_after=body.searchAfter,
        filters=body.filters,
        sort=body.sort,
        query=body.query,
    )
    contacts, total = store_of(request).search_contacts(search)
    return answer({"contacts": contacts, "total": total, "traceId": trace_id(request)})


async def find_duplicate(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.readonly")
    query = read_query(request, DuplicateQuery)
    check_location(grant, query.locationId)
    if not query.number and not query.email:
        raise BadRequestProblem("Pass at least one of number, email query parameter")
    phone = None
    if query.number:
        try:
            phone = to_e164(query.number, phone_region(request, grant)["region"])
        except ValueError as error:
            raise UnprocessableProblem([f"number {error}"]) from None
    match = store_of(request).find_duplicate(query.locationId, email=query.email, phone=phone)
    return answer({"contact": match[0] if match else None})


async def list_contacts(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.readonly")
    query = read_query(request, ListContactsQuery)
    check_location(grant, query.locationId)
    page = store_of(request).list_contacts(
        query.locationId,
        limit=query.limit,
        start_after=query.startAfter,
        start_after_id=query.startAfterId,
        query=query.query,
    )
    current = page.offset // query.limit + 1
    meta: dict[str, Any] = {
        "total": page.total,
        "currentPage": current,
        "prevPage": current - 1 if current > 1 else None,
    }
    if page.contacts:
        last = page.contacts[-1]
        meta["startAfterId"] = last["id"]
        meta["startAfter"] = timestamp_to_ms(last["dateAdded"])
    if page.contacts and page.offset + len(page.contacts) < page.total:
        meta["nextPage"] = current + 1
        parameters = {
            "locationId": query.locationId,
            "startAfter": meta["startAfter"],
            "startAfterId": meta["startAfterId"],
            "limit": query.limit,
        }
        meta["nextPageUrl"] = (
            f"{str(request.base_url).rstrip('/')}/contacts/?{urlencode(parameters)}"
        )
    return answer({"contacts": page.contacts, "count": page.total, "meta": meta})


ROUTES = [
    Route("/contacts/search", search_contacts, methods=["POST"]),
    Route("/contacts/search/duplicate", find_duplicate, methods=["GET"]),
    Route("/contacts/", list_contacts, methods=["GET"]),
    Route("/contacts", list_contacts, methods=["GET"]),
]
