"""Edge cases of the sync: a map saved during a run, unsettled conflicts, cleared fields,
ignored tags, push-only runs, milestones, default due dates, moved and copied topics."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

from mapbridge.connection import BearerAuth, Connection
from mapbridge.runner import Runner
from mapbridge.sandbox import ALL_SCOPES, SANDBOX_LOCATION_ID, SANDBOX_TOKEN, RunningServer
from mapbridge.sync import FLOWS, SyncOptions, load_mapping
from mapbridge.sync import run_sync as run_engine
from mapbridge.sync.links import open_links
from tests.sync.conftest import run_sync, topic_named, write_mapping

CONTACT_ID = "HighLevel Contact ID"


def test_map_saved_during_sync_loses_nothing(
    connected: RunningServer, leads_map: Path, api: Runner
) -> None:
    run_sync(leads_map)
    _, ada = topic_named(leads_map, "Ada Lovelace")
    ada_id = ada.properties[CONTACT_ID].value
    api.run("update_contact", {"contactId": ada_id, "companyName": "Edited in HighLevel"})
    api.run(
        "create_contact_task",
        {"contactId": ada_id, "title": "Pulled task", "dueDate": "2027-01-10T10:00:00Z"},
    )
    runner = Runner(
        Connection(
            base_url=connected.base_url,
            auth=BearerAuth(SANDBOX_TOKEN),
            location_id=SANDBOX_LOCATION_ID,
            scopes=frozenset(ALL_SCOPES),
        )
    )

    def user_saves_map(done: int, total: int) -> None:
        if done == 1:
            mindmap, idea = topic_named(leads_map, "Ideas")
            idea.add_subtopic("Saved by the user during the sync")
            mindmap.save()

    async def sync_once() -> dict:
        async with runner.client(runner.connection()) as client:

            async def call(key: str, data: dict) -> dict:
                return await runner.run_with_client(key, data, client)

            report = await run_engine(
                call,
                leads_map,
                mapping=load_mapping(None),
                options=SyncOptions(flows=FLOWS["sync_map"], concurrency=1),
                progress=user_saves_map,
            )
            return report.to_dict()

    interrupted = asyncio.run(sync_once())
    assert any("changed on disk" in p["message"] for p in interrupted["problems"])
    assert interrupted["mapSaved"] is False

    result = run_sync(leads_map)
    assert result.exit_code == 0, result.output
    assert [c["operation"] for c in result.writes] == []
    contact = api.run("get_contact", {"contactId": ada_id})
    assert contact["companyName"] == "Edited in HighLevel"
    _, ada = topic_named(leads_map, "Ada Lovelace")
    assert ada.properties["Company"].value == "Edited in HighLevel"
    assert "Pulled task" in [child.text for child in ada.subtopics]
    _, ideas = topic_named(leads_map, "Ideas")
    assert "Saved by the user during the sync" in [child.text for child in ideas.subtopics]


def test_unsettled_conflict_stays_reported(
    connected: RunningServer, leads_map: Path, api: Runner
) -> None:
    run_sync(leads_map)
    mindmap, ada = topic_named(leads_map, "Ada Lovelace")
    ada_id = ada.properties[CONTACT_ID].value
    ada.set_properties({"Company": "Changed in map"})
    mindmap.save()
    api.run("update_contact", {"contactId": ada_id, "companyName": "Changed in HighLevel"})
    assert run_sync(leads_map).exit_code == 12

    links = open_links(leads_map)
    links.set_cursor("2999-01-01T00:00:00+00:00")  # as if the edit were long before the cursor
    links.close()
    again = run_sync(leads_map)
    assert again.exit_code == 12
    assert [c["field"] for c in again.report["conflicts"]] == ["companyName"]
    assert again.writes == []
    assert api.run("get_contact", {"contactId": ada_id})["companyName"] == "Changed in HighLevel"


def test_cleared_field_and_bad_country(
    connected: RunningServer, leads_map: Path, api: Runner
) -> None:
    run_sync(leads_map)
    mindmap, ada = topic_named(leads_map, "Ada Lovelace")
    ada_id = ada.properties[CONTACT_ID].value
    ada.remove_properties(["Company"])
    grace = next(t for t in mindmap.iter_topics() if t.text == "Grace Hopper")
    grace.set_properties({"Country": "Germany"})
    mindmap.save()

    result = run_sync(leads_map)
    assert result.exit_code == 12
    messages = [p["message"] for p in result.report["problems"]]
    assert any("country 'Germany' must be a two-letter ISO 3166 code" in m for m in messages)
    assert not api.run("get_contact", {"contactId": ada_id}).get("companyName")
    fixed_map, grace = topic_named(leads_map, "Grace Hopper")
    grace.set_properties({"Country": "DE"})
    fixed_map.save()
    assert run_sync(leads_map).exit_code == 0


def test_ignored_tag_stays_in_highlevel(
    connected: RunningServer, leads_map: Path, api: Runner, tmp_path: Path
) -> None:
    mapping = write_mapping(tmp_path, {"labels": {"ignore": ["draft"]}})
    run_sync(leads_map, "--mapping", str(mapping))
    _, ada = topic_named(leads_map, "Ada Lovelace")
    ada_id = ada.properties[CONTACT_ID].value
    api.run("add_contact_tags", {"contactId": ada_id, "tags": ["draft"]})
    run_sync(leads_map, "--mapping", str(mapping))
    second = run_sync(leads_map, "--mapping", str(mapping), "--full")
    assert second.writes == []
    assert "draft" in api.run("get_contact", {"contactId": ada_id})["tags"]
    _, ada = topic_named(leads_map, "Ada Lovelace")
    assert "draft" not in ada.labels


def test_push_only_run_keeps_earlier_api_edit(
    connected: RunningServer, leads_map: Path, api: Runner
) -> None:
    run_sync(leads_map)
    mindmap, ada = topic_named(leads_map, "Ada Lovelace")
    ada_id = ada.properties[CONTACT_ID].value
    api.run("update_contact", {"contactId": ada_id, "companyName": "Edited in HighLevel"})
    ada.set_properties({"Phone": "+1 415-555-0199"})
    mindmap.save()
    from click.testing import CliRunner

    from mapbridge.cli import cli

    pushed = CliRunner().invoke(
        cli,
        [
            "run",
            "push_contact_topic",
            "--json",
            "--input",
            json.dumps({"map": str(leads_map), "topic": ada.oid}),
        ],
    )
    assert pushed.exit_code == 0, pushed.output
    run_sync(leads_map)
    _, ada = topic_named(leads_map, "Ada Lovelace")
    assert ada.properties["Company"].value == "Edited in HighLevel"
    assert api.run("get_contact", {"contactId": ada_id})["phone"] == "+14155550199"


def test_milestone_added_once_per_contact(
    connected: RunningServer, leads_map: Path, api: Runner, tmp_path: Path
) -> None:
    mapping = write_mapping(
        tmp_path, {"milestones": [{"name": "hot", "tag": "hot", "task_title": "Call {firstName}"}]}
    )
    counts = [
        run_sync(leads_map, "--mapping", str(mapping), "--full").count("milestone_tasks")
        for _ in range(3)
    ]
    assert counts == [3, 0, 0]
    tasks = api.run("search_location_tasks", {"query": "Call "})["tasks"]
    assert (
        len([t for t in tasks if t["title"].startswith("Call ") and "renewal" not in t["title"]])
        == 3
    )


def test_default_due_date_is_written_once(
    connected: RunningServer, leads_map: Path, api: Runner, tmp_path: Path
) -> None:
    mapping = write_mapping(tmp_path, {"tasks": {"rule": "task_info", "default_due_days": 3}})
    mindmap, ada = topic_named(leads_map, "Ada Lovelace")
    ada.add_subtopic("Follow up", task={"priority": 2})
    mindmap.save()
    first = run_sync(leads_map, "--mapping", str(mapping))
    assert first.exit_code == 0, first.output
    _, follow_up = topic_named(leads_map, "Follow up")
    assert follow_up.task.due is not None
    assert run_sync(leads_map, "--mapping", str(mapping), "--full").writes == []


def test_new_oid_keeps_note_link(connected: RunningServer, leads_map: Path, api: Runner) -> None:
    run_sync(leads_map)
    mindmap, ada = topic_named(leads_map, "Ada Lovelace")
    ada_id = ada.properties[CONTACT_ID].value
    ada.element.set("OId", mindmap.new_oid())
    mindmap.mark_changed()
    mindmap.save()
    result = run_sync(leads_map, "--full")
    assert result.writes == []
    assert len(api.run("list_contact_notes", {"contactId": ada_id})["notes"]) == 1


def test_copied_contact_topic_is_reported(
    connected: RunningServer, leads_map: Path, api: Runner, tmp_path: Path
) -> None:
    run_sync(leads_map)
    copy_source = tmp_path / "source.mmap"
    shutil.copy(leads_map, copy_source)
    mindmap, leads = topic_named(leads_map, "Leads")
    _, ada_copy = topic_named(copy_source, "Ada Lovelace")
    copy = leads.add_subtopic(
        "Ada Lovelace (copy)", properties={CONTACT_ID: ada_copy.properties[CONTACT_ID].value}
    )
    assert copy.oid != ada_copy.oid
    mindmap.save()
    for _ in range(2):
        result = run_sync(leads_map)
        assert result.exit_code == 12
        assert result.writes == []
        assert any("copied topic" in p["message"] for p in result.report["problems"])
    assert len(api.run("search_contacts", {})["contacts"]) == 6
