"""Add a topic under a parent, with notes, task info, text labels and topic properties."""

from mapbridge import OperationContext
from mapbridge.maps import add_topic


async def perform(ctx: OperationContext, data: dict) -> dict:
    return add_topic(data)
