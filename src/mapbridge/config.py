"""Connection settings from the environment and the config file.

Environment variables win over the config file (TOML, see :func:`mapbridge.paths.config_file`):
``MAPBRIDGE_TOKEN``, ``MAPBRIDGE_LOCATION_ID``, ``MAPBRIDGE_BASE_URL``, ``MAPBRIDGE_SCOPES``
(space- or comma-separated) and ``MAPBRIDGE_TIMEOUT`` (seconds).
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from mapbridge.errors import ConfigError
from mapbridge.paths import config_file

DEFAULT_BASE_URL = "https://services.leadconnectorhq.com"

_ENVIRONMENT = {
    "token": "MAPBRIDGE_TOKEN",
    "location_id": "MAPBRIDGE_LOCATION_ID",
    "base_url": "MAPBRIDGE_BASE_URL",
    "scopes": "MAPBRIDGE_SCOPES",
    "timeout": "MAPBRIDGE_TIMEOUT",
}


class Settings(BaseModel):
    """Address, credentials and location that mapbridge uses for the Contacts API."""

    model_config = ConfigDict(extra="forbid")

    token: SecretStr | None = None
    location_id: str | None = None
    base_url: str = DEFAULT_BASE_URL
    scopes: list[str] | None = None
    timeout: float = Field(default=30.0, gt=0)

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(
                f"{value!r} is not an http(s) URL: write it with its scheme, e.g. "
                f"https://services.leadconnectorhq.com or http://127.0.0.1:8765"
            )
        return value


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file (if present), then apply environment overrides."""
    path = path or config_file()
    values: dict[str, object] = {}
    if path.is_file():
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(
                f"Cannot read the config file {path}: {error}. Fix its TOML syntax (for example "
                'token = "pit-...") or remove the file.'
            ) from None
    for field, variable in _ENVIRONMENT.items():
        raw = os.environ.get(variable)
        if raw:
            values[field] = _split_scopes(raw) if field == "scopes" else raw
    try:
        return Settings.model_validate(values)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in item['loc'])}: {item['msg']}" for item in error.errors()
        )
        raise ConfigError(
            f"Invalid settings ({problems}). Check {path} and the MAPBRIDGE_* variables."
        ) from None


def _split_scopes(raw: str) -> list[str]:
    return [scope for scope in re.split(r"[\s,]+", raw) if scope]
