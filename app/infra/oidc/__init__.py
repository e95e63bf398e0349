"""OpenID Connect towards organizations' identity providers (Tandem is the relying party)."""
