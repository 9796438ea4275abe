"""Replace the topic's notes, or append paragraphs to them."""

from mapbridge import OperationContext
from mapbridge.maps import set_topic_notes


async def perform(ctx: OperationContext, data: dict) -> dict:
    return set_topic_notes(data)
