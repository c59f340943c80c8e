// The read side of smart charging for the dashboard: who is plugged in now, what the fleet
// plans to draw over the next day against the market price, and one session's full history.
// The write side (events, planning, delivery) lives in ../charging and ../schedule-delivery;
// this module only reads their tables, always scoped to the caller's organisation.
import { and, asc, count, desc, eq, gte, ilike, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import {
  assetReadings,
  assets,
  chargingEvents,
  chargingIntents,
  chargingPlans,
  chargingSessions,
  scheduleDeliveries,
  scheduleDeliveryAttempts,
  sites,
  type StoredPlanSlot,
} from "@/db/schema";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { isUuid } from "../inventory/records";
import { operatorMarket } from "../market-prices/default-market";
import { getPriceSlots } from "../market-prices/market-prices";
import { authorize } from "../authorize";

export const HALF_HOUR_MS = 30 * 60_000;
export const CHARGER_ENERGY_LABEL = "charger_consumption_energy_kwh";

export function floorToHalfHour(instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / HALF_HOUR_MS) * HALF_HOUR_MS);
}

/** Energy a plan puts into [from, to): each plan slot's kWh pro rata to its overlap (plans may start or end mid-slot). */
export function plannedEnergyBetween(slots: readonly StoredPlanSlot[], from: number, to: number): number {
  let kwh = 0;
  for (const slot of slots) {
    const start = Date.parse(slot.start);
    const end = Date.parse(slot.end);
    if (!(end > start)) continue;
    const overlap = Math.min(end, to) - Math.max(start, from);
    if (overlap > 0) kwh += slot.kwh * (overlap / (end - start));
  }
  return kwh;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

export interface PlanSummary {
  planId: string;
  version: number;
  trigger: string;
  createdAt: Date;
  energyKwh: number;
  costPence: number;
  baselineCostPence: number;
  savingPence: number;
  met: boolean;
  shortfallKwh: number;
  windowStart: Date;
  windowEnd: Date;
}

function summarisePlan(plan: typeof chargingPlans.$inferSelect): PlanSummary {
  return {
    planId: plan.id,
    version: plan.version,
    trigger: plan.trigger,
    createdAt: plan.createdAt,
    energyKwh: plan.energyKwh,
    costPence: plan.costPence,
    baselineCostPence: plan.baselineCostPence,
    savingPence: plan.savingPence,
    met: plan.met,
    shortfallKwh: plan.shortfallKwh,
    windowStart: plan.windowStart,
    windowEnd: plan.windowEnd,
  };
}

/** The latest plan version of each given session. */
async function latestPlans(
  ctx: ServiceContext,
  sessionIds: readonly string[],
): Promise<Map<string, typeof chargingPlans.$inferSelect>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await ctx.db
    .selectDistinctOn([chargingPlans.sessionId])
    .from(chargingPlans)
    .where(
      and(eq(chargingPlans.organisationId, ctx.orgId), inArray(chargingPlans.sessionId, [...sessionIds])),
    )
    .orderBy(chargingPlans.sessionId, desc(chargingPlans.version));
  return new Map(rows.map((row) => [row.sessionId, row]));
}

// ---------------------------------------------------------------------------------------------
// Overview

export interface PluggedInSession {
  sessionId: string;
  assetId: string;
  assetExternalId: string;
  siteId: string;
  postcode: string;
  pluggedInAt: Date;
  chargerPowerKw: number;
  flagged: boolean;
  latestPlan: PlanSummary | null;
}

export interface LoadCurvePeriod {
  start: Date;
  /** Average planned charging power over the half hour, summed over every open session. */
  kw: number;
  kwh: number;
  priceGbpPerMwh: number | null;
}

export interface FailedDelivery {
  deliveryId: string;
  sessionId: string;
  assetId: string;
  assetExternalId: string;
  planVersion: number;
  attempts: number;
  lastError: string | null;
  failedAt: Date;
}

export interface ChargingOverview {
  generatedAt: Date;
  pluggedIn: PluggedInSession[];
  flaggedCount: number;
  /** The market whose prices are shown; null when the organisation has no price curve. */
  market: string | null;
  loadCurve: LoadCurvePeriod[];
  plannedEnergyKwh: number;
  deliveries: { failed: number; pending: number; recentFailures: FailedDelivery[] };
}

export async function getChargingOverview(
  ctx: ServiceContext,
  input: { now?: Date; market?: string; hours?: number } = {},
): Promise<ChargingOverview> {
  authorize(ctx, "sites:read");
  const now = input.now ?? new Date();
  const hours = input.hours ?? 24;
  const from = floorToHalfHour(now);
  const periodCount = Math.round((hours * 3_600_000) / HALF_HOUR_MS);
  const to = new Date(from.getTime() + periodCount * HALF_HOUR_MS);

  const open = await ctx.db
    .select({
      sessionId: chargingSessions.id,
      assetId: chargingSessions.assetId,
      assetExternalId: assets.externalId,
      siteId: chargingSessions.siteId,
      postcode: sites.postcode,
      pluggedInAt: chargingSessions.pluggedInAt,
      chargerPowerKw: chargingSessions.chargerPowerKw,
      flagged: chargingSessions.flagged,
    })
    .from(chargingSessions)
    .innerJoin(assets, eq(assets.id, chargingSessions.assetId))
    .innerJoin(sites, eq(sites.id, chargingSessions.siteId))
    .where(and(eq(chargingSessions.organisationId, ctx.orgId), isNull(chargingSessions.pluggedOutAt)))
    .orderBy(desc(chargingSessions.pluggedInAt), asc(chargingSessions.id));
  const plans = await latestPlans(
    ctx,
    open.map((s) => s.sessionId),
  );

  // The same market the planner ranks slots by, so the chart shows what the plans were made against.
  const market = input.market ?? (await operatorMarket(ctx.db, ctx.orgId));
  const prices = new Map<number, number>();
  if (market !== null)
    for (const slot of await getPriceSlots(ctx, { market, from, to }))
      prices.set(slot.slotStart.getTime(), slot.priceGbpPerMwh);

  const loadCurve: LoadCurvePeriod[] = [];
  for (let i = 0; i < periodCount; i++) {
    const start = from.getTime() + i * HALF_HOUR_MS;
    let kwh = 0;
    for (const plan of plans.values()) kwh += plannedEnergyBetween(plan.slots, start, start + HALF_HOUR_MS);
    loadCurve.push({
      start: new Date(start),
      kwh: round(kwh),
      kw: round(kwh / 0.5),
      priceGbpPerMwh: prices.get(start) ?? null,
    });
  }

  const statusCounts = await ctx.db
    .select({ status: scheduleDeliveries.status, n: count() })
    .from(scheduleDeliveries)
    .where(
      and(
        eq(scheduleDeliveries.organisationId, ctx.orgId),
        inArray(scheduleDeliveries.status, ["failed", "pending"]),
      ),
    )
    .groupBy(scheduleDeliveries.status);
  const failures = await ctx.db
    .select({
      deliveryId: scheduleDeliveries.id,
      sessionId: scheduleDeliveries.sessionId,
      assetId: scheduleDeliveries.assetId,
      assetExternalId: assets.externalId,
      planVersion: chargingPlans.version,
      attempts: scheduleDeliveries.attempts,
      lastError: scheduleDeliveries.lastError,
      failedAt: scheduleDeliveries.updatedAt,
    })
    .from(scheduleDeliveries)
    .innerJoin(assets, eq(assets.id, scheduleDeliveries.assetId))
    .innerJoin(chargingPlans, eq(chargingPlans.id, scheduleDeliveries.planId))
    .where(and(eq(scheduleDeliveries.organisationId, ctx.orgId), eq(scheduleDeliveries.status, "failed")))
    .orderBy(desc(scheduleDeliveries.updatedAt))
    .limit(10);

  return {
    generatedAt: now,
    pluggedIn: open.map((session) => {
      const plan = plans.get(session.sessionId);
      return { ...session, latestPlan: plan ? summarisePlan(plan) : null };
    }),
    flaggedCount: open.filter((s) => s.flagged).length,
    market,
    loadCurve,
    plannedEnergyKwh: round(loadCurve.reduce((sum, p) => sum + p.kwh, 0)),
    deliveries: {
      failed: statusCounts.find((c) => c.status === "failed")?.n ?? 0,
      pending: statusCounts.find((c) => c.status === "pending")?.n ?? 0,
      recentFailures: failures,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Sessions list

export type SessionFilter = "plugged_in" | "all" | "flagged";

export interface SessionListRow {
  sessionId: string;
  assetId: string;
  assetExternalId: string;
  siteId: string;
  postcode: string;
  mpan: string;
  pluggedInAt: Date;
  pluggedOutAt: Date | null;
  flagged: boolean;
  chargerPowerKw: number;
  latestPlan: PlanSummary | null;
}

export interface SessionList {
  total: number;
  offset: number;
  limit: number;
  rows: SessionListRow[];
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listChargingSessions(
  ctx: ServiceContext,
  input: { filter?: SessionFilter; search?: string; limit?: number; offset?: number } = {},
): Promise<SessionList> {
  authorize(ctx, "sites:read");
  const limit = Math.min(Math.max(input.limit ?? 25, 1), 200);
  // Bounded so a silly offset is an empty page, not a Postgres bigint overflow.
  const offset = Math.min(Math.max(input.offset ?? 0, 0), 1_000_000);
  const conditions: SQL[] = [eq(chargingSessions.organisationId, ctx.orgId)];
  if (input.filter === "plugged_in") conditions.push(isNull(chargingSessions.pluggedOutAt));
  if (input.filter === "flagged") conditions.push(eq(chargingSessions.flagged, true));
  const search = input.search?.trim();
  if (search) {
    const pattern = `%${escapeLike(search)}%`;
    const compact = `%${escapeLike(search.replace(/\s+/g, ""))}%`;
    const match = or(
      ilike(assets.externalId, pattern),
      ilike(sites.mpan, compact),
      ilike(sql`replace(${sites.postcode}, ' ', '')`, compact),
    );
    if (match) conditions.push(match);
  }
  const where = and(...conditions);
  const [totalRow] = await ctx.db
    .select({ n: count() })
    .from(chargingSessions)
    .innerJoin(assets, eq(assets.id, chargingSessions.assetId))
    .innerJoin(sites, eq(sites.id, chargingSessions.siteId))
    .where(where);
  const rows = await ctx.db
    .select({
      sessionId: chargingSessions.id,
      assetId: chargingSessions.assetId,
      assetExternalId: assets.externalId,
      siteId: chargingSessions.siteId,
      postcode: sites.postcode,
      mpan: sites.mpan,
      pluggedInAt: chargingSessions.pluggedInAt,
      pluggedOutAt: chargingSessions.pluggedOutAt,
      flagged: chargingSessions.flagged,
      chargerPowerKw: chargingSessions.chargerPowerKw,
    })
    .from(chargingSessions)
    .innerJoin(assets, eq(assets.id, chargingSessions.assetId))
    .innerJoin(sites, eq(sites.id, chargingSessions.siteId))
    .where(where)
    .orderBy(desc(chargingSessions.pluggedInAt), desc(chargingSessions.id))
    .limit(limit)
    .offset(offset);
  const plans = await latestPlans(
    ctx,
    rows.map((r) => r.sessionId),
  );
  return {
    total: totalRow?.n ?? 0,
    offset,
    limit,
    rows: rows.map((row) => {
      const plan = plans.get(row.sessionId);
      return { ...row, latestPlan: plan ? summarisePlan(plan) : null };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Session timeline

export type TimelineEntry =
  | { kind: "plug_in"; id: string; at: Date; source: string | null; payload: Record<string, unknown> }
  | { kind: "plug_out"; id: string; at: Date; source: string | null; payload: Record<string, unknown> }
  | {
      kind: "event";
      id: string;
      at: Date;
      eventType: string;
      source: string;
      payload: Record<string, unknown>;
    }
  | {
      kind: "intent";
      id: string;
      at: Date;
      version: number;
      energyRequiredKwh: number;
      readyByLocalTime: string;
      chargingMode: string;
      mayChargePeak: boolean;
      source: string;
    }
  | {
      kind: "plan";
      id: string;
      at: Date;
      version: number;
      trigger: string;
      energyKwh: number;
      costPence: number;
      savingPence: number;
      met: boolean;
    }
  | {
      kind: "delivery";
      id: string;
      at: Date;
      planVersion: number;
      status: string;
      attempts: number;
      lastError: string | null;
      deliveredAt: Date | null;
    }
  | {
      kind: "delivery_attempt";
      id: string;
      at: Date;
      deliveryId: string;
      planVersion: number;
      httpStatus: number | null;
      error: string | null;
      durationMs: number;
    };

export interface TimelinePlan extends PlanSummary {
  slots: StoredPlanSlot[];
}

export interface TimelineDelivery {
  deliveryId: string;
  planVersion: number;
  status: string;
  ocppVersion: string;
  attempts: { attemptedAt: Date; httpStatus: number | null; error: string | null; durationMs: number }[];
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface ActualVsPlanPeriod {
  start: Date;
  end: Date;
  plannedKwh: number;
  actualKwh: number | null;
}

export interface SessionTimeline {
  session: {
    sessionId: string;
    assetId: string;
    assetExternalId: string;
    siteId: string;
    postcode: string;
    timeZone: string;
    pluggedInAt: Date;
    pluggedOutAt: Date | null;
    chargerPowerKw: number;
    chargeNowUntil: Date | null;
    flagged: boolean;
  };
  entries: TimelineEntry[];
  plans: TimelinePlan[];
  deliveries: TimelineDelivery[];
  readings: { start: Date; end: Date; kwh: number }[];
  actualVsPlan: ActualVsPlanPeriod[];
  latestPlan: PlanSummary | null;
  actualEnergyKwh: number;
}

// Same-instant entries read in cause-and-effect order: the plug-in, then what it carried, the plan
// it produced, that plan's push; the plug-out always closes the story.
const KIND_ORDER: Record<TimelineEntry["kind"], number> = {
  plug_in: 0,
  event: 1,
  intent: 2,
  plan: 3,
  delivery: 4,
  delivery_attempt: 5,
  plug_out: 6,
};

export function orderTimeline(entries: TimelineEntry[]): TimelineEntry[] {
  return [...entries].sort(
    (a, b) =>
      a.at.getTime() - b.at.getTime() || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.id.localeCompare(b.id),
  );
}

export async function getChargingSessionTimeline(
  ctx: ServiceContext,
  sessionId: string,
  input: { now?: Date } = {},
): Promise<SessionTimeline> {
  authorize(ctx, "sites:read");
  if (!isUuid(sessionId)) throw notFound("Charging session");
  const now = input.now ?? new Date();
  const [session] = await ctx.db
    .select({
      sessionId: chargingSessions.id,
      assetId: chargingSessions.assetId,
      assetExternalId: assets.externalId,
      siteId: chargingSessions.siteId,
      postcode: sites.postcode,
      timeZone: sites.timeZone,
      pluggedInAt: chargingSessions.pluggedInAt,
      pluggedOutAt: chargingSessions.pluggedOutAt,
      chargerPowerKw: chargingSessions.chargerPowerKw,
      chargeNowUntil: chargingSessions.chargeNowUntil,
      flagged: chargingSessions.flagged,
    })
    .from(chargingSessions)
    .innerJoin(assets, eq(assets.id, chargingSessions.assetId))
    .innerJoin(sites, eq(sites.id, chargingSessions.siteId))
    .where(and(eq(chargingSessions.organisationId, ctx.orgId), eq(chargingSessions.id, sessionId)))
    .limit(1);
  if (!session) throw notFound("Charging session");

  const windowEnd = session.pluggedOutAt ?? now;
  const events = await ctx.db
    .select()
    .from(chargingEvents)
    .where(
      and(
        eq(chargingEvents.organisationId, ctx.orgId),
        eq(chargingEvents.assetId, session.assetId),
        or(
          eq(chargingEvents.sessionId, sessionId),
          and(
            gte(chargingEvents.occurredAt, session.pluggedInAt),
            sql`${chargingEvents.occurredAt} <= ${windowEnd.toISOString()}`,
          ),
        ),
      ),
    )
    .orderBy(asc(chargingEvents.occurredAt), asc(chargingEvents.id));
  // The intent in force at plug-in, then every change while plugged in.
  const [intentAtPlugIn] = await ctx.db
    .select()
    .from(chargingIntents)
    .where(
      and(
        eq(chargingIntents.organisationId, ctx.orgId),
        eq(chargingIntents.assetId, session.assetId),
        lt(chargingIntents.effectiveAt, session.pluggedInAt),
      ),
    )
    .orderBy(desc(chargingIntents.effectiveAt), desc(chargingIntents.version))
    .limit(1);
  const laterIntents = await ctx.db
    .select()
    .from(chargingIntents)
    .where(
      and(
        eq(chargingIntents.organisationId, ctx.orgId),
        eq(chargingIntents.assetId, session.assetId),
        gte(chargingIntents.effectiveAt, session.pluggedInAt),
        sql`${chargingIntents.effectiveAt} <= ${windowEnd.toISOString()}`,
      ),
    )
    .orderBy(asc(chargingIntents.effectiveAt), asc(chargingIntents.version));
  const intents = intentAtPlugIn ? [intentAtPlugIn, ...laterIntents] : laterIntents;
  const planRows = await ctx.db
    .select()
    .from(chargingPlans)
    .where(and(eq(chargingPlans.organisationId, ctx.orgId), eq(chargingPlans.sessionId, sessionId)))
    .orderBy(asc(chargingPlans.version));
  const planVersionById = new Map(planRows.map((p) => [p.id, p.version]));
  const deliveryRows = await ctx.db
    .select()
    .from(scheduleDeliveries)
    .where(and(eq(scheduleDeliveries.organisationId, ctx.orgId), eq(scheduleDeliveries.sessionId, sessionId)))
    .orderBy(asc(scheduleDeliveries.createdAt));
  const attemptRows =
    deliveryRows.length === 0
      ? []
      : await ctx.db
          .select()
          .from(scheduleDeliveryAttempts)
          .where(
            and(
              eq(scheduleDeliveryAttempts.organisationId, ctx.orgId),
              inArray(
                scheduleDeliveryAttempts.deliveryId,
                deliveryRows.map((d) => d.id),
              ),
            ),
          )
          .orderBy(asc(scheduleDeliveryAttempts.attemptedAt), asc(scheduleDeliveryAttempts.id));

  const latest = planRows.at(-1) ?? null;
  // Readings cover the plugged-in time and, while plugged in, as far as the latest plan reaches.
  const readingsEnd =
    session.pluggedOutAt ?? new Date(Math.max(now.getTime(), latest?.windowEnd.getTime() ?? 0));
  const readingRows = await ctx.db
    .select({ start: assetReadings.startAt, end: assetReadings.endAt, kwh: assetReadings.value })
    .from(assetReadings)
    .where(
      and(
        eq(assetReadings.organisationId, ctx.orgId),
        eq(assetReadings.assetId, session.assetId),
        eq(assetReadings.label, CHARGER_ENERGY_LABEL),
        gte(assetReadings.startAt, floorToHalfHour(session.pluggedInAt)),
        lt(assetReadings.startAt, readingsEnd),
      ),
    )
    .orderBy(asc(assetReadings.startAt));

  const entries: TimelineEntry[] = [];
  let sawPlugIn = false;
  let sawPlugOut = false;
  for (const event of events) {
    const base = { id: `event-${event.id}`, at: event.occurredAt, payload: event.payload };
    if (event.eventType === "plug_in" && !sawPlugIn) {
      sawPlugIn = true;
      entries.push({ kind: "plug_in", ...base, source: event.source });
    } else if (event.eventType === "plug_out" && !sawPlugOut) {
      sawPlugOut = true;
      entries.push({ kind: "plug_out", ...base, source: event.source });
    } else {
      entries.push({ kind: "event", ...base, eventType: event.eventType, source: event.source });
    }
  }
  // Sessions opened at enrolment or by an operator may have no event row; the session itself is the record.
  if (!sawPlugIn)
    entries.push({
      kind: "plug_in",
      id: `session-in-${sessionId}`,
      at: session.pluggedInAt,
      source: null,
      payload: {},
    });
  if (!sawPlugOut && session.pluggedOutAt)
    entries.push({
      kind: "plug_out",
      id: `session-out-${sessionId}`,
      at: session.pluggedOutAt,
      source: null,
      payload: {},
    });
  for (const intent of intents) {
    entries.push({
      kind: "intent",
      id: `intent-${intent.id}`,
      // The standing intent is shown at plug-in, when it started to matter for this session.
      at: intent.effectiveAt < session.pluggedInAt ? session.pluggedInAt : intent.effectiveAt,
      version: intent.version,
      energyRequiredKwh: intent.energyRequiredKwh,
      readyByLocalTime: intent.readyByLocalTime,
      chargingMode: intent.chargingMode,
      mayChargePeak: intent.mayChargePeak,
      source: intent.source,
    });
  }
  for (const plan of planRows) {
    entries.push({
      kind: "plan",
      id: `plan-${plan.id}`,
      at: plan.createdAt,
      version: plan.version,
      trigger: plan.trigger,
      energyKwh: plan.energyKwh,
      costPence: plan.costPence,
      savingPence: plan.savingPence,
      met: plan.met,
    });
  }
  for (const delivery of deliveryRows) {
    entries.push({
      kind: "delivery",
      id: `delivery-${delivery.id}`,
      at: delivery.createdAt,
      planVersion: planVersionById.get(delivery.planId) ?? 0,
      status: delivery.status,
      attempts: delivery.attempts,
      lastError: delivery.lastError,
      deliveredAt: delivery.deliveredAt,
    });
  }
  const deliveryById = new Map(deliveryRows.map((d) => [d.id, d]));
  for (const attempt of attemptRows) {
    const delivery = deliveryById.get(attempt.deliveryId);
    entries.push({
      kind: "delivery_attempt",
      id: `attempt-${String(attempt.id).padStart(12, "0")}`,
      at: attempt.attemptedAt,
      deliveryId: attempt.deliveryId,
      planVersion: delivery ? (planVersionById.get(delivery.planId) ?? 0) : 0,
      httpStatus: attempt.httpStatus,
      error: attempt.error,
      durationMs: attempt.durationMs,
    });
  }

  const readings = readingRows.map((r) => ({ start: r.start, end: r.end, kwh: r.kwh }));
  const actualVsPlan: ActualVsPlanPeriod[] = [];
  const latestSlots = latest?.slots ?? [];
  const firstPeriod = floorToHalfHour(session.pluggedInAt).getTime();
  const lastInstant = Math.max(readingsEnd.getTime(), ...readings.map((r) => r.end.getTime()));
  const actualByStart = new Map(readings.map((r) => [r.start.getTime(), r.kwh]));
  for (let start = firstPeriod; start < lastInstant && actualVsPlan.length < 400; start += HALF_HOUR_MS) {
    actualVsPlan.push({
      start: new Date(start),
      end: new Date(start + HALF_HOUR_MS),
      plannedKwh: round(plannedEnergyBetween(latestSlots, start, start + HALF_HOUR_MS)),
      actualKwh: actualByStart.get(start) ?? null,
    });
  }

  return {
    session,
    entries: orderTimeline(entries),
    plans: planRows.map((plan) => ({ ...summarisePlan(plan), slots: plan.slots })),
    deliveries: deliveryRows.map((delivery) => ({
      deliveryId: delivery.id,
      planVersion: planVersionById.get(delivery.planId) ?? 0,
      status: delivery.status,
      ocppVersion: delivery.ocppVersion,
      attempts: attemptRows
        .filter((a) => a.deliveryId === delivery.id)
        .map((a) => ({
          attemptedAt: a.attemptedAt,
          httpStatus: a.httpStatus,
          error: a.error,
          durationMs: a.durationMs,
        })),
      lastError: delivery.lastError,
      deliveredAt: delivery.deliveredAt,
      createdAt: delivery.createdAt,
    })),
    readings,
    actualVsPlan,
    latestPlan: latest ? summarisePlan(latest) : null,
    actualEnergyKwh: round(readings.reduce((sum, r) => sum + r.kwh, 0)),
  };
}
