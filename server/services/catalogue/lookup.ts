// What eligibility reads from the catalogues: asset models (an organisation's own entry for a
// name wins over the shipped global entry with that name) and the per-proposition settings.
import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { assetModels, propositionSettings, type AssetModelRow } from "@/db/schema";
import { isProposition, type Proposition } from "@/server/domain/inventory";

export const modelKey = (name: string) => name.trim().toLowerCase();

/** Catalogue entries by lower-cased name, the organisation's own shadowing the global ones. */
export async function lookupAssetModels(db: DbOrTx, orgId: string, names: readonly (string | null | undefined)[]): Promise<Map<string, AssetModelRow>> {
  const keys = [...new Set(names.filter((name): name is string => typeof name === "string" && name.trim() !== "").map(modelKey))];
  if (keys.length === 0) return new Map();
  const rows = await db
    .select()
    .from(assetModels)
    .where(and(or(eq(assetModels.organisationId, orgId), isNull(assetModels.organisationId)), inArray(sql`lower(${assetModels.name})`, keys)));
  const byKey = new Map<string, AssetModelRow>();
  for (const row of rows) {
    const key = modelKey(row.name);
    const existing = byKey.get(key);
    if (existing === undefined || (existing.organisationId === null && row.organisationId !== null)) byKey.set(key, row);
  }
  return byKey;
}

/** The propositions this organisation requires a half-hourly settled site for (none by default). */
export async function settlementRequiredPropositions(db: DbOrTx, orgId: string): Promise<Set<Proposition>> {
  const rows = await db.select().from(propositionSettings).where(eq(propositionSettings.organisationId, orgId));
  return new Set(rows.filter((row) => row.requiresHalfHourlySettlement && isProposition(row.proposition)).map((row) => row.proposition as Proposition));
}
