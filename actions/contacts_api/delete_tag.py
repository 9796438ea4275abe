"""Delete a tag definition."""

REQUEST = {"method": "DELETE", "path": "/locations/{locationId}/tags/{tagId}"}
