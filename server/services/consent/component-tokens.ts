// End-user (component) tokens (POST /auth/component-token): a partner asks, for one of its end
// users by the partner's own id, for a 24-hour token that opens that household's pages (consent).
// The end user is created on demand; the token is bound to the end user's site when there is one.
import { and, desc, eq, ne, sql } from "drizzle-orm";
import { componentSessions, customers, sites } from "@/db/schema";
import { signComponentToken, verifyComponentToken } from "@/server/auth/component-tokens";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { invalid } from "../errors";
import { recordMeterConsent } from "./site-consents";

/** How long a component token lasts: an end-user session, longer than an API token's hour. */
export const COMPONENT_TOKEN_TTL_MS = 24 * 3_600_000;

export interface IssueComponentTokenInput {
  externalUserId: string;
  allowedOrigin: string;
  userEmail?: string | undefined;
  gaveBoundaryMeterConsentAt?: Date | undefined;
}

export interface IssuedComponentToken {
  /** Our id for the end user. */
  customerId: string;
  accessToken: string;
  expiresAt: Date;
  /** The end user's site the token opens, or null while they have none. */
  siteId: string | null;
  customerCreated: boolean;
}

/** scheme://host[:port] and nothing more, as browsers compare origins. */
function normaliseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid("allowed_origin must be an origin such as https://app.example.com.", [{ path: ["allowed_origin"], message: "Must be an origin such as https://app.example.com (scheme, host and optional port)." }]);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.origin !== value.replace(/\/$/, "")) {
    throw invalid("allowed_origin must be an origin such as https://app.example.com.", [{ path: ["allowed_origin"], message: "Must be an origin such as https://app.example.com: http or https, with no path, query or fragment." }]);
  }
  return url.origin;
}

export async function issueComponentToken(ctx: ServiceContext, input: IssueComponentTokenInput, now: Date = new Date()): Promise<IssuedComponentToken> {
  authorize(ctx, "components:issue");
  const externalUserId = input.externalUserId.trim();
  if (externalUserId.length === 0 || externalUserId.length > 200) {
    throw invalid("external_user_id must be 1 to 200 characters.", [{ path: ["external_user_id"], message: "Between 1 and 200 characters." }]);
  }
  const allowedOrigin = normaliseOrigin(input.allowedOrigin.trim());
  const consentAt = input.gaveBoundaryMeterConsentAt;
  if (consentAt !== undefined && consentAt.getTime() > now.getTime() + 5 * 60_000) {
    throw invalid("gave_boundary_meter_consent_at is in the future.", [{ path: ["gave_boundary_meter_consent_at"], message: "Cannot be in the future." }]);
  }
  const expiresAt = new Date(now.getTime() + COMPONENT_TOKEN_TTL_MS);

  const issued = await ctx.db.transaction(async (tx) => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    // Upsert on the partner's id; `xmax = 0` is true only for a row this statement inserted.
    const [customer] = await tx
      .insert(customers)
      .values({ organisationId: ctx.orgId, externalUserId, email: input.userEmail ?? null })
      .onConflictDoUpdate({
        target: [customers.organisationId, customers.externalUserId],
        targetWhere: sql`${customers.externalUserId} is not null`,
        set: { email: sql`coalesce(excluded.email, ${customers.email})`, updatedAt: now },
      })
      .returning({ id: customers.id, created: sql<boolean>`(xmax = 0)` });
    if (!customer) throw new Error("customer upsert returned nothing");
    if (customer.created && consentAt === undefined) {
      // As published: a new end user comes with the household's boundary-meter consent time.
      throw invalid("gave_boundary_meter_consent_at is required for a new end user.", [
        { path: ["gave_boundary_meter_consent_at"], message: "Required on the first call for a new external_user_id: when the household agreed to boundary-meter readings.", type: "missing" },
      ]);
    }
    const [site] = await tx
      .select({ id: sites.id })
      .from(sites)
      .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.customerId, customer.id), ne(sites.status, "offboarded")))
      .orderBy(desc(sites.createdAt))
      .limit(1);
    if (site && consentAt !== undefined) await recordMeterConsent(txCtx, { siteId: site.id, gaveAt: consentAt });
    const [session] = await tx
      .insert(componentSessions)
      .values({
        organisationId: ctx.orgId,
        customerId: customer.id,
        siteId: site?.id ?? null,
        allowedOrigin,
        gaveBoundaryMeterConsentAt: consentAt ?? null,
        expiresAt,
        createdByLabel: ctx.actor.label,
      })
      .returning({ id: componentSessions.id });
    if (!session) throw new Error("component session insert returned nothing");
    await recordAuditEvent(txCtx, {
      action: "component_token.issued",
      targetType: site ? "site" : "customer",
      targetId: site?.id ?? customer.id,
      details: { sessionId: session.id, customerId: customer.id, customerCreated: customer.created, allowedOrigin, expiresAt: expiresAt.toISOString() },
    });
    return { customerId: customer.id, siteId: site?.id ?? null, sessionId: session.id, customerCreated: customer.created };
  });
  const accessToken = signComponentToken({ sessionId: issued.sessionId, orgId: ctx.orgId, customerId: issued.customerId, purpose: "component", exp: Math.floor(expiresAt.getTime() / 1000) });
  return { customerId: issued.customerId, accessToken, expiresAt, siteId: issued.siteId, customerCreated: issued.customerCreated };
}

export type ComponentSessionCheck =
  | { ok: true; orgId: string; sessionId: string; siteId: string; allowedOrigin: string; expiresAt: Date }
  | { ok: false; problem: "invalid" | "expired" | "revoked" | "no_site" | "offboarded" };

/**
 * Opens a component token for the household pages: the session's site, or the end user's newest
 * site when the token was issued before they had one. Not an entry point (the token is the
 * authority, as a householder link's is); callers build a householder context for the site.
 */
export async function openComponentSession(db: ServiceContext["db"], token: string, now: Date): Promise<ComponentSessionCheck | null> {
  const check = verifyComponentToken(token, now);
  if (!check.ok) return check.reason === "expired" ? { ok: false, problem: "expired" } : null;
  const { claims } = check;
  const [session] = await db
    .select()
    .from(componentSessions)
    .where(and(eq(componentSessions.id, claims.sessionId), eq(componentSessions.organisationId, claims.orgId), eq(componentSessions.customerId, claims.customerId)))
    .limit(1);
  if (!session) return { ok: false, problem: "invalid" };
  if (session.revokedAt !== null) return { ok: false, problem: "revoked" };
  if (session.expiresAt.getTime() <= now.getTime()) return { ok: false, problem: "expired" };
  const [site] = await db
    .select({ id: sites.id, status: sites.status })
    .from(sites)
    .where(
      and(
        eq(sites.organisationId, claims.orgId),
        session.siteId !== null ? eq(sites.id, session.siteId) : and(eq(sites.customerId, claims.customerId), ne(sites.status, "offboarded")),
      ),
    )
    .orderBy(desc(sites.createdAt))
    .limit(1);
  if (!site) return { ok: false, problem: "no_site" };
  if (site.status === "offboarded") return { ok: false, problem: "offboarded" };
  return { ok: true, orgId: claims.orgId, sessionId: session.id, siteId: site.id, allowedOrigin: session.allowedOrigin, expiresAt: session.expiresAt };
}
