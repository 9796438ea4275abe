"""Task routes: a contact's tasks and the location-wide task search."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from mapbridge.sandbox.auth import authorize, check_location
from mapbridge.sandbox.bodies import (
    CreateTaskBody,
    NoQuery,
    TaskCompletedBody,
    TaskSearchBody,
    UpdateTaskBody,
)
from mapbridge.sandbox.routes.common import answer, owned_contact, path_value, store_of
from mapbridge.sandbox.validation import read_body, read_query


async def list_tasks(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.readonly")
    read_query(request, NoQuery)
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    return answer({"tasks": store_of(request).list_tasks(contact_id)})


async def create_task(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.write")
    body = await read_body(request, CreateTaskBody)
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    task = store_of(request).create_task(contact_id, body.model_dump(exclude_unset=True))
    return answer({"task": task}, 201)


async def get_task(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.readonly")
    read_query(request, NoQuery)
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    return answer({"task": store_of(request).get_task(contact_id, path_value(request, "taskId"))})


async def update_task(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.write")
    body = await read_body(request, UpdateTaskBody)
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    task = store_of(request).update_task(
        contact_id, path_value(request, "taskId"), body.model_dump(exclude_unset=True)
    )
    return answer({"task": task})


async def set_task_completed(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.write")
    body = await read_body(request, TaskCompletedBody)
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    task = store_of(request).update_task(
        contact_id, path_value(request, "taskId"), {"completed": body.completed}
    )
    return answer({"task": task})


async def delete_task(request: Request) -> JSONResponse:
    grant = authorize(request, "contacts.write")
    contact_id = path_value(request, "contactId")
    owned_contact(request, grant, contact_id)
    store_of(request).delete_task(contact_id, path_value(request, "taskId"))
    return answer({"succeded": True})


async def search_location_tasks(request: Request) -> JSONResponse:
    grant = authorize(request, "locations/tasks.readonly")
    location_id = path_value(request, "locationId")
    body = await read_body(request, TaskSearchBody)
    check_location(grant, location_id)
    tasks = store_of(request).search_tasks(
        location_id,
        contact_ids=body.contactId,
        assigned_to=body.assignedTo,
        completed=body.completed,
        query=body.query,
        limit=body.limit,
        skip=body.skip,
    )
    return answer({"tasks": tasks})


ROUTES = [
    Route("/contacts/{contactId}/tasks", list_tasks, methods=["GET"]),
    Route("/contacts/{contactId}/tasks", create_task, methods=["POST"]),
    Route("/contacts/{contactId}/tasks/{taskId}", get_task, methods=["GET"]),
    Route("/contacts/{contactId}/tasks/{taskId}", update_task, methods=["PUT"]),
    Route("/contacts/{contactId}/tasks/{taskId}", delete_task, methods=["DELETE"]),
    Route("/contacts/{contactId}/tasks/{taskId}/completed", set_task_completed, methods=["PUT"]),
    Route("/locations/{locationId}/tasks/search", search_location_tasks, methods=["POST"]),
]
