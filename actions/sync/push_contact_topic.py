"""A contact topic becomes a contact (created, or the linked one updated), its labels become tags,
and the contact id is written back into the topic.
"""

from mapbridge import OperationContext
from mapbridge.sync.actions import run_flow


async def perform(ctx: OperationContext, data: dict) -> dict:
    return await run_flow(ctx, "push_contact_topic", data)
