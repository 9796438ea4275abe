"""New contact. A duplicate names the existing contact; a lost response is looked up first."""

from datetime import UTC, datetime, timedelta

from mapbridge import OperationContext, create_once, find_created_contact


async def perform(ctx: OperationContext, data: dict) -> dict:
    api = ctx.api
    body = dict(data, locationId=api.location_id)
    since = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")

    async def send() -> dict:
        response = await api.request("POST", "/contacts/", json=body)
        return response["contact"]

    async def lookup() -> dict | None:
        return await find_created_contact(api, data, since)

    return await create_once(send, lookup, what="contact")
