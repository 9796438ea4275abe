"""Keeping a MindManager map and a HighLevel location in step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mapbridge.http.client import ApiClient
from mapbridge.sync.engine import FLOWS, Flows, SyncEngine, SyncOptions
from mapbridge.sync.links import LinkStore, open_links
from mapbridge.sync.mapping import Mapping, load_mapping
from mapbridge.sync.report import SyncReport
from mapbridge.sync.run import planned_call

__all__ = [
    "FLOWS",
    "Flows",
    "LinkStore",
    "Mapping",
    "SyncEngine",
    "SyncOptions",
    "SyncReport",
    "load_mapping",
    "run_sync",
]


async def run_sync(
    call: Callable[[str, dict[str, Any]], Any],
    map_path: Path,
    *,
    mapping: Mapping,
    options: SyncOptions,
    progress: Callable[[int, int], None] | None = None,
    links: LinkStore | None = None,
    client: ApiClient | None = None,
) -> SyncReport:
    """Open the map, run the engine with ``call`` as the API, and return the report.

    With ``client``, the report lists the requests that client actually sent.
    """
    from mapbridge.mindmanager import open_map

    mindmap = open_map(map_path)
    store = links or open_links(map_path)
    if client is not None:
        client.journal = []
    try:
        engine = SyncEngine(mindmap, mapping, store, call, options, progress=progress)
        report = await engine.run()
    finally:
        if links is None:
            store.close()
    if client is not None and client.journal is not None and not options.dry_run:
        report.calls = [
            dict(entry, write=_is_write(entry), planned=False) for entry in client.journal
        ]
        client.journal = None
    return report


def _is_write(entry: dict[str, Any]) -> bool:
    """Tell whether a request the client sent changed data (a search POST does not)."""
    return entry["method"] != "GET" and planned_call(entry["operation"])[2]
