"""Single sign-on through an organization's own OpenID provider.

``begin_login`` records an attempt (state, nonce, PKCE verifier, bound to the browser) and
returns the provider's authorization URL; ``finish_login`` consumes the attempt exactly once,
lets the provider gateway verify the answer, provisions the user just in time and opens a
sign-in. The attempt is consumed in its own transaction first, so a state cannot be
replayed even when the rest of the login fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from app.domain.clock import utcnow
from app.domain.errors import BadRequest, Conflict, DomainError, NotFound, PermissionDenied
from app.domain.organization import Organization
from app.domain.person import Person
from app.domain.signin import Lifetimes, LoginAttempt, digest, new_secret
from app.domain.sso import NO_HINTS, LoginHints, ProviderIdentity, SsoConfig
from app.domain.user import User
from app.services import signin
from app.services.ports import IdentityProviders, UnitOfWork


@dataclass(frozen=True, slots=True)
class LoginStart:
    authorization_url: str
    browser_secret: str  # the API keeps it in a cookie; the callback must bring it back


@dataclass(frozen=True, slots=True)
class LoginDone:
    """Either a redirect to the front end with a one-time code, or the grant itself."""

    frontend_redirect: str | None = None
    grant: signin.Grant | None = None


async def _org_and_config(uow: UnitOfWork, org_slug: str) -> tuple[Organization, SsoConfig]:
    org = await uow.organizations.get_by_slug(org_slug)
    if org is None:
        raise NotFound(f"no organization with slug {org_slug!r}", code="organization_not_found")
    config = await uow.sso_configs.get(org.id)
    if config is None:
        raise NotFound("this organization has no single sign-on configured", code="sso_not_configured")
    return org, config


async def begin_login(
    uow: UnitOfWork,
    providers: IdentityProviders,
    org_slug: str,
    *,
    redirect_uri: str,
    client_code_challenge: str | None,
    lifetimes: Lifetimes,
    hints: LoginHints = NO_HINTS,
) -> LoginStart:
    async with uow:
        org, config = await _org_and_config(uow, org_slug)
    if config.frontend_url and client_code_challenge is None:
        # the one-time code travels through the browser: bound to the front end's verifier, a code
        # planted by someone else (login CSRF) or read from a log is worthless
        raise BadRequest(
            "this organization's front end must send a PKCE code_challenge (S256)", code="code_challenge_required"
        )
    state, nonce, verifier, browser = new_secret(), new_secret(), new_secret(), new_secret()
    url = await providers.authorization_url(
        config, redirect_uri=redirect_uri, state=state, nonce=nonce, code_verifier=verifier, hints=hints
    )
    attempt = LoginAttempt(
        org_id=org.id,
        state_digest=digest(state),
        browser_digest=digest(browser),
        nonce=nonce,
        code_verifier=verifier,
        redirect_uri=redirect_uri,
        expires_at=utcnow() + lifetimes.login_attempt,
        client_code_challenge=client_code_challenge,
    )
    async with uow:
        await uow.signins.add_login_attempt(attempt)
        await uow.commit()
    return LoginStart(url, browser)


async def finish_login(
    uow: UnitOfWork,
    providers: IdentityProviders,
    org_slug: str,
    *,
    state: str | None,
    browser_secret: str | None,
    code: str | None,
    iss: str | None,
    error: str | None,
    lifetimes: Lifetimes,
) -> LoginDone:
    attempt, org, config = await _consume_attempt(uow, org_slug, state, browser_secret)
    if error:
        raise PermissionDenied(f"the identity provider refused the login: {error}", code="provider_refused")
    if not code:
        raise BadRequest("the callback carries no authorization code", code="missing_code")
    identity = await providers.complete(
        config,
        code=code,
        iss=iss,
        redirect_uri=attempt.redirect_uri,
        code_verifier=attempt.code_verifier,
        nonce=attempt.nonce,
    )
    email = _allowed_email(config, identity)
    for last_try in (False, True):
        try:
            return await _sign_in(uow, org, config, identity, email, attempt, lifetimes)
        except Conflict as clash:
            # the same new user signing in twice at once: the other login created the user or
            # person first, and a second pass finds (and locks) them
            if last_try or clash.code not in ("user_exists", "email_taken"):
                raise
    raise AssertionError("unreachable")


async def _sign_in(
    uow: UnitOfWork,
    org: Organization,
    config: SsoConfig,
    identity: ProviderIdentity,
    email: str,
    attempt: LoginAttempt,
    lifetimes: Lifetimes,
) -> LoginDone:
    async with uow:
        user = await _provision(uow, org, config, identity, email)
        if config.frontend_url:
            one_time = await signin.issue_login_code(uow, user, lifetimes, attempt.client_code_challenge)
            await uow.commit()
            separator = "&" if "?" in config.frontend_url else "?"
            return LoginDone(frontend_redirect=f"{config.frontend_url}{separator}{urlencode({'code': one_time})}")
        grant = await signin.open_signin(uow, user, lifetimes)
        await uow.commit()
    return LoginDone(grant=grant)


async def provider_logout(uow: UnitOfWork, providers: IdentityProviders, org_slug: str, logout_token: str) -> int:
    """The provider says someone's session there ended: end all their Tandem sign-ins.

    Their refresh tokens stop working and their access tokens are refused at once (each names its
    session). All sessions, not only the one of the provider's ``sid``: a provider logout is
    mostly an offboarding or a "sign me out", and a Tandem session outliving it is the risk.
    A one-time code the front end has not exchanged yet is voided too, or it would open a new
    session after the logout. Returns how many sessions ended; someone who never signed in to
    Tandem ends none.
    """
    async with uow:
        org, config = await _org_and_config(uow, org_slug)
    logout = await providers.verify_logout_token(config, logout_token)
    async with uow:
        user = await uow.users.find_by_subject(org.id, logout.subject)
        if user is None:
            return 0
        now = utcnow()
        await uow.signins.void_login_codes_of(user.id, now)
        ended = await uow.signins.revoke_signins_of(user.id, "provider_logout", now)
        await uow.commit()
    return ended


async def _consume_attempt(
    uow: UnitOfWork, org_slug: str, state: str | None, browser_secret: str | None
) -> tuple[LoginAttempt, Organization, SsoConfig]:
    invalid = BadRequest(
        "the login state is unknown, expired, already used or from another browser; start the login again",
        code="invalid_state",
    )
    if not state:
        raise invalid
    async with uow:
        org, config = await _org_and_config(uow, org_slug)
        attempt = await uow.signins.take_login_attempt(digest(state))
        if attempt is None or not attempt.usable(org.id, browser_secret, utcnow()):
            raise invalid
        await uow.signins.consume_login_attempt(attempt.state_digest, utcnow())
        await uow.commit()
    return attempt, org, config


def _allowed_email(config: SsoConfig, identity: ProviderIdentity) -> str:
    if not identity.email:
        raise PermissionDenied("the identity provider shared no email address", code="email_missing")
    if identity.email_verified is False:
        raise PermissionDenied("the identity provider has not verified this email", code="email_not_verified")
    if not identity.email.isascii():
        # lowercasing maps lookalikes (the Kelvin sign K) onto plain letters: someone else's address
        raise PermissionDenied("only ASCII email addresses can sign in", code="email_not_supported")
    email = identity.email.strip().lower()
    if not config.allows_email(email):
        raise PermissionDenied("this email domain may not sign in to the organization", code="email_domain_not_allowed")
    return email


async def _provision(
    uow: UnitOfWork, org: Organization, config: SsoConfig, identity: ProviderIdentity, email: str
) -> User:
    """Just-in-time: find the user by the provider's subject, else create them.

    The subject is who someone is; an email address is only what the provider says about them.
    So a user is found by email only when no provider subject was ever bound to it (a user an
    operator created) and the provider verified the address; the same goes for linking the
    organization's person with that email, and a partner's mentor is never linked (it belongs
    to the partner's pool, not to an employee). The role follows the provider's claims at every
    login, so group changes there take effect at the next sign-in.
    """
    verified = identity.email_verified is True
    user = await uow.users.find_by_subject(org.id, identity.subject)
    if user is None:
        by_email = await uow.users.find(org.id, email)
        # found by email although bound to this very subject: a simultaneous login committed it
        # between the two reads above, and it is this person's account
        if by_email is not None and not by_email.may_sign_in_as(identity.subject, verified):
            raise Conflict("another account of the organization signs in with this email", code="email_in_use")
        user = by_email
    if user is not None:  # locked and re-read: simultaneous logins of one user update it in turn
        user = await uow.users.get(user.id, for_update=True)
    if user is not None and not user.active:
        # the organization's provider deactivated the account (SCIM): it signs in nowhere here
        raise PermissionDenied(
            "this account was deactivated by the organization's identity provider", code="account_deactivated"
        )
    role = config.role_for(identity.claims)
    person = None
    if user is None or user.person_id is None:
        existing = await uow.people.get_by_email(org.id, email)
        if existing is not None and verified and existing.partner_id is None:
            person = existing
        elif existing is None and identity.birth_year is not None:
            person = _new_person(org, identity, email)
            if person is not None:
                await uow.people.add(person)
    now = utcnow()
    name = _display_name(identity)
    if user is None:
        user = User(email=email, role=role, org_id=org.id, person_id=person.id if person else None)
        user.sso_subject, user.sso_issuer, user.last_login_at = identity.subject, config.issuer, now
        user.display_name = name
        await uow.users.add(user)
        return user
    user.email, user.role, user.sso_subject, user.last_login_at = email, role, identity.subject, now
    user.sso_issuer, user.display_name = config.issuer, name or user.display_name
    user.person_id = user.person_id or (person.id if person else None)
    user.updated_at = now
    await uow.users.save(user)
    return user


def _display_name(identity: ProviderIdentity) -> str | None:
    """The provider's ``name`` claim, trimmed to what a user row keeps; blank is no name."""
    name = " ".join((identity.name or "").split())[:200]
    return name or None


def _new_person(org: Organization, identity: ProviderIdentity, email: str) -> Person | None:
    zone = identity.claims.get("zoneinfo")
    try:
        return Person(
            org_id=org.id,
            display_name=identity.name or email.split("@", 1)[0],
            birth_year=identity.birth_year or 0,
            email=email,
            timezone=zone if isinstance(zone, str) else "UTC",
        )
    except DomainError:
        return None  # claims that make no valid profile: the user completes it after signing in
