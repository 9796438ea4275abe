"""The deprecated list endpoint, kept for accounts that still rely on it; sends both cursors on
every page and stops on a repeated cursor.
"""

REQUEST = {
    "method": "GET",
    "path": "/contacts/",
    "query": ["query"],
    "location": "query",
    "paginate": {"style": "cursor", "items": "contacts", "page_size": 100},
}
