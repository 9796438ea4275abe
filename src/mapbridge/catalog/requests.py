"""Plain HTTP operations declared as data.

An operation module that only maps its input onto one endpoint contains a ``REQUEST`` dictionary
literal instead of code, for example::

    REQUEST = {"method": "GET", "path": "/contacts/{contactId}", "result": "contact"}

Keys: ``method``; ``path`` whose ``{placeholders}`` come from the input (``{locationId}`` falls
back to the connection's location); ``query`` (input names sent as query parameters, a list or a
mapping from input name to API name); ``body`` (input names sent in the JSON body, or ``"*"`` for
every input not used elsewhere); ``location`` (``"query"`` or ``"body"``: add the connection's
location id there under ``location_name``, default ``locationId``, unless the input gives one);
``result`` (the key of the response to return; by default the whole body without ``traceId``);
``paginate`` (``{"style": "search"|"skip"|"cursor", "items": KEY, ...}``, the input's ``limit``
then caps the items); ``defaults`` (values used for inputs the caller left out);
``idempotent`` (overrides the method's default, e.g. for a search POST).

Because it is a literal, tools can read it with :func:`ast.literal_eval` without running Python.
"""

from __future__ import annotations

import re
from typing import Any, Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from mapbridge.http import paging

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class Pagination(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    style: Literal["search", "skip", "cursor"]
    items: str
    page_size: int = Field(default=100, gt=0)
    in_body: bool = False


class RequestSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    method: Literal["GET", "POST", "PUT", "DELETE"]
    path: str = Field(pattern=r"^/")
    query: list[str] | dict[str, str] = Field(default_factory=list)
    body: list[str] | Literal["*"] | None = None
    location: Literal["query", "body"] | None = None
    location_name: str = "locationId"
    result: str | None = None
    paginate: Pagination | None = None
    defaults: dict[str, Any] = Field(default_factory=dict)
    idempotent: bool | None = None

    @property
    def path_names(self) -> list[str]:
        return _PLACEHOLDER.findall(self.path)

    def query_names(self) -> dict[str, str]:
        return dict(self.query) if isinstance(self.query, dict) else {n: n for n in self.query}


class Prepared(BaseModel):
    """A request ready to send: the filled path, query parameters and JSON body."""

    path: str
    params: dict[str, Any]
    body: dict[str, Any] | None


def prepare(spec: RequestSpec, data: dict[str, Any], location_id: str) -> Prepared:
    """Place each input value in the path, the query or the body, as the spec directs."""
    used = {"limit"} if spec.paginate else set()
    data = {**spec.defaults, **data}
    values = dict(data)
    values.setdefault("locationId", location_id)

    def fill(match: re.Match[str]) -> str:
        return quote(str(values[match.group(1)]), safe="")

    path = _PLACEHOLDER.sub(fill, spec.path)
    used.update(spec.path_names)

    params: dict[str, Any] = {}
    for input_name, api_name in spec.query_names().items():
        used.add(input_name)
        if input_name in data:
            params[api_name] = _query_value(data[input_name])

    body: dict[str, Any] | None = None
    if spec.body == "*":
        body = {name: value for name, value in data.items() if name not in used}
    elif spec.body is not None:
        body = {name: data[name] for name in spec.body if name in data}
    elif spec.method in ("POST", "PUT"):
        body = {}

    if spec.location == "query":
        params.setdefault(spec.location_name, values["locationId"])
    elif spec.location == "body":
        body = body if body is not None else {}
        body.setdefault(spec.location_name, values["locationId"])
    return Prepared(path=path, params=params, body=body)


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def pick_result(spec: RequestSpec, response: Any) -> Any:
    if not isinstance(response, dict):
        return response
    if spec.result is not None:
        return response.get(spec.result)
    return {key: value for key, value in response.items() if key != "traceId"}


async def execute(api: Any, spec: RequestSpec, data: dict[str, Any]) -> Any:
    """Run a declared request through ``api`` (an :class:`OperationApi`) and shape the result."""
    prepared = prepare(spec, data, api.location_id)

    async def send(params: dict[str, Any] | None, body: Any) -> Any:
        merged = dict(prepared.params, **(params or {}))
        return await api.request(
            spec.method,
            prepared.path,
            params=merged or None,
            json=body if body is not None else prepared.body,
            idempotent=spec.idempotent,
        )

    if spec.paginate is None:
        return pick_result(spec, await send(None, None))

    pagination = spec.paginate
    limit = data.get("limit")
    if pagination.style == "search":
        items = await paging.search_pages(
            send,
            prepared.body or {},
            items_key=pagination.items,
            limit=limit,
            page_limit=pagination.page_size,
        )
    elif pagination.style == "skip":
        start = prepared.body if pagination.in_body else {}
        items = await paging.skip_pages(
            send,
            start or {},
            items_key=pagination.items,
            in_body=pagination.in_body,
            limit=limit,
            page_size=pagination.page_size,
        )
    else:
        items = await paging.cursor_pages(
            send, {}, items_key=pagination.items, limit=limit, page_size=pagination.page_size
        )
    return {pagination.items: items, "count": len(items)}
