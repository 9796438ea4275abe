"""Injected faults and the admin routes that steer them on a running sandbox."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx
import pytest
from sandbox_client import LOCATION, api_headers

from mapbridge.sandbox import (
    InjectedConnectionDrop,
    RunningServer,
    SandboxConfig,
    create_app,
)

PATH = f"/locations/{LOCATION}"


def statuses(server: RunningServer, count: int) -> list[int]:
    with httpx.Client(base_url=server.base_url, headers=api_headers(), timeout=5) as client:
        return [client.get(PATH).status_code for _ in range(count)]


def adjust(server: RunningServer, **changes: object) -> httpx.Response:
    return httpx.put(f"{server.base_url}/_sandbox/config", json=changes)


def test_error_rate_gives_5xx(start_sandbox: Callable[..., RunningServer]) -> None:
    server = start_sandbox(error_rate=1.0, random_seed=4)

    response = httpx.get(server.base_url + PATH, headers=api_headers())
    seen = statuses(server, 20)

    assert set(seen) <= {500, 502, 503}
    assert len(set(seen)) > 1
    assert response.json()["statusCode"] == response.status_code
    assert response.json()["traceId"]


def test_same_seed_same_faults(start_sandbox: Callable[..., RunningServer]) -> None:
    first = start_sandbox(error_rate=0.5, random_seed=11)
    second = start_sandbox(error_rate=0.5, random_seed=11)

    first_run = statuses(first, 20)

    assert first_run == statuses(second, 20)
    assert 200 in first_run
    assert any(status >= 500 for status in first_run)


def test_429_burst_rejects_several_requests(sandbox: RunningServer) -> None:
    adjust(sandbox, burst_429_rate=1.0, burst_429_length=3)
    started = statuses(sandbox, 1)
    adjust(sandbox, burst_429_rate=0.0)

    assert started + statuses(sandbox, 3) == [429, 429, 429, 200]


def test_injected_429_has_limit_headers(start_sandbox: Callable[..., RunningServer]) -> None:
    server = start_sandbox(burst_429_rate=1.0)

    response = httpx.get(server.base_url + PATH, headers=api_headers())

    assert response.status_code == 429
    assert response.json()["message"] == "Too many requests"
    assert response.headers["x-ratelimit-remaining"] == "0"
    assert response.headers["x-ratelimit-interval-milliseconds"] == "10000"


def test_latency_is_added(start_sandbox: Callable[..., RunningServer]) -> None:
    server = start_sandbox(latency_ms=300)

    began = time.monotonic()
    status = statuses(server, 1)
    elapsed = time.monotonic() - began

    assert status == [200]
    assert elapsed >= 0.3


def test_stall_makes_client_time_out(start_sandbox: Callable[..., RunningServer]) -> None:
    server = start_sandbox(timeout_rate=1.0, timeout_seconds=5)

    with pytest.raises(httpx.ReadTimeout):
        httpx.get(server.base_url + PATH, headers=api_headers(), timeout=0.3)

    assert httpx.get(f"{server.base_url}/_sandbox/stats").json()["faults"] == {"stall": 1}


def test_stall_ends_with_normal_response(start_sandbox: Callable[..., RunningServer]) -> None:
    server = start_sandbox(timeout_rate=1.0, timeout_seconds=0.2)

    response = httpx.post(
        f"{server.base_url}/contacts/",
        json={"locationId": LOCATION, "firstName": "Ann"},
        headers=api_headers(),
        timeout=5,
    )

    assert response.status_code == 201
    assert response.json()["contact"]["firstName"] == "Ann"


def test_drop_cuts_connection(start_sandbox: Callable[..., RunningServer]) -> None:
    server = start_sandbox(drop_rate=1.0)

    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(server.base_url + PATH, headers=api_headers(), timeout=5)


def test_drop_in_process_raises_httpx_error() -> None:
    app = create_app(SandboxConfig(drop_rate=1.0))

    async def call() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            await client.get(PATH, headers=api_headers())

    with pytest.raises(InjectedConnectionDrop) as caught:
        asyncio.run(call())
    assert isinstance(caught.value, httpx.RemoteProtocolError)


def test_admin_config_round_trip(sandbox: RunningServer) -> None:
    changed = adjust(sandbox, latency_ms=5, error_rate=0.25, rate_limit_max=7)
    read_back = httpx.get(f"{sandbox.base_url}/_sandbox/config").json()

    assert changed.status_code == 200
    assert read_back["latency_ms"] == 5
    assert read_back["error_rate"] == 0.25
    assert read_back["rate_limit_max"] == 7
    assert sandbox.config.error_rate == 0.25


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"db_path": "/tmp/x"}, "db_path cannot be changed"),
        ({"error_rate": 2}, "share between 0.0 and 1.0"),
        ({"rate_limit_max": 0}, "whole number of 1 or more"),
        ({"colour": "red"}, "colour cannot be changed"),
    ],
)
def test_admin_rejects_bad_config(
    sandbox: RunningServer, changes: dict[str, object], message: str
) -> None:
    response = adjust(sandbox, **changes)

    assert response.status_code == 422
    assert message in response.json()["message"][0]
    assert sandbox.config.error_rate == 0.0


def test_admin_stats_count_statuses(sandbox: RunningServer) -> None:
    statuses(sandbox, 2)
    httpx.get(sandbox.base_url + PATH)
    adjust(sandbox, burst_429_rate=1.0, burst_429_length=1)
    statuses(sandbox, 1)

    stats = httpx.get(f"{sandbox.base_url}/_sandbox/stats").json()
    reset = httpx.delete(f"{sandbox.base_url}/_sandbox/stats").json()

    assert stats["requests"] == 4
    assert stats["rateLimited"] == 1
    assert stats["byStatus"] == {"200": 2, "401": 1, "429": 1}
    assert stats["faults"] == {"burst_429": 1}
    assert reset["requests"] == 0
