"""Remove a topic and its subtree."""

from mapbridge import OperationContext
from mapbridge.maps import delete_topic


async def perform(ctx: OperationContext, data: dict) -> dict:
    return delete_topic(data)
