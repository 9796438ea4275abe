"""The generic runner: find the operation, check input and scopes, perform, check output."""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import Callable
from typing import Any

from mapbridge.catalog.manifest import Manifest, Operation, load_manifest
from mapbridge.catalog.modules import load_module
from mapbridge.catalog.requests import RequestSpec, execute
from mapbridge.catalog.schemas import violations
from mapbridge.connection import Connection
from mapbridge.context import OperationApi, OperationContext
from mapbridge.errors import InputError, ManifestError, OutputError, PermissionDenied
from mapbridge.http.client import ApiClient, RetryPolicy
from mapbridge.state import StateStore, subscription_id

logger = logging.getLogger(__name__)

ConnectionFactory = Callable[[], Connection]


def parse_input(text: str) -> dict[str, Any]:
    """Parse an operation's input JSON, naming the position of a syntax error."""
    try:
        data = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as error:
        raise InputError(
            f"The input is not valid JSON: {error.msg} at line {error.lineno}, column "
            f'{error.colno}. Pass a JSON object, e.g. --input \'{{"contactId": "..."}}\'.'
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            f"The input must be a JSON object, not {type(data).__name__}. "
            "Wrap the values in {...}."
        )
    return data


class Runner:
    """Runs catalogued operations. ``connection`` is built lazily, only for API operations."""

    def __init__(
        self,
        connection: Connection | ConnectionFactory | None = None,
        *,
        manifest: Manifest | None = None,
        retry: RetryPolicy | None = None,
        event_hooks: dict[str, list[Any]] | None = None,
        state_store: StateStore | None = None,
    ) -> None:
        self.manifest = manifest or load_manifest()
        self._connection = connection
        self.retry = retry
        self.event_hooks = event_hooks
        self._state_store = state_store

    def state_store(self) -> StateStore:
        if self._state_store is None:
            from mapbridge.state import default_store

            self._state_store = default_store()
        return self._state_store

    def connection(self) -> Connection:
        if callable(self._connection):
            self._connection = self._connection()
        if self._connection is None:
            from mapbridge.config import load_settings

            self._connection = Connection.from_settings(load_settings())
        return self._connection

    def run(self, key: str, data: dict[str, Any]) -> dict[str, Any]:
        """Run one operation synchronously and return its validated output."""
        return asyncio.run(self.arun(key, data))

    async def arun(self, key: str, data: dict[str, Any]) -> dict[str, Any]:
        operation = self.manifest.get(key)
        self.check_input(operation, data)
        if not self.needs_api(operation):
            return await self._perform(operation, data, None)
        connection = self.connection()
        self.check_scopes(operation, connection)
        async with self.client(connection) as client:
            return await self._perform(operation, data, client)

    def client(self, connection: Connection) -> ApiClient:
        return ApiClient(connection, retry=self.retry, event_hooks=self.event_hooks)

    async def run_with_client(
        self, key: str, data: dict[str, Any], client: ApiClient | None
    ) -> dict[str, Any]:
        operation = self.manifest.get(key)
        self.check_input(operation, data)
        if client is not None and self.needs_api(operation):
            self.check_scopes(operation, client.connection)
        return await self._perform(operation, data, client)

    @staticmethod
    def needs_api(operation: Operation) -> bool:
        return operation.app in ("contacts_api", "sync")

    @staticmethod
    def check_input(operation: Operation, data: dict[str, Any]) -> None:
        found = violations(operation.input_schema, data, "input")
        if found:
            raise InputError(
                f"The input of {operation.key} is invalid ({len(found)} problem"
                f"{'' if len(found) == 1 else 's'}). See 'mapbridge describe {operation.key}'.",
                found,
            )

    @staticmethod
    def check_scopes(operation: Operation, connection: Connection) -> None:
        if connection.scopes is None:
            return
        missing = sorted(set(operation.scopes) - connection.scopes)
        if missing:
            raise PermissionDenied(
                f"{operation.key} needs the scope{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}, which the connection lacks. Add "
                f"{'them' if len(missing) > 1 else 'it'} to the Private Integration Token in "
                "HighLevel (Settings > Private Integrations) and to MAPBRIDGE_SCOPES."
            )

    async def _perform(
        self, operation: Operation, data: dict[str, Any], client: ApiClient | None
    ) -> dict[str, Any]:
        context = OperationContext(operation=operation, runner=self, client=client)
        if operation.is_trigger:
            return await self._check_trigger(operation, data, context)
        result = await self._call_module(operation, data, context)
        self.check_output(operation, result)
        return result

    async def _check_trigger(
        self, operation: Operation, data: dict[str, Any], context: OperationContext
    ) -> dict[str, Any]:
        """Run one trigger check and return only items not delivered before, newest first."""
        store = self.state_store()
        subscription = subscription_id(operation.key, data)
        context.previous_state = store.snapshot(subscription)
        result = await self._call_module(operation, data, context)
        items = result.get("items")
        if not isinstance(items, list):
            raise OutputError(f"{operation.key} returned no 'items' list.")
        fresh = store.undelivered(subscription, [str(item.get("id")) for item in items])
        delivered = [item for item in items if str(item.get("id")) in fresh]
        output = {"items": delivered}
        self.check_output(operation, output)
        state = context.next_state if context.next_state is not None else context.previous_state
        store.commit(subscription, operation.key, state, [str(item["id"]) for item in delivered])
        return output

    async def _call_module(
        self, operation: Operation, data: dict[str, Any], context: OperationContext
    ) -> dict[str, Any]:
        module = load_module(operation)
        perform = getattr(module, "perform", None)
        declaration = getattr(module, "REQUEST", None)
        if perform is not None:
            result = perform(context, data)
            if inspect.isawaitable(result):
                result = await result
        elif declaration is not None:
            result = await execute(context.api, RequestSpec.model_validate(declaration), data)
        else:
            raise ManifestError(f"Module {operation.module} defines neither REQUEST nor perform().")
        if not isinstance(result, dict):
            raise OutputError(
                f"{operation.key} returned {type(result).__name__}, not a JSON object."
            )
        return result

    @staticmethod
    def check_output(operation: Operation, result: dict[str, Any]) -> None:
        found = violations(operation.output_schema, result, "output")
        if found:
            raise OutputError(
                f"{operation.key} returned data that breaks its output schema. This is a bug "
                "in mapbridge or an API change; please report it with the lines below.",
                found,
            )


__all__ = ["OperationApi", "OperationContext", "Runner", "parse_input"]
