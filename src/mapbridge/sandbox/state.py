"""Everything one sandbox app shares between requests."""

from __future__ import annotations

import dataclasses
import logging
import threading
from typing import Any

from starlette.requests import Request

from mapbridge.sandbox.config import ADJUSTABLE_FIELDS, SandboxConfig
from mapbridge.sandbox.limits import FaultInjector, RateLimiter, Stats
from mapbridge.sandbox.store import SandboxStore

logger = logging.getLogger(__name__)


class SandboxState:
    """The store, the current config, the rate limiter, the fault injector and the stats."""

    def __init__(self, config: SandboxConfig, store: SandboxStore | None = None) -> None:
        self._config = config
        self._lock = threading.Lock()
        self.store = store if store is not None else SandboxStore(config.db_path)
        self.limiter = RateLimiter()
        self.faults = FaultInjector(config.random_seed)
        self.stats = Stats()

    @property
    def config(self) -> SandboxConfig:
        return self._config

    def adjust(self, changes: dict[str, Any]) -> SandboxConfig:
        """Change latency, fault and limit settings of the running app.

        Raises ``ValueError`` for a field that cannot change or a value out of range.
        """
        unknown = set(changes) - ADJUSTABLE_FIELDS
        if unknown:
            raise ValueError(
                f"{', '.join(sorted(unknown))} cannot be changed on a running sandbox; "
                f"change one of {', '.join(sorted(ADJUSTABLE_FIELDS))}"
            )
        with self._lock:
            self._config = dataclasses.replace(self._config, **changes)
            if "random_seed" in changes:
                self.faults.reseed(self._config.random_seed)
        logger.info("Sandbox config changed: %s", ", ".join(f"{k}={v}" for k, v in changes.items()))
        return self._config


def sandbox_state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state
