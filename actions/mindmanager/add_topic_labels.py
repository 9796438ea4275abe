"""Add text labels (tags) to a topic."""

from mapbridge import OperationContext
from mapbridge.maps import add_topic_labels


async def perform(ctx: OperationContext, data: dict) -> dict:
    return add_topic_labels(data)
