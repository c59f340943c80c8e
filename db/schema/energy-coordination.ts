// The energy-coordination dialect's own records: events the platform produces for partners
// (price curves, power limits from grid events, eligibility changes), the reports partners send
// back, the dialect's view of webhook endpoints, and every delivery attempt of any webhook.
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
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
import { webhookDeliveries, webhookEndpoints } from "./consent";
import { organisations } from "./organisations";

const organisationId = () =>
  uuid("organisation_id")
    .notNull()
    .references(() => organisations.id, { onDelete: "cascade" });
const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

export const coordinationEvents = pgTable(
  "coordination_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    /** PriceCurve | UserEligibility | LocationLPC | ResourceLPC | LPCReservation */
    payloadType: text("payload_type").notNull(),
    /** The published payload, as served by GET /events/{eventId}. */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** What produced it: grid_event | market_prices | enrolment | simulation */
    source: text("source").notNull(),
    /** The producing record (grid event id, price publication id, ...), for idempotency and the dashboard. */
    sourceId: text("source_id"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [
    // GET /events: newest first with stable paging.
    index("coordination_events_org_created_idx").on(t.organisationId, t.createdAt.desc(), t.id.desc()),
    // One event per producing record and type: a repeated hook call produces nothing new.
    uniqueIndex("coordination_events_source_idx")
      .on(t.organisationId, t.source, t.sourceId, t.payloadType)
      .where(sql`${t.sourceId} is not null`),
  ],
);

export const coordinationReports = pgTable(
  "coordination_reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    /** The coordination event the report answers, when the partner names one. */
    eventId: uuid("event_id").references(() => coordinationEvents.id, { onDelete: "set null" }),
    /** The payloads as received (usage plans are kept only here). */
    payloads: jsonb("payloads").$type<Record<string, unknown>[]>().notNull(),
    /** What the platform did with each payload, in order. */
    outcomes: jsonb("outcomes").$type<Record<string, unknown>[]>().notNull().default([]),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [index("coordination_reports_org_created_idx").on(t.organisationId, t.createdAt.desc())],
);

/** The dialect's fields of a webhook endpoint (its url, secret and types are on webhook_endpoints). */
export const coordinationWebhooks = pgTable("coordination_webhooks", {
  endpointId: uuid("endpoint_id")
    .primaryKey()
    .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
  organisationId: organisationId(),
  name: text("name"),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
  modifiedAt: timestamptz("modified_at").notNull().defaultNow(),
});

/**
 * Every POST of every webhook delivery, with its outcome: the notification log. Partitioned by month
 * on `attempted_at` (migration partition_time_series_tables), which the primary key therefore includes.
 */
export const webhookDeliveryAttempts = pgTable(
  "webhook_delivery_attempts",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    organisationId: organisationId(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    attemptedAt: timestamptz("attempted_at").notNull(),
    /** The exact bytes sent (what the signature covers). */
    body: text("body").notNull(),
    signature: text("signature"),
    responseStatus: integer("response_status"),
    durationMs: integer("duration_ms").notNull(),
    timedOut: boolean("timed_out").notNull().default(false),
    error: text("error"),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.attemptedAt] }),
    index("webhook_delivery_attempts_org_idx").on(t.organisationId, t.attemptedAt.desc()),
    index("webhook_delivery_attempts_delivery_idx").on(t.deliveryId),
  ],
);

/** Per-organisation settings of the dialect. */
export const coordinationSettings = pgTable("coordination_settings", {
  organisationId: uuid("organisation_id")
    .primaryKey()
    .references(() => organisations.id, { onDelete: "cascade" }),
  /** The sandbox endpoints (/simulation/...) answer only where this is on. */
  simulationEnabled: boolean("simulation_enabled").notNull().default(false),
  updatedAt: timestamptz("updated_at").notNull().defaultNow(),
});
