"""Remove the named tags from a contact."""

REQUEST = {"method": "DELETE", "path": "/contacts/{contactId}/tags", "body": ["tags"]}
