"""The sandbox store: every record the emulated API serves, in one SQLite database.

Tests may use it directly, for example to add a second location with its own token::

    store = SandboxStore()                      # in memory
    other = store.create_location(allow_duplicates=True)
    token = store.create_token(other, {"contacts.readonly"})
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mapbridge.sandbox.activity_records import ActivityRecords
from mapbridge.sandbox.config import ALL_SCOPES
from mapbridge.sandbox.contact_records import ContactRecords
from mapbridge.sandbox.ids import new_id
from mapbridge.sandbox.problems import BadRequestProblem, not_found
from mapbridge.sandbox.search import ListPage, SearchRequest, list_contacts_page, search_contacts
from mapbridge.sandbox.store_base import (
    from_json,
    hash_token,
    insert_location,
    insert_token,
    to_json,
)

logger = logging.getLogger(__name__)

CUSTOM_FIELD_TYPES = frozenset(
    {
        "TEXT", "LARGE_TEXT", "NUMERICAL", "PHONE", "MONETORY", "CHECKBOX", "SINGLE_OPTIONS",
        "MULTIPLE_OPTIONS", "DATE", "TEXTBOX_LIST", "FILE_UPLOAD", "RADIO", "EMAIL",
    }
)  # fmt: skip


@dataclass(frozen=True)
class TokenGrant:
    """Permission of one token: it acts for one location with these scopes."""

    location_id: str
    scopes: frozenset[str]


class SandboxStore(ContactRecords, ActivityRecords):
    """Locations, tokens, tags, custom fields, contacts and their tasks, notes, appointments."""

    # -- locations --------------------------------------------------------------------------

    def create_location(
        self,
        *,
        name: str = "Second Sandbox Location",
        allow_duplicates: bool = False,
        timezone: str = "America/Chicago",
        country: str = "US",
        location_id: str | None = None,
    ) -> str:
        """Add a location and return its id; it starts with no token and no contacts."""
        location_id = location_id or new_id()
        details = {"name": name, "timezone": timezone, "country": country}
        with self._db.transaction() as connection:
            insert_location(connection, location_id, details, allow_duplicates=allow_duplicates)
        logger.info("Created sandbox location %s", location_id)
        return location_id

    def get_location(self, location_id: str) -> dict[str, Any]:
        with self._db.read() as connection:
            return self._location_in(connection, location_id)

    def set_allow_duplicates(self, location_id: str, allowed: bool) -> None:
        """Switch the location's "Allow Duplicate Contact" setting."""
        with self._db.transaction() as connection:
            self._location_in(connection, location_id)
            connection.execute(
                "UPDATE locations SET allow_duplicates = ? WHERE id = ?",
                (int(allowed), location_id),
            )

    # -- tokens -----------------------------------------------------------------------------

    def create_token(
        self, location_id: str, scopes: Iterable[str] = ALL_SCOPES, *, token: str | None = None
    ) -> str:
        """Issue a token for one location with the given scopes and return it.

        Only a digest of the token is stored. Raises ``ValueError`` for a scope that is not
        in :data:`ALL_SCOPES`.
        """
        token = token or f"pit-{secrets.token_hex(16)}"
        with self._db.transaction() as connection:
            self._location_in(connection, location_id)
            insert_token(connection, token, location_id, frozenset(scopes))
        return token

    def revoke_token(self, token: str) -> None:
        with self._db.transaction() as connection:
            connection.execute("DELETE FROM tokens WHERE token_hash = ?", (hash_token(token),))

    def token_grant(self, token: str) -> TokenGrant | None:
        """Return what ``token`` may do, or None when the sandbox does not know it."""
        with self._db.read() as connection:
            row = connection.execute(
                "SELECT location_id, scopes FROM tokens WHERE token_hash = ?", (hash_token(token),)
            ).fetchone()
        if row is None:
            return None
        return TokenGrant(str(row["location_id"]), frozenset(from_json(row["scopes"])))

    # -- location tags ----------------------------------------------------------------------

    def list_tags(self, location_id: str) -> list[dict[str, Any]]:
        with self._db.read() as connection:
            rows = connection.execute(
                "SELECT id, name FROM tags WHERE location_id = ? ORDER BY name_lower",
                (location_id,),
            ).fetchall()
        return [{"id": row["id"], "name": row["name"], "locationId": location_id} for row in rows]

    def create_tag(self, location_id: str, name: str) -> dict[str, Any]:
        """Define a tag; raises a 400 problem when the location has it in any spelling."""
        name = name.strip()
        with self._db.transaction() as connection:
            self._location_in(connection, location_id)
            if self._tag_named(connection, location_id, name) is not None:
                raise BadRequestProblem(f"The tag {name!r} already exists in this location.")
            tag_id = new_id()
            connection.execute(
                "INSERT INTO tags (id, location_id, name, name_lower) VALUES (?, ?, ?, ?)",
                (tag_id, location_id, name, name.lower()),
            )
        return {"id": tag_id, "name": name, "locationId": location_id}

    def get_tag(self, location_id: str, tag_id: str) -> dict[str, Any]:
        with self._db.read() as connection:
            row = connection.execute(
                "SELECT id, name FROM tags WHERE location_id = ? AND id = ?", (location_id, tag_id)
            ).fetchone()
        if row is None:
            raise not_found("Tag", tag_id)
        return {"id": row["id"], "name": row["name"], "locationId": location_id}

    def rename_tag(self, location_id: str, tag_id: str, name: str) -> dict[str, Any]:
        """Rename a tag here and on every contact that carries it."""
        old = self.get_tag(location_id, tag_id)["name"]
        name = name.strip()
        with self._db.transaction() as connection:
            clash = self._tag_named(connection, location_id, name)
            if clash is not None and clash != tag_id:
                raise BadRequestProblem(f"The tag {name!r} already exists in this location.")
            connection.execute(
                "UPDATE tags SET name = ?, name_lower = ? WHERE id = ?",
                (name, name.lower(), tag_id),
            )
            self._retag_contacts(connection, location_id, old, name)
        return {"id": tag_id, "name": name, "locationId": location_id}

    def delete_tag(self, location_id: str, tag_id: str) -> None:
        """Delete a tag here and take it off every contact."""
        old = self.get_tag(location_id, tag_id)["name"]
        with self._db.transaction() as connection:
            connection.execute("DELETE FROM tags WHERE id = ?", (tag_id,))
            self._retag_contacts(connection, location_id, old, None)

    @staticmethod
    def _tag_named(connection: Any, location_id: str, name: str) -> str | None:
        row = connection.execute(
            "SELECT id FROM tags WHERE location_id = ? AND name_lower = ?",
            (location_id, name.lower()),
        ).fetchone()
        return None if row is None else str(row["id"])

    def _retag_contacts(self, connection: Any, location_id: str, old: str, new: str | None) -> None:
        rows = connection.execute(
            "SELECT c.data FROM contacts AS c WHERE c.location_id = ? AND EXISTS "
            "(SELECT 1 FROM json_each(c.data, '$.tags') AS t WHERE lower(t.value) = ?)",
            (location_id, old.lower()),
        ).fetchall()
        for row in rows:
            record = from_json(row["data"])
            tags: list[str] = []
            for tag in record["tags"]:
                replacement = new if tag.lower() == old.lower() else tag
                if replacement is not None and replacement.lower() not in {t.lower() for t in tags}:
                    tags.append(replacement)
            record["tags"] = tags
            self._save(connection, record)

    # -- custom fields ----------------------------------------------------------------------

    def create_custom_field(
        self, location_id: str, name: str, data_type: str = "TEXT", *, field_key: str | None = None
    ) -> dict[str, Any]:
        """Define a contact custom field and return its definition (``id``, ``fieldKey``, ...)."""
        if data_type not in CUSTOM_FIELD_TYPES:
            raise ValueError(
                f"Unknown custom field data type {data_type!r}; use one of "
                f"{', '.join(sorted(CUSTOM_FIELD_TYPES))}."
            )
        key = field_key or "contact." + "_".join(name.lower().split())
        definition = {
            "id": new_id(),
            "name": name,
            "fieldKey": key,
            "dataType": data_type,
            "locationId": location_id,
            "model": "contact",
        }
        with self._db.transaction() as connection:
            self._location_in(connection, location_id)
            connection.execute(
                "INSERT INTO custom_fields (id, location_id, field_key, data_type, data) "
                "VALUES (?, ?, ?, ?, ?)",
                (definition["id"], location_id, key, data_type, to_json(definition)),
            )
        return definition

    def list_custom_fields(self, location_id: str) -> list[dict[str, Any]]:
        with self._db.read() as connection:
            rows = connection.execute(
                "SELECT data FROM custom_fields WHERE location_id = ? ORDER BY field_key",
                (location_id,),
            ).fetchall()
        return [from_json(row["data"]) for row in rows]

    # -- listing contacts -------------------------------------------------------------------

    def search_contacts(self, request: SearchRequest) -> tuple[list[dict[str, Any]], int]:
        with self._db.read() as connection:
            return search_contacts(connection, request)

    def list_contacts(
        self,
        location_id: str,
        *,
        limit: int = 20,
        start_after: int | None = None,
        start_after_id: str | None = None,
        query: str | None = None,
    ) -> ListPage:
        with self._db.read() as connection:
            return list_contacts_page(
                connection,
                location_id,
                limit=limit,
                start_after=start_after,
                start_after_id=start_after_id,
                query=query,
            )
