"""REST adapter (/v1): routers and their request/response schemas."""
