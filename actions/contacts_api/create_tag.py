"""New tag definition."""

REQUEST = {
    "method": "POST",
    "path": "/locations/{locationId}/tags",
    "body": ["name"],
    "result": "tag",
}
