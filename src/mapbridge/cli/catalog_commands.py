"""``list``, ``describe``, ``run`` and ``validate``: the catalog from the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from mapbridge.cli.output import dumps, emit_json, table, wants_json
from mapbridge.errors import InputError, ManifestError

APPS = ("contacts_api", "mindmanager", "sync")
KINDS = ("create", "update", "delete", "search", "poll", "hook", "file-watch")

json_option = click.option(
    "--json/--text",
    "as_json",
    default=None,
    help="Print JSON (the default when output is piped) or readable text.",
)
sandbox_option = click.option(
    "--sandbox",
    is_flag=True,
    help="Use the embedded sandbox (data kept until 'mapbridge sandbox reset').",
)


def json_mode(flag: bool | None) -> bool:
    as_json = wants_json(flag)
    click.get_current_context().meta["mapbridge.json"] = as_json
    return as_json


@click.command("list")
@click.option("--app", type=click.Choice(APPS), help="Only operations of this app.")
@click.option("--kind", type=click.Choice(KINDS), help="Only operations of this kind.")
@click.option(
    "--markdown", is_flag=True, help="Print the whole catalog as the Markdown page docs/catalog.md."
)
@json_option
def list_operations(
    app: str | None, kind: str | None, markdown: bool, as_json: bool | None
) -> None:
    """List the catalogued operations."""
    from mapbridge.catalog.manifest import load_manifest

    as_json = json_mode(as_json)
    if markdown:
        from mapbridge.catalog.reference import catalog_markdown

        click.echo(catalog_markdown(load_manifest()), nl=False)
        return
    operations = load_manifest().select(app, kind)
    if as_json:
        emit_json(
            [
                {"key": op.key, "app": op.app, "kind": op.kind, "label": op.label}
                for op in operations
            ]
        )
        return
    rows = [(op.key, op.app, op.kind, op.label) for op in operations]
    click.echo(table(rows, ("KEY", "APP", "KIND", "LABEL")))
    click.echo(f"\n{len(rows)} operations")


@click.command()
@click.argument("key")
@json_option
def describe(key: str, as_json: bool | None) -> None:
    """Show an operation's inputs, outputs, scopes and sample output."""
    from mapbridge.catalog.describe import schema_summary
    from mapbridge.catalog.manifest import load_manifest
    from mapbridge.paths import catalog_root

    as_json = json_mode(as_json)
    operation = load_manifest().get(key)
    root = catalog_root()
    input_schema, input_lines = schema_summary(root / operation.input_schema)
    output_schema, output_lines = schema_summary(root / operation.output_schema)
    if as_json:
        data = operation.model_dump()
        data["input"] = input_schema
        data["output"] = output_schema
        emit_json(data)
        return
    click.echo(f"{operation.key}: {operation.label}  [{operation.app}, {operation.kind}]")
    click.echo(operation.description)
    click.echo("\nInput:")
    click.echo("\n".join(input_lines))
    click.echo("\nOutput:")
    click.echo("\n".join(output_lines))
    if operation.scopes:
        click.echo(f"\nScopes: {', '.join(operation.scopes)}")
    if operation.api_version:
        click.echo(f"Version header: {operation.api_version}")
    click.echo("\nSample output:")
    click.echo(dumps(operation.sample))


def read_input(value: str | None) -> dict[str, Any]:
    """Read ``--input``: a JSON text, ``@path`` to a JSON file, or ``-`` for standard input."""
    from mapbridge.runner import parse_input

    if value is None:
        return {}
    if value == "-":
        return parse_input(sys.stdin.read())
    if value.startswith("@"):
        path = Path(value[1:])
        try:
            return parse_input(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise InputError(
                f"Cannot read the input file {path}: {error.strerror}. Check the path after '@'."
            ) from None
    return parse_input(value)


def sandbox_connection() -> Any:
    from mapbridge.connection import Connection
    from mapbridge.paths import data_dir

    return Connection.sandbox(data_dir() / "sandbox.sqlite3")


@click.command()
@click.argument("key")
@click.option(
    "--input",
    "-i",
    "input_text",
    metavar="JSON|@FILE|-",
    help="The operation's input: JSON text, @file.json, or - to read standard input.",
)
@sandbox_option
@json_option
def run(key: str, input_text: str | None, sandbox: bool, as_json: bool | None) -> None:
    """Run one operation and print its output."""
    from mapbridge.runner import Runner

    as_json = json_mode(as_json)
    data = read_input(input_text)
    runner = Runner(sandbox_connection if sandbox else None)
    result = runner.run(key, data)
    if as_json:
        emit_json(result)
    else:
        target = " on the sandbox" if sandbox else ""
        click.echo(f"{key}{target}: done")
        texts = [value for value in result.values() if isinstance(value, str) and "\n" in value]
        # A document such as a Markdown outline reads better as itself than as a JSON string.
        if len(texts) == 1:
            others = {k: v for k, v in result.items() if v is not texts[0]}
            if others:
                click.echo(dumps(others))
            click.echo(texts[0])
        else:
            click.echo(dumps(result))


@click.command()
@json_option
def validate(as_json: bool | None) -> None:
    """Check the manifest, every schema and module, and every sample; list every problem."""
    from mapbridge.catalog.checks import check_catalog

    as_json = json_mode(as_json)
    problems, counts = check_catalog()
    if as_json:
        emit_json({"ok": not problems, "problems": problems, "checked": counts})
    else:
        for problem in problems:
            click.echo(f"- {problem}")
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        click.echo(f"Checked {summary}: {len(problems)} problem(s).")
    if problems:
        raise SystemExit(ManifestError.exit_code)
