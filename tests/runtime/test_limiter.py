"""The client-side rate limiter and its reading of HighLevel's X-RateLimit headers."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from mapbridge.errors import DailyQuotaExceeded
from mapbridge.http.limiter import RateLimiter, RateLimitStatus, limit_file


def test_status_reads_both_header_spellings() -> None:
    status = RateLimitStatus.from_headers(
        {
            "x-ratelimit-max": "100",
            "x-ratelimit-remaining": "7",
            "x-ratelimit-interval-milliseconds": "10000",
            "x-ratelimit-daily-limit": "200000",
            "x-ratelimit-daily-remaining": "5",
        }
    )
    assert status.maximum == 100
    assert status.remaining == 7
    assert status.interval_seconds == 10.0
    assert status.daily_limit == 200_000
    assert status.daily_remaining == 5
    assert not status.daily_quota_spent


def test_limiter_blocks_past_maximum() -> None:
    limiter = RateLimiter(maximum=3, interval_seconds=0.3, margin_seconds=0)

    async def burst() -> float:
        started = time.monotonic()
        for _ in range(6):
            await limiter.acquire()
            limiter.release()
        return time.monotonic() - started

    elapsed = asyncio.run(burst())
    assert elapsed >= 0.3


def test_limiter_counts_requests_in_flight() -> None:
    limiter = RateLimiter(maximum=2, interval_seconds=0.2, margin_seconds=0)

    async def scenario() -> bool:
        await limiter.acquire()
        await limiter.acquire()
        third = asyncio.create_task(limiter.acquire())
        await asyncio.sleep(0.05)
        blocked = not third.done()
        limiter.release()
        limiter.release()
        await third
        return blocked

    assert asyncio.run(scenario())


def test_limiter_pauses_when_server_says_zero_remaining() -> None:
    limiter = RateLimiter(maximum=100, interval_seconds=0.25, margin_seconds=0)
    limiter.observe(RateLimitStatus(remaining=0, interval_seconds=0.25))

    async def one() -> float:
        started = time.monotonic()
        await limiter.acquire()
        return time.monotonic() - started

    assert asyncio.run(one()) >= 0.2


def test_limiter_follows_server_maximum() -> None:
    limiter = RateLimiter()
    limiter.observe(RateLimitStatus(maximum=25, remaining=20, interval_seconds=10.0))
    assert limiter.maximum == 25


def test_limiter_stops_when_daily_quota_spent() -> None:
    limiter = RateLimiter()
    limiter.observe(RateLimitStatus(daily_remaining=0))
    with pytest.raises(DailyQuotaExceeded):
        asyncio.run(limiter.acquire())


def test_limiter_counts_requests_of_other_clients() -> None:
    limiter = RateLimiter(maximum=10, interval_seconds=0.3, margin_seconds=0)

    async def scenario() -> tuple[int, float]:
        await limiter.acquire()
        # The server counted 8 requests, of which this limiter sent only one.
        limiter.release(RateLimitStatus(maximum=10, remaining=2, interval_seconds=0.3))
        started = time.monotonic()
        granted = 0
        for _ in range(4):
            await limiter.acquire()
            limiter.release()
            granted += 1
        return granted, time.monotonic() - started

    granted, elapsed = asyncio.run(scenario())
    assert granted == 4
    assert elapsed >= 0.25


def test_limiter_state_carries_to_next_process(tmp_path: Path) -> None:
    first = RateLimiter(maximum=3, interval_seconds=0.4, margin_seconds=0)

    async def spend(limiter: RateLimiter, count: int) -> None:
        for _ in range(count):
            await limiter.acquire()
            limiter.release()

    asyncio.run(spend(first, 3))
    path = limit_file(tmp_path, "https://api.invalid", "location-1")
    first.save(path)
    assert "location-1" not in path.name

    second = RateLimiter(margin_seconds=0)
    second.load(path)
    assert second.maximum == 3
    started = time.monotonic()
    asyncio.run(spend(second, 1))
    assert time.monotonic() - started >= 0.2


def test_limiter_ignores_unreadable_state(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text("{not json", encoding="utf-8")
    limiter = RateLimiter()
    limiter.load(path)
    limiter.load(tmp_path / "absent.json")
    assert limiter.maximum == 100


def test_spent_daily_quota_is_checked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from mapbridge.http import limiter as limiter_module

    monkeypatch.setattr(limiter_module, "DAILY_RECHECK_SECONDS", 0.1)
    limiter = RateLimiter()
    limiter.observe(RateLimitStatus(daily_remaining=0))
    with pytest.raises(DailyQuotaExceeded):
        asyncio.run(limiter.acquire())
    time.sleep(0.15)
    asyncio.run(limiter.acquire())
    limiter.release(RateLimitStatus(daily_remaining=5000))
    asyncio.run(limiter.acquire())
