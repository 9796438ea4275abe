"""Every class of API error through the CLI: a clear message and the documented exit code."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from mapbridge.cli import cli
from mapbridge.sandbox import SANDBOX_LOCATION_ID, SANDBOX_TOKEN, RunningServer, SandboxConfig
from mapbridge.sandbox import running_server as start_server


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningServer]:
    config = SandboxConfig(db_path=tmp_path / "sandbox.sqlite3", random_seed=2)
    with start_server(config) as running:
        monkeypatch.setenv("MAPBRIDGE_BASE_URL", running.base_url)
        monkeypatch.setenv("MAPBRIDGE_TOKEN", SANDBOX_TOKEN)
        monkeypatch.setenv("MAPBRIDGE_LOCATION_ID", SANDBOX_LOCATION_ID)
        yield running


def run(key: str, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(cli, ["run", key, "--json", "--input", json.dumps(data)])
    assert "Traceback" not in result.output
    text = result.stderr if result.exit_code else result.stdout
    return result.exit_code, json.loads(text)


def configure(server: RunningServer, **changes: Any) -> None:
    httpx.put(f"{server.base_url}/_sandbox/config", json=changes).raise_for_status()


def test_401_bad_token(server: RunningServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPBRIDGE_TOKEN", "pit-wrong-token")
    code, error = run("get_contact", {"contactId": "abcdefghij0123456789"})
    assert code == 4
    assert error["error"] == "Unauthorized"
    assert "returned 401" in error["message"]
    assert "pit-wrong-token" not in error["message"]


def test_403_other_location(server: RunningServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAPBRIDGE_LOCATION_ID", "SomeOtherLocation001")
    code, error = run("search_contacts", {"query": "ada"})
    assert code == 4
    assert error["error"] == "Forbidden"
    assert "MAPBRIDGE_LOCATION_ID" in error["message"]


def test_404_unknown_contact(server: RunningServer) -> None:
    code, error = run("get_contact", {"contactId": "abcdefghij0123456789"})
    assert code == 5
    assert error["error"] == "NotFound"
    assert error["traceId"]
    assert error["traceId"] in error["message"]


def test_422_names_field(server: RunningServer) -> None:
    _, contact = run("create_contact", {"firstName": "Ada", "email": "ada@example.com"})
    code, error = run("update_contact", {"contactId": contact["id"], "phone": "+1 (000) 0"})
    assert code == 6
    assert error["error"] == "Unprocessable"
    assert error["fields"] == ["phone"]


def test_400_duplicate_names_contact(server: RunningServer) -> None:
    _, contact = run("create_contact", {"firstName": "Ada", "email": "ada@example.com"})
    code, error = run("create_contact", {"firstName": "Ada", "email": "ada@example.com"})
    assert code == 6
    assert error["error"] == "DuplicateContact"
    assert error["contactId"] == contact["id"]
    assert error["matchingField"] == "email"


def test_429_daily_quota(server: RunningServer) -> None:
    configure(server, daily_limit=1)
    run("search_contacts", {"query": "x"})
    code, error = run("search_contacts", {"query": "x"})
    assert code == 7
    assert error["error"] == "DailyQuotaExceeded"
    assert "daily" in error["message"]


def test_5xx_after_retries(server: RunningServer) -> None:
    configure(server, error_rate=1.0)
    code, error = run("get_contact", {"contactId": "abcdefghij0123456789"})
    assert code == 7
    assert error["error"] == "ServerError"
    assert "try again later" in error["message"]


def test_network_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("MAPBRIDGE_BASE_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("MAPBRIDGE_TOKEN", SANDBOX_TOKEN)
    monkeypatch.setenv("MAPBRIDGE_LOCATION_ID", SANDBOX_LOCATION_ID)
    code, error = run("get_contact", {"contactId": "abcdefghij0123456789"})
    assert code == 7
    assert error["error"] == "NetworkError"
    assert "MAPBRIDGE_BASE_URL" in error["message"]
