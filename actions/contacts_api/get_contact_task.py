"""One task of a contact."""

REQUEST = {"method": "GET", "path": "/contacts/{contactId}/tasks/{taskId}", "result": "task"}
