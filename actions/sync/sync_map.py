"""Two-way sync of the whole map with HighLevel: contacts, tags, tasks and notes, with a dry-run
plan and a summary.
"""

from mapbridge import OperationContext
from mapbridge.sync.actions import run_flow


async def perform(ctx: OperationContext, data: dict) -> dict:
    return await run_flow(ctx, "sync_map", data)
