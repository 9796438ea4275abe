"""Change fields of a contact; tags are added unless replaceTags is true, which replaces the list."""

from mapbridge import OperationContext


async def perform(ctx: OperationContext, data: dict) -> dict:
    api = ctx.api
    contact_id = data["contactId"]
    fields = {k: v for k, v in data.items() if k not in ("contactId", "replaceTags", "tags")}
    tags = data.get("tags")
    if tags is not None and data.get("replaceTags"):
        fields["tags"] = tags
        tags = None

    contact = None
    if fields:
        contact = (await api.request("PUT", f"/contacts/{contact_id}", json=fields))["contact"]
    if tags:
        added = await api.request("POST", f"/contacts/{contact_id}/tags", json={"tags": tags})
        if contact is None:
            contact = (await api.get(f"/contacts/{contact_id}"))["contact"]
        contact["tags"] = added.get("tags", contact.get("tags", []))
    if contact is None:
        contact = (await api.get(f"/contacts/{contact_id}"))["contact"]
    return contact
