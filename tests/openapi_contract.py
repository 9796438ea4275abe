"""Checking an HTTP exchange against HighLevel's official OpenAPI documents.

The documents are read from the folder in ``MAPBRIDGE_OPENAPI_DIR`` (``contacts.json``,
``locations.json``, ``calendars.json`` and ``common/common-schemas.json``). Without the
variable, tests that need them skip. Use :func:`contract_violations` or
:func:`assert_conforms` with an ``httpx.Request`` and the ``httpx.Response`` it got::

    response = client.get(f"/contacts/{contact_id}")
    assert_conforms(response.request, response)

Statuses a document does not declare (429, 403, 404) are not checked. :data:`KNOWN_GAPS`
lists operations whose documented schema cannot be met by any correct response.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.exceptions import OpenAPIError
from werkzeug.datastructures import Headers, ImmutableMultiDict

OPENAPI_DIR_VARIABLE = "MAPBRIDGE_OPENAPI_DIR"
DOCUMENTS = ("contacts.json", "locations.json", "calendars.json")
# The documents name HighLevel's server; requests to the sandbox are checked as if sent there.
DOCUMENTED_SERVER = "https://services.leadconnectorhq.com"

KNOWN_GAPS: dict[tuple[str, str], str] = {
    ("POST", "/locations/{locationId}/tasks/search"): (
        "LocationTaskListSuccessfulResponseDto types each task as an array, not an object"
    ),
}
"""Operations whose success responses are not checked, with the reason."""


@dataclass(frozen=True)
class Operation:
    document: OpenAPI
    document_name: str
    method: str
    template: str
    pattern: re.Pattern[str]
    statuses: frozenset[str]


def openapi_dir() -> Path | None:
    value = os.environ.get(OPENAPI_DIR_VARIABLE)
    return Path(value) if value else None


def require_openapi_dir() -> Path:
    """Return the documents' folder, or skip the calling test when it is not set."""
    directory = openapi_dir()
    if directory is None or not (directory / "contacts.json").is_file():
        pytest.skip(
            f"{OPENAPI_DIR_VARIABLE} is not set to a folder with HighLevel's OpenAPI documents"
        )
    return directory


@cache
def _operations(directory: Path) -> tuple[Operation, ...]:
    operations = []
    for name in DOCUMENTS:
        data = json.loads((directory / name).read_text(encoding="utf-8"))
        # The documents refer to ../common/common-schemas.json, as seen from a subfolder of
        # the folder that holds common/; a base URI one level down resolves that.
        base_uri = (directory / "apps" / name).as_uri()
        # The documents' security schemes carry properties that OpenAPI 3.0 does not allow
        # (``in`` and ``name`` on an http scheme), so the document check is switched off.
        config = Config(spec_validator_cls=None)
        document = OpenAPI.from_dict(data, config=config, base_uri=base_uri)
        for template, methods in data["paths"].items():
            regex = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
            for method, operation in methods.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                operations.append(
                    Operation(
                        document=document,
                        document_name=name,
                        method=method.upper(),
                        template=template,
                        pattern=re.compile(regex),
                        statuses=frozenset(operation["responses"]),
                    )
                )
    # Fixed paths before templated ones, so /contacts/search wins over /contacts/{contactId}.
    operations.sort(key=lambda op: op.template.count("{"))
    return tuple(operations)


def find_operation(method: str, path: str) -> Operation | None:
    directory = require_openapi_dir()
    for operation in _operations(directory):
        if operation.method == method.upper() and operation.pattern.match(path):
            return operation
    # HighLevel documents collection paths with a trailing slash (/contacts/).
    if not path.endswith("/"):
        return find_operation(method, path + "/")
    return None


class _Request:
    """An ``httpx.Request`` as openapi-core reads requests."""

    def __init__(self, request: httpx.Request, path: str) -> None:
        self._request = request
        self._path = path
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qsl(request.url.query.decode(), keep_blank_values=True)),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(),
        )

    @property
    def host_url(self) -> str:
        return DOCUMENTED_SERVER

    @property
    def path(self) -> str:
        return self._path

    @property
    def method(self) -> str:
        return self._request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self._request.content or None

    @property
    def content_type(self) -> str:
        return self._request.headers.get("content-type", "application/json")


class _Response:
    """An ``httpx.Response`` as openapi-core reads responses."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def content_type(self) -> str:
        return self._response.headers.get("content-type", "")

    @property
    def headers(self) -> Headers:
        return Headers(list(self._response.headers.items()))

    @property
    def data(self) -> bytes:
        return self._response.content


def _describe(error: Exception) -> list[str]:
    details = [f"{type(error).__name__}: {error}"]
    cause: Any = error.__cause__
    for schema_error in getattr(cause, "schema_errors", None) or []:
        where = "/".join(str(part) for part in schema_error.absolute_path)
        details.append(f"  at {where or '(root)'}: {schema_error.message}")
    return details


def contract_violations(
    request: httpx.Request, response: httpx.Response, *, check_request: bool = True
) -> list[str]:
    """Return what breaks the official document in this exchange; an empty list if nothing.

    ``check_request=False`` checks only the response, for requests that are wrong on purpose.
    """
    path = request.url.path
    operation = find_operation(request.method, path)
    if operation is None:
        return [f"No official document declares {request.method} {path}."]
    adapted = _Request(
        request, path if operation.template.endswith("/") == path.endswith("/") else path + "/"
    )

    violations: list[str] = []
    if check_request:
        try:
            operation.document.validate_request(adapted)
        except OpenAPIError as error:
            violations += ["request: " + line for line in _describe(error)]

    status = str(response.status_code)
    gap = KNOWN_GAPS.get((operation.method, operation.template))
    if status not in operation.statuses or (gap is not None and response.is_success):
        return violations
    try:
        operation.document.validate_response(adapted, _Response(response))
    except OpenAPIError as error:
        violations += [f"response {status}: " + line for line in _describe(error)]
    return violations


def assert_conforms(
    request: httpx.Request, response: httpx.Response, *, check_request: bool = True
) -> None:
    violations = contract_violations(request, response, check_request=check_request)
    where = f"{request.method} {request.url.path} -> {response.status_code}"
    assert not violations, where + "\n" + "\n".join(violations)
