// The demo's past: battery telemetry replayed by the simulator, and a grid event that ran
// yesterday. Only the demo seed calls these (as the system actor of the demo organisation);
// everything else about the past event (its plan, verification and credits) goes through the
// ordinary grid-event and settlement services.
import { and, eq, inArray, max, sql } from "drizzle-orm";
import { assets, batteryReadings, gridEventParticipants, gridEvents } from "@/db/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";

export interface TelemetrySample {
  observedAt: Date;
  socPct: number;
  batteryPowerKw: number;
  gridPowerKw: number;
  solarPowerKw: number;
  loadPowerKw: number;
  operationMode: string | null;
  oemMode: string;
  dischargeFloorPct: number;
}

/** Newest stored observation per battery of the organisation (absent: none yet). */
export async function latestTelemetryAt(ctx: ServiceContext, assetIds: readonly string[]): Promise<Map<string, { at: Date; socPct: number }>> {
  if (assetIds.length === 0) return new Map();
  const newest = ctx.db
    .select({ assetId: batteryReadings.assetId, at: max(batteryReadings.observedAt).as("at") })
    .from(batteryReadings)
    .where(and(eq(batteryReadings.organisationId, ctx.orgId), inArray(batteryReadings.assetId, [...assetIds])))
    .groupBy(batteryReadings.assetId)
    .as("newest");
  const rows = await ctx.db
    .select({ assetId: batteryReadings.assetId, at: batteryReadings.observedAt, socPct: batteryReadings.socPct })
    .from(batteryReadings)
    .innerJoin(newest, and(eq(newest.assetId, batteryReadings.assetId), eq(newest.at, batteryReadings.observedAt)));
  return new Map(rows.map((row) => [row.assetId, { at: row.at, socPct: row.socPct }]));
}

/** Stores replayed telemetry for one battery of the organisation; an instant already stored is kept as it was. */
export async function storeTelemetryHistory(ctx: ServiceContext, assetId: string, samples: readonly TelemetrySample[]): Promise<number> {
  authorize(ctx, "sites:write");
  const [asset] = await ctx.db
    .select({ id: assets.id })
    .from(assets)
    .where(and(eq(assets.organisationId, ctx.orgId), eq(assets.id, assetId), eq(assets.type, "battery")))
    .limit(1);
  if (!asset) throw notFound("Battery");
  if (samples.length === 0) return 0;
  // One statement per battery, each column one array parameter: a week is ~2,000 rows, and
  // per-row parameters made the demo seed spend most of its time building statements.
  // Postgres array literals: every value here is a number, an ISO instant or a mode name (no quoting needed).
  const column = (pick: (s: TelemetrySample) => string | number | null) => `{${samples.map((s) => pick(s) ?? "NULL").join(",")}}`;
  const rows = await ctx.db.execute<{ n: number }>(sql`
    with inserted as (
      insert into battery_readings (organisation_id, asset_id, observed_at, soc_pct, battery_power_kw, grid_power_kw, solar_power_kw, load_power_kw, operation_mode, oem_mode, discharge_floor_pct, received_at)
      select ${ctx.orgId}::uuid, ${assetId}::uuid, r.at, r.soc, r.battery, r.grid, r.solar, r.load, r.mode, r.oem_mode, r.floor, r.at
      from unnest(
        ${column((s) => s.observedAt.toISOString())}::timestamptz[],
        ${column((s) => s.socPct)}::float8[],
        ${column((s) => s.batteryPowerKw)}::float8[],
        ${column((s) => s.gridPowerKw)}::float8[],
        ${column((s) => s.solarPowerKw)}::float8[],
        ${column((s) => s.loadPowerKw)}::float8[],
        ${column((s) => s.operationMode)}::text[],
        ${column((s) => s.oemMode)}::text[],
        ${column((s) => s.dischargeFloorPct)}::float8[]
      ) as r(at, soc, battery, grid, solar, load, mode, oem_mode, floor)
      on conflict do nothing
      returning 1
    )
    select count(*)::int as n from inserted`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * A committed event whose window is over, recorded as run: every participant dispatched and put
 * back in its previous mode, the event completed at its end. For the demo's yesterday, whose
 * telemetry the simulator replayed with the batteries in event mode; settlement then verifies
 * delivery from that telemetry as it does for any event.
 */
export async function recordGridEventRun(ctx: ServiceContext, eventId: string): Promise<void> {
  authorize(ctx, "grid_events:write");
  await ctx.db.transaction(async (tx) => {
    const [event] = await tx
      .select()
      .from(gridEvents)
      .where(and(eq(gridEvents.organisationId, ctx.orgId), eq(gridEvents.id, eventId)))
      .for("update");
    if (!event) throw notFound("Grid event");
    if (event.status !== "scheduled") return;
    await tx
      .update(gridEventParticipants)
      .set({ status: "restored", previousMode: sql`coalesce(${gridEventParticipants.previousMode}, 'SELF_RELIANCE')`, updatedAt: event.endAt })
      .where(and(eq(gridEventParticipants.organisationId, ctx.orgId), eq(gridEventParticipants.eventId, eventId)));
    await tx.update(gridEvents).set({ status: "completed", completedAt: event.endAt, updatedAt: event.endAt }).where(eq(gridEvents.id, eventId));
    await recordAuditEvent({ ...ctx, db: tx }, { action: "grid_event.completed", targetType: "grid_event", targetId: eventId, details: { replayed: true } });
  });
}

/** The organisation's grid events with this name (the demo finds its own by name). */
export async function findGridEventsByName(ctx: ServiceContext, name: string): Promise<{ id: string; status: string; startAt: Date; endAt: Date }[]> {
  return ctx.db
    .select({ id: gridEvents.id, status: gridEvents.status, startAt: gridEvents.startAt, endAt: gridEvents.endAt })
    .from(gridEvents)
    .where(and(eq(gridEvents.organisationId, ctx.orgId), eq(gridEvents.name, name)));
}
