"""One validated settings object, read from the environment and passed into the app factory."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.domain.program import PeriodBounds
from app.domain.signin import Lifetimes


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TANDEM_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "TANDEM_DATABASE_URL"),
        description="postgresql+asyncpg://... of an external PostgreSQL 15+; unset starts the embedded server",
    )
    data_dir: Path = Field(default=Path(".data"), description="embedded database and signing key live here")
    host: str = Field(default="127.0.0.1", validation_alias=AliasChoices("HOST", "TANDEM_HOST"))
    port: int = Field(default=8000, ge=1, le=65535, validation_alias=AliasChoices("PORT", "TANDEM_PORT"))
    db_pool_size: int = Field(default=10, ge=1, le=200)
    db_connect_timeout_seconds: float = Field(
        default=5.0, gt=0, le=120, description="opening a database connection gives up after this (then 503)"
    )
    db_pool_timeout_seconds: float = Field(
        default=5.0, gt=0, le=120, description="waiting for a free pooled connection gives up after this (then 503)"
    )
    issuer: str = Field(
        default="",
        description="this service's public base URL: the tokens' iss and the SSO callbacks' origin. "
        "Required in production; elsewhere unset means http://HOST:PORT",
    )
    audience: str = "tandem-api"
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=14, ge=1, le=365)
    signin_days: int = Field(default=30, ge=1, le=365, description="absolute lifetime of a sign-in")
    key_publish_ahead_seconds: int = Field(
        default=300, ge=0, description="a rotated signing key is published this long before it signs"
    )
    provider_key_refetch_seconds: float = Field(
        default=60.0, ge=0, description="at most one JWKS refetch per provider this often (unknown kid)"
    )
    allow_private_provider_urls: bool | None = Field(
        default=None, description="allow loopback/private provider URLs; default: only in development and test"
    )
    graphiql: bool | None = Field(
        default=None, description="serve GraphiQL to browsers opening /graphql; default: only in development"
    )
    cors_origins: list[str] = Field(default_factory=list, description="front-end origins allowed by CORS")
    login_rate_limit: str = Field(default="20/minute", description="browser logins per client address (/auth)")
    token_rate_limit: str = Field(
        default="300/minute", description="token requests and provider back-channel logouts per client address"
    )
    write_rate_limit: str = Field(
        default="10000/minute", description="writes (POST, PUT, PATCH, DELETE under /v1) per caller"
    )
    flow_rate_limit: str = Field(
        default="120/minute",
        description="partner bulk syncs and matching runs per tenant (organization or partner network), each",
    )
    rate_limit_storage: str = Field(
        default="memory://", description="limits storage URI; async+redis://host:6379 shares limits across instances"
    )
    program_min_months: int = Field(default=6, ge=1, le=60)
    program_max_months: int = Field(default=12, ge=1, le=60)
    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    worker_niceness: int = Field(default=10, ge=0, le=19, description="`tandem worker` lowers its CPU priority by this")
    worker_cpus: set[int] = Field(
        default_factory=set,
        description="CPUs `tandem worker` is confined to (a JSON list), so API processes beside it keep the others",
    )
    log_level: str = "INFO"
    metrics_token: str | None = Field(
        default=None, description="when set, GET /metrics needs `Authorization: Bearer <it>`", min_length=16
    )

    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60, description="a receiver must answer within this")
    webhook_retry_base_seconds: float = Field(
        default=5.0, gt=0, description="the first retry waits this long; each next one three times longer"
    )
    webhook_retry_max_seconds: float = Field(default=36_000.0, gt=0, description="no retry waits longer than this")
    webhook_max_attempts: int = Field(default=15, ge=1, le=50, description="tries per delivery before it fails")
    webhook_disable_after_hours: float = Field(
        default=72.0, gt=0, description="an endpoint whose deliveries all fail this long is disabled"
    )
    webhook_relay_seconds: float = Field(
        default=2.0, gt=0, description="workers look for new events and due deliveries this often"
    )
    event_retention_days: int = Field(
        default=30, ge=1, description="events and finished webhook deliveries are deleted after this many days"
    )
    audit_retention_days: int = Field(
        default=400,
        ge=1,
        description="audit entries are deleted after this many days (the default covers a 12-month program and more)",
    )

    @field_validator("database_url")
    @classmethod
    def _asyncpg_driver(cls, url: str | None) -> str | None:
        """Accept the usual postgres:// spellings and pin the asyncpg driver."""
        if url is None or not url.strip():
            return None
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+asyncpg://" + url[len(prefix) :]
        if not url.startswith("postgresql+asyncpg://"):
            raise ValueError("DATABASE_URL must be a postgresql:// URL")
        return url

    @model_validator(mode="after")
    def _issuer_or_where_we_listen(self) -> Settings:
        """Unset in development and tests, the issuer is where this process listens: ``PORT=9000``
        moves the tokens' issuer and the SSO callback URL along with the port. A production
        deployment sits behind a proxy or a public name we cannot guess, so it must say it."""
        if self.issuer.strip():
            self.issuer = self.issuer.strip()
        elif self.environment == "production":
            raise ValueError("TANDEM_ISSUER is required in production: the public https:// URL of this service")
        else:
            self.issuer = local_issuer(self.host, self.port)
        return self

    @model_validator(mode="after")
    def _no_development_defaults_in_production(self) -> Settings:
        """Settings that are harmless on a laptop and a hole on the internet stop a production start."""
        if self.environment != "production":
            return self
        issuer = urlsplit(self.issuer)
        if issuer.scheme != "https" and issuer.hostname not in _LOOPBACK:
            raise ValueError(
                "TANDEM_ISSUER must be an https:// URL in production (plain http only on a loopback address, "
                "for a local smoke test): tokens and SSO callbacks would travel in clear text"
            )
        if self.allow_private_provider_urls:
            raise ValueError(
                "TANDEM_ALLOW_PRIVATE_PROVIDER_URLS must not be set in production: an organization admin "
                "could make Tandem fetch addresses of its own network (SSRF)"
            )
        if "*" in self.cors_origins:
            raise ValueError("TANDEM_CORS_ORIGINS may not be * in production: list the front ends' origins")
        return self

    @property
    def period_bounds(self) -> PeriodBounds:
        return PeriodBounds(min_months=self.program_min_months, max_months=self.program_max_months)

    @property
    def secret_box_path(self) -> Path:
        return self.data_dir / "keys" / "secret-box.key"

    @property
    def signing_key_path(self) -> Path:
        """Where releases before key rotation kept their single key (it joins the ring)."""
        return self.data_dir / "keys" / "signing-key.json"

    @property
    def signing_keys_dir(self) -> Path:
        return self.data_dir / "keys" / "signing"

    @property
    def private_provider_urls_allowed(self) -> bool:
        if self.allow_private_provider_urls is not None:
            return self.allow_private_provider_urls
        return self.environment in ("development", "test")

    @property
    def graphiql_served(self) -> bool:
        return self.graphiql if self.graphiql is not None else self.environment == "development"

    @property
    def lifetimes(self) -> Lifetimes:
        return Lifetimes(refresh_token=timedelta(days=self.refresh_token_days), signin=timedelta(days=self.signin_days))


_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def local_issuer(host: str, port: int) -> str:
    """The issuer of a development server listening on ``host``:``port``."""
    return f"http://{_reachable(host)}:{port}"


def _reachable(host: str) -> str:
    """The address a browser on this machine uses for ``host``: a wildcard bind is reached on loopback."""
    wildcard = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "[::1]"}  # noqa: S104 - not a bind
    if host in wildcard:
        return wildcard[host]
    return f"[{host}]" if ":" in host else host
