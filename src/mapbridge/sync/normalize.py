"""Checking and normalising values that travel between a map and the Contacts API."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


class ValueProblem(ValueError):
    """A topic value that cannot be sent, with a message that names it and the fix."""


def check_email(value: str) -> str:
    email = value.strip()
    if not _EMAIL.match(email):
        raise ValueProblem(f"invalid email {value!r}: write it as name@example.com")
    return email


def to_e164(value: str, default_country: str) -> str:
    """Return the phone number in E.164 form (+14155550100)."""
    try:
        number = phonenumbers.parse(value, default_country)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise ValueProblem(
            f"phone {value!r} cannot be made E.164: add the country code, e.g. +1 415 555 0100"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def map_timezone(name: str | None) -> tzinfo:
    """Return the time zone of a map's task dates: the mapping's, or this computer's."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueProblem(
                f"unknown time zone {name!r}: use an IANA name such as Europe/Berlin"
            )
    return _local_zone()


def _local_zone() -> tzinfo:
    """Return this computer's time zone with its daylight-saving rules, not a fixed offset."""
    configured = os.environ.get("TZ", "").lstrip(":")
    if configured:
        try:
            return ZoneInfo(configured)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    try:
        with open("/etc/localtime", "rb") as data:
            return ZoneInfo.from_file(data, key="localtime")
    except (OSError, ValueError):
        pass
    # NOTE: elsewhere (Windows) this is the current UTC offset, without daylight-saving rules.
    return datetime.now().astimezone().tzinfo or UTC


def local_to_api(value: datetime, zone: tzinfo) -> str:
    """Turn a map's naive local date into the API's ISO-8601 UTC form (milliseconds, Z)."""
    aware = value.replace(tzinfo=zone) if value.tzinfo is None else value
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def api_to_local(value: str, zone: tzinfo) -> datetime:
    """Turn an API timestamp into the naive local time MindManager stores."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(zone).replace(tzinfo=None, microsecond=0)
