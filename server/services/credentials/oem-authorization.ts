// Connecting a household's OEM account by OAuth (authorization code): a partner or operator asks
// for the OEM's authorization URL for a site; the householder signs in at the OEM and approves;
// the OEM sends the browser back to our callback with a code and our `state`; we exchange the code
// for tokens and store them through the credentials service (sealed, checked with the OEM, then
// polled with and refreshed like any Bearer credential).
//
// The `state` is a signed claim (its own HMAC key) naming an oem_authorizations row bound to the
// organisation, site and provider; the row expires and is consumed by one conditional update, so
// a state works once and only for what it was issued for.
import { and, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import { oemAuthorizations } from "@/db/schema";
import { signToken, verifyToken, SIGNED_TOKEN_VERSION } from "@/server/auth/signed-tokens";
import { getConfig } from "@/server/config";
import { OemCredentialRejectedError, OemError, type Oem, type OemGateway } from "@/server/oem";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { createServiceContext, type ServiceContext } from "../context";
import { isServiceError, precondition } from "../errors";
import { assertSiteInOrg, connectOemCredential, OEM_NAMES } from "./credentials";
import { getOemGateway } from "./oem-gateway";

/** Published providers we connect by OAuth, and the OEM adapter each one is. */
const OAUTH_OEMS: Readonly<Record<string, Oem>> = { foxess: "foxess", givenergy: "givenergy" };

const STATE_KEY_LABEL = "flexfleet:oem-oauth-state";
const stateClaimsSchema = z.object({
  authorizationId: z.uuid(),
  orgId: z.uuid(),
  siteId: z.uuid(),
  provider: z.string(),
  exp: z.number(),
  v: z.literal(SIGNED_TOKEN_VERSION),
});

export interface OemAuthorizationDeps {
  gateway?: OemGateway;
  now?: Date;
}

/** Where the OEM sends the householder back: one callback per provider, on the app's own URL. */
export function oauthCallbackUrl(provider: string): string {
  return `${getConfig().appUrl.replace(/\/$/, "")}/api/oauth/${encodeURIComponent(provider)}/callback`;
}

function oauthSetup(provider: string, gateway: OemGateway) {
  const oem = OAUTH_OEMS[provider];
  const client = oem === undefined ? undefined : getConfig().oemOauthClients[oem as "foxess" | "givenergy"];
  const flow = oem === undefined ? null : (gateway.oauthFlow?.(oem) ?? null);
  if (oem === undefined || client === undefined || flow === null) return null;
  return { oem, client, flow };
}

/** The OEM's authorization URL for the householder of `siteId` (GET /entities/site/{site_id}/oauth/{provider}/initiate). */
export async function startOemAuthorization(ctx: ServiceContext, input: { siteId: string; provider: string }, deps: OemAuthorizationDeps = {}): Promise<{ authorizationUrl: string; expiresAt: Date }> {
  authorize(ctx, "credentials:connect");
  const setup = oauthSetup(input.provider, deps.gateway ?? getOemGateway());
  if (setup === null) {
    const supported = Object.keys(OAUTH_OEMS).join(", ");
    throw precondition(`Connecting ${input.provider} by signing in is not available here; providers offered: ${supported}. Submit an API key with POST /entities/site/{site_id}/token instead.`);
  }
  await assertSiteInOrg(ctx, input.siteId);
  const now = deps.now ?? new Date();
  const expiresAt = new Date(now.getTime() + getConfig().oemOauthStateTtlSeconds * 1000);
  const authorizationId = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(oemAuthorizations)
      .values({ organisationId: ctx.orgId, siteId: input.siteId, provider: input.provider, expiresAt, createdByLabel: ctx.actor.label })
      .returning({ id: oemAuthorizations.id });
    if (!row) throw new Error("oem authorization insert returned nothing");
    await recordAuditEvent({ ...ctx, db: tx }, { action: "oem_authorization.started", targetType: "site", targetId: input.siteId, details: { provider: input.provider, authorizationId: row.id, expiresAt: expiresAt.toISOString() } });
    return row.id;
  });
  const claims = { authorizationId, orgId: ctx.orgId, siteId: input.siteId, provider: input.provider, exp: Math.floor(expiresAt.getTime() / 1000) };
  const state = signToken(STATE_KEY_LABEL, claims, getConfig().sessionSecret);
  return { authorizationUrl: setup.flow.authorizationUrl({ clientId: setup.client.clientId, redirectUri: oauthCallbackUrl(input.provider), state }), expiresAt };
}

export type OemAuthorizationProblem =
  /** The state is missing, altered, for another provider, or names nothing we started. */
  | "invalid_state"
  | "expired"
  | "already_used"
  | "denied"
  | "unknown_provider"
  /** The OEM refused the code, or refused the tokens it had just issued. */
  | "rejected"
  | "unavailable"
  | "site_gone";

export type OemAuthorizationOutcome = { ok: true; oemName: string } | { ok: false; problem: OemAuthorizationProblem; oemName: string | null };

export interface OemCallbackInput {
  provider: string;
  state: string | null;
  code: string | null;
  /** The OEM's `error` parameter (access_denied when the householder said no). */
  error: string | null;
}

/**
 * The OEM's redirect back (our callback): checks and consumes the state, exchanges the code and
 * stores the credential. The signed state is the authority, as a householder link's token is:
 * the work runs as the householder of the site it names.
 */
export async function completeOemAuthorization(input: OemCallbackInput, deps: OemAuthorizationDeps = {}): Promise<OemAuthorizationOutcome> {
  const now = deps.now ?? new Date();
  const gateway = deps.gateway ?? getOemGateway();
  const oemName = (OAUTH_OEMS[input.provider] && OEM_NAMES[OAUTH_OEMS[input.provider] as Oem]) ?? null;
  const fail = (problem: OemAuthorizationProblem): OemAuthorizationOutcome => ({ ok: false, problem, oemName });
  const setup = oauthSetup(input.provider, gateway);
  if (setup === null) return fail("unknown_provider");
  if (input.state === null) return fail("invalid_state");
  const check = verifyToken(STATE_KEY_LABEL, input.state, stateClaimsSchema, now, getConfig().sessionSecret);
  if (!check.ok) return fail(check.reason === "expired" ? "expired" : "invalid_state");
  const { claims } = check;
  if (claims.provider !== input.provider) return fail("invalid_state");

  const ctx = createServiceContext(claims.orgId, { type: "householder", siteId: claims.siteId, label: `householder (${OEM_NAMES[setup.oem]} sign-in)` });
  authorize(ctx, "credentials:connect");
  const bound = and(eq(oemAuthorizations.id, claims.authorizationId), eq(oemAuthorizations.organisationId, claims.orgId), eq(oemAuthorizations.siteId, claims.siteId), eq(oemAuthorizations.provider, input.provider));
  // Single use, closed in SQL: only the first callback with this state gets the row back.
  const [consumed] = await ctx.db
    .update(oemAuthorizations)
    .set({ usedAt: now })
    .where(and(bound, isNull(oemAuthorizations.usedAt), gt(oemAuthorizations.expiresAt, now)))
    .returning({ id: oemAuthorizations.id });
  if (!consumed) {
    const [row] = await ctx.db.select({ usedAt: oemAuthorizations.usedAt }).from(oemAuthorizations).where(bound).limit(1);
    return fail(row === undefined ? "invalid_state" : row.usedAt !== null ? "already_used" : "expired");
  }
  const finish = async (outcome: string, problem: OemAuthorizationProblem | null): Promise<OemAuthorizationOutcome> => {
    await ctx.db.update(oemAuthorizations).set({ outcome }).where(eq(oemAuthorizations.id, consumed.id));
    await recordAuditEvent(ctx, { action: "oem_authorization.finished", targetType: "site", targetId: claims.siteId, details: { provider: input.provider, authorizationId: consumed.id, outcome } });
    return problem === null ? { ok: true, oemName: OEM_NAMES[setup.oem] } : fail(problem);
  };
  if (input.error !== null) return finish(input.error === "access_denied" ? "denied" : `failed: ${input.error.slice(0, 100)}`, input.error === "access_denied" ? "denied" : "rejected");
  if (input.code === null || input.code.length === 0 || input.code.length > 2000) return finish("failed: no code", "invalid_state");

  try {
    const tokens = await setup.flow.exchangeCode(setup.client, input.code, oauthCallbackUrl(input.provider));
    await connectOemCredential(
      ctx,
      { siteId: claims.siteId, oem: setup.oem, tokenType: "Bearer", accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt },
      { gateway, now },
    );
  } catch (error) {
    if (error instanceof OemCredentialRejectedError) return finish("failed: the OEM refused the code", "rejected");
    if (error instanceof OemError) return finish("failed: the OEM could not be reached", "unavailable");
    if (isServiceError(error) && error.code === "VALIDATION") return finish("failed: the OEM refused the issued token", "rejected");
    if (isServiceError(error) && error.code === "PRECONDITION") return finish(`failed: ${error.message.slice(0, 100)}`, error.message.includes("offboarded") ? "site_gone" : "unavailable");
    if (isServiceError(error) && error.code === "NOT_FOUND") return finish("failed: site not found", "site_gone");
    throw error;
  }
  return finish("connected", null);
}
