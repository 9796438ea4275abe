"""Mapping of Contacts API error responses to mapbridge errors and their messages."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mapbridge import errors
from mapbridge.http.failures import error_from_response


def answer(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    request = httpx.Request("POST", "https://api.invalid/contacts/?email=ada%40example.com")
    return httpx.Response(status, json=body, headers=headers, request=request)


@pytest.mark.parametrize(
    ("status", "body", "expected", "exit_code"),
    [
        (400, {"statusCode": 400, "message": "Bad phone"}, errors.BadRequest, 6),
        (401, {"statusCode": 401, "message": "Invalid token"}, errors.Unauthorized, 4),
        (403, {"statusCode": 403, "message": "No access"}, errors.Forbidden, 4),
        (404, {"statusCode": 404, "message": "Contact not found"}, errors.NotFound, 5),
        (422, {"statusCode": 422, "message": ["x"]}, errors.Unprocessable, 6),
        (429, {"statusCode": 429, "message": "Too many"}, errors.RateLimited, 7),
        (500, {"message": "boom"}, errors.ServerError, 7),
        (503, {}, errors.ServerError, 7),
    ],
)
def test_status_maps_to_error_class(
    status: int, body: Any, expected: type[errors.ApiError], exit_code: int
) -> None:
    error = error_from_response(answer(status, body), "get_contact")
    assert type(error) is expected
    assert error.exit_code == exit_code
    assert error.status == status
    assert "get_contact" in error.message


def test_422_names_fields_and_trace_id() -> None:
    body = {
        "statusCode": 422,
        "message": ["property gender should not exist", "email must be an email"],
        "error": "Unprocessable Entity",
        "traceId": "trace-123",
    }
    error = error_from_response(answer(422, body), "update_contact")
    assert error.fields == ["gender", "email"]
    assert error.trace_id == "trace-123"
    assert "property gender should not exist" in error.message
    assert "trace-123" in error.message
    assert "Fix the named fields" in error.message


def test_duplicate_contact_names_existing_id() -> None:
    body = {
        "statusCode": 400,
        "message": "This location does not allow duplicated contacts.",
        "meta": {"contactId": "abcDEF1234567890ghij", "matchingField": "email"},
    }
    error = error_from_response(answer(400, body), "create_contact")
    assert isinstance(error, errors.DuplicateContact)
    assert error.contact_id == "abcDEF1234567890ghij"
    assert error.matching_field == "email"
    assert "abcDEF1234567890ghij" in error.message


def test_daily_quota_is_fatal() -> None:
    headers = {"x-ratelimit-daily-remaining": "0", "x-ratelimit-remaining": "40"}
    error = error_from_response(answer(429, {"message": "Too many"}, headers), "get_contact")
    assert isinstance(error, errors.DailyQuotaExceeded)
    assert not error.retriable


def test_burst_429_carries_wait() -> None:
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-interval-milliseconds": "10000"}
    error = error_from_response(answer(429, {"message": "Too many"}, headers), "get_contact")
    assert isinstance(error, errors.RateLimited)
    assert error.wait_seconds == 10.0
    assert error.retriable


def test_message_never_carries_tokens_or_query() -> None:
    body = {"statusCode": 401, "message": "Bearer abc.def.ghi is invalid"}
    error = error_from_response(answer(401, body), "get_contact")
    assert "abc.def.ghi" not in error.message
    assert "ada%40example.com" not in error.message
    assert "ada@example.com" not in error.message


def test_non_json_body_uses_reason() -> None:
    request = httpx.Request("GET", "https://api.invalid/contacts/x")
    response = httpx.Response(502, text="<html>bad gateway</html>", request=request)
    error = error_from_response(response, "get_contact")
    assert isinstance(error, errors.ServerError)
    assert "502" in error.message
    assert "<html>" not in error.message
