"""The HTTP layer: one client, rate limiting, retries, paging and error mapping."""

from mapbridge.http.client import ApiClient, RetryPolicy
from mapbridge.http.limiter import RateLimiter, RateLimitStatus

__all__ = ["ApiClient", "RateLimitStatus", "RateLimiter", "RetryPolicy"]
