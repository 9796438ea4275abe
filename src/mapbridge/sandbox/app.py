"""The Starlette app of the sandbox: routes, error responses and the gate in front."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from mapbridge.sandbox.admin import ADMIN_ROUTES
from mapbridge.sandbox.config import SandboxConfig
from mapbridge.sandbox.gate import ApiGate
from mapbridge.sandbox.problems import ApiProblem
from mapbridge.sandbox.routes import API_ROUTES
from mapbridge.sandbox.state import SandboxState
from mapbridge.sandbox.store import SandboxStore

logger = logging.getLogger(__name__)

CLIENT_CLOSED_REQUEST = 499
"""Status logged for a request whose client went away (no one receives it)."""


def _trace_id(request: Request) -> str:
    return str(getattr(request.state, "trace_id", ""))


async def _problem_response(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiProblem)
    return JSONResponse(exc.body(_trace_id(request)), status_code=exc.status)


async def _http_error_response(request: Request, exc: Exception) -> Response:
    # Unknown paths and methods get the response HighLevel's servers send: 404 "Cannot <METHOD>
    # <path>", also for a known path with another method.
    assert isinstance(exc, HTTPException)
    status = 404 if exc.status_code in (404, 405) else exc.status_code
    body = {
        "statusCode": status,
        "message": f"Cannot {request.method} {request.url.path}" if status == 404 else exc.detail,
        "error": "Not Found" if status == 404 else exc.detail,
        "traceId": _trace_id(request),
    }
    return JSONResponse(body, status_code=status)


async def _client_left_response(request: Request, exc: Exception) -> Response:
    """Return a response no one receives, because the client closed the connection early."""
    logger.info(
        "Client left during %s %s (traceId %s)",
        request.method,
        request.url.path,
        _trace_id(request),
    )
    return Response(status_code=CLIENT_CLOSED_REQUEST)


async def _server_error_response(request: Request, exc: Exception) -> Response:
    logger.error(
        "Sandbox failed on %s %s (traceId %s)",
        request.method,
        request.url.path,
        _trace_id(request),
        exc_info=exc,
    )
    body = {"statusCode": 500, "message": "Internal Server Error", "traceId": _trace_id(request)}
    return JSONResponse(body, status_code=500)


def create_app(config: SandboxConfig, *, store: SandboxStore | None = None) -> Starlette:
    """Build the sandbox app. The database opens on the first request that needs it.

    ``store`` shares an existing store (and its database) instead of opening
    ``config.db_path``.
    """
    state = SandboxState(config, store)
    app = Starlette(
        routes=[*API_ROUTES, *ADMIN_ROUTES],
        middleware=[Middleware(ApiGate, state=state)],
        exception_handlers={
            ApiProblem: _problem_response,
            ClientDisconnect: _client_left_response,
            HTTPException: _http_error_response,
            Exception: _server_error_response,
        },
    )
    app.state.sandbox = state
    return app
