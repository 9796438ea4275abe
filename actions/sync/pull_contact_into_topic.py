"""The latest contact data, tasks and notes from HighLevel are written into the contact topic."""

from mapbridge import OperationContext
from mapbridge.sync.actions import run_flow


async def perform(ctx: OperationContext, data: dict) -> dict:
    return await run_flow(ctx, "pull_contact_into_topic", data)
