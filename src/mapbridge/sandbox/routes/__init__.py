"""Routes of the emulated HighLevel API, one module per kind of record."""

from __future__ import annotations

from starlette.routing import BaseRoute

from mapbridge.sandbox.routes import (
    contact_search,
    contacts,
    custom_fields,
    notes,
    relations,
    tags,
    tasks,
)

# Fixed paths come before paths with parameters, so that /contacts/search is never read as
# the contact id "search".
API_ROUTES: list[BaseRoute] = [
    *contact_search.ROUTES,
    *contacts.ROUTES,
    *tasks.ROUTES,
    *notes.ROUTES,
    *tags.ROUTES,
    *relations.ROUTES,
    *custom_fields.ROUTES,
]
