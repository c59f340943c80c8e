// The app's own worker (the registry and settings `npm start` runs) over 1,000 simulated
// batteries behind the real adapters on loopback: every battery is polled within its interval,
// and a grid event to all of them ends with every Action final. Nothing here drives a job by hand;
// the test only starts the worker, queues what the cron would queue, and watches the database.
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
import { deliverSchedulesJob } from "./handlers/deliver-schedules";
import { gridEventsSweepJob } from "./handlers/grid-events";
import { enqueue, stopBoss } from "./queue";
import { jobRegistry } from "./registry";
import { startWorker, type RunningWorker } from "./worker";

const BATTERIES = 1000;
/** Shortened from the default minute so the test sees several intervals; passed as configuration. */
const POLL_INTERVAL_SECONDS = 30;
/** A poll lands a little after its slot: the time to fetch, ask the cloud and write the reading. */
const POLL_LAG_ALLOWANCE_SECONDS = 10;
/** The first round also waits for the worker's first run of the poll scheduler. */
const STARTUP_ALLOWANCE_SECONDS = 15;

const settings = {
  BATTERY_POLL_INTERVAL_SECONDS: String(POLL_INTERVAL_SECONDS),
  BATTERY_STALE_AFTER_SECONDS: "120",
  ACTION_DEADLINE_SECONDS: "120",
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

async function actionsByState(eventId: string): Promise<Record<string, number>> {
  const rows = await getDb().execute<{ state: string; n: number }>(sql`
    select coalesce(a.state::text, 'none') as state, count(*)::int as n
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

describe("the app's worker over 1,000 batteries", () => {
  it("polls every battery within its interval and brings every Action of a grid event to a final state", async () => {
    const started = new Date();
    // Every job but schedule delivery, whose process-wide dispatcher would send other test files' deliveries.
    worker = await startWorker({ jobs: jobRegistry.filter((job) => job.name !== deliverSchedulesJob.name) });
    // Counted from when the worker is up: on a busy machine its start alone can take many seconds.
    const workerUp = Date.now();

    // First round: every battery is read once within the interval (its poll slot is spread over it).
    const firstRoundLimit = POLL_INTERVAL_SECONDS + POLL_LAG_ALLOWANCE_SECONDS + STARTUP_ALLOWANCE_SECONDS;
    const firstRound = await until("every battery's first reading", firstRoundLimit * 1000, async () => {
      const { neverRead } = await stalestReadingSeconds(started);
      return neverRead === 0 ? { done: (Date.now() - workerUp) / 1000 } : { seen: `${neverRead} of ${BATTERIES} batteries never read` };
    });
    expect(firstRound).toBeLessThanOrEqual(firstRoundLimit);

    // From here on, no battery's reading may grow older than its interval (plus the poll's own time).
    let stalest = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        stalest = Math.max(stalest, (await stalestReadingSeconds(started)).stalest);
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
      const dispatchedAt = Date.now();
      await enqueue(gridEventsSweepJob, {});

      const final = await until("every Action final", 75_000, async () => {
        const states = await actionsByState(event.id);
        const total = Object.values(states).reduce((a, b) => a + b, 0);
        return total === BATTERIES && !states.PENDING && !states.none ? { done: states } : { seen: JSON.stringify(states) };
      });
      const allFinalSeconds = (Date.now() - dispatchedAt) / 1000;
      // The simulator applies every command after 2 s and none is faulty: every one confirms.
      expect(final).toEqual({ CONFIRMED: BATTERIES });
      expect(allFinalSeconds).toBeLessThan(75);

      // Keep watching the polls for one more interval while the fleet is back to polling alone.
      await new Promise((r) => setTimeout(r, POLL_INTERVAL_SECONDS * 1000));
    } finally {
      watching = false;
      await watcher;
    }
    expect(stalest).toBeLessThanOrEqual(POLL_INTERVAL_SECONDS + POLL_LAG_ALLOWANCE_SECONDS);
  }, 180_000);
});
