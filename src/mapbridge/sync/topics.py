"""Reading contact and task values out of topics, and writing API values back into them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from mapbridge.mindmanager import MindMap, Topic
from mapbridge.sync.mapping import Mapping, join_name, split_name
from mapbridge.sync.normalize import (
    ValueProblem,
    api_to_local,
    check_email,
    local_to_api,
    to_e164,
)

CUSTOM_PREFIX = "custom:"


def topic_label(topic: Topic) -> str:
    """Name a topic for messages: its path of texts below the central topic."""
    path = [part for part in topic.path[1:] if part] or [topic.text or topic.oid or "(topic)"]
    return " / ".join(part.splitlines()[0] if part else "(no text)" for part in path)


def find_contact_branch(mindmap: MindMap, mapping: Mapping) -> Topic | None:
    """Return the first branch whose name (or path below the central topic) the mapping lists.

    Floating topics count as branches too: some maps keep all their content in one.
    """
    central = mindmap.central_topic
    for wanted in mapping.contacts_branch:
        parts = [part.strip().casefold() for part in wanted.split("/") if part.strip()]
        found = _walk(central, parts)
        if found is not None:
            return found
    return None


def _walk(topic: Topic, parts: list[str]) -> Topic | None:
    if not parts:
        return topic
    for child in [*topic.subtopics, *topic.floating_topics]:
        if (child.text or "").strip().casefold() == parts[0]:
            result = _walk(child, parts[1:])
            if result is not None:
                return result
    return None


@dataclass
class ContactValues:
    fields: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_contact(topic: Topic, mapping: Mapping) -> ContactValues:
    """Collect a contact topic's fields (normalised) and tags, and what is wrong with them."""
    values = ContactValues()
    values.fields.update(split_name(topic.text or "", mapping.name_split))
    for name, prop in topic.properties.items():
        raw = "" if prop.value is None else str(prop.value).strip()
        target = mapping.field_for_property(name)
        if target is not None and raw:
            try:
                values.fields[target] = normalize_field(target, raw, mapping)
            except ValueProblem as problem:
                values.problems.append(f"property {name!r}: {problem}")
        elif name in mapping.custom_fields and raw:
            values.fields[CUSTOM_PREFIX + mapping.custom_fields[name]] = raw
    for label in topic.labels:
        tag = mapping.tag_for_label(label)
        if tag:
            values.tags.append(tag)
    return values


def normalize_field(target: str, raw: str, mapping: Mapping) -> str:
    if target == "email":
        return check_email(raw).lower()
    if target == "phone":
        return to_e164(raw, mapping.default_country)
    if target == "country":
        code = raw.strip().upper()
        if len(code) != 2 or not code.isalpha():
            raise ValueProblem(
                f"country {raw!r} must be a two-letter ISO 3166 code, such as DE or US"
            )
        return code
    return raw


def api_contact_values(contact: dict[str, Any], mapping: Mapping) -> ContactValues:
    """Collect the mapped fields and tags of an API contact, in the same shape as the map's."""
    values = ContactValues()
    mapped = set(mapping.properties.values()) | {"firstName", "lastName"}
    for name in mapped:
        value = contact.get(name)
        if value not in (None, ""):
            values.fields[name] = value.lower() if name == "email" else value
    by_id = {item.get("id"): item.get("value") for item in contact.get("customFields") or []}
    for key in mapping.custom_fields.values():
        if key in by_id and by_id[key] not in (None, ""):
            values.fields[CUSTOM_PREFIX + key] = str(by_id[key])
    values.tags = [tag for tag in contact.get("tags") or [] if not mapping.ignores_tag(tag)]
    return values


def contact_body(fields: dict[str, Any]) -> dict[str, Any]:
    """Turn merged field values into a create or update body (custom fields as a list).

    A field cleared in the map (None) is sent as an empty string, which clears it in HighLevel.
    """
    body: dict[str, Any] = {}
    custom = []
    for name, raw in fields.items():
        value = "" if raw is None else raw
        if name.startswith(CUSTOM_PREFIX):
            key = name[len(CUSTOM_PREFIX) :]
            id_or_key = "id" if "." not in key else "key"
            custom.append({id_or_key: key, "field_value": value})
        else:
            body[name] = value
    if custom:
        body["customFields"] = custom
    return body


def write_contact_fields(topic: Topic, changes: dict[str, Any], mapping: Mapping) -> list[str]:
    """Write API values into the topic; return a description of each edit."""
    edits = []
    if "firstName" in changes or "lastName" in changes:
        current = split_name(topic.text or "", mapping.name_split)
        first = changes.get("firstName", current.get("firstName"))
        last = changes.get("lastName", current.get("lastName"))
        text = join_name(first, last)
        if text and text != topic.text:
            topic.text = text
            edits.append(f"text = {text!r}")
    properties: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("firstName", "lastName"):
            continue
        if name.startswith(CUSTOM_PREFIX):
            key = name[len(CUSTOM_PREFIX) :]
            prop = next((p for p, k in mapping.custom_fields.items() if k == key), None)
        else:
            prop = mapping.property_for_field(name)
        if prop is not None:
            properties[prop] = "" if value is None else str(value)
    if properties:
        topic.set_properties(properties)
        edits += [f"property {name!r} = {value!r}" for name, value in properties.items()]
    return edits


@dataclass
class TaskValues:
    fields: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def is_task_topic(topic: Topic, mapping: Mapping) -> bool:
    properties = topic.properties
    if mapping.ids.note in properties:
        return False
    if mapping.ids.task in properties:
        return True
    rule = mapping.tasks.rule
    if rule == "all_subtopics":
        return True
    if rule == "label":
        wanted = (mapping.tasks.label or "task").casefold()
        return any(label.casefold() == wanted for label in topic.labels)
    return topic.task is not None


def read_task(
    topic: Topic, mapping: Mapping, zone: tzinfo, today: datetime, *, linked: bool = False
) -> TaskValues:
    """Collect a task topic's fields. The mapping's default due date applies to new tasks only,
    so a linked task keeps the date it was created with."""
    values = TaskValues()
    title = (topic.text or "").strip()
    if not title:
        values.problems.append("task topic has no text: give it a title")
    values.fields["title"] = title
    task = topic.task
    due = task.due if task else None
    if due is None and linked:
        pass
    elif due is None and mapping.tasks.default_due_days is not None:
        due = (today + timedelta(days=mapping.tasks.default_due_days)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
    if due is None and not linked:
        values.problems.append(
            "task topic has no due date: set one in its task info (or default_due_days in the "
            "mapping)"
        )
    elif due is not None:
        values.fields["dueDate"] = local_to_api(due, zone)
    values.fields["completed"] = bool(task and task.percentage == 100)
    notes = (topic.notes or "").strip()
    if notes:
        values.fields["body"] = notes
    return values


def api_task_values(task: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": (task.get("title") or "").strip(),
        "completed": bool(task.get("completed")),
    }
    if task.get("dueDate"):
        values["dueDate"] = task["dueDate"]
    if task.get("body"):
        values["body"] = str(task["body"]).strip()
    return values


def write_task_fields(topic: Topic, changes: dict[str, Any], zone: tzinfo) -> list[str]:
    edits = []
    if "title" in changes and changes["title"] and changes["title"] != topic.text:
        topic.text = changes["title"]
        edits.append(f"text = {changes['title']!r}")
    task_update: dict[str, Any] = {}
    if changes.get("dueDate"):
        task_update["due"] = api_to_local(changes["dueDate"], zone)
    if "completed" in changes:
        current = topic.task.percentage if topic.task else None
        if changes["completed"]:
            task_update["percentage"] = 100
        elif current == 100:
            task_update["percentage"] = 0
    if task_update:
        topic.set_task(**task_update)
        edits += [f"task {name} = {value}" for name, value in task_update.items()]
    if "body" in changes:
        topic.notes = changes["body"] or ""
        edits.append("notes replaced")
    return edits


def note_title(body: str) -> str:
    first = next((line.strip() for line in body.splitlines() if line.strip()), "Note")
    return first if len(first) <= 60 else first[:57].rstrip() + "..."
