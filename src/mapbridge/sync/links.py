"""The durable links between topics and HighLevel records, with their last synced values.

One SQLite file (``sync.sqlite3`` in the data folder by default) holds, per map file:
``links`` (topic OId, kind, record id, owning contact id, last synced values), ``intents``
(creates that were started but whose result is not linked yet, so a rerun after a crash looks
the record up instead of creating it twice) and ``cursors`` (the time of the last API read).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapbridge.sqlite import open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS links (
    map TEXT NOT NULL,
    oid TEXT NOT NULL,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    contact_id TEXT,
    synced TEXT NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (map, oid, kind)
);
CREATE INDEX IF NOT EXISTS links_by_record ON links (map, kind, record_id);
CREATE TABLE IF NOT EXISTS intents (
    map TEXT NOT NULL,
    oid TEXT NOT NULL,
    kind TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    started REAL NOT NULL,
    PRIMARY KEY (map, oid, kind)
);
CREATE TABLE IF NOT EXISTS cursors (
    map TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


@dataclass
class Link:
    oid: str
    kind: str
    record_id: str
    contact_id: str | None
    synced: dict[str, Any]


@dataclass
class Intent:
    oid: str
    kind: str
    fingerprint: dict[str, Any]
    started: float


class LinkStore:
    """Links of one map file. Every method commits at once (autocommit, synchronous=FULL)."""

    def __init__(self, path: Path, map_key: str) -> None:
        self.map_key = map_key
        self._lock = threading.Lock()
        self._db = open_database(path, _SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def links(self, kind: str | None = None) -> list[Link]:
        query = "SELECT oid, kind, record_id, contact_id, synced FROM links WHERE map = ?"
        params: tuple[Any, ...] = (self.map_key,)
        if kind is not None:
            query += " AND kind = ?"
            params += (kind,)
        with self._lock:
            rows = self._db.execute(query, params).fetchall()
        return [Link(row[0], row[1], row[2], row[3], json.loads(row[4])) for row in rows]

    def link(
        self,
        oid: str,
        kind: str,
        record_id: str,
        synced: dict[str, Any],
        contact_id: str | None = None,
    ) -> None:
        """Store or replace a link and clear the topic's pending intent, in one transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "DELETE FROM links WHERE map = ? AND kind = ? AND record_id = ? AND oid != ?",
                    (self.map_key, kind, record_id, oid),
                )
                self._db.execute(
                    "INSERT OR REPLACE INTO links VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        self.map_key,
                        oid,
                        kind,
                        record_id,
                        contact_id,
                        json.dumps(synced, sort_keys=True),
                        time.time(),
                    ),
                )
                self._db.execute(
                    "DELETE FROM intents WHERE map = ? AND oid = ? AND kind = ?",
                    (self.map_key, oid, kind),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def unlink(self, oid: str, kind: str) -> None:
        with self._lock:
            self._db.execute(
                "DELETE FROM links WHERE map = ? AND oid = ? AND kind = ?",
                (self.map_key, oid, kind),
            )

    def start_intent(self, oid: str, kind: str, fingerprint: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO intents VALUES (?, ?, ?, ?, ?)",
                (self.map_key, oid, kind, json.dumps(fingerprint, sort_keys=True), time.time()),
            )

    def intent(self, oid: str, kind: str) -> Intent | None:
        with self._lock:
            row = self._db.execute(
                "SELECT fingerprint, started FROM intents WHERE map = ? AND oid = ? AND kind = ?",
                (self.map_key, oid, kind),
            ).fetchone()
        return Intent(oid, kind, json.loads(row[0]), row[1]) if row else None

    def drop_intent(self, oid: str, kind: str) -> None:
        with self._lock:
            self._db.execute(
                "DELETE FROM intents WHERE map = ? AND oid = ? AND kind = ?",
                (self.map_key, oid, kind),
            )

    def cursor(self) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM cursors WHERE map = ?", (self.map_key,)
            ).fetchone()
        return str(row[0]) if row else None

    def set_cursor(self, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO cursors VALUES (?, ?)", (self.map_key, value))


def open_links(map_path: Path, store_path: Path | None = None) -> LinkStore:
    from mapbridge.paths import data_dir

    return LinkStore(store_path or data_dir() / "sync.sqlite3", str(map_path.resolve()))
