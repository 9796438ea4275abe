"""Remove text labels (tags) from a topic."""

from mapbridge import OperationContext
from mapbridge.maps import remove_topic_labels


async def perform(ctx: OperationContext, data: dict) -> dict:
    return remove_topic_labels(data)
