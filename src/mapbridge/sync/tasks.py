"""Task steps of a sync run: task topics to contact tasks and back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mapbridge.lookups import same_instant
from mapbridge.mindmanager import Topic
from mapbridge.sync.links import Link
from mapbridge.sync.merge import merge_fields
from mapbridge.sync.normalize import api_to_local
from mapbridge.sync.run import TASK, ContactState, SyncRun, field_equal, oid_of, property_value
from mapbridge.sync.topics import (
    api_task_values,
    is_task_topic,
    read_task,
    topic_label,
    write_task_fields,
)


class TaskSteps(SyncRun):
    async def _sync_tasks(self, state: ContactState, contact_id: str) -> None:
        if not (self.flows.push_tasks or self.flows.pull_tasks):
            return
        today = datetime.now(self.zone).replace(tzinfo=None)
        links = {link.oid: link for link in self.links.of_contact(TASK, contact_id)}
        by_record = {link.record_id: link for link in links.values()}
        fetched = self._tasks_by_contact.get(contact_id) if self._tasks_by_contact else None
        api_tasks = {task["id"]: task for task in fetched or []}
        seen: set[str] = set()

        for topic in state.topic.subtopics:
            if not is_task_topic(topic, self.mapping):
                continue
            label = topic_label(topic)
            link = links.get(oid_of(topic))
            stored_id = property_value(topic, self.mapping.ids.task)
            if link is None and stored_id and stored_id in by_record:
                old = by_record[stored_id]
                link = old
                if not self.options.dry_run:
                    self.links.link(oid_of(topic), TASK, stored_id, old.synced, contact_id)
            if link is not None:
                seen.add(link.record_id)
            values = read_task(topic, self.mapping, self.zone, today, linked=link is not None)
            if values.problems and link is None:
                for message in values.problems:
                    self.report.problem(label, oid_of(topic), message)
                continue
            if link is None:
                twin = _same_task(fetched or [], values.fields, seen | set(by_record))
                if twin is not None:
                    link = self._adopt_task(topic, label, contact_id, twin)
                    seen.add(twin["id"])
                elif self.flows.push_tasks:
                    await self._create_task(topic, label, contact_id, values.fields)
                    continue
                else:
                    continue
            await self._update_task(
                topic, label, contact_id, link, values.fields, api_tasks, fetched is not None
            )

        if self.flows.pull_tasks and fetched is not None:
            for task in fetched:
                if task["id"] in seen or task["id"] in by_record:
                    continue
                self._pull_task(state, contact_id, task)

    def _adopt_task(self, topic: Topic, label: str, contact_id: str, task: dict[str, Any]) -> Link:
        """Link a task topic to an identical task the contact already has in HighLevel."""
        synced = {"fields": api_task_values(task)}
        if not self.options.dry_run:
            self.links.link(oid_of(topic), TASK, task["id"], synced, contact_id)
        if property_value(topic, self.mapping.ids.task) != task["id"]:
            self._edit(topic, {self.mapping.ids.task: task["id"]})
        self.report.counts["tasks_matched"] += 1
        return Link(oid_of(topic), TASK, task["id"], contact_id, synced)

    async def _create_task(
        self, topic: Topic, label: str, contact_id: str, fields: dict[str, Any]
    ) -> None:
        intent = self.links.intent(oid_of(topic), TASK)
        if intent is not None:
            result = await self._call("list_contact_tasks", {"contactId": contact_id})
            for task in result.get("tasks", []):
                if task.get("title") == fields["title"] and same_instant(
                    task.get("dueDate"), fields.get("dueDate")
                ):
                    self._link_task(topic, label, contact_id, task["id"], fields)
                    self.report.counts["tasks_recovered"] += 1
                    return
        if not self.options.dry_run:
            self.links.start_intent(oid_of(topic), TASK, fields)
        task = await self.api("create_contact_task", {"contactId": contact_id, **fields}, label)
        self._link_task(topic, label, contact_id, task["id"], fields)
        self.report.counts["tasks_created"] += 1
        if (topic.task is None or topic.task.due is None) and fields.get("dueDate"):
            # The mapping's default due date goes into the topic, so it stays fixed.
            due = api_to_local(fields["dueDate"], self.zone)
            if not self.options.dry_run:
                topic.set_task(due=due)
            self.report.edit(label, oid_of(topic), f"task due = {due.isoformat()}")

    def _link_task(
        self, topic: Topic, label: str, contact_id: str, task_id: str, fields: dict[str, Any]
    ) -> None:
        if not self.options.dry_run:
            self.links.link(oid_of(topic), TASK, task_id, {"fields": fields}, contact_id)
        if property_value(topic, self.mapping.ids.task) != task_id:
            self._edit(topic, {self.mapping.ids.task: task_id})

    async def _update_task(
        self,
        topic: Topic,
        label: str,
        contact_id: str,
        link: Link,
        fields: dict[str, Any],
        api_tasks: dict[str, dict[str, Any]],
        fetched: bool,
    ) -> None:
        base = dict(link.synced.get("fields", {}))
        if fetched and link.record_id not in api_tasks:
            self.report.problem(
                label,
                oid_of(topic),
                f"task {link.record_id} was deleted in HighLevel; the topic is left as it is",
            )
            return
        theirs = api_task_values(api_tasks[link.record_id]) if fetched else base
        ours = fields if self.flows.push_tasks else base
        if not self.flows.pull_tasks:
            theirs = base
        if "dueDate" not in ours and "dueDate" in base:
            ours = {**ours, "dueDate": base["dueDate"]}
        merged = merge_fields(base, ours, theirs, prefer=self.options.prefer, equal=field_equal)
        for name, (mine, other) in merged.conflicts.items():
            self.report.conflict(label, oid_of(topic), f"task {name}", mine, other)
        to_api = merged.to_api
        if to_api:
            task_id = link.record_id
            if set(to_api) == {"completed"}:
                await self.api(
                    "set_contact_task_completed",
                    {"contactId": contact_id, "taskId": task_id, "completed": to_api["completed"]},
                    label,
                )
                key = "tasks_completed" if to_api["completed"] else "tasks_reopened"
                self.report.counts[key] += 1
            else:
                await self.api(
                    "update_contact_task",
                    {"contactId": contact_id, "taskId": task_id, **to_api},
                    label,
                )
                self.report.counts["tasks_updated"] += 1
        if merged.to_map:
            if not self.options.dry_run:
                for change in write_task_fields(topic, merged.to_map, self.zone):
                    self.report.edit(label, oid_of(topic), change)
            else:
                self.report.edit(label, oid_of(topic), f"task fields {sorted(merged.to_map)}")
            self.report.counts["task_topics_updated"] += 1
        synced = dict(merged.merged)
        for name in merged.conflicts:
            if name in base:
                synced[name] = base[name]
        if not self.options.dry_run and (to_api or merged.to_map or synced != base):
            self.links.link(oid_of(topic), TASK, link.record_id, {"fields": synced}, contact_id)

    def _pull_task(self, state: ContactState, contact_id: str, task: dict[str, Any]) -> None:
        values = api_task_values(task)
        title = values["title"] or "Task"
        self.report.edit(state.label, oid_of(state.topic), f"task topic {title!r} added")
        self.report.counts["tasks_pulled"] += 1
        if self.options.dry_run:
            return
        topic = state.topic.add_subtopic(title)
        write_task_fields(topic, {**values, "title": title}, self.zone)
        if not values["completed"] and topic.task is None:
            topic.set_task(percentage=0)
        topic.set_properties({self.mapping.ids.task: task["id"]})
        self.links.link(oid_of(topic), TASK, task["id"], {"fields": values}, contact_id)


def _same_task(
    tasks: list[dict[str, Any]], fields: dict[str, Any], taken: set[str]
) -> dict[str, Any] | None:
    """Return an API task with the topic's title and due date that no topic is linked to."""
    for task in tasks:
        if task["id"] in taken:
            continue
        if str(task.get("title") or "").strip() == fields.get("title") and same_instant(
            task.get("dueDate"), fields.get("dueDate")
        ):
            return task
    return None
