"""Contact steps of a sync run: create (once), merge and update, milestones."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from mapbridge.errors import DuplicateContact, NotFound
from mapbridge.sync.links import Link
from mapbridge.sync.merge import merge_fields, merge_sets
from mapbridge.sync.run import (
    CONTACT,
    MILESTONE,
    ContactState,
    SyncRun,
    field_equal,
    oid_of,
    property_value,
)
from mapbridge.sync.topics import api_contact_values, contact_body, write_contact_fields

logger = logging.getLogger(__name__)


class ContactSteps(SyncRun):
    async def _get_contact(self, state: ContactState) -> None:
        assert state.link is not None
        try:
            result = await self.api("get_contact", {"contactId": state.link.record_id}, state.label)
        except NotFound:
            self.report.problem(
                state.label,
                oid_of(state.topic),
                f"contact {state.link.record_id} was deleted in HighLevel; the topic is left as "
                "it is (remove its contact id property to create the contact again)",
            )
            state.link = None
            state.api = {"deleted": True}
            return
        state.api = result

    async def _create_contact(
        self, state: ContactState, fields: dict[str, Any], tags: list[str]
    ) -> str | None:
        if not self.flows.create_contacts or not self.flows.push_fields:
            return None
        topic = state.topic
        intent = self.links.intent(oid_of(topic), CONTACT)
        if intent is not None:
            recovered = await self._recover_contact(state, intent.fingerprint)
            if recovered is not None:
                return recovered
        if self.options.dry_run and (fields.get("email") or fields.get("phone")):
            # A dry run sends no create, so it looks up the contact the create would run into.
            lookup = {name: fields[name] for name in ("email", "phone") if fields.get(name)}
            found = (await self.api("find_duplicate_contact", lookup, state.label)).get("contact")
            if found:
                return await self._adopt_contact(state, str(found["id"]), fields, tags)
        body = contact_body(fields)
        if tags:
            body["tags"] = tags
        if not self.options.dry_run:
            self.links.start_intent(oid_of(topic), CONTACT, {**fields, "tags": tags})
        try:
            contact = await self.api("create_contact", body, state.label)
        except DuplicateContact as duplicate:
            self.links.drop_intent(oid_of(topic), CONTACT)
            return await self._adopt_contact(state, duplicate.contact_id, fields, tags)
        state.created = contact
        self._link_contact(state, contact["id"], fields, tags, contact.get("dateUpdated"))
        self.report.counts["contacts_created"] += 1
        if tags:
            self.report.counts["tags_added"] += len(tags)
        return str(contact["id"])

    async def _adopt_contact(
        self, state: ContactState, contact_id: str, fields: dict[str, Any], tags: list[str]
    ) -> str | None:
        """Link the topic to the existing contact the location's duplicate rule matched."""
        self.report.counts["contacts_matched"] += 1
        state.link = Link(oid_of(state.topic), CONTACT, contact_id, None, {})
        await self._get_contact(state)
        if self.flows.push_tasks or self.flows.pull_tasks:
            # The existing contact may already hold this topic's tasks: read them so the task
            # step links those instead of creating copies.
            listed = await self.api("list_contact_tasks", {"contactId": contact_id}, state.label)
            self.remember_tasks(contact_id, listed.get("tasks", []))
        return await self._update_contact(state, fields, tags)

    async def _recover_contact(
        self, state: ContactState, fingerprint: dict[str, Any]
    ) -> str | None:
        """After a crash between create and link, find the contact the earlier run created."""
        lookup: dict[str, Any] = {}
        for name in ("email", "phone"):
            if fingerprint.get(name):
                lookup[name] = fingerprint[name]
        found = None
        if lookup:
            result = await self._call("find_duplicate_contact", lookup)
            found = result.get("contact")
        elif fingerprint.get("firstName") or fingerprint.get("lastName"):
            query = " ".join(
                part for part in (fingerprint.get("firstName"), fingerprint.get("lastName")) if part
            )
            result = await self._call("search_contacts", {"query": query[:75], "limit": 20})
            for contact in result.get("contacts", []):
                if contact.get("firstName") == fingerprint.get("firstName") and contact.get(
                    "lastName"
                ) == fingerprint.get("lastName"):
                    found = contact
                    break
        if not found:
            return None
        tags = list(fingerprint.get("tags", []))
        fields = {k: v for k, v in fingerprint.items() if k != "tags"}
        self._link_contact(state, found["id"], fields, tags, found.get("dateUpdated"))
        self.report.counts["contacts_recovered"] += 1
        logger.info("Recovered contact %s created by an interrupted run", found["id"])
        return str(found["id"])

    def _link_contact(
        self,
        state: ContactState,
        contact_id: str,
        fields: dict[str, Any],
        tags: list[str],
        date_updated: str | None,
        *,
        conflicts: list[str] | None = None,
    ) -> None:
        """Store the link with the values both sides now agree on, and the id in the topic.

        Fields still in conflict are listed, so later runs read the contact until it is settled.
        """
        synced: dict[str, Any] = {
            "fields": fields,
            "tags": sorted(tags, key=str.casefold),
            "dateUpdated": date_updated,
        }
        if conflicts:
            synced["conflicts"] = conflicts
        if not self.options.dry_run:
            self.links.link(oid_of(state.topic), CONTACT, contact_id, synced)
        state.link = Link(oid_of(state.topic), CONTACT, contact_id, None, synced)
        if property_value(state.topic, self.mapping.ids.contact) != contact_id:
            self._edit(state.topic, {self.mapping.ids.contact: contact_id})

    async def _update_contact(
        self, state: ContactState, fields: dict[str, Any], tags: list[str]
    ) -> str | None:
        assert state.link is not None
        link = state.link
        contact_id = link.record_id
        base_fields = dict(link.synced.get("fields", {}))
        base_tags = list(link.synced.get("tags", []))
        has_base = bool(link.synced)
        theirs = api_contact_values(state.api, self.mapping) if state.api else None
        api_fields = theirs.fields if theirs else base_fields
        api_tags = theirs.tags if theirs else base_tags
        if not has_base:
            base_fields, base_tags = {}, []

        ours_fields = fields if self.flows.push_fields else base_fields
        if not self.flows.pull_fields:
            api_fields = base_fields
        merged = merge_fields(
            base_fields, ours_fields, api_fields, prefer=self.options.prefer, equal=field_equal
        )
        ours_tags = tags if self.flows.push_tags else base_tags
        tag_merge = merge_sets(
            base_tags, ours_tags, api_tags if self.flows.pull_tags else base_tags
        )

        for name, (map_value, api_value) in merged.conflicts.items():
            self.report.conflict(state.label, oid_of(state.topic), name, map_value, api_value)

        date_updated = link.synced.get("dateUpdated")
        to_api = dict(merged.to_api)
        if to_api:
            updated = await self.api(
                "update_contact", {"contactId": contact_id, **contact_body(to_api)}, state.label
            )
            if self.flows.pull_fields and self.flows.pull_tags:
                # Only a run that merged both directions may mark this version as seen,
                # because after a push alone the next sync must still read older HighLevel edits.
                date_updated = updated.get("dateUpdated", date_updated)
            self.report.counts["contacts_updated"] += 1
        if tag_merge.add_to_api:
            await self.api(
                "add_contact_tags",
                {"contactId": contact_id, "tags": tag_merge.add_to_api},
                state.label,
            )
            self.report.counts["tags_added"] += len(tag_merge.add_to_api)
        if tag_merge.remove_from_api:
            await self.api(
                "remove_contact_tags",
                {"contactId": contact_id, "tags": tag_merge.remove_from_api},
                state.label,
            )
            self.report.counts["tags_removed"] += len(tag_merge.remove_from_api)

        self._apply_contact_to_map(
            state, merged.to_map, tag_merge.add_to_map, tag_merge.remove_from_map
        )
        if not (
            to_api
            or tag_merge.add_to_api
            or tag_merge.remove_from_api
            or merged.to_map
            or tag_merge.add_to_map
            or tag_merge.remove_from_map
        ):
            self.report.counts["contacts_unchanged"] += 1

        synced_fields = dict(merged.merged)
        for name in merged.conflicts:
            if name in base_fields:
                synced_fields[name] = base_fields[name]
        self._link_contact(
            state,
            contact_id,
            synced_fields,
            tag_merge.merged,
            date_updated,
            conflicts=sorted(merged.conflicts),
        )
        return contact_id

    def _apply_contact_to_map(
        self, state: ContactState, fields: dict[str, Any], add: list[str], remove: list[str]
    ) -> None:
        topic = state.topic
        if fields:
            if self.options.dry_run:
                for name, value in fields.items():
                    self.report.edit(state.label, oid_of(topic), f"{name} = {value!r}")
            else:
                for change in write_contact_fields(topic, fields, self.mapping):
                    self.report.edit(state.label, oid_of(topic), change)
            self.report.counts["topics_updated"] += 1
        labels_add = [self.mapping.label_for_tag(tag) for tag in add]
        labels_remove = [self.mapping.label_for_tag(tag) for tag in remove]
        if labels_add:
            if not self.options.dry_run:
                topic.add_labels(labels_add)
            self.report.edit(state.label, oid_of(topic), f"labels added {labels_add}")
        if labels_remove:
            if not self.options.dry_run:
                topic.remove_labels(labels_remove)
            self.report.edit(state.label, oid_of(topic), f"labels removed {labels_remove}")

    async def _milestones(self, state: ContactState, contact_id: str) -> None:
        if not self.flows.milestones or not self.mapping.milestones:
            return
        contact = state.api or state.created
        if contact is None and not self.options.topic:
            return
        if contact is None:
            contact = await self.api("get_contact", {"contactId": contact_id}, state.label)
        tags = {tag.casefold() for tag in contact.get("tags") or []}
        custom = {item.get("id"): item.get("value") for item in contact.get("customFields") or []}
        for milestone in self.mapping.milestones:
            # A milestone is recorded per contact, so topics whose OId changed keep it.
            key = f"{contact_id}:{milestone.name}"
            if self.links.get(key, MILESTONE) is not None:
                continue
            met = (milestone.tag is not None and milestone.tag.casefold() in tags) or (
                milestone.custom_field is not None
                and milestone.custom_field in custom
                and (milestone.equals is None or custom[milestone.custom_field] == milestone.equals)
            )
            if not met:
                continue
            title = milestone.task_title.format_map(DefaultingDict(contact))
            due = (datetime.now(self.zone) + timedelta(days=milestone.due_in_days)).replace(
                hour=9, minute=0, second=0, microsecond=0, tzinfo=None
            )
            self.report.edit(state.label, oid_of(state.topic), f"milestone task {title!r} added")
            self.report.counts["milestone_tasks"] += 1
            if self.options.dry_run:
                continue
            task_topic = state.topic.add_subtopic(title)
            task_topic.set_task(due=due, priority=milestone.priority, percentage=0)
            self.links.link(key, MILESTONE, key, {}, contact_id)


class DefaultingDict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""
