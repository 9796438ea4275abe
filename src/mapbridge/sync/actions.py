"""The shared body of the six sync actions of the catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mapbridge.context import OperationContext
from mapbridge.sync import FLOWS, SyncOptions, load_mapping, run_sync


async def run_flow(ctx: OperationContext, flow: str, data: dict[str, Any]) -> dict[str, Any]:
    """Run one flow of the sync engine on the map named in the input."""
    mapping = load_mapping(Path(data["mapping"]) if data.get("mapping") else None)
    options = SyncOptions(
        flows=FLOWS[flow],
        dry_run=bool(data.get("dryRun", False)),
        prefer=data.get("prefer"),
        topic=data.get("topic"),
        full=bool(data.get("full", False)),
    )
    report = await run_sync(
        ctx.call, Path(data["map"]), mapping=mapping, options=options, client=ctx.client
    )
    return report.to_dict()
