// `POST /data/readings`: each reading is answered on its own (accepted, or refused with a reason);
// the accepted ones are upserted on (asset, label, start) in one transaction, so a batch is either
// written in full (minus what was reported as refused) or not at all.
//
// Speed matters here (partners back-fill tens of thousands of half hours at once), so:
// - the batch's assets are read in one query and locked FOR KEY SHARE until commit. asset_readings
//   has no foreign keys (a key check per row cost ~40% of a batch; see db/schema/charging.ts), so
//   this lock is what guarantees every stored row's asset exists in the caller's organisation;
// - stored lifetime registers are read in one query per batch;
// - rows are written with one INSERT ... SELECT FROM unnest(arrays) ... ON CONFLICT per chunk,
//   passing each column as a single array parameter (no per-row parameters, no row limit).
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { checkReading, MAX_READINGS_PER_REQUEST, readingLabelRules, type Reading, type ReadingAsset, type ReadingLabel } from "@/server/domain/readings";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { invalid } from "../errors";
import { isUuid } from "../inventory/records";

export interface ReadingOutcome {
  asset_id: string;
  start_timestamp: string;
  end_timestamp: string;
  label: ReadingLabel;
  accepted: boolean;
  error?: string;
}

export interface IngestReadingsResult {
  /** One outcome per reading, in the order sent. */
  responses: ReadingOutcome[];
  acceptedCount: number;
  rejectedCount: number;
}

export interface IngestReadingsOptions {
  /** The clock, for refusing readings from the future; defaults to the current time. */
  now?: Date;
  /** Rows per INSERT statement. */
  chunkSize?: number;
}

// A full request (10,000 readings) in one statement: measured faster than two of 5,000.
const DEFAULT_CHUNK_SIZE = 10_000;

interface StoredAsset {
  id: string;
  type: string;
  properties: Record<string, unknown>;
}

interface AcceptedRow {
  assetId: string;
  label: ReadingLabel;
  start: Date;
  end: Date;
  value: number;
}

function numberProperty(properties: Record<string, unknown>, ...keys: string[]): number | null {
  for (const key of keys) {
    const value = properties[key];
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  return null;
}

function readingAssetOf(asset: StoredAsset): ReadingAsset {
  return {
    type: asset.type,
    // A vehicle's rating is what it accepts; a battery's usable capacity bounds what it can store.
    powerKw: numberProperty(asset.properties, "power_kw", "max_charge_power_kw"),
    capacityKwh: numberProperty(asset.properties, "capacity_kwh", "usable_capacity_kwh"),
  };
}

/** A Postgres array literal of values that need no quoting (uuids, enum labels, ISO instants, numbers). */
function arrayLiteral(values: readonly (string | number)[]): string {
  return `{${values.join(",")}}`;
}

async function loadAssets(db: DbOrTx, orgId: string, assetIds: readonly string[]): Promise<Map<string, StoredAsset>> {
  if (assetIds.length === 0) return new Map();
  // FOR KEY SHARE: the asset cannot be deleted until the batch commits (asset_readings has no
  // foreign key to check it; the delete then waits and its trigger removes these readings too).
  const rows = await db.execute<{ id: string; type: string; properties: Record<string, unknown> | null }>(sql`
    select id::text as id, type::text as type, properties
    from assets
    where organisation_id = ${orgId} and id = any(${arrayLiteral(assetIds)}::uuid[])
    for key share`);
  return new Map(rows.map((row) => [row.id, { id: row.id, type: row.type, properties: row.properties ?? {} }]));
}

const registerKey = (assetId: string, label: string) => `${assetId}|${label}`;

/** The latest stored value of each lifetime register the batch touches. */
async function loadLatestRegisters(db: DbOrTx, keys: readonly { assetId: string; label: string }[]): Promise<Map<string, { value: number; end: Date }>> {
  if (keys.length === 0) return new Map();
  const rows = await db.execute<{ asset_id: string; label: string; value: number; end_at: string | Date }>(sql`
    select distinct on (r.asset_id, r.label) r.asset_id::text as asset_id, r.label, r.value, r.end_at
    from asset_readings r
    join unnest(${arrayLiteral(keys.map((k) => k.assetId))}::uuid[], ${arrayLiteral(keys.map((k) => k.label))}::text[]) as k(asset_id, label)
      on r.asset_id = k.asset_id and r.label = k.label
    order by r.asset_id, r.label, r.start_at desc`);
  return new Map(rows.map((row) => [registerKey(row.asset_id, row.label), { value: Number(row.value), end: new Date(row.end_at) }]));
}

async function upsertChunk(db: DbOrTx, orgId: string, rows: readonly AcceptedRow[]): Promise<void> {
  // One pass over the rows builds all five array parameters.
  const assetIds: string[] = [];
  const labels: string[] = [];
  const starts: string[] = [];
  const ends: string[] = [];
  const values: number[] = [];
  for (const row of rows) {
    assetIds.push(row.assetId);
    labels.push(row.label);
    starts.push(row.start.toISOString());
    ends.push(row.end.toISOString());
    values.push(row.value);
  }
  await db.execute(sql`
    insert into asset_readings (organisation_id, asset_id, label, start_at, end_at, value)
    select ${orgId}::uuid, r.asset_id, r.label, r.start_at, r.end_at, r.value
    from unnest(
      ${arrayLiteral(assetIds)}::uuid[],
      ${arrayLiteral(labels)}::text[],
      ${arrayLiteral(starts)}::timestamptz[],
      ${arrayLiteral(ends)}::timestamptz[],
      ${arrayLiteral(values)}::float8[]
    ) as r(asset_id, label, start_at, end_at, value)
    on conflict (asset_id, label, start_at) do update
      set end_at = excluded.end_at, value = excluded.value, received_at = now()`);
}

/**
 * Checks and stores a batch of readings for the context's organisation. Readings of assets that do
 * not exist or belong to another organisation are refused as unknown (never revealing which).
 * Within one batch a repeated (asset, label, start) keeps the last value sent.
 */
export async function ingestReadings(ctx: ServiceContext, readings: readonly Reading[], options: IngestReadingsOptions = {}): Promise<IngestReadingsResult> {
  authorize(ctx, "readings:write");
  if (readings.length > MAX_READINGS_PER_REQUEST) {
    throw invalid(`Send at most ${MAX_READINGS_PER_REQUEST} readings per request.`, [
      { path: ["readings"], message: `at most ${MAX_READINGS_PER_REQUEST} readings per request; got ${readings.length}`, type: "too_long" },
    ]);
  }
  const now = options.now ?? new Date();
  const chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK_SIZE);

  return ctx.db.transaction(async (tx) => {
    const assetIds = [...new Set(readings.map((reading) => reading.asset_id.toLowerCase()))];
    const assets = await loadAssets(tx, ctx.orgId, assetIds);

    const registerKeys = new Map<string, { assetId: string; label: string }>();
    for (const reading of readings) {
      const assetId = reading.asset_id.toLowerCase();
      if (readingLabelRules[reading.label].family === "lifetime_register" && assets.has(assetId)) {
        registerKeys.set(registerKey(assetId, reading.label), { assetId, label: reading.label });
      }
    }
    // Updated as the batch is accepted, so a register going backwards inside one batch is caught too.
    const latestRegisters = await loadLatestRegisters(tx, [...registerKeys.values()]);

    // Each asset's rating, worked out once per batch rather than once per reading.
    const readingAssets = new Map([...assets].map(([id, asset]) => [id, readingAssetOf(asset)]));
    const checkOptions = { now };
    const responses: ReadingOutcome[] = [];
    // Keyed by asset, label and start: a repeated reading keeps the last value sent.
    const accepted = new Map<string, AcceptedRow>();
    for (const reading of readings) {
      const assetId = reading.asset_id.toLowerCase();
      const outcome: ReadingOutcome = {
        asset_id: reading.asset_id,
        start_timestamp: reading.start_timestamp,
        end_timestamp: reading.end_timestamp,
        label: reading.label,
        accepted: false,
      };
      responses.push(outcome);
      const asset = readingAssets.get(assetId);
      if (asset === undefined) {
        outcome.error = `Unknown asset ${reading.asset_id}`;
        continue;
      }
      const isRegister = readingLabelRules[reading.label].family === "lifetime_register";
      const previousRegister = isRegister ? latestRegisters.get(registerKey(assetId, reading.label)) : undefined;
      const result = checkReading(reading, asset, previousRegister ? { now, previousRegister } : checkOptions);
      if (!result.ok) {
        outcome.error = result.error;
        continue;
      }
      outcome.accepted = true;
      const row = result.normalised;
      accepted.set(`${assetId}|${row.label}|${row.start.getTime()}`, { assetId, label: row.label, start: row.start, end: row.end, value: row.value });
      if (isRegister && (previousRegister === undefined || row.end.getTime() >= previousRegister.end.getTime())) {
        latestRegisters.set(registerKey(assetId, row.label), { value: row.value, end: row.end });
      }
    }

    // Rows are written in the order of their keys: concurrent batches that share rows then lock them
    // in the same order, so they queue instead of deadlocking (any fixed total order does; sorting
    // the key strings is the cheapest), and rows of one asset and label reach the index together.
    const rows: AcceptedRow[] = [];
    for (const key of [...accepted.keys()].sort()) {
      const row = accepted.get(key);
      if (row !== undefined) rows.push(row);
    }
    for (let offset = 0; offset < rows.length; offset += chunkSize) {
      await upsertChunk(tx, ctx.orgId, rows.slice(offset, offset + chunkSize));
    }
    const acceptedCount = responses.filter((outcome) => outcome.accepted).length;
    return { responses, acceptedCount, rejectedCount: responses.length - acceptedCount };
  });
}

export interface StoredReading {
  assetId: string;
  label: string;
  startAt: Date;
  endAt: Date;
  value: number;
}

/** Stored readings of one asset of the organisation over [from, to), oldest first. */
export async function listAssetReadings(
  ctx: ServiceContext,
  input: { assetId: string; from: Date; to: Date; label?: ReadingLabel; limit?: number },
): Promise<StoredReading[]> {
  if (!isUuid(input.assetId)) return [];
  const limit = Math.min(Math.max(input.limit ?? 5000, 1), 50_000);
  const rows = await ctx.db.execute<{ asset_id: string; label: string; start_at: string | Date; end_at: string | Date; value: number }>(sql`
    select asset_id::text as asset_id, label, start_at, end_at, value
    from asset_readings
    where organisation_id = ${ctx.orgId}
      and asset_id = ${input.assetId.toLowerCase()}::uuid
      and start_at >= ${input.from.toISOString()}::timestamptz and start_at < ${input.to.toISOString()}::timestamptz
      ${input.label === undefined ? sql`` : sql`and label = ${input.label}`}
    order by start_at, label
    limit ${limit}`);
  return rows.map((row) => ({ assetId: row.asset_id, label: row.label, startAt: new Date(row.start_at), endAt: new Date(row.end_at), value: Number(row.value) }));
}
