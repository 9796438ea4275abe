"""Who may call: bearer tokens, their scopes and their location.

The gate resolves the token before any handler runs (401 for an unknown one); each handler
then names the scope its endpoint needs, as listed in the endpoint's OpenAPI ``security``
block, and checks that the data it touches belongs to the token's location (403 otherwise).
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.requests import Request

from mapbridge.sandbox.problems import (
    MISSING_SCOPE_MESSAGE,
    ForbiddenProblem,
    UnauthorizedProblem,
)
from mapbridge.sandbox.store import TokenGrant


def bearer_token(headers: Headers) -> str | None:
    """Return the token of an ``Authorization: Bearer <token>`` header, if there is one."""
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def authorize(request: Request, scope: str | None) -> TokenGrant:
    """Return the request's token grant; raises a 401 problem when it lacks ``scope``.

    ``scope=None`` is for endpoints whose ``security`` block lists no scope: any valid
    token of the location may call them.
    """
    grant: TokenGrant = request.state.grant
    if scope is not None and scope not in grant.scopes:
        raise UnauthorizedProblem(MISSING_SCOPE_MESSAGE)
    return grant


def check_location(grant: TokenGrant, location_id: str) -> None:
    """Raise a 403 problem unless ``location_id`` is the token's own location."""
    if location_id != grant.location_id:
        raise ForbiddenProblem()
