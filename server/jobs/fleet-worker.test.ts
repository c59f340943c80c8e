// The app's own worker (its queues, handlers and settings, kept to this file's organisation) over
// a fleet of simulated batteries behind the real adapters on loopback: every battery is polled
// within its interval, and a grid event to all of them ends with every Action CONFIRMED before its
// deadline. Nothing here drives a job by hand; the test only starts the worker, queues what the
// cron would queue and watches the database. The fleet is sized for a shared, busy 2-core machine
// (at a load of 10 it confirmed about 3 Actions a second); bench/fleet-worker.ts measures 1,000+.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { resetConfigForProcess } from "@/server/config";
import { insertSimulatedFleet } from "@/server/services/batteries/test-support";
import { setOemGatewayForProcess } from "@/server/services/credentials/oem-gateway";
import { commitDispatchPlan, createGridEvent } from "@/server/services/grid-events/index";
import { futureWindow } from "@/server/services/grid-events/test-support";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { startSimulatorProcess, type SimulatorProcess } from "@/test/simulator-process";
import { gridEventsSweepJob } from "./handlers/grid-events";
import { enqueue, stopBoss } from "./queue";
import { startOrganisationWorker } from "./test-support";
import type { RunningWorker } from "./worker";

const BATTERIES = 250;
/** Shortened from the default minute so the test sees several intervals; passed as configuration. */
const POLL_INTERVAL_SECONDS = 30;
/** A poll lands a little after its slot: the time to fetch, ask the cloud and write the reading. */
const POLL_LAG_ALLOWANCE_SECONDS = 10;
/** The first round also waits for the worker's first run of the poll scheduler. */
const STARTUP_ALLOWANCE_SECONDS = 15;

/** Every Action must be CONFIRMED within this of its creation (a later one is FAILED by its drive loop). */
const ACTION_DEADLINE_SECONDS = 120;
/** After the deadline, time for the drive loop or the minute sweep to fail what is still pending. */
const FAIL_ALLOWANCE_SECONDS = 75;

const settings = {
  BATTERY_POLL_INTERVAL_SECONDS: String(POLL_INTERVAL_SECONDS),
  BATTERY_STALE_AFTER_SECONDS: "120",
  ACTION_DEADLINE_SECONDS: String(ACTION_DEADLINE_SECONDS),
};
const previous = Object.fromEntries(Object.keys(settings).map((k) => [k, process.env[k]]));

let sim: SimulatorProcess;
let worker: RunningWorker | undefined;
let org: TestOrg;

beforeAll(async () => {
  // In its own process, as `npm start` runs it: the worker under test keeps its CPU.
  sim = await startSimulatorProcess({ seed: 1000, modeChangeDelayMs: 2000 });
  Object.assign(process.env, settings, { SIMULATOR_URL: sim.url });
  resetConfigForProcess();
  setOemGatewayForProcess(undefined);
  org = await createTestOrg("fleet-worker");
  const oems = ["foxess", "givenergy", "solis", "sigenergy"] as const;
  const devices = await sim.createDevices(
    Array.from({ length: BATTERIES }, (_, i) => ({ oem: oems[i % 4] ?? "foxess", key: `fleet-${i}`, socPct: 80, capacityKwh: 10, ratedPowerKw: 5, dischargeFloorPct: 10, solarKwp: 0 })),
  );
  await insertSimulatedFleet(org.admin, devices);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await stopBoss();
  await sim.stop();
  for (const [key, value] of Object.entries(previous)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  delete process.env.SIMULATOR_URL;
  resetConfigForProcess();
  setOemGatewayForProcess(undefined);
});

/** Seconds since the stalest battery of the organisation was last read (never read: since `since`). */
async function stalestReadingSeconds(since: Date): Promise<{ stalest: number; neverRead: number }> {
  const [row] = await getDb().execute<{ stalest: number; never_read: number }>(sql`
    select coalesce(max(extract(epoch from now() - coalesce(ps.last_success_at, ${since.toISOString()}::timestamptz))), 0)::float as stalest,
           count(*) filter (where ps.last_success_at is null or ps.last_success_at < ${since.toISOString()}::timestamptz)::int as never_read
    from assets a left join battery_poll_states ps on ps.asset_id = a.id
    where a.organisation_id = ${org.orgId} and a.type = 'battery'`);
  return { stalest: Number(row?.stalest ?? 0), neverRead: Number(row?.never_read ?? 0) };
}

/** The event's Actions by state; `late` counts those completed after their deadline. */
async function actionsByState(eventId: string): Promise<Record<string, number>> {
  const rows = await getDb().execute<{ state: string; n: number }>(sql`
    select case when a.completed_at > a.deadline_at then 'late' else coalesce(a.state::text, 'none') end as state, count(*)::int as n
    from grid_event_participants p left join battery_actions a on a.id = p.dispatch_action_id
    where p.event_id = ${eventId} group by 1`);
  return Object.fromEntries([...rows].map((r) => [r.state, Number(r.n)]));
}

/** Polls `check` until it answers; on time-out the error says what was last seen. */
async function until<T>(what: string, timeoutMs: number, check: () => Promise<{ done: T } | { seen: string }>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if ("done" in result) return result.done;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${result.seen}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe(`the app's worker over ${BATTERIES} batteries`, () => {
  it("polls every battery within its interval and brings every Action of a grid event to CONFIRMED before its deadline", async () => {
    const started = new Date();
    worker = await startOrganisationWorker(org.orgId);
    // Counted from when the worker is up: on a busy machine its start alone can take many seconds.
    const workerUp = Date.now();

    // First round: every battery is read once within the interval (its poll slot is spread over it).
    const firstRoundLimit = POLL_INTERVAL_SECONDS + POLL_LAG_ALLOWANCE_SECONDS + STARTUP_ALLOWANCE_SECONDS;
    const firstRound = await until("every battery's first reading", firstRoundLimit * 1000, async () => {
      const { neverRead } = await stalestReadingSeconds(started);
      return neverRead === 0 ? { done: (Date.now() - workerUp) / 1000 } : { seen: `${neverRead} of ${BATTERIES} batteries never read` };
    });
    expect(firstRound).toBeLessThanOrEqual(firstRoundLimit);

    // From here on, no battery's reading may grow older than its interval (plus the poll's own time),
    // watched for at least that long so that a battery missing its next slot shows.
    const watchUntil = Date.now() + (POLL_INTERVAL_SECONDS + POLL_LAG_ALLOWANCE_SECONDS + 2) * 1000;
    let stalest = 0;
    let samples = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching || Date.now() < watchUntil) {
        stalest = Math.max(stalest, (await stalestReadingSeconds(started)).stalest);
        samples++;
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();

    try {
      // A turn-down event needing 3 kW from each battery: all of them take part.
      const event = await createGridEvent(org.admin, { name: "Fleet test peak", direction: "turn_down", ...futureWindow(0.5, 30), targetKw: BATTERIES * 3, priceGbpPerMwh: 250, propositions: ["full_asset_control"] });
      const plan = await commitDispatchPlan(org.admin, event.id);
      expect(plan.participants).toHaveLength(BATTERIES);
      // The event was planned ahead and now starts in two minutes: inside the dispatch lead, so
      // the next sweep (queued here as its cron would) dispatches it.
      await getDb().execute(sql`update grid_events set start_at = now() + interval '2 minutes', end_at = now() + interval '32 minutes' where id = ${event.id}`);
      await enqueue(gridEventsSweepJob, {});

      // Bounded by what is asserted: an Action not confirmed by its deadline is failed, which shows below.
      const final = await until("every Action final", (ACTION_DEADLINE_SECONDS + FAIL_ALLOWANCE_SECONDS) * 1000, async () => {
        const states = await actionsByState(event.id);
        const total = Object.values(states).reduce((a, b) => a + b, 0);
        return total === BATTERIES && !states.PENDING && !states.none ? { done: states } : { seen: JSON.stringify(states) };
      });
      // The simulator applies every command after 2 s and none is faulty: every one confirms in time.
      expect(final).toEqual({ CONFIRMED: BATTERIES });
    } finally {
      watching = false;
      await watcher;
    }
    expect(samples).toBeGreaterThan(POLL_INTERVAL_SECONDS / 2);
    expect(stalest).toBeGreaterThan(0);
    expect(stalest).toBeLessThanOrEqual(POLL_INTERVAL_SECONDS + POLL_LAG_ALLOWANCE_SECONDS);
  }, 360_000);
});
