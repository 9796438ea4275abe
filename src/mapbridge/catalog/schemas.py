"""JSON Schema loading and validation (Draft 2020-12, ``$ref`` between schema files).

Schema files need no ``$id``: each is identified by its file URI, so relative references such as
``../definitions/contact.json`` resolve the same way for mapbridge and for any tool that reads the
files from disk.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

from mapbridge.errors import ManifestError, Violation
from mapbridge.paths import catalog_root

_FORMAT_CHECKER = FormatChecker()


def _schemas_dir() -> Path:
    return (catalog_root() / "schemas").resolve()


@cache
def _retrieve(uri: str) -> Resource[Any]:
    """Load a referenced schema file, refusing anything outside the catalog's schemas folder."""
    if not uri.startswith("file://"):
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
    path = Path(uri.removeprefix("file://")).resolve()
    if not path.is_relative_to(_schemas_dir()) or not path.is_file():
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
    return Resource.from_contents(_read_json(path), default_specification=DRAFT202012)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ManifestError(f"Cannot read the schema {path}: {error}") from None


@cache
def validator_for(relative_path: str) -> Draft202012Validator:
    """Return a validator for the schema file at ``relative_path`` in the catalog."""
    path = (catalog_root() / relative_path).resolve()
    schema = _read_json(path)
    registry: Registry[Any] = Registry(retrieve=_retrieve)  # type: ignore[call-arg]
    uri = path.as_uri()
    registry = registry.with_resource(
        uri, Resource.from_contents(schema, default_specification=DRAFT202012)
    )
    return Draft202012Validator({"$ref": uri}, registry=registry, format_checker=_FORMAT_CHECKER)


def format_path(prefix: str, parts: Any) -> str:
    """Render a jsonschema path as ``input.contacts[3].id``."""
    text = prefix
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


_FORMAT_HINTS = {
    "date-time": "expected ISO 8601 with a time zone, e.g. 2026-12-10T15:00:00Z",
    "date": "expected YYYY-MM-DD, e.g. 2026-12-10",
    "email": "expected an address such as name@example.com",
    "uri": "expected a full URL such as https://example.com",
}


def _describe(error: ValidationError) -> str:
    if error.validator in ("anyOf", "oneOf"):
        alternatives = error.validator_value
        if all(set(branch) == {"required"} for branch in alternatives):
            needed = sorted({name for branch in alternatives for name in branch["required"]})
            return "needs at least one of " + ", ".join(needed)
    if error.validator == "format" and error.validator_value in _FORMAT_HINTS:
        return f"{error.instance!r} is invalid: {_FORMAT_HINTS[error.validator_value]}"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - allowed)
        if extra:
            names = ", ".join(repr(name) for name in extra)
            known = ", ".join(sorted(allowed)) or "none"
            return f"unknown propert{'y' if len(extra) == 1 else 'ies'} {names} (allowed: {known})"
    return str(error.message)


def violations(relative_path: str, instance: Any, prefix: str) -> list[Violation]:
    """Return every violation of the schema, sorted by path, each named from ``prefix``."""
    validator = validator_for(relative_path)
    found: list[Violation] = []
    for error in validator.iter_errors(instance):
        leaves = _leaf_errors(error)
        for leaf in leaves:
            found.append(Violation(format_path(prefix, leaf.absolute_path), _describe(leaf)))
    unique = {(v.path, v.message): v for v in found}
    return sorted(unique.values(), key=lambda v: (v.path, v.message))


def _leaf_errors(error: ValidationError) -> list[ValidationError]:
    """Descend into ``anyOf``/``oneOf`` failures to the branch that got furthest."""
    if error.context:
        best = max(error.context, key=lambda e: len(e.absolute_path))
        deepest = [e for e in error.context if len(e.absolute_path) == len(best.absolute_path)]
        if len(best.absolute_path) > len(error.absolute_path):
            return [leaf for e in deepest for leaf in _leaf_errors(e)]
    return [error]
