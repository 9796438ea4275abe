"""Request DTOs: the properties each endpoint accepts, taken from HighLevel's official DTOs.

Every DTO forbids undeclared properties, so the sandbox rejects what HighLevel rejects, for
example ``gender`` or ``additionalEmails`` on ``PUT /contacts/{contactId}``. Bodies are
checked strictly (no "true" for true); query strings are text, so their numbers convert.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from typing import Any, Literal
from zoneinfo import available_timezones

import phonenumbers
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from mapbridge.sandbox.ids import format_timestamp, parse_timestamp

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_BIRTH_DATE_FORMATS = (
    "%Y/%m/%d", "%m/%d/%Y", "%Y-%m-%d", "%m-%d-%Y", "%Y.%m.%d", "%m.%d.%Y", "%Y_%m_%d", "%m_%d_%Y",
)  # fmt: skip


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def to_e164(text: str, region: str) -> str:
    """Return the phone number in E.164 form; ``region`` applies when it lacks a ``+``."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise ValueError(
            f"must be a valid phone number; {text!r} cannot be read as one. Send it with "
            "the country code, such as +1 888-888-8888 or +18888888888"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class Dto(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class QueryDto(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- contacts ----------------------------------------------------------------------------


class DndChannel(Dto):
    status: Literal["active", "inactive", "permanent"]
    message: str | None = None
    code: str | None = None


class DndSettings(Dto):
    Call: DndChannel | None = None
    Email: DndChannel | None = None
    SMS: DndChannel | None = None
    WhatsApp: DndChannel | None = None
    GMB: DndChannel | None = None
    FB: DndChannel | None = None


class InboundDndChannel(Dto):
    status: Literal["active", "inactive"]
    message: str | None = None


class InboundDndSettings(Dto):
    all: InboundDndChannel | None = None


class CustomFieldValue(Dto):
    """One custom field write: ``id`` or ``key`` and the value (``field_value``).

    ``fieldValue`` is taken as well, since HighLevel's API accepts that spelling too.
    """

    id: str | None = None
    key: str | None = None
    field_value: str | int | float | list[str] | dict[str, Any] | None = Field(
        default=None, validation_alias=AliasChoices("field_value", "fieldValue")
    )

    @model_validator(mode="after")
    def _needs_id_or_key(self) -> CustomFieldValue:
        if not self.id and not self.key:
            raise ValueError("needs the id or the key of a custom field")
        return self


class ContactBody(Dto):
    """Properties common to create, update and upsert."""

    firstName: str | None = None
    lastName: str | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    address1: str | None = None
    city: str | None = None
    state: str | None = None
    postalCode: str | None = None
    website: str | None = None
    timezone: str | None = None
    dnd: bool | None = None
    dndSettings: DndSettings | None = None
    inboundDndSettings: InboundDndSettings | None = None
    tags: list[str] | None = None
    customFields: list[CustomFieldValue] | None = None
    source: str | None = None
    dateOfBirth: str | None = None
    country: str | None = None
    companyName: str | None = None
    assignedTo: str | None = None

    @field_validator(
        "postalCode",
        "dnd",
        "dndSettings",
        "inboundDndSettings",
        "tags",
        "customFields",
        "country",
        mode="before",
    )
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # The official DTOs declare these properties without "nullable".
        if value is None:
            raise ValueError("should not be null")
        return value

    @field_validator("email")
    @classmethod
    def _check_email(cls, value: str | None) -> str | None:
        if value is not None and value != "" and not _EMAIL.match(value.strip()):
            raise ValueError("must be an email")
        return value.strip() if value else value

    @field_validator("phone")
    @classmethod
    def _check_phone(cls, value: str | None, info: ValidationInfo) -> str | None:
        if not value:
            return value
        region = (info.context or {}).get("region", "US")
        return to_e164(value, region)

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str | None) -> str | None:
        if value and value not in _time_zones():
            raise ValueError("must be a valid IANA time zone name such as America/Chicago")
        return value

    @field_validator("country")
    @classmethod
    def _check_country(cls, value: str | None) -> str | None:
        if value is not None and not _COUNTRY.match(value):
            raise ValueError("must be a two-letter ISO 3166-1 country code such as US")
        return value

    @field_validator("dateOfBirth")
    @classmethod
    def _check_birth_date(cls, value: str | None) -> str | None:
        if not value:
            return value
        for layout in _BIRTH_DATE_FORMATS:
            try:
                return datetime.strptime(value.strip(), layout).strftime("%Y-%m-%d")
            except ValueError:
                continue
        raise ValueError("must be a date such as 1990-09-25 (YYYY-MM-DD, MM/DD/YYYY and similar)")

    def to_changes(self) -> dict[str, Any]:
        """Return the given properties as store changes; custom fields as {id, key, value}."""
        changes = self.model_dump(
            exclude_unset=True, exclude={"locationId", "createNewIfDuplicateAllowed"}
        )
        if self.dndSettings is not None:
            changes["dndSettings"] = self.dndSettings.model_dump(exclude_none=True)
        if self.inboundDndSettings is not None:
            changes["inboundDndSettings"] = self.inboundDndSettings.model_dump(exclude_none=True)
        if self.customFields is not None:
            changes["customFields"] = [
                {"id": entry.id, "key": entry.key, "value": entry.field_value}
                for entry in self.customFields
            ]
        return changes


class CreateContactBody(ContactBody):
    locationId: str
    gender: str | None = None

    @field_validator("gender", "source", "assignedTo", mode="before")
    @classmethod
    def _not_null_on_create(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("should not be null")
        return value


class UpdateContactBody(ContactBody):
    """``UpdateContactDto``. It also takes ``companyName``: the official DTO lacks it, but the
    live API accepts it on update."""


class UpsertContactBody(CreateContactBody):
    createNewIfDuplicateAllowed: bool = False


# -- tasks, notes, tags, followers -------------------------------------------------------


def _iso_due_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return format_timestamp(parse_timestamp(value))
    except ValueError:
        raise ValueError(
            "must be a valid ISO 8601 date string such as 2020-10-25T11:00:00Z"
        ) from None


class CreateTaskBody(Dto):
    title: str = Field(min_length=1)
    body: str | None = None
    dueDate: str
    completed: bool
    assignedTo: str | None = None

    _check_due_date = field_validator("dueDate")(_iso_due_date)


class UpdateTaskBody(Dto):
    title: str | None = Field(default=None, min_length=1)
    body: str | None = None
    dueDate: str | None = None
    completed: bool | None = None
    assignedTo: str | None = None

    _check_due_date = field_validator("dueDate")(_iso_due_date)


class TaskCompletedBody(Dto):
    completed: bool


class CreateNoteBody(Dto):
    body: str = Field(min_length=1)
    userId: str | None = None
    title: str | None = None
    color: str | None = None
    pinned: bool | None = None


class UpdateNoteBody(Dto):
    body: str | None = Field(default=None, min_length=1)
    userId: str | None = None
    title: str | None = None
    color: str | None = None
    pinned: bool | None = None


class TagsBody(Dto):
    tags: list[str]


class FollowersBody(Dto):
    followers: list[str]


class TagNameBody(Dto):
    name: str = Field(min_length=1)


class TaskSearchBody(Dto):
    contactId: list[str] | None = None
    completed: bool | None = None
    assignedTo: list[str] | None = None
    query: str | None = None
    limit: int = Field(default=25, ge=1, le=1000)
    skip: int = Field(default=0, ge=0)
    businessId: str | None = None


# -- contact search and lookups ----------------------------------------------------------


class SearchBody(Dto):
    locationId: str
    pageLimit: int = Field(ge=1, le=500)
    page: int | None = Field(default=None, ge=1)
    searchAfter: list[str | int | float] | None = None
    filters: list[Any] = Field(default_factory=list)
    sort: list[dict[str, Any]] = Field(default_factory=list)
    query: str | None = None


class DuplicateQuery(QueryDto):
    locationId: str
    number: str | None = None
    email: str | None = None


class ListContactsQuery(QueryDto):
    locationId: str
    startAfterId: str | None = None
    startAfter: int | None = None
    query: str | None = None
    limit: int = Field(default=20, ge=1, le=100)


class NoQuery(QueryDto):
    """An endpoint that declares no query parameters."""
