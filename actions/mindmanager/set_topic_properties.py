"""Set or remove topic properties such as e-mail, phone or contact id."""

from mapbridge import OperationContext
from mapbridge.maps import set_topic_properties


async def perform(ctx: OperationContext, data: dict) -> dict:
    return set_topic_properties(data)
