// The asset-model catalogue as operators manage it: the shipped global models plus the
// organisation's own additions and corrections (an own entry shadows the global one with the
// same name), a CSV import, and the model names partners sent that nothing in it matches.
import { and, asc, count, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { assetModels, assets, type AssetModelRow } from "@/db/schema";
import { ASSET_TYPES, type AssetType } from "@/server/domain/inventory";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { invalid } from "../errors";
import { refreshSiteEligibility } from "../inventory/eligibility";
import { modelKey } from "./lookup";

export interface AssetModel {
  id: string;
  name: string;
  oem: string | null;
  assetType: AssetType | null;
  cop11Qualified: boolean;
  smartChargeRegulationCompliant: boolean;
  ratedPowerKw: number | null;
  /** False: an operator excluded the model from enrolment. */
  enrolEligibilityOverride: boolean | null;
  /** "shipped": the global catalogue; "organisation": added or corrected here. */
  source: "shipped" | "organisation";
  updatedAt: Date;
}

export const assetModelInputSchema = z.object({
  name: z.string().trim().min(1, "Enter the model name partners send").max(120),
  oem: z
    .string()
    .trim()
    .max(80)
    .transform((value) => (value === "" ? null : value.toLowerCase()))
    .nullable()
    .default(null),
  assetType: z.enum(ASSET_TYPES).nullable().default(null),
  cop11Qualified: z.boolean().default(false),
  smartChargeRegulationCompliant: z.boolean().default(false),
  ratedPowerKw: z.number().positive("Rated power must be above 0 kW").max(1000).nullable().default(null),
  enrolEligibilityOverride: z.boolean().nullable().default(null),
});
export type AssetModelInput = z.input<typeof assetModelInputSchema>;

function toAssetModel(row: AssetModelRow): AssetModel {
  return {
    id: row.id,
    name: row.name,
    oem: row.oem,
    assetType: row.assetType,
    cop11Qualified: row.cop11Qualified,
    smartChargeRegulationCompliant: row.smartChargeRegulationCompliant,
    ratedPowerKw: row.ratedPowerKw,
    enrolEligibilityOverride: row.enrolEligibilityOverride,
    source: row.organisationId === null ? "shipped" : "organisation",
    updatedAt: row.updatedAt,
  };
}

/** Every model this organisation sees, by name: its own entries in place of shipped ones with the same name. */
export async function listAssetModels(ctx: ServiceContext): Promise<AssetModel[]> {
  authorize(ctx, "asset_models:read");
  const rows = await ctx.db
    .select()
    .from(assetModels)
    .where(or(eq(assetModels.organisationId, ctx.orgId), isNull(assetModels.organisationId)))
    .orderBy(asc(sql`lower(${assetModels.name})`));
  const byKey = new Map<string, AssetModelRow>();
  for (const row of rows) {
    const existing = byKey.get(modelKey(row.name));
    if (existing === undefined || (existing.organisationId === null && row.organisationId !== null)) byKey.set(modelKey(row.name), row);
  }
  return [...byKey.values()].map(toAssetModel);
}

/** Sites with an asset of one of these models: their stored eligibility follows the catalogue. */
async function refreshSitesWithModels(db: DbOrTx, orgId: string, names: readonly string[]): Promise<number> {
  if (names.length === 0) return 0;
  const keys = [...new Set(names.map(modelKey))];
  const rows = await db
    .selectDistinct({ siteId: assets.siteId })
    .from(assets)
    .where(and(eq(assets.organisationId, orgId), isNotNull(assets.assetModel), inArray(sql`lower(trim(${assets.assetModel}))`, keys)));
  for (const { siteId } of rows) await refreshSiteEligibility(db, orgId, siteId);
  return rows.length;
}

async function upsertOwnModel(db: DbOrTx, orgId: string, input: z.output<typeof assetModelInputSchema>): Promise<{ row: AssetModelRow; created: boolean }> {
  const now = new Date();
  const values = {
    name: input.name,
    oem: input.oem,
    assetType: input.assetType,
    cop11Qualified: input.cop11Qualified,
    smartChargeRegulationCompliant: input.smartChargeRegulationCompliant,
    ratedPowerKw: input.ratedPowerKw,
    enrolEligibilityOverride: input.enrolEligibilityOverride,
    updatedAt: now,
  };
  const findOwn = () =>
    db
      .select({ id: assetModels.id })
      .from(assetModels)
      .where(and(eq(assetModels.organisationId, orgId), sql`lower(${assetModels.name}) = ${modelKey(input.name)}`))
      .for("update")
      .limit(1);
  const update = async (id: string) => {
    const [row] = await db.update(assetModels).set(values).where(eq(assetModels.id, id)).returning();
    if (!row) throw new Error("asset model vanished while locked");
    return { row, created: false };
  };
  const [existing] = await findOwn();
  if (existing) return update(existing.id);
  // The unique index on (organisation, lower(name)) settles two concurrent adds of one name:
  // the loser inserts nothing and updates the winner's row.
  const [row] = await db.insert(assetModels).values({ organisationId: orgId, ...values }).onConflictDoNothing().returning();
  if (row) return { row, created: true };
  const [winner] = await findOwn();
  if (!winner) throw new Error("asset model neither inserted nor found");
  return update(winner.id);
}

/**
 * Adds a model or changes one, by name. Changing a shipped model stores the organisation's own
 * version of it (the shipped entry stays for everyone else). Sites with assets of that model are
 * re-evaluated in the same transaction.
 */
export async function saveAssetModel(ctx: ServiceContext, rawInput: AssetModelInput): Promise<AssetModel> {
  authorize(ctx, "asset_models:write");
  const parsed = assetModelInputSchema.safeParse(rawInput);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map((part) => (typeof part === "number" ? part : String(part))), message: issue.message }));
    throw invalid(issues[0]?.message ?? "Check the model's details.", issues);
  }
  return ctx.db.transaction(async (tx) => {
    const { row, created } = await upsertOwnModel(tx, ctx.orgId, parsed.data);
    const sitesReevaluated = await refreshSitesWithModels(tx, ctx.orgId, [row.name]);
    await recordAuditEvent({ ...ctx, db: tx }, {
      action: created ? "asset_model.added" : "asset_model.changed",
      targetType: "asset_model",
      targetId: row.id,
      details: { name: row.name, cop11Qualified: row.cop11Qualified, sitesReevaluated },
    });
    return toAssetModel(row);
  });
}

export interface UnknownAssetModel {
  name: string;
  assetCount: number;
  siteCount: number;
}

/** Model names on this organisation's assets that no catalogue entry matches: each is a warning to resolve by adding it. */
export async function listUnknownAssetModels(ctx: ServiceContext, limit = 200): Promise<UnknownAssetModel[]> {
  authorize(ctx, "asset_models:read");
  const rows = await ctx.db
    .select({
      name: sql<string>`min(trim(${assets.assetModel}))`,
      assetCount: count(),
      siteCount: sql<number>`count(distinct ${assets.siteId})::int`,
    })
    .from(assets)
    .where(
      and(
        eq(assets.organisationId, ctx.orgId),
        isNotNull(assets.assetModel),
        sql`trim(${assets.assetModel}) <> ''`,
        sql`not exists (select 1 from ${assetModels} m where lower(m.name) = lower(trim(${assets.assetModel})) and (m.organisation_id = ${ctx.orgId} or m.organisation_id is null))`,
      ),
    )
    .groupBy(sql`lower(trim(${assets.assetModel}))`)
    .orderBy(sql`count(*) desc`, sql`min(trim(${assets.assetModel}))`)
    .limit(limit);
  return rows.map((row) => ({ name: row.name, assetCount: Number(row.assetCount), siteCount: Number(row.siteCount) }));
}

export const ASSET_MODEL_CSV_COLUMNS = ["name", "oem", "asset_type", "cop11_qualified", "smart_charge_regulation_compliant", "rated_power_kw"] as const;
export const MAX_ASSET_MODEL_ROWS = 5000;

export interface AssetModelImportIssue {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  column?: string;
  message: string;
}

export type AssetModelImportResult =
  | { ok: true; added: number; changed: number; sitesReevaluated: number }
  | { ok: false; issues: AssetModelImportIssue[] };

const TRUE_WORDS = new Set(["true", "yes", "y", "1"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0", ""]);

function parseRow(record: Record<string, string>, line: number, issues: AssetModelImportIssue[]): z.output<typeof assetModelInputSchema> | null {
  const flag = (column: string): boolean => {
    const text = (record[column] ?? "").trim().toLowerCase();
    if (TRUE_WORDS.has(text)) return true;
    if (!FALSE_WORDS.has(text)) issues.push({ line, column, message: `Expected yes or no, got "${record[column] ?? ""}"` });
    return false;
  };
  const typeText = (record.asset_type ?? "").trim().toLowerCase().replace(/\s+/g, "_");
  const powerText = (record.rated_power_kw ?? "").trim();
  const candidate = {
    name: record.name ?? "",
    oem: record.oem ?? "",
    assetType: typeText === "" ? null : typeText,
    cop11Qualified: flag("cop11_qualified"),
    smartChargeRegulationCompliant: flag("smart_charge_regulation_compliant"),
    ratedPowerKw: powerText === "" ? null : Number(powerText),
  };
  const parsed = assetModelInputSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "");
    const column = { name: "name", oem: "oem", assetType: "asset_type", ratedPowerKw: "rated_power_kw" }[field] ?? field;
    const message = field === "assetType" ? `Use one of ${ASSET_TYPES.join(", ")}` : field === "ratedPowerKw" ? "Expected a number of kW above 0" : issue.message;
    issues.push({ line, column, message });
  }
  return null;
}

/**
 * Imports models from CSV (header row; `name` required, the other columns optional). Every row
 * is checked first and any problem refuses the whole file, listing each by line; otherwise each
 * row adds the model or changes the organisation's entry for that name, in one transaction.
 */
export async function importAssetModelsCsv(ctx: ServiceContext, csv: string): Promise<AssetModelImportResult> {
  authorize(ctx, "asset_models:write");
  let records: Record<string, string>[];
  try {
    records = parse(csv.replace(/^\uFEFF/, ""), { columns: (header: string[]) => header.map((cell) => cell.trim().toLowerCase()), skip_empty_lines: true, trim: true });
  } catch (error) {
    return { ok: false, issues: [{ line: 1, message: `The file is not valid CSV: ${error instanceof Error ? error.message : "unreadable"}` }] };
  }
  if (records.length === 0) return { ok: false, issues: [{ line: 1, message: "The file has no rows under its header." }] };
  if (records.length > MAX_ASSET_MODEL_ROWS) return { ok: false, issues: [{ line: 1, message: `At most ${MAX_ASSET_MODEL_ROWS} models per file; split it.` }] };
  const header = Object.keys(records[0] ?? {});
  if (!header.includes("name")) return { ok: false, issues: [{ line: 1, column: "name", message: "The header needs a name column." }] };
  const unknownColumns = header.filter((column) => !(ASSET_MODEL_CSV_COLUMNS as readonly string[]).includes(column));
  const issues: AssetModelImportIssue[] = unknownColumns.map((column) => ({ line: 1, column, message: `Unknown column; use ${ASSET_MODEL_CSV_COLUMNS.join(", ")}` }));
  const seen = new Map<string, number>();
  const rows: z.output<typeof assetModelInputSchema>[] = [];
  records.forEach((record, index) => {
    const line = index + 2;
    const row = parseRow(record, line, issues);
    if (row === null) return;
    const earlier = seen.get(modelKey(row.name));
    if (earlier !== undefined) issues.push({ line, column: "name", message: `The same model as line ${earlier}` });
    seen.set(modelKey(row.name), line);
    rows.push(row);
  });
  if (issues.length > 0) return { ok: false, issues };
  return ctx.db.transaction(async (tx) => {
    let added = 0;
    for (const row of rows) {
      const { created } = await upsertOwnModel(tx, ctx.orgId, row);
      if (created) added += 1;
    }
    const sitesReevaluated = await refreshSitesWithModels(tx, ctx.orgId, rows.map((row) => row.name));
    await recordAuditEvent({ ...ctx, db: tx }, { action: "asset_model.imported", targetType: "asset_model", details: { added, changed: rows.length - added, sitesReevaluated } });
    return { ok: true as const, added, changed: rows.length - added, sitesReevaluated };
  });
}
