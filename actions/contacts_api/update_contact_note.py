"""Change the text of a note."""

REQUEST = {
    "method": "PUT",
    "path": "/contacts/{contactId}/notes/{noteId}",
    "body": ["body", "userId"],
    "result": "note",
}
