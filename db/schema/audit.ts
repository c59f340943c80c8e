import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organisations } from "./organisations";

// Append-only: a trigger in the migrations refuses UPDATE and DELETE on this table.
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    actorType: text("actor_type").notNull(), // operator | api_client | householder | system
    actorId: text("actor_id"),
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(), // e.g. member.added, member.role_changed
    targetType: text("target_type"),
    targetId: text("target_id"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // The audit page lists an organisation's newest events first, optionally by action.
  (t) => [
    index("audit_events_org_created_idx").on(t.organisationId, t.createdAt.desc(), t.id.desc()),
    index("audit_events_org_action_idx").on(t.organisationId, t.action),
  ],
);
