"""Filters of ``POST /contacts/search`` compiled to one SQL condition on contacts ``c``.

Filters follow HighLevel's search guide: ``{field, operator, value}`` or ``{group: "AND" |
"OR", filters: [...]}``, operators eq, not_eq, contains, not_contains, exists, not_exists and
range (``value`` an object with gte, gt, lte, lt). Text compares case-insensitively. Dates take
ISO 8601 strings or epoch milliseconds. A date-only value (``2024-05-01``) with eq matches
that UTC day, and as a range bound it means midnight UTC. Custom fields are filtered as
``customFields.<fieldId>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import phonenumbers

from mapbridge.sandbox.ids import format_timestamp, ms_to_timestamp, parse_timestamp

MAX_VALUE_LENGTH = 75

TEXT_FIELDS = frozenset(
    {
        "email", "firstName", "lastName", "name", "companyName", "source", "assignedTo",
        "address1", "city", "state", "country", "postalCode", "website", "timezone", "type",
        "businessId", "dateOfBirth",
    }
)  # fmt: skip
DATE_FIELDS = frozenset({"dateAdded", "dateUpdated"})
LIST_FIELDS = frozenset({"tags", "followers"})
BOOL_FIELDS = frozenset({"dnd"})
CUSTOM_FIELD_PREFIXES = ("customFields.", "customField.")

_OPERATORS = {
    "text": {"eq", "not_eq", "contains", "not_contains", "exists", "not_exists"},
    "phone": {"eq", "not_eq", "contains", "not_contains", "exists", "not_exists"},
    "date": {"eq", "not_eq", "range", "exists", "not_exists"},
    "bool": {"eq", "not_eq", "exists", "not_exists"},
    "list": {"eq", "not_eq", "contains", "not_contains", "exists", "not_exists"},
    "custom": {"eq", "not_eq", "contains", "not_contains", "exists", "not_exists", "range"},
}
_NEGATED = {"not_eq": "eq", "not_contains": "contains", "not_exists": "exists"}
_RANGE_BOUNDS = {"gte": ">=", "gt": ">", "lte": "<=", "lt": "<"}
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class _Field:
    kind: str
    name: str
    custom_id: str | None = None

    def source(self, condition: str) -> tuple[str, list[Any]]:
        """Wrap an element condition on ``{x}`` so it holds when any value of the field meets it."""
        if self.kind == "list":
            sql = (
                f"EXISTS (SELECT 1 FROM json_each(c.data, '$.{self.name}') AS t "
                f"WHERE {condition.replace('{x}', 't.value')})"
            )
            return sql, []
        if self.kind == "custom":
            sql = (
                "EXISTS (SELECT 1 FROM json_each(c.data, '$.customFields') AS f, "
                "json_each(f.value, '$.value') AS v WHERE json_extract(f.value, '$.id') = ? "
                f"AND {condition.replace('{x}', 'v.value')})"
            )
            return sql, [self.custom_id]
        column = "c.id" if self.name == "id" else f"json_extract(c.data, '$.{self.name}')"
        return f"coalesce(({condition.replace('{x}', column)}), 0)", []


class _Compiler:
    """Turns filters into one SQL condition with parameters, collecting every problem."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def group(self, items: Any, path: str, joiner: str = "AND") -> tuple[str, list[Any]]:
        if not isinstance(items, list):
            self.problems.append(f"{path} must be an array")
            return "1", []
        parts: list[str] = []
        parameters: list[Any] = []
        for index, item in enumerate(items):
            sql, item_parameters = self.item(item, f"{path}.{index}")
            parts.append(sql)
            parameters += item_parameters
        if not parts:
            return "1", []
        return "(" + f" {joiner} ".join(parts) + ")", parameters

    def item(self, item: Any, path: str) -> tuple[str, list[Any]]:
        if not isinstance(item, dict):
            self.problems.append(f"{path} must be an object")
            return "1", []
        if "group" in item:
            for key in set(item) - {"group", "filters"}:
                self.problems.append(f"property {path}.{key} should not exist")
            joiner = item["group"]
            if joiner not in ("AND", "OR"):
                self.problems.append(f"{path}.group must be one of the following values: AND, OR")
                return "1", []
            return self.group(item.get("filters"), f"{path}.filters", joiner)
        for key in set(item) - {"field", "operator", "value"}:
            self.problems.append(f"property {path}.{key} should not exist")
        spec = self.field(item.get("field"), f"{path}.field")
        operator = item.get("operator")
        if spec is None:
            return "1", []
        if operator not in _OPERATORS[spec.kind]:
            allowed = ", ".join(sorted(_OPERATORS[spec.kind]))
            self.problems.append(
                f"{path}.operator {operator!r} is not supported for {spec.name}; use one of {allowed}"
            )
            return "1", []
        return self.condition(spec, operator, item.get("value"), f"{path}.value")

    def field(self, name: Any, path: str) -> _Field | None:
        if not isinstance(name, str) or not name:
            self.problems.append(f"{path} must be a string")
            return None
        for prefix in CUSTOM_FIELD_PREFIXES:
            if name.startswith(prefix) and len(name) > len(prefix):
                return _Field("custom", name, custom_id=name[len(prefix) :])
        if name in TEXT_FIELDS or name == "id":
            return _Field("text", name)
        if name == "phone":
            return _Field("phone", name)
        for kind, names in (("date", DATE_FIELDS), ("list", LIST_FIELDS), ("bool", BOOL_FIELDS)):
            if name in names:
                return _Field(kind, name)
        self.problems.append(
            f"{path} {name!r} is not a searchable field; use id, email, phone, firstName, "
            "lastName, companyName, tags, dateAdded, dateUpdated, source, assignedTo or "
            "customFields.<fieldId>"
        )
        return None

    def condition(
        self, spec: _Field, operator: str, value: Any, path: str
    ) -> tuple[str, list[Any]]:
        positive = _NEGATED.get(operator, operator)
        parameters: list[Any]
        if positive == "exists":
            element, parameters = "{x} IS NOT NULL AND CAST({x} AS TEXT) != ''", []
        elif positive == "range":
            element, parameters = self.range(spec, value, path)
        elif positive == "contains":
            text = self.text(value, path)
            element, parameters = "instr(lower(CAST({x} AS TEXT)), ?) > 0", [text.lower()]
        else:
            element, parameters = self.equality(spec, value, path)
        sql, source_parameters = spec.source(element)
        parameters = source_parameters + parameters
        if operator in _NEGATED:
            sql = f"NOT {sql}"
        return sql, parameters

    def equality(self, spec: _Field, value: Any, path: str) -> tuple[str, list[Any]]:
        values = value if isinstance(value, list) else [value]
        if not values:
            self.problems.append(f"{path} should not be empty")
            return "0", []
        if spec.kind == "bool":
            if not all(isinstance(item, bool) for item in values):
                self.problems.append(f"{path} must be a boolean value")
                return "0", []
            return f"{{x}} IN ({_marks(values)})", [int(item) for item in values]
        if spec.kind == "date":
            stamps = [self.date(item, path) for item in values]
            days = [stamp for stamp in stamps if _DATE_ONLY.match(stamp)]
            moments = [stamp for stamp in stamps if not _DATE_ONLY.match(stamp)]
            sql = (
                f"(substr({{x}}, 1, 10) IN ({_marks(days) or 'NULL'}) "
                f"OR {{x}} IN ({_marks(moments) or 'NULL'}))"
            )
            return sql, days + moments
        texts = [self.text(item, path, allow_number=True) for item in values]
        if spec.kind == "phone":
            texts = [_as_e164(text) for text in texts]
        return f"lower(CAST({{x}} AS TEXT)) IN ({_marks(texts)})", [text.lower() for text in texts]

    def range(self, spec: _Field, value: Any, path: str) -> tuple[str, list[Any]]:
        if not isinstance(value, dict) or not value or set(value) - set(_RANGE_BOUNDS):
            self.problems.append(f"{path} must be an object with one or more of gte, gt, lte, lt")
            return "0", []
        parts: list[str] = []
        parameters: list[Any] = []
        for bound, comparison in _RANGE_BOUNDS.items():
            if bound not in value:
                continue
            limit = value[bound]
            if (
                spec.kind == "custom"
                and isinstance(limit, int | float)
                and not isinstance(limit, bool)
            ):
                parts.append(f"CAST({{x}} AS REAL) {comparison} ?")
                parameters.append(limit)
            elif spec.kind == "custom":
                parts.append(f"CAST({{x}} AS TEXT) {comparison} ?")
                parameters.append(self.text(limit, f"{path}.{bound}"))
            else:
                stamp = self.date(limit, f"{path}.{bound}")
                parts.append(f"{{x}} {comparison} ?")
                parameters.append(
                    stamp if not _DATE_ONLY.match(stamp) else stamp + "T00:00:00.000Z"
                )
        return "{x} IS NOT NULL AND " + " AND ".join(parts), parameters

    def text(self, value: Any, path: str, *, allow_number: bool = False) -> str:
        if allow_number and isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.problems.append(f"{path} must be a string")
            return ""
        if len(value) > MAX_VALUE_LENGTH:
            self.problems.append(
                f"{path} must be shorter than or equal to {MAX_VALUE_LENGTH} characters"
            )
        return value

    def date(self, value: Any, path: str) -> str:
        """Return a date-only string as it is, anything else as a normalized timestamp."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return ms_to_timestamp(value)
        if isinstance(value, str):
            if _DATE_ONLY.match(value.strip()):
                return value.strip()
            try:
                return format_timestamp(parse_timestamp(value))
            except ValueError:
                pass
        self.problems.append(
            f"{path} must be an ISO 8601 date-time (2024-05-01T12:00:00Z) or epoch milliseconds"
        )
        return "1970-01-01"


def _marks(values: list[Any]) -> str:
    return ", ".join("?" for _ in values)


def _as_e164(text: str) -> str:
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def compile_filters(filters: Any, problems: list[str]) -> tuple[str, list[Any]]:
    """Return the SQL condition and parameters for ``filters``; problems go to ``problems``."""
    compiler = _Compiler()
    sql, parameters = compiler.group(filters, "filters")
    problems.extend(compiler.problems)
    return sql, parameters
