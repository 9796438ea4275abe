"""Admin routes outside the HighLevel API, for tests and benchmarks.

``GET|PUT /_sandbox/config`` read and change latency, fault and limit settings of the running
app; ``GET|DELETE /_sandbox/stats`` read and reset counters of its responses. They need no token and
count against no limit.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from mapbridge.sandbox.config import ADJUSTABLE_FIELDS, SandboxConfig
from mapbridge.sandbox.state import sandbox_state


def _adjustable(config: SandboxConfig) -> dict[str, Any]:
    values = dataclasses.asdict(config)
    return {key: values[key] for key in sorted(ADJUSTABLE_FIELDS)}


def _rejected(messages: list[str]) -> JSONResponse:
    body = {"statusCode": 422, "message": messages, "error": "Unprocessable Entity"}
    return JSONResponse(body, status_code=422)


async def get_config(request: Request) -> JSONResponse:
    return JSONResponse(_adjustable(sandbox_state(request).config))


async def put_config(request: Request) -> JSONResponse:
    try:
        changes = json.loads(await request.body() or b"{}")
    except json.JSONDecodeError as error:
        return _rejected([f"the body is not valid JSON ({error})"])
    if not isinstance(changes, dict):
        return _rejected(["the body must be a JSON object of SandboxConfig fields"])
    try:
        config = sandbox_state(request).adjust(changes)
    except (TypeError, ValueError) as error:
        return _rejected([str(error)])
    return JSONResponse(_adjustable(config))


async def get_stats(request: Request) -> JSONResponse:
    return JSONResponse(sandbox_state(request).stats.snapshot())


async def reset_stats(request: Request) -> JSONResponse:
    stats = sandbox_state(request).stats
    stats.reset()
    return JSONResponse(stats.snapshot())


ADMIN_ROUTES = [
    Route("/_sandbox/config", get_config, methods=["GET"]),
    Route("/_sandbox/config", put_config, methods=["PUT"]),
    Route("/_sandbox/stats", get_stats, methods=["GET"]),
    Route("/_sandbox/stats", reset_stats, methods=["DELETE"]),
]
