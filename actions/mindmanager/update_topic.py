"""Change a topic's text."""

from mapbridge import OperationContext
from mapbridge.maps import update_topic


async def perform(ctx: OperationContext, data: dict) -> dict:
    return update_topic(data)
