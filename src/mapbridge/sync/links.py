"""The durable links between topics and HighLevel records, with their last synced values.

One SQLite file (``sync.sqlite3`` in the data folder by default) contains three tables, keyed by
map file. ``links`` stores topic OId, kind, record id, owning contact id and last synced values.
``intents`` stores creates that started but are not linked yet, so a rerun after a crash looks
the record up instead of creating it twice. ``cursors`` stores the time of the last API read.

A run works on an in-memory copy of the links and writes them back with :meth:`LinkStore.save`
only after the map itself was saved. Links therefore never claim that the map contains a value it
does not, whether the map save was refused or the process died first. Intents, in contrast,
are written at once, before the create they guard.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
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
    """Links of one map file: read once, changed in memory, saved in one transaction."""

    def __init__(self, path: Path, map_key: str) -> None:
        self.map_key = map_key
        self._lock = threading.Lock()
        self._db = open_database(path, _SCHEMA)
        self._links: dict[tuple[str, str], Link] = {}
        self._cleared_intents: set[tuple[str, str]] = set()
        self._changed = False
        with self._lock:
            rows = self._db.execute(
                "SELECT oid, kind, record_id, contact_id, synced FROM links WHERE map = ?",
                (map_key,),
            ).fetchall()
        for row in rows:
            self._links[(row[1], row[0])] = Link(row[0], row[1], row[2], row[3], json.loads(row[4]))
        self._index()

    def _index(self) -> None:
        self._by_record: dict[tuple[str, str], Link] = {}
        self._by_contact: dict[tuple[str, str | None], list[Link]] = defaultdict(list)
        for link in self._links.values():
            self._by_record[(link.kind, link.record_id)] = link
            self._by_contact[(link.kind, link.contact_id)].append(link)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- reading ---------------------------------------------------------------------------

    def links(self, kind: str | None = None) -> list[Link]:
        return [link for link in self._links.values() if kind is None or link.kind == kind]

    def get(self, oid: str, kind: str) -> Link | None:
        return self._links.get((kind, oid))

    def by_record(self, kind: str, record_id: str) -> Link | None:
        return self._by_record.get((kind, record_id))

    def of_contact(self, kind: str, contact_id: str) -> list[Link]:
        return list(self._by_contact.get((kind, contact_id), []))

    # -- changing (in memory until save) ---------------------------------------------------

    def link(
        self,
        oid: str,
        kind: str,
        record_id: str,
        synced: dict[str, Any],
        contact_id: str | None = None,
    ) -> None:
        """Link a topic to a record (replacing another topic's link to it) and clear its intent."""
        previous = self._by_record.get((kind, record_id))
        if previous is not None and previous.oid != oid:
            del self._links[(kind, previous.oid)]
        self._links[(kind, oid)] = Link(oid, kind, record_id, contact_id, synced)
        self._cleared_intents.add((oid, kind))
        self._changed = True
        self._index()

    def unlink(self, oid: str, kind: str) -> None:
        if self._links.pop((kind, oid), None) is not None:
            self._changed = True
            self._index()

    def rekey(self, old_oid: str, new_oid: str) -> int:
        """Move every link of a topic to its new OId (MindManager gave the topic a new one)."""
        moved = [link for link in self._links.values() if link.oid == old_oid]
        for link in moved:
            del self._links[(link.kind, old_oid)]
            link.oid = new_oid
            self._links[(link.kind, new_oid)] = link
        if moved:
            self._changed = True
            self._index()
        return len(moved)

    def save(self) -> None:
        """Write the links and clear the settled intents, in one transaction."""
        if not self._changed and not self._cleared_intents:
            return
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("DELETE FROM links WHERE map = ?", (self.map_key,))
                self._db.executemany(
                    "INSERT INTO links VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            self.map_key,
                            link.oid,
                            link.kind,
                            link.record_id,
                            link.contact_id,
                            json.dumps(link.synced, sort_keys=True),
                            now,
                        )
                        for link in self._links.values()
                    ],
                )
                self._db.executemany(
                    "DELETE FROM intents WHERE map = ? AND oid = ? AND kind = ?",
                    [(self.map_key, oid, kind) for oid, kind in self._cleared_intents],
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        self._changed = False
        self._cleared_intents.clear()

    # -- intents and cursor (written at once) ----------------------------------------------

    def start_intent(self, oid: str, kind: str, fingerprint: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO intents VALUES (?, ?, ?, ?, ?)",
                (self.map_key, oid, kind, json.dumps(fingerprint, sort_keys=True), time.time()),
            )

    def intent(self, oid: str, kind: str) -> Intent | None:
        if (oid, kind) in self._cleared_intents:
            return None
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
