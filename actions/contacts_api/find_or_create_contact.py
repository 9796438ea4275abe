"""Look up the contact the duplicate rule matches; create one only when nothing matches."""

from mapbridge import DuplicateContact, OperationContext, find_duplicate_contact


async def perform(ctx: OperationContext, data: dict) -> dict:
    api = ctx.api
    existing = await find_duplicate_contact(api, data)
    if existing is not None:
        return {"created": False, "contact": existing}
    try:
        created = await ctx.call("create_contact", data)
    except DuplicateContact as duplicate:
        # Another client created the contact between the look-up and the create.
        response = await api.get(f"/contacts/{duplicate.contact_id}")
        return {"created": False, "contact": response["contact"]}
    return {"created": True, "contact": created}
