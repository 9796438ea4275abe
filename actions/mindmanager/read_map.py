"""The topic tree of a map as JSON: text, notes, task info, labels, icons, hyperlinks and topic
properties.
"""

from mapbridge import OperationContext
from mapbridge.maps import read_map


async def perform(ctx: OperationContext, data: dict) -> dict:
    return read_map(data)
