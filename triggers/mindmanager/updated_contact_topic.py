"""A contact topic's mapped contact fields or tags change."""

from mapbridge import OperationContext
from mapbridge.maps import check


async def perform(ctx: OperationContext, data: dict) -> dict:
    return check(ctx, data, "updated_contact_topic")
