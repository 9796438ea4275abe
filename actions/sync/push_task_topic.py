"""A task topic creates, updates or completes the matching contact task."""

from mapbridge import OperationContext
from mapbridge.sync.actions import run_flow


async def perform(ctx: OperationContext, data: dict) -> dict:
    return await run_flow(ctx, "push_task_topic", data)
