"""``poll`` and ``watch``: run a trigger's check once, or again after each change.

Both keep the trigger's state in the data folder, so a change printed once is not printed
again by a later ``poll`` or ``watch`` with the same input.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from mapbridge.catalog.manifest import Operation
from mapbridge.cli.catalog_commands import (
    json_mode,
    json_option,
    read_input,
    sandbox_connection,
    sandbox_option,
)
from mapbridge.cli.output import emit_json
from mapbridge.errors import MapError, RetriableApiError, UsageError

logger = logging.getLogger(__name__)

WATCHED_KINDS = ("poll", "file-watch")
# How long the file watcher waits for events before it hands control back to Python.
_READY_TIMEOUT_MS = 500


def transient_errors() -> tuple[type[Exception], ...]:
    """Return the errors a later check may not meet again, such as a map read mid-write."""
    from mapbridge.maps.errors import TopicNotFoundError

    return (MapError, TopicNotFoundError, RetriableApiError)


input_option = click.option(
    "--input",
    "-i",
    "input_text",
    metavar="JSON|@FILE|-",
    help="The trigger's input: JSON text, @file.json, or - to read standard input.",
)


@click.command()
@click.argument("key")
@input_option
@sandbox_option
@json_option
def poll(key: str, input_text: str | None, sandbox: bool, as_json: bool | None) -> None:
    """Run one check of a trigger and print the changes not printed before.

    The first check of a trigger only records the current state and prints no changes.
    """
    from mapbridge.runner import Runner

    as_json = json_mode(as_json)
    runner = Runner(sandbox_connection if sandbox else None)
    trigger_operation(runner, key)
    data = read_input(input_text)
    result = runner.run(key, data)
    if as_json:
        emit_json(result)
    else:
        print_items(key, result["items"], always=True)


@click.command()
@click.argument("key")
@input_option
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    help="Seconds between checks when polling: for a map with --poll or without "
    "file-system events, and for triggers that read the Contacts API.",
)
@click.option(
    "--poll",
    "force_polling",
    is_flag=True,
    help="Poll the map file every --interval seconds instead of waiting for file-system "
    "events (for network drives and synced folders).",
)
@sandbox_option
@json_option
def watch(
    key: str,
    input_text: str | None,
    interval: float,
    force_polling: bool,
    sandbox: bool,
    as_json: bool | None,
) -> None:
    """Check a trigger after each change of its map and print every new batch of changes.

    JSON output has one line per batch. Ctrl-C stops watching (exit code 0).
    """
    from mapbridge.runner import Runner

    as_json = json_mode(as_json)
    runner = Runner(sandbox_connection if sandbox else None)
    operation = trigger_operation(runner, key)
    data = read_input(input_text)
    try:
        print_batch(key, runner.run(key, data)["items"], as_json)
        for _ in wakeups(operation, data, interval, force_polling):
            try:
                result = runner.run(key, data)
            except transient_errors() as error:
                logger.warning("%s: check failed, retrying after the next change: %s", key, error)
                continue
            print_batch(key, result["items"], as_json)
    except KeyboardInterrupt:
        click.echo("Stopped watching.", err=True)


def trigger_operation(runner: Any, key: str) -> Operation:
    """Return the catalogued trigger ``key``; raise UsageError for an action or a hook."""
    operation: Operation = runner.manifest.get(key)
    if operation.kind not in WATCHED_KINDS:
        kind = "an instant trigger fed by webhooks" if operation.is_trigger else "an action"
        raise UsageError(
            f"{key} is {kind}, not a polling or map-watch trigger. Run it with "
            f"'mapbridge run {key}', or list the triggers with 'mapbridge list --kind "
            "file-watch' and 'mapbridge list --kind poll'."
        )
    return operation


def wakeups(
    operation: Operation, data: dict[str, Any], interval: float, force_polling: bool
) -> Iterator[None]:
    """Yield whenever the trigger should be checked again."""
    if operation.kind == "file-watch" and isinstance(data.get("map"), str):
        yield from file_changes(Path(data["map"]), interval, force_polling)
        return
    logger.info("Checking %s every %s s", operation.key, interval)
    while True:
        time.sleep(interval)
        yield


def file_changes(path: Path, interval: float, force_polling: bool) -> Iterator[None]:
    """Yield after each change of ``path``, from file-system events or by polling.

    The folder is watched rather than the file, because an atomic save replaces the file.
    Once the watcher is ready, one extra wakeup catches changes made while it started.
    """
    import watchfiles

    target = path.resolve()

    def is_target(change: watchfiles.Change, changed: str) -> bool:
        return Path(changed).name == target.name

    def stat_state() -> tuple[int, int, int] | None:
        try:
            stat = target.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size, stat.st_ino)

    def changes(polling: bool) -> Iterator[None]:
        ready = False
        seen = stat_state()
        for found in watchfiles.watch(
            target.parent,
            watch_filter=is_target,
            force_polling=polling,
            poll_delay_ms=int(interval * 1000),
            recursive=False,
            debounce=400,
            rust_timeout=_READY_TIMEOUT_MS,
            yield_on_timeout=True,
        ):
            # Each timeout also compares the file's state, so a change that the watcher
            # missed (for example one made while it scanned the folder) still wakes a check.
            current = stat_state()
            if not ready:
                ready = True
                logger.info(
                    "Watching %s for changes (%s)", target, "polling" if polling else "events"
                )
                seen = current
                yield
            elif found or current != seen:
                seen = current
                yield

    try:
        yield from changes(force_polling)
    except (OSError, RuntimeError) as error:
        if force_polling:
            raise
        logger.warning(
            "File-system events are not available for %s (%s); polling every %s s instead",
            target.parent,
            error,
            interval,
        )
        yield from changes(True)


def print_batch(key: str, items: list[dict[str, Any]], as_json: bool) -> None:
    """Print one batch: a JSON line, or readable lines; an empty batch prints nothing."""
    if not items:
        return
    if as_json:
        click.echo(json_line({"items": items}))
    else:
        print_items(key, items, always=False)


def print_items(key: str, items: list[dict[str, Any]], *, always: bool) -> None:
    if not items:
        if always:
            click.echo(f"{key}: no new changes")
        return
    stamp = datetime.now().strftime("%H:%M:%S")
    click.echo(f"{stamp} {key}: {len(items)} new change{'' if len(items) == 1 else 's'}")
    for item in items:
        click.echo("  " + describe_item(item))


def describe_item(item: dict[str, Any]) -> str:
    """Describe an item in one line: change, topic path, OId and what changed."""
    topic = item.get("topic") or item.get("previous") or {}
    path = topic.get("path") if isinstance(topic, dict) else None
    where = " / ".join(path[1:] or path) if isinstance(path, list) and path else None
    line = f"{item.get('change', 'item'):<9} {where or item.get('id')}"
    if item.get("oid"):
        line += f"  (OId {item['oid']})"
    if item.get("changed"):
        line += "  changed: " + ", ".join(item["changed"])
    return line


def json_line(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
