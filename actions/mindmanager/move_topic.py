"""Move a topic under another parent."""

from mapbridge import OperationContext
from mapbridge.maps import move_topic


async def perform(ctx: OperationContext, data: dict) -> dict:
    return move_topic(data)
