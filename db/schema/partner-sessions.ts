// What partners open on a household's behalf: end-user (component) sessions, and OEM sign-ins
// (OAuth authorization-code flows) waiting for the householder's approval.
import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { customers, sites } from "./inventory";
import { organisations } from "./organisations";

const organisationId = () =>
  uuid("organisation_id")
    .notNull()
    .references(() => organisations.id, { onDelete: "cascade" });
const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

/**
 * One row per component token issued (POST /auth/component-token): the token is a signed claim
 * naming this row, so it can be revoked (offboarding, a new token does not revoke older ones).
 * The site is the end user's site when the token was issued; null while the end user has none.
 */
export const componentSessions = pgTable(
  "component_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    siteId: uuid("site_id").references(() => sites.id, { onDelete: "cascade" }),
    /** The partner page allowed to embed the householder pages (scheme://host[:port]). */
    allowedOrigin: text("allowed_origin").notNull(),
    /** When the household gave boundary-meter consent, as the partner said with this token (kept on record). */
    gaveBoundaryMeterConsentAt: timestamptz("gave_boundary_meter_consent_at"),
    expiresAt: timestamptz("expires_at").notNull(),
    revokedAt: timestamptz("revoked_at"),
    createdByLabel: text("created_by_label").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  // Revoking a site's sessions at offboarding.
  (t) => [index("component_sessions_site_idx").on(t.organisationId, t.siteId)],
);

/**
 * One row per OAuth sign-in started with an OEM cloud for a site. The `state` sent to the OEM is
 * a signed claim naming this row; `used_at` makes it single use (set by a conditional update).
 */
export const oemAuthorizations = pgTable(
  "oem_authorizations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    siteId: uuid("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    provider: text("provider").notNull(),
    expiresAt: timestamptz("expires_at").notNull(),
    usedAt: timestamptz("used_at"),
    /** How it ended: connected, denied, failed (with a reason for operators; no secrets). */
    outcome: text("outcome"),
    createdByLabel: text("created_by_label").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [index("oem_authorizations_site_idx").on(t.organisationId, t.siteId)],
);
