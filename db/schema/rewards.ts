// Rewards and Fully Optimised battery schedules: the per-site reward ledger (append-only; only
// payment_status moves, along allowed transitions, each move kept in reward_payment_events),
// per-organisation reward settings, every daily battery schedule version the planner produced,
// and the Actions the schedule executor created at slot boundaries.
import { sql } from "drizzle-orm";
import { bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { gridEvents } from "./grid-events";
import { assets, sites } from "./inventory";
import { organisations } from "./organisations";

const organisationId = () =>
  uuid("organisation_id")
    .notNull()
    .references(() => organisations.id, { onDelete: "cascade" });
const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

/**
 * One credit or debit on a site's reward balance. Never updated except `payment_status` (a
 * database trigger refuses any other change and any delete); corrections are new entries.
 */
export const rewardEntries = pgTable(
  "reward_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    // Restrict: the ledger outlives the site's personal data (offboarding anonymises, never deletes).
    siteId: uuid("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "restrict" }),
    /** event_credit | sign_up_bonus | correction | withdrawal */
    entryType: text("entry_type").notNull(),
    periodStart: timestamptz("period_start"),
    periodEnd: timestamptz("period_end"),
    /** Delivered flexibility behind the entry, kWh (null for bonuses and withdrawals). */
    flexKwh: doublePrecision("flex_kwh"),
    /** Positive = credit to the household, negative = withdrawal or debit correction. */
    amountPence: integer("amount_pence").notNull(),
    /** pending_approval | approved | processing | posted | failed */
    paymentStatus: text("payment_status").notNull().default("pending_approval"),
    eventId: uuid("event_id").references(() => gridEvents.id, { onDelete: "restrict" }),
    /** e.g. "event:<event id>:site:<site id>"; the same key is credited once. */
    idempotencyKey: text("idempotency_key").notNull(),
    /** Payment run reference once exported (set together with processing). */
    paymentReference: text("payment_reference"),
    note: text("note"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    createdBy: text("created_by").notNull(),
  },
  (t) => [
    uniqueIndex("reward_entries_idempotency_idx").on(t.organisationId, t.idempotencyKey),
    index("reward_entries_site_created_idx").on(t.siteId, t.createdAt.desc()),
    index("reward_entries_org_status_idx").on(t.organisationId, t.paymentStatus),
    index("reward_entries_event_idx").on(t.eventId),
  ],
);

/** Every payment status move of a ledger entry, append-only (who, when, from, to). */
export const rewardPaymentEvents = pgTable(
  "reward_payment_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organisationId: organisationId(),
    entryId: uuid("entry_id")
      .notNull()
      .references(() => rewardEntries.id, { onDelete: "restrict" }),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    reference: text("reference"),
    changedBy: text("changed_by").notNull(),
    changedAt: timestamptz("changed_at").notNull().defaultNow(),
  },
  (t) => [index("reward_payment_events_entry_idx").on(t.entryId, t.changedAt)],
);

/** Per-organisation reward and optimised-schedule settings, edited by admins. */
export const rewardSettings = pgTable("reward_settings", {
  organisationId: uuid("organisation_id")
    .primaryKey()
    .references(() => organisations.id, { onDelete: "cascade" }),
  /** Share of the event price passed to the household, percent (0-100, two decimals). */
  operatorSharePct: doublePrecision("operator_share_pct").notNull().default(50),
  signUpBonusPence: integer("sign_up_bonus_pence").notNull().default(0),
  withdrawalThresholdPence: integer("withdrawal_threshold_pence").notNull().default(500),
  withdrawalMinWaitDays: integer("withdrawal_min_wait_days").notNull().default(0),
  /** Market whose half-hourly curve prices Fully Optimised schedules. */
  scheduleMarket: text("schedule_market").notNull().default("wholesale"),
  /** Added to the market price for each imported kWh (network, levies, supplier margin), p/kWh. */
  importMarginPencePerKwh: doublePrecision("import_margin_pence_per_kwh").notNull().default(15),
  /** Taken off the market price for each exported kWh, p/kWh. */
  exportMarginPencePerKwh: doublePrecision("export_margin_pence_per_kwh").notNull().default(2),
  updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  updatedBy: text("updated_by").notNull(),
});

export interface StoredBatteryScheduleSlot {
  start: string;
  end: string;
  chargeKw: number;
  dischargeKw: number;
  gridImportKw: number;
  gridExportKw: number;
  socStartPct: number;
  socEndPct: number;
  mode: string;
  importPencePerKwh: number;
  exportPencePerKwh: number;
  loadKwh: number;
  /** Solar generation forecast for the slot (absent in plans made before solar was forecast). */
  solarKwh?: number;
  marketPriceGbpPerMwh: number;
}

/** Each daily schedule version per battery; the newest version of a day is the active one. */
export const batterySchedules = pgTable(
  "battery_schedules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    assetId: uuid("asset_id")
      .notNull()
      .references(() => assets.id, { onDelete: "cascade" }),
    siteId: uuid("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    /** Local (Europe/London) date the schedule covers. */
    scheduleDate: text("schedule_date").notNull(),
    version: integer("version").notNull(),
    /** daily | prices | operator */
    trigger: text("trigger").notNull(),
    windowStart: timestamptz("window_start").notNull(),
    windowEnd: timestamptz("window_end").notNull(),
    slots: jsonb("slots").$type<StoredBatteryScheduleSlot[]>().notNull(),
    /** Inputs that shaped the plan (battery spec, price source, forecast source) for audit. */
    inputs: jsonb("inputs").$type<Record<string, unknown>>().notNull().default({}),
    totalCostPence: integer("total_cost_pence").notNull(),
    baselineCostPence: integer("baseline_cost_pence").notNull(),
    savingPence: integer("saving_pence").notNull(),
    solver: text("solver").notNull(),
    provenOptimal: boolean("proven_optimal").notNull(),
    /** active | superseded | cancelled */
    status: text("status").notNull().default("active"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("battery_schedules_asset_date_version_idx").on(t.assetId, t.scheduleDate, t.version),
    uniqueIndex("battery_schedules_one_active_idx").on(t.assetId, t.scheduleDate).where(sql`${t.status} = 'active'`),
    index("battery_schedules_org_window_idx").on(t.organisationId, t.windowStart),
  ],
);

/** The executor's record of a slot boundary: the mode it asked for and the Action it created (once per battery and slot). */
export const batteryScheduleSlotActions = pgTable(
  "battery_schedule_slot_actions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organisationId: organisationId(),
    scheduleId: uuid("schedule_id")
      .notNull()
      .references(() => batterySchedules.id, { onDelete: "cascade" }),
    assetId: uuid("asset_id")
      .notNull()
      .references(() => assets.id, { onDelete: "cascade" }),
    slotStart: timestamptz("slot_start").notNull(),
    mode: text("mode").notNull(),
    /** created | unchanged (same mode as before) | skipped (with reason) */
    outcome: text("outcome").notNull(),
    actionId: uuid("action_id"),
    reason: text("reason"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("battery_schedule_slot_actions_asset_slot_idx").on(t.assetId, t.slotStart)],
);

export type RewardEntryRow = typeof rewardEntries.$inferSelect;
export type RewardSettingsRow = typeof rewardSettings.$inferSelect;
export type BatteryScheduleRow = typeof batterySchedules.$inferSelect;
