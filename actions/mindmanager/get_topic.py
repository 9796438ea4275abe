"""One topic with its subtree, addressed by OId, path or linked contact id."""

from mapbridge import OperationContext
from mapbridge.maps import get_topic


async def perform(ctx: OperationContext, data: dict) -> dict:
    return get_topic(data)
