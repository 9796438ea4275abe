"""Contact listing: ``POST /contacts/search`` (paging, sort, cursors) and the deprecated list.

Search pages two ways, as HighLevel's search guide describes: ``page`` with ``pageLimit``
reaches the first 10,000 results, and ``searchAfter`` (the ``searchAfter`` value of the last
contact of a page, ``[sortValue, ..., id]``) reaches any result. The default order is newest
``dateAdded`` first; ties break on id.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from mapbridge.sandbox.filters import MAX_VALUE_LENGTH, compile_filters
from mapbridge.sandbox.ids import (
    format_timestamp,
    ms_to_timestamp,
    parse_timestamp,
    timestamp_to_ms,
)
from mapbridge.sandbox.problems import UnprocessableProblem
from mapbridge.sandbox.store_base import from_json

MAX_PAGED_RESULTS = 10_000
MAX_PAGE_LIMIT = 500
SORT_FIELDS = ("dateAdded", "dateUpdated", "firstName", "lastName", "name", "email", "companyName")
DEFAULT_SORT = ({"field": "dateAdded", "direction": "desc"},)
_FREE_TEXT_FIELDS = ("fullNameLowerCase", "email", "phone", "companyName")


@dataclass
class SearchRequest:
    """A ``POST /contacts/search`` body whose types the request DTO already checked."""

    location_id: str
    page_limit: int
    page: int | None = None
    search_after: list[Any] | None = None
    filters: list[Any] = field(default_factory=list)
    sort: list[dict[str, Any]] = field(default_factory=list)
    query: str | None = None


@dataclass
class ListPage:
    """One page of the deprecated ``GET /contacts/``: the contacts, the total and the offset."""

    contacts: list[dict[str, Any]]
    total: int
    offset: int


@dataclass
class _SortKey:
    name: str
    descending: bool

    @property
    def is_date(self) -> bool:
        return self.name in ("dateAdded", "dateUpdated")

    @property
    def expression(self) -> str:
        value = f"json_extract(c.data, '$.{self.name}')"
        return f"coalesce({value}, '')" if self.is_date else f"lower(coalesce({value}, ''))"

    def to_cursor(self, value: Any) -> Any:
        if self.is_date:
            return timestamp_to_ms(value) if value else 0
        return value

    def from_cursor(self, value: Any, problems: list[str]) -> Any:
        if self.is_date:
            if isinstance(value, int | float) and not isinstance(value, bool):
                return ms_to_timestamp(value)
            if isinstance(value, str):
                try:
                    return format_timestamp(parse_timestamp(value))
                except ValueError:
                    pass
            problems.append(
                f"searchAfter value {value!r} for {self.name} must be epoch milliseconds"
            )
            return ""
        if not isinstance(value, str):
            problems.append(f"searchAfter value {value!r} for {self.name} must be a string")
            return ""
        return value.lower()


def search_contacts(
    connection: sqlite3.Connection, request: SearchRequest
) -> tuple[list[dict[str, Any]], int]:
    """Return one page of matching contacts (each with ``searchAfter``) and the match count."""
    problems: list[str] = []
    where, parameters = compile_filters(request.filters, problems)
    keys = _sort_keys(request.sort or list(DEFAULT_SORT), problems)
    text_sql, text_parameters = _free_text(request.query, problems)
    cursor_sql, cursor_parameters = "1", list[Any]()
    if request.search_after is not None:
        if request.page is not None:
            problems.append(
                "page and searchAfter cannot be used together; send searchAfter without page"
            )
        cursor_sql, cursor_parameters = _after(keys, request.search_after, problems)
    page = request.page or 1
    if request.search_after is None and page * request.page_limit > MAX_PAGED_RESULTS:
        problems.append(
            f"page {page} with pageLimit {request.page_limit} reaches past the first "
            f"{MAX_PAGED_RESULTS} results; use searchAfter to read further"
        )
    if problems:
        raise UnprocessableProblem(problems)

    base = f"c.location_id = ? AND {where} AND {text_sql}"
    base_parameters = [request.location_id, *parameters, *text_parameters]
    total = connection.execute(
        f"SELECT COUNT(*) AS n FROM contacts AS c WHERE {base}", base_parameters
    ).fetchone()["n"]

    columns = ", ".join(f"{key.expression} AS k{index}" for index, key in enumerate(keys))
    order = ", ".join(
        f"k{index} {'DESC' if key.descending else 'ASC'}" for index, key in enumerate(keys)
    )
    offset = 0 if request.search_after is not None else (page - 1) * request.page_limit
    rows = connection.execute(
        f"SELECT c.id, c.data, {columns} FROM contacts AS c WHERE {base} AND {cursor_sql} "
        f"ORDER BY {order}, c.id ASC LIMIT ? OFFSET ?",
        [*base_parameters, *cursor_parameters, request.page_limit, offset],
    ).fetchall()

    contacts = []
    for row in rows:
        record: dict[str, Any] = from_json(row["data"])
        record["searchAfter"] = [
            key.to_cursor(row[f"k{index}"]) for index, key in enumerate(keys)
        ] + [row["id"]]
        contacts.append(record)
    return contacts, int(total)


def list_contacts_page(
    connection: sqlite3.Connection,
    location_id: str,
    *,
    limit: int,
    start_after: int | None,
    start_after_id: str | None,
    query: str | None,
) -> ListPage:
    """Return a page of the deprecated list, newest ``dateAdded`` first.

    The cursor is the pair (``startAfter`` epoch ms, ``startAfterId``). Like the live API,
    the list starts over at the first page when only one half of the pair is sent.
    """
    problems: list[str] = []
    text_sql, text_parameters = _free_text(query, problems)
    if problems:
        raise UnprocessableProblem(problems)
    base = f"c.location_id = ? AND {text_sql}"
    base_parameters = [location_id, *text_parameters]
    total = connection.execute(
        f"SELECT COUNT(*) AS n FROM contacts AS c WHERE {base}", base_parameters
    ).fetchone()["n"]

    cursor_sql, cursor_parameters = "1", list[Any]()
    if start_after is not None and start_after_id:
        stamp = ms_to_timestamp(start_after)
        cursor_sql = "(c.date_added < ? OR (c.date_added = ? AND c.id < ?))"
        cursor_parameters = [stamp, stamp, start_after_id]
    offset = connection.execute(
        f"SELECT COUNT(*) AS n FROM contacts AS c WHERE {base} AND NOT {cursor_sql}",
        [*base_parameters, *cursor_parameters],
    ).fetchone()["n"]
    rows = connection.execute(
        f"SELECT c.data FROM contacts AS c WHERE {base} AND {cursor_sql} "
        "ORDER BY c.date_added DESC, c.id DESC LIMIT ?",
        [*base_parameters, *cursor_parameters, limit],
    ).fetchall()
    return ListPage([from_json(row["data"]) for row in rows], int(total), int(offset))


def _sort_keys(sort: list[dict[str, Any]], problems: list[str]) -> list[_SortKey]:
    keys = []
    for index, item in enumerate(sort):
        name, direction = item.get("field"), item.get("direction", "desc")
        if name not in SORT_FIELDS:
            problems.append(
                f"sort.{index}.field {name!r} cannot be sorted on; use one of {', '.join(SORT_FIELDS)}"
            )
            continue
        if direction not in ("asc", "desc"):
            problems.append(
                f"sort.{index}.direction must be one of the following values: asc, desc"
            )
            continue
        keys.append(_SortKey(name, descending=direction == "desc"))
    return keys or [_SortKey("dateAdded", descending=True)]


def _after(keys: list[_SortKey], cursor: list[Any], problems: list[str]) -> tuple[str, list[Any]]:
    """Return the condition for rows after ``cursor`` in (keys..., id ascending) order."""
    if len(cursor) != len(keys) + 1 or not isinstance(cursor[-1], str):
        problems.append(
            f"searchAfter must hold {len(keys) + 1} values: the sort value(s) and the id of "
            "the last contact of the previous page, as returned in its searchAfter"
        )
        return "1", []
    values = [key.from_cursor(value, problems) for key, value in zip(keys, cursor, strict=False)]
    alternatives: list[str] = []
    parameters: list[Any] = []
    for index in range(len(keys) + 1):
        equal = [f"{keys[i].expression} = ?" for i in range(index)]
        parameters += values[:index]
        if index < len(keys):
            comparison = "<" if keys[index].descending else ">"
            last = f"{keys[index].expression} {comparison} ?"
            parameters.append(values[index])
        else:
            last = "c.id > ?"
            parameters.append(cursor[-1])
        alternatives.append("(" + " AND ".join([*equal, last]) + ")")
    return "(" + " OR ".join(alternatives) + ")", parameters


def _free_text(query: str | None, problems: list[str]) -> tuple[str, list[Any]]:
    if not query:
        return "1", []
    if len(query) > MAX_VALUE_LENGTH:
        problems.append(f"query must be shorter than or equal to {MAX_VALUE_LENGTH} characters")
    text = query.strip().lower()
    parts = [
        f"instr(lower(coalesce(json_extract(c.data, '$.{name}'), '')), ?) > 0"
        for name in _FREE_TEXT_FIELDS
    ]
    parameters: list[Any] = [text] * len(parts)
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 3:
        parts.append("instr(coalesce(json_extract(c.data, '$.phone'), ''), ?) > 0")
        parameters.append(digits)
    return "(" + " OR ".join(parts) + ")", parameters
