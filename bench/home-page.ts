// The operator's home page with 10,000 sites and 1,000 batteries (a day of 5-minute telemetry
// each, credentials, poll states), 200 plugged-in chargers with plans, a day of prices and a
// turn-down under way with 500 participants: time to
// first byte of the server-rendered page, and fully loaded in Chromium (load event, figures shown),
// with the JavaScript it ships. Runs the production build (`next build` first) against a
// throwaway PostgreSQL, and prints the machine's load, which these figures depend on.
//   npx tsx bench/home-page.ts [sites] [batteries]
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { chromium } from "@playwright/test";
import { startBenchEnvironment } from "./lib/bench-environment";
import { machineLoad } from "./lib/machine";

const SITES = Number(process.argv[2] ?? "10000");
const BATTERIES = Number(process.argv[3] ?? "1000");
const CHARGERS = 200;
const RUNS = 20;
const PORT = Number(process.env.BENCH_PORT ?? 3390);
/** The value at quantile `q` (0.5: median) of `xs`. */
const pct = (xs: readonly number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;

if (!existsSync(path.join(".next", "BUILD_ID"))) {
  console.error("No production build: run `npx next build` first.");
  process.exit(2);
}
const loadAtStart = machineLoad();
const bench = await startBenchEnvironment({ name: "home" });
const { orgId } = bench;
const { getDb } = await import("@/db/client");
const db = getDb();

let t0 = performance.now();
await db.execute(sql`
  insert into sites (organisation_id, mpan, mpan_check_digit_valid, postcode, street_address, email, is_half_hourly_settled)
  select ${orgId}, lpad((1000000000000 + g * 7919)::text, 13, '0'), true, 'BS' || (1 + g % 9)::text || ' ' || (g % 10)::text || 'AB',
         g::text || ' High Street', 'house' || g || '@example.com', true
  from generate_series(1, ${SITES}) g`);
// Batteries on the first sites, chargers on the next ones.
await db.execute(sql`
  insert into assets (organisation_id, site_id, external_id, type, properties, oem, oem_device_id)
  select organisation_id, id, 'battery-' || row_number() over (order by id), 'battery', jsonb_build_object('power_kw', 5, 'capacity_kwh', 9.5), 'givenergy', 'CE' || substr(md5(id::text), 1, 8)
  from (select id, organisation_id from sites where organisation_id = ${orgId} order by id limit ${BATTERIES}) s`);
await db.execute(sql`
  insert into assets (organisation_id, site_id, external_id, type, properties)
  select organisation_id, id, 'charger-' || row_number() over (order by id), 'charger', jsonb_build_object('power_kw', 7.4)
  from (select id, organisation_id from sites where organisation_id = ${orgId} order by id offset ${BATTERIES} limit ${CHARGERS}) s`);
await db.execute(sql`
  insert into oem_credentials (organisation_id, site_id, oem, token_type, key_id, ciphertext, last_four, status, expires_at)
  select organisation_id, site_id, 'givenergy', 'API_KEY', 'bench', 'not-a-secret', 'abcd',
         (case when row_number() over (order by id) % 97 = 0 then 'rejected' else 'valid' end)::oem_credential_status,
         case when row_number() over (order by id) % 53 = 0 then now() + interval '2 days' end
  from assets where organisation_id = ${orgId} and type = 'battery'`);
// A day of 5-minute telemetry; one battery in fifty stopped reporting an hour ago.
await db.execute(sql`
  insert into battery_readings (organisation_id, asset_id, observed_at, soc_pct, battery_power_kw, grid_power_kw, solar_power_kw, load_power_kw, operation_mode, oem_mode, discharge_floor_pct, received_at)
  select a.organisation_id, a.id, t, 20 + (extract(epoch from t)::bigint / 300 + i) % 70, sin(i + extract(epoch from t) / 3600) * 3, 0.4, 0, 0.4, 'SELF_RELIANCE', 'self_use', 10, t
  from (select id, organisation_id, row_number() over (order by id) as i from assets where organisation_id = ${orgId} and type = 'battery') a,
       generate_series(date_trunc('minute', now()) - interval '1 day', date_trunc('minute', now()) - case when a.i % 50 = 0 then interval '1 hour' else interval '0' end, interval '5 minutes') t`);
await db.execute(sql`
  insert into battery_poll_states (asset_id, organisation_id, last_attempt_at, last_success_at, consecutive_failures)
  select id, organisation_id, now(), case when row_number() over (order by id) % 50 = 0 then now() - interval '1 hour' else now() end, 0
  from assets where organisation_id = ${orgId} and type = 'battery'`);
const [curve] = await db.execute<{ id: string }>(sql`
  insert into market_price_curves (organisation_id, market, source, uploaded_by, point_count, first_slot_at, last_slot_at)
  values (${orgId}, 'WHOLESALE', 'trpc', 'bench', 96, date_trunc('hour', now()), date_trunc('hour', now()) + interval '47.5 hours') returning id`);
await db.execute(sql`
  insert into market_prices (organisation_id, market, slot_start, price_gbp_per_mwh, curve_id)
  select ${orgId}, 'WHOLESALE', date_trunc('hour', now()) + g * interval '30 minutes', 60 + 40 * sin(g / 5.0), ${curve?.id ?? null}::uuid
  from generate_series(0, 95) g`);
// Each charger plugged in with a plan charging 3.7 kW over the next eight hours.
await db.execute(sql`
  with s as (
    insert into charging_sessions (organisation_id, asset_id, site_id, plugged_in_at, charger_power_kw)
    select organisation_id, id, site_id, now() - interval '1 hour', 7.4 from assets where organisation_id = ${orgId} and type = 'charger'
    returning id, asset_id, organisation_id
  )
  insert into charging_plans (organisation_id, session_id, asset_id, version, trigger, window_start, window_end, slots, energy_kwh, cost_pence, baseline_cost_pence, saving_pence, met)
  select s.organisation_id, s.id, s.asset_id, 1, 'plug_in', now(), now() + interval '8 hours',
         (select jsonb_agg(jsonb_build_object('start', to_char((date_trunc('hour', now()) + g * interval '30 minutes') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'end', to_char((date_trunc('hour', now()) + (g + 1) * interval '30 minutes') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'kw', 3.7, 'kwh', 1.85, 'pencePerKwh', 7))
          from generate_series(0, 15) g),
         29.6, 200, 300, 100, true
  from s`);
// A turn-down under way with half the batteries taking part, so the page works out the live
// response and under-delivery as it does during an event.
await db.execute(sql`
  with e as (
    insert into grid_events (organisation_id, name, direction, start_at, end_at, target_kw, price_gbp_per_mwh, propositions, status, created_by, committed_at)
    values (${orgId}, 'Bench turn-down', 'turn_down', now() - interval '20 minutes', now() + interval '40 minutes',
            ${Math.round(BATTERIES / 2) * 2}, 250, '{full_asset_control}', 'active', 'bench', now() - interval '1 day')
    returning id, organisation_id
  )
  insert into grid_event_participants (organisation_id, event_id, asset_id, site_id, asset_type, control, proposition, planned_kw, previous_mode, status)
  select e.organisation_id, e.id, a.id, a.site_id, 'battery', 'oem_action', 'full_asset_control', 2, 'SELF_RELIANCE', 'confirmed'
  from e, (select id, site_id from assets where organisation_id = ${orgId} and type = 'battery' order by id limit ${Math.round(BATTERIES / 2)}) a`);
await db.execute(sql`analyze`);
console.log(`home page benchmark: ${SITES} sites, ${BATTERIES} batteries (a day of 5-minute telemetry), ${CHARGERS} plugged-in chargers, a running event loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// The overview's queries alone, through the service the page calls.
const { getFleetOverview } = await import("@/server/services/overview/fleet-overview");
const serviceTimes: number[] = [];
let measured: Awaited<ReturnType<typeof getFleetOverview>> | null = null;
for (let run = 0; run < RUNS; run++) {
  t0 = performance.now();
  measured = await getFleetOverview(bench.ctx);
  serviceTimes.push(performance.now() - t0);
}
// What was measured: the fleet and the running event as the page shows them.
const event = measured?.gridEvent;
if (!event) throw new Error("the overview did not find the running event");
console.log(
  `overview: ${measured?.batteries.online} of ${measured?.batteries.total} batteries online, ${measured?.chargers.pluggedIn} chargers plugged in; ` +
    `${event.name}: ${event.participants} participants, response ${event.responseKw ?? "unknown"} kW of ${event.targetKw} kW (${event.underDelivering ? "under-delivering" : "delivering"}), ${measured?.attention.total} items need attention`,
);
console.log(`overview service (all figures and needs attention): p50 ${pct(serviceTimes, 0.5).toFixed(0)} ms, p95 ${pct(serviceTimes, 0.95).toFixed(0)} ms over ${RUNS} runs`);

const baseUrl = `http://127.0.0.1:${PORT}`;
const server = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(PORT)], {
  stdio: ["ignore", "ignore", "inherit"],
  // No worker: the bench measures the page, not polling (there is no OEM cloud to poll here).
  env: { ...process.env, NODE_ENV: "production", NEXTAUTH_URL: baseUrl, LOG_LEVEL: "warn", WORKER_IN_PROCESS: "false", NEXT_TELEMETRY_DISABLED: "1" },
});
const stopAll = async () => {
  server.kill("SIGTERM");
  await bench.stop();
};

try {
  for (let i = 0; ; i++) {
    if ((await fetch(`${baseUrl}/api/health`).catch(() => null))?.status === 200) break;
    if (i > 120) throw new Error("the production server did not start");
    await new Promise((r) => setTimeout(r, 1000));
  }
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"] });
  const context = await browser.newContext({ baseURL: baseUrl });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(`${(await db.execute<{ email: string }>(sql`select o.email from operators o join memberships m on m.operator_id = o.id where m.organisation_id = ${orgId} limit 1`))[0]?.email ?? ""}`);
  await page.getByLabel("Password").fill("bench-password-123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");

  const ttfb: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    t0 = performance.now();
    const response = await fetch(`${baseUrl}/`, { headers: { cookie } });
    const reader = response.body?.getReader();
    await reader?.read();
    ttfb.push(performance.now() - t0);
    while (reader && !(await reader.read()).done) {
      // drain
    }
  }
  const loaded: number[] = [];
  let scriptBytes = 0;
  for (let run = 0; run < 5; run++) {
    t0 = performance.now();
    await page.goto("/", { waitUntil: "load" });
    await page.getByTestId("overview-figures").waitFor();
    loaded.push(performance.now() - t0);
    scriptBytes = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((e) => (e as PerformanceResourceTiming).initiatorType === "script")
        .reduce((sum, e) => sum + (e as PerformanceResourceTiming).encodedBodySize, 0),
    );
  }
  await browser.close();
  console.log(`TTFB of / (server-rendered with the overview): p50 ${pct(ttfb, 0.5).toFixed(0)} ms, p95 ${pct(ttfb, 0.95).toFixed(0)} ms over ${RUNS} runs`);
  console.log(`fully loaded (load event and figures shown, Chromium): p50 ${pct(loaded, 0.5).toFixed(0)} ms, max ${Math.max(...loaded).toFixed(0)} ms over ${loaded.length} runs`);
  console.log(`JavaScript shipped for the page: ${(scriptBytes / 1024).toFixed(0)} KiB (compressed as sent)`);
  console.log(`machine at start: ${loadAtStart}; at the end: ${machineLoad()}`);
} finally {
  await stopAll();
}
