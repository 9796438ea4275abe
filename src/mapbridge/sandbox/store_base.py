"""Shared parts of the sandbox store: the database, the default location and lookups."""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

from mapbridge.sandbox.config import ALL_SCOPES, SANDBOX_LOCATION_ID, SANDBOX_TOKEN
from mapbridge.sandbox.db import Database
from mapbridge.sandbox.ids import new_id
from mapbridge.sandbox.problems import UnprocessableProblem, not_found

logger = logging.getLogger(__name__)

DEFAULT_LOCATION: dict[str, Any] = {
    "name": "mapbridge Sandbox",
    "companyId": "MapBridgeCompany0001",
    "timezone": "America/Chicago",
    "country": "US",
    "email": "sandbox@example.com",
    "phone": "+13125550100",
    "address": "100 Example Avenue",
    "city": "Chicago",
    "state": "IL",
    "postalCode": "60601",
    "website": "https://example.com",
    "firstName": "Sam",
    "lastName": "Sandbox",
    "domain": "sandbox.example.com",
}


def to_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def from_json(text: str) -> Any:
    return json.loads(text)


def hash_token(token: str) -> str:
    """Return the digest under which a token is stored, so the database never contains tokens."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def insert_location(
    connection: sqlite3.Connection,
    location_id: str,
    details: dict[str, Any],
    *,
    allow_duplicates: bool,
) -> None:
    data = dict(DEFAULT_LOCATION)
    data.update(details)
    data["id"] = location_id
    connection.execute(
        "INSERT INTO locations (id, allow_duplicates, data) VALUES (?, ?, ?)",
        (location_id, int(allow_duplicates), to_json(data)),
    )


def insert_token(
    connection: sqlite3.Connection, token: str, location_id: str, scopes: frozenset[str]
) -> None:
    unknown = sorted(scopes - ALL_SCOPES)
    if unknown:
        raise ValueError(
            f"Unknown scope(s) {', '.join(unknown)}; use names from "
            "mapbridge.sandbox.ALL_SCOPES such as contacts.readonly."
        )
    connection.execute(
        "INSERT OR REPLACE INTO tokens (token_hash, location_id, scopes) VALUES (?, ?, ?)",
        (hash_token(token), location_id, to_json(sorted(scopes))),
    )


def bootstrap(connection: sqlite3.Connection) -> None:
    """Create the default location and its token in a database that lacks them."""
    exists = connection.execute(
        "SELECT 1 FROM locations WHERE id = ?", (SANDBOX_LOCATION_ID,)
    ).fetchone()
    if exists is None:
        insert_location(connection, SANDBOX_LOCATION_ID, {}, allow_duplicates=False)
        insert_token(connection, SANDBOX_TOKEN, SANDBOX_LOCATION_ID, ALL_SCOPES)
        logger.info("Created the default sandbox location %s", SANDBOX_LOCATION_ID)


class StoreBase:
    """The database handle and the lookups that several kinds of records need."""

    def __init__(self, db_path: Path | None = None) -> None:
        self._db = Database(db_path, on_open=bootstrap)

    @property
    def db_path(self) -> Path | None:
        return self._db.path

    def close(self) -> None:
        self._db.close()

    # -- lookups used inside transactions ------------------------------------------------

    @staticmethod
    def _contact_in(connection: sqlite3.Connection, contact_id: str) -> dict[str, Any]:
        row = connection.execute("SELECT data FROM contacts WHERE id = ?", (contact_id,)).fetchone()
        if row is None:
            raise not_found("Contact", contact_id)
        record: dict[str, Any] = from_json(row["data"])
        return record

    @staticmethod
    def _location_in(connection: sqlite3.Connection, location_id: str) -> dict[str, Any]:
        row = connection.execute(
            "SELECT allow_duplicates, data FROM locations WHERE id = ?", (location_id,)
        ).fetchone()
        if row is None:
            raise not_found("Location", location_id)
        record: dict[str, Any] = from_json(row["data"])
        record["settings"] = {
            "allowDuplicateContact": bool(row["allow_duplicates"]),
            "allowDuplicateOpportunity": False,
            "allowFacebookNameMerge": False,
            "disableContactTimezone": False,
        }
        return record

    @staticmethod
    def _canonical_tags(
        connection: sqlite3.Connection, location_id: str, names: list[str]
    ) -> list[str]:
        """Return the tags in the spelling the location first used, creating unknown ones.

        Tags compare case-insensitively, so "VIP" and "vip" are one tag; blanks are dropped.
        """
        result: list[str] = []
        seen: set[str] = set()
        for raw in names:
            name = raw.strip()
            lower = name.lower()
            if not name or lower in seen:
                continue
            seen.add(lower)
            row = connection.execute(
                "SELECT name FROM tags WHERE location_id = ? AND name_lower = ?",
                (location_id, lower),
            ).fetchone()
            if row is None:
                connection.execute(
                    "INSERT INTO tags (id, location_id, name, name_lower) VALUES (?, ?, ?, ?)",
                    (new_id(), location_id, name, lower),
                )
                result.append(name)
            else:
                result.append(str(row["name"]))
        return result

    @staticmethod
    def _custom_field_ids(
        connection: sqlite3.Connection, location_id: str, entries: list[dict[str, Any]]
    ) -> list[tuple[str, str, Any]]:
        """Resolve custom field inputs (by ``id`` or ``key``) to (id, dataType, value).

        Raises a 422 naming every entry whose field the location does not define.
        NOTE: HighLevel does not document how it treats an unknown custom field; the sandbox
        rejects it, so that a wrong field mapping fails loudly.
        """
        resolved: list[tuple[str, str, Any]] = []
        problems: list[str] = []
        for index, entry in enumerate(entries):
            field_id, key = entry.get("id"), entry.get("key")
            row = None
            if field_id:
                row = connection.execute(
                    "SELECT id, data_type FROM custom_fields WHERE location_id = ? AND id = ?",
                    (location_id, field_id),
                ).fetchone()
            elif key:
                bare_key = key.removeprefix("contact.")
                row = connection.execute(
                    "SELECT id, data_type FROM custom_fields WHERE location_id = ? "
                    "AND field_key IN (?, ?)",
                    (location_id, bare_key, f"contact.{bare_key}"),
                ).fetchone()
            if row is None:
                problems.append(
                    f"customFields.{index} refers to custom field {field_id or key!s}, which "
                    "this location does not define"
                )
                continue
            resolved.append((str(row["id"]), str(row["data_type"]), entry.get("value")))
        if problems:
            raise UnprocessableProblem(problems)
        return resolved
