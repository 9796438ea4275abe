"""Benchmark the runtime: command start-up, catalog validation and the runner's per-call cost.

    python benchmarks/bench_runtime.py [--repeat N] [--calls N]

Measures, in the same run:

* start-up: wall time of ``mapbridge run get_contact --sandbox ... --json`` (the contact is
  created first in an isolated ``MAPBRIDGE_DATA_DIR``) next to a bare
  ``python -c "import httpx"``, and their ratio;
* validate: wall time of ``mapbridge validate --json`` over the whole catalog;
* runner overhead: ``Runner.arun("get_contact", ...)`` (input check, module dispatch, HTTP
  client with limiter and retries, output check) against an ``httpx.MockTransport`` that
  returns a fixed contact, minus the same request sent with one bare ``httpx.AsyncClient`` on
  the same transport. A bare client opened for each call is measured too, because
  ``Runner.arun`` opens one client per call. The input and output schema checks of
  get_contact are timed on their own as well.

Commands run in a fresh process each time, after one untimed warm-up run. Every figure is the
median of ``--repeat`` runs, and a runner figure is the mean per call over ``--calls`` calls.
Prints a Markdown table with the command and the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from bench_maps import cpu_model

COMMAND_TIMEOUT_SECONDS = 120
MOCK_BASE_URL = "http://contacts.mock.invalid"
MOCK_LOCATION_ID = "BenchmarkLocation001"
MOCK_TOKEN = "benchmark-token-not-secret"
# The mock sends a burst limit far above any call count, so the client-side limiter never
# waits, but it still counts every call.
MOCK_RATE_HEADERS = {
    "X-RateLimit-Max": "100000000",
    "X-RateLimit-Remaining": "100000000",
    "X-RateLimit-Interval-Milliseconds": "10000",
    "X-RateLimit-Limit-Daily": "100000000",
    "X-RateLimit-Daily-Remaining": "100000000",
}


def mapbridge_command() -> list[str]:
    """Return the ``mapbridge`` console script next to this Python, or ``python -m mapbridge``."""
    script = Path(sys.executable).with_name("mapbridge")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "mapbridge"]


def isolated_environment(data_dir: Path) -> dict[str, str]:
    """Return this process's environment without MAPBRIDGE_* settings, using ``data_dir``."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("MAPBRIDGE_")
    }
    environment["MAPBRIDGE_DATA_DIR"] = str(data_dir)
    environment["MAPBRIDGE_CONFIG"] = str(data_dir / "no-config.toml")
    return environment


def run_command(command: list[str], environment: dict[str, str]) -> tuple[float, str]:
    """Run ``command`` to completion and return its wall time in seconds and its output."""
    started = time.perf_counter()
    completed = subprocess.run(
        command,
        check=False,
        env=environment,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed with exit code {completed.returncode}:\n"
            f"{completed.stderr.strip()}\nFix the command above, then run the benchmark again."
        )
    return seconds, completed.stdout


def median_command_seconds(command: list[str], environment: dict[str, str], repeat: int) -> float:
    run_command(command, environment)
    return statistics.median(run_command(command, environment)[0] for _ in range(repeat))


def create_sandbox_contact(environment: dict[str, str]) -> str:
    """Create one contact in the isolated sandbox database and return its id."""
    contact = {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"}
    command = [
        *mapbridge_command(),
        "run",
        "create_contact",
        "--sandbox",
        "--input",
        json.dumps(contact),
        "--json",
    ]
    _, output = run_command(command, environment)
    contact_id: str = json.loads(output)["id"]
    return contact_id


def measure_commands(repeat: int) -> dict[str, Any]:
    """Time the start-up of ``mapbridge run`` and a bare httpx import, and ``validate``."""
    data_dir = Path(tempfile.mkdtemp(prefix="bench-runtime-"))
    try:
        environment = isolated_environment(data_dir)
        contact_id = create_sandbox_contact(environment)
        run_get = [
            *mapbridge_command(),
            "run",
            "get_contact",
            "--sandbox",
            "--input",
            json.dumps({"contactId": contact_id}),
            "--json",
        ]
        _, output = run_command(run_get, environment)
        if json.loads(output).get("id") != contact_id:
            raise SystemExit(
                f"get_contact returned the wrong contact (expected {contact_id}): {output}"
            )

        validate = [*mapbridge_command(), "validate", "--json"]
        _, output = run_command(validate, environment)
        checked = json.loads(output)["checked"]

        return {
            "run_get_contact": median_command_seconds(run_get, environment, repeat),
            "import_httpx": median_command_seconds(
                [sys.executable, "-c", "import httpx"], environment, repeat
            ),
            "validate": median_command_seconds(validate, environment, repeat),
            "checked": checked,
        }
    finally:
        shutil.rmtree(data_dir)


def fixed_contact_transport() -> tuple[httpx.MockTransport, dict[str, Any]]:
    """Return a transport that returns the catalog's sample contact for every request."""
    from mapbridge.catalog.manifest import load_manifest

    contact: dict[str, Any] = dict(load_manifest().get("get_contact").sample)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"contact": contact}, headers=MOCK_RATE_HEADERS)

    return httpx.MockTransport(handler), contact


async def mean_call_seconds(call: Callable[[], Awaitable[object]], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        await call()
    return (time.perf_counter() - started) / calls


def measure_schema_checks(calls: int) -> dict[str, float]:
    """Return the mean seconds of get_contact's input check and output check on their own."""
    from mapbridge.catalog.manifest import load_manifest
    from mapbridge.catalog.schemas import violations

    operation = load_manifest().get("get_contact")
    contact = operation.sample
    operation_input = {"contactId": contact["id"]}
    checks: dict[str, Callable[[], object]] = {
        "input_check": lambda: violations(operation.input_schema, operation_input, "input"),
        "output_check": lambda: violations(operation.output_schema, contact, "output"),
    }
    means: dict[str, float] = {}
    for name, check in checks.items():
        check()
        started = time.perf_counter()
        for _ in range(calls):
            check()
        means[name] = (time.perf_counter() - started) / calls
    return means


async def measure_calls_once(calls: int) -> dict[str, float]:
    """Run ``calls`` requests each way on one event loop and return the mean seconds per call."""
    from mapbridge.connection import BearerAuth, Connection
    from mapbridge.runner import Runner

    transport, contact = fixed_contact_transport()
    contact_id = contact["id"]
    operation_input = {"contactId": contact_id}
    request_headers = {
        "Accept": "application/json",
        "Authorization": f"Bearer {MOCK_TOKEN}",
        "Version": "2021-07-28",
    }
    connection = Connection(
        base_url=MOCK_BASE_URL,
        auth=BearerAuth(MOCK_TOKEN),
        location_id=MOCK_LOCATION_ID,
        scopes=frozenset({"contacts.readonly"}),
        transport=transport,
    )
    runner = Runner(connection)

    async def runner_call() -> object:
        return await runner.arun("get_contact", operation_input)

    async def bare_call(client: httpx.AsyncClient) -> object:
        response = await client.get(f"/contacts/{contact_id}", headers=request_headers)
        response.raise_for_status()
        return response.json()["contact"]

    async def bare_call_new_client() -> object:
        async with httpx.AsyncClient(base_url=MOCK_BASE_URL, transport=transport) as client:
            return await bare_call(client)

    async with httpx.AsyncClient(base_url=MOCK_BASE_URL, transport=transport) as shared:

        async def bare_call_shared_client() -> object:
            return await bare_call(shared)

        warm_up = max(calls // 10, 50)
        for call in (runner_call, bare_call_shared_client, bare_call_new_client):
            await mean_call_seconds(call, warm_up)
        means = {
            "bare_shared": await mean_call_seconds(bare_call_shared_client, calls),
            "bare_new": await mean_call_seconds(bare_call_new_client, calls),
            "runner": await mean_call_seconds(runner_call, calls),
        }
    return means | measure_schema_checks(calls)


def measure_calls(calls: int, repeat: int) -> dict[str, float]:
    """Return the median over ``repeat`` runs of each way's mean seconds per call."""
    runs = [asyncio.run(measure_calls_once(calls)) for _ in range(repeat)]
    return {name: statistics.median(run[name] for run in runs) for name in runs[0]}


def table_row(item: str, measure: str, value: str, compared: str = "") -> str:
    return f"| {item} | {measure} | {value} | {compared} |"


def table_rows(commands: dict[str, Any], calls: dict[str, float], call_count: int) -> list[str]:
    ratio = commands["run_get_contact"] / commands["import_httpx"]
    checked = ", ".join(f"{count} {name}" for name, count in commands["checked"].items())
    overhead = calls["runner"] - calls["bare_shared"]
    overhead_new = calls["runner"] - calls["bare_new"]
    wall = "wall time"
    per_call = f"mean per call over {call_count:,} calls"

    def milliseconds(name: str) -> str:
        return f"{commands[name] * 1000:.0f} ms"

    def microseconds(name: str) -> str:
        return f"{calls[name] * 1e6:.0f} µs"

    return [
        table_row(
            '`python -c "import httpx"` (fresh process)',
            wall,
            milliseconds("import_httpx"),
            "baseline",
        ),
        table_row(
            "`mapbridge run get_contact --sandbox --json` (fresh process)",
            wall,
            milliseconds("run_get_contact"),
            f"{ratio:.1f} × the baseline",
        ),
        table_row(f"`mapbridge validate --json` ({checked})", wall, milliseconds("validate")),
        table_row(
            "bare `httpx.AsyncClient`, one shared client",
            per_call,
            microseconds("bare_shared"),
            "baseline",
        ),
        table_row(
            "bare `httpx.AsyncClient`, a new client per call", per_call, microseconds("bare_new")
        ),
        table_row(
            '`Runner.arun("get_contact", ...)`',
            per_call,
            microseconds("runner"),
            f"overhead {overhead * 1e6:.0f} µs ({overhead_new * 1e6:.0f} µs over a new "
            "client per call)",
        ),
        table_row("of which the input schema check", per_call, microseconds("input_check")),
        table_row("of which the output schema check", per_call, microseconds("output_check")),
    ]


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a whole number of 1 or more")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repeat",
        type=positive_int,
        default=7,
        help="runs per measurement; the table shows the median (default 7)",
    )
    parser.add_argument(
        "--calls",
        type=positive_int,
        default=3000,
        help="calls per run of the runner overhead measurement (default 3000)",
    )
    arguments = parser.parse_args()

    commands = measure_commands(arguments.repeat)
    calls = measure_calls(arguments.calls, arguments.repeat)

    print(
        f"Command: `python benchmarks/bench_runtime.py --repeat {arguments.repeat} "
        f"--calls {arguments.calls}`"
    )
    print(f"Machine: {cpu_model()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print()
    print("| item | measure | median | compared |")
    print("|---|---|---:|---|")
    print("\n".join(table_rows(commands, calls, arguments.calls)))
    print()
    print(
        f"Medians of {arguments.repeat} runs. Overhead is Runner.arun minus the bare request on "
        "one shared client, both against the same httpx.MockTransport."
    )


if __name__ == "__main__":
    main()
