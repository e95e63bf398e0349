"""Fixtures of the end-to-end tests: the real OpenID provider's comes from tests/oidc, the
``tandem serve`` that organizations sign in to from tests/e2e/sso.py (one per test module)."""

from tests.e2e.sso import tandem
from tests.oidc.fixtures import oidc_provider_factory

__all__ = ["oidc_provider_factory", "tandem"]
