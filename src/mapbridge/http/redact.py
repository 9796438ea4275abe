"""Masking of secrets and personal data before anything is logged, raised or recorded."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

SECRET_HEADERS = frozenset({"authorization", "x-ghl-signature", "x-wh-signature", "cookie"})
MASK = "***"

_BEARER = re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+")


def mask_headers(headers: dict[str, str]) -> dict[str, str]:
    return {
        name: MASK if name.lower() in SECRET_HEADERS else value for name, value in headers.items()
    }


def safe_url(url: str) -> str:
    """Return the URL's path with every query value masked (emails and phones travel there)."""
    parts = urlsplit(url)
    if not parts.query:
        return parts.path
    masked = urlencode([(name, MASK) for name, _ in parse_qsl(parts.query, keep_blank_values=True)])
    return f"{parts.path}?{masked}"


def scrub(text: str) -> str:
    """Remove bearer tokens from free text such as an error body."""
    return _BEARER.sub(f"Bearer {MASK}", text)
