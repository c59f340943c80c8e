// Enrolment of a site in a proposition: enrolled, unenrolled, withdrawn (by the household)
// or offboarded. Each change is a row in enrolment_events (who and why), an audit event,
// and a partner webhook, all in one transaction.
import { and, desc, eq, sql } from "drizzle-orm";
import { enrolmentEvents, enrolments, sites, type ConsentEvidence, type EnrolmentState } from "@/db/schema";
import { eligibilityIssueMessages, isProposition, type EligibilityIssueCode, type Proposition } from "@/server/domain/inventory";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { actorFields, type ServiceContext } from "../context";
import { publishEligibilityChange } from "../energy-coordination/events";
import { invalid, notFound, ServiceError } from "../errors";
import { isUuid } from "../inventory/records";
import { BOUNDARY_METER_KIND, lockActiveSite, recordConsent } from "../consent/consent-ledger";
import { currentConsents } from "../consent/current-consents";
import { emitPartnerEvent, type PartnerEventType } from "../webhooks/partner-webhooks";
import { ALL_PROPOSITIONS, PROPOSITION_RULES } from "./propositions";
import { evaluateSiteForEnrolment } from "./site-eligibility";

export interface EnrolInput {
  siteId: string;
  proposition: string;
  overrideWithdrawal?: boolean;
  /** A boundary-meter consent to record with the enrolment. */
  gaveBoundaryMeterConsentAt?: Date | undefined;
  reason?: string | undefined;
  /** What the enrolment request carried, kept as the evidence of the dispatch consent it implies. */
  consentEvidence?: ConsentEvidence | undefined;
}

export type EnrolStatus = "enrolled" | "already_enrolled";
export type UnenrolStatus = "unenrolled" | "already_unenrolled";

const EVENT_FOR_STATE: Partial<Record<EnrolmentState, PartnerEventType>> = {
  enrolled: "enrolment.enrolled",
  unenrolled: "enrolment.unenrolled",
  withdrawn: "enrolment.withdrawn",
};

function requireProposition(value: string): Proposition {
  if (!isProposition(value)) {
    throw invalid(`Unknown proposition ${value}.`, [{ path: ["proposition"], message: `Use one of ${ALL_PROPOSITIONS.join(", ")}.`, type: "enum" }]);
  }
  return value;
}

async function currentEnrolment(ctx: ServiceContext, siteId: string, proposition: string) {
  const [row] = await ctx.db
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.organisationId, ctx.orgId), eq(enrolments.siteId, siteId), eq(enrolments.proposition, proposition)))
    .limit(1);
  return row;
}

/** Moves one (site, proposition) to a state, inside the caller's transaction. */
// eslint-disable-next-line flexfleet/authorize-first -- internal: the state change of enrolSite, unenrolSite and offboardSite
export async function changeEnrolmentState(
  ctx: ServiceContext,
  input: { siteId: string; proposition: string; toState: EnrolmentState; reason?: string | undefined; fromState: EnrolmentState | null },
): Promise<void> {
  const now = new Date();
  await ctx.db
    .insert(enrolments)
    .values({
      organisationId: ctx.orgId,
      siteId: input.siteId,
      proposition: input.proposition,
      state: input.toState,
      enrolledAt: input.toState === "enrolled" ? now : null,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [enrolments.organisationId, enrolments.siteId, enrolments.proposition],
      set: {
        state: input.toState,
        updatedAt: now,
        enrolledAt: input.toState === "enrolled" ? now : sql`${enrolments.enrolledAt}`,
      },
    });
  await ctx.db.insert(enrolmentEvents).values({
    organisationId: ctx.orgId,
    siteId: input.siteId,
    proposition: input.proposition,
    fromState: input.fromState,
    toState: input.toState,
    ...actorFields(ctx.actor),
    reason: input.reason ?? null,
  });
  await recordAuditEvent(ctx, {
    action: `enrolment.${input.toState}`,
    targetType: "site",
    targetId: input.siteId,
    details: { proposition: input.proposition, from: input.fromState, reason: input.reason ?? null },
  });
  const eventType = EVENT_FOR_STATE[input.toState];
  if (eventType) {
    await emitPartnerEvent(ctx, eventType, { site_id: input.siteId, proposition: input.proposition, state: input.toState, reason: input.reason ?? null });
  }
  // The site's user joins or leaves the programme: an energy-coordination UserEligibility event.
  await publishEligibilityChange(ctx, { siteId: input.siteId, enrolled: input.toState === "enrolled" }, now);
}

/** Enrols inside the caller's transaction (onboard composes it with initialise). */
// eslint-disable-next-line flexfleet/authorize-first -- internal: the transaction of enrolSite and onboardSite
export async function enrolInTransaction(ctx: ServiceContext, input: EnrolInput): Promise<{ status: EnrolStatus }> {
  const proposition = requireProposition(input.proposition);
  const site = await lockActiveSite(ctx, input.siteId);
  if (input.gaveBoundaryMeterConsentAt !== undefined) {
    await recordConsent(ctx, { siteId: site.id, changes: [{ kind: BOUNDARY_METER_KIND, action: "granted" }], occurredAt: input.gaveBoundaryMeterConsentAt });
    if (site.gaveBoundaryMeterConsentAt === null) {
      await ctx.db.update(sites).set({ gaveBoundaryMeterConsentAt: input.gaveBoundaryMeterConsentAt }).where(eq(sites.id, site.id));
      site.gaveBoundaryMeterConsentAt = input.gaveBoundaryMeterConsentAt;
    }
  }
  const existing = await currentEnrolment(ctx, site.id, proposition);
  if (existing?.state === "enrolled") return { status: "already_enrolled" };
  // A site that left the proposition (unenrolled by the partner or withdrawn by the household)
  // comes back only when the caller says the household agreed again.
  if ((existing?.state === "withdrawn" || existing?.state === "unenrolled") && input.overrideWithdrawal !== true) {
    const who = existing.state === "withdrawn" ? "The household withdrew" : "This site was unenrolled";
    throw new ServiceError(
      "PRECONDITION",
      `${who} from ${proposition} on ${existing.updatedAt.toISOString()}; enrol again only with the household's renewed agreement, sending override_withdrawal: true.`,
      [{ path: ["override_withdrawal"], message: "The site previously withdrew from this proposition; send true to re-enrol.", type: "previously_withdrawn" }],
    );
  }
  const { eligibility } = await evaluateSiteForEnrolment(ctx, site);
  const verdict = eligibility.propositions[proposition];
  if (!verdict.eligible) {
    const issues = verdict.issues.map((code: EligibilityIssueCode) => ({ path: ["proposition"], message: eligibilityIssueMessages[code], type: code }));
    throw new ServiceError(
      "PRECONDITION",
      `The site is not eligible for ${proposition}: ${verdict.issues.map((code) => eligibilityIssueMessages[code]).join(" ")}`,
      issues,
    );
  }
  const reason =
    existing?.state === "withdrawn" || existing?.state === "unenrolled" ? `${input.reason ?? "Re-enrolled"} (overriding an earlier withdrawal)` : input.reason;
  // Enrolling is the household's agreement to be dispatched under the proposition, relayed by
  // the caller: the dispatch consent it needs is recorded with the request as evidence.
  const dispatchKinds = PROPOSITION_RULES[proposition].requiredConsents.filter((kind) => kind !== BOUNDARY_METER_KIND);
  await recordConsent(ctx, {
    siteId: site.id,
    changes: dispatchKinds.map((kind) => ({ kind, action: "granted" as const })),
    evidence: { impliedBy: `enrolment in ${proposition}`, ...(input.consentEvidence ?? {}) },
    reason: `Implied by enrolment in ${proposition}`,
  });
  await changeEnrolmentState(ctx, { siteId: site.id, proposition, toState: "enrolled", fromState: existing?.state ?? null, reason });
  return { status: "enrolled" };
}

/**
 * Inside the caller's transaction: enrols the site in each of `eligible` that the household
 * has given dispatch consent for and that it was never enrolled in or taken out of (a partner's
 * unenrolment or the household's withdrawal is not undone here).
 */
// eslint-disable-next-line flexfleet/authorize-first -- internal: inside the credential hand-over (credentials:write), already authorized
export async function enrolConsentedPropositions(ctx: ServiceContext, siteId: string, eligible: readonly Proposition[]): Promise<Proposition[]> {
  const consents = await currentConsents(ctx, siteId);
  const enrolled: Proposition[] = [];
  for (const proposition of eligible) {
    if (!consents.dispatch.has(proposition)) continue;
    if ((await currentEnrolment(ctx, siteId, proposition)) !== undefined) continue;
    await enrolInTransaction(ctx, { siteId, proposition, reason: "Enrolled once eligible, with the household's dispatch consent" });
    enrolled.push(proposition);
  }
  return enrolled;
}

/**
 * Inside the caller's transaction: the household agreed to a proposition on its consent link, so
 * the site is enrolled now if it is eligible (its agreement also overrides an earlier withdrawal or
 * unenrolment). Not eligible yet: nothing changes here; the consent on record enrols it once it is.
 */
export async function enrolOnHouseholderAgreement(ctx: ServiceContext, input: { siteId: string; proposition: Proposition }): Promise<"enrolled" | "already_enrolled" | "not_eligible"> {
  authorize(ctx, "consent:write");
  const site = await lockActiveSite(ctx, input.siteId);
  if ((await currentEnrolment(ctx, site.id, input.proposition))?.state === "enrolled") return "already_enrolled";
  const { eligibility } = await evaluateSiteForEnrolment(ctx, site);
  if (!eligibility.propositions[input.proposition].eligible) return "not_eligible";
  await enrolInTransaction(ctx, { siteId: site.id, proposition: input.proposition, overrideWithdrawal: true, reason: "The household agreed on its consent link" });
  return "enrolled";
}

export async function enrolSite(ctx: ServiceContext, input: EnrolInput): Promise<{ status: EnrolStatus }> {
  authorize(ctx, "consent:write");
  return ctx.db.transaction((tx) => enrolInTransaction({ ...ctx, db: tx }, input));
}

export async function unenrolSite(ctx: ServiceContext, input: { siteId: string; proposition: string; reason?: string }): Promise<{ status: UnenrolStatus }> {
  authorize(ctx, "consent:write");
  const proposition = requireProposition(input.proposition);
  return ctx.db.transaction(async (tx) => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    await lockActiveSite(txCtx, input.siteId, { allowOffboarded: true });
    const existing = await currentEnrolment(txCtx, input.siteId, proposition);
    if (existing?.state !== "enrolled") return { status: "already_unenrolled" as const };
    await changeEnrolmentState(txCtx, { siteId: input.siteId, proposition, toState: "unenrolled", fromState: "enrolled", reason: input.reason });
    return { status: "unenrolled" as const };
  });
}

/**
 * Inside the caller's transaction: ends the enrolments that depended on dispatch consents just
 * withdrawn (a site may not stay enrolled in what it can no longer be dispatched under).
 */
// eslint-disable-next-line flexfleet/authorize-first -- internal: inside recordDispatchConsent (consent:write), already authorized
export async function unenrolForWithdrawnConsents(ctx: ServiceContext, input: { siteId: string; kinds: readonly string[] }): Promise<Proposition[]> {
  const withdrawn = new Set(input.kinds);
  const affected = ALL_PROPOSITIONS.filter((proposition) => PROPOSITION_RULES[proposition].requiredConsents.some((kind) => withdrawn.has(kind)));
  const ended: Proposition[] = [];
  for (const proposition of affected) {
    const existing = await currentEnrolment(ctx, input.siteId, proposition);
    if (existing?.state !== "enrolled") continue;
    await changeEnrolmentState(ctx, { siteId: input.siteId, proposition, toState: "unenrolled", fromState: "enrolled", reason: "Dispatch consent withdrawn" });
    ended.push(proposition);
  }
  return ended;
}

/**
 * The household's own choice on the consent page: withdraws the dispatch consent and
 * marks the enrolment withdrawn, so that a partner cannot silently re-enrol it.
 */
export async function withdrawByHousehold(ctx: ServiceContext, input: { siteId: string; proposition: string; reason?: string }): Promise<void> {
  authorize(ctx, "consent:write");
  const proposition = requireProposition(input.proposition);
  await ctx.db.transaction(async (tx) => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    await lockActiveSite(txCtx, input.siteId);
    const existing = await currentEnrolment(txCtx, input.siteId, proposition);
    if (existing?.state !== "withdrawn") {
      await changeEnrolmentState(txCtx, { siteId: input.siteId, proposition, toState: "withdrawn", fromState: existing?.state ?? null, reason: input.reason ?? "Withdrawn by the household" });
    }
  });
}

export interface SiteEnrolmentView {
  proposition: Proposition;
  name: string;
  state: EnrolmentState | "not_enrolled";
  updatedAt: Date | null;
  eligible: boolean;
  issues: { code: EligibilityIssueCode; message: string }[];
  dispatchConsent: boolean;
}

/** Per proposition: enrolment state, eligibility with reasons, and whether dispatch consent is on record. */
export async function siteEnrolments(ctx: ServiceContext, input: { siteId: string }): Promise<SiteEnrolmentView[]> {
  authorize(ctx, "consent:read");
  if (!isUuid(input.siteId)) throw notFound("Site");
  const [site] = await ctx.db.select().from(sites).where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, input.siteId))).limit(1);
  if (!site) throw notFound("Site");
  const rows = await ctx.db
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.organisationId, ctx.orgId), eq(enrolments.siteId, site.id)));
  const { eligibility, consents } = await evaluateSiteForEnrolment(ctx, site);
  return ALL_PROPOSITIONS.map((proposition) => {
    const row = rows.find((candidate) => candidate.proposition === proposition);
    const verdict = eligibility.propositions[proposition];
    return {
      proposition,
      name: PROPOSITION_RULES[proposition].name,
      state: row?.state ?? "not_enrolled",
      updatedAt: row?.updatedAt ?? null,
      eligible: verdict.eligible,
      issues: verdict.issues.map((code) => ({ code, message: eligibilityIssueMessages[code] })),
      dispatchConsent: consents.dispatch.has(proposition),
    };
  });
}

export interface EnrolmentHistoryEntry {
  id: number;
  proposition: string;
  fromState: EnrolmentState | null;
  toState: EnrolmentState;
  actorType: string;
  actorLabel: string;
  reason: string | null;
  createdAt: Date;
}

export async function enrolmentHistory(ctx: ServiceContext, input: { siteId: string }): Promise<EnrolmentHistoryEntry[]> {
  authorize(ctx, "consent:read");
  if (!isUuid(input.siteId)) throw notFound("Site");
  return ctx.db
    .select({
      id: enrolmentEvents.id,
      proposition: enrolmentEvents.proposition,
      fromState: enrolmentEvents.fromState,
      toState: enrolmentEvents.toState,
      actorType: enrolmentEvents.actorType,
      actorLabel: enrolmentEvents.actorLabel,
      reason: enrolmentEvents.reason,
      createdAt: enrolmentEvents.createdAt,
    })
    .from(enrolmentEvents)
    .where(and(eq(enrolmentEvents.organisationId, ctx.orgId), eq(enrolmentEvents.siteId, input.siteId)))
    .orderBy(desc(enrolmentEvents.id));
}
