"""Client-side rate limiting that keeps a location under HighLevel's burst and daily limits.

HighLevel allows 100 requests per 10 s per location (``X-RateLimit-Max`` per
``X-RateLimit-Interval-Milliseconds``) and a daily quota. The limiter hands out one slot per
request and takes the slot back only one interval after the response arrived. A response arrives
after the server counted its request, so no interval on the server counts more of this limiter's
requests than the limit, whatever the latency. The cost is a share of the budget equal to
latency / (interval + latency).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mapbridge.errors import DailyQuotaExceeded

logger = logging.getLogger(__name__)

DEFAULT_MAX = 100
DEFAULT_INTERVAL_SECONDS = 10.0
DAILY_RECHECK_SECONDS = 300.0
"""How long a spent daily quota stops requests before one request checks it again."""


def _header_int(headers: Mapping[str, str], *names: str) -> int | None:
    for name in names:
        value = headers.get(name)
        if value is not None:
            try:
                return int(float(value))
            except ValueError:
                return None
    return None


@dataclass
class RateLimitStatus:
    """Budget figures from the last response's ``X-RateLimit-*`` headers."""

    maximum: int | None = None
    remaining: int | None = None
    interval_seconds: float | None = None
    daily_limit: int | None = None
    daily_remaining: int | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimitStatus:
        interval = _header_int(headers, "x-ratelimit-interval-milliseconds")
        return cls(
            maximum=_header_int(headers, "x-ratelimit-max", "x-ratelimit-limit"),
            remaining=_header_int(headers, "x-ratelimit-remaining"),
            interval_seconds=interval / 1000 if interval else None,
            daily_limit=_header_int(headers, "x-ratelimit-limit-daily", "x-ratelimit-daily-limit"),
            daily_remaining=_header_int(headers, "x-ratelimit-daily-remaining"),
        )

    @property
    def daily_quota_spent(self) -> bool:
        return self.daily_remaining is not None and self.daily_remaining <= 0


class RateLimiter:
    """Request slots of one location.

    Tasks of one event loop, or several loops in turn, can share it, because it uses no
    loop-bound primitive.
    """

    def __init__(
        self,
        maximum: int = DEFAULT_MAX,
        interval_seconds: float = DEFAULT_INTERVAL_SECONDS,
        *,
        margin_seconds: float = 0.05,
    ) -> None:
        self.maximum = maximum
        self.interval_seconds = interval_seconds
        self.margin_seconds = margin_seconds
        self._in_flight = 0
        self._recent: deque[float] = deque()  # completion times of requests still in the window
        self._paused_until = 0.0
        self._daily_spent_at: float | None = None

    def _expire(self, now: float) -> None:
        horizon = now - self.interval_seconds - self.margin_seconds
        while self._recent and self._recent[0] <= horizon:
            self._recent.popleft()

    def _wait_seconds(self, now: float) -> float:
        if now < self._paused_until:
            return self._paused_until - now
        self._expire(now)
        if self._in_flight + len(self._recent) < self.maximum:
            return 0.0
        if self._recent:
            return max(self._recent[0] + self.interval_seconds + self.margin_seconds - now, 0.001)
        return 0.01  # every slot is in flight: wait for a response

    async def acquire(self) -> None:
        while True:
            spent_at = self._daily_spent_at
            if spent_at is not None and time.monotonic() - spent_at < DAILY_RECHECK_SECONDS:
                raise DailyQuotaExceeded(
                    "The daily request quota of this HighLevel location is spent. Wait until "
                    "the quota resets (daily) before running more operations.",
                    status=429,
                )
            wait = self._wait_seconds(time.monotonic())
            if wait <= 0:
                self._in_flight += 1
                return
            await asyncio.sleep(wait)

    def release(self, status: RateLimitStatus | None = None) -> None:
        now = time.monotonic()
        self._in_flight -= 1
        self._recent.append(now)
        if status is not None:
            self.observe(status, now)

    def observe(self, status: RateLimitStatus, now: float | None = None) -> None:
        """Follow the server's view of the budget, which may be shared with other clients."""
        now = time.monotonic() if now is None else now
        if status.interval_seconds:
            self.interval_seconds = status.interval_seconds
        if status.maximum and status.maximum != self.maximum:
            logger.info("Rate limit of this location is %d requests per window", status.maximum)
            self.maximum = status.maximum
        if status.daily_quota_spent:
            self._daily_spent_at = now
        elif status.daily_remaining is not None:
            self._daily_spent_at = None
        if status.remaining is not None:
            self._count_unknown_requests(self.maximum - status.remaining, now)

    def _count_unknown_requests(self, used_on_server: int, now: float) -> None:
        """Hold a slot for each request the server counted that this limiter did not send.

        Another client of the same location, or an earlier process, spends the same budget.
        Those requests are stamped with the current time, which errs on the safe side because
        the server's own entries for them expire sooner.
        """
        self._expire(now)
        unknown = used_on_server - (self._in_flight + len(self._recent))
        for _ in range(min(max(unknown, 0), self.maximum)):
            self._recent.append(now)

    def pause(self, seconds: float, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self._paused_until = max(self._paused_until, now + seconds)

    def save(self, path: Path) -> None:
        """Write the completion times still in the window, so the next process can respect them."""
        now = time.monotonic()
        self._expire(now)
        wall_now = time.time()
        data = {
            "interval": self.interval_seconds,
            "maximum": self.maximum,
            "completed": [wall_now - (now - stamp) for stamp in self._recent],
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, path)

    def load(self, path: Path) -> None:
        """Count the requests an earlier process completed within the window (see :meth:`save`)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            stamps = sorted(float(stamp) for stamp in data["completed"])
            self.interval_seconds = float(data["interval"])
            self.maximum = int(data["maximum"])
        except (OSError, ValueError, KeyError, TypeError):
            return
        now, wall_now = time.monotonic(), time.time()
        for stamp in stamps:
            if stamp > wall_now - self.interval_seconds - self.margin_seconds:
                self._recent.append(now - (wall_now - stamp))


_LIMITERS: dict[tuple[str, str], RateLimiter] = {}


def limit_file(folder: Path, base_url: str, location_id: str) -> Path:
    """Name the file that carries one location's recent requests from process to process."""
    digest = hashlib.sha256(f"{base_url}|{location_id}".encode()).hexdigest()[:16]
    return folder / f"ratelimit-{digest}.json"


def limiter_for(base_url: str, location_id: str, state_folder: Path | None = None) -> RateLimiter:
    """Return the process-wide limiter of one location, so concurrent clients share a budget.

    With ``state_folder``, a new limiter starts from the requests that earlier processes
    completed within the window, so a command run right after another does not draw a 429.
    """
    key = (base_url, location_id)
    if key not in _LIMITERS:
        limiter = RateLimiter()
        if state_folder is not None:
            limiter.load(limit_file(state_folder, base_url, location_id))
        _LIMITERS[key] = limiter
    return _LIMITERS[key]
