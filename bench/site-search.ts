// Sites search with 100,000 sites (and 100,000 assets) in one organisation: p50/p95
// latency of the dashboard's list query (page of 50 with total count) per kind of
// search, through the same service the tRPC router calls. A throwaway embedded
// PostgreSQL is used unless DATABASE_URL is set.
//   npx tsx bench/site-search.ts [sites]
import { sql } from "drizzle-orm";
import { startBenchEnvironment } from "./lib/bench-environment";

const SITES = Number(process.argv[2] ?? "100000");
const RUNS = 40;
// The sample site searched for; a small run (fewer sites) samples its last site instead.
const SAMPLE_OFFSET = Math.min(54_321, SITES - 1);

// A viewer: the dashboard's list query is read-only.
const bench = await startBenchEnvironment({ name: "search", role: "viewer" });
const { ctx, orgId } = bench;
const { getDb } = await import("@/db/client");
const { listSites } = await import("@/server/services/inventory/sites");
const db = getDb();

let t0 = performance.now();
await db.execute(sql`
  insert into sites (organisation_id, mpan, mpan_check_digit_valid, postcode, street_address, email, eligible_propositions, created_at)
  select ${orgId}, lpad((1000000000000 + g * 7919)::text, 13, '0'), true,
         chr(65 + g % 26) || chr(65 + (g / 26) % 26) || (1 + g % 9)::text || ' ' || (g % 10)::text || chr(65 + (g / 7) % 26) || chr(65 + (g / 11) % 26),
         g::text || ' ' || (array['High Street','Station Road','Church Lane','Mill Road','Park Avenue','Victoria Road','Green Lane','Manor Way'])[1 + g % 8],
         'house' || g::text || '@example.com',
         case when g % 3 = 0 then array['limited_pause']::text[] else '{}'::text[] end,
         now() - (g || ' seconds')::interval
  from generate_series(1, ${SITES}) g`);
await db.execute(sql`
  insert into assets (organisation_id, site_id, external_id, type, properties)
  select organisation_id, id, 'dev-' || substr(md5(id::text), 1, 10), (case when random() < 0.5 then 'charger' else 'battery' end)::asset_type, '{}'::jsonb
  from sites where organisation_id = ${orgId}`);
await db.execute(sql`analyze sites; analyze assets`);
console.log(`site search benchmark: ${SITES} sites + ${SITES} assets loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s; page of 50 with total count, ${RUNS} runs per query`);

const [sample] = (await db.execute(sql`select mpan, postcode, email, (select external_id from assets a where a.site_id = s.id) as ext from sites s where organisation_id = ${orgId} offset ${SAMPLE_OFFSET} limit 1`)) as unknown as { mpan: string; postcode: string; email: string; ext: string }[];
if (!sample) throw new Error("no sample site");

const cases: [string, Parameters<typeof listSites>[1]][] = [
  ["first page, no filter", {}],
  ["MPAN fragment", { search: sample.mpan.slice(3, 11) }],
  ["full postcode", { search: sample.postcode }],
  ["postcode without space", { search: sample.postcode.replace(" ", "").toLowerCase() }],
  ["address words", { search: "54321 high" }],
  ["customer email", { search: sample.email.slice(0, 12) }],
  ["asset external id", { search: sample.ext.slice(0, 9) }],
  ["no match", { search: "zzqqxx" }],
  ["asset type filter", { assetType: "charger" }],
  ["eligibility filter", { eligibility: "limited_pause" }],
  ["search + type + eligibility", { search: "high street", assetType: "battery", eligibility: "none" }],
];

const all: number[] = [];
for (const [label, input] of cases) {
  const times: number[] = [];
  let total = 0;
  for (let run = 0; run < RUNS; run++) {
    t0 = performance.now();
    total = (await listSites(ctx, { limit: 50, offset: 0, ...input })).total;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  all.push(...times);
  const at = (q: number) => (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(1);
  console.log(`${label.padEnd(30)} ${String(total).padStart(7)} matches  p50 ${at(0.5).padStart(6)} ms  p95 ${at(0.95).padStart(6)} ms`);
}
all.sort((a, b) => a - b);
console.log(`all searches: p50 ${(all[Math.floor(all.length * 0.5)] ?? 0).toFixed(1)} ms, p95 ${(all[Math.floor(all.length * 0.95)] ?? 0).toFixed(1)} ms`);

const plan = (await db.execute(sql`explain select id from sites where organisation_id = ${orgId} and id in (select s.id from sites s where s.organisation_id = ${orgId} and s.search_text like ${"%" + sample.postcode.toLowerCase() + "%"} union select a.site_id from assets a where a.organisation_id = ${orgId} and lower(a.external_id) like ${"%" + sample.ext.slice(0, 9) + "%"})`)) as unknown as { "QUERY PLAN": string }[];
console.log("plan of the search filter:\n" + plan.map((row) => `  ${row["QUERY PLAN"]}`).join("\n"));

await bench.stop();
