// Tariff versions per charger. Each update is a new version that applies from its
// event time; the latest by that time (not by arrival) is the one planned with, so a
// late-arriving older tariff is kept for the record but changes nothing.
import { and, desc, eq, max } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { chargingTariffs, type ChargingTariffRow } from "@/db/schema";
import { parseTariff, type Tariff } from "@/server/optimiser/tariff";
import { invalid } from "../errors";

/** A tariff as partners send it: the dialect's fields plus optional rates (see docs/charging.md); checked by validateTariff. */
export interface TariffInput {
  off_peak_times: string;
  timezone: string;
  tariff_type?: string | undefined;
  peak_pence_per_kwh?: number | undefined;
  off_peak_pence_per_kwh?: number | undefined;
  unit_rates?: readonly Record<string, unknown>[] | undefined;
}

/** What is stored in charging_tariffs.unit_rates: the optional rate fields, as sent. */
export interface StoredTariffRates {
  peak_pence_per_kwh?: number;
  off_peak_pence_per_kwh?: number;
  unit_rates?: readonly Record<string, unknown>[];
}

/** Checks a tariff; every problem is named with its field ("tariff.off_peak_times: ..."). */
export function validateTariff(input: unknown, path: string = "tariff"): Tariff {
  const result = parseTariff(input);
  if (result.ok) return result.tariff;
  const issues = result.issues.map((issue) => ({
    path: [path, ...issue.path.split(".").filter((part) => part !== "")].map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
    message: issue.message,
  }));
  throw invalid(
    `Invalid tariff: ${issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
    issues,
  );
}

function ratesOf(input: TariffInput): StoredTariffRates | null {
  const rates: StoredTariffRates = {};
  if (input.peak_pence_per_kwh !== undefined) rates.peak_pence_per_kwh = input.peak_pence_per_kwh;
  if (input.off_peak_pence_per_kwh !== undefined) rates.off_peak_pence_per_kwh = input.off_peak_pence_per_kwh;
  if (input.unit_rates !== undefined) rates.unit_rates = input.unit_rates;
  return Object.keys(rates).length === 0 ? null : rates;
}

/** Stores a new tariff version (validated first). The caller holds the charger's lock. */
export async function insertTariffVersion(
  db: DbOrTx,
  orgId: string,
  assetId: string,
  input: TariffInput,
  effectiveAt: Date,
): Promise<{ row: ChargingTariffRow; isLatest: boolean }> {
  const tariff = validateTariff(input);
  const [current] = await db
    .select({ version: max(chargingTariffs.version) })
    .from(chargingTariffs)
    .where(eq(chargingTariffs.assetId, assetId));
  const latestBefore = await getLatestTariffRow(db, orgId, assetId);
  const [row] = await db
    .insert(chargingTariffs)
    .values({
      organisationId: orgId,
      assetId,
      version: (current?.version ?? 0) + 1,
      tariffType: tariff.tariffType,
      timezone: tariff.timeZone,
      offPeakTimes: tariff.offPeakTimes,
      unitRates: ratesOf(input),
      effectiveAt,
    })
    .returning();
  if (!row) throw new Error("tariff insert returned nothing");
  return { row, isLatest: latestBefore === null || latestBefore.effectiveAt.getTime() <= effectiveAt.getTime() };
}

export async function getLatestTariffRow(db: DbOrTx, orgId: string, assetId: string): Promise<ChargingTariffRow | null> {
  const [row] = await db
    .select()
    .from(chargingTariffs)
    .where(and(eq(chargingTariffs.organisationId, orgId), eq(chargingTariffs.assetId, assetId)))
    .orderBy(desc(chargingTariffs.effectiveAt), desc(chargingTariffs.version))
    .limit(1);
  return row ?? null;
}

/** The stored version as the optimiser's tariff. */
export function tariffOfRow(row: ChargingTariffRow): Tariff {
  const rates = (row.unitRates ?? {}) as StoredTariffRates;
  return validateTariff({
    off_peak_times: row.offPeakTimes,
    timezone: row.timezone,
    tariff_type: row.tariffType,
    ...rates,
  });
}

/** Without any tariff: one flat rate all day in the site's zone, so only operator value orders the slots. */
export function flatTariff(timeZone: string): Tariff {
  return validateTariff({ off_peak_times: "00:00-24:00", timezone: timeZone, tariff_type: "single_rate" });
}
