"""Identifiers and timestamps in the formats HighLevel uses."""

from __future__ import annotations

import random
import secrets
import string
import uuid
from datetime import UTC, datetime, timedelta

ID_LENGTH = 20
_ID_ALPHABET = string.ascii_letters + string.digits
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def new_id(rng: random.Random | None = None) -> str:
    """Return a 20-character alphanumeric id like HighLevel's; ``rng`` makes it repeatable."""
    if rng is None:
        return "".join(secrets.choice(_ID_ALPHABET) for _ in range(ID_LENGTH))
    return "".join(rng.choice(_ID_ALPHABET) for _ in range(ID_LENGTH))


def new_trace_id() -> str:
    return str(uuid.uuid4())


def format_timestamp(moment: datetime) -> str:
    """Format as ISO 8601 in UTC with milliseconds and ``Z``: ``2021-07-02T05:18:26.704Z``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def now_timestamp() -> str:
    return format_timestamp(datetime.now(UTC))


def parse_timestamp(text: str) -> datetime:
    """Parse an ISO 8601 date-time; a value without a zone is taken as UTC.

    Raises ``ValueError`` for anything else.
    """
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def timestamp_to_ms(text: str) -> int:
    """Return the epoch milliseconds of a timestamp written by :func:`format_timestamp`."""
    return (parse_timestamp(text) - _EPOCH) // timedelta(milliseconds=1)


def ms_to_timestamp(milliseconds: float) -> str:
    return format_timestamp(_EPOCH + timedelta(milliseconds=milliseconds))
