// The fleet inventory: the partner's customers, their sites (one per MPAN), the
// assets at each site, and the energy-coordination dialect's meters, vehicles and
// other resources. Every row carries its organisation and every query is scoped by it.
import { sql } from "drizzle-orm";
import {
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { organisations } from "./organisations";

export const assetTypeEnum = pgEnum("asset_type", ["battery", "charger", "electric_vehicle", "heat_pump", "hot_water_tank", "solar_pv"]);
export const siteStatusEnum = pgEnum("site_status", ["active", "offboarded"]);

const organisationId = () =>
  uuid("organisation_id")
    .notNull()
    .references(() => organisations.id, { onDelete: "cascade" });
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export const customers = pgTable(
  "customers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    externalUserId: text("external_user_id"),
    name: text("name"),
    email: text("email"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Registering the same partner user twice returns the same customer (ON CONFLICT target).
    uniqueIndex("customers_org_external_user_idx")
      .on(t.organisationId, t.externalUserId)
      .where(sql`${t.externalUserId} is not null`),
  ],
);

export interface SiteTariff {
  tariffType: string;
  cheapStartTime?: string;
  cheapEndTime?: string;
}

export const sites = pgTable(
  "sites",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    customerId: uuid("customer_id").references(() => customers.id, { onDelete: "set null" }),
    /** Normalised 13-digit MPAN core. */
    mpan: text("mpan").notNull(),
    mpanCheckDigitValid: boolean("mpan_check_digit_valid").notNull(),
    /** Normalised, e.g. "SW1A 1AA". */
    postcode: text("postcode").notNull(),
    streetAddress: text("street_address"),
    email: text("email"),
    gaveBoundaryMeterConsentAt: timestamp("gave_boundary_meter_consent_at", { withTimezone: true }),
    /** Null while unknown; eligibility treats unknown as not settled half-hourly. */
    isHalfHourlySettled: boolean("is_half_hourly_settled"),
    timeZone: text("time_zone").notNull().default("Europe/London"),
    tariff: jsonb("tariff").$type<SiteTariff>(),
    status: siteStatusEnum("status").notNull().default("active"),
    /**
     * Propositions the site is eligible for, recomputed in the same transaction as
     * every change to the site, its assets or (later) its consents. Stored so that the
     * sites list can filter by eligibility without evaluating 100,000 sites per page.
     */
    eligiblePropositions: text("eligible_propositions").array().notNull().default(sql`'{}'::text[]`),
    /**
     * One lower-cased haystack for the search box: MPAN, postcode with and without its
     * space (people type "sw1a1aa"), street address and email. A single trigram GIN
     * index over it answers "contains" searches without scanning the table.
     */
    searchText: text("search_text")
      .notNull()
      .generatedAlwaysAs(
        sql`lower(mpan || ' ' || replace(postcode, ' ', '') || ' ' || postcode || ' ' || coalesce(street_address, '') || ' ' || coalesce(email, ''))`,
      ),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // A site is its metering point: initialise matches on it, and ON CONFLICT on this
    // index is what keeps 50 concurrent initialise calls from creating duplicates.
    uniqueIndex("sites_org_mpan_idx").on(t.organisationId, t.mpan),
    // The default list order (newest first) with stable paging.
    index("sites_org_created_idx").on(t.organisationId, t.createdAt.desc(), t.id.desc()),
    // The public API's exact postcode filter.
    index("sites_org_postcode_idx").on(t.organisationId, t.postcode),
    // Trigram index for the dashboard's "contains" search (pg_trgm, see the site_search migration).
    index("sites_search_trgm_idx").using("gin", sql`${t.searchText} gin_trgm_ops`),
    // "Eligible for proposition X" filter: array containment uses this GIN index.
    index("sites_eligible_propositions_idx").using("gin", t.eligiblePropositions),
    index("sites_customer_idx").on(t.customerId),
  ],
);

/**
 * The catalogue of asset models partners name in `asset_model`. Rows without an organisation
 * are the shipped global catalogue (common UK smart chargers and home batteries, loaded by a
 * data migration); an organisation's own row with the same name shadows the global one, so
 * operators add and correct models without changing what other organisations see.
 */
export const assetModels = pgTable(
  "asset_models",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Null for the shipped global catalogue. */
    organisationId: uuid("organisation_id").references(() => organisations.id, { onDelete: "cascade" }),
    /** The name as partners send it in `asset_model`, matched case-insensitively. */
    name: text("name").notNull(),
    /** Manufacturer; for batteries the lower-case OEM cloud key (foxess, givenergy, sigenergy, solis) where there is one. */
    oem: text("oem"),
    assetType: assetTypeEnum("asset_type"),
    /** Metering approved under Elexon's Code of Practice 11: the asset's own meter can settle delivery. */
    cop11Qualified: boolean("cop11_qualified").notNull().default(false),
    /** Meets the Electric Vehicles (Smart Charge Points) Regulations 2021. */
    smartChargeRegulationCompliant: boolean("smart_charge_regulation_compliant").notNull().default(false),
    ratedPowerKw: doublePrecision("rated_power_kw"),
    /** An operator's verdict that overrides the rules; false blocks enrolment. */
    enrolEligibilityOverride: boolean("enrol_eligibility_override"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Partners spell model names in any case: one entry per name however it is typed,
    // once in the global catalogue and once per organisation.
    uniqueIndex("asset_models_org_name_idx")
      .on(t.organisationId, sql`lower(${t.name})`)
      .where(sql`${t.organisationId} is not null`),
    uniqueIndex("asset_models_global_name_idx")
      .on(sql`lower(${t.name})`)
      .where(sql`${t.organisationId} is null`),
  ],
);
export type AssetModelRow = typeof assetModels.$inferSelect;

export const assets = pgTable(
  "assets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    // Restrict: a site with assets is offboarded, not deleted.
    siteId: uuid("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "restrict" }),
    externalId: text("external_id").notNull(),
    type: assetTypeEnum("type").notNull(),
    properties: jsonb("properties").$type<Record<string, unknown>>().notNull().default({}),
    assetModel: text("asset_model"),
    installationDate: date("installation_date", { mode: "string" }),
    serialNumber: text("serial_number"),
    oem: text("oem"),
    oemDeviceId: text("oem_device_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The partner's id is unique per organisation: lookups by external id and the
    // ON CONFLICT target of initialise.
    uniqueIndex("assets_org_external_id_idx").on(t.organisationId, t.externalId),
    index("assets_site_idx").on(t.siteId),
    // Sites list filter "has an asset of type X" (semi-join from sites).
    index("assets_org_type_site_idx").on(t.organisationId, t.type, t.siteId),
    // Sites search also matches part of an asset's external id.
    index("assets_external_id_trgm_idx").using("gin", sql`lower(${t.externalId}) gin_trgm_ops`),
    // Asset list order with stable paging.
    index("assets_org_created_idx").on(t.organisationId, t.createdAt.desc(), t.id.desc()),
  ],
);

export const meters = pgTable(
  "meters",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    siteId: uuid("site_id").references(() => sites.id, { onDelete: "set null" }),
    meterPointId: text("meter_point_id").notNull(),
    meterNumber: text("meter_number"),
    street: text("street").notNull(),
    city: text("city"),
    zipCode: text("zip_code"),
    latitude: doublePrecision("latitude"),
    longitude: doublePrecision("longitude"),
    locationType: text("location_type"),
    createdAt: createdAt(),
  },
  (t) => [index("meters_customer_idx").on(t.organisationId, t.customerId)],
);

export const vehicles = pgTable(
  "vehicles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    /** The partner's id for the vehicle. */
    externalId: text("external_id").notNull(),
    brand: text("brand").notNull(),
    model: text("model").notNull(),
    year: integer("year"),
    vin: text("vin"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  // Registering the same vehicle again for the same user updates it (ON CONFLICT target).
  (t) => [uniqueIndex("vehicles_customer_external_idx").on(t.organisationId, t.customerId, t.externalId)],
);

/**
 * A user's premises in the energy-coordination dialect. Its meter point ids are MPANs: the sites
 * with those MPANs are this location's sites (one inventory, whichever dialect wrote it).
 */
export const locations = pgTable(
  "locations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    /** The partner's id for the location. */
    externalId: text("external_id").notNull(),
    /** Unknown | Residential | Commercial | Other */
    locationType: text("location_type"),
    latitude: doublePrecision("latitude"),
    longitude: doublePrecision("longitude"),
    /** Normalised 13-digit MPAN cores. */
    meterPointIds: text("meter_point_ids").array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Partners address a location by their id alone (events and reports carry no user): unique per organisation.
    uniqueIndex("locations_org_external_idx").on(t.organisationId, t.externalId),
    index("locations_customer_idx").on(t.organisationId, t.customerId),
    // "Which location has this MPAN" (grid events, reports): array containment.
    index("locations_meter_points_idx").using("gin", t.meterPointIds),
  ],
);

export const resources = pgTable(
  "resources",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationId(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    resourceType: text("resource_type").notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull(),
    /** Set for a location-bound resource. */
    locationId: uuid("location_id").references(() => locations.id, { onDelete: "cascade" }),
    meterPointId: text("meter_point_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  // Same as vehicles: one resource per partner id and user, upserted.
  (t) => [uniqueIndex("resources_customer_external_idx").on(t.organisationId, t.customerId, t.externalId)],
);

export type SiteRow = typeof sites.$inferSelect;
export type AssetRow = typeof assets.$inferSelect;
export type CustomerRow = typeof customers.$inferSelect;
export type LocationRow = typeof locations.$inferSelect;
export type ResourceRow = typeof resources.$inferSelect;
