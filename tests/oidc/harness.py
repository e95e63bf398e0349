"""A real OpenID Connect provider on loopback for tests: panva's ``oidc-provider`` under Node.

``OidcProvider`` runs ``tests/oidc/provider/provider.mjs`` on a free port of 127.0.0.1 with one
confidential client (``client_secret_basic``, authorization code flow with PKCE S256), the given
accounts and RS256 signing keys generated here with joserfc. The provider keeps everything in memory:
a restart (``rotate_keys``, ``restart``) forgets its sessions, grants and codes.

Accounts sign in through the provider's development login form by typing their ``sub`` (or their
email) as the login, with any password; ``browser_login`` fills the login and consent forms without a
browser. An unknown login gets the login form again.

Granted scopes put their claims into the ID token: ``email`` brings ``email`` and ``email_verified``,
``profile`` brings ``name`` and ``groups``, and the ``groups`` scope brings ``groups`` alone.

Back-channel logout (OpenID Connect Back-Channel Logout 1.0): give the client a ``backchannel_logout_uri``
and ``end_session`` ends a browser's provider session; the provider then POSTs a logout token to that URI
before it answers. With ``backchannel_logout_session_required`` (the default here) ID tokens and logout
tokens carry the session's ``sid``. ``sign`` makes tokens with the provider's own key, for forged ones.
"""

from __future__ import annotations

import contextlib
import enum
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
PROVIDER_SCRIPT = PROVIDER_DIR / "provider.mjs"
NODE_MODULES = PROVIDER_DIR / "node_modules"
LOCKFILE = PROVIDER_DIR / "package-lock.json"
# written after a successful `npm ci`: the sha256 of the package-lock.json it installed
INSTALL_STAMP = NODE_MODULES / ".tandem-installed"

DEFAULT_REDIRECT_URI = "http://127.0.0.1:9/callback"
BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
STARTUP_TIMEOUT = 30.0
NPM_CI_TIMEOUT = 600.0


class OidcProviderError(RuntimeError):
    """The provider could not be installed, started or driven."""


# ---------------------------------------------------------------------------------------------
# installation


def _require_node() -> tuple[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        message = "node and npm are needed for the real OpenID provider"
        if os.environ.get("CI"):
            raise OidcProviderError(f"{message}, and CI must run these tests")
        pytest.skip(message)
    return node, npm


def _lockfile_digest() -> str:
    return hashlib.sha256(LOCKFILE.read_bytes()).hexdigest()


def _installed() -> bool:
    """node_modules holds what package-lock.json pins, installed by `npm ci` from this module."""
    try:
        return INSTALL_STAMP.read_text().strip() == _lockfile_digest()
    except FileNotFoundError:
        return False


def _lock_path() -> Path:
    folder = hashlib.sha256(str(PROVIDER_DIR).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"tandem-oidc-provider-{folder}.lock"


def ensure_provider_installed() -> None:
    """Install the provider's Node packages with ``npm ci`` unless they are up to date.

    Up to date means: node_modules was installed by this function from the current package-lock.json
    (a stamp in node_modules holds the lockfile's digest), so a missing node_modules, one installed by
    hand, or a changed lockfile all lead to a fresh ``npm ci``. Parallel test processes serialise on
    a file lock. Without node or npm the calling test is skipped, or fails when CI is set.
    """
    _, npm = _require_node()
    if _installed():
        return
    with open(_lock_path(), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if _installed():  # another process installed while this one waited
                return
            try:
                result = subprocess.run(
                    [npm, "ci", "--no-audit", "--no-fund"],
                    cwd=PROVIDER_DIR,
                    capture_output=True,
                    text=True,
                    timeout=NPM_CI_TIMEOUT,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise OidcProviderError(f"npm ci in {PROVIDER_DIR} took over {NPM_CI_TIMEOUT:.0f} s") from exc
            if result.returncode != 0:
                raise OidcProviderError(
                    f"npm ci in {PROVIDER_DIR} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
                )
            INSTALL_STAMP.write_text(_lockfile_digest() + "\n")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# ---------------------------------------------------------------------------------------------
# the provider process


@dataclass(frozen=True)
class Account:
    """A user of the provider. ``sub``, or ``email``, is what to type as the login."""

    sub: str
    email: str
    name: str
    groups: Sequence[str] = ()
    email_verified: bool = True

    def as_config(self) -> dict[str, Any]:
        data = asdict(self)
        data["groups"] = list(self.groups)
        return data


DEFAULT_ACCOUNTS: tuple[Account, ...] = (
    Account(sub="alice", email="alice@example.org", name="Alice Example", groups=("mentors", "staff")),
    Account(sub="bob", email="bob@example.org", name="Bob Example", groups=("mentees",)),
)


def new_signing_key() -> RSAKey:
    """A fresh RS256 key with a unique kid."""
    kid = f"test-{uuid.uuid4().hex[:12]}"
    return RSAKey.generate_key(2048, parameters={"kid": kid, "alg": "RS256", "use": "sig"}, private=True)


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Unchanged(enum.Enum):
    UNCHANGED = enum.auto()


UNCHANGED = _Unchanged.UNCHANGED


@dataclass
class _Run:
    process: subprocess.Popen[bytes]
    log: IO[bytes]
    log_offset: int


class OidcProvider:
    """One oidc-provider process on 127.0.0.1; use as a context manager or call start() and stop().

    ``accounts`` are ``Account`` objects or dicts with the same keys. ``redirect_uris`` are the client's
    registered redirect URIs; change them with ``restart(redirect_uris=...)`` once the relying party's
    address is known. ``backchannel_logout_uri`` (None: no back-channel logout) and
    ``backchannel_logout_session_required`` are the client's metadata of those names; ``restart`` changes
    them too. ``workdir`` holds config.json and provider.log (a temporary folder by default).
    ``port`` 0 picks a free port at start; restarts keep the port.
    """

    def __init__(
        self,
        *,
        accounts: Iterable[Account | Mapping[str, Any]] = DEFAULT_ACCOUNTS,
        redirect_uris: Sequence[str] = (DEFAULT_REDIRECT_URI,),
        backchannel_logout_uri: str | None = None,
        backchannel_logout_session_required: bool = True,
        client_id: str = "tandem-test-client",
        client_secret: str | None = None,
        workdir: Path | None = None,
        port: int = 0,
        startup_timeout: float = STARTUP_TIMEOUT,
    ) -> None:
        self.accounts: list[Account] = [a if isinstance(a, Account) else Account(**a) for a in accounts]
        self.redirect_uris: tuple[str, ...] = tuple(redirect_uris)
        self.backchannel_logout_uri = backchannel_logout_uri
        self.backchannel_logout_session_required = backchannel_logout_session_required
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_urlsafe(32)
        self.port = port
        self.startup_timeout = startup_timeout
        self.keys: list[RSAKey] = [new_signing_key()]
        self._cookie_keys = [secrets.token_urlsafe(32)]
        self._run: _Run | None = None
        self._log_offset = 0  # where the last run's output starts in provider.log
        self._owns_workdir = workdir is None
        self.workdir = workdir if workdir is not None else Path(tempfile.mkdtemp(prefix="tandem-oidc-"))
        self.workdir.mkdir(parents=True, exist_ok=True)

    def add_account(self, account: Account | Mapping[str, Any]) -> Account:
        """Add an account; a running provider restarts (on the same port) to know it."""
        added = account if isinstance(account, Account) else Account(**account)
        self.accounts.append(added)
        if self._run is not None:
            self.restart()
        return added

    # -- addresses and keys

    @property
    def issuer(self) -> str:
        if not self.port:
            raise OidcProviderError("the provider has no port before start()")
        return f"http://127.0.0.1:{self.port}"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def jwks_uri(self) -> str:
        return f"{self.issuer}/jwks"

    @property
    def config_path(self) -> Path:
        return self.workdir / "config.json"

    @property
    def log_path(self) -> Path:
        return self.workdir / "provider.log"

    @property
    def signing_kid(self) -> str:
        """The kid of the key that signs ID tokens now."""
        return self.keys[0].kid or ""

    def public_jwks(self) -> dict[str, Any]:
        """The public JWKS the provider publishes, without asking it."""
        return {"keys": [key.as_dict(private=False) for key in self.keys]}

    def sign(self, claims: Mapping[str, Any], header: Mapping[str, Any] | None = None) -> str:
        """A JWT of ``claims`` signed with the provider's current key (RS256, its ``kid``).

        ``header`` adds to or overrides ``{"alg": "RS256", "kid": signing_kid}``; the provider's logout
        tokens also have ``"typ": "logout+jwt"``. Nothing is checked: the claims go in as given.
        """
        full_header = {"alg": "RS256", "kid": self.signing_kid, **(header or {})}
        return jwt.encode(full_header, dict(claims), self.keys[0], algorithms=[full_header["alg"]])

    def logout_claims(self, *, sub: str, sid: str | None = None) -> dict[str, Any]:
        """The claims of a logout token as the provider makes them, for ``sign``: valid for 120 s from now."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": sub,
            "events": {BACKCHANNEL_LOGOUT_EVENT: {}},
            "jti": secrets.token_urlsafe(16),
            "iat": now,
            "exp": now + 120,
            "aud": self.client_id,
            "iss": self.issuer,
        }
        if sid is not None:
            claims["sid"] = sid
        return claims

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document."""
        response = httpx.get(self.discovery_url, timeout=5.0)
        response.raise_for_status()
        document: dict[str, Any] = response.json()
        return document

    def read_log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def backchannel_log(self) -> list[str]:
        """The current run's back-channel logout outcomes, oldest first.

        Each is ``BACKCHANNEL ok <client_id> <sub> <sid>`` or ``BACKCHANNEL error <client_id> <sub> <sid>
        <message>`` (the sid is ``undefined`` when the session had none for the client).
        """
        try:
            with open(self.log_path, "rb") as log:
                log.seek(self._log_offset)
                text = log.read().decode(errors="replace")
        except FileNotFoundError:
            return []
        return [line for line in text.splitlines() if line.startswith("BACKCHANNEL ")]

    # -- logout

    def end_session(
        self,
        browser: httpx.Client,
        *,
        id_token_hint: str | None = None,
        client_id: str | None = None,
        post_logout_redirect_uri: str | None = None,
        state: str | None = None,
    ) -> httpx.Response:
        """End ``browser``'s session at the provider as a browser would; return the provider's last answer.

        ``browser`` is the client that signed in (``browser_login``): it holds the provider's cookies. GETs
        the ``end_session_endpoint`` with the given parameters and submits the provider's logout form
        with ``logout=yes``, which ends the whole provider session. The provider sends its back-channel
        logout requests, and waits for them (2.5 s at most each), before it answers that form: once this
        returns, ``backchannel_log`` holds their outcomes. Returns that answer unfollowed: a 303 to the
        provider's sign-out page, or to ``post_logout_redirect_uri`` (with ``state``). A browser
        without a session gets the same answer, and no back-channel request is sent.
        Raises ``OidcProviderError`` when the provider refuses (an error page) or shows no logout form.
        """
        endpoint = str(self.metadata()["end_session_endpoint"])
        params = {
            name: value
            for name, value in {
                "id_token_hint": id_token_hint,
                "client_id": client_id,
                "post_logout_redirect_uri": post_logout_redirect_uri,
                "state": state,
            }.items()
            if value is not None
        }
        response = browser.get(endpoint, params=params, follow_redirects=False)
        forms = [form for form in _forms(response.text) if form.method == "post"] if response.status_code == 200 else []
        if not forms:
            raise OidcProviderError(
                f"GET {response.url} answered {response.status_code} without a logout form:\n{response.text}"
            )
        action = urljoin(str(response.url), forms[0].action or str(response.url))
        if _origin(action) != _origin(endpoint):
            raise OidcProviderError(f"the logout form at {response.url} posts off the provider, to {action}")
        response = browser.post(action, data={**forms[0].fields, "logout": "yes"}, follow_redirects=False)
        if response.status_code != 303:
            raise OidcProviderError(f"POST {response.url} answered {response.status_code}, not 303:\n{response.text}")
        return response

    # -- lifecycle

    @property
    def running(self) -> bool:
        return self._run is not None and self._run.process.poll() is None

    def start(self) -> Self:
        if self._run is not None:
            raise OidcProviderError("the provider is already started")
        ensure_provider_installed()
        if self.port:
            self._launch()
            return self
        # a port picked free may be taken before node binds it: try a few
        for attempt in range(3):
            self.port = free_loopback_port()
            try:
                self._launch()
                return self
            except OidcProviderError:
                if attempt == 2 or b"EADDRINUSE" not in self.log_path.read_bytes()[self._log_offset :]:
                    raise
        return self  # pragma: no cover

    def stop(self) -> None:
        run, self._run = self._run, None
        if run is None:
            return
        try:
            if run.process.poll() is None:
                run.process.terminate()
                try:
                    run.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    run.process.kill()
                    run.process.wait(timeout=5)
        finally:
            if run.process.stdin is not None:
                run.process.stdin.close()
            run.log.close()

    def restart(
        self,
        *,
        redirect_uris: Sequence[str] | None = None,
        backchannel_logout_uri: str | _Unchanged | None = UNCHANGED,
        backchannel_logout_session_required: bool | None = None,
    ) -> None:
        """Stop and start again on the same port, with the current keys (and the client metadata given).

        Arguments left out keep their value; ``backchannel_logout_uri=None`` removes the URI.
        """
        if redirect_uris is not None:
            self.redirect_uris = tuple(redirect_uris)
        if backchannel_logout_uri is not UNCHANGED:
            self.backchannel_logout_uri = backchannel_logout_uri
        if backchannel_logout_session_required is not None:
            self.backchannel_logout_session_required = backchannel_logout_session_required
        self.stop()
        self._launch()

    def rotate_keys(self, *, keep_old: bool = False) -> str:
        """Sign with a new RS256 key from now on, restarting the provider on the same port.

        With ``keep_old`` the previous keys stay published (after the new one) so tokens signed
        before still verify; without it the JWKS holds the new key alone. Returns the new kid.
        """
        key = new_signing_key()
        self.keys = [key, *self.keys] if keep_old else [key]
        if self._run is not None:
            self.restart()
        return key.kid or ""

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop; remove a working folder of this object's own unless the block failed (keeps the log)."""
        if exc_type is None:
            self.cleanup()
        else:
            self.stop()

    def cleanup(self) -> None:
        """Stop, and remove the working folder if this object made it."""
        self.stop()
        if self._owns_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    # -- internals

    def _config(self) -> dict[str, Any]:
        client: dict[str, Any] = {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "redirect_uris": list(self.redirect_uris),
            "token_endpoint_auth_method": "client_secret_basic",
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
        }
        if self.backchannel_logout_uri is not None:
            client["backchannel_logout_uri"] = self.backchannel_logout_uri
            client["backchannel_logout_session_required"] = self.backchannel_logout_session_required
        return {
            "port": self.port,
            "issuer": self.issuer,
            "clients": [client],
            "accounts": [a.as_config() for a in self.accounts],
            "jwks": {"keys": [key.as_dict(private=True) for key in self.keys]},
            "cookie_keys": self._cookie_keys,
        }

    def _launch(self) -> None:
        node, _ = _require_node()
        self.config_path.write_text(json.dumps(self._config(), indent=2))
        log = open(self.log_path, "ab")  # noqa: SIM115 - kept open for the process's lifetime
        log.write(f"--- {time.strftime('%H:%M:%S')} starting on port {self.port}\n".encode())
        log.flush()
        offset = self._log_offset = log.tell()
        process = subprocess.Popen(
            [node, str(PROVIDER_SCRIPT), str(self.config_path)],
            cwd=PROVIDER_DIR,
            # the provider ends when this pipe closes, so a killed test run leaves no process behind
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=log,
            env={**os.environ, "OIDC_PROVIDER_EXIT_WITH_STDIN": "1"},
        )
        self._run = _Run(process=process, log=log, log_offset=offset)
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_until_ready(self) -> None:
        assert self._run is not None
        deadline = time.monotonic() + self.startup_timeout
        ready_line = f"READY {self.issuer}"
        ready = False
        while time.monotonic() < deadline:
            if self._run.process.poll() is not None:
                self._fail(f"the provider exited with code {self._run.process.returncode}")
            if not ready:
                with open(self.log_path, "rb") as log:
                    log.seek(self._run.log_offset)
                    ready = ready_line in log.read().decode(errors="replace").splitlines()
            if ready:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(self.discovery_url, timeout=2.0).status_code == 200:
                        return
            time.sleep(0.05)
        self._fail(f"the provider was not ready within {self.startup_timeout:.0f} s")

    def _fail(self, message: str) -> None:
        raise OidcProviderError(f"{message}; its log ({self.log_path}):\n{self.read_log()}")


# ---------------------------------------------------------------------------------------------
# a browser, without the browser


@dataclass
class _Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[_Form] = []
        self._current: _Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._current = _Form(action=attributes.get("action", ""), method=attributes.get("method", "get").lower())
            self.forms.append(self._current)
        elif tag in ("input", "button") and self._current is not None:
            name = attributes.get("name")
            kind = attributes.get("type", "text" if tag == "input" else "submit").lower()
            if name and kind not in ("submit", "button", "image", "reset"):
                self._current.fields[name] = attributes.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def _forms(html: str) -> list[_Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default_port


def browser_login(
    client: httpx.Client,
    authorization_url: str,
    *,
    login: str,
    password: str = "any",
    max_steps: int = 12,
) -> httpx.Response:
    """Sign in at the provider as a browser would and return the redirect back to the relying party.

    GETs ``authorization_url``, follows the provider's own redirects, fills the login form (``login``
    is the account's ``sub`` or email; the development login takes any password), confirms the consent form,
    until the provider redirects to a URL off its own origin: that response is returned unfollowed,
    so its ``Location`` carries the callback (``code``, ``state`` and ``iss``, or ``error``).

    ``client`` must keep cookies (a plain ``httpx.Client()`` does); its ``follow_redirects`` setting
    does not matter. Raises ``OidcProviderError`` on an error page, a rejected login or a loop.
    """
    provider_origin = _origin(authorization_url)
    response = client.get(authorization_url, follow_redirects=False)
    login_posted = False
    for _ in range(max_steps):
        if response.is_redirect:
            location = urljoin(str(response.url), response.headers["location"])
            if _origin(location) != provider_origin:
                return response
            response = client.get(location, follow_redirects=False)
            continue
        if response.status_code != 200:
            raise OidcProviderError(
                f"{response.request.method} {response.url} answered {response.status_code}:\n{response.text}"
            )
        forms = [form for form in _forms(response.text) if form.method == "post"]
        if not forms:
            raise OidcProviderError(f"{response.url} shows no form to submit:\n{response.text}")
        form = forms[0]
        data = dict(form.fields)
        if "login" in data:
            if login_posted:
                raise OidcProviderError(
                    f"the provider asked for the login again: no account has the sub or email {login!r}"
                )
            data["login"] = login
            if "password" in data:
                data["password"] = password
            login_posted = True
        action = urljoin(str(response.url), form.action or str(response.url))
        if _origin(action) != provider_origin:
            raise OidcProviderError(f"the form at {response.url} posts off the provider, to {action}")
        response = client.post(action, data=data, follow_redirects=False)
    raise OidcProviderError(f"no redirect back to the relying party within {max_steps} steps; last at {response.url}")


def callback_params(response: httpx.Response) -> dict[str, str]:
    """The query parameters of the redirect that ``browser_login`` returned."""
    query = httpx.URL(response.headers["location"]).params
    return {key: query[key] for key in query}
