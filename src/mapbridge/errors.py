"""The one error hierarchy of mapbridge.

Every error a user can cause or meet carries an exit code for the CLI and a message that names
the operation or value at fault and the next step. Retriable errors are the ones the HTTP layer
may repeat; everything else is fatal.

    MapbridgeError                      exit 1
    ├── UsageError                      exit 2   bad command line, unknown operation key
    ├── SchemaViolationError                     every violation listed with its path
    │   ├── InputError                  exit 2   input JSON invalid or against its schema
    │   └── OutputError                 exit 8   an operation returned data against its schema
    ├── ConfigError                     exit 3   missing token or location id, bad config file
    ├── PermissionDenied                exit 4   the connection lacks a scope the operation needs
    ├── ApiError                                 an error response (or none) from the Contacts API
    │   ├── FatalApiError
    │   │   ├── BadRequest              exit 6   400
    │   │   │   └── DuplicateContact    exit 6   400 with meta.contactId
    │   │   ├── Unauthorized            exit 4   401
    │   │   ├── Forbidden               exit 4   403
    │   │   ├── NotFound                exit 5   404
    │   │   ├── Unprocessable           exit 6   422
    │   │   └── DailyQuotaExceeded      exit 7   429 with the daily quota spent
    │   └── RetriableApiError           exit 7
    │       ├── RateLimited             exit 7   429 within the burst window
    │       ├── ServerError             exit 7   5xx
    │       └── NetworkError            exit 7   timeout, refused or dropped connection
    ├── ManifestError                   exit 9   connector.json, a schema or a module is broken
    └── MapError                        exit 10  a MindManager map cannot be read or written
        └── MapConflictError            exit 11  the map changed on disk since it was read
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class MapbridgeError(Exception):
    """Base of every error mapbridge raises on purpose."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, object]:
        return {"error": type(self).__name__, "message": self.message}


class UsageError(MapbridgeError):
    exit_code = 2


@dataclass(frozen=True)
class Violation:
    """One schema violation: where it is (``input.email``) and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class SchemaViolationError(MapbridgeError):
    """Data that breaks a schema; the message lists every violation with its path."""

    def __init__(self, message: str, violations: Sequence[Violation] = ()) -> None:
        if violations:
            message = message + "\n" + "\n".join(f"  {violation}" for violation in violations)
        super().__init__(message)
        self.violations = list(violations)

    def to_dict(self) -> dict[str, object]:
        data = super().to_dict()
        data["violations"] = [{"path": v.path, "message": v.message} for v in self.violations]
        return data


class InputError(SchemaViolationError):
    """The input of an operation is not valid JSON or breaks the operation's input schema."""

    exit_code = 2


class ConfigError(MapbridgeError):
    exit_code = 3


class PermissionDenied(MapbridgeError):
    exit_code = 4


class ApiError(MapbridgeError):
    """An error response, or no response, from the Contacts API for one operation."""

    exit_code = 6
    retriable = False

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        status: int | None = None,
        trace_id: str | None = None,
        fields: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.operation = operation
        self.status = status
        self.trace_id = trace_id
        self.fields = list(fields)

    def to_dict(self) -> dict[str, object]:
        data = super().to_dict()
        data.update(
            {
                "operation": self.operation,
                "status": self.status,
                "traceId": self.trace_id,
                "fields": self.fields,
            }
        )
        return data


class FatalApiError(ApiError):
    pass


class BadRequest(FatalApiError):
    exit_code = 6


class DuplicateContact(BadRequest):
    """The location forbids duplicates and the new contact matches an existing one."""

    def __init__(
        self,
        message: str,
        *,
        contact_id: str,
        matching_field: str | None,
        operation: str | None = None,
        trace_id: str | None = None,
    ) -> None:
        super().__init__(message, operation=operation, status=400, trace_id=trace_id)
        self.contact_id = contact_id
        self.matching_field = matching_field

    def to_dict(self) -> dict[str, object]:
        data = super().to_dict()
        data["contactId"] = self.contact_id
        data["matchingField"] = self.matching_field
        return data


class Unauthorized(FatalApiError):
    exit_code = 4


class Forbidden(FatalApiError):
    exit_code = 4


class NotFound(FatalApiError):
    exit_code = 5


class Unprocessable(FatalApiError):
    exit_code = 6


class DailyQuotaExceeded(FatalApiError):
    exit_code = 7


class RetriableApiError(ApiError):
    exit_code = 7
    retriable = True


class RateLimited(RetriableApiError):
    def __init__(
        self, message: str, *, wait_seconds: float | None = None, **kwargs: object
    ) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.wait_seconds = wait_seconds


class ServerError(RetriableApiError):
    pass


class NetworkError(RetriableApiError):
    pass


class OutputError(SchemaViolationError):
    """An operation returned data that breaks its output schema (a bug or an API change)."""

    exit_code = 8


class ManifestError(MapbridgeError):
    exit_code = 9


class MapError(MapbridgeError):
    """A MindManager map cannot be opened, read or written."""

    exit_code = 10


class MapConflictError(MapError):
    """The map file changed on disk after it was read, so writing it would lose those edits."""

    exit_code = 11
