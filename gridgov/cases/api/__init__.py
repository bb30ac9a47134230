"""API v1 for cases: thin views over the cases services and selectors (routes in api_urls.py)."""
