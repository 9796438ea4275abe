"""Fixtures for catalog operation tests: recorded cassettes, the sandbox and contract checks.

Tests replay cassettes by default, so they need no server. To record them again against the
sandbox (a real server on a loopback socket), run::

    pytest tests/operations --record-mode=rewrite

To record them against a real HighLevel location instead, also set MAPBRIDGE_TEST_BASE_URL,
MAPBRIDGE_TEST_TOKEN and MAPBRIDGE_TEST_LOCATION_ID. Tokens never reach a cassette: the
Authorization header is removed before anything is written, and test_cassettes_hold_no_secrets
checks every file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from mapbridge.connection import BearerAuth, Connection
from mapbridge.http.client import RetryPolicy
from mapbridge.runner import Runner
from mapbridge.sandbox import (
    ALL_SCOPES,
    SANDBOX_LOCATION_ID,
    SANDBOX_TOKEN,
    SandboxConfig,
    SandboxStore,
    running_server,
)
from tests.openapi_contract import contract_violations, openapi_dir

REPLAY_BASE_URL = "http://127.0.0.1:9"
"""Base URL while replaying: nothing listens there, because the cassette returns the responses."""

CASSETTES = Path(__file__).parent / "cassettes"


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": ["authorization", "cookie", "x-ghl-signature", "x-wh-signature"],
        "match_on": ["method", "path", "query", "body"],
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(CASSETTES / request.module.__name__.rsplit(".", 1)[-1])


@dataclass
class LiveTarget:
    """Where a recording run sends requests; ``store`` is set when that is the sandbox."""

    connection: Connection
    store: SandboxStore | None = None


@pytest.fixture
def live_target(record_mode: str, tmp_path: Path) -> Iterator[LiveTarget | None]:
    """The live API while recording; None while replaying."""
    if record_mode == "none":
        yield None
        return
    base_url = os.environ.get("MAPBRIDGE_TEST_BASE_URL")
    if base_url:
        yield LiveTarget(
            Connection(
                base_url=base_url,
                auth=BearerAuth(os.environ["MAPBRIDGE_TEST_TOKEN"]),
                location_id=os.environ["MAPBRIDGE_TEST_LOCATION_ID"],
            )
        )
        return
    config = SandboxConfig(db_path=tmp_path / "sandbox.sqlite3", random_seed=1)
    with running_server(config) as server:
        connection = Connection(
            base_url=server.base_url,
            auth=BearerAuth(SANDBOX_TOKEN),
            location_id=SANDBOX_LOCATION_ID,
            scopes=frozenset(ALL_SCOPES),
        )
        yield LiveTarget(connection, server.store)


class Exchanges:
    """Every request and response of a test, checked against the OpenAPI documents at the end."""

    def __init__(self) -> None:
        self.pairs: list[tuple[httpx.Request, httpx.Response]] = []

    async def record(self, response: httpx.Response) -> None:
        await response.aread()
        self.pairs.append((response.request, response))

    def violations(self) -> list[str]:
        found = []
        for request, response in self.pairs:
            for problem in contract_violations(request, response):
                found.append(
                    f"{request.method} {request.url.path} -> {response.status_code}: {problem}"
                )
        return found


@pytest.fixture
def exchanges() -> Iterator[Exchanges]:
    seen = Exchanges()
    yield seen
    if openapi_dir() is not None:
        assert seen.violations() == []


@pytest.fixture
def api(live_target: LiveTarget | None, exchanges: Exchanges) -> Runner:
    """A runner whose API calls are recorded (or replayed) and contract-checked."""
    connection = (
        live_target.connection
        if live_target
        else Connection(
            base_url=REPLAY_BASE_URL,
            auth=BearerAuth("replay-token"),
            location_id=SANDBOX_LOCATION_ID,
            scopes=frozenset(ALL_SCOPES),
        )
    )
    return Runner(
        connection,
        retry=RetryPolicy(attempts=2, initial_wait=0.01, max_wait=0.05),
        event_hooks={"response": [exchanges.record]},
    )
