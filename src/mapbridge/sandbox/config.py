"""Settings of the sandbox: where its data lives, its limits and the faults it injects."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from pathlib import Path

from mapbridge.paths import data_dir

SANDBOX_LOCATION_ID = "MapBridgeSandbox0001"
"""Id of the location that every fresh sandbox database contains."""

SANDBOX_TOKEN = "pit-sandbox-0000-4000-8000-000000000001"
"""Fixed Private Integration Token of the default location; it carries every scope.

It is public on purpose: the sandbox only runs on this machine and contains made-up data.
"""

API_VERSION = "2021-07-28"
CALENDARS_API_VERSION = "2021-04-15"

ALL_SCOPES: frozenset[str] = frozenset(
    {
        "contacts.readonly",
        "contacts.write",
        "locations.readonly",
        "locations/tags.readonly",
        "locations/tags.write",
        "locations/tasks.readonly",
        "locations/customFields.readonly",
        "locations/customFields.write",
        "locations/customValues.readonly",
        "locations/customValues.write",
        "calendars.readonly",
        "calendars/events.readonly",
        "calendars/events.write",
        "businesses.readonly",
        "businesses.write",
        "users.readonly",
        "campaigns.readonly",
        "workflows.readonly",
        "opportunities.readonly",
        "opportunities.write",
    }
)
"""Every scope a sandbox token can carry: the scopes a contact connector requests from HighLevel."""

_RATES = ("error_rate", "burst_429_rate", "timeout_rate", "drop_rate")
_DURATIONS = ("latency_ms", "latency_jitter_ms", "timeout_seconds")
_POSITIVE_COUNTS = ("burst_429_length", "rate_limit_max", "rate_limit_interval_ms", "daily_limit")


@dataclass
class SandboxConfig:
    """Settings of one sandbox app. Rates are shares of requests between 0 and 1."""

    db_path: Path | None = None
    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    error_rate: float = 0.0
    burst_429_rate: float = 0.0
    burst_429_length: int = 5
    timeout_rate: float = 0.0
    timeout_seconds: float = 30.0
    drop_rate: float = 0.0
    rate_limit_max: int = 100
    rate_limit_interval_ms: int = 10_000
    daily_limit: int = 200_000
    random_seed: int | None = None

    def __post_init__(self) -> None:
        for name in _RATES:
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0.0 <= value <= 1.0):
                raise ValueError(
                    f"SandboxConfig.{name} is {value!r}; set it to a share between 0.0 and 1.0."
                )
        for name in _DURATIONS:
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise ValueError(
                    f"SandboxConfig.{name} is {value!r}; set it to a number of 0 or more."
                )
        for name in _POSITIVE_COUNTS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"SandboxConfig.{name} is {value!r}; set it to a whole number of 1 or more."
                )
        if self.db_path is not None:
            self.db_path = Path(self.db_path)


ADJUSTABLE_FIELDS: frozenset[str] = frozenset(f.name for f in fields(SandboxConfig)) - {"db_path"}
"""Fields that ``PUT /_sandbox/config`` may change on a running sandbox."""


def default_db_path() -> Path:
    """Return the sandbox database file in mapbridge's user data folder.

    ``MAPBRIDGE_DATA_DIR`` overrides the folder, as for the rest of mapbridge's data.
    """
    return data_dir() / "sandbox.sqlite3"
