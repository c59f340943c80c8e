// Outgoing email. Every message the platform sends is recorded here with its outcome; when no
// SMTP server is configured (development, tests) the message is captured instead of sent, and the
// dashboard's mailbox shows it, so nothing leaves the machine.
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organisations } from "./organisations";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

export const outboundEmails = pgTable(
  "outbound_emails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    toAddress: text("to_address").notNull(),
    fromAddress: text("from_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    /** What the message is about, e.g. "grid_event.notice"; with relatedId, keeps sends idempotent. */
    purpose: text("purpose").notNull(),
    relatedId: text("related_id"),
    /** smtp | captured */
    transport: text("transport").notNull(),
    /** captured | sent | failed */
    status: text("status").notNull(),
    messageId: text("message_id"),
    error: text("error"),
    /** Extra context (site id, event id), never secrets. */
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    sentAt: timestamptz("sent_at"),
  },
  (t) => [index("outbound_emails_org_created_idx").on(t.organisationId, t.createdAt.desc()), index("outbound_emails_related_idx").on(t.organisationId, t.purpose, t.relatedId)],
);

export type OutboundEmailRow = typeof outboundEmails.$inferSelect;
