"""New note on a contact. A create whose response is lost is looked up before it is sent again."""

from mapbridge import OperationContext, create_once, find_note


async def perform(ctx: OperationContext, data: dict) -> dict:
    api = ctx.api
    contact_id = data["contactId"]
    body = {key: value for key, value in data.items() if key != "contactId"}

    async def send() -> dict:
        response = await api.request("POST", f"/contacts/{contact_id}/notes", json=body)
        return response["note"]

    async def lookup() -> dict | None:
        return await find_note(api, contact_id, body["body"])

    return await create_once(send, lookup, what="note")
