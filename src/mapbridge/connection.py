"""A connection: the Contacts API address, the credentials and the location they act for."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from mapbridge.config import Settings
from mapbridge.errors import ConfigError


class BearerAuth(httpx.Auth):
    """Send a fixed token (a Private Integration Token) as ``Authorization: Bearer``.

    OAuth 2.0 plugs in here: a refreshing ``httpx.Auth`` can replace this class without any
    change to the HTTP layer, because every request passes through ``Connection.auth``.
    """

    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(token=***)"


@dataclass
class Connection:
    base_url: str
    auth: httpx.Auth
    location_id: str
    scopes: frozenset[str] | None = None
    timeout: float = 30.0
    transport: httpx.AsyncBaseTransport | None = field(default=None, repr=False)
    label: str = "HighLevel"
    state_folder: Path | None = None
    """Folder for the rate limiter's recent request times between processes (None: memory only)."""

    @classmethod
    def from_settings(cls, settings: Settings) -> Connection:
        if settings.token is None:
            raise ConfigError(
                "No HighLevel token configured. Set MAPBRIDGE_TOKEN to a Private Integration "
                "Token (or add 'token' to the config file), or add --sandbox to use the "
                "embedded sandbox."
            )
        if not settings.location_id:
            raise ConfigError(
                "No location id configured. Set MAPBRIDGE_LOCATION_ID to the sub-account id "
                "(or add 'location_id' to the config file)."
            )
        from mapbridge.paths import data_dir

        return cls(
            base_url=settings.base_url.rstrip("/"),
            auth=BearerAuth(settings.token.get_secret_value()),
            location_id=settings.location_id,
            scopes=frozenset(settings.scopes) if settings.scopes is not None else None,
            timeout=settings.timeout,
            state_folder=data_dir(),
        )

    @classmethod
    def sandbox(cls, db_path: Path | None) -> Connection:
        """Connect in-process to the embedded sandbox stored at ``db_path``."""
        from mapbridge.sandbox import (
            ALL_SCOPES,
            SANDBOX_LOCATION_ID,
            SANDBOX_TOKEN,
            SandboxConfig,
            create_app,
        )

        app = create_app(SandboxConfig(db_path=db_path))
        return cls(
            base_url="http://sandbox.mapbridge.invalid",
            auth=BearerAuth(SANDBOX_TOKEN),
            location_id=SANDBOX_LOCATION_ID,
            scopes=frozenset(ALL_SCOPES),
            transport=httpx.ASGITransport(app=app),
            label="sandbox",
        )
