"""Contacts in the sandbox store: create, update, upsert, delete, duplicates, tags, followers."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from mapbridge.sandbox.contact_fields import apply_changes, merge_custom_fields, new_contact
from mapbridge.sandbox.ids import new_id, now_timestamp
from mapbridge.sandbox.problems import DuplicateContactProblem
from mapbridge.sandbox.store_base import StoreBase, from_json, to_json

logger = logging.getLogger(__name__)

Match = tuple[dict[str, Any], str]
"""A contact that a duplicate rule matched, with the field that matched (email or phone)."""


class ContactRecords(StoreBase):
    """Contact methods of :class:`~mapbridge.sandbox.store.SandboxStore`."""

    def get_contact(self, contact_id: str) -> dict[str, Any]:
        """Return one contact; raises a 404 problem for an unknown id."""
        with self._db.read() as connection:
            return self._contact_in(connection, contact_id)

    def count_contacts(self, location_id: str) -> int:
        with self._db.read() as connection:
            row = connection.execute(
                "SELECT COUNT(*) AS n FROM contacts WHERE location_id = ?", (location_id,)
            ).fetchone()
            return int(row["n"])

    def create_contact(
        self,
        location_id: str,
        changes: dict[str, Any],
        *,
        contact_id: str | None = None,
        now: str | None = None,
        enforce_duplicate_rule: bool = True,
    ) -> dict[str, Any]:
        """Create a contact from checked request fields, enforcing the duplicate rule.

        Raises :class:`DuplicateContactProblem` when the location forbids duplicates and the
        email (compared case-insensitively) or the phone belongs to another contact. An
        existing contact with the same ``contact_id`` is replaced.
        """
        with self._db.transaction() as connection:
            if enforce_duplicate_rule and not self._allows_duplicates(connection, location_id):
                match = self._duplicate_in(
                    connection,
                    location_id,
                    changes.get("email"),
                    changes.get("phone"),
                    exclude_id=contact_id or "",
                )
                if match is not None:
                    raise _duplicate_problem(match)
            return self._insert_contact(connection, location_id, changes, contact_id, now)

    def update_contact(self, contact_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Change a contact; ``tags`` replace the whole list, ``customFields`` merge by id."""
        with self._db.transaction() as connection:
            record = self._contact_in(connection, contact_id)
            location_id = record["locationId"]
            if not self._allows_duplicates(connection, location_id):
                match = self._duplicate_in(
                    connection,
                    location_id,
                    changes.get("email"),
                    changes.get("phone"),
                    exclude_id=contact_id,
                )
                if match is not None:
                    raise _duplicate_problem(match)
            self._fill(connection, record, changes, now_timestamp())
            self._save(connection, record)
            return record

    def upsert_contact(
        self, location_id: str, changes: dict[str, Any], *, create_new_if_allowed: bool = False
    ) -> tuple[bool, dict[str, Any]]:
        """Update the contact the duplicate rule matches, or create one; returns (new, contact).

        Email matches first, then phone. When the email matches one contact and the phone
        another, the email match is updated and the phone is left out, as HighLevel does.
        ``gender`` is taken only when a contact is created.
        """
        with self._db.transaction() as connection:
            allowed = self._allows_duplicates(connection, location_id)
            if create_new_if_allowed and allowed:
                return True, self._insert_contact(connection, location_id, changes, None, None)

            email, phone = changes.get("email"), changes.get("phone")
            by_email = self._duplicate_in(connection, location_id, email, None)
            by_phone = self._duplicate_in(connection, location_id, None, phone)
            # NOTE: a body with neither email nor phone creates a contact; HighLevel's
            # documents do not say what it does then.
            if by_email is None and by_phone is None:
                return True, self._insert_contact(connection, location_id, changes, None, None)

            update = {key: value for key, value in changes.items() if key != "gender"}
            if by_email is not None:
                target = by_email[0]
                if by_phone is not None and by_phone[0]["id"] != target["id"]:
                    logger.debug(
                        "Upsert matched contact %s by email and %s by phone; phone ignored",
                        target["id"],
                        by_phone[0]["id"],
                    )
                    update.pop("phone", None)
            else:
                assert by_phone is not None
                target = by_phone[0]
            self._fill(connection, target, update, now_timestamp())
            self._save(connection, target)
            return False, target

    def delete_contact(self, contact_id: str) -> None:
        """Delete a contact with its tasks, notes and appointments."""
        with self._db.transaction() as connection:
            self._contact_in(connection, contact_id)
            connection.execute("DELETE FROM contacts WHERE id = ?", (contact_id,))

    def find_duplicate(
        self, location_id: str, *, email: str | None = None, phone: str | None = None
    ) -> Match | None:
        """Return the contact the duplicate rule matches (email first, then phone), if any."""
        with self._db.read() as connection:
            return self._duplicate_in(connection, location_id, email, phone)

    def add_contact_tags(self, contact_id: str, tags: list[str]) -> list[str]:
        """Add tags a contact lacks (case-insensitively); returns the contact's tag list."""
        with self._db.transaction() as connection:
            record = self._contact_in(connection, contact_id)
            current = list(record.get("tags", []))
            have = {tag.lower() for tag in current}
            for tag in self._canonical_tags(connection, record["locationId"], tags):
                if tag.lower() not in have:
                    current.append(tag)
                    have.add(tag.lower())
            return self._store_tags(connection, record, current)

    def remove_contact_tags(self, contact_id: str, tags: list[str]) -> list[str]:
        """Remove the named tags (case-insensitively); returns the contact's tag list."""
        with self._db.transaction() as connection:
            record = self._contact_in(connection, contact_id)
            drop = {tag.strip().lower() for tag in tags}
            kept = [tag for tag in record.get("tags", []) if tag.lower() not in drop]
            return self._store_tags(connection, record, kept)

    def add_followers(self, contact_id: str, followers: list[str]) -> tuple[list[str], list[str]]:
        """Add follower user ids; returns (all followers, the ones added now)."""
        with self._db.transaction() as connection:
            record = self._contact_in(connection, contact_id)
            current: list[str] = list(record.get("followers", []))
            added = [f for f in dict.fromkeys(followers) if f and f not in current]
            record["followers"] = current + added
            if added:
                record["dateUpdated"] = now_timestamp()
            self._save(connection, record)
            return record["followers"], added

    def remove_followers(
        self, contact_id: str, followers: list[str]
    ) -> tuple[list[str], list[str]]:
        """Remove follower user ids; returns (remaining followers, the ones removed now)."""
        with self._db.transaction() as connection:
            record = self._contact_in(connection, contact_id)
            current: list[str] = list(record.get("followers", []))
            drop = set(followers)
            removed = [f for f in current if f in drop]
            record["followers"] = [f for f in current if f not in drop]
            if removed:
                record["dateUpdated"] = now_timestamp()
            self._save(connection, record)
            return record["followers"], removed

    # -- steps inside a transaction ----------------------------------------------------------

    def _allows_duplicates(self, connection: sqlite3.Connection, location_id: str) -> bool:
        return bool(self._location_in(connection, location_id)["settings"]["allowDuplicateContact"])

    @staticmethod
    def _duplicate_in(
        connection: sqlite3.Connection,
        location_id: str,
        email: str | None,
        phone: str | None,
        *,
        exclude_id: str = "",
    ) -> Match | None:
        candidates = (("email", "email_lower", (email or "").lower()), ("phone", "phone", phone))
        for field, column, value in candidates:
            if not value:
                continue
            row = connection.execute(
                f"SELECT data FROM contacts WHERE location_id = ? AND {column} = ? AND id != ? "
                "ORDER BY date_added, id LIMIT 1",
                (location_id, value, exclude_id),
            ).fetchone()
            if row is not None:
                return from_json(row["data"]), field
        return None

    def _insert_contact(
        self,
        connection: sqlite3.Connection,
        location_id: str,
        changes: dict[str, Any],
        contact_id: str | None,
        now: str | None,
    ) -> dict[str, Any]:
        now = now or now_timestamp()
        record = new_contact(contact_id or new_id(), location_id, now)
        self._fill(connection, record, changes, now)
        self._save(connection, record)
        logger.debug("Created contact %s in location %s", record["id"], location_id)
        return record

    def _fill(
        self,
        connection: sqlite3.Connection,
        record: dict[str, Any],
        changes: dict[str, Any],
        now: str,
    ) -> None:
        location_id = record["locationId"]
        if changes.get("customFields"):
            resolved = self._custom_field_ids(connection, location_id, changes["customFields"])
            merge_custom_fields(record, resolved)
        apply_changes(record, changes, now)
        if "tags" in changes:
            record["tags"] = self._canonical_tags(connection, location_id, changes["tags"] or [])

    def _store_tags(
        self, connection: sqlite3.Connection, record: dict[str, Any], tags: list[str]
    ) -> list[str]:
        if tags != record.get("tags"):
            record["tags"] = tags
            record["dateUpdated"] = now_timestamp()
            self._save(connection, record)
        return tags

    @staticmethod
    def _save(connection: sqlite3.Connection, record: dict[str, Any]) -> None:
        connection.execute(
            "INSERT INTO contacts (id, location_id, email_lower, phone, date_added, data) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "location_id = excluded.location_id, email_lower = excluded.email_lower, "
            "phone = excluded.phone, date_added = excluded.date_added, data = excluded.data",
            (
                record["id"],
                record["locationId"],
                record.get("emailLowerCase"),
                record.get("phone"),
                record["dateAdded"],
                to_json(record),
            ),
        )


def _duplicate_problem(match: Match) -> DuplicateContactProblem:
    record, field = match
    return DuplicateContactProblem(record["id"], record.get("name"), field)
