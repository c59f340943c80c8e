// Offboarding a site: withdraw every consent, end every enrolment, cancel what is pending
// for its assets, delete OEM credentials, revoke householder links, delete bank accounts no
// withdrawal was paid to and anonymise personal data, while keeping what settlement and
// accounting need (readings, reward ledger, the bank account a withdrawal was paid to, consent
// history with its evidence) until the configured retention date. Idempotent:
// a second call finds nothing left to do and says so.
import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { assets, batteryActions, customers, enrolments, householderLinks, meters, oemCredentials, rewardBankAccounts, siteOffboardings, sites } from "@/db/schema";
import { getConfig } from "@/server/config";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { BOUNDARY_METER_KIND, lockActiveSite, recordConsent } from "../consent/consent-ledger";
import { latestConsentRecords } from "../consent/current-consents";
import { changeEnrolmentState } from "../enrolment/enrolment";
import { emitPartnerEvent } from "../webhooks/partner-webhooks";

export const REMOVED = "[removed]";

export interface OffboardResult {
  siteId: string;
  /** True when the site was already offboarded before this call. */
  alreadyOffboarded: boolean;
  nothingLeftToDo: boolean;
  consentsWithdrawn: string[];
  enrolmentsEnded: string[];
  actionsCancelled: number;
  credentialsDeleted: number;
  linksRevoked: number;
  /** "table.column" entries that held personal data and were cleared. */
  personalDataRemoved: string[];
  retainUntil: Date;
}

export async function offboardSite(ctx: ServiceContext, input: { siteId: string; reason?: string }): Promise<OffboardResult> {
  authorize(ctx, "consent:write");
  return ctx.db.transaction(async (tx) => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    const site = await lockActiveSite(txCtx, input.siteId, { allowOffboarded: true });
    const alreadyOffboarded = site.status === "offboarded";
    const reason = input.reason ?? "Offboarded";
    const now = new Date();

    // Consents first, while the site is still active (the ledger refuses changes afterwards).
    let latest = await latestConsentRecords(txCtx, site.id);
    if (!latest.has(BOUNDARY_METER_KIND) && site.gaveBoundaryMeterConsentAt !== null && !alreadyOffboarded) {
      // A consent time sent with the site never reached the ledger: put it there so that
      // its withdrawal is recorded against it.
      await recordConsent(txCtx, {
        siteId: site.id,
        changes: [{ kind: BOUNDARY_METER_KIND, action: "granted" }],
        channel: "partner_api",
        occurredAt: site.gaveBoundaryMeterConsentAt,
        reason: "Consent time sent with the site (gave_boundary_meter_consent_at)",
      });
      latest = await latestConsentRecords(txCtx, site.id);
    }
    const granted = [...latest.values()].filter((row) => row.action === "granted").map((row) => row.kind);
    if (granted.length > 0) {
      if (alreadyOffboarded) await tx.update(sites).set({ status: "active" }).where(eq(sites.id, site.id));
      await recordConsent(txCtx, { siteId: site.id, changes: granted.map((kind) => ({ kind, action: "withdrawn" as const })), reason });
    }

    const open = await tx
      .select()
      .from(enrolments)
      .where(and(eq(enrolments.organisationId, ctx.orgId), eq(enrolments.siteId, site.id), ne(enrolments.state, "offboarded")));
    for (const row of open) {
      await changeEnrolmentState(txCtx, { siteId: site.id, proposition: row.proposition, toState: "offboarded", fromState: row.state, reason });
    }

    const siteAssetIds = (await tx.select({ id: assets.id }).from(assets).where(and(eq(assets.organisationId, ctx.orgId), eq(assets.siteId, site.id)))).map(
      (row) => row.id,
    );
    const cancelled =
      siteAssetIds.length === 0
        ? []
        : await tx
            .update(batteryActions)
            .set({ state: "CANCELLED", completedAt: now, updatedAt: now })
            .where(and(inArray(batteryActions.assetId, siteAssetIds), eq(batteryActions.state, "PENDING")))
            .returning({ id: batteryActions.id });
    const deletedCredentials = await tx
      .delete(oemCredentials)
      .where(and(eq(oemCredentials.organisationId, ctx.orgId), eq(oemCredentials.siteId, site.id)))
      .returning({ id: oemCredentials.id });
    const revoked = await tx
      .update(householderLinks)
      .set({ revokedAt: now })
      .where(and(eq(householderLinks.organisationId, ctx.orgId), eq(householderLinks.siteId, site.id), isNull(householderLinks.revokedAt)))
      .returning({ id: householderLinks.id });

    // A bank account a withdrawal request names is the evidence of that payout: it stays (sealed) with the ledger.
    const deletedBankAccounts = await tx
      .delete(rewardBankAccounts)
      .where(
        and(
          eq(rewardBankAccounts.organisationId, ctx.orgId),
          eq(rewardBankAccounts.siteId, site.id),
          sql`not exists (select 1 from reward_withdrawal_requests r where r.bank_account_id = ${rewardBankAccounts.id})`,
        ),
      )
      .returning({ id: rewardBankAccounts.id });

    const personalDataRemoved: string[] = [];
    if (deletedBankAccounts.length > 0) personalDataRemoved.push("reward_bank_accounts");
    if (site.email !== null) personalDataRemoved.push("sites.email");
    if (site.streetAddress !== null) personalDataRemoved.push("sites.street_address");
    if (site.customerId !== null) {
      const [customer] = await tx.select().from(customers).where(eq(customers.id, site.customerId)).limit(1);
      if (customer && (customer.name !== null || customer.email !== null)) {
        if (customer.name !== null) personalDataRemoved.push("customers.name");
        if (customer.email !== null) personalDataRemoved.push("customers.email");
        await tx.update(customers).set({ name: null, email: null, updatedAt: now }).where(eq(customers.id, customer.id));
      }
    }
    const meterRows = await tx
      .update(meters)
      .set({ street: REMOVED, city: null, latitude: null, longitude: null })
      .where(and(eq(meters.organisationId, ctx.orgId), eq(meters.siteId, site.id), ne(meters.street, REMOVED)))
      .returning({ id: meters.id });
    if (meterRows.length > 0) personalDataRemoved.push("meters.street");

    await tx
      .update(sites)
      .set({ status: "offboarded", email: null, streetAddress: null, gaveBoundaryMeterConsentAt: null, eligiblePropositions: [], updatedAt: now })
      .where(eq(sites.id, site.id));

    const retainUntil = new Date(now.getTime() + getConfig().retentionDays * 86_400_000);
    const [offboarding] = await tx
      .insert(siteOffboardings)
      .values({ siteId: site.id, organisationId: ctx.orgId, retainUntil, actorLabel: ctx.actor.label, reason: input.reason ?? null })
      .onConflictDoNothing()
      .returning();

    const result: OffboardResult = {
      siteId: site.id,
      alreadyOffboarded,
      nothingLeftToDo: false,
      consentsWithdrawn: granted,
      enrolmentsEnded: open.map((row) => row.proposition),
      actionsCancelled: cancelled.length,
      credentialsDeleted: deletedCredentials.length,
      linksRevoked: revoked.length,
      personalDataRemoved,
      retainUntil: offboarding?.retainUntil ?? retainUntil,
    };
    result.nothingLeftToDo =
      alreadyOffboarded &&
      granted.length === 0 &&
      open.length === 0 &&
      cancelled.length === 0 &&
      deletedCredentials.length === 0 &&
      revoked.length === 0 &&
      personalDataRemoved.length === 0;
    if (!offboarding) {
      const [existing] = await tx.select().from(siteOffboardings).where(eq(siteOffboardings.siteId, site.id)).limit(1);
      if (existing) result.retainUntil = existing.retainUntil;
    }
    if (!result.nothingLeftToDo) {
      await recordAuditEvent(txCtx, {
        action: "site.offboarded",
        targetType: "site",
        targetId: site.id,
        details: { ...result, retainUntil: result.retainUntil.toISOString(), reason },
      });
      if (!alreadyOffboarded) await emitPartnerEvent(txCtx, "site.offboarded", { site_id: site.id, reason });
    }
    return result;
  });
}
