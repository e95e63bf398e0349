"""Fixtures of the end-to-end tests: the real OpenID provider's comes from tests/oidc."""

from tests.oidc.fixtures import oidc_provider_factory

__all__ = ["oidc_provider_factory"]
