"""Change a task's title, body, due date, assignee or completion."""

REQUEST = {
    "method": "PUT",
    "path": "/contacts/{contactId}/tasks/{taskId}",
    "body": "*",
    "result": "task",
}
