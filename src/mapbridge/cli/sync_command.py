"""``mapbridge sync MAP``: the two-way sync of a map with a HighLevel location."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import Any

import click

from mapbridge.cli.catalog_commands import json_option, sandbox_connection, sandbox_option
from mapbridge.cli.output import emit_error, emit_json, wants_json
from mapbridge.errors import MapbridgeError

logger = logging.getLogger(__name__)

EXIT_PROBLEMS = 12


@click.command()
@click.argument("map_path", metavar="MAP", type=click.Path(path_type=Path))
@click.option(
    "--mapping",
    type=click.Path(path_type=Path),
    help="Mapping file (JSON) that overrides the default rules.",
)
@click.option(
    "--dry-run", is_flag=True, help="Print the plan (API calls and map edits); change nothing."
)
@click.option(
    "--prefer",
    type=click.Choice(["map", "api"]),
    help="Side that wins a field changed on both sides since the last sync.",
)
@click.option("--full", is_flag=True, help="Read every linked contact, not only recent changes.")
@click.option(
    "--concurrency",
    default=16,
    show_default=True,
    type=click.IntRange(1, 64),
    help="How many contacts are synced at the same time.",
)
@click.option(
    "--watch", is_flag=True, help="Keep running: sync on every map change and poll HighLevel."
)
@click.option(
    "--interval",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=1),
    help="With --watch: seconds between polls of HighLevel.",
)
@sandbox_option
@json_option
def sync(
    map_path: Path,
    mapping: Path | None,
    dry_run: bool,
    prefer: str | None,
    full: bool,
    concurrency: int,
    watch: bool,
    interval: float,
    sandbox: bool,
    as_json: bool | None,
) -> None:
    """Sync MAP with HighLevel: contacts, tags, tasks and notes, both ways.

    The map is edited in place (atomically); contact and task ids are written into topic
    properties. A rerun with nothing changed makes no API write.
    """
    from mapbridge.sync import FLOWS, SyncOptions, load_mapping

    as_json = wants_json(as_json)
    click.get_current_context().meta["mapbridge.json"] = as_json
    rules = load_mapping(mapping)
    options = SyncOptions(
        flows=FLOWS["sync_map"],
        dry_run=dry_run,
        prefer=prefer,  # type: ignore[arg-type]
        full=full,
        concurrency=concurrency,
    )
    connection = sandbox_connection if sandbox else None
    if watch:
        try:
            asyncio.run(_watch(map_path, rules, options, connection, interval, as_json))
        except KeyboardInterrupt:
            click.echo("Stopped watching.", err=True)
        return
    report = asyncio.run(_sync_once(map_path, rules, options, connection, as_json))
    _print(report, as_json)
    if report["problems"] or report["conflicts"]:
        raise SystemExit(EXIT_PROBLEMS)


async def _sync_once(
    map_path: Path, rules: Any, options: Any, connection: Any, as_json: bool
) -> dict[str, Any]:
    from mapbridge.runner import Runner
    from mapbridge.sync import run_sync

    runner = Runner(connection)
    runner.check_scopes(runner.manifest.get("sync_map"), runner.connection())
    async with runner.client(runner.connection()) as client:

        async def call(key: str, data: dict[str, Any]) -> Any:
            return await runner.run_with_client(key, data, client)

        with _progress(as_json) as progress:
            report = await run_sync(
                call, map_path, mapping=rules, options=options, progress=progress, client=client
            )
    return report.to_dict() | {"lines": report.summary_lines()}


class _progress:
    """A progress bar on standard error while contacts are synced (only on a terminal)."""

    def __init__(self, as_json: bool) -> None:
        self.enabled = sys.stderr.isatty() and not as_json
        self.bar: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return None

        def update(done: int, total: int) -> None:
            if self.bar is None:
                self.bar = click.progressbar(
                    length=total, label="Syncing contacts", file=sys.stderr
                )
                self.bar.__enter__()
            self.bar.update(1)

        return update

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _print(report: dict[str, Any], as_json: bool) -> None:
    lines = report.pop("lines", [])
    if as_json:
        emit_json(report)
        return
    if report["dryRun"]:
        click.echo("Plan (dry run, nothing was changed):")
        for call in report["calls"]:
            if call["write"]:
                click.echo(
                    f"  {call['method']:6} {call['path']:45} {call['operation']}  {call['topic'] or ''}"
                )
        for edit in report["edits"]:
            click.echo(f"  edit   {edit['topic']}: {edit['change']}")
    for line in lines:
        click.echo(line)


async def _watch(
    map_path: Path, rules: Any, options: Any, connection: Any, interval: float, as_json: bool
) -> None:
    """Sync now, then again on every change of the map file and at least every interval."""
    import watchfiles

    folder = map_path.resolve().parent
    target = map_path.resolve()
    logger.info("Watching %s (polling HighLevel every %.0f s)", target, interval)
    last_state = None
    while True:
        try:
            report = await _sync_once(map_path, rules, options, connection, as_json)
            _print(report, as_json)
        except MapbridgeError as error:
            # A watch outlives one failed run (a spent quota, a map saved half-way, no network).
            logger.warning("Sync of %s failed, trying again on the next change: %s", target, error)
            emit_error(error, as_json)
        last_state = _file_state(target)
        async for changes in watchfiles.awatch(
            folder,
            rust_timeout=int(interval * 1000),
            yield_on_timeout=True,
            watch_filter=lambda _change, path: Path(path) == target,
        ):
            if not changes:
                break
            if _file_state(target) != last_state:
                break


def _file_state(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)
