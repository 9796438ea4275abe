"""Filling a sandbox location with realistic, made-up contacts and their activity.

The same ``random_seed`` gives the same people, ids, tags and custom field values. Dates are
laid out relative to ``now`` (by default the start of the current UTC day), so due dates stay
a mix of overdue and upcoming whenever the data is made. Seeding again with the same seed
replaces the records it made before instead of adding copies.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from mapbridge.sandbox.config import SANDBOX_LOCATION_ID, SandboxConfig
from mapbridge.sandbox.ids import format_timestamp, new_id
from mapbridge.sandbox.problems import NotFoundProblem
from mapbridge.sandbox.store import SandboxStore

logger = logging.getLogger(__name__)

FIRST_NAMES = (
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "Mateo", "Isabella", "Lucas",
    "Mia", "Amelia", "James", "Harper", "Benjamin", "Aisha", "Wei", "Priya", "Kenji", "Fatima",
    "Carlos", "Ingrid", "Tomás", "Chloé", "Dmitri", "Grace", "Omar", "Hannah", "Santiago", "Yuki",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Johnson", "Garcia", "Nguyen", "Patel", "Kim", "Müller", "Rossi", "Okafor", "Silva",
    "Brown", "Martinez", "Anderson", "Cohen", "Tanaka", "Dubois", "Novak", "O'Brien", "Haddad",
    "Larsen", "Fischer", "Moreau", "Kowalski", "Reyes", "Chen", "Walker", "Ibrahim", "Lopez",
)  # fmt: skip
COMPANIES = (
    ("Northwind Dental", "northwind-dental.example"),
    ("Bluebird Realty", "bluebird-realty.example"),
    ("Summit Fitness", "summit-fitness.example"),
    ("Harbor Law Group", "harborlaw.example"),
    ("Maple Street Bakery", "maplestreetbakery.example"),
    ("Pioneer Roofing", "pioneer-roofing.example"),
    ("Lumen Marketing", "lumen-marketing.example"),
    ("Cedar Veterinary Clinic", "cedarvet.example"),
    ("Atlas Logistics", "atlas-logistics.example"),
    ("Evergreen Insurance", "evergreen-insurance.example"),
)
CITIES = (
    ("Chicago", "IL", "312", "60601", "America/Chicago"),
    ("Austin", "TX", "512", "78701", "America/Chicago"),
    ("Denver", "CO", "303", "80202", "America/Denver"),
    ("Seattle", "WA", "206", "98101", "America/Los_Angeles"),
    ("Boston", "MA", "617", "02108", "America/New_York"),
    ("Miami", "FL", "305", "33130", "America/New_York"),
    ("Phoenix", "AZ", "602", "85004", "America/Phoenix"),
    ("Portland", "OR", "503", "97204", "America/Los_Angeles"),
)
STREETS = ("Main St", "Oak Ave", "Maple Dr", "Lakeview Rd", "Cedar Ln", "Park Blvd", "2nd St")
TAGS = ("lead", "customer", "VIP", "newsletter", "webinar-2024", "referral", "cold", "follow-up")
SOURCES = ("website form", "public api", "referral", "facebook ad", "trade show", "manual")
TASK_TITLES = (
    "Call back about the quote", "Send the proposal", "Schedule a demo", "Follow up on invoice",
    "Confirm the appointment", "Ask for a review", "Check in after onboarding",
)  # fmt: skip
NOTE_BODIES = (
    "Prefers email over phone calls.", "Asked about the annual plan pricing.",
    "Met at the spring trade show; interested in a group discount.",
    "Renewal is due next quarter.", "Referred by an existing customer.",
)  # fmt: skip
CUSTOM_FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Preferred Contact Method", "SINGLE_OPTIONS", ("Email", "Phone", "SMS")),
    ("Membership Level", "SINGLE_OPTIONS", ("Bronze", "Silver", "Gold")),
    ("Referral Source", "TEXT", ("Google", "Friend", "Podcast", "Newsletter")),
)
USERS = tuple(f"SandboxUser{n:09d}" for n in range(1, 5))
CALENDAR_ID = "SandboxCalendar00001"


@dataclass(frozen=True)
class SeedSummary:
    """How many records one seeding made, by kind."""

    location_id: str
    contacts: int
    tasks: int
    notes: int
    appointments: int
    tags: int
    custom_fields: int


def _start_of_day() -> datetime:
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _custom_field_ids(store: SandboxStore, location_id: str) -> list[tuple[str, tuple[str, ...]]]:
    existing = {field["name"]: field["id"] for field in store.list_custom_fields(location_id)}
    result: list[tuple[str, tuple[str, ...]]] = []
    for name, data_type, options in CUSTOM_FIELDS:
        field_id = (
            existing.get(name) or store.create_custom_field(location_id, name, data_type)["id"]
        )
        result.append((field_id, options))
    return result


def _person(
    rng: random.Random, index: int, fields: list[tuple[str, tuple[str, ...]]]
) -> dict[str, Any]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    company, domain = rng.choice(COMPANIES)
    city, state, area, postal, zone = rng.choice(CITIES)
    local = "".join(ch for ch in f"{first}.{last}".lower() if ch.isalnum() or ch == ".")
    person: dict[str, Any] = {
        "firstName": first,
        "lastName": last,
        "email": f"{local}{index}@{domain}",
        # Numbers in the 555 exchange are the customary made-up ones in North America.
        "phone": f"+1{area}555{index % 10_000:04d}",
        "companyName": company,
        "address1": f"{rng.randint(10, 9999)} {rng.choice(STREETS)}",
        "city": city,
        "state": state,
        "postalCode": postal,
        "country": "US",
        "timezone": zone,
        "website": f"https://{domain}",
        "source": rng.choice(SOURCES),
        "assignedTo": rng.choice(USERS),
        "tags": rng.sample(TAGS, rng.randint(0, 3)),
        "customFields": [
            {"id": field_id, "value": rng.choice(options)}
            for field_id, options in fields
            if rng.random() < 0.7
        ],
    }
    if rng.random() < 0.4:
        person["dateOfBirth"] = (
            f"{rng.randint(1950, 2002)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
    return person


def seed_store(
    store: SandboxStore,
    *,
    contacts: int = 50,
    random_seed: int = 7,
    location_id: str = SANDBOX_LOCATION_ID,
    now: datetime | None = None,
) -> SeedSummary:
    """Seed an open store (for example the one of a running server); see :func:`seed`."""
    if contacts < 0:
        raise ValueError(f"contacts is {contacts}; give 0 or more contacts to create.")
    try:
        store.get_location(location_id)
    except NotFoundProblem:
        raise ValueError(
            f"Location {location_id} does not exist in the sandbox database. Seed the default "
            f"location {SANDBOX_LOCATION_ID}, or create the location with "
            "SandboxStore.create_location() first."
        ) from None
    rng = random.Random(random_seed)
    anchor = now or _start_of_day()
    fields = _custom_field_ids(store, location_id)
    counts = {"tasks": 0, "notes": 0, "appointments": 0}

    for index in range(contacts):
        contact_id = new_id(rng)
        person = _person(rng, index, fields)
        added = anchor - timedelta(days=rng.uniform(1, 365))
        store.create_contact(
            location_id,
            person,
            contact_id=contact_id,
            now=format_timestamp(added),
            enforce_duplicate_rule=False,
        )
        if rng.random() < 0.3:
            store.add_followers(contact_id, rng.sample(USERS, rng.randint(1, 2)))

        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            due = anchor + timedelta(days=rng.randint(-20, 30), hours=rng.choice((9, 11, 14, 16)))
            store.create_task(
                contact_id,
                {
                    "title": rng.choice(TASK_TITLES),
                    "body": f"For {person['firstName']} {person['lastName']} at {person['companyName']}.",
                    "dueDate": format_timestamp(due),
                    "completed": due < anchor and rng.random() < 0.6,
                    "assignedTo": person["assignedTo"],
                },
                task_id=new_id(rng),
                now=format_timestamp(added),
            )
            counts["tasks"] += 1

        for _ in range(rng.choice((0, 1, 1, 2))):
            written = added + timedelta(days=rng.uniform(0, 30))
            store.create_note(
                contact_id,
                {
                    "body": rng.choice(NOTE_BODIES),
                    "userId": person["assignedTo"],
                    "pinned": rng.random() < 0.1,
                },
                note_id=new_id(rng),
                now=format_timestamp(min(written, anchor)),
            )
            counts["notes"] += 1

        if rng.random() < 0.3:
            start = anchor + timedelta(days=rng.randint(-14, 14), hours=rng.choice((9, 10, 13, 15)))
            store.create_appointment(
                contact_id,
                calendar_id=CALENDAR_ID,
                title=f"Consultation with {person['firstName']} {person['lastName']}",
                start_time=start.isoformat(),
                end_time=(start + timedelta(minutes=30)).isoformat(),
                status=rng.choice(("confirmed", "new", "showed", "cancelled")),
                assigned_user_id=person["assignedTo"],
                appointment_id=new_id(rng),
                now=format_timestamp(added),
            )
            counts["appointments"] += 1

    summary = SeedSummary(
        location_id=location_id,
        contacts=contacts,
        tasks=counts["tasks"],
        notes=counts["notes"],
        appointments=counts["appointments"],
        tags=len(store.list_tags(location_id)),
        custom_fields=len(fields),
    )
    logger.info("Seeded location %s: %s", location_id, summary)
    return summary


def seed(
    config: SandboxConfig,
    *,
    contacts: int = 50,
    random_seed: int = 7,
    location_id: str = SANDBOX_LOCATION_ID,
    now: datetime | None = None,
) -> SeedSummary:
    """Seed the database at ``config.db_path`` with ``contacts`` people and their activity.

    Raises ``ValueError`` when the config has no ``db_path``, because an in-memory database
    would vanish right after seeding; use :func:`seed_store` for a running server's store.
    """
    if config.db_path is None:
        raise ValueError(
            "SandboxConfig.db_path is None, so the seeded data would be lost at once. Set "
            "db_path to a file (default_db_path() is the CLI's), or call seed_store() on the "
            "store of a running sandbox."
        )
    store = SandboxStore(config.db_path)
    try:
        return seed_store(
            store, contacts=contacts, random_seed=random_seed, location_id=location_id, now=now
        )
    finally:
        store.close()
