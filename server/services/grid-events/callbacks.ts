// Partner reports on a dispatched event (POST /entities/asset/{asset_id}/callback/{event_id}):
// appended to grid_event_status_reports and reflected on the participant. A terminal report
// (REJECTED, FAILED, EXECUTED) is not overwritten by a late RECEIVED or ACCEPTED.
import { and, eq } from "drizzle-orm";
import { assets, gridEventParticipants, gridEventStatusReports, gridEvents } from "@/db/schema";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { isUuid } from "../inventory/records";
import { authorize } from "../authorize";

export const PARTNER_EVENT_STATUSES = ["RECEIVED", "ACCEPTED", "REJECTED", "FAILED", "EXECUTED"] as const;
export type PartnerEventStatus = (typeof PARTNER_EVENT_STATUSES)[number];

const RANK: Record<string, number> = { planned: 0, dispatched: 0, received: 1, accepted: 2, rejected: 3, failed: 3, executed: 3 };

export interface PartnerCallbackInput {
  /** Our asset id, or the partner's external id when assetIdIsExternal. */
  assetId: string;
  eventId: string;
  status: PartnerEventStatus;
  /** The partner's own time for the report; defaults to now. */
  timestamp?: Date;
  assetIdIsExternal?: boolean;
}

export async function recordPartnerCallback(ctx: ServiceContext, input: PartnerCallbackInput, now = new Date()): Promise<{ status: PartnerEventStatus; timestamp: Date }> {
  authorize(ctx, "grid_events:write");
  if (!isUuid(input.eventId)) throw notFound("Event");
  const assetWhere = input.assetIdIsExternal ? eq(assets.externalId, input.assetId) : isUuid(input.assetId) ? eq(assets.id, input.assetId) : undefined;
  if (!assetWhere) throw notFound("Asset");
  const [asset] = await ctx.db
    .select({ id: assets.id })
    .from(assets)
    .where(and(eq(assets.organisationId, ctx.orgId), assetWhere))
    .limit(1);
  if (!asset) throw notFound("Asset");
  const [event] = await ctx.db
    .select({ id: gridEvents.id })
    .from(gridEvents)
    .where(and(eq(gridEvents.organisationId, ctx.orgId), eq(gridEvents.id, input.eventId)))
    .limit(1);
  if (!event) throw notFound("Event");
  const timestamp = input.timestamp ?? now;
  return ctx.db.transaction(async (tx) => {
    const [participant] = await tx
      .select()
      .from(gridEventParticipants)
      .where(and(eq(gridEventParticipants.organisationId, ctx.orgId), eq(gridEventParticipants.eventId, event.id), eq(gridEventParticipants.assetId, asset.id)))
      .for("update")
      .limit(1);
    if (!participant) throw notFound("The asset's part in this event");
    await tx.insert(gridEventStatusReports).values({
      organisationId: ctx.orgId,
      eventId: event.id,
      assetId: asset.id,
      status: input.status,
      payload: { status: input.status, timestamp: timestamp.toISOString(), reported_by: ctx.actor.label },
      receivedAt: now,
    });
    const next = input.status.toLowerCase();
    const currentRank = RANK[participant.status];
    // Battery participants we control have their own lifecycle; only partner-style statuses move here.
    if (currentRank !== undefined && (RANK[next] ?? 0) >= currentRank && !(currentRank === 3 && next !== participant.status)) {
      await tx
        .update(gridEventParticipants)
        .set({ status: next, failureReason: input.status === "REJECTED" || input.status === "FAILED" ? `The partner reported ${input.status}.` : participant.failureReason, updatedAt: now })
        .where(eq(gridEventParticipants.id, participant.id));
    }
    return { status: input.status, timestamp };
  });
}

export async function listStatusReports(ctx: ServiceContext, eventId: string) {
  authorize(ctx, "grid_events:read");
  if (!isUuid(eventId)) throw notFound("Grid event");
  return ctx.db
    .select({ id: gridEventStatusReports.id, assetId: gridEventStatusReports.assetId, status: gridEventStatusReports.status, receivedAt: gridEventStatusReports.receivedAt, payload: gridEventStatusReports.payload })
    .from(gridEventStatusReports)
    .where(and(eq(gridEventStatusReports.organisationId, ctx.orgId), eq(gridEventStatusReports.eventId, eventId)))
    .orderBy(gridEventStatusReports.id);
}
