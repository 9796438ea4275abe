"""Remove follower users from a contact."""

REQUEST = {"method": "DELETE", "path": "/contacts/{contactId}/followers", "body": ["followers"]}
