"""Location tags, the location itself, followers and the legacy contact list, from cassettes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mapbridge.runner import Runner
from mapbridge.sandbox import SANDBOX_LOCATION_ID
from mapbridge.sandbox.seed import seed_store
from tests.operations.conftest import LiveTarget

pytestmark = pytest.mark.vcr


def test_location_tag_lifecycle(api: Runner) -> None:
    created = api.run("create_tag", {"name": "webinar"})
    assert created["name"] == "webinar"
    listed = api.run("list_tags", {})
    assert created["id"] in [tag["id"] for tag in listed["tags"]]
    assert api.run("get_tag", {"tagId": created["id"]})["name"] == "webinar"
    renamed = api.run("update_tag", {"tagId": created["id"], "name": "webinar 2027"})
    assert renamed["name"] == "webinar 2027"
    assert api.run("delete_tag", {"tagId": created["id"]}) == {"succeded": True}
    remaining = api.run("list_tags", {})
    assert created["id"] not in [tag["id"] for tag in remaining["tags"]]


def test_get_location(api: Runner) -> None:
    location = api.run("get_location", {})
    assert location["id"] == SANDBOX_LOCATION_ID
    assert location["timezone"]


def test_contact_followers(api: Runner) -> None:
    contact = api.run("create_contact", {"firstName": "Ada", "email": "ada@example.com"})
    users = ["sx6wyHhbFdRXh302LLNR", "ve9EPM428h8vShlRW1KT"]
    added = api.run("add_contact_followers", {"contactId": contact["id"], "followers": users})
    assert sorted(added["followers"]) == sorted(users)
    removed = api.run(
        "remove_contact_followers", {"contactId": contact["id"], "followers": users[:1]}
    )
    assert removed["followers"] == users[1:]


def test_legacy_list_pages_with_both_cursors(api: Runner, live_target: LiveTarget | None) -> None:
    if live_target is not None and live_target.store is not None:
        seed_store(
            live_target.store, contacts=130, random_seed=3, now=datetime(2026, 12, 1, tzinfo=UTC)
        )
    listed = api.run("list_contacts_legacy", {})
    ids = [contact["id"] for contact in listed["contacts"]]
    assert listed["count"] == 130
    assert len(set(ids)) == 130
    capped = api.run("list_contacts_legacy", {"limit": 30})
    assert capped["count"] == 30
