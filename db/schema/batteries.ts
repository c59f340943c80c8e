// Batteries: the OEM credential per site (encrypted), the telemetry time series, the
// polling state per battery, and operation-mode Actions with their webhook outbox.
import { sql } from "drizzle-orm";
import { doublePrecision, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { assets, sites } from "./inventory";
import { organisations } from "./organisations";

const organisationId = () =>
  uuid("organisation_id")
    .notNull()
    .references(() => organisations.id, { onDelete: "cascade" });
const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

export const oemCredentialStatusEnum = pgEnum("oem_credential_status", ["valid", "rejected"]);
export const batteryActionStateEnum = pgEnum("battery_action_state", ["PENDING", "CONFIRMED", "FAILED", "CANCELLED"]);

/**
 * One credential per site: the household's account at its battery's OEM cloud.
 * The secret is only ever stored as AES-256-GCM ciphertext; `keyId` names the key
 * that sealed it so keys can be rotated without re-submitting credentials.
 */
export const oemCredentials = pgTable(
  "oem_credentials",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    siteId: uuid("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    oem: text("oem").notNull(),
    /** "API_KEY" or "Bearer", as the entities dialect submits it. */
    tokenType: text("token_type").notNull(),
    keyId: text("key_id").notNull(),
    /** base64(iv ‖ auth tag ‖ ciphertext) of the JSON secret. */
    ciphertext: text("ciphertext").notNull(),
    /** Shown to operators so they can tell credentials apart. */
    lastFour: text("last_four").notNull(),
    expiresAt: timestamptz("expires_at"),
    status: oemCredentialStatusEnum("status").notNull().default("valid"),
    rejectedReason: text("rejected_reason"),
    lastVerifiedAt: timestamptz("last_verified_at"),
    lastUsedAt: timestamptz("last_used_at"),
    expiryWarnedAt: timestamptz("expiry_warned_at"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("oem_credentials_site_idx").on(t.siteId), index("oem_credentials_org_idx").on(t.organisationId, t.expiresAt)],
);

/** Telemetry as the OEM reported it, one row per battery and observation instant. Partitioned by day on `observed_at` (migration partition_time_series_tables). */
export const batteryReadings = pgTable(
  "battery_readings",
  {
    organisationId: organisationId(),
    assetId: uuid("asset_id")
      .notNull()
      .references(() => assets.id, { onDelete: "cascade" }),
    observedAt: timestamptz("observed_at").notNull(),
    socPct: doublePrecision("soc_pct").notNull(),
    batteryPowerKw: doublePrecision("battery_power_kw").notNull(),
    gridPowerKw: doublePrecision("grid_power_kw").notNull(),
    solarPowerKw: doublePrecision("solar_power_kw").notNull(),
    loadPowerKw: doublePrecision("load_power_kw").notNull(),
    operationMode: text("operation_mode"),
    oemMode: text("oem_mode").notNull(),
    dischargeFloorPct: doublePrecision("discharge_floor_pct").notNull(),
    receivedAt: timestamptz("received_at").notNull().defaultNow(),
  },
  // Charts and "latest reading" read newest-first per battery; unique so a re-polled observation is stored once.
  (t) => [uniqueIndex("battery_readings_asset_observed_idx").on(t.assetId, t.observedAt.desc())],
);

/**
 * Half-hourly rollup of `battery_readings`: per battery and UTC half hour, the number of readings and
 * the sums of each measure (means are sum / count, so the rollup can be kept up to date by adding).
 * Written by statement triggers on `battery_readings` in the same transaction as the readings
 * (migration partition_time_series_tables), so every writer keeps it right. Settlement, baselines and charts read it instead
 * of the raw rows; it outlives them (its own, longer retention). Partitioned by month on `slot_start`.
 */
export const batteryReadingRollups = pgTable(
  "battery_reading_rollups",
  {
    organisationId: organisationId(),
    assetId: uuid("asset_id")
      .notNull()
      .references(() => assets.id, { onDelete: "cascade" }),
    slotStart: timestamptz("slot_start").notNull(),
    readingCount: integer("reading_count").notNull(),
    socPctSum: doublePrecision("soc_pct_sum").notNull(),
    batteryPowerKwSum: doublePrecision("battery_power_kw_sum").notNull(),
    gridPowerKwSum: doublePrecision("grid_power_kw_sum").notNull(),
    solarPowerKwSum: doublePrecision("solar_power_kw_sum").notNull(),
    loadPowerKwSum: doublePrecision("load_power_kw_sum").notNull(),
  },
  (t) => [primaryKey({ columns: [t.assetId, t.slotStart] })],
);

/** Per battery: when it was last polled and how polling is going, for staleness and backoff. */
export const batteryPollStates = pgTable("battery_poll_states", {
  assetId: uuid("asset_id")
    .primaryKey()
    .references(() => assets.id, { onDelete: "cascade" }),
  organisationId: organisationId(),
  lastAttemptAt: timestamptz("last_attempt_at"),
  lastSuccessAt: timestamptz("last_success_at"),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  lastErrorCode: text("last_error_code"),
  nextPollAt: timestamptz("next_poll_at"),
});

export interface ActionFailureReason {
  type: string;
  detail: string;
}

export const batteryActions = pgTable(
  "battery_actions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    assetId: uuid("asset_id")
      .notNull()
      .references(() => assets.id, { onDelete: "cascade" }),
    kind: text("kind").notNull().default("OPERATION_MODE"),
    targetMode: text("target_mode").notNull(),
    state: batteryActionStateEnum("state").notNull().default("PENDING"),
    failureReason: jsonb("failure_reason").$type<ActionFailureReason>(),
    deadlineAt: timestamptz("deadline_at").notNull(),
    commandAttempts: integer("command_attempts").notNull().default(0),
    lastCommandAt: timestamptz("last_command_at"),
    nextCheckAt: timestamptz("next_check_at").notNull().defaultNow(),
    createdBy: text("created_by").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
    completedAt: timestamptz("completed_at"),
  },
  (t) => [
    // One active action per battery, enforced by the database as well as the service.
    uniqueIndex("battery_actions_one_pending_idx").on(t.assetId).where(sql`${t.state} = 'PENDING'`),
    index("battery_actions_asset_created_idx").on(t.assetId, t.createdAt.desc()),
    // The sweeper's scan: pending actions by deadline.
    index("battery_actions_pending_deadline_idx").on(t.deadlineAt).where(sql`${t.state} = 'PENDING'`),
  ],
);

/** Outbox of battery-control webhook events (user:vendor-action:updated), written with the state change. */
export const batteryWebhookEvents = pgTable(
  "battery_webhook_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    event: text("event").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    deliveredAt: timestamptz("delivered_at"),
  },
  (t) => [index("battery_webhook_events_org_created_idx").on(t.organisationId, t.createdAt)],
);

export type OemCredentialRow = typeof oemCredentials.$inferSelect;
export type BatteryReadingRow = typeof batteryReadings.$inferSelect;
export type BatteryReadingRollupRow = typeof batteryReadingRollups.$inferSelect;
export type BatteryActionRow = typeof batteryActions.$inferSelect;
