"""New task on a contact. A create whose response is lost is looked up before it is sent again."""

from mapbridge import OperationContext, create_once, find_task


async def perform(ctx: OperationContext, data: dict) -> dict:
    api = ctx.api
    contact_id = data["contactId"]
    body = {key: value for key, value in data.items() if key != "contactId"}
    body.setdefault("completed", False)

    async def send() -> dict:
        response = await api.request("POST", f"/contacts/{contact_id}/tasks", json=body)
        return response["task"]

    async def lookup() -> dict | None:
        return await find_task(api, contact_id, body["title"], body["dueDate"])

    return await create_once(send, lookup, what="task")
