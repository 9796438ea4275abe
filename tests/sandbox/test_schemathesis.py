"""Generated requests from HighLevel's OpenAPI documents against a live sandbox.

For each implemented operation, schemathesis generates a small, bounded number of valid
requests. The sandbox must never respond with 5xx, and each documented response must match
its schema. Location ids and contact ids are pinned to seeded records, so most requests reach the
handlers instead of ending in 403 or 404. The tests skip without ``MAPBRIDGE_OPENAPI_DIR``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from openapi_contract import KNOWN_GAPS, require_openapi_dir
from sandbox_client import LOCATION, api_headers
from schemathesis.checks import not_a_server_error, response_schema_conformance

from mapbridge.sandbox import RunningServer, SandboxConfig, running_server, seed_store

MAX_EXAMPLES = 8
COMMON_PREFIX = "../common/common-schemas.json#/components/schemas/"

OPERATIONS = [
    ("contacts.json", "POST", "/contacts/"),
    ("contacts.json", "GET", "/contacts/"),
    ("contacts.json", "GET", "/contacts/{contactId}"),
    ("contacts.json", "PUT", "/contacts/{contactId}"),
    ("contacts.json", "DELETE", "/contacts/{contactId}"),
    ("contacts.json", "POST", "/contacts/upsert"),
    ("contacts.json", "POST", "/contacts/search"),
    ("contacts.json", "GET", "/contacts/search/duplicate"),
    ("contacts.json", "POST", "/contacts/{contactId}/tags"),
    ("contacts.json", "DELETE", "/contacts/{contactId}/tags"),
    ("contacts.json", "GET", "/contacts/{contactId}/tasks"),
    ("contacts.json", "POST", "/contacts/{contactId}/tasks"),
    ("contacts.json", "GET", "/contacts/{contactId}/tasks/{taskId}"),
    ("contacts.json", "PUT", "/contacts/{contactId}/tasks/{taskId}"),
    ("contacts.json", "DELETE", "/contacts/{contactId}/tasks/{taskId}"),
    ("contacts.json", "PUT", "/contacts/{contactId}/tasks/{taskId}/completed"),
    ("contacts.json", "GET", "/contacts/{contactId}/notes"),
    ("contacts.json", "POST", "/contacts/{contactId}/notes"),
    ("contacts.json", "GET", "/contacts/{contactId}/notes/{id}"),
    ("contacts.json", "PUT", "/contacts/{contactId}/notes/{id}"),
    ("contacts.json", "DELETE", "/contacts/{contactId}/notes/{id}"),
    ("contacts.json", "GET", "/contacts/{contactId}/appointments"),
    ("contacts.json", "POST", "/contacts/{contactId}/followers"),
    ("contacts.json", "DELETE", "/contacts/{contactId}/followers"),
    ("locations.json", "GET", "/locations/{locationId}"),
    ("locations.json", "GET", "/locations/{locationId}/tags"),
    ("locations.json", "POST", "/locations/{locationId}/tags"),
    ("locations.json", "GET", "/locations/{locationId}/tags/{tagId}"),
    ("locations.json", "PUT", "/locations/{locationId}/tags/{tagId}"),
    ("locations.json", "DELETE", "/locations/{locationId}/tags/{tagId}"),
    ("locations.json", "POST", "/locations/{locationId}/tasks/search"),
]


def _inline_common_schemas(value: Any, common: dict[str, Any]) -> Any:
    """Point ``$ref``s to the shared error schemas at copies inside the document."""
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMMON_PREFIX):
            return {"$ref": "#/components/schemas/" + ref.removeprefix(COMMON_PREFIX)}
        return {key: _inline_common_schemas(item, common) for key, item in value.items()}
    if isinstance(value, list):
        return [_inline_common_schemas(item, common) for item in value]
    return value


@cache
def _load(directory: Path, name: str) -> Any:
    data = json.loads((directory / name).read_text(encoding="utf-8"))
    common = json.loads((directory / "common" / "common-schemas.json").read_text(encoding="utf-8"))
    schemas = common["components"]["schemas"]
    data = _inline_common_schemas(data, schemas)
    data["components"]["schemas"].update(schemas)
    return schemathesis.openapi.from_dict(data)


@pytest.fixture(scope="module")
def live_sandbox() -> Iterator[tuple[RunningServer, dict[str, str]]]:
    """A seeded sandbox with limits high enough for generated traffic, and ids to pin."""
    require_openapi_dir()
    with running_server(SandboxConfig(rate_limit_max=100_000, random_seed=2)) as server:
        seed_store(server.store, contacts=5, random_seed=2)
        contact = server.store.list_contacts(LOCATION, limit=1).contacts[0]
        task = server.store.create_task(
            contact["id"],
            {"title": "Call", "dueDate": "2030-01-01T00:00:00.000Z", "completed": False},
        )
        note = server.store.create_note(contact["id"], {"body": "Prefers email."})
        tag = server.store.create_tag(LOCATION, "Partner")
        ids = {
            "locationId": LOCATION,
            "contactId": contact["id"],
            "taskId": task["id"],
            "id": note["id"],
            "tagId": tag["id"],
        }
        yield server, ids


def _pin(case: Any, ids: dict[str, str]) -> Any:
    for part in (case.path_parameters, case.query):
        if isinstance(part, dict):
            for key in ids.keys() & part.keys():
                part[key] = ids[key]
    if isinstance(case.body, dict) and "locationId" in case.body:
        case.body["locationId"] = LOCATION
    return case


@pytest.mark.parametrize(
    ("document", "method", "path"), OPERATIONS, ids=[f"{m} {p}" for _, m, p in OPERATIONS]
)
def test_generated_requests(
    live_sandbox: tuple[RunningServer, dict[str, str]], document: str, method: str, path: str
) -> None:
    server, ids = live_sandbox
    schema = _load(require_openapi_dir(), document)
    operation = schema[path][method]
    checks = [not_a_server_error]
    if (method, path) not in KNOWN_GAPS:
        checks.append(response_schema_conformance)

    @given(case=operation.as_strategy().map(lambda case: _pin(case, ids)))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(base_url=server.base_url, headers=api_headers(), timeout=10)
        case.validate_response(response, checks=checks)

    run()
