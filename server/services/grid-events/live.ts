// The live view of an event: target against the participants' aggregate response over time, and
// each asset's status. Response is battery power in the event direction (discharge counts positive
// on a turn-down, charge on a turn-up), from the batteries' own readings; delivered energy against
// a baseline is settlement's business, not this chart's.
import { and, asc, eq, gte, inArray, lte } from "drizzle-orm";
import { batteryReadings } from "@/db/schema";
import type { ServiceContext } from "../context";
import { getGridEvent, type GridEvent, type GridEventParticipant } from "./events";
import { listStatusReports } from "./callbacks";
import { authorize } from "../authorize";

export interface LivePoint {
  time: string;
  targetKw: number;
  actualKw: number | null;
}

export interface GridEventLive {
  event: GridEvent;
  participants: GridEventParticipant[];
  points: LivePoint[];
  bucketSeconds: number;
  /** Latest aggregate response, kW, or null with no readings yet. */
  latestKw: number | null;
  failures: { assetId: string; assetExternalId: string; status: string; reason: string | null }[];
  statusCounts: Record<string, number>;
  reports: { assetId: string; status: string; receivedAt: Date }[];
}

const MARGIN_MS = 30 * 60 * 1000;
/** A reading stands for the asset's power until a newer one, for at most this long. */
const CARRY_FORWARD_MS = 5 * 60 * 1000;
const FAILED_STATUSES = new Set(["failed", "rejected", "restore_failed"]);

export async function getGridEventLive(ctx: ServiceContext, eventId: string, now = new Date()): Promise<GridEventLive> {
  authorize(ctx, "grid_events:read");
  const { event, participants } = await getGridEvent(ctx, eventId);
  const from = event.startAt.getTime() - MARGIN_MS;
  const to = Math.max(from + 60_000, Math.min(now.getTime(), event.endAt.getTime() + MARGIN_MS));
  const bucketMs = Math.max(60_000, Math.ceil((to - from) / 240 / 60_000) * 60_000);
  const batteryIds = participants.filter((p) => p.control === "oem_action").map((p) => p.assetId);
  const readings =
    batteryIds.length === 0
      ? []
      : await ctx.db
          .select({ assetId: batteryReadings.assetId, observedAt: batteryReadings.observedAt, kw: batteryReadings.batteryPowerKw })
          .from(batteryReadings)
          .where(
            and(
              eq(batteryReadings.organisationId, ctx.orgId),
              inArray(batteryReadings.assetId, batteryIds),
              gte(batteryReadings.observedAt, new Date(from - CARRY_FORWARD_MS)),
              lte(batteryReadings.observedAt, new Date(to)),
            ),
          )
          .orderBy(asc(batteryReadings.observedAt));
  const sign = event.direction === "turn_down" ? -1 : 1;
  const latestByAsset = new Map<string, { at: number; kw: number }>();
  const points: LivePoint[] = [];
  let cursor = 0;
  let latestKw: number | null = null;
  for (let start = from; start < to; start += bucketMs) {
    const bucketEnd = Math.min(start + bucketMs, to);
    while (cursor < readings.length) {
      const r = readings[cursor];
      if (!r || r.observedAt.getTime() >= bucketEnd) break;
      latestByAsset.set(r.assetId, { at: r.observedAt.getTime(), kw: r.kw });
      cursor += 1;
    }
    let total = 0;
    let any = false;
    for (const value of latestByAsset.values()) {
      if (bucketEnd - value.at > CARRY_FORWARD_MS) continue;
      total += sign * value.kw;
      any = true;
    }
    const inWindow = start >= event.startAt.getTime() && start < event.endAt.getTime();
    const actualKw = any ? Math.round(total * 1000) / 1000 : null;
    if (actualKw !== null) latestKw = actualKw;
    points.push({ time: new Date(start).toISOString(), targetKw: inWindow ? event.targetKw : 0, actualKw });
  }
  const statusCounts: Record<string, number> = {};
  for (const p of participants) statusCounts[p.status] = (statusCounts[p.status] ?? 0) + 1;
  const reports = (await listStatusReports(ctx, event.id)).map((r) => ({ assetId: r.assetId, status: r.status, receivedAt: r.receivedAt }));
  return {
    event,
    participants,
    points,
    bucketSeconds: bucketMs / 1000,
    latestKw,
    failures: participants.filter((p) => FAILED_STATUSES.has(p.status)).map((p) => ({ assetId: p.assetId, assetExternalId: p.assetExternalId, status: p.status, reason: p.failureReason })),
    statusCounts,
    reports,
  };
}
