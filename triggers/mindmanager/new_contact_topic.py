"""A topic that the sync's mapping rules read as a contact appears in the contacts branch."""

from mapbridge import OperationContext
from mapbridge.maps import check


async def perform(ctx: OperationContext, data: dict) -> dict:
    return check(ctx, data, "new_contact_topic")
