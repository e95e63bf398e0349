"""The SCIM 2.0 adapter (/scim/v2): provisioning by the organization's identity provider.

It stands beside the REST and GraphQL adapters and imports neither of them."""
