"""``mapbridge sync --watch``: map saves and HighLevel changes both reach the other side."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from mapbridge.mindmanager import open_map
from mapbridge.runner import Runner
from mapbridge.sandbox import SANDBOX_LOCATION_ID, SANDBOX_TOKEN, RunningServer

CONTACT_ID = "HighLevel Contact ID"


def wait_for(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the watching sync did not catch up in time"
        time.sleep(0.2)


def contact_id_of(map_path: Path, name: str) -> str | None:
    for topic in open_map(map_path).iter_topics():
        if topic.text == name and CONTACT_ID in topic.properties:
            return str(topic.properties[CONTACT_ID].value)
    return None


def test_watch_syncs_both_ways(
    server: RunningServer, leads_map: Path, api: Runner, isolated_environment: Path
) -> None:
    environment = dict(
        os.environ,
        MAPBRIDGE_BASE_URL=server.base_url,
        MAPBRIDGE_TOKEN=SANDBOX_TOKEN,
        MAPBRIDGE_LOCATION_ID=SANDBOX_LOCATION_ID,
        MAPBRIDGE_DATA_DIR=str(isolated_environment),
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mapbridge",
            "sync",
            str(leads_map),
            "--watch",
            "--interval",
            "1",
            "--json",
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(lambda: contact_id_of(leads_map, "Ada Lovelace") is not None)
        ada_id = contact_id_of(leads_map, "Ada Lovelace")
        grace_id = contact_id_of(leads_map, "Grace Hopper")
        assert ada_id is not None
        assert grace_id is not None

        mindmap = open_map(leads_map)
        ada = next(t for t in mindmap.iter_topics() if t.text == "Ada Lovelace")
        ada.add_labels(["from-map"])
        mindmap.save()
        wait_for(lambda: "from-map" in api.run("get_contact", {"contactId": ada_id})["tags"])

        api.run("add_contact_tags", {"contactId": grace_id, "tags": ["from-api"]})
        wait_for(
            lambda: any(
                t.text == "Grace Hopper" and "from-api" in t.labels
                for t in open_map(leads_map).iter_topics()
            )
        )
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=30)
    assert process.returncode == 0, errors.decode()
    assert b"Traceback" not in errors
