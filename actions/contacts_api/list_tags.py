"""Tag definitions of the location."""

REQUEST = {"method": "GET", "path": "/locations/{locationId}/tags"}
