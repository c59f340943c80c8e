// The partner-facing consent calls: boundary-meter consent and dispatch consents.
import { eq } from "drizzle-orm";
import { sites, type ConsentEvidence } from "@/db/schema";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { unenrolForWithdrawnConsents } from "../enrolment/enrolment";
import { refreshSiteEligibility } from "../inventory/eligibility";
import { BOUNDARY_METER_KIND, recordConsent, type RecordConsentResult } from "./consent-ledger";
import { lockActiveSite } from "./consent-ledger";
import { currentConsents } from "./current-consents";

/** Records the household's boundary-meter consent given at `gaveAt`, and keeps the site's field and stored eligibility in step. */
export async function recordMeterConsent(ctx: ServiceContext, input: { siteId: string; gaveAt: Date }): Promise<RecordConsentResult> {
  authorize(ctx, "consent:write");
  return ctx.db.transaction(async (tx) => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    await lockActiveSite(txCtx, input.siteId);
    const result = await recordConsent(txCtx, {
      siteId: input.siteId,
      changes: [{ kind: BOUNDARY_METER_KIND, action: "granted" }],
      occurredAt: input.gaveAt,
      evidence: { partnerTimestamp: input.gaveAt.toISOString() },
    });
    await tx.update(sites).set({ gaveBoundaryMeterConsentAt: input.gaveAt, updatedAt: new Date() }).where(eq(sites.id, input.siteId));
    await refreshSiteEligibility(tx, ctx.orgId, input.siteId);
    return result;
  });
}

/**
 * Grants or withdraws dispatch methods; repeating a grant or withdrawal records nothing new.
 * A withdrawal also unenrols the site from every proposition that needed the consent, in the
 * same transaction.
 */
export async function recordDispatchConsent(
  ctx: ServiceContext,
  input: { siteId: string; methods: readonly string[]; action: "granted" | "withdrawn"; reason?: string; evidence?: ConsentEvidence },
): Promise<RecordConsentResult & { unenrolled: string[] }> {
  authorize(ctx, "consent:write");
  return ctx.db.transaction(async (tx) => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    const result = await recordConsent(txCtx, {
      siteId: input.siteId,
      changes: input.methods.map((kind) => ({ kind, action: input.action })),
      reason: input.reason,
      ...(input.evidence !== undefined ? { evidence: input.evidence } : {}),
    });
    const unenrolled = input.action === "withdrawn" ? await unenrolForWithdrawnConsents(txCtx, { siteId: input.siteId, kinds: input.methods }) : [];
    return { ...result, unenrolled };
  });
}

/** The dispatch methods currently consented to, sorted. */
export async function currentDispatchMethods(ctx: ServiceContext, siteId: string): Promise<string[]> {
  authorize(ctx, "consent:read");
  return [...(await currentConsents(ctx, siteId)).dispatch].sort();
}
