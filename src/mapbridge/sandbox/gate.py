"""The ASGI layer in front of every API route: faults, token, rate limit, Version header.

Each request passes these steps in order:

1. injected latency and faults,
2. the bearer token (401, which does not count against the rate limit),
3. the location's rate limit (429),
4. the ``Version`` header (400),
5. the route.

Responses to counted requests carry the ``X-RateLimit-*`` headers. Admin routes under
``/_sandbox`` skip all of it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mapbridge.sandbox.auth import bearer_token
from mapbridge.sandbox.config import API_VERSION, CALENDARS_API_VERSION
from mapbridge.sandbox.ids import new_trace_id
from mapbridge.sandbox.limits import FaultPlan
from mapbridge.sandbox.problems import (
    INVALID_TOKEN_MESSAGE,
    ApiProblem,
    BadRequestProblem,
    UnauthorizedProblem,
)
from mapbridge.sandbox.state import SandboxState

logger = logging.getLogger(__name__)

ADMIN_PREFIX = "/_sandbox"
_ERROR_TEXT = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class InjectedConnectionDrop(httpx.RemoteProtocolError):
    """Raised to cut a connection after the response started, when a drop fault is drawn.

    It subclasses httpx's own error so that a client calling the app in-process through
    ``httpx.ASGITransport`` sees what it would see on a socket: a broken response. Behind
    uvicorn the exception makes the server close the connection mid-body.
    """


class RateLimited(ApiProblem):
    status = 429
    error = "Too Many Requests"


def expected_version(path: str) -> str:
    """Return the ``Version`` header value HighLevel's OpenAPI documents allow for ``path``."""
    return CALENDARS_API_VERSION if path.startswith("/calendars") else API_VERSION


class ApiGate:
    """Pure ASGI middleware; see the module docstring for what it does in which order."""

    def __init__(self, app: ASGIApp, state: SandboxState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return

        trace_id = new_trace_id()
        scope.setdefault("state", {})["trace_id"] = trace_id
        stats = self.state.stats
        stats.record_request()
        extra_headers: dict[str, str] = {}

        async def send_counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                stats.record_status(message["status"])
                headers = message.setdefault("headers", [])
                headers.extend((k.lower().encode(), v.encode()) for k, v in extra_headers.items())
            await send(message)

        plan = self.state.faults.draw(self.state.config)
        delayed_receive = await self._apply_delays(plan, scope, receive)
        if delayed_receive is None:
            return
        receive = delayed_receive
        if plan.kind == "error":
            await self._answer(
                ApiProblem(_ERROR_TEXT[plan.error_status]),
                trace_id,
                scope,
                send_counted,
                status=plan.error_status,
            )
            return
        if plan.kind == "burst_429":
            config = self.state.config
            extra_headers["X-RateLimit-Max"] = str(config.rate_limit_max)
            extra_headers["X-RateLimit-Remaining"] = "0"
            extra_headers["X-RateLimit-Interval-Milliseconds"] = str(config.rate_limit_interval_ms)
            await self._answer(RateLimited("Too many requests"), trace_id, scope, send_counted)
            return

        grant = None
        token = bearer_token(Headers(scope=scope))
        if token is not None:
            grant = self.state.store.token_grant(token)
        if grant is None:
            await self._answer(
                UnauthorizedProblem(INVALID_TOKEN_MESSAGE), trace_id, scope, send_counted
            )
            return
        scope["state"]["grant"] = grant

        decision = self.state.limiter.check(grant.location_id, self.state.config)
        extra_headers.update(decision.headers)
        if not decision.allowed:
            await self._answer(RateLimited("Too many requests"), trace_id, scope, send_counted)
            return

        version_problem = self._version_problem(scope)
        if version_problem is not None:
            await self._answer(version_problem, trace_id, scope, send_counted)
            return

        if plan.kind == "drop":
            stats.record_fault("drop")
            logger.debug(
                "Injecting a dropped connection into %s %s", scope["method"], scope["path"]
            )
            await self.app(scope, receive, _dropping(send_counted))
        else:
            await self.app(scope, receive, send_counted)

    async def _apply_delays(
        self, plan: FaultPlan, scope: Scope, receive: Receive
    ) -> Receive | None:
        """Sleep the added latency and any stall; return None when the client left meanwhile."""
        if plan.latency_seconds > 0:
            await asyncio.sleep(plan.latency_seconds)
        if plan.kind == "error":
            self.state.stats.record_fault("error")
            logger.debug(
                "Injecting a %d response into %s %s",
                plan.error_status,
                scope["method"],
                scope["path"],
            )
        elif plan.kind == "burst_429":
            self.state.stats.record_fault("burst_429")
            logger.debug("Injecting a 429 response into %s %s", scope["method"], scope["path"])
        elif plan.kind == "stall":
            self.state.stats.record_fault("stall")
            seconds = self.state.config.timeout_seconds
            logger.debug("Stalling %s %s for %.1f s", scope["method"], scope["path"], seconds)
            return await _stall(receive, seconds)
        return receive

    def _version_problem(self, scope: Scope) -> ApiProblem | None:
        path = scope["path"]
        expected = expected_version(path)
        sent = Headers(scope=scope).get("version")
        if sent is None:
            return BadRequestProblem(
                f"The Version header is missing. Send 'Version: {expected}' with every request "
                f"to {path}."
            )
        if sent.strip() != expected:
            return BadRequestProblem(
                f"Version {sent!r} is not supported for {path}. Send 'Version: {expected}'."
            )
        return None

    @staticmethod
    async def _answer(
        problem: ApiProblem,
        trace_id: str,
        scope: Scope,
        send: Send,
        *,
        status: int | None = None,
    ) -> None:
        body = problem.body(trace_id)
        if status is not None:
            body["statusCode"] = status
        response = JSONResponse(body, status_code=status or problem.status)
        await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _stall(receive: Receive, seconds: float) -> Receive | None:
    """Hold the request for ``seconds`` unless the client disconnects first.

    The request body read meanwhile is replayed to the route afterwards.
    """
    buffered: list[Message] = []

    async def until_disconnect() -> None:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            buffered.append(message)

    try:
        await asyncio.wait_for(until_disconnect(), timeout=seconds)
    except TimeoutError:
        pass
    else:
        logger.debug("Client disconnected during a stall")
        return None

    async def replay() -> Message:
        if buffered:
            return buffered.pop(0)
        return await receive()

    return replay


def _dropping(send: Send) -> Callable[[MutableMapping[str, Any]], Awaitable[None]]:
    """Wrap ``send`` so that the response stops after half its body and the connection fails."""

    async def send_half(message: MutableMapping[str, Any]) -> None:
        if message["type"] != "http.response.body":
            await send(message)
            return
        body: bytes = message.get("body", b"")
        await send(
            {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
        )
        raise InjectedConnectionDrop("The sandbox dropped the connection on purpose (drop_rate).")

    return send_half
