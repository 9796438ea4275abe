"""Task info of a topic (``ap:Task``): priority, progress, dates and resources."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from mapbridge.mindmanager._names import (
    DIRTY,
    TOPIC_CHILDREN,
    ap,
    insert_in_order,
    mark_dirty,
    new_element,
)
from mapbridge.mindmanager._xmldoc import check_xml_text
from mapbridge.mindmanager.errors import MapEditError

logger = logging.getLogger(__name__)

_PRIORITY_PREFIX = "urn:mindjet:Prio"
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
_RESOURCE_SEPARATOR = ", "
_DEFAULT_RESOURCE_LOAD = "100.000000"
TASK_FIELDS = ("priority", "percentage", "start", "due", "resources")


@dataclass
class TaskInfo:
    """Task info of a topic; dates are naive local times, as MindManager stores them.

    ``priority`` runs from 1 (highest) to 9 and ``percentage`` from 0 to 100.
    """

    priority: int | None = None
    percentage: int | None = None
    start: datetime | None = None
    due: datetime | None = None
    resources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "priority": self.priority,
            "percentage": self.percentage,
            "start": self.start.isoformat() if self.start else None,
            "due": self.due.isoformat() if self.due else None,
            "resources": list(self.resources),
        }


def read_task(task: Any) -> TaskInfo | None:
    """Return the task info of an ``ap:Task`` element, or None when it has none of the five fields."""
    if task is None:
        return None
    info = TaskInfo(
        priority=_parse_priority(task.get("TaskPriority")),
        percentage=_parse_percentage(task.get("TaskPercentage")),
        start=parse_datetime(task.get("StartDate")),
        due=parse_datetime(task.get("DeadlineDate")),
        resources=_split_resources(task.get("Resources")),
    )
    if info == TaskInfo():
        return None
    return info


def write_task(topic: Any, fields: Mapping[str, object]) -> None:
    """Apply a partial task update to the ``ap:Task`` of ``topic``; None removes a field."""
    unknown = sorted(set(fields) - set(TASK_FIELDS))
    if unknown:
        raise MapEditError(
            f"Unknown task field(s) {', '.join(map(repr, unknown))}; use {', '.join(TASK_FIELDS)}."
        )
    attributes = {name: _task_attribute(name, value) for name, value in fields.items()}

    task = topic.find(ap("Task"))
    if task is None:
        if all(value is None for value in attributes.values()):
            return
        task = insert_in_order(topic, new_element(ap("Task"), {"Dirty": DIRTY}), TOPIC_CHILDREN)
    else:
        mark_dirty(task)

    names = {
        "priority": "TaskPriority",
        "percentage": "TaskPercentage",
        "start": "StartDate",
        "due": "DeadlineDate",
        "resources": "Resources",
    }
    for name, value in attributes.items():
        attribute = names[name]
        if name == "resources":
            _update_resource_load(task, value)
        if value is None:
            task.attrib.pop(attribute, None)
        else:
            task.set(attribute, value)


def parse_datetime(value: str | None) -> datetime | None:
    """Parse an xsd:dateTime as a naive local time; return None for empty or broken values.

    The web app writes values such as ``0NaN-NaN-NaNT00:00:00`` for empty dates.
    """
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        logger.debug("Ignoring invalid date %r", value)
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone().replace(tzinfo=None)
    return parsed


def format_datetime(value: object, what: str) -> str:
    """Format a date or datetime (or ISO 8601 text) as MindManager writes it."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise MapEditError(
                f"{what} {value!r} is not an ISO 8601 date; use for example "
                "'2024-05-31' or '2024-05-31T14:00:00'."
            ) from None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone().replace(tzinfo=None)
        return value.replace(microsecond=0).strftime(_DATE_FORMAT)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day).strftime(_DATE_FORMAT)
    raise MapEditError(
        f"{what} must be a date, a datetime or ISO 8601 text, got {type(value).__name__}."
    )


def _task_attribute(name: str, value: object) -> str | None:
    if value is None:
        return None
    if name == "priority":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 9:
            raise MapEditError(
                f"Task priority {value!r} is invalid; use a whole number from 1 (highest) to 9."
            )
        return f"{_PRIORITY_PREFIX}{value}"
    if name == "percentage":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise MapEditError(
                f"Task percentage {value!r} is invalid; use a whole number from 0 to 100."
            )
        return str(value)
    if name in ("start", "due"):
        return format_datetime(value, f"Task {name} date")
    return _join_resources(value)


def _join_resources(value: object) -> str | None:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise MapEditError(
            f"Task resources must be a list of names, got {value!r}; "
            "for example ['Ada Lovelace', 'Sales team']."
        )
    names = [check_xml_text(str(name), "Task resource").strip() for name in value]
    for name in names:
        if "," in name:
            raise MapEditError(
                f"Task resource {name!r} contains a comma, which MindManager uses to "
                "separate resources. Remove the comma."
            )
    names = [name for name in names if name]
    return _RESOURCE_SEPARATOR.join(names) if names else None


def _update_resource_load(task: Any, resources: str | None) -> None:
    # ResourcesLoad lists one load per resource in the same order; keep the loads of the
    # resources that stay and give new ones full load.
    old_load = task.get("ResourcesLoad")
    if old_load is None:
        return
    old_names = _split_resources(task.get("Resources"))
    loads = dict(zip(old_names, old_load.split(",")))
    new_names = _split_resources(resources)
    if not new_names:
        task.attrib.pop("ResourcesLoad", None)
        return
    task.set("ResourcesLoad", ",".join(loads.get(n, _DEFAULT_RESOURCE_LOAD) for n in new_names))


def _split_resources(value: str | None) -> list[str]:
    if not value:
        return []
    return [name.strip() for name in value.split(",") if name.strip()]


def _parse_priority(value: str | None) -> int | None:
    if not value or not value.startswith(_PRIORITY_PREFIX):
        return None
    digits = value[len(_PRIORITY_PREFIX) :]
    return int(digits) if digits.isdigit() and 1 <= int(digits) <= 9 else None


def _parse_percentage(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        number = round(float(value))
    except ValueError:
        return None
    return number if 0 <= number <= 100 else None
