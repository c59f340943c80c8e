// Smart charging: the partner's events per charger (append-only, ordered by their own
// timestamps), versioned tariffs and intents, plug-in sessions, every plan version the
// planner produced, the OCPP schedule pushes with each delivery attempt, market price
// curves, and the generic readings time series of `POST /data/readings`.
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { assets, sites } from "./inventory";
import { organisations } from "./organisations";

const organisationId = () =>
  uuid("organisation_id")
    .notNull()
    .references(() => organisations.id, { onDelete: "cascade" });
const assetId = () =>
  uuid("asset_id")
    .notNull()
    .references(() => assets.id, { onDelete: "cascade" });
const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Every partner or householder event for a charger, as received. Idempotency: the same
 * (asset, type, occurred_at) is stored once, so a repeated plug-in is a no-op. State is
 * derived in occurred_at order, never arrival order.
 */
export const chargingEvents = pgTable(
  "charging_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organisationId: organisationId(),
    assetId: assetId(),
    /** plug_in | plug_out | intent | tariff_update | charge_now | charge_now_deleted | <generic event_type> */
    eventType: text("event_type").notNull(),
    occurredAt: timestamptz("occurred_at").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    /** partner_api | householder_page | operator | simulator */
    source: text("source").notNull(),
    sessionId: uuid("session_id"),
    receivedAt: timestamptz("received_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("charging_events_idempotency_idx").on(t.assetId, t.eventType, t.occurredAt),
    index("charging_events_asset_occurred_idx").on(t.assetId, t.occurredAt),
  ],
);

/** Tariff versions per charger; a session's plans record the version they used. */
export const chargingTariffs = pgTable(
  "charging_tariffs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    assetId: assetId(),
    version: integer("version").notNull(),
    tariffType: text("tariff_type").notNull(),
    timezone: text("timezone").notNull(),
    /** opening-hours style, e.g. "00:00-05:30, 23:30-24:00" */
    offPeakTimes: text("off_peak_times").notNull(),
    /** Optional unit rates for dynamic tariffs: [{from, to, pence_per_kwh}] (ISO instants) or {peak, off_peak}. */
    unitRates: jsonb("unit_rates").$type<unknown>(),
    /** The event time the tariff applies from. */
    effectiveAt: timestamptz("effective_at").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("charging_tariffs_asset_version_idx").on(t.assetId, t.version)],
);

/** Intent versions per charger (partner API, householder page or operator). */
export const chargingIntents = pgTable(
  "charging_intents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    assetId: assetId(),
    version: integer("version").notNull(),
    energyRequiredKwh: doublePrecision("energy_required_kwh").notNull(),
    /** "HH:MM" wall time in the site's zone; the next occurrence after plug-in. */
    readyByLocalTime: text("ready_by_local_time").notNull(),
    mayChargePeak: boolean("may_charge_peak").notNull().default(false),
    chargingMode: text("charging_mode").notNull().default("maximise_charging_time"),
    energyEstimated: boolean("energy_estimated").notNull().default(false),
    source: text("source").notNull(),
    effectiveAt: timestamptz("effective_at").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("charging_intents_asset_version_idx").on(t.assetId, t.version)],
);

/** A plug-in to plug-out period of one charger. */
export const chargingSessions = pgTable(
  "charging_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    assetId: assetId(),
    siteId: uuid("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    pluggedInAt: timestamptz("plugged_in_at").notNull(),
    pluggedOutAt: timestamptz("plugged_out_at"),
    /** From the plug-in event (vehicle.charging_rate_kw) or the asset's rated power. */
    chargerPowerKw: doublePrecision("charger_power_kw").notNull(),
    chargeNowUntil: timestamptz("charge_now_until"),
    /** The required energy cannot be met by ready-by: charging as fast as allowed. */
    flagged: boolean("flagged").notNull().default(false),
    /** OCPP transaction id, integer for 1.6. */
    transactionId: integer("transaction_id"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    // One open session per charger.
    uniqueIndex("charging_sessions_open_idx").on(t.assetId).where(sql`${t.pluggedOutAt} IS NULL`),
    index("charging_sessions_asset_plugged_idx").on(t.assetId, t.pluggedInAt.desc()),
    index("charging_sessions_org_open_idx").on(t.organisationId).where(sql`${t.pluggedOutAt} IS NULL`),
  ],
);

export interface StoredPlanSlot {
  start: string;
  end: string;
  kw: number;
  kwh: number;
  pencePerKwh: number;
  /** Power steps inside the slot when it is not flat (charge-now ending mid-slot); absent when flat. */
  periods?: { start: string; kw: number }[];
}

/** Each plan version the planner produced for a session. */
export const chargingPlans = pgTable(
  "charging_plans",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => chargingSessions.id, { onDelete: "cascade" }),
    assetId: assetId(),
    version: integer("version").notNull(),
    /** plug_in | intent | tariff_update | prices | charge_now | charge_now_deleted | periodic | grid_event | operator */
    trigger: text("trigger").notNull(),
    tariffId: uuid("tariff_id").references(() => chargingTariffs.id, { onDelete: "set null" }),
    intentId: uuid("intent_id").references(() => chargingIntents.id, { onDelete: "set null" }),
    windowStart: timestamptz("window_start").notNull(),
    windowEnd: timestamptz("window_end").notNull(),
    slots: jsonb("slots").$type<StoredPlanSlot[]>().notNull(),
    energyKwh: doublePrecision("energy_kwh").notNull(),
    costPence: integer("cost_pence").notNull(),
    baselineCostPence: integer("baseline_cost_pence").notNull(),
    savingPence: integer("saving_pence").notNull(),
    met: boolean("met").notNull(),
    shortfallKwh: doublePrecision("shortfall_kwh").notNull().default(0),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("charging_plans_session_version_idx").on(t.sessionId, t.version), index("charging_plans_asset_created_idx").on(t.assetId, t.createdAt.desc())],
);

/** Where an organisation's plans are pushed. The signing secret is AES-256-GCM ciphertext. */
export const scheduleEndpoints = pgTable("schedule_endpoints", {
  organisationId: uuid("organisation_id")
    .primaryKey()
    .references(() => organisations.id, { onDelete: "cascade" }),
  url: text("url").notNull(),
  /** "1.6" or "2.0.1" */
  ocppVersion: text("ocpp_version").notNull(),
  secretKeyId: text("secret_key_id").notNull(),
  secretCiphertext: text("secret_ciphertext").notNull(),
  secretLastFour: text("secret_last_four").notNull(),
  enabled: boolean("enabled").notNull().default(true),
  updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  updatedBy: text("updated_by").notNull(),
  /** Set by the first failed push after a success, cleared by the next success: shown as "down since". */
  failingSince: timestamptz("failing_since"),
  lastFailure: text("last_failure"),
});

/** One push of one plan version. Latest wins: an undelivered older row becomes `superseded`. */
export const scheduleDeliveries = pgTable(
  "schedule_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    planId: uuid("plan_id")
      .notNull()
      .references(() => chargingPlans.id, { onDelete: "cascade" }),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => chargingSessions.id, { onDelete: "cascade" }),
    assetId: assetId(),
    /** pending | delivered | superseded | failed | cancelled */
    status: text("status").notNull().default("pending"),
    ocppVersion: text("ocpp_version").notNull(),
    body: jsonb("body").$type<Record<string, unknown>>().notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
    deliveredAt: timestamptz("delivered_at"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("schedule_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("schedule_deliveries_session_idx").on(t.sessionId, t.createdAt.desc()),
  ],
);

/**
 * Every HTTP attempt of a delivery, for the session timeline and debugging. Partitioned by month on
 * `attempted_at` (migration partition_time_series_tables), so the key includes it: PostgreSQL requires the partition key in
 * every unique constraint of a partitioned table.
 */
export const scheduleDeliveryAttempts = pgTable(
  "schedule_delivery_attempts",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    organisationId: organisationId(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => scheduleDeliveries.id, { onDelete: "cascade" }),
    attemptedAt: timestamptz("attempted_at").notNull().defaultNow(),
    httpStatus: integer("http_status"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.id, t.attemptedAt] }), index("schedule_delivery_attempts_delivery_idx").on(t.deliveryId, t.attemptedAt)],
);

/** An uploaded or posted half-hourly price curve. */
export const marketPriceCurves = pgTable(
  "market_price_curves",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    market: text("market").notNull(),
    /** dashboard_csv | trpc | demo */
    source: text("source").notNull(),
    uploadedBy: text("uploaded_by").notNull(),
    pointCount: integer("point_count").notNull(),
    firstSlotAt: timestamptz("first_slot_at").notNull(),
    lastSlotAt: timestamptz("last_slot_at").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [index("market_price_curves_org_market_idx").on(t.organisationId, t.market, t.createdAt.desc())],
);

/** The current price per market and half hour; a newer curve overwrites the slots it covers. */
export const marketPrices = pgTable(
  "market_prices",
  {
    organisationId: organisationId(),
    market: text("market").notNull(),
    slotStart: timestamptz("slot_start").notNull(),
    priceGbpPerMwh: doublePrecision("price_gbp_per_mwh").notNull(),
    curveId: uuid("curve_id")
      .notNull()
      .references(() => marketPriceCurves.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.market, t.slotStart] })],
);

/**
 * `POST /data/readings`: one value per (asset, label, start), upserted.
 *
 * No foreign keys, deliberately: this is the highest-volume table, and a key check is a query and a
 * row lock per inserted row — the two checks took about 40% of a 10,000-row batch
 * (bench/readings-ingest.ts). Integrity is kept instead by
 * - the only writer (services/readings/ingest-readings.ts) storing rows only for assets it has just
 *   read in the caller's organisation and locked FOR KEY SHARE in the same transaction, so the asset
 *   cannot be deleted before the rows commit; and
 * - the `asset_readings_follow_assets` trigger (migration 0010), which deletes an asset's readings
 *   with the asset, however the asset is deleted (directly or by a cascade).
 */
// Partitioned by day on `start_at` (migration partition_time_series_tables); the primary key already includes it.
export const assetReadings = pgTable(
  "asset_readings",
  {
    organisationId: uuid("organisation_id").notNull(),
    assetId: uuid("asset_id").notNull(),
    label: text("label").notNull(),
    startAt: timestamptz("start_at").notNull(),
    endAt: timestamptz("end_at").notNull(),
    value: doublePrecision("value").notNull(),
    receivedAt: timestamptz("received_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.assetId, t.label, t.startAt] })],
);

export type ChargingSessionRow = typeof chargingSessions.$inferSelect;
export type ChargingPlanRow = typeof chargingPlans.$inferSelect;
export type ChargingTariffRow = typeof chargingTariffs.$inferSelect;
export type ChargingIntentRow = typeof chargingIntents.$inferSelect;
export type ScheduleDeliveryRow = typeof scheduleDeliveries.$inferSelect;
