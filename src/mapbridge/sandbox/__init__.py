"""The embedded HighLevel Contacts API sandbox.

A local emulator of the parts of HighLevel's API that mapbridge uses (contacts, tasks, notes,
tags, followers, a contact's appointments, the location), built to the official OpenAPI
documents: same paths, bodies, status codes and error shapes, the same duplicate rule, token
scopes, ``Version`` header and rate limits, plus injectable latency and faults.

Run it in-process with ``httpx.ASGITransport(app=create_app(config))``, on a socket with
:func:`running_server` (tests) or :func:`serve` (CLI), and fill it with :func:`seed`.
"""

from mapbridge.sandbox.app import create_app
from mapbridge.sandbox.config import (
    ALL_SCOPES,
    API_VERSION,
    CALENDARS_API_VERSION,
    SANDBOX_LOCATION_ID,
    SANDBOX_TOKEN,
    SandboxConfig,
    default_db_path,
)
from mapbridge.sandbox.gate import InjectedConnectionDrop
from mapbridge.sandbox.seed import SeedSummary, seed, seed_store
from mapbridge.sandbox.server import RunningServer, reset, running_server, serve
from mapbridge.sandbox.store import SandboxStore, TokenGrant

__all__ = [
    "ALL_SCOPES",
    "API_VERSION",
    "CALENDARS_API_VERSION",
    "SANDBOX_LOCATION_ID",
    "SANDBOX_TOKEN",
    "InjectedConnectionDrop",
    "RunningServer",
    "SandboxConfig",
    "SandboxStore",
    "SeedSummary",
    "TokenGrant",
    "create_app",
    "default_db_path",
    "reset",
    "running_server",
    "seed",
    "seed_store",
    "serve",
]
