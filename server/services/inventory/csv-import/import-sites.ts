// CSV import of sites with their assets: a preview that checks everything (the file
// and what is already stored) without writing, and a commit that writes every site in
// ONE transaction through the same upserts the partner API uses. A cancelled or failed
// commit rolls back completely, so nothing is ever half-imported.
import { and, eq, inArray } from "drizzle-orm";
import { assets, sites } from "@/db/schema";
import { recordAuditEvent } from "../../audit/record-audit-event";
import { authorize } from "../../authorize";
import { type ServiceContext } from "../../context";
import { invalid, ServiceError } from "../../errors";
import { initialiseSite } from "../initialise";
import { createSite, updateSite } from "../sites";
import { parseSitesCsv, type ImportIssue, type ImportSite, type ParsedSitesCsv } from "./parse-sites-csv";

/** Issues beyond this many are counted but not listed: a broken 100,000-row file should not send 100,000 messages. */
export const MAX_LISTED_ISSUES = 500;
const LOOKUP_CHUNK = 5000;

export interface ImportPreview {
  rowCount: number;
  siteCount: number;
  sitesToCreate: number;
  sitesToUpdate: number;
  assetsToCreate: number;
  assetsToUpdate: number;
  errorCount: number;
  warningCount: number;
  /** The first MAX_LISTED_ISSUES, in line order. */
  errors: ImportIssue[];
  warnings: ImportIssue[];
  ignoredColumns: string[];
  /** The first few sites as they will be stored, for the operator to eyeball. */
  sample: { line: number; mpan: string; postcode: string; streetAddress: string | null; assets: { externalId: string; type: string }[]; exists: boolean }[];
}

export interface ImportResult {
  sitesCreated: number;
  sitesUpdated: number;
  assetsCreated: number;
  assetsUpdated: number;
}

export interface ImportProgress {
  done: number;
  total: number;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface StoredState {
  existingMpans: Set<string>;
  /** external id -> MPAN of the site it is stored at. */
  existingAssets: Map<string, string>;
}

async function loadStoredState(ctx: ServiceContext, parsed: ParsedSitesCsv): Promise<StoredState> {
  const existingMpans = new Set<string>();
  for (const batch of chunks(parsed.sites.map((s) => s.mpan), LOOKUP_CHUNK)) {
    const rows = await ctx.db.select({ mpan: sites.mpan }).from(sites).where(and(eq(sites.organisationId, ctx.orgId), inArray(sites.mpan, batch)));
    for (const row of rows) existingMpans.add(row.mpan);
  }
  const existingAssets = new Map<string, string>();
  const externalIds = parsed.sites.flatMap((s) => s.assets.map((a) => a.externalId));
  for (const batch of chunks(externalIds, LOOKUP_CHUNK)) {
    const rows = await ctx.db
      .select({ externalId: assets.externalId, mpan: sites.mpan })
      .from(assets)
      .innerJoin(sites, eq(sites.id, assets.siteId))
      .where(and(eq(assets.organisationId, ctx.orgId), inArray(assets.externalId, batch)));
    for (const row of rows) existingAssets.set(row.externalId, row.mpan);
  }
  return { existingMpans, existingAssets };
}

function storedStateIssues(parsed: ParsedSitesCsv, state: StoredState): ImportIssue[] {
  const issues: ImportIssue[] = [];
  for (const site of parsed.sites) {
    for (const asset of site.assets) {
      const storedAt = state.existingAssets.get(asset.externalId);
      if (storedAt !== undefined && storedAt !== site.mpan) {
        issues.push({ line: asset.line, column: "asset_external_id", message: `Asset "${asset.externalId}" is already registered at the site with MPAN ${storedAt}.` });
      }
    }
  }
  return issues;
}

async function check(ctx: ServiceContext, csv: string): Promise<{ parsed: ParsedSitesCsv; state: StoredState; errors: ImportIssue[] }> {
  const parsed = parseSitesCsv(csv);
  const state = await loadStoredState(ctx, parsed);
  const errors = [...parsed.errors, ...storedStateIssues(parsed, state)].sort((a, b) => a.line - b.line);
  return { parsed, state, errors };
}

/** Checks a file against the rules and what is stored; writes nothing. */
export async function previewSitesImport(ctx: ServiceContext, input: { csv: string }): Promise<ImportPreview> {
  authorize(ctx, "sites:write");
  const { parsed, state, errors } = await check(ctx, input.csv);
  const assetCount = parsed.sites.reduce((n, s) => n + s.assets.length, 0);
  const assetsToUpdate = parsed.sites.reduce((n, s) => n + s.assets.filter((a) => state.existingAssets.has(a.externalId)).length, 0);
  return {
    rowCount: parsed.rowCount,
    siteCount: parsed.sites.length,
    sitesToCreate: parsed.sites.filter((s) => !state.existingMpans.has(s.mpan)).length,
    sitesToUpdate: parsed.sites.filter((s) => state.existingMpans.has(s.mpan)).length,
    assetsToCreate: assetCount - assetsToUpdate,
    assetsToUpdate,
    errorCount: errors.length,
    warningCount: parsed.warnings.length,
    errors: errors.slice(0, MAX_LISTED_ISSUES),
    warnings: parsed.warnings.slice(0, MAX_LISTED_ISSUES),
    ignoredColumns: parsed.ignoredColumns,
    sample: parsed.sites.slice(0, 10).map((s) => ({
      line: s.line,
      mpan: s.mpan,
      postcode: s.postcode,
      streetAddress: s.streetAddress ?? null,
      assets: s.assets.map((a) => ({ externalId: a.externalId, type: a.type })),
      exists: state.existingMpans.has(s.mpan),
    })),
  };
}

export class ImportCancelledError extends ServiceError {
  constructor() {
    super("PRECONDITION", "The import was cancelled; nothing was imported.");
  }
}

async function importOne(ctx: ServiceContext, site: ImportSite, exists: boolean): Promise<void> {
  const fields = {
    streetAddress: site.streetAddress,
    email: site.email,
    isHalfHourlySettled: site.isHalfHourlySettled,
    gaveBoundaryMeterConsentAt: site.gaveBoundaryMeterConsentAt,
  };
  if (site.assets.length > 0) {
    await initialiseSite(ctx, {
      site: { mpan: site.mpan, postcode: site.postcode, ...fields },
      assets: site.assets.map((a) => ({
        externalId: a.externalId,
        type: a.type,
        properties: a.properties,
        assetModel: a.assetModel,
        installationDate: a.installationDate,
        serialNumber: a.serialNumber,
        oem: a.oem,
        oemDeviceId: a.oemDeviceId,
      })),
    });
    return;
  }
  if (!exists) {
    await createSite(ctx, { mpan: site.mpan, postcode: site.postcode, ...withoutUndefined(fields) });
    return;
  }
  const [row] = await ctx.db.select({ id: sites.id }).from(sites).where(and(eq(sites.organisationId, ctx.orgId), eq(sites.mpan, site.mpan))).limit(1);
  if (!row) throw new Error("Site vanished during import");
  await updateSite(ctx, { siteId: row.id, postcode: site.postcode, ...withoutUndefined(fields) });
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/**
 * Imports the whole file or nothing. The file is checked again here (the preview may be
 * stale); any error refuses the import. `signal` cancels: the transaction rolls back.
 */
export async function commitSitesImport(
  ctx: ServiceContext,
  input: { csv: string; fileName?: string | undefined },
  options: { signal?: AbortSignal | undefined; onProgress?: ((progress: ImportProgress) => void) | undefined } = {},
): Promise<ImportResult> {
  authorize(ctx, "sites:write");
  const { parsed, state, errors } = await check(ctx, input.csv);
  if (errors.length > 0) {
    throw invalid(
      `The file has ${errors.length} error${errors.length === 1 ? "" : "s"}; nothing was imported.`,
      errors.slice(0, MAX_LISTED_ISSUES).map((e) => ({ path: [`line ${e.line}`, ...(e.column ? [e.column] : [])], message: e.message })),
    );
  }
  const total = parsed.sites.length;
  const result: ImportResult = { sitesCreated: 0, sitesUpdated: 0, assetsCreated: 0, assetsUpdated: 0 };
  await ctx.db.transaction(async (tx) => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    let done = 0;
    for (const site of parsed.sites) {
      if (options.signal?.aborted) throw new ImportCancelledError();
      const exists = state.existingMpans.has(site.mpan);
      await importOne(txCtx, site, exists);
      if (exists) result.sitesUpdated++;
      else result.sitesCreated++;
      for (const asset of site.assets) {
        if (state.existingAssets.has(asset.externalId)) result.assetsUpdated++;
        else result.assetsCreated++;
      }
      done++;
      options.onProgress?.({ done, total });
    }
    // Last chance to cancel: after this the import is committed as a whole.
    if (options.signal?.aborted) throw new ImportCancelledError();
    await recordAuditEvent(txCtx, {
      action: "sites.imported",
      targetType: "site",
      details: { fileName: input.fileName ?? null, rows: parsed.rowCount, ...result },
    });
  });
  return result;
}
