import { sql } from "drizzle-orm";
import { boolean, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const organisations = pgTable("organisations", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  /**
   * Partner URLs (webhook and schedule endpoints) may be plain http or resolve to loopback,
   * link-local or private addresses. Off by default; on for the demo organisation (its simulator
   * runs on loopback) and for tests.
   */
  allowPrivatePartnerUrls: boolean("allow_private_partner_urls").notNull().default(false),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const operators = pgTable(
  "operators",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    // Set when an admin created the account with a one-time password: the operator must choose their own.
    mustChangePassword: boolean("must_change_password").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
    // Sessions carry the version they were issued under; sign-out and password changes bump it,
    // so every cookie issued before stops working at once.
    sessionVersion: integer("session_version").notNull().default(0),
  },
  // Emails are compared case-insensitively: one account per address however it is typed.
  (t) => [uniqueIndex("operators_email_lower_idx").using("btree", sql`lower(${t.email})`)],
);

export const roleEnum = pgEnum("role", ["admin", "operator", "viewer"]);
export type Role = (typeof roleEnum.enumValues)[number];

export const memberships = pgTable(
  "memberships",
  {
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    operatorId: uuid("operator_id")
      .notNull()
      .references(() => operators.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.operatorId] }),
    // "Which organisations is this operator in" runs on every sign-in and org switch.
    index("memberships_operator_idx").on(t.operatorId),
  ],
);
