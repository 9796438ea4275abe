"""The calendar appointments of a contact."""

REQUEST = {"method": "GET", "path": "/contacts/{contactId}/appointments"}
