"""Report of a sync, done or planned: API calls, map edits, conflicts and per-topic problems."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SyncReport:
    map: str
    dry_run: bool
    calls: list[dict[str, Any]] = field(default_factory=list)
    map_edits: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    map_saved: bool = False

    def call(self, operation: str, method: str, path: str, topic: str | None, write: bool) -> None:
        self.calls.append(
            {
                "operation": operation,
                "method": method,
                "path": path,
                "topic": topic,
                "write": write,
                "planned": self.dry_run,
            }
        )

    def edit(self, topic: str, oid: str, change: str) -> None:
        self.map_edits.append({"topic": topic, "oid": oid, "change": change})

    def problem(self, topic: str | None, oid: str | None, message: str) -> None:
        self.problems.append({"topic": topic, "oid": oid, "message": message})

    def conflict(
        self, topic: str, oid: str, field_name: str, map_value: Any, api_value: Any
    ) -> None:
        self.conflicts.append(
            {"topic": topic, "oid": oid, "field": field_name, "map": map_value, "api": api_value}
        )

    @property
    def writes(self) -> int:
        return sum(1 for call in self.calls if call["write"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "map": self.map,
            "dryRun": self.dry_run,
            "summary": dict(sorted(self.counts.items())),
            "apiCalls": len(self.calls),
            "apiWrites": self.writes,
            "mapEdits": len(self.map_edits),
            "mapSaved": self.map_saved,
            "calls": self.calls,
            "edits": self.map_edits,
            "conflicts": self.conflicts,
            "problems": self.problems,
        }

    def summary_lines(self) -> list[str]:
        verb = "Planned" if self.dry_run else "Made"
        lines = [
            f"{verb} {len(self.calls)} API call(s) ({self.writes} write(s)) and "
            f"{len(self.map_edits)} map edit(s) for {self.map}."
        ]
        for name, count in sorted(self.counts.items()):
            lines.append(f"  {name.replace('_', ' ')}: {count}")
        if not self.writes and not self.map_edits and not self.problems and not self.conflicts:
            lines.append("  No changes: the map and HighLevel are in step.")
        for conflict in self.conflicts:
            lines.append(
                f"  conflict: {conflict['topic']}: {conflict['field']} is {conflict['map']!r} "
                f"in the map and {conflict['api']!r} in HighLevel (left untouched; rerun with "
                "--prefer map or --prefer api)"
            )
        for problem in self.problems:
            where = f"{problem['topic']}: " if problem["topic"] else ""
            lines.append(f"  problem: {where}{problem['message']}")
        return lines
