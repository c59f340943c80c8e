// Reads a meter registry CSV and checks every row without touching the database, so an operator
// sees each problem with its line number before anything is loaded. Columns (header names, any
// order): mpan, address, postcode, half_hourly_settled, supplier_mpid, supplier_name,
// eligible_markets (separated by `;` or `|`, of cm, dno, wholesale).
import { parse } from "csv-parse/sync";
import { normaliseMpan, normalisePostcode } from "@/server/domain/inventory";

export const METER_REGISTRY_COLUMNS = ["mpan", "address", "postcode", "half_hourly_settled", "supplier_mpid", "supplier_name", "eligible_markets"] as const;
const REQUIRED_COLUMNS = ["mpan", "address", "postcode", "half_hourly_settled"] as const;
export const ELIGIBLE_MARKETS = ["cm", "dno", "wholesale"] as const;
export type EligibleMarket = (typeof ELIGIBLE_MARKETS)[number];
export const MAX_REGISTRY_ROWS = 200_000;

export interface RegistryIssue {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  column?: string;
  message: string;
}

export interface RegistryRow {
  line: number;
  mpan: string;
  address: string;
  postcode: string;
  halfHourlySettled: boolean;
  supplierMpid: string | null;
  supplierName: string | null;
  eligibleMarkets: EligibleMarket[];
}

export interface ParsedMeterRegistry {
  rows: RegistryRow[];
  errors: RegistryIssue[];
}

function parseBoolean(value: string): boolean | null {
  const v = value.trim().toLowerCase();
  if (["true", "yes", "y", "1"].includes(v)) return true;
  if (["false", "no", "n", "0"].includes(v)) return false;
  return null;
}

export function parseMeterRegistryCsv(csv: string): ParsedMeterRegistry {
  let records: string[][];
  try {
    records = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch (error) {
    return { rows: [], errors: [{ line: 1, message: `The file is not readable as CSV: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const [header, ...body] = records;
  if (header === undefined) return { rows: [], errors: [{ line: 1, message: "The file is empty: it needs a header row and one row per meter." }] };
  const columns = header.map((name) => name.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length > 0) return { rows: [], errors: [{ line: 1, message: `Missing column${missing.length === 1 ? "" : "s"}: ${missing.join(", ")}.` }] };
  if (body.length > MAX_REGISTRY_ROWS) return { rows: [], errors: [{ line: 1, message: `The file has ${body.length} rows; load at most ${MAX_REGISTRY_ROWS} at a time.` }] };

  const rows: RegistryRow[] = [];
  const errors: RegistryIssue[] = [];
  const seen = new Map<string, number>();
  body.forEach((record, index) => {
    const line = index + 2;
    const cell = (name: string) => record[columns.indexOf(name)]?.trim() ?? "";
    const rowErrors: RegistryIssue[] = [];
    const mpan = normaliseMpan(cell("mpan"));
    if (!mpan.ok) rowErrors.push({ line, column: "mpan", message: mpan.message });
    else if (seen.has(mpan.mpan)) rowErrors.push({ line, column: "mpan", message: `This MPAN is already on line ${seen.get(mpan.mpan)}.` });
    const postcode = normalisePostcode(cell("postcode"));
    if (!postcode.ok) rowErrors.push({ line, column: "postcode", message: postcode.message });
    const address = cell("address");
    if (address === "") rowErrors.push({ line, column: "address", message: "Address is empty." });
    const settled = parseBoolean(cell("half_hourly_settled"));
    if (settled === null) rowErrors.push({ line, column: "half_hourly_settled", message: "Write true or false." });
    const markets = cell("eligible_markets").split(/[;|]/).map((market) => market.trim().toLowerCase()).filter(Boolean);
    const unknown = markets.filter((market) => !(ELIGIBLE_MARKETS as readonly string[]).includes(market));
    if (unknown.length > 0) rowErrors.push({ line, column: "eligible_markets", message: `Unknown market ${unknown.join(", ")}: use ${ELIGIBLE_MARKETS.join(", ")}.` });
    if (rowErrors.length > 0 || !mpan.ok || !postcode.ok || settled === null) {
      errors.push(...rowErrors);
      return;
    }
    seen.set(mpan.mpan, line);
    rows.push({
      line,
      mpan: mpan.mpan,
      address,
      postcode: postcode.postcode,
      halfHourlySettled: settled,
      supplierMpid: cell("supplier_mpid") || null,
      supplierName: cell("supplier_name") || null,
      eligibleMarkets: [...new Set(markets)] as EligibleMarket[],
    });
  });
  return { rows, errors };
}
