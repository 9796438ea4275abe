"""Add tags to a contact without touching its other tags."""

REQUEST = {"method": "POST", "path": "/contacts/{contactId}/tags", "body": ["tags"]}
