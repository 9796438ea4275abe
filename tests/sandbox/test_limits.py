"""HighLevel's rate limits in the sandbox: the sliding burst window and the daily quota."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
from sandbox_client import LOCATION, api_headers

from mapbridge.sandbox import SANDBOX_TOKEN, RunningServer

LIMIT_HEADERS = (
    "x-ratelimit-max",
    "x-ratelimit-remaining",
    "x-ratelimit-interval-milliseconds",
    "x-ratelimit-limit-daily",
    "x-ratelimit-daily-remaining",
)


def get_location(server: RunningServer, token: str = SANDBOX_TOKEN) -> httpx.Response:
    return httpx.get(f"{server.base_url}/locations/{LOCATION}", headers=api_headers(token))


def test_defaults_are_100_per_10_seconds(sandbox: RunningServer) -> None:
    response = get_location(sandbox)

    assert response.headers["x-ratelimit-max"] == "100"
    assert response.headers["x-ratelimit-interval-milliseconds"] == "10000"
    assert response.headers["x-ratelimit-limit-daily"] == "200000"
    assert response.headers["x-ratelimit-remaining"] == "99"
    assert response.headers["x-ratelimit-daily-remaining"] == "199999"


def test_every_counted_response_has_headers(api: httpx.Client) -> None:
    responses = [
        api.get(f"/locations/{LOCATION}"),
        api.get("/contacts/AAAAAAAAAAAAAAAAAAAA"),
        api.post("/contacts/", json={}),
        api.get("/contacts/AAAAAAAAAAAAAAAAAAAA", headers={"Version": "1999-01-01"}),
    ]

    assert [r.status_code for r in responses] == [200, 404, 422, 400]
    for response in responses:
        assert all(name in response.headers for name in LIMIT_HEADERS), response.headers


def test_burst_limit_rejects_then_recovers(start_sandbox: Callable[..., RunningServer]) -> None:
    server = start_sandbox(rate_limit_max=3, rate_limit_interval_ms=400)

    statuses = [get_location(server).status_code for _ in range(4)]
    rejected = get_location(server)
    time.sleep(0.45)
    recovered = get_location(server)

    assert statuses == [200, 200, 200, 429]
    assert rejected.json()["statusCode"] == 429
    assert rejected.json()["message"] == "Too many requests"
    assert rejected.headers["x-ratelimit-remaining"] == "0"
    assert recovered.status_code == 200
    assert recovered.headers["x-ratelimit-remaining"] == "2"


def test_rejected_requests_do_not_count(start_sandbox: Callable[..., RunningServer]) -> None:
    server = start_sandbox(rate_limit_max=2, rate_limit_interval_ms=60_000)

    unauthorized = [get_location(server, token="wrong").status_code for _ in range(5)]
    allowed = [get_location(server).status_code for _ in range(3)]

    assert unauthorized == [401] * 5
    assert allowed == [200, 200, 429]


def test_daily_limit(start_sandbox: Callable[..., RunningServer]) -> None:
    server = start_sandbox(daily_limit=3)

    responses = [get_location(server) for _ in range(4)]

    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [r.headers["x-ratelimit-daily-remaining"] for r in responses] == ["2", "1", "0", "0"]
    assert responses[-1].headers["x-ratelimit-remaining"] != "0"


def test_limits_are_per_location(start_sandbox: Callable[..., RunningServer]) -> None:
    server = start_sandbox(rate_limit_max=1, rate_limit_interval_ms=60_000)
    other = server.store.create_location()
    other_token = server.store.create_token(other)

    first = get_location(server)
    second = get_location(server)
    elsewhere = httpx.get(f"{server.base_url}/locations/{other}", headers=api_headers(other_token))

    assert (first.status_code, second.status_code, elsewhere.status_code) == (200, 429, 200)


def test_admin_routes_count_against_no_limit(start_sandbox: Callable[..., RunningServer]) -> None:
    server = start_sandbox(rate_limit_max=1, rate_limit_interval_ms=60_000)

    admin = [httpx.get(f"{server.base_url}/_sandbox/stats").status_code for _ in range(3)]

    assert admin == [200, 200, 200]
    assert get_location(server).status_code == 200
