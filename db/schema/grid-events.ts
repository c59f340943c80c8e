// Grid events: what the operator asked the fleet for, which assets take part with what
// power (the committed dispatch plan), how each responded, and what partners reported.
import { sql } from "drizzle-orm";
import { bigserial, doublePrecision, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { assets, sites } from "./inventory";
import { organisations } from "./organisations";

const organisationId = () =>
  uuid("organisation_id")
    .notNull()
    .references(() => organisations.id, { onDelete: "cascade" });
const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

export const gridEvents = pgTable(
  "grid_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    name: text("name").notNull(),
    /** turn_down (less import / more export) | turn_up (more import) */
    direction: text("direction").notNull(),
    startAt: timestamptz("start_at").notNull(),
    endAt: timestamptz("end_at").notNull(),
    targetKw: doublePrecision("target_kw").notNull(),
    /** Postcode area prefix (e.g. "SW") or null for the whole fleet. */
    region: text("region"),
    priceGbpPerMwh: doublePrecision("price_gbp_per_mwh").notNull(),
    /** Propositions that take part, e.g. vpp_limited_control, full_asset_schedule_control. */
    propositions: text("propositions").array().notNull().default(sql`'{}'::text[]`),
    /** draft | scheduled (plan committed) | dispatching | active | restoring | completed | cancelled | settled */
    status: text("status").notNull().default("draft"),
    createdBy: text("created_by").notNull(),
    committedAt: timestamptz("committed_at"),
    cancelledAt: timestamptz("cancelled_at"),
    completedAt: timestamptz("completed_at"),
    settledAt: timestamptz("settled_at"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [index("grid_events_org_start_idx").on(t.organisationId, t.startAt.desc()), index("grid_events_status_start_idx").on(t.status, t.startAt)],
);

/** One asset's part in an event: planned power, how it is controlled, and how it went. */
export const gridEventParticipants = pgTable(
  "grid_event_participants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => gridEvents.id, { onDelete: "cascade" }),
    assetId: uuid("asset_id")
      .notNull()
      .references(() => assets.id, { onDelete: "cascade" }),
    siteId: uuid("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    assetType: text("asset_type").notNull(),
    /** oem_action (our adapters) | partner_webhook (partner-controlled) | charging_replan (our smart charging) */
    control: text("control").notNull(),
    proposition: text("proposition").notNull(),
    plannedKw: doublePrecision("planned_kw").notNull(),
    /** Operation mode before the event, restored afterwards. */
    previousMode: text("previous_mode"),
    /** planned | dispatched | confirmed | received | accepted | rejected | failed | executed | restored | restore_failed */
    status: text("status").notNull().default("planned"),
    dispatchActionId: uuid("dispatch_action_id"),
    restoreActionId: uuid("restore_action_id"),
    failureReason: text("failure_reason"),
    deliveredKwh: doublePrecision("delivered_kwh"),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("grid_event_participants_event_asset_idx").on(t.eventId, t.assetId), index("grid_event_participants_asset_idx").on(t.assetId)],
);

/** Partner callbacks (POST /entities/asset/{asset_id}/callback/{event_id}), append-only. */
export const gridEventStatusReports = pgTable(
  "grid_event_status_reports",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organisationId: organisationId(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => gridEvents.id, { onDelete: "cascade" }),
    assetId: uuid("asset_id")
      .notNull()
      .references(() => assets.id, { onDelete: "cascade" }),
    status: text("status").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    receivedAt: timestamptz("received_at").notNull().defaultNow(),
  },
  (t) => [index("grid_event_status_reports_event_idx").on(t.eventId, t.receivedAt)],
);

export type GridEventRow = typeof gridEvents.$inferSelect;
export type GridEventParticipantRow = typeof gridEventParticipants.$inferSelect;
