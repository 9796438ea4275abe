"""The contact the location's duplicate rule would match for an e-mail and/or phone, or null."""

REQUEST = {
    "method": "GET",
    "path": "/contacts/search/duplicate",
    "query": {"email": "email", "phone": "number"},
    "location": "query",
}
