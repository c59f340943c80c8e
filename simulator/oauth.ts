// The OAuth 2 authorization-code flow (RFC 6749 section 4.1) as the simulated FoxESS and GivEnergy
// clouds offer it: an authorize page where the householder signs in (with the serial number of an
// inverter on their account) and approves or denies, and a token endpoint that exchanges the code
// (single use, short-lived, bound to the client and redirect URI) or a refresh token (rotating) for
// tokens. An access token then stands for its account wherever the cloud takes the API key.
import { randomBytes } from "node:crypto";
import type { SimOem } from "./devices";
import { header, json, parseJsonBody, type SimRequest, type SimResponse } from "./http-types";
import type { SimOauthClient, SimWorld } from "./world";


const CODE_TTL_MS = 10 * 60_000;
const CLOUD_NAMES: Partial<Record<SimOem, string>> = { foxess: "FoxESS Cloud", givenergy: "GivEnergy Cloud" };

export function isOauthPath(path: string): boolean {
  return path === "/oauth/authorize" || path === "/oauth/token";
}

export function handleOauth(request: SimRequest, world: SimWorld, oem: SimOem): SimResponse {
  if (request.path === "/oauth/authorize" && request.method === "GET") return authorizePage(oem, world, request.query, null);
  if (request.path === "/oauth/authorize" && request.method === "POST") return authorizeDecision(oem, world, new URLSearchParams(request.rawBody));
  if (request.path === "/oauth/token" && request.method === "POST") return token(oem, world, request);
  return json(405, { error: "method_not_allowed" });
}

/**
 * Resolves a bearer value: an OAuth access token's account key (or "expired"), else the value
 * itself (an API key). Only the OEM that issued the token accepts it.
 */
export function accountKeyForToken(world: SimWorld, oem: SimOem, value: string): string | "expired" {
  const issued = world.oauthAccessTokens.get(value);
  if (!issued) return value;
  if (world.accounts.get(issued.accountKey)?.oem !== oem) return value;
  return issued.expiresAtRealMs <= Date.now() ? "expired" : issued.accountKey;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(status: number, title: string, body: string): SimResponse {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  return { status, body: html, headers: { "content-type": "text/html; charset=utf-8" } };
}

function redirect(to: string): SimResponse {
  return { status: 302, body: "", headers: { location: to, "content-type": "text/plain; charset=utf-8" } };
}

/** The client and redirect URI, checked before anything is redirected (an unknown client gets a page, not a redirect). */
function checkClient(world: SimWorld, params: URLSearchParams): { client: SimOauthClient; redirectUri: URL } | string {
  const client = world.oauthClients.find((candidate) => candidate.clientId === params.get("client_id"));
  if (!client) return "The application asking for access is not registered with this cloud.";
  let redirectUri: URL;
  try {
    redirectUri = new URL(params.get("redirect_uri") ?? "");
  } catch {
    return "The application sent no valid address to return you to.";
  }
  if (redirectUri.protocol !== "https:" && redirectUri.protocol !== "http:") return "The application sent no valid address to return you to.";
  return { client, redirectUri };
}

function withParams(uri: URL, params: Record<string, string>): string {
  const target = new URL(uri);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  return target.toString();
}

const FORWARDED = ["response_type", "client_id", "redirect_uri", "state", "scope"] as const;

function authorizePage(oem: SimOem, world: SimWorld, params: URLSearchParams, problem: string | null): SimResponse {
  const cloud = CLOUD_NAMES[oem] ?? oem;
  const checked = checkClient(world, params);
  if (typeof checked === "string") return page(400, `${cloud}: cannot continue`, `<p>${escapeHtml(checked)}</p>`);
  if (params.get("response_type") !== "code") return redirect(withParams(checked.redirectUri, { error: "unsupported_response_type", state: params.get("state") ?? "" }));
  const hidden = FORWARDED.map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? "")}">`).join("");
  const form =
    `${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ""}` +
    `<p>Sign in to let the application read and control the batteries on your account.</p>` +
    `<form method="post" action="authorize">${hidden}` +
    `<label>Inverter serial number <input name="username" autocomplete="username"></label>` +
    `<button name="decision" value="approve">Allow access</button> <button name="decision" value="deny">Deny</button></form>`;
  return page(problem ? 401 : 200, `${cloud}: allow access?`, form);
}

function authorizeDecision(oem: SimOem, world: SimWorld, form: URLSearchParams): SimResponse {
  const checked = checkClient(world, form);
  if (typeof checked === "string") return authorizePage(oem, world, form, null);
  const state = form.get("state") ?? "";
  if (form.get("decision") !== "approve") return redirect(withParams(checked.redirectUri, { error: "access_denied", error_description: "The user denied access.", state }));
  const device = world.devices.get((form.get("username") ?? "").trim());
  if (!device || device.oem !== oem) return authorizePage(oem, world, form, "No account has an inverter with that serial number.");
  const account = world.accountOf(device);
  if (account.status === "revoked") return authorizePage(oem, world, form, "This account is closed.");
  const code = `sim-code-${randomBytes(18).toString("hex")}`;
  world.oauthCodes.set(code, { accountKey: account.key, clientId: checked.client.clientId, redirectUri: form.get("redirect_uri") ?? "", expiresAtRealMs: Date.now() + CODE_TTL_MS });
  return redirect(withParams(checked.redirectUri, { code, state }));
}

function fieldsOf(request: SimRequest): Record<string, unknown> {
  const contentType = header(request, "content-type") ?? "";
  return contentType.includes("application/x-www-form-urlencoded") ? Object.fromEntries(new URLSearchParams(request.rawBody)) : (parseJsonBody(request) ?? {});
}

/** Client authentication: HTTP Basic or the body's client_id and client_secret (RFC 6749 section 2.3.1). */
function authenticatedClient(world: SimWorld, request: SimRequest, fields: Record<string, unknown>): SimOauthClient | null {
  const basic = /^Basic\s+(\S+)$/i.exec(header(request, "authorization") ?? "")?.[1];
  const decoded = basic ? Buffer.from(basic, "base64").toString("utf8") : null;
  const clientId = decoded ? decodeURIComponent(decoded.slice(0, decoded.indexOf(":"))) : fields.client_id;
  const clientSecret = decoded ? decodeURIComponent(decoded.slice(decoded.indexOf(":") + 1)) : fields.client_secret;
  return world.oauthClients.find((client) => client.clientId === clientId && client.clientSecret === clientSecret) ?? null;
}

function tokenAnswer(issued: { accessToken: string; refreshToken: string; expiresInSeconds: number }): SimResponse {
  return json(200, { token_type: "Bearer", access_token: issued.accessToken, refresh_token: issued.refreshToken, expires_in: issued.expiresInSeconds });
}

function token(oem: SimOem, world: SimWorld, request: SimRequest): SimResponse {
  const fields = fieldsOf(request);
  const ttlMs = world.options.oauthTokenTtlMs ?? 3_600_000;
  if (fields.grant_type === "refresh_token") {
    const refreshToken = typeof fields.refresh_token === "string" ? fields.refresh_token : "";
    const grant = world.oauthRefreshTokens.get(refreshToken);
    const issued = grant && world.accounts.get(grant.accountKey)?.oem === oem ? world.refreshOauthTokens(refreshToken, ttlMs) : null;
    if (!issued) return json(400, { error: "invalid_grant", error_description: "The refresh token is invalid, used or revoked." });
    return tokenAnswer(issued);
  }
  if (fields.grant_type !== "authorization_code") return json(400, { error: "unsupported_grant_type" });
  const client = authenticatedClient(world, request, fields);
  if (!client) return json(401, { error: "invalid_client" });
  const code = typeof fields.code === "string" ? fields.code : "";
  const grant = world.oauthCodes.get(code);
  // A code works once, whatever the outcome.
  world.oauthCodes.delete(code);
  if (!grant || grant.expiresAtRealMs <= Date.now() || grant.clientId !== client.clientId || grant.redirectUri !== fields.redirect_uri) {
    return json(400, { error: "invalid_grant", error_description: "The code is invalid, used, expired or was issued to another client or redirect URI." });
  }
  const account = world.accounts.get(grant.accountKey);
  if (!account || account.oem !== oem || account.status === "revoked") return json(400, { error: "invalid_grant", error_description: "The account is closed." });
  return tokenAnswer(world.issueOauthTokens(grant.accountKey, ttlMs));
}
