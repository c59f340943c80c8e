// The product as deployed: the app's own worker (the job registry and queue settings `npm start`
// runs, server/jobs/worker.ts) over N simulated batteries (a quarter per OEM) behind the real
// adapters over loopback HTTP. Nothing here drives a job: the benchmark starts the worker, queues
// what the cron would queue, and watches the database.
//   1. polling: how long until every battery has a first reading, polls completed per second,
//      the stalest reading once every battery has one (target: within the poll interval);
//   2. a turn-down grid event to every battery: from the sweep being queued to every Action final.
// Prints the machine's load average (os.loadavg) with the figures: they depend on it.
// Queue settings come from the environment as in production (JOBS_POLL_CONCURRENCY, ...).
//   npx tsx bench/fleet-worker.ts [batteries=1000] [pollIntervalSeconds=60] [observeSeconds=90]
import { startBenchEnvironment } from "./lib/bench-environment";
import { createFleetTurnDown, fleetDevices } from "./lib/fleet";
import { machineLoad } from "./lib/machine";

const BATTERIES = Number(process.argv[2] ?? "1000");
const POLL_INTERVAL = Number(process.argv[3] ?? "60");
const OBSERVE_SECONDS = Number(process.argv[4] ?? "90");
if (![BATTERIES, POLL_INTERVAL, OBSERVE_SECONDS].every((n) => Number.isInteger(n) && n >= 1) || POLL_INTERVAL < 10) {
  console.error("usage: npx tsx bench/fleet-worker.ts [batteries >= 1] [pollIntervalSeconds >= 10] [observeSeconds >= 1]");
  process.exit(2);
}
process.env.BATTERY_POLL_INTERVAL_SECONDS = String(POLL_INTERVAL);
process.env.BATTERY_STALE_AFTER_SECONDS ??= String(Math.max(300, POLL_INTERVAL * 5));
process.env.ACTION_DEADLINE_SECONDS ??= "600";

const bench = await startBenchEnvironment({ name: "fleet-worker" });
const { ctx, orgId } = bench;
let stopAll: (() => Promise<void>) | undefined;
try {
  const { sql } = await import("drizzle-orm");
  const { getDb } = await import("@/db/client");
  const { getConfig, resetConfigForProcess } = await import("@/server/config");
  const { startSimulatorProcess } = await import("@/test/simulator-process");
  const { insertSimulatedFleet } = await import("@/server/services/batteries/test-support");
  const { setOemGatewayForProcess } = await import("@/server/services/credentials/oem-gateway");
  const { commitDispatchPlan } = await import("@/server/services/grid-events/index");
  const { startWorker } = await import("@/server/jobs/worker");
  const { enqueue, stopBoss } = await import("@/server/jobs/queue");
  const { gridEventsSweepJob } = await import("@/server/jobs/handlers/grid-events");

  const db = getDb();
  // In its own process, as `npm start` runs it.
  const sim = await startSimulatorProcess({ seed: 21, modeChangeDelayMs: 2000 });
  process.env.SIMULATOR_URL = sim.url;
  resetConfigForProcess();
  setOemGatewayForProcess(undefined);
  const devices = await sim.createDevices(fleetDevices(BATTERIES, "fleet"));
  await insertSimulatedFleet(ctx, devices);
  const jobs = getConfig().jobs;
  console.log(
    `fleet through the app's worker: ${BATTERIES} batteries, poll interval ${POLL_INTERVAL} s; queue settings ${JSON.stringify(jobs)}; OEM limits ${JSON.stringify(getConfig().oemLimits)}`,
  );
  console.log(`at start: ${machineLoad()}`);

  const started = new Date();
  const worker = await startWorker();
  stopAll = async () => {
    await worker.stop();
    await stopBoss();
    await sim.stop();
  };

  const sample = async () => {
    const [row] = await db.execute<{ stalest: number; never_read: number; polls: number; due: number }>(sql`
      select
        (select coalesce(max(extract(epoch from now() - coalesce(ps.last_success_at, ${started.toISOString()}::timestamptz))), 0)::float
           from assets a left join battery_poll_states ps on ps.asset_id = a.id where a.organisation_id = ${orgId}) as stalest,
        (select count(*)::int from assets a left join battery_poll_states ps on ps.asset_id = a.id
           where a.organisation_id = ${orgId} and (ps.last_success_at is null or ps.last_success_at < ${started.toISOString()}::timestamptz)) as never_read,
        (select coalesce(sum(jsonb_array_length(data->'assetIds')), 0)::int from pgboss.job where name = 'battery.poll' and state = 'completed') as polls,
        (select count(*)::int from pgboss.job where state in ('created', 'retry') and start_after <= now()) as due`);
    return { stalest: Number(row?.stalest ?? 0), neverRead: Number(row?.never_read ?? 0), polls: Number(row?.polls ?? 0), due: Number(row?.due ?? 0) };
  };

  // ---- 1. polling ----
  let firstRoundSeconds: number | null = null;
  let stalestAfterFirstRound = 0;
  let maxDue = 0;
  const observeUntil = Date.now() + OBSERVE_SECONDS * 1000;
  let pollsAtFirstRound = 0;
  let firstRoundAt = 0;
  while (Date.now() < observeUntil) {
    await new Promise((r) => setTimeout(r, 2000));
    const s = await sample();
    maxDue = Math.max(maxDue, s.due);
    if (firstRoundSeconds === null && s.neverRead === 0) {
      firstRoundSeconds = (Date.now() - started.getTime()) / 1000;
      pollsAtFirstRound = s.polls;
      firstRoundAt = Date.now();
    } else if (firstRoundSeconds !== null) stalestAfterFirstRound = Math.max(stalestAfterFirstRound, s.stalest);
  }
  const end = await sample();
  const steadySeconds = (Date.now() - firstRoundAt) / 1000;
  console.log(
    firstRoundSeconds === null
      ? `polling: NOT every battery read within ${OBSERVE_SECONDS} s (${end.neverRead} never read); ${end.polls} polls done`
      : `polling: every battery read once after ${firstRoundSeconds.toFixed(1)} s; then ${((end.polls - pollsAtFirstRound) / steadySeconds).toFixed(1)} polls/s (needed ${(BATTERIES / POLL_INTERVAL).toFixed(1)}); stalest reading ${stalestAfterFirstRound.toFixed(1)} s (interval ${POLL_INTERVAL} s); most jobs due at once ${maxDue}`,
  );
  const [timing] = await db.execute<{ lag_p50: number; lag_p95: number; run_p50: number; run_p95: number }>(sql`
    select
      percentile_cont(0.5) within group (order by extract(epoch from started_on - start_after)) as lag_p50,
      percentile_cont(0.95) within group (order by extract(epoch from started_on - start_after)) as lag_p95,
      percentile_cont(0.5) within group (order by extract(epoch from completed_on - started_on)) as run_p50,
      percentile_cont(0.95) within group (order by extract(epoch from completed_on - started_on)) as run_p95
    from pgboss.job where name = 'battery.poll' and state = 'completed'`);
  const f = (n: unknown) => `${(Number(n) * 1000).toFixed(0)} ms`;
  console.log(
    `poll jobs: waited after their slot p50 ${f(timing?.lag_p50)} / p95 ${f(timing?.lag_p95)}; ran (fetch to complete) p50 ${f(timing?.run_p50)} / p95 ${f(timing?.run_p95)}`,
  );
  console.log(`after polling: ${machineLoad()}`);

  // ---- 2. grid event ----
  const event = await createFleetTurnDown(ctx, BATTERIES, "Bench fleet peak");
  const plan = await commitDispatchPlan(ctx, event.id);
  // Planned ahead, now starting within the dispatch lead: the next sweep dispatches it.
  await db.execute(sql`update grid_events set start_at = now() + interval '2 minutes', end_at = now() + interval '32 minutes' where id = ${event.id}`);
  const t0 = Date.now();
  await enqueue(gridEventsSweepJob, {});
  let states: Record<string, number> = {};
  let firstActionSeconds: number | null = null;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const rows = await db.execute<{ state: string; n: number }>(sql`
      select coalesce(a.state::text, 'none') as state, count(*)::int as n
      from grid_event_participants p left join battery_actions a on a.id = p.dispatch_action_id
      where p.event_id = ${event.id} group by 1`);
    states = Object.fromEntries([...rows].map((r) => [r.state, Number(r.n)]));
    if (firstActionSeconds === null && (states.none ?? 0) < plan.participants.length) firstActionSeconds = (Date.now() - t0) / 1000;
    if (!states.none && !states.PENDING) break;
    if (Date.now() - t0 > 30 * 60_000) {
      console.log("grid event: gave up after 30 minutes");
      break;
    }
  }
  const s = await sample();
  console.log(
    `grid event: ${plan.participants.length} participants; first Action after ${firstActionSeconds?.toFixed(1)} s; every Action final after ${((Date.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(states)}; stalest reading meanwhile ${s.stalest.toFixed(1)} s`,
  );
  console.log(`at the end: ${machineLoad()}`);
} finally {
  await stopAll?.();
  await bench.stop();
}
