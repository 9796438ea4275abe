"""One contact by id, with custom fields, DND settings and tags."""

REQUEST = {"method": "GET", "path": "/contacts/{contactId}", "result": "contact"}
