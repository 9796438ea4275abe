"""Error responses of the emulated API, in the body shapes HighLevel documents.

    ApiProblem                      any error response: status code plus JSON body
    ├── BadRequestProblem           400 {statusCode, message: str}
    │   └── DuplicateContactProblem 400 with meta {contactId, contactName, matchingField}
    ├── UnauthorizedProblem         401 {statusCode, message, error: "Unauthorized"}
    ├── ForbiddenProblem            403 {statusCode, message}
    ├── NotFoundProblem             404 {statusCode, message}
    └── UnprocessableProblem        422 {statusCode, message: [str, ...], error}

Every body also carries the ``traceId`` of its request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

INVALID_TOKEN_MESSAGE = "Invalid token: access token is invalid"
MISSING_SCOPE_MESSAGE = "The token is not authorized for this scope."
FOREIGN_LOCATION_MESSAGE = "The token does not have access to this location."
DUPLICATE_CONTACT_MESSAGE = "This location does not allow duplicated contacts."


class ApiProblem(Exception):
    """An error response: raise it anywhere in a handler and the app sends it."""

    status = 500
    error: str | None = None

    def __init__(self, message: str | Sequence[str], **extra: Any) -> None:
        text = message if isinstance(message, str) else "; ".join(message)
        super().__init__(text)
        self.message: str | list[str] = message if isinstance(message, str) else list(message)
        self.extra = extra

    def body(self, trace_id: str) -> dict[str, Any]:
        data: dict[str, Any] = {"statusCode": self.status, "message": self.message}
        if self.error is not None:
            data["error"] = self.error
        data.update(self.extra)
        data["traceId"] = trace_id
        return data


class BadRequestProblem(ApiProblem):
    status = 400


class DuplicateContactProblem(BadRequestProblem):
    def __init__(self, contact_id: str, contact_name: str | None, matching_field: str) -> None:
        super().__init__(
            DUPLICATE_CONTACT_MESSAGE,
            meta={
                "contactId": contact_id,
                "contactName": contact_name or "",
                "matchingField": matching_field,
            },
        )
        self.contact_id = contact_id
        self.matching_field = matching_field


class UnauthorizedProblem(ApiProblem):
    status = 401
    error = "Unauthorized"


class ForbiddenProblem(ApiProblem):
    status = 403

    def __init__(self, message: str = FOREIGN_LOCATION_MESSAGE) -> None:
        super().__init__(message)


class NotFoundProblem(ApiProblem):
    status = 404


class UnprocessableProblem(ApiProblem):
    status = 422
    error = "Unprocessable Entity"

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__(list(messages))


def not_found(kind: str, record_id: str) -> NotFoundProblem:
    return NotFoundProblem(f"{kind} with id {record_id} not found.")
