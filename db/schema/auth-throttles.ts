import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Failed-credential counters shared by every process (token endpoints, dashboard sign-in,
 * householder codes). One row per bucket and subject (a client id, an email or an address,
 * hashed so hostile input never reaches a key). Updated only by a conditional upsert, so
 * parallel attempts in several processes count exactly once each.
 */
export const authThrottles = pgTable("auth_throttles", {
  key: text("key").primaryKey(),
  /** Attempts counted in the current window (a success gives its attempt back). */
  attempts: integer("attempts").notNull().default(0),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
  /** Lockouts in a row: each one doubles the next lock (backoff); a success resets it. */
  lockouts: integer("lockouts").notNull().default(0),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
});
