// Readings ingest throughput: readings per second through POST /data/readings (the real route
// handler given real Request objects with a bearer token: auth, body read, JSON parse, zod
// validation, per-reading rules, transactional upsert) against a plain PostgreSQL COPY of the same
// rows into the same table in the same run. Batches are 10,000 readings, one request at a time,
// plus a run with gzip bodies and one over real loopback HTTP (node:http in front of the same
// handlers, as test/flows/platform-http.ts serves them; the client runs in the same process, so
// its JSON work shares the server's thread), one at a time and two in flight (a partner
// back-filling from more than one connection: the server parses one batch while PostgreSQL writes
// the other).
// Request bodies are built before timing starts.
// A throwaway embedded PostgreSQL is used unless DATABASE_URL is set.
//   npx tsx bench/readings-ingest.ts [batches]
import { loadavg } from "node:os";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gzipSync } from "node:zlib";
import { startBenchEnvironment } from "./lib/bench-environment";

const BATCHES = Number(process.argv[2] ?? "10");
const BATCH_SIZE = 10_000;
const ASSETS = 50;

const bench = await startBenchEnvironment({ name: "readings" });
const { ctx, orgId } = bench;
const { initialiseSite } = await import("@/server/services/inventory/initialise");
const { createApiClient } = await import("@/server/services/api-clients/api-clients");
const { mpanCheckDigit } = await import("@/server/domain/inventory");
const { issueTokenHandler } = await import("@/server/api/rest/auth");
const { readingsPriceHandlers } = await import("@/server/api/rest/readings-prices");
const { getConnection } = await import("@/db/client");
const { startPlatformHttpServer } = await import("@/test/flows/platform-http");

const stamp = Date.now();

const assetIds: string[] = [];
for (let i = 0; i < ASSETS; i += 1) {
  const prefix = `1${String(stamp % 1e6).padStart(6, "0")}${String(i).padStart(5, "0")}`;
  const result = await initialiseSite(ctx, {
    site: { mpan: `${prefix}${mpanCheckDigit(prefix)}`, postcode: "SW1A 1AA" },
    assets: [{ externalId: `bench-charger-${i}`, type: "charger", properties: { power_kw: 7.4 } }],
  });
  const assetId = result.assets[0]?.assetId;
  if (assetId === undefined) throw new Error("asset not created");
  assetIds.push(assetId);
}

const client = await createApiClient(ctx, { name: "bench", scopes: ["readings:write"] });
const tokenResponse = await issueTokenHandler(
  new Request("http://localhost/api/v1/auth/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret }).toString(),
  }),
);
const { access_token: token } = (await tokenResponse.json()) as { access_token: string };

const HALF_HOUR = 1_800_000;
// Far enough back that every batch is in the past, each (asset, slot) distinct across the run.
const firstSlot = Date.UTC(2024, 0, 1);
interface Row {
  asset_id: string;
  start_timestamp: string;
  end_timestamp: string;
  value: number;
  label: "charger_consumption_energy_kwh";
}
function batch(index: number): Row[] {
  return Array.from({ length: BATCH_SIZE }, (_, i) => {
    const n = index * BATCH_SIZE + i;
    const slot = Math.floor(n / ASSETS);
    const start = firstSlot + slot * HALF_HOUR;
    return {
      asset_id: assetIds[n % ASSETS] ?? "",
      start_timestamp: new Date(start).toISOString(),
      end_timestamp: new Date(start + HALF_HOUR).toISOString(),
      value: Math.round(((n * 7919) % 3600) / 10) / 100,
      label: "charger_consumption_energy_kwh",
    };
  });
}
const batches = Array.from({ length: BATCHES }, (_, i) => batch(i));
const bodies = batches.map((rows) => JSON.stringify({ readings: rows }));
const gzipped = bodies.map((body) => gzipSync(body));
const total = BATCHES * BATCH_SIZE;
const { sql } = getConnection();

// Where asset_readings is partitioned by day (migration partition_time_series_tables), the bench's
// days get their partitions first, as the partitions.maintain job gives every current day: otherwise
// every row would land in the default partition, which is not what production writes to.
const [partitioning] = await sql<{ ready: boolean }[]>`select to_regproc('create_time_partition') is not null as ready`;
const DAY = 86_400_000;
const lastSlotEnd = firstSlot + Math.ceil(total / ASSETS) * HALF_HOUR;
let partitionsMade = 0;
if (partitioning?.ready) {
  for (let day = firstSlot; day < lastSlotEnd; day += DAY) {
    await sql`select create_time_partition('asset_readings', ${new Date(day).toISOString()}::timestamptz, ${new Date(day + DAY).toISOString()}::timestamptz)`;
    partitionsMade += 1;
  }
}

async function clear(): Promise<void> {
  await sql`delete from asset_readings where organisation_id = ${orgId}`;
  await sql`vacuum analyze asset_readings`;
}

type Post = (request: Request) => Promise<Response>;
const postToHandler: Post = (request) => readingsPriceHandlers.postReadings(request);
const server = await startPlatformHttpServer({ checkContract: false, recordRequests: false });
const postOverHttp: Post = (request) => fetch(request);

async function postBatch(i: number, gzip: boolean, post: Post): Promise<void> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  if (gzip) headers["content-encoding"] = "gzip";
  const body = gzip ? gzipped[i] : bodies[i];
  const response = await post(new Request(`${server.baseUrl}/data/readings`, { method: "POST", headers, body: body as BodyInit }));
  const answer = (await response.json()) as { responses?: { accepted: boolean }[] };
  const accepted = answer.responses?.filter((r) => r.accepted).length ?? 0;
  if (response.status !== 200 || accepted !== BATCH_SIZE) throw new Error(`batch ${i}: HTTP ${response.status}, ${accepted} accepted`);
}

/** Posts every batch, `inFlight` requests at a time (each sender takes the next batch when its last is answered). */
async function postAll(gzip: boolean, post: Post = postToHandler, inFlight = 1): Promise<number> {
  const started = performance.now();
  let next = 0;
  const sender = async () => {
    for (let i = next++; i < BATCHES; i = next++) await postBatch(i, gzip, post);
  };
  await Promise.all(Array.from({ length: inFlight }, sender));
  return performance.now() - started;
}

async function copyAll(): Promise<number> {
  const started = performance.now();
  for (const rows of batches) {
    const text = rows.map((r) => `${orgId}\t${r.asset_id}\t${r.label}\t${r.start_timestamp}\t${r.end_timestamp}\t${r.value}\n`).join("");
    const writable = await sql`copy asset_readings (organisation_id, asset_id, label, start_at, end_at, value) from stdin`.writable();
    await pipeline(Readable.from([text]), writable);
  }
  return performance.now() - started;
}

const loadAtStart = loadavg().map((l) => l.toFixed(1)).join(" ");
const perSecond = (ms: number) => Math.round(total / (ms / 1000));
// Warm-up: JIT, prepared plans, token cache.
await postAll(false);
await clear();

const results: { name: string; ms: number }[] = [];
for (const run of ["post", "post-gzip", "post-http", "post-http2", "copy"] as const) {
  const ms =
    run === "copy" ? await copyAll() : await postAll(run === "post-gzip", run.startsWith("post-http") ? postOverHttp : postToHandler, run === "post-http2" ? 2 : 1);
  results.push({ name: run, ms });
  await clear();
}
// Re-posting the same rows (all upserts hit existing rows).
await postAll(false);
const upsertMs = await postAll(false);

const copyMs = results.find((r) => r.name === "copy")?.ms ?? 1;
console.log(`load average at start ${loadAtStart}, at end ${loadavg().map((l) => l.toFixed(1)).join(" ")}; asset_readings ${partitioning?.ready ? `partitioned by day (${partitionsMade} daily partitions for the run)` : "a plain table"}`);
console.log(`readings ingest: ${BATCHES} batches of ${BATCH_SIZE} readings (${total} total), ${ASSETS} chargers; post = route handler with real Request objects, post-http = over loopback HTTP, post-http2 = the same with two requests in flight`);
for (const r of results) console.log(`  ${r.name.padEnd(10)} ${(r.ms / 1000).toFixed(2)} s  ${perSecond(r.ms).toLocaleString("en-GB")} readings/s  (${(r.ms / BATCHES).toFixed(0)} ms per 10,000)`);
console.log(`  ${"re-post".padEnd(10)} ${(upsertMs / 1000).toFixed(2)} s  ${perSecond(upsertMs).toLocaleString("en-GB")} readings/s  (every row an update)`);
const postMs = results.find((r) => r.name === "post")?.ms ?? 1;
const httpMs = results.find((r) => r.name === "post-http")?.ms ?? 1;
const http2Ms = results.find((r) => r.name === "post-http2")?.ms ?? 1;
const verdict = (ms: number) => (perSecond(ms) >= 50_000 ? "met" : "NOT met");
console.log(`  POST / COPY throughput ratio: ${(copyMs / postMs).toFixed(2)} (COPY is ${(postMs / copyMs).toFixed(1)}x faster)`);
console.log(`  target >= 50,000 readings/s: ${verdict(postMs)} through the handler, ${verdict(httpMs)} over HTTP one at a time, ${verdict(http2Ms)} over HTTP two at a time`);
await server.stop();
await bench.stop();
