"""One note of a contact."""

REQUEST = {"method": "GET", "path": "/contacts/{contactId}/notes/{noteId}", "result": "note"}
