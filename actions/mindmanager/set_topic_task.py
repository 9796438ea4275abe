"""Set or remove task info: priority, percent complete, start and due dates, resources."""

from mapbridge import OperationContext
from mapbridge.maps import set_topic_task


async def perform(ctx: OperationContext, data: dict) -> dict:
    return set_topic_task(data)
