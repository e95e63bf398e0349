"""Pytest fixtures for the real OpenID provider.

Use them by importing them into a conftest: ``from tests.oidc.fixtures import oidc_provider_factory``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.oidc.harness import OidcProvider, ensure_provider_installed

OidcProviderFactory = Callable[..., OidcProvider]


@pytest.fixture
def oidc_provider_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProviderFactory]:
    """A function that starts a provider, each on its own port; all are stopped at teardown.

    It takes OidcProvider's keyword arguments. Each provider's config.json and provider.log stay in
    pytest's temporary folder for a look after a failure.
    """
    ensure_provider_installed()
    providers: list[OidcProvider] = []

    def start(**kwargs: Any) -> OidcProvider:
        kwargs.setdefault("workdir", tmp_path_factory.mktemp("oidc-provider"))
        provider = OidcProvider(**kwargs)
        providers.append(provider)
        return provider.start()

    yield start
    for provider in reversed(providers):
        provider.stop()
