"""Retries, rate limiting and create-once behaviour against a fault-injecting sandbox server.

Every test talks to a real sandbox server on 127.0.0.1 with a fixed random seed, so the fault
pattern repeats. Request counts are small and bounded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mapbridge.connection import BearerAuth, Connection
from mapbridge.errors import Forbidden, NetworkError, ServerError, Unauthorized
from mapbridge.http.client import ApiClient, RetryPolicy
from mapbridge.http.limiter import RateLimiter
from mapbridge.runner import Runner
from mapbridge.sandbox import (
    ALL_SCOPES,
    SANDBOX_LOCATION_ID,
    SANDBOX_TOKEN,
    RunningServer,
    SandboxConfig,
    running_server,
)

FAST_RETRY = RetryPolicy(attempts=6, initial_wait=0.01, max_wait=0.05, jitter=0.01)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    config = SandboxConfig(db_path=tmp_path / "sandbox.sqlite3", random_seed=11)
    with running_server(config) as running:
        yield running


def connect(
    server: RunningServer,
    token: str = SANDBOX_TOKEN,
    location: str = SANDBOX_LOCATION_ID,
    timeout: float = 5.0,
) -> Connection:
    return Connection(
        base_url=server.base_url,
        auth=BearerAuth(token),
        location_id=location,
        scopes=frozenset(ALL_SCOPES),
        timeout=timeout,
    )


def configure(server: RunningServer, **changes: Any) -> None:
    httpx.put(f"{server.base_url}/_sandbox/config", json=changes).raise_for_status()


def stats(server: RunningServer) -> dict[str, Any]:
    data: dict[str, Any] = httpx.get(f"{server.base_url}/_sandbox/stats").json()
    return data


def runner_for(server: RunningServer, **kwargs: Any) -> Runner:
    return Runner(connect(server, **kwargs), retry=FAST_RETRY)


def test_server_errors_are_retried(server: RunningServer) -> None:
    runner = runner_for(server)
    contact = runner.run("create_contact", {"firstName": "Ada", "email": "ada@example.com"})
    configure(server, error_rate=0.5)
    for _ in range(10):
        assert runner.run("get_contact", {"contactId": contact["id"]})["id"] == contact["id"]
    assert stats(server)["faults"].get("error", 0) > 0


def test_persistent_server_error_gives_up(server: RunningServer) -> None:
    runner = runner_for(server)
    configure(server, error_rate=1.0)
    with pytest.raises(ServerError) as caught:
        runner.run("get_contact", {"contactId": "abcdefghij0123456789"})
    assert caught.value.exit_code == 7
    assert "get_contact" in caught.value.message


def test_429_bursts_are_retried(server: RunningServer) -> None:
    runner = runner_for(server)
    contact = runner.run("create_contact", {"firstName": "Ada", "email": "ada@example.com"})
    configure(server, burst_429_rate=0.2, burst_429_length=2, rate_limit_interval_ms=200)
    for _ in range(10):
        assert runner.run("get_contact", {"contactId": contact["id"]})["id"] == contact["id"]
    assert stats(server)["faults"].get("burst_429", 0) > 0


def test_dropped_creates_make_no_duplicates(server: RunningServer) -> None:
    runner = runner_for(server)
    configure(server, drop_rate=0.3)
    ids = []
    for index in range(20):
        created = runner.run(
            "create_contact", {"firstName": f"Person{index}", "email": f"p{index}@example.com"}
        )
        ids.append(created["id"])
    configure(server, drop_rate=0.0)
    assert stats(server)["faults"].get("drop", 0) > 0
    found = runner.run("search_contacts", {"query": "Person"})
    assert found["count"] == 20
    assert sorted(c["id"] for c in found["contacts"]) == sorted(ids)


def test_stalled_request_times_out(server: RunningServer) -> None:
    runner = Runner(
        connect(server, timeout=0.3),
        retry=RetryPolicy(attempts=2, initial_wait=0.01, max_wait=0.02),
    )
    configure(server, timeout_rate=1.0, timeout_seconds=2.0)
    with pytest.raises(NetworkError) as caught:
        runner.run("get_contact", {"contactId": "abcdefghij0123456789"})
    assert "timed out" in caught.value.message


def test_limiter_keeps_under_server_limit(server: RunningServer) -> None:
    configure(server, rate_limit_max=10, rate_limit_interval_ms=1000)
    connection = connect(server)

    async def burst() -> None:
        limiter = RateLimiter(maximum=10, interval_seconds=1.0)
        async with ApiClient(connection, limiter=limiter, retry=FAST_RETRY) as client:
            await asyncio.gather(
                *(
                    client.request(
                        "GET",
                        f"/locations/{SANDBOX_LOCATION_ID}",
                        operation="get_location",
                        api_version="2021-07-28",
                    )
                    for _ in range(30)
                )
            )

    asyncio.run(burst())
    statuses = stats(server)["byStatus"]
    assert statuses.get("429", 0) == 0
    assert statuses.get("200", 0) == 30


def test_bad_token_is_unauthorized(server: RunningServer) -> None:
    runner = runner_for(server, token="not-a-real-token")
    with pytest.raises(Unauthorized) as caught:
        runner.run("get_contact", {"contactId": "abcdefghij0123456789"})
    assert caught.value.exit_code == 4
    assert "not-a-real-token" not in caught.value.message


def test_wrong_location_is_forbidden(server: RunningServer) -> None:
    runner = runner_for(server, location="OtherLocation0000001")
    with pytest.raises(Forbidden) as caught:
        runner.run("search_contacts", {"query": "x"})
    assert caught.value.exit_code == 4
    assert caught.value.status == 403


def test_dropped_name_only_creates_make_no_duplicates(server: RunningServer) -> None:
    runner = runner_for(server)
    configure(server, drop_rate=0.3)
    for index in range(15):
        runner.run("create_contact", {"firstName": f"Nameonly{index}", "lastName": "Person"})
    configure(server, drop_rate=0.0)
    assert stats(server)["faults"].get("drop", 0) > 0
    found = runner.run("search_contacts", {"query": "Person"})
    names = sorted(contact["firstName"] for contact in found["contacts"])
    assert names == sorted(f"Nameonly{index}" for index in range(15))
