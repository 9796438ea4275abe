"""Rename a tag definition."""

REQUEST = {
    "method": "PUT",
    "path": "/locations/{locationId}/tags/{tagId}",
    "body": ["name"],
    "result": "tag",
}
