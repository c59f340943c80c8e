// The meter registry an operator loads (from their supplier or data provider): which meter sits at
// which address, whether it is settled half-hourly, its supplier and the markets it may enter.
// Partners look meters up through /meter/*; nothing else writes here.
import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organisations } from "./organisations";

export const meterRegistryEntries = pgTable(
  "meter_registry_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    /** Normalised 13-digit MPAN core. */
    mpan: text("mpan").notNull(),
    /** The address as loaded, e.g. "12 Acacia Avenue, London, SW1A 1AA". */
    address: text("address").notNull(),
    /** Normalised postcode ("SW1A 1AA"). */
    postcode: text("postcode").notNull(),
    halfHourlySettled: boolean("half_hourly_settled").notNull(),
    supplierMpid: text("supplier_mpid"),
    supplierName: text("supplier_name"),
    /** Of cm, dno, wholesale. */
    eligibleMarkets: text("eligible_markets").array().notNull(),
    loadedAt: timestamp("loaded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One entry per meter per organisation: a reload updates it in place.
    uniqueIndex("meter_registry_org_mpan_idx").on(t.organisationId, t.mpan),
    // Search and address matching look meters up by postcode.
    index("meter_registry_org_postcode_idx").on(t.organisationId, t.postcode),
  ],
);

export type MeterRegistryEntry = typeof meterRegistryEntries.$inferSelect;
