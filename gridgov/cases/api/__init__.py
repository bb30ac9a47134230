"""API v1 for cases: thin views over the cases services and selectors (routed in `gridgov.api.urls`)."""
