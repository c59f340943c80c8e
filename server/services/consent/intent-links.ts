// Householder intent links: an operator creates a signed, expiring link for one charger; the
// householder opens it without an account, sees what is planned and what it should cost, and
// sets how much energy they need and by when. Links are rows in householder_links with purpose
// "intent" (so offboarding and revocation work as for consent links). The token carries the
// charger id under its own HMAC key, so an intent token can never open the consent page, nor
// a consent token this one.
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { assets, chargingPlans, chargingSessions, householderLinks, sites, type StoredPlanSlot } from "@/db/schema";
import { SIGNED_TOKEN_VERSION, signToken, verifyToken, type SignedTokenCheck } from "@/server/auth/signed-tokens";
import { getDb } from "@/db/client";
import { getConfig } from "@/server/config";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getLatestIntent, setChargingIntent } from "../charging/intents";
import { authorize } from "../authorize";
import { createServiceContext, type ServiceContext } from "../context";
import { invalid, isServiceError, notFound, type FieldIssue } from "../errors";
import { isUuid } from "../inventory/records";
import { openComponentSession } from "./component-tokens";

export const INTENT_LINK_PURPOSE = "intent";
const TOKEN_VERSION = SIGNED_TOKEN_VERSION;

export interface IntentLinkClaims {
  linkId: string;
  orgId: string;
  siteId: string;
  assetId: string;
  purpose: "intent";
  /** Expiry, unix seconds. */
  exp: number;
  v: number;
}

const KEY_LABEL = "flexfleet:householder-intent-link";

export function signIntentLinkToken(claims: Omit<IntentLinkClaims, "v">, secret = getConfig().sessionSecret): string {
  return signToken(KEY_LABEL, claims, secret);
}

const claimsSchema = z.object({
  linkId: z.string().refine(isUuid),
  orgId: z.string().refine(isUuid),
  siteId: z.string().refine(isUuid),
  assetId: z.string().refine(isUuid),
  purpose: z.literal("intent"),
  exp: z.number(),
  v: z.literal(TOKEN_VERSION),
});

export function verifyIntentLinkToken(token: string, now: Date = new Date(), secret = getConfig().sessionSecret): SignedTokenCheck<IntentLinkClaims> {
  return verifyToken(KEY_LABEL, token, claimsSchema, now, secret);
}

export interface IntentLink {
  linkId: string;
  token: string;
  /** Absolute URL of the householder page. */
  url: string;
  expiresAt: Date;
}

async function findCharger(ctx: ServiceContext, assetId: string) {
  if (!isUuid(assetId)) throw notFound("Charger");
  const [row] = await ctx.db
    .select({ assetId: assets.id, siteId: assets.siteId, type: assets.type, siteStatus: sites.status, externalId: assets.externalId })
    .from(assets)
    .innerJoin(sites, eq(sites.id, assets.siteId))
    .where(and(eq(assets.id, assetId), eq(assets.organisationId, ctx.orgId)))
    .limit(1);
  if (!row) throw notFound("Charger");
  return row;
}

/** Creates a householder link for one charger; the token is returned once and never stored. */
export async function createIntentLink(ctx: ServiceContext, input: { assetId: string; ttlHours?: number }): Promise<IntentLink> {
  authorize(ctx, "consent:write");
  const ttlHours = input.ttlHours ?? getConfig().consentLinkTtlHours;
  if (!(ttlHours > 0 && ttlHours <= 24 * 30)) throw invalid("A link lasts between a minute and 30 days.", [{ path: ["ttl_hours"], message: "Between 0 and 720 hours." }]);
  const charger = await findCharger(ctx, input.assetId);
  if (charger.type !== "charger") throw invalid("Intent links are for chargers.", [{ path: ["asset_id"], message: `This asset is a ${charger.type}, not a charger.` }]);
  if (charger.siteStatus === "offboarded") throw invalid("The site has been offboarded.", [{ path: ["asset_id"], message: "The charger's site no longer takes part." }]);
  return ctx.db.transaction(async (tx) => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    const expiresAt = new Date(Date.now() + Math.round(ttlHours * 3_600_000));
    const [row] = await tx
      .insert(householderLinks)
      .values({ organisationId: ctx.orgId, siteId: charger.siteId, purpose: INTENT_LINK_PURPOSE, expiresAt, createdByLabel: ctx.actor.label })
      .returning({ id: householderLinks.id });
    if (!row) throw new Error("householder link insert returned nothing");
    await recordAuditEvent(txCtx, { action: "intent_link.created", targetType: "asset", targetId: charger.assetId, details: { linkId: row.id, siteId: charger.siteId, expiresAt: expiresAt.toISOString() } });
    const token = signIntentLinkToken({ linkId: row.id, orgId: ctx.orgId, siteId: charger.siteId, assetId: charger.assetId, purpose: "intent", exp: Math.floor(expiresAt.getTime() / 1000) });
    return { linkId: row.id, token, url: `${getConfig().appUrl.replace(/\/$/, "")}/intent/${token}`, expiresAt };
  });
}

/** Revokes an intent link at once; opening it afterwards says so. Revoking twice is a no-op. */
export async function revokeIntentLink(ctx: ServiceContext, input: { linkId: string }): Promise<{ linkId: string; revokedAt: Date }> {
  authorize(ctx, "consent:write");
  if (!isUuid(input.linkId)) throw notFound("Intent link");
  return ctx.db.transaction(async (tx) => {
    const [link] = await tx
      .select()
      .from(householderLinks)
      .where(and(eq(householderLinks.id, input.linkId), eq(householderLinks.organisationId, ctx.orgId), eq(householderLinks.purpose, INTENT_LINK_PURPOSE)))
      .for("update")
      .limit(1);
    if (!link) throw notFound("Intent link");
    if (link.revokedAt) return { linkId: link.id, revokedAt: link.revokedAt };
    const revokedAt = new Date();
    await tx.update(householderLinks).set({ revokedAt }).where(eq(householderLinks.id, link.id));
    await recordAuditEvent({ ...ctx, db: tx }, { action: "intent_link.revoked", targetType: "site", targetId: link.siteId, details: { linkId: link.id } });
    return { linkId: link.id, revokedAt };
  });
}

/** The site's intent links that still work, newest first (tokens are not stored, so not shown). */
export async function listActiveIntentLinks(ctx: ServiceContext, input: { siteId: string }, now: Date = new Date()) {
  authorize(ctx, "consent:read");
  if (!isUuid(input.siteId)) return [];
  const rows = await ctx.db
    .select({ linkId: householderLinks.id, expiresAt: householderLinks.expiresAt, createdAt: householderLinks.createdAt, createdBy: householderLinks.createdByLabel, lastUsedAt: householderLinks.lastUsedAt })
    .from(householderLinks)
    .where(and(eq(householderLinks.organisationId, ctx.orgId), eq(householderLinks.siteId, input.siteId), eq(householderLinks.purpose, INTENT_LINK_PURPOSE), isNull(householderLinks.revokedAt)))
    .orderBy(desc(householderLinks.createdAt));
  return rows.filter((row) => row.expiresAt.getTime() > now.getTime());
}

// ---------------------------------------------------------------------------------------------
// The householder side

export type IntentLinkProblem = "invalid" | "expired" | "revoked" | "offboarded" | "no_site" | "no_charger";

export interface HouseholderPlan {
  version: number;
  createdAt: Date;
  slots: StoredPlanSlot[];
  energyKwh: number;
  costPence: number;
  baselineCostPence: number;
  savingPence: number;
  met: boolean;
  shortfallKwh: number;
  windowEnd: Date;
}

export interface IntentPageView {
  chargerName: string;
  timeZone: string;
  expiresAt: Date;
  intent: { version: number; energyRequiredKwh: number; readyByLocalTime: string; chargingMode: string } | null;
  session: { pluggedInAt: Date; chargerPowerKw: number } | null;
  plan: HouseholderPlan | null;
}

/** Which link opened the page: an intent link row, or a partner's component session (end-user token). */
type OpenedVia = { linkId: string } | { componentSessionId: string };

type OpenedIntentLink = { ok: true; ctx: ServiceContext; via: OpenedVia; assetId: string; expiresAt: Date; chargerName: string; timeZone: string } | { ok: false; problem: IntentLinkProblem };

/** A partner's end-user token opens the intent page of the household's charger (the first one registered). */
async function openComponentIntent(token: string, now: Date): Promise<OpenedIntentLink | null> {
  const opened = await openComponentSession(getDb(), token, now);
  if (opened === null) return null;
  if (!opened.ok) return opened;
  const ctx = createServiceContext(opened.orgId, { type: "householder", siteId: opened.siteId, label: "householder (partner app)" });
  const [charger] = await ctx.db
    .select({ id: assets.id, externalId: assets.externalId, timeZone: sites.timeZone })
    .from(assets)
    .innerJoin(sites, eq(sites.id, assets.siteId))
    .where(and(eq(assets.organisationId, opened.orgId), eq(assets.siteId, opened.siteId), eq(assets.type, "charger")))
    .orderBy(assets.createdAt, assets.id)
    .limit(1);
  if (!charger) return { ok: false, problem: "no_charger" };
  return { ok: true, ctx, via: { componentSessionId: opened.sessionId }, assetId: charger.id, expiresAt: opened.expiresAt, chargerName: charger.externalId, timeZone: charger.timeZone };
}

async function openIntentLink(token: string, now: Date): Promise<OpenedIntentLink> {
  const check = verifyIntentLinkToken(token, now);
  if (!check.ok) {
    const component = check.reason === "expired" ? null : await openComponentIntent(token, now);
    return component ?? { ok: false, problem: check.reason === "expired" ? "expired" : "invalid" };
  }
  const { claims } = check;
  const ctx = createServiceContext(claims.orgId, { type: "householder", siteId: claims.siteId, label: "householder (intent link)" });
  const [link] = await ctx.db
    .select()
    .from(householderLinks)
    .where(and(eq(householderLinks.id, claims.linkId), eq(householderLinks.organisationId, claims.orgId), eq(householderLinks.siteId, claims.siteId)))
    .limit(1);
  if (!link || link.purpose !== INTENT_LINK_PURPOSE) return { ok: false, problem: "invalid" };
  const [charger] = await ctx.db
    .select({ externalId: assets.externalId, type: assets.type, siteStatus: sites.status, timeZone: sites.timeZone })
    .from(assets)
    .innerJoin(sites, eq(sites.id, assets.siteId))
    .where(and(eq(assets.id, claims.assetId), eq(assets.organisationId, claims.orgId), eq(assets.siteId, claims.siteId)))
    .limit(1);
  if (!charger || charger.type !== "charger") return { ok: false, problem: "invalid" };
  if (charger.siteStatus === "offboarded") return { ok: false, problem: "offboarded" };
  if (link.revokedAt !== null) return { ok: false, problem: "revoked" };
  if (link.expiresAt.getTime() <= now.getTime()) return { ok: false, problem: "expired" };
  return { ok: true, ctx, via: { linkId: link.id }, assetId: claims.assetId, expiresAt: link.expiresAt, chargerName: charger.externalId, timeZone: charger.timeZone };
}

export async function openIntentPage(token: string, now: Date = new Date()): Promise<{ ok: true; view: IntentPageView } | { ok: false; problem: IntentLinkProblem }> {
  const opened = await openIntentLink(token, now);
  if (!opened.ok) return opened;
  const { ctx, assetId } = opened;
  // The intent in force is the latest by event time, as the planner sees it.
  const intent = await getLatestIntent(ctx, assetId);
  const [session] = await ctx.db
    .select()
    .from(chargingSessions)
    .where(and(eq(chargingSessions.organisationId, ctx.orgId), eq(chargingSessions.assetId, assetId), isNull(chargingSessions.pluggedOutAt)))
    .limit(1);
  const [plan] = session
    ? await ctx.db
        .select()
        .from(chargingPlans)
        .where(and(eq(chargingPlans.organisationId, ctx.orgId), eq(chargingPlans.sessionId, session.id)))
        .orderBy(desc(chargingPlans.version))
        .limit(1)
    : [];
  return {
    ok: true,
    view: {
      chargerName: opened.chargerName,
      timeZone: opened.timeZone,
      expiresAt: opened.expiresAt,
      intent: intent ? { version: intent.version, energyRequiredKwh: intent.energyRequiredKwh, readyByLocalTime: intent.readyByLocalTime, chargingMode: intent.chargingMode } : null,
      session: session ? { pluggedInAt: session.pluggedInAt, chargerPowerKw: session.chargerPowerKw } : null,
      plan: plan
        ? {
            version: plan.version,
            createdAt: plan.createdAt,
            slots: plan.slots,
            energyKwh: plan.energyKwh,
            costPence: plan.costPence,
            baselineCostPence: plan.baselineCostPence,
            savingPence: plan.savingPence,
            met: plan.met,
            shortfallKwh: plan.shortfallKwh,
            windowEnd: plan.windowEnd,
          }
        : null,
    },
  };
}

/** What the householder may send: a car battery's worth of energy, and a wall time on the half hour or minute. */
export const householderIntentSchema = z.object({
  energyRequiredKwh: z.coerce
    .number({ error: "Enter the energy as a number of kWh." })
    .refine(Number.isFinite, "Enter the energy as a number of kWh.")
    .gt(0, "Enter more than 0 kWh.")
    .max(200, "Enter at most 200 kWh."),
  readyByLocalTime: z.string({ error: "Enter a time like 07:30 (24-hour clock)." }).trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Enter a time like 07:30 (24-hour clock)."),
});

export type SubmitIntentResult =
  | { ok: true; intentVersion: number; previousPlanVersion: number | null }
  | { ok: false; problem: IntentLinkProblem }
  | { ok: false; problem: "invalid_input"; issues: FieldIssue[] }
  | { ok: false; problem: "unavailable" };

/** Stores the householder's intent through the charging service (which re-plans), as the householder. */
export async function submitHouseholderIntent(token: string, input: { energyRequiredKwh: unknown; readyByLocalTime: unknown }, now: Date = new Date()): Promise<SubmitIntentResult> {
  const opened = await openIntentLink(token, now);
  if (!opened.ok) return opened;
  const parsed = householderIntentSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problem: "invalid_input", issues: parsed.error.issues.map((issue) => ({ path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: issue.message })) };
  }
  const { ctx, assetId } = opened;
  const [session] = await ctx.db
    .select({ id: chargingSessions.id })
    .from(chargingSessions)
    .where(and(eq(chargingSessions.organisationId, ctx.orgId), eq(chargingSessions.assetId, assetId), isNull(chargingSessions.pluggedOutAt)))
    .limit(1);
  const [previousPlan] = session
    ? await ctx.db
        .select({ version: chargingPlans.version })
        .from(chargingPlans)
        .where(and(eq(chargingPlans.organisationId, ctx.orgId), eq(chargingPlans.sessionId, session.id)))
        .orderBy(desc(chargingPlans.version))
        .limit(1)
    : [];
  let intentVersion: number;
  try {
    const intent = await setChargingIntent(ctx, { assetId, energyRequiredKwh: parsed.data.energyRequiredKwh, readyByLocalTime: parsed.data.readyByLocalTime, occurredAt: now, source: "householder_page" }, { now });
    intentVersion = intent.version;
  } catch (error) {
    if (isServiceError(error) && error.code === "VALIDATION") return { ok: false, problem: "invalid_input", issues: error.issues.length > 0 ? error.issues : [{ path: [], message: error.message }] };
    if (isServiceError(error)) return { ok: false, problem: "unavailable" };
    throw error;
  }
  await ctx.db.transaction(async (tx) => {
    if ("linkId" in opened.via) await tx.update(householderLinks).set({ lastUsedAt: now }).where(eq(householderLinks.id, opened.via.linkId));
    await recordAuditEvent(
      { ...ctx, db: tx },
      { action: "intent_link.used", targetType: "asset", targetId: assetId, details: { ...opened.via, intentVersion, energyRequiredKwh: parsed.data.energyRequiredKwh, readyByLocalTime: parsed.data.readyByLocalTime } },
    );
  });
  return { ok: true, intentVersion, previousPlanVersion: previousPlan?.version ?? null };
}
