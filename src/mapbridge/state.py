"""Durable trigger state: the last seen snapshot per subscription and the ids already delivered.

A subscription is one trigger with one input (for example ``new_topic`` on one map). Its state
lives in SQLite (``triggers.sqlite3`` in the data folder by default), written in one transaction
together with the ids a check delivered, so a change fires once, also across restarts.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mapbridge.sqlite import open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS snapshots (
    subscription TEXT PRIMARY KEY,
    trigger TEXT NOT NULL,
    state TEXT NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS delivered (
    subscription TEXT NOT NULL,
    item_id TEXT NOT NULL,
    delivered REAL NOT NULL,
    PRIMARY KEY (subscription, item_id)
);
"""


def subscription_id(trigger: str, data: dict[str, Any]) -> str:
    """Name a subscription by its trigger and a hash of its input."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:24]
    return f"{trigger}:{digest}"


class StateStore:
    """SQLite store shared by every trigger of a process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = open_database(path, _SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def snapshot(self, subscription: str) -> Any:
        with self._lock:
            row = self._db.execute(
                "SELECT state FROM snapshots WHERE subscription = ?", (subscription,)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def undelivered(self, subscription: str, item_ids: Iterable[str]) -> set[str]:
        ids = list(item_ids)
        with self._lock:
            found = {
                row[0]
                for chunk in _chunks(ids, 500)
                for row in self._db.execute(
                    "SELECT item_id FROM delivered WHERE subscription = ? AND item_id IN "
                    f"({','.join('?' * len(chunk))})",
                    (subscription, *chunk),
                )
            }
        return set(ids) - found

    def commit(self, subscription: str, trigger: str, state: Any, delivered: Iterable[str]) -> None:
        """Store the new snapshot and the delivered ids in one transaction."""
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "INSERT INTO snapshots (subscription, trigger, state, updated) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT(subscription) DO UPDATE SET "
                    "state = excluded.state, updated = excluded.updated",
                    (subscription, trigger, json.dumps(state, ensure_ascii=False), now),
                )
                self._db.executemany(
                    "INSERT OR IGNORE INTO delivered (subscription, item_id, delivered) "
                    "VALUES (?, ?, ?)",
                    [(subscription, item_id, now) for item_id in delivered],
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def forget(self, subscription: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM snapshots WHERE subscription = ?", (subscription,))
            self._db.execute("DELETE FROM delivered WHERE subscription = ?", (subscription,))


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def default_store() -> StateStore:
    from mapbridge.paths import data_dir

    return StateStore(data_dir() / "triggers.sqlite3")
