"""Keeping a MindManager map and a HighLevel location in step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mapbridge.sync.engine import FLOWS, Flows, SyncEngine, SyncOptions
from mapbridge.sync.links import LinkStore, open_links
from mapbridge.sync.mapping import Mapping, load_mapping
from mapbridge.sync.report import SyncReport

__all__ = [
    "FLOWS", "Flows", "LinkStore", "Mapping", "SyncEngine", "SyncOptions", "SyncReport",
    "load_mapping", "run_sync",
]


async def run_sync(
    call: Callable[[str, dict[str, Any]], Any],
    map_path: Path,
    *,
    mapping: Mapping,
    options: SyncOptions,
    progress: Callable[[int, int], None] | None = None,
    links: LinkStore | None = None,
) -> SyncReport:
    """Open the map, run the engine with ``call`` as the API, and return the report."""
    from mapbridge.mindmanager import open_map

    mindmap = open_map(map_path)
    store = links or open_links(map_path)
    try:
        engine = SyncEngine(mindmap, mapping, store, call, options, progress=progress)
        return await engine.run()
    finally:
        if links is None:
            store.close()
