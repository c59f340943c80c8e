// Consent, enrolment, householder links, offboarding and partner webhooks.
// Consent is a ledger: rows are only ever appended and the current state of a
// (site, kind) is the newest row. Nothing may be dispatched without a grant on record.
import { bigserial, boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organisations } from "./organisations";
import { sites } from "./inventory";

export const consentActionEnum = pgEnum("consent_action", ["granted", "withdrawn"]);
export const consentChannelEnum = pgEnum("consent_channel", ["partner_api", "operator", "householder_page", "system"]);
export const enrolmentStateEnum = pgEnum("enrolment_state", ["enrolled", "unenrolled", "withdrawn", "offboarded"]);

const organisationId = () =>
  uuid("organisation_id")
    .notNull()
    .references(() => organisations.id, { onDelete: "cascade" });
// Restrict: consent history and enrolments outlive the site's personal data (offboarding
// anonymises, it never deletes a site).
const siteId = () =>
  uuid("site_id")
    .notNull()
    .references(() => sites.id, { onDelete: "restrict" });

/** What the householder saw when agreeing on the consent page, or what the partner sent. */
export interface ConsentEvidence {
  ipAddress?: string;
  userAgent?: string;
  /** ISO instant the consent text was shown/agreed. */
  agreedAt?: string;
  /** The partner's own timestamp for a consent given elsewhere. */
  partnerTimestamp?: string;
  householderLinkId?: string;
  /** The partner's end-user session (component token) the householder acted through. */
  componentSessionId?: string;
  [key: string]: unknown;
}

// Append-only ledger (a trigger in the migration refuses UPDATE and DELETE).
export const consentRecords = pgTable(
  "consent_records",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organisationId: organisationId(),
    siteId: siteId(),
    /** "boundary_meter" or a dispatch proposition (open set, e.g. "cm_infrequent_dispatch"). */
    kind: text("kind").notNull(),
    action: consentActionEnum("action").notNull(),
    channel: consentChannelEnum("channel").notNull(),
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label").notNull(),
    /** The consent text version agreed to, e.g. "dispatch.full_asset_control.v1". */
    consentTextVersion: text("consent_text_version"),
    evidence: jsonb("evidence").$type<ConsentEvidence>().notNull().default({}),
    reason: text("reason"),
    /** When the consent was given or withdrawn (may precede recording for partner-relayed consents). */
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Current state: newest row per (site, kind).
    index("consent_records_site_kind_idx").on(t.organisationId, t.siteId, t.kind, t.id.desc()),
    // Overview: recent withdrawals.
    index("consent_records_org_recorded_idx").on(t.organisationId, t.recordedAt.desc()),
  ],
);

export const enrolments = pgTable(
  "enrolments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    siteId: siteId(),
    proposition: text("proposition").notNull(),
    state: enrolmentStateEnum("state").notNull(),
    enrolledAt: timestamp("enrolled_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("enrolments_site_proposition_idx").on(t.organisationId, t.siteId, t.proposition),
    index("enrolments_org_proposition_state_idx").on(t.organisationId, t.proposition, t.state),
  ],
);

// Append-only history of enrolment state changes: who and why.
/**
 * An organisation's settings per proposition. No row means the defaults: half-hourly
 * settlement is not required (the published propositions have no such rule).
 */
export const propositionSettings = pgTable(
  "proposition_settings",
  {
    organisationId: organisationId(),
    proposition: text("proposition").notNull(),
    requiresHalfHourlySettlement: boolean("requires_half_hourly_settlement").notNull().default(false),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.proposition] })],
);

export const enrolmentEvents = pgTable(
  "enrolment_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organisationId: organisationId(),
    siteId: siteId(),
    proposition: text("proposition").notNull(),
    fromState: enrolmentStateEnum("from_state"),
    toState: enrolmentStateEnum("to_state").notNull(),
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label").notNull(),
    reason: text("reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("enrolment_events_site_idx").on(t.organisationId, t.siteId, t.createdAt.desc())],
);

// Each signed link has a row so that offboarding (or an operator) can revoke it.
export const householderLinks = pgTable(
  "householder_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    siteId: siteId(),
    purpose: text("purpose").notNull().default("consent"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdByLabel: text("created_by_label").notNull(),
    /**
     * The operator asked to review agreements given through this link: the consent is recorded
     * but the site is not enrolled until an operator does it. Off: agreeing enrols at once.
     */
    reviewBeforeEnrolment: boolean("review_before_enrolment").notNull().default(false),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("householder_links_site_idx").on(t.organisationId, t.siteId)],
);

/** One row per offboarded site: when, and until when settlement data is retained. */
export const siteOffboardings = pgTable("site_offboardings", {
  siteId: uuid("site_id")
    .primaryKey()
    .references(() => sites.id, { onDelete: "restrict" }),
  organisationId: organisationId(),
  offboardedAt: timestamp("offboarded_at", { withTimezone: true }).notNull().defaultNow(),
  retainUntil: timestamp("retain_until", { withTimezone: true }).notNull(),
  actorLabel: text("actor_label").notNull(),
  reason: text("reason"),
  summary: jsonb("summary").$type<Record<string, unknown>>().notNull().default({}),
});

export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    url: text("url").notNull(),
    /** Shared secret for the HMAC signature header. */
    secret: text("secret").notNull(),
    /** Event types delivered; empty means all. */
    eventTypes: text("event_types").array().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    /** Set by the first failed delivery after a success, cleared by the next success: shown as "down since". */
    failingSince: timestamp("failing_since", { withTimezone: true }),
    lastFailure: text("last_failure"),
  },
  (t) => [index("webhook_endpoints_org_idx").on(t.organisationId)],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: text("status").notNull().default("pending"), // pending | delivered | failed
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** When a failed delivery is next due (backoff from the last attempt); null before the first attempt. */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
  },
  (t) => [index("webhook_deliveries_org_created_idx").on(t.organisationId, t.createdAt.desc())],
);

export type ConsentRecordRow = typeof consentRecords.$inferSelect;
export type EnrolmentRow = typeof enrolments.$inferSelect;
export type EnrolmentState = (typeof enrolmentStateEnum.enumValues)[number];
export type ConsentChannel = (typeof consentChannelEnum.enumValues)[number];
