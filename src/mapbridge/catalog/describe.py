"""Readable summaries of an operation's schemas for ``mapbridge describe``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def resolve(spec: dict[str, Any], base: Path) -> tuple[dict[str, Any], Path]:
    """Follow ``$ref`` (to another file and/or a JSON pointer) and merge the local keywords."""
    for _ in range(10):
        reference = spec.get("$ref")
        if not isinstance(reference, str):
            break
        file_part, _, pointer = reference.partition("#")
        target = (base.parent / file_part).resolve() if file_part else base
        node: Any = _load(target)
        for part in (p for p in pointer.split("/") if p):
            node = node[part]
        spec = {**node, **{key: value for key, value in spec.items() if key != "$ref"}}
        base = target
    return spec, base


def type_label(spec: dict[str, Any], base: Path) -> str:
    """Name a property's type the way a user reads it: ``string``, ``array of string``, ``one of a|b``."""
    spec, base = resolve(spec, base)
    if "enum" in spec:
        return "one of " + "|".join(str(value) for value in spec["enum"])
    if "const" in spec:
        return json.dumps(spec["const"])
    alternatives = spec.get("anyOf") or spec.get("oneOf")
    if alternatives and "type" not in spec:
        return " or ".join(type_label(branch, base) for branch in alternatives)
    kind = spec.get("type")
    if isinstance(kind, list):
        return "|".join(kind)
    if kind == "array" and isinstance(spec.get("items"), dict):
        return "array of " + type_label(spec["items"], base)
    if kind is None:
        return "object" if "properties" in spec else "any"
    return str(kind)


def schema_summary(path: Path) -> tuple[dict[str, Any], list[str]]:
    """Return the schema (its root reference followed) and one line per property."""
    schema, base = resolve(_load(path), path)
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    lines = []
    for name, spec in properties.items():
        resolved, _ = resolve(spec, base)
        marker = "required" if name in required else "optional"
        text = resolved.get("description", "")
        lines.append(f"  {name} ({type_label(spec, base)}, {marker}) {text}".rstrip())
    if not lines:
        lines.append("  (no properties)")
    return schema, lines
