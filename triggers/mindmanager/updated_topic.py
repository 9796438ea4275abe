"""A topic's text, notes, labels, task info, properties, hyperlink or parent change."""

from mapbridge import OperationContext
from mapbridge.maps import check


async def perform(ctx: OperationContext, data: dict) -> dict:
    return check(ctx, data, "updated_topic")
