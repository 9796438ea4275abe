"""Add follower users to a contact."""

REQUEST = {"method": "POST", "path": "/contacts/{contactId}/followers", "body": ["followers"]}
