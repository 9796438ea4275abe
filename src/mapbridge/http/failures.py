"""Turning an error response of the Contacts API into one of mapbridge's errors."""

from __future__ import annotations

import re
from typing import Any

import httpx

from mapbridge.errors import (
    ApiError,
    BadRequest,
    DailyQuotaExceeded,
    DuplicateContact,
    Forbidden,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
    Unprocessable,
)
from mapbridge.http.limiter import RateLimitStatus
from mapbridge.http.redact import scrub

_FIELD_IN_MESSAGE = re.compile(r"^(?:property\s+)?([A-Za-z_][\w.\[\]]*)\b")

_NEXT_STEP = {
    400: "Check the input values against 'mapbridge describe {operation}'.",
    401: (
        "Check that the token is valid and has the scopes this operation needs "
        "('mapbridge describe {operation}' lists them); create a new Private Integration Token "
        "if it was rotated."
    ),
    403: "Check that the token belongs to the location set in MAPBRIDGE_LOCATION_ID.",
    404: "Check the id in the input; the record may have been deleted.",
    422: "Fix the named fields in the input and run again.",
}


def _body(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _messages(body: dict[str, Any], response: httpx.Response) -> list[str]:
    raw = body.get("message", body.get("error"))
    if isinstance(raw, list):
        return [scrub(str(item)) for item in raw]
    if isinstance(raw, str) and raw:
        return [scrub(raw)]
    return [response.reason_phrase or f"HTTP {response.status_code}"]


def _fields(messages: list[str]) -> list[str]:
    fields = []
    for message in messages:
        match = _FIELD_IN_MESSAGE.match(message)
        if match:
            fields.append(match.group(1))
    return fields


def error_from_response(response: httpx.Response, operation: str) -> ApiError:
    """Build the error for a non-2xx response, naming the operation, fields and trace id."""
    status = response.status_code
    body = _body(response)
    messages = _messages(body, response)
    trace_id = body.get("traceId") or response.headers.get("x-trace-id")
    trace = f" (traceId {trace_id})" if trace_id else ""
    summary = "; ".join(messages)
    common: dict[str, Any] = {"operation": operation, "status": status, "trace_id": trace_id}

    if status == 429:
        limits = RateLimitStatus.from_headers(response.headers)
        if limits.daily_quota_spent:
            return DailyQuotaExceeded(
                f"{operation} failed: the daily request quota of this location is spent{trace}. "
                "Wait for the daily reset before running more operations.",
                **common,
            )
        return RateLimited(
            f"{operation} failed: HighLevel's burst limit was hit (429){trace}. "
            "mapbridge retries this automatically; if it persists, another client shares "
            "this location's budget.",
            wait_seconds=limits.interval_seconds,
            **common,
        )
    if status >= 500:
        return ServerError(
            f"{operation} failed: HighLevel returned {status} ({summary}){trace}. "
            "This is a server-side problem; try again later.",
            **common,
        )

    meta = body.get("meta")
    if status == 400 and isinstance(meta, dict) and meta.get("contactId"):
        field = meta.get("matchingField")
        return DuplicateContact(
            f"{operation} failed: the location does not allow duplicate contacts and contact "
            f"{meta['contactId']} already has this {field or 'email or phone'}{trace}. "
            "Update that contact (update_contact) or use upsert_contact / find_or_create_contact.",
            contact_id=str(meta["contactId"]),
            matching_field=str(field) if field else None,
            operation=operation,
            trace_id=trace_id,
        )

    error_class: type[ApiError] = {
        400: BadRequest,
        401: Unauthorized,
        403: Forbidden,
        404: NotFound,
        422: Unprocessable,
    }.get(status, BadRequest)
    next_step = _NEXT_STEP.get(status, "Check the input and the connection settings.")
    fields = _fields(messages) if status in (400, 422) else []
    return error_class(
        f"{operation} failed: HighLevel returned {status}: {summary}{trace}. "
        + next_step.format(operation=operation),
        fields=fields,
        **common,
    )
