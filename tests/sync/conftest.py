"""Fixtures for sync tests: a sandbox server on a loopback socket and a copy of the example map."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mapbridge.cli import cli
from mapbridge.connection import BearerAuth, Connection
from mapbridge.mindmanager import MindMap, Topic, open_map
from mapbridge.runner import Runner
from mapbridge.sandbox import (
    ALL_SCOPES,
    SANDBOX_LOCATION_ID,
    SANDBOX_TOKEN,
    RunningServer,
    SandboxConfig,
    running_server,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@dataclass
class SyncResult:
    exit_code: int
    report: dict[str, Any]
    output: str

    @property
    def writes(self) -> list[dict[str, Any]]:
        return [call for call in self.report["calls"] if call["write"]]

    def count(self, name: str) -> int:
        return int(self.report["summary"].get(name, 0))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    config = SandboxConfig(db_path=tmp_path / "sandbox.sqlite3", random_seed=3)
    with running_server(config) as running:
        yield running


@pytest.fixture
def connected(server: RunningServer, monkeypatch: pytest.MonkeyPatch) -> RunningServer:
    """Point mapbridge's connection settings at the sandbox server."""
    monkeypatch.setenv("MAPBRIDGE_BASE_URL", server.base_url)
    monkeypatch.setenv("MAPBRIDGE_TOKEN", SANDBOX_TOKEN)
    monkeypatch.setenv("MAPBRIDGE_LOCATION_ID", SANDBOX_LOCATION_ID)
    return server


@pytest.fixture
def api(server: RunningServer) -> Runner:
    """A runner for checking and changing the API side directly."""
    return Runner(
        Connection(
            base_url=server.base_url,
            auth=BearerAuth(SANDBOX_TOKEN),
            location_id=SANDBOX_LOCATION_ID,
            scopes=frozenset(ALL_SCOPES),
        )
    )


@pytest.fixture
def leads_map(tmp_path: Path) -> Path:
    target = tmp_path / "leads.mmap"
    shutil.copy(EXAMPLES / "leads.mmap", target)
    return target


def topic_named(map_path: Path, name: str) -> tuple[MindMap, Topic]:
    """Open the map and return it with its first topic whose text is ``name``."""
    mindmap = open_map(map_path)
    for topic in mindmap.iter_topics():
        if topic.text == name:
            return mindmap, topic
    raise AssertionError(f"no topic {name!r} in {map_path}")


def write_mapping(folder: Path, data: dict[str, Any]) -> Path:
    path = folder / "mapping.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run_sync(map_path: Path, *args: str) -> SyncResult:
    result = CliRunner().invoke(cli, ["sync", str(map_path), "--json", *args])
    report = json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}
    return SyncResult(result.exit_code, report, result.output)
