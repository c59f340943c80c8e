// The chargers events are sent for: found in the caller's organisation and locked for
// the length of the transaction, so that two events for one charger apply one after
// the other (ordering and idempotency rely on it).
import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { assets, sites } from "@/db/schema";
import { isUuid } from "../inventory/records";
import { notFound } from "../errors";

/** Asset types that plug-in sessions and intents apply to. */
export const CHARGING_ASSET_TYPES = ["charger", "electric_vehicle"] as const;

/** A typical UK home charger, used when neither the plug-in nor the asset says. */
export const DEFAULT_CHARGER_POWER_KW = 7.4;

export interface ChargingAsset {
  id: string;
  siteId: string;
  type: (typeof CHARGING_ASSET_TYPES)[number];
  properties: Record<string, unknown>;
  siteTimeZone: string;
  sitePostcode: string;
}

/** The charger (or vehicle) in the organisation, optionally locked FOR UPDATE; NOT_FOUND otherwise. */
export async function findChargingAsset(db: DbOrTx, orgId: string, assetId: string, options: { lock?: boolean } = {}): Promise<ChargingAsset> {
  if (!isUuid(assetId)) throw notFound("Charger");
  const query = db
    .select({ id: assets.id, siteId: assets.siteId, type: assets.type, properties: assets.properties })
    .from(assets)
    .where(and(eq(assets.organisationId, orgId), eq(assets.id, assetId), inArray(assets.type, [...CHARGING_ASSET_TYPES])))
    .limit(1);
  const [asset] = options.lock === true ? await query.for("update") : await query;
  if (!asset || (asset.type !== "charger" && asset.type !== "electric_vehicle")) throw notFound("Charger");
  const [site] = await db
    .select({ timeZone: sites.timeZone, postcode: sites.postcode, status: sites.status })
    .from(sites)
    .where(and(eq(sites.organisationId, orgId), eq(sites.id, asset.siteId)))
    .limit(1);
  // An offboarded site's charger takes no more events and has no current intent.
  if (!site || site.status === "offboarded") throw notFound("Charger");
  return { id: asset.id, siteId: asset.siteId, type: asset.type, properties: asset.properties, siteTimeZone: site.timeZone, sitePostcode: site.postcode };
}

function positiveNumber(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : null;
}

/** The asset's rated power: power_kw, or a vehicle's max_charge_power_kw. */
export function ratedPowerKw(properties: Record<string, unknown>): number | null {
  return positiveNumber(properties.power_kw) ?? positiveNumber(properties.max_charge_power_kw);
}

/**
 * A site import limit shared by the site's chargers: a charger's `site_import_limit_kw`
 * property (partners set it with the asset; `import_limit_kw` is read too). Without one
 * the chargers are planned independently.
 */
export function importLimitFromProperties(properties: Record<string, unknown>): number | null {
  return positiveNumber(properties.site_import_limit_kw) ?? positiveNumber(properties.import_limit_kw);
}

export async function siteImportLimitKw(db: DbOrTx, orgId: string, siteId: string): Promise<number | null> {
  const rows = await db
    .select({ properties: assets.properties })
    .from(assets)
    .where(and(eq(assets.organisationId, orgId), eq(assets.siteId, siteId)));
  let limit: number | null = null;
  for (const row of rows) {
    const found = importLimitFromProperties(row.properties);
    if (found !== null) limit = limit === null ? found : Math.min(limit, found);
  }
  return limit;
}
