// Processes that add up: two web processes and two workers (`npm run worker`, the real entry point)
// on one database, as a deployment runs them. Partner events sent to either web process (each one
// twice, once to each) are recorded once and planned once by one of the workers; a grid event's
// Actions all end final although one worker is SIGKILLed while it drives them.
//
// Why these processes: the vitest stage runs before `next build`, so the web processes serve the
// partner REST API through the same dispatcher the Next.js catch-all route uses
// (test/flows/serve-platform-http.ts), without Next. The test gets a database of its own on the
// suite's cluster, so the workers run the full job registry, cron sweeps included, without
// touching another test file's jobs (the suite's other workers are kept to their organisation).
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runMigrations } from "@/db/migrate";
import { closeDb, getDb } from "@/db/client";
import { tokenFor, randomMpan } from "@/server/api/rest/test-support";
import { resetConfigForProcess } from "@/server/config";
import { gridEventsSweepJob } from "@/server/jobs/handlers/grid-events";
import { sweepActionsJob } from "@/server/jobs/handlers/sweep-actions";
import { enqueue, stopBoss } from "@/server/jobs/queue";
import { insertSimulatedFleet } from "@/server/services/batteries/test-support";
import { setOemGatewayForProcess } from "@/server/services/credentials/oem-gateway";
import { commitDispatchPlan, createGridEvent } from "@/server/services/grid-events/index";
import { futureWindow } from "@/server/services/grid-events/test-support";
import { createAsset } from "@/server/services/inventory/assets";
import { createSite } from "@/server/services/inventory/sites";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { startSimulatorProcess, type SimulatorProcess } from "@/test/simulator-process";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CHARGERS = 24;
const BATTERIES = 40;
/** The simulated batteries apply a command this long after it is sent: Actions are mid-run for a while. */
const MODE_CHANGE_DELAY_MS = 8000;
/**
 * Long enough for the safety nets to find what the killed worker held: its drive jobs are lost until
 * they expire, the Action sweep re-queues an Action whose next check is 30 s overdue, and the grid
 * event sweep dispatches again a participant claimed a minute ago without an Action.
 */
const ACTION_DEADLINE_SECONDS = 170;
const workerSettings = {
  // The suite's cluster has 100 connections for every test file: each of these four processes keeps
  // a few (pg-boss adds up to 8 of its own). A refused connection would fail a dispatch outright.
  DATABASE_POOL_MAX: "5",
  BATTERY_POLL_INTERVAL_SECONDS: "10",
  BATTERY_STALE_AFTER_SECONDS: "120",
  ACTION_DEADLINE_SECONDS: String(ACTION_DEADLINE_SECONDS),
};

interface Child {
  name: string;
  process: ChildProcess;
  output: () => string;
}

const children: Child[] = [];
let adminUrl = "";
let databaseName = "";
let databaseUrl = "";
let sim: SimulatorProcess | undefined;
let org: TestOrg;
let token = "";
let chargerIds: string[] = [];
let webUrls: string[] = [];
let workers: Child[] = [];

/** Starts `file` with tsx; resolves once a line of its output matches `ready`. */
function startChild(name: string, file: string, env: Record<string, string>, ready: RegExp, timeoutMs = 120_000): Promise<{ child: Child; line: string }> {
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, file)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const child: Child = { name, process: proc, output: () => output.slice(-4000) };
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs / 1000} s: ${output.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split("\n").find((l) => ready.test(l));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve({ child, line: line.trim() });
      }
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", onData);
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${output.slice(-2000)}`));
    });
  });
}

function stopChild(child: Child): Promise<void> {
  return new Promise((resolve) => {
    if (child.process.exitCode !== null || child.process.signalCode !== null) return resolve();
    child.process.once("exit", () => resolve());
    child.process.kill("SIGTERM");
    setTimeout(() => child.process.kill("SIGKILL"), 10_000).unref();
  });
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

beforeAll(async () => {
  // A database of this test's own on the suite's cluster, migrated by the production routine.
  adminUrl = inject("databaseUrl");
  databaseName = `flexfleet_processes_${process.pid}_${Date.now()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${databaseName}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  databaseUrl = url.toString();
  await runMigrations(databaseUrl);
  await closeDb();
  process.env.DATABASE_URL = databaseUrl;
  resetConfigForProcess();

  sim = await startSimulatorProcess({ seed: 17, modeChangeDelayMs: MODE_CHANGE_DELAY_MS });
  process.env.SIMULATOR_URL = sim.url;
  setOemGatewayForProcess(undefined);

  // Four processes start side by side while the organisation is made.
  const env = { DATABASE_URL: databaseUrl, SIMULATOR_URL: sim.url, LOG_LEVEL: "info", ...workerSettings };
  const webs = Promise.all([0, 1].map((i) => startChild(`web ${i + 1}`, "test/flows/serve-platform-http.ts", env, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/)));
  const started = Promise.all([0, 1].map((i) => startChild(`worker ${i + 1}`, "scripts/worker.ts", env, /worker started/)));

  org = await createTestOrg("processes");
  token = await tokenFor(org, ["events:write", "entities:read"]);
  chargerIds = [];
  for (let i = 0; i < CHARGERS; i++) {
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
    chargerIds.push((await createAsset(org.admin, { siteId: site.id, externalId: `two-process-charger-${i}`, type: "charger", properties: { power_kw: 7.4 } })).id);
  }
  const oems = ["foxess", "givenergy", "solis", "sigenergy"] as const;
  const devices = await sim.createDevices(
    Array.from({ length: BATTERIES }, (_, i) => ({ oem: oems[i % 4] ?? "foxess", key: `processes-${i}`, socPct: 80, capacityKwh: 10, ratedPowerKw: 5, dischargeFloorPct: 10, solarKwp: 0 })),
  );
  await insertSimulatedFleet(org.admin, devices);

  webUrls = (await webs).map((w) => w.line);
  workers = (await started).map((w) => w.child);
}, 240_000);

afterAll(async () => {
  await Promise.all(children.map(stopChild));
  await sim?.stop();
  await stopBoss();
  await closeDb();
  delete process.env.SIMULATOR_URL;
  setOemGatewayForProcess(undefined);
  if (databaseName) {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${databaseName}" with (force)`);
    await admin.end();
  }
}, 60_000);

async function post(baseUrl: string, route: string, body: unknown): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${route}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  await response.text();
  return { status: response.status, ms: performance.now() - started };
}

describe("two web processes and two workers on one database", () => {
  it("records each partner event once whichever web process takes it, and plans each session once on one of the workers", async () => {
    const occurredAt = new Date(Date.now() - 60_000).toISOString();
    const intent = { energy_required_kwh: 10, ready_by: "2026-01-01T07:00:00Z", ready_by_local_time: "07:00", charging_mode: "minimise_charging_time" };
    // Each plug-in goes to both web processes at once: a partner retrying against another instance.
    const answers = await Promise.all(
      chargerIds.flatMap((id, i) =>
        [0, 1].map((n) => post(webUrls[(i + n) % 2] ?? "", `/entities/asset/${id}/event/plug-in`, { occurred_at: occurredAt, intent })),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));

    const db = getDb();
    const planned = await until("a plan for every session", 60_000, async () => {
      const rows = await db.execute<{ sessions: number; planned: number }>(sql`
        select count(*)::int as sessions, count(*) filter (where exists (select 1 from charging_plans p where p.session_id = s.id))::int as planned
        from charging_sessions s where s.organisation_id = ${org.orgId}`);
      const row = rows[0];
      return row && row.sessions === CHARGERS && row.planned === CHARGERS ? { done: row } : { seen: JSON.stringify(row) };
    });
    expect(planned).toEqual({ sessions: CHARGERS, planned: CHARGERS });

    // Once: one plug-in event and one session per charger, one planning job each, one plan version each.
    const [events] = await db.execute<{ n: number }>(sql`select count(*)::int as n from charging_events where organisation_id = ${org.orgId} and event_type = 'plug_in'`);
    expect(events?.n).toBe(CHARGERS);
    // A moment for a duplicate run to show, had there been one.
    await new Promise((r) => setTimeout(r, 2000));
    const plans = await db.execute<{ version: number; trigger: string; n: number }>(sql`
      select version, trigger, count(*)::int as n from charging_plans where organisation_id = ${org.orgId} group by 1, 2`);
    expect([...plans]).toEqual([{ version: 1, trigger: "plug_in", n: CHARGERS }]);
    const jobs = await db.execute<{ state: string; n: number }>(sql`
      select state::text as state, count(*)::int as n from pgboss.job where name = 'charging.plan-session' group by 1`);
    expect([...jobs]).toEqual([{ state: "completed", n: CHARGERS }]);
  }, 120_000);

  it("brings every Action of a grid event to a final state though one worker is killed mid-run", async () => {
    const db = getDb();
    // The workers poll every battery first (a dispatch plan counts on fresh readings).
    await until("every battery's first reading", 90_000, async () => {
      const [row] = await db.execute<{ n: number }>(sql`
        select count(*)::int as n from assets a join battery_poll_states ps on ps.asset_id = a.id
        where a.organisation_id = ${org.orgId} and a.type = 'battery' and ps.last_success_at is not null`);
      return row?.n === BATTERIES ? { done: true } : { seen: `${row?.n ?? 0} of ${BATTERIES} read` };
    });

    const event = await createGridEvent(org.admin, { name: "Two-process peak", direction: "turn_down", ...futureWindow(0.5, 30), targetKw: BATTERIES * 3, priceGbpPerMwh: 250, propositions: ["full_asset_control"] });
    const plan = await commitDispatchPlan(org.admin, event.id);
    expect(plan.participants).toHaveLength(BATTERIES);
    // Now inside the dispatch lead: the next sweep (queued here as its cron would) dispatches it.
    await db.execute(sql`update grid_events set start_at = now() + interval '2 minutes', end_at = now() + interval '32 minutes' where id = ${event.id}`);
    await enqueue(gridEventsSweepJob, {});

    const actionStates = async () => {
      const rows = await db.execute<{ state: string; attempts: number; n: number }>(sql`
        select coalesce(a.state::text, 'none') as state, coalesce(a.command_attempts, 0)::int as attempts, count(*)::int as n
        from grid_event_participants p left join battery_actions a on a.id = p.dispatch_action_id
        where p.event_id = ${event.id} group by 1, 2 order by 1, 2`);
      return [...rows];
    };
    // Mid-run: every Action created, commands going out, none confirmed yet (the batteries take 8 s).
    await until("Actions being driven", 60_000, async () => {
      const states = await actionStates();
      const commanded = states.filter((s) => s.state === "PENDING" && s.attempts > 0).reduce((n, s) => n + s.n, 0);
      return commanded >= BATTERIES / 4 ? { done: true } : { seen: JSON.stringify(states) };
    });
    const [victim, survivor] = workers;
    if (!victim || !survivor) throw new Error("two workers expected");
    victim.process.kill("SIGKILL");
    await new Promise<void>((resolve) => (victim.process.exitCode !== null || victim.process.signalCode !== null ? resolve() : victim.process.once("exit", () => resolve())));
    const [active] = await db.execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = 'battery.drive-action' and state = 'active'`);

    const participants = async () => {
      const rows = await db.execute<{ status: string; has_action: boolean; reason: string | null; n: number }>(sql`
        select status::text as status, dispatch_action_id is not null as has_action, failure_reason as reason, count(*)::int as n
        from grid_event_participants where event_id = ${event.id} group by 1, 2, 3`);
      return JSON.stringify([...rows]);
    };
    // The two sweeps run every minute by cron; queued here every 10 s as well (the surviving worker
    // runs them), so the test waits for the safety nets' own delays, not for the next minute.
    const nudge = setInterval(() => void Promise.all([enqueue(gridEventsSweepJob, {}), enqueue(sweepActionsJob, {})]).catch(() => undefined), 10_000);
    const final = await until<{ state: string; attempts: number; n: number }[]>("every Action final", (ACTION_DEADLINE_SECONDS + 60) * 1000, async () => {
      const states = await actionStates();
      const pending = states.some((s) => s.state === "PENDING" || s.state === "none");
      if (!pending) return { done: states };
      return { seen: `${JSON.stringify(states)}; participants ${await participants()}; ${active?.n ?? 0} drive jobs were active when the worker was killed; survivor: ${survivor.output().slice(-1500)}` };
    }).finally(() => clearInterval(nudge));
    // Nothing lost: every participant has its Action, and every Action is confirmed. (Command
    // attempts vary: one killed between sending and recording shows none, a timed-out one is resent.)
    expect(final.filter((s) => s.state !== "CONFIRMED")).toEqual([]);
    expect(final.reduce((n, s) => n + s.n, 0)).toBe(BATTERIES);
    expect(survivor.process.exitCode, survivor.output()).toBeNull();
  }, (ACTION_DEADLINE_SECONDS + 180) * 1000);
});
