"""The ``mapbridge`` command line."""

from __future__ import annotations

import logging
import sys

import click

from mapbridge.cli.output import emit_error
from mapbridge.errors import MapbridgeError

EXIT_INTERRUPTED = 130


class MapbridgeGroup(click.Group):
    """Turns mapbridge errors into a message and a stable exit code instead of a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except MapbridgeError as error:
            as_json = bool(ctx.meta.get("mapbridge.json"))
            emit_error(error, as_json)
            ctx.exit(error.exit_code)


@click.group(cls=MapbridgeGroup)
@click.option(
    "-v", "--verbose", count=True, help="Log more: -v for progress, -vv for every request."
)
@click.version_option(package_name="mapbridge")
def cli(verbose: int) -> None:
    """Connect MindManager maps with HighLevel's Contacts API."""
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


def _register() -> None:
    from mapbridge.cli import catalog_commands, sandbox_commands, sync_command, trigger_commands

    cli.add_command(catalog_commands.list_operations)
    cli.add_command(catalog_commands.describe)
    cli.add_command(catalog_commands.run)
    cli.add_command(catalog_commands.validate)
    cli.add_command(sandbox_commands.sandbox)
    cli.add_command(sync_command.sync)
    cli.add_command(trigger_commands.poll)
    cli.add_command(trigger_commands.watch)


_register()


def main() -> None:
    try:
        cli.main(prog_name="mapbridge")
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
