"""Note steps of a sync run: topic notes to a contact note, contact notes to note subtopics."""

from __future__ import annotations

from typing import Any

from mapbridge.sync.run import NOTE, PULLED_NOTE, ContactState, SyncRun, oid_of, property_value
from mapbridge.sync.topics import note_title


class NoteSteps(SyncRun):
    async def _sync_notes(self, state: ContactState, contact_id: str) -> None:
        topic = state.topic
        pull = self.flows.pull_notes and self.mapping.notes == "subtopics"
        push = self.flows.push_notes and self.mapping.push_topic_notes
        # A contact created by this run has no notes yet. Any other contact that changed, or
        # that the run just matched, is read once for both directions.
        notes: list[dict[str, Any]] | None = None
        if state.api is not None and (pull or push):
            result = await self.api("list_contact_notes", {"contactId": contact_id}, state.label)
            notes = list(result.get("notes", []))
        if push:
            await self._push_topic_notes(state, contact_id, notes)
        if not pull or notes is None:
            return
        known = {
            link.record_id
            for kind in (NOTE, PULLED_NOTE)
            for link in self.links.of_contact(kind, contact_id)
        }
        known |= {str(property_value(child, self.mapping.ids.note)) for child in topic.subtopics}
        for note in notes:
            if note["id"] in known:
                continue
            body = str(note.get("body") or "").strip()
            title = note_title(body)
            self.report.edit(state.label, oid_of(topic), f"note topic {title!r} added")
            self.report.counts["notes_pulled"] += 1
            if self.options.dry_run:
                continue
            child = topic.add_subtopic(title)
            child.notes = body
            child.set_properties({self.mapping.ids.note: note["id"]})
            self.links.link(oid_of(child), PULLED_NOTE, note["id"], {"body": body}, contact_id)

    async def _push_topic_notes(
        self, state: ContactState, contact_id: str, notes: list[dict[str, Any]] | None
    ) -> None:
        topic = state.topic
        body = (topic.notes or "").strip()
        link = self.links.get(oid_of(topic), NOTE)
        if not body:
            return
        if link is None:
            if notes is None and self.links.intent(oid_of(topic), NOTE) is not None:
                result = await self._call("list_contact_notes", {"contactId": contact_id})
                notes = list(result.get("notes", []))
            twin = next((n for n in notes or [] if str(n.get("body") or "").strip() == body), None)
            if twin is not None:
                if not self.options.dry_run:
                    self.links.link(oid_of(topic), NOTE, twin["id"], {"body": body}, contact_id)
                self.report.counts["notes_matched"] += 1
                return
            if not self.options.dry_run:
                self.links.start_intent(oid_of(topic), NOTE, {"body": body})
            note = await self.api(
                "create_contact_note", {"contactId": contact_id, "body": body}, state.label
            )
            if not self.options.dry_run:
                self.links.link(oid_of(topic), NOTE, note["id"], {"body": body}, contact_id)
            self.report.counts["notes_created"] += 1
            return
        if link.synced.get("body") != body:
            await self.api(
                "update_contact_note",
                {"contactId": contact_id, "noteId": link.record_id, "body": body},
                state.label,
            )
            if not self.options.dry_run:
                self.links.link(oid_of(topic), NOTE, link.record_id, {"body": body}, contact_id)
            self.report.counts["notes_updated"] += 1
