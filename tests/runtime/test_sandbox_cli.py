"""The sandbox commands and the CLI's --sandbox runs, as a user types them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner

from mapbridge.cli import cli
from mapbridge.sandbox import SANDBOX_LOCATION_ID, SANDBOX_TOKEN


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_create_then_get_on_sandbox() -> None:
    code, output = invoke(
        "run",
        "create_contact",
        "--sandbox",
        "--json",
        "--input",
        '{"firstName": "Ada", "email": "ada@example.com"}',
    )
    assert code == 0, output
    created = json.loads(output)
    code, output = invoke(
        "run",
        "get_contact",
        "--sandbox",
        "--json",
        "--input",
        json.dumps({"contactId": created["id"]}),
    )
    assert code == 0, output
    fetched = json.loads(output)
    assert fetched["id"] == created["id"]
    assert fetched["email"] == "ada@example.com"
    assert fetched["firstName"] == "Ada"


def test_sandbox_keeps_data_until_reset(isolated_environment: Path) -> None:
    code, output = invoke(
        "run",
        "create_contact",
        "--sandbox",
        "--json",
        "--input",
        '{"firstName": "Ada", "email": "ada@example.com"}',
    )
    contact_id = json.loads(output)["id"]
    assert (isolated_environment / "sandbox.sqlite3").is_file()
    code, output = invoke("sandbox", "reset")
    assert code == 0
    assert "deleted" in output
    code, output = invoke(
        "run",
        "get_contact",
        "--sandbox",
        "--text",
        "--input",
        json.dumps({"contactId": contact_id}),
    )
    assert code == 5
    assert "Traceback" not in output


def test_sandbox_seed_fills_location() -> None:
    code, output = invoke("sandbox", "seed", "--contacts", "12", "--json")
    assert code == 0, output
    summary = json.loads(output)
    assert summary["contacts"] == 12
    code, output = invoke("run", "search_contacts", "--sandbox", "--json", "--input", "{}")
    assert json.loads(output)["count"] == 12


def test_sandbox_token_command() -> None:
    code, output = invoke("sandbox", "token")
    assert code == 0
    assert output.strip() == SANDBOX_TOKEN


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_sandbox_serve_on_loopback(isolated_environment: Path) -> None:
    port = free_port()
    environment = dict(os.environ, MAPBRIDGE_DATA_DIR=str(isolated_environment))
    server = subprocess.Popen(
        [sys.executable, "-m", "mapbridge", "sandbox", "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(
                    f"http://127.0.0.1:{port}/locations/{SANDBOX_LOCATION_ID}",
                    headers={"Authorization": f"Bearer {SANDBOX_TOKEN}", "Version": "2021-07-28"},
                )
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the sandbox server did not start"
                time.sleep(0.1)
        assert response.status_code == 200
        assert response.headers["x-ratelimit-max"] == "100"
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_run_imports_only_its_module(isolated_environment: Path) -> None:
    code = (
        "import sys, json\n"
        "from mapbridge.cli import cli\n"
        "def loaded():\n"
        "    return sorted(m for m in sys.modules if m.startswith('mapbridge_catalog'))\n"
        "try:\n"
        "    cli.main(['list', '--json'], standalone_mode=False)\n"
        "    after_list = loaded()\n"
        "    cli.main(['run', 'get_contact', '--sandbox', '--json', '--input',\n"
        '              \'{"contactId": "abcdefghij0123456789"}\'], standalone_mode=False)\n'
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps({'list': after_list, 'run': loaded(),\n"
        "                  'maps': 'mapbridge.mindmanager' in sys.modules}))\n"
    )
    environment = dict(os.environ, MAPBRIDGE_DATA_DIR=str(isolated_environment))
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["list"] == []
    assert report["run"] == ["mapbridge_catalog.contacts_api.get_contact"]
    assert report["maps"] is False
