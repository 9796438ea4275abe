"""The context an operation's ``perform`` receives: the operation, its API handle and the runner."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mapbridge.catalog.manifest import Operation
from mapbridge.catalog.requests import RequestSpec, execute
from mapbridge.errors import ConfigError

if TYPE_CHECKING:
    from mapbridge.http.client import ApiClient
    from mapbridge.runner import Runner


class OperationApi:
    """The Contacts API for one operation, with its name and Version header filled in."""

    def __init__(self, client: ApiClient, operation: Operation) -> None:
        self.client = client
        self.operation = operation
        self.location_id = client.connection.location_id

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        return await self.client.request(
            method,
            path,
            operation=self.operation.key,
            api_version=self.operation.api_version or "2021-07-28",
            params=params,
            json=json,
            idempotent=idempotent,
        )

    async def get(self, path: str, **params: Any) -> Any:
        return await self.request("GET", path, params=params or None)

    async def execute(self, declaration: dict[str, Any], data: dict[str, Any]) -> Any:
        """Run a ``REQUEST``-style declaration, e.g. another operation's, for this operation."""
        return await execute(self, RequestSpec.model_validate(declaration), data)


@dataclass
class OperationContext:
    operation: Operation
    runner: Runner
    client: ApiClient | None = None
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("mapbridge.operation"))
    previous_state: Any = None
    """For triggers: the snapshot the last check stored (None on the first check)."""
    next_state: Any = None
    """For triggers: the snapshot to store once this check's items are delivered."""

    @property
    def api(self) -> OperationApi:
        if self.client is None:
            raise ConfigError(
                f"{self.operation.key} needs a Contacts API connection. Set MAPBRIDGE_TOKEN and "
                "MAPBRIDGE_LOCATION_ID, or add --sandbox."
            )
        return OperationApi(self.client, self.operation)

    @property
    def location_id(self) -> str:
        return self.api.location_id

    async def call(self, key: str, data: dict[str, Any]) -> dict[str, Any]:
        """Run another catalogued operation on the same connection, with its own checks."""
        return await self.runner.run_with_client(key, data, self.client)
