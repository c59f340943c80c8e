// What the inventory services return, and small helpers they share.
import type { AssetRow, SiteRow, SiteTariff } from "@/db/schema";
import { normaliseMpan, normalisePostcode, type AssetType } from "@/server/domain/inventory";
import type { ServiceContext } from "../context";
import { invalid } from "../errors";

/**
 * Offboarded sites and their assets are gone as far as partners can tell: their reads answer
 * not found and their lists leave them out. Operators keep seeing them (retention, settlement).
 */
export function hidesOffboarded(ctx: Pick<ServiceContext, "actor">): boolean {
  return ctx.actor.type === "api_client";
}

export interface SiteAssetSummary {
  id: string;
  externalId: string;
  type: AssetType;
}

export interface SiteRecord {
  id: string;
  customerId: string | null;
  mpan: string;
  mpanCheckDigitValid: boolean;
  postcode: string;
  streetAddress: string | null;
  email: string | null;
  gaveBoundaryMeterConsentAt: Date | null;
  isHalfHourlySettled: boolean | null;
  timeZone: string;
  tariff: SiteTariff | null;
  status: "active" | "offboarded";
  eligiblePropositions: string[];
  assets: SiteAssetSummary[];
  createdAt: Date;
  updatedAt: Date;
}

export type AssetRecord = Omit<AssetRow, "organisationId">;

export function toSiteRecord(row: SiteRow, siteAssets: readonly Pick<AssetRow, "id" | "externalId" | "type">[]): SiteRecord {
  return {
    id: row.id,
    customerId: row.customerId,
    mpan: row.mpan,
    mpanCheckDigitValid: row.mpanCheckDigitValid,
    postcode: row.postcode,
    streetAddress: row.streetAddress,
    email: row.email,
    gaveBoundaryMeterConsentAt: row.gaveBoundaryMeterConsentAt,
    isHalfHourlySettled: row.isHalfHourlySettled,
    timeZone: row.timeZone,
    tariff: row.tariff,
    status: row.status,
    eligiblePropositions: row.eligiblePropositions,
    assets: siteAssets.map((asset) => ({ id: asset.id, externalId: asset.externalId, type: asset.type })),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toAssetRecord(row: AssetRow): AssetRecord {
  const { organisationId: _organisationId, ...record } = row;
  return record;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids from URLs are checked before they reach a uuid column: a malformed id is simply not found. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function requireMpan(value: string, path: (string | number)[] = ["mpan"]): { mpan: string; checkDigitValid: boolean } {
  const result = normaliseMpan(value);
  if (!result.ok) throw invalid(result.message, [{ path, message: result.message, type: "mpan_invalid" }]);
  return { mpan: result.mpan, checkDigitValid: result.checkDigitValid };
}

export function requirePostcode(value: string, path: (string | number)[] = ["postcode"]): string {
  const result = normalisePostcode(value);
  if (!result.ok) throw invalid(result.message, [{ path, message: result.message, type: "postcode_invalid" }]);
  return result.postcode;
}

/** Escapes LIKE wildcards in user input. */
export function likeContains(value: string): string {
  return `%${value.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
}

/** Postgres error code of a failed query, looking through the ORM's wrapper. */
export function pgErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current !== null && typeof current === "object" && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export const sameDate = (a: Date | null, b: Date | null): boolean => (a === null || b === null ? a === b : a.getTime() === b.getTime());

/** Structural equality for JSON-shaped values (properties, tariffs), ignoring key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
