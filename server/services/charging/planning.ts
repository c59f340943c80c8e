// Re-planning of charging sessions. A plan is made from the latest tariff and intent
// (by their event times), the organisation's market price curve and committed grid
// events (operator value, the tie-break among equal-cost plans), charge-now, and the
// site import limit shared by every open session at the site (then the sessions are
// planned jointly and each gets a new version). Each plan is stored as a new version
// and queued for delivery in the same transaction, so a failed plan leaves nothing.
import { and, asc, eq, gt, gte, inArray, isNull, lt, max, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { DEFAULT_MARKET, operatorMarket } from "../market-prices/default-market";
import {
  chargingPlans,
  chargingSessions,
  gridEvents,
  marketPrices,
  sites,
  type ChargingPlanRow,
  type ChargingSessionRow,
  type StoredPlanSlot,
} from "@/db/schema";
import {
  planChargingSession,
  planSiteSessions,
  type ChargingPlan,
  type ChargingSessionInput,
  type PlanningSlot,
} from "@/server/optimiser/charging";
import { priceInterval, type Tariff } from "@/server/optimiser/tariff";
import { nextOccurrenceOfLocalTime, settlementSlots } from "@/server/optimiser/time";
import { getDb } from "@/db/client";
import { log } from "@/server/log";
import { queueScheduleDelivery } from "../schedule-delivery/schedule-delivery";
import { systemContext, type ServiceContext } from "../context";
import { siteImportLimitKw } from "./charger-assets";
import { getLatestIntentRow } from "./intent-versions";
import { flatTariff, getLatestTariffRow, tariffOfRow } from "./tariffs";
import { authorize } from "../authorize";

export type ReplanTrigger =
  | "plug_in"
  | "intent"
  | "tariff_update"
  | "prices"
  | "charge_now"
  | "charge_now_deleted"
  | "periodic"
  | "grid_event"
  | "operator";

export interface ReplanOptions {
  /** The planning instant; defaults to now (tests and tools pass one). */
  now?: Date;
}

/** Without an intent: no minimum, ready by 07:00, off-peak only; the charger takes what the off-peak time gives. */
export const DEFAULT_READY_BY_LOCAL_TIME = "07:00";
export { DEFAULT_MARKET };
/** Grid event states in which the event is committed (its plan is fixed) or under way. */
export const PLANNED_GRID_EVENT_STATUSES = ["scheduled", "dispatching", "active"] as const;
/** A turn-up event makes its slots worth more to the operator than any market price could. */
const TURN_UP_MARKET_BONUS_GBP_PER_MWH = 1_000_000;
const HALF_HOUR_MS = 30 * 60_000;

/** Locks the site so that events and re-plans of its chargers apply one after the other. */
export async function lockSite(
  db: DbOrTx,
  orgId: string,
  siteId: string,
): Promise<{ timeZone: string; postcode: string } | null> {
  const [site] = await db
    .select({ timeZone: sites.timeZone, postcode: sites.postcode })
    .from(sites)
    .where(and(eq(sites.organisationId, orgId), eq(sites.id, siteId)))
    .for("no key update");
  return site ?? null;
}

interface OperatorValue {
  marketPrices: Map<number, number>;
  events: { direction: string; startMs: number; endMs: number; region: string | null }[];
}

async function operatorValue(db: DbOrTx, orgId: string, from: Date, to: Date): Promise<OperatorValue> {
  const market = await operatorMarket(db, orgId);
  const prices =
    market === null
      ? []
      : await db
          .select({ slotStart: marketPrices.slotStart, price: marketPrices.priceGbpPerMwh })
          .from(marketPrices)
          .where(
            and(
              eq(marketPrices.organisationId, orgId),
              eq(marketPrices.market, market),
              gte(marketPrices.slotStart, new Date(Math.floor(from.getTime() / HALF_HOUR_MS) * HALF_HOUR_MS)),
              lt(marketPrices.slotStart, to),
            ),
          );
  const events = await db
    .select({
      direction: gridEvents.direction,
      startAt: gridEvents.startAt,
      endAt: gridEvents.endAt,
      region: gridEvents.region,
    })
    .from(gridEvents)
    .where(
      and(
        eq(gridEvents.organisationId, orgId),
        inArray(gridEvents.status, [...PLANNED_GRID_EVENT_STATUSES]),
        lt(gridEvents.startAt, to),
        gt(gridEvents.endAt, from),
      ),
    );
  return {
    marketPrices: new Map(prices.map((price) => [price.slotStart.getTime(), price.price])),
    events: events.map((event) => ({
      direction: event.direction,
      startMs: event.startAt.getTime(),
      endMs: event.endAt.getTime(),
      region: event.region,
    })),
  };
}

function inRegion(region: string | null, postcode: string): boolean {
  if (region === null || region.trim() === "") return true;
  const area = /^[A-Z]+/.exec(postcode.toUpperCase())?.[0] ?? "";
  return area === region.trim().toUpperCase();
}

interface SessionPlanning {
  session: ChargingSessionRow;
  input: ChargingSessionInput;
  tariffId: string | null;
  intentId: string | null;
}

async function sessionPlanning(
  db: DbOrTx,
  orgId: string,
  session: ChargingSessionRow,
  site: { timeZone: string; postcode: string },
  now: Date,
): Promise<SessionPlanning> {
  // One after the other: queries in a transaction share one connection.
  const intent = await getLatestIntentRow(db, orgId, session.assetId);
  const tariffRow = await getLatestTariffRow(db, orgId, session.assetId);
  const tariff: Tariff = tariffRow === null ? flatTariff(site.timeZone) : tariffOfRow(tariffRow);
  const readyByLocal = intent?.readyByLocalTime ?? DEFAULT_READY_BY_LOCAL_TIME;
  const windowStart = new Date(Math.max(now.getTime(), session.pluggedInAt.getTime()));
  // Ready-by is the next occurrence after plug-in; a car still plugged in past it is planned for the next one.
  let readyBy = nextOccurrenceOfLocalTime(session.pluggedInAt, readyByLocal, site.timeZone);
  if (readyBy.getTime() <= windowStart.getTime())
    readyBy = nextOccurrenceOfLocalTime(windowStart, readyByLocal, site.timeZone);
  const chargeNowUntil =
    session.chargeNowUntil !== null && session.chargeNowUntil.getTime() > windowStart.getTime()
      ? session.chargeNowUntil
      : null;
  const windowEnd = new Date(Math.max(readyBy.getTime(), chargeNowUntil?.getTime() ?? 0));

  const value = await operatorValue(db, orgId, windowStart, windowEnd);
  const events = value.events.filter((event) => inRegion(event.region, site.postcode));
  const slots: PlanningSlot[] = settlementSlots(windowStart, windowEnd, site.timeZone).map((slot) => {
    const start = new Date(Math.max(slot.start.getTime(), windowStart.getTime()));
    const end = new Date(Math.min(slot.end.getTime(), windowEnd.getTime()));
    const price = priceInterval(start, end, tariff);
    const overlaps = (direction: string) =>
      events.some(
        (event) =>
          event.direction === direction && event.startMs < end.getTime() && event.endMs > start.getTime(),
      );
    const market = value.marketPrices.get(slot.start.getTime()) ?? 0;
    return {
      start,
      end,
      pencePerKwh: price.pencePerKwh,
      peak: price.peak,
      marketPriceGbpPerMwh: overlaps("turn_up") ? market - TURN_UP_MARKET_BONUS_GBP_PER_MWH : market,
      turnDownEvent: overlaps("turn_down"),
    };
  });
  return {
    session,
    tariffId: tariffRow?.id ?? null,
    intentId: intent?.id ?? null,
    input: {
      id: session.id,
      windowStart,
      windowEnd,
      energyRequiredKwh: intent?.energyRequiredKwh ?? 0,
      chargerMaxKw: session.chargerPowerKw,
      slots,
      mayChargePeak: intent?.mayChargePeak ?? false,
      chargeNowUntil,
      chargingMode:
        intent?.chargingMode === "minimise_charging_time"
          ? "minimise_charging_time"
          : "maximise_charging_time",
    },
  };
}

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

/** Average power of planned slots over [start, end), kW (slots outside the window count for nothing). */
export function averageKwOver(
  slots: readonly { start: Date | string; end: Date | string; kw: number }[],
  start: Date,
  end: Date,
): number {
  const windowMs = end.getTime() - start.getTime();
  let energy = 0;
  for (const slot of slots) {
    const from = Math.max(new Date(slot.start).getTime(), start.getTime());
    const to = Math.min(new Date(slot.end).getTime(), end.getTime());
    if (to > from) energy += slot.kw * (to - from);
  }
  return windowMs > 0 ? energy / windowMs : 0;
}

/**
 * The power an open session would still draw over [startAt, endAt) if a turn-down event covered
 * that window: the session re-planned (on its own) with those slots marked, averaged over the
 * window, kW. A grid event can count only on what the charger draws above this: the householder's
 * energy by ready-by comes first, and the planner moves charging out of event slots only where that
 * costs the householder nothing more. Nothing is stored.
 */
export async function chargingKwUnderTurnDown(
  db: DbOrTx,
  orgId: string,
  session: ChargingSessionRow,
  window: { startAt: Date; endAt: Date },
  now = new Date(),
): Promise<number> {
  const [site] = await db
    .select({ timeZone: sites.timeZone, postcode: sites.postcode })
    .from(sites)
    .where(and(eq(sites.organisationId, orgId), eq(sites.id, session.siteId)));
  if (!site) return 0;
  const { input } = await sessionPlanning(db, orgId, session, site, now);
  const slots = input.slots.map((slot) =>
    slot.start.getTime() < window.endAt.getTime() && slot.end.getTime() > window.startAt.getTime()
      ? { ...slot, turnDownEvent: true }
      : slot,
  );
  const plan = planChargingSession({ ...input, slots });
  return averageKwOver(plan.slots, window.startAt, window.endAt);
}

async function storePlan(
  ctx: ServiceContext,
  planning: SessionPlanning,
  plan: ChargingPlan,
  trigger: ReplanTrigger,
): Promise<ChargingPlanRow> {
  const { session } = planning;
  const [current] = await ctx.db
    .select({ version: max(chargingPlans.version) })
    .from(chargingPlans)
    .where(eq(chargingPlans.sessionId, session.id));
  const slots: StoredPlanSlot[] = plan.slots.map((slot) => ({
    start: slot.start.toISOString(),
    end: slot.end.toISOString(),
    kw: round6(slot.kw),
    kwh: round6(slot.kwh),
    pencePerKwh: slot.pencePerKwh,
    ...(slot.periods ? { periods: slot.periods.map((step) => ({ start: step.start.toISOString(), kw: round6(step.kw) })) } : {}),
  }));
  const [row] = await ctx.db
    .insert(chargingPlans)
    .values({
      organisationId: ctx.orgId,
      sessionId: session.id,
      assetId: session.assetId,
      version: (current?.version ?? 0) + 1,
      trigger,
      tariffId: planning.tariffId,
      intentId: planning.intentId,
      windowStart: planning.input.windowStart,
      windowEnd: planning.input.windowEnd,
      slots,
      energyKwh: round6(plan.energyKwh),
      costPence: plan.costPence,
      baselineCostPence: plan.baselineCostPence,
      savingPence: plan.savingPence,
      met: plan.met,
      shortfallKwh: round6(plan.shortfallKwh),
    })
    .returning();
  if (!row) throw new Error("plan insert returned nothing");
  if (session.flagged !== !plan.met) {
    await ctx.db
      .update(chargingSessions)
      .set({ flagged: !plan.met, updatedAt: new Date() })
      .where(eq(chargingSessions.id, session.id));
  }
  await queueScheduleDelivery(ctx, row.id);
  return row;
}

/**
 * Plans the session again (with every other open session at its site when the site
 * has an import limit), stores the new plan versions and queues their delivery.
 * Returns the plans by session id; empty when the session is closed or unknown.
 * Runs inside the caller's transaction when ctx.db is one.
 */
// eslint-disable-next-line flexfleet/authorize-first -- internal: runs inside authorized charging events and the re-plan sweep
export async function replanSessionAndSite(
  ctx: ServiceContext,
  sessionId: string,
  trigger: ReplanTrigger,
  options: ReplanOptions = {},
): Promise<Map<string, ChargingPlanRow>> {
  const now = options.now ?? new Date();
  return ctx.db.transaction(async (tx) => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    const [target] = await tx
      .select({ siteId: chargingSessions.siteId })
      .from(chargingSessions)
      .where(
        and(
          eq(chargingSessions.organisationId, ctx.orgId),
          eq(chargingSessions.id, sessionId),
          isNull(chargingSessions.pluggedOutAt),
        ),
      );
    const planned = new Map<string, ChargingPlanRow>();
    if (!target) return planned;
    const site = await lockSite(tx, ctx.orgId, target.siteId);
    if (!site) return planned;
    const limit = await siteImportLimitKw(tx, ctx.orgId, target.siteId);
    const open = await tx
      .select()
      .from(chargingSessions)
      .where(
        and(
          eq(chargingSessions.organisationId, ctx.orgId),
          isNull(chargingSessions.pluggedOutAt),
          limit === null ? eq(chargingSessions.id, sessionId) : eq(chargingSessions.siteId, target.siteId),
        ),
      )
      .orderBy(asc(chargingSessions.id));
    if (!open.some((session) => session.id === sessionId)) return planned;
    const plannings: SessionPlanning[] = [];
    for (const session of open) plannings.push(await sessionPlanning(tx, ctx.orgId, session, site, now));
    const sitePlan = await planSiteSessions({
      sessions: plannings.map((planning) => planning.input),
      siteImportLimitKw: limit,
    });
    for (const [index, planning] of plannings.entries()) {
      const plan = sitePlan.plans[index];
      if (plan === undefined) continue;
      planned.set(planning.session.id, await storePlan(txCtx, planning, plan, trigger));
    }
    return planned;
  });
}

/** Plans the open session again, stores the new plan version and queues its delivery. Null when the session is closed. */
export async function replanSession(
  ctx: ServiceContext,
  sessionId: string,
  trigger: ReplanTrigger,
  options: ReplanOptions = {},
): Promise<ChargingPlanRow | null> {
  authorize(ctx, "charging:events");
  const planned = await replanSessionAndSite(ctx, sessionId, trigger, options);
  return planned.get(sessionId) ?? null;
}

/** Re-plans every open session of the organisation (optionally only some assets); returns how many were re-planned. */
// eslint-disable-next-line flexfleet/authorize-first -- internal: runs after authorized price and grid-event changes
export async function replanOpenSessions(
  ctx: ServiceContext,
  trigger: ReplanTrigger,
  filter: { assetIds?: readonly string[] } = {},
  options: ReplanOptions = {},
): Promise<number> {
  if (filter.assetIds !== undefined && filter.assetIds.length === 0) return 0;
  const open = await ctx.db
    .select({ id: chargingSessions.id })
    .from(chargingSessions)
    .where(
      and(
        eq(chargingSessions.organisationId, ctx.orgId),
        isNull(chargingSessions.pluggedOutAt),
        filter.assetIds === undefined ? undefined : inArray(chargingSessions.assetId, [...filter.assetIds]),
      ),
    )
    .orderBy(asc(chargingSessions.pluggedInAt));
  const done = new Set<string>();
  for (const { id } of open) {
    if (done.has(id)) continue;
    // A joint site plan re-plans the site's other sessions too: count them once.
    const planned = await replanSessionAndSite(ctx, id, trigger, options);
    for (const plannedId of planned.keys()) done.add(plannedId);
  }
  return done.size;
}

/**
 * The periodic job: re-plans every open session (all organisations) whose latest plan
 * is at least `maxPlanAgeMinutes` old, so sessions just re-planned by an event are left
 * alone. One failing session does not stop the others. Returns how many were planned.
 */
export async function replanDueOpenSessions(
  maxPlanAgeMinutes: number,
  options: ReplanOptions & { orgId?: string } = {},
): Promise<{ sessions: number; failed: number }> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - maxPlanAgeMinutes * 60_000);
  const latestPlanAt = sql`(select max(${chargingPlans.createdAt}) from ${chargingPlans} where ${chargingPlans.sessionId} = ${chargingSessions.id})`;
  const due = await getDb()
    .select({ id: chargingSessions.id, orgId: chargingSessions.organisationId })
    .from(chargingSessions)
    .where(
      and(
        isNull(chargingSessions.pluggedOutAt),
        options.orgId === undefined ? undefined : eq(chargingSessions.organisationId, options.orgId),
        sql`coalesce(${latestPlanAt}, '-infinity'::timestamptz) <= ${cutoff.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(asc(chargingSessions.pluggedInAt));
  const done = new Set<string>();
  let failed = 0;
  for (const { id, orgId } of due) {
    if (done.has(id)) continue;
    try {
      const planned = await replanSessionAndSite(systemContext(orgId, "charging re-plan"), id, "periodic", {
        now,
      });
      for (const plannedId of planned.keys()) done.add(plannedId);
    } catch (error) {
      failed += 1;
      log.error({ err: error, orgId, sessionId: id }, "periodic charging re-plan failed");
    }
  }
  return { sessions: done.size, failed };
}
