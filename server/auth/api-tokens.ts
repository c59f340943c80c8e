// Bearer tokens on incoming requests (REST and tRPC): read the header, resolve the
// API client, build the service context it acts in. Resolutions are cached briefly in
// process, keyed by the token's hash, so a burst of requests costs one query.
import { hashBearerToken, resolveApiToken, type ApiPrincipal } from "@/server/services/api-clients/api-clients";
import { createServiceContext, type ServiceContext } from "@/server/services/context";

const CACHE_MS = 15_000;
const MAX_CACHED = 10_000;
const cache = new Map<string, { principal: ApiPrincipal; until: number }>();

/** The token in `Authorization: Bearer <token>`, or null when there is none. */
export function bearerTokenFrom(headers: Headers): string | null {
  const header = headers.get("authorization");
  if (header === null) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

export async function authenticateBearerToken(token: string, now = Date.now()): Promise<ApiPrincipal | null> {
  const key = hashBearerToken(token);
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.principal;
  cache.delete(key);
  const principal = await resolveApiToken(token);
  if (!principal) return null;
  if (cache.size >= MAX_CACHED) cache.clear();
  // Never cache past the token's own expiry.
  cache.set(key, { principal, until: Math.min(now + CACHE_MS, principal.expiresAt.getTime()) });
  return principal;
}

/** Called after a revocation in this process so it takes effect at once (other processes: within 15 s). */
export function forgetCachedApiTokens(): void {
  cache.clear();
}

export function apiClientServiceContext(principal: ApiPrincipal): ServiceContext {
  return createServiceContext(principal.orgId, {
    type: "api_client",
    clientId: principal.apiClientId,
    label: principal.label,
    scopes: principal.scopes,
  });
}
