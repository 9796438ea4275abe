"""Benchmark a map sync against the sandbox under HighLevel's burst limit.

    python benchmarks/bench_sync.py [--contacts N] [--seed N] [--gap SECONDS]

Builds a map with ``--contacts`` contact topics under a "Leads" branch (topic properties
Email, Phone and Company, one or two text labels, no tasks and no notes), so the first sync
sends exactly one create per contact. It serves the sandbox on 127.0.0.1 with 150 ms latency
plus up to 100 ms jitter and HighLevel's default limit of 100 requests per 10,000 ms. Then it
runs ``python -m mapbridge sync MAP --json`` against it twice in a subprocess with an isolated
``MAPBRIDGE_DATA_DIR``, the second time ``--gap`` seconds after the first. The second run
should find nothing to write.

For each run it reports the requests the sandbox saw and its 429 responses (from
``/_sandbox/stats``), the seconds from the first to the last request, requests per second,
budget use = requests / (seconds / 10 s × 100), and the fastest possible request phase under
the limit as a share of the measured one. Polling ``/_sandbox/stats`` every 50 ms dates the
first and last request, so the request phase is known to about 0.1 s.
Prints a Markdown table with the command and the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from bench_maps import cpu_model

if TYPE_CHECKING:
    from mapbridge.sandbox import SandboxConfig

LATENCY_MS = 150.0
LATENCY_JITTER_MS = 100.0
POLL_SECONDS = 0.05
FIRST_NAMES = ("Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John")
LAST_NAMES = ("Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus")


def build_map(folder: Path, contacts: int) -> Path:
    """Write a map whose "Leads" branch has ``contacts`` contact topics with unique e-mails."""
    from mapbridge.mindmanager import new_map

    mindmap = new_map("Sales pipeline")
    leads = mindmap.central_topic.add_subtopic("Leads")
    for number in range(contacts):
        first = FIRST_NAMES[number % len(FIRST_NAMES)]
        last = LAST_NAMES[number // len(FIRST_NAMES) % len(LAST_NAMES)]
        labels = ["hot" if number % 2 else "newsletter"]
        if number % 5 == 0:
            labels.append("event-2026")
        leads.add_subtopic(
            f"{first} {last}",
            labels=labels,
            properties={
                "Email": f"{first}.{last}.{number}@example.com".lower(),
                # The exchange and line follow the index, so every contact has its own number.
                "Phone": f"+1 415-{555 + number // 10_000:03d}-{number % 10_000:04d}",
                "Company": f"Company {number % 40}",
            },
        )
    saved: Path = mindmap.save(folder / f"leads-{contacts}.mmap")
    return saved


@dataclass
class RequestClock:
    """Sampler of the sandbox's request counter, run in a thread to date the first and last
    request."""

    base_url: str
    samples: list[tuple[float, int]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._poll, name="bench-sync-clock", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _poll(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=5.0) as client:
            while not self._stop.is_set():
                requests = int(client.get("/_sandbox/stats").json()["requests"])
                self.samples.append((time.monotonic(), requests))
                self._stop.wait(POLL_SECONDS)

    def time_of_request(self, count: int) -> float:
        """Return when the sandbox counted request number ``count``.

        The time is the midpoint between the last sample before the counter reached ``count``
        and the first sample after.
        """
        previous = self.samples[0][0]
        for moment, requests in self.samples:
            if requests >= count:
                return (previous + moment) / 2
            previous = moment
        raise RuntimeError(f"The sandbox never counted {count} requests while it was sampled.")


def sync_environment(base_url: str, data_dir: Path) -> dict[str, str]:
    """Return an environment that points mapbridge at the sandbox and keeps its data apart."""
    from mapbridge.sandbox import SANDBOX_LOCATION_ID, SANDBOX_TOKEN

    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("MAPBRIDGE_")
    }
    environment.update(
        MAPBRIDGE_BASE_URL=base_url,
        MAPBRIDGE_TOKEN=SANDBOX_TOKEN,
        MAPBRIDGE_LOCATION_ID=SANDBOX_LOCATION_ID,
        MAPBRIDGE_DATA_DIR=str(data_dir),
        MAPBRIDGE_CONFIG=str(data_dir / "no-config.toml"),
    )
    return environment


def run_sync(
    map_path: Path, base_url: str, environment: dict[str, str], timeout: float, window: int
) -> dict[str, Any]:
    """Run one ``mapbridge sync`` subprocess while the request counter is sampled."""
    from mapbridge.cli.sync_command import EXIT_PROBLEMS

    with httpx.Client(base_url=base_url, timeout=5.0) as admin:
        admin.delete("/_sandbox/stats").raise_for_status()
    clock = RequestClock(base_url)
    clock.start()
    started = time.monotonic()
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "mapbridge", "sync", str(map_path), "--json"],
            check=False,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise SystemExit(
            f"mapbridge sync did not finish within {timeout:.0f} s and was stopped. Run the "
            "benchmark with --contacts 200 to see whether the sync hangs or only runs slowly."
        ) from None
    finally:
        wall = time.monotonic() - started
        time.sleep(2 * POLL_SECONDS)
        clock.stop()

    # EXIT_PROBLEMS means the sync finished and its report lists problems or conflicts.
    if completed.returncode not in (0, EXIT_PROBLEMS):
        raise SystemExit(
            f"mapbridge sync failed with exit code {completed.returncode}. Its output:\n"
            f"{completed.stdout.strip()[-2000:]}\n{completed.stderr.strip()[-2000:]}"
        )

    with httpx.Client(base_url=base_url, timeout=5.0) as admin:
        stats = admin.get("/_sandbox/stats").json()
    report = json.loads(completed.stdout)
    requests = int(stats["requests"])
    result = {
        "requests": requests,
        "rate_limited": int(stats["rateLimited"]),
        "api_calls": report["apiCalls"],
        "api_writes": report["apiWrites"],
        "summary": report["summary"],
        "problems": [problem["message"] for problem in report["problems"]],
        "seconds": 0.0,
        "wall_seconds": wall,
        "first_window_seconds": None,
        "window_period_seconds": None,
    }
    if requests:
        result.update(time_windows(clock, requests, window))
    return result


def time_windows(clock: RequestClock, requests: int, window: int) -> dict[str, float | None]:
    """Time the request phase, the first window of ``window`` requests and the later ones.

    The window period is the mean time from the first request of one window to the first of
    the next, over every window that has a successor.
    """
    first = clock.time_of_request(1)
    full_windows = (requests - 1) // window
    period = None
    if full_windows:
        period = (clock.time_of_request(full_windows * window + 1) - first) / full_windows
    return {
        "seconds": clock.time_of_request(requests) - first,
        "first_window_seconds": clock.time_of_request(min(window, requests)) - first,
        "window_period_seconds": period,
    }


def fastest_seconds(requests: int, maximum: int, interval_seconds: float) -> float:
    """Return the shortest possible time from first to last of ``requests`` under the limit.

    A client that sends each window's ``maximum`` requests at once needs one interval per
    window after the first.
    """
    windows = -(-requests // maximum)
    return (windows - 1) * interval_seconds


def table_row(label: str, result: dict[str, Any], config: SandboxConfig) -> str:
    seconds = result["seconds"]
    requests = result["requests"]
    interval_seconds = config.rate_limit_interval_ms / 1000
    fastest = fastest_seconds(requests, config.rate_limit_max, interval_seconds)
    rate = budget = of_fastest = "n/a"
    if seconds > 0:
        rate = f"{requests / seconds:.2f}"
        budget_requests = seconds / interval_seconds * config.rate_limit_max
        budget = f"{requests / budget_requests * 100:.0f} %"
    if seconds > 0 and fastest > 0:
        of_fastest = f"{fastest / seconds * 100:.0f} %"
    return (
        f"| {label} | {requests} | {result['rate_limited']} | {result['api_writes']} | "
        f"{seconds:.1f} | {rate} | {budget} | {of_fastest} | {result['wall_seconds']:.1f} | "
        f"{len(result['problems'])} |"
    )


def print_windows(result: dict[str, Any], config: SandboxConfig) -> None:
    """Print how long the first sync took for its first window of requests and the later ones."""
    window = config.rate_limit_max
    if result["first_window_seconds"] is None:
        return
    sent = min(window, result["requests"])
    print(f"First sync: its first {sent} requests took {result['first_window_seconds']:.1f} s.")
    if result["window_period_seconds"] is not None:
        print(
            f"First sync: a window of {window} requests started every "
            f"{result['window_period_seconds']:.1f} s on average (at best every "
            f"{config.rate_limit_interval_ms / 1000:g} s)."
        )


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a whole number of 1 or more")
    return value


def seconds_value(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 600:
        raise argparse.ArgumentTypeError(f"{text} is not a number of seconds from 0 to 600")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--contacts",
        type=positive_int,
        default=1000,
        help="contact topics in the map (default 1000, or 200 for a quick run)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=7,
        help="random seed of the sandbox's latency jitter (default 7)",
    )
    parser.add_argument(
        "--gap",
        type=seconds_value,
        default=0.0,
        help="seconds to wait between the first and the second sync (default 0)",
    )
    arguments = parser.parse_args()

    from mapbridge.sandbox import SandboxConfig, running_server

    folder = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    # Under the limit the first sync sends about 10 requests per second. The margin covers
    # process start, saving the map and a slow shared machine.
    timeout = 60 + arguments.contacts * 0.25
    try:
        map_path = build_map(folder, arguments.contacts)
        config = SandboxConfig(
            db_path=folder / "sandbox.sqlite3",
            latency_ms=LATENCY_MS,
            latency_jitter_ms=LATENCY_JITTER_MS,
            random_seed=arguments.seed,
        )
        with running_server(config) as server:
            environment = sync_environment(server.base_url, folder / "data")
            window = config.rate_limit_max
            first = run_sync(map_path, server.base_url, environment, timeout, window)
            time.sleep(arguments.gap)
            second = run_sync(map_path, server.base_url, environment, timeout, window)
    finally:
        shutil.rmtree(folder)

    print(
        f"Command: `python benchmarks/bench_sync.py --contacts {arguments.contacts} "
        f"--seed {arguments.seed} --gap {arguments.gap:g}`"
    )
    print(f"Machine: {cpu_model()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(
        f"Sandbox: {LATENCY_MS:.0f} ms latency + up to {LATENCY_JITTER_MS:.0f} ms jitter, "
        f"{config.rate_limit_max} requests per {config.rate_limit_interval_ms} ms"
    )
    print()
    print(
        "| run | requests | 429 responses | writes | request phase (s) | requests/s | "
        "budget use | of the fastest possible | wall time (s) | problems |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(table_row(f"first sync, {arguments.contacts:,} contacts", first, config))
    print(table_row(f"second sync after {arguments.gap:g} s, nothing changed", second, config))
    print()
    for label, result in (("First sync", first), ("Second sync", second)):
        print(
            f"{label}: the client counted {result['api_calls']} API calls, "
            f"summary {json.dumps(result['summary'])}."
        )
        for message in result["problems"][:5]:
            print(f"  problem: {message}")
    print_windows(first, config)


if __name__ == "__main__":
    main()
