"""The map, or one branch of it, as a Markdown outline."""

from mapbridge import OperationContext
from mapbridge.maps import export_map_outline


async def perform(ctx: OperationContext, data: dict) -> dict:
    return export_map_outline(data)
