"""The sub-account: name, time zone, country."""

REQUEST = {"method": "GET", "path": "/locations/{locationId}", "result": "location"}
