"""The durable trigger state store."""

from __future__ import annotations

from pathlib import Path

from mapbridge.state import StateStore, subscription_id


def test_subscription_id_ignores_key_order() -> None:
    first = subscription_id("new_topic", {"map": "a.mmap", "branch": "Leads"})
    second = subscription_id("new_topic", {"branch": "Leads", "map": "a.mmap"})
    assert first == second
    assert first != subscription_id("new_topic", {"map": "b.mmap", "branch": "Leads"})


def test_snapshot_and_delivered_survive_reopen(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    store = StateStore(path)
    store.commit("s1", "new_topic", {"topics": ["a"]}, ["item-1", "item-2"])
    store.close()

    reopened = StateStore(path)
    assert reopened.snapshot("s1") == {"topics": ["a"]}
    assert reopened.undelivered("s1", ["item-1", "item-3"]) == {"item-3"}
    assert reopened.snapshot("other") is None


def test_forget_clears_subscription(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.sqlite3")
    store.commit("s1", "new_topic", {"n": 1}, ["x"])
    store.forget("s1")
    assert store.snapshot("s1") is None
    assert store.undelivered("s1", ["x"]) == {"x"}
