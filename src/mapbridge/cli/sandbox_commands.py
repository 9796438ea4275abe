"""``mapbridge sandbox serve|seed|reset``: the embedded HighLevel sandbox."""

from __future__ import annotations

from pathlib import Path

import click

from mapbridge.cli.output import emit_json, wants_json


def _db_path() -> Path:
    from mapbridge.paths import data_dir

    return data_dir() / "sandbox.sqlite3"


@click.group()
def sandbox() -> None:
    """Run, fill or empty the embedded HighLevel sandbox."""


@sandbox.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=int, help="TCP port to listen on.")
@click.option("--latency-ms", default=0.0, type=float, help="Delay added to every response (ms).")
@click.option(
    "--error-rate",
    default=0.0,
    type=click.FloatRange(0, 1),
    help="Share of requests that get a 5xx error (0-1).",
)
@click.option(
    "--burst-429-rate",
    default=0.0,
    type=click.FloatRange(0, 1),
    help="Chance that a request starts a burst of 429 responses (0-1).",
)
@click.option(
    "--timeout-rate",
    default=0.0,
    type=click.FloatRange(0, 1),
    help="Share of requests that stall past the client's timeout (0-1).",
)
@click.option(
    "--drop-rate",
    default=0.0,
    type=click.FloatRange(0, 1),
    help="Share of requests whose connection drops mid-answer (0-1).",
)
def serve(
    host: str,
    port: int,
    latency_ms: float,
    error_rate: float,
    burst_429_rate: float,
    timeout_rate: float,
    drop_rate: float,
) -> None:
    """Serve the sandbox over HTTP (127.0.0.1 by default) until interrupted."""
    import logging

    from mapbridge import sandbox as sandbox_module

    # The server's start and stop lines are INFO; show them without -v.
    server_log = logging.getLogger("mapbridge.sandbox")
    if server_log.getEffectiveLevel() > logging.INFO:
        server_log.setLevel(logging.INFO)

    config = sandbox_module.SandboxConfig(
        db_path=_db_path(),
        latency_ms=latency_ms,
        error_rate=error_rate,
        burst_429_rate=burst_429_rate,
        timeout_rate=timeout_rate,
        drop_rate=drop_rate,
    )
    click.echo(
        f"Sandbox listening on http://{host}:{port}  location {sandbox_module.SANDBOX_LOCATION_ID}"
        "\nUse it with MAPBRIDGE_BASE_URL set to that address, MAPBRIDGE_LOCATION_ID to that "
        "location and MAPBRIDGE_TOKEN to the sandbox token ('mapbridge sandbox token').",
        err=True,
    )
    sandbox_module.serve(config, host=host, port=port)


@sandbox.command()
def token() -> None:
    """Print the sandbox's token (it grants every scope on the sandbox location only)."""
    from mapbridge.sandbox import SANDBOX_TOKEN

    click.echo(SANDBOX_TOKEN)


@sandbox.command()
@click.option(
    "--contacts",
    default=50,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="How many contacts to create.",
)
@click.option(
    "--seed",
    "random_seed",
    default=7,
    show_default=True,
    type=int,
    help="Random seed, for repeatable data.",
)
@click.option("--json/--text", "as_json", default=None, help="Print JSON or readable text.")
def seed(contacts: int, random_seed: int, as_json: bool | None) -> None:
    """Fill the sandbox location with realistic contacts, tasks, notes and appointments."""
    from mapbridge import sandbox as sandbox_module

    config = sandbox_module.SandboxConfig(db_path=_db_path())
    summary = sandbox_module.seed(config, contacts=contacts, random_seed=random_seed)
    data = summary if isinstance(summary, dict) else getattr(summary, "__dict__", {})
    if wants_json(as_json):
        emit_json(data)
    else:
        click.echo("Seeded the sandbox: " + ", ".join(f"{v} {k}" for k, v in data.items()))


@sandbox.command()
def reset() -> None:
    """Delete every record of the sandbox (its data file)."""
    from mapbridge import sandbox as sandbox_module

    sandbox_module.reset(_db_path())
    click.echo("Sandbox data deleted.")
