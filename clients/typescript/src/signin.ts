// What a front end does around single sign-on, typed from our OpenAPI document (CI type-checks it):
// send the browser to /auth/{slug}/login with a PKCE challenge, take the one-time `code` from the
// redirect back, exchange it (and later the rotating refresh token) at /oauth/token, log out.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type Tokens = components["schemas"]["TokenOut"];
type TokenRequest = paths["/oauth/token"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"];

const form = (body: Record<string, unknown>): URLSearchParams =>
  new URLSearchParams(Object.entries(body).filter(([, v]) => v != null).map(([k, v]) => [k, String(v)]));

async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return btoa(String.fromCharCode(...new Uint8Array(digest))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The URL to send the browser to; keep the verifier (e.g. in sessionStorage) for the way back. */
export async function loginUrl(baseUrl: string, orgSlug: string, verifier: string): Promise<string> {
  const query = new URLSearchParams({ code_challenge: await challengeOf(verifier), code_challenge_method: "S256" });
  return `${baseUrl}/auth/${encodeURIComponent(orgSlug)}/login?${query}`;
}

async function token(baseUrl: string, body: TokenRequest): Promise<Tokens> {
  const api = createClient<paths>({ baseUrl });
  const { data, error } = await api.POST("/oauth/token", {
    body,
    bodySerializer: form,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  if (!data) throw new Error(`token request refused: ${error?.code ?? "unknown"}`);
  return data;
}

/** On the front end's landing page: ?code=… from the redirect, plus the verifier kept at login. */
export const exchangeCode = (baseUrl: string, code: string, verifier: string): Promise<Tokens> =>
  token(baseUrl, { grant_type: "authorization_code", code, code_verifier: verifier });

/** Each refresh token works once: store the new one from every answer. */
export const refresh = (baseUrl: string, refreshToken: string): Promise<Tokens> =>
  token(baseUrl, { grant_type: "refresh_token", refresh_token: refreshToken });

export async function logOut(baseUrl: string, accessToken: string): Promise<void> {
  const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${accessToken}` } });
  const { response } = await api.POST("/auth/logout");
  if (response.status !== 204) throw new Error(`logout failed: ${response.status}`);
}
