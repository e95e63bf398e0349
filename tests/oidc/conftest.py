from tests.oidc.fixtures import oidc_provider_factory  # noqa: F401
