"""Seeding, resetting and opening sandbox databases, in-process and on a socket."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sandbox_client import LOCATION, api_headers

from mapbridge.sandbox import (
    SandboxConfig,
    SandboxStore,
    create_app,
    default_db_path,
    reset,
    running_server,
    seed,
    seed_store,
)

ANCHOR = datetime(2030, 1, 15, tzinfo=UTC)


def contact_ids(store: SandboxStore) -> list[str]:
    page = store.list_contacts(LOCATION, limit=100)
    return sorted(contact["id"] for contact in page.contacts)


def test_seed_counts_and_contents(tmp_path: Path) -> None:
    db_path = tmp_path / "sandbox.sqlite3"

    summary = seed(SandboxConfig(db_path=db_path), contacts=40, random_seed=3, now=ANCHOR)
    store = SandboxStore(db_path)
    contacts = store.list_contacts(LOCATION, limit=100).contacts
    tasks = store.search_tasks(LOCATION, limit=1000)

    assert summary.contacts == len(contacts) == 40
    assert summary.tasks == len(tasks) > 0
    assert summary.notes > 0
    assert summary.appointments > 0
    assert summary.custom_fields == 3
    assert summary.tags == len(store.list_tags(LOCATION)) > 0
    assert all(contact["phone"].startswith("+1") for contact in contacts)
    assert all("@" in contact["email"] for contact in contacts)
    assert any(task["completed"] for task in tasks)
    assert any(not task["completed"] for task in tasks)
    assert any(contact["customFields"] for contact in contacts)
    store.close()


def test_seed_is_repeatable(tmp_path: Path) -> None:
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"

    seed(SandboxConfig(db_path=first), contacts=10, random_seed=5, now=ANCHOR)
    seed(SandboxConfig(db_path=second), contacts=10, random_seed=5, now=ANCHOR)
    seed(SandboxConfig(db_path=second), contacts=10, random_seed=5, now=ANCHOR)

    a, b = SandboxStore(first), SandboxStore(second)
    assert contact_ids(a) == contact_ids(b)
    assert len(contact_ids(b)) == 10
    a.close()
    b.close()


def test_seed_needs_a_file() -> None:
    with pytest.raises(ValueError, match="db_path is None"):
        seed(SandboxConfig())


def test_seed_unknown_location_fails(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Location NoSuchLocation does not exist"):
        seed(SandboxConfig(db_path=tmp_path / "x.sqlite3"), location_id="NoSuchLocation")


def test_seed_store_of_running_server() -> None:
    with running_server(SandboxConfig()) as server:
        seed_store(server.store, contacts=12)
        response = httpx.post(
            f"{server.base_url}/contacts/search",
            json={"locationId": LOCATION, "pageLimit": 5},
            headers=api_headers(),
        )

    assert response.json()["total"] == 12
    assert len(response.json()["contacts"]) == 5


def test_reset_deletes_database(tmp_path: Path) -> None:
    db_path = tmp_path / "sandbox.sqlite3"
    seed(SandboxConfig(db_path=db_path), contacts=2)

    reset(db_path)
    reset(db_path)

    assert not db_path.exists()
    assert not Path(f"{db_path}-wal").exists()


def test_default_db_path_in_data_dir(isolated_environment: Path) -> None:
    assert default_db_path() == isolated_environment / "sandbox.sqlite3"


def test_data_survives_restart(tmp_path: Path) -> None:
    config = SandboxConfig(db_path=tmp_path / "sandbox.sqlite3")
    with running_server(config) as server:
        created = httpx.post(
            f"{server.base_url}/contacts/",
            json={"locationId": LOCATION, "firstName": "Ann"},
            headers=api_headers(),
        ).json()["contact"]

    with running_server(config) as server:
        fetched = httpx.get(f"{server.base_url}/contacts/{created['id']}", headers=api_headers())

    assert fetched.json()["contact"]["firstName"] == "Ann"


def test_in_process_app_needs_no_lifespan(tmp_path: Path) -> None:
    db_path = tmp_path / "lazy.sqlite3"
    app = create_app(SandboxConfig(db_path=db_path))
    created_before_request = db_path.exists()

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            return await client.post(
                "/contacts/",
                json={"locationId": LOCATION, "firstName": "Ann"},
                headers=api_headers(),
            )

    response = asyncio.run(call())

    assert created_before_request is False
    assert response.status_code == 201
    assert db_path.exists()
