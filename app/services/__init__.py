"""Use cases: one function per command or query. They authorize the caller, open a unit of
work, load aggregates, call domain methods and commit. REST and GraphQL both call these."""
