"""The PostgreSQL adapter: tables, explicit mapping to and from the domain, repositories,
the unit of work, the engine and the embedded server."""
