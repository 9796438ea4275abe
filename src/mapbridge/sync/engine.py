"""The sync engine: one map and one HighLevel location kept in step.

A run reads the contact branch and resolves each contact topic's link: by OId, or by the contact
id property when MindManager gave the topic a new OId. It reads what changed in the API since the
last run and merges both sides field by field against the last synced values. Then it sends only
the changes, edits the map in place and saves it once, atomically. Every create is preceded by a
durable intent, so a run killed at any point is finished by the next run without duplicates.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from mapbridge.errors import (
    ApiError,
    InputError,
    MapConflictError,
    NotFound,
    OutputError,
    PermissionDenied,
)
from mapbridge.mindmanager import Topic
from mapbridge.sync.contacts import ContactSteps
from mapbridge.sync.links import Link
from mapbridge.sync.notes import NoteSteps
from mapbridge.sync.report import SyncReport
from mapbridge.sync.run import (
    CONTACT,
    CURSOR_OVERLAP,
    FLOWS,
    ContactState,
    Flows,
    SyncOptions,
    SyncRun,
    addresses,
    give_oids,
    oid_of,
    property_value,
)
from mapbridge.sync.tasks import TaskSteps
from mapbridge.sync.topics import find_contact_branch, read_contact, topic_label

logger = logging.getLogger(__name__)

__all__ = ["FLOWS", "Flows", "SyncEngine", "SyncOptions", "SyncRun"]


class SyncEngine(ContactSteps, TaskSteps, NoteSteps):
    """Runs the flows of one sync over a map's contact branch."""

    async def run(self) -> SyncReport:
        started = datetime.now(UTC)
        branch = find_contact_branch(self.map, self.mapping)
        if branch is None:
            names = ", ".join(repr(name) for name in self.mapping.contacts_branch)
            self.report.problem(
                None,
                None,
                f"no contact branch: the map has no branch named {names} under the central "
                "topic. Rename a branch or name yours in a mapping file (contacts_branch).",
            )
            return self.report

        await self._resolve_custom_fields()
        give_oids(self.map, branch)
        states = self._resolve(branch)
        await self._read_api(states)
        done = 0
        total = len(states)

        async def one(state: ContactState) -> None:
            nonlocal done
            async with self._gate:
                await self._sync_contact(state)
            done += 1
            if self.progress:
                self.progress(done, total)

        await asyncio.gather(*(one(state) for state in states))
        self._finish(started)
        return self.report

    async def _resolve_custom_fields(self) -> None:
        """Replace custom field keys in the mapping by ids, which the API reads and writes."""
        wanted = self.mapping.custom_fields
        if not wanted:
            return
        try:
            listed = await self.api("list_custom_fields", {"model": "contact"}, None)
        except (ApiError, PermissionDenied) as error:
            self.report.problem(
                None,
                None,
                f"custom fields cannot be resolved ({error.message}); their properties are "
                "sent by key and not read back",
            )
            return
        by_key = {str(field.get("fieldKey")): str(field["id"]) for field in listed["customFields"]}
        ids = set(by_key.values())
        resolved = {}
        for name, key in wanted.items():
            field_id = key if key in ids else by_key.get(key)
            if field_id is None:
                self.report.problem(
                    None,
                    None,
                    f"custom field {key!r} (topic property {name!r}) does not exist in "
                    "HighLevel; create it there or fix custom_fields in the mapping",
                )
                continue
            resolved[name] = field_id
        self.mapping = self.mapping.model_copy(update={"custom_fields": resolved})

    def _finish(self, started: datetime) -> None:
        if self.options.dry_run:
            return
        if self.map.changed:
            try:
                self.map.save()
                self.report.map_saved = True
            except MapConflictError as error:
                # The links stay as they were, so the next run redoes this run's map edits and
                # finds this run's creates through their intents.
                self.report.problem(None, None, error.message)
                return
        self.links.save()
        if self.flows.pull_fields or self.flows.pull_tags:
            self.links.set_cursor((started - CURSOR_OVERLAP).isoformat())

    def _resolve(self, branch: Topic) -> list[ContactState]:
        """Match contact topics with their links; re-key links of topics whose OId changed."""
        claimed: set[str] = set()
        states = []
        for topic in branch.subtopics:
            if self.options.topic and not addresses(topic, self.options.topic):
                continue
            link = self.links.get(oid_of(topic), CONTACT)
            stored_id = property_value(topic, self.mapping.ids.contact)
            if link is None and stored_id:
                previous = self.links.by_record(CONTACT, stored_id)
                if previous is None:
                    link = Link(oid_of(topic), CONTACT, stored_id, None, {})
                elif self.map.find_by_oid(previous.oid) is None:
                    self._rekey(previous, oid_of(topic))
                    link = Link(oid_of(topic), CONTACT, stored_id, None, previous.synced)
                else:
                    self.report.problem(
                        topic_label(topic),
                        oid_of(topic),
                        f"this topic carries contact {stored_id}, which another topic is linked "
                        "to (a copied topic?); remove the contact id property from the copy to "
                        "create a contact for it",
                    )
                    continue
            if link is not None and link.record_id in claimed:
                self.report.problem(
                    topic_label(topic),
                    oid_of(topic),
                    f"another topic is already linked to contact {link.record_id} (a copied "
                    "topic?); remove the contact id property from one of them",
                )
                continue
            if link is not None:
                claimed.add(link.record_id)
            states.append(ContactState(topic, topic_label(topic), link))
        return states

    def _rekey(self, previous: Link, new_oid: str) -> None:
        """Move the links of a contact topic that MindManager gave a new OId."""
        self.links.rekey(previous.oid, new_oid)
        logger.info(
            "Topic %s now carries contact %s (its OId changed)", new_oid, previous.record_id
        )

    async def _read_api(self, states: list[ContactState]) -> None:
        """Read the linked contacts that changed since the last run, and their tasks."""
        linked = [state for state in states if state.link is not None]
        if not linked or not (
            self.flows.pull_fields
            or self.flows.pull_tags
            or self.flows.pull_tasks
            or self.flows.pull_notes
            or self.flows.milestones
        ):
            return
        cursor = None if self.options.full else self.links.cursor()
        # Contacts never merged yet, and those with an unsettled conflict, are always read.
        must_get = [
            state
            for state in linked
            if state.link is not None
            and (not state.link.synced or state.link.synced.get("conflicts"))
        ]
        if cursor is None or self.options.topic:
            must_get = linked
        else:
            found = await self.api(
                "search_contacts",
                {
                    "filters": [
                        {"field": "dateUpdated", "operator": "range", "value": {"gte": cursor}}
                    ],
                },
                None,
            )
            changed = {contact["id"]: contact for contact in found.get("contacts", [])}
            for state in linked:
                assert state.link is not None
                contact = changed.get(state.link.record_id)
                # A contact whose dateUpdated is the one our last write returned is unchanged.
                if contact and contact.get("dateUpdated") != state.link.synced.get("dateUpdated"):
                    state.api = contact
        await asyncio.gather(*(self._get_contact(state) for state in must_get))
        if self.flows.pull_tasks or self.flows.push_tasks:
            ids = [s.link.record_id for s in linked if s.link is not None]
            await self._read_tasks(ids)

    async def _read_tasks(self, contact_ids: list[str]) -> None:
        grouped: dict[str, list[dict[str, Any]]] = {cid: [] for cid in contact_ids}
        for start in range(0, len(contact_ids), 100):
            chunk = contact_ids[start : start + 100]
            result = await self.api("search_location_tasks", {"contactId": chunk}, None)
            for task in result.get("tasks", []):
                if task.get("contactId") in grouped:
                    grouped[task["contactId"]].append(task)
        self._tasks_by_contact = grouped

    async def _sync_contact(self, state: ContactState) -> None:
        if state.api is not None and state.api.get("deleted"):
            return
        values = read_contact(state.topic, self.mapping)
        if values.problems:
            for message in values.problems:
                self.report.problem(state.label, oid_of(state.topic), message)
            self.report.counts["contacts_skipped"] += 1
            return
        try:
            if state.link is None:
                contact_id = await self._create_contact(state, values.fields, values.tags)
            else:
                contact_id = await self._update_contact(state, values.fields, values.tags)
            if contact_id is None:
                return
            await self._milestones(state, contact_id)
            await self._sync_tasks(state, contact_id)
            await self._sync_notes(state, contact_id)
        except NotFound as error:
            self.report.problem(
                state.label,
                oid_of(state.topic),
                f"a record of this contact was deleted in HighLevel ({error.operation}); the "
                "topic is left as it is",
            )
        except (ApiError, InputError, OutputError) as error:
            # One topic's bad value or failed request must not stop the rest of the map.
            self.report.problem(state.label, oid_of(state.topic), error.message)
