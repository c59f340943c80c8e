// Householder consent links: an operator or partner creates a signed, expiring link; the
// householder opens it without an account and agrees or withdraws per proposition. The
// evidence (time, IP address, user agent, exact text version) goes on the ledger.
import { and, eq } from "drizzle-orm";
import { assets, householderLinks, sites } from "@/db/schema";
import { signHouseholderLink, verifyHouseholderLink } from "@/server/auth/householder-links";
import { getDb } from "@/db/client";
import { getConfig } from "@/server/config";
import { isProposition, type Proposition } from "@/server/domain/inventory";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { createServiceContext, type ServiceContext } from "../context";
import { invalid } from "../errors";
import { enrolOnHouseholderAgreement, withdrawByHousehold } from "../enrolment/enrolment";
import { PROPOSITION_RULES } from "../enrolment/propositions";
import { BOUNDARY_METER_KIND, lockActiveSite, recordConsent } from "./consent-ledger";
import { currentConsentText, type ConsentText } from "./consent-texts";
import { currentConsents } from "./current-consents";
import { openComponentSession } from "./component-tokens";

export interface ConsentLink {
  linkId: string;
  token: string;
  /** Absolute URL of the householder page. */
  url: string;
  expiresAt: Date;
}

export interface CreateConsentLinkInput {
  siteId: string;
  ttlHours?: number | undefined;
  /** Hold agreements for an operator to enrol; by default agreeing enrols the site at once. */
  reviewBeforeEnrolment?: boolean | undefined;
}

export async function createConsentLink(ctx: ServiceContext, input: CreateConsentLinkInput): Promise<ConsentLink> {
  authorize(ctx, "consent:write");
  const ttlHours = input.ttlHours ?? getConfig().consentLinkTtlHours;
  if (!(ttlHours > 0 && ttlHours <= 24 * 30)) throw invalid("A link lasts between a minute and 30 days.", [{ path: ["ttl_hours"], message: "Between 0 and 720 hours." }]);
  return ctx.db.transaction(async (tx) => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    await lockActiveSite(txCtx, input.siteId);
    const expiresAt = new Date(Date.now() + Math.round(ttlHours * 3_600_000));
    const [row] = await tx
      .insert(householderLinks)
      .values({ organisationId: ctx.orgId, siteId: input.siteId, expiresAt, createdByLabel: ctx.actor.label, reviewBeforeEnrolment: input.reviewBeforeEnrolment ?? false })
      .returning({ id: householderLinks.id });
    if (!row) throw new Error("householder link insert returned nothing");
    await recordAuditEvent(txCtx, {
      action: "consent_link.created",
      targetType: "site",
      targetId: input.siteId,
      details: { linkId: row.id, expiresAt: expiresAt.toISOString(), reviewBeforeEnrolment: input.reviewBeforeEnrolment ?? false },
    });
    const token = signHouseholderLink({ linkId: row.id, orgId: ctx.orgId, siteId: input.siteId, purpose: "consent", exp: Math.floor(expiresAt.getTime() / 1000) });
    return { linkId: row.id, token, url: `${getConfig().appUrl.replace(/\/$/, "")}/consent/${token}`, expiresAt };
  });
}

export type LinkProblem = "invalid" | "expired" | "revoked" | "offboarded" | "no_site";

export interface ConsentPageProposition {
  proposition: Proposition | "cm_infrequent_dispatch";
  name: string;
  text: ConsentText;
  /** Other consents the proposition needs (e.g. meter readings), shown alongside. */
  alsoNeeds: ConsentText[];
  agreed: boolean;
}

export interface ConsentPageView {
  siteId: string;
  postcode: string;
  expiresAt: Date;
  propositions: ConsentPageProposition[];
}

/** Which link opened the page: a consent link row, or a partner's component session (end-user token). */
type OpenedVia = { householderLinkId: string } | { componentSessionId: string };

type OpenedLink =
  | { ok: true; ctx: ServiceContext; siteId: string; via: OpenedVia; expiresAt: Date; postcode: string; assetTypes: Set<string>; reviewBeforeEnrolment: boolean }
  | { ok: false; problem: LinkProblem };

async function siteForLink(ctx: ServiceContext, siteId: string) {
  const [site] = await ctx.db.select().from(sites).where(and(eq(sites.id, siteId), eq(sites.organisationId, ctx.orgId))).limit(1);
  if (!site) return null;
  const siteAssets = await ctx.db.select({ type: assets.type }).from(assets).where(eq(assets.siteId, site.id));
  return { site, assetTypes: new Set(siteAssets.map((a) => a.type)) };
}

/** A partner's end-user token opens the same page as a consent link, for the end user's site. */
async function openComponentLink(token: string, now: Date): Promise<OpenedLink | null> {
  const opened = await openComponentSession(getDb(), token, now);
  if (opened === null) return null;
  if (!opened.ok) return opened;
  const ctx = createServiceContext(opened.orgId, { type: "householder", siteId: opened.siteId, label: "householder (partner app)" });
  const found = await siteForLink(ctx, opened.siteId);
  if (!found) return { ok: false, problem: "invalid" };
  return { ok: true, ctx, siteId: opened.siteId, via: { componentSessionId: opened.sessionId }, expiresAt: opened.expiresAt, postcode: found.site.postcode, assetTypes: found.assetTypes, reviewBeforeEnrolment: false };
}

async function openLink(token: string, now: Date): Promise<OpenedLink> {
  const check = verifyHouseholderLink(token, now);
  if (!check.ok) {
    const component = check.reason === "expired" ? null : await openComponentLink(token, now);
    return component ?? { ok: false, problem: check.reason === "expired" ? "expired" : "invalid" };
  }
  const { claims } = check;
  const ctx = createServiceContext(claims.orgId, { type: "householder", siteId: claims.siteId, label: "householder (consent link)" });
  const [link] = await ctx.db
    .select()
    .from(householderLinks)
    .where(and(eq(householderLinks.id, claims.linkId), eq(householderLinks.organisationId, claims.orgId), eq(householderLinks.siteId, claims.siteId)))
    .limit(1);
  if (!link) return { ok: false, problem: "invalid" };
  const found = await siteForLink(ctx, claims.siteId);
  if (!found) return { ok: false, problem: "invalid" };
  if (found.site.status === "offboarded") return { ok: false, problem: "offboarded" };
  if (link.revokedAt !== null) return { ok: false, problem: "revoked" };
  if (link.expiresAt.getTime() <= now.getTime()) return { ok: false, problem: "expired" };
  return { ok: true, ctx, siteId: found.site.id, via: { householderLinkId: link.id }, expiresAt: link.expiresAt, postcode: found.site.postcode, assetTypes: found.assetTypes, reviewBeforeEnrolment: link.reviewBeforeEnrolment };
}

function offeredPropositions(assetTypes: Set<string>): (Proposition | "cm_infrequent_dispatch")[] {
  const offered: (Proposition | "cm_infrequent_dispatch")[] = Object.values(PROPOSITION_RULES)
    .filter((rules) => rules.assetTypes.some((type) => assetTypes.has(type)))
    .map((rules) => rules.proposition);
  if (offered.length > 0) offered.push("cm_infrequent_dispatch");
  return offered;
}

function requiredKinds(proposition: string): string[] {
  return isProposition(proposition) ? [...PROPOSITION_RULES[proposition].requiredConsents] : [proposition];
}

export async function openConsentPage(token: string, now: Date = new Date()): Promise<{ ok: true; view: ConsentPageView } | { ok: false; problem: LinkProblem }> {
  const opened = await openLink(token, now);
  if (!opened.ok) return opened;
  const consents = await currentConsents(opened.ctx, opened.siteId);
  const propositions = offeredPropositions(opened.assetTypes).map((proposition) => ({
    proposition,
    // Householders see the plain-language title, not the product name.
    name: currentConsentText(proposition).title,
    text: currentConsentText(proposition),
    alsoNeeds: requiredKinds(proposition)
      .filter((kind) => kind !== proposition)
      .map((kind) => currentConsentText(kind)),
    agreed: consents.dispatch.has(proposition),
  }));
  return { ok: true, view: { siteId: opened.siteId, postcode: opened.postcode, expiresAt: opened.expiresAt, propositions } };
}

export interface HouseholderEvidence {
  ipAddress: string | null;
  userAgent: string | null;
}

/**
 * What an agreement did to the site's enrolment: enrolled at once, already enrolled, held for an
 * operator's review (the link asked for it), or not possible yet (the site is not eligible: the
 * consent stays on record and the site is enrolled once it becomes eligible). Null for withdrawals
 * and for consents that are not a proposition.
 */
export type AgreementEnrolment = "enrolled" | "already_enrolled" | "held_for_review" | "not_eligible" | null;

export async function submitHouseholderChoice(
  token: string,
  input: { proposition: string; choice: "agree" | "withdraw"; textVersion: string },
  evidence: HouseholderEvidence,
  now: Date = new Date(),
): Promise<{ ok: true; proposition: string; choice: "agree" | "withdraw"; enrolment: AgreementEnrolment } | { ok: false; problem: LinkProblem | "unknown_proposition" | "stale_text" }> {
  const opened = await openLink(token, now);
  if (!opened.ok) return opened;
  if (!offeredPropositions(opened.assetTypes).some((p) => p === input.proposition)) return { ok: false, problem: "unknown_proposition" };
  const shown = currentConsentText(input.proposition);
  // The householder agreed to the text they saw; if it changed meanwhile, show the new one.
  if (input.choice === "agree" && shown.version !== input.textVersion) return { ok: false, problem: "stale_text" };
  const baseEvidence = {
    ...(evidence.ipAddress !== null ? { ipAddress: evidence.ipAddress } : {}),
    ...(evidence.userAgent !== null ? { userAgent: evidence.userAgent } : {}),
    agreedAt: now.toISOString(),
    ...opened.via,
  };
  const ctx = opened.ctx;
  const enrolment = await ctx.db.transaction(async (tx): Promise<AgreementEnrolment> => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    if ("householderLinkId" in opened.via) await tx.update(householderLinks).set({ lastUsedAt: now }).where(eq(householderLinks.id, opened.via.householderLinkId));
    if (input.choice === "agree") {
      for (const kind of requiredKinds(input.proposition)) {
        await recordConsent(txCtx, {
          siteId: opened.siteId,
          changes: [{ kind, action: "granted" }],
          channel: "householder_page",
          occurredAt: now,
          evidence: baseEvidence,
          consentTextVersion: currentConsentText(kind).version,
        });
      }
      if (requiredKinds(input.proposition).includes(BOUNDARY_METER_KIND)) {
        await tx.update(sites).set({ gaveBoundaryMeterConsentAt: now }).where(and(eq(sites.id, opened.siteId), eq(sites.organisationId, ctx.orgId)));
      }
      if (!isProposition(input.proposition)) return null;
      if (opened.reviewBeforeEnrolment) return "held_for_review";
      // The agreement is the household's own: no second step by an operator unless the link asked for review.
      return enrolOnHouseholderAgreement(txCtx, { siteId: opened.siteId, proposition: input.proposition });
    } else {
      await recordConsent(txCtx, {
        siteId: opened.siteId,
        changes: [{ kind: input.proposition, action: "withdrawn" }],
        channel: "householder_page",
        occurredAt: now,
        evidence: baseEvidence,
        consentTextVersion: shown.version,
        reason: "Withdrawn by the household on the consent page",
      });
      if (isProposition(input.proposition)) await withdrawByHousehold(txCtx, { siteId: opened.siteId, proposition: input.proposition });
      return null;
    }
  });
  return { ok: true, proposition: input.proposition, choice: input.choice, enrolment };
}
