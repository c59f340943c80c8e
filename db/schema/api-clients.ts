// Machine access for partners: API clients (created by admins, secret shown once,
// stored hashed) exchange their credentials for short-lived bearer tokens.
import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { operators, organisations } from "./organisations";

export const apiClients = pgTable(
  "api_clients",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Public identifier the partner sends as client_id / username. */
    clientId: text("client_id").notNull().unique(),
    /** scrypt hash of the secret; the secret itself is shown once and never stored. */
    secretHash: text("secret_hash").notNull(),
    scopes: text("scopes").array().notNull(),
    /** The OEM cloud this partner's credentials are for, when it is one (e.g. a GivEnergy integration): used when a submitted token names none. */
    oem: text("oem"),
    createdByOperatorId: uuid("created_by_operator_id").references(() => operators.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  // The dashboard lists an organisation's clients.
  (t) => [index("api_clients_org_idx").on(t.organisationId, t.createdAt)],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    /** SHA-256 (hex) of the bearer token: the per-request check is one primary-key lookup. */
    tokenHash: text("token_hash").primaryKey(),
    apiClientId: uuid("api_client_id")
      .notNull()
      .references(() => apiClients.id, { onDelete: "cascade" }),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    scopes: text("scopes").array().notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Purging expired tokens, and revoking every token of a client.
    index("api_tokens_expires_idx").on(t.expiresAt),
    index("api_tokens_client_idx").on(t.apiClientId),
  ],
);
