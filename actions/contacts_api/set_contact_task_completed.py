"""Mark a task completed, or open again with completed false."""

REQUEST = {
    "method": "PUT",
    "path": "/contacts/{contactId}/tasks/{taskId}/completed",
    "body": ["completed"],
    "defaults": {"completed": True},
    "result": "task",
}
