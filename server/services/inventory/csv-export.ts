// CSV export of the sites list exactly as filtered on screen. Pages through the same
// indexed query the list uses, so memory stays flat however many sites match; the
// columns are the import's, so an exported file can be edited and imported again.
import { listSitesSchema, listSites, type ListSitesInput } from "./sites";
import type { ServiceContext } from "../context";
import { authorize } from "../authorize";

const PAGE = 2000;

export const EXPORT_COLUMNS = ["mpan", "postcode", "street_address", "email", "is_half_hourly_settled", "gave_boundary_meter_consent_at", "status", "eligible_propositions", "asset_external_ids", "asset_types", "created_at"] as const;

/** Quotes a cell when needed and defuses spreadsheet formulas (a cell starting with = + - @). */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export type SitesExportFilters = Omit<ListSitesInput, "limit" | "offset">;

/**
 * The CSV in chunks: the header, then one chunk per page of sites. Refused before the first
 * chunk (not inside the stream), so a refusal is a 403 rather than a broken download.
 */
export function exportSitesCsv(ctx: ServiceContext, filters: SitesExportFilters): AsyncGenerator<string> {
  authorize(ctx, "sites:export");
  return sitesCsvChunks(ctx, filters);
}

async function* sitesCsvChunks(ctx: ServiceContext, filters: SitesExportFilters): AsyncGenerator<string> {
  const base = listSitesSchema.omit({ limit: true, offset: true }).parse(filters);
  yield `${EXPORT_COLUMNS.join(",")}\n`;
  for (let offset = 0; ; offset += PAGE) {
    const page = await listSites(ctx, { ...base, limit: PAGE, offset });
    if (page.items.length === 0) return;
    yield page.items
      .map((site) =>
        [
          site.mpan,
          site.postcode,
          site.streetAddress ?? "",
          site.email ?? "",
          site.isHalfHourlySettled === null ? "" : String(site.isHalfHourlySettled),
          site.gaveBoundaryMeterConsentAt?.toISOString() ?? "",
          site.status,
          site.eligiblePropositions.join(";"),
          site.assets.map((a) => a.externalId).join(";"),
          site.assets.map((a) => a.type).join(";"),
          site.createdAt.toISOString(),
        ]
          .map(csvCell)
          .join(",") + "\n",
      )
      .join("");
    if (offset + page.items.length >= page.total) return;
  }
}
