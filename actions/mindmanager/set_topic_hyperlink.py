"""Set or clear the topic's hyperlink."""

from mapbridge import OperationContext
from mapbridge.maps import set_topic_hyperlink


async def perform(ctx: OperationContext, data: dict) -> dict:
    return set_topic_hyperlink(data)
