"""Settings read from the environment: the issuer a development server derives from where it listens."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.api.auth import _callback_url
from app.infra.settings import Settings

LISTEN_VARS = ("HOST", "PORT", "TANDEM_HOST", "TANDEM_PORT", "TANDEM_ISSUER", "TANDEM_ENVIRONMENT")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in LISTEN_VARS:
        monkeypatch.delenv(name, raising=False)


def test_the_default_issuer_is_the_default_address() -> None:
    assert Settings().issuer == "http://127.0.0.1:8000"


def test_port_moves_the_issuer_and_the_sso_callback_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9000")  # what `PORT=9000 make run` hands to `tandem serve` and `tandem token`
    settings = Settings()
    assert settings.port == 9000
    assert settings.issuer == "http://127.0.0.1:9000"
    assert _callback_url(settings, "acme") == "http://127.0.0.1:9000/auth/acme/callback"


@pytest.mark.parametrize(
    ("host", "issuer"),
    [
        ("localhost", "http://localhost:8100"),
        ("0.0.0.0", "http://127.0.0.1:8100"),  # a wildcard bind is reached on loopback
        ("::", "http://[::1]:8100"),
        ("::1", "http://[::1]:8100"),
    ],
)
def test_host_moves_the_issuer(monkeypatch: pytest.MonkeyPatch, host: str, issuer: str) -> None:
    monkeypatch.setenv("HOST", host)
    monkeypatch.setenv("TANDEM_PORT", "8100")
    assert Settings().issuer == issuer


def test_an_explicit_issuer_wins_over_host_and_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9000")
    monkeypatch.setenv("TANDEM_ISSUER", "https://tandem.example.com")
    assert Settings().issuer == "https://tandem.example.com"


def test_production_requires_an_explicit_issuer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDEM_ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match="TANDEM_ISSUER is required in production"):
        Settings()
    monkeypatch.setenv("TANDEM_ISSUER", "https://tandem.example.com")
    assert Settings().issuer == "https://tandem.example.com"


def test_a_blank_issuer_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDEM_ISSUER", "  ")
    monkeypatch.setenv("PORT", "9001")
    assert Settings().issuer == "http://127.0.0.1:9001"
