"""A task topic reaches 100 % complete."""

from mapbridge import OperationContext
from mapbridge.maps import check


async def perform(ctx: OperationContext, data: dict) -> dict:
    return check(ctx, data, "completed_task_topic")
