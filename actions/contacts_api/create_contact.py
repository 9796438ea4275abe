"""New contact. A duplicate names the existing contact; a lost answer is looked up first."""

from mapbridge import OperationContext, create_once, find_duplicate_contact


async def perform(ctx: OperationContext, data: dict) -> dict:
    api = ctx.api
    body = dict(data, locationId=api.location_id)

    async def send() -> dict:
        response = await api.request("POST", "/contacts/", json=body)
        return response["contact"]

    async def lookup() -> dict | None:
        return await find_duplicate_contact(api, data)

    return await create_once(send, lookup, what="contact")
