"""CLI output: JSON on request or when piped, readable text on a terminal."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

import click

from mapbridge.errors import MapbridgeError


def wants_json(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    return not sys.stdout.isatty()


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)


def emit_json(data: Any) -> None:
    click.echo(dumps(data))


def emit_error(error: MapbridgeError, as_json: bool) -> None:
    if as_json:
        click.echo(dumps(error.to_dict()), err=True)
    else:
        click.echo(f"Error: {error.message}", err=True)


def table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> str:
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * width for width in widths))
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)
