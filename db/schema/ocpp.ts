// Direct charge points: chargers that connect to Flexfleet over OCPP-J (1.6 or 2.0.1) with
// Flexfleet as their central system. One row per charge point (its identity in the WebSocket
// URL, its hashed password, what it told us at boot and its live state), the bounded log of
// the messages exchanged, which gateway process holds each live connection, and the commands
// (charging profiles, clears, schedule read-backs, anything else) sent to it.
import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgSequence, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { chargingPlans, chargingSessions } from "./charging";
import { assets } from "./inventory";
import { organisations } from "./organisations";

const organisationId = () =>
  uuid("organisation_id")
    .notNull()
    .references(() => organisations.id, { onDelete: "cascade" });
const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

/** Connector status as the charge point last reported it, keyed by connector (1.6) or "evse/connector" (2.0.1). */
export interface OcppConnectorStatus {
  status: string;
  errorCode?: string;
  at: string;
}

/**
 * A charger asset reachable over OCPP-J. `charge_point_id` is the identity the charger puts at the
 * end of its URL (`/ocpp/{charge_point_id}`) and its HTTP Basic user name: unique across the whole
 * installation, because the gateway resolves it before it knows the organisation.
 */
export const ocppChargePoints = pgTable(
  "ocpp_charge_points",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    assetId: uuid("asset_id")
      .notNull()
      .references(() => assets.id, { onDelete: "cascade" }),
    chargePointId: text("charge_point_id").notNull(),
    /** argon2id hash of the Basic-auth password; null: no password set yet, so every connection is refused. */
    passwordHash: text("password_hash"),
    passwordSetAt: timestamptz("password_set_at"),
    enabled: boolean("enabled").notNull().default(true),
    /** The subprotocol of the last connection: ocpp1.6 | ocpp2.0.1. */
    protocol: text("protocol"),
    vendor: text("vendor"),
    model: text("model"),
    firmwareVersion: text("firmware_version"),
    serialNumber: text("serial_number"),
    lastBootAt: timestamptz("last_boot_at"),
    lastHeartbeatAt: timestamptz("last_heartbeat_at"),
    /** connected | disconnected (never_connected while no connection was ever made). */
    connectionState: text("connection_state").notNull().default("never_connected"),
    connectedAt: timestamptz("connected_at"),
    disconnectedAt: timestamptz("disconnected_at"),
    connectorStatus: jsonb("connector_status").$type<Record<string, OcppConnectorStatus>>().notNull().default({}),
    /** The running transaction as the charge point numbers it (1.6: our integer as text; 2.0.1: its own string). */
    currentTransactionId: text("current_transaction_id"),
    /** Connector (1.6) or EVSE (2.0.1) of the running transaction. */
    currentConnectorId: integer("current_connector_id"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    // The gateway looks charge points up by identity on every connection attempt.
    uniqueIndex("ocpp_charge_points_identity_idx").on(t.chargePointId),
    uniqueIndex("ocpp_charge_points_asset_idx").on(t.assetId),
    index("ocpp_charge_points_org_idx").on(t.organisationId, t.chargePointId),
  ],
);

/**
 * What was said on each connection, newest kept: `ocpp_message_log_limit` rows per charge point
 * (older ones are pruned as new ones arrive), so a chatty charger cannot fill the database.
 */
export const ocppMessages = pgTable(
  "ocpp_messages",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organisationId: organisationId(),
    chargePointId: uuid("charge_point_id")
      .notNull()
      .references(() => ocppChargePoints.id, { onDelete: "cascade" }),
    /** in (from the charge point) | out (to it) */
    direction: text("direction").notNull(),
    /** CALL | CALLRESULT | CALLERROR */
    messageType: text("message_type").notNull(),
    action: text("action"),
    messageId: text("message_id"),
    payload: jsonb("payload").$type<unknown>(),
    error: text("error"),
    at: timestamptz("at").notNull().defaultNow(),
  },
  // The dashboard reads a charge point's newest messages; pruning deletes its oldest.
  (t) => [index("ocpp_messages_charge_point_idx").on(t.chargePointId, t.id.desc())],
);

/** OCPP 1.6 transaction ids the central system hands out in StartTransaction.conf (integers, unique installation-wide). */
export const ocppTransactionIds = pgSequence("ocpp_transaction_ids", { startWith: 1, maxValue: 2147483647 });

/** Each running gateway process, with a heartbeat: a gateway that stopped beating holds nothing. */
export const ocppGateways = pgTable("ocpp_gateways", {
  id: text("id").primaryKey(),
  startedAt: timestamptz("started_at").notNull().defaultNow(),
  heartbeatAt: timestamptz("heartbeat_at").notNull().defaultNow(),
});

/** Which gateway process holds each live connection: commands are routed to that process. */
export const ocppConnections = pgTable(
  "ocpp_connections",
  {
    chargePointId: uuid("charge_point_id")
      .primaryKey()
      .references(() => ocppChargePoints.id, { onDelete: "cascade" }),
    organisationId: organisationId(),
    gatewayId: text("gateway_id")
      .notNull()
      .references(() => ocppGateways.id, { onDelete: "cascade" }),
    protocol: text("protocol").notNull(),
    connectedAt: timestamptz("connected_at").notNull().defaultNow(),
  },
  (t) => [index("ocpp_connections_gateway_idx").on(t.gatewayId)],
);

/**
 * A command for a charge point, sent by whichever gateway holds its connection. Charging-profile
 * pushes (`kind` = profile) follow "latest wins": a newer plan supersedes a push still pending, so a
 * charger that was offline gets only the latest plan when it reconnects.
 */
export const ocppCommands = pgTable(
  "ocpp_commands",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    chargePointId: uuid("charge_point_id")
      .notNull()
      .references(() => ocppChargePoints.id, { onDelete: "cascade" }),
    /** profile (a plan's SetChargingProfile) | clear_profile | command (anything else) */
    kind: text("kind").notNull(),
    action: text("action").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** pending | sending | answered | rejected | failed | superseded | cancelled */
    status: text("status").notNull().default("pending"),
    /** The charge point's answer (CALLRESULT payload). */
    response: jsonb("response").$type<Record<string, unknown>>(),
    error: text("error"),
    sessionId: uuid("session_id").references(() => chargingSessions.id, { onDelete: "cascade" }),
    planId: uuid("plan_id").references(() => chargingPlans.id, { onDelete: "cascade" }),
    planVersion: integer("plan_version"),
    /** GetCompositeSchedule after an accepted profile: what the charger says it will do, and whether it matches the plan. */
    appliedSchedule: jsonb("applied_schedule").$type<Record<string, unknown>>(),
    appliedMatchesPlan: boolean("applied_matches_plan"),
    appliedComparison: text("applied_comparison"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    sentAt: timestamptz("sent_at"),
    answeredAt: timestamptz("answered_at"),
  },
  (t) => [
    // A gateway sends a charge point's pending commands when it connects and on every notice.
    index("ocpp_commands_pending_idx").on(t.chargePointId, t.createdAt).where(sql`${t.status} = 'pending'`),
    index("ocpp_commands_charge_point_idx").on(t.chargePointId, t.createdAt.desc()),
  ],
);

export type OcppChargePointRow = typeof ocppChargePoints.$inferSelect;
export type OcppCommandRow = typeof ocppCommands.$inferSelect;
export type OcppMessageRow = typeof ocppMessages.$inferSelect;
