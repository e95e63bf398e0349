"""GraphQL adapter at /graphql: a second driving adapter over the same use cases as REST."""
