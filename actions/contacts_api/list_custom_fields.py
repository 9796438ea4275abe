"""Custom field definitions of the location: id, key, data type and options."""

REQUEST = {
    "method": "GET",
    "path": "/locations/{locationId}/customFields",
    "query": ["model"],
}
