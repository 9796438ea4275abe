"""Delete a note."""

REQUEST = {"method": "DELETE", "path": "/contacts/{contactId}/notes/{noteId}"}
