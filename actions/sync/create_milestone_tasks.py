"""Contacts that reached a milestone in HighLevel (a tag, a custom field value) get task topics
under their contact topic.
"""

from mapbridge import OperationContext
from mapbridge.sync.actions import run_flow


async def perform(ctx: OperationContext, data: dict) -> dict:
    return await run_flow(ctx, "create_milestone_tasks", data)
