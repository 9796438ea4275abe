"""HighLevel's rate limits per location, and the faults the sandbox injects on purpose.

The burst limit is a sliding window: a request is accepted while fewer than
``rate_limit_max`` accepted requests of its location fall in the last
``rate_limit_interval_ms``. The daily limit counts accepted requests per UTC day. Rejected
requests count against neither.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from mapbridge.sandbox.config import SandboxConfig

logger = logging.getLogger(__name__)

INJECTED_ERROR_STATUSES = (500, 502, 503)

FaultKind = Literal["none", "error", "burst_429", "stall", "drop"]


@dataclass(frozen=True)
class RateDecision:
    """Whether one request may pass, and the ``X-RateLimit-*`` headers of its response."""

    allowed: bool
    headers: dict[str, str]


class RateLimiter:
    """Burst and daily counters of every location, shared by all requests of one app."""

    def __init__(self) -> None:
        self._windows: dict[str, deque[float]] = {}
        self._days: dict[str, tuple[date, int]] = {}
        self._lock = threading.Lock()

    def check(self, location_id: str, config: SandboxConfig) -> RateDecision:
        """Count one request of ``location_id`` if both limits allow it."""
        now = time.monotonic()
        today = datetime.now(UTC).date()
        with self._lock:
            window = self._windows.setdefault(location_id, deque())
            horizon = now - config.rate_limit_interval_ms / 1000
            while window and window[0] <= horizon:
                window.popleft()
            day, used_today = self._days.get(location_id, (today, 0))
            if day != today:
                used_today = 0

            allowed = len(window) < config.rate_limit_max and used_today < config.daily_limit
            if allowed:
                window.append(now)
                used_today += 1
            self._days[location_id] = (today, used_today)
            headers = {
                "X-RateLimit-Max": str(config.rate_limit_max),
                "X-RateLimit-Remaining": str(max(config.rate_limit_max - len(window), 0)),
                "X-RateLimit-Interval-Milliseconds": str(config.rate_limit_interval_ms),
                "X-RateLimit-Limit-Daily": str(config.daily_limit),
                "X-RateLimit-Daily-Remaining": str(max(config.daily_limit - used_today, 0)),
            }
        return RateDecision(allowed, headers)


@dataclass(frozen=True)
class FaultPlan:
    """The plan for one request: wait ``latency_seconds``, then inject the fault, if any."""

    latency_seconds: float
    kind: FaultKind = "none"
    error_status: int = 500


class FaultInjector:
    """Draws a fault plan per request from one seeded random sequence.

    Every request consumes the same number of random draws whatever the rates, so with a
    fixed ``random_seed`` and fixed rates the n-th request always gets the same plan.
    """

    def __init__(self, seed: int | None) -> None:
        self._rng = random.Random(seed)
        self._burst_left = 0
        self._lock = threading.Lock()

    def reseed(self, seed: int | None) -> None:
        with self._lock:
            self._rng = random.Random(seed)
            self._burst_left = 0

    def draw(self, config: SandboxConfig) -> FaultPlan:
        with self._lock:
            jitter, burst, error, pick, stall, drop = (self._rng.random() for _ in range(6))
            latency = (config.latency_ms + jitter * config.latency_jitter_ms) / 1000
            status = INJECTED_ERROR_STATUSES[int(pick * len(INJECTED_ERROR_STATUSES))]
            kind: FaultKind = "none"
            if self._burst_left > 0:
                self._burst_left -= 1
                kind = "burst_429"
            elif burst < config.burst_429_rate:
                self._burst_left = config.burst_429_length - 1
                kind = "burst_429"
            elif error < config.error_rate:
                kind = "error"
            elif stall < config.timeout_rate:
                kind = "stall"
            elif drop < config.drop_rate:
                kind = "drop"
        return FaultPlan(latency, kind, status)


class Stats:
    """Counters of the responses the sandbox sent: requests, 429s, per status and per fault."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.requests = 0
            self.by_status: dict[int, int] = {}
            self.faults: dict[str, int] = {}

    def record_request(self) -> None:
        with self._lock:
            self.requests += 1

    def record_status(self, status: int) -> None:
        with self._lock:
            self.by_status[status] = self.by_status.get(status, 0) + 1

    def record_fault(self, kind: str) -> None:
        with self._lock:
            self.faults[kind] = self.faults.get(kind, 0) + 1

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {
                "requests": self.requests,
                "rateLimited": self.by_status.get(429, 0),
                "byStatus": {
                    str(status): count for status, count in sorted(self.by_status.items())
                },
                "faults": dict(sorted(self.faults.items())),
            }
