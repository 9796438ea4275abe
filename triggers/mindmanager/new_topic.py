"""A topic appears in the map or under the watched branch: one item per new topic."""

from mapbridge import OperationContext
from mapbridge.maps import check


async def perform(ctx: OperationContext, data: dict) -> dict:
    return check(ctx, data, "new_topic")
