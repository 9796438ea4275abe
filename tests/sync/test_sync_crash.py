"""A sync killed with SIGKILL at many points, then rerun, ends as an uninterrupted sync would."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mapbridge.connection import BearerAuth, Connection
from mapbridge.mindmanager import open_map
from mapbridge.runner import Runner
from mapbridge.sandbox import (
    ALL_SCOPES,
    SANDBOX_LOCATION_ID,
    SANDBOX_TOKEN,
    SandboxConfig,
    running_server,
)
from tests.sync.conftest import EXAMPLES

KILL_AFTER_SECONDS = [0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.2]
"""Seconds after start: with one contact at a time and 80 ms latency, a sync of the example
map sends its 18 writes over about 1.5 s after an interpreter start of about 0.5 s."""


def sync_process(map_path: Path, base_url: str, data_dir: Path) -> subprocess.Popen[bytes]:
    environment = dict(
        os.environ,
        MAPBRIDGE_BASE_URL=base_url,
        MAPBRIDGE_TOKEN=SANDBOX_TOKEN,
        MAPBRIDGE_LOCATION_ID=SANDBOX_LOCATION_ID,
        MAPBRIDGE_DATA_DIR=str(data_dir),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "mapbridge", "sync", str(map_path), "--json", "--concurrency", "1"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", KILL_AFTER_SECONDS)
def test_killed_sync_then_rerun(tmp_path: Path, kill_after: float) -> None:
    map_path = tmp_path / "leads.mmap"
    shutil.copy(EXAMPLES / "leads.mmap", map_path)
    data_dir = tmp_path / "data"
    config = SandboxConfig(db_path=tmp_path / "sandbox.sqlite3", latency_ms=80, random_seed=5)
    with running_server(config) as server:
        process = sync_process(map_path, server.base_url, data_dir)
        time.sleep(kill_after)
        assert process.poll() is None, "the sync finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

        rerun = sync_process(map_path, server.base_url, data_dir)
        _, errors = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, errors.decode()
        check = sync_process(map_path, server.base_url, data_dir)
        output, errors = check.communicate(timeout=120)
        assert check.returncode == 0, errors.decode()
        assert b'"apiWrites": 0' in output

        api = Runner(
            Connection(
                base_url=server.base_url,
                auth=BearerAuth(SANDBOX_TOKEN),
                location_id=SANDBOX_LOCATION_ID,
                scopes=frozenset(ALL_SCOPES),
            )
        )
        contacts = api.run("search_contacts", {})["contacts"]
        emails = [contact["email"] for contact in contacts]
        assert len(emails) == 6
        assert len(set(emails)) == 6
        tasks = api.run("search_location_tasks", {})["tasks"]
        assert len(tasks) == 6
        for contact in contacts:
            notes = api.run("list_contact_notes", {"contactId": contact["id"]})["notes"]
            assert len(notes) == 1

    mindmap = open_map(map_path)
    linked = {
        topic.properties["HighLevel Contact ID"].value
        for topic in mindmap.iter_topics()
        if "HighLevel Contact ID" in topic.properties
    }
    assert linked == {contact["id"] for contact in contacts}
