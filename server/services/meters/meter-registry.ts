// The meter registry: operators load it from a CSV (preview first, then load), partners look
// meters up by MPAN, by address, or by searching a postcode and picking from opaque references.
import { and, eq, inArray, sql } from "drizzle-orm";
import { meterRegistryEntries, type MeterRegistryEntry } from "@/db/schema";
import { readMeterRef, signMeterRef } from "@/server/auth/meter-refs";
import { normaliseMpan, normalisePostcode } from "@/server/domain/inventory";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import type { ServiceContext } from "../context";
import { invalid, notFound, ServiceError } from "../errors";
import { parseMeterRegistryCsv, type RegistryIssue, type RegistryRow } from "./parse-meter-registry-csv";

export interface MeterInfo {
  mpan: string;
  address: string;
  postcode: string;
  halfHourlySettled: boolean;
  supplierMpid: string | null;
  supplierName: string | null;
  eligibleMarkets: string[];
}

export interface MeterRegistryPreview {
  rowCount: number;
  /** Of the valid rows, those whose MPAN is not in the registry yet. */
  newCount: number;
  updateCount: number;
  /** The first rows as they will be loaded. */
  sample: RegistryRow[];
  errors: RegistryIssue[];
}

const SAMPLE_ROWS = 20;
const INSERT_CHUNK = 1000;

function toInfo(entry: MeterRegistryEntry): MeterInfo {
  return {
    mpan: entry.mpan,
    address: entry.address,
    postcode: entry.postcode,
    halfHourlySettled: entry.halfHourlySettled,
    supplierMpid: entry.supplierMpid,
    supplierName: entry.supplierName,
    eligibleMarkets: entry.eligibleMarkets,
  };
}

async function countExisting(ctx: ServiceContext, mpans: string[]): Promise<number> {
  let count = 0;
  // Chunks keep each query under the protocol's bind-parameter limit.
  for (let start = 0; start < mpans.length; start += INSERT_CHUNK) {
    const [row] = await ctx.db
      .select({ count: sql<number>`count(*)::int` })
      .from(meterRegistryEntries)
      .where(and(eq(meterRegistryEntries.organisationId, ctx.orgId), inArray(meterRegistryEntries.mpan, mpans.slice(start, start + INSERT_CHUNK))));
    count += row?.count ?? 0;
  }
  return count;
}

/** Checks a registry file and says what loading it would do; writes nothing. */
export async function previewMeterRegistry(ctx: ServiceContext, input: { csv: string }): Promise<MeterRegistryPreview> {
  authorize(ctx, "meter_registry:write");
  const parsed = parseMeterRegistryCsv(input.csv);
  const existing = await countExisting(ctx, parsed.rows.map((row) => row.mpan));
  return {
    rowCount: parsed.rows.length + new Set(parsed.errors.map((issue) => issue.line)).size,
    newCount: parsed.rows.length - existing,
    updateCount: existing,
    sample: parsed.rows.slice(0, SAMPLE_ROWS),
    errors: parsed.errors,
  };
}

/** Loads a registry file: all rows or none. A meter already in the registry is updated in place. */
export async function loadMeterRegistry(ctx: ServiceContext, input: { csv: string }): Promise<{ loaded: number; created: number; updated: number }> {
  authorize(ctx, "meter_registry:write");
  const parsed = parseMeterRegistryCsv(input.csv);
  if (parsed.errors.length > 0) {
    const first = parsed.errors[0];
    throw invalid(
      `The file has ${parsed.errors.length} problem${parsed.errors.length === 1 ? "" : "s"}; nothing was loaded. Line ${first?.line}: ${first?.message}`,
      parsed.errors.slice(0, 100).map((issue) => ({ path: ["csv", issue.line, ...(issue.column ? [issue.column] : [])], message: issue.message })),
    );
  }
  if (parsed.rows.length === 0) throw invalid("The file has no meters to load.", [{ path: ["csv"], message: "No rows after the header." }]);
  return ctx.db.transaction(async (tx) => {
    const txCtx: ServiceContext = { ...ctx, db: tx };
    const updated = await countExisting(txCtx, parsed.rows.map((row) => row.mpan));
    const now = new Date();
    for (let start = 0; start < parsed.rows.length; start += INSERT_CHUNK) {
      const chunk = parsed.rows.slice(start, start + INSERT_CHUNK);
      await tx
        .insert(meterRegistryEntries)
        .values(chunk.map((row) => ({
          organisationId: ctx.orgId,
          mpan: row.mpan,
          address: row.address,
          postcode: row.postcode,
          halfHourlySettled: row.halfHourlySettled,
          supplierMpid: row.supplierMpid,
          supplierName: row.supplierName,
          eligibleMarkets: row.eligibleMarkets,
          loadedAt: now,
        })))
        .onConflictDoUpdate({
          target: [meterRegistryEntries.organisationId, meterRegistryEntries.mpan],
          set: {
            address: sql`excluded.address`,
            postcode: sql`excluded.postcode`,
            halfHourlySettled: sql`excluded.half_hourly_settled`,
            supplierMpid: sql`excluded.supplier_mpid`,
            supplierName: sql`excluded.supplier_name`,
            eligibleMarkets: sql`excluded.eligible_markets`,
            loadedAt: sql`excluded.loaded_at`,
          },
        });
    }
    const result = { loaded: parsed.rows.length, created: parsed.rows.length - updated, updated };
    await recordAuditEvent(txCtx, { action: "meter_registry.loaded", targetType: "meter_registry", details: result });
    return result;
  });
}

function requireMpanInput(value: string, field: string): string {
  const mpan = normaliseMpan(value);
  if (!mpan.ok) throw invalid(`${field}: ${mpan.message}.`, [{ path: [field], message: mpan.message, type: "mpan_invalid" }]);
  return mpan.mpan;
}

export async function getMeterByMpan(ctx: ServiceContext, input: { mpan: string }): Promise<MeterInfo> {
  authorize(ctx, "meter_registry:read");
  const mpan = requireMpanInput(input.mpan, "mpan");
  const [entry] = await ctx.db
    .select()
    .from(meterRegistryEntries)
    .where(and(eq(meterRegistryEntries.organisationId, ctx.orgId), eq(meterRegistryEntries.mpan, mpan)))
    .limit(1);
  if (!entry) throw notFound("Meter");
  return toInfo(entry);
}

const POSTCODE_AT_END = /([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\s*$/i;

/** Lower case, punctuation to spaces, single spaces: "Flat 4, 12a" and "flat 4 12A" compare equal. */
function comparable(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}

function firstPart(address: string): string {
  return comparable(address.split(",")[0] ?? "");
}

async function entriesAtPostcode(ctx: ServiceContext, postcode: string): Promise<MeterRegistryEntry[]> {
  return ctx.db
    .select()
    .from(meterRegistryEntries)
    .where(and(eq(meterRegistryEntries.organisationId, ctx.orgId), eq(meterRegistryEntries.postcode, postcode)))
    .orderBy(meterRegistryEntries.address);
}

function requirePostcodeInput(value: string, field: string): string {
  const postcode = normalisePostcode(value);
  if (!postcode.ok) throw invalid(`${field}: ${postcode.message}.`, [{ path: [field], message: postcode.message, type: "postcode_invalid" }]);
  return postcode.postcode;
}

/**
 * The meter at a full address ("221B Baker Street, London, NW1 6XE"): the postcode at its end
 * picks the candidates, the part before the first comma picks the building (exactly, or by its
 * leading house number or name when that is unambiguous).
 */
export async function getMeterByAddress(ctx: ServiceContext, input: { address: string }): Promise<MeterInfo> {
  authorize(ctx, "meter_registry:read");
  const match = POSTCODE_AT_END.exec(input.address.trim());
  if (!match?.[1]) {
    throw invalid("The address must end with its postcode, e.g. '221B Baker Street, London, NW1 6XE'.", [{ path: ["address"], message: "No postcode at the end of the address.", type: "value_error" }]);
  }
  const postcode = requirePostcodeInput(match[1], "address");
  const candidates = await entriesAtPostcode(ctx, postcode);
  const wanted = firstPart(input.address.replace(POSTCODE_AT_END, ""));
  const exact = candidates.filter((entry) => firstPart(entry.address) === wanted);
  const leading = wanted.split(" ")[0] ?? "";
  const byNumber = exact.length > 0 ? exact : candidates.filter((entry) => leading !== "" && firstPart(entry.address).split(" ")[0] === leading);
  if (byNumber.length > 1) throw new ServiceError("CONFLICT", "More than one meter matches this address: search the postcode and let the householder pick.");
  const [found] = byNumber;
  if (!found) throw notFound("Meter at this address");
  return toInfo(found);
}

export interface MeterSearchResult {
  ref: string;
  address: string;
}

/** Every meter at a postcode (optionally one building), as opaque references for the householder to pick from. */
export async function searchMeters(ctx: ServiceContext, input: { postcode: string; buildingIdentifier?: string }, now: Date): Promise<MeterSearchResult[]> {
  authorize(ctx, "meter_registry:read");
  const postcode = requirePostcodeInput(input.postcode, "postcode");
  const building = input.buildingIdentifier === undefined ? "" : comparable(input.buildingIdentifier);
  const entries = (await entriesAtPostcode(ctx, postcode)).filter((entry) => building === "" || ` ${comparable(entry.address)} `.includes(` ${building} `));
  return entries.map((entry) => ({ ref: signMeterRef({ meterId: entry.id, orgId: ctx.orgId }, now), address: entry.address }));
}

export async function getMeterByRef(ctx: ServiceContext, input: { ref: string }, now: Date): Promise<MeterInfo> {
  authorize(ctx, "meter_registry:read");
  const read = readMeterRef(input.ref, now);
  if (!read.ok) {
    const message = read.reason === "expired" ? "This meter reference has expired: search again." : "This is not a meter reference from /meter/search.";
    throw invalid(message, [{ path: ["meter_ref"], message, type: read.reason === "expired" ? "meter_ref_expired" : "meter_ref_invalid" }]);
  }
  // A reference from another organisation reads as unknown, like any id that is not yours.
  if (read.orgId !== ctx.orgId) throw notFound("Meter");
  const [entry] = await ctx.db
    .select()
    .from(meterRegistryEntries)
    .where(and(eq(meterRegistryEntries.organisationId, ctx.orgId), eq(meterRegistryEntries.id, read.meterId)))
    .limit(1);
  if (!entry) throw notFound("Meter");
  return toInfo(entry);
}
