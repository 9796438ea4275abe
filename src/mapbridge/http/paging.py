"""Paging through the Contacts API's three list styles.

- ``search``: ``page``/``pageLimit`` in a POST body, switching to the ``searchAfter`` cursor of
  the last item once 10,000 hits have been read that way (the API's ceiling for page paging).
- ``skip``: ``skip``/``limit`` in the query or the body, until a short page.
- ``cursor``: the deprecated ``GET /contacts/`` with ``startAfter`` and ``startAfterId`` from the
  previous page's ``meta``, always sent together (with only one of them the API repeats page 1).

Every style stops at the caller's ``limit``, on a repeated cursor and at ``max_pages``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

logger = logging.getLogger(__name__)

SEARCH_PAGE_CEILING = 10_000
DEFAULT_MAX_PAGES = 2_000

Send = Callable[[dict[str, Any] | None, Any], Awaitable[Any]]
"""Sends one page request given (query params, JSON body) and returns the parsed body."""


def _items(body: Any, key: str) -> list[Any]:
    items = body.get(key) if isinstance(body, dict) else None
    return list(items) if isinstance(items, list) else []


def _room(collected: list[Any], limit: int | None) -> bool:
    return limit is None or len(collected) < limit


async def search_pages(
    send: Send,
    body: dict[str, Any],
    *,
    items_key: str,
    limit: int | None = None,
    page_limit: int = 100,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> list[Any]:
    collected: list[Any] = []
    page = 1
    cursor: Any = None
    seen_cursors: set[str] = set()
    for _ in range(max_pages):
        size = page_limit if limit is None else max(1, min(page_limit, limit - len(collected)))
        request = {key: value for key, value in body.items() if key not in ("page", "searchAfter")}
        request["pageLimit"] = size
        if cursor is None:
            request["page"] = page
        else:
            request["searchAfter"] = cursor
        response = await send(None, request)
        items = _items(response, items_key)
        collected.extend(items)
        total = response.get("total") if isinstance(response, dict) else None
        if not items or len(items) < size or not _room(collected, limit):
            break
        if isinstance(total, int) and len(collected) >= total:
            break
        if cursor is None and page * size < SEARCH_PAGE_CEILING:
            page += 1
            continue
        cursor = items[-1].get("searchAfter") if isinstance(items[-1], dict) else None
        if cursor is None or repr(cursor) in seen_cursors:
            logger.warning("Stopped paging %s: no new searchAfter cursor", items_key)
            break
        seen_cursors.add(repr(cursor))
    else:
        logger.warning("Stopped paging %s after %d pages", items_key, max_pages)
    return collected if limit is None else collected[:limit]


async def skip_pages(
    send: Send,
    params: dict[str, Any],
    *,
    items_key: str,
    in_body: bool = False,
    limit: int | None = None,
    page_size: int = 100,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> list[Any]:
    collected: list[Any] = []
    for page in range(max_pages):
        size = page_size if limit is None else max(1, min(page_size, limit - len(collected)))
        request = dict(
            params, skip=page * page_size if limit is None else len(collected), limit=size
        )
        response = await (send(None, request) if in_body else send(request, None))
        items = _items(response, items_key)
        collected.extend(items)
        if len(items) < size or not _room(collected, limit):
            break
    else:
        logger.warning("Stopped paging %s after %d pages", items_key, max_pages)
    return collected if limit is None else collected[:limit]


async def cursor_pages(
    send: Send,
    params: dict[str, Any],
    *,
    items_key: str,
    limit: int | None = None,
    page_size: int = 100,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> list[Any]:
    collected: list[Any] = []
    cursor: tuple[Any, Any] | None = None
    seen: set[tuple[str, str]] = set()
    for _ in range(max_pages):
        size = page_size if limit is None else max(1, min(page_size, limit - len(collected)))
        request = dict(params, limit=size)
        if cursor is not None:
            request["startAfter"], request["startAfterId"] = cursor
        response = await send(request, None)
        items = _items(response, items_key)
        collected.extend(items)
        meta = response.get("meta") if isinstance(response, dict) else None
        if not items or not _room(collected, limit) or not isinstance(meta, dict):
            break
        next_cursor = (meta.get("startAfter"), meta.get("startAfterId"))
        if next_cursor[0] is None or next_cursor[1] is None or meta.get("nextPage") is None:
            break
        marker = (str(next_cursor[0]), str(next_cursor[1]))
        if marker in seen:
            logger.warning("Stopped paging %s: the API repeated cursor %s", items_key, marker[1])
            break
        seen.add(marker)
        cursor = next_cursor
    else:
        logger.warning("Stopped paging %s after %d pages", items_key, max_pages)
    return collected if limit is None else collected[:limit]
