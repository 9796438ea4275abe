"""Create a contact, or update the one the location's duplicate rule matches (e-mail first, then
phone).
"""

REQUEST = {"method": "POST", "path": "/contacts/upsert", "body": "*", "location": "body"}
