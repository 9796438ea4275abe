"""Filtered, sorted contact search. Pages through every result (switching to the searchAfter cursor
past 10,000 hits) unless limit is set.
"""

REQUEST = {
    "method": "POST",
    "path": "/contacts/search",
    "body": "*",
    "location": "body",
    "idempotent": True,
    "paginate": {"style": "search", "items": "contacts", "page_size": 500},
}
