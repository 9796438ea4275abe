"""Build the example maps that ship with mapbridge, using mapbridge's own map writer.

    python examples/make_examples.py [OUTPUT_FOLDER]

writes ``leads.mmap`` (a sales pipeline: contacts with topic properties, text labels,
notes and follow-up tasks, plus a branch of ideas that are not contacts) and
``empty.mmap`` (a central topic only). The folder defaults to the one holding this script.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from mapbridge.mindmanager import MindMap, new_map

# Each lead: name, properties, text labels, notes, follow-up tasks as
# (text, due date, priority, percentage complete).
LEADS: list[tuple[str, dict[str, str], list[str], str, list[tuple[str, datetime, int, int]]]] = [
    (
        "Ada Lovelace",
        {
            "Email": "ada@analytical-engines.example",
            "Phone": "+1 415-555-0100",
            "Company": "Analytical Engines Ltd",
        },
        ["hot", "newsletter"],
        "Met at the London fintech fair.\nWants a demo for the whole analytics team.",
        [
            ("Call about renewal", datetime(2025, 3, 14, 10, 0), 1, 0),
            ("Send pricing sheet", datetime(2025, 3, 10, 9, 0), 2, 100),
        ],
    ),
    (
        "Grace Hopper",
        {
            "Email": "grace.hopper@compilers.example",
            "Phone": "(202) 555-0147",
            "Company": "Compilers Inc.",
        },
        ["partner"],
        "Partner since 2021; refers two or three customers a year.",
        [("Call about renewal", datetime(2025, 4, 2, 15, 30), 2, 50)],
    ),
    (
        "Alan Turing",
        {
            "Email": "alan@bletchley.example",
            "Phone": "+44 20 7946 0958",
            "Company": "Bletchley Research",
        },
        ["hot"],
        "Asked for a security review before signing.",
        [("Book security review", datetime(2025, 3, 20, 11, 0), 1, 0)],
    ),
    (
        "Katherine Johnson",
        {
            "Email": "katherine.johnson@orbits.example",
            "Phone": "757-555-0199",
            "Company": "Orbital Mechanics LLC",
        },
        ["newsletter"],
        "Reads every newsletter; no active deal yet.",
        [],
    ),
    (
        "Edsger Dijkstra",
        {
            "Email": "edsger@shortest-path.example",
            "Phone": "+31 20 555 0123",
            "Company": "Shortest Path BV",
        },
        ["partner", "newsletter"],
        "Prefers e-mail over calls.\nRenewal is due in spring.",
        [("Call about renewal", datetime(2025, 5, 6, 9, 30), 3, 100)],
    ),
    (
        "Margaret Hamilton",
        {
            "Email": "margaret@apollo-software.example",
            "Phone": "+1 617 555 0142",
            "Company": "Apollo Software",
        },
        ["hot", "partner"],
        "Decision maker; budget approved for Q2.",
        [("Prepare contract draft", datetime(2025, 3, 28, 14, 0), 1, 25)],
    ),
]
IDEAS = ["Webinar series for partners", "Referral bonus", "Case study with Apollo Software"]


def build_leads_map() -> MindMap:
    """Return the sales pipeline map, unsaved."""
    mindmap = new_map("Sales pipeline")
    leads = mindmap.central_topic.add_subtopic("Leads")
    for name, properties, labels, notes, tasks in LEADS:
        contact = leads.add_subtopic(name, notes=notes, labels=labels, properties=properties)
        for text, due, priority, percentage in tasks:
            contact.add_subtopic(
                text, task={"due": due, "priority": priority, "percentage": percentage}
            )
    ideas = mindmap.central_topic.add_subtopic("Ideas")
    for idea in IDEAS:
        ideas.add_subtopic(idea)
    return mindmap


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    build_leads_map().save(folder / "leads.mmap")
    new_map("Sales pipeline").save(folder / "empty.mmap")
    print(f"Wrote {folder / 'leads.mmap'} and {folder / 'empty.mmap'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
