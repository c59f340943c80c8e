// Reads a CSV of sites with their assets and checks every row without touching the
// database, so an operator sees every problem (with its line number) before anything
// is written. One row is one site and at most one asset; further rows with the same
// MPAN add more assets to that site.
import { parse } from "csv-parse/sync";
import { z } from "zod";
import {
  assetPropertiesSchemaByType,
  isAssetType,
  normaliseMpan,
  normalisePostcode,
  validateAssetProperties,
  type AssetType,
} from "@/server/domain/inventory";

export const SITE_COLUMNS = ["mpan", "postcode", "street_address", "email", "is_half_hourly_settled", "gave_boundary_meter_consent_at"] as const;
export const ASSET_COLUMNS = ["asset_external_id", "asset_type", "asset_model", "installation_date", "serial_number", "oem", "oem_device_id"] as const;

/** Every property key some asset type knows; a column with that name fills the asset's property. */
export const PROPERTY_COLUMNS: readonly string[] = [...new Set(Object.values(assetPropertiesSchemaByType).flatMap((schema) => Object.keys(schema.shape)))].sort();

export const KNOWN_COLUMNS: readonly string[] = [...SITE_COLUMNS, ...ASSET_COLUMNS, ...PROPERTY_COLUMNS];

/** Files larger than this are refused outright; split them. */
export const MAX_IMPORT_ROWS = 100_000;

export interface ImportIssue {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  column?: string;
  message: string;
}

export interface ImportAsset {
  line: number;
  externalId: string;
  type: AssetType;
  properties: Record<string, unknown>;
  assetModel?: string;
  installationDate?: string;
  serialNumber?: string;
  oem?: string;
  oemDeviceId?: string;
}

export interface ImportSite {
  /** Line of the first row that names this MPAN. */
  line: number;
  mpan: string;
  mpanCheckDigitValid: boolean;
  postcode: string;
  streetAddress?: string;
  email?: string;
  isHalfHourlySettled?: boolean;
  gaveBoundaryMeterConsentAt?: Date;
  assets: ImportAsset[];
}

export interface ParsedSitesCsv {
  sites: ImportSite[];
  rowCount: number;
  errors: ImportIssue[];
  warnings: ImportIssue[];
  /** Header names that are not import columns; their values are ignored. */
  ignoredColumns: string[];
}

const emailSchema = z.email();
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function parseBoolean(value: string): boolean | null {
  const v = value.toLowerCase();
  if (["true", "yes", "y", "1"].includes(v)) return true;
  if (["false", "no", "n", "0"].includes(v)) return false;
  return null;
}

function isRealDate(value: string): boolean {
  if (!isoDate.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function parsePropertyValue(value: string): number | number[] | null {
  // Lists (heating_elements_kw) are written "3;3" so they survive inside one CSV cell.
  if (value.includes(";")) {
    const parts = value.split(";").map((part) => Number(part.trim()));
    return parts.every((n) => Number.isFinite(n)) ? parts : null;
  }
  const n = Number(value);
  return value !== "" && Number.isFinite(n) ? n : null;
}

function normaliseHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, "_");
}

/** Parses and checks the whole file. Never throws on bad content: problems come back as issues. */
export function parseSitesCsv(text: string): ParsedSitesCsv {
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text.replace(/^\uFEFF/, ""), { info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    return {
      sites: [],
      rowCount: 0,
      errors: [{ line: typeof line === "number" ? line : 1, message: `The file is not valid CSV: ${error instanceof Error ? error.message.replace(/^Invalid[^:]*:\s*/, "") : "unreadable"}` }],
      warnings,
      ignoredColumns: [],
    };
  }
  const [header, ...rows] = records;
  if (!header) return { sites: [], rowCount: 0, errors: [{ line: 1, message: "The file is empty: it needs a header row and at least one site." }], warnings, ignoredColumns: [] };
  const columns = header.record.map(normaliseHeader);
  const ignoredColumns = columns.filter((c) => c !== "" && !KNOWN_COLUMNS.includes(c));
  for (const required of ["mpan", "postcode"]) {
    if (!columns.includes(required)) errors.push({ line: header.info.lines, column: required, message: `The header has no "${required}" column.` });
  }
  if (errors.length > 0) return { sites: [], rowCount: rows.length, errors, warnings, ignoredColumns };
  if (rows.length === 0) errors.push({ line: header.info.lines, message: "The file has a header but no sites." });
  if (rows.length > MAX_IMPORT_ROWS) {
    errors.push({ line: header.info.lines, message: `The file has ${rows.length.toLocaleString("en-GB")} rows; import at most ${MAX_IMPORT_ROWS.toLocaleString("en-GB")} at a time.` });
    return { sites: [], rowCount: rows.length, errors, warnings, ignoredColumns };
  }

  const sitesByMpan = new Map<string, ImportSite>();
  const assetLines = new Map<string, number>();
  for (const { record, info } of rows) {
    const line = info.lines;
    const cell = (column: string): string => {
      const index = columns.indexOf(column);
      return index < 0 ? "" : (record[index] ?? "").trim();
    };
    const rowErrors: ImportIssue[] = [];
    const fail = (column: string, message: string) => rowErrors.push({ line, column, message });

    const mpan = normaliseMpan(cell("mpan"));
    if (!mpan.ok) fail("mpan", mpan.message);
    else if (!mpan.checkDigitValid) warnings.push({ line, column: "mpan", message: "MPAN fails its check digit: the site is imported but not eligible until corrected." });
    const postcodeText = cell("postcode");
    const postcode = normalisePostcode(postcodeText);
    if (!postcode.ok) fail("postcode", postcodeText === "" ? "Postcode is empty" : `${postcode.message}: "${postcodeText}"`);
    const email = cell("email");
    if (email !== "" && !emailSchema.safeParse(email).success) fail("email", `Not a valid email address: "${email}"`);
    const hhText = cell("is_half_hourly_settled");
    const halfHourly = hhText === "" ? undefined : parseBoolean(hhText);
    if (halfHourly === null) fail("is_half_hourly_settled", `Expected true or false, got "${hhText}"`);
    const consentText = cell("gave_boundary_meter_consent_at");
    let consentAt: Date | undefined;
    if (consentText !== "") {
      const parsed = new Date(consentText);
      if (Number.isNaN(parsed.getTime())) fail("gave_boundary_meter_consent_at", `Not a date or time: "${consentText}"`);
      else consentAt = parsed;
    }

    let asset: ImportAsset | undefined;
    const externalId = cell("asset_external_id");
    const typeText = cell("asset_type");
    const propertyCells = PROPERTY_COLUMNS.filter((key) => cell(key) !== "");
    if (externalId === "" && (typeText !== "" || propertyCells.length > 0 || ASSET_COLUMNS.some((c) => c !== "asset_external_id" && cell(c) !== ""))) {
      fail("asset_external_id", "Asset columns are filled but asset_external_id is empty.");
    } else if (externalId !== "") {
      const earlier = assetLines.get(externalId);
      if (earlier !== undefined) fail("asset_external_id", `Asset "${externalId}" already appears on line ${earlier}.`);
      if (typeText === "") fail("asset_type", "asset_type is required when asset_external_id is set.");
      else if (!isAssetType(typeText.toLowerCase())) fail("asset_type", `Unknown asset type "${typeText}"`);
      const installationDate = cell("installation_date");
      if (installationDate !== "" && !isRealDate(installationDate)) fail("installation_date", `Expected a date as YYYY-MM-DD, got "${installationDate}"`);
      const rawProperties: Record<string, unknown> = {};
      for (const key of propertyCells) {
        const value = parsePropertyValue(cell(key));
        if (value === null) fail(key, `Expected a number, got "${cell(key)}"`);
        else rawProperties[key] = key === "heating_elements_kw" && typeof value === "number" ? [value] : value;
      }
      const type = typeText.toLowerCase();
      if (isAssetType(type)) {
        const checked = validateAssetProperties(type, rawProperties);
        if (!checked.ok) for (const issue of checked.issues) fail(String(issue.path[0] ?? "properties"), `${String(issue.path.join("."))}: ${issue.message}`);
        else {
          for (const key of checked.ignoredKeys) warnings.push({ line, column: key, message: `${key} does not apply to a ${type.replace(/_/g, " ")} and is ignored.` });
          const optional = (value: string) => (value === "" ? undefined : value);
          asset = {
            line,
            externalId,
            type,
            properties: checked.properties as Record<string, unknown>,
            ...definedOnly({
              assetModel: optional(cell("asset_model")),
              installationDate: optional(installationDate),
              serialNumber: optional(cell("serial_number")),
              oem: optional(cell("oem"))?.toLowerCase(),
              oemDeviceId: optional(cell("oem_device_id")),
            }),
          };
        }
      }
      assetLines.set(externalId, earlier ?? line);
    }

    if (rowErrors.length > 0 || !mpan.ok || !postcode.ok) {
      errors.push(...rowErrors);
      continue;
    }
    const fields = definedOnly({
      streetAddress: cell("street_address") || undefined,
      email: email || undefined,
      isHalfHourlySettled: halfHourly ?? undefined,
      gaveBoundaryMeterConsentAt: consentAt,
    });
    const existing = sitesByMpan.get(mpan.mpan);
    if (!existing) {
      sitesByMpan.set(mpan.mpan, { line, mpan: mpan.mpan, mpanCheckDigitValid: mpan.checkDigitValid, postcode: postcode.postcode, ...fields, assets: asset ? [asset] : [] });
      continue;
    }
    // A repeated MPAN adds assets; its site details must not contradict the first row.
    const clash = (
      [
        ["postcode", postcode.postcode, existing.postcode],
        ["street_address", fields.streetAddress, existing.streetAddress],
        ["email", fields.email, existing.email],
        ["is_half_hourly_settled", fields.isHalfHourlySettled, existing.isHalfHourlySettled],
      ] as const
    ).find(([, mine, theirs]) => mine !== undefined && theirs !== undefined && mine !== theirs);
    if (clash) {
      errors.push({ line, column: clash[0], message: `MPAN ${mpan.mpan} is also on line ${existing.line} with a different ${clash[0]}.` });
      continue;
    }
    Object.assign(existing, Object.fromEntries(Object.entries(fields).filter(([key]) => existing[key as keyof ImportSite] === undefined)));
    if (asset) existing.assets.push(asset);
  }
  return { sites: [...sitesByMpan.values()], rowCount: rows.length, errors, warnings, ignoredColumns };
}

function definedOnly<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** A template operators can download and fill in. */
export function sitesCsvTemplate(): string {
  const header = [...SITE_COLUMNS, ...ASSET_COLUMNS, "power_kw", "capacity_kwh"].join(",");
  return `${header}\n1200023305967,SW1A 1AA,10 Downing Street,householder@example.com,true,2026-01-15T10:00:00Z,bat-001,battery,,2025-06-01,,givenergy,,5,9.5\n`;
}
