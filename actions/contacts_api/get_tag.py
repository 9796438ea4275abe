"""One tag definition."""

REQUEST = {"method": "GET", "path": "/locations/{locationId}/tags/{tagId}", "result": "tag"}
