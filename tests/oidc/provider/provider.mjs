// A real OpenID Connect provider (panva/oidc-provider 9) on loopback, for tests only.
//
// Usage: node provider.mjs CONFIG.json
//
// CONFIG.json (written by tests/oidc/harness.py):
//   {
//     "port": 43123,
//     "issuer": "http://127.0.0.1:43123",
//     "clients": [{"client_id": "...", "client_secret": "...", "redirect_uris": ["..."], ...}],
//                 (a client may also carry backchannel_logout_uri and backchannel_logout_session_required)
//     "accounts": [{"sub": "alice", "email": "...", "email_verified": true, "name": "...", "groups": ["..."]}],
//     "jwks": {"keys": [<private RS256 JWKs with kid; the first one signs>]},
//     "cookie_keys": ["..."]            (optional)
//   }
//
// Logging in through the development login form: type the account's `sub`, or its email, as the login
// (any password). An unknown login is not accepted: the login form is shown again.
//
// Back-channel logout: when a provider session ends at the end_session_endpoint (RP-initiated logout,
// confirmed on the provider's logout page), each client of that session with a backchannel_logout_uri
// gets a logout token POSTed to it; the confirmation answers only after those requests have finished.
// Each one prints `BACKCHANNEL ok <client_id> <sub> <sid>` on stdout, or
// `BACKCHANNEL error <client_id> <sub> <sid> <message>` on stderr. Loopback URIs are allowed (oidc-provider
// refuses special-use addresses by default).
//
// Prints `READY <issuer>` on stdout once it listens. Ends on SIGTERM or SIGINT.
//
// The warnings oidc-provider prints for this known test setup (Node 20 is below its supported LTS,
// in-memory adapter, development interactions) are dropped; OIDC_PROVIDER_VERBOSE=1 keeps them.

import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import process from 'node:process';
import * as querystring from 'node:querystring';

const EXPECTED_WARNINGS = [
  'Unsupported runtime.',
  'a quick start development-only in-memory adapter is used',
  'a quick start development-only feature devInteractions is enabled',
  'already parsed request body detected',
];

if (!process.env.OIDC_PROVIDER_VERBOSE) {
  const warn = console.warn.bind(console);
  console.warn = (...args) => {
    const text = String(args[0] ?? '');
    if (EXPECTED_WARNINGS.some((expected) => text.includes(expected))) return;
    warn(...args);
  };
}

// imported after the filter above is in place: the runtime warning is printed at import time
const { default: Provider } = await import('oidc-provider');

const configPath = process.argv[2];
if (!configPath) {
  console.error('usage: node provider.mjs CONFIG.json');
  process.exit(2);
}

const config = JSON.parse(readFileSync(configPath, 'utf8'));
const issuer = config.issuer ?? `http://127.0.0.1:${config.port}`;
const host = new URL(issuer).hostname;

const accounts = new Map((config.accounts ?? []).map((account) => [account.sub, account]));

// the account a login typed into the development form names: its sub, or its email (any case)
function accountForLogin(login) {
  if (accounts.has(login)) return accounts.get(login);
  const email = login.toLowerCase();
  return [...accounts.values()].find((account) => account.email?.toLowerCase() === email);
}

async function findAccount(_ctx, id) {
  const account = accounts.get(id);
  if (!account) return undefined;
  return {
    accountId: account.sub,
    // oidc-provider keeps only the claims that the granted scopes (and the `claims` parameter) allow
    async claims() {
      return {
        sub: account.sub,
        email: account.email,
        email_verified: account.email_verified ?? true,
        name: account.name,
        groups: account.groups ?? [],
      };
    },
  };
}

const clients = (config.clients ?? []).map((client) => ({
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['authorization_code'],
  response_types: ['code'],
  ...client,
}));

const LOOPBACKS = new Set(['127.0.0.1', 'localhost', '[::1]']);

// oidc-provider hands its own dispatcher to fetch, which drops connections to special-use addresses
// (loopback included): left out for loopback URLs, so back-channel logout reaches a relying party on 127.0.0.1
function fetchAllowingLoopback(url, options) {
  if (LOOPBACKS.has(new URL(url).hostname)) {
    const { dispatcher: _ssrfProtection, ...rest } = options;
    return globalThis.fetch(url, rest);
  }
  return globalThis.fetch(url, options);
}

// plain pages instead of the defaults, which print a notice when first used
function page(title, body) {
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>\n`;
}

async function logoutSource(ctx, form) {
  ctx.body = page(
    'Logout Request',
    `<h1>Sign out?</h1>${form}`
      + '<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>'
      + '<button type="submit" form="op.logoutForm">No, stay signed in</button>',
  );
}

async function postLogoutSuccessSource(ctx) {
  ctx.body = page('Sign-out Success', '<h1>Signed out</h1>');
}

const provider = new Provider(issuer, {
  clients,
  jwks: config.jwks,
  findAccount,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    // groups come with `profile`, and also with a scope of their own
    profile: ['name', 'groups'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
  responseTypes: ['code'],
  // claims granted through scopes go into the ID token, not only into userinfo
  conformIdTokenClaims: false,
  // PKCE for every client of the code flow, not only public ones; 9.x knows only S256
  pkce: { required: () => true },
  features: {
    // the built-in login and consent forms, so a browserless client can sign in
    devInteractions: { enabled: true },
    userinfo: { enabled: true },
    revocation: { enabled: false },
    // on by default in 9.x; set here for the plain pages above
    rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    backchannelLogout: { enabled: true },
  },
  fetch: fetchAllowingLoopback,
  cookies: {
    keys: config.cookie_keys?.length ? config.cookie_keys : [randomBytes(32).toString('base64url')],
  },
  // numbers rather than the default functions, which print a notice when first called
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 600,
    IdToken: 3600,
    Interaction: 3600,
    Session: 86400,
    Grant: 86400,
    RefreshToken: 86400,
  },
  // errors as plain text, easier to read in a test failure than the default HTML page
  async renderError(ctx, out) {
    ctx.type = 'text/plain';
    ctx.body = `oidc-provider error: ${out.error}: ${out.error_description ?? ''}\n`;
  },
});

// The development login form accepts any login, and oidc-provider fails with a server error later on
// when findAccount does not know it. This checks the login first, as a real login page would: an unknown
// one shows the form again, a known one is handed on as the account's sub. oidc-provider reads the body
// handed on in req.body.
provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path.startsWith('/interaction/') && ctx.is('application/x-www-form-urlencoded')) {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    const body = querystring.parse(Buffer.concat(chunks).toString('utf8'));
    if (body.prompt === 'login') {
      const account = accountForLogin(String(body.login ?? ''));
      if (!account) {
        ctx.redirect(ctx.path);
        ctx.status = 303;
        return;
      }
      body.login = account.sub;
    }
    ctx.req.body = querystring.stringify(body);
  }
  await next();
});

// unexpected failures into the log, which the harness shows when a test fails
provider.on('server_error', (_ctx, err) => console.error('server_error', err));

// back-channel logout outcomes, one line each; the harness waits for and reads these
provider.on('backchannel.success', (_ctx, client, accountId, sid) => {
  console.log(`BACKCHANNEL ok ${client.clientId} ${accountId} ${sid}`);
});
provider.on('backchannel.error', (_ctx, err, client, accountId, sid) => {
  // fetch failures carry the reason (connection refused, timeout) in err.cause
  const cause = err.cause?.message ?? err.cause?.code;
  const message = cause ? `${err.message} (${cause})` : err.message;
  console.error(`BACKCHANNEL error ${client.clientId} ${accountId} ${sid} ${message}`);
});

const server = createServer(provider.callback());

server.on('error', (err) => {
  console.error(`cannot listen on ${host}:${config.port}: ${err.message}`);
  process.exit(1);
});

server.listen(config.port, host, () => {
  process.stdout.write(`READY ${issuer}\n`);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);

// with OIDC_PROVIDER_EXIT_WITH_STDIN=1 (as the harness starts it), end when stdin closes: the test
// process that holds the other end has gone, even if it was killed before it could stop this one
if (process.env.OIDC_PROVIDER_EXIT_WITH_STDIN) {
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}
