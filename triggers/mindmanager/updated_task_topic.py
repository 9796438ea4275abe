"""A task topic's task info or text changes."""

from mapbridge import OperationContext
from mapbridge.maps import check


async def perform(ctx: OperationContext, data: dict) -> dict:
    return check(ctx, data, "updated_task_topic")
