"""The manifest ``connector.json``: every catalogued operation and where its parts live."""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mapbridge.errors import ManifestError, UsageError
from mapbridge.paths import catalog_root

App = Literal["contacts_api", "mindmanager", "sync"]
Kind = Literal["create", "update", "delete", "search", "poll", "hook", "file-watch"]
ApiVersion = Literal["2021-07-28", "2021-04-15"]

TRIGGER_KINDS = frozenset({"poll", "hook", "file-watch"})


class Operation(BaseModel):
    """One catalogued action or trigger."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    app: App
    kind: Kind
    label: str
    description: str
    module: str
    input_schema: str
    output_schema: str
    scopes: tuple[str, ...] = ()
    api_version: ApiVersion | None = None
    sample: dict[str, Any]

    @property
    def is_trigger(self) -> bool:
        return self.kind in TRIGGER_KINDS

    def path_of(self, relative: str) -> Path:
        return catalog_root() / relative


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_ref: str | None = Field(default=None, alias="$schema")
    name: str
    version: str
    operations: tuple[Operation, ...]

    def get(self, key: str) -> Operation:
        """Return the operation named ``key``, or raise a UsageError that suggests close keys."""
        for operation in self.operations:
            if operation.key == key:
                return operation
        keys = [operation.key for operation in self.operations]
        close = difflib.get_close_matches(key, keys, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UsageError(
            f"Unknown operation {key!r}.{hint} Run 'mapbridge list' to see every operation."
        )

    def select(self, app: str | None = None, kind: str | None = None) -> list[Operation]:
        return [
            operation
            for operation in self.operations
            if (app is None or operation.app == app) and (kind is None or operation.kind == kind)
        ]


def read_manifest_json(path: Path | None = None) -> dict[str, Any]:
    path = path or catalog_root() / "connector.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ManifestError(f"Cannot read the manifest {path}: {error}") from None
    if not isinstance(data, dict):
        raise ManifestError(f"The manifest {path} must contain a JSON object.")
    return data


@cache
def load_manifest() -> Manifest:
    """Load and check ``connector.json`` once per process."""
    data = read_manifest_json()
    try:
        return Manifest.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
            for item in error.errors()
        )
        raise ManifestError(
            f"connector.json is invalid: {problems}. Run 'mapbridge validate' for every problem."
        ) from None
