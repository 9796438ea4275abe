"""Tasks across the sub-account by contact, assignee, status or text; pages through every match
unless limit is set.
"""

REQUEST = {
    "method": "POST",
    "path": "/locations/{locationId}/tasks/search",
    "body": ["contactId", "assignedTo", "completed", "query", "businessId"],
    "idempotent": True,
    "paginate": {"style": "skip", "items": "tasks", "page_size": 100, "in_body": True},
}
