"""Mapping rules: which topics are contacts and tasks, and which topic data feeds which API field.

The default works on a map a person would draw. A branch called "Leads" or "Contacts" under the
central topic holds one contact topic per person, named by full name. Topic properties "Email",
"Phone", "Company" and so on carry contact fields, text labels become tags, and subtopics with
task info are tasks. A mapping file (JSON, format in ``schemas/sync/mapping.schema.json``) overrides any part.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mapbridge.catalog.schemas import violations
from mapbridge.errors import InputError

MAPPING_SCHEMA = "schemas/sync/mapping.schema.json"

DEFAULT_PROPERTIES = {
    "Email": "email",
    "E-mail": "email",
    "Phone": "phone",
    "Company": "companyName",
    "Website": "website",
    "Address": "address1",
    "City": "city",
    "State": "state",
    "Postal Code": "postalCode",
    "Country": "country",
    "Source": "source",
    "Birthday": "dateOfBirth",
    "Time Zone": "timezone",
}

CONTACT_FIELDS = frozenset(
    {
        "email",
        "phone",
        "companyName",
        "website",
        "address1",
        "city",
        "state",
        "postalCode",
        "country",
        "source",
        "dateOfBirth",
        "timezone",
        "firstName",
        "lastName",
    }
)


class IdProperties(BaseModel):
    """Names of the topic properties where the sync writes HighLevel ids back into the map."""

    model_config = ConfigDict(extra="forbid")

    contact: str = "HighLevel Contact ID"
    task: str = "HighLevel Task ID"
    note: str = "HighLevel Note ID"


class TaskRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: Literal["task_info", "all_subtopics", "label"] = "task_info"
    label: str | None = None
    default_due_days: int | None = Field(default=None, ge=0)


class LabelRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ignore: list[str] = Field(default_factory=list)
    rename: dict[str, str] = Field(default_factory=dict)


class Milestone(BaseModel):
    """A condition on a contact in the API and the task topic it earns in the map."""

    model_config = ConfigDict(extra="forbid")

    name: str
    tag: str | None = None
    custom_field: str | None = None
    equals: Any = None
    task_title: str
    due_in_days: int = Field(default=1, ge=0)
    priority: int | None = Field(default=None, ge=1, le=9)


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contacts_branch: list[str] = Field(default_factory=lambda: ["Leads", "Contacts"])
    name_split: Literal["last_space", "first_space", "whole_first"] = "last_space"
    properties: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_PROPERTIES))
    custom_fields: dict[str, str] = Field(default_factory=dict)
    ids: IdProperties = Field(default_factory=IdProperties)
    tasks: TaskRule = Field(default_factory=TaskRule)
    labels: LabelRule = Field(default_factory=LabelRule)
    notes: Literal["subtopics", "off"] = "subtopics"
    push_topic_notes: bool = True
    default_country: str = "US"
    timezone: str | None = None
    milestones: list[Milestone] = Field(default_factory=list)

    def field_for_property(self, name: str) -> str | None:
        lowered = {key.casefold(): value for key, value in self.properties.items()}
        return lowered.get(name.casefold())

    def property_for_field(self, field: str) -> str | None:
        for name, target in self.properties.items():
            if target == field:
                return name
        return None

    def tag_for_label(self, label: str) -> str | None:
        """Return the tag a text label becomes, or None for an ignored label."""
        if label.casefold() in {name.casefold() for name in self.labels.ignore}:
            return None
        for name, tag in self.labels.rename.items():
            if name.casefold() == label.casefold():
                return tag
        return label

    def label_for_tag(self, tag: str) -> str:
        for label, renamed in self.labels.rename.items():
            if renamed.casefold() == tag.casefold():
                return label
        return tag

    def ignores_tag(self, tag: str) -> bool:
        """Tell whether a HighLevel tag stays out of the sync (it maps to an ignored label)."""
        return self.tag_for_label(self.label_for_tag(tag)) is None


def load_mapping(path: Path | None) -> Mapping:
    """Read a mapping file, reporting every schema violation; None gives the default mapping."""
    if path is None:
        return Mapping()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(
            f"Cannot read the mapping file {path}: {error.strerror}. Check the --mapping path."
        ) from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"The mapping file {path} is not valid JSON: {error.msg} at line {error.lineno}."
        ) from None
    found = violations(MAPPING_SCHEMA, data, "mapping")
    if found:
        raise InputError(
            f"The mapping file {path} is invalid. See docs/mindmanager-mapping.md.", found
        )
    return Mapping.model_validate(data)


def split_name(text: str, rule: str) -> dict[str, str]:
    """Split a contact topic's text into firstName and lastName."""
    line = text.strip().splitlines()[0].strip() if text.strip() else ""
    if not line:
        return {}
    if "," in line and rule != "whole_first":
        last, _, first = line.partition(",")
        return _name(first.strip(), last.strip())
    if rule == "whole_first" or " " not in line:
        return {"firstName": line}
    if rule == "first_space":
        first, _, last = line.partition(" ")
    else:
        first, _, last = line.rpartition(" ")
    return _name(first.strip(), last.strip())


def _name(first: str, last: str) -> dict[str, str]:
    parts = {}
    if first:
        parts["firstName"] = first
    if last:
        parts["lastName"] = last
    return parts


def join_name(first: str | None, last: str | None) -> str:
    return " ".join(part for part in (first, last) if part)
