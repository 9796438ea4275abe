"""Delete a task."""

REQUEST = {"method": "DELETE", "path": "/contacts/{contactId}/tasks/{taskId}"}
