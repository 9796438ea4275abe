"""The SQLite database behind the sandbox: schema, the one connection and its lock.

The connection opens on first use, not at app start, because ``httpx.ASGITransport`` sends no
lifespan events. One lock serialises all access, so the app's event loop thread and a test
thread may share the database.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS locations (
    id TEXT PRIMARY KEY,
    allow_duplicates INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    location_id TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    scopes TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tags (
    id TEXT PRIMARY KEY,
    location_id TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_lower TEXT NOT NULL,
    UNIQUE (location_id, name_lower)
);
CREATE TABLE IF NOT EXISTS custom_fields (
    id TEXT PRIMARY KEY,
    location_id TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    field_key TEXT NOT NULL,
    data_type TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (location_id, field_key)
);
CREATE TABLE IF NOT EXISTS contacts (
    id TEXT PRIMARY KEY,
    location_id TEXT NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    email_lower TEXT,
    phone TEXT,
    date_added TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS contacts_by_email ON contacts (location_id, email_lower);
CREATE INDEX IF NOT EXISTS contacts_by_phone ON contacts (location_id, phone);
CREATE INDEX IF NOT EXISTS contacts_by_date ON contacts (location_id, date_added, id);
CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY,
    location_id TEXT NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    due_date TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tasks_by_contact ON tasks (contact_id);
CREATE INDEX IF NOT EXISTS tasks_by_location ON tasks (location_id, due_date);
CREATE TABLE IF NOT EXISTS notes (
    id TEXT PRIMARY KEY,
    location_id TEXT NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    date_added TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notes_by_contact ON notes (contact_id, date_added);
CREATE TABLE IF NOT EXISTS appointments (
    id TEXT PRIMARY KEY,
    location_id TEXT NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    start_time TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS appointments_by_contact ON appointments (contact_id, start_time);
"""


class Database:
    """One SQLite connection, opened lazily; ``path=None`` keeps the data in memory."""

    def __init__(self, path: Path | None, on_open: Callable[[sqlite3.Connection], None]) -> None:
        self.path = path
        self._on_open = on_open
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.RLock()

    def _connect(self) -> sqlite3.Connection:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        target = str(self.path) if self.path is not None else ":memory:"
        connection = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys = ON")
        if self.path is not None:
            connection.execute("PRAGMA journal_mode = WAL")
            # With WAL, NORMAL loses no committed data on a crash of the process, only on a
            # power loss, and spares a sync per commit.
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA busy_timeout = 5000")
        connection.executescript(SCHEMA)
        logger.info("Opened sandbox database %s", target)
        return connection

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block in one write transaction; an exception rolls it back."""
        with self._lock:
            connection = self._open()
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock for a block of reads that must see one state."""
        with self._lock:
            yield self._open()

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            connection = self._connect()
            self._connection = connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                self._on_open(connection)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        return self._connection

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
