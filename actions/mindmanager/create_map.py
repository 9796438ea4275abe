"""Create a new map with a central topic and optional branches."""

from mapbridge import OperationContext
from mapbridge.maps import create_map


async def perform(ctx: OperationContext, data: dict) -> dict:
    return create_map(data)
