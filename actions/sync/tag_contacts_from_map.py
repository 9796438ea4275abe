"""Labels added to or removed from contact topics are added to or removed from the contacts' tags;
the tag list is never replaced.
"""

from mapbridge import OperationContext
from mapbridge.sync.actions import run_flow


async def perform(ctx: OperationContext, data: dict) -> dict:
    return await run_flow(ctx, "tag_contacts_from_map", data)
