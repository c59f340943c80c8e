// The live view of an event: target against the participants' aggregate response over time, and
// each asset's status. Response is battery power in the event direction (discharge counts positive
// on a turn-down, charge on a turn-up), from the batteries' own readings; delivered energy against
// a baseline is settlement's business, not this chart's. The points span the whole window (and a
// margin either side) whatever the time, so the chart shows what is still to come; buckets after
// `now` have no response yet.
import { and, asc, eq, gte, inArray, lte } from "drizzle-orm";
import { batteryReadings } from "@/db/schema";
import { assessEventResponse, type EventResponseAssessment } from "@/server/domain/event-response";
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
  /** The instant the view was worked out for (the chart's now-line). */
  now: Date;
  /** Aggregate response now, kW in the event direction; null when no participant reported in the last minutes. */
  latestKw: number | null;
  /** Whether the event is delivering now: its phase, the under-delivery threshold and any shortfall. */
  delivery: EventResponseAssessment;
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
  const to = event.endAt.getTime() + MARGIN_MS;
  const bucketMs = Math.max(60_000, Math.ceil((to - from) / 240 / 60_000) * 60_000);
  const readUntil = Math.min(now.getTime(), to);
  const batteryIds = participants.filter((p) => p.control === "oem_action").map((p) => p.assetId);
  const readings =
    batteryIds.length === 0 || readUntil < from
      ? []
      : await ctx.db
          .select({ assetId: batteryReadings.assetId, observedAt: batteryReadings.observedAt, kw: batteryReadings.batteryPowerKw })
          .from(batteryReadings)
          .where(
            and(
              eq(batteryReadings.organisationId, ctx.orgId),
              inArray(batteryReadings.assetId, batteryIds),
              gte(batteryReadings.observedAt, new Date(from - CARRY_FORWARD_MS)),
              lte(batteryReadings.observedAt, new Date(readUntil)),
            ),
          )
          .orderBy(asc(batteryReadings.observedAt));
  const sign = event.direction === "turn_down" ? -1 : 1;
  const latestByAsset = new Map<string, { at: number; kw: number }>();
  let cursor = 0;
  /** The participants' summed response at `instant` from the readings up to it; null when none is fresh. */
  const responseAt = (instant: number): number | null => {
    while (cursor < readings.length) {
      const r = readings[cursor];
      if (!r || r.observedAt.getTime() > instant) break;
      latestByAsset.set(r.assetId, { at: r.observedAt.getTime(), kw: r.kw });
      cursor += 1;
    }
    let total = 0;
    let any = false;
    for (const value of latestByAsset.values()) {
      if (instant - value.at > CARRY_FORWARD_MS) continue;
      total += sign * value.kw;
      any = true;
    }
    return any ? Math.round(total * 1000) / 1000 : null;
  };
  const points: LivePoint[] = [];
  for (let start = from; start < to; start += bucketMs) {
    const bucketEnd = Math.min(start + bucketMs, to);
    const inWindow = start >= event.startAt.getTime() && start < event.endAt.getTime();
    // A bucket still under way reads up to now; one that has not begun has no response yet.
    const actualKw = start > readUntil ? null : responseAt(Math.min(bucketEnd, readUntil));
    points.push({ time: new Date(start).toISOString(), targetKw: inWindow ? event.targetKw : 0, actualKw });
  }
  const latestKw = readUntil === now.getTime() ? responseAt(readUntil) : null;
  const delivery = assessEventResponse({ status: event.status, startAt: event.startAt, endAt: event.endAt, targetKw: event.targetKw, responseKw: latestKw, now });
  const statusCounts: Record<string, number> = {};
  for (const p of participants) statusCounts[p.status] = (statusCounts[p.status] ?? 0) + 1;
  const reports = (await listStatusReports(ctx, event.id)).map((r) => ({ assetId: r.assetId, status: r.status, receivedAt: r.receivedAt }));
  return {
    event,
    participants,
    points,
    bucketSeconds: bucketMs / 1000,
    now,
    latestKw,
    delivery,
    failures: participants.filter((p) => FAILED_STATUSES.has(p.status)).map((p) => ({ assetId: p.assetId, assetExternalId: p.assetExternalId, status: p.status, reason: p.failureReason })),
    statusCounts,
    reports,
  };
}
