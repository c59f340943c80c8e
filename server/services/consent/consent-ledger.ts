// The consent ledger: append-only records of boundary-meter and dispatch consents.
// A record is written only when it changes the derived state, so repeating a grant is
// idempotent; each write is audited in the same transaction.
import { evidenceFor } from "../personal-data";
import { and, desc, eq } from "drizzle-orm";
import { consentRecords, sites, type ConsentChannel, type ConsentEvidence, type ConsentRecordRow } from "@/db/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { actorFields, type ServiceContext } from "../context";
import { invalid, notFound, precondition } from "../errors";
import { isUuid } from "../inventory/records";
import { currentConsentText } from "./consent-texts";
import { BOUNDARY_METER_KIND, latestConsentRecords } from "./current-consents";

export { BOUNDARY_METER_KIND } from "./current-consents";

/** Dispatch consent kinds known today; the ledger accepts new ones. */
export const DISPATCH_CONSENT_KINDS = [
  "vpp_limited_control",
  "full_asset_control",
  "full_asset_schedule_control",
  "limited_pause",
  "cm_infrequent_dispatch",
] as const;

export interface ConsentChange {
  kind: string;
  action: "granted" | "withdrawn";
}

export interface RecordConsentInput {
  siteId: string;
  changes: ConsentChange[];
  /** Defaults from the actor: api_client → partner_api, operator → operator, householder → householder_page. */
  channel?: ConsentChannel;
  occurredAt?: Date;
  evidence?: ConsentEvidence;
  /** Defaults to the current text version for each kind. */
  consentTextVersion?: string;
  reason?: string;
}

export interface RecordConsentResult {
  recorded: ConsentRecordRow[];
  unchanged: ConsentChange[];
}

function channelFor(ctx: ServiceContext): ConsentChannel {
  switch (ctx.actor.type) {
    case "api_client":
      return "partner_api";
    case "operator":
      return "operator";
    case "householder":
      return "householder_page";
    case "system":
      return "system";
  }
}

const KIND_PATTERN = /^[a-z][a-z0-9_]{1,63}$/;

export async function lockActiveSite(ctx: ServiceContext, siteId: string, options: { allowOffboarded?: boolean } = {}) {
  if (!isUuid(siteId)) throw notFound("Site");
  const [site] = await ctx.db
    .select()
    .from(sites)
    .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, siteId)))
    .for("update")
    .limit(1);
  if (!site) throw notFound("Site");
  if (site.status === "offboarded" && options.allowOffboarded !== true) {
    throw precondition("The site has been offboarded; its consents can no longer change.");
  }
  return site;
}

/** Appends the records that change the current state; repeats are reported as unchanged. */
export async function recordConsent(ctx: ServiceContext, input: RecordConsentInput): Promise<RecordConsentResult> {
  authorize(ctx, "consent:write");
  for (const [index, change] of input.changes.entries()) {
    if (!KIND_PATTERN.test(change.kind)) {
      throw invalid("Unknown consent kind.", [{ path: ["changes", index, "kind"], message: "Use lower-case letters, digits and underscores." }]);
    }
  }
  const run = async (tx: ServiceContext["db"]): Promise<RecordConsentResult> => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    await lockActiveSite(txCtx, input.siteId);
    const latest = await latestConsentRecords(txCtx, input.siteId);
    const recorded: ConsentRecordRow[] = [];
    const unchanged: ConsentChange[] = [];
    for (const change of input.changes) {
      const current = latest.get(change.kind)?.action ?? "withdrawn";
      if (current === change.action) {
        unchanged.push(change);
        continue;
      }
      const [row] = await tx
        .insert(consentRecords)
        .values({
          organisationId: ctx.orgId,
          siteId: input.siteId,
          kind: change.kind,
          action: change.action,
          channel: input.channel ?? channelFor(ctx),
          ...actorFields(ctx.actor),
          consentTextVersion: change.action === "granted" ? (input.consentTextVersion ?? currentConsentText(change.kind).version) : (input.consentTextVersion ?? null),
          evidence: input.evidence ?? {},
          reason: input.reason ?? null,
          occurredAt: input.occurredAt ?? new Date(),
        })
        .returning();
      if (row) {
        recorded.push(row);
        latest.set(change.kind, row);
      }
    }
    if (recorded.length > 0) {
      await recordAuditEvent(txCtx, {
        action: "consent.recorded",
        targetType: "site",
        targetId: input.siteId,
        details: { changes: recorded.map((row) => ({ kind: row.kind, action: row.action, channel: row.channel, version: row.consentTextVersion })) },
      });
    }
    return { recorded, unchanged };
  };
  return ctx.db.transaction((tx) => run(tx));
}

export interface ConsentTimelineEntry {
  id: number;
  kind: string;
  action: "granted" | "withdrawn";
  channel: ConsentChannel;
  actorType: string;
  actorLabel: string;
  consentTextVersion: string | null;
  evidence: ConsentEvidence;
  reason: string | null;
  occurredAt: Date;
  recordedAt: Date;
}

/** Every record for a site, newest first. */
export async function consentTimeline(ctx: ServiceContext, input: { siteId: string }): Promise<ConsentTimelineEntry[]> {
  authorize(ctx, "consent:read");
  if (!isUuid(input.siteId)) throw notFound("Site");
  const rows = await ctx.db
    .select()
    .from(consentRecords)
    .where(and(eq(consentRecords.organisationId, ctx.orgId), eq(consentRecords.siteId, input.siteId)))
    .orderBy(desc(consentRecords.id));
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    action: row.action,
    channel: row.channel,
    actorType: row.actorType,
    actorLabel: row.actorLabel,
    consentTextVersion: row.consentTextVersion,
    evidence: evidenceFor(ctx, row.evidence),
    reason: row.reason,
    occurredAt: row.occurredAt,
    recordedAt: row.recordedAt,
  }));
}

export const isBoundaryMeterKind = (kind: string) => kind === BOUNDARY_METER_KIND;
