"""Identity adapters: Tandem's own access tokens (and, later, the OIDC relying party)."""
