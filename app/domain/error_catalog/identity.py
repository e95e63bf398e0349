"""Codes of identity: OAuth token requests, single sign-on with an organization's provider, its settings."""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature, Reach
from app.domain.errors import (
    BadRequest,
    Conflict,
    NotFound,
    PermissionDenied,
    ProviderUnavailable,
    RuleViolation,
    Unauthenticated,
)

IDENTITY = Feature(
    "identity",
    "Signing in: OAuth token requests (RFC 6749 error codes), single sign-on through an organization's "
    "OpenID provider, and its settings.",
    (
        ErrorCode(
            "invalid_request",
            BadRequest,
            "Invalid request",
            "A token, revocation or logout request misses a parameter or has a malformed one (RFC 6749).",
        ),
        ErrorCode(
            "unsupported_grant_type",
            BadRequest,
            "Unsupported grant type",
            "The `grant_type` is not one the token endpoint supports (RFC 6749).",
        ),
        ErrorCode(
            "invalid_client",
            Unauthenticated,
            "Invalid client",
            "Client authentication failed: unknown client, wrong secret or malformed Basic credentials (RFC 6749).",
        ),
        ErrorCode(
            "invalid_grant",
            BadRequest,
            "Invalid grant",
            "The login code or refresh token is unknown, expired, used or revoked (RFC 6749).",
        ),
        ErrorCode(
            "invalid_scope",
            BadRequest,
            "Invalid scope",
            "The token request asks for a scope the client may not have (RFC 6749).",
        ),
        ErrorCode(
            "no_signin",
            PermissionDenied,
            "No sign-in",
            "The token does not belong to a sign-in, so there is nothing to log out of.",
        ),
        ErrorCode(
            "sso_not_configured",
            NotFound,
            "Single sign-on not configured",
            "The organization has no identity provider configured.",
        ),
        ErrorCode(
            "sso_config_not_found",
            NotFound,
            "Single sign-on settings not found",
            "The organization has stored no identity provider settings yet.",
        ),
        ErrorCode(
            "invalid_state",
            BadRequest,
            "Invalid login state",
            "The login state is unknown, expired, already used or from another browser; start the login again.",
        ),
        ErrorCode("missing_code", BadRequest, "Missing code", "The login callback carries no authorization code."),
        ErrorCode(
            "code_challenge_required",
            BadRequest,
            "Code challenge required",
            "The organization's front end must send a PKCE `code_challenge` (S256) to start a login.",
        ),
        ErrorCode(
            "provider_refused",
            PermissionDenied,
            "Provider refused",
            "The identity provider refused the login (the person cancelled or may not use the app).",
        ),
        ErrorCode(
            "code_exchange_failed",
            Unauthenticated,
            "Code exchange failed",
            "The identity provider refused to exchange the authorization code for tokens.",
        ),
        ErrorCode(
            "invalid_id_token",
            Unauthenticated,
            "Invalid id token",
            "The provider's id token is missing, not valid, or issued to another party.",
        ),
        ErrorCode(
            "issuer_mismatch",
            Unauthenticated,
            "Issuer mismatch",
            "The authorization response comes from another issuer than the organization's provider (RFC 9207).",
        ),
        ErrorCode(
            "issuer_missing",
            Unauthenticated,
            "Issuer missing",
            "The authorization response lacks the `iss` parameter the provider promised (RFC 9207).",
        ),
        ErrorCode(
            "invalid_logout_token",
            BadRequest,
            "Invalid logout token",
            "The provider's back-channel logout token is not valid.",
        ),
        ErrorCode(
            "invalid_claims",
            PermissionDenied,
            "Unusable claims",
            "The identity provider sent an unusable subject or email.",
        ),
        ErrorCode("email_missing", PermissionDenied, "Email missing", "The identity provider shared no email address."),
        ErrorCode(
            "email_not_verified",
            PermissionDenied,
            "Email not verified",
            "The identity provider has not verified the email address.",
        ),
        ErrorCode(
            "email_not_supported", PermissionDenied, "Email not supported", "Only ASCII email addresses can sign in."
        ),
        ErrorCode(
            "email_domain_not_allowed",
            PermissionDenied,
            "Email domain not allowed",
            "The organization does not let this email domain sign in.",
        ),
        ErrorCode(
            "email_in_use",
            Conflict,
            "Email in use",
            "Another account of the organization signs in with this email.",
        ),
        ErrorCode("user_exists", Conflict, "User exists", "A user with this email or provider subject already exists."),
        ErrorCode(
            "provider_unreachable",
            ProviderUnavailable,
            "Provider unreachable",
            "The identity provider did not answer, or not in time.",
        ),
        ErrorCode(
            "provider_unusable",
            ProviderUnavailable,
            "Provider unusable",
            "The provider's discovery document or key set is unusable (wrong issuer, missing endpoints, no keys).",
        ),
        ErrorCode(
            "provider_url_refused",
            ProviderUnavailable,
            "Provider URL refused",
            "A provider URL is not https or resolves to a private, loopback or reserved address.",
        ),
        ErrorCode(
            "invalid_issuer", RuleViolation, "Invalid issuer", "The issuer must be an http(s) URL without a query."
        ),
        ErrorCode(
            "invalid_url", RuleViolation, "Invalid URL", "The front-end URL must be an http(s) URL without a fragment."
        ),
        ErrorCode("invalid_domain", RuleViolation, "Invalid domain", "An allowed email domain is not a domain name."),
        ErrorCode(
            "invalid_role",
            RuleViolation,
            "Invalid role",
            "A role mapping grants a role an organization's provider may not grant (platform admin, partner).",
        ),
        ErrorCode("invalid_prompt", RuleViolation, "Invalid prompt", "`prompt` is not one of the supported values."),
        ErrorCode(
            "invalid_login_hint",
            RuleViolation,
            "Invalid login hint",
            "`login_hint` must be 1 to 254 printable characters.",
        ),
        ErrorCode(
            "email_required",
            RuleViolation,
            "Email required",
            "`tandem token` needs `--email` of a person for a member token.",
            Reach.COMMAND_LINE,
        ),
        ErrorCode(
            "org_required",
            RuleViolation,
            "Organization required",
            "`tandem token` needs `--org` for an organization role.",
            Reach.COMMAND_LINE,
        ),
        ErrorCode(
            "org_not_allowed",
            RuleViolation,
            "Organization not allowed",
            "Platform admins belong to no organization: `tandem token` refuses `--org` for them.",
            Reach.COMMAND_LINE,
        ),
        ErrorCode(
            "role_change_refused",
            Conflict,
            "Role change refused",
            "`tandem token` does not change an existing user's role unless given `--force-role`.",
            Reach.COMMAND_LINE,
        ),
    ),
)
