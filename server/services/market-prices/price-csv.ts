// Parsing of an uploaded half-hourly price curve (CSV), with every problem reported by line, so an
// operator can fix the file in one go. Pure: no database, used for the dashboard's preview and again
// for the upload itself.
//
// Format: a header row, then one row per half hour:
//   start,price_gbp_per_mwh
//   2026-03-01T00:00:00Z,54.20
// `start` may also be called start_timestamp, slot_start or start_at; the price column may also be
// called price. Other columns are ignored. Starts are ISO 8601 instants with a zone (Z or an offset:
// a bare local time is ambiguous around clock changes) on a UK half-hour boundary (:00 or :30 UTC,
// which are also Europe/London settlement boundaries since London's offset is whole hours).
import { parse } from "csv-parse/sync";
import { z } from "zod";

export const HALF_HOUR_MS = 30 * 60_000;
export const MAX_PRICE_POINTS = 20_000;
/** Far beyond any GB wholesale price seen (the cap is £6,000/MWh); anything larger is a typo. */
export const PRICE_LIMIT_GBP_PER_MWH = 100_000;
const MAX_PROBLEMS = 50;

export interface PricePoint {
  slotStart: Date;
  priceGbpPerMwh: number;
}

export interface PriceCsvProblem {
  /** 1-based line number in the file; 0 for the file as a whole. */
  line: number;
  column?: string;
  message: string;
}

export interface PriceCsvResult {
  ok: boolean;
  points: PricePoint[];
  problems: PriceCsvProblem[];
  /** Problems beyond the ones listed. */
  moreProblems: number;
}

const START_COLUMNS = ["start", "start_timestamp", "slot_start", "start_at"];
const PRICE_COLUMNS = ["price_gbp_per_mwh", "price"];
const instantSchema = z.iso.datetime({ offset: true });
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Why a slot start is unacceptable, or null when it is fine. */
export function slotStartProblem(text: string): string | null {
  if (!instantSchema.safeParse(text).success) {
    return /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)
      ? `"${text}" has no time zone; add Z or an offset such as +01:00`
      : `"${text}" is not an ISO 8601 instant such as 2026-03-01T00:00:00Z`;
  }
  if (Date.parse(text) % HALF_HOUR_MS !== 0) return `${text} is not on a half-hour boundary (:00 or :30, zero seconds)`;
  return null;
}

/** Why a price is unacceptable, or null when it is fine. */
export function priceProblem(value: number): string | null {
  if (!Number.isFinite(value)) return "price must be a finite number";
  if (Math.abs(value) > PRICE_LIMIT_GBP_PER_MWH) return `price ${value} is beyond ±${PRICE_LIMIT_GBP_PER_MWH} GBP/MWh`;
  return null;
}

function headerIndex(header: readonly string[], names: readonly string[]): number {
  return header.findIndex((cell) => names.includes(cell.trim().toLowerCase().replace(/^\uFEFF/, "")));
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/** Parses a price curve CSV; `ok` is false when there is any problem (then nothing should be stored). */
export function parsePriceCsv(text: string): PriceCsvResult {
  const problems: PriceCsvProblem[] = [];
  let moreProblems = 0;
  const report = (problem: PriceCsvProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
    else moreProblems += 1;
  };
  const done = (points: PricePoint[]): PriceCsvResult => ({ ok: problems.length === 0 && moreProblems === 0, points, problems, moreProblems });

  let records: CsvRecord[];
  try {
    records = parse(text, { info: true, skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }) as unknown as CsvRecord[];
  } catch (error) {
    const line = typeof (error as { lines?: unknown }).lines === "number" ? (error as { lines: number }).lines : 0;
    report({ line, message: `The file is not valid CSV: ${error instanceof Error ? error.message.replace(/^Invalid \w+:\s*/, "") : "unreadable"}` });
    return done([]);
  }
  const [header, ...rows] = records;
  if (header === undefined) {
    report({ line: 0, message: "The file is empty; expected a header row start,price_gbp_per_mwh and one row per half hour" });
    return done([]);
  }
  const startIndex = headerIndex(header.record, START_COLUMNS);
  const priceIndex = headerIndex(header.record, PRICE_COLUMNS);
  if (startIndex < 0 || priceIndex < 0) {
    const missing = [startIndex < 0 ? "start" : null, priceIndex < 0 ? "price_gbp_per_mwh" : null].filter((name) => name !== null);
    report({ line: header.info.lines, message: `The header row needs the column${missing.length > 1 ? "s" : ""} ${missing.join(" and ")}; found ${header.record.join(", ") || "nothing"}` });
    return done([]);
  }
  if (rows.length === 0) report({ line: 0, message: "The file has a header but no price rows" });
  if (rows.length > MAX_PRICE_POINTS) {
    report({ line: 0, message: `At most ${MAX_PRICE_POINTS} half hours per upload; the file has ${rows.length}` });
    return done([]);
  }

  const points: PricePoint[] = [];
  const lineOfSlot = new Map<number, number>();
  for (const { record, info } of rows) {
    const line = info.lines;
    const startText = (record[startIndex] ?? "").trim();
    const priceText = (record[priceIndex] ?? "").trim();
    let slotStart: Date | null = null;
    let price: number | null = null;
    if (startText === "") report({ line, column: "start", message: "start is missing" });
    else {
      const problem = slotStartProblem(startText);
      if (problem !== null) report({ line, column: "start", message: problem });
      else slotStart = new Date(startText);
    }
    if (priceText === "") report({ line, column: "price_gbp_per_mwh", message: "price_gbp_per_mwh is missing" });
    else if (!NUMBER.test(priceText)) report({ line, column: "price_gbp_per_mwh", message: `"${priceText}" is not a number (use a plain decimal such as 54.20, no currency sign)` });
    else {
      const value = Number(priceText);
      const problem = priceProblem(value);
      if (problem !== null) report({ line, column: "price_gbp_per_mwh", message: problem });
      else price = value;
    }
    if (slotStart === null || price === null) continue;
    const earlier = lineOfSlot.get(slotStart.getTime());
    if (earlier !== undefined) {
      report({ line, column: "start", message: `${slotStart.toISOString()} is already priced on line ${earlier}` });
      continue;
    }
    lineOfSlot.set(slotStart.getTime(), line);
    points.push({ slotStart, priceGbpPerMwh: price });
  }
  points.sort((a, b) => a.slotStart.getTime() - b.slotStart.getTime());
  return done(points);
}

/** One line per problem, for messages and logs. */
export function describePriceCsvProblems(result: Pick<PriceCsvResult, "problems" | "moreProblems">): string[] {
  const lines = result.problems.map((problem) => (problem.line > 0 ? `line ${problem.line}: ${problem.message}` : problem.message));
  if (result.moreProblems > 0) lines.push(`…and ${result.moreProblems} more problems`);
  return lines;
}
