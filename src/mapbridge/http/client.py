"""The asynchronous Contacts API client: auth, Version header, rate limit, retries, errors."""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from mapbridge.connection import Connection
from mapbridge.errors import NetworkError, RateLimited, RetriableApiError
from mapbridge.http.failures import error_from_response
from mapbridge.http.limiter import RateLimiter, RateLimitStatus, limit_file, limiter_for
from mapbridge.http.redact import safe_url

logger = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})

request_subject: ContextVar[str | None] = ContextVar("request_subject", default=None)
"""Subject of the requests sent in the current task (a topic, say), for the journal."""
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a retriable failure is repeated (seconds)."""

    attempts: int = 5
    initial_wait: float = 0.5
    max_wait: float = 30.0
    jitter: float = 0.5


def _may_repeat(error: BaseException, idempotent: bool) -> bool:
    """Decide whether repeating the request is safe.

    A 429 and a connection that never opened reached no handler, so any method may repeat. A
    timeout or a 5xx after the request was sent may have applied a create, so only idempotent
    requests repeat. Creates are looked up by the operation instead.
    """
    if not isinstance(error, RetriableApiError):
        return False
    if isinstance(error, RateLimited):
        return True
    if isinstance(error, NetworkError) and not getattr(error, "reached_server", True):
        return True
    return idempotent


class ApiClient:
    """One connection's HTTP client; use as ``async with ApiClient(connection) as client``."""

    def __init__(
        self,
        connection: Connection,
        *,
        limiter: RateLimiter | None = None,
        retry: RetryPolicy | None = None,
        event_hooks: dict[str, list[Any]] | None = None,
    ) -> None:
        self.connection = connection
        self.limiter = limiter or limiter_for(
            connection.base_url, connection.location_id, connection.state_folder
        )
        self.retry = retry or RetryPolicy()
        self._event_hooks = event_hooks or {}
        self._client: httpx.AsyncClient | None = None
        self.request_count = 0
        self.journal: list[dict[str, Any]] | None = None
        """When a list, each request that got a response is appended (operation, path, status)."""

    async def __aenter__(self) -> ApiClient:
        kwargs: dict[str, Any] = {}
        if self.connection.transport is not None:
            kwargs["transport"] = self.connection.transport
        self._client = httpx.AsyncClient(
            base_url=self.connection.base_url,
            auth=self.connection.auth,
            timeout=httpx.Timeout(
                self.connection.timeout, connect=min(self.connection.timeout, 10)
            ),
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=20),
            headers={"Accept": "application/json", "User-Agent": "mapbridge/0.1"},
            event_hooks=self._event_hooks,
            **kwargs,
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        folder = self.connection.state_folder
        if folder is not None and self.request_count:
            try:
                self.limiter.save(
                    limit_file(folder, self.connection.base_url, self.connection.location_id)
                )
            except OSError as error:
                logger.warning("Could not save the rate limit state in %s: %s", folder, error)

    async def request(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        api_version: str,
        params: dict[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send one API request with retries and return its parsed JSON body ({} when empty)."""
        method = method.upper()
        repeatable = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.retry.attempts),
            wait=wait_exponential_jitter(
                multiplier=self.retry.initial_wait,
                max=self.retry.max_wait,
                jitter=self.retry.jitter,
            ),
            retry=retry_if_exception(lambda error: _may_repeat(error, repeatable)),
            before_sleep=self._log_retry(operation, method, path),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return await self._send_once(method, path, operation, api_version, params, json)
        raise AssertionError("unreachable: tenacity either returns or re-raises")

    @staticmethod
    def _log_retry(operation: str, method: str, path: str) -> Any:
        def log(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            wait = state.next_action.sleep if state.next_action else 0.0
            logger.warning(
                "Retrying %s (%s %s) in %.1f s after attempt %d: %s",
                operation,
                method,
                safe_url(path),
                wait,
                state.attempt_number,
                type(error).__name__,
            )

        return log

    async def _send_once(
        self,
        method: str,
        path: str,
        operation: str,
        api_version: str,
        params: dict[str, Any] | None,
        json: Any,
    ) -> Any:
        if self._client is None:
            raise RuntimeError("ApiClient used outside 'async with'")
        await self.limiter.acquire()
        started = time.perf_counter()
        response: httpx.Response | None = None
        try:
            response = await self._client.request(
                method, path, params=params, json=json, headers={"Version": api_version}
            )
        except httpx.TransportError as error:
            raise self._network_error(error, operation, method, path, self.connection) from None
        finally:
            status = RateLimitStatus.from_headers(response.headers) if response else None
            self.limiter.release(status)
            self.request_count += 1

        elapsed_ms = (time.perf_counter() - started) * 1000
        if self.journal is not None:
            self.journal.append(
                {
                    "operation": operation,
                    "method": method,
                    "path": response.url.path,
                    "status": response.status_code,
                    "topic": request_subject.get(),
                }
            )
        logger.debug(
            "%s %s -> %d in %.0f ms",
            method,
            safe_url(str(response.url)),
            response.status_code,
            elapsed_ms,
        )
        if response.is_success:
            return response.json() if response.content else {}

        failure = error_from_response(response, operation)
        if isinstance(failure, RateLimited) and status is not None and status.remaining == 0:
            # The burst window is full: nothing gets through until it frees. A 429 with budget
            # left has another cause, so it only gets the retry policy's backoff.
            self.limiter.pause(failure.wait_seconds or self.limiter.interval_seconds)
        raise failure

    @staticmethod
    def _network_error(
        error: httpx.TransportError,
        operation: str,
        method: str,
        path: str,
        connection: Connection,
    ) -> NetworkError:
        reached = not isinstance(error, _NOT_SENT)
        kind = "timed out" if isinstance(error, httpx.TimeoutException) else "failed"
        failure = NetworkError(
            f"{operation} failed: the request {method} {safe_url(path)} to "
            f"{connection.base_url} {kind} ({type(error).__name__}). Check the network and "
            "MAPBRIDGE_BASE_URL, then try again.",
            operation=operation,
        )
        failure.reached_server = reached  # type: ignore[attr-defined]
        return failure
