import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Small process-wide facts, e.g. the last worker heartbeat shown by /api/health. */
export const systemStatus = pgTable("system_status", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<Record<string, unknown>>().notNull().default({}),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
