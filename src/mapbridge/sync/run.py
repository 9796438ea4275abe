"""Shared state of one sync run: options, flows, the API gate and small value helpers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Any

from mapbridge.catalog.manifest import load_manifest
from mapbridge.catalog.modules import module_path, read_declaration
from mapbridge.http.client import request_subject
from mapbridge.lookups import same_instant
from mapbridge.mindmanager import MindMap, Topic
from mapbridge.sync.links import Link, LinkStore
from mapbridge.sync.mapping import Mapping
from mapbridge.sync.merge import Side
from mapbridge.sync.normalize import map_timezone
from mapbridge.sync.report import SyncReport
from mapbridge.sync.topics import topic_label

CURSOR_OVERLAP = timedelta(minutes=2)
"""How far before the last run's start the next run reads changes, for clock skew and lag."""
CONTACT, TASK, NOTE, PULLED_NOTE = "contact", "task", "note", "pulled_note"
MILESTONE = "milestone"

LOGIC_ENDPOINTS = {
    "create_contact": ("POST", "/contacts/"),
    "update_contact": ("PUT", "/contacts/{contactId}"),
    "create_contact_task": ("POST", "/contacts/{contactId}/tasks"),
    "create_contact_note": ("POST", "/contacts/{contactId}/notes"),
}
"""Main request of the operations the sync uses that have logic instead of a REQUEST literal."""


@cache
def planned_call(operation: str) -> tuple[str, str, bool]:
    """Return (method, path, writes) of an operation, for the plan of a dry run."""
    entry = load_manifest().get(operation)
    declaration = read_declaration(module_path(entry))
    if declaration is not None:
        method, path = str(declaration["method"]), str(declaration["path"])
    else:
        method, path = LOGIC_ENDPOINTS[operation]
    return method, path, entry.kind != "search"


@dataclass(frozen=True)
class Flows:
    """Directions and record types that a run handles."""

    push_fields: bool = True
    pull_fields: bool = True
    push_tags: bool = True
    pull_tags: bool = True
    push_tasks: bool = True
    pull_tasks: bool = True
    push_notes: bool = True
    pull_notes: bool = True
    milestones: bool = True
    create_contacts: bool = True

    @classmethod
    def only(cls, *names: str) -> Flows:
        """Return flows with just the named parts switched on."""
        unknown = set(names) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown flow parts: {sorted(unknown)}")
        return cls(**{name: name in names for name in cls.__dataclass_fields__})


FLOWS = {
    "sync_map": Flows(),
    "push_contact_topic": Flows.only("push_fields", "push_tags", "create_contacts"),
    "pull_contact_into_topic": Flows.only("pull_fields", "pull_tags", "pull_tasks", "pull_notes"),
    "push_task_topic": Flows.only("push_tasks"),
    "create_milestone_tasks": Flows.only("milestones"),
    "tag_contacts_from_map": Flows.only("push_tags"),
}


@dataclass
class SyncOptions:
    flows: Flows = field(default_factory=Flows)
    dry_run: bool = False
    prefer: Side | None = None
    topic: str | None = None
    concurrency: int = 16
    full: bool = False


Call = Callable[[str, dict[str, Any]], Any]


@dataclass
class ContactState:
    topic: Topic
    label: str
    link: Link | None
    api: dict[str, Any] | None = None
    """The contact as HighLevel has it, when this run read it (changed or just matched)."""
    created: dict[str, Any] | None = None
    """The contact this run created for the topic."""


class SyncRun:
    """State that every step of a run shares: the map, the rules, the links and the report."""

    def __init__(
        self,
        mindmap: MindMap,
        mapping: Mapping,
        links: LinkStore,
        call: Call,
        options: SyncOptions,
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.map = mindmap
        self.mapping = mapping
        self.links = links
        self._call = call
        self.options = options
        self.flows = options.flows
        self.progress = progress
        self.zone = map_timezone(mapping.timezone)
        self.report = SyncReport(map=str(mindmap.path or "new map"), dry_run=options.dry_run)
        self._placeholders = 0
        self._tasks_by_contact: dict[str, list[dict[str, Any]]] | None = None
        self._gate = asyncio.Semaphore(max(1, options.concurrency))

    # -- API access ---------------------------------------------------------------------------

    async def api(self, operation: str, data: dict[str, Any], topic: str | None) -> Any:
        """Run a catalogued operation; in a dry run, writes are only recorded."""
        method, path, write = planned_call(operation)
        if self.options.dry_run:
            self.report.call(operation, method, path, topic, write)
            if write:
                return self._placeholder(operation, data)
        token = request_subject.set(topic)
        try:
            return await self._call(operation, data)
        finally:
            request_subject.reset(token)

    def _placeholder(self, operation: str, data: dict[str, Any]) -> dict[str, Any]:
        self._placeholders += 1
        record_id = f"planned-{self._placeholders}"
        return {"id": record_id, **data, "tags": data.get("tags", [])}

    def remember_tasks(self, contact_id: str, tasks: list[dict[str, Any]]) -> None:
        if self._tasks_by_contact is None:
            self._tasks_by_contact = {}
        self._tasks_by_contact[contact_id] = list(tasks)

    def _edit(self, topic: Topic, properties: dict[str, str]) -> None:
        if not self.options.dry_run:
            topic.set_properties(properties)
        for name, value in properties.items():
            self.report.edit(topic_label(topic), oid_of(topic), f"property {name!r} = {value!r}")


def oid_of(topic: Topic) -> str:
    """Return the topic's OId (``SyncEngine.run`` gives every topic of the branch one first)."""
    return topic.oid or ""


def give_oids(mindmap: MindMap, branch: Topic) -> None:
    """Give a fresh OId to each topic under ``branch`` that MindManager wrote without one."""
    pending = [branch]
    while pending:
        topic = pending.pop()
        if topic.oid is None:
            topic.element.set("OId", mindmap.new_oid())
            mindmap.mark_changed()
        pending.extend(topic.subtopics)


def addresses(topic: Topic, wanted: str) -> bool:
    """Tell whether ``wanted`` (an OId or a path of texts) names the contact topic or a child."""
    if wanted in (topic.oid, topic_label(topic)):
        return True
    return any(wanted in (child.oid, topic_label(child)) for child in topic.subtopics)


def property_value(topic: Topic, name: str) -> str | None:
    prop = topic.properties.get(name)
    if prop is None or prop.value in (None, ""):
        return None
    return str(prop.value)


def field_equal(name: str, left: Any, right: Any) -> bool:
    if left in ("", None, []) and right in ("", None, []):
        return True
    if name == "dueDate":
        return same_instant(left, right)
    if name == "email" and isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()
    if isinstance(left, str) and isinstance(right, str):
        return left.strip() == right.strip()
    return bool(left == right)
