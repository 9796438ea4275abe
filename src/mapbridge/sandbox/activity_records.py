"""Tasks, notes and appointments of contacts in the sandbox store."""

from __future__ import annotations

import sqlite3
from typing import Any

from mapbridge.sandbox.ids import format_timestamp, new_id, now_timestamp, parse_timestamp
from mapbridge.sandbox.problems import not_found
from mapbridge.sandbox.store_base import StoreBase, from_json, to_json

TASK_FIELDS = ("title", "body", "dueDate", "completed", "assignedTo")
NOTE_FIELDS = ("body", "userId", "title", "color", "pinned")


def _merge(record: dict[str, Any], changes: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys:
        if key in changes:
            if changes[key] is None:
                record.pop(key, None)
            else:
                record[key] = changes[key]


class ActivityRecords(StoreBase):
    """Task, note and appointment methods of :class:`~mapbridge.sandbox.store.SandboxStore`."""

    # -- tasks ----------------------------------------------------------------------------

    def create_task(
        self,
        contact_id: str,
        fields: dict[str, Any],
        *,
        task_id: str | None = None,
        now: str | None = None,
    ) -> dict[str, Any]:
        """Create a task; ``fields`` contains title, dueDate, completed and optionally body, assignedTo."""
        with self._db.transaction() as connection:
            contact = self._contact_in(connection, contact_id)
            now = now or now_timestamp()
            task: dict[str, Any] = {"id": task_id or new_id(), "contactId": contact_id}
            _merge(task, fields, TASK_FIELDS)
            task["completed"] = bool(task.get("completed", False))
            task["dateAdded"] = now
            task["dateUpdated"] = now
            self._save_task(connection, contact["locationId"], task)
            return task

    def list_tasks(self, contact_id: str) -> list[dict[str, Any]]:
        with self._db.read() as connection:
            self._contact_in(connection, contact_id)
            rows = connection.execute(
                "SELECT data FROM tasks WHERE contact_id = ? ORDER BY due_date, id", (contact_id,)
            ).fetchall()
            return [from_json(row["data"]) for row in rows]

    def get_task(self, contact_id: str, task_id: str) -> dict[str, Any]:
        with self._db.read() as connection:
            return self._task_in(connection, contact_id, task_id)

    def update_task(self, contact_id: str, task_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        with self._db.transaction() as connection:
            task = self._task_in(connection, contact_id, task_id)
            _merge(task, changes, TASK_FIELDS)
            task["dateUpdated"] = now_timestamp()
            location_id = self._contact_in(connection, contact_id)["locationId"]
            self._save_task(connection, location_id, task)
            return task

    def delete_task(self, contact_id: str, task_id: str) -> None:
        with self._db.transaction() as connection:
            self._task_in(connection, contact_id, task_id)
            connection.execute("DELETE FROM tasks WHERE id = ?", (task_id,))

    def search_tasks(
        self,
        location_id: str,
        *,
        contact_ids: list[str] | None = None,
        assigned_to: list[str] | None = None,
        completed: bool | None = None,
        query: str | None = None,
        limit: int = 25,
        skip: int = 0,
    ) -> list[dict[str, Any]]:
        """Return the location's tasks that match every given filter, by due date."""
        clauses = ["location_id = ?"]
        parameters: list[Any] = [location_id]
        if contact_ids:
            clauses.append(f"contact_id IN ({', '.join('?' for _ in contact_ids)})")
            parameters += contact_ids
        if assigned_to:
            clauses.append(
                f"json_extract(data, '$.assignedTo') IN ({', '.join('?' for _ in assigned_to)})"
            )
            parameters += assigned_to
        if completed is not None:
            clauses.append("json_extract(data, '$.completed') = ?")
            parameters.append(1 if completed else 0)
        if query:
            clauses.append(
                "(instr(lower(coalesce(json_extract(data, '$.title'), '')), ?) > 0 "
                "OR instr(lower(coalesce(json_extract(data, '$.body'), '')), ?) > 0)"
            )
            parameters += [query.lower(), query.lower()]
        sql = (
            f"SELECT data FROM tasks WHERE {' AND '.join(clauses)} "
            "ORDER BY due_date, id LIMIT ? OFFSET ?"
        )
        with self._db.read() as connection:
            rows = connection.execute(sql, [*parameters, limit, skip]).fetchall()
            return [from_json(row["data"]) for row in rows]

    @staticmethod
    def _task_in(connection: sqlite3.Connection, contact_id: str, task_id: str) -> dict[str, Any]:
        row = connection.execute(
            "SELECT data FROM tasks WHERE id = ? AND contact_id = ?", (task_id, contact_id)
        ).fetchone()
        if row is None:
            raise not_found("Task", task_id)
        task: dict[str, Any] = from_json(row["data"])
        return task

    @staticmethod
    def _save_task(connection: sqlite3.Connection, location_id: str, task: dict[str, Any]) -> None:
        connection.execute(
            "INSERT INTO tasks (id, location_id, contact_id, due_date, data) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET due_date = excluded.due_date, data = excluded.data",
            (task["id"], location_id, task["contactId"], task.get("dueDate", ""), to_json(task)),
        )

    # -- notes ----------------------------------------------------------------------------

    def create_note(
        self,
        contact_id: str,
        fields: dict[str, Any],
        *,
        note_id: str | None = None,
        now: str | None = None,
    ) -> dict[str, Any]:
        with self._db.transaction() as connection:
            contact = self._contact_in(connection, contact_id)
            note: dict[str, Any] = {"id": note_id or new_id(), "contactId": contact_id}
            _merge(note, fields, NOTE_FIELDS)
            note.setdefault("pinned", False)
            note["dateAdded"] = now or now_timestamp()
            self._save_note(connection, contact["locationId"], note)
            return note

    def list_notes(self, contact_id: str) -> list[dict[str, Any]]:
        """Return a contact's notes, newest first."""
        with self._db.read() as connection:
            self._contact_in(connection, contact_id)
            rows = connection.execute(
                "SELECT data FROM notes WHERE contact_id = ? ORDER BY date_added DESC, id",
                (contact_id,),
            ).fetchall()
            return [from_json(row["data"]) for row in rows]

    def get_note(self, contact_id: str, note_id: str) -> dict[str, Any]:
        with self._db.read() as connection:
            return self._note_in(connection, contact_id, note_id)

    def update_note(self, contact_id: str, note_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        with self._db.transaction() as connection:
            note = self._note_in(connection, contact_id, note_id)
            _merge(note, changes, NOTE_FIELDS)
            location_id = self._contact_in(connection, contact_id)["locationId"]
            self._save_note(connection, location_id, note)
            return note

    def delete_note(self, contact_id: str, note_id: str) -> None:
        with self._db.transaction() as connection:
            self._note_in(connection, contact_id, note_id)
            connection.execute("DELETE FROM notes WHERE id = ?", (note_id,))

    @staticmethod
    def _note_in(connection: sqlite3.Connection, contact_id: str, note_id: str) -> dict[str, Any]:
        row = connection.execute(
            "SELECT data FROM notes WHERE id = ? AND contact_id = ?", (note_id, contact_id)
        ).fetchone()
        if row is None:
            raise not_found("Note", note_id)
        note: dict[str, Any] = from_json(row["data"])
        return note

    @staticmethod
    def _save_note(connection: sqlite3.Connection, location_id: str, note: dict[str, Any]) -> None:
        connection.execute(
            "INSERT INTO notes (id, location_id, contact_id, date_added, data) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET data = excluded.data",
            (note["id"], location_id, note["contactId"], note["dateAdded"], to_json(note)),
        )

    # -- appointments ---------------------------------------------------------------------

    def create_appointment(
        self,
        contact_id: str,
        *,
        calendar_id: str,
        title: str,
        start_time: str,
        end_time: str,
        status: str = "confirmed",
        assigned_user_id: str | None = None,
        address: str | None = None,
        notes: str | None = None,
        appointment_id: str | None = None,
        now: str | None = None,
    ) -> dict[str, Any]:
        """Book an appointment for a contact; times are ISO 8601 strings with an offset."""
        with self._db.transaction() as connection:
            contact = self._contact_in(connection, contact_id)
            now = now or now_timestamp()
            event: dict[str, Any] = {
                "id": appointment_id or new_id(),
                "calendarId": calendar_id,
                "locationId": contact["locationId"],
                "contactId": contact_id,
                "title": title,
                "status": "booked",
                "appointmentStatus": status,
                "startTime": start_time,
                "endTime": end_time,
                "users": [assigned_user_id] if assigned_user_id else [],
                "dateAdded": now,
                "dateUpdated": now,
            }
            for key, value in (
                ("assignedUserId", assigned_user_id),
                ("address", address),
                ("notes", notes),
            ):
                if value is not None:
                    event[key] = value
            connection.execute(
                "INSERT INTO appointments (id, location_id, contact_id, start_time, data) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "start_time = excluded.start_time, data = excluded.data",
                (
                    event["id"],
                    contact["locationId"],
                    contact_id,
                    format_timestamp(parse_timestamp(start_time)),
                    to_json(event),
                ),
            )
            return event

    def list_appointments(self, contact_id: str) -> list[dict[str, Any]]:
        with self._db.read() as connection:
            self._contact_in(connection, contact_id)
            rows = connection.execute(
                "SELECT data FROM appointments WHERE contact_id = ? ORDER BY start_time, id",
                (contact_id,),
            ).fetchall()
            return [from_json(row["data"]) for row in rows]
