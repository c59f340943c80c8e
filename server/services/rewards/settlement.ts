// Settlement of grid events into the reward ledger: per participant, half-hourly energy from its
// own readings, a baseline per half-hour (mean of the same local half-hour over the previous ten
// non-event weekdays), delivered = baseline - actual in the event direction, written to
// grid_event_participants.delivered_kwh, and one credit per site at the organisation's share of
// the event price. Idempotent: one ledger key per (event, site), one transaction. docs/rewards.md.
import { and, eq, gte, inArray, isNull, lt, ne } from "drizzle-orm";
import { assetReadings, gridEventParticipants, gridEvents, sites, type GridEventParticipantRow, type GridEventRow } from "@/db/schema";
import {
  computeBaseline,
  computeEventDelivery,
  computeEventRewardPence,
  type DeliverySlot,
  type EventDeliveryReport,
  type EventDirection,
  type HalfHourReading,
} from "@/server/optimiser/verification";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { notFound, precondition } from "../errors";
import { isUuid } from "../inventory/records";
import { loadHalfHourTelemetry } from "../batteries/half-hour-telemetry";
import { appendRewardEntry, readRewardSettings } from "./ledger";

export interface SettlementResult {
  /** Ledger entries written by this run (0 when the event was already settled). */
  credited: number;
  alreadySettled: boolean;
  deliveredKwh: number;
  /** Whole pence credited by this run. */
  creditedPence: number;
  report: EventSettlementReport;
}

export interface EventSettlementReport extends EventDeliveryReport {
  eventId: string;
  /** Participants that failed or rejected the dispatch: they earn nothing. */
  failedAssetIds: string[];
  sites: { siteId: string; deliveredKwh: number; rewardPence: number; earns: boolean }[];
}

const HALF_HOUR_MS = 30 * 60_000;
const BASELINE_LOOKBACK_DAYS = 60;
/** Participant states that mean the asset did not take part: measured, but never credited. */
const NON_EARNING_STATUSES = new Set(["failed", "rejected"]);
/** Readings a partner posts per asset (POST /data/readings): power labels are kW averaged over the interval, energy labels kWh. */
const ASSET_POWER_LABELS = ["battery_inverter_import_kw"] as const;
const ASSET_ENERGY_LABELS = ["charger_consumption_energy_kwh"] as const;
const SETTLEABLE_STATUSES = new Set(["completed", "settled"]);

const floorHalfHour = (ms: number) => Math.floor(ms / HALF_HOUR_MS) * HALF_HOUR_MS;

/**
 * Energy per UTC half-hour (kWh, positive = import) for one asset. Partner-posted readings win
 * where present; otherwise polled battery telemetry, as the mean battery power over the
 * half-hour times half an hour.
 */
export async function loadHalfHourEnergy(ctx: ServiceContext, assetId: string, from: Date, to: Date): Promise<Map<number, number>> {
  const energy = new Map<number, number>();
  const posted = await ctx.db
    .select({ label: assetReadings.label, startAt: assetReadings.startAt, endAt: assetReadings.endAt, value: assetReadings.value })
    .from(assetReadings)
    .where(
      and(
        eq(assetReadings.organisationId, ctx.orgId),
        eq(assetReadings.assetId, assetId),
        inArray(assetReadings.label, [...ASSET_POWER_LABELS, ...ASSET_ENERGY_LABELS]),
        gte(assetReadings.startAt, from),
        lt(assetReadings.startAt, to),
      ),
    );
  for (const reading of posted) {
    const hours = (reading.endAt.getTime() - reading.startAt.getTime()) / 3_600_000;
    if (!(hours > 0) || hours > 0.5 + 1e-9) continue;
    const kwh = (ASSET_POWER_LABELS as readonly string[]).includes(reading.label) ? reading.value * hours : reading.value;
    const slot = floorHalfHour(reading.startAt.getTime());
    energy.set(slot, (energy.get(slot) ?? 0) + kwh);
  }
  // Half-hourly means from the telemetry rollup: 60 days of baseline without reading the raw rows.
  for (const row of await loadHalfHourTelemetry(ctx, assetId, from, to)) {
    const slot = row.slot.getTime();
    if (!energy.has(slot) && Number.isFinite(row.meanBatteryPowerKw)) energy.set(slot, row.meanBatteryPowerKw * 0.5);
  }
  return energy;
}

/** Half-hour starts of the other (not cancelled) events this asset took part in: their days are not baseline days. */
async function otherEventSlots(ctx: ServiceContext, assetId: string, from: Date, to: Date, exceptEventId: string): Promise<string[]> {
  const rows = await ctx.db
    .select({ startAt: gridEvents.startAt, endAt: gridEvents.endAt })
    .from(gridEventParticipants)
    .innerJoin(gridEvents, eq(gridEvents.id, gridEventParticipants.eventId))
    .where(
      and(
        eq(gridEventParticipants.organisationId, ctx.orgId),
        eq(gridEventParticipants.assetId, assetId),
        ne(gridEvents.id, exceptEventId),
        ne(gridEvents.status, "cancelled"),
        gte(gridEvents.startAt, from),
        lt(gridEvents.startAt, to),
      ),
    );
  return rows.map((row) => row.startAt.toISOString());
}

/** Baseline and actual per half-hour of the event window for one participant. */
export async function participantDeliverySlots(ctx: ServiceContext, event: Pick<GridEventRow, "id" | "startAt" | "endAt">, assetId: string): Promise<DeliverySlot[]> {
  const lookbackStart = new Date(floorHalfHour(event.startAt.getTime()) - BASELINE_LOOKBACK_DAYS * 86_400_000);
  const energy = await loadHalfHourEnergy(ctx, assetId, lookbackStart, event.endAt);
  const history: HalfHourReading[] = [];
  for (const [slot, kwh] of energy) if (slot < event.startAt.getTime()) history.push({ start: new Date(slot), kwh });
  const eventSlots = [event.startAt.toISOString(), ...(await otherEventSlots(ctx, assetId, lookbackStart, event.startAt, event.id))];
  const slots: DeliverySlot[] = [];
  for (let t = floorHalfHour(event.startAt.getTime()); t < event.endAt.getTime(); t += HALF_HOUR_MS) {
    const start = new Date(t);
    const baseline = computeBaseline(history, start, { eventSlots, lookbackDays: BASELINE_LOOKBACK_DAYS });
    slots.push({ start: start.toISOString(), end: new Date(Math.min(t + HALF_HOUR_MS, event.endAt.getTime())).toISOString(), baselineKwh: baseline.baselineKwh, actualKwh: energy.get(t) ?? null });
  }
  return slots;
}

function directionOf(event: GridEventRow): EventDirection {
  return event.direction === "turn_up" ? "turn_up" : "turn_down";
}

async function loadEvent(ctx: ServiceContext, eventId: string, lock: boolean): Promise<GridEventRow> {
  if (!isUuid(eventId)) throw notFound("Grid event");
  const query = ctx.db.select().from(gridEvents).where(and(eq(gridEvents.organisationId, ctx.orgId), eq(gridEvents.id, eventId))).limit(1);
  const [event] = lock ? await query.for("update") : await query;
  if (!event) throw notFound("Grid event");
  return event;
}

async function buildReport(ctx: ServiceContext, event: GridEventRow, participants: GridEventParticipantRow[], sharePct: number): Promise<EventSettlementReport> {
  const assets = [];
  for (const participant of participants) {
    assets.push({ assetId: participant.assetId, siteId: participant.siteId, assignedKw: Math.abs(participant.plannedKw), slots: await participantDeliverySlots(ctx, event, participant.assetId) });
  }
  const delivery = computeEventDelivery({ direction: directionOf(event), start: event.startAt.toISOString(), end: event.endAt.toISOString(), targetKw: event.targetKw, assets });
  const failedAssetIds = participants.filter((p) => NON_EARNING_STATUSES.has(p.status)).map((p) => p.assetId).sort();
  const bySite = new Map<string, { deliveredKwh: number; earningKwh: number; earns: boolean }>();
  for (const asset of delivery.assets) {
    const siteId = asset.siteId ?? "";
    const cell = bySite.get(siteId) ?? { deliveredKwh: 0, earningKwh: 0, earns: false };
    cell.deliveredKwh += asset.deliveredKwh;
    if (!failedAssetIds.includes(asset.assetId)) {
      cell.earningKwh += asset.deliveredKwh;
      cell.earns = true;
    }
    bySite.set(siteId, cell);
  }
  const sites = [...bySite.entries()]
    .map(([siteId, cell]) => ({
      siteId,
      deliveredKwh: cell.deliveredKwh,
      earns: cell.earns,
      rewardPence: cell.earns ? computeEventRewardPence({ deliveredKwh: cell.earningKwh, priceGbpPerMwh: event.priceGbpPerMwh, operatorSharePct: sharePct }) : 0,
    }))
    .sort((a, b) => (a.siteId < b.siteId ? -1 : 1));
  return { ...delivery, eventId: event.id, failedAssetIds, sites };
}

/** Target, delivered and under-deliverers for an event, computed from readings now (no writes). */
export async function getEventSettlementReport(ctx: ServiceContext, eventId: string): Promise<EventSettlementReport> {
  authorize(ctx, "rewards:read");
  const event = await loadEvent(ctx, eventId, false);
  const participants = await ctx.db.select().from(gridEventParticipants).where(and(eq(gridEventParticipants.organisationId, ctx.orgId), eq(gridEventParticipants.eventId, event.id)));
  const settings = await readRewardSettings(ctx);
  return buildReport(ctx, event, participants, settings.operatorSharePct);
}

/**
 * Across all organisations: completed events nobody has settled that ended before `endedBefore`
 * (readings arrive after an event, so the sweep waits). For the hourly safety-net job.
 */
export async function listUnsettledGridEvents(db: ServiceContext["db"], endedBefore: Date, limit = 500): Promise<{ orgId: string; eventId: string }[]> {
  return db
    .select({ orgId: gridEvents.organisationId, eventId: gridEvents.id })
    .from(gridEvents)
    .where(and(eq(gridEvents.status, "completed"), isNull(gridEvents.settledAt), lt(gridEvents.endAt, endedBefore)))
    .orderBy(gridEvents.endAt)
    .limit(limit);
}

export function settlementKey(eventId: string, siteId: string): string {
  return `event:${eventId}:site:${siteId}`;
}

/** Computes delivered flexibility per participant from readings and credits rewards once; running it again credits nothing. */
export async function settleGridEvent(ctx: ServiceContext, eventId: string): Promise<SettlementResult> {
  authorize(ctx, "rewards:write");
  return ctx.db.transaction(async (tx) => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    // The row lock serialises concurrent settlements of one event; the unique key makes a re-run credit nothing.
    const event = await loadEvent(txCtx, eventId, true);
    if (!SETTLEABLE_STATUSES.has(event.status)) throw precondition(`The event is ${event.status}; only a completed event can be settled.`);
    const alreadySettled = event.settledAt !== null;
    const participants = await tx.select().from(gridEventParticipants).where(and(eq(gridEventParticipants.organisationId, ctx.orgId), eq(gridEventParticipants.eventId, event.id)));
    const settings = await readRewardSettings(txCtx);
    const report = await buildReport(txCtx, event, participants, settings.operatorSharePct);
    const now = new Date();
    for (const asset of report.assets) {
      await tx
        .update(gridEventParticipants)
        .set({ deliveredKwh: Math.round(asset.deliveredKwh * 1000) / 1000, updatedAt: now })
        .where(and(eq(gridEventParticipants.eventId, event.id), eq(gridEventParticipants.assetId, asset.assetId)));
    }
    let credited = 0;
    let creditedPence = 0;
    for (const site of report.sites) {
      if (!site.earns || site.rewardPence <= 0) continue;
      const entry = await appendRewardEntry(txCtx, {
        siteId: site.siteId,
        entryType: "event_credit",
        amountPence: site.rewardPence,
        idempotencyKey: settlementKey(event.id, site.siteId),
        periodStart: event.startAt,
        periodEnd: event.endAt,
        flexKwh: Math.round(site.deliveredKwh * 1000) / 1000,
        eventId: event.id,
        note: `${event.name}: ${site.deliveredKwh.toFixed(3)} kWh at ${event.priceGbpPerMwh} GBP/MWh x ${settings.operatorSharePct} %`,
      });
      if (entry) {
        credited += 1;
        creditedPence += entry.amountPence;
      }
    }
    if (!alreadySettled) await tx.update(gridEvents).set({ status: "settled", settledAt: now, updatedAt: now }).where(eq(gridEvents.id, event.id));
    await recordAuditEvent(txCtx, {
      action: "grid_event.settled",
      targetType: "grid_event",
      targetId: event.id,
      details: { credited, creditedPence, deliveredKwh: report.deliveredKwh, rerun: alreadySettled, underDelivered: report.underDeliveredAssetIds.length, failed: report.failedAssetIds.length },
    });
    return { credited, alreadySettled, deliveredKwh: report.deliveredKwh, creditedPence, report };
  });
}

export interface SiteFlexEvent {
  eventId: string;
  name: string;
  startAt: Date;
  endAt: Date;
  status: string;
  direction: string;
  priceGbpPerMwh: number;
  plannedKwh: number;
  deliveredKwh: number | null;
  /** Gross (before the household share) GBP: delivered when measured, else planned. */
  estimatedGrossRevenueGbp: number;
  /** Set once the event is settled. */
  finalGrossRevenueGbp: number | null;
}

/** Events a site took part in, newest first, with gross revenue estimates. */
export async function listSiteFlexEvents(ctx: ServiceContext, siteId: string): Promise<SiteFlexEvent[]> {
  authorize(ctx, "rewards:read");
  // Another organisation's site, or none, is not found rather than an empty list.
  if (!isUuid(siteId)) throw notFound("Site");
  const [site] = await ctx.db.select({ id: sites.id }).from(sites).where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, siteId))).limit(1);
  if (!site) throw notFound("Site");
  const rows = await ctx.db
    .select({ event: gridEvents, plannedKw: gridEventParticipants.plannedKw, deliveredKwh: gridEventParticipants.deliveredKwh, status: gridEventParticipants.status })
    .from(gridEventParticipants)
    .innerJoin(gridEvents, eq(gridEvents.id, gridEventParticipants.eventId))
    .where(and(eq(gridEventParticipants.organisationId, ctx.orgId), eq(gridEventParticipants.siteId, siteId), ne(gridEvents.status, "cancelled")));
  const byEvent = new Map<string, { event: GridEventRow; plannedKwh: number; deliveredKwh: number | null; earning: boolean }>();
  for (const row of rows) {
    const hours = (row.event.endAt.getTime() - row.event.startAt.getTime()) / 3_600_000;
    const cell = byEvent.get(row.event.id) ?? { event: row.event, plannedKwh: 0, deliveredKwh: null, earning: false };
    cell.plannedKwh += Math.abs(row.plannedKw) * hours;
    if (row.deliveredKwh !== null && !NON_EARNING_STATUSES.has(row.status)) cell.deliveredKwh = (cell.deliveredKwh ?? 0) + row.deliveredKwh;
    byEvent.set(row.event.id, cell);
  }
  const gbp = (kwh: number, price: number) => Math.round(((kwh * price) / 1000) * 100) / 100;
  return [...byEvent.values()]
    .sort((a, b) => b.event.startAt.getTime() - a.event.startAt.getTime())
    .map(({ event, plannedKwh, deliveredKwh }) => ({
      eventId: event.id,
      name: event.name,
      startAt: event.startAt,
      endAt: event.endAt,
      status: event.status,
      direction: event.direction,
      priceGbpPerMwh: event.priceGbpPerMwh,
      plannedKwh,
      deliveredKwh,
      estimatedGrossRevenueGbp: gbp(deliveredKwh ?? plannedKwh, event.priceGbpPerMwh),
      finalGrossRevenueGbp: event.settledAt !== null ? gbp(deliveredKwh ?? 0, event.priceGbpPerMwh) : null,
    }));
}
