"""Creates that never run twice, and the look-ups that find what a lost response created.

A create whose response was lost (timeout, dropped connection, 5xx) may or may not have been
applied. Sending it again blindly can make a duplicate, so the record is looked up first and the
create is repeated only when the look-up finds nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from mapbridge.context import OperationApi
from mapbridge.errors import NetworkError, ServerError

logger = logging.getLogger(__name__)

T = TypeVar("T")


async def create_once(
    send: Callable[[], Awaitable[T]],
    lookup: Callable[[], Awaitable[T | None]],
    *,
    what: str,
) -> T:
    """Send a create; after an ambiguous failure, return the looked-up record or send once more."""
    try:
        return await send()
    except (NetworkError, ServerError) as error:
        if isinstance(error, NetworkError) and not getattr(error, "reached_server", True):
            raise
        logger.warning(
            "Create of a %s got no clear response (%s); looking it up", what, error.message
        )
        found = await lookup()
        if found is not None:
            logger.info("The %s was created before the response was lost; using it", what)
            return found
        logger.info("No %s was created; sending the create again", what)
        return await send()


async def find_duplicate_contact(api: OperationApi, data: dict[str, Any]) -> dict[str, Any] | None:
    """Return the contact the location's duplicate rule matches for the e-mail or phone, if any."""
    params: dict[str, Any] = {"locationId": api.location_id}
    if data.get("email"):
        params["email"] = data["email"]
    if data.get("phone"):
        params["number"] = data["phone"]
    if len(params) == 1:
        return None
    response = await api.request("GET", "/contacts/search/duplicate", params=params)
    contact = response.get("contact") if isinstance(response, dict) else None
    return contact if isinstance(contact, dict) and contact.get("id") else None


async def find_created_contact(
    api: OperationApi, data: dict[str, Any], since: str
) -> dict[str, Any] | None:
    """Return the contact a lost create made: by e-mail or phone, else by exact name.

    The name search only looks at contacts added since ``since`` (ISO 8601), so an older
    namesake is never taken for the new contact.
    """
    if data.get("email") or data.get("phone"):
        return await find_duplicate_contact(api, data)
    first, last, name = data.get("firstName"), data.get("lastName"), data.get("name")
    query = " ".join(part for part in (first, last) if part) or name
    if not query:
        return None
    body = {
        "locationId": api.location_id,
        "page": 1,
        "pageLimit": 20,
        "query": str(query)[:75],
        "filters": [{"field": "dateAdded", "operator": "range", "value": {"gte": since}}],
    }
    response = await api.request("POST", "/contacts/search", json=body, idempotent=True)
    for contact in response.get("contacts", []):
        same_parts = contact.get("firstName") == first and contact.get("lastName") == last
        if (first or last) and same_parts or not (first or last) and contact.get("name") == name:
            return dict(contact)
    return None


async def find_task(api: OperationApi, contact_id: str, title: str, due: str | None) -> Any:
    """Return the contact's task with this title and due date, if one exists."""
    response = await api.request("GET", f"/contacts/{contact_id}/tasks")
    for task in response.get("tasks", []):
        if task.get("title") == title and same_instant(task.get("dueDate"), due):
            return task
    return None


async def find_note(api: OperationApi, contact_id: str, body: str) -> Any:
    """Return the contact's newest note with exactly this body, if one exists."""
    response = await api.request("GET", f"/contacts/{contact_id}/notes")
    notes = [note for note in response.get("notes", []) if note.get("body") == body]
    notes.sort(key=lambda note: note.get("dateAdded") or "", reverse=True)
    return notes[0] if notes else None


def same_instant(left: str | None, right: str | None) -> bool:
    """Tell whether two ISO 8601 timestamps name the same moment (``Z`` and offsets allowed)."""
    if left is None or right is None:
        return left == right
    try:
        first = datetime.fromisoformat(left.replace("Z", "+00:00"))
        second = datetime.fromisoformat(right.replace("Z", "+00:00"))
    except ValueError:
        return left == right
    return first == second
