"""Fixtures for the sandbox tests: a sandbox on a real loopback socket and clients for it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from sandbox_client import api_headers

# The contract helper lives one folder up (tests/openapi_contract.py), which pytest does not
# put on the import path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mapbridge.sandbox import RunningServer, SandboxConfig, running_server


@pytest.fixture
def start_sandbox() -> Iterator[Callable[..., RunningServer]]:
    """Start sandboxes with the given config fields; all stop when the test ends."""
    with ExitStack() as stack:

        def start(**fields: Any) -> RunningServer:
            return stack.enter_context(running_server(SandboxConfig(**fields)))

        yield start


@pytest.fixture
def sandbox(start_sandbox: Callable[..., RunningServer]) -> RunningServer:
    return start_sandbox(random_seed=1)


@pytest.fixture
def api(sandbox: RunningServer) -> Iterator[httpx.Client]:
    """A client of the default location with every scope."""
    with httpx.Client(base_url=sandbox.base_url, headers=api_headers(), timeout=10) as client:
        yield client
