"""Find topics by text, text label, topic property, task state or linked contact id."""

from mapbridge import OperationContext
from mapbridge.maps import find_topics


async def perform(ctx: OperationContext, data: dict) -> dict:
    return find_topics(data)
