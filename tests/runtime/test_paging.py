"""Paging helpers against scripted page sequences (the API's three list styles)."""

from __future__ import annotations

import asyncio
from typing import Any

from mapbridge.http import paging


class ScriptedPages:
    """Serves page requests from a fixed list of contacts and records each request."""

    def __init__(self, total: int) -> None:
        self.items = [{"id": f"c{i:05d}", "searchAfter": [i, f"c{i:05d}"]} for i in range(total)]
        self.requests: list[tuple[dict[str, Any] | None, Any]] = []

    async def search(self, params: dict[str, Any] | None, body: Any) -> Any:
        self.requests.append((params, dict(body)))
        size = body["pageLimit"]
        if "searchAfter" in body:
            start = body["searchAfter"][0] + 1
        else:
            start = (body["page"] - 1) * size
        return {"contacts": self.items[start : start + size], "total": len(self.items)}

    async def skip(self, params: dict[str, Any] | None, body: Any) -> Any:
        self.requests.append((params, body))
        query = params or body
        return {"tasks": self.items[query["skip"] : query["skip"] + query["limit"]]}


def test_search_pages_reads_every_page() -> None:
    pages = ScriptedPages(250)
    items = asyncio.run(
        paging.search_pages(pages.search, {"locationId": "L"}, items_key="contacts")
    )
    assert len(items) == 250
    assert [body["page"] for _, body in pages.requests] == [1, 2, 3]
    assert all(body["locationId"] == "L" for _, body in pages.requests)


def test_search_pages_switches_to_search_after() -> None:
    pages = ScriptedPages(10_250)
    items = asyncio.run(paging.search_pages(pages.search, {}, items_key="contacts", page_limit=500))
    assert len(items) == 10_250
    assert len({item["id"] for item in items}) == 10_250
    bodies = [body for _, body in pages.requests]
    assert bodies[19]["page"] == 20
    assert "searchAfter" in bodies[20]
    assert "page" not in bodies[20]


def test_search_pages_respects_limit() -> None:
    pages = ScriptedPages(500)
    items = asyncio.run(paging.search_pages(pages.search, {}, items_key="contacts", limit=130))
    assert len(items) == 130
    assert [body["pageLimit"] for _, body in pages.requests] == [100, 30]


def test_skip_pages_until_short_page() -> None:
    pages = ScriptedPages(205)
    items = asyncio.run(paging.skip_pages(pages.skip, {}, items_key="tasks", page_size=100))
    assert len(items) == 205
    assert [params["skip"] for params, _ in pages.requests] == [0, 100, 200]


def test_cursor_pages_send_both_cursors() -> None:
    requests: list[dict[str, Any]] = []

    async def send(params: dict[str, Any] | None, body: Any) -> Any:
        assert params is not None
        requests.append(params)
        page = len(requests)
        if page > 3:
            return {"contacts": [], "meta": {}}
        return {
            "contacts": [{"id": f"p{page}"}],
            "meta": {"startAfter": page * 1000, "startAfterId": f"p{page}", "nextPage": page + 1},
        }

    items = asyncio.run(paging.cursor_pages(send, {"locationId": "L"}, items_key="contacts"))
    assert [item["id"] for item in items] == ["p1", "p2", "p3"]
    assert "startAfter" not in requests[0]
    for params in requests[1:]:
        assert "startAfter" in params
        assert "startAfterId" in params
        assert params["locationId"] == "L"


def test_cursor_pages_stop_on_repeated_cursor() -> None:
    calls = 0

    async def send(params: dict[str, Any] | None, body: Any) -> Any:
        nonlocal calls
        calls += 1
        return {
            "contacts": [{"id": "same"}],
            "meta": {"startAfter": 1, "startAfterId": "same", "nextPage": 2},
        }

    items = asyncio.run(paging.cursor_pages(send, {}, items_key="contacts"))
    assert calls == 2
    assert len(items) == 2


def test_cursor_pages_stop_at_page_cap() -> None:
    calls = 0

    async def send(params: dict[str, Any] | None, body: Any) -> Any:
        nonlocal calls
        calls += 1
        return {
            "contacts": [{"id": str(calls)}],
            "meta": {"startAfter": calls, "startAfterId": str(calls), "nextPage": calls + 1},
        }

    asyncio.run(paging.cursor_pages(send, {}, items_key="contacts", max_pages=7))
    assert calls == 7
