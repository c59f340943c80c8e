// Current consent state is derived from the ledger: the newest record per (site, kind).
import { and, desc, eq, inArray } from "drizzle-orm";
import { consentRecords, type ConsentRecordRow } from "@/db/schema";
import type { ServiceContext } from "../context";

export const BOUNDARY_METER_KIND = "boundary_meter";

/** Newest record per kind for one site, keyed by kind. */
export async function latestConsentRecords(ctx: ServiceContext, siteId: string): Promise<Map<string, ConsentRecordRow>> {
  const rows = await ctx.db
    .selectDistinctOn([consentRecords.kind])
    .from(consentRecords)
    .where(and(eq(consentRecords.organisationId, ctx.orgId), eq(consentRecords.siteId, siteId)))
    .orderBy(consentRecords.kind, desc(consentRecords.id));
  return new Map(rows.map((row) => [row.kind, row]));
}

export type CurrentConsents = { boundaryMeter: boolean; dispatch: Set<string> };

export function toCurrentConsents(latest: Map<string, ConsentRecordRow>): CurrentConsents {
  const dispatch = new Set<string>();
  let boundaryMeter = false;
  for (const [kind, row] of latest) {
    if (row.action !== "granted") continue;
    if (kind === BOUNDARY_METER_KIND) boundaryMeter = true;
    else dispatch.add(kind);
  }
  return { boundaryMeter, dispatch };
}

export async function currentConsents(ctx: ServiceContext, siteId: string): Promise<CurrentConsents> {
  return toCurrentConsents(await latestConsentRecords(ctx, siteId));
}

/** Current consents for many sites at once (eligibility recomputation, lists). */
export async function currentConsentsForSites(
  ctx: ServiceContext,
  siteIds: readonly string[],
): Promise<Map<string, CurrentConsents>> {
  const result = new Map<string, CurrentConsents>();
  if (siteIds.length === 0) return result;
  const rows = await ctx.db
    .selectDistinctOn([consentRecords.siteId, consentRecords.kind])
    .from(consentRecords)
    .where(and(eq(consentRecords.organisationId, ctx.orgId), inArray(consentRecords.siteId, [...siteIds])))
    .orderBy(consentRecords.siteId, consentRecords.kind, desc(consentRecords.id));
  for (const id of siteIds) result.set(id, { boundaryMeter: false, dispatch: new Set() });
  for (const row of rows) {
    const entry = result.get(row.siteId);
    if (!entry || row.action !== "granted") continue;
    if (row.kind === BOUNDARY_METER_KIND) entry.boundaryMeter = true;
    else entry.dispatch.add(row.kind);
  }
  return result;
}
