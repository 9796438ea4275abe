"""Delete a contact."""

REQUEST = {"method": "DELETE", "path": "/contacts/{contactId}"}
