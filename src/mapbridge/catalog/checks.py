"""``mapbridge validate``: every check on the catalog, collecting all problems instead of the first."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from pydantic import ValidationError

from mapbridge.catalog.manifest import Manifest, Operation, read_manifest_json
from mapbridge.catalog.modules import defines_perform, read_declaration
from mapbridge.catalog.requests import RequestSpec
from mapbridge.catalog.schemas import format_path, validator_for, violations
from mapbridge.errors import ManifestError
from mapbridge.paths import catalog_root

MANIFEST_SCHEMA = "schemas/connector.schema.json"
_APP_KINDS = {
    "contacts_api": {"create", "update", "delete", "search", "poll", "hook"},
    "mindmanager": {"create", "update", "delete", "search", "file-watch"},
    "sync": {"create", "update", "delete", "search"},
}


def check_catalog() -> tuple[list[str], dict[str, int]]:
    """Return (problems, counts of what was checked)."""
    root = catalog_root()
    problems: list[str] = []
    counts = {"operations": 0, "schemas": 0, "modules": 0, "samples": 0}

    try:
        data = read_manifest_json()
    except ManifestError as error:
        return [error.message], counts
    for violation in violations(MANIFEST_SCHEMA, data, "connector.json"):
        problems.append(str(violation))
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            problems.append(f"{format_path('connector.json', item['loc'])}: {item['msg']}")
        return problems, counts

    problems += _check_schema_files(root, counts)
    problems += _check_unique_keys(manifest)
    for operation in manifest.operations:
        counts["operations"] += 1
        problems += _check_operation(root, operation, counts)
    return problems, counts


def _check_schema_files(root: Path, counts: dict[str, int]) -> list[str]:
    problems = []
    for path in sorted((root / "schemas").rglob("*.json")):
        counts["schemas"] += 1
        relative = path.relative_to(root).as_posix()
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
            Draft202012Validator.check_schema(schema)
        except (json.JSONDecodeError, SchemaError) as error:
            message = error.message if isinstance(error, SchemaError) else str(error)
            problems.append(f"{relative}: not a valid JSON Schema (Draft 2020-12): {message}")
    return problems


def _check_unique_keys(manifest: Manifest) -> list[str]:
    seen: set[str] = set()
    problems = []
    for operation in manifest.operations:
        if operation.key in seen:
            problems.append(f"{operation.key}: the key is listed more than once")
        seen.add(operation.key)
    return problems


def _check_operation(root: Path, operation: Operation, counts: dict[str, int]) -> list[str]:
    key = operation.key
    problems = []
    folder = "triggers" if operation.is_trigger else "actions"
    expected_module = f"{folder}/{operation.app}/{key}.py"
    if operation.module != expected_module:
        problems.append(f"{key}: module should be {expected_module}, not {operation.module}")
    if operation.kind not in _APP_KINDS[operation.app]:
        problems.append(f"{key}: kind {operation.kind} is not allowed for app {operation.app}")
    if operation.app == "contacts_api" and not operation.scopes:
        problems.append(f"{key}: a Contacts API operation must list its scopes")
    if operation.app == "contacts_api" and operation.api_version is None:
        problems.append(f"{key}: a Contacts API operation must name its Version header")
    for label, relative in (("input", operation.input_schema), ("output", operation.output_schema)):
        expected = f"schemas/{operation.app}/{key}.{label}.json"
        if relative != expected:
            problems.append(f"{key}: {label} schema should be {expected}, not {relative}")
        if not (root / relative).is_file():
            problems.append(f"{key}: {label} schema {relative} not found")
            return problems

    problems += _check_module(root, operation, counts)
    try:
        counts["samples"] += 1
        for violation in violations(operation.output_schema, operation.sample, f"{key}.sample"):
            problems.append(str(violation))
        validator_for(operation.input_schema)
    except Exception as error:  # noqa: BLE001 - a broken $ref must be reported, not crash validate
        problems.append(f"{key}: its schemas cannot be used: {error}")
    return problems


def _check_module(root: Path, operation: Operation, counts: dict[str, int]) -> list[str]:
    key = operation.key
    path = root / operation.module
    if not path.is_file():
        return [f"{key}: module {operation.module} not found"]
    counts["modules"] += 1
    try:
        declaration = read_declaration(path)
        has_perform = defines_perform(path)
    except (ManifestError, SyntaxError) as error:
        return [f"{key}: {error}"]
    if declaration is None and not has_perform:
        return [f"{key}: {operation.module} defines neither REQUEST nor perform()"]
    if declaration is None:
        return []
    try:
        spec = RequestSpec.model_validate(declaration)
    except ValidationError as error:
        return [
            f"{key}: REQUEST is invalid: {item['msg']} at {item['loc']}" for item in error.errors()
        ]
    return _check_request_names(root, operation, spec)


def _check_request_names(root: Path, operation: Operation, spec: RequestSpec) -> list[str]:
    schema: dict[str, Any] = json.loads((root / operation.input_schema).read_text(encoding="utf-8"))
    known = set(schema.get("properties", {}))
    required = set(schema.get("required", []))
    problems = []
    for name in spec.path_names:
        if name == "locationId":
            continue
        if name not in known:
            problems.append(
                f"{operation.key}: path placeholder {{{name}}} is not an input property"
            )
        elif name not in required:
            problems.append(
                f"{operation.key}: path placeholder {{{name}}} must be a required input"
            )
    names = list(spec.query_names())
    if isinstance(spec.body, list):
        names += spec.body
    for name in names:
        if name not in known:
            problems.append(
                f"{operation.key}: REQUEST names {name!r}, which is not an input property"
            )
    return problems
